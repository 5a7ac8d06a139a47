// SPDX-License-Identifier: GPL-2.0-only
// blkback against a frontend that breaks the protocol: each malformed request gets an error
// response (BLKIF_RSP_ERROR, or BLKIF_RSP_EOPNOTSUPP for an operation the backend does not
// know) and its named finding, and the backend goes on serving the next valid request after
// blkback's back-off; a ring with more requests than slots, or one that cannot be mapped,
// halts the backend with a finding; bad configurations are refused.
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

#include <gsl/gsl_errno.h>
#include <systemc>

#include "blkif_frontend.h"
#include "blkif_ring/blkback.h"
#include "common/content.h"
#include "guest_mm/guest_memory.h"
#include "test_support.h"

using blkif_test::now_cycles;
using blkif_test::run_cycles;
using blkif_test::seg;
using sc_core::SC_NS;
using sc_core::sc_time;

namespace {

constexpr uint64_t PS = 4096;
constexpr uint64_t NR_FRAMES = 1024;
constexpr uint32_t DMA_LAT = 10;
constexpr uint32_t KICK = 100, IRQ = 200, REQ = 50, MAP = 30, UNMAP = 40;
constexpr uint64_t DISK_LAT = 1000, CPK = 64;
constexpr uint64_t BACKOFF = 5000;
// Long enough for a bad request and a valid one without the back-off between them (about
// 2000 cycles), too short with it.
constexpr uint64_t NO_BACKOFF = 4000;
constexpr uint64_t CAPACITY = 1 << 16; // sectors
constexpr grant_ref_t G = 100;

rs_test::test_sink *g_sink;
gmm::guest_memory *g_mem;
blkif_test::rig *g_b; // indirect advertised, no persistent grants
blkif_test::rig *g_x; // no indirect support
blkif_test::rig *g_o; // its ring gets overflowed
blkif::blkback *g_u;  // not connected by the rig: connect() tests
blkif_test::frontend *g_ufe;

uint64_t content_diff(blkif_test::rig &r, uint64_t pa, uint64_t addr, size_t len)
{
	std::vector<uint8_t> b(len);
	g_mem->memory().read(pa, b.data(), len);
	return rs_models::content_mismatches(r.disk.cfg().stream, addr, b.data(), len);
}

std::vector<blkif_response> reap(blkif_test::rig &r)
{
	std::vector<blkif_response> v = r.fe.responses();
	r.fe.rearm();
	return v;
}

// Pushes @bad, then a valid one-frame READ (id 0x600d) on gref G + 90; runs; checks that the
// bad one got @status and one finding of @kind, and that the valid one was served after it.
void bad_then_good(blkif_test::rig &r, const blkif_request &bad, int16_t status,
		   uint8_t rsp_op, const char *kind, uint64_t run = 4 * BACKOFF)
{
	g_sink->findings.clear();
	r.fe.grant(G + 90, r.data[90]);
	uint64_t errors0 = r.back.statistics().errors + r.back.statistics().unsupported;
	r.fe.queue(bad);
	r.fe.queue(blkif_test::rw_request(BLKIF_OP_READ, 0x600d, 64, {{G + 90, 0, 7}}));
	r.push_and_kick();
	run_cycles(run);
	std::vector<blkif_response> rsp = reap(r);
	CU_ASSERT_EQUAL_FATAL(rsp.size(), 2u);
	CU_ASSERT_EQUAL(rsp[0].id, bad.u.other.id);
	CU_ASSERT_EQUAL(rsp[0].status, status);
	CU_ASSERT_EQUAL(rsp[0].operation, rsp_op);
	CU_ASSERT_EQUAL(rsp[1].id, 0x600du);
	CU_ASSERT_EQUAL(rsp[1].status, BLKIF_RSP_OKAY);
	CU_ASSERT_EQUAL(content_diff(r, r.data[90], 64 * 512, PS), 0u);
	CU_ASSERT_EQUAL(r.back.statistics().errors + r.back.statistics().unsupported, errors0 + 1);
	CU_ASSERT_EQUAL(g_sink->count(kind), 1u);
	CU_ASSERT(!r.back.broken());
	CU_ASSERT_EQUAL(r.gnttab.active_maps(), r.ring_pa.size()); // nothing left mapped
}

blkif_request one_seg(uint64_t id, uint8_t first, uint8_t last)
{
	return blkif_test::rw_request(BLKIF_OP_READ, id, 0, {{G, first, last}});
}

void t_blkback_last_sect_8_bad(void)
{
	blkif_test::rig &r = *g_b;
	r.fe.grant(G, r.data[0]);
	g_sink->findings.clear();
	r.fe.queue(one_seg(1, 0, 8));
	r.fe.queue(blkif_test::rw_request(BLKIF_OP_READ, 0x600d, 64, {{G + 1, 0, 7}}));
	r.fe.grant(G + 1, r.data[1]);
	uint64_t t0 = now_cycles();
	r.push_and_kick();
	// The error answer goes out at once; the next request waits out the msleep(1) back-off.
	run_cycles(BACKOFF / 2);
	CU_ASSERT_EQUAL(r.fe.get32(BLKIF_SRING_OFF_RSP_PROD) - r.fe.rsp_cons(), 1u);
	run_cycles(3 * BACKOFF);
	std::vector<blkif_response> rsp = reap(r);
	CU_ASSERT_EQUAL_FATAL(rsp.size(), 2u);
	CU_ASSERT(rsp[0].id == 1 && rsp[0].status == BLKIF_RSP_ERROR &&
		  rsp[0].operation == BLKIF_OP_READ);
	CU_ASSERT(rsp[1].id == 0x600d && rsp[1].status == BLKIF_RSP_OKAY);
	CU_ASSERT_EQUAL(content_diff(r, r.data[1], 64 * 512, PS), 0u);
	CU_ASSERT_EQUAL_FATAL(g_sink->count("blkif_bad_segment"), 1u);
	const rs_models::finding *f = g_sink->first("blkif_bad_segment");
	CU_ASSERT(f->where.find("id 1") != std::string::npos);
	CU_ASSERT(f->detail.find("last_sect 8") != std::string::npos);
	CU_ASSERT(f->cycle >= t0 + KICK);
	CU_ASSERT_EQUAL(g_sink->findings.size(), 1u);
	CU_ASSERT_EQUAL(r.back.statistics().grant_maps, 1u); // only the valid request's
}

void t_blkback_first_after_last_bad(void)
{
	bad_then_good(*g_b, one_seg(2, 5, 3), BLKIF_RSP_ERROR, BLKIF_OP_READ, "blkif_bad_segment");
}

void t_blkback_nr_segments_12_bad(void)
{
	blkif_request req = blkif_test::rw_request(
		BLKIF_OP_WRITE, 3, 0,
		std::vector<seg>(11, seg{G, 0, 7}));
	req.u.rw.nr_segments = 12;
	bad_then_good(*g_b, req, BLKIF_RSP_ERROR, BLKIF_OP_WRITE, "blkif_bad_nr_segments");
	// No segments at all, for a READ (only flushes may have none).
	bad_then_good(*g_b, blkif_test::rw_request(BLKIF_OP_READ, 4, 0, {}), BLKIF_RSP_ERROR,
		      BLKIF_OP_READ, "blkif_bad_nr_segments");
}

void t_blkback_indirect_too_many_bad(void)
{
	blkif_test::rig &r = *g_b;
	r.fe.grant(G + 10, r.data[10]);
	// 257 > feature-max-indirect-segments (256).
	bad_then_good(r, blkif_test::indirect_request(BLKIF_OP_READ, 5, 0, 257, {G + 10}),
		      BLKIF_RSP_ERROR, BLKIF_OP_READ, "blkif_bad_nr_segments");
}

// A bad segment inside the indirect page: found after mapping and reading the page, which
// is unmapped again.
void t_blkback_indirect_bad_segment_bad(void)
{
	blkif_test::rig &r = *g_b;
	r.fe.grant(G + 11, r.data[11]); // the indirect page
	std::vector<blkif_request_segment> segs(5);
	for (unsigned i = 0; i < 5; i++) {
		segs[i].gref = G;
		segs[i].first_sect = 0;
		segs[i].last_sect = i == 3 ? 9 : 7;
	}
	g_mem->memory().write(r.data[11], segs.data(), 5 * sizeof(segs[0]));
	uint64_t unmaps0 = r.back.statistics().grant_unmaps;
	bad_then_good(r, blkif_test::indirect_request(BLKIF_OP_WRITE, 6, 0, 5, {G + 11}),
		      BLKIF_RSP_ERROR, BLKIF_OP_WRITE, "blkif_bad_segment");
	CU_ASSERT(g_sink->first("blkif_bad_segment")->detail.find("segment 3") !=
		  std::string::npos);
	CU_ASSERT_EQUAL(r.fe.flags(G + 11), GTF_permit_access);
	CU_ASSERT_EQUAL(r.back.statistics().grant_unmaps, unmaps0 + 2); // the page, the good read
}

void t_blkback_indirect_op_bad(void)
{
	blkif_test::rig &r = *g_b;
	r.fe.grant(G + 10, r.data[10]);
	bad_then_good(r,
		      blkif_test::indirect_request(BLKIF_OP_FLUSH_DISKCACHE, 7, 0, 1, {G + 10}),
		      BLKIF_RSP_ERROR, BLKIF_OP_FLUSH_DISKCACHE, "blkif_bad_indirect");
}

// A backend without indirect support does not know BLKIF_OP_INDIRECT: EOPNOTSUPP, no back-off.
void t_blkback_indirect_not_advertised_bad(void)
{
	blkif_test::rig &r = *g_x;
	r.fe.grant(G + 10, r.data[10]);
	bad_then_good(r, blkif_test::indirect_request(BLKIF_OP_READ, 8, 0, 1, {G + 10}),
		      BLKIF_RSP_EOPNOTSUPP, BLKIF_OP_INDIRECT, "blkif_bad_indirect", NO_BACKOFF);
	CU_ASSERT_EQUAL(r.back.statistics().unsupported, 1u);
	CU_ASSERT_EQUAL(r.back.statistics().indirect_requests, 0u);
}

// One segment's gref was never granted: the request fails, the segment that did map is
// unmapped again, and the grant table names the culprit.
void t_blkback_gref_not_permitted_bad(void)
{
	blkif_test::rig &r = *g_b;
	r.fe.grant(G, r.data[0]);
	r.fe.set_flags(G + 99, GTF_invalid);
	bad_then_good(r,
		      blkif_test::rw_request(BLKIF_OP_READ, 9, 0, {{G, 0, 7}, {G + 99, 0, 7}}),
		      BLKIF_RSP_ERROR, BLKIF_OP_READ, "grant_not_permitted");
	CU_ASSERT(g_sink->first("grant_not_permitted")->where.find("gref 199") !=
		  std::string::npos);
	CU_ASSERT_EQUAL(r.fe.flags(G), GTF_permit_access);
	// Granted to another domain: the same.
	r.fe.grant(G + 98, r.data[98], false, 5);
	bad_then_good(r, blkif_test::rw_request(BLKIF_OP_WRITE, 10, 0, {{G + 98, 0, 7}}),
		      BLKIF_RSP_ERROR, BLKIF_OP_WRITE, "grant_not_permitted");
}

// A read-only grant cannot receive a READ's data; a WRITE from it is fine.
void t_blkback_readonly_grant_bad(void)
{
	blkif_test::rig &r = *g_b;
	r.fe.grant(G + 20, r.data[20], true);
	bad_then_good(r, blkif_test::rw_request(BLKIF_OP_READ, 11, 0, {{G + 20, 0, 7}}),
		      BLKIF_RSP_ERROR, BLKIF_OP_READ, "grant_readonly_write");
	std::vector<uint8_t> b(PS);
	rs_models::content_fill(r.disk.cfg().stream, 128 * 512, b.data(), PS);
	g_mem->memory().write(r.data[20], b.data(), PS);
	g_sink->findings.clear();
	r.fe.queue(blkif_test::rw_request(BLKIF_OP_WRITE, 12, 128, {{G + 20, 0, 7}}));
	r.push_and_kick();
	run_cycles(BACKOFF);
	std::vector<blkif_response> rsp = reap(r);
	CU_ASSERT(rsp.size() == 1 && rsp[0].status == BLKIF_RSP_OKAY);
	CU_ASSERT(g_sink->findings.empty());
	CU_ASSERT_EQUAL(r.disk.statistics().integrity_mismatches, 0u);
}

void t_blkback_sector_beyond_disk_bad(void)
{
	blkif_test::rig &r = *g_b;
	r.fe.grant(G, r.data[0]);
	bad_then_good(r, blkif_test::rw_request(BLKIF_OP_READ, 13, CAPACITY - 4, {{G, 0, 7}}),
		      BLKIF_RSP_ERROR, BLKIF_OP_READ, "blkif_bad_sector");
	// Wrapping past 2^64 sectors is beyond it too.
	bad_then_good(r, blkif_test::rw_request(BLKIF_OP_READ, 14, ~0ull - 2, {{G, 0, 7}}),
		      BLKIF_RSP_ERROR, BLKIF_OP_READ, "blkif_bad_sector");
	// The last 8 sectors are fine.
	g_sink->findings.clear();
	r.fe.queue(blkif_test::rw_request(BLKIF_OP_READ, 15, CAPACITY - 8, {{G, 0, 7}}));
	r.push_and_kick();
	run_cycles(BACKOFF);
	std::vector<blkif_response> rsp = reap(r);
	CU_ASSERT(rsp.size() == 1 && rsp[0].status == BLKIF_RSP_OKAY);
	CU_ASSERT_EQUAL(content_diff(r, r.data[0], (CAPACITY - 8) * 512, PS), 0u);
	CU_ASSERT(g_sink->findings.empty());
}

// Unknown operations and DISCARD (feature-discard not advertised): EOPNOTSUPP, no back-off.
void t_blkback_unknown_op_bad(void)
{
	blkif_test::rig &r = *g_b;
	blkif_request req = blkif_test::rw_request(4, 16, 0, {{G, 0, 7}});
	bad_then_good(r, req, BLKIF_RSP_EOPNOTSUPP, 4, "blkif_bad_op", NO_BACKOFF);
	req = blkif_test::rw_request(200, 17, 0, {});
	bad_then_good(r, req, BLKIF_RSP_EOPNOTSUPP, 200, "blkif_bad_op", NO_BACKOFF);
	blkif_request dis;
	memset(&dis, 0, sizeof(dis));
	dis.operation = BLKIF_OP_DISCARD;
	dis.u.discard.id = 18;
	dis.u.discard.sector_number = 0;
	dis.u.discard.nr_sectors = 8;
	bad_then_good(r, dis, BLKIF_RSP_EOPNOTSUPP, BLKIF_OP_DISCARD, "blkif_bad_op", NO_BACKOFF);
}

// The data frame is not guest memory anyone allocated: guest memory refuses the DMA and says
// so, the request fails, the backend goes on.
void t_blkback_dma_unallocated_bad(void)
{
	blkif_test::rig &r = *g_b;
	uint64_t pfn = NR_FRAMES - 1;
	while (pfn && g_mem->pages().page(pfn).kind != gmm::page_kind::free)
		pfn--;
	CU_ASSERT_FATAL(g_mem->pages().page(pfn).kind == gmm::page_kind::free);
	uint64_t free_pa = pfn * PS;
	r.fe.grant(G + 30, free_pa);
	bad_then_good(r, blkif_test::rw_request(BLKIF_OP_READ, 19, 0, {{G + 30, 0, 7}}),
		      BLKIF_RSP_ERROR, BLKIF_OP_READ, "dma_unallocated");
}

// req_prod 33 on a 32-slot ring: blkback halts the ring; nothing is answered, ever.
void t_blkback_ring_overflow_bad(void)
{
	blkif_test::rig &r = *g_o;
	g_sink->findings.clear();
	r.fe.set_req_prod(33);
	r.back.kick();
	run_cycles(BACKOFF);
	CU_ASSERT_EQUAL(g_sink->count("blkif_ring_overflow"), 1u);
	CU_ASSERT(r.back.broken());
	CU_ASSERT_EQUAL(r.back.statistics().requests, 0u);
	CU_ASSERT_EQUAL(r.fe.get32(BLKIF_SRING_OFF_RSP_PROD), 0u);
	r.back.kick();
	run_cycles(BACKOFF);
	CU_ASSERT_EQUAL(g_sink->findings.size(), 1u);
	CU_ASSERT_EQUAL(r.back.statistics().responses, 0u);
}

void t_blkback_connect_bad(void)
{
	g_sink->findings.clear();
	blkif::frontend_info fi;
	fi.ring_grefs = {8, 9, 10};
	CU_ASSERT_EQUAL(g_u->connect(fi), -EINVAL);
	fi.ring_grefs.clear();
	CU_ASSERT_EQUAL(g_u->connect(fi), -EINVAL);
	fi.ring_grefs.assign(32, 8);
	CU_ASSERT_EQUAL(g_u->connect(fi), -EINVAL);
	CU_ASSERT_EQUAL(g_sink->count("blkif_bad_ring"), 3u);
	CU_ASSERT(!g_u->connected());
	// A page count it takes, but the gref was never granted: the ring cannot be mapped.
	fi.ring_grefs = {8};
	CU_ASSERT_EQUAL(g_u->connect(fi), 0);
	CU_ASSERT_EQUAL(g_u->connect(fi), -EALREADY);
	run_cycles(1000); // connect() alone wakes the backend: no kick
	CU_ASSERT_EQUAL(g_sink->count("grant_not_permitted"), 1u);
	CU_ASSERT_EQUAL(g_sink->count("blkif_ring_map_failed"), 1u);
	CU_ASSERT(g_u->broken() && !g_u->connected());
	CU_ASSERT_EQUAL(g_b->back.connect(fi), -EALREADY);
}

void t_blkback_config_check_bad(void)
{
	blkif::backend_config c;
	CU_ASSERT(blkif::check_config(c).find("clock_period") != std::string::npos);
	c.clock_period = sc_time(1, SC_NS);
	CU_ASSERT_EQUAL(blkif::check_config(c), ""); // the documented defaults
	blkif::backend_config d = c;
	d.max_ring_pages = 3;
	CU_ASSERT(blkif::check_config(d).find("max_ring_pages") != std::string::npos);
	d = c;
	d.max_ring_pages = 32;
	CU_ASSERT(blkif::check_config(d).find("max_ring_pages") != std::string::npos);
	d = c;
	d.max_indirect_segments = 4097;
	CU_ASSERT(blkif::check_config(d).find("max_indirect_segments") != std::string::npos);
	d.max_indirect_segments = 4096;
	CU_ASSERT_EQUAL(blkif::check_config(d), "");
	d = c;
	d.max_pgrants = 0;
	CU_ASSERT(blkif::check_config(d).find("max_pgrants") != std::string::npos);
	d.persistent = false;
	CU_ASSERT_EQUAL(blkif::check_config(d), "");
	d = c;
	d.lru_interval_cycles = 0;
	CU_ASSERT(blkif::check_config(d).find("lru_interval_cycles") != std::string::npos);
	d = c;
	d.lru_percent_clean = 101;
	CU_ASSERT(blkif::check_config(d).find("lru_percent_clean") != std::string::npos);
	CU_ASSERT_EQUAL(c.max_indirect_segments, 256u);
	CU_ASSERT_EQUAL(c.max_pgrants, 1056u);
	CU_ASSERT_EQUAL(c.max_ring_pages, 16u);
}

blkif::backend_config back_cfg(uint32_t max_indirect)
{
	blkif::backend_config c;
	c.persistent = false;
	c.max_indirect_segments = max_indirect;
	c.kick_latency_cycles = KICK;
	c.irq_latency_cycles = IRQ;
	c.request_cycles = REQ;
	c.error_backoff_cycles = BACKOFF;
	c.clock_period = sc_time(1, SC_NS);
	return c;
}

} // namespace

