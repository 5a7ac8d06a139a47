/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The DUT boundary: what the simulator's glue (sim/devices) calls in a driver under test,
 * one ops table per device kind, as SPDK's drivers export theirs. Everything the glue needs
 * from the DUT goes through these tables; the DUT in turn calls only kshim's C API
 * (kshim/include). A DUT built as a shared object exports its tables through the well-known
 * symbols below (RS_DUT_9P_OPS_SYMBOL, RS_DUT_BLK_OPS_SYMBOL); the built-in seed DUT exports
 * the same tables under the same names, linked into ringsim.
 *
 * The tables pass the guest kernel's own types (struct p9_client, struct request_queue ...,
 * dut/guest and kshim/include): their layouts are part of the ABI, and so is the order of
 * the members here. Any change to either bumps the version; a DUT whose abi_version differs
 * from the simulator's is refused (sim/devices/dut_loader.cpp).
 */
#ifndef DUT_DUT_OPS_H
#define DUT_DUT_OPS_H

#include <linux/blkdev.h>
#include <linux/virtio.h>
#include <net/9p/client.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of both tables' layout and of the types they pass. */
#define RS_DUT_ABI_VERSION 1u

#define RS_DUT_9P_OPS_SYMBOL "rs_dut_9p_ops"
#define RS_DUT_BLK_OPS_SYMBOL "rs_dut_blk_ops"

struct blkfront_config;

/**
 * struct rs_dut_9p_ops - a 9p virtio transport and the 9p client around it
 * @abi_version: RS_DUT_ABI_VERSION of the headers the DUT was built against
 * @name: the variant's name ("seed"), for results and messages
 * @description: one line, for `ringsim dut list`
 * @trans: the transport module p9_client_create() binds (p9_virtio_trans)
 *
 * The rest are the functions of the same names in trans_virtio.h, net/9p/client.h and the
 * driver half of the virtio ring (guest/virtio_ring.c).
 */
struct rs_dut_9p_ops {
	unsigned int abi_version;
	const char *name;
	const char *description;
	struct p9_trans_module *trans;
	void (*virtio_init)(void);
	int (*virtio_probe)(struct virtio_device *vdev);
	struct virtqueue *(*vring_new_virtqueue)(unsigned int num, unsigned int vring_align,
						 struct virtio_device *vdev, void *pages,
						 void (*notify)(struct virtqueue *),
						 void (*callback)(struct virtqueue *),
						 const char *name, bool indirect, bool event);
	int (*vring_interrupt)(struct virtqueue *vq);
	struct p9_client *(*client_create)(struct p9_trans_module *trans, unsigned int msize,
					   int *err);
	void (*client_destroy)(struct p9_client *clnt);
	struct p9_fid *(*client_attach)(struct p9_client *clnt, const char *uname,
					const char *aname, int *err);
	struct p9_fid *(*client_walk)(struct p9_fid *oldfid, const char *name, int *err);
	int (*client_open)(struct p9_fid *fid, int mode);
	int (*client_clunk)(struct p9_fid *fid);
	int (*client_read)(struct p9_fid *fid, char *data, char *udata, u64 offset, u32 count);
	int (*client_write)(struct p9_fid *fid, char *data, const char *udata, u64 offset,
			    u32 count);
	int (*client_readdir)(struct p9_fid *fid, char *data, u32 count, u64 offset);
	struct p9_req_t *(*tag_lookup)(struct p9_client *c, u16 tag);
};

/**
 * struct rs_dut_blk_ops - a Xen PV block frontend and the guest block layer above it
 * @abi_version: RS_DUT_ABI_VERSION of the headers the DUT was built against
 * @name: the variant's name ("seed")
 * @description: one line, for `ringsim dut list`
 *
 * The rest are the functions of the same names in xen-blkfront.h, guest/linux/blkdev.h and
 * the guest's grant allocator (guest/grant-table.c: gnttab_init, gnttab_free_count_now).
 */
struct rs_dut_blk_ops {
	unsigned int abi_version;
	const char *name;
	const char *description;
	int (*gnttab_init)(unsigned int max_frames);
	unsigned int (*gnttab_free_count_now)(void);
	int (*probe_and_connect)(const struct blkfront_config *cfg, struct gendisk **disk);
	const int *(*ring_refs)(unsigned int *nr);
	unsigned int (*ring_size)(void);
	unsigned int (*persistent_gnts)(void);
	unsigned int (*pool_pages)(unsigned int *granted);
	unsigned int (*pool_pfns)(unsigned long *pfns, unsigned int max);
	int (*submit_io)(struct request_queue *q, int write, sector_t sector, struct page **pages,
			 unsigned int nr_pages, unsigned int offset, unsigned int bytes,
			 unsigned int *nr_requests);
	int (*writeback_pages)(struct request_queue *q, const sector_t *sectors,
			       struct page **pages, unsigned int nr_pages,
			       unsigned int *nr_requests);
	int (*issue_flush)(struct request_queue *q);
};

/* The tables of this DUT: the built-in seed's, or a loaded object's own. */
extern const struct rs_dut_9p_ops rs_dut_9p_ops;
extern const struct rs_dut_blk_ops rs_dut_blk_ops;

#ifdef __cplusplus
}
#endif

#endif
