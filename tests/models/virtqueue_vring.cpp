// SPDX-License-Identifier: GPL-2.0-only
// The split ring layout of vring.h: struct sizes and field offsets, and vring_size() and the
// offsets against values worked out by hand from Linux 3.1's vring_size() / vring_init();
// the same header compiled as C gives the same answers.
#include <cstddef>

#include <CUnit/Basic.h>

#include "test_support.h"
#include "virtqueue/vring.h"

extern "C" {
struct vring_c_layout {
	unsigned long desc_size, avail_size, used_elem_size, used_size;
	unsigned long desc_next_off, used_idx_off;
	unsigned long size, avail_off, used_off, used_event_off, avail_event_off;
};
void vring_c_fill(unsigned int num, unsigned long align, struct vring_c_layout *out);
}

namespace {

void t_vring_struct_layout(void)
{
	CU_ASSERT_EQUAL(sizeof(vring_desc), 16);
	CU_ASSERT_EQUAL(offsetof(vring_desc, addr), 0);
	CU_ASSERT_EQUAL(offsetof(vring_desc, len), 8);
	CU_ASSERT_EQUAL(offsetof(vring_desc, flags), 12);
	CU_ASSERT_EQUAL(offsetof(vring_desc, next), 14);
	CU_ASSERT_EQUAL(sizeof(vring_avail), 4);
	CU_ASSERT_EQUAL(offsetof(vring_avail, ring), 4);
	CU_ASSERT_EQUAL(sizeof(vring_used_elem), 8);
	CU_ASSERT_EQUAL(sizeof(vring_used), 4);
	CU_ASSERT_EQUAL(offsetof(vring_used, ring), 4);
	CU_ASSERT(VRING_DESC_F_NEXT == 1 && VRING_DESC_F_WRITE == 2 && VRING_DESC_F_INDIRECT == 4);
	CU_ASSERT(VRING_USED_F_NO_NOTIFY == 1 && VRING_AVAIL_F_NO_INTERRUPT == 1);
	CU_ASSERT_EQUAL(VIRTIO_PCI_VRING_ALIGN, 4096);
}

void t_vring_size_linux(void)
{
	// ((16 num + 2 (3 + num) + align - 1) & ~(align - 1)) + 2 * 3 + 8 num
	CU_ASSERT_EQUAL(vring_size(128, 4096), 5126);    // 2048 + 262 -> 4096; + 6 + 1024
	CU_ASSERT_EQUAL(vring_size(256, 4096), 10246);   // 4096 + 518 -> 8192; + 6 + 2048
	CU_ASSERT_EQUAL(vring_size(1, 4096), 4110);      // 16 + 8 -> 4096; + 6 + 8
	CU_ASSERT_EQUAL(vring_size(8, 4096), 4166);      // 128 + 22 -> 4096; + 6 + 64
	CU_ASSERT_EQUAL(vring_size(8, 64), 262);         // 150 -> 192; + 70
	CU_ASSERT_EQUAL(vring_size(32768, 4096), 856070); // 589830 -> 593920; + 6 + 262144
	static_assert(vring_size(128, VIRTIO_PCI_VRING_ALIGN) == 5126, "usable in constant expressions");
}

void t_vring_offsets(void)
{
	CU_ASSERT_EQUAL(vring_avail_off(128), 2048);
	CU_ASSERT_EQUAL(vring_used_off(128, 4096), 4096);
	CU_ASSERT_EQUAL(vring_used_off(256, 4096), 8192);
	CU_ASSERT_EQUAL(vring_used_off(8, 64), 192);
	CU_ASSERT_EQUAL(vring_used_event_off(128), 2308);        // avail->ring[128]
	CU_ASSERT_EQUAL(vring_avail_event_off(128, 4096), 5124); // used->ring[128]
	for (unsigned num : {1u, 8u, 128u, 256u, 1024u, 32768u}) {
		// The used ring begins aligned, after the avail ring and used_event, and the ring
		// ends right after avail_event.
		CU_ASSERT(vring_used_off(num, 4096) % 4096 == 0);
		CU_ASSERT(vring_used_off(num, 4096) >= vring_used_event_off(num) + 2);
		CU_ASSERT(vring_used_off(num, 4096) < vring_used_event_off(num) + 2 + 4096);
		CU_ASSERT_EQUAL(vring_avail_event_off(num, 4096) + 2, vring_size(num, 4096));
	}
}

void t_vring_c_header(void)
{
	for (unsigned num : {1u, 8u, 128u, 32768u}) {
		for (unsigned long align : {64ul, 4096ul, 65536ul}) {
			vring_c_layout c{};
			vring_c_fill(num, align, &c);
			CU_ASSERT(c.desc_size == 16 && c.avail_size == 4 && c.used_elem_size == 8 &&
				  c.used_size == 4);
			CU_ASSERT(c.desc_next_off == 14 && c.used_idx_off == 2);
			CU_ASSERT_EQUAL(c.size, vring_size(num, align));
			CU_ASSERT_EQUAL(c.avail_off, vring_avail_off(num));
			CU_ASSERT_EQUAL(c.used_off, vring_used_off(num, align));
			CU_ASSERT_EQUAL(c.used_event_off, vring_used_event_off(num));
			CU_ASSERT_EQUAL(c.avail_event_off, vring_avail_event_off(num, align));
		}
	}
}

} // namespace

int main()
{
	static const rs_test::test_entry tests[] = {
		{"t_vring_struct_layout", t_vring_struct_layout},
		{"t_vring_size_linux", t_vring_size_linux},
		{"t_vring_offsets", t_vring_offsets},
		{"t_vring_c_header", t_vring_c_header},
		{nullptr, nullptr},
	};
	return rs_test::run_suite("virtqueue_vring", tests);
}
