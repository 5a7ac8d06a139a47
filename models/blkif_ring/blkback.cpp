// SPDX-License-Identifier: GPL-2.0-only
// Control flow follows drivers/block/xen-blkback/blkback.c of Linux 3.14 to 4.4 (single
// ring): xen_blkif_schedule, do_block_io_op / __do_block_io_op, dispatch_rw_block_io,
// xen_blkbk_parse_indirect, xen_blkbk_map / xen_blkbk_unmap, purge_persistent_gnt,
// __end_block_io_op and make_response. Where the model simplifies, the comment says so.
#include "blkif_ring/blkback.h"

#include "common/text.h"

#include "common/cycles.h"
#include "common/dma_transact.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <stdexcept>

namespace blkif {

using rs_models::hex;
using rs_models::num;
using rs_models::power_of_two;

std::string check_config(const backend_config &cfg)
{
	if (cfg.clock_period == sc_core::SC_ZERO_TIME)
		return "clock_period is zero: the engine must set the platform clock";
	if (!power_of_two(cfg.max_ring_pages) || cfg.max_ring_pages > XENBUS_MAX_RING_PAGES)
		return "max_ring_pages " + num(cfg.max_ring_pages) +
		       " is not a power of two between 1 and 16";
	if (cfg.max_indirect_segments >
	    BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST * SEGS_PER_INDIRECT_FRAME)
		return "max_indirect_segments " + num(cfg.max_indirect_segments) +
		       " is above the protocol's 8 x 512 = 4096";
	if (cfg.persistent && cfg.max_pgrants == 0)
		return "max_pgrants is zero with persistent grants on";
	if (cfg.lru_interval_cycles == 0)
		return "lru_interval_cycles is zero";
	if (cfg.lru_percent_clean > 100)
		return "lru_percent_clean " + num(cfg.lru_percent_clean) + " is above 100";
	return "";
}

blkback::blkback(sc_core::sc_module_name name, const backend_config &cfg, grant_table &gnttab,
		 disk_if &disk, rs_models::finding_sink_if &sink)
	: sc_module(name), dma("dma"), m_cfg(cfg), m_gnttab(gnttab), m_disk(disk), m_sink(sink),
	  m_kick_q("kick_q"), m_irq_q("irq_q")
{
	std::string err = check_config(cfg);
	if (!err.empty())
		throw std::invalid_argument(std::string(this->name()) + ": " + err);
	SC_THREAD(run);
	SC_THREAD(complete_loop);
	SC_METHOD(doorbell);
	sensitive << m_kick_q.default_event();
	dont_initialize();
	SC_METHOD(deliver_irq);
	sensitive << m_irq_q.default_event();
	dont_initialize();
}

int blkback::connect(const frontend_info &fe)
{
	if (m_connect_pending)
		return -EALREADY;
	size_t n = fe.ring_grefs.size();
	if (!power_of_two(n) || n > m_cfg.max_ring_pages) {
		rs_models::finding f;
		f.kind = "blkif_bad_ring";
		f.where = "blkback " + std::string(name());
		f.detail = "domain " + num(fe.domid) + " connected a ring of " + num(n) +
			   " page(s); the backend takes a power of two up to " +
			   num(m_cfg.max_ring_pages) + " (max-ring-page-order)";
		f.cycle = now_cycles();
		m_sink.report(f);
		return -EINVAL;
	}
	m_fe = fe;
	m_connect_pending = true;
	m_use_persistent = m_cfg.persistent && fe.feature_persistent;
	m_ring_size = blkif_ring_size(uint64_t(XEN_PAGE_SIZE) * n);
	// A delta notification: connect() may come before the simulation starts, when the
	// threads see the flag on their first run anyway.
	if (sc_core::sc_is_running())
		m_wake.notify(sc_core::SC_ZERO_TIME);
	return 0;
}

void blkback::kick()
{
	m_stats.kicks++;
	m_kick_q.notify(m_cfg.clock_period * static_cast<double>(m_cfg.kick_latency_cycles));
}

// xen_blkif_be_int → blkif_notify_work: waiting_reqs stays set until the thread next runs
// do_block_io_op, so a notification during a pass is not lost.
void blkback::doorbell()
{
	m_doorbell = true;
	m_wake.notify();
}

void blkback::deliver_irq()
{
	m_stats.irqs_seen++;
	if (m_irq_handler)
		m_irq_handler();
	m_irq_seen.notify();
}

// xen_blkif_schedule. The purge runs after each pass once LRU_INTERVAL has gone by; the real
// thread also wakes every LRU_INTERVAL when idle, which is left out: a purge only acts once
// the cache has overflowed, and a free-running timer would keep every simulation from ending.
void blkback::run()
{
	while (!m_connect_pending)
		wait(m_wake);
	if (!map_ring())
		return;
	m_next_lru = now_cycles() + m_cfg.lru_interval_cycles;
	for (;;) {
		while (!m_doorbell)
			wait(m_wake);
		m_doorbell = false;
		if (!do_block_io_op())
			return; // broken: the ring is halted
		if (m_use_persistent && now_cycles() > m_next_lru) {
			purge_persistent_gnt();
			m_next_lru = now_cycles() + m_cfg.lru_interval_cycles;
		}
	}
}

// xen_blkif_map: each ring page mapped writable, in order; the backend sees them as one
// virtually contiguous ring, whatever their guest physical addresses.
bool blkback::map_ring()
{
	for (size_t i = 0; i < m_fe.ring_grefs.size(); i++) {
		map_result r = m_gnttab.map(*this, m_fe.ring_grefs[i], m_cfg.backend_domid, true);
		if (!r.ok())
			return fail("blkif_ring_map_failed",
				    "ring page " + num(i) + " (gref " + num(m_fe.ring_grefs[i]) +
					    ") of domain " + num(m_fe.domid) +
					    " could not be mapped (GNTST " + std::to_string(r.status) +
					    ")");
		m_ring_gpa.push_back(r.gpa);
	}
	m_mapped = true;
	return true;
}

// do_block_io_op: passes until RING_FINAL_CHECK_FOR_REQUESTS, which sets req_event so that
// the frontend's next push notifies, finds nothing more.
bool blkback::do_block_io_op()
{
	for (;;) {
		if (!do_block_io_pass())
			return false;
		RING_IDX prod;
		if (!read_req_prod(prod))
			return false;
		if (blkif_has_unconsumed_requests(prod, m_req_cons, m_rsp_prod_pvt, m_ring_size))
			continue;
		RING_IDX event = m_req_cons + 1;
		if (!ring_access(true, BLKIF_SRING_OFF_REQ_EVENT, &event, sizeof(event), "req_event") ||
		    !read_req_prod(prod))
			return false;
		if (!blkif_has_unconsumed_requests(prod, m_req_cons, m_rsp_prod_pvt, m_ring_size))
			return true;
	}
}

// __do_block_io_op. A request that fails ends the pass ("goto done"); the final check then
// finds the rest. blkback's pending_req pool holds 32 per ring page, the ring's size, so
// unlike blkback the model never runs out of it.
bool blkback::do_block_io_pass()
{
	RING_IDX rc = m_req_cons, rp;
	if (!read_req_prod(rp))
		return false;
	if (blkif_request_prod_overflow(rp, m_rsp_prod_pvt, m_ring_size))
		return fail("blkif_ring_overflow",
			    "req_prod " + num(rp) + " is " + num(RING_IDX(rp - m_rsp_prod_pvt)) +
				    " requests past rsp_prod_pvt " + num(m_rsp_prod_pvt) +
				    " in a ring of " + num(m_ring_size) +
				    " (blkback: \"Frontend provided bogus ring requests\")");
	while (rc != rp) {
		if (blkif_request_cons_overflow(rc, m_rsp_prod_pvt, m_ring_size))
			break;
		blkif_request req;
		if (!ring_access(false, blkif_slot_off(rc, m_ring_size), &req, sizeof(req),
				 "a request slot"))
			return false;
		taken t{ rc, now_cycles() };
		m_req_cons = ++rc; // before any response
		m_stats.requests++;
		wait_cycles(m_cfg.request_cycles);
		outcome o = dispatch(req, t);
		if (o == outcome::failed) {
			wait_cycles(m_cfg.error_backoff_cycles); // msleep(1): back off a bit
			break;
		}
		if (o == outcome::unsupported)
			break;
	}
	return true;
}

blkback::outcome blkback::dispatch(const blkif_request &req, const taken &t)
{
	const RING_IDX slot = t.slot;

	switch (req.operation) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
	case BLKIF_OP_WRITE_BARRIER:
	case BLKIF_OP_FLUSH_DISKCACHE:
		return dispatch_rw(req, false, t);
	case BLKIF_OP_INDIRECT:
		if (m_cfg.max_indirect_segments)
			return dispatch_rw(req, true, t);
		// A backend without indirect support does not know the operation.
		request_finding("blkif_bad_indirect", slot, req.u.other.id,
				"BLKIF_OP_INDIRECT sent to a backend that does not advertise "
				"feature-max-indirect-segments");
		return respond_now(req.u.other.id, req.operation, BLKIF_RSP_EOPNOTSUPP, t);
	case BLKIF_OP_DISCARD:
		// The modelled disk advertises no feature-discard: blkdev_issue_discard() fails with
		// -EOPNOTSUPP.
		request_finding("blkif_bad_op", slot, req.u.discard.id,
				"BLKIF_OP_DISCARD sent to a backend that does not advertise "
				"feature-discard");
		return respond_now(req.u.discard.id, req.operation, BLKIF_RSP_EOPNOTSUPP, t);
	default:
		// dispatch_other_io
		request_finding("blkif_bad_op", slot, req.u.other.id,
				"unknown operation " + num(req.operation));
		return respond_now(req.u.other.id, req.operation, BLKIF_RSP_EOPNOTSUPP, t);
	}
}

