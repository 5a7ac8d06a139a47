// SPDX-License-Identifier: GPL-2.0-only
#include "kshim/host.h"

#include <stdexcept>

#include <linux/mm.h>

#include "common/cycles.h"

unsigned long kshim_page_size;
unsigned int kshim_page_shift;
struct page *kshim_mem_map;
uintptr_t kshim_direct_map;

namespace rs_engine {

using namespace sc_core;

kshim_host *kshim_host::s_current;

kshim_host::kshim_host(const rs_scenario &s, gmm::guest_memory &mem, rs_recorder *rec)
	: m_s(s), m_mem(mem), m_rec(rec), m_mem_map(mem.pages().nr_frames())
{
	if (s_current)
		throw std::logic_error("one kshim host per process");
	s_current = this;
	kshim_page_size = s.platform.page_size;
	kshim_page_shift = 0;
	while ((1ul << kshim_page_shift) != kshim_page_size)
		kshim_page_shift++;
	kshim_mem_map = m_mem_map.data();
	kshim_direct_map = reinterpret_cast<uintptr_t>(mem.memory().host_ptr(0));
}

kshim_host::~kshim_host()
{
	s_current = nullptr;
	kshim_mem_map = nullptr;
	kshim_direct_map = 0;
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

void kshim_host::charge(rs_cost c, uint64_t n)
{
	uint64_t cyc = m_s.costs[c] * n;

	// Boot (elaboration) is not simulated: the device probe costs nothing.
	if (cyc && in_process())
		wait(cycles(cyc));
}

void kshim_host::pinned_changed()
{
	if (m_pinned)
		rs_level_set(m_pinned, now_cycles(), static_cast<double>(m_mem.pinned_pages()));
}

uint64_t kshim_host::cycle() const
{
	return now_cycles();
}

} // namespace rs_engine
