// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Xen PV block frontend's request path as it stands after "block/xen-blkfront: Make it
 * running on 64KB page granularity" (c004a6fe0c40, Linux 4.4), written for ringsim to be
 * read beside the seed patch: same functions, names, control flow, limits and BUG_ONs.
 * Where the patch is wrong, this is wrong the same way.
 *
 * Left out: xenbus state handling, resume/migration, discard, the gendisk and its minor
 * numbers, and split_bio (used only on resume). Flush and barrier are in: blkfront_connect's
 * feature_flush, xlvbd_flush, the operation switch in blkif_queue_rw_req, and the
 * completion of FLUSH_DISKCACHE / WRITE_BARRIER in blkif_interrupt.
 */
#include <string.h>

#include <linux/blkdev.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <xen/grant_table.h>
#include <xen/interface/io/blkif.h>
#include <xen/events.h>
#include <xen/page.h>

#include "xen-blkfront.h"

enum blkif_state {
	BLKIF_STATE_DISCONNECTED,
	BLKIF_STATE_CONNECTED,
	BLKIF_STATE_SUSPENDED,
};

struct grant {
	grant_ref_t gref;
	struct page *page;
	struct list_head node;
};

struct blk_shadow {
	struct blkif_request req;
	struct request *request;
	struct grant **grants_used;
	struct grant **indirect_grants;
	struct scatterlist *sg;
	unsigned int num_sg;
};

/* xenbus: XENBUS_MAX_RING_PAGES is 1 << XENBUS_MAX_RING_PAGE_ORDER (4). */
#define XENBUS_MAX_RING_PAGES 16

#define BLK_RING_SIZE(info)	\
	__CONST_RING_SIZE(blkif, XEN_PAGE_SIZE * (info)->nr_ring_pages)

#define BLK_MAX_RING_SIZE	\
	__CONST_RING_SIZE(blkif, XEN_PAGE_SIZE * XENBUS_MAX_RING_PAGES)

/*
 * We have one of these per vbd, whether ide, scsi or 'other'.  They
 * hang in private_data off the gendisk structure. We may end up
 * putting all kinds of interesting stuff here :-)
 */
struct blkfront_info {
	spinlock_t io_lock;
	struct gendisk gd;
	blkif_vdev_t handle;
	enum blkif_state connected;
	int ring_ref[XENBUS_MAX_RING_PAGES];
	unsigned int nr_ring_pages;
	struct blkif_front_ring ring;
	unsigned int evtchn, irq;
	struct request_queue *rq;
	struct work_struct work;
	struct gnttab_free_callback callback;
	struct blk_shadow shadow[BLK_MAX_RING_SIZE];
	struct list_head grants;
	/* ringsim: struct page has no lru here; the spare indirect pages are a stack */
	struct page **indirect_pages;
	unsigned int nr_indirect_pages;
	unsigned int persistent_gnts_c;
	unsigned long shadow_free;
	unsigned int feature_flush;
	unsigned int feature_persistent:1;
	/* Number of 4KB segments handled */
	unsigned int max_indirect_segments;
	int is_ready;
	struct blk_mq_tag_set tag_set;
	domid_t otherend_id;
};

#define DEV_NAME	"xvd"	/* name in /dev */

/*
 * Grants are always the same size as a Xen page (i.e 4KB).
 * A physical segment is always the same size as a Linux page.
 * Number of grants per physical segment
 */
#define GRANTS_PER_PSEG	(PAGE_SIZE / XEN_PAGE_SIZE)

#define GRANTS_PER_INDIRECT_FRAME \
	(XEN_PAGE_SIZE / sizeof(struct blkif_request_segment))

#define PSEGS_PER_INDIRECT_FRAME	\
	(GRANTS_INDIRECT_FRAME / GRANTS_PSEGS)

#define INDIRECT_GREFS(_grants)		\
	DIV_ROUND_UP(_grants, GRANTS_PER_INDIRECT_FRAME)

#define GREFS(_psegs)	((_psegs) * GRANTS_PER_PSEG)

static struct blkfront_info *the_info; /* ringsim models one vbd */

static int get_id_from_freelist(struct blkfront_info *info)
{
	unsigned long free = info->shadow_free;

	BUG_ON(free >= BLK_RING_SIZE(info));
	info->shadow_free = info->shadow[free].req.u.rw.id;
	info->shadow[free].req.u.rw.id = 0x0fffffee; /* debug */
	return free;
}

