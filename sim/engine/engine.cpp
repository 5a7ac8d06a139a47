// SPDX-License-Identifier: GPL-2.0-only
// One run: elaborate the design for the scenario, simulate to the end, collect.
#include "engine/engine.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <exception>
#include <memory>
#include <vector>
#include <new>
#include <stdexcept>
#include <string>

#include <systemc>

#include "common/sanitizer_stack.h"
#include "common/cycles.h"
#include "common/dma_bus.h"
#include "probes/finding_bridge.h"
#include "engine/crash_report.h"
#include "engine/guest_workload.h"
#include "kshim/crash.h"
#include "kshim/kernel_worker.h"
#include "probes/guest_kernel.h"
#include "devices/dut_loader.h"
#include "devices/virtio9p.h"
#include "probes/run_trace.h"
#include "devices/xenblk.h"
#include "virtqueue/rtl/rtl_engine.h"
#include "guest_mm/guest_memory.h"

namespace rs_engine {

using namespace sc_core;

// rs_engine_set_limits(): 0 for none.
static uint64_t max_cycles_limit;
static double max_host_seconds_limit;
// rs_engine_set_trace(): NULL for none.
static rs_trace *trace_file;
static struct rs_pcap *pcap_out; // rs_engine_set_pcap()

// Samples the timeseries every sample period and ends the simulation when the workload is
// done, or when nothing is left that could ever wake a waiting guest thread (a deadlock).
// It also ends it on a signal (@stop) or at a limit (rs_engine_set_limits()), looking at
// them whenever it wakes: at every sample, and between samples at least every
// check_cycles, so that a stop waits neither for the next request nor for a long sample
// period. Its wakes change nothing else, so results stay as they were.
class run_monitor : public sc_module {
public:
	SC_HAS_PROCESS(run_monitor);

	// The most simulated time between two looks at the stop flag and the limits.
	static constexpr uint64_t check_cycles = 100000;

	run_monitor(sc_module_name name, const rs_scenario &s, gmm::guest_memory &mem,
		    guest_workload &wl, std::vector<io_device *> devices, rs_recorder *rec,
		    bool progress, const volatile sig_atomic_t *stop)
		: sc_module(name), m_s(s), m_period(s.sample_period_cycles), m_mem(mem), m_wl(wl),
		  m_devices(std::move(devices)), m_rec(rec), m_progress(progress), m_stop(stop)
	{
		for (size_t j = 0; j < s.n_jobs; j++)
			m_total += s.jobs[j].count;
		m_allocated = rs_recorder_level(rec, "memory.allocated_pages", RS_LEVEL_SERIES);
		if (!m_allocated)
			throw std::bad_alloc();
		// No wait can reach past SystemC's time range (RS_MAX_RUN_CYCLES, cycles.h).
		static_assert(RS_MAX_RUN_CYCLES == rs_models::max_wait_cycles, "one horizon");
		if (rs_models::ticks_per_cycle() > UINT64_MAX / 2 / RS_MAX_RUN_CYCLES)
			throw std::runtime_error("SystemC's time resolution is finer than 1 ps");
		if (max_cycles_limit)
			m_max_cycles = std::min<uint64_t>(max_cycles_limit, RS_MAX_RUN_CYCLES);
		rs_recorder_series_idle(rec, m_period, s.idle_span_cycles);
		if (max_host_seconds_limit > 0)
			m_deadline = std::chrono::steady_clock::now() +
				std::chrono::duration_cast<std::chrono::steady_clock::duration>(
					std::chrono::duration<double>(max_host_seconds_limit));
		SC_THREAD(monitor);
	}

	bool deadlocked() const { return m_deadlock; }
	bool interrupted() const { return m_interrupted; }
	bool time_limited() const { return m_time_limit; }

private:
	void sample()
	{
		uint64_t now = now_cycles();

		rs_level_set(m_allocated, now, static_cast<double>(m_mem.pages_allocated()));
		m_idle = rs_recorder_sample(m_rec, now);
		if (m_progress)
			show_progress(now, false);
	}

