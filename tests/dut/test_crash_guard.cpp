// SPDX-License-Identifier: GPL-2.0-only
// kshim's guard against the DUT's faults (kshim/crash.h) on the DUT fixture, one case per
// process (argv[1]). The "DUT" is this file's functions in the section rs_fake_dut: the
// guard is armed with that section's addresses as the one DUT object.
// - thread: a guest thread stores through NULL in the DUT: the thread parks, the run stops,
//   the record has SIGSEGV, address 0, the DUT's PC first, the thread's request (7); the
//   host says dut_crash. Exit 0.
// - overflow: a guest thread recurses in the DUT, charging a syscall per level, until its
//   stack runs out: the stack probe faults before the thread waits again, the record says
//   stack_overflow, and the frames are the DUT's recursion. Exit 0.
// - boot: the same store at boot, inside boot_call(): boot_call returns false, the record
//   has cycle 0, request -1, no thread. Exit 0.
// - outside: the same store outside boot_call() and outside a process: one line on stderr,
//   exit 1 (the run cannot end cleanly).
// - not_dut: the same store with the guard armed for no DUT object: not the DUT's, so the
//   handler before the guard's takes it (killed by SIGSEGV; in a sanitizer build
//   AddressSanitizer's SEGV report), as for a bug of the simulator's own.
// - sent: SIGSEGV sent by raise() while the guard is armed: not a fault, not the DUT's;
//   killed by SIGSEGV as without the guard.
// tests/dut/crash_guard.sh runs each case and checks how it ended.
#include <signal.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <linux/kshim.h>

#include "dut_fixture.h"
#include "kshim/crash.h"
#include "kshim/host.h"

extern "C" char __start_rs_fake_dut[], __stop_rs_fake_dut[];

namespace {

int *volatile g_null; // NULL, and the compiler cannot know it

// Like a DUT object in a sanitizer build, less its UBSan: it must crash, not be reported.
#define FAKE_DUT __attribute__((section("rs_fake_dut"), noinline, used, no_sanitize_address, \
				no_sanitize("undefined")))

FAKE_DUT void dut_store(int v)
{
	*g_null = v;
}

FAKE_DUT int dut_boot_store(void *arg)
{
	dut_store(*static_cast<int *>(arg));
	return 0;
}

// Never a loop: a volatile local is read after the call.
FAKE_DUT unsigned dut_recurse(unsigned depth)
{
	volatile unsigned here = depth;

	if (depth == UINT32_MAX) // never: a 256 KiB stack holds a few thousand frames
		return 0;
	kshim_charge(KSHIM_COST_SYSCALL, 1);
	return dut_recurse(depth + 1) + here;
}

int g_failed;

void expect(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "FAILED: %s\n", what);
		g_failed = 1;
	}
}

bool in_fake_dut(const void *pc)
{
	const char *p = static_cast<const char *>(pc);

	return p >= __start_rs_fake_dut && p < __stop_rs_fake_dut;
}

void store_in_thread(void *)
{
	rs_kshim::kshim_host::current().ctx().request = 7;
	dut_store(1);
	expect(false, "the thread went on after its fault");
}

void recurse_in_thread(void *)
{
	dut_recurse(0);
}

int check_thread(bool overflow)
{
	int ran = fx_run(overflow ? recurse_in_thread : store_in_thread, nullptr);
	const rs_kshim::crash_record *r = rs_kshim::crash_guard_record();

	expect(!ran, "fx_run: the thread ended");
	expect(r != nullptr, "no crash recorded");
	if (!r)
		return 1;
	expect(r->signo == SIGSEGV, "signal SIGSEGV");
	expect(r->in_process, "in a process");
	expect(r->thread[0] != '\0', "the thread's name");
	expect(r->n_frames > 1, "frames beyond the PC");
	expect(rs_kshim::kshim_host::current().dut_crash(), "host: dut_crash");
	expect(fx_dut_bug(), "host: the run ended in an oops");
	if (overflow) {
		int dut = 0;

		for (int i = 0; i < r->n_frames; i++)
			dut += in_fake_dut(r->frames[i]);
		expect(r->stack_overflow, "stack_overflow");
		expect(dut > 8, "the recursion's frames");
		expect(r->cycle > 0, "a cycle after the start");
	} else {
		expect(r->addr == 0, "address 0");
		expect(!r->stack_overflow, "not an overflow");
		expect(in_fake_dut(r->frames[0]), "the PC in the DUT");
		expect(r->request == 7, "request 7");
	}
	return g_failed;
}

int check_boot()
{
	int v = 1, ret = -1;
	bool returned = fx_boot(dut_boot_store, &v, &ret);
	const rs_kshim::crash_record *r = rs_kshim::crash_guard_record();

	expect(!returned, "boot_call returned");
	expect(r && r->signo == SIGSEGV && !r->in_process && r->cycle == 0 && r->request == -1 &&
	       r->thread[0] == '\0' && in_fake_dut(r->frames[0]), "the boot record");
	expect(rs_kshim::kshim_host::current().dut_crash(), "host: dut_crash");
	return g_failed;
}

} // namespace

int main(int argc, char **argv)
{
	const char *which = argc > 1 ? argv[1] : "";
	rs_kshim::code_range dut = { reinterpret_cast<uintptr_t>(__start_rs_fake_dut),
				     reinterpret_cast<uintptr_t>(__stop_rs_fake_dut) };
	bool no_dut = !strcmp(which, "not_dut");

	if (fx_setup(4096, 64ull << 20) || rs_kshim::crash_guard_arm(&dut, no_dut ? 0 : 1)) {
		fprintf(stderr, "setup failed\n");
		return 2;
	}
	if (!strcmp(which, "thread"))
		return check_thread(false);
	if (!strcmp(which, "overflow"))
		return check_thread(true);
	if (!strcmp(which, "boot"))
		return check_boot();
	if (!strcmp(which, "outside") || no_dut) {
		dut_store(1);
		fprintf(stderr, "the store went on\n");
		return 3;
	}
	if (!strcmp(which, "sent")) {
		raise(SIGSEGV);
		fprintf(stderr, "the signal was ignored\n");
		return 3;
	}
	fprintf(stderr, "unknown case '%s'\n", which);
	return 2;
}
