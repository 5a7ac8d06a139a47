// SPDX-License-Identifier: GPL-2.0-only
// Device DMA into guest memory through the TLM socket, under sc_start(): bytes land, the
// annotated delay is the hand-computed cycle count, and accesses the kernel would let
// corrupt memory (unallocated, unpinned, out of range) become findings; then the end-of-run
// leak checks.
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <gsl/gsl_errno.h>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "common/sanitizer_stack.h"
#include "guest_mm/guest_memory.h"
#include "test_support.h"

using gmm::NO_PFN;
using gmm::page_kind;
using sc_core::SC_NS;
using sc_core::sc_time;

namespace {

// A device that runs queued DMA jobs from an SC_THREAD, polling once per cycle.
struct dma_job {
	tlm::tlm_command cmd = tlm::TLM_WRITE_COMMAND;
	uint64_t addr = 0;
	std::vector<uint8_t> data;
	sc_time delay_in = sc_core::SC_ZERO_TIME;
	// results
	bool done = false;
	tlm::tlm_response_status status = tlm::TLM_INCOMPLETE_RESPONSE;
	sc_time delay_out = sc_core::SC_ZERO_TIME;
	uint64_t start_cycle = 0; // sc_time_stamp() in cycles when the job ran
};

class dma_initiator : public sc_core::sc_module {
public:
	tlm_utils::simple_initiator_socket<dma_initiator> sock;
	std::deque<dma_job *> queue;

