// SPDX-License-Identifier: GPL-2.0-only
#include "devices/xenblk.h"
#include "devices/content_chunks.h"
#include "platform/platform.h" // before the DUT's headers: its 9P macros clash

#include <cstring>
#include <stdexcept>
#include <string>

#include <linux/blkdev.h>
#include <linux/mm.h>
#include <xen/events.h>

#include "common/content.h"
#include "common/cycles.h"
#include "probes/run_trace.h"
#include "results/stats.h"
#include "devices/dut_loader.h"
#include "dut_ops.h"
#include "xen-blkfront.h"

namespace rs_engine {

using namespace sc_core;

namespace {

// Each block job has its own area of the disk: 64 GiB, in 512-byte sectors.
constexpr uint64_t JOB_AREA_SECTORS = 1ull << 27;
constexpr unsigned SECTOR = 512;

// The DUT the scenario names (<dut xen-blk>), or why it cannot run.
const struct rs_dut_blk_ops *need_dut_blk(const rs_scenario &s)
{
	std::string err;
	const struct rs_dut_blk_ops *ops = dut_blk_ops(s.dut.xenblk ? s.dut.xenblk : "seed", err);

	if (!ops)
		throw std::runtime_error(err);
	return ops;
}

template <typename T> T *need(T *p)
{
	if (!p)
		throw std::bad_alloc();
	return p;
}

} // namespace

xenblk::xenblk(sc_module_name name, const rs_scenario &s, guest_kernel &host, rs_models::dma_bus &bus,
	       rs_models::finding_sink_if &sink)
	: sc_module(name), m_s(s), m_dut(need_dut_blk(s)), m_host(host)
{
	rs_recorder *rec = host.rec();

	rs_kshim::set_xen_hooks(this);
	m_grants = need(rs_recorder_stat(rec, "blkif.grants_per_request"));
	m_reserved = need(rs_recorder_stat(rec, "blkif.grants_reserved_per_request"));
	m_stall = need(rs_recorder_stat(rec, "blkif.stall_cycles"));
	m_grant_wait = need(rs_recorder_stat(rec, "blkif.grant_wait_cycles"));
	m_occupancy = need(rs_recorder_level(rec, "blkif.ring_occupancy",
					     RS_LEVEL_SUMMARY | RS_LEVEL_SERIES));
	m_persistent = need(rs_recorder_level(rec, "blkif.persistent_grants",
					      RS_LEVEL_SUMMARY | RS_LEVEL_SERIES));
	m_grants_in_use = need(rs_recorder_level(rec, "blkif.grants_in_use",
						 RS_LEVEL_SUMMARY | RS_LEVEL_SERIES));
	// The guest's free grant references (gnttab_free_count), a --trace counter track:
	// what a request that stalls on grant_reservation waits for. Only with --trace.
	if (run_trace::active())
		m_free_grefs = need(rs_recorder_level(rec, "blkif.grant_refs_free",
						      RS_LEVEL_TRACE));
	m_indirect_requests = need(rs_recorder_counter(rec, "blkif.indirect_requests"));
	m_indirect_frames = need(rs_recorder_counter(rec, "blkif.indirect_frames"));
	m_ring_full = need(rs_recorder_counter(rec, "blkif.ring_full"));
	m_exhausted = need(rs_recorder_counter(rec, "blkif.grant_exhausted"));
	m_copy_bytes = need(rs_recorder_counter(rec, "blkif.copy_bytes"));
	m_requests = need(rs_recorder_counter(rec, "blkif.requests"));
	m_checked = need(rs_recorder_counter(rec, "integrity.checked_bytes"));
	// blk-mq hands out the ring's slots as tags: a thread without one waits for a slot. A
	// request that waited is one stall (first sleep to tag), however often it slept.
	m_tag_wait = need(rs_recorder_stat(rec, "blkif.tag_wait_cycles"));
	m_tag_waits = need(rs_recorder_counter(rec, "blkif.tag_waits"));
	m_tag_resleeps = need(rs_recorder_counter(rec, "blkif.tag_resleeps"));
	host.add_stall_watch("&the_tags.wait");
	m_mismatches = need(rs_recorder_counter(rec, "integrity.mismatches"));

	blkif::grant_config gcfg;
	gcfg.max_frames = s.xenblk.grant_frames;
	gcfg.clock_period = cycles(1);
	m_gnttab = std::make_unique<blkif::grant_table>("gnttab", gcfg, sink);

	blkif::disk_config dcfg;
	dcfg.capacity_sectors = JOB_AREA_SECTORS * (s.n_jobs ? s.n_jobs : 1);
	dcfg.latency_cycles = s.xenblk.disk_latency_cycles;
	dcfg.seek_cycles = s.xenblk.disk_seek_cycles;
	dcfg.channels = s.xenblk.disk_channels;
	dcfg.bandwidth_bytes = s.xenblk.disk_bandwidth_bytes;
	dcfg.bandwidth_cycles = s.platform.clock_hz;
	m_disk = std::make_unique<blkif::content_disk>(dcfg);

	blkif::backend_config bcfg;
	bcfg.max_indirect_segments = s.xenblk.max_indirect_segments;
	bcfg.persistent = s.xenblk.persistent_grants;
	bcfg.clock_period = cycles(1);
	bcfg.max_ring_pages = s.xenblk.backend_has_max_ring_page_order ?
		1u << s.xenblk.max_ring_page_order : 1;
	m_back = std::make_unique<blkif::blkback>("blkback", bcfg, *m_gnttab, *m_disk, sink);
	m_back->dma.bind(bus.devices);
	m_back->set_served([this](const blkif::blkback::served_request &r) { served(r); });
	m_back->set_irq_handler([this] {
		if (run_trace *t = run_trace::active())
			t->instant("xen-blk backend", "event-channel interrupt", nullptr);
		m_irq_pending++;
		m_irq_ev.notify(SC_ZERO_TIME);
	});

	// Boot: the guest's grant table, then blkfront's probe and connect.
	blkfront_config fcfg{};
	for (unsigned p = s.xenblk.ring_pages; p > 1; p >>= 1)
		fcfg.front_max_ring_page_order++;
	fcfg.backend_has_max_ring_page_order = s.xenblk.backend_has_max_ring_page_order;
	fcfg.backend_max_ring_page_order = s.xenblk.max_ring_page_order;
	fcfg.backend_domid = bcfg.backend_domid;
	fcfg.feature_persistent = s.xenblk.persistent_grants;
	fcfg.backend_max_indirect_segments = s.xenblk.max_indirect_segments;
	fcfg.front_max_indirect_segments = s.xenblk.front_max_indirect_segments;
	// blkback advertises feature-flush-cache and feature-barrier when its disk flushes.
	fcfg.feature_flush_cache = s.xenblk.disk_flush == RS_FLUSH_CACHE;
	fcfg.feature_barrier = s.xenblk.disk_flush != RS_FLUSH_NONE;
	// The kernel's writeback defaults: the flusher starts at 10% of memory dirty, writers
	// are throttled at 20% (dirty_background_ratio, dirty_ratio).
	m_dirty_background = s.platform.memory_bytes / PAGE_SIZE / 10;
	m_dirty_limit = s.platform.memory_bytes / PAGE_SIZE / 5;
	m_wb_pages = need(rs_recorder_counter(rec, "blkif.writeback_pages"));
	m_wb_requests = need(rs_recorder_counter(rec, "blkif.writeback_requests"));
	m_wb_rmw = need(rs_recorder_counter(rec, "blkif.writeback_partial_page_reads"));
	m_fsyncs = need(rs_recorder_counter(rec, "blkif.fsyncs"));
	m_writes.assign(s.n_jobs, 0);
	if (m_dut->gnttab_init(s.xenblk.grant_frames))
		throw std::runtime_error("the guest's grant table could not be set up");
	// The DUT's connect may fail (xenbus_dev_fatal: no memory for the ring or the grant
	// pool, XB-8) or oops (XB-1): a finding and status dut_bug; the run ends at boot.
	connect_args args{ &fcfg, &m_gd, m_dut };
	int err = 0;

	if (!host.boot_call(connect, &args, &err) || err) {
		m_gd = nullptr;
		m_failed = true;
		if (!host.dut_bug())
			throw std::runtime_error("xen-blkfront failed to connect without a finding");
		return;
	}
	m_base_free_grants = m_dut->gnttab_free_count_now();
	// What connect negotiated: 1 << min(max_ring_page_order, the backend's) pages.
	*need(rs_recorder_counter(rec, "blkif.ring_slots")) = m_dut->ring_size();

	blkif::frontend_info fe;
	unsigned nr;
	const int *refs = m_dut->ring_refs(&nr);
	fe.ring_grefs.assign(refs, refs + nr);
	fe.feature_persistent = s.xenblk.persistent_grants;
	m_back->connect(fe);
	set_free_grefs();
	SC_THREAD(irq_thread);
	SC_THREAD(writeback_thread);
}

int xenblk::connect(void *arg)
{
	auto *a = static_cast<connect_args *>(arg);

	return a->dut->probe_and_connect(a->cfg, a->disk);
}

xenblk::~xenblk()
{
	rs_kshim::set_xen_hooks(nullptr);
}

uint64_t xenblk::sector_base(size_t job) const
{
	return JOB_AREA_SECTORS * job;
}

void xenblk::content_of(size_t job, const rs_io &io, uint64_t &stream, uint64_t &offset) const
{
	stream = m_disk->cfg().stream;
	offset = sector_base(job) * SECTOR + io.file_offset;
}

void xenblk::irq_thread()
{
	m_host.on_irq_vcpu(); // the event channel is bound to vCPU 0
	if (run_trace *t = run_trace::active())
		t->name_track("xen-blk irq");
	for (;;) {
		while (!m_irq_pending)
			wait(m_irq_ev);
		m_irq_pending--;
		run_trace *t = run_trace::active();
		if (t)
			t->begin("interrupt", nullptr);
		m_host.charge(KSHIM_COST_IRQ_ENTRY, 1);
		if (m_irq_handler)
			m_irq_handler(1, m_irq_dev);
		if (t)
			t->end(nullptr);
	}
}

void xenblk::shutdown()
{
	m_wb_final = true;
	m_wb_kicked = true;
	m_wb_kick.notify(SC_ZERO_TIME);
}

// The flusher (a bdi writeback worker): all dirty pages, in disk order, when kicked at the
// background threshold, and at shutdown (sync, unmount), after which the device is down.
void xenblk::writeback_thread()
{
	for (;;) {
		while (!m_wb_kicked)
			wait(m_wb_kick);
		m_wb_kicked = false;
		while (m_wb_busy)
			wait(m_wb_done);
		bool final = m_wb_final; // the threads have ended: this pass writes the last pages

		writeback(true, 0, 0);
		if (m_dirty >= m_dirty_background)
			m_wb_kicked = true; // written to meanwhile: another pass
		if (final) {
			for (auto &e : m_cache)
				m_host.mem().pages().free_pages(e.second.pfn, 0);
			m_cache.clear();
			m_down = true;
			m_down_ev.notify(SC_ZERO_TIME);
			return;
		}
	}
}

/*
 * writeback() - write back the dirty pages (all, or those with index in [@lo, @hi)) in
 * ascending order, one bio each, plugged (blk_writeback_pages merges them), and wait. A
 * page is cleaned before its I/O (clear_page_dirty_for_io): one written to meanwhile is
 * dirty again. Clean pages are dropped afterwards but the last one of a run, which the
 * next sequential write continues. Context: guest thread; sleeps.
 */
int xenblk::writeback(bool all, uint64_t lo, uint64_t hi)
{
	std::vector<sector_t> sectors;
	std::vector<struct page *> pages;
	std::vector<uint64_t> idx;
	unsigned nr_requests = 0;
	int err = 0;

	m_wb_busy = true;
	for (auto &e : m_cache) {
		if (!e.second.dirty || (!all && (e.first < lo || e.first >= hi)))
			continue;
		e.second.dirty = false;
		m_dirty--;
		idx.push_back(e.first);
		sectors.push_back(e.first * (PAGE_SIZE / SECTOR));
		pages.push_back(pfn_to_page(e.second.pfn));
	}
	if (!pages.empty())
		err = m_dut->writeback_pages(m_gd->queue, sectors.data(), pages.data(),
					  static_cast<unsigned>(pages.size()), &nr_requests);
	*m_wb_pages += pages.size();
	*m_wb_requests += nr_requests;
	for (size_t i = 0; i < idx.size(); i++) {
		auto it = m_cache.find(idx[i]);
		bool last = i + 1 == idx.size() || idx[i + 1] != idx[i] + 1;

		if (it != m_cache.end() && !it->second.dirty && !last) {
			m_host.mem().pages().free_pages(it->second.pfn, 0);
			m_cache.erase(it);
		}
	}
	m_wb_busy = false;
	m_wb_done.notify(SC_ZERO_TIME);
	return err;
}

/*
 * buffered_write() - write(2) into the block device's page cache: copy the bytes into the
 * cached pages (a page the write covers only in part is read from the disk first, as
 * __block_write_begin does for a block that is not up to date), mark them dirty, kick the
 * flusher past the background threshold and wait while past the dirty limit
 * (balance_dirty_pages). The disk sees the data later, at write-back.
 */
uint64_t xenblk::buffered_write(size_t j, const rs_io &io, const std::vector<uint64_t> &pfns,
				rs_request_row &row)
{
	const uint64_t page = PAGE_SIZE;
	const uint64_t start = sector_base(j) * SECTOR + io.file_offset, end = start + io.bytes;
	auto &mem = m_host.mem().memory();

	for (uint64_t i = start / page; i * page < end; i++) {
		uint64_t lo = std::max(start, i * page), hi = std::min(end, (i + 1) * page);
		auto it = m_cache.find(i);

		if (it == m_cache.end()) {
			uint64_t pfn = m_host.mem().pages().alloc_pages(0, gmm::page_kind::kernel,
									 m_host.ctx().request);
			if (pfn == gmm::NO_PFN) {
				row.status = "enomem";
				return 0;
			}
			it = m_cache.emplace(i, cache_page{ pfn, false }).first;
			if (hi - lo < page) {
				struct page *pg = pfn_to_page(pfn);
				unsigned n = 0;

				(*m_wb_rmw)++;
				if (m_dut->submit_io(m_gd->queue, 0, i * (page / SECTOR), &pg, 1, 0,
						  static_cast<unsigned>(page), &n)) {
					row.status = "eio";
					return 0;
				}
			}
		}
		// The user's bytes [lo, hi) are at lo - start in the workload's buffer pages.
		for (uint64_t b = lo; b < hi;) {
			uint64_t src = b - start, n = std::min(hi - b, page - src % page);

			memcpy(mem.host_ptr(it->second.pfn * page + (b - i * page)),
			       mem.host_ptr(pfns[src / page] * page + src % page), n);
			b += n;
		}
		m_host.charge(KSHIM_COST_MEMCPY_PER_KIB, (hi - lo + 1023) / 1024);
		if (!it->second.dirty) {
			it->second.dirty = true;
			m_dirty++;
		}
	}
	if (m_dirty >= m_dirty_background) {
		m_wb_kicked = true; // a flusher in a pass makes another
		m_wb_kick.notify(SC_ZERO_TIME);
	}
	while (m_dirty >= m_dirty_limit) {
		m_wb_kicked = true;
		m_wb_kick.notify(SC_ZERO_TIME);
		wait(m_wb_done);
	}
	row.status = "ok";
	return io.bytes;
}

void xenblk::end_stall(const char *cause, uint64_t &since, rs_stat *len, int64_t request)
{
	uint64_t now = now_cycles();

	if (!since)
		return;
	rs_recorder_stall(m_host.rec(), "blkif", cause, since, now, request);
	rs_stat_add(len, static_cast<double>(now - since));
	since = 0;
}

void xenblk::queued(struct request *req, unsigned num_sg, unsigned num_grant,
		    unsigned max_grefs, unsigned indirect_frames)
{
	auto it = m_rows.find(req->sim_id);

	end_stall("ring_full", m_ring_full_since, m_stall, req->sim_id);
	end_stall("grant_reservation", m_grant_wait_since, m_grant_wait, req->sim_id);
	(*m_requests)++;
	rs_stat_add(m_grants, num_grant + indirect_frames);
	rs_stat_add(m_reserved, max_grefs);
	if (indirect_frames) {
		(*m_indirect_requests)++;
		*m_indirect_frames += indirect_frames;
	}
	if (it != m_rows.end()) {
		m_slot_owner[m_slots_queued] = req->sim_id;
		if (!it->second->posted_cycle) {
			it->second->posted_cycle = now_cycles();
			it->second->stall_at_post = it->second->stall_cycles;
		}
		it->second->sg_entries += num_sg;
		it->second->grants += num_grant + indirect_frames;
		it->second->grants_reserved += max_grefs;
	}
	m_slots_queued++;
	sample_driver();
}

// --trace: the guest's free grant references now.
void xenblk::set_free_grefs()
{
	if (m_free_grefs)
		rs_level_set(m_free_grefs, now_cycles(), m_dut->gnttab_free_count_now());
}

// What the driver holds, read at each of its probes that may follow a change: persistent
// grants, and free grant references (taken at each request's build, given back at its
// completion, waited for when exhausted).
void xenblk::sample_driver()
{
	rs_level_set(m_persistent, now_cycles(), m_dut->persistent_gnts());
	set_free_grefs();
}

// blkback answered the request of ring slot r.slot: for its workload request's phases, the
// first the backend took off the ring and the last it answered; with --trace, a slice on the
// backend's track from the ring to the response.
void xenblk::served(const blkif::blkback::served_request &r)
{
	if (run_trace *t = run_trace::active()) {
		static const char *const ops[] = { "read", "write", "write barrier", "flush",
						   "op 4", "discard", "indirect" };
		t->span("xen-blk backend service", r.operation < 7 ? ops[r.operation] : "request",
			r.consumed, json_pack("{s:I, s:i}", "id", (json_int_t)r.id, "status",
					      r.status));
	}
	auto owner = m_slot_owner.find(r.slot);
	if (owner == m_slot_owner.end())
		return;
	auto it = m_rows.find(owner->second);
	m_slot_owner.erase(owner);
	if (it == m_rows.end())
		return;
	rs_request_row &row = *it->second;
	if (!row.popped_cycle) {
		row.popped_cycle = r.consumed;
		row.ring_id = r.slot & (m_back->ring_size() - 1);
	}
	row.responded_cycle = r.responded;
}

void xenblk::tag_waited(uint64_t since, unsigned sleeps)
{
	guest_ctx &c = m_host.ctx();
	uint64_t now = now_cycles();

	rs_recorder_stall(m_host.rec(), "blkif", "no_free_tag", since, now, c.request);
	rs_stat_add(m_tag_wait, static_cast<double>(now - since));
	(*m_tag_waits)++;
	*m_tag_resleeps += sleeps - 1;
	if (rs_request_row *row = guest_kernel::row_of(c))
		row->stall_cycles += now - since;
}

void xenblk::grants_exhausted()
{
	(*m_exhausted)++;
	if (!m_grant_wait_since)
		m_grant_wait_since = now_cycles();
	set_free_grefs();
}

void xenblk::ring_full()
{
	(*m_ring_full)++;
	if (!m_ring_full_since)
		m_ring_full_since = now_cycles();
}

void xenblk::trace(sc_trace_file *tf) const
{
	m_sig_in_use.trace(tf, "blkif.ring_in_use");
	m_sig_grants.trace(tf, "blkif.grants_in_use");
}

void xenblk::ring_changed(unsigned in_use)
{
	rs_level_set(m_occupancy, now_cycles(), in_use);
	m_sig_in_use.set(in_use);
	sample_driver();
}

void xenblk::copied(unsigned bytes)
{
	*m_copy_bytes += bytes;
}

// Grants in use are the valid entries of the guest's table: ring pages, data and indirect
// grants, persistent ones until the end; each grant and each ungrant moves the level.
void xenblk::granted(int delta, unsigned long frame)
{
	if (delta > 0)
		m_ledger.insert(frame);
	m_granted += delta;
	rs_level_set(m_grants_in_use, now_cycles(), static_cast<double>(m_granted));
	m_sig_grants.set(static_cast<uint32_t>(m_granted));
}

void xenblk::notify_backend()
{
	m_host.charge(KSHIM_COST_EVENT_NOTIFY, 1);
	if (run_trace *t = run_trace::active())
		t->instant("xen-blk backend", "event-channel notify", nullptr);
	m_back->kick();
}

int xenblk::bind_irq(int (*handler)(int, void *), void *dev_id)
{
	m_irq_handler = handler;
	m_irq_dev = dev_id;
	return 1;
}

void xenblk::add_grant_frame(unsigned idx, void *kva)
{
	m_gnttab->add_frame(idx, virt_to_phys(kva));
}

uint64_t xenblk::submit(size_t j, const rs_io &io, char *buf, const std::vector<uint64_t> &pfns,
			rs_request_row &row)
{
	const rs_job &job = m_s.jobs[j];
	const int write = job.op == RS_OP_WRITE;
	const uint64_t page = PAGE_SIZE;
	guest_ctx &c = m_host.ctx();
	std::vector<struct page *> pages;
	unsigned offset = 0, nr_requests = 0;

	if (job.op == RS_OP_FLUSH) {
		row.status = fsync(j, false) ? "eio" : "ok";
		return 0;
	}
	if (job.io == RS_IO_BUFFERED && write) {
		uint64_t n = buffered_write(j, io, pfns, row);

		if (n && job.fsync_every && ++m_writes[j] % job.fsync_every == 0 && fsync(j, true))
			row.status = "eio";
		return n;
	}
	if (job.io == RS_IO_DIRECT) {
		// The direct I/O code pins the user pages for the duration (dio_get_page).
		if (!rs_setup::pin_user_buffer(buf, io.bytes, write, pages, offset)) {
			row.status = "efault";
			return 0;
		}
	} else {
		for (uint64_t pfn : pfns)
			pages.push_back(pfn_to_page(pfn));
	}
	m_rows[c.request] = &row;
	int err = m_dut->submit_io(m_gd->queue, write, sector_base(j) + io.file_offset / SECTOR,
				pages.data(), static_cast<unsigned>(pages.size()), offset,
				static_cast<unsigned>(io.bytes), &nr_requests);
	m_rows.erase(c.request);
	row.descriptors = nr_requests; // block requests this I/O became
	if (job.io == RS_IO_DIRECT)
		for (struct page *p : pages)
			put_page(p);
	if (err) {
		row.status = "eio";
		return 0;
	}
	if (!write) {
		// End to end: the guest's buffer holds the disk's content at that address.
		uint64_t stream, addr, bad;

		content_of(j, io, stream, addr);
		if (job.io == RS_IO_DIRECT)
			bad = content_check(stream, addr, io.bytes,
					    [&](uint64_t at, uint8_t *chunk, size_t n) {
						    c.as->copy_from_user(
							    reinterpret_cast<uintptr_t>(buf) + at,
							    chunk, n);
					    });
		else
			bad = content_check(stream, addr, io.bytes,
					    [&](uint64_t at, uint8_t *chunk, size_t n) {
						    for (size_t k = 0; k < n; k += page)
							    memcpy(chunk + k,
								   m_host.mem().memory().host_ptr(
									   pfns[(at + k) / page] * page),
								   std::min<size_t>(page, n - k));
					    });
		*m_checked += io.bytes;
		*m_mismatches += bad;
		if (bad)
			m_host.read_mismatch("blk", bad, io.bytes, addr);
	}
	row.status = "ok";
	if (write && job.fsync_every && ++m_writes[j] % job.fsync_every == 0 && fsync(j, false))
		row.status = "eio";
	return io.bytes;
}

/*
 * fsync() - fsync(2) on the block device for job @j: its dirty pages written back and waited
 * for (filemap_write_and_wait, when @dirty), then an empty cache flush (blkdev_issue_flush).
 */
int xenblk::fsync(size_t j, bool dirty)
{
	int err = 0;

	(*m_fsyncs)++;
	if (dirty) {
		const uint64_t first = sector_base(j) * SECTOR / PAGE_SIZE;

		while (m_wb_busy)
			wait(m_wb_done);
		err = writeback(false, first, first + JOB_AREA_SECTORS * SECTOR / PAGE_SIZE);
	}
	return m_dut->issue_flush(m_gd->queue) || err;
}

void xenblk::collect()
{
	rs_recorder *rec = m_host.rec();
	const blkif::backend_stats &b = m_back->statistics();
	unsigned granted = 0, pool = m_gd ? m_dut->pool_pages(&granted) : 0;
	std::vector<unsigned long> pfns(pool);
	auto set = [rec](const char *name, uint64_t v) {
		uint64_t *c = rs_recorder_counter(rec, name);

		if (c)
			*c = v;
	};

	end_stall("ring_full", m_ring_full_since, m_stall, -1);
	end_stall("grant_reservation", m_grant_wait_since, m_grant_wait, -1);
	*m_checked += m_disk->statistics().integrity_checked;
	*m_mismatches += m_disk->statistics().integrity_mismatches;
	set("blkif.grant_maps", m_gnttab->maps());
	set("blkif.grant_unmaps", m_gnttab->unmaps());
	set("blkif.backend_requests", b.requests);
	set("blkif.backend_errors", b.errors);
	set("blkif.backend_persistent_grants_max", b.pgrants_max);
	set("blkif.stale_bytes_exposed", b.stale_bytes_exposed);
	set("blkif.backend_flushes", b.flushes);
	set("blkif.backend_barriers", b.barriers);
	set("blkif.disk_seeks", m_disk->statistics().seeks);
	set("blkif.disk_queued", m_disk->statistics().queued);
	set("blkif.disk_flushes", m_disk->statistics().flushes);
	// Persistent grants own a whole guest page each. From the ledger of frames granted in
	// the run: a pool page none of whose 4 KiB frames was ever granted is unused; of a used
	// one, the frames no grant ever covered are waste too (60 KiB of a 64 KiB page).
	uint64_t unused = 0, uncovered = 0;
	const uint64_t frames_per_page = PAGE_SIZE / 4096;
	pfns.resize(m_gd ? m_dut->pool_pfns(pfns.data(), pool) : 0);
	for (unsigned long pfn : pfns) {
		uint64_t covered = 0;

		for (uint64_t f = 0; f < frames_per_page; f++)
			covered += m_ledger.count(uint64_t(pfn) * frames_per_page + f);
		if (!covered)
			unused += PAGE_SIZE;
		else
			uncovered += (frames_per_page - covered) * 4096;
	}
	set("blkif.persistent_pool_bytes", uint64_t(pfns.size()) * PAGE_SIZE);
	set("blkif.persistent_unused_bytes", unused);
	set("blkif.persistent_uncovered_bytes", uncovered);
	set("blkif.persistent_waste_bytes", unused + uncovered);
}

} // namespace rs_engine
