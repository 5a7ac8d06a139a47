// SPDX-License-Identifier: GPL-2.0-only
/*
 * The driver half of a split virtqueue, as drivers/virtio/virtio_ring.c of Linux 3.1 has
 * it (add_buf era), rewritten for ringsim: the ring lives in guest memory, written through
 * the direct map as the kernel writes it; the device engine model reads it by DMA.
 * With VIRTIO_RING_F_EVENT_IDX negotiated (vq->event) the kick is suppressed by the device's
 * avail_event and interrupts by the used_event get_buf publishes, as 3.1 does.
 */
#include <linux/mm.h>
#include <linux/virtio.h>
#include <linux/virtio_ring.h>

struct vring_virtqueue {
	struct virtqueue vq;

	/* Actual memory layout for this queue */
	struct vring vring;

	/* Other side has made a mess, don't try any more. */
	bool broken;

	/* Host supports indirect buffers */
	bool indirect;

	/* Host publishes avail event idx */
	bool event;

	/* Number of free buffers */
	unsigned int num_free;
	/* Head of free buffer list. */
	unsigned int free_head;
	/* Number we've added since last sync. */
	unsigned int num_added;

	/* Last used index we've seen. */
	u16 last_used_idx;

	/* How to notify other side. FIXME: commonalize hcalls! */
	void (*notify)(struct virtqueue *vq);

	/* Tokens for callbacks. */
	void *data[];
};

#define to_vvq(_vq) ((struct vring_virtqueue *)(_vq))

/* The ring broke: say so once, and stop using it (the kernel's BAD_RING). */
#define BAD_RING(_vq, what)                                               \
	do {                                                              \
		kshim_warn(__FILE__, __LINE__, what);                     \
		(_vq)->broken = true;                                     \
	} while (0)

/* Set up an indirect table of descriptors and add it to the queue. */
static int vring_add_indirect(struct vring_virtqueue *vq, struct scatterlist sg[],
			      unsigned int out, unsigned int in, gfp_t gfp)
{
	struct vring_desc *desc;
	unsigned head;
	unsigned int i;

	desc = kmalloc((out + in) * sizeof(struct vring_desc), gfp);
	if (!desc)
		return -ENOMEM;

	/* Transfer entries from the sg list into the indirect page */
	for (i = 0; i < out; i++) {
		desc[i].flags = VRING_DESC_F_NEXT;
		desc[i].addr = sg_phys(sg);
		desc[i].len = sg->length;
		desc[i].next = i + 1;
		sg++;
	}
	for (; i < (out + in); i++) {
		desc[i].flags = VRING_DESC_F_NEXT | VRING_DESC_F_WRITE;
		desc[i].addr = sg_phys(sg);
		desc[i].len = sg->length;
		desc[i].next = i + 1;
		sg++;
	}
	kshim_charge(KSHIM_COST_DESC_WRITE, out + in);

	/* Last one doesn't continue. */
	desc[i - 1].flags &= ~VRING_DESC_F_NEXT;
	desc[i - 1].next = 0;

	/* We're about to use a buffer */
	vq->num_free--;

	/* Use a single buffer which doesn't continue */
	head = vq->free_head;
	vq->vring.desc[head].flags = VRING_DESC_F_INDIRECT;
	vq->vring.desc[head].addr = virt_to_phys(desc);
	vq->vring.desc[head].len = i * sizeof(struct vring_desc);
	kshim_charge(KSHIM_COST_DESC_WRITE, 1);

	/* Update free pointer */
	vq->free_head = vq->vring.desc[head].next;

	return head;
}

int virtqueue_add_buf(struct virtqueue *_vq, struct scatterlist sg[], unsigned int out,
		      unsigned int in, void *data)
{
	struct vring_virtqueue *vq = to_vvq(_vq);
	unsigned int i, avail, prev = 0;
	unsigned int sg_entries = out + in; /* ringsim: for the probe below */
	int head;

	BUG_ON(data == NULL);

	/* If the host supports indirect descriptor tables, and we have multiple
	 * buffers, then go indirect. FIXME: tune this threshold */
	if (vq->indirect && (out + in) > 1 && vq->num_free) {
		head = vring_add_indirect(vq, sg, out, in, GFP_ATOMIC);
		if (head >= 0)
			goto add_head;
	}

	BUG_ON(out + in > vq->vring.num);
	BUG_ON(out + in == 0);

	if (vq->num_free < out + in) {
		/* FIXME: for historical reasons, we force a notify here if
		 * there are outgoing parts to the buffer.  Presumably the
		 * host should service the ring ASAP. */
		if (out)
			vq->notify(&vq->vq);
		kshim_vring_full(_vq);
		return -ENOSPC;
	}

	/* We're about to use some buffers from the free list. */
	vq->num_free -= out + in;

	head = vq->free_head;
	for (i = vq->free_head; out; i = vq->vring.desc[i].next, out--) {
		vq->vring.desc[i].flags = VRING_DESC_F_NEXT;
		vq->vring.desc[i].addr = sg_phys(sg);
		vq->vring.desc[i].len = sg->length;
		prev = i;
		sg++;
		kshim_charge(KSHIM_COST_DESC_WRITE, 1);
	}
	for (; in; i = vq->vring.desc[i].next, in--) {
		vq->vring.desc[i].flags = VRING_DESC_F_NEXT | VRING_DESC_F_WRITE;
		vq->vring.desc[i].addr = sg_phys(sg);
		vq->vring.desc[i].len = sg->length;
		prev = i;
		sg++;
		kshim_charge(KSHIM_COST_DESC_WRITE, 1);
	}
	/* Last one doesn't continue. */
	vq->vring.desc[prev].flags &= ~VRING_DESC_F_NEXT;

	/* Update free pointer */
	vq->free_head = i;

add_head:
	/* Set token. */
	vq->data[head] = data;

	/* Put entry in available array (but don't update avail->idx until they
	 * do sync).  FIXME: avoid modulus here? */
	avail = (vq->vring.avail->idx + vq->num_added++) % vq->vring.num;
	vq->vring.avail->ring[avail] = head;
	kshim_charge(KSHIM_COST_DESC_WRITE, 1);

	kshim_vring_added(_vq, sg_entries,
			  vq->vring.desc[head].flags & VRING_DESC_F_INDIRECT ? 1 : sg_entries,
			  vq->vring.num - vq->num_free);
	return vq->num_free;
}

