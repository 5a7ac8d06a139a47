// SPDX-License-Identifier: GPL-2.0-only
#include "engine/guest_workload.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <string>

#include <jansson.h>

#include <linux/mm.h>
#include <linux/vmalloc.h>

#include "common/content.h"
#include "common/cycles.h"
#include "devices/content_chunks.h"
#include "probes/run_trace.h"
#include "results/stats.h"

namespace rs_engine {

using namespace sc_core;

// PREFIX.latency_cycles, PREFIX.requests.completed, PREFIX.bytes, PREFIX.span_cycles; a job
// also PREFIX.requests.ended, PREFIX.residence_cycles and PREFIX.in_flight_mean (from a
// level of its requests in flight). The run's own are the bare latency_cycles and requests.*.
void guest_workload::register_work(rs_recorder *rec, const std::string &prefix,
				   work_metrics &w, bool per_job)
{
	const std::string p = prefix.empty() ? "" : prefix + ".";

	w.latency = rs_recorder_stat(rec, (p + "latency_cycles").c_str());
	w.completed = rs_recorder_counter(rec, (p + "requests.completed").c_str());
	w.bytes = rs_recorder_counter(rec, (p + (prefix.empty() ? "requests.bytes" :
						  "bytes")).c_str());
	w.span = rs_recorder_counter(rec, (p + (prefix.empty() ? "requests.span_cycles" :
						 "span_cycles")).c_str());
	if (!w.latency || !w.completed || !w.bytes || !w.span)
		throw std::bad_alloc();
	if (!per_job)
		return;
	w.ended = rs_recorder_counter(rec, (p + "requests.ended").c_str());
	w.residence = rs_recorder_counter(rec, (p + "residence_cycles").c_str());
	// Not in the summary (its mean there would be over the whole run, mount included):
	// in_flight_mean is over the window.
	w.in_flight = rs_recorder_level(rec, (p + "in_flight").c_str(), 0);
	w.in_flight_mean = rs_recorder_real(rec, (p + "in_flight_mean").c_str());
	if (!w.ended || !w.residence || !w.in_flight || !w.in_flight_mean)
		throw std::bad_alloc();
	// Means, not distributions: a distribution's histogram is 700 KB of host memory.
	for (size_t i = 0; i < N_PHASES; i++) {
		w.phase_mean[i] = rs_recorder_real(rec, (p + "phases." + phase_names[i]).c_str());
		if (!w.phase_mean[i])
			throw std::bad_alloc();
	}
	w.phase_count = rs_recorder_counter(rec, (p + "phases.requests").c_str());
	if (!w.phase_count)
		throw std::bad_alloc();
}

// A completed request's latency (its mean, in the summary), cut where it first went on a
// ring, where the device first took it off and where the device last answered it: the
// guest's build of it in the DUT (less its waits), its waits for ring space, pinned pages,
// grants or tags before it got there, its time on the ring until the device took it, the
// device's service, then the completion (interrupt, the driver taking the response, the
// guest until the thread sees it). Their sum is the latency. A request that never reached
// a ring (buffered I/O served from the page cache) has none.
const char *const guest_workload::phase_names[N_PHASES] = {
	"build_cycles", "wait_cycles", "ring_cycles", "device_cycles", "completion_cycles",
};

bool guest_workload::phases_of(const rs_request_row &row, uint64_t cycles[N_PHASES])
{
	if (!row.posted_cycle || row.posted_cycle < row.submit_cycle ||
	    row.popped_cycle < row.posted_cycle || row.responded_cycle < row.popped_cycle ||
	    row.complete_cycle < row.responded_cycle)
		return false;
	uint64_t before = row.posted_cycle - row.submit_cycle;
	uint64_t wait = std::min(row.stall_at_post, before);

	cycles[0] = before - wait;
	cycles[1] = wait;
	cycles[2] = row.popped_cycle - row.posted_cycle;
	cycles[3] = row.responded_cycle - row.popped_cycle;
	cycles[4] = row.complete_cycle - row.responded_cycle;
	return true;
}

void guest_workload::add_phases(work_metrics &w, const rs_request_row &row)
{
	uint64_t cycles[N_PHASES];

	if (!phases_of(row, cycles))
		return;
	for (size_t i = 0; i < N_PHASES; i++)
		w.phase_sum[i] += cycles[i];
	w.phase_requests++;
}

// --trace: what the end of a request's slice tells of it; its phases when it had them, and
// the 9P tag or ring slot the device first saw it under.
json_t *guest_workload::trace_end_args(const rs_request_row &row)
{
	json_t *a = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "status", row.status, "pages",
			      (json_int_t)row.pages, "descriptors", (json_int_t)row.descriptors,
			      "sg_entries", (json_int_t)row.sg_entries, "grants",
			      (json_int_t)row.grants, "stall_cycles", (json_int_t)row.stall_cycles);
	uint64_t cycles[N_PHASES];

