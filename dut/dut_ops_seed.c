// SPDX-License-Identifier: GPL-2.0-only
/*
 * The seed DUT's ops tables (dut_ops.h): the patches exactly as written, behind the DUT
 * boundary. Linked into ringsim as the built-in "seed", and the only symbols the seed's
 * shared object (librs_dut_seed.so) exports.
 */
#include "dut_ops.h"

#include <linux/virtio_ring.h>
#include <xen/grant_table.h>

#include "trans_virtio.h"
#include "xen-blkfront.h"

#define RS_DUT_EXPORT __attribute__((visibility("default")))

RS_DUT_EXPORT const struct rs_dut_9p_ops rs_dut_9p_ops = {
	.abi_version = RS_DUT_ABI_VERSION,
	.name = "seed",
	.description = "net/9p/trans_virtio.c with the zero-copy patch (abfa034e4b8e), as written",
	.trans = &p9_virtio_trans,
	.virtio_init = p9_virtio_init,
	.virtio_probe = p9_virtio_probe,
	.vring_new_virtqueue = vring_new_virtqueue,
	.vring_interrupt = vring_interrupt,
	.client_create = p9_client_create,
	.client_destroy = p9_client_destroy,
	.client_attach = p9_client_attach,
	.client_walk = p9_client_walk,
	.client_open = p9_client_open,
	.client_clunk = p9_client_clunk,
	.client_read = p9_client_read,
	.client_write = p9_client_write,
	.client_readdir = p9_client_readdir,
	.tag_lookup = p9_tag_lookup,
};

RS_DUT_EXPORT const struct rs_dut_blk_ops rs_dut_blk_ops = {
	.abi_version = RS_DUT_ABI_VERSION,
	.name = "seed",
	.description = "xen-blkfront with 64 KiB-page grant granularity (c004a6fe0c40), as written",
	.gnttab_init = gnttab_init,
	.gnttab_free_count_now = gnttab_free_count_now,
	.probe_and_connect = blkfront_probe_and_connect,
	.ring_refs = blkfront_ring_refs,
	.ring_size = blkfront_ring_size,
	.persistent_gnts = blkfront_persistent_gnts,
	.pool_pages = blkfront_pool_pages,
	.pool_pfns = blkfront_pool_pfns,
	.submit_io = blk_submit_io,
	.writeback_pages = blk_writeback_pages,
	.issue_flush = blkdev_issue_flush,
};
