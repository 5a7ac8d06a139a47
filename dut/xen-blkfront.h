/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Xen PV block frontend (drivers/block/xen-blkfront.c after c004a6fe0c40): what the
 * engine calls, and the probes ringsim reads from its request path.
 */
#ifndef DUT_XEN_BLKFRONT_H
#define DUT_XEN_BLKFRONT_H

#include <linux/blkdev.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What xenstore says at connect time: the ring negotiated, the backend's features. */
struct blkfront_config {
	unsigned int nr_ring_pages;                 /* 1, 2, 4, 8 or 16 */
	unsigned short backend_domid;
	bool feature_persistent;                    /* feature-persistent of both ends */
	unsigned int backend_max_indirect_segments; /* feature-max-indirect-segments, 0: none */
	unsigned int front_max_indirect_segments;   /* module parameter max (default 32) */
	bool feature_flush_cache;                   /* the backend's feature-flush-cache */
	bool feature_barrier;                       /* the backend's feature-barrier */
};

/**
 * blkfront_probe_and_connect() - probe, set the ring up, connect: the disk is usable
 * Return: 0 with *@disk set, or a negative errno.
 * Context: boot (not simulated) or a guest thread.
 */
int blkfront_probe_and_connect(const struct blkfront_config *cfg, struct gendisk **disk);

/** blkfront_ring_refs() - the ring's grant references, for the backend to map. */
const int *blkfront_ring_refs(unsigned int *nr);
/** blkfront_persistent_gnts() - persistent_gnts_c now. */
unsigned int blkfront_persistent_gnts(void);
/**
 * blkfront_pool_pages() - the free grant list's own pages (persistent grants: one Linux
 * page per grant); *@granted receives how many of them hold a grant now.
 */
unsigned int blkfront_pool_pages(unsigned int *granted);
/**
 * blkfront_pool_pfns() - the frames of those pages, at most @max into @pfns
 * Return: how many were written.
 */
unsigned int blkfront_pool_pfns(unsigned long *pfns, unsigned int max);

/** blkfront_ring_size() - BLK_RING_SIZE(info). */
unsigned int blkfront_ring_size(void);

/* ringsim probes, implemented by the engine; they change nothing. */
void kshim_blkif_queued(struct request *req, unsigned int num_sg, unsigned int num_grant,
			unsigned int max_grefs, unsigned int indirect_frames);
void kshim_blkif_grants_exhausted(void);
void kshim_blkif_ring_full(void);
void kshim_blkif_ring_changed(unsigned int in_use);
void kshim_blkif_copied(unsigned int bytes);

#ifdef __cplusplus
}
#endif

#endif
