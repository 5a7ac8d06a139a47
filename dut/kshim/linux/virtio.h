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

struct virtqueue {
	void (*callback)(struct virtqueue *vq); /* the driver's interrupt handler */
	const char *name;
	void *priv;                             /* the driver's (9p: the channel) */
};

int virtqueue_add_buf(struct virtqueue *vq, struct scatterlist sg[], unsigned int out,
		      unsigned int in, void *data);
void virtqueue_kick(struct virtqueue *vq);
void *virtqueue_get_buf(struct virtqueue *vq, unsigned int *len);

#ifdef __cplusplus
}
#endif

#endif