	// "quickstart:  42% 336/800 requests, 61,000 req/s, 0:01 left", at most 4 times a
	// second, on one line rewritten in place; the last one ends the line.
	void show_progress(uint64_t now, bool last)
	{
		auto host = std::chrono::steady_clock::now();
		uint64_t done = m_wl.completed();
		double secs, rate, left;

		(void)now;
		if (!last && host < m_next_progress)
			return;
		if (m_next_progress == std::chrono::steady_clock::time_point{})
			m_started = host;
		m_next_progress = host + std::chrono::milliseconds(250);
		secs = std::chrono::duration<double>(host - m_started).count();
		rate = secs > 0 ? static_cast<double>(done) / secs : 0;
		left = rate > 0 ? static_cast<double>(m_total - std::min(done, m_total)) / rate : 0;
		fprintf(stderr, "\r%s: %3.0f%% %llu/%llu requests, %.0f req/s", m_s.name,
			m_total ? 100.0 * static_cast<double>(done) / static_cast<double>(m_total) : 0,
			(unsigned long long)done, (unsigned long long)m_total, rate);
		if (rate > 0 && !last)
			fprintf(stderr, ", %d:%02d left", static_cast<int>(left) / 60,
				static_cast<int>(left) % 60);
		fputs(last ? "\033[K\n" : "\033[K", stderr);
	}

	// Whether the run ends here: a signal, a results file that cannot be written (a
	// full disk: the run's results could not be whole), or a limit.
	bool must_stop()
	{
		if (*m_stop || rs_recorder_failed(m_rec) ||
		    (trace_file && rs_trace_failed(trace_file)))
			m_interrupted = true;
		else if (now_cycles() >= m_max_cycles ||
			 (m_deadline != std::chrono::steady_clock::time_point{} &&
			  std::chrono::steady_clock::now() >= m_deadline))
			m_time_limit = true;
		return m_interrupted || m_time_limit;
	}

	// Cycles from now to the next thing another process does (a timed notification or a
	// wake), rounded up; SystemC's whole time range when nothing is pending.
	static uint64_t cycles_to_activity()
	{
		uint64_t t = sc_time_to_pending_activity().value();

		return t / rs_models::ticks_per_cycle() + (t % rs_models::ticks_per_cycle() != 0);
	}

	// The first sample (@next, or a whole number of periods after it) at or after the
	// next activity: while the timeseries is idle, samples before it would be left out.
	uint64_t after_idle(uint64_t now, uint64_t next) const
	{
		uint64_t at = now + cycles_to_activity();

		if (at <= next)
			return next;
		return next + (at - next + m_period - 1) / m_period * m_period;
	}

	// Wait for @ev or the next sample, looking at must_stop() at least every
	// check_cycles while other processes run (when none will before then, a look in
	// between would see the same host time). Return: false when the run ends here.
	bool wait_sample(const sc_event &ev)
	{
		uint64_t next = now_cycles() + m_period;

		if (m_idle)
			next = after_idle(now_cycles(), next);
		while (!must_stop()) { // so now < m_max_cycles
			uint64_t now = now_cycles(), until = std::min(next, m_max_cycles);

			// Only when the look comes first is SystemC asked (most sample periods
			// are shorter than check_cycles).
			if (until - now > check_cycles)
				until = std::min(until, now + std::max(check_cycles,
								      cycles_to_activity()));
			wait(cycles(until - now), ev);
			if (!timed_out() || now_cycles() >= next)
				return !must_stop();
		}
		return false;
	}

	// Sample until @done, or until nothing can happen any more (a deadlock), or the run
	// must stop.
	template <typename Done> bool sample_until(Done done, const sc_event &ev)
	{
		for (;;) {
			sample();
			if (done() || m_wl.interrupted())
				return true;
			if (!sc_pending_activity()) {
				m_deadlock = true;
				return false;
			}
			if (!wait_sample(ev))
				return false;
		}
	}

