// SPDX-License-Identifier: GPL-2.0-only
/*
 * The block layer under blkfront, as Linux 4.3 behaves for it: queue limits with the
 * minimum clamps of block/blk-settings.c, splitting an I/O into requests by max_sectors and
 * max_segments (blk_queue_split), segments counted and mapped the way blk-merge.c does
 * (merging only physically contiguous pieces within one segment boundary), and blk-mq with
 * one hardware queue: a tag per request, queue_rq, stop on BUSY, restart.
 */
#include <string.h>

#include <linux/blkdev.h>
#include <linux/mm.h>

struct blk_io {
	int pending;
	int error;
	wait_queue_head_t wq;
};

struct blk_mq_hw_ctx {
	struct request_queue *q;
	int stopped;
	struct request **fifo; /* requests waiting for queue_rq, oldest first */
	unsigned int head, count, size;
};

struct blk_mq_tags {
	struct request *rqs;
	unsigned char *busy;
	unsigned int depth;
	wait_queue_head_t wait;
};

static struct blk_mq_tags the_tags; /* one tag set: one disk in ringsim */

void blk_queue_logical_block_size(struct request_queue *q, unsigned short size)
{
	q->limits.logical_block_size = size;
	if (q->limits.physical_block_size < size)
		q->limits.physical_block_size = size;
}

void blk_queue_physical_block_size(struct request_queue *q, unsigned int size)
{
	q->limits.physical_block_size = size;
	if (q->limits.physical_block_size < q->limits.logical_block_size)
		q->limits.physical_block_size = q->limits.logical_block_size;
}

void blk_queue_max_hw_sectors(struct request_queue *q, unsigned int max_hw_sectors)
{
	if ((max_hw_sectors << 9) < PAGE_SIZE) {
		max_hw_sectors = 1 << (PAGE_SHIFT - 9);
		kshim_printk_info(__FILE__, __LINE__, "blk_queue_max_hw_sectors: set to minimum",
				  max_hw_sectors);
	}
	q->limits.max_hw_sectors = max_hw_sectors;
	q->limits.max_sectors = min(max_hw_sectors, (unsigned int)BLK_DEF_MAX_SECTORS);
}

void blk_queue_segment_boundary(struct request_queue *q, unsigned long mask)
{
	if (mask < PAGE_SIZE - 1) {
		mask = PAGE_SIZE - 1;
		kshim_printk_info(__FILE__, __LINE__, "blk_queue_segment_boundary: set to minimum",
				  mask);
	}
	q->limits.seg_boundary_mask = mask;
}

void blk_queue_max_segment_size(struct request_queue *q, unsigned int max_size)
{
	if (max_size < PAGE_SIZE) {
		max_size = PAGE_SIZE;
		kshim_printk_info(__FILE__, __LINE__, "blk_queue_max_segment_size: set to minimum",
				  max_size);
	}
	q->limits.max_segment_size = max_size;
}

void blk_queue_max_segments(struct request_queue *q, unsigned short max_segments)
{
	if (!max_segments) {
		max_segments = 1;
		kshim_printk_info(__FILE__, __LINE__, "blk_queue_max_segments: set to minimum",
				  max_segments);
	}
	q->limits.max_segments = max_segments;
}

void blk_queue_dma_alignment(struct request_queue *q, int mask)
{
	q->dma_alignment = (unsigned int)mask;
}

static phys_addr_t bvec_phys(const struct bio_vec *bv)
{
	return page_to_phys(bv->bv_page) + bv->bv_offset;
}

/* BIOVEC_PHYS_MERGEABLE and BIOVEC_SEG_BOUNDARY: may @bv continue the segment [start, end)? */
static bool bvec_mergeable(const struct request_queue *q, phys_addr_t start, phys_addr_t end,
			   const struct bio_vec *bv)
{
	phys_addr_t next = bvec_phys(bv);
	unsigned long mask = q->limits.seg_boundary_mask;

	return next == end && end - start + bv->bv_len <= q->limits.max_segment_size &&
	       (start | mask) == ((next + bv->bv_len - 1) | mask);
}

