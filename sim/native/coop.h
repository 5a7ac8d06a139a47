// SPDX-License-Identifier: GPL-2.0-only
// The native replay's guest threads: cooperative coroutines (ucontext) on the host thread,
// in place of SystemC processes. A thread runs until it sleeps on a wait queue (or ends);
// then the next runnable one runs, in the order they became runnable. When none is
// runnable, the replay's idle hook runs: the instant devices serve what the guest posted
// and call its interrupt handlers, whose wake_ups make threads runnable again. No
// simulated time exists: nothing waits for anything but another thread or the device.
#ifndef RS_NATIVE_COOP_H
#define RS_NATIVE_COOP_H

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include <ucontext.h>

namespace gmm {
class address_space;
}

namespace rs_native {

struct coop_thread {
	ucontext_t uc;
	std::unique_ptr<char[]> stack;
	std::function<void()> body;
	bool done = false;
	// The kshim context fields of this thread (kshim's single boot context holds the
	// running thread's while it runs: kshim_host::ctx() outside SystemC is that one).
	gmm::address_space *as = nullptr;
	int64_t request = -1;
	int locks_held = 0;
};

/** spawn() - a new guest thread running @body, runnable at once. */
void spawn(std::function<void()> body);

/**
 * run() - run every thread to its end
 * @idle: called when no thread is runnable; returns false when it had nothing to do (then
 *	the threads left asleep are deadlocked: run() returns false)
 * Return: true when every thread ended.
 */
bool run(const std::function<bool()> &idle);

/** current() - the running guest thread, or nullptr (the idle hook, boot). */
coop_thread *current();

/** sleep() - the running thread gives the host thread up until wake(). */
void sleep();
/** wake() - make @t runnable (again). */
void wake(coop_thread *t);

/** run_work() - the kernel worker: run what schedule_work() queued. Return: any ran. */
bool run_work();

} // namespace rs_native

#endif
