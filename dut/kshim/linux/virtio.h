/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The driver side of a virtqueue, as include/linux/virtio.h of Linux 3.1 declares it. The
 * functions are the guest's virtio_ring driver half (dut/guest/virtio_ring.c).
 */
#ifndef KSHIM_LINUX_VIRTIO_H
#define KSHIM_LINUX_VIRTIO_H

#include <linux/scatterlist.h>

#ifdef __cplusplus
extern "C" {
#endif

struct virtio_device;

struct virtqueue {
	void (*callback)(struct virtqueue *vq); /* the driver's interrupt handler */
	const char *name;
	struct virtio_device *vdev;
	void *priv;                             /* the ring's (dut/guest/virtio_ring.c) */
};

struct virtio_device {
	int index;
	void *priv;                             /* the driver's (9p: the channel) */
};

/**
 * virtio_find_single_vq() - set up the device's one queue: the ring in guest memory, bound
 * to the device engine, with @callback run on its interrupts
 * Return: the queue, or NULL.
 */
struct virtqueue *virtio_find_single_vq(struct virtio_device *vdev,
					void (*callback)(struct virtqueue *vq), const char *name);

/**
 * kshim_vring_changed() - ringsim probe: @in_use descriptors of @vq's ring are now owned by
 * the device or not yet reclaimed (ring size - num_free)
 */
void kshim_vring_changed(struct virtqueue *vq, unsigned int in_use);

int virtqueue_add_buf(struct virtqueue *vq, struct scatterlist sg[], unsigned int out,
		      unsigned int in, void *data);
void virtqueue_kick(struct virtqueue *vq);
void *virtqueue_get_buf(struct virtqueue *vq, unsigned int *len);

#ifdef __cplusplus
}
#endif

#endif
