// SPDX-License-Identifier: GPL-2.0-only
// The DUT's faults as oopses (crash.h). The handler runs on an alternate stack of its own, so
// a guest thread that overran its stack into SystemC's guard page (sc_cor_qt::stack_protect
// makes the lowest page of every coroutine stack PROT_NONE) still gets one. It ends the run
// the way die() does: in a SystemC process it calls sc_stop() and parks the thread for good,
// switching coroutines from the handler's frame (the thread never resumes, so nothing ever
// returns through that frame); at boot it longjmps out of boot_call(). SA_NODEFER leaves the
// signal mask as it was for both.
#include "kshim/crash.h"

#include <execinfo.h>
#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "kshim/host.h"

namespace rs_kshim {

using namespace sc_core;

namespace {

constexpr int k_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL };
constexpr size_t k_nsig = sizeof(k_signals) / sizeof(k_signals[0]);
constexpr size_t k_max_dut = 16;
// The frames a fault is blamed on the DUT for: its PC and three callers. A DUT's memcpy to a
// wild pointer faults in libc, called by KASAN's __asan_memcpy (kshim), called by the DUT.
constexpr int k_blame_frames = 4;
// A stack overflow is the DUT's when its code is anywhere on the stack: the last call that
// crossed into the guard page may be kshim's charge() waiting in SystemC, frames below.
constexpr uintptr_t k_overflow_window = 64 * 1024;
// probe_stack(): what charge() -> wait() -> the coroutine switch needs below a probe, with
// room (a sanitizer's malloc too), in steps no larger than SystemC's one guard page.
constexpr uintptr_t k_probe_bytes = 32 * 1024;
constexpr uintptr_t k_probe_step = 4096;
// backtrace()'s unwinder, SystemC's wait() and the coroutine switch, with room to spare.
constexpr size_t k_alt_stack_size = 256 * 1024;

struct sigaction g_old[k_nsig];
stack_t g_old_stack;
void *g_alt;           // the alternate stack's mapping, guard page first
size_t g_alt_size;
code_range g_dut[k_max_dut];
size_t g_n_dut;
crash_record g_record;
volatile sig_atomic_t g_have_record;
volatile sig_atomic_t g_busy;          // the handler is between its entry and die_of_fault()
const sc_process_b *volatile g_dying;  // the last process the handler sent to die
bool g_armed;

// --- async-signal-safe output: write(2) of fixed strings and hex numbers

void put(const char *s)
{
	ssize_t r = write(STDERR_FILENO, s, strlen(s));
	(void)r;
}

void put_hex(uintptr_t v)
{
	char buf[2 + 2 * sizeof(v) + 1], *p = buf + sizeof(buf) - 1;

	*p = '\0';
	do {
		*--p = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	*--p = 'x';
	*--p = '0';
	put(p);
}

const char *signal_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGFPE: return "SIGFPE";
	default: return "SIGILL";
	}
}

// One line, then out: what the handler cannot turn into an oops. No results are written.
// (Library code never exits, but this is a signal handler with nowhere to return to: the
// faulting instruction would fault again, and the run's state is not to be trusted.)
[[noreturn]] void give_up(int sig, uintptr_t pc, uintptr_t addr, const char *why)
{
	put("ringsim: ");
	put(signal_name(sig));
	put(" at pc ");
	put_hex(pc);
	put(" (address ");
	put_hex(addr);
	put("): ");
	put(why);
	put("; no results written\n");
	_exit(1);
}

bool in_dut(const void *pc)
{
	const uintptr_t a = reinterpret_cast<uintptr_t>(pc);

	for (size_t i = 0; i < g_n_dut; i++)
		if (a >= g_dut[i].start && a < g_dut[i].end)
			return true;
	return false;
}

size_t index_of(int sig)
{
	size_t i = 0;

	while (i + 1 < k_nsig && k_signals[i] != sig)
		i++;
	return i;
}

// Not the DUT's: the handler there before takes over. The faulting instruction runs again on
// return and faults again (SIG_DFL: a core dump); a signal someone sent is sent again.
void pass_on(int sig, const siginfo_t *si)
{
	sigaction(sig, &g_old[index_of(sig)], nullptr);
	if (si->si_code <= 0)
		raise(sig);
}

// The fault's PC first, then the callers: backtrace() unwinds through the signal frame, so
// the PC is in its list after the handler's own frames. If the unwinder cannot get there,
// the PC alone.
void take_frames(crash_record &r, void *const *raw, int n)
{
	int from = -1;

	for (int i = 0; i < n && from < 0; i++)
		if (reinterpret_cast<uintptr_t>(raw[i]) == r.pc)
			from = i;
	r.frames[0] = reinterpret_cast<void *>(r.pc);
	r.n_frames = 1;
	for (int i = from + 1; from >= 0 && i < n && r.n_frames < crash_record::max_frames; i++)
		r.frames[r.n_frames++] = raw[i];
}