int blk_rq_map_sg(struct request_queue *q, struct request *rq, struct scatterlist *sglist)
{
	struct scatterlist *sg = NULL;
	phys_addr_t start = 0, end = 0;
	int nsegs = 0;

	for (unsigned int i = 0; i < rq->nr_bvec; i++) {
		const struct bio_vec *bv = &rq->bvec[i];

		if (sg && bvec_mergeable(q, start, end, bv)) {
			sg->length += bv->bv_len;
		} else {
			sg = sg ? sg + 1 : sglist;
			sg_set_page(sg, bv->bv_page, bv->bv_len, bv->bv_offset);
			start = bvec_phys(bv);
			nsegs++;
		}
		end = bvec_phys(bv) + bv->bv_len;
	}
	return nsegs;
}

static unsigned short count_segments(struct request_queue *q, const struct request *rq)
{
	phys_addr_t start = 0, end = 0;
	unsigned short n = 0;

	for (unsigned int i = 0; i < rq->nr_bvec; i++) {
		if (!n || !bvec_mergeable(q, start, end, &rq->bvec[i])) {
			start = bvec_phys(&rq->bvec[i]);
			n++;
		}
		end = bvec_phys(&rq->bvec[i]) + rq->bvec[i].bv_len;
	}
	return n;
}

struct request_queue *blk_mq_init_queue(struct blk_mq_tag_set *set)
{
	struct request_queue *q = kmalloc(sizeof(*q), GFP_KERNEL);
	struct blk_mq_hw_ctx *hctx = kmalloc(sizeof(*hctx), GFP_KERNEL);

	if (!q || !hctx)
		return NULL;
	memset(q, 0, sizeof(*q));
	memset(hctx, 0, sizeof(*hctx));
	q->tag_set = set;
	q->hctx = hctx;
	q->limits.max_segments = 128;
	q->limits.max_segment_size = 65536;
	q->limits.seg_boundary_mask = 0xffffffff;
	q->limits.max_hw_sectors = q->limits.max_sectors = 255;
	q->limits.logical_block_size = q->limits.physical_block_size = 512;
	hctx->q = q;
	hctx->size = set->queue_depth;
	hctx->fifo = kmalloc(sizeof(struct request *) * set->queue_depth, GFP_KERNEL);
	the_tags.depth = set->queue_depth;
	the_tags.rqs = kmalloc(sizeof(struct request) * set->queue_depth, GFP_KERNEL);
	the_tags.busy = kmalloc(set->queue_depth, GFP_KERNEL);
	if (!hctx->fifo || !the_tags.rqs || !the_tags.busy)
		return NULL;
	memset(the_tags.busy, 0, set->queue_depth);
	init_waitqueue_head(&the_tags.wait);
	return q;
}

/* blk_mq_get_tag: sleeps (uninterruptibly, io_schedule) until a tag is free. */
static struct request *get_request(struct request_queue *q)
{
	for (;;) {
		for (unsigned int t = 0; t < the_tags.depth; t++) {
			if (!the_tags.busy[t]) {
				struct request *rq = &the_tags.rqs[t];

				the_tags.busy[t] = 1;
				memset(rq, 0, sizeof(*rq));
				rq->q = q;
				rq->tag = (int)t;
				return rq;
			}
		}
		kshim_wait_uninterruptible(&the_tags.wait);
	}
}

/*
 * __blk_mq_run_hw_queue: take the next request off the dispatch list, hand it to the
 * driver; on BUSY it goes back to the front. Several threads may run the queue at once
 * (each works on what it took, as each CPU does on its local list).
 */
static void blk_mq_run_hw_queue(struct blk_mq_hw_ctx *hctx)
{
	while (!hctx->stopped && hctx->count) {
		struct request *rq = hctx->fifo[hctx->head];
		struct blk_mq_queue_data bd = { .rq = rq, .last = hctx->count == 1 };
		int ret;

		hctx->head = (hctx->head + 1) % hctx->size;
		hctx->count--;
		ret = hctx->q->tag_set->ops->queue_rq(hctx, &bd);
		if (ret == BLK_MQ_RQ_QUEUE_BUSY) {
			/* back to the front; the driver stopped the queue */
			hctx->head = (hctx->head + hctx->size - 1) % hctx->size;
			hctx->fifo[hctx->head] = rq;
			hctx->count++;
			break;
		}
		if (ret == BLK_MQ_RQ_QUEUE_ERROR)
			blk_mq_end_request(rq, -EIO);
	}
}

