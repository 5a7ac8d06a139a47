// SPDX-License-Identifier: GPL-2.0-only
// The state behind the kshim C API for one run: guest memory, the cost of each kernel call,
// and one context per guest thread (its process, the request it serves, a pending signal,
// the spinlocks it holds). kshim functions find "current" through SystemC's current
// process. What the kernel does that a simulator wants to hear of (findings, sleeps on a
// wait queue, pinned pages) goes out through the probes of kshim/probes.h; kshim itself
// records nothing.
#ifndef RS_KSHIM_HOST_H
#define RS_KSHIM_HOST_H

#include <csetjmp>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include <linux/kshim.h>

#include "common/finding.h"
#include "guest_mm/guest_memory.h"
#include "kshim/probes.h"
#include "kshim/vcpu.h"

struct page;
struct scatterlist;
struct work_struct;

namespace rs_kshim {

struct guest_ctx {
	gmm::address_space *as = nullptr; // the process, for gup and copy_*_user
	int64_t request = -1;             // the workload request being served
	void *request_data = nullptr;     // the simulator's record of it (kshim never reads it)
	bool signal_pending = false;      // TIF_SIGPENDING
	bool signal_queued = false;       // a signal not yet handled
	int locks_held = 0;
	sc_core::sc_event wake;           // a wake_up or a signal for this thread
	int cpu = -1;                     // the vCPU it runs on now, or -1
	bool asking = false;              // waiting for a vCPU (vcpu.h)
	uint64_t asked_at = 0;            // since this cycle
	uint64_t asked_tie = 0;           // the tie-break hash at asked_at (vcpu.cpp)
	bool irq = false;                 // an interrupt handler thread: vCPU 0 only
	std::string name;                 // its SystemC process's: the scheduler's tie-break
	mutable uint64_t name_hash = 0;   // FNV-1a of @name, once it is needed (vcpu.cpp)
	mutable bool name_hashed = false;
	uintptr_t stack_probed = UINTPTR_MAX; // probe_stack() (kshim/crash.h) reached down to
	sc_core::sc_event cpu_ev;         // a vCPU handed over to it, or taken back
};

class kshim_host {
public:
	/**
	 * kshim_host() - the kernel of one run, on @mem
	 * @costs: cycles per call of each kernel API, KSHIM_COST_COUNT entries (copied)
	 * @findings: where BUG_ON, WARN_ON, notable printks and misuse of the API are reported
	 * @nr_vcpus: the guest's virtual CPUs (at least 1): at most this many threads spend
	 *	their costs at once (see vcpu.h)
	 */
	kshim_host(gmm::guest_memory &mem, const uint64_t *costs,
		   rs_models::finding_sink_if &findings, unsigned nr_vcpus);
	virtual ~kshim_host();
	kshim_host(const kshim_host &) = delete;
	kshim_host &operator=(const kshim_host &) = delete;

	/** current() - the host of this run; there is one per process. */
	static kshim_host &current() { return *s_current; }
	static bool exists() { return s_current != nullptr; }

	/**
	 * ctx() - the context of the calling SystemC process, created on first use; outside any
	 * process (elaboration: device probe at boot), a shared boot context.
	 */
	guest_ctx &ctx();

	/**
	 * exit_thread() - the calling process ends: its vCPU goes back and its context is
	 * forgotten (a later process at the same address starts afresh).
	 */
	void exit_thread();

	/** in_process() - whether the caller is a SystemC process (costs are charged). */
	static bool in_process();

	/** deliver_signal() - make a signal pending for @ctx and wake it if it sleeps. */
	void deliver_signal(guest_ctx &ctx);

	/**
	 * charge() - the calling guest thread spends @n times cost @c (simulated time) on a
	 * vCPU: it waits for one first when all are busy, and gives it up afterwards unless it
	 * holds a spinlock.
	 */
	void charge(enum kshim_cost c, uint64_t n);

	/** on_irq_vcpu() - the calling process handles interrupts: it runs on vCPU 0. */
	void on_irq_vcpu() { ctx().irq = true; }

	/** sched() - the vCPUs: spinlocks hold one; sleeping gives it up. */
	vcpu_sched &sched() { return m_sched; }
	const vcpu_sched &sched() const { return m_sched; }
	uint64_t cycle() const;

	/** report() - a finding at this cycle, for the request the calling thread serves. */
	void report(rs_models::finding::severity sev, const char *kind, const char *where,
		    const char *detail);