static int add_id_to_freelist(struct blkfront_info *info, unsigned long id)
{
	if (info->shadow[id].req.u.rw.id != id)
		return -EINVAL;
	if (info->shadow[id].request == NULL)
		return -EINVAL;
	info->shadow[id].req.u.rw.id = info->shadow_free;
	info->shadow[id].request = NULL;
	info->shadow_free = id;
	return 0;
}

static int fill_grant_buffer(struct blkfront_info *info, int num)
{
	struct page *granted_page;
	struct grant *gnt_list_entry;
	int i = 0;

	while (i < num) {
		gnt_list_entry = kmalloc(sizeof(struct grant), GFP_NOIO);
		if (!gnt_list_entry)
			return -ENOMEM;
		memset(gnt_list_entry, 0, sizeof(*gnt_list_entry));

		if (info->feature_persistent) {
			granted_page = alloc_page(GFP_NOIO);
			if (!granted_page) {
				kfree(gnt_list_entry);
				return -ENOMEM;
			}
			gnt_list_entry->page = granted_page;
		}

		gnt_list_entry->gref = GRANT_INVALID_REF;
		list_add(&gnt_list_entry->node, &info->grants);
		i++;
	}

	return 0;
}

static struct grant *get_free_grant(struct blkfront_info *info)
{
	struct grant *gnt_list_entry;

	BUG_ON(list_empty(&info->grants));
	gnt_list_entry = list_first_entry(&info->grants, struct grant, node);
	list_del(&gnt_list_entry->node);

	if (gnt_list_entry->gref != GRANT_INVALID_REF)
		info->persistent_gnts_c--;

	return gnt_list_entry;
}

static inline void grant_foreign_access(const struct grant *gnt_list_entry,
					const struct blkfront_info *info)
{
	gnttab_grant_foreign_access_ref(gnt_list_entry->gref, info->otherend_id,
					xen_page_to_gfn(gnt_list_entry->page), 0);
}

static struct grant *get_grant(grant_ref_t *gref_head, unsigned long gfn,
			       struct blkfront_info *info)
{
	struct grant *gnt_list_entry = get_free_grant(info);

	if (gnt_list_entry->gref != GRANT_INVALID_REF)
		return gnt_list_entry;

	/* Assign a gref to this page */
	gnt_list_entry->gref = gnttab_claim_grant_reference(gref_head);
	BUG_ON(gnt_list_entry->gref == -ENOSPC);
	if (info->feature_persistent)
		grant_foreign_access(gnt_list_entry, info);
	else {
		/* Grant access to the GFN passed by the caller */
		gnttab_grant_foreign_access_ref(gnt_list_entry->gref, info->otherend_id, gfn, 0);
	}

	return gnt_list_entry;
}

static struct grant *get_indirect_grant(grant_ref_t *gref_head,
					struct blkfront_info *info)
{
	struct grant *gnt_list_entry = get_free_grant(info);

	if (gnt_list_entry->gref != GRANT_INVALID_REF)
		return gnt_list_entry;

	/* Assign a gref to this page */
	gnt_list_entry->gref = gnttab_claim_grant_reference(gref_head);
	BUG_ON(gnt_list_entry->gref == -ENOSPC);
	if (!info->feature_persistent) {
		struct page *indirect_page;

		/* Fetch a pre-allocated page to use for indirect grefs */
		BUG_ON(!info->nr_indirect_pages);
		indirect_page = info->indirect_pages[--info->nr_indirect_pages];
		gnt_list_entry->page = indirect_page;
	}
	grant_foreign_access(gnt_list_entry, info);

	return gnt_list_entry;
}

static void blkif_restart_queue_callback(void *arg)
{
	struct blkfront_info *info = (struct blkfront_info *)arg;

	schedule_work(&info->work);
}

struct setup_rw_req {
	unsigned int grant_idx;
	struct blkif_request_segment *segments;
	struct blkfront_info *info;
	struct blkif_request *ring_req;
	grant_ref_t gref_head;
	unsigned int id;
	/* Only used when persistent grant is used and it's a read request */
	bool need_copy;
	unsigned int bvec_off;
	char *bvec_data;
};