	if (a && row.popped_cycle)
		json_object_set_new(a, strcmp(row.device, "9p") ? "ring_slot" : "tag",
				    json_integer(row.ring_id));
	if (a && !strcmp(row.status, "ok") && phases_of(row, cycles))
		for (size_t i = 0; i < N_PHASES; i++)
			json_object_set_new(a, phase_names[i], json_integer((json_int_t)cycles[i]));
	return a;
}

void guest_workload::start(work_metrics &w, uint64_t submit)
{
	w.first_submit = std::min(w.first_submit, submit);
	if (w.in_flight)
		rs_level_add(w.in_flight, submit, 1);
}

void guest_workload::end(work_metrics &w, const rs_request_row &row, uint64_t moved)
{
	*w.span = row.complete_cycle - w.first_submit;
	if (w.in_flight) {
		rs_level_add(w.in_flight, row.complete_cycle, -1);
		(*w.ended)++;
		*w.residence += row.complete_cycle - row.submit_cycle;
	}
	if (strcmp(row.status, "ok"))
		return;
	(*w.completed)++;
	*w.bytes += moved;
	rs_stat_add(w.latency, static_cast<double>(row.complete_cycle - row.submit_cycle));
	if (w.phase_count)
		add_phases(w, row);
}

guest_workload::guest_workload(sc_module_name name, const rs_scenario &s, guest_kernel &host,
			       io_device *const devices[2], const volatile sig_atomic_t *stop)
	: sc_module(name), m_s(s), m_host(host), m_mem(host.mem()), m_rec(host.rec()),
	  m_devices{ devices[0], devices[1] }, m_stop(stop)
{
	m_phys_runs = rs_recorder_stat(m_rec, "memory.buffer_phys_runs");
	m_generated = rs_recorder_counter(m_rec, "requests.generated");
	register_work(m_rec, "", m_run_metrics, false);
	m_signals = rs_recorder_counter(m_rec, "requests.signals");
	if (!m_phys_runs || !m_generated || !m_signals)
		throw std::bad_alloc();
	for (size_t j = 0; j < s.n_jobs; j++) {
		job_state js{};

		js.job = &s.jobs[j];
		js.index = j;
		js.stream = rs_stream_new(&s, j);
		if (!js.stream)
			throw std::bad_alloc();
		js.as = &m_mem.new_address_space();
		js.max_bytes = s.jobs[j].size.max;
		// Job names have no '.' (the scenario check sees to it): one path component.
		register_work(m_rec, std::string("jobs.") + s.jobs[j].name, js.metrics, true);
		if (!m_device_metrics[s.jobs[j].device].latency)
			register_work(m_rec, std::string("devices.") +
				      rs_device_name(s.jobs[j].device),
				      m_device_metrics[s.jobs[j].device], false);
		m_jobs.push_back(js);
	}
	for (size_t j = 0; j < m_jobs.size(); j++) {
		for (unsigned slot = 0; slot < m_jobs[j].job->depth; slot++) {
			sc_spawn_options opt;

			opt.set_stack_size(256 * 1024); // the DUT's C frames run on it too
			sc_spawn(sc_bind(&guest_workload::guest_thread, this, j, slot),
				 sc_gen_unique_name("guest"), &opt);
			m_live++;
			m_jobs[j].live++;
		}
		if (m_jobs[j].job->signal_at || m_jobs[j].job->signal_every)
			sc_spawn(sc_bind(&guest_workload::signal_thread, this, j),
				 sc_gen_unique_name("signal"));
	}
}