// dispatch_rw_block_io, in its order: the operation, the segment count, each segment (or the
// indirect pages), the sector range (xen_vbd_translate), a barrier's drain, then the grant maps.
blkback::outcome blkback::dispatch_rw(const blkif_request &req, bool indirect, const taken &t)
{
	const RING_IDX slot = t.slot;

	uint64_t id = req.u.rw.id; // at offset 8 in every form
	uint8_t op = indirect ? req.u.indirect.indirect_op : req.operation;
	if (indirect && op != BLKIF_OP_READ && op != BLKIF_OP_WRITE) {
		request_finding("blkif_bad_indirect", slot, id,
				"indirect_op " + num(op) + " is not BLKIF_OP_READ or BLKIF_OP_WRITE");
		return respond_now(id, op, BLKIF_RSP_ERROR, t);
	}
	bool flush = op == BLKIF_OP_WRITE_BARRIER || op == BLKIF_OP_FLUSH_DISKCACHE;
	unsigned nseg = indirect ? req.u.indirect.nr_segments : req.u.rw.nr_segments;
	if ((nseg == 0 && !flush) || (!indirect && nseg > BLKIF_MAX_SEGMENTS_PER_REQUEST) ||
	    (indirect && nseg > m_cfg.max_indirect_segments)) {
		std::string limit = indirect ? "1.." + num(m_cfg.max_indirect_segments) +
						       " (feature-max-indirect-segments)"
					     : std::string("1..11 (BLKIF_MAX_SEGMENTS_PER_REQUEST)");
		request_finding("blkif_bad_nr_segments", slot, id,
				std::string(indirect ? "indirect" : "direct") + " request with " +
					num(nseg) + " segments; the backend takes " + limit);
		return respond_now(id, op, BLKIF_RSP_ERROR, t);
	}

	pending p;
	p.from = t;
	p.id = id;
	p.operation = op;
	p.to_guest = op == BLKIF_OP_READ;
	p.sector = indirect ? req.u.indirect.sector_number : req.u.rw.sector_number;
	if (!indirect) {
		for (unsigned i = 0; i < nseg; i++) {
			blkif_request_segment s = req.u.rw.seg[i];
			if (!check_segment(s, i, id, slot))
				return respond_now(id, op, BLKIF_RSP_ERROR, t);
			grant_use g;
			g.gref = s.gref;
			g.first_sect = s.first_sect;
			g.last_sect = s.last_sect;
			p.segs.push_back(g);
		}
	} else if (!parse_indirect(req, nseg, p, slot)) {
		return respond_now(id, op, BLKIF_RSP_ERROR, t);
	}

	uint64_t nr_sects = 0;
	for (const grant_use &g : p.segs)
		nr_sects += g.last_sect - g.first_sect + 1u;
	uint64_t end = p.sector + nr_sects;
	if (nr_sects && (end < p.sector || end > m_disk.capacity_sectors())) {
		request_finding("blkif_bad_sector", slot, id,
				"sectors " + num(p.sector) + ".." + num(end - 1) +
					" lie beyond the disk's " + num(m_disk.capacity_sectors()));
		return respond_now(id, op, BLKIF_RSP_ERROR, t);
	}

	// WRITE_BARRIER: xen_blk_drain_io waits for everything in flight first.
	if (op == BLKIF_OP_WRITE_BARRIER)
		while (m_stats.in_flight)
			wait(m_idle);

	// Segments map read-only for a write (the disk only reads them) unless they may become
	// persistent, which are always writable.
	if (!map_grants(p.segs, op != BLKIF_OP_READ, id, slot)) {
		unmap_grants(p.segs);
		return respond_now(id, op, BLKIF_RSP_ERROR, t);
	}

	disk_request dr;
	dr.write = op != BLKIF_OP_READ;
	dr.flush = flush;
	dr.sector = p.sector;
	dr.bytes = nr_sects * BLKIF_SECTOR_SIZE;
	uint64_t ready = m_disk.submit(dr, now_cycles());
	m_stats.segments += nseg;
	if (indirect)
		m_stats.indirect_requests++;
	if (op == BLKIF_OP_WRITE_BARRIER)
		m_stats.barriers++;
	if (flush)
		m_stats.flushes++;
	else if (op == BLKIF_OP_READ)
		m_stats.reads++;
	else
		m_stats.writes++;
	if (++m_stats.in_flight > m_stats.in_flight_max)
		m_stats.in_flight_max = m_stats.in_flight;
	p.submitted = true;
	m_done.emplace(std::make_pair(ready, m_seq++), std::move(p));
	m_queued.notify();
	return outcome::submitted;
}