static void blkif_setup_rw_req_grant(unsigned long gfn, unsigned int offset,
				     unsigned int len, void *data)
{
	struct setup_rw_req *setup = data;
	int n, ref;
	struct grant *gnt_list_entry;
	unsigned int fsect, lsect;
	/* Convenient aliases */
	unsigned int grant_idx = setup->grant_idx;
	struct blkif_request *ring_req = setup->ring_req;
	struct blkfront_info *info = setup->info;
	struct blk_shadow *shadow = &info->shadow[setup->id];

	if ((ring_req->operation == BLKIF_OP_INDIRECT) &&
	    (grant_idx % GRANTS_PER_INDIRECT_FRAME == 0)) {
		if (setup->segments)
			kunmap_atomic(setup->segments);

		n = grant_idx / GRANTS_PER_INDIRECT_FRAME;
		gnt_list_entry = get_indirect_grant(&setup->gref_head, info);
		shadow->indirect_grants[n] = gnt_list_entry;
		setup->segments = kmap_atomic(gnt_list_entry->page);
		ring_req->u.indirect.indirect_grefs[n] = gnt_list_entry->gref;
	}

	gnt_list_entry = get_grant(&setup->gref_head, gfn, info);
	ref = gnt_list_entry->gref;
	shadow->grants_used[grant_idx] = gnt_list_entry;

	if (setup->need_copy) {
		void *shared_data;

		shared_data = kmap_atomic(gnt_list_entry->page);
		/*
		 * this does not wipe data stored outside the
		 * range sg->offset..sg->offset+sg->length.
		 * Therefore, blkback *could* see data from
		 * previous requests. This is OK as long as
		 * persistent grants are shared with just one
		 * domain. It may need refactoring if this
		 * changes
		 */
		memcpy((char *)shared_data + offset,
		       setup->bvec_data + setup->bvec_off,
		       len);
		kshim_charge(KSHIM_COST_MEMCPY_PER_KIB, (len + 1023) / 1024);
		kshim_blkif_copied(len);

		kunmap_atomic(shared_data);
		setup->bvec_off += len;
	}

	fsect = offset >> 9;
	lsect = fsect + (len >> 9) - 1;
	if (ring_req->operation != BLKIF_OP_INDIRECT) {
		ring_req->u.rw.seg[grant_idx] =
			(struct blkif_request_segment) {
				.gref       = ref,
				.first_sect = fsect,
				.last_sect  = lsect };
	} else {
		setup->segments[grant_idx % GRANTS_PER_INDIRECT_FRAME] =
			(struct blkif_request_segment) {
				.gref       = ref,
				.first_sect = fsect,
				.last_sect  = lsect };
	}

	(setup->grant_idx)++;
}

