/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vring.h compiled as C11 with the project's C warnings (-Wstrict-prototypes,
 * -Wmissing-prototypes, -Werror), as the driver half in dut/guest will include it. The
 * values come back to the C++ test, which compares them with its own.
 */
#include "virtqueue/vring.h"

#include <stddef.h>

struct vring_c_layout {
	unsigned long desc_size, avail_size, used_elem_size, used_size;
	unsigned long desc_next_off, used_idx_off;
	unsigned long size, avail_off, used_off, used_event_off, avail_event_off;
};

void vring_c_fill(unsigned int num, unsigned long align, struct vring_c_layout *out);

void vring_c_fill(unsigned int num, unsigned long align, struct vring_c_layout *out)
{
	out->desc_size = sizeof(struct vring_desc);
	out->avail_size = sizeof(struct vring_avail);
	out->used_elem_size = sizeof(struct vring_used_elem);
	out->used_size = sizeof(struct vring_used);
	out->desc_next_off = offsetof(struct vring_desc, next);
	out->used_idx_off = offsetof(struct vring_used, idx);
	out->size = vring_size(num, align);
	out->avail_off = (unsigned long)vring_avail_off(num);
	out->used_off = (unsigned long)vring_used_off(num, align);
	out->used_event_off = (unsigned long)vring_used_event_off(num);
	out->avail_event_off = (unsigned long)vring_avail_event_off(num, align);
}