// xen_blkbk_parse_indirect: the indirect pages are mapped (read-only, or as persistent
// grants), their segments read by DMA and checked, and the pages let go again.
bool blkback::parse_indirect(const blkif_request &req, unsigned nseg, pending &p, RING_IDX slot)
{
	uint64_t id = req.u.indirect.id;
	unsigned npages = INDIRECT_PAGES(nseg); // <= 8: nseg <= max_indirect_segments <= 4096
	std::vector<grant_use> pages(npages);
	for (unsigned i = 0; i < npages; i++)
		pages[i].gref = req.u.indirect.indirect_grefs[i];
	bool ok = map_grants(pages, true, id, slot);
	std::vector<blkif_request_segment> segs;
	for (unsigned i = 0; ok && i < npages; i++) {
		unsigned n = std::min<unsigned>(SEGS_PER_INDIRECT_FRAME, nseg - i * SEGS_PER_INDIRECT_FRAME);
		std::vector<blkif_request_segment> page(n);
		if (!dma_read(pages[i].gpa, page.data(), n * sizeof(blkif_request_segment))) {
			request_finding("blkif_dma_error", slot, id,
					"reading indirect page " + num(i) + " (gref " +
						num(pages[i].gref) + ") at pa " + hex(pages[i].gpa) +
						" failed");
			ok = false;
			break;
		}
		m_stats.indirect_frames++;
		for (unsigned k = 0; k < n; k++) {
			if (!check_segment(page[k], i * SEGS_PER_INDIRECT_FRAME + k, id, slot)) {
				ok = false;
				break;
			}
			grant_use g;
			g.gref = page[k].gref;
			g.first_sect = page[k].first_sect;
			g.last_sect = page[k].last_sect;
			p.segs.push_back(g);
		}
	}
	unmap_grants(pages);
	return ok;
}