void blk_mq_start_request(struct request *rq)
{
	(void)rq;
}

void blk_mq_end_request(struct request *rq, int error)
{
	struct blk_io *io = rq->io;

	if (error)
		io->error = error;
	kfree(rq->bvec);
	the_tags.busy[rq->tag] = 0;
	wake_up(&the_tags.wait);
	if (--io->pending == 0)
		wake_up(&io->wq);
}

void blk_mq_stop_hw_queue(struct blk_mq_hw_ctx *hctx)
{
	hctx->stopped = 1;
}

void blk_mq_start_stopped_hw_queues(struct request_queue *q, bool async)
{
	(void)async; /* run here, in the caller's context */
	if (!q->hctx->stopped)
		return;
	q->hctx->stopped = 0;
	blk_mq_run_hw_queue(q->hctx);
}

static void dispatch(struct request_queue *q, struct request *rq)
{
	struct blk_mq_hw_ctx *hctx = q->hctx;

	hctx->fifo[(hctx->head + hctx->count) % hctx->size] = rq;
	hctx->count++;
	blk_mq_run_hw_queue(hctx);
}

/* Start a request at @sector with room for @max_bvec page vectors. */
static struct request *new_request(struct request_queue *q, struct blk_io *io, int write,
				   sector_t sector, unsigned int max_bvec)
{
	struct request *rq = get_request(q);

	rq->write = write;
	rq->__sector = sector;
	rq->io = io;
	rq->sim_id = kshim_current_request();
	rq->rq_disk = q->queuedata;
	rq->bvec = kmalloc(sizeof(struct bio_vec) * max_bvec, GFP_NOIO);
	io->pending++;
	return rq;
}

int blk_submit_io(struct request_queue *q, int write, sector_t sector, struct page **pages,
		  unsigned int nr_pages, unsigned int offset, unsigned int bytes,
		  unsigned int *nr_requests)
{
	const struct queue_limits *l = &q->limits;
	struct blk_io io = { 0, 0, { NULL, NULL } };
	struct request *rq = NULL;
	unsigned int done = 0;

	init_waitqueue_head(&io.wq);
	io.pending = 1; /* our own reference until everything is dispatched */
	*nr_requests = 0;
	for (unsigned int p = 0; p < nr_pages && done < bytes; p++) {
		unsigned int off = p ? 0 : offset;
		unsigned int len = min((unsigned int)PAGE_SIZE - off, bytes - done);

		while (len) {
			unsigned int room, part;

			if (rq) {
				/* blk_queue_split: would this piece break a limit? */
				struct bio_vec try = { pages[p], len, off };
				room = (l->max_sectors << 9) - rq->__data_len;
				rq->bvec[rq->nr_bvec] = try;
				rq->nr_bvec++;
				bool too_many = count_segments(q, rq) > l->max_segments;
				rq->nr_bvec--;
				if (!room || too_many) {
					rq->nr_phys_segments = count_segments(q, rq);
					dispatch(q, rq);
					rq = NULL;
				}
			}
			if (!rq) {
				rq = new_request(q, &io, write, sector + (done >> 9),
						 nr_pages - p);
				(*nr_requests)++;
				if (!rq->bvec) {
					io.error = -ENOMEM;
					break;
				}
			}
			room = (l->max_sectors << 9) - rq->__data_len;
			part = min(len, room);
			rq->bvec[rq->nr_bvec].bv_page = pages[p];
			rq->bvec[rq->nr_bvec].bv_offset = off;
			rq->bvec[rq->nr_bvec].bv_len = part;
			rq->nr_bvec++;
			rq->__data_len += part;
			off += part;
			len -= part;
			done += part;
		}
	}
	if (rq) {
		rq->nr_phys_segments = count_segments(q, rq);
		dispatch(q, rq);
	}
	if (--io.pending)
		while (io.pending)
			kshim_wait_uninterruptible(&io.wq);
	return io.error ? -EIO : 0;
}
