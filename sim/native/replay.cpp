// SPDX-License-Identifier: GPL-2.0-only
// ringsim-native: the native replay of a scenario, the physical limit of this design. The
// same workload (each job's requests drawn from its own stream, sim/workload: the same sizes,
// offsets and order; depth guest threads per job sharing it) goes through the same DUT ops
// (dut/dut_ops.h, the built-in seed) on the same kshim memory model (guest memory, kmalloc
// and its KASAN checks, address spaces, get_user_pages_fast), with:
//   - no SystemC simulation: no sc_start(), no processes, no simulated time; guest threads
//     are coroutines (coop.h) that switch only where the DUT sleeps;
//   - no kshim cost charged (kshim_charge() is empty; spinlocks only count);
//   - instant devices (native_dev.h): each serves everything posted as soon as the guest has
//     nothing left to run, by memcpy, and calls the interrupt handler at once;
//   - no recorder, no probes, no results directory; think times and signals are not
//     replayed (a scenario with signals is refused), nor buffered block writes and flushes.
// It includes the workload's buffer preparation (writers fill their buffers from the
// content model), the device's data movement (the 9P server's gather and scatter, the
// backend's fill of reads) and the end-to-end check of every read against the content
// model, as the simulator does them. It prints one line: what it did and the host time it
// took, measured (CLOCK_MONOTONIC from before guest memory is built to after teardown, as
// `ringsim run` measures host_seconds around its engine).
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <getopt.h>

#include <linux/kshim.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

#include "common/content.h"
#include "diag/diag.h"
#include "guest_mm/guest_memory.h"
#include "kshim/host.h"
#include "native/coop.h"
#include "native/native_dev.h"
#include "scenario/embedded.h"
#include "scenario/scenario.h"
#include "workload/workload.h"

// libsystemc wants an sc_main; the replay never elaborates or starts a simulation.
int sc_main(int, char **)
{
	return 0;
}

namespace rs_native {

namespace {

// Findings of kshim and guest memory: a DUT BUG_ON or data corruption ends the replay.
class sink : public rs_models::finding_sink_if {
public:
	void report(const rs_models::finding &f) override
	{
		if (f.sev == rs_models::finding::severity::bug ||
		    f.sev == rs_models::finding::severity::error) {
			fprintf(stderr, "ringsim-native: %s at %s: %s\n", f.kind.c_str(),
				f.where.c_str(), f.detail.c_str());
			exit(1);
		}
	}
};

double now_seconds()
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// What the replay cannot do the simulator's way: Return: "" or why.
std::string unsupported(const rs_scenario &s)
{
	for (size_t j = 0; j < s.n_jobs; j++) {
		const rs_job &job = s.jobs[j];

		if (job.signal_at || job.signal_every)
			return std::string("job ") + job.name + ": signals are not replayed";
		if (job.device == RS_DEV_BLK && job.op == RS_OP_FLUSH)
			return std::string("job ") + job.name + ": flushes are not replayed";
		if (job.device == RS_DEV_BLK && job.io == RS_IO_BUFFERED && job.op == RS_OP_WRITE)
			return std::string("job ") + job.name +
			       ": buffered block writes are not replayed";
	}
	return "";
}

struct totals {
	uint64_t generated = 0, completed = 0, failed = 0, bytes = 0;
};

class replay {
public:
	replay(const rs_scenario &s, gmm::guest_memory &mem, native_dev *const devs[2])
		: m_s(s), m_mem(mem), m_devs{ devs[0], devs[1] }
	{
		for (size_t j = 0; j < s.n_jobs; j++) {
			rs_stream *st = rs_stream_new(&s, j);

			if (!st)
				throw std::bad_alloc();
			m_streams.push_back(st);
			m_as.push_back(&mem.new_address_space());
		}
	}
	~replay()
	{
		for (rs_stream *st : m_streams)
			rs_stream_free(st);
	}

	// The first guest thread mounts, starts the workers, waits for them, unmounts.
	bool run()
	{
		spawn([this] { main_thread(); });
		return rs_native::run([this] {
			bool any = false;

			for (native_dev *d : m_devs)
				if (d)
					any |= d->serve();
			return any;
		});
	}
	const totals &result() const { return m_t; }
	bool mount_failed() const { return m_mount_failed; }

private:
	void main_thread()
	{
		m_main = current();
		for (native_dev *d : m_devs)
			if (d && !d->mount()) {
				m_mount_failed = true;
				return;
			}
		for (size_t j = 0; j < m_s.n_jobs; j++)
			for (unsigned k = 0; k < m_s.jobs[j].depth; k++, m_live++)
				spawn([this, j] { worker(j); });
		while (m_live)
			sleep();
		for (native_dev *d : m_devs)
			if (d)
				d->unmount();
	}

