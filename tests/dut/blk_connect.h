/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the blkfront connect tests share: a configuration with a one-page ring (the backend
 * offering order 4), and connect run as a guest thread (fx_run). Include after
 * xen-blkfront.c: it calls the DUT's own functions.
 */
#ifndef RS_TESTS_DUT_BLK_CONNECT_H
#define RS_TESTS_DUT_BLK_CONNECT_H

#include <stdbool.h>

static struct blkfront_config blk_config(unsigned backend_indirect, unsigned front_indirect,
					 bool persistent)
{
	struct blkfront_config cfg = {
		.front_max_ring_page_order = 0,
		.backend_has_max_ring_page_order = true,
		.backend_max_ring_page_order = 4,
		.backend_domid = 0,
		.feature_persistent = persistent,
		.backend_max_indirect_segments = backend_indirect,
		.front_max_indirect_segments = front_indirect,
	};
	return cfg;
}

struct connect_args {
	struct blkfront_config cfg;
	struct gendisk *disk;
};

static int connect_fn(void *arg)
{
	struct connect_args *a = arg;

	return blkfront_probe_and_connect(&a->cfg, &a->disk);
}

#endif
