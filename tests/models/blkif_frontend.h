// SPDX-License-Identifier: GPL-2.0-only
// Shared by the blkback model tests: a tiny frontend that does in guest memory, directly and
// in no simulated time, what blkfront and the guest's grant-table code do (grant entries, the
// shared ring, requests, responses), and a rig with one backend, its grant table, disk, ring
// and data frames.
#ifndef RS_TESTS_MODELS_BLKIF_FRONTEND_H
#define RS_TESTS_MODELS_BLKIF_FRONTEND_H

#include <cstring>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>

#include "blkif_ring/blkback.h"
#include "blkif_ring/blkif.h"
#include "blkif_ring/disk.h"
#include "blkif_ring/grant_table.h"
#include "common/content.h"
#include "dma_rig.h"
#include "guest_mm/guest_memory.h"

namespace blkif_test {

using rs_test::now_cycles;
using rs_test::passthrough_bus;
using rs_test::run_cycles;

inline uint64_t alloc_frame(gmm::guest_memory &mem)
{
	uint64_t pfn = mem.pages().alloc_pages(0, gmm::page_kind::kernel, -1);
	return pfn == gmm::NO_PFN ? 0 : pfn * mem.cfg().page_size;
}

// One segment as a test writes it: grant, sectors.
struct seg {
	grant_ref_t gref;
	uint8_t first, last;
};

// A direct request (READ, WRITE, FLUSH_DISKCACHE, WRITE_BARRIER or any raw operation byte).
inline blkif_request rw_request(uint8_t op, uint64_t id, uint64_t sector,
				const std::vector<seg> &segs)
{
	blkif_request r;
	memset(&r, 0, sizeof(r));
	r.operation = op;
	r.u.rw.nr_segments = static_cast<uint8_t>(segs.size());
	r.u.rw.handle = 0x0ca0;
	r.u.rw.id = id;
	r.u.rw.sector_number = sector;
	for (size_t i = 0; i < segs.size() && i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++) {
		blkif_request_segment s;
		memset(&s, 0, sizeof(s));
		s.gref = segs[i].gref;
		s.first_sect = segs[i].first;
		s.last_sect = segs[i].last;
		r.u.rw.seg[i] = s;
	}
	return r;
}

// An indirect request naming @pages indirect pages (whose segments the test writes itself).
inline blkif_request indirect_request(uint8_t indirect_op, uint64_t id, uint64_t sector,
				      uint16_t nr_segments, const std::vector<grant_ref_t> &pages)
{
	blkif_request r;
	memset(&r, 0, sizeof(r));
	r.operation = BLKIF_OP_INDIRECT;
	r.u.indirect.indirect_op = indirect_op;
	r.u.indirect.nr_segments = nr_segments;
	r.u.indirect.id = id;
	r.u.indirect.sector_number = sector;
	r.u.indirect.handle = 0x0ca0;
	for (size_t i = 0; i < pages.size() && i < BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST; i++)
		r.u.indirect.indirect_grefs[i] = pages[i];
	return r;
}

// The frontend half, writing guest memory directly (kernel stores through the direct map).
class frontend {
public:
	frontend(gmm::phys_mem &mem, uint64_t table_pa, const std::vector<uint64_t> &ring_pages,
		 domid_t backend)
		: m_mem(mem), m_table(table_pa), m_ring(ring_pages), m_backend(backend),
		  m_size(blkif_ring_size(uint64_t(XEN_PAGE_SIZE) * ring_pages.size()))
	{
		m_mem.zero(m_table, XEN_PAGE_SIZE);
		for (uint64_t pa : m_ring)
			m_mem.zero(pa, XEN_PAGE_SIZE);
		// SHARED_RING_INIT
		put32(BLKIF_SRING_OFF_REQ_EVENT, 1);
		put32(BLKIF_SRING_OFF_RSP_EVENT, 1);
	}

	// gnttab_grant_foreign_access_ref(): frame and domid first, then the flags (Linux orders
	// them with a wmb()).
	void grant(grant_ref_t gref, uint64_t frame_pa, bool readonly = false,
		   domid_t domid = 0xffff)
	{
		grant_entry_v1 e;
		e.flags = 0;
		e.domid = domid == 0xffff ? m_backend : domid;
		e.frame = static_cast<uint32_t>(frame_pa >> XEN_PAGE_SHIFT);
		m_mem.write(entry(gref), &e, sizeof(e));
		uint16_t flags = static_cast<uint16_t>(GTF_permit_access | (readonly ? GTF_readonly : 0));
		m_mem.write(entry(gref), &flags, 2);
	}
	void set_flags(grant_ref_t gref, uint16_t flags) { m_mem.write(entry(gref), &flags, 2); }
	uint16_t flags(grant_ref_t gref) const
	{
		uint16_t f;
		m_mem.read(entry(gref), &f, 2);
		return f;
	}
	// gnttab_query_foreign_access(): the backend still has it mapped.
	bool foreign_access(grant_ref_t gref) const
	{
		return flags(gref) & (GTF_reading | GTF_writing);
	}

	// RING_GET_REQUEST(req_prod_pvt) = @r; req_prod_pvt++.
	void queue(const blkif_request &r)
	{
		write_ring(blkif_slot_off(m_req_prod_pvt, m_size), &r, sizeof(r));
		m_req_prod_pvt++;
	}
	// RING_PUSH_REQUESTS_AND_CHECK_NOTIFY. Return: whether to notify the backend.
	bool push()
	{
		RING_IDX old_idx = get32(BLKIF_SRING_OFF_REQ_PROD);
		put32(BLKIF_SRING_OFF_REQ_PROD, m_req_prod_pvt);
		return blkif_need_notify(old_idx, m_req_prod_pvt, get32(BLKIF_SRING_OFF_REQ_EVENT));
	}
	// A raw req_prod, for tests that break the ring on purpose.
	void set_req_prod(RING_IDX v) { put32(BLKIF_SRING_OFF_REQ_PROD, v); }