bool blame_dut(const crash_record &r)
{
	const int look = r.stack_overflow ? r.n_frames : k_blame_frames;

	for (int i = 0; i < look && i < r.n_frames; i++)
		if (in_dut(r.frames[i]))
			return true;
	return false;
}

void copy_name(char *to, size_t size, const char *from)
{
	size_t i = 0;

	for (; from && from[i] && i + 1 < size; i++)
		to[i] = from[i];
	to[i] = '\0';
}

void on_fault(int sig, siginfo_t *si, void *ucv)
{
	const auto *uc = static_cast<const ucontext_t *>(ucv);
	const uintptr_t pc = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]);
	const uintptr_t sp = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RSP]);
	const uintptr_t addr = reinterpret_cast<uintptr_t>(si->si_addr);
	const sc_process_b *proc = kshim_host::in_process() ? sc_get_current_process_b() : nullptr;

	// The handler itself, or ending the run (sc_stop, the switch away), faulted.
	if (g_busy || (proc && proc == g_dying))
		give_up(sig, pc, addr, "a fault while handling the DUT's fault");
	g_busy = 1;

	crash_record r;
	void *raw[crash_record::max_frames + 16];

	r.signo = sig;
	r.code = si->si_code;
	r.addr = addr;
	r.pc = pc;
	r.sp = sp;
	r.stack_overflow = sig == SIGSEGV && addr + k_overflow_window > sp &&
			   addr < sp + k_overflow_window;
	take_frames(r, raw, backtrace(raw, crash_record::max_frames + 16));
	if (si->si_code <= 0 || !blame_dut(r) || !kshim_host::exists()) {
		g_busy = 0;
		pass_on(sig, si);
		return;
	}
	kshim_host &h = kshim_host::current();

	if (!h.can_die())
		give_up(sig, pc, addr, "the DUT crashed outside a guest thread and outside boot");
	if (!g_have_record) {
		const guest_ctx *c = h.find_ctx();

		r.in_process = proc != nullptr;
		r.cycle = h.cycle();
		r.request = c ? c->request : -1;
		copy_name(r.thread, sizeof(r.thread), proc ? proc->name() : nullptr);
		g_record = r;
		g_have_record = 1;
	} else {
		g_record.later++;
	}
	g_dying = proc;
	g_busy = 0;
	h.die_of_fault();
}

} // namespace

// Not instrumented: the pages below the frame are nobody's, and a sanitizer's shadow of
// them may be stale.
__attribute__((no_sanitize_address)) void probe_stack(uintptr_t &lowest)
{
	const uintptr_t here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
	const uintptr_t low = here - k_probe_bytes;

	if (low >= lowest)
		return;
	for (uintptr_t a = std::min(lowest, here) - k_probe_step; a > low; a -= k_probe_step)
		(void)*reinterpret_cast<const volatile char *>(a);
	(void)*reinterpret_cast<const volatile char *>(low);
	lowest = low;
}

int crash_guard_arm(const code_range *dut, size_t n)
{
	const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
	struct sigaction sa;
	stack_t st;
	void *warm[4];

	if (g_armed || n > k_max_dut) {
		errno = EINVAL;
		return -1;
	}
	std::copy(dut, dut + n, g_dut);
	g_n_dut = n;
	g_record = crash_record();
	g_have_record = 0;
	g_busy = 0;
	g_dying = nullptr;
	backtrace(warm, 4); // loads libgcc's unwinder now, not in the handler
	// The alternate stack with a guard page below it: a handler that overran it faults.
	g_alt_size = page + k_alt_stack_size;
	g_alt = mmap(nullptr, g_alt_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		     -1, 0);
	if (g_alt == MAP_FAILED)
		return -1;
	mprotect(g_alt, page, PROT_NONE);
	st.ss_sp = static_cast<char *>(g_alt) + page;
	st.ss_size = k_alt_stack_size;
	st.ss_flags = 0;
	if (sigaltstack(&st, &g_old_stack)) {
		munmap(g_alt, g_alt_size);
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < k_nsig; i++)
		sigaction(k_signals[i], &sa, &g_old[i]);
	g_armed = true;
	return 0;
}

void crash_guard_disarm()
{
	if (!g_armed)
		return;
	for (size_t i = 0; i < k_nsig; i++)
		sigaction(k_signals[i], &g_old[i], nullptr);
	sigaltstack(&g_old_stack, nullptr);
	munmap(g_alt, g_alt_size);
	g_armed = false;
}

const crash_record *crash_guard_record()
{
	return g_have_record ? &g_record : nullptr;
}

} // namespace rs_kshim
