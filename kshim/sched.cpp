// SPDX-License-Identifier: GPL-2.0-only
// kshim: time, BUG/WARN, spinlocks and wait queues. A guest thread that sleeps is a
// SystemC process waiting on its own event; wake_up and signals notify it.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

#include <linux/kshim.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "kshim/crash.h"
#include "kshim/host.h"

using rs_kshim::guest_ctx;
using rs_kshim::kshim_host;
using namespace sc_core;

namespace {

// A wait queue's sleepers. A head has one only while a thread sleeps on it (impl NULL
// otherwise): a head on a stack or in freed memory (blk_submit_io's io.wq, one per I/O)
// never says it is gone, so an empty queue goes back to the pool at once and host memory
// stays bounded by the queues in use at the same time, however long the run.
struct waitqueue {
	std::vector<guest_ctx *> sleepers;
	wait_queue_head_t *head = nullptr; // the head it is attached to, nullptr in the pool
};

// A spinlock's release, for a thread on another vCPU spinning on it.
struct spin_wait {
	sc_event released;
};

std::vector<std::unique_ptr<waitqueue>> g_queues; // owned here for the run
std::vector<waitqueue *> g_free_queues;           // detached, kept for reuse
std::vector<std::unique_ptr<spin_wait>> g_locks;

// The queue of @wq, attached from the pool if it has none.
waitqueue *attach(wait_queue_head_t *wq)
{
	auto *q = static_cast<waitqueue *>(wq->impl);

	if (q)
		return q;
	if (g_free_queues.empty()) {
		g_queues.push_back(std::make_unique<waitqueue>());
		q = g_queues.back().get();
	} else {
		q = g_free_queues.back();
		g_free_queues.pop_back();
	}
	q->head = wq;
	wq->impl = q;
	return q;
}

// @q (no sleepers left) back to the pool, if @wq still holds it.
void detach(wait_queue_head_t *wq, waitqueue *q)
{
	if (q->head != wq || wq->impl != q)
		return; // re-initialized while slept on: the old sleepers keep it
	wq->impl = nullptr;
	q->head = nullptr;
	g_free_queues.push_back(q);
}

const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

} // namespace

extern "C" bool schedule_work(struct work_struct *work)
{
	kshim_host &h = kshim_host::current();

	if (work->pending)
		return false;
	work->pending = 1;
	h.work_queue().push_back(work);
	h.work_event().notify(SC_ZERO_TIME);
	return true;
}

extern "C" void kshim_charge(enum kshim_cost c, unsigned long n)
{
	kshim_host::current().charge(c, n);
}

extern "C" s64 kshim_current_request(void)
{
	return kshim_host::current().ctx().request;
}

extern "C" u64 local_clock(void)
{
	return kshim_host::current().cycle();
}

// A finding at the DUT's FILE:LINE ("xen-blkfront.c:369"), which is left in @where.
static void report_at(rs_models::finding::severity sev, const char *kind, const char *file,
		      int line, const char *detail, char (&where)[256])
{
	snprintf(where, sizeof(where), "%s:%d", base_name(file), line);
	kshim_host::current().report(sev, kind, where, detail);
}

extern "C" void kshim_bug(const char *file, int line, const char *cond)
{
	char where[256], detail[256];

	snprintf(detail, sizeof(detail), "BUG_ON(%s)", cond);
	report_at(rs_models::finding::severity::bug, "dut_bug", file, line, detail, where);
	kshim_host::current().die(where);
}

extern "C" void kshim_warn(const char *file, int line, const char *cond)
{
	char where[256], detail[256];

	snprintf(detail, sizeof(detail), "WARN_ON(%s)", cond);
	report_at(rs_models::finding::severity::warn, "dut_warn", file, line, detail, where);
}

extern "C" void kshim_printk_info(const char *file, int line, const char *what,
				  unsigned long value)
{
	char where[256], detail[256];

	snprintf(detail, sizeof(detail), "%s %lu", what, value);
	report_at(rs_models::finding::severity::info, "printk", file, line, detail, where);
}

