// SPDX-License-Identifier: GPL-2.0-only
// blkback against a tiny frontend that fills the shared ring in guest memory: responses and
// the bytes that land in guest memory (reads) or reach the disk (writes, integrity-checked),
// segments worked out by hand from (offset, len) pairs, indirect requests, persistent-grant
// reuse, map and unmap counts without persistent grants, the completion cycle worked out by
// hand, one notification per batch, a multi-page ring that wraps, flushes, and the LRU purge.
#include <cstring>
#include <vector>

#include <gsl/gsl_errno.h>
#include <systemc>

#include "blkif_frontend.h"
#include "blkif_ring/blkback.h"
#include "common/content.h"
#include "guest_mm/guest_memory.h"
#include "test_support.h"

using blkif_test::now_cycles;
using blkif_test::run_cycles;
using blkif_test::seg;
using sc_core::SC_NS;
using sc_core::sc_time;

namespace {

// Guest memory: 4096 frames of 4 KiB at 1 GHz; each DMA costs 10 + ceil(len / 16) cycles.
constexpr uint64_t PS = 4096;
constexpr uint64_t NR_FRAMES = 4096;
constexpr uint32_t DMA_LAT = 10;
// Backend, grant table and disk costs, small and distinct so sums are checkable.
constexpr uint32_t KICK = 100, IRQ = 200, REQ = 50, MAP = 30, UNMAP = 40;
constexpr uint64_t DISK_LAT = 1000, CPK = 64; // 4 KiB moves in 256 cycles
constexpr uint64_t BACKOFF = 5000, LRU = 50000;
constexpr uint64_t CAPACITY = 1 << 20; // sectors

constexpr uint64_t d(uint64_t len) // one DMA of @len bytes
{
	return DMA_LAT + (len + 15) / 16;
}

rs_test::test_sink *g_sink;
gmm::guest_memory *g_mem;
blkif_test::rig *g_p; // persistent grants, 4 ring pages
blkif_test::rig *g_n; // no persistent grants, 1 ring page
blkif_test::rig *g_l; // persistent, max_pgrants 100: the LRU purge

// First data gref of each test's grants (the ring uses 8..11).
constexpr grant_ref_t G = 100;

uint64_t stream(blkif_test::rig &r)
{
	return r.disk.cfg().stream;
}

// Fill [pa, pa + len) with the disk's content at byte address @addr.
void fill_content(blkif_test::rig &r, uint64_t pa, uint64_t addr, size_t len)
{
	std::vector<uint8_t> b(len);
	rs_models::content_fill(stream(r), addr, b.data(), len);
	g_mem->memory().write(pa, b.data(), len);
}

// Bytes of [pa, pa + len) that differ from the disk's content at @addr.
uint64_t content_diff(blkif_test::rig &r, uint64_t pa, uint64_t addr, size_t len)
{
	std::vector<uint8_t> b(len);
	g_mem->memory().read(pa, b.data(), len);
	return rs_models::content_mismatches(stream(r), addr, b.data(), len);
}

bool all_zero(uint64_t pa, size_t len)
{
	std::vector<uint8_t> b(len);
	g_mem->memory().read(pa, b.data(), len);
	for (uint8_t x : b)
		if (x)
			return false;
	return true;
}

// Takes every response and re-arms rsp_event, as blkif_interrupt's final check does.
std::vector<blkif_response> reap(blkif_test::rig &r)
{
	std::vector<blkif_response> v = r.fe.responses();
	r.fe.rearm();
	return v;
}

// Grants data frames [first, first + n) of @r as grefs G + first ...
void grant_data(blkif_test::rig &r, unsigned first, unsigned n, grant_ref_t base = G)
{
	for (unsigned i = first; i < first + n; i++)
		r.fe.grant(base + i, r.data[i]);
}

void t_blkback_connect(void)
{
	for (blkif_test::rig *r : {g_p, g_n, g_l}) {
		CU_ASSERT_EQUAL(r->connect_rc, 0);
		CU_ASSERT(r->back.connected());
		CU_ASSERT(!r->back.broken());
		// The ring pages are mapped writable: Xen set reading and writing in their entries.
		for (size_t i = 0; i < r->ring_pa.size(); i++)
			CU_ASSERT_EQUAL(r->fe.flags(blkif_test::rig::RING_GREF + i),
					GTF_permit_access | GTF_reading | GTF_writing);
		CU_ASSERT_EQUAL(r->gnttab.active_maps(), r->ring_pa.size());
		CU_ASSERT_EQUAL(r->back.statistics().grant_maps, 0u); // the ring's are not counted
	}
	CU_ASSERT_EQUAL(g_p->back.ring_size(), 128u); // 4 pages
	CU_ASSERT_EQUAL(g_n->back.ring_size(), 32u);
	CU_ASSERT(g_p->back.persistent_in_use() && !g_n->back.persistent_in_use());
	CU_ASSERT(g_sink->findings.empty());
}

// One READ of one whole 4 KiB frame on the non-persistent backend, every cycle accounted.
void t_blkback_read_timing(void)
{
	blkif_test::rig &r = *g_n;
	grant_data(r, 0, 1);
	uint64_t sector = 64;
	r.fe.queue(blkif_test::rw_request(BLKIF_OP_READ, 0x51, sector, {{G, 0, 7}}));
	size_t irq0 = r.irq_cycles.size();
	uint64_t t0 = now_cycles();
	RING_IDX slot = r.back.req_cons();
	std::vector<blkif::blkback::served_request> served;
	r.back.set_served([&served](const blkif::blkback::served_request &s) {
		served.push_back(s);
	});
	CU_ASSERT(r.push_and_kick()); // req_event is 1: the first push notifies
	run_cycles(5000);

	// The backend notices the kick at t0 + 100, then:
	//   req_prod 4 B                 11        -> 111
	//   the request slot 112 B       17        -> 128
	//   request_cycles               50        -> 178
	//   map: entry 8 B, flags 2 B    11 + 11   -> 200, + map_cycles 30 -> 230
	//   submitted to the disk at 230: 256 of transfer, 1000 of latency -> ready at 1486
	//   (meanwhile the final check: req_prod, req_event = 2, req_prod: 3 x 11, to 263)
	//   4096 B into the guest frame  10 + 256  -> 1752
	//   unmap: flags read and write  11 + 11   -> 1774, + unmap_cycles 40 -> 1814
	//   the response 16 B            11        -> 1825
	//   rsp_prod 4 B                 11        -> 1836
	//   rsp_event 4 B                11        -> 1847: 1 is in (0, 1]: notify
	//   + irq latency                200       -> 2047: the guest sees it
	uint64_t submit = KICK + d(4) + d(112) + REQ + d(8) + d(2) + MAP;
	CU_ASSERT_EQUAL(submit, 230u);
	uint64_t ready = submit + 4096 * CPK / 1024 + DISK_LAT;
	CU_ASSERT_EQUAL(ready, 1486u);
	uint64_t seen = ready + d(4096) + 2 * d(2) + UNMAP + d(16) + d(4) + d(4) + IRQ;
	CU_ASSERT_EQUAL(seen, 2047u);
	CU_ASSERT_EQUAL_FATAL(r.irq_cycles.size(), irq0 + 1);
	CU_ASSERT_EQUAL(r.irq_cycles.back(), t0 + seen);
	// Its service, as ringsim's phases take it: off the ring when the slot was read (128),
	// answered once the response is published and rsp_event read (1847).
	r.back.set_served(nullptr);
	CU_ASSERT_EQUAL_FATAL(served.size(), 1u);
	CU_ASSERT_EQUAL(served[0].slot, slot);
	CU_ASSERT_EQUAL(served[0].id, 0x51u);
	CU_ASSERT_EQUAL(served[0].operation, BLKIF_OP_READ);
	CU_ASSERT_EQUAL(served[0].status, BLKIF_RSP_OKAY);
	CU_ASSERT_EQUAL(served[0].consumed, t0 + KICK + d(4) + d(112));
	CU_ASSERT_EQUAL(served[0].responded, t0 + seen - IRQ);

	std::vector<blkif_response> rsp = reap(r);
	CU_ASSERT_EQUAL_FATAL(rsp.size(), 1u);
	CU_ASSERT_EQUAL(rsp[0].id, 0x51u);
	CU_ASSERT_EQUAL(rsp[0].operation, BLKIF_OP_READ);
	CU_ASSERT_EQUAL(rsp[0].status, BLKIF_RSP_OKAY);
	CU_ASSERT_EQUAL(content_diff(r, r.data[0], sector * 512, PS), 0u);
	CU_ASSERT_EQUAL(r.fe.get32(BLKIF_SRING_OFF_REQ_EVENT), 2u); // the backend re-armed
	CU_ASSERT_EQUAL(r.back.req_cons(), 1u);
	CU_ASSERT_EQUAL(r.back.rsp_prod_pvt(), 1u);
	CU_ASSERT(!r.fe.foreign_access(G)); // unmapped: the guest may end access
	CU_ASSERT(g_sink->findings.empty());
}

// A write whose buffer is (offset 3584, len 5120) in a run of frames, split as
// gnttab_foreach_grant_in_range() splits it (kernel-facts B.3): 512 bytes at the end of frame
// 0 (sectors 7..7), frame 1 whole (0..7), 512 bytes at the start of frame 2 (0..0).
void t_blkback_write_segments(void)
{
	blkif_test::rig &r = *g_p;
	grant_data(r, 0, 3);
	uint64_t sector = 1000, addr = sector * 512;
	fill_content(r, r.data[0] + 3584, addr, 512);
	fill_content(r, r.data[1], addr + 512, 4096);
	fill_content(r, r.data[2], addr + 4608, 512);
	const blkif::disk_stats &ds = r.disk.statistics();
	uint64_t checked0 = ds.integrity_checked, bad0 = ds.integrity_mismatches;
	uint64_t wr0 = r.back.statistics().write_bytes, maps0 = r.back.statistics().grant_maps;

	r.fe.queue(blkif_test::rw_request(BLKIF_OP_WRITE, 7, sector, {{G, 7, 7}, {G + 1, 0, 7},
									   {G + 2, 0, 0}}));
	r.push_and_kick();
	run_cycles(5000);
	std::vector<blkif_response> rsp = reap(r);
	CU_ASSERT_EQUAL_FATAL(rsp.size(), 1u);
	CU_ASSERT(rsp[0].id == 7 && rsp[0].operation == BLKIF_OP_WRITE &&
		  rsp[0].status == BLKIF_RSP_OKAY);
	CU_ASSERT_EQUAL(ds.integrity_checked, checked0 + 5120);
	CU_ASSERT_EQUAL(ds.integrity_mismatches, bad0);
	CU_ASSERT_EQUAL(r.back.statistics().write_bytes, wr0 + 5120);
	CU_ASSERT_EQUAL(r.back.statistics().grant_maps, maps0 + 3);

	// The same layout with one byte wrong in the middle frame: one mismatch.
	uint8_t x;
	g_mem->memory().read(r.data[1] + 100, &x, 1);
	x ^= 0x5a;
	g_mem->memory().write(r.data[1] + 100, &x, 1);
	r.fe.queue(blkif_test::rw_request(BLKIF_OP_WRITE, 8, sector, {{G, 7, 7}, {G + 1, 0, 7},
									   {G + 2, 0, 0}}));
	r.push_and_kick();
	run_cycles(5000);
	rsp = reap(r);
	CU_ASSERT(rsp.size() == 1 && rsp[0].status == BLKIF_RSP_OKAY);
	CU_ASSERT_EQUAL(ds.integrity_checked, checked0 + 2 * 5120);
	CU_ASSERT_EQUAL(ds.integrity_mismatches, bad0 + 1);
	// Heal the disk for later tests.
	fill_content(r, r.data[1], addr + 512, 4096);
	r.fe.queue(blkif_test::rw_request(BLKIF_OP_WRITE, 9, sector + 1, {{G + 1, 0, 7}}));
	r.push_and_kick();
	run_cycles(5000);
	reap(r);
	CU_ASSERT_EQUAL(r.disk.corrupt_sectors(), 0u);
	CU_ASSERT(g_sink->findings.empty());
}

// A read into the same (offset 3584, len 5120) layout: the bytes land exactly there and
// nowhere else.
void t_blkback_read_segments(void)
{
	blkif_test::rig &r = *g_p;
	grant_data(r, 3, 3);
	for (unsigned i = 3; i < 6; i++)
		g_mem->memory().zero(r.data[i], PS);
	uint64_t sector = 2000, addr = sector * 512;
	r.fe.queue(blkif_test::rw_request(BLKIF_OP_READ, 11, sector,
					  {{G + 3, 7, 7}, {G + 4, 0, 7}, {G + 5, 0, 0}}));
	r.push_and_kick();
	run_cycles(5000);
	std::vector<blkif_response> rsp = reap(r);
	CU_ASSERT_EQUAL_FATAL(rsp.size(), 1u);
	CU_ASSERT(rsp[0].id == 11 && rsp[0].status == BLKIF_RSP_OKAY);
	CU_ASSERT_EQUAL(content_diff(r, r.data[3] + 3584, addr, 512), 0u);
	CU_ASSERT_EQUAL(content_diff(r, r.data[4], addr + 512, 4096), 0u);
	CU_ASSERT_EQUAL(content_diff(r, r.data[5], addr + 4608, 512), 0u);
	CU_ASSERT(all_zero(r.data[3], 3584));
	CU_ASSERT(all_zero(r.data[5] + 512, PS - 512));
	CU_ASSERT(g_sink->findings.empty());
}

// An indirect READ of 20 whole frames through one indirect page; the response carries
// BLKIF_OP_READ, not BLKIF_OP_INDIRECT (blkback answers with pending_req->operation).
void t_blkback_read_indirect(void)
{
	blkif_test::rig &r = *g_n;
	const unsigned N = 20;
	grant_data(r, 1, N); // grefs G+1 .. G+20 on data[1..20]
	uint64_t ind = r.data[30];
	grant_ref_t ind_gref = G + 30;
	r.fe.grant(ind_gref, ind);
	std::vector<blkif_request_segment> segs(N);
	for (unsigned i = 0; i < N; i++) {
		segs[i].gref = G + 1 + i;
		segs[i].first_sect = 0;
		segs[i].last_sect = 7;
	}
	g_mem->memory().write(ind, segs.data(), N * sizeof(segs[0]));
	for (unsigned i = 1; i <= N; i++)
		g_mem->memory().zero(r.data[i], PS);
	blkif::backend_stats s0 = r.back.statistics();
	uint64_t sector = 4096;
	r.fe.queue(blkif_test::indirect_request(BLKIF_OP_READ, 0x77, sector, N, {ind_gref}));
	r.push_and_kick();
	run_cycles(20000);
	std::vector<blkif_response> rsp = reap(r);
	CU_ASSERT_EQUAL_FATAL(rsp.size(), 1u);
	CU_ASSERT_EQUAL(rsp[0].id, 0x77u);
	CU_ASSERT_EQUAL(rsp[0].operation, BLKIF_OP_READ);
	CU_ASSERT_EQUAL(rsp[0].status, BLKIF_RSP_OKAY);
	for (unsigned i = 0; i < N; i++)
		CU_ASSERT_EQUAL(content_diff(r, r.data[1 + i], (sector + 8 * i) * 512, PS), 0u);
	const blkif::backend_stats &s = r.back.statistics();
	CU_ASSERT_EQUAL(s.indirect_requests, s0.indirect_requests + 1);
	CU_ASSERT_EQUAL(s.indirect_frames, s0.indirect_frames + 1);
	CU_ASSERT_EQUAL(s.segments, s0.segments + N);
	CU_ASSERT_EQUAL(s.read_bytes, s0.read_bytes + N * PS);
	// No persistent grants: the indirect page and every segment mapped and unmapped once.
	CU_ASSERT_EQUAL(s.grant_maps, s0.grant_maps + N + 1);
	CU_ASSERT_EQUAL(s.grant_unmaps, s0.grant_unmaps + N + 1);
	CU_ASSERT(!r.fe.foreign_access(ind_gref) && !r.fe.foreign_access(G + 1));
	CU_ASSERT_EQUAL(r.gnttab.active_maps(), 1u); // the ring only
	CU_ASSERT(g_sink->findings.empty());
}

// Without persistent grants a write maps read-only (the disk only reads the frame) and
// unmaps after: maps == unmaps == segments, entries back to plain GTF_permit_access.
void t_blkback_nonpersistent_counts(void)
{
	blkif_test::rig &r = *g_n;
	grant_data(r, 40, 3);
	uint64_t sector = 9000;
	for (unsigned i = 0; i < 3; i++)
		fill_content(r, r.data[40 + i], (sector + 8 * i) * 512, PS);
	blkif::backend_stats s0 = r.back.statistics();
	uint64_t gmaps0 = r.gnttab.maps(), gunmaps0 = r.gnttab.unmaps();
	for (int k = 0; k < 2; k++) {
		r.fe.queue(blkif_test::rw_request(BLKIF_OP_WRITE, 20 + k, sector,
						  {{G + 40, 0, 7}, {G + 41, 0, 7}, {G + 42, 0, 7}}));
		r.push_and_kick();
		run_cycles(5000);
		std::vector<blkif_response> rsp = reap(r);
		CU_ASSERT(rsp.size() == 1 && rsp[0].status == BLKIF_RSP_OKAY);
	}
	const blkif::backend_stats &s = r.back.statistics();
	CU_ASSERT_EQUAL(s.grant_maps, s0.grant_maps + 6);
	CU_ASSERT_EQUAL(s.grant_unmaps, s0.grant_unmaps + 6);
	CU_ASSERT_EQUAL(s.pgrant_hits, 0u);
	CU_ASSERT_EQUAL(s.pgrants, 0u);
	CU_ASSERT_EQUAL(r.gnttab.maps(), gmaps0 + 6);
	CU_ASSERT_EQUAL(r.gnttab.unmaps(), gunmaps0 + 6);
	for (grant_ref_t g = G + 40; g < G + 43; g++)
		CU_ASSERT_EQUAL(r.fe.flags(g), GTF_permit_access);
	CU_ASSERT_EQUAL(r.disk.statistics().integrity_mismatches, 0u);
	CU_ASSERT(g_sink->findings.empty());
}

// With persistent grants the second request on the same grefs maps nothing: the backend
// keeps them mapped (writable) and the guest sees GTF_reading | GTF_writing stay set.
void t_blkback_persistent_reuse(void)
{
	blkif_test::rig &r = *g_p;
	grant_data(r, 50, 4);
	blkif::backend_stats s0 = r.back.statistics();
	uint64_t gmaps0 = r.gnttab.maps();
	std::vector<seg> segs = {{G + 50, 0, 7}, {G + 51, 0, 7}, {G + 52, 2, 3}, {G + 53, 0, 7}};
	r.fe.queue(blkif_test::rw_request(BLKIF_OP_READ, 30, 3000, segs));
	r.push_and_kick();
	run_cycles(5000);
	CU_ASSERT_EQUAL(reap(r).size(), 1u);
	const blkif::backend_stats &s = r.back.statistics();
	CU_ASSERT_EQUAL(s.grant_maps, s0.grant_maps + 4);
	CU_ASSERT_EQUAL(s.grant_unmaps, s0.grant_unmaps);
	CU_ASSERT_EQUAL(s.pgrants, s0.pgrants + 4);
	for (grant_ref_t g = G + 50; g < G + 54; g++)
		CU_ASSERT_EQUAL(r.fe.flags(g), GTF_permit_access | GTF_reading | GTF_writing);

	// Same grefs, another sector: served from the cache.
	for (unsigned i = 50; i < 54; i++)
		g_mem->memory().zero(r.data[i], PS);
	r.fe.queue(blkif_test::rw_request(BLKIF_OP_READ, 31, 3100, segs));
	r.push_and_kick();
	run_cycles(5000);
	std::vector<blkif_response> rsp = reap(r);
	CU_ASSERT(rsp.size() == 1 && rsp[0].id == 31 && rsp[0].status == BLKIF_RSP_OKAY);
	CU_ASSERT_EQUAL(s.grant_maps, s0.grant_maps + 4);
	CU_ASSERT_EQUAL(r.gnttab.maps(), gmaps0 + 4);
	CU_ASSERT_EQUAL(s.pgrant_hits, s0.pgrant_hits + 4);
	CU_ASSERT_EQUAL(content_diff(r, r.data[50], 3100 * 512, PS), 0u);
	CU_ASSERT_EQUAL(content_diff(r, r.data[52] + 1024, (3100 + 16) * 512, 1024), 0u);
	CU_ASSERT(all_zero(r.data[52], 1024));
	CU_ASSERT(s.pgrants_max >= s.pgrants);
	CU_ASSERT(g_sink->findings.empty());
}

// Three requests in one push: one kick, three responses, one notification (rsp_event asks
// for the first; the frontend re-arms only after it consumed them).
void t_blkback_batch_one_notify(void)
{
	blkif_test::rig &r = *g_n;
	grant_data(r, 60, 3);
	blkif::backend_stats s0 = r.back.statistics();
	size_t irq0 = r.irq_cycles.size();
	for (unsigned i = 0; i < 3; i++)
		r.fe.queue(blkif_test::rw_request(BLKIF_OP_READ, 40 + i, 500 + 8 * i,
						  {{G + 60 + i, 0, 7}}));
	CU_ASSERT(r.push_and_kick());
	run_cycles(10000);
	std::vector<blkif_response> rsp = reap(r);
	CU_ASSERT_EQUAL_FATAL(rsp.size(), 3u);
	for (unsigned i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(rsp[i].id, 40u + i); // the disk completes in order
		CU_ASSERT_EQUAL(rsp[i].status, BLKIF_RSP_OKAY);
		CU_ASSERT_EQUAL(content_diff(r, r.data[60 + i], (500 + 8 * i) * 512, PS), 0u);
	}
	const blkif::backend_stats &s = r.back.statistics();
	CU_ASSERT_EQUAL(s.kicks, s0.kicks + 1);
	CU_ASSERT_EQUAL(s.irqs_raised, s0.irqs_raised + 1);
	CU_ASSERT_EQUAL(s.irqs_suppressed, s0.irqs_suppressed + 2);
	CU_ASSERT_EQUAL(r.irq_cycles.size(), irq0 + 1);
	CU_ASSERT(s.in_flight == 0 && s.in_flight_max >= 3);

	// The backend's final check left req_event = req_cons + 1: the next push notifies.
	r.fe.queue(blkif_test::rw_request(BLKIF_OP_READ, 43, 600, {{G + 60, 0, 7}}));
	r.fe.queue(blkif_test::rw_request(BLKIF_OP_READ, 44, 608, {{G + 61, 0, 7}}));
	CU_ASSERT(r.push_and_kick()); // req_event = req_cons + 1: in (old, new]
	run_cycles(10000);
	CU_ASSERT_EQUAL(reap(r).size(), 2u);
	CU_ASSERT(g_sink->findings.empty());
}

// A 4-page ring (128 slots): 200 requests in rounds wrap it, and slot 72 straddles ring pages
// 1 and 2 (64 + 112 * 72 = 8128). Each request of a round has its own grant: a persistent
// grant is never in two requests in flight (blkfront never does that).
void t_blkback_ring_wrap(void)
{
	blkif_test::rig &r = *g_p;
	grant_data(r, 100, 50);
	unsigned served = 0;
	for (unsigned round = 0; round < 4; round++) {
		for (unsigned i = 0; i < 50; i++)
			r.fe.queue(blkif_test::rw_request(BLKIF_OP_READ, 1000 + round * 50 + i, 16 + i,
							  {{G + 100 + i, 1, 1}}));
		CU_ASSERT(r.fe.free_requests() <= r.fe.size());
		r.push_and_kick();
		run_cycles(60000);
		std::vector<blkif_response> rsp = reap(r);
		CU_ASSERT_EQUAL(rsp.size(), 50u);
		for (unsigned i = 0; i < rsp.size(); i++) {
			CU_ASSERT_EQUAL(rsp[i].id, 1000u + round * 50 + i);
			CU_ASSERT_EQUAL(rsp[i].status, BLKIF_RSP_OKAY);
			served += rsp[i].status == BLKIF_RSP_OKAY;
		}
	}
	CU_ASSERT_EQUAL(served, 200u);
	CU_ASSERT_EQUAL(r.fe.free_requests(), r.fe.size());
	// Request i of each round read sector 16 + i into sector 1 of data[100 + i].
	for (unsigned i = 0; i < 50; i++)
		CU_ASSERT_EQUAL(content_diff(r, r.data[100 + i] + 512, (16 + i) * 512, 512), 0u);
	CU_ASSERT(g_sink->findings.empty());
}

// FLUSH_DISKCACHE with no segments, and WRITE_BARRIER with data after writes in flight.
void t_blkback_flush(void)
{
	blkif_test::rig &r = *g_n;
	grant_data(r, 80, 2);
	fill_content(r, r.data[80], 7000 * 512, PS);
	fill_content(r, r.data[81], 7008 * 512, PS);
	uint64_t fl0 = r.disk.statistics().flushes, bad0 = r.disk.statistics().integrity_mismatches;
	blkif::backend_stats s0 = r.back.statistics();
	r.fe.queue(blkif_test::rw_request(BLKIF_OP_FLUSH_DISKCACHE, 50, 0, {}));
	r.fe.queue(blkif_test::rw_request(BLKIF_OP_WRITE, 51, 7000, {{G + 80, 0, 7}}));
	r.fe.queue(blkif_test::rw_request(BLKIF_OP_WRITE_BARRIER, 52, 7008, {{G + 81, 0, 7}}));
	r.push_and_kick();
	run_cycles(20000);
	std::vector<blkif_response> rsp = reap(r);
	CU_ASSERT_EQUAL_FATAL(rsp.size(), 3u);
	CU_ASSERT(rsp[0].id == 50 && rsp[0].operation == BLKIF_OP_FLUSH_DISKCACHE &&
		  rsp[0].status == BLKIF_RSP_OKAY);
	CU_ASSERT(rsp[1].id == 51 && rsp[1].status == BLKIF_RSP_OKAY);
	CU_ASSERT(rsp[2].id == 52 && rsp[2].operation == BLKIF_OP_WRITE_BARRIER &&
		  rsp[2].status == BLKIF_RSP_OKAY);
	CU_ASSERT_EQUAL(r.disk.statistics().flushes, fl0 + 2);
	CU_ASSERT_EQUAL(r.disk.statistics().integrity_mismatches, bad0);
	CU_ASSERT_EQUAL(r.back.statistics().flushes, s0.flushes + 2);
	CU_ASSERT_EQUAL(r.back.statistics().write_bytes, s0.write_bytes + 2 * PS);
	CU_ASSERT(g_sink->findings.empty());
}

// The LRU purge (max_pgrants 100, LRU_PERCENT_CLEAN 5): an indirect request of 110 one-sector
// segments fills the cache (the indirect page and the first 99 data grants) and maps the last
// 11 for itself only, which marks the overflow. After LRU_INTERVAL the next pass purges
// 100 / 100 * 5 = 5 grants: none is unused since a purge yet, so the second scan takes the
// five lowest grefs not in flight.
void t_blkback_lru_purge(void)
{
	blkif_test::rig &r = *g_l;
	const unsigned N = 110;
	const grant_ref_t IND = 199, D = 200; // data grefs 200..309 on data[0..109]
	r.fe.grant(IND, r.data[N]);
	std::vector<blkif_request_segment> segs(N);
	for (unsigned i = 0; i < N; i++) {
		r.fe.grant(D + i, r.data[i]);
		segs[i].gref = D + i;
		segs[i].first_sect = 0;
		segs[i].last_sect = 0;
	}
	g_mem->memory().write(r.data[N], segs.data(), N * sizeof(segs[0]));
	r.fe.queue(blkif_test::indirect_request(BLKIF_OP_READ, 60, 0, N, {IND}));
	r.push_and_kick();
	run_cycles(40000);
	std::vector<blkif_response> rsp = reap(r);
	CU_ASSERT_EQUAL_FATAL(rsp.size(), 1u);
	CU_ASSERT_EQUAL(rsp[0].status, BLKIF_RSP_OKAY);
	const blkif::backend_stats &s = r.back.statistics();
	CU_ASSERT_EQUAL(s.pgrants, 100u);
	CU_ASSERT_EQUAL(s.grant_maps, 111u);
	CU_ASSERT_EQUAL(s.grant_unmaps, 11u); // data grefs 299..309
	CU_ASSERT(r.fe.foreign_access(IND) && r.fe.foreign_access(D + 98));
	CU_ASSERT(!r.fe.foreign_access(D + 99) && !r.fe.foreign_access(D + 109));
	// No purge yet: either LRU_INTERVAL had not passed, or every cached grant was in flight.
	CU_ASSERT_EQUAL(s.pgrants_purged, 0u);
	for (unsigned i = 0; i < N; i++)
		CU_ASSERT_EQUAL(content_diff(r, r.data[i], uint64_t(i) * 512, 512), 0u);

	// Past LRU_INTERVAL since the last look, one more request: purge after its pass.
	run_cycles(LRU + 1000);
	r.fe.queue(blkif_test::rw_request(BLKIF_OP_READ, 61, 0, {{D + 50, 0, 0}}));
	r.push_and_kick();
	run_cycles(5000);
	CU_ASSERT_EQUAL(reap(r).size(), 1u);
	CU_ASSERT_EQUAL(s.pgrant_hits, 1u);
	CU_ASSERT_EQUAL(s.pgrants_purged, 5u);
	CU_ASSERT_EQUAL(s.pgrants, 95u);
	CU_ASSERT_EQUAL(s.grant_unmaps, 16u);
	for (grant_ref_t g : {IND, D, D + 1, D + 2, D + 3})
		CU_ASSERT(!r.fe.foreign_access(g));
	CU_ASSERT(r.fe.foreign_access(D + 4) && r.fe.foreign_access(D + 50));
	CU_ASSERT_EQUAL(r.gnttab.active_maps(), 95u + 1); // and the ring

	// A purged gref is mapped anew (the cache has room again), without another purge.
	run_cycles(LRU);
	r.fe.queue(blkif_test::rw_request(BLKIF_OP_READ, 62, 0, {{D + 1, 0, 0}}));
	r.push_and_kick();
	run_cycles(5000);
	CU_ASSERT_EQUAL(reap(r).size(), 1u);
	CU_ASSERT_EQUAL(s.grant_maps, 112u);
	CU_ASSERT_EQUAL(s.pgrants, 96u);
	CU_ASSERT_EQUAL(s.pgrants_purged, 5u);
	CU_ASSERT(g_sink->findings.empty());
}

void t_blkback_stats(void)
{
	const blkif::backend_stats &s = g_n->back.statistics();
	CU_ASSERT_EQUAL(s.requests, s.responses);
	CU_ASSERT_EQUAL(s.requests, s.reads + s.writes + s.flushes + s.errors + s.unsupported);
	CU_ASSERT_EQUAL(s.irqs_raised, s.irqs_seen);
	CU_ASSERT_EQUAL(s.irqs_raised + s.irqs_suppressed, s.responses);
	CU_ASSERT_EQUAL(s.errors + s.unsupported, 0u);
	CU_ASSERT_EQUAL(g_n->back.req_cons(), g_n->back.rsp_prod_pvt());
	CU_ASSERT_EQUAL(s.in_flight, 0u);
}

blkif::backend_config back_cfg(bool persistent, uint32_t max_pgrants)
{
	blkif::backend_config c;
	c.persistent = persistent;
	c.max_pgrants = max_pgrants;
	c.lru_interval_cycles = LRU;
	c.kick_latency_cycles = KICK;
	c.irq_latency_cycles = IRQ;
	c.request_cycles = REQ;
	c.error_backoff_cycles = BACKOFF;
	c.clock_period = sc_time(1, SC_NS);
	return c;
}

// XB-5: a grant maps the whole 4 KiB frame. Frame 95 full of 0xaa written through sectors
// 2..3: 4096 - 2 x 512 = 3072 bytes of someone else's exposed; frame 96 full of 0xaa read as
// a whole (0..7): nothing outside; frame 97 zeroed, sectors 2..3: zeros expose nothing.
void t_blkback_stale_bytes_exposed(void)
{
	blkif_test::rig &r = *g_n;
	std::vector<uint8_t> aa(PS, 0xaa);
	grant_data(r, 95, 3);
	g_mem->memory().write(r.data[95], aa.data(), PS);
	g_mem->memory().write(r.data[96], aa.data(), PS);
	g_mem->memory().zero(r.data[97], PS);
	blkif::backend_stats s0 = r.back.statistics();
	size_t f0 = g_sink->count("blkif_stale_bytes_exposed");

	r.fe.queue(blkif_test::rw_request(BLKIF_OP_WRITE, 40, 3000, {{G + 95, 2, 3}}));
	r.fe.queue(blkif_test::rw_request(BLKIF_OP_READ, 41, 3100, {{G + 96, 0, 7}}));
	r.fe.queue(blkif_test::rw_request(BLKIF_OP_WRITE, 42, 3200, {{G + 97, 2, 3}}));
	r.push_and_kick();
	run_cycles(20000);
	std::vector<blkif_response> rsp = reap(r);
	CU_ASSERT_EQUAL(rsp.size(), 3u);
	const blkif::backend_stats &s = r.back.statistics();
	CU_ASSERT_EQUAL(s.stale_bytes_exposed - s0.stale_bytes_exposed, 3072u);
	CU_ASSERT_EQUAL(s.stale_requests - s0.stale_requests, 1u);
	CU_ASSERT_EQUAL(g_sink->count("blkif_stale_bytes_exposed") - f0, 1u);
	const rs_models::finding *f = g_sink->first("blkif_stale_bytes_exposed");
	CU_ASSERT_FATAL(f != nullptr);
	CU_ASSERT(f->detail.find("3072 bytes of the 1 granted frame(s)") == 0);
	CU_ASSERT(f->sev == rs_models::finding::severity::warn);
}

} // namespace

