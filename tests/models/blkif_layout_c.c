/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * blkif.h compiled as C11 with the project's C warnings (-Wstrict-prototypes,
 * -Wmissing-prototypes, -Werror), as C glue would include it. The values come back to the C++
 * test, which compares them with its own.
 */
#include "blkif_ring/blkif.h"

#include <stddef.h>

struct blkif_c_layout {
	unsigned long seg_size, req_size, rsp_size, slot_size, sring_size, gnt_size;
	unsigned long rw_id_off, rw_sector_off, rw_seg_off, ind_nr_segs_off, ind_id_off;
	unsigned long ind_handle_off, ind_grefs_off, rsp_status_off, rsp_event_off, ring_off;
	unsigned long segs_per_indirect_frame, grefs_per_frame;
	unsigned long ring_size[5]; /* 1, 2, 4, 8, 16 pages */
	unsigned long slot33_off, rd32_100;
	int notify_in, notify_out, notify_wrap;
};

void blkif_c_fill(struct blkif_c_layout *out);

void blkif_c_fill(struct blkif_c_layout *out)
{
	unsigned int i;

	out->seg_size = sizeof(struct blkif_request_segment);
	out->req_size = sizeof(struct blkif_request);
	out->rsp_size = sizeof(struct blkif_response);
	out->slot_size = sizeof(union blkif_sring_entry);
	out->sring_size = sizeof(struct blkif_sring);
	out->gnt_size = sizeof(struct grant_entry_v1);
	out->rw_id_off = offsetof(struct blkif_request, u.rw.id);
	out->rw_sector_off = offsetof(struct blkif_request, u.rw.sector_number);
	out->rw_seg_off = offsetof(struct blkif_request, u.rw.seg);
	out->ind_nr_segs_off = offsetof(struct blkif_request, u.indirect.nr_segments);
	out->ind_id_off = offsetof(struct blkif_request, u.indirect.id);
	out->ind_handle_off = offsetof(struct blkif_request, u.indirect.handle);
	out->ind_grefs_off = offsetof(struct blkif_request, u.indirect.indirect_grefs);
	out->rsp_status_off = offsetof(struct blkif_response, status);
	out->rsp_event_off = offsetof(struct blkif_sring, rsp_event);
	out->ring_off = offsetof(struct blkif_sring, ring);
	out->segs_per_indirect_frame = SEGS_PER_INDIRECT_FRAME;
	out->grefs_per_frame = GREFS_PER_GRANT_FRAME;
	for (i = 0; i < 5; i++)
		out->ring_size[i] = blkif_ring_size((uint64_t)XEN_PAGE_SIZE << i);
	out->slot33_off = (unsigned long)blkif_slot_off(33, 32);
	out->rd32_100 = __RD32(100u);
	out->notify_in = blkif_need_notify(0, 1, 1);
	out->notify_out = blkif_need_notify(1, 2, 1);
	out->notify_wrap = blkif_need_notify(0xfffffffeu, 2u, 0u);
}