int main()
{
	gsl_set_error_handler_off();
	rs_test::test_sink sink;
	gmm::guest_memory mem("mem", rs_test::memory_config(NR_FRAMES, PS, DMA_LAT), sink);
	blkif_test::passthrough_bus bus("bus");
	bus.memory.bind(mem.dma);

	blkif::grant_config gcfg;
	gcfg.map_cycles = MAP;
	gcfg.unmap_cycles = UNMAP;
	gcfg.clock_period = sc_time(1, SC_NS);
	blkif::disk_config dcfg;
	dcfg.capacity_sectors = CAPACITY;
	dcfg.latency_cycles = DISK_LAT;
	dcfg.bandwidth_bytes = 1024; // CPK cycles per KiB
	dcfg.bandwidth_cycles = CPK;
	dcfg.channels = 1024;        // every request at once, as a deep device queue

	blkif_test::rig b("b", mem, bus, sink, back_cfg(MAX_INDIRECT_SEGMENTS), gcfg, dcfg, 1, 100);
	blkif_test::rig x("x", mem, bus, sink, back_cfg(0), gcfg, dcfg, 1, 100);
	blkif_test::rig o("o", mem, bus, sink, back_cfg(MAX_INDIRECT_SEGMENTS), gcfg, dcfg, 1, 4);
	// A backend the tests connect themselves, with a table frame and nothing granted.
	blkif::grant_table ugt("u", gcfg, sink);
	blkif::content_disk udisk(dcfg);
	blkif::blkback u("u", back_cfg(MAX_INDIRECT_SEGMENTS), ugt, udisk, sink);
	u.dma.bind(bus.devices);
	uint64_t utable = blkif_test::alloc_frame(mem);
	blkif_test::frontend ufe(mem.memory(), utable, {blkif_test::alloc_frame(mem)}, 0);
	ugt.add_frame(0, utable);
	g_sink = &sink;
	g_mem = &mem;
	g_b = &b;
	g_x = &x;
	g_o = &o;
	g_u = &u;
	g_ufe = &ufe;
	run_cycles(1000);

	static const rs_test::test_entry tests[] = {
		{"t_blkback_last_sect_8_bad", t_blkback_last_sect_8_bad},
		{"t_blkback_first_after_last_bad", t_blkback_first_after_last_bad},
		{"t_blkback_nr_segments_12_bad", t_blkback_nr_segments_12_bad},
		{"t_blkback_indirect_too_many_bad", t_blkback_indirect_too_many_bad},
		{"t_blkback_indirect_bad_segment_bad", t_blkback_indirect_bad_segment_bad},
		{"t_blkback_indirect_op_bad", t_blkback_indirect_op_bad},
		{"t_blkback_indirect_not_advertised_bad", t_blkback_indirect_not_advertised_bad},
		{"t_blkback_gref_not_permitted_bad", t_blkback_gref_not_permitted_bad},
		{"t_blkback_readonly_grant_bad", t_blkback_readonly_grant_bad},
		{"t_blkback_sector_beyond_disk_bad", t_blkback_sector_beyond_disk_bad},
		{"t_blkback_unknown_op_bad", t_blkback_unknown_op_bad},
		{"t_blkback_dma_unallocated_bad", t_blkback_dma_unallocated_bad},
		{"t_blkback_ring_overflow_bad", t_blkback_ring_overflow_bad},
		{"t_blkback_connect_bad", t_blkback_connect_bad},
		{"t_blkback_config_check_bad", t_blkback_config_check_bad},
		{nullptr, nullptr},
	};
	return rs_test::run_suite("blkif_backend_bad", tests);
}
