// SPDX-License-Identifier: GPL-2.0-only
// The coroutines of coop.h, and kshim's time, lock and wait-queue API on them: this file
// takes the place of kshim/sched.cpp in ringsim-native (the linker takes every one of its
// symbols from here, so none of sched.cpp's SystemC waits is linked in). No cost is
// charged: kshim_charge() does nothing, and spinlocks only count (a cooperative thread is
// never preempted, so a lock is never found held by another).
#include "native/coop.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>

#include <linux/kshim.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "kshim/host.h"

using rs_kshim::kshim_host;

namespace rs_native {

namespace {

constexpr size_t STACK_BYTES = 256 * 1024; // as guest_workload's SC_THREADs: DUT C frames

std::vector<std::unique_ptr<coop_thread>> g_threads;
std::deque<coop_thread *> g_runnable;
coop_thread *g_current;
ucontext_t g_main;

// The running thread's kshim context lives in kshim's boot context while it runs.
void load_ctx(coop_thread *t)
{
	rs_kshim::guest_ctx &c = kshim_host::current().ctx();

	c.as = t ? t->as : nullptr;
	c.request = t ? t->request : -1;
	c.locks_held = t ? t->locks_held : 0;
}

void save_ctx(coop_thread *t)
{
	rs_kshim::guest_ctx &c = kshim_host::current().ctx();

	t->as = c.as;
	t->request = c.request;
	t->locks_held = c.locks_held;
}

void trampoline(unsigned lo, unsigned hi)
{
	auto *t = reinterpret_cast<coop_thread *>((uintptr_t(hi) << 32) | lo);

	t->body();
	t->done = true;
	save_ctx(t);
	swapcontext(&t->uc, &g_main);
}

// As in kshim/sched.cpp: a head holds a queue only while a thread sleeps on it, so a head
// that goes away unannounced (blk_submit_io's io.wq on the stack) leaks nothing.
struct waitqueue {
	std::vector<coop_thread *> sleepers;
};
std::vector<std::unique_ptr<waitqueue>> g_queues; // every queue, for the run
std::vector<waitqueue *> g_free_queues;           // detached, kept for reuse
std::vector<struct work_struct *> g_work;

} // namespace

void spawn(std::function<void()> body)
{
	auto t = std::make_unique<coop_thread>();

	t->body = std::move(body);
	t->stack.reset(new char[STACK_BYTES]);
	getcontext(&t->uc);
	t->uc.uc_stack.ss_sp = t->stack.get();
	t->uc.uc_stack.ss_size = STACK_BYTES;
	t->uc.uc_link = nullptr;
	uintptr_t p = reinterpret_cast<uintptr_t>(t.get());
	makecontext(&t->uc, reinterpret_cast<void (*)()>(trampoline), 2, unsigned(p),
		    unsigned(p >> 32));
	g_runnable.push_back(t.get());
	g_threads.push_back(std::move(t));
}

coop_thread *current()
{
	return g_current;
}

void sleep()
{
	coop_thread *t = g_current;

	if (!t) {
		fputs("ringsim-native: a wait outside a guest thread (interrupt or worker)\n",
		      stderr);
		abort();
	}
	save_ctx(t);
	swapcontext(&t->uc, &g_main);
}

void wake(coop_thread *t)
{
	if (std::find(g_runnable.begin(), g_runnable.end(), t) == g_runnable.end())
		g_runnable.push_back(t);
}

bool run_work()
{
	bool any = false;

	while (!g_work.empty()) {
		struct work_struct *w = g_work.front();

		g_work.erase(g_work.begin());
		w->pending = 0;
		w->func(w);
		any = true;
	}
	return any;
}

bool run(const std::function<bool()> &idle)
{
	for (;;) {
		while (!g_runnable.empty()) {
			coop_thread *t = g_runnable.front();

			g_runnable.pop_front();
			if (t->done)
				continue;
			g_current = t;
			load_ctx(t);
			swapcontext(&g_main, &t->uc);
			g_current = nullptr;
			load_ctx(nullptr);
		}
		bool live = std::any_of(g_threads.begin(), g_threads.end(),
					[](const auto &t) { return !t->done; });
		if (!live)
			break;
		if (!run_work() && !idle())
			return false;
	}
	g_threads.clear();
	return true;
}

} // namespace rs_native