void virtqueue_kick(struct virtqueue *_vq)
{
	struct vring_virtqueue *vq = to_vvq(_vq);
	u16 new, old;

	/* Descriptors and available array need to be set before we expose the
	 * new available array entries. (Guest threads do not overlap in time.) */
	old = vq->vring.avail->idx;
	new = vq->vring.avail->idx = old + vq->num_added;
	vq->num_added = 0;

	/* Need to update avail index before checking if we should notify: with event
	 * indices, only when the new entries pass the device's avail_event. */
	if (vq->event ? vring_need_event(vring_avail_event(&vq->vring), new, old)
		      : !(vq->vring.used->flags & VRING_USED_F_NO_NOTIFY))
		/* Prod other side to tell it about changes. */
		vq->notify(&vq->vq);
}

static void detach_buf(struct vring_virtqueue *vq, unsigned int head)
{
	unsigned int i;

	/* Clear data ptr. */
	vq->data[head] = NULL;

	/* Put back on free list: find end */
	i = head;

	/* Free the indirect table */
	if (vq->vring.desc[i].flags & VRING_DESC_F_INDIRECT)
		kfree(phys_to_virt(vq->vring.desc[i].addr));

	while (vq->vring.desc[i].flags & VRING_DESC_F_NEXT) {
		i = vq->vring.desc[i].next;
		vq->num_free++;
	}

	vq->vring.desc[i].next = vq->free_head;
	vq->free_head = head;
	/* Plus final descriptor */
	vq->num_free++;
}

static inline bool more_used(const struct vring_virtqueue *vq)
{
	return vq->last_used_idx != vq->vring.used->idx;
}

void *virtqueue_get_buf(struct virtqueue *_vq, unsigned int *len)
{
	struct vring_virtqueue *vq = to_vvq(_vq);
	void *ret;
	unsigned int i;

	if (vq->broken)
		return NULL;

	if (!more_used(vq))
		return NULL;

	i = vq->vring.used->ring[vq->last_used_idx % vq->vring.num].id;
	*len = vq->vring.used->ring[vq->last_used_idx % vq->vring.num].len;

	if (i >= vq->vring.num) {
		BAD_RING(vq, "virtqueue_get_buf: used id out of range");
		return NULL;
	}
	if (!vq->data[i]) {
		BAD_RING(vq, "virtqueue_get_buf: used id is not a head");
		return NULL;
	}

	/* detach_buf clears data, so grab it now. */
	ret = vq->data[i];
	detach_buf(vq, i);
	vq->last_used_idx++;
	/* If we expect an interrupt for the next entry, tell host
	 * by writing event index and flush out the write before
	 * the read in the next get_buf call. */
	if (!(vq->vring.avail->flags & VRING_AVAIL_F_NO_INTERRUPT))
		vring_used_event(&vq->vring) = vq->last_used_idx;

	kshim_vring_changed(_vq, vq->vring.num - vq->num_free);
	return ret;
}

int vring_interrupt(struct virtqueue *_vq)
{
	struct vring_virtqueue *vq = to_vvq(_vq);

	if (!more_used(vq))
		return 0; /* IRQ_NONE */

	if (vq->broken)
		return 1;

	if (vq->vq.callback)
		vq->vq.callback(&vq->vq);

	return 1; /* IRQ_HANDLED */
}

struct virtqueue *vring_new_virtqueue(unsigned int num, unsigned int vring_align,
				      struct virtio_device *vdev, void *pages,
				      void (*notify)(struct virtqueue *),
				      void (*callback)(struct virtqueue *), const char *name,
				      bool indirect, bool event)
{
	struct vring_virtqueue *vq;
	unsigned int i;

	/* We assume num is a power of 2. */
	if (num & (num - 1))
		return NULL;

	vq = kmalloc(sizeof(*vq) + sizeof(void *) * num, GFP_KERNEL);
	if (!vq)
		return NULL;

	vring_init(&vq->vring, num, pages, vring_align);
	vq->vq.callback = callback;
	vq->vq.vdev = vdev;
	vq->vq.name = name;
	vq->notify = notify;
	vq->broken = false;
	vq->last_used_idx = 0;
	vq->num_added = 0;

	/* virtio_has_feature(vdev, VIRTIO_RING_F_INDIRECT_DESC / _EVENT_IDX) in 3.1: the
	 * features both sides negotiated come in from the platform here. */
	vq->indirect = indirect;
	vq->event = event;

	/* No callback?  Tell other side not to bother us. */
	vq->vring.avail->flags = callback ? 0 : VRING_AVAIL_F_NO_INTERRUPT;
	vq->vring.avail->idx = 0;
	vq->vring.used->flags = 0;
	vq->vring.used->idx = 0;

	/* Put everything in free lists. */
	vq->num_free = num;
	vq->free_head = 0;
	for (i = 0; i < num - 1; i++) {
		vq->vring.desc[i].next = i + 1;
		vq->data[i] = NULL;
	}
	vq->data[i] = NULL;

	return &vq->vq;
}
