// SPDX-License-Identifier: GPL-2.0-only
// The state behind the kshim C API for one run: guest memory, costs, the recorder, and one
// context per guest thread (its process, the request it serves, a pending signal, the
// spinlocks it holds). kshim functions find "current" through SystemC's current process.
#ifndef RS_ENGINE_KSHIM_HOST_H
#define RS_ENGINE_KSHIM_HOST_H

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "engine/probe_signal.h"
#include "guest_mm/guest_memory.h"
#include "results/recorder.h"
#include "scenario/scenario.h"

struct page;
struct scatterlist;
struct work_struct;

namespace rs_engine {

struct guest_ctx {
	gmm::address_space *as = nullptr; // the process, for gup and copy_*_user
	int64_t request = -1;             // the workload request being served
	rs_request_row *row = nullptr;    // its requests.csv row, for per-request counts
	bool signal_pending = false;      // TIF_SIGPENDING
	bool signal_queued = false;       // a signal not yet handled
	int locks_held = 0;
	sc_core::sc_event wake;           // a wake_up or a signal for this thread
};

class kshim_host {
public:
	kshim_host(const rs_scenario &s, gmm::guest_memory &mem, rs_recorder *rec);
	~kshim_host();
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

	/** in_process() - whether the caller is a SystemC process (costs are charged). */
	static bool in_process();

	/** deliver_signal() - make a signal pending for @ctx and wake it if it sleeps. */
	void deliver_signal(guest_ctx &ctx);

	void charge(rs_cost c, uint64_t n);
	uint64_t cycle() const;

	gmm::guest_memory &mem() { return m_mem; }
	rs_recorder *rec() { return m_rec; }
	const rs_scenario &scenario() const { return m_s; }
	bool dut_bug() const { return m_dut_bug; }
	void set_dut_bug() { m_dut_bug = true; }

	// Sleeping on a wait queue of this name is a stall of this ring and cause.
	struct stall_kind {
		const char *ring;
		const char *cause;
		rs_stat *cycles;   // stall lengths
		uint64_t *count;   // stalls
	};
	void add_stall_kind(const std::string &wq_name, const stall_kind &k)
	{
		m_stalls[wq_name] = k;
	}
	const stall_kind *stall_kind_of(const char *wq_name) const
	{
		auto it = wq_name ? m_stalls.find(wq_name) : m_stalls.end();
		return it == m_stalls.end() ? nullptr : &it->second;
	}

	// Work items (schedule_work) for the kernel worker thread.
	std::vector<struct work_struct *> &work_queue() { return m_work; }
	sc_core::sc_event &work_event() { return m_work_ev; }

	// Guest threads stalled on a ring now (a signal for --vcd).
	void stall_begin() { m_stalled.add(1); }
	void stall_end() { m_stalled.add(-1); }
	const probe_signal &stalled() const { return m_stalled; }

	// The level that follows guest memory's pinned pages, set at each pin and unpin.
	void set_pinned_level(rs_level *lv) { m_pinned = lv; }
	void pinned_changed();

	struct sg_array {
		const scatterlist *base;
		size_t nelem;
		const char *name;
	};
	std::vector<sg_array> &sg_arrays() { return m_sg_arrays; }
	std::vector<page> &mem_map_pages() { return m_mem_map; }

private:
	static kshim_host *s_current;
	const rs_scenario &m_s;
	gmm::guest_memory &m_mem;
	rs_recorder *m_rec;
	std::map<const sc_core::sc_process_b *, std::unique_ptr<guest_ctx>> m_ctx;
	guest_ctx m_boot;
	std::vector<page> m_mem_map;
	std::vector<sg_array> m_sg_arrays;
	std::map<std::string, stall_kind> m_stalls;
	rs_level *m_pinned = nullptr;
	probe_signal m_stalled{ "threads_stalled" };
	std::vector<struct work_struct *> m_work;
	sc_core::sc_event m_work_ev;
	bool m_dut_bug = false;
};

} // namespace rs_engine

#endif