bool blkback::check_segment(const blkif_request_segment &s, unsigned i, uint64_t id,
			    RING_IDX slot)
{
	if (s.last_sect < BLKIF_SECTORS_PER_PAGE && s.first_sect <= s.last_sect)
		return true;
	request_finding("blkif_bad_segment", slot, id,
			"segment " + num(i) + " (gref " + num(s.gref) + ") has first_sect " +
				num(s.first_sect) + " and last_sect " + num(s.last_sect) +
				"; a 4 KiB grant needs 0 <= first_sect <= last_sect <= 7");
	return false;
}

// xen_blkbk_map. Every page is tried even after one failed, as blkback does; the caller
// unmaps what was mapped. Persistent grants are taken from the cache when idle there, else
// mapped and added while the cache has room; past max_pgrants they are mapped for this request
// only and overflow_max_grants asks the next purge to make room.
bool blkback::map_grants(std::vector<grant_use> &pages, bool ro, uint64_t id, RING_IDX slot)
{
	bool ok = true;
	for (grant_use &g : pages) {
		if (m_use_persistent) {
			auto it = m_pgrants.find(g.gref);
			if (it != m_pgrants.end() && !it->second.active) {
				it->second.active = true;
				m_pgrants_in_use++;
				g.gpa = it->second.gpa;
				g.persistent = true;
				m_stats.pgrant_hits++;
				continue;
			}
			if (it != m_pgrants.end())
				request_finding("blkif_pgrant_in_use", slot, id,
						"gref " + num(g.gref) +
							" is used by another request still in flight "
							"(blkback: \"requesting a grant already in use\"); "
							"mapped again for this one");
		}
		map_result r = m_gnttab.map(*this, g.gref, m_cfg.backend_domid,
					    m_use_persistent || !ro);
		if (!r.ok()) {
			ok = false;
			continue;
		}
		m_stats.grant_maps++;
		g.gpa = r.gpa;
		if (m_use_persistent && m_pgrants.size() < m_cfg.max_pgrants &&
		    !m_pgrants.count(g.gref)) {
			pgrant pg;
			pg.gpa = r.gpa;
			pg.handle = r.handle;
			pg.active = true;
			m_pgrants.emplace(g.gref, pg);
			m_pgrants_in_use++;
			g.persistent = true;
			m_stats.pgrants = m_pgrants.size();
			if (m_stats.pgrants > m_stats.pgrants_max)
				m_stats.pgrants_max = m_stats.pgrants;
			continue;
		}
		if (m_use_persistent && m_pgrants.size() >= m_cfg.max_pgrants)
			m_overflow_max_grants = true;
		g.handle = r.handle;
		g.mapped = true;
	}
	return ok;
}

