// SPDX-License-Identifier: GPL-2.0-only
// A driver that breaks the split ring protocol: each violation gets exactly one finding of
// its kind, the queue is marked broken and serves nothing more (later kicks included), and
// nothing crashes or loops. One queue per violation, all elaborated at once.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gsl/gsl_errno.h>
#include <systemc>

#include "guest_mm/guest_memory.h"
#include "test_support.h"
#include "virtqueue/device_engine.h"
#include "virtqueue_driver.h"

using sc_core::SC_NS;
using sc_core::sc_time;
using vq_test::now_cycles;
using vq_test::run_cycles;

namespace {

constexpr uint64_t PS = 4096;
constexpr uint64_t NR_FRAMES = 256;
constexpr uint32_t NUM = 8;

rs_test::test_sink *g_sink;
gmm::guest_memory *g_mem;
std::map<std::string, std::unique_ptr<vq_test::rig>> *g_rigs;

vq_test::rig &rig(const char *name)
{
	return *g_rigs->at(name);
}

void write_table(vq_test::rig &r, const std::vector<vring_desc> &entries)
{
	g_mem->memory().write(r.table_pa, entries.data(), 16 * entries.size());
}

// Kicks, runs, and checks the outcome of one violation: one finding of @kind, stamped
// @cycle cycles after the kick when non-zero, a broken queue, nothing served or signalled;
// then a valid request and a second kick change nothing but the kick count.
void expect_broken(vq_test::rig &r, const char *kind, uint64_t cycle = 0)
{
	g_sink->findings.clear();
	uint64_t t0 = now_cycles();
	r.eng.kick();
	run_cycles(2000);
	CU_ASSERT_EQUAL(g_sink->count(kind), 1);
	CU_ASSERT_EQUAL(g_sink->findings.size(), 1);
	const rs_models::finding *f = g_sink->first(kind);
	CU_ASSERT_FATAL(f != nullptr);
	CU_ASSERT(f->where.rfind("virtqueue " + std::string(r.eng.name()), 0) == 0);
	CU_ASSERT(f->detail.find("marked broken") != std::string::npos);
	CU_ASSERT_EQUAL(f->request, -1);
	if (cycle)
		CU_ASSERT_EQUAL(f->cycle, t0 + cycle);
	CU_ASSERT(r.eng.broken());
	CU_ASSERT_EQUAL(r.eng.protocol_errors(), 1);
	CU_ASSERT(r.backend.log.empty());
	CU_ASSERT(r.irq_cycles.empty());
	CU_ASSERT_EQUAL(r.drv.used_idx(), 0);
	CU_ASSERT_EQUAL(r.eng.used_idx(), 0);

	// A broken queue stays broken.
	r.drv.publish(static_cast<uint16_t>(NUM - 1)); // desc 7: zeroed, a 0-byte buffer
	r.eng.kick();
	run_cycles(2000);
	CU_ASSERT_EQUAL(r.eng.kicks(), 2);
	CU_ASSERT(r.backend.log.empty());
	CU_ASSERT_EQUAL(r.eng.protocol_errors(), 1);
	CU_ASSERT_EQUAL(g_sink->findings.size(), 1);
}

void t_engine_head_out_of_range_bad(void)
{
	vq_test::rig &r = rig("head");
	r.drv.publish(NUM + 1); // avail->ring[0] = 9
	// kick 20, avail->idx 11, avail->ring 11: the head is judged at 42.
	expect_broken(r, "vq_desc_out_of_range", 42);
	CU_ASSERT(g_sink->findings.empty() ||
		  g_sink->findings[0].detail.find("descriptor 9") != std::string::npos);
}

void t_engine_next_out_of_range_bad(void)
{
	vq_test::rig &r = rig("next");
	r.drv.write_desc(0, {r.data_pa, 16, VRING_DESC_F_NEXT, NUM});
	r.drv.publish(0);
	expect_broken(r, "vq_desc_out_of_range", 42 + 15);
}

void t_engine_chain_loop_bad(void)
{
	vq_test::rig &r = rig("loop");
	r.drv.write_desc(0, {r.data_pa, 16, VRING_DESC_F_NEXT, 1});
	r.drv.write_desc(1, {r.data_pa + 64, 16, VRING_DESC_F_NEXT, 0});
	r.drv.publish(0);
	// 0, 1, 0, 1, ...: 8 descriptors of 11 + 4 after the head's 42, then the verdict.
	expect_broken(r, "vq_chain_loop", 42 + 8 * 15);
}

void t_engine_indirect_not_negotiated_bad(void)
{
	vq_test::rig &r = rig("noind");
	CU_ASSERT(!r.eng.cfg().indirect);
	// The driver uses an indirect table although the device did not offer the feature.
	CU_ASSERT(r.drv.add_buf({{r.data_pa, 16, false}, {r.data_pa + 64, 16, true}}, 1, true) == 0);
	expect_broken(r, "vq_indirect_not_negotiated", 42 + 15);
}

void t_engine_indirect_with_next_bad(void)
{
	vq_test::rig &r = rig("indnext");
	write_table(r, {{r.data_pa, 16, 0, 0}});
	r.drv.write_desc(0, {r.table_pa, 16, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, 1});
	r.drv.publish(0);
	expect_broken(r, "vq_indirect_with_next", 42 + 15);
}

void t_engine_indirect_nested_bad(void)
{
	vq_test::rig &r = rig("nested");
	write_table(r, {{r.data_pa, 16, VRING_DESC_F_NEXT, 1},
			{r.table_pa + 256, 32, VRING_DESC_F_INDIRECT, 0}});
	r.drv.write_desc(0, {r.table_pa, 32, VRING_DESC_F_INDIRECT, 1});
	r.drv.publish(0);
	// head 42 + 15, table of 32 B 10 + 2 = 12, entry 0 4, entry 1 4: the verdict.
	expect_broken(r, "vq_indirect_nested", 42 + 15 + 12 + 8);
}

void t_engine_indirect_len_zero_bad(void)
{
	vq_test::rig &r = rig("indlen0");
	r.drv.write_desc(0, {r.table_pa, 0, VRING_DESC_F_INDIRECT, 1});
	r.drv.publish(0);
	expect_broken(r, "vq_indirect_bad_len", 42 + 15);
}

void t_engine_indirect_len_unaligned_bad(void)
{
	vq_test::rig &r = rig("indlen24");
	r.drv.write_desc(0, {r.table_pa, 24, VRING_DESC_F_INDIRECT, 1});
	r.drv.publish(0);
	expect_broken(r, "vq_indirect_bad_len", 42 + 15);
}

void t_engine_indirect_next_range_bad(void)
{
	vq_test::rig &r = rig("indrange");
	write_table(r, {{r.data_pa, 16, VRING_DESC_F_NEXT, 5}, {r.data_pa + 64, 16, 0, 0}});
	r.drv.write_desc(0, {r.table_pa, 32, VRING_DESC_F_INDIRECT, 1});
	r.drv.publish(0);
	expect_broken(r, "vq_indirect_next_out_of_range", 42 + 15 + 12 + 4);
}

void t_engine_indirect_loop_bad(void)
{
	vq_test::rig &r = rig("indloop");
	write_table(r, {{r.data_pa, 16, VRING_DESC_F_NEXT, 1},
			{r.data_pa + 64, 16, VRING_DESC_F_NEXT, 0}});
	r.drv.write_desc(0, {r.table_pa, 32, VRING_DESC_F_INDIRECT, 1});
	r.drv.publish(0);
	expect_broken(r, "vq_chain_loop", 42 + 15 + 12 + 2 * 4);
}

void t_engine_chain_too_long_bad(void)
{
	vq_test::rig &r = rig("toolong");
	// An indirect table of 9 entries in a queue of 8 (virtio 1.0 2.4.5.3.1).
	std::vector<vring_desc> t(NUM + 1);
	for (uint16_t i = 0; i < NUM + 1; i++)
		t[i] = {r.data_pa + 64ull * i, 16, VRING_DESC_F_NEXT, static_cast<uint16_t>(i + 1)};
	t[NUM].flags = 0;
	write_table(r, t);
	r.drv.write_desc(0, {r.table_pa, 16 * (NUM + 1), VRING_DESC_F_INDIRECT, 1});
	r.drv.publish(0);
	expect_broken(r, "vq_chain_too_long", 42 + 15);
}

void t_engine_readable_after_writable_bad(void)
{
	vq_test::rig &r = rig("order");
	r.drv.write_desc(0, {r.data_pa, 16, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 1});
	r.drv.write_desc(1, {r.data_pa + 64, 16, 0, 2});
	r.drv.publish(0);
	expect_broken(r, "vq_readable_after_writable", 42 + 2 * 15);
}

void t_engine_avail_idx_jump_bad(void)
{
	vq_test::rig &r = rig("jump");
	r.drv.write_avail_idx(NUM + 1); // 9 new entries in a queue of 8
	expect_broken(r, "vq_avail_idx_jump", 31);
}

void t_engine_ring_dma_error_bad(void)
{
	vq_test::rig &r = rig("gone");
	// The guest frees the ring under the device: guest memory refuses the read.
	CU_ASSERT(g_mem->pages().free_pages(r.ring_pa / PS, vq_test::ring_order(NUM, PS)) == 0);
	g_sink->findings.clear();
	r.eng.kick();
	run_cycles(2000);
	CU_ASSERT_EQUAL(g_sink->count("dma_unallocated"), 1);
	CU_ASSERT_EQUAL(g_sink->count("vq_dma_error"), 1);
	CU_ASSERT(r.eng.broken() && r.eng.protocol_errors() == 1);
	CU_ASSERT(r.backend.log.empty() && r.irq_cycles.empty());
	r.eng.kick();
	run_cycles(2000);
	CU_ASSERT_EQUAL(g_sink->findings.size(), 2); // no second attempt
}

// The queues that broke leave the others alone: a good queue still serves.
void t_engine_good_queue_unaffected(void)
{
	vq_test::rig &r = rig("good");
	g_sink->findings.clear();
	CU_ASSERT(r.drv.add_buf({{r.data_pa, 16, false}, {r.data_pa + 64, 16, true}}, 1, true) == 0);
	r.eng.kick();
	run_cycles(2000);
	CU_ASSERT_EQUAL(r.backend.log.size(), 1);
	CU_ASSERT_EQUAL(r.drv.used_idx(), 1);
	CU_ASSERT_EQUAL(r.irq_cycles.size(), 1);
	CU_ASSERT(!r.eng.broken() && g_sink->findings.empty());
}

} // namespace