extern "C" void kshim_spin_lock(spinlock_t *lock)
{
	kshim_host &h = kshim_host::current();

	// Held by another thread: wait until it lets go (in simulated time). The waiter gives
	// its vCPU up meanwhile (spinning is not charged), so a holder waiting for a vCPU
	// never waits for a spinner. The holder keeps the vCPU of its next charge until its
	// last unlock (preemption off).
	if (lock->held && kshim_host::in_process()) {
		rs_kshim::probe_stack(h.ctx().stack_probed);
		h.sched().release(h.ctx());
	}
	while (lock->held && kshim_host::in_process()) {
		if (!lock->impl) {
			g_locks.push_back(std::make_unique<spin_wait>());
			lock->impl = g_locks.back().get();
		}
		wait(static_cast<spin_wait *>(lock->impl)->released);
	}
	lock->held = 1;
	h.ctx().locks_held++;
	h.charge(KSHIM_COST_SPIN_LOCK, 1);
}

extern "C" void kshim_spin_unlock(spinlock_t *lock)
{
	kshim_host &h = kshim_host::current();

	lock->held = 0;
	if (--h.ctx().locks_held == 0)
		h.sched().release(h.ctx());
	if (lock->impl)
		static_cast<spin_wait *>(lock->impl)->released.notify(SC_ZERO_TIME);
}

extern "C" void kshim_init_waitqueue_head(wait_queue_head_t *wq, const char *name)
{
	wq->impl = nullptr; // no sleepers: see struct waitqueue
	wq->name = name;
}

extern "C" void wake_up(wait_queue_head_t *wq)
{
	kshim_host &h = kshim_host::current();

	h.charge(KSHIM_COST_WAKE_UP, 1);
	auto *q = static_cast<waitqueue *>(wq->impl);
	if (!q)
		return;
	for (guest_ctx *c : q->sleepers)
		c->wake.notify(SC_ZERO_TIME);
	q->sleepers.clear();
	detach(wq, q);
}

extern "C" int kshim_signal_pending(void)
{
	return kshim_host::current().ctx().signal_pending;
}

extern "C" void kshim_clear_sigpending(void)
{
	kshim_host::current().ctx().signal_pending = false;
}

extern "C" void kshim_recalc_sigpending(void)
{
	guest_ctx &c = kshim_host::current().ctx();

	c.signal_pending = c.signal_queued;
}

extern "C" void kshim_wait_uninterruptible(wait_queue_head_t *wq)
{
	kshim_host &h = kshim_host::current();
	guest_ctx &c = h.ctx();
	rs_kshim::wait_probe *probe = h.wait_probe_of(wq->name);
	uint64_t start = h.cycle();

	rs_kshim::probe_stack(c.stack_probed);
	if (probe)
		probe->asleep(c);
	// Pool queues live for the run: q stays valid once wake_up() has detached it.
	waitqueue *q = attach(wq);
	q->sleepers.push_back(&c);
	h.sched().release(c); // schedule(): the vCPU goes to another thread
	// A signal does not end this sleep: wait for the wake_up itself.
	while (std::find(q->sleepers.begin(), q->sleepers.end(), &c) != q->sleepers.end())
		wait(c.wake);
	if (probe)
		probe->awake(c, start, h.cycle());
	h.charge(KSHIM_COST_CONTEXT_SWITCH, 1);
}

extern "C" int kshim_wait_interruptible(wait_queue_head_t *wq)
{
	kshim_host &h = kshim_host::current();
	guest_ctx &c = h.ctx();

	if (c.signal_pending)
		return -ERESTARTSYS;
	if (c.locks_held)
		h.report(rs_models::finding::severity::error, "sleep_in_atomic",
			 wq->name ? wq->name : "wait queue",
			 "sleeping on a wait queue with a spinlock held");
	rs_kshim::wait_probe *probe = h.wait_probe_of(wq->name);
	uint64_t start = h.cycle();

	rs_kshim::probe_stack(c.stack_probed);
	if (probe)
		probe->asleep(c);
	waitqueue *q = attach(wq); // valid after a detach, as above
	q->sleepers.push_back(&c);
	h.sched().release(c); // schedule(): the vCPU goes to another thread
	wait(c.wake);
	if (probe)
		probe->awake(c, start, h.cycle());
	// A signal may have woken us: leave the queue either way.
	q->sleepers.erase(std::remove(q->sleepers.begin(), q->sleepers.end(), &c),
			  q->sleepers.end());
	if (q->sleepers.empty())
		detach(wq, q);
	h.charge(KSHIM_COST_CONTEXT_SWITCH, 1);
	return c.signal_pending ? -ERESTARTSYS : 0;
}