	void monitor()
	{
		bool ok = sample_until([this] { return m_wl.live_threads() == 0; },
				       m_wl.done_event());

		// Then the devices come down (unmount), in simulated time too.
		for (io_device *d : m_devices) {
			if (!ok || m_wl.interrupted())
				break;
			d->shutdown();
			ok = sample_until([d] { return d->down(); }, d->down_event());
		}
		if (m_progress)
			show_progress(now_cycles(), true);
		sc_stop();
	}

	const rs_scenario &m_s;
	uint64_t m_period;
	gmm::guest_memory &m_mem;
	guest_workload &m_wl;
	std::vector<io_device *> m_devices;
	rs_recorder *m_rec;
	rs_level *m_allocated;
	bool m_progress;
	const volatile sig_atomic_t *m_stop;
	uint64_t m_total = 0;
	uint64_t m_max_cycles = RS_MAX_RUN_CYCLES;
	std::chrono::steady_clock::time_point m_next_progress{}, m_started{}, m_deadline{};
	bool m_deadlock = false, m_interrupted = false, m_time_limit = false;
	bool m_idle = false; // the last sample was left out of the timeseries
};

static void set_counter(rs_recorder *rec, const char *name, uint64_t v)
{
	uint64_t *c = rs_recorder_counter(rec, name);

	if (!c)
		throw std::bad_alloc();
	*c = v;
}

static void configure_systemc()
{
	// No banner on stdout; ringsim's output is its own.
	setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
	// SystemC's default for a fatal report is abort(): make every error an exception that
	// rs_engine_run() catches, so no report can take the process down.
	sc_report_handler::set_actions(SC_ERROR, SC_DISPLAY | SC_THROW);
	sc_report_handler::set_actions(SC_FATAL, SC_DISPLAY | SC_THROW);
	// sc_stop() reports an info message on stdout; the run summary says how it ended.
	sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);
}

static gmm::config memory_config(const rs_scenario &s)
{
	gmm::config cfg;

	cfg.memory_bytes = s.platform.memory_bytes;
	cfg.page_size = s.platform.page_size;
	cfg.fragmentation = s.platform.fragmentation;
	cfg.seed = s.seed;
	cfg.clock_period = cycles(1);
	cfg.dma_latency_cycles = static_cast<uint32_t>(s.platform.dma_latency_cycles);
	cfg.bus_width_bytes = s.platform.bus_width_bytes;
	cfg.gup_max_pages = s.platform.gup_max_pages;
	return cfg;
}

// A VCD of the model-level signals; SystemC adds ".vcd" to the name it is given.
static sc_trace_file *open_vcd(const char *path)
{
	std::string base(path);

	if (base.size() > 4 && base.compare(base.size() - 4, 4, ".vcd") == 0)
		base.erase(base.size() - 4);
	sc_trace_file *tf = sc_create_vcd_trace_file(base.c_str());
	if (!tf)
		throw std::runtime_error(std::string(path) + ": cannot create the VCD file");
	tf->set_time_unit(1, SC_NS); // one cycle
	return tf;
}

// While it lives, a fault of a DUT's code (a loaded DUT object's, or the built-in seed's
// section of ringsim) ends the run with status dut_crash (kshim/crash.h). The objects are
// loaded first (dut_loader caches them for the devices), so that a fault in the devices'
// boot calls is caught too.
class dut_crash_guard {
public:
	explicit dut_crash_guard(const rs_scenario &s)
	{
		std::vector<rs_kshim::code_range> code;
		std::string why;

		// A DUT that does not load is the device's to report, as it always was.
		if (rs_scenario_has_device(&s, RS_DEV_9P))
			dut_9p_ops(s.dut.virtio9p ? s.dut.virtio9p : "seed", why);
		if (rs_scenario_has_device(&s, RS_DEV_BLK))
			dut_blk_ops(s.dut.xenblk ? s.dut.xenblk : "seed", why);
		for (const dut_object &o : dut_code_objects())
			code.push_back({ o.start, o.end });
		if (rs_kshim::crash_guard_arm(code.data(), code.size()))
			throw std::runtime_error(std::string("cannot install the DUT's fault "
							     "handler: ") + strerror(errno));
	}
	~dut_crash_guard() { rs_kshim::crash_guard_disarm(); }
	dut_crash_guard(const dut_crash_guard &) = delete;
	dut_crash_guard &operator=(const dut_crash_guard &) = delete;
};