int main()
{
	gsl_set_error_handler_off();
	rs_test::test_sink sink;
	gmm::guest_memory mem("mem", rs_test::memory_config(NR_FRAMES, PS, 10), sink);
	vq_test::passthrough_bus bus("bus");
	bus.memory.bind(mem.dma);

	vq::engine_config cfg;
	cfg.queue_size = NUM;
	cfg.indirect = true;
	cfg.kick_latency_cycles = 20;
	cfg.desc_fetch_cycles = 4;
	cfg.irq_latency_cycles = 50;
	cfg.clock_period = sc_time(1, SC_NS);
	std::map<std::string, std::unique_ptr<vq_test::rig>> rigs;
	for (const char *name : {"head", "next", "loop", "noind", "indnext", "nested", "indlen0",
				 "indlen24", "indrange", "indloop", "toolong", "order", "jump", "gone",
				 "good"}) {
		vq::engine_config c = cfg;
		c.indirect = std::string(name) != "noind";
		rigs[name] = std::make_unique<vq_test::rig>(name, mem, bus, sink, c);
	}
	g_sink = &sink;
	g_mem = &mem;
	g_rigs = &rigs;
	run_cycles(1);

	static const rs_test::test_entry tests[] = {
		{"t_engine_head_out_of_range_bad", t_engine_head_out_of_range_bad},
		{"t_engine_next_out_of_range_bad", t_engine_next_out_of_range_bad},
		{"t_engine_chain_loop_bad", t_engine_chain_loop_bad},
		{"t_engine_indirect_not_negotiated_bad", t_engine_indirect_not_negotiated_bad},
		{"t_engine_indirect_with_next_bad", t_engine_indirect_with_next_bad},
		{"t_engine_indirect_nested_bad", t_engine_indirect_nested_bad},
		{"t_engine_indirect_len_zero_bad", t_engine_indirect_len_zero_bad},
		{"t_engine_indirect_len_unaligned_bad", t_engine_indirect_len_unaligned_bad},
		{"t_engine_indirect_next_range_bad", t_engine_indirect_next_range_bad},
		{"t_engine_indirect_loop_bad", t_engine_indirect_loop_bad},
		{"t_engine_chain_too_long_bad", t_engine_chain_too_long_bad},
		{"t_engine_readable_after_writable_bad", t_engine_readable_after_writable_bad},
		{"t_engine_avail_idx_jump_bad", t_engine_avail_idx_jump_bad},
		{"t_engine_ring_dma_error_bad", t_engine_ring_dma_error_bad},
		{"t_engine_good_queue_unaffected", t_engine_good_queue_unaffected},
		{nullptr, nullptr},
	};
	return rs_test::run_suite("virtqueue_engine_bad", tests);
}