static int blkif_queue_rw_req(struct request *req)
{
	struct blkfront_info *info = req->rq_disk->private_data;
	struct blkif_request *ring_req;
	unsigned long id;
	int i;
	struct setup_rw_req setup = {
		.grant_idx = 0,
		.segments = NULL,
		.info = info,
		.need_copy = rq_data_dir(req) && info->feature_persistent,
	};

	/*
	 * Used to store if we are able to queue the request by just using
	 * existing persistent grants, or if we have to get new grants,
	 * as there are not sufficiently many free.
	 */
	bool new_persistent_gnts;
	struct scatterlist *sg;
	int num_sg, max_grefs, num_grant;

	max_grefs = req->nr_phys_segments * GRANTS_PER_PSEG;
	if (max_grefs > BLKIF_MAX_SEGMENTS_PER_REQUEST)
		/*
		 * If we are using indirect segments we need to account
		 * for the indirect grefs used in the request.
		 */
		max_grefs += INDIRECT_GREFS(max_grefs);

	/* Check if we have enough grants to allocate a requests */
	if (info->persistent_gnts_c < max_grefs) {
		new_persistent_gnts = 1;
		if (gnttab_alloc_grant_references(
		    max_grefs - info->persistent_gnts_c,
		    &setup.gref_head) < 0) {
			gnttab_request_free_callback(
				&info->callback,
				blkif_restart_queue_callback,
				info,
				max_grefs);
			kshim_blkif_grants_exhausted();
			return 1;
		}
	} else
		new_persistent_gnts = 0;

	/* Fill out a communications ring structure. */
	ring_req = RING_GET_REQUEST(&info->ring, info->ring.req_prod_pvt);
	id = get_id_from_freelist(info);
	info->shadow[id].request = req;

	BUG_ON(info->max_indirect_segments == 0 &&
	       GREFS(req->nr_phys_segments) > BLKIF_MAX_SEGMENTS_PER_REQUEST);
	BUG_ON(info->max_indirect_segments &&
	       GREFS(req->nr_phys_segments) > info->max_indirect_segments);

	num_sg = blk_rq_map_sg(req->q, req, info->shadow[id].sg);
	num_grant = 0;
	/* Calculate the number of grant used */
	for_each_sg(info->shadow[id].sg, sg, num_sg, i)
	       num_grant += gnttab_count_grant(sg->offset, sg->length);

	ring_req->u.rw.id = id;
	info->shadow[id].num_sg = num_sg;
	if (num_grant > BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		/*
		 * The indirect operation can only be a BLKIF_OP_READ or
		 * BLKIF_OP_WRITE
		 */
		ring_req->operation = BLKIF_OP_INDIRECT;
		ring_req->u.indirect.indirect_op = rq_data_dir(req) ?
			BLKIF_OP_WRITE : BLKIF_OP_READ;
		ring_req->u.indirect.sector_number = (blkif_sector_t)blk_rq_pos(req);
		ring_req->u.indirect.handle = info->handle;
		ring_req->u.indirect.nr_segments = num_grant;
	} else {
		ring_req->u.rw.sector_number = (blkif_sector_t)blk_rq_pos(req);
		ring_req->u.rw.handle = info->handle;
		ring_req->operation = rq_data_dir(req) ?
			BLKIF_OP_WRITE : BLKIF_OP_READ;
		if (req->cmd_flags & (REQ_FLUSH | REQ_FUA)) {
			/*
			 * An unordered flush-to-disk where the backend offers one; a
			 * backend with barriers only gets a barrier, which is a superset
			 * of FUA (a FLUSH+FUA ordered against earlier writes).
			 */
			switch (info->feature_flush &
				((REQ_FLUSH|REQ_FUA))) {
			case REQ_FLUSH|REQ_FUA:
				ring_req->operation =
					BLKIF_OP_WRITE_BARRIER;
				break;
			case REQ_FLUSH:
				ring_req->operation =
					BLKIF_OP_FLUSH_DISKCACHE;
				break;
			default:
				ring_req->operation = 0;
			}
		}
		ring_req->u.rw.nr_segments = num_grant;
	}

	setup.ring_req = ring_req;
	setup.id = id;
	for_each_sg(info->shadow[id].sg, sg, num_sg, i) {
		BUG_ON(sg->offset + sg->length > PAGE_SIZE);

		if (setup.need_copy) {
			setup.bvec_off = sg->offset;
			setup.bvec_data = kmap_atomic(sg_page(sg));
		}

		gnttab_foreach_grant_in_range(sg_page(sg),
					      sg->offset,
					      sg->length,
					      blkif_setup_rw_req_grant,
					      &setup);

		if (setup.need_copy)
			kunmap_atomic(setup.bvec_data);
	}
	if (setup.segments)
		kunmap_atomic(setup.segments);

	info->ring.req_prod_pvt++;

	/* Keep a private copy so we can reissue requests when recovering. */
	info->shadow[id].req = *ring_req;

	if (new_persistent_gnts)
		gnttab_free_grant_references(setup.gref_head);

	kshim_blkif_queued(req, num_sg, num_grant, max_grefs,
			   ring_req->operation == BLKIF_OP_INDIRECT ? INDIRECT_GREFS(num_grant) : 0);
	return 0;
}

/*
 * Generate a Xen blkfront IO request from a blk layer request.  Reads
 * and writes are handled as expected.
 *
 * @req: a request struct
 */
static int blkif_queue_request(struct request *req)
{
	struct blkfront_info *info = req->rq_disk->private_data;

	if (info->connected != BLKIF_STATE_CONNECTED)
		return 1;

	return blkif_queue_rw_req(req);
}

static inline void flush_requests(struct blkfront_info *info)
{
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&info->ring, notify);

	if (notify)
		notify_remote_via_irq(info->irq);
}