static void run(const rs_scenario &s, rs_recorder *rec, const volatile sig_atomic_t *stop,
		bool progress, const char *vcd, rs_run_info *info)
{
	configure_systemc();
	// First, so that the devices' and the workload's threads can name their tracks.
	std::unique_ptr<run_trace> trace;
	if (trace_file)
		trace = std::make_unique<run_trace>(trace_file);
	finding_bridge bridge(rec);
	auto mem = std::make_unique<gmm::guest_memory>("guest_memory", memory_config(s), bridge);
	auto bus = std::make_unique<rs_models::dma_bus>("dma_bus");
	bus->memory.bind(mem->dma);
	guest_kernel host(s, *mem, rec, bridge);
	dut_crash_guard guard(s);
	rs_kshim::kernel_worker worker("kworker", host);
	std::unique_ptr<virtio9p> p9;
	std::unique_ptr<xenblk> blk;
	io_device *devices[2] = { nullptr, nullptr };

	if (rs_scenario_has_device(&s, RS_DEV_9P)) {
		p9 = std::make_unique<virtio9p>("virtio_9p", s, host, *bus, bridge);
		devices[RS_DEV_9P] = p9.get();
		if (pcap_out)
			p9->set_pcap(pcap_out);
	}
	if (rs_scenario_has_device(&s, RS_DEV_BLK)) {
		blk = std::make_unique<xenblk>("xen_blk", s, host, *bus, bridge);
		devices[RS_DEV_BLK] = blk.get();
	}
	auto wl = std::make_unique<guest_workload>("workload", s, host, devices, stop);
	std::vector<io_device *> present;
	for (io_device *d : devices)
		if (d)
			present.push_back(d);
	auto mon = std::make_unique<run_monitor>("monitor", s, *mem, *wl, present, rec, progress,
						 stop);
	sc_trace_file *tf = vcd ? open_vcd(vcd) : nullptr;

	if (tf) {
		host.stalled().trace(tf, "guest.threads_stalled");
		if (p9)
			p9->trace(tf);
		if (blk)
			blk->trace(tf);
	}
	// A device that oopsed or gave up at boot (blkfront's connect) ends the run before it
	// starts: the findings and status dut_bug, no simulated time.
	if (!host.dut_bug()) {
		sc_start();
		rs_models::back_on_thread_stack();
	}
	if (tf)
		sc_close_vcd_trace_file(tf);
	if (const rs_kshim::crash_record *crash = rs_kshim::crash_guard_record())
		crash_report(*crash, rec, &info->crash);

	info->simulated_cycles = now_cycles();
	info->requests_submitted = wl->generated();
	info->requests_completed = wl->completed();
	info->bytes_completed = wl->completed_bytes();
	if (wl->interrupted() || mon->interrupted()) {
		info->status = RS_RUN_INTERRUPTED;
		return;
	}
	info->status = host.dut_crash() ? RS_RUN_DUT_CRASH : host.dut_bug() ? RS_RUN_DUT_BUG :
		mon->deadlocked() ? RS_RUN_DEADLOCK : mon->time_limited() ? RS_RUN_TIME_LIMIT :
		RS_RUN_OK;
	wl->finish();
	if (p9)
		p9->collect();
	if (blk)
		blk->collect();
	// Leaks mean something only when the run got to its end.
	if (info->status == RS_RUN_OK)
		mem->end_of_run_checks();
	// Data corruption is a DUT bug as much as a BUG_ON, though the kernel would go on
	// (results/findings.h lists the kinds); the run did get to its end.
	if (info->status == RS_RUN_OK && rs_recorder_data_corruptions(rec))
		info->status = RS_RUN_DUT_BUG;
	set_counter(rec, "memory.tenant_pages", mem->tenant_pages());
	set_counter(rec, "memory.allocated_pages_max", mem->pages_allocated_max());
	set_counter(rec, "memory.pinned_pages_max", mem->pinned_pages_max());
	set_counter(rec, "memory.dma_transactions", mem->dma_transactions());
	set_counter(rec, "memory.dma_bytes", mem->dma_bytes());
	// Contention for platform/@vcpus: threads ready to run with every vCPU taken.
	set_counter(rec, "cpu.vcpu_waits", host.sched().waits());
	set_counter(rec, "cpu.vcpu_wait_cycles", host.sched().wait_cycles());
}

} // namespace rs_engine