using rs_native::coop_thread;

namespace {

const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

void report_at(rs_models::finding::severity sev, const char *kind, const char *file, int line,
	       const char *detail)
{
	char where[256];

	snprintf(where, sizeof(where), "%s:%d", base_name(file), line);
	kshim_host::current().report(sev, kind, where, detail);
}

} // namespace

extern "C" bool schedule_work(struct work_struct *work)
{
	if (work->pending)
		return false;
	work->pending = 1;
	rs_native::g_work.push_back(work);
	return true;
}

extern "C" void kshim_charge(enum kshim_cost c, unsigned long n)
{
	(void)c; // not charged: no simulated time here
	(void)n;
}

extern "C" s64 kshim_current_request(void)
{
	return kshim_host::current().ctx().request;
}

extern "C" u64 local_clock(void)
{
	return 0;
}

extern "C" void kshim_bug(const char *file, int line, const char *cond)
{
	char detail[256];

	snprintf(detail, sizeof(detail), "BUG_ON(%s)", cond);
	report_at(rs_models::finding::severity::bug, "dut_bug", file, line, detail);
	// The replay's finding sink has ended the process by now.
	abort();
}

extern "C" void kshim_warn(const char *file, int line, const char *cond)
{
	char detail[256];

	snprintf(detail, sizeof(detail), "WARN_ON(%s)", cond);
	report_at(rs_models::finding::severity::warn, "dut_warn", file, line, detail);
}

extern "C" void kshim_printk_info(const char *file, int line, const char *what,
				  unsigned long value)
{
	char detail[256];

	snprintf(detail, sizeof(detail), "%s %lu", what, value);
	report_at(rs_models::finding::severity::info, "printk", file, line, detail);
}

extern "C" void kshim_spin_lock(spinlock_t *lock)
{
	lock->held = 1;
	kshim_host::current().ctx().locks_held++;
}

extern "C" void kshim_spin_unlock(spinlock_t *lock)
{
	lock->held = 0;
	kshim_host::current().ctx().locks_held--;
}

extern "C" void kshim_init_waitqueue_head(wait_queue_head_t *wq, const char *name)
{
	wq->impl = nullptr; // no sleepers
	wq->name = name;
}

extern "C" void wake_up(wait_queue_head_t *wq)
{
	auto *q = static_cast<rs_native::waitqueue *>(wq->impl);

	if (!q)
		return;
	for (coop_thread *t : q->sleepers)
		rs_native::wake(t);
	q->sleepers.clear();
	wq->impl = nullptr;
	rs_native::g_free_queues.push_back(q);
}

// No signals in a replay: none is ever pending.
extern "C" int kshim_signal_pending(void)
{
	return 0;
}

extern "C" void kshim_clear_sigpending(void)
{
}

extern "C" void kshim_recalc_sigpending(void)
{
}

static void sleep_on(wait_queue_head_t *wq)
{
	auto *q = static_cast<rs_native::waitqueue *>(wq->impl);

	if (!q) {
		if (rs_native::g_free_queues.empty()) {
			rs_native::g_queues.push_back(std::make_unique<rs_native::waitqueue>());
			q = rs_native::g_queues.back().get();
		} else {
			q = rs_native::g_free_queues.back();
			rs_native::g_free_queues.pop_back();
		}
		wq->impl = q;
	}
	q->sleepers.push_back(rs_native::current());
	rs_native::sleep();
}

extern "C" void kshim_wait_uninterruptible(wait_queue_head_t *wq)
{
	sleep_on(wq);
}

extern "C" int kshim_wait_interruptible(wait_queue_head_t *wq)
{
	if (kshim_host::current().ctx().locks_held)
		report_at(rs_models::finding::severity::error, "sleep_in_atomic", __FILE__,
			  __LINE__, "sleeping on a wait queue with a spinlock held");
	sleep_on(wq);
	return 0;
}
