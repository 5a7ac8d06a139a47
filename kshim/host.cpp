// SPDX-License-Identifier: GPL-2.0-only
#include "kshim/host.h"

#include <algorithm>
#include <stdexcept>

#include <linux/mm.h>

#include "common/cycles.h"

unsigned long kshim_page_size;
unsigned int kshim_page_shift;
struct page *kshim_mem_map;
uintptr_t kshim_direct_map;
uintptr_t kshim_direct_map_size;

namespace rs_kshim {

using namespace sc_core;
using rs_models::cycles;
using rs_models::now_cycles;

kshim_host *kshim_host::s_current;

kshim_host::kshim_host(gmm::guest_memory &mem, const uint64_t *costs,
		       rs_models::finding_sink_if &findings)
	: m_mem(mem), m_findings(findings), m_mem_map(mem.pages().nr_frames())
{
	if (s_current)
		throw std::logic_error("one kshim host per process");
	s_current = this;
	std::copy(costs, costs + KSHIM_COST_COUNT, m_costs);
	kshim_page_size = mem.pages().page_size();
	kshim_page_shift = 0;
	while ((1ul << kshim_page_shift) != kshim_page_size)
		kshim_page_shift++;
	kshim_mem_map = m_mem_map.data();
	kshim_direct_map = reinterpret_cast<uintptr_t>(mem.memory().host_ptr(0));
	kshim_direct_map_size = mem.memory().size_bytes();
}

kshim_host::~kshim_host()
{
	s_current = nullptr;
	kshim_mem_map = nullptr;
	kshim_direct_map = 0;
	kshim_direct_map_size = 0;
}

bool kshim_host::in_process()
{
	return sc_get_current_process_b() != nullptr && sc_is_running();
}

guest_ctx &kshim_host::ctx()
{
	const sc_process_b *p = in_process() ? sc_get_current_process_b() : nullptr;

	if (!p)
		return m_boot;
	auto &slot = m_ctx[p];
	if (!slot)
		slot = std::make_unique<guest_ctx>();
	return *slot;
}

void kshim_host::deliver_signal(guest_ctx &c)
{
	c.signal_pending = c.signal_queued = true;
	c.wake.notify(SC_ZERO_TIME);
}

void kshim_host::charge(enum kshim_cost c, uint64_t n)
{
	uint64_t cyc = m_costs[c] * n;

	// Boot (elaboration) is not simulated: the device probe costs nothing.
	if (cyc && in_process())
		wait(cycles(cyc));
}

void kshim_host::report(rs_models::finding::severity sev, const char *kind, const char *where,
			const char *detail)
{
	rs_models::finding f;

	f.sev = sev;
	f.kind = kind;
	f.where = where;
	f.detail = detail;
	f.cycle = cycle();
	f.request = ctx().request;
	m_findings.report(f);
}

void kshim_host::pinned_changed(int64_t delta)
{
	if (m_pins)
		m_pins->pinned_changed(ctx(), m_mem.pinned_pages(), delta);
}

uint64_t kshim_host::cycle() const
{
	return now_cycles();
}

} // namespace rs_kshim