// xen_blkbk_unmap: persistent grants are put back in the cache (PERSISTENT_GNT_WAS_ACTIVE),
// the others unmapped.
void blkback::unmap_grants(std::vector<grant_use> &pages)
{
	for (grant_use &g : pages) {
		if (g.persistent) {
			auto it = m_pgrants.find(g.gref);
			if (it != m_pgrants.end() && it->second.active) {
				it->second.active = false;
				it->second.was_active = true;
				m_pgrants_in_use--;
			}
			g.persistent = false;
		} else if (g.mapped) {
			if (m_gnttab.unmap(*this, g.handle) == GNTST_okay)
				m_stats.grant_unmaps++;
			g.mapped = false;
		}
	}
}

// purge_persistent_gnt: only once the cache is full and a request wanted more. It removes
// max_pgrants / 100 * LRU_PERCENT_CLEAN grants (plus any excess), those not used since the
// last purge first, in gref order, then used ones if needed, never one in flight; then every
// survivor's "used" mark is cleared. blkback defers the unmaps to a work item; the model does
// them here, in the backend's thread.
void blkback::purge_persistent_gnt()
{
	uint64_t c = m_pgrants.size(), max = m_cfg.max_pgrants;
	if (c < max || (c == max && !m_overflow_max_grants))
		return;
	uint64_t num_clean = (max / 100) * m_cfg.lru_percent_clean;
	num_clean = std::min(c, c - max + num_clean);
	if (num_clean == 0 || num_clean > c - m_pgrants_in_use)
		return;
	std::vector<pgrant> purged;
	for (int pass = 0; pass < 2 && num_clean; pass++) {
		for (auto it = m_pgrants.begin(); it != m_pgrants.end() && num_clean;) {
			if (it->second.active || (pass == 0 && it->second.was_active)) {
				++it;
				continue;
			}
			purged.push_back(it->second);
			it = m_pgrants.erase(it);
			num_clean--;
		}
	}
	for (auto &e : m_pgrants)
		e.second.was_active = false;
	m_overflow_max_grants = false;
	m_stats.pgrants = m_pgrants.size();
	m_stats.pgrants_purged += purged.size();
	for (const pgrant &g : purged)
		if (m_gnttab.unmap(*this, g.handle) == GNTST_okay)
			m_stats.grant_unmaps++;
}

// fail_response / dispatch_other_io: the response goes out through the completion path (one
// writer of the response ring, like blkback's blk_ring_lock), ahead of anything later.
blkback::outcome blkback::respond_now(uint64_t id, uint8_t op, int16_t status, const taken &t)
{
	pending p;
	p.from = t;
	p.id = id;
	p.operation = op;
	p.status = status;
	m_done.emplace(std::make_pair(now_cycles(), m_seq++), std::move(p));
	m_queued.notify();
	return status == BLKIF_RSP_EOPNOTSUPP ? outcome::unsupported : outcome::failed;
}

