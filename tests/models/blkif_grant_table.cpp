// SPDX-License-Identifier: GPL-2.0-only
// The hypervisor's grant table against a guest table in plain memory: maps set GTF_reading /
// GTF_writing in the guest's entry and unmaps clear them when the last mapping goes, several
// mappings of one grant count, and every refusal is Xen's status plus a named finding. Costs
// are zero here (no simulated time); blkif_backend checks them in the backend's timing.
#include <cstring>
#include <vector>

#include <gsl/gsl_errno.h>
#include <systemc>

#include "blkif_ring/blkif.h"
#include "blkif_ring/grant_table.h"
#include "test_support.h"

using sc_core::SC_NS;
using sc_core::sc_time;

namespace {

constexpr uint64_t TABLE0 = 0x1000, TABLE1 = 0x3000; // two table frames
constexpr domid_t BACK = 0, OTHER = 7;

// Guest memory as a host array; counts accesses; may refuse them all.
class fake_dma : public rs_models::dma_if {
public:
	std::vector<uint8_t> mem = std::vector<uint8_t>(1u << 16, 0);
	unsigned reads = 0, writes = 0;
	bool refuse = false;

	bool dma_read(uint64_t pa, void *buf, size_t len) override
	{
		if (refuse || pa > mem.size() || len > mem.size() - pa)
			return false;
		memcpy(buf, mem.data() + pa, len);
		reads++;
		return true;
	}
	bool dma_write(uint64_t pa, const void *buf, size_t len) override
	{
		if (refuse || pa > mem.size() || len > mem.size() - pa)
			return false;
		memcpy(mem.data() + pa, buf, len);
		writes++;
		return true;
	}

	grant_entry_v1 &entry(uint64_t table, grant_ref_t gref)
	{
		return *reinterpret_cast<grant_entry_v1 *>(mem.data() + table + grant_entry_off(gref));
	}
};

blkif::grant_config zero_cost()
{
	blkif::grant_config c;
	c.max_frames = 4;
	c.map_cycles = 0;
	c.unmap_cycles = 0;
	c.clock_period = sc_time(1, SC_NS);
	return c;
}

struct fixture {
	fixture() : gt("gt", zero_cost(), sink)
	{
		gt.add_frame(0, TABLE0);
	}
	// gnttab_grant_foreign_access_ref() as the guest does it.
	void grant(grant_ref_t gref, uint32_t frame, uint16_t flags = GTF_permit_access,
		   domid_t domid = BACK)
	{
		grant_entry_v1 &e = dma.entry(TABLE0, gref);
		e.frame = frame;
		e.domid = domid;
		e.flags = flags;
	}
	uint16_t flags(grant_ref_t gref) { return dma.entry(TABLE0, gref).flags; }

