// SPDX-License-Identifier: GPL-2.0-only
// The guest kernel's scheduler: platform/@vcpus virtual CPUs that guest threads spend their
// costs on (kshim_host::charge). A thread takes a vCPU for each cost and gives it up after,
// unless it holds a spinlock: then it keeps it until its last unlock (preemption off). With
// every vCPU it may use busy it waits. Interrupt handler threads run on vCPU 0 only; a thread
// that keeps vCPU 0 with a spinlock held (spin_lock_irqsave) delays them.
//
// Who gets a vCPU depends on simulated time only, never on the order SystemC runs the
// processes of one instant: waiters are served by (interrupt first, longest waiting, a
// tie-break hashed from the process name and the cycle); a grant made at this very instant
// is taken back when a thread that ranks before it asks at the same instant (it has spent
// nothing yet), and the vCPUs granted at an instant are numbered in rank order, the highest
// first (vCPU 0, where interrupts land, last). Threads whose costs end on the same cycle
// go on one delta cycle apart in tie-break order (settle()).
#ifndef RS_KSHIM_VCPU_H
#define RS_KSHIM_VCPU_H

#include <cstdint>
#include <vector>

namespace rs_kshim {

struct guest_ctx;

class vcpu_sched {
public:
	/** vcpu_sched() - @n virtual CPUs, all idle. Throws std::invalid_argument for 0. */
	explicit vcpu_sched(unsigned n);

	/**
	 * acquire() - a vCPU for @c (nothing when it holds one); waits while none it may use
	 * is idle. A grant of this instant may still be taken back (c.cpu becomes -1 and
	 * c.cpu_ev fires): the caller has to check c.cpu after each wait of its own.
	 * Context: the SystemC process of @c; may wait.
	 */
	void acquire(guest_ctx &c);

	/**
	 * settle() - @c has paid a cost that ended now: threads whose costs end at the same
	 * cycle go on one by one in tie-break order (one delta cycle apart), not in the order
	 * SystemC's timed queue happens to hold them. Context: right after the cost.
	 */
	void settle(guest_ctx &c);

	/** release() - @c gives its vCPU up (nothing when it holds none). */
	void release(guest_ctx &c);

	unsigned nr() const { return static_cast<unsigned>(m_owner.size()); }
	/** wait_cycles() - simulated time threads have spent waiting for a vCPU so far. */
	uint64_t wait_cycles() const { return m_wait_cycles; }
	/** waits() - how many times a thread had to wait for a vCPU. */
	uint64_t waits() const { return m_waits; }

private:
	void arbitrate();

	std::vector<guest_ctx *> m_owner;   // per vCPU, nullptr when idle
	std::vector<uint64_t> m_granted_at; // per vCPU, the cycle it was handed out
	std::vector<guest_ctx *> m_waiting; // threads asking, in no particular order
	std::vector<guest_ctx *> m_settling; // costs that ended at m_settle_at
	std::vector<guest_ctx *> m_ranked;   // arbitrate()'s list, kept between calls
	uint64_t m_settle_at = UINT64_MAX;
	uint64_t m_wait_cycles = 0, m_waits = 0;
};

} // namespace rs_kshim

#endif
