/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The split virtqueue ("vring") as it lies in guest memory: the legacy virtio layout of
 * Linux 3.1's include/linux/virtio_ring.h, which virtio 1.0 (section 2.4) keeps as the split
 * ring. Shared by the device engine, the C driver half in dut/guest and the tests, so it is
 * plain C11 as well as C++17: no namespaces, only static inline helpers.
 *
 * Byte order: legacy virtio is guest-native endian. The modelled guests (x86-64, arm64) and
 * the host running ringsim are little-endian, so the structs are read and written as they are.
 */
#ifndef RS_VIRTQUEUE_VRING_H
#define RS_VIRTQUEUE_VRING_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define VRING_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#define VRING_CONSTEXPR constexpr
#else
#define VRING_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#define VRING_CONSTEXPR
#endif

/* The layout has no padding anywhere; packing only makes the compiler promise it. */
#define VRING_PACKED __attribute__((packed))

/* Descriptor flags (include/linux/virtio_ring.h; virtio 1.0 2.4.5). */
#define VRING_DESC_F_NEXT 1     /* the buffer continues via the next field */
#define VRING_DESC_F_WRITE 2    /* device-writable ("in" buffer of the driver) */
#define VRING_DESC_F_INDIRECT 4 /* the buffer holds a table of descriptors */

/* used->flags: the device asks the driver not to kick (include/linux/virtio_ring.h). */
#define VRING_USED_F_NO_NOTIFY 1
/* avail->flags: the driver asks the device not to interrupt (include/linux/virtio_ring.h). */
#define VRING_AVAIL_F_NO_INTERRUPT 1

/* Feature bit of both event indices (include/linux/virtio_ring.h, virtio 1.0 2.4.7/2.4.9):
 * the driver publishes used_event, the device avail_event, instead of the flags above. */
#define VIRTIO_RING_F_EVENT_IDX 29

/* Ring alignment of legacy virtio-pci (include/linux/virtio_pci.h): the queue address is a
 * 4096-byte page frame number (VIRTIO_PCI_QUEUE_ADDR_SHIFT 12), whatever the guest page size. */
#define VIRTIO_PCI_VRING_ALIGN 4096

/* One buffer: guest physical address, length, flags, index of the next descriptor. */
struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
} VRING_PACKED;
VRING_STATIC_ASSERT(sizeof(struct vring_desc) == 16, "vring_desc is 16 bytes");

/* Driver → device: heads of chains made available; used_event (uint16_t) follows ring[num]. */
struct vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
} VRING_PACKED;
VRING_STATIC_ASSERT(sizeof(struct vring_avail) == 4, "vring_avail header is 4 bytes");

/* One completion: head descriptor index (uint32_t for padding reasons) and bytes written. */
struct vring_used_elem {
	uint32_t id;
	uint32_t len;
} VRING_PACKED;
VRING_STATIC_ASSERT(sizeof(struct vring_used_elem) == 8, "vring_used_elem is 8 bytes");

/* Device → driver: completed chains; avail_event (uint16_t) follows ring[num]. */
struct vring_used {
	uint16_t flags;
	uint16_t idx;
	struct vring_used_elem ring[];
} VRING_PACKED;
VRING_STATIC_ASSERT(sizeof(struct vring_used) == 4, "vring_used header is 4 bytes");

VRING_STATIC_ASSERT(offsetof(struct vring_desc, len) == 8, "vring_desc.len at 8");
VRING_STATIC_ASSERT(offsetof(struct vring_desc, flags) == 12, "vring_desc.flags at 12");
VRING_STATIC_ASSERT(offsetof(struct vring_desc, next) == 14, "vring_desc.next at 14");
VRING_STATIC_ASSERT(offsetof(struct vring_avail, idx) == 2, "vring_avail.idx at 2");
VRING_STATIC_ASSERT(offsetof(struct vring_used, idx) == 2, "vring_used.idx at 2");

/*
 * Offsets from the ring base, which must itself be aligned to @align (Linux's vring_init()
 * aligns the absolute address of the used ring; for an aligned base that is the same):
 *   desc table   0                       16 * num
 *   avail        16 * num                2 * (2 + num) + used_event 2
 *   (padding to @align)
 *   used         vring_used_off()        2 * 2 + 8 * num + avail_event 2
 */

/**
 * vring_avail_off() - Return: offset of the avail ring from the ring base (after the
 * descriptor table of @num entries).
 */
static inline VRING_CONSTEXPR uint64_t vring_avail_off(unsigned int num)
{
	return (uint64_t)num * sizeof(struct vring_desc);
}

/**
 * vring_used_off() - Return: offset of the used ring from the ring base: the end of the
 * avail ring (with used_event), rounded up to @align (a power of two).
 */
static inline VRING_CONSTEXPR uint64_t vring_used_off(unsigned int num, unsigned long align)
{
	return (vring_avail_off(num) + sizeof(uint16_t) * (3 + (uint64_t)num) + align - 1) &
	       ~((uint64_t)align - 1);
}

/**
 * vring_size() - bytes of a ring of @num descriptors aligned to @align, exactly as Linux's
 * vring_size(): the descriptor table, the avail ring (flags, idx, ring[num], used_event),
 * padding to @align, then the used ring (flags, idx, ring[num], avail_event).
 */
static inline VRING_CONSTEXPR unsigned vring_size(unsigned int num, unsigned long align)
{
	return (unsigned)(vring_used_off(num, align) + sizeof(uint16_t) * 3 +
			  sizeof(struct vring_used_elem) * (uint64_t)num);
}

/** vring_used_event_off() - Return: offset of used_event (after avail->ring[@num]). */
static inline VRING_CONSTEXPR uint64_t vring_used_event_off(unsigned int num)
{
	return vring_avail_off(num) + sizeof(struct vring_avail) + sizeof(uint16_t) * (uint64_t)num;
}

/** vring_avail_event_off() - Return: offset of avail_event (after used->ring[@num]). */
static inline VRING_CONSTEXPR uint64_t vring_avail_event_off(unsigned int num, unsigned long align)
{
	return vring_used_off(num, align) + sizeof(struct vring_used) +
	       sizeof(struct vring_used_elem) * (uint64_t)num;
}

/**
 * vq_need_event() - whether moving an index from @old to @new_idx passes @event_idx
 *
 * The rule of Linux 3.1's include/linux/virtio_ring.h (and virtio 1.0 2.4.7.2): notify
 * when @event_idx lies in [@old, @new_idx), all in free-running 16-bit arithmetic.
 * Return: 1 to notify, 0 to stay quiet.
 */
static inline int vq_need_event(uint16_t event_idx, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event_idx - 1) < (uint16_t)(new_idx - old);
}

#endif