extern "C" int rs_engine_run(const struct rs_scenario *s, struct rs_recorder *rec,
			     const volatile sig_atomic_t *stop, bool progress, const char *vcd,
			     struct rs_run_info *info, char *err, size_t err_size)
{
	try {
		rs_engine::run(*s, rec, stop, progress, vcd, info);
		return 0;
	} catch (const std::exception &e) {
		snprintf(err, err_size, "simulation failed: %s", e.what());
	} catch (...) {
		snprintf(err, err_size, "simulation failed with an unknown exception");
	}
	return -1;
}

extern "C" const char *rs_run_status_name(enum rs_run_status st)
{
	switch (st) {
	case RS_RUN_OK: return "ok";
	case RS_RUN_DUT_BUG: return "dut_bug";
	case RS_RUN_DUT_CRASH: return "dut_crash";
	case RS_RUN_DEADLOCK: return "deadlock";
	case RS_RUN_TIME_LIMIT: return "time_limit";
	default: return "interrupted";
	}
}

extern "C" void rs_engine_set_limits(uint64_t max_cycles, double max_host_seconds)
{
	rs_engine::max_cycles_limit = max_cycles;
	rs_engine::max_host_seconds_limit = max_host_seconds;
}

extern "C" void rs_engine_set_trace(struct rs_trace *trace)
{
	rs_engine::trace_file = trace;
}

extern "C" int rs_engine_check_dut(const struct rs_scenario *s, char *err, size_t err_size)
{
	std::string why;

	if (s->dut.virtio9p && !rs_engine::dut_9p_ops(s->dut.virtio9p, why)) {
		snprintf(err, err_size, "%s", why.c_str());
		return -1;
	}
	if (s->dut.xenblk && !rs_engine::dut_blk_ops(s->dut.xenblk, why)) {
		snprintf(err, err_size, "%s", why.c_str());
		return -1;
	}
	return 0;
}

extern "C" void rs_engine_set_pcap(struct rs_pcap *pcap)
{
	rs_engine::pcap_out = pcap;
}

extern "C" void rs_engine_set_dut_coverage(bool on)
{
	rs_engine::set_dut_coverage(on);
}

extern "C" int rs_engine_dump_dut_coverage(const struct rs_scenario *s, const char *dir,
					   char *err, size_t err_size)
{
	std::vector<std::string> kinds;
	std::string why;

	if (rs_scenario_has_device(s, RS_DEV_9P))
		kinds.push_back("virtio-9p");
	if (rs_scenario_has_device(s, RS_DEV_BLK))
		kinds.push_back("xen-blk");
	int n = rs_engine::dump_dut_coverage(dir, kinds, why);

	if (n < 0)
		snprintf(err, err_size, "%s", why.c_str());
	return n;
}

extern "C" const char *rs_engine_systemc_version(void)
{
	return sc_core::sc_release();
}

extern "C" const char *rs_engine_verilator_version(void)
{
	return vq::rtl_engine::verilator_version();
}
