/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The split ring layout as the driver knows it (include/linux/virtio_ring.h, Linux 3.1).
 * The device model has its own copy (models/virtqueue/vring.h), as a real device would;
 * tests check the two agree.
 */
#ifndef KSHIM_LINUX_VIRTIO_RING_H
#define KSHIM_LINUX_VIRTIO_RING_H

#include <linux/kshim.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2
#define VRING_DESC_F_INDIRECT 4
#define VRING_USED_F_NO_NOTIFY 1
#define VRING_AVAIL_F_NO_INTERRUPT 1

/* virtio-pci's legacy ring alignment (VIRTIO_PCI_VRING_ALIGN) */
#define VIRTIO_PCI_VRING_ALIGN 4096

struct vring_desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};

struct vring_avail {
	u16 flags;
	u16 idx;
	u16 ring[];
};

struct vring_used_elem {
	u32 id;
	u32 len;
};

struct vring_used {
	u16 flags;
	u16 idx;
	struct vring_used_elem ring[];
};

struct vring {
	unsigned int num;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
};

_Static_assert(sizeof(struct vring_desc) == 16, "vring_desc is 16 bytes");
_Static_assert(sizeof(struct vring_used_elem) == 8, "vring_used_elem is 8 bytes");

static inline void vring_init(struct vring *vr, unsigned int num, void *p, unsigned long align)
{
	vr->num = num;
	vr->desc = (struct vring_desc *)p;
	vr->avail = (struct vring_avail *)((char *)p + num * sizeof(struct vring_desc));
	vr->used = (struct vring_used *)(((unsigned long)&vr->avail->ring[num] + sizeof(u16) +
					  align - 1) & ~(align - 1));
}

static inline unsigned vring_size(unsigned int num, unsigned long align)
{
	return ((sizeof(struct vring_desc) * num + sizeof(u16) * (3 + num) + align - 1) &
		~(align - 1)) + sizeof(u16) * 3 + sizeof(struct vring_used_elem) * num;
}

struct virtio_device;
struct virtqueue;

/* drivers/virtio/virtio_ring.c */
struct virtqueue *vring_new_virtqueue(unsigned int num, unsigned int vring_align,
				      struct virtio_device *vdev, void *pages,
				      void (*notify)(struct virtqueue *),
				      void (*callback)(struct virtqueue *), const char *name,
				      bool indirect, bool event);
/* Return: 1 (IRQ_HANDLED) when there was something to do, 0 (IRQ_NONE) otherwise. */
int vring_interrupt(struct virtqueue *vq);

/* With VIRTIO_RING_F_EVENT_IDX: the driver's and the device's event indices. */
#define VIRTIO_RING_F_EVENT_IDX 29
#define vring_used_event(vr) ((vr)->avail->ring[(vr)->num])
#define vring_avail_event(vr) (*vring_avail_event_ptr(vr))

/* Where avail_event lies: the u16 after used->ring[num] (a function, not the kernel's cast,
 * so the compiler sees no type punning: the ring is plain bytes of guest memory). */
static inline u16 *vring_avail_event_ptr(struct vring *vr)
{
	return (u16 *)(void *)((char *)vr->used + 4 + sizeof(struct vring_used_elem) * vr->num);
}

/*
 * vring_need_event() - true when moving an index from @old to @new_idx steps past
 * @event_idx (the other side asked to be told once the index passes it). 16-bit
 * free-running arithmetic, as Linux 3.1's include/linux/virtio_ring.h.
 */
static inline int vring_need_event(u16 event_idx, u16 new_idx, u16 old)
{
	return (u16)(new_idx - event_idx - 1) < (u16)(new_idx - old);
}

#ifdef __cplusplus
}
#endif

#endif