static int blkif_queue_rq(struct blk_mq_hw_ctx *hctx,
			  const struct blk_mq_queue_data *qd)
{
	struct blkfront_info *info = qd->rq->rq_disk->private_data;
	unsigned long flags;

	blk_mq_start_request(qd->rq);
	spin_lock_irqsave(&info->io_lock, flags);
	if (RING_FULL(&info->ring))
		goto out_busy;

	if (blkif_queue_request(qd->rq))
		goto out_busy;

	flush_requests(info);
	spin_unlock_irqrestore(&info->io_lock, flags);
	kshim_blkif_ring_changed(RING_SIZE(&info->ring) - RING_FREE_REQUESTS(&info->ring));
	return BLK_MQ_RQ_QUEUE_OK;

out_busy:
	spin_unlock_irqrestore(&info->io_lock, flags);
	if (RING_FULL(&info->ring))
		kshim_blkif_ring_full();
	blk_mq_stop_hw_queue(hctx);
	return BLK_MQ_RQ_QUEUE_BUSY;
}

static struct blk_mq_ops blkfront_mq_ops = {
	.queue_rq = blkif_queue_rq,
};

static int xlvbd_init_blk_queue(struct gendisk *gd, u16 sector_size,
				unsigned int physical_sector_size,
				unsigned int segments)
{
	struct request_queue *rq;
	struct blkfront_info *info = gd->private_data;

	memset(&info->tag_set, 0, sizeof(info->tag_set));
	info->tag_set.ops = &blkfront_mq_ops;
	info->tag_set.nr_hw_queues = 1;
	info->tag_set.queue_depth = BLK_RING_SIZE(info);
	info->tag_set.driver_data = info;

	rq = blk_mq_init_queue(&info->tag_set);
	if (!rq)
		return -1;
	rq->queuedata = gd;

	/* Hard sector size and max sectors impersonate the equiv. hardware. */
	blk_queue_logical_block_size(rq, sector_size);
	blk_queue_physical_block_size(rq, physical_sector_size);
	blk_queue_max_hw_sectors(rq, (segments * XEN_PAGE_SIZE) / 512);

	/* Each segment in a request is up to an aligned page in size. */
	blk_queue_segment_boundary(rq, PAGE_SIZE - 1);
	blk_queue_max_segment_size(rq, PAGE_SIZE);

	/* Ensure a merged request will fit in a single I/O ring slot. */
	blk_queue_max_segments(rq, segments / GRANTS_PER_PSEG);

	/* Make sure buffer addresses are sector-aligned. */
	blk_queue_dma_alignment(rq, 511);

	gd->queue = rq;

	return 0;
}

/* xlvbd_flush: tell the block layer which flushes the device takes. */
static void xlvbd_flush(struct blkfront_info *info)
{
	blk_queue_flush(info->rq, info->feature_flush);
}

static void kick_pending_request_queues(struct blkfront_info *info)
{
	if (!RING_FULL(&info->ring))
		blk_mq_start_stopped_hw_queues(info->rq, true);
}

static void blkif_restart_queue(struct work_struct *work)
{
	struct blkfront_info *info = container_of(work, struct blkfront_info, work);
	unsigned long flags;

	spin_lock_irqsave(&info->io_lock, flags);
	if (info->connected == BLKIF_STATE_CONNECTED) {
		spin_unlock_irqrestore(&info->io_lock, flags);
		kick_pending_request_queues(info);
		return;
	}
	spin_unlock_irqrestore(&info->io_lock, flags);
}

struct copy_from_grant {
	const struct blk_shadow *s;
	unsigned int grant_idx;
	unsigned int bvec_offset;
	char *bvec_data;
};

static void blkif_copy_from_grant(unsigned long gfn, unsigned int offset,
				  unsigned int len, void *data)
{
	struct copy_from_grant *info = data;
	char *shared_data;
	/* Convenient aliases */
	const struct blk_shadow *s = info->s;

	(void)gfn;
	shared_data = kmap_atomic(s->grants_used[info->grant_idx]->page);

	memcpy(info->bvec_data + info->bvec_offset,
	       shared_data + offset, len);
	kshim_charge(KSHIM_COST_MEMCPY_PER_KIB, (len + 1023) / 1024);
	kshim_blkif_copied(len);

	info->bvec_offset += len;
	info->grant_idx++;

	kunmap_atomic(shared_data);
}

static void blkif_completion(struct blk_shadow *s, struct blkfront_info *info,
			     struct blkif_response *bret)
{
	int i = 0;
	struct scatterlist *sg;
	int num_sg, num_grant;
	struct copy_from_grant data = {
		.s = s,
		.grant_idx = 0,
	};