	gmm::guest_memory &mem() { return m_mem; }
	/** dut_bug() - the DUT oopsed (a BUG_ON, a wild write kshim saw, a fault): the run ends. */
	bool dut_bug() const { return m_dut_bug; }
	void set_dut_bug() { m_dut_bug = true; }
	/** dut_crash() - the oops was a fault of the DUT's code (kshim/crash.h). */
	bool dut_crash() const { return m_dut_crash; }

	/**
	 * find_ctx() - the calling process's context if it has one (or the boot context),
	 * without creating it: nullptr for a process that never called kshim.
	 * Context: anywhere, a signal handler too (it allocates nothing).
	 */
	const guest_ctx *find_ctx() const;

	/**
	 * boot_call() - run @fn(@arg) at boot (elaboration) so that an oops in it (BUG_ON, a
	 * wild write) ends @fn like the kernel ends the thread that oopsed, not the simulator
	 * Return: true with *@ret = @fn's value when @fn returned; false when it oopsed (the
	 * findings are recorded and dut_bug() is set).
	 * Context: elaboration only, not nested. The DUT's frames are C: nothing to unwind.
	 */
	bool boot_call(int (*fn)(void *), void *arg, int *ret);

	/**
	 * die() - the calling thread oopsed: the run ends with status dut_bug. In a process:
	 * sc_stop() and the thread parks forever; at boot: back out of boot_call(), or
	 * std::runtime_error outside one. The finding is the caller's to report.
	 */
	[[noreturn]] void die(const char *where);

	/**
	 * can_die() - whether an oops now can end the calling thread: in a process, or at
	 * boot inside boot_call().
	 */
	bool can_die() const { return in_process() || m_boot_armed; }

	/**
	 * die_of_fault() - die() for a fault of the DUT's code: the run ends with status
	 * dut_crash (dut_bug() is set too: the run ended in an oops).
	 * Context: kshim/crash.cpp's signal handler, when can_die(); allocates only what
	 * SystemC's wait() does.
	 */
	[[noreturn]] void die_of_fault();

	// Sleeps on the wait queue of this name (its init_waitqueue_head() name) go to @p.
	void watch_wait_queue(const std::string &wq_name, wait_probe *p) { m_waits[wq_name] = p; }
	wait_probe *wait_probe_of(const char *wq_name) const
	{
		auto it = wq_name ? m_waits.find(wq_name) : m_waits.end();
		return it == m_waits.end() ? nullptr : it->second;
	}

	// Every pin and unpin of guest pages is told to @p, with the thread that made it.
	void watch_pins(pin_probe *p) { m_pins = p; }
	void pinned_changed(int64_t delta);

	// Work items (schedule_work) for the kernel worker thread.
	std::vector<struct work_struct *> &work_queue() { return m_work; }
	sc_core::sc_event &work_event() { return m_work_ev; }

	struct sg_array {
		const scatterlist *base;
		size_t nelem;
		const char *name;
	};
	std::vector<sg_array> &sg_arrays() { return m_sg_arrays; }
	std::vector<page> &mem_map_pages() { return m_mem_map; }

private:
	static kshim_host *s_current;
	gmm::guest_memory &m_mem;
	uint64_t m_costs[KSHIM_COST_COUNT];
	rs_models::finding_sink_if &m_findings;
	std::map<const sc_core::sc_process_b *, std::unique_ptr<guest_ctx>> m_ctx;
	// The last lookup of ctx(): a thread asks many times in a row.
	const sc_core::sc_process_b *m_last_process = nullptr;
	guest_ctx *m_last_ctx = nullptr;
	guest_ctx m_boot;
	std::vector<page> m_mem_map;
	std::vector<sg_array> m_sg_arrays;
	std::map<std::string, wait_probe *> m_waits;
	pin_probe *m_pins = nullptr;
	std::vector<struct work_struct *> m_work;
	sc_core::sc_event m_work_ev;
	bool m_dut_bug = false;
	bool m_dut_crash = false;
	bool m_stopped = false;           // an oops called sc_stop() already
	sc_core::sc_event m_never;        // what an oopsed thread waits for
	vcpu_sched m_sched;
	std::jmp_buf m_boot_jmp;
	bool m_boot_armed = false;

	[[noreturn]] void end_thread();
};

} // namespace rs_kshim

#endif
