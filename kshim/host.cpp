// SPDX-License-Identifier: GPL-2.0-only
#include "kshim/host.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include <linux/mm.h>

#include "common/cycles.h"
#include "kshim/crash.h"

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
		       rs_models::finding_sink_if &findings, unsigned nr_vcpus)
	: m_mem(mem), m_findings(findings), m_mem_map(mem.pages().nr_frames()), m_sched(nr_vcpus)
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
	if (p == m_last_process)
		return *m_last_ctx;
	auto &slot = m_ctx[p];
	if (!slot) {
		slot = std::make_unique<guest_ctx>();
		slot->name = p->name();
	}
	m_last_process = p;
	m_last_ctx = slot.get();
	return *slot;
}

void kshim_host::exit_thread()
{
	const sc_process_b *p = in_process() ? sc_get_current_process_b() : nullptr;
	auto it = p ? m_ctx.find(p) : m_ctx.end();

	if (it == m_ctx.end())
		return;
	m_sched.release(*it->second);
	if (m_last_ctx == it->second.get())
		m_last_process = nullptr, m_last_ctx = nullptr;
	m_ctx.erase(it);
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
	if (!cyc || !in_process())
		return;
	guest_ctx &g = ctx();

	probe_stack(g.stack_probed);

	for (;;) {
		m_sched.acquire(g);
		const uint64_t end = now_cycles() + cyc;

		// Woken early: its vCPU got another number, or the grant of this instant went to
		// a thread that ranks before it (nothing spent yet: ask again, pay it all).
		while (g.cpu >= 0 && now_cycles() < end)
			wait(cycles(end - now_cycles()), g.cpu_ev);
		if (g.cpu >= 0)
			break;
	}
	m_sched.settle(g);
	if (!g.locks_held)
		m_sched.release(g);
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

bool kshim_host::boot_call(int (*fn)(void *), void *arg, int *ret)
{
	if (m_boot_armed || in_process())
		throw std::logic_error("boot_call: at boot only, not nested");
	// die() longjmps here past the DUT's C frames and kshim frames that own nothing.
	if (setjmp(m_boot_jmp)) {
		m_boot_armed = false;
		return false;
	}
	m_boot_armed = true;
	*ret = fn(arg);
	m_boot_armed = false;
	return true;
}

void kshim_host::die(const char *where)
{
	set_dut_bug();
	if (!can_die())
		throw std::runtime_error(std::string("oops during boot at ") + where);
	end_thread();
}

void kshim_host::die_of_fault()
{
	set_dut_bug();
	m_dut_crash = true;
	end_thread();
}

void kshim_host::end_thread()
{
	if (!in_process())
		std::longjmp(m_boot_jmp, 1); // can_die(): inside boot_call()
	// Like an oops: this thread goes no further, and the run ends here (one sc_stop()
	// however many threads oops in the last delta: a second one is a SystemC warning).
	if (!m_stopped) {
		m_stopped = true;
		sc_stop();
	}
	for (;;)
		wait(m_never);
}

const guest_ctx *kshim_host::find_ctx() const
{
	const sc_process_b *p = in_process() ? sc_get_current_process_b() : nullptr;

	if (!p)
		return &m_boot;
	auto it = m_ctx.find(p);
	return it == m_ctx.end() ? nullptr : it->second.get();
}

uint64_t kshim_host::cycle() const
{
	return now_cycles();
}

} // namespace rs_kshim