	SC_HAS_PROCESS(dma_initiator);
	explicit dma_initiator(sc_core::sc_module_name name) : sc_module(name), sock("sock")
	{
		SC_THREAD(run);
	}

private:
	void run()
	{
		for (;;) {
			wait(sc_time(1, SC_NS));
			while (!queue.empty()) {
				dma_job *j = queue.front();
				queue.pop_front();
				tlm::tlm_generic_payload t;
				t.set_command(j->cmd);
				t.set_address(j->addr);
				t.set_data_ptr(j->data.data());
				t.set_data_length(static_cast<unsigned>(j->data.size()));
				t.set_streaming_width(static_cast<unsigned>(j->data.size()));
				t.set_byte_enable_ptr(nullptr);
				t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
				sc_time d = j->delay_in;
				j->start_cycle = sc_core::sc_time_stamp().value() / sc_time(1, SC_NS).value();
				sock->b_transport(t, d);
				j->status = t.get_response_status();
				j->delay_out = d;
				j->done = true;
			}
		}
	}
};

// 1 MiB of 4 KiB pages (256 frames) at 1 GHz; 20 cycles per transaction, 16 bytes per beat.
constexpr uint64_t PS = 4096;
constexpr uint64_t NR_FRAMES = 256;

rs_test::test_sink *g_sink;
gmm::guest_memory *g_mem;
dma_initiator *g_dev;

// Runs @j on the device: queue it and simulate 5 cycles.
void run(dma_job &j)
{
	g_dev->queue.push_back(&j);
	sc_core::sc_start(sc_time(5, SC_NS));
	rs_models::back_on_thread_stack();
	CU_ASSERT(j.done);
}

dma_job make(tlm::tlm_command cmd, uint64_t addr, size_t len, uint8_t fill = 0)
{
	dma_job j;
	j.cmd = cmd;
	j.addr = addr;
	j.data.assign(len, fill);
	return j;
}

void t_dma_write_bytes_land(void)
{
	g_sink->findings.clear();
	// A kernel buffer (kmalloc: slab pages need no pin).
	uint64_t kva = g_mem->kheap().kmalloc(256, -1);
	uint64_t pa = gmm::virt_to_phys(kva);
	dma_job j = make(tlm::TLM_WRITE_COMMAND, pa, 100);
	for (int i = 0; i < 100; i++)
		j.data[i] = static_cast<uint8_t>(0x80 + i);
	run(j);
	CU_ASSERT(j.status == tlm::TLM_OK_RESPONSE);
	// 20 + ceil(100 / 16) = 20 + 7 = 27 cycles of 1 ns.
	CU_ASSERT(j.delay_out == sc_time(27, SC_NS));
	uint8_t back[100];
	CU_ASSERT(g_mem->memory().read(pa, back, 100) == 0);
	CU_ASSERT(back[0] == 0x80 && back[99] == 0x80 + 99);
	CU_ASSERT(g_sink->findings.empty());
	CU_ASSERT(g_mem->kheap().kfree(kva) == 0);
}

void t_dma_delay_cycles(void)
{
	g_sink->findings.clear();
	uint64_t kva = g_mem->kheap().kmalloc(8192, -1);
	uint64_t pa = gmm::virt_to_phys(kva);
	struct {
		size_t len;
		unsigned cycles;
	} cases[] = {
		{1, 21},     // 20 + 1 beat
		{16, 21},    // exactly one beat
		{17, 22},    // two beats
		{4096, 276}, // 20 + 256
		{8192, 532}, // 20 + 512
	};
	for (const auto &c : cases) {
		dma_job j = make(tlm::TLM_READ_COMMAND, pa, c.len);
		j.delay_in = sc_time(3, SC_NS); // added to, not replaced
		run(j);
		CU_ASSERT(j.status == tlm::TLM_OK_RESPONSE);
		CU_ASSERT(j.delay_out == sc_time(3 + c.cycles, SC_NS));
	}
	CU_ASSERT(g_mem->dma_delay(100) == sc_time(27, SC_NS));
	CU_ASSERT(g_sink->findings.empty());
	g_mem->kheap().kfree(kva);
}

void t_dma_read_user_pinned(void)
{
	g_sink->findings.clear();
	gmm::address_space &as = g_mem->new_address_space();
	uint64_t va = as.mmap(2 * PS);
	const char msg[] = "9p payload across two pages";
	CU_ASSERT(as.copy_to_user(va + PS - 10, msg, sizeof(msg)) == 0);
	uint64_t pfns[2];
	CU_ASSERT(as.get_user_pages_fast(va, 2, 0, pfns, 1) == 2);
	// The two frames need not be adjacent: read each piece from its own frame.
	dma_job a = make(tlm::TLM_READ_COMMAND, pfns[0] * PS + PS - 10, 10);
	dma_job b = make(tlm::TLM_READ_COMMAND, pfns[1] * PS, sizeof(msg) - 10);
	run(a);
	run(b);
	CU_ASSERT(a.status == tlm::TLM_OK_RESPONSE && b.status == tlm::TLM_OK_RESPONSE);
	std::string got(a.data.begin(), a.data.end());
	got.append(b.data.begin(), b.data.end());
	CU_ASSERT(got == std::string(msg, sizeof(msg)));
	CU_ASSERT(g_sink->findings.empty());
	CU_ASSERT(as.put_page(pfns[0]) == 0 && as.put_page(pfns[1]) == 0);
	CU_ASSERT(as.munmap(va) == 0);
}

void t_dma_unallocated_bad(void)
{
	g_sink->findings.clear();
	// The last frame of a fresh 256-frame memory is free.
	uint64_t pfn = NR_FRAMES - 1;
	CU_ASSERT(g_mem->pages().page(pfn).kind == page_kind::free);
	dma_job j = make(tlm::TLM_WRITE_COMMAND, pfn * PS + 8, 64, 0xee);
	j.delay_in = sc_time(7, SC_NS);
	run(j);
	CU_ASSERT(j.status == tlm::TLM_ADDRESS_ERROR_RESPONSE);
	CU_ASSERT(g_sink->count("dma_unallocated") == 1);
	CU_ASSERT(g_sink->findings.size() == 1);
	const rs_models::finding *f = g_sink->first("dma_unallocated");
	CU_ASSERT(f && f->where == "guest_mm pfn 0xff");
	CU_ASSERT(f && f->cycle == j.start_cycle + 7); // stamped at the initiator's local time
	CU_ASSERT(f && f->request == -1);
	CU_ASSERT(!g_mem->memory().touched(pfn)); // no bytes moved
}

void t_dma_unpinned_bad(void)
{
	g_sink->findings.clear();
	gmm::address_space &as = g_mem->new_address_space();
	uint64_t va = as.mmap(PS);
	uint64_t pfn;
	// Pinned by request 42, then released too early: the device writes after put_page.
	CU_ASSERT(as.get_user_pages_fast(va, 1, 1, &pfn, 42) == 1);
	CU_ASSERT(as.put_page(pfn) == 0);
	dma_job j = make(tlm::TLM_WRITE_COMMAND, pfn * PS + 100, 32, 0x77);
	run(j);
	CU_ASSERT(j.status == tlm::TLM_OK_RESPONSE); // the kernel would let it happen
	CU_ASSERT(g_sink->count("dma_unpinned") == 1);
	const rs_models::finding *f = g_sink->first("dma_unpinned");
	CU_ASSERT(f && f->where == gmm::pfn_where(pfn));
	CU_ASSERT(f && f->request == 42);
	CU_ASSERT(f && f->cycle == j.start_cycle);
	uint8_t b = 0;
	CU_ASSERT(as.copy_from_user(va + 131, &b, 1) == 0 && b == 0x77); // the bytes landed
	CU_ASSERT(as.munmap(va) == 0);
}

void t_dma_straddle_second_unpinned_bad(void)
{
	g_sink->findings.clear();
	// A 32-byte write across the boundary of two adjacent user frames, the first pinned,
	// the second not: the finding names the second.
	gmm::address_space &as = g_mem->new_address_space();
	uint64_t va = as.mmap(2 * PS);
	uint64_t pfns[2];
	CU_ASSERT(as.get_user_pages_fast(va, 2, 1, pfns, 8) == 2);
	CU_ASSERT(as.put_page(pfns[1]) == 0); // second page loses its pin
	if (pfns[1] == pfns[0] + 1) {
		dma_job j = make(tlm::TLM_WRITE_COMMAND, pfns[0] * PS + PS - 16, 32);
		run(j);
		CU_ASSERT(j.status == tlm::TLM_OK_RESPONSE);
		CU_ASSERT(g_sink->count("dma_unpinned") == 1);
		const rs_models::finding *f = g_sink->first("dma_unpinned");
		CU_ASSERT(f && f->where == gmm::pfn_where(pfns[1]));
	} else {
		CU_FAIL("the two faults were expected to take adjacent frames");
	}
	CU_ASSERT(as.put_page(pfns[0]) == 0);
	CU_ASSERT(as.munmap(va) == 0);
}

void t_dma_out_of_range_bad(void)
{
	g_sink->findings.clear();
	dma_job j = make(tlm::TLM_READ_COMMAND, NR_FRAMES * PS - 8, 16);
	run(j);
	CU_ASSERT(j.status == tlm::TLM_ADDRESS_ERROR_RESPONSE);
	CU_ASSERT(g_sink->count("dma_out_of_range") == 1);
	dma_job k = make(tlm::TLM_WRITE_COMMAND, ~0ull - 4, 16);
	run(k);
	CU_ASSERT(k.status == tlm::TLM_ADDRESS_ERROR_RESPONSE);
	CU_ASSERT(g_sink->count("dma_out_of_range") == 2);
	CU_ASSERT(g_sink->findings.size() == 2);
}

void t_dma_leak_findings_bad(void)
{
	g_sink->findings.clear();
	uint64_t allocated_before = g_mem->pages_allocated();
	gmm::address_space &as = g_mem->new_address_space();
	uint64_t va = as.mmap(20 * PS);
	uint64_t pfns[20];
	CU_ASSERT(as.get_user_pages_fast(va, 20, 1, pfns, 5) == 20);
	uint64_t vb = as.mmap(PS);
	uint8_t x = 1;
	CU_ASSERT(as.copy_to_user(vb, &x, 1) == 0); // mapped, not pinned: not a leak
	uint64_t k1 = g_mem->kheap().kmalloc(64, 7);
	uint64_t k2 = g_mem->kheap().kmalloc(20000, 7);
	uint64_t k3 = g_mem->kheap().kmalloc(64, -1); // lives for the whole run: not a leak
	CU_ASSERT(g_mem->pinned_pages() == 20 && g_mem->pinned_pages_max() >= 20);

	CU_ASSERT(g_mem->end_of_run_checks() == 22);
	CU_ASSERT(g_sink->count("leak_pinned") == 17); // 16 one by one, then the summary
	CU_ASSERT(g_sink->count("leak_kmalloc") == 2);
	CU_ASSERT(g_sink->findings.size() == 19);
	const rs_models::finding *f = g_sink->first("leak_pinned");
	CU_ASSERT(f && f->request == 5);
	const rs_models::finding &summary = g_sink->findings[16];
	CU_ASSERT(summary.kind == "leak_pinned" && summary.where == "guest_mm");
	CU_ASSERT(summary.detail.find("20 pages") != std::string::npos);
	const rs_models::finding *k = g_sink->first("leak_kmalloc");
	CU_ASSERT(k && k->request == 7);
	CU_ASSERT(k && k->where == "guest_mm kmalloc " + gmm::hex(k1));

	// Clean up: no leaks left, and every page back.
	for (uint64_t p : pfns)
		CU_ASSERT(as.put_page(p) == 0);
	CU_ASSERT(g_mem->kheap().kfree(k1) == 0 && g_mem->kheap().kfree(k2) == 0);
	as.exit_mmap();
	g_sink->findings.clear();
	CU_ASSERT(g_mem->end_of_run_checks() == 0);
	CU_ASSERT(g_sink->findings.empty());
	CU_ASSERT(g_mem->pinned_pages() == 0);
	CU_ASSERT(g_mem->kheap().kfree(k3) == 0);
	CU_ASSERT(g_mem->pages_allocated() == allocated_before);
	CU_ASSERT(g_mem->allocator().check());
}

void t_dma_stats(void)
{
	CU_ASSERT(g_mem->dma_transactions() > 0);
	CU_ASSERT(g_mem->dma_bytes() > 0);
	CU_ASSERT(g_mem->host_bytes() <= g_mem->memory().host_bytes_max());
	CU_ASSERT(g_mem->free_blocks(10) == 0); // 256 frames: no order-10 block fits
}

} // namespace