// Signals to a job's threads: each goes to the next thread that is inside a request (one
// sleeping in the DUT wakes with -ERESTARTSYS); with none inside, the signal is dropped.
void guest_workload::signal_thread(size_t j)
{
	job_state &js = m_jobs[j];
	uint64_t every = js.job->signal_every;

	wait(cycles(js.job->signal_at ? js.job->signal_at : every));
	while (js.live) {
		for (size_t tries = 0; tries < js.threads.size(); tries++) {
			guest_ctx *c = js.threads[js.next_signal++ % js.threads.size()];

			if (c->request >= 0) {
				m_host.deliver_signal(*c);
				(*m_signals)++;
				break;
			}
		}
		if (!every)
			break;
		wait(cycles(every));
	}
}

guest_workload::~guest_workload()
{
	for (auto &js : m_jobs)
		rs_stream_free(js.stream);
}

void guest_workload::charge(enum kshim_cost c, uint64_t n)
{
	m_host.charge(c, n);
}

// Fault in every page of [va, va + len) by writing it, as fio does with its buffers.
// Return: pages faulted in.
uint64_t guest_workload::touch_user_buffer(job_state &js, uint64_t va, uint64_t len)
{
	const uint32_t page = m_s.platform.page_size;
	std::vector<uint8_t> zeros(page);
	uint64_t before = js.as->nr_faults();

	for (uint64_t off = 0; off < len; off += page)
		js.as->copy_to_user(va + off, zeros.data(), std::min<uint64_t>(page, len - off));
	return js.as->nr_faults() - before;
}

void guest_workload::prepare(job_state &js, const rs_io &io, uint64_t user_va, buffer &b)
{
	const rs_job &job = *js.job;
	const uint32_t page = m_s.platform.page_size;
	const bool write = job.op == RS_OP_WRITE && io.bytes;
	uint64_t stream = js.index, offset = io.file_offset;

	if (write && m_devices[job.device])
		m_devices[job.device]->content_of(js.index, io, stream, offset);
	if (job.device == RS_DEV_9P && job.buffer == RS_BUF_KERNEL) {
		// A kernel caller (kernel_read, readdir) hands the transport a kmalloc'd buffer.
		b.addr = static_cast<char *>(kmalloc(io.bytes, GFP_KERNEL));
		if (b.addr && write)
			rs_models::content_fill(stream, offset, reinterpret_cast<uint8_t *>(b.addr),
						io.bytes);
		for (uint64_t pa = virt_to_phys(b.addr) & ~uint64_t(page - 1);
		     b.addr && pa < virt_to_phys(b.addr) + io.bytes; pa += page)
			b.pfns.push_back(pa / page);
	} else if (job.device == RS_DEV_9P && job.buffer == RS_BUF_VMALLOC) {
		// kernel_read() into a vmalloc'd buffer (a module image): page-aligned, on pages
		// allocated one by one; the CPU's stores reach them through the mapping.
		b.addr = static_cast<char *>(vmalloc(io.bytes));
		if (b.addr && write) {
			rs_models::content_fill(stream, offset, reinterpret_cast<uint8_t *>(b.addr),
						io.bytes);
			kshim_vmalloc_sync(b.addr, io.bytes);
		}
		for (uint64_t off = 0; b.addr && off < io.bytes; off += page)
			b.pfns.push_back(page_to_pfn(vmalloc_to_page(b.addr + off)));
	} else if (job.device == RS_DEV_BLK && job.io == RS_IO_BUFFERED) {
		// Buffered I/O: whole page-cache pages, each allocated on its own.
		for (uint64_t off = 0; off < io.bytes; off += page) {
			uint64_t pfn = m_mem.pages().alloc_pages(0, gmm::page_kind::kernel,
								 m_host.ctx().request);

			charge(KSHIM_COST_PAGE_FAULT);
			if (pfn == gmm::NO_PFN)
				break;
			b.pfns.push_back(pfn);
			if (write)
				content_fill_chunks(stream, offset + off,
						    std::min<uint64_t>(page, io.bytes - off), page,
						    [&](uint64_t at, const uint8_t *p, size_t n) {
							    m_mem.memory().write(pfn * page + at, p, n);
						    });
		}
	} else {
		uint64_t va = user_va + io.page_offset;

		b.addr = reinterpret_cast<char *>(va);
		if (write)
			content_fill_chunks(stream, offset, io.bytes, UINT64_MAX,
					    [&](uint64_t at, const uint8_t *p, size_t n) {
						    js.as->copy_to_user(va + at, p, n);
					    });
		for (uint64_t p = va & ~uint64_t(page - 1); p < va + io.bytes; p += page)
			b.pfns.push_back(js.as->follow_page(p));
	}
	if (write)
		charge(KSHIM_COST_MEMCPY_PER_KIB, (io.bytes + 1023) / 1024);
}