int main()
{
	gsl_set_error_handler_off();
	rs_test::test_sink sink;
	gmm::guest_memory mem("mem", rs_test::memory_config(NR_FRAMES, PS, DMA_LAT), sink);
	blkif_test::passthrough_bus bus("bus");
	bus.memory.bind(mem.dma);

	blkif::grant_config gcfg;
	gcfg.map_cycles = MAP;
	gcfg.unmap_cycles = UNMAP;
	gcfg.clock_period = sc_time(1, SC_NS);
	blkif::disk_config dcfg;
	dcfg.capacity_sectors = CAPACITY;
	dcfg.latency_cycles = DISK_LAT;
	dcfg.bandwidth_bytes = 1024; // CPK cycles per KiB
	dcfg.bandwidth_cycles = CPK;
	dcfg.channels = 1024;        // every request at once, as a deep device queue

	// Elaborate once for the whole suite: SystemC allows no new modules after sc_start.
	blkif_test::rig p("p", mem, bus, sink, back_cfg(true, 1056), gcfg, dcfg, 4, 200);
	blkif_test::rig n("n", mem, bus, sink, back_cfg(false, 1056), gcfg, dcfg, 1, 100);
	blkif_test::rig l("l", mem, bus, sink, back_cfg(true, 100), gcfg, dcfg, 1, 120);
	g_sink = &sink;
	g_mem = &mem;
	g_p = &p;
	g_n = &n;
	g_l = &l;
	run_cycles(1000); // the backends map their rings, then wait for kicks

	static const rs_test::test_entry tests[] = {
		{"t_blkback_connect", t_blkback_connect},
		{"t_blkback_read_timing", t_blkback_read_timing},
		{"t_blkback_write_segments", t_blkback_write_segments},
		{"t_blkback_read_segments", t_blkback_read_segments},
		{"t_blkback_read_indirect", t_blkback_read_indirect},
		{"t_blkback_nonpersistent_counts", t_blkback_nonpersistent_counts},
		{"t_blkback_persistent_reuse", t_blkback_persistent_reuse},
		{"t_blkback_batch_one_notify", t_blkback_batch_one_notify},
		{"t_blkback_ring_wrap", t_blkback_ring_wrap},
		{"t_blkback_flush", t_blkback_flush},
		{"t_blkback_lru_purge", t_blkback_lru_purge},
		{"t_blkback_stats", t_blkback_stats},
		{"t_blkback_stale_bytes_exposed", t_blkback_stale_bytes_exposed},
		{nullptr, nullptr},
	};
	return rs_test::run_suite("blkif_backend", tests);
}