// The disk's completions in time order (__end_block_io_op), one at a time.
void blkback::complete_loop()
{
	for (;;) {
		while (m_done.empty())
			wait(m_queued);
		if (m_broken)
			return;
		auto it = m_done.begin();
		uint64_t now = now_cycles();
		if (it->first.first > now) {
			wait(m_cfg.clock_period * static_cast<double>(std::min(
				     it->first.first - now, rs_models::max_wait_cycles)), m_queued);
			continue;
		}
		pending p = std::move(it->second);
		m_done.erase(it);
		finish(p);
		if (m_broken)
			return;
	}
}

// XB-5: each data grant maps a whole 4 KiB frame, of which the request's segment is
// [first_sect, last_sect]; the rest of the frame is readable by the backend too. A byte there
// that is not zero was written by someone else (a previous request through the same
// persistent page, the rest of the guest's page): stale data the guest never meant to share.
// Read through the debug path: what the backend could see, at no cost in time.
void blkback::count_exposed(const pending &p)
{
	uint64_t stale = 0;
	uint8_t frame[BLKIF_SECTORS_PER_PAGE * BLKIF_SECTOR_SIZE];

	for (const grant_use &g : p.segs) {
		size_t lo = size_t(g.first_sect) * BLKIF_SECTOR_SIZE;
		size_t hi = (size_t(g.last_sect) + 1) * BLKIF_SECTOR_SIZE;

		if (lo == 0 && hi >= sizeof(frame))
			continue; // the segment covers its whole frame: nothing outside it
		tlm::tlm_generic_payload t;
		t.set_command(tlm::TLM_READ_COMMAND);
		t.set_address(g.gpa);
		t.set_data_ptr(frame);
		t.set_data_length(sizeof(frame));
		t.set_streaming_width(sizeof(frame));
		if (dma->transport_dbg(t) != sizeof(frame))
			continue;
		for (size_t i = 0; i < lo; i++)
			stale += frame[i] != 0;
		for (size_t i = hi; i < sizeof(frame); i++)
			stale += frame[i] != 0;
	}
	if (!stale)
		return;
	m_stats.stale_bytes_exposed += stale;
	m_stats.stale_requests++;
	rs_models::finding f;
	f.sev = rs_models::finding::severity::warn;
	f.kind = "blkif_stale_bytes_exposed";
	f.where = "blkback " + std::string(name()) + " id " + num(p.id);
	f.detail = num(stale) + " bytes of the " + num(p.segs.size()) + " granted frame(s) lie " +
		   "outside the request's sectors and hold someone else's data, readable by the " +
		   "backend (XSA-403)";
	f.cycle = now_cycles();
	m_sink.report(f);
}

void blkback::finish(pending &p)
{
	if (p.submitted) {
		count_exposed(p);
		if (!move_data(p))
			p.status = BLKIF_RSP_ERROR;
		unmap_grants(p.segs);
		if (--m_stats.in_flight == 0)
			m_idle.notify();
	}
	if (p.status == BLKIF_RSP_ERROR)
		m_stats.errors++;
	else if (p.status == BLKIF_RSP_EOPNOTSUPP)
		m_stats.unsupported++;
	make_response(p.id, p.operation, p.status);
	if (m_served)
		m_served(served_request{ p.from.slot, p.id, p.operation, p.status, p.from.cycle,
					 now_cycles() });
}

// The disk's DMA, segment by segment: segment i covers the disk bytes right after segment
// i - 1's (bio_add_page with the sector advancing by each segment's count). Guest memory
// reports a refused access itself; the request then fails.
bool blkback::move_data(pending &p)
{
	uint64_t addr = p.sector * BLKIF_SECTOR_SIZE;
	std::vector<uint8_t> buf;
	for (const grant_use &g : p.segs) {
		size_t n = (g.last_sect - g.first_sect + 1u) * size_t(BLKIF_SECTOR_SIZE);
		uint64_t pa = g.gpa + uint64_t(g.first_sect) * BLKIF_SECTOR_SIZE;
		buf.resize(n);
		if (p.to_guest) {
			m_disk.read(addr, buf.data(), n);
			if (!dma_write(pa, buf.data(), n))
				return false;
			m_stats.read_bytes += n;
		} else {
			if (!dma_read(pa, buf.data(), n))
				return false;
			m_disk.write(addr, buf.data(), n);
			m_stats.write_bytes += n;
		}
		addr += n;
	}
	return true;
}