	num_grant = s->req.operation == BLKIF_OP_INDIRECT ?
		s->req.u.indirect.nr_segments : s->req.u.rw.nr_segments;
	num_sg = s->num_sg;

	if (bret->operation == BLKIF_OP_READ && info->feature_persistent) {
		for_each_sg(s->sg, sg, num_sg, i) {
			BUG_ON(sg->offset + sg->length > PAGE_SIZE);

			data.bvec_offset = sg->offset;
			data.bvec_data = kmap_atomic(sg_page(sg));

			gnttab_foreach_grant_in_range(sg_page(sg),
						      sg->offset,
						      sg->length,
						      blkif_copy_from_grant,
						      &data);

			kunmap_atomic(data.bvec_data);
		}
	}
	/* Add the persistent grant into the list of free grants */
	for (i = 0; i < num_grant; i++) {
		if (gnttab_query_foreign_access(s->grants_used[i]->gref)) {
			/*
			 * If the grant is still mapped by the backend (the
			 * backend has chosen to make this grant persistent)
			 * we add it at the head of the list, so it will be
			 * reused first.
			 */
			if (!info->feature_persistent)
				kshim_warn(__FILE__, __LINE__, "backed has not unmapped grant");
			list_add(&s->grants_used[i]->node, &info->grants);
			info->persistent_gnts_c++;
		} else {
			/*
			 * If the grant is not mapped by the backend we end the
			 * foreign access and add it to the tail of the list,
			 * so it will not be picked again unless we run out of
			 * persistent grants.
			 */
			gnttab_end_foreign_access(s->grants_used[i]->gref, 0, 0UL);
			s->grants_used[i]->gref = GRANT_INVALID_REF;
			list_add_tail(&s->grants_used[i]->node, &info->grants);
		}
	}
	if (s->req.operation == BLKIF_OP_INDIRECT) {
		for (i = 0; i < INDIRECT_GREFS(num_grant); i++) {
			if (gnttab_query_foreign_access(s->indirect_grants[i]->gref)) {
				if (!info->feature_persistent)
					kshim_warn(__FILE__, __LINE__,
						   "backed has not unmapped grant");
				list_add(&s->indirect_grants[i]->node, &info->grants);
				info->persistent_gnts_c++;
			} else {
				struct page *indirect_page;

				gnttab_end_foreign_access(s->indirect_grants[i]->gref, 0, 0UL);
				/*
				 * Add the used indirect page back to the list of
				 * available pages for indirect grefs.
				 */
				if (!info->feature_persistent) {
					indirect_page = s->indirect_grants[i]->page;
					info->indirect_pages[info->nr_indirect_pages++] =
						indirect_page;
				}
				s->indirect_grants[i]->gref = GRANT_INVALID_REF;
				list_add_tail(&s->indirect_grants[i]->node, &info->grants);
			}
		}
	}
}

