/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The 9p virtio transport (net/9p/trans_virtio.c with abfa034e4b8e): what the rest of the
 * guest and the engine call. The transport's own helpers stay static, as in the kernel;
 * tests include trans_virtio.c to reach them.
 */
#ifndef DUT_TRANS_VIRTIO_H
#define DUT_TRANS_VIRTIO_H

#include <linux/virtio.h>
#include <net/9p/client.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The size of the per-channel scatterlist, and what maxsize is derived from. */
#define VIRTQUEUE_NUM 128

extern struct p9_trans_module p9_virtio_trans;
extern atomic_t vp_pinned;

/**
 * p9_virtio_init() - module init: the pinned-page wait queue, and maxsize, which depends on
 * the guest's PAGE_SIZE. Context: before any probe.
 */
void p9_virtio_init(void);

/**
 * p9_virtio_probe() - bind the transport to a virtio-9p device: finds its single queue
 * (with req_done as the interrupt callback) and sets up the channel.
 * Return: 0 or -ENOMEM.
 */
int p9_virtio_probe(struct virtio_device *vdev);

#ifdef __cplusplus
}
#endif

#endif