	struct buffer {
		char *addr = nullptr;
		std::vector<uint64_t> pfns;
	};

	// guest_workload::prepare(): the application's buffer for @io.
	void prepare(size_t j, const rs_io &io, uint64_t user_va, buffer &b)
	{
		const rs_job &job = m_s.jobs[j];
		const uint32_t page = m_s.platform.page_size;
		gmm::address_space *as = m_as[j];
		std::vector<uint8_t> data;

		if (job.op == RS_OP_WRITE) {
			uint64_t stream, offset;

			m_devs[job.device]->content_of(j, io, stream, offset);
			data.resize(io.bytes);
			rs_models::content_fill(stream, offset, data.data(), data.size());
		}
		if (job.device == RS_DEV_9P && job.buffer == RS_BUF_KERNEL) {
			b.addr = static_cast<char *>(kmalloc(io.bytes, GFP_KERNEL));
			if (b.addr && !data.empty())
				memcpy(b.addr, data.data(), data.size());
		} else if (job.device == RS_DEV_9P && job.buffer == RS_BUF_VMALLOC) {
			b.addr = static_cast<char *>(vmalloc(io.bytes));
			if (b.addr && !data.empty()) {
				memcpy(b.addr, data.data(), data.size());
				kshim_vmalloc_sync(b.addr, data.size());
			}
		} else if (job.device == RS_DEV_BLK && job.io == RS_IO_BUFFERED) {
			for (uint64_t off = 0; off < io.bytes; off += page) {
				uint64_t pfn = m_mem.pages().alloc_pages(0, gmm::page_kind::kernel, -1);

				if (pfn == gmm::NO_PFN)
					break;
				b.pfns.push_back(pfn);
			}
		} else {
			uint64_t va = user_va + io.page_offset;

			b.addr = reinterpret_cast<char *>(va);
			if (!data.empty())
				as->copy_to_user(va, data.data(), data.size());
		}
	}

	void release(size_t j, buffer &b)
	{
		const rs_job &job = m_s.jobs[j];

		if (job.device == RS_DEV_9P && job.buffer == RS_BUF_KERNEL)
			kfree(b.addr);
		else if (job.device == RS_DEV_9P && job.buffer == RS_BUF_VMALLOC)
			vfree(b.addr);
		else if (job.device == RS_DEV_BLK && job.io == RS_IO_BUFFERED)
			for (uint64_t pfn : b.pfns)
				m_mem.pages().free_pages(pfn, 0);
	}

	// guest_workload::guest_thread(), without its records, think times and signals.
	void worker(size_t j)
	{
		const rs_job &job = m_s.jobs[j];
		const uint32_t page = m_s.platform.page_size;
		gmm::address_space *as = m_as[j];
		rs_kshim::guest_ctx &ctx = rs_kshim::kshim_host::current().ctx();
		native_dev *dev = m_devs[job.device];
		uint64_t user_va = 0;
		rs_io io;

		ctx.as = as;
		if (job.device == RS_DEV_9P ? job.buffer == RS_BUF_USER : job.io == RS_IO_DIRECT) {
			uint64_t len = job.size.max + page;
			std::vector<uint8_t> zeros(page);

			user_va = as->mmap(len);
			for (uint64_t off = 0; off < len; off += page)
				as->copy_to_user(user_va + off, zeros.data(),
						 std::min<uint64_t>(page, len - off));
		}
		while (rs_stream_next(m_streams[j], &io)) {
			buffer b;
			bool ok = false;
			uint64_t moved = 0;

			rs_kshim::kshim_host::current().ctx().request =
				static_cast<int64_t>(m_t.generated++);
			prepare(j, io, user_va, b);
			if (b.addr || !b.pfns.empty())
				moved = dev->submit(j, io, b.addr, b.pfns, &ok);
			release(j, b);
			rs_kshim::kshim_host::current().ctx().request = -1;
			if (ok)
				m_t.completed++, m_t.bytes += moved;
			else
				m_t.failed++;
		}
		if (user_va)
			as->munmap(user_va);
		if (--m_live == 0)
			wake(m_main);
	}