void guest_workload::release(job_state &js, buffer &b)
{
	if (js.job->device == RS_DEV_9P && js.job->buffer == RS_BUF_KERNEL) {
		kfree(b.addr);
	} else if (js.job->device == RS_DEV_9P && js.job->buffer == RS_BUF_VMALLOC) {
		vfree(b.addr);
	} else if (js.job->device == RS_DEV_BLK && js.job->io == RS_IO_BUFFERED) {
		for (uint64_t pfn : b.pfns)
			m_mem.pages().free_pages(pfn, 0);
	}
}

// How many physically contiguous runs the buffer's frames form: 1 is one contiguous
// extent; a count equal to the page count means every page is on its own.
static uint32_t phys_runs(const std::vector<uint64_t> &pfns)
{
	uint32_t runs = 0;

	for (size_t i = 0; i < pfns.size(); i++)
		runs += i == 0 || pfns[i] != pfns[i - 1] + 1;
	return runs;
}

void guest_workload::begin(job_state &js, rs_request_row &row)
{
	row.submit_cycle = now_cycles();
	start(js.metrics, row.submit_cycle);
	start(m_device_metrics[js.job->device], row.submit_cycle);
	start(m_run_metrics, row.submit_cycle);
}

// Every request ends here, whatever its status: it leaves the in-flight count and the
// steady window reaches its end; only a completed one ("ok") counts as work done.
void guest_workload::complete(job_state &js, uint64_t moved, rs_request_row &row)
{
	row.complete_cycle = now_cycles();
	if (!strcmp(row.status, "ok")) {
		m_completed++;
		m_completed_bytes += moved;
	}
	end(js.metrics, row, moved);
	end(m_device_metrics[js.job->device], row, moved);
	end(m_run_metrics, row, moved);
}