static int blkif_interrupt(int irq, void *dev_id)
{
	struct request *req;
	struct blkif_response *bret;
	RING_IDX i, rp;
	unsigned long flags;
	struct blkfront_info *info = (struct blkfront_info *)dev_id;
	int error;

	(void)irq;
	spin_lock_irqsave(&info->io_lock, flags);

	if (info->connected != BLKIF_STATE_CONNECTED) {
		spin_unlock_irqrestore(&info->io_lock, flags);
		return 1;
	}

 again:
	rp = info->ring.sring->rsp_prod;
	/* rmb(): Ensure we see queued responses up to 'rp'. */

	for (i = info->ring.rsp_cons; i != rp; i++) {
		unsigned long id;

		bret = RING_GET_RESPONSE(&info->ring, i);
		id   = bret->id;
		/*
		 * The backend has messed up and given us an id that we would
		 * never have given to it (we stamp it up to BLK_RING_SIZE -
		 * look in get_id_from_freelist.
		 */
		if (id >= BLK_RING_SIZE(info)) {
			kshim_warn(__FILE__, __LINE__, "response has incorrect id");
			/* We can't safely get the 'struct request' as
			 * the id is busted. */
			continue;
		}
		req  = info->shadow[id].request;

		if (bret->operation != BLKIF_OP_DISCARD)
			blkif_completion(&info->shadow[id], info, bret);

		if (add_id_to_freelist(info, id)) {
			kshim_warn(__FILE__, __LINE__, "response couldn't be recycled");
			continue;
		}

		error = (bret->status == BLKIF_RSP_OKAY) ? 0 : -EIO;
		switch (bret->operation) {
		case BLKIF_OP_WRITE_BARRIER:
		case BLKIF_OP_FLUSH_DISKCACHE:
			if (unlikely(bret->status == BLKIF_RSP_EOPNOTSUPP)) {
				kshim_printk_info(__FILE__, __LINE__,
						  "blkfront: flush op failed (not supported)",
						  bret->operation);
				error = -EOPNOTSUPP;
			}
			if (unlikely(bret->status == BLKIF_RSP_ERROR &&
				     info->shadow[id].req.u.rw.nr_segments == 0)) {
				kshim_printk_info(__FILE__, __LINE__,
						  "blkfront: empty flush op failed",
						  bret->operation);
				error = -EOPNOTSUPP;
			}
			if (unlikely(error)) {
				if (error == -EOPNOTSUPP)
					error = 0;
				info->feature_flush = 0;
				xlvbd_flush(info);
			}
			/* fall through */
		case BLKIF_OP_READ:
		case BLKIF_OP_WRITE:
			blk_mq_end_request(req, error);
			break;
		default:
			BUG_ON(1);
		}
	}

	info->ring.rsp_cons = i;

	if (i != info->ring.req_prod_pvt) {
		int more_to_do;

		RING_FINAL_CHECK_FOR_RESPONSES(&info->ring, more_to_do);
		if (more_to_do)
			goto again;
	} else
		info->ring.sring->rsp_event = i + 1;

	kshim_blkif_ring_changed(RING_SIZE(&info->ring) - RING_FREE_REQUESTS(&info->ring));
	spin_unlock_irqrestore(&info->io_lock, flags);
	kick_pending_request_queues(info);

	return 1;
}

static int setup_blkring(struct blkfront_info *info)
{
	struct blkif_sring *sring;
	int i;
	unsigned long ring_size = info->nr_ring_pages * XEN_PAGE_SIZE;

	for (i = 0; i < info->nr_ring_pages; i++)
		info->ring_ref[i] = GRANT_INVALID_REF;

	sring = kshim_get_free_pages_exact(ring_size);
	if (!sring)
		return -ENOMEM;

	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&info->ring, sring, ring_size);

	/* xenbus_grant_ring(): one grant per 4 KiB of the ring */
	for (i = 0; i < info->nr_ring_pages; i++) {
		int ref = gnttab_grant_foreign_access(info->otherend_id,
				XEN_PFN_DOWN(virt_to_phys((char *)sring + i * XEN_PAGE_SIZE)), 0);
		if (ref < 0)
			return ref;
		info->ring_ref[i] = ref;
	}

	info->irq = kshim_bind_evtchn_to_irqhandler(blkif_interrupt, info);
	return 0;
}

static int blkfront_setup_indirect(struct blkfront_info *info)
{
	unsigned int psegs, grants;
	int err, i;

	if (info->max_indirect_segments == 0)
		grants = BLKIF_MAX_SEGMENTS_PER_REQUEST;
	else
		grants = info->max_indirect_segments;
	psegs = grants / GRANTS_PER_PSEG;

	err = fill_grant_buffer(info,
				(grants + INDIRECT_GREFS(grants)) * BLK_RING_SIZE(info));
	if (err)
		goto out_of_memory;

	if (!info->feature_persistent && info->max_indirect_segments) {
		/*
		 * We are using indirect descriptors but not persistent
		 * grants, we need to allocate a set of pages that can be
		 * used for mapping indirect grefs
		 */
		int num = INDIRECT_GREFS(grants) * BLK_RING_SIZE(info);

		BUG_ON(info->nr_indirect_pages);
		info->indirect_pages = kmalloc(sizeof(struct page *) * num, GFP_NOIO);
		if (!info->indirect_pages)
			goto out_of_memory;
		for (i = 0; i < num; i++) {
			struct page *indirect_page = alloc_page(GFP_NOIO);

			if (!indirect_page)
				goto out_of_memory;
			info->indirect_pages[info->nr_indirect_pages++] = indirect_page;
		}
	}

	for (i = 0; i < BLK_RING_SIZE(info); i++) {
		info->shadow[i].grants_used = kzalloc(
			sizeof(info->shadow[i].grants_used[0]) * grants,
			GFP_NOIO);
		info->shadow[i].sg = kzalloc(sizeof(info->shadow[i].sg[0]) * psegs, GFP_NOIO);
		if (info->max_indirect_segments)
			info->shadow[i].indirect_grants = kzalloc(
				sizeof(info->shadow[i].indirect_grants[0]) *
				INDIRECT_GREFS(grants),
				GFP_NOIO);
		if ((info->shadow[i].grants_used == NULL) ||
			(info->shadow[i].sg == NULL) ||
		     (info->max_indirect_segments &&
		     (info->shadow[i].indirect_grants == NULL)))
			goto out_of_memory;
		sg_init_table(info->shadow[i].sg, psegs);
		/* ringsim: a write past this psegs-entry array is caught */
		kshim_sg_register(info->shadow[i].sg, psegs, "shadow[id].sg");
	}

	return 0;

out_of_memory:
	return -ENOMEM;
}