	const rs_scenario &m_s;
	gmm::guest_memory &m_mem;
	native_dev *m_devs[2];
	std::vector<rs_stream *> m_streams;
	std::vector<gmm::address_space *> m_as;
	coop_thread *m_main = nullptr;
	unsigned m_live = 0;
	bool m_mount_failed = false;
	totals m_t;
};

gmm::config memory_config(const rs_scenario &s)
{
	gmm::config cfg;

	cfg.memory_bytes = s.platform.memory_bytes;
	cfg.page_size = s.platform.page_size;
	cfg.fragmentation = s.platform.fragmentation;
	cfg.seed = s.seed;
	cfg.clock_period = sc_core::sc_time(1, sc_core::SC_NS);
	cfg.dma_latency_cycles = static_cast<uint32_t>(s.platform.dma_latency_cycles);
	cfg.bus_width_bytes = s.platform.bus_width_bytes;
	cfg.gup_max_pages = s.platform.gup_max_pages;
	return cfg;
}

int replay_scenario(const rs_scenario &s)
{
	std::string why = unsupported(s);

	if (!why.empty()) {
		fprintf(stderr, "ringsim-native: %s: %s\n", s.name, why.c_str());
		return 2;
	}
	double t0 = now_seconds();
	sink findings;
	auto mem = std::make_unique<gmm::guest_memory>("guest_memory", memory_config(s), findings);
	std::vector<uint64_t> costs(KSHIM_COST_COUNT, 0);
	rs_kshim::kshim_host host(*mem, costs.data(), findings, s.platform.vcpus);
	std::unique_ptr<native_dev> p9, blk;
	native_dev *devs[2] = { nullptr, nullptr };

	if (rs_scenario_has_device(&s, RS_DEV_9P))
		p9.reset(devs[RS_DEV_9P] = new_native_9p(s, *mem));
	if (rs_scenario_has_device(&s, RS_DEV_BLK))
		blk.reset(devs[RS_DEV_BLK] = new_native_blk(s, *mem));
	replay r(s, *mem, devs);
	bool ended = r.run();
	blk.reset();
	p9.reset();
	double host_s = now_seconds() - t0;
	const totals &t = r.result();

	if (!ended || r.mount_failed()) {
		fprintf(stderr, "ringsim-native: %s: %s\n", s.name,
			r.mount_failed() ? "mounting the 9p file system failed" :
			"the guest threads deadlocked");
		return 1;
	}
	printf("native %s generated=%llu completed=%llu failed=%llu bytes=%llu "
	       "host_seconds=%.6f req_per_s=%.0f\n", s.name, (unsigned long long)t.generated,
	       (unsigned long long)t.completed, (unsigned long long)t.failed,
	       (unsigned long long)t.bytes, host_s, host_s > 0 ? double(t.generated) / host_s : 0);
	return t.failed ? 1 : 0;
}

const char usage[] =
	"Usage: ringsim-native [--set PATH=VALUE]... [FILE.xml]\n"
	"Replay FILE.xml's workload (default: the built-in quickstart) natively: the same\n"
	"requests through the same DUT calls on kshim's memory model, with no SystemC\n"
	"simulation, no kshim cost charged and devices that complete each request at once.\n"
	"Prints: native NAME generated=N completed=N failed=N bytes=N host_seconds=S req_per_s=R\n"
	"  --set PATH=VALUE  as in `ringsim run` (see `ringsim paths`)\n"
	"  -h, --help        this text\n"
	"Exit status: 0 every request completed with the right bytes; 1 a request failed, a\n"
	"DUT BUG or a deadlock; 2 bad usage, a scenario that does not load, or one the replay\n"
	"does not support (signals, blk flushes, buffered blk writes, a DUT other than seed).\n";

} // namespace

} // namespace rs_native

int main(int argc, char **argv)
{
	static const struct option opts[] = { { "set", required_argument, nullptr, 's' },
					       { "help", no_argument, nullptr, 'h' },
					       { nullptr, 0, nullptr, 0 } };
	std::vector<char *> sets;
	int c;

	setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
	while ((c = getopt_long(argc, argv, "h", opts, nullptr)) != -1) {
		switch (c) {
		case 's': sets.push_back(optarg); break;
		case 'h': fputs(rs_native::usage, stdout); return 0;
		default: fputs(rs_native::usage, stderr); return 2;
		}
	}
	if (argc - optind > 1) {
		fputs(rs_native::usage, stderr);
		return 2;
	}
	const char *file = optind < argc ? argv[optind] : nullptr;
	struct rs_diag diag = {};
	struct rs_scenario *s = file ?
		rs_scenario_load(file, nullptr, 0, sets.data(), sets.size(), &diag) :
		rs_scenario_load("<quickstart>", (const char *)rs_embedded_quickstart,
				 rs_embedded_quickstart_len, sets.data(), sets.size(), &diag);
	rs_diag_print(&diag, stderr);
	rs_diag_clear(&diag);
	if (!s)
		return 2;
	int rc;
	try {
		rc = rs_native::replay_scenario(*s);
	} catch (const std::exception &e) {
		fprintf(stderr, "ringsim-native: %s: %s\n", s->name, e.what());
		rc = 2;
	}
	rs_scenario_free(s);
	return rc;
}
