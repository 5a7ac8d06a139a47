// SPDX-License-Identifier: GPL-2.0-only
// The device engine against a ring a tiny test driver fills in guest memory: the chains the
// backend sees (direct and indirect), the used ring it gets back, completion and interrupt
// cycles worked out by hand, one interrupt per PDU, PDUs served at once and completed out of
// order (and in order with one worker), VRING_AVAIL_F_NO_INTERRUPT, event indices
// (avail_event at each pop, used_event suppression), the kick race, and the free-list
// invariant over a long run of adds and completions.
#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include <gsl/gsl_errno.h>
#include <systemc>

#include "guest_mm/guest_memory.h"
#include "test_support.h"
#include "virtqueue/device_engine.h"
#include "virtqueue_driver.h"

using sc_core::SC_NS;
using sc_core::sc_time;
using vq::segment;
using vq_test::now_cycles;
using vq_test::run_cycles;

namespace {

// Guest memory: 256 frames of 4 KiB at 1 GHz; each DMA costs 10 + ceil(len / 16) cycles,
// so 11 for anything up to 16 bytes (an index, a ring entry, a descriptor, a used element).
constexpr uint64_t PS = 4096;
constexpr uint64_t NR_FRAMES = 256;
constexpr uint32_t DMA_LAT = 10;
// The engine: 8 descriptors, indirect negotiated, small latencies to keep sums checkable.
constexpr uint32_t NUM = 8;
constexpr uint32_t KICK = 20, FETCH = 4, IRQ = 50;

rs_test::test_sink *g_sink;
gmm::guest_memory *g_mem;
vq_test::rig *g_rig;
vq_test::rig *g_rig1;  // one worker
vq_test::rig *g_rig_ev; // VIRTIO_RING_F_EVENT_IDX

constexpr uint64_t d(uint64_t len) // one DMA of @len bytes
{
	return DMA_LAT + (len + 15) / 16;
}

void fill(uint64_t pa, size_t len, uint8_t first)
{
	std::vector<uint8_t> b(len);
	for (size_t i = 0; i < len; i++)
		b[i] = static_cast<uint8_t>(first + i);
	g_mem->memory().write(pa, b.data(), len);
}

bool holds_reply(uint64_t pa, size_t len, uint8_t first)
{
	std::vector<uint8_t> b(len);
	g_mem->memory().read(pa, b.data(), len);
	for (size_t i = 0; i < len; i++)
		if (b[i] != static_cast<uint8_t>(first + i))
			return false;
	return true;
}

// Completes everything the used ring holds; checks each element names a chain in flight.
unsigned reap(vq_test::ring_driver &drv)
{
	unsigned n = 0;
	uint16_t id;
	uint32_t len;
	bool bad = false;
	while (drv.get_buf(id, len, &bad)) {
		n++;
		CU_ASSERT(drv.check_invariant());
	}
	CU_ASSERT(!bad);
	return n;
}

void t_engine_direct_chain(void)
{
	vq_test::rig &r = *g_rig;
	vq::device_engine &e = r.eng;
	g_sink->findings.clear();
	uint64_t req = r.data_pa, rep = r.data_pa + PS;
	fill(req, 32, 0x10);
	r.backend.reply_len = 20;
	r.backend.reply_byte = 0xa0;
	size_t log0 = r.backend.log.size(), irq0 = r.irq_cycles.size();
	uint64_t descs0 = e.descriptors_read(), rd0 = e.backend_bytes_read(),
		 wr0 = e.backend_bytes_written(), kicks0 = e.kicks();

	int head = r.drv.add_buf({{req, 32, false}, {rep, 64, true}}, 1, false);
	CU_ASSERT_EQUAL(head, 0);
	CU_ASSERT(r.drv.check_invariant() && r.drv.num_free() == NUM - 2);
	std::vector<std::vector<uint64_t>> served;
	vq::engine_observer obs;
	obs.served = [&served](uint16_t h, uint64_t popped, uint64_t done) {
		served.push_back({ h, popped, done });
	};
	e.set_observer(obs);
	uint64_t t0 = now_cycles();
	e.kick();
	run_cycles(1000);
	e.set_observer(vq::engine_observer());

	// The engine notices the kick at t0 + 20, then:
	//   avail->idx 2 B            11   -> 31
	//   avail->ring[0] 2 B        11   -> 42
	//   desc 0 (16 B) + fetch     11+4 -> 57
	//   desc 1 (16 B) + fetch     11+4 -> 72    serve() called at t0 + 72 by a worker
	//   (the main loop re-reads avail->idx meanwhile, 72..83, and finds nothing new)
	//   backend reads 32 B        12   -> 84
	//   backend writes 20 B       12   -> 96
	//   used->ring[0] 8 B         11   -> 107
	//   used->idx 2 B             11   -> 118
	//   avail->flags 2 B          11   -> 129   interrupt raised
	//   + irq latency             50   -> 179   the guest sees it
	CU_ASSERT_EQUAL_FATAL(r.backend.log.size(), log0 + 1);
	const vq_test::served &s = r.backend.log.back();
	CU_ASSERT_EQUAL(s.head, 0);
	CU_ASSERT(s.chain == (std::vector<segment>{{req, 32, false}, {rep, 64, true}}));
	CU_ASSERT_EQUAL(s.cycle, t0 + KICK + 2 * d(2) + 2 * (d(16) + FETCH));
	CU_ASSERT_EQUAL(s.cycle, t0 + 72);
	CU_ASSERT(s.request.size() == 32 && s.request[0] == 0x10 && s.request[31] == 0x10 + 31);
	CU_ASSERT_EQUAL_FATAL(r.irq_cycles.size(), irq0 + 1);
	CU_ASSERT_EQUAL(r.irq_cycles.back(), t0 + 179);
	// ringsim's phases: popped (and walked) at 72, served until the reply was written, 96.
	CU_ASSERT(served == (std::vector<std::vector<uint64_t>>{ { 0, t0 + 72, t0 + 96 } }));

	CU_ASSERT_EQUAL(r.drv.used_idx(), 1);
	vring_used_elem u = r.drv.used_elem(0);
	CU_ASSERT(u.id == 0 && u.len == 20);
	CU_ASSERT(holds_reply(rep, 20, 0xa0));
	uint8_t after = 0xff;
	g_mem->memory().read(rep + 20, &after, 1);
	CU_ASSERT_EQUAL(after, 0); // nothing past the reply

	CU_ASSERT_EQUAL(e.descriptors_read(), descs0 + 2);
	CU_ASSERT_EQUAL(e.backend_bytes_read(), rd0 + 32);
	CU_ASSERT_EQUAL(e.backend_bytes_written(), wr0 + 20);
	CU_ASSERT_EQUAL(e.kicks(), kicks0 + 1);
	CU_ASSERT(e.last_avail_idx() == 1 && e.used_idx() == 1);

	CU_ASSERT_EQUAL(reap(r.drv), 1);
	CU_ASSERT_EQUAL(r.drv.num_free(), NUM);
	CU_ASSERT(g_sink->findings.empty());
}

void t_engine_indirect_chain(void)
{
	vq_test::rig &r = *g_rig;
	vq::device_engine &e = r.eng;
	g_sink->findings.clear();
	// A zero-copy TREAD's shape: a 23-byte header out, an 11-byte reply header and a payload
	// buffer in, through one indirect table of 3 entries (48 bytes).
	uint64_t tc = r.data_pa + 64, rc = r.data_pa + PS + 128, payload = r.data_pa + 2 * PS;
	fill(tc, 23, 0x30);
	r.backend.reply_len = 60;
	r.backend.reply_byte = 0x40;
	size_t log0 = r.backend.log.size(), irq0 = r.irq_cycles.size();
	uint64_t descs0 = e.descriptors_read();

	std::vector<segment> sg{{tc, 23, false}, {rc, 11, true}, {payload, 100, true}};
	int head = r.drv.add_buf(sg, 1, true);
	CU_ASSERT_EQUAL(head, 0);
	CU_ASSERT(r.drv.num_free() == NUM - 1 && r.drv.check_invariant());
	uint64_t t0 = now_cycles();
	e.kick();
	run_cycles(1000);

	// kick noticed 20; avail->idx 11 -> 31; avail->ring 11 -> 42; desc 0 (the indirect one)
	// 11 + 4 -> 57; the table, 48 B in one DMA: 10 + 3 = 13 -> 70; its 3 entries 3 x 4 ->
	// 82: serve() at t0 + 82 (avail->idx re-read 82..93). Backend: read 23 B 12 -> 94, write
	// 11 B 11 -> 105, write 49 B
	// 10 + 4 = 14 -> 119. used->ring 11 -> 130, used->idx 11 -> 141, avail->flags 11 -> 152,
	// irq latency 50 -> 202.
	CU_ASSERT_EQUAL_FATAL(r.backend.log.size(), log0 + 1);
	const vq_test::served &s = r.backend.log.back();
	CU_ASSERT(s.chain == sg);
	CU_ASSERT_EQUAL(s.cycle, t0 + KICK + 2 * d(2) + d(16) + FETCH + d(48) + 3 * FETCH);
	CU_ASSERT_EQUAL(s.cycle, t0 + 82);
	CU_ASSERT(s.request.size() == 23 && s.request[22] == 0x30 + 22);
	CU_ASSERT_EQUAL_FATAL(r.irq_cycles.size(), irq0 + 1);
	CU_ASSERT_EQUAL(r.irq_cycles.back(), t0 + 202);
	CU_ASSERT_EQUAL(e.descriptors_read(), descs0 + 4);

	CU_ASSERT_EQUAL(r.drv.used_idx(), 2);
	vring_used_elem u = r.drv.used_elem(1);
	CU_ASSERT(u.id == 0 && u.len == 60);
	CU_ASSERT(holds_reply(rc, 11, 0x40));
	CU_ASSERT(holds_reply(payload, 49, 0x40 + 11));
	CU_ASSERT_EQUAL(reap(r.drv), 1);
	CU_ASSERT_EQUAL(r.drv.num_free(), NUM);
	CU_ASSERT(g_sink->findings.empty());
}

// Three chains, one kick: all three are popped first (QEMU's handle_9p_output), each is
// served by its own worker as soon as popped, and each completes with its own used element
// and its own interrupt (virtio_9p_push_and_notify), not one per batch.
void t_engine_irq_per_pdu(void)
{
	vq_test::rig &r = *g_rig;
	vq::device_engine &e = r.eng;
	g_sink->findings.clear();
	r.backend.reply_len = 8;
	r.backend.reply_byte = 0x50;
	size_t log0 = r.backend.log.size(), irq0 = r.irq_cycles.size();
	uint64_t raised0 = e.interrupts_raised(), chains0 = e.chains_served(),
		 done0 = e.completions(), ooo0 = e.out_of_order();
	uint16_t used0 = r.drv.used_idx();

	int heads[3];
	for (int i = 0; i < 3; i++) {
		uint64_t b = r.data_pa + 256 * i;
		heads[i] = r.drv.add_buf({{b, 16, false}, {b + 128, 16, true}}, 1, false);
		CU_ASSERT(heads[i] >= 0);
	}
	CU_ASSERT(r.drv.num_free() == NUM - 6 && r.drv.check_invariant());
	uint64_t t0 = now_cycles();
	e.kick(); // one kick for the three
	run_cycles(2000);

	// Noticed at 20, avail->idx 11 -> 31. Each pop: avail->ring 11, two descriptors 2 x 15:
	// 41 cycles, serve() at its end: 72, 113, 154. avail->idx re-read 154 -> 165. Each
	// service: read 16 B 11, write 8 B 11: done at 94, 135, 176. Publishing, from 165: used
	// element 11, used->idx 11, avail->flags 11 = 33 each: A 165..198, B 198..231, C
	// 231..264 (C was done at 176, before B's turn ended); interrupts seen 50 later: 248,
	// 281, 314.
	CU_ASSERT_EQUAL_FATAL(r.backend.log.size(), log0 + 3);
	for (int i = 0; i < 3; i++) {
		const vq_test::served &s = r.backend.log[log0 + i];
		CU_ASSERT_EQUAL(s.head, heads[i]); // in avail order
		CU_ASSERT_EQUAL(s.cycle, t0 + 72 + 41 * i);
		vring_used_elem u = r.drv.used_elem(static_cast<uint16_t>(used0 + i));
		CU_ASSERT(u.id == static_cast<uint32_t>(heads[i]) && u.len == 8);
	}
	CU_ASSERT_EQUAL(r.drv.used_idx(), used0 + 3);
	CU_ASSERT_EQUAL_FATAL(r.irq_cycles.size(), irq0 + 3);
	CU_ASSERT_EQUAL(r.irq_cycles[irq0], t0 + 248);
	CU_ASSERT_EQUAL(r.irq_cycles[irq0 + 1], t0 + 281);
	CU_ASSERT_EQUAL(r.irq_cycles[irq0 + 2], t0 + 314);
	CU_ASSERT_EQUAL(e.interrupts_raised(), raised0 + 3);
	CU_ASSERT_EQUAL(e.chains_served(), chains0 + 3);
	CU_ASSERT_EQUAL(e.completions(), done0 + 3);
	CU_ASSERT_EQUAL(e.out_of_order(), ooo0); // equal service: in order
	CU_ASSERT_EQUAL(reap(r.drv), 3);
	CU_ASSERT_EQUAL(r.drv.num_free(), NUM);
}

// A slow chain A (300 cycles of service) and a fast one B behind it. With the pool, B is
// served while A is, completes first, and its used element comes first: out of order.
void t_engine_out_of_order(void)
{
	vq_test::rig &r = *g_rig;
	vq::device_engine &e = r.eng;
	g_sink->findings.clear();
	r.backend.reply_len = 8;
	size_t log0 = r.backend.log.size(), irq0 = r.irq_cycles.size();
	uint64_t ooo0 = e.out_of_order(), done0 = e.completions();
	uint16_t used0 = r.drv.used_idx();

	int a = r.drv.add_buf({{r.data_pa, 16, false}, {r.data_pa + 64, 16, true}}, 1, false);
	int b = r.drv.add_buf({{r.data_pa + 512, 16, false}, {r.data_pa + 576, 16, true}}, 1,
			      false);
	CU_ASSERT_FATAL(a >= 0 && b >= 0);
	r.backend.service_by_head[static_cast<uint16_t>(a)] = 300;
	uint64_t t0 = now_cycles();
	e.kick();
	run_cycles(1000);

	// Pops: A served from 72, B from 113; re-read 113..124. B: read 11 -> 124, write 11 ->
	// 135, published 135..168 (interrupt seen 218). A: read 11 -> 83, 300 -> 383, write 11 ->
	// 394, published 394..427 (interrupt seen 477).
	CU_ASSERT_EQUAL_FATAL(r.backend.log.size(), log0 + 2);
	CU_ASSERT_EQUAL(r.backend.log[log0].cycle, t0 + 72);
	CU_ASSERT_EQUAL(r.backend.log[log0 + 1].cycle, t0 + 113);
	CU_ASSERT_EQUAL(r.drv.used_elem(used0).id, static_cast<uint32_t>(b));
	CU_ASSERT_EQUAL(r.drv.used_elem(static_cast<uint16_t>(used0 + 1)).id,
			static_cast<uint32_t>(a));
	CU_ASSERT_EQUAL_FATAL(r.irq_cycles.size(), irq0 + 2);
	CU_ASSERT_EQUAL(r.irq_cycles[irq0], t0 + 218);
	CU_ASSERT_EQUAL(r.irq_cycles[irq0 + 1], t0 + 477);
	CU_ASSERT_EQUAL(e.completions(), done0 + 2);
	CU_ASSERT_EQUAL(e.out_of_order(), ooo0 + 1); // B overtook A; A then was the oldest
	CU_ASSERT(e.in_service_max() >= 2);
	r.backend.service_by_head.clear();
	CU_ASSERT_EQUAL(reap(r.drv), 2);
	CU_ASSERT(g_sink->findings.empty());
}

// The same two chains on an engine with one worker: B waits for A's worker, so it is served
// after A and completes after it, in order.
void t_engine_one_worker_in_order(void)
{
	vq_test::rig &r = *g_rig1;
	vq::device_engine &e = r.eng;
	g_sink->findings.clear();
	r.backend.reply_len = 8;
	size_t log0 = r.backend.log.size(), irq0 = r.irq_cycles.size();
	uint16_t used0 = r.drv.used_idx();

	int a = r.drv.add_buf({{r.data_pa, 16, false}, {r.data_pa + 64, 16, true}}, 1, false);
	int b = r.drv.add_buf({{r.data_pa + 512, 16, false}, {r.data_pa + 576, 16, true}}, 1,
			      false);
	CU_ASSERT_FATAL(a >= 0 && b >= 0);
	r.backend.service_by_head[static_cast<uint16_t>(a)] = 300;
	uint64_t t0 = now_cycles();
	e.kick();
	run_cycles(1000);

	// A served 72..394 as above; B, popped at 113, waits for the worker: served from 394,
	// read 11 -> 405, write 11 -> 416. A published 394..427 (seen 477), B 427..460 (seen 510).
	CU_ASSERT_EQUAL_FATAL(r.backend.log.size(), log0 + 2);
	CU_ASSERT_EQUAL(r.backend.log[log0].cycle, t0 + 72);
	CU_ASSERT_EQUAL(r.backend.log[log0 + 1].cycle, t0 + 394);
	CU_ASSERT_EQUAL(r.drv.used_elem(used0).id, static_cast<uint32_t>(a));
	CU_ASSERT_EQUAL(r.drv.used_elem(static_cast<uint16_t>(used0 + 1)).id,
			static_cast<uint32_t>(b));
	CU_ASSERT_EQUAL_FATAL(r.irq_cycles.size(), irq0 + 2);
	CU_ASSERT_EQUAL(r.irq_cycles[irq0], t0 + 477);
	CU_ASSERT_EQUAL(r.irq_cycles[irq0 + 1], t0 + 510);
	CU_ASSERT_EQUAL(e.out_of_order(), 0);
	CU_ASSERT_EQUAL(e.in_service_max(), 1);
	CU_ASSERT_EQUAL(reap(r.drv), 2);
	CU_ASSERT(g_sink->findings.empty());
}

// VIRTIO_RING_F_EVENT_IDX: each pop publishes avail_event (the next avail index the device
// will look at), and a used element interrupts only when used->idx passes the driver's
// used_event, except the first decision, which always interrupts (QEMU's
// signalled_used_valid).
void t_engine_event_idx(void)
{
	vq_test::rig &r = *g_rig_ev;
	vq::device_engine &e = r.eng;
	g_sink->findings.clear();
	r.backend.reply_len = 8;
	size_t log0 = r.backend.log.size(), irq0 = r.irq_cycles.size();
	uint64_t supp0 = e.interrupts_suppressed();

	// used_event stays 0: the driver asks to hear about the first used element only.
	r.drv.set_used_event(0);
	CU_ASSERT(r.drv.add_buf({{r.data_pa, 16, false}, {r.data_pa + 64, 16, true}}, 1, false) >= 0);
	CU_ASSERT(r.drv.add_buf({{r.data_pa + 512, 16, false}, {r.data_pa + 576, 16, true}}, 1,
				false) >= 0);
	uint64_t t0 = now_cycles();
	e.kick();
	run_cycles(1000);

	// Each pop: avail->ring 11, avail_event write 11, two descriptors 30: A served at 83, B
	// at 135; re-read 135..146. A done 105, published 146..179 (used->idx 1, used_event 0
	// read: first decision, interrupt seen 229). B done 157, published 179..212: used->idx
	// 1 -> 2 does not pass used_event 0: suppressed.
	CU_ASSERT_EQUAL_FATAL(r.backend.log.size(), log0 + 2);
	CU_ASSERT_EQUAL(r.backend.log[log0].cycle, t0 + 83);
	CU_ASSERT_EQUAL(r.backend.log[log0 + 1].cycle, t0 + 135);
	CU_ASSERT_EQUAL(r.drv.avail_event(), 2);
	CU_ASSERT_EQUAL(r.drv.used_idx(), 2);
	CU_ASSERT_EQUAL_FATAL(r.irq_cycles.size(), irq0 + 1);
	CU_ASSERT_EQUAL(r.irq_cycles[irq0], t0 + 229);
	CU_ASSERT_EQUAL(e.interrupts_suppressed(), supp0 + 1);
	CU_ASSERT_EQUAL(reap(r.drv), 2);

	// The driver has seen both (Linux's get_buf writes used_event = last_used_idx): the
	// next element, used->idx 2 -> 3, passes used_event 2 and interrupts.
	r.drv.set_used_event(2);
	CU_ASSERT(r.drv.add_buf({{r.data_pa, 16, false}, {r.data_pa + 64, 16, true}}, 1, false) >= 0);
	uint64_t t1 = now_cycles();
	e.kick();
	run_cycles(1000);
	// idx 31, ring 42, avail_event 53, descriptors 83 (serve), done 105; published
	// 105..138, seen 188.
	CU_ASSERT_EQUAL(r.drv.avail_event(), 3);
	CU_ASSERT_EQUAL_FATAL(r.irq_cycles.size(), irq0 + 2);
	CU_ASSERT_EQUAL(r.irq_cycles[irq0 + 1], t1 + 188);
	CU_ASSERT_EQUAL(e.interrupts_suppressed(), supp0 + 1);
	CU_ASSERT_EQUAL(reap(r.drv), 1);
	CU_ASSERT(g_sink->findings.empty());
}

void t_engine_no_interrupt_suppressed(void)
{
	vq_test::rig &r = *g_rig;
	vq::device_engine &e = r.eng;
	g_sink->findings.clear();
	size_t irq0 = r.irq_cycles.size();
	uint64_t raised0 = e.interrupts_raised(), supp0 = e.interrupts_suppressed();
	uint16_t used0 = r.drv.used_idx();

	r.drv.set_avail_flags(VRING_AVAIL_F_NO_INTERRUPT);
	CU_ASSERT(r.drv.add_buf({{r.data_pa, 16, false}, {r.data_pa + 64, 16, true}}, 1, false) >= 0);
	CU_ASSERT(r.drv.add_buf({{r.data_pa + 128, 16, false}}, 1, false) >= 0);
	e.kick();
	run_cycles(1000);
	CU_ASSERT_EQUAL(r.drv.used_idx(), used0 + 2); // served and published
	CU_ASSERT_EQUAL(r.irq_cycles.size(), irq0);   // but no interrupt
	CU_ASSERT_EQUAL(e.interrupts_raised(), raised0);
	CU_ASSERT_EQUAL(e.interrupts_suppressed(), supp0 + 2); // one decision per PDU
	CU_ASSERT_EQUAL(reap(r.drv), 2);

	// Interrupts come back when the driver clears the flag.
	r.drv.set_avail_flags(0);
	CU_ASSERT(r.drv.add_buf({{r.data_pa, 16, false}}, 1, false) >= 0);
	e.kick();
	run_cycles(1000);
	CU_ASSERT_EQUAL(r.irq_cycles.size(), irq0 + 1);
	CU_ASSERT_EQUAL(e.interrupts_suppressed(), supp0 + 2);
	CU_ASSERT_EQUAL(reap(r.drv), 1);
	CU_ASSERT(g_sink->findings.empty());
}

// A chain published while the engine pops another, without a kick: the re-read of
// avail->idx after the last pop finds it.
void t_engine_kick_race(void)
{
	vq_test::rig &r = *g_rig;
	vq::device_engine &e = r.eng;
	g_sink->findings.clear();
	r.backend.reply_len = 8;
	size_t log0 = r.backend.log.size(), irq0 = r.irq_cycles.size();
	uint64_t kicks0 = e.kicks(), dma0 = g_mem->dma_transactions();

	uint64_t a = r.data_pa, b = r.data_pa + 512;
	CU_ASSERT(r.drv.add_buf({{a, 16, false}, {a + 64, 16, true}}, 1, false) >= 0);
	uint64_t t0 = now_cycles();
	e.kick();
	run_cycles(60); // the engine is fetching A's second descriptor (57..72)
	CU_ASSERT_EQUAL(r.backend.log.size(), log0);
	CU_ASSERT(r.drv.add_buf({{b, 16, false}, {b + 64, 16, true}}, 1, false) >= 0);
	run_cycles(1000);

	// A popped by 72 (serve()); the re-read of avail->idx 72 -> 83 shows B: avail->ring 11
	// -> 94, two descriptors 30 -> 124 (serve()); re-read 124 -> 135, nothing new. A done at
	// 94, published 135..168 (seen 218); B done at 146, published 168..201 (seen 251).
	CU_ASSERT_EQUAL_FATAL(r.backend.log.size(), log0 + 2);
	CU_ASSERT_EQUAL(r.backend.log[log0].cycle, t0 + 72);
	CU_ASSERT_EQUAL(r.backend.log[log0 + 1].cycle, t0 + 124);
	CU_ASSERT_EQUAL_FATAL(r.irq_cycles.size(), irq0 + 2);
	CU_ASSERT_EQUAL(r.irq_cycles[irq0], t0 + 218);
	CU_ASSERT_EQUAL(r.irq_cycles[irq0 + 1], t0 + 251);
	CU_ASSERT_EQUAL(e.kicks(), kicks0 + 1);
	// A: avail->idx, ring, 2 descs, 2 backend, 2 used, flags = 9; re-read 1; B: 8; re-read 1.
	CU_ASSERT_EQUAL(g_mem->dma_transactions(), dma0 + 19);
	CU_ASSERT_EQUAL(reap(r.drv), 2);
	CU_ASSERT(g_sink->findings.empty());
}

// The same, but B is kicked too: its doorbell, noticed (at 80) while the re-read that finds
// B is under way, stays latched and is answered by the re-read after B's pop, never by a
// second service of B.
void t_engine_kick_while_busy(void)
{
	vq_test::rig &r = *g_rig;
	vq::device_engine &e = r.eng;
	g_sink->findings.clear();
	r.backend.reply_len = 8;
	size_t log0 = r.backend.log.size(), irq0 = r.irq_cycles.size();
	uint64_t kicks0 = e.kicks(), dma0 = g_mem->dma_transactions();

	uint64_t a = r.data_pa, b = r.data_pa + 512;
	CU_ASSERT(r.drv.add_buf({{a, 16, false}, {a + 64, 16, true}}, 1, false) >= 0);
	e.kick();
	run_cycles(60);
	CU_ASSERT(r.drv.add_buf({{b, 16, false}, {b + 64, 16, true}}, 1, false) >= 0);
	e.kick(); // noticed at 80, while A is served
	run_cycles(1000);

	CU_ASSERT_EQUAL(r.backend.log.size(), log0 + 2);
	CU_ASSERT_EQUAL(r.irq_cycles.size(), irq0 + 2);
	CU_ASSERT_EQUAL(e.kicks(), kicks0 + 2);
	CU_ASSERT_EQUAL(g_mem->dma_transactions(), dma0 + 19); // as without the kick
	CU_ASSERT_EQUAL(reap(r.drv), 2);
	CU_ASSERT(g_sink->findings.empty());
}

// Adds and completions in a fixed pseudo-random order (direct and indirect chains of 1..6
// buffers, -ENOSPC included): free + in use = queue size after every step, every used
// element is a chain in flight, and the backend sees exactly the chain that was added.
void t_engine_ring_invariant(void)
{
	vq_test::rig &r = *g_rig;
	vq::device_engine &e = r.eng;
	g_sink->findings.clear();
	r.backend.reply_len = 24;
	std::map<uint16_t, std::vector<segment>> in_flight;
	size_t checked = r.backend.log.size();
	uint32_t lcg = 12345;
	auto next = [&lcg](uint32_t n) {
		lcg = lcg * 1103515245u + 12345u;
		return (lcg >> 16) % n;
	};
	unsigned enospc = 0, added = 0, completed = 0;

	auto settle = [&]() {
		e.kick();
		run_cycles(3000);
		for (; checked < r.backend.log.size(); checked++) {
			const vq_test::served &s = r.backend.log[checked];
			auto it = in_flight.find(s.head);
			CU_ASSERT_FATAL(it != in_flight.end());
			CU_ASSERT(s.chain == it->second);
		}
		uint16_t id;
		uint32_t len;
		bool bad = false;
		while (r.drv.get_buf(id, len, &bad)) {
			auto it = in_flight.find(id);
			CU_ASSERT_FATAL(it != in_flight.end());
			uint32_t room = 0;
			for (const segment &g : it->second)
				room += g.device_writable ? g.len : 0;
			CU_ASSERT_EQUAL(len, std::min(room, 24u));
			in_flight.erase(it);
			completed++;
			CU_ASSERT(r.drv.check_invariant());
			CU_ASSERT_EQUAL(r.drv.in_use() + r.drv.num_free(), NUM);
		}
		CU_ASSERT(!bad);
	};

	for (int step = 0; step < 300; step++) {
		unsigned out = 1 + next(3), in = next(4);
		bool indirect = next(3) == 0;
		std::vector<segment> sg;
		for (unsigned i = 0; i < out + in; i++)
			sg.push_back({r.data_pa + 1024 * i + 8 * next(64), 1 + next(300), i >= out});
		int head = r.drv.add_buf(sg, out, indirect);
		CU_ASSERT(r.drv.check_invariant());
		CU_ASSERT_EQUAL(r.drv.in_use() + r.drv.num_free(), NUM);
		if (head == -ENOSPC) {
			enospc++;
			settle();
			continue;
		}
		CU_ASSERT_FATAL(head >= 0 && !in_flight.count(static_cast<uint16_t>(head)));
		in_flight[static_cast<uint16_t>(head)] = sg;
		added++;
		if (next(4) == 0)
			settle();
	}
	settle();
	CU_ASSERT(in_flight.empty());
	CU_ASSERT_EQUAL(added, completed);
	CU_ASSERT(enospc > 0 && added > 100); // the sequence did exercise a full ring
	CU_ASSERT_EQUAL(r.drv.num_free(), NUM);
	CU_ASSERT_EQUAL(e.used_idx(), r.drv.avail_idx());
	CU_ASSERT(!e.broken() && e.protocol_errors() == 0);
	CU_ASSERT(g_sink->findings.empty());
}

void t_engine_config_check_bad(void)
{
	vq::engine_config c;
	c.clock_period = sc_time(1, SC_NS);
	c.ring_pa = 0x10000;
	CU_ASSERT(vq::check_config(c).empty());
	vq::engine_config z = c;
	z.clock_period = sc_core::SC_ZERO_TIME;
	CU_ASSERT(vq::check_config(z).find("clock_period") != std::string::npos);
	for (uint32_t q : {0u, 3u, 100u, 65536u}) {
		vq::engine_config b = c;
		b.queue_size = q;
		CU_ASSERT(vq::check_config(b).find("queue_size") != std::string::npos);
	}
	for (uint32_t q : {1u, 2u, 256u, 32768u}) {
		vq::engine_config b = c;
		b.queue_size = q;
		CU_ASSERT(vq::check_config(b).empty());
	}
	vq::engine_config a = c;
	a.ring_pa = 0x10800; // not 4096-aligned
	CU_ASSERT(vq::check_config(a).find("ring_pa") != std::string::npos);
	a.ring_align = 8;
	CU_ASSERT(vq::check_config(a).find("ring_align") != std::string::npos);
	a.ring_align = 3000;
	CU_ASSERT(vq::check_config(a).find("ring_align") != std::string::npos);
	for (uint32_t w : {0u, 1025u}) {
		vq::engine_config b = c;
		b.workers = w;
		CU_ASSERT(vq::check_config(b).find("workers") != std::string::npos);
	}
	vq::engine_config o = c;
	o.ring_pa = ~0ull & ~4095ull;
	CU_ASSERT(vq::check_config(o).find("no room") != std::string::npos);
}

void t_engine_stats(void)
{
	vq::device_engine &e = g_rig->eng;
	CU_ASSERT(e.chains_served() > 100);
	CU_ASSERT(e.descriptors_read() >= e.chains_served());
	CU_ASSERT(e.interrupts_seen() == e.interrupts_raised());
	CU_ASSERT(e.interrupts_suppressed() == 2);
	CU_ASSERT(e.completions() == e.chains_served());
	CU_ASSERT(e.backend_bytes_read() > 0 && e.backend_bytes_written() > 0);
	CU_ASSERT(e.used_idx() == e.last_avail_idx());
	CU_ASSERT(g_mem->end_of_run_checks() == 0);
}

} // namespace