	// The next response, if the backend published one (rsp_cons++).
	bool get_response(blkif_response &r)
	{
		if (m_rsp_cons == get32(BLKIF_SRING_OFF_RSP_PROD))
			return false;
		read_ring(blkif_slot_off(m_rsp_cons, m_size), &r, sizeof(r));
		m_rsp_cons++;
		return true;
	}
	// Every published response, in order.
	std::vector<blkif_response> responses()
	{
		std::vector<blkif_response> v;
		blkif_response r;
		while (get_response(r))
			v.push_back(r);
		return v;
	}
	// RING_FINAL_CHECK_FOR_RESPONSES's re-arm: rsp_event = rsp_cons + 1.
	void rearm() { put32(BLKIF_SRING_OFF_RSP_EVENT, m_rsp_cons + 1); }
	void set_rsp_event(RING_IDX v) { put32(BLKIF_SRING_OFF_RSP_EVENT, v); }

	RING_IDX get32(uint64_t off) const
	{
		RING_IDX v;
		read_ring(off, &v, 4);
		return v;
	}
	uint32_t size() const { return m_size; }
	RING_IDX req_prod_pvt() const { return m_req_prod_pvt; }
	RING_IDX rsp_cons() const { return m_rsp_cons; }
	RING_IDX free_requests() const { return blkif_free_requests(m_req_prod_pvt, m_rsp_cons, m_size); }

private:
	uint64_t entry(grant_ref_t gref) const
	{
		return m_table + uint64_t(gref) * sizeof(grant_entry_v1);
	}
	void put32(uint64_t off, RING_IDX v) { write_ring(off, &v, 4); }
	void write_ring(uint64_t off, const void *buf, size_t len)
	{
		const uint8_t *b = static_cast<const uint8_t *>(buf);
		while (len) {
			size_t n = std::min<uint64_t>(len, XEN_PAGE_SIZE - off % XEN_PAGE_SIZE);
			m_mem.write(m_ring[off / XEN_PAGE_SIZE] + off % XEN_PAGE_SIZE, b, n);
			off += n;
			b += n;
			len -= n;
		}
	}
	void read_ring(uint64_t off, void *buf, size_t len) const
	{
		uint8_t *b = static_cast<uint8_t *>(buf);
		while (len) {
			size_t n = std::min<uint64_t>(len, XEN_PAGE_SIZE - off % XEN_PAGE_SIZE);
			m_mem.read(m_ring[off / XEN_PAGE_SIZE] + off % XEN_PAGE_SIZE, b, n);
			off += n;
			b += n;
			len -= n;
		}
	}

	gmm::phys_mem &m_mem;
	uint64_t m_table;             // one table frame: grefs 0..511
	std::vector<uint64_t> m_ring; // ring pages
	domid_t m_backend;
	uint32_t m_size;
	RING_IDX m_req_prod_pvt = 0;
	RING_IDX m_rsp_cons = 0;
};

inline std::vector<uint64_t> alloc_frames(gmm::guest_memory &mem, unsigned n)
{
	std::vector<uint64_t> v;
	for (unsigned i = 0; i < n; i++)
		v.push_back(alloc_frame(mem));
	return v;
}

inline blkif::grant_config with_clock(blkif::grant_config c)
{
	c.clock_period = sc_core::sc_time(1, sc_core::SC_NS);
	return c;
}

// One backend and its guest side: a table frame (grefs 0..511, set up as frame 0), the ring
// pages granted as grefs 8.., the data frames, the disk; the backend bound to @bus and
// connected; the cycles at which the guest saw each event-channel notification.
struct rig {
	static constexpr grant_ref_t RING_GREF = NR_RESERVED_ENTRIES; // 8 ..

	rig(const char *name, gmm::guest_memory &mem, passthrough_bus &bus,
	    rs_models::finding_sink_if &sink, const blkif::backend_config &cfg,
	    const blkif::grant_config &gcfg, const blkif::disk_config &dcfg, unsigned ring_pages,
	    unsigned data_frames, bool fe_persistent = true)
		: table_pa(alloc_frame(mem)), ring_pa(alloc_frames(mem, ring_pages)),
		  data(alloc_frames(mem, data_frames)), gnttab(name, gcfg, sink), disk(dcfg),
		  back(name, cfg, gnttab, disk, sink),
		  fe(mem.memory(), table_pa, ring_pa, cfg.backend_domid)
	{
		gnttab.add_frame(0, table_pa);
		back.dma.bind(bus.devices);
		back.set_irq_handler([this] { irq_cycles.push_back(now_cycles()); });
		blkif::frontend_info fi;
		for (unsigned i = 0; i < ring_pages; i++) {
			fe.grant(RING_GREF + i, ring_pa[i]);
			fi.ring_grefs.push_back(RING_GREF + i);
		}
		fi.feature_persistent = fe_persistent;
		connect_rc = back.connect(fi);
	}

	// Push what was queued and kick when the ring rule says so. Return: whether it kicked.
	bool push_and_kick()
	{
		bool notify = fe.push();
		if (notify)
			back.kick();
		return notify;
	}

	uint64_t table_pa;
	std::vector<uint64_t> ring_pa;
	std::vector<uint64_t> data; // 4 KiB frames
	blkif::grant_table gnttab;
	blkif::content_disk disk;
	blkif::blkback back;
	frontend fe;
	int connect_rc;
	std::vector<uint64_t> irq_cycles;
};

} // namespace blkif_test

#endif
