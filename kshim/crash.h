// SPDX-License-Identifier: GPL-2.0-only
// A DUT that faults (a wild pointer, a stack overflow, a division by zero) oopses like a
// BUG_ON instead of taking the simulator down: the guard catches SIGSEGV, SIGBUS, SIGFPE
// and SIGILL on an alternate stack, and when the fault is the DUT's (the faulting PC or one
// of its first callers lies in the DUT's code: a loaded DUT object, or the built-in seed's
// section of ringsim) it keeps what a report needs in a static
// record and ends the run as kshim_host::die() does, with status dut_crash. A fault that is
// not the DUT's (a simulator bug) goes to the handler that was there before (the default:
// a core dump; a sanitizer's report in a sanitizer build), as if the guard did not exist.
//
// The handler only copies words and compares addresses: it allocates nothing, takes no
// lock and does not symbolize. Making sense of the record (addr2line, the finding) is the
// engine's, after sc_start() returns.
#ifndef RS_KSHIM_CRASH_H
#define RS_KSHIM_CRASH_H

#include <cstddef>
#include <cstdint>

namespace rs_kshim {

// Where a DUT's code lies in the address space (a DUT object's PT_LOAD segments' span, or
// the built-in seed's section of the executable).
struct code_range {
	uintptr_t start, end;
};

struct crash_record {
	static constexpr int max_frames = 64;

	int signo = 0;              // SIGSEGV, SIGBUS, SIGFPE, SIGILL
	int code = 0;               // si_code (SEGV_MAPERR, ...)
	uintptr_t addr = 0;         // si_addr: the address the fault was about
	uintptr_t pc = 0, sp = 0;   // of the faulting instruction
	bool stack_overflow = false; // si_addr lies at the faulting thread's stack pointer
	bool in_process = false;    // a SystemC process faulted (else: boot, in boot_call())
	uint64_t cycle = 0;
	int64_t request = -1;       // the request the thread served (guest_ctx), or -1
	char thread[128] = "";      // its SystemC process's name, "" at boot
	void *frames[max_frames] = {}; // the fault's PC, then the return addresses outward
	int n_frames = 0;
	unsigned later = 0;         // faults of the DUT in other threads before the run ended
};

/**
 * crash_guard_arm() - catch the DUT's faults from now on
 * @dut: where the DUT's code lies (sim/devices dut_code_objects()); at most 16
 * @n: entries of @dut
 *
 * Installs the handlers (SA_SIGINFO | SA_ONSTACK | SA_NODEFER) on an alternate stack of
 * its own, and calls backtrace() once so the handler's later call does not load libgcc.
 * Return: 0, or -1 with errno when the alternate stack or a handler cannot be set.
 * Context: normal context, not nested; one kshim_host exists (its thread is what a fault
 * ends).
 */
int crash_guard_arm(const code_range *dut, size_t n);

/** crash_guard_disarm() - the previous handlers and alternate stack again. */
void crash_guard_disarm();

/**
 * probe_stack() - touch every page of the calling thread's stack down to 32 KiB below here,
 * before it waits
 * @lowest: the lowest address probed so far on this stack (guest_ctx), UINTPTR_MAX at first;
 *	lowered here. Pages once probed stay mapped: a call costs one comparison after the first.
 *
 * A guest thread that recursed to the bottom of its stack then faults here, in kshim code
 * the unwinder can read and with its SystemC process still the current one, and the fault
 * becomes an oops. Without it, the last call to cross into the guard page is often the
 * coroutine switch itself (QuickThreads' assembly, no unwind information, entered with the
 * next process already made current), where no backtrace reaches the DUT and the thread to
 * park is not the current one. CONFIG_SCHED_STACK_END_CHECK checks the stack before
 * schedule() for the same reason.
 * Context: a guest thread (SystemC process), before anything that may wait().
 */
void probe_stack(uintptr_t &lowest);

/** crash_guard_record() - the DUT's first fault since crash_guard_arm(), or nullptr. */
const crash_record *crash_guard_record();

} // namespace rs_kshim

#endif
