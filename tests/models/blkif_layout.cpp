// SPDX-License-Identifier: GPL-2.0-only
// The blkif wire layout against kernel-facts B.1/B.2/B.5: struct sizes and offsets, ring
// sizes for 1..16 pages, slot offsets, the index rules, the grant entry; and the same header
// compiled as C11 (blkif_layout_c.c) giving the same answers.
#include <cstddef>
#include <cstring>

#include <gsl/gsl_errno.h>

#include "blkif_ring/blkif.h"
#include "test_support.h"

struct blkif_c_layout {
	unsigned long seg_size, req_size, rsp_size, slot_size, sring_size, gnt_size;
	unsigned long rw_id_off, rw_sector_off, rw_seg_off, ind_nr_segs_off, ind_id_off;
	unsigned long ind_handle_off, ind_grefs_off, rsp_status_off, rsp_event_off, ring_off;
	unsigned long segs_per_indirect_frame, grefs_per_frame;
	unsigned long ring_size[5];
	unsigned long slot33_off, rd32_100;
	int notify_in, notify_out, notify_wrap;
};

extern "C" void blkif_c_fill(struct blkif_c_layout *out);

namespace {

void t_layout_sizes(void)
{
	CU_ASSERT_EQUAL(sizeof(blkif_request_segment), 8u);
	CU_ASSERT_EQUAL(sizeof(blkif_request), 112u);
	CU_ASSERT_EQUAL(sizeof(blkif_response), 16u);
	CU_ASSERT_EQUAL(sizeof(blkif_sring_entry), 112u);
	CU_ASSERT_EQUAL(sizeof(blkif_sring), 64u);
	CU_ASSERT_EQUAL(sizeof(grant_entry_v1), 8u);
	CU_ASSERT_EQUAL(SEGS_PER_INDIRECT_FRAME, 512u);
	CU_ASSERT_EQUAL(GREFS_PER_GRANT_FRAME, 512u);
	CU_ASSERT_EQUAL(BLKIF_SECTORS_PER_PAGE, 8u);
	// The protocol's ceiling: 8 indirect pages of 512 segments.
	CU_ASSERT_EQUAL(BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST * SEGS_PER_INDIRECT_FRAME, 4096u);
}

void t_layout_request_offsets(void)
{
	// 1 op byte, then the packed rw body: nr_segments 1, handle 2, pad 4, id 8, sector 8,
	// 11 segments of 8 (kernel-facts B.1).
	CU_ASSERT_EQUAL(offsetof(blkif_request, u.rw.nr_segments), 1u);
	CU_ASSERT_EQUAL(offsetof(blkif_request, u.rw.handle), 2u);
	CU_ASSERT_EQUAL(offsetof(blkif_request, u.rw.id), 8u);
	CU_ASSERT_EQUAL(offsetof(blkif_request, u.rw.sector_number), 16u);
	CU_ASSERT_EQUAL(offsetof(blkif_request, u.rw.seg), 24u);
	CU_ASSERT_EQUAL(offsetof(blkif_request, u.rw.seg) + 11 * 8, 112u);
	CU_ASSERT_EQUAL(offsetof(blkif_request, u.indirect.indirect_op), 1u);
	CU_ASSERT_EQUAL(offsetof(blkif_request, u.indirect.nr_segments), 2u);
	CU_ASSERT_EQUAL(offsetof(blkif_request, u.indirect.id), 8u);
	CU_ASSERT_EQUAL(offsetof(blkif_request, u.indirect.sector_number), 16u);
	CU_ASSERT_EQUAL(offsetof(blkif_request, u.indirect.handle), 24u);
	CU_ASSERT_EQUAL(offsetof(blkif_request, u.indirect.indirect_grefs), 28u);
	CU_ASSERT_EQUAL(offsetof(blkif_request, u.discard.id), 8u);
	CU_ASSERT_EQUAL(offsetof(blkif_request, u.other.id), 8u);
	CU_ASSERT_EQUAL(offsetof(blkif_response, operation), 8u);
	CU_ASSERT_EQUAL(offsetof(blkif_response, status), 10u);
	CU_ASSERT_EQUAL(offsetof(blkif_sring, ring), 64u);

	// The byte image of a request: fields land where the offsets say.
	blkif_request r;
	memset(&r, 0, sizeof(r));
	r.operation = BLKIF_OP_WRITE;
	r.u.rw.nr_segments = 3;
	r.u.rw.id = 0x1122334455667788ull;
	r.u.rw.sector_number = 0x99;
	blkif_request_segment s = {0xabcd, 2, 5};
	r.u.rw.seg[10] = s;
	const uint8_t *b = reinterpret_cast<const uint8_t *>(&r);
	CU_ASSERT_EQUAL(b[0], 1);
	CU_ASSERT_EQUAL(b[1], 3);
	CU_ASSERT_EQUAL(b[8], 0x88);
	CU_ASSERT_EQUAL(b[15], 0x11);
	CU_ASSERT_EQUAL(b[16], 0x99);
	CU_ASSERT_EQUAL(b[24 + 80], 0xcd);
	CU_ASSERT_EQUAL(b[24 + 80 + 1], 0xab);
	CU_ASSERT_EQUAL(b[24 + 80 + 4], 2);
	CU_ASSERT_EQUAL(b[24 + 80 + 5], 5);
}

void t_layout_ring_sizes(void)
{
	// kernel-facts B.1's table: (4096 n - 64) / 112 rounded down to a power of two.
	CU_ASSERT_EQUAL(blkif_ring_size(1 * XEN_PAGE_SIZE), 32u);
	CU_ASSERT_EQUAL(blkif_ring_size(2 * XEN_PAGE_SIZE), 64u);
	CU_ASSERT_EQUAL(blkif_ring_size(4 * XEN_PAGE_SIZE), 128u);
	CU_ASSERT_EQUAL(blkif_ring_size(8 * XEN_PAGE_SIZE), 256u);
	CU_ASSERT_EQUAL(blkif_ring_size(16 * XEN_PAGE_SIZE), 512u);
	// Invariant F.10: a 64 KiB guest page would give 512, the bug the seed fixed.
	CU_ASSERT_EQUAL(blkif_ring_size(65536), 512u);
	CU_ASSERT_EQUAL(blkif_ring_size(64 + 112), 1u);
	CU_ASSERT_EQUAL(blkif_ring_size(64 + 111), 0u);
	CU_ASSERT_EQUAL(__RD32(36u), 32u);
	CU_ASSERT_EQUAL(__RD32(584u), 512u);
	CU_ASSERT_EQUAL(__RD32(1u), 1u);
	CU_ASSERT_EQUAL(__RD32(0u), 0u);
	CU_ASSERT_EQUAL(__RD32(0x80000001u), 0x80000000u);
	static_assert(blkif_ring_size(4096) == 32, "usable in constant expressions");
	// Slot i at 64 + 112 (i mod size): slot 36 of a 2-page ring starts the second page.
	CU_ASSERT_EQUAL(blkif_slot_off(0, 32), 64u);
	CU_ASSERT_EQUAL(blkif_slot_off(31, 32), 64u + 112 * 31);
	CU_ASSERT_EQUAL(blkif_slot_off(32, 32), 64u);
	CU_ASSERT_EQUAL(blkif_slot_off(36, 64), 4096u);
	CU_ASSERT_EQUAL(blkif_slot_off(0xffffffffu, 32), 64u + 112 * 31);
}

void t_layout_index_rules(void)
{
	CU_ASSERT_EQUAL(blkif_requests_available(5, 3), 2u);
	CU_ASSERT_EQUAL(blkif_requests_available(1, 0xffffffffu), 2u); // across the wrap
	// Notify iff event in (old, new].
	CU_ASSERT(blkif_need_notify(0, 1, 1));
	CU_ASSERT(blkif_need_notify(0, 3, 3));
	CU_ASSERT(blkif_need_notify(0, 3, 2));
	CU_ASSERT(!blkif_need_notify(0, 3, 4));
	CU_ASSERT(!blkif_need_notify(1, 2, 1)); // event == old: already seen
	CU_ASSERT(!blkif_need_notify(3, 3, 3)); // nothing new
	CU_ASSERT(blkif_need_notify(0xfffffffeu, 2u, 0u)); // across the wrap
	CU_ASSERT(!blkif_need_notify(0xfffffffeu, 2u, 3u));
	// The back ring's limits.
	CU_ASSERT_EQUAL(blkif_has_unconsumed_requests(10, 4, 4, 32), 6u);
	CU_ASSERT_EQUAL(blkif_has_unconsumed_requests(40, 4, 4, 32), 32u); // bounded by slots
	CU_ASSERT_EQUAL(blkif_has_unconsumed_requests(40, 36, 4, 32), 0u);
	CU_ASSERT(!blkif_request_cons_overflow(35, 4, 32));
	CU_ASSERT(blkif_request_cons_overflow(36, 4, 32));
	CU_ASSERT(!blkif_request_prod_overflow(36, 4, 32));
	CU_ASSERT(blkif_request_prod_overflow(37, 4, 32));
	CU_ASSERT_EQUAL(blkif_free_requests(32, 0, 32), 0u);
	CU_ASSERT_EQUAL(blkif_free_requests(40, 20, 32), 12u);
}

void t_layout_grant_entry(void)
{
	CU_ASSERT_EQUAL(offsetof(grant_entry_v1, domid), 2u);
	CU_ASSERT_EQUAL(offsetof(grant_entry_v1, frame), 4u);
	CU_ASSERT_EQUAL(GTF_permit_access, 1);
	CU_ASSERT_EQUAL(GTF_readonly, 4u);
	CU_ASSERT_EQUAL(GTF_reading, 8u);
	CU_ASSERT_EQUAL(GTF_writing, 16u);
	CU_ASSERT_EQUAL(NR_RESERVED_ENTRIES, 8);
	CU_ASSERT_EQUAL(grant_entry_off(0), 0u);
	CU_ASSERT_EQUAL(grant_entry_off(511), 511u * 8);
	CU_ASSERT_EQUAL(grant_entry_off(512), 0u);
	CU_ASSERT_EQUAL(INDIRECT_PAGES(1), 1u);
	CU_ASSERT_EQUAL(INDIRECT_PAGES(512), 1u);
	CU_ASSERT_EQUAL(INDIRECT_PAGES(513), 2u);
	CU_ASSERT_EQUAL(INDIRECT_PAGES(MAX_INDIRECT_SEGMENTS), 1u);
}

void t_layout_c_agrees(void)
{
	blkif_c_layout c;
	blkif_c_fill(&c);
	CU_ASSERT_EQUAL(c.seg_size, sizeof(blkif_request_segment));
	CU_ASSERT_EQUAL(c.req_size, 112u);
	CU_ASSERT_EQUAL(c.rsp_size, 16u);
	CU_ASSERT_EQUAL(c.slot_size, 112u);
	CU_ASSERT_EQUAL(c.sring_size, 64u);
	CU_ASSERT_EQUAL(c.gnt_size, 8u);
	CU_ASSERT_EQUAL(c.rw_id_off, offsetof(blkif_request, u.rw.id));
	CU_ASSERT_EQUAL(c.rw_sector_off, offsetof(blkif_request, u.rw.sector_number));
	CU_ASSERT_EQUAL(c.rw_seg_off, offsetof(blkif_request, u.rw.seg));
	CU_ASSERT_EQUAL(c.ind_nr_segs_off, offsetof(blkif_request, u.indirect.nr_segments));
	CU_ASSERT_EQUAL(c.ind_id_off, offsetof(blkif_request, u.indirect.id));
	CU_ASSERT_EQUAL(c.ind_handle_off, offsetof(blkif_request, u.indirect.handle));
	CU_ASSERT_EQUAL(c.ind_grefs_off, offsetof(blkif_request, u.indirect.indirect_grefs));
	CU_ASSERT_EQUAL(c.rsp_status_off, offsetof(blkif_response, status));
	CU_ASSERT_EQUAL(c.rsp_event_off, offsetof(blkif_sring, rsp_event));
	CU_ASSERT_EQUAL(c.ring_off, 64u);
	CU_ASSERT_EQUAL(c.segs_per_indirect_frame, 512u);
	CU_ASSERT_EQUAL(c.grefs_per_frame, 512u);
	CU_ASSERT_EQUAL(c.ring_size[0], 32u);
	CU_ASSERT_EQUAL(c.ring_size[1], 64u);
	CU_ASSERT_EQUAL(c.ring_size[2], 128u);
	CU_ASSERT_EQUAL(c.ring_size[3], 256u);
	CU_ASSERT_EQUAL(c.ring_size[4], 512u);
	CU_ASSERT_EQUAL(c.slot33_off, 64u + 112);
	CU_ASSERT_EQUAL(c.rd32_100, 64u);
	CU_ASSERT(c.notify_in && !c.notify_out && c.notify_wrap);
}

} // namespace

int main()
{
	gsl_set_error_handler_off();
	static const rs_test::test_entry tests[] = {
		{"t_layout_sizes", t_layout_sizes},
		{"t_layout_request_offsets", t_layout_request_offsets},
		{"t_layout_ring_sizes", t_layout_ring_sizes},
		{"t_layout_index_rules", t_layout_index_rules},
		{"t_layout_grant_entry", t_layout_grant_entry},
		{"t_layout_c_agrees", t_layout_c_agrees},
		{nullptr, nullptr},
	};
	return rs_test::run_suite("blkif_layout", tests);
}
