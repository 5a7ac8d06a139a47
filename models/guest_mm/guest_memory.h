// SPDX-License-Identifier: GPL-2.0-only
// The guest memory of one run: physical memory with real bytes, the buddy page allocator,
// page metadata, the kmalloc heap and user address spaces, plus the device side: a TLM-2.0
// target socket through which device models DMA into guest physical memory, checked the way
// an IOMMU-less kernel never checks (unallocated, unpinned, other tenants' pages).
#ifndef RS_GUEST_MM_GUEST_MEMORY_H
#define RS_GUEST_MM_GUEST_MEMORY_H

#include <cstdint>
#include <memory>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "common/finding.h"
#include "guest_mm/address_space.h"
#include "guest_mm/buddy.h"
#include "guest_mm/config.h"
#include "guest_mm/direct_map.h"
#include "guest_mm/kmalloc.h"
#include "guest_mm/mem_map.h"
#include "guest_mm/phys_mem.h"
#include "guest_mm/report.h"

namespace gmm {

class guest_memory : public sc_core::sc_module {
public:
	// Device DMA: addresses are guest physical. TLM_WRITE_COMMAND writes guest memory.
	tlm_utils::simple_target_socket<guest_memory> dma;

	// Leak findings reported one by one before a single summary finding takes over.
	static constexpr unsigned LEAK_REPORT_CAP = 16;

	/**
	 * guest_memory() - build the memory of one run
	 * @name: module name
	 * @cfg: validated by the engine
	 * @sink: receives every finding, for the whole life of this module
	 *
	 * With @cfg.fragmentation > 0 the allocator is preconditioned at once with a
	 * gsl_rng_mt19937 seeded from @cfg.seed.
	 * Context: elaboration. Throws std::bad_alloc when host memory runs out.
	 */
	guest_memory(sc_core::sc_module_name name, const config &cfg,
		     rs_models::finding_sink_if &sink);

	const config &cfg() const { return m_cfg; }
	buddy &allocator() { return m_alloc; }
	mem_map &pages() { return m_pages; }
	const mem_map &pages() const { return m_pages; }
	kernel_heap &kheap() { return m_heap; }
	phys_mem &memory() { return m_bytes; }
	reporter &report() { return m_report; }

	/**
	 * new_address_space() - a new, empty user process
	 * @owner: request id charged for its pages, -1 for none
	 *
	 * Return: the process, owned by this module and valid for its lifetime. Its owner tears
	 * its mappings down (munmap(), exit_mmap()); mappings left at the end are not leaks.
	 */
	address_space &new_address_space(int64_t owner = -1);

	/**
	 * dma_delay() - Return: what b_transport() adds to the delay for @len bytes:
	 * (dma_latency_cycles + ceil(@len / bus_width_bytes)) clock periods.
	 */
	sc_core::sc_time dma_delay(uint64_t len) const;

	/**
	 * end_of_run_checks() - report what the run left behind
	 *
	 * Each page still pinned is a "leak_pinned", each live kmalloc object owned by a
	 * request (owner >= 0) a "leak_kmalloc": the first LEAK_REPORT_CAP of each kind one by
	 * one, then one summary finding with the total. Tenant pages, objects with owner -1 and
	 * user mappings are not leaks.
	 * Return: pinned pages plus leaked objects.
	 * Context: after the simulation, once.
	 */
	uint64_t end_of_run_checks();

	// Statistics. "Allocated" counts every frame not free, other tenants' included.
	uint64_t pages_allocated() const { return m_alloc.nr_allocated(); }
	uint64_t pages_allocated_max() const { return m_alloc.max_allocated(); }
	uint64_t tenant_pages() const { return m_pages.nr_pages(page_kind::tenant); }
	uint64_t pinned_pages() const { return m_pages.pinned_pages(); }
	uint64_t pinned_pages_max() const { return m_pages.pinned_pages_max(); }
	uint64_t free_blocks(unsigned order) const { return m_alloc.nr_free_blocks(order); }
	uint64_t host_bytes() const { return m_bytes.host_bytes(); }
	uint64_t dma_transactions() const { return m_dma_transactions; }
	uint64_t dma_bytes() const { return m_dma_bytes; }

private:
	void b_transport(tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);
	unsigned int transport_dbg(tlm::tlm_generic_payload &trans);
	bool check_pages(const tlm::tlm_generic_payload &trans, const sc_core::sc_time &when);

	config m_cfg;
	reporter m_report;
	phys_mem m_bytes;
	buddy m_alloc;
	mem_map m_pages;
	kernel_heap m_heap;
	std::vector<std::unique_ptr<address_space>> m_spaces;
	uint64_t m_dma_transactions = 0;
	uint64_t m_dma_bytes = 0;
};

} // namespace gmm

#endif