int blkfront_probe_and_connect(const struct blkfront_config *cfg, struct gendisk **disk)
{
	struct blkfront_info *info;
	int err, i;
	unsigned int segments;

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	spin_lock_init(&info->io_lock);
	INIT_LIST_HEAD(&info->grants);
	INIT_WORK(&info->work, blkif_restart_queue);
	info->nr_ring_pages = cfg->nr_ring_pages;
	info->otherend_id = cfg->backend_domid;
	info->handle = 0;

	err = setup_blkring(info);
	if (err)
		return err;

	/* The shadow free list, as blkfront_probe leaves it. */
	for (i = 0; i < BLK_RING_SIZE(info); i++)
		info->shadow[i].req.u.rw.id = i + 1;
	info->shadow[BLK_RING_SIZE(info) - 1].req.u.rw.id = 0x0fffffff;

	/* blkfront_connect(): the backend's features */
	info->feature_flush = 0;
	/* barriers, unless the backend also offers a cache flush, which is preferred */
	if (cfg->feature_barrier)
		info->feature_flush = REQ_FLUSH | REQ_FUA;
	if (cfg->feature_flush_cache)
		info->feature_flush = REQ_FLUSH;
	info->feature_persistent = cfg->feature_persistent;
	/* blkfront_gather_backend_features(): min(backend, xen_blkif_max_segments) */
	info->max_indirect_segments = cfg->backend_max_indirect_segments ?
		min(cfg->backend_max_indirect_segments, cfg->front_max_indirect_segments) : 0;
	err = blkfront_setup_indirect(info);
	if (err)
		return err;

	segments = info->max_indirect_segments ? : BLKIF_MAX_SEGMENTS_PER_REQUEST;
	info->gd.private_data = info;
	err = xlvbd_init_blk_queue(&info->gd, 512, 512, segments);
	if (err)
		return -ENOMEM;
	info->rq = info->gd.queue;
	xlvbd_flush(info);
	info->connected = BLKIF_STATE_CONNECTED;
	info->is_ready = 1;
	the_info = info;
	*disk = &info->gd;
	return 0;
}

const int *blkfront_ring_refs(unsigned int *nr)
{
	*nr = the_info->nr_ring_pages;
	return the_info->ring_ref;
}

unsigned int blkfront_persistent_gnts(void)
{
	return the_info ? the_info->persistent_gnts_c : 0;
}

unsigned int blkfront_ring_size(void)
{
	return the_info ? BLK_RING_SIZE(the_info) : 0;
}

unsigned int blkfront_pool_pfns(unsigned long *pfns, unsigned int max)
{
	struct list_head *pos;
	unsigned int n = 0;

	if (!the_info->feature_persistent)
		return 0;
	for (pos = the_info->grants.next; pos != &the_info->grants; pos = pos->next) {
		struct grant *g = list_entry(pos, struct grant, node);

		if (g->page && n < max)
			pfns[n++] = page_to_pfn(g->page);
	}
	return n;
}

unsigned int blkfront_pool_pages(unsigned int *granted)
{
	struct list_head *pos;
	unsigned int pages = 0;

	*granted = 0;
	/* Without persistent grants the entries own no pages (indirect pages are lent). */
	if (!the_info->feature_persistent)
		return 0;
	for (pos = the_info->grants.next; pos != &the_info->grants; pos = pos->next) {
		struct grant *g = list_entry(pos, struct grant, node);

		if (!g->page)
			continue;
		pages++;
		*granted += g->gref != GRANT_INVALID_REF;
	}
	return pages;
}