	rs_test::test_sink sink;
	fake_dma dma;
	blkif::grant_table gt;
};

void t_gnttab_map_sets_flags(void)
{
	fixture f;
	f.grant(10, 0x1234);
	blkif::map_result r = f.gt.map(f.dma, 10, BACK, true);
	CU_ASSERT_EQUAL_FATAL(r.status, GNTST_okay);
	CU_ASSERT_EQUAL(r.gpa, 0x1234ull << 12);
	// Read the 8-byte entry, write its 2-byte flags.
	CU_ASSERT(f.dma.reads == 1 && f.dma.writes == 1);
	CU_ASSERT_EQUAL(f.flags(10), GTF_permit_access | GTF_reading | GTF_writing);
	CU_ASSERT_EQUAL(f.gt.mapped(10), 1u);
	CU_ASSERT(f.gt.maps() == 1 && f.gt.active_maps() == 1);

	CU_ASSERT_EQUAL(f.gt.unmap(f.dma, r.handle), GNTST_okay);
	CU_ASSERT_EQUAL(f.flags(10), GTF_permit_access); // the guest may end access now
	CU_ASSERT_EQUAL(f.gt.mapped(10), 0u);
	CU_ASSERT(f.gt.unmaps() == 1 && f.gt.active_maps() == 0 && f.gt.active_maps_max() == 1);
	CU_ASSERT(f.sink.findings.empty());
}

void t_gnttab_readonly_map(void)
{
	fixture f;
	f.grant(11, 0x20, GTF_permit_access | GTF_readonly);
	blkif::map_result r = f.gt.map(f.dma, 11, BACK, false);
	CU_ASSERT_EQUAL_FATAL(r.status, GNTST_okay);
	CU_ASSERT_EQUAL(f.flags(11), GTF_permit_access | GTF_readonly | GTF_reading);
	CU_ASSERT_EQUAL(f.gt.unmap(f.dma, r.handle), GNTST_okay);
	CU_ASSERT_EQUAL(f.flags(11), GTF_permit_access | GTF_readonly);
	CU_ASSERT(f.sink.findings.empty());
}

void t_gnttab_pin_counts(void)
{
	fixture f;
	f.grant(12, 0x30);
	blkif::map_result ro = f.gt.map(f.dma, 12, BACK, false);
	CU_ASSERT_EQUAL(f.flags(12), GTF_permit_access | GTF_reading);
	unsigned reads = f.dma.reads;
	blkif::map_result ro2 = f.gt.map(f.dma, 12, BACK, false);
	CU_ASSERT_EQUAL(f.dma.reads, reads); // already pinned for reading: the entry is not read
	blkif::map_result rw = f.gt.map(f.dma, 12, BACK, true);
	CU_ASSERT_EQUAL(f.dma.reads, reads + 1); // first writable pin: read and checked again
	CU_ASSERT(ro.ok() && ro2.ok() && rw.ok());
	CU_ASSERT(ro.handle != ro2.handle && ro.handle != rw.handle);
	CU_ASSERT(ro.gpa == rw.gpa && rw.gpa == 0x30ull << 12);
	CU_ASSERT_EQUAL(f.flags(12), GTF_permit_access | GTF_reading | GTF_writing);
	CU_ASSERT_EQUAL(f.gt.mapped(12), 3u);

	f.gt.unmap(f.dma, rw.handle); // the last writable one: GTF_writing goes
	CU_ASSERT_EQUAL(f.flags(12), GTF_permit_access | GTF_reading);
	f.gt.unmap(f.dma, ro.handle);
	CU_ASSERT_EQUAL(f.flags(12), GTF_permit_access | GTF_reading);
	f.gt.unmap(f.dma, ro2.handle); // the last one: GTF_reading goes
	CU_ASSERT_EQUAL(f.flags(12), GTF_permit_access);
	CU_ASSERT_EQUAL(f.gt.active_maps(), 0u);
	CU_ASSERT_EQUAL(f.gt.unmap(f.dma, ro2.handle), GNTST_bad_handle); // already gone
	CU_ASSERT(f.sink.findings.empty());
}

void t_gnttab_second_frame(void)
{
	fixture f;
	// gref 600 lives in table frame 1, entry 88.
	CU_ASSERT_EQUAL(f.gt.map(f.dma, 600, BACK, true).status, GNTST_bad_gntref);
	CU_ASSERT_EQUAL(f.gt.add_frame(1, TABLE1), GNTST_okay);
	CU_ASSERT_EQUAL(f.gt.nr_frames(), 2u);
	grant_entry_v1 &e = f.dma.entry(TABLE1, 600);
	e.frame = 0x44;
	e.domid = BACK;
	e.flags = GTF_permit_access;
	blkif::map_result r = f.gt.map(f.dma, 600, BACK, true);
	CU_ASSERT_EQUAL(r.status, GNTST_okay);
	CU_ASSERT_EQUAL(r.gpa, 0x44ull << 12);
	CU_ASSERT_EQUAL(e.flags, GTF_permit_access | GTF_reading | GTF_writing);
	CU_ASSERT_EQUAL(TABLE1 + grant_entry_off(600), TABLE1 + 88 * 8);
}

void t_gnttab_not_permitted_bad(void)
{
	fixture f;
	f.grant(13, 0x50, GTF_invalid); // never granted (or access ended)
	blkif::map_result r = f.gt.map(f.dma, 13, BACK, false, 42);
	CU_ASSERT_EQUAL(r.status, GNTST_general_error);
	CU_ASSERT_EQUAL(f.flags(13), GTF_invalid); // nothing set
	CU_ASSERT_EQUAL_FATAL(f.sink.count("grant_not_permitted"), 1u);
	const rs_models::finding *x = f.sink.first("grant_not_permitted");
	CU_ASSERT_EQUAL(x->request, 42);
	CU_ASSERT(x->where.find("gref 13") != std::string::npos);

	f.grant(14, 0x51, GTF_permit_access, OTHER); // granted to another domain
	CU_ASSERT_EQUAL(f.gt.map(f.dma, 14, BACK, false).status, GNTST_general_error);
	CU_ASSERT_EQUAL(f.sink.count("grant_not_permitted"), 2u);
	CU_ASSERT_EQUAL(f.flags(14), GTF_permit_access);

	// Mapped by its grantee, then asked for by another domain.
	f.grant(15, 0x52, GTF_permit_access, OTHER);
	CU_ASSERT(f.gt.map(f.dma, 15, OTHER, false).ok());
	CU_ASSERT_EQUAL(f.gt.map(f.dma, 15, BACK, false).status, GNTST_general_error);
	CU_ASSERT_EQUAL(f.sink.count("grant_not_permitted"), 3u);
	CU_ASSERT_EQUAL(f.gt.mapped(15), 1u);
	CU_ASSERT(f.gt.refusals() == 3 && f.gt.maps() == 1);
}

void t_gnttab_readonly_write_bad(void)
{
	fixture f;
	f.grant(16, 0x60, GTF_permit_access | GTF_readonly);
	CU_ASSERT_EQUAL(f.gt.map(f.dma, 16, BACK, true).status, GNTST_general_error);
	CU_ASSERT_EQUAL(f.sink.count("grant_readonly_write"), 1u);
	CU_ASSERT_EQUAL(f.flags(16), GTF_permit_access | GTF_readonly);
	CU_ASSERT_EQUAL(f.gt.mapped(16), 0u);
	// A read-only map of it still works.
	CU_ASSERT(f.gt.map(f.dma, 16, BACK, false).ok());
}

void t_gnttab_out_of_range_bad(void)
{
	fixture f;
	CU_ASSERT_EQUAL(f.gt.map(f.dma, 512, BACK, false).status, GNTST_bad_gntref);
	CU_ASSERT_EQUAL(f.gt.map(f.dma, 0xffffffffu, BACK, false).status, GNTST_bad_gntref);
	CU_ASSERT_EQUAL(f.sink.count("grant_out_of_range"), 2u);
	CU_ASSERT_EQUAL(f.dma.reads + f.dma.writes, 0u);
	CU_ASSERT_EQUAL(f.gt.active_maps(), 0u);
}

void t_gnttab_dma_refused_bad(void)
{
	fixture f;
	f.grant(17, 0x70);
	f.dma.refuse = true;
	CU_ASSERT_EQUAL(f.gt.map(f.dma, 17, BACK, true).status, GNTST_general_error);
	CU_ASSERT_EQUAL(f.sink.count("grant_dma_error"), 1u);
	CU_ASSERT_EQUAL(f.gt.mapped(17), 0u);
}

void t_gnttab_add_frame_bad(void)
{
	fixture f;
	CU_ASSERT_EQUAL(f.gt.add_frame(4, 0x8000), GNTST_general_error); // max_frames 4
	CU_ASSERT_EQUAL(f.gt.add_frame(1, 0x8001), GNTST_general_error); // not 4 KiB aligned
	CU_ASSERT_EQUAL(f.gt.nr_frames(), 1u);
	CU_ASSERT_EQUAL(f.gt.frame_gpa(1), blkif::grant_table::NO_FRAME);
	CU_ASSERT_EQUAL(f.gt.add_frame(3, 0x8000), GNTST_okay); // frames 1, 2 stay unset
	CU_ASSERT_EQUAL(f.gt.nr_frames(), 4u);
	CU_ASSERT_EQUAL(f.gt.map(f.dma, 512 + 5, BACK, false).status, GNTST_bad_gntref);
}

void t_gnttab_config_check_bad(void)
{
	blkif::grant_config c = zero_cost();
	CU_ASSERT_EQUAL(blkif::check_config(c), "");
	c.max_frames = 0;
	CU_ASSERT(blkif::check_config(c).find("max_frames") != std::string::npos);
	c = zero_cost();
	c.clock_period = sc_core::SC_ZERO_TIME;
	CU_ASSERT(blkif::check_config(c).find("clock_period") != std::string::npos);
	rs_test::test_sink sink;
	bool threw = false;
	try {
		blkif::grant_table gt("bad", c, sink);
	} catch (const std::invalid_argument &) {
		threw = true;
	}
	CU_ASSERT(threw);
	// The documented defaults are valid once the clock is set.
	blkif::grant_config d;
	CU_ASSERT_EQUAL(d.max_frames, 32u);
	d.clock_period = sc_time(1, SC_NS);
	CU_ASSERT_EQUAL(blkif::check_config(d), "");
}

} // namespace

int main()
{
	gsl_set_error_handler_off();
	static const rs_test::test_entry tests[] = {
		{"t_gnttab_map_sets_flags", t_gnttab_map_sets_flags},
		{"t_gnttab_readonly_map", t_gnttab_readonly_map},
		{"t_gnttab_pin_counts", t_gnttab_pin_counts},
		{"t_gnttab_second_frame", t_gnttab_second_frame},
		{"t_gnttab_not_permitted_bad", t_gnttab_not_permitted_bad},
		{"t_gnttab_readonly_write_bad", t_gnttab_readonly_write_bad},
		{"t_gnttab_out_of_range_bad", t_gnttab_out_of_range_bad},
		{"t_gnttab_dma_refused_bad", t_gnttab_dma_refused_bad},
		{"t_gnttab_add_frame_bad", t_gnttab_add_frame_bad},
		{"t_gnttab_config_check_bad", t_gnttab_config_check_bad},
		{nullptr, nullptr},
	};
	return rs_test::run_suite("blkif_grant_table", tests);
}