// make_response: the response at rsp_prod_pvt, then RING_PUSH_RESPONSES_AND_CHECK_NOTIFY:
// publish rsp_prod, read rsp_event, notify iff it lies in (old, new].
bool blkback::make_response(uint64_t id, uint8_t op, int16_t status)
{
	blkif_response r;
	memset(&r, 0, sizeof(r));
	r.id = id;
	r.operation = op;
	r.status = status;
	if (!ring_access(true, blkif_slot_off(m_rsp_prod_pvt, m_ring_size), &r, sizeof(r),
			 "a response slot"))
		return false;
	m_rsp_prod_pvt++;
	m_stats.responses++;
	RING_IDX old_idx = m_rsp_prod, new_idx = m_rsp_prod_pvt, event;
	if (!ring_access(true, BLKIF_SRING_OFF_RSP_PROD, &new_idx, sizeof(new_idx), "rsp_prod"))
		return false;
	m_rsp_prod = new_idx;
	if (!ring_access(false, BLKIF_SRING_OFF_RSP_EVENT, &event, sizeof(event), "rsp_event"))
		return false;
	if (blkif_need_notify(old_idx, new_idx, event)) {
		m_stats.irqs_raised++;
		m_irq_q.notify(m_cfg.clock_period * static_cast<double>(m_cfg.irq_latency_cycles));
	} else {
		m_stats.irqs_suppressed++;
	}
	return true;
}

bool blkback::read_req_prod(RING_IDX &prod)
{
	return ring_access(false, BLKIF_SRING_OFF_REQ_PROD, &prod, sizeof(prod), "req_prod");
}

// One access at byte @off of the ring, split where it crosses from one 4 KiB ring page to
// the next (the pages need not be contiguous in guest physical memory).
bool blkback::ring_access(bool write, uint64_t off, void *buf, size_t len, const char *what)
{
	uint8_t *b = static_cast<uint8_t *>(buf);
	while (len) {
		uint64_t page = off / XEN_PAGE_SIZE, in = off % XEN_PAGE_SIZE;
		size_t n = std::min<uint64_t>(len, XEN_PAGE_SIZE - in);
		uint64_t pa = m_ring_gpa[page] + in;
		if (!transact(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, pa, b, n))
			return fail("blkif_dma_error",
				    std::string("device ") + (write ? "write" : "read") + " of " +
					    what + " (" + num(n) + " bytes at pa " + hex(pa) +
					    ") failed");
		off += n;
		b += n;
		len -= n;
	}
	return true;
}

bool blkback::dma_read(uint64_t pa, void *buf, size_t len)
{
	return transact(tlm::TLM_READ_COMMAND, pa, buf, len);
}

bool blkback::dma_write(uint64_t pa, const void *buf, size_t len)
{
	// A write command only reads the data buffer.
	return transact(tlm::TLM_WRITE_COMMAND, pa, const_cast<void *>(buf), len);
}

bool blkback::transact(tlm::tlm_command cmd, uint64_t pa, void *buf, size_t len)
{
	return rs_models::dma_transact(dma, cmd, pa, buf, len);
}

void blkback::wait_cycles(uint64_t n)
{
	if (n)
		wait(m_cfg.clock_period * static_cast<double>(n));
}

uint64_t blkback::now_cycles() const
{
	return sc_core::sc_time_stamp().value() / m_cfg.clock_period.value();
}

void blkback::request_finding(const std::string &kind, RING_IDX slot, uint64_t id,
			      const std::string &detail)
{
	rs_models::finding f;
	f.kind = kind;
	f.where = "blkback " + std::string(name()) + " ring slot " +
		  num(slot & (m_ring_size - 1)) + " id " + num(id);
	f.detail = detail;
	f.cycle = now_cycles();
	f.request = -1;
	m_sink.report(f);
}

bool blkback::fail(const std::string &kind, const std::string &detail)
{
	m_broken = true;
	rs_models::finding f;
	f.kind = kind;
	f.where = "blkback " + std::string(name());
	f.detail = detail + "; the backend halts the ring";
	f.cycle = now_cycles();
	f.request = -1;
	m_sink.report(f);
	m_queued.notify(); // let the completion thread see it and stop
	return false;
}

} // namespace blkif
