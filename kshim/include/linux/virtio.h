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

/*
 * ringsim probes in the ring's driver half (they change nothing):
 * kshim_vring_added() - a buffer of @sg_entries scatterlist entries went in, using
 *   @descriptors ring descriptors (1 when indirect); @in_use = ring size - num_free
 * kshim_vring_full() - add_buf returned -ENOSPC
 * kshim_vring_changed() - @in_use descriptors are held after the guest reclaimed some
 */
void kshim_vring_added(struct virtqueue *vq, unsigned int sg_entries, unsigned int descriptors,
		       unsigned int in_use);
void kshim_vring_full(struct virtqueue *vq);
void kshim_vring_changed(struct virtqueue *vq, unsigned int in_use);

int virtqueue_add_buf(struct virtqueue *vq, struct scatterlist sg[], unsigned int out,
		      unsigned int in, void *data);
void virtqueue_kick(struct virtqueue *vq);
void *virtqueue_get_buf(struct virtqueue *vq, unsigned int *len);

#ifdef __cplusplus
}
#endif

#endif