int main()
{
	gsl_set_error_handler_off();
	rs_test::test_sink sink;
	gmm::config cfg;
	cfg.memory_bytes = NR_FRAMES * PS;
	cfg.page_size = PS;
	cfg.fragmentation = 0.0;
	cfg.seed = 1;
	cfg.clock_period = sc_time(1, SC_NS);
	cfg.dma_latency_cycles = 20;
	cfg.bus_width_bytes = 16;
	cfg.max_order = 10;
	// Elaborate once for the whole suite: SystemC allows no new modules after sc_start.
	gmm::guest_memory mem("mem", cfg, sink);
	dma_initiator dev("dev");
	dev.sock.bind(mem.dma);
	g_sink = &sink;
	g_mem = &mem;
	g_dev = &dev;

	static const rs_test::test_entry tests[] = {
		{"t_dma_write_bytes_land", t_dma_write_bytes_land},
		{"t_dma_delay_cycles", t_dma_delay_cycles},
		{"t_dma_read_user_pinned", t_dma_read_user_pinned},
		{"t_dma_unallocated_bad", t_dma_unallocated_bad},
		{"t_dma_unpinned_bad", t_dma_unpinned_bad},
		{"t_dma_straddle_second_unpinned_bad", t_dma_straddle_second_unpinned_bad},
		{"t_dma_out_of_range_bad", t_dma_out_of_range_bad},
		{"t_dma_leak_findings_bad", t_dma_leak_findings_bad},
		{"t_dma_stats", t_dma_stats},
		{nullptr, nullptr},
	};
	return rs_test::run_suite("guest_mm_dma", tests);
}
