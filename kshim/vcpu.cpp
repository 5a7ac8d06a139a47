// SPDX-License-Identifier: GPL-2.0-only
#include "kshim/vcpu.h"

#include <algorithm>
#include <stdexcept>

#include "common/cycles.h"
#include "kshim/host.h"

namespace rs_kshim {

using rs_models::now_cycles;

vcpu_sched::vcpu_sched(unsigned n) : m_owner(n, nullptr), m_granted_at(n, 0)
{
	if (!n)
		throw std::invalid_argument("a guest needs at least one vCPU");
}

// A tie-break that depends on the thread and the cycle only (FNV-1a of its process name and
// the cycle): no thread always wins (as by name) and no SystemC queue order leaks in.
static uint64_t tie(const guest_ctx *c, uint64_t cycle)
{
	if (!c->name_hashed) {
		uint64_t n = 1469598103934665603ull;

		for (unsigned char ch : c->name)
			n = (n ^ ch) * 1099511628211ull;
		c->name_hash = n;
		c->name_hashed = true;
	}
	uint64_t h = c->name_hash;

	for (int i = 0; i < 8; i++, cycle >>= 8)
		h = (h ^ (cycle & 0xff)) * 1099511628211ull;
	return h;
}

// Interrupt threads first, then the longest waiting, then the tie-break: the same order
// whatever order SystemC ran the processes of this instant in.
static bool ranks_before(const guest_ctx *a, const guest_ctx *b)
{
	if (a->irq != b->irq)
		return a->irq;
	if (a->asked_at != b->asked_at)
		return a->asked_at < b->asked_at;
	// the tie-break at the cycle both asked (hashed when each asked), then the name
	return a->asked_tie != b->asked_tie ? a->asked_tie < b->asked_tie : a->name < b->name;
}

// Hand the idle vCPUs, and those handed out at this instant, to the waiting threads and the
// holders of this instant's grants, in rank order. c->cpu still says what each was told.
void vcpu_sched::arbitrate()
{
	const uint64_t now = now_cycles();
	std::vector<guest_ctx *> &who = m_ranked; // kept: no allocation per call

	who.assign(m_waiting.begin(), m_waiting.end());
	for (unsigned i = 0; i < nr(); i++) {
		if (m_owner[i] && m_granted_at[i] == now) {
			who.push_back(m_owner[i]);
			m_owner[i] = nullptr;
		}
	}
	std::sort(who.begin(), who.end(), ranks_before);
	m_waiting.clear();
	for (guest_ctx *c : who) {
		int cpu = -1;

		if (c->irq) {
			cpu = m_owner[0] ? -1 : 0;
		} else {
			for (unsigned i = nr(); i-- > 0 && cpu < 0;)
				if (!m_owner[i])
					cpu = static_cast<int>(i);
		}
		if (cpu >= 0) {
			m_owner[cpu] = c;
			m_granted_at[cpu] = now;
		} else {
			m_waiting.push_back(c);
		}
		c->asking = cpu < 0;
		if (cpu != c->cpu) {
			c->cpu = cpu; // got one, lost this instant's grant, or another number
			c->cpu_ev.notify(sc_core::SC_ZERO_TIME);
		}
	}
}

void vcpu_sched::acquire(guest_ctx &c)
{
	if (c.cpu >= 0)
		return;
	if (!c.asking) {
		c.asking = true;
		c.asked_at = now_cycles();
		c.asked_tie = tie(&c, c.asked_at);
		m_waiting.push_back(&c);
		arbitrate();
		if (c.cpu >= 0)
			return;
	}
	uint64_t since = now_cycles();

	m_waits++;
	while (c.cpu < 0)
		sc_core::wait(c.cpu_ev);
	m_wait_cycles += now_cycles() - since;
}

void vcpu_sched::settle(guest_ctx &c)
{
	const uint64_t now = now_cycles();

	// Every timed wait that ends now resumes in this instant's first delta cycle: after
	// one more, all of them are in the list.
	if (m_settle_at != now) {
		m_settle_at = now;
		m_settling.clear();
	}
	m_settling.push_back(&c);
	sc_core::wait(sc_core::SC_ZERO_TIME);
	if (m_settling.size() == 1)
		return;
	// Those that rank before @c at @now (tie-break, then name): one delta cycle each.
	const uint64_t mine = tie(&c, now);
	size_t before = 0;

	for (const guest_ctx *o : m_settling) {
		if (o == &c)
			continue;
		const uint64_t theirs = tie(o, now);
		before += theirs != mine ? theirs < mine : o->name < c.name;
	}
	while (before--)
		sc_core::wait(sc_core::SC_ZERO_TIME);
}

void vcpu_sched::release(guest_ctx &c)
{
	if (c.cpu < 0) {
		if (c.asking) // a grant taken back, not asked for again: stop asking
			m_waiting.erase(std::remove(m_waiting.begin(), m_waiting.end(), &c),
					m_waiting.end());
		c.asking = false;
		return;
	}
	m_owner[static_cast<unsigned>(c.cpu)] = nullptr;
	c.cpu = -1;
	if (!m_waiting.empty())
		arbitrate();
}

} // namespace rs_kshim