void guest_workload::finish()
{
	for (auto &js : m_jobs) {
		for (guest_ctx *c : js.threads) {
			rs_request_row *row = guest_kernel::row_of(*c);

			if (!row || !row->status) // not submitted yet
				continue;
			row->status = "unfinished";
			complete(js, 0, *row);
			rs_recorder_request(m_rec, row);
			c->request_data = nullptr;
		}
		*js.metrics.phase_count = js.metrics.phase_requests;
		for (size_t i = 0; js.metrics.phase_requests && i < N_PHASES; i++)
			*js.metrics.phase_mean[i] = static_cast<double>(js.metrics.phase_sum[i]) /
				static_cast<double>(js.metrics.phase_requests);
		// The window's edges have nothing in flight, so the level's integral over the whole
		// run is its integral over the window.
		if (*js.metrics.span)
			*js.metrics.in_flight_mean = rs_level_integral(js.metrics.in_flight) /
				static_cast<double>(*js.metrics.span);
	}
}

void guest_workload::guest_thread(size_t j, unsigned slot)
{
	job_state &js = m_jobs[j];
	const rs_job &job = *js.job;
	const uint32_t page = m_s.platform.page_size;
	io_device *dev = m_devices[job.device];
	guest_ctx &ctx = m_host.ctx();
	uint64_t user_va = 0;
	rs_io io;

	ctx.as = js.as;
	if (run_trace *t = run_trace::active())
		t->name_track(std::string(job.name) + " #" + std::to_string(slot));
	js.threads.push_back(&ctx);
	// One buffer per thread for the whole run, big enough for the largest request at any
	// offset, faulted in up front like a benchmark's.
	if (job.device == RS_DEV_9P ? job.buffer == RS_BUF_USER : job.io == RS_IO_DIRECT) {
		uint64_t len = js.max_bytes + page;

		user_va = js.as->mmap(len);
		charge(KSHIM_COST_PAGE_FAULT, touch_user_buffer(js, user_va, len));
	}
	while (dev && !dev->ready())
		wait(dev->ready_event());
	while (!*m_stop && rs_stream_next(js.stream, &io)) {
		int64_t id = static_cast<int64_t>(m_next_id++);
		rs_request_row row{};
		uint64_t moved = 0;
		buffer b;

		if (io.think_cycles)
			wait(cycles(io.think_cycles));
		ctx.request = id;
		ctx.request_data = &row;
		row.id = static_cast<uint64_t>(id);
		row.job = job.name;
		row.device = rs_device_name(job.device);
		row.op = rs_op_name(job.op);
		row.bytes = io.bytes;
		row.page_offset = io.page_offset;
		prepare(js, io, user_va, b); /* the application fills its buffer */
		row.status = "unfinished";
		begin(js, row);
		if (run_trace *t = run_trace::active())
			t->begin((std::string(row.device) + " " + row.op).c_str(),
				 json_pack("{s:I, s:I, s:I}", "request", (json_int_t)id, "bytes",
					   (json_int_t)io.bytes, "page_offset",
					   (json_int_t)io.page_offset));
		charge(KSHIM_COST_SYSCALL);
		(*m_generated)++;
		row.pages = static_cast<uint32_t>(b.pfns.size());
		row.phys_runs = phys_runs(b.pfns);
		rs_stat_add(m_phys_runs, row.phys_runs);
		if (!dev) {
			// No model of this device in this build: prepared, not sent.
			row.status = "no_device_model";
		} else if (job.op != RS_OP_FLUSH && !b.addr &&
			   (b.pfns.empty() || b.pfns.size() * page < io.bytes)) {
			row.status = "enomem";
		} else {
			moved = dev->submit(j, io, b.addr, b.pfns, row);
		}
		complete(js, moved, row);
		if (run_trace *t = run_trace::active())
			t->end(trace_end_args(row));
		release(js, b);
		ctx.request_data = nullptr;
		ctx.request = -1;
		// Back in user space the signal is handled.
		ctx.signal_pending = ctx.signal_queued = false;
		rs_recorder_request(m_rec, &row);
	}
	if (*m_stop)
		m_interrupted = true;
	if (user_va)
		js.as->munmap(user_va);
	js.live--;
	if (--m_live == 0 || m_interrupted)
		m_done.notify(SC_ZERO_TIME);
}

} // namespace rs_engine