int main()
{
	gsl_set_error_handler_off();
	rs_test::test_sink sink;
	gmm::guest_memory mem("mem", rs_test::memory_config(NR_FRAMES, PS, DMA_LAT), sink);
	vq_test::passthrough_bus bus("bus");
	bus.memory.bind(mem.dma);

	vq::engine_config cfg;
	cfg.queue_size = NUM;
	cfg.indirect = true;
	cfg.kick_latency_cycles = KICK;
	cfg.desc_fetch_cycles = FETCH;
	cfg.irq_latency_cycles = IRQ;
	cfg.clock_period = sc_time(1, SC_NS);
	// Elaborate once for the whole suite: SystemC allows no new modules after sc_start.
	vq_test::rig rig("vq", mem, bus, sink, cfg);
	vq::engine_config cfg1 = cfg;
	cfg1.workers = 1;
	vq_test::rig rig1("vq1", mem, bus, sink, cfg1);
	vq::engine_config cfg_ev = cfg;
	cfg_ev.event_idx = true;
	vq_test::rig rig_ev("vq_ev", mem, bus, sink, cfg_ev);
	g_sink = &sink;
	g_mem = &mem;
	g_rig = &rig;
	g_rig1 = &rig1;
	g_rig_ev = &rig_ev;
	run_cycles(1); // past initialization: every thread waits for its first event

	static const rs_test::test_entry tests[] = {
		{"t_engine_direct_chain", t_engine_direct_chain},
		{"t_engine_indirect_chain", t_engine_indirect_chain},
		{"t_engine_irq_per_pdu", t_engine_irq_per_pdu},
		{"t_engine_out_of_order", t_engine_out_of_order},
		{"t_engine_one_worker_in_order", t_engine_one_worker_in_order},
		{"t_engine_event_idx", t_engine_event_idx},
		{"t_engine_no_interrupt_suppressed", t_engine_no_interrupt_suppressed},
		{"t_engine_kick_race", t_engine_kick_race},
		{"t_engine_kick_while_busy", t_engine_kick_while_busy},
		{"t_engine_ring_invariant", t_engine_ring_invariant},
		{"t_engine_config_check_bad", t_engine_config_check_bad},
		{"t_engine_stats", t_engine_stats},
		{nullptr, nullptr},
	};
	return rs_test::run_suite("virtqueue_engine", tests);
}
