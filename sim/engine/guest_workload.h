// SPDX-License-Identifier: GPL-2.0-only
// The guest's applications: for each job, depth threads that each keep one request
// outstanding, drawing sizes, offsets and think times from the job's stream, preparing
// buffers in guest memory the way a benchmark such as fio does, and entering the kernel.
#ifndef RS_ENGINE_GUEST_WORKLOAD_H
#define RS_ENGINE_GUEST_WORKLOAD_H

#include <csignal>
#include <cstdint>
#include <string>
#include <vector>

#include <jansson.h>
#include <systemc>

#include "devices/io_device.h"
#include "probes/guest_kernel.h"
#include "guest_mm/guest_memory.h"
#include "results/recorder.h"
#include "scenario/scenario.h"
#include "workload/workload.h"

namespace rs_engine {

class guest_workload : public sc_core::sc_module {
public:
	/**
	 * guest_workload() - spawn every job's guest threads
	 * @s: the checked scenario
	 * @host: kshim state (guest memory, costs, the recorder)
	 * @devices: the device of each rs_device kind, NULL where none is modelled
	 * @stop: set by a signal handler; threads check it between requests
	 *
	 * Context: elaboration. Throws std::bad_alloc.
	 */
	guest_workload(sc_core::sc_module_name name, const rs_scenario &s, guest_kernel &host,
		       io_device *const devices[2], const volatile sig_atomic_t *stop);
	~guest_workload() override;

	// Notified when the last guest thread has finished.
	const sc_core::sc_event &done_event() const { return m_done; }
	unsigned live_threads() const { return m_live; }
	bool interrupted() const { return m_interrupted; }
	uint64_t generated() const { return m_next_id; }
	uint64_t completed() const { return m_completed; }
	uint64_t completed_bytes() const { return m_completed_bytes; }

	/**
	 * finish() - close the books at the end of the run: a request the run stopped in the
	 * middle of (a BUG_ON parked its thread, or a deadlock) ends now with status
	 * "unfinished" and gets its requests.csv row; then each job's mean in flight over its
	 * steady window (jobs.NAME.in_flight_mean)
	 * Context: after sc_start() returned.
	 */
	void finish();

private:
	// What one job, or all the jobs of one device, completed: jobs.NAME.* and
	// devices.DEV.* (a 9p reader and a blk writer have nothing in common).
	// The steady window of a job (of a device, of the run) runs from its first workload
	// submit to the end of its last workload request (completed, failed, or cut by the
	// run's end); mount and teardown lie outside it, and nothing of it is in flight at
	// either edge.
	static constexpr size_t N_PHASES = 5; // build, wait, ring, device, completion
	struct work_metrics {
		rs_stat *latency = nullptr;  // requests that completed ("ok")
		uint64_t *completed = nullptr, *bytes = nullptr;
		uint64_t *span = nullptr;    // the steady window, cycles
		// Per job only: every request that ended, whatever its status.
		uint64_t *ended = nullptr;
		uint64_t *residence = nullptr; // their submit-to-end cycles, summed
		rs_level *in_flight = nullptr; // submitted and not yet ended
		double *in_flight_mean = nullptr; // over the window, at finish()
		// Per job only: where a completed request's latency went (phase_names): the
		// cycles of each phase summed over the requests that had them, their means
		// into the summary at finish().
		uint64_t phase_sum[N_PHASES] = {}, phase_requests = 0;
		double *phase_mean[N_PHASES] = {};
		uint64_t *phase_count = nullptr;
		uint64_t first_submit = UINT64_MAX;
	};

	struct job_state {
		const rs_job *job;
		size_t index;
		rs_stream *stream;
		gmm::address_space *as; // the job's process
		uint64_t max_bytes;     // largest request the job can draw
		std::vector<guest_ctx *> threads; // its guest threads, for signals
		unsigned live = 0;      // threads still running
		size_t next_signal = 0; // round robin over threads
		work_metrics metrics;
	};

	// One buffer of a request, wherever it lives.
	struct buffer {
		char *addr = nullptr;           // user address, or kernel pointer (direct map)
		std::vector<uint64_t> pfns;     // frames, in buffer order
	};

	void guest_thread(size_t job, unsigned slot);
	void signal_thread(size_t job);
	void prepare(job_state &js, const rs_io &io, uint64_t user_va, buffer &b);
	void release(job_state &js, buffer &b);
	void charge(enum kshim_cost c, uint64_t n = 1);
	uint64_t touch_user_buffer(job_state &js, uint64_t va, uint64_t len);
	void begin(job_state &js, rs_request_row &row);
	void complete(job_state &js, uint64_t moved, rs_request_row &row);
	static void register_work(rs_recorder *rec, const std::string &prefix,
				  work_metrics &w, bool per_job);
	static void start(work_metrics &w, uint64_t submit);
	static const char *const phase_names[N_PHASES];
	static bool phases_of(const rs_request_row &row, uint64_t cycles[N_PHASES]);
	static void add_phases(work_metrics &w, const rs_request_row &row);
	static json_t *trace_end_args(const rs_request_row &row);
	static void end(work_metrics &w, const rs_request_row &row, uint64_t moved);

	const rs_scenario &m_s;
	guest_kernel &m_host;
	gmm::guest_memory &m_mem;
	rs_recorder *m_rec;
	io_device *m_devices[2];
	const volatile sig_atomic_t *m_stop;
	std::vector<job_state> m_jobs;
	work_metrics m_device_metrics[2]; // by rs_device
	work_metrics m_run_metrics;       // every job: latency_cycles, requests.*
	sc_core::sc_event m_done;
	unsigned m_live = 0;
	bool m_interrupted = false;
	uint64_t m_next_id = 0;
	uint64_t m_completed = 0;
	uint64_t m_completed_bytes = 0;
	rs_stat *m_phys_runs;   // physically contiguous runs per request buffer
	uint64_t *m_generated, *m_signals;
};

} // namespace rs_engine

#endif
