// SPDX-License-Identifier: GPL-2.0-only
#include "guest_mm/guest_memory.h"

#include <algorithm>
#include <new>

#include <gsl/gsl_rng.h>

namespace gmm {

namespace {

struct rng_free {
	void operator()(gsl_rng *r) const { gsl_rng_free(r); }
};

const char *direction(const tlm::tlm_generic_payload &t)
{
	return t.is_write() ? "device write" : "device read";
}

} // namespace

guest_memory::guest_memory(sc_core::sc_module_name name, const config &cfg,
			   rs_models::finding_sink_if &sink)
	: sc_module(name), dma("dma"), m_cfg(cfg), m_report(sink, cfg.clock_period),
	  m_bytes(cfg.memory_bytes / cfg.page_size, cfg.page_size),
	  m_alloc(cfg.memory_bytes / cfg.page_size, cfg.max_order),
	  m_pages(m_alloc, m_bytes, m_report), m_heap(m_pages)
{
	dma.register_b_transport(this, &guest_memory::b_transport);
	dma.register_transport_dbg(this, &guest_memory::transport_dbg);
	if (cfg.fragmentation > 0.0) {
		std::unique_ptr<gsl_rng, rng_free> rng(gsl_rng_alloc(gsl_rng_mt19937));
		if (!rng)
			throw std::bad_alloc();
		gsl_rng_set(rng.get(), static_cast<unsigned long>(cfg.seed));
		m_pages.precondition(cfg.fragmentation, rng.get()); // fresh and 0..1: cannot fail
	}
}

address_space &guest_memory::new_address_space(int64_t owner)
{
	m_spaces.push_back(std::make_unique<address_space>(m_pages, owner));
	return *m_spaces.back();
}

sc_core::sc_time guest_memory::dma_delay(uint64_t len) const
{
	uint64_t beats = (len + m_cfg.bus_width_bytes - 1) / m_cfg.bus_width_bytes;
	return static_cast<double>(m_cfg.dma_latency_cycles + beats) * m_cfg.clock_period;
}

// Every page the access touches must be allocated; user pages must be pinned (the device may
// only touch what the driver pinned) and other tenants' pages are never ours. Only the
// unallocated case stops the access: the others are what the kernel would silently corrupt.
bool guest_memory::check_pages(const tlm::tlm_generic_payload &t, const sc_core::sc_time &when)
{
	uint64_t addr = t.get_address(), len = t.get_data_length();
	uint64_t ps = m_cfg.page_size;
	uint64_t first = addr / ps, last = (addr + len - 1) / ps;
	uint64_t nr_free = 0, nr_unpinned = 0, nr_tenant = 0;
	uint64_t free_pfn = 0, unpinned_pfn = 0, tenant_pfn = 0;
	for (uint64_t pfn = first; pfn <= last; pfn++) {
		const page_meta &m = m_pages.page(pfn);
		if (m.kind == page_kind::free) {
			if (!nr_free++)
				free_pfn = pfn;
		} else if (m.kind == page_kind::user && m.pincount == 0) {
			if (!nr_unpinned++)
				unpinned_pfn = pfn;
		} else if (m.kind == page_kind::tenant) {
			if (!nr_tenant++)
				tenant_pfn = pfn;
		}
	}
	if (!nr_free && !nr_tenant && !nr_unpinned)
		return true;
	std::string what = std::string(direction(t)) + " of " + std::to_string(len) +
			   " bytes at pa " + hex(addr);
	if (nr_free) {
		m_report.report("dma_unallocated", pfn_where(free_pfn),
				what + " touches " + std::to_string(nr_free) +
					" page(s) the allocator holds as free; access refused",
				-1, when);
		return false;
	}
	if (nr_tenant)
		m_report.report("dma_tenant", pfn_where(tenant_pfn),
				what + " touches " + std::to_string(nr_tenant) +
					" page(s) owned by another tenant",
				-1, when);
	if (nr_unpinned) {
		const page_meta &m = m_pages.page(unpinned_pfn);
		m_report.report("dma_unpinned", pfn_where(unpinned_pfn),
				what + " touches " + std::to_string(nr_unpinned) +
					" user page(s) with no pin; the kernel may have reclaimed "
					"or reused them",
				m.owner, when);
	}
	return true;
}

void guest_memory::b_transport(tlm::tlm_generic_payload &t, sc_core::sc_time &delay)
{
	sc_core::sc_time when = delay; // the initiator's local offset: when the access happens
	uint64_t addr = t.get_address(), len = t.get_data_length();
	delay += dma_delay(len);
	m_dma_transactions++;
	t.set_dmi_allowed(false); // every access goes through the checks
	if (t.is_read() || t.is_write()) {
		if (t.get_byte_enable_ptr()) {
			t.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
			return;
		}
		if (t.get_streaming_width() < len) {
			t.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
			return;
		}
	}
	uint64_t size = m_bytes.size_bytes();
	if (addr > size || len > size - addr) {
		m_report.report("dma_out_of_range", "guest_mm pa " + hex(addr),
				std::string(direction(t)) + " of " + std::to_string(len) +
					" bytes at pa " + hex(addr) + " runs past the end of guest memory (" +
					hex(size) + ")",
				-1, when);
		t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
		return;
	}
	if (t.get_command() == tlm::TLM_IGNORE_COMMAND || len == 0) {
		t.set_response_status(tlm::TLM_OK_RESPONSE);
		return;
	}
	if (!check_pages(t, when)) {
		t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
		return;
	}
	if (t.is_write())
		m_bytes.write(addr, t.get_data_ptr(), len);
	else
		m_bytes.read(addr, t.get_data_ptr(), len);
	m_dma_bytes += len;
	t.set_response_status(tlm::TLM_OK_RESPONSE);
}

// Debug access (integrity checks, dumps): bytes only, no timing, no checks, no findings.
unsigned int guest_memory::transport_dbg(tlm::tlm_generic_payload &t)
{
	uint64_t addr = t.get_address(), len = t.get_data_length();
	uint64_t size = m_bytes.size_bytes();
	if (addr >= size)
		return 0;
	len = std::min(len, size - addr);
	if (t.is_write())
		m_bytes.write(addr, t.get_data_ptr(), len);
	else if (t.is_read())
		m_bytes.read(addr, t.get_data_ptr(), len);
	else
		return 0;
	return static_cast<unsigned int>(len);
}

uint64_t guest_memory::end_of_run_checks()
{
	uint64_t pinned = 0;
	for (uint64_t pfn = 0; pfn < m_pages.nr_frames(); pfn++) {
		const page_meta &m = m_pages.page(pfn);
		if (!m.pincount)
			continue;
		if (pinned++ < LEAK_REPORT_CAP)
			m_report.report("leak_pinned", pfn_where(pfn),
					std::string(page_kind_name(m.kind)) + " page still pinned " +
						std::to_string(m.pincount) +
						" time(s) at the end of the run (missing put_page)",
					m.owner);
	}
	if (pinned > LEAK_REPORT_CAP)
		m_report.report("leak_pinned", "guest_mm",
				std::to_string(pinned) + " pages still pinned at the end of the run; the first " +
					std::to_string(LEAK_REPORT_CAP) + " are reported above");
	uint64_t leaked = 0;
	for (const auto &kv : m_heap.objects()) {
		const kernel_heap::object &o = kv.second;
		if (o.owner < 0)
			continue;
		if (leaked++ < LEAK_REPORT_CAP)
			m_report.report("leak_kmalloc", "guest_mm kmalloc " + hex(phys_to_virt(kv.first)),
					"kmalloc object of " + std::to_string(o.size) +
						" bytes still live at the end of the run (missing kfree)",
					o.owner);
	}
	if (leaked > LEAK_REPORT_CAP)
		m_report.report("leak_kmalloc", "guest_mm",
				std::to_string(leaked) + " request-owned kmalloc objects still live at the "
					"end of the run; the first " + std::to_string(LEAK_REPORT_CAP) +
					" are reported above");
	return pinned + leaked;
}

} // namespace gmm
