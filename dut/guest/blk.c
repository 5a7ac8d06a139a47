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
#include <linux/list.h>
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
	unsigned int wait_index;      /* the wait queue its next sleeper takes (bt_wait_ptr) */
	struct work_struct run_work;  /* kblockd's run of the queue (blk_mq_run_work_fn) */
};

/* blk-mq-tag.h of 4.x */
enum {
	BT_WAIT_QUEUES = 8,
	BT_WAIT_BATCH = 8,
};

struct bt_wait_state {
	int wait_cnt;          /* frees left before this queue's sleepers are woken */
	unsigned int waiters;  /* sleepers on it now (waitqueue_active) */
	wait_queue_head_t wait;
};

struct blk_mq_tags {
	struct request *rqs;
	unsigned char *busy;   /* the tag bitmap, a byte per tag */
	unsigned int depth;
	unsigned int wake_cnt; /* the wake batch */
	unsigned int wake_index;
	unsigned int last_tag; /* the software context's tag cache (one vCPU's ctx) */
	struct bt_wait_state bs[BT_WAIT_QUEUES];
};

static struct blk_mq_tags the_tags; /* one tag set: one disk in ringsim */

/* blk-flush.c's flush queue (see blkdev_issue_flush below) */
struct blk_flush_queue {
	struct request flush_rq;
	struct request *pending, **pending_tail; /* waiting for the next flush */
	struct request *running;                 /* served by flush_rq */
	bool in_flight;
	struct request_queue *q;
	struct work_struct requeue_work;
};

static struct blk_flush_queue the_fq;

static void bt_update_count(struct blk_mq_tags *bt, unsigned int depth);
static void blk_mq_run_work_fn(struct work_struct *work);

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

/* blk_queue_flush: FUA only together with FLUSH. */
void blk_queue_flush(struct request_queue *q, unsigned int flush)
{
	if ((flush & REQ_FUA) && !(flush & REQ_FLUSH))
		flush &= ~REQ_FUA;
	q->flush_flags = flush & (REQ_FLUSH | REQ_FUA);
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

/*
 * The physical segments of a request being built, kept page by page as
 * ll_new_hw_segment() does, so that asking whether one more page fits costs one
 * comparison, not a recount of the whole request.
 */
struct seg_count {
	unsigned short n;
	phys_addr_t start, end;
};

static unsigned short segs_with(const struct request_queue *q, const struct seg_count *c,
				const struct bio_vec *bv)
{
	return c->n && bvec_mergeable(q, c->start, c->end, bv) ? c->n : c->n + 1;
}

static void segs_add(const struct request_queue *q, struct seg_count *c,
		     const struct bio_vec *bv)
{
	if (!c->n || !bvec_mergeable(q, c->start, c->end, bv)) {
		c->start = bvec_phys(bv);
		c->n++;
	}
	c->end = bvec_phys(bv) + bv->bv_len;
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
	INIT_WORK(&hctx->run_work, blk_mq_run_work_fn);
	bt_update_count(&the_tags, set->queue_depth);
	return q;
}

/* bt_update_count: the wake batch, small enough that every queue's batch can be met. */
static void bt_update_count(struct blk_mq_tags *bt, unsigned int depth)
{
	bt->depth = depth;
	bt->wake_cnt = BT_WAIT_BATCH;
	if (bt->wake_cnt > depth / BT_WAIT_QUEUES)
		bt->wake_cnt = max(1u, depth / BT_WAIT_QUEUES);
	bt->wake_index = 0;
	bt->last_tag = 0;
	for (unsigned int i = 0; i < BT_WAIT_QUEUES; i++) {
		bt->bs[i].wait_cnt = (int)bt->wake_cnt;
		bt->bs[i].waiters = 0;
		/* one name for all eight: the stall probe watches them as one */
		kshim_init_waitqueue_head(&bt->bs[i].wait, "&the_tags.wait");
	}
}

/*
 * __bt_get: the first free tag from the context's cached last tag on, wrapping once.
 * The cache moves past the tag only when the cached tag itself was taken, and is reset
 * when none was free.
 */
static int __bt_get(struct blk_mq_tags *bt)
{
	unsigned int start = bt->last_tag;

	for (unsigned int i = 0; i < bt->depth; i++) {
		unsigned int tag = (start + i) % bt->depth;

		if (bt->busy[tag])
			continue;
		bt->busy[tag] = 1;
		if (tag == start)
			bt->last_tag = tag + 1 >= bt->depth ? 0 : tag + 1;
		return (int)tag;
	}
	bt->last_tag = 0;
	return -1;
}

/* bt_wait_ptr: sleepers of one hardware queue spread over the wait queues in turn. */
static struct bt_wait_state *bt_wait_ptr(struct blk_mq_tags *bt, struct blk_mq_hw_ctx *hctx)
{
	struct bt_wait_state *bs = &bt->bs[hctx->wait_index];

	hctx->wait_index = (hctx->wait_index + 1) % BT_WAIT_QUEUES;
	return bs;
}

/* bt_wake_ptr: the first wait queue with sleepers, from wake_index on. */
static struct bt_wait_state *bt_wake_ptr(struct blk_mq_tags *bt)
{
	unsigned int idx = bt->wake_index;

	for (unsigned int i = 0; i < BT_WAIT_QUEUES; i++) {
		if (bt->bs[idx].waiters) {
			bt->wake_index = idx;
			return &bt->bs[idx];
		}
		idx = (idx + 1) % BT_WAIT_QUEUES;
	}
	return NULL;
}

/*
 * bt_clear_tag: free @tag. Every wake_cnt-th free while a queue has sleepers wakes all of
 * that queue's sleepers (they wait non-exclusively) and moves the wake index to the next
 * queue, so the queues are served one after another.
 */
static void bt_clear_tag(struct blk_mq_tags *bt, unsigned int tag)
{
	struct bt_wait_state *bs;

	bt->busy[tag] = 0;
	bs = bt_wake_ptr(bt);
	if (!bs)
		return;
	if (--bs->wait_cnt > 0)
		return;
	bs->wait_cnt = (int)bt->wake_cnt;
	bt->wake_index = (bt->wake_index + 1) % BT_WAIT_QUEUES;
	bs->waiters = 0; /* autoremove_wake_function takes them off the queue */
	wake_up(&bs->wait);
}

/*
 * bt_get: a tag, sleeping (TASK_UNINTERRUPTIBLE, io_schedule) until one is free. Each pass
 * queues on the next wait queue of the hardware queue before re-checking, as
 * prepare_to_wait does. blk-mq kicks the hardware queue before it sleeps; ringsim's
 * dispatch has run it already, so nothing is pending there to kick.
 */
static int bt_get(struct blk_mq_tags *bt, struct blk_mq_hw_ctx *hctx, u64 *since,
		  unsigned int *sleeps)
{
	int tag = __bt_get(bt);

	*sleeps = 0;
	while (tag < 0) {
		struct bt_wait_state *bs = bt_wait_ptr(bt, hctx);

		bs->waiters++;
		tag = __bt_get(bt);
		if (tag >= 0) {
			bs->waiters--; /* finish_wait */
			break;
		}
		if (!*sleeps)
			*since = local_clock();
		(*sleeps)++;
		kshim_wait_uninterruptible(&bs->wait);
		tag = __bt_get(bt);
	}
	return tag;
}

/* blk_mq_get_request: a request with a tag; reports a wait once per request that waited. */
static struct request *get_request(struct request_queue *q)
{
	u64 since = 0;
	unsigned int sleeps;
	int tag = bt_get(&the_tags, q->hctx, &since, &sleeps);
	struct request *rq = &the_tags.rqs[tag];

	if (sleeps)
		kshim_blk_tag_waited(since, sleeps);
	memset(rq, 0, sizeof(*rq));
	rq->q = q;
	rq->tag = tag;
	return rq;
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

static void flush_end_io(struct blk_flush_queue *fq, int error);

void blk_mq_end_request(struct request *rq, int error)
{
	struct blk_io *io = rq->io;

	if (rq == &the_fq.flush_rq) {
		flush_end_io(&the_fq, error);
		return;
	}
	if (error)
		io->error = error;
	kfree(rq->bvec);
	bt_clear_tag(&the_tags, (unsigned int)rq->tag);
	if (--io->pending == 0)
		wake_up(&io->wq);
}

void blk_mq_stop_hw_queue(struct blk_mq_hw_ctx *hctx)
{
	hctx->stopped = 1;
}

/* blk_mq_run_work_fn: kblockd's run of a hardware queue. */
static void blk_mq_run_work_fn(struct work_struct *work)
{
	struct blk_mq_hw_ctx *hctx = container_of(work, struct blk_mq_hw_ctx, run_work);

	blk_mq_run_hw_queue(hctx);
}

/*
 * blk_mq_start_stopped_hw_queues: clear the stopped state and run the queue, from kblockd
 * when @async (kblockd_schedule_delayed_work_on with no delay: the worker thread runs it
 * later and pays its own context switch), else here.
 */
void blk_mq_start_stopped_hw_queues(struct request_queue *q, bool async)
{
	if (!q->hctx->stopped)
		return;
	q->hctx->stopped = 0;
	if (async)
		schedule_work(&q->hctx->run_work);
	else
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
	struct seg_count segs = { 0, 0, 0 };
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
				bool too_many = segs_with(q, &segs, &try) > l->max_segments;
				if (!room || too_many) {
					rq->nr_phys_segments = count_segments(q, rq);
					dispatch(q, rq);
					rq = NULL;
				}
			}
			if (!rq) {
				rq = new_request(q, &io, write, sector + (done >> 9),
						 nr_pages - p);
				segs.n = 0;
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
			segs_add(q, &segs, &rq->bvec[rq->nr_bvec]);
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

/*
 * blk_start_plug .. blk_finish_plug, for ringsim's write-back: each page is a bio; a bio
 * that continues the last plugged request (blk_attempt_plug_merge, back merge) joins it
 * while the request stays within max_sectors and max_segments (ll_back_merge_fn: a bio
 * physically contiguous with the request's last segment adds no segment). Otherwise it
 * becomes a new request with its own tag; at BLK_MAX_REQUEST_COUNT plugged requests, or
 * when no tag is free (the task would sleep, and sleeping flushes its plug), the plug is
 * flushed to the hardware queue first.
 */
#define BLK_MAX_REQUEST_COUNT 16

struct blk_plug {
	struct request *rq[BLK_MAX_REQUEST_COUNT];
	unsigned int count;
};

static void blk_flush_plug_list(struct request_queue *q, struct blk_plug *plug)
{
	for (unsigned int i = 0; i < plug->count; i++) {
		plug->rq[i]->nr_phys_segments = count_segments(q, plug->rq[i]);
		dispatch(q, plug->rq[i]);
	}
	plug->count = 0;
}

static bool bt_has_free_tags(const struct blk_mq_tags *bt)
{
	for (unsigned int t = 0; t < bt->depth; t++)
		if (!bt->busy[t])
			return true;
	return false;
}

/* blk_attempt_plug_merge with ll_back_merge_fn's limits. */
static bool plug_back_merge(struct request_queue *q, struct blk_plug *plug, int write,
			    sector_t sector, const struct bio_vec *bv)
{
	struct request *rq = plug->count ? plug->rq[plug->count - 1] : NULL;

	if (!rq || rq->write != write || blk_rq_pos(rq) + (blk_rq_bytes(rq) >> 9) != sector)
		return false;
	if ((blk_rq_bytes(rq) + bv->bv_len) >> 9 > q->limits.max_sectors ||
	    rq->nr_bvec == rq->max_bvec)
		return false;
	rq->bvec[rq->nr_bvec++] = *bv;
	if (count_segments(q, rq) > q->limits.max_segments) {
		rq->nr_bvec--;
		return false;
	}
	rq->__data_len += bv->bv_len;
	return true;
}

int blk_writeback_pages(struct request_queue *q, const sector_t *sectors, struct page **pages,
			unsigned int nr_pages, unsigned int *nr_requests)
{
	struct blk_io io = { 0, 0, { NULL, NULL } };
	struct blk_plug plug = { .count = 0 };
	/* a request of max_sectors holds at most that many 512-byte bios */
	unsigned int max_bvec = min(q->limits.max_sectors,
				    (unsigned int)q->limits.max_segments * (PAGE_SIZE >> 9));

	init_waitqueue_head(&io.wq);
	io.pending = 1;
	*nr_requests = 0;
	for (unsigned int i = 0; i < nr_pages; i++) {
		struct bio_vec bv = { pages[i], PAGE_SIZE, 0 };
		struct request *rq;

		if (plug_back_merge(q, &plug, 1, sectors[i], &bv))
			continue;
		if (plug.count == BLK_MAX_REQUEST_COUNT || !bt_has_free_tags(&the_tags))
			blk_flush_plug_list(q, &plug);
		rq = new_request(q, &io, 1, sectors[i], max_bvec);
		(*nr_requests)++;
		if (!rq->bvec) {
			io.error = -ENOMEM;
			break;
		}
		rq->max_bvec = max_bvec;
		rq->bvec[rq->nr_bvec++] = bv;
		rq->__data_len = bv.bv_len;
		plug.rq[plug.count++] = rq;
	}
	blk_flush_plug_list(q, &plug);
	if (--io.pending)
		while (io.pending)
			kshim_wait_uninterruptible(&io.wq);
	return io.error ? -EIO : 0;
}

/*
 * The flush machinery of blk-flush.c for empty flushes (policy REQ_FSEQ_PREFLUSH): each
 * caller's request (with its tag) waits in the pending list; blk_kick_flush sends one
 * flush_rq for all of them when none is running, borrowing the first one's tag, through the
 * requeue list, which kblockd runs (blk_mq_kick_requeue_list). flush_end_io completes every
 * request the flush ran for and kicks again for those that came meanwhile, so concurrent
 * fsyncs share flushes.
 */

static void blk_mq_requeue_work(struct work_struct *work)
{
	struct blk_flush_queue *fq = container_of(work, struct blk_flush_queue, requeue_work);

	dispatch(fq->q, &fq->flush_rq);
}

static void blk_kick_flush(struct request_queue *q, struct blk_flush_queue *fq)
{
	struct request *first = fq->pending;

	if (fq->in_flight || !first)
		return;
	fq->running = first;
	fq->pending = NULL;
	fq->pending_tail = &fq->pending;
	fq->in_flight = true;
	memset(&fq->flush_rq, 0, sizeof(fq->flush_rq));
	fq->flush_rq.q = q;
	fq->flush_rq.rq_disk = q->queuedata;
	fq->flush_rq.write = 1;
	fq->flush_rq.cmd_flags = REQ_FLUSH;
	fq->flush_rq.tag = first->tag; /* blk_mq_tag_set_rq: the flush borrows the tag */
	fq->flush_rq.sim_id = first->sim_id;
	fq->q = q;
	schedule_work(&fq->requeue_work);
}

/* flush_end_io: the flush is done; so is every request it ran for. */
static void flush_end_io(struct blk_flush_queue *fq, int error)
{
	struct request *rq = fq->running;

	fq->running = NULL;
	fq->in_flight = false;
	while (rq) {
		struct request *next = rq->flush_next;

		blk_mq_end_request(rq, error);
		rq = next;
	}
	blk_kick_flush(fq->q, fq);
}

int blkdev_issue_flush(struct request_queue *q)
{
	struct blk_io io = { 0, 0, { NULL, NULL } };
	struct request *rq;

	if (!(q->flush_flags & REQ_FLUSH))
		return 0;
	init_waitqueue_head(&io.wq);
	io.pending = 1;
	rq = new_request(q, &io, 1, 0, 0);
	rq->cmd_flags = REQ_FLUSH;
	if (!the_fq.pending_tail) {
		the_fq.pending_tail = &the_fq.pending;
		INIT_WORK(&the_fq.requeue_work, blk_mq_requeue_work);
	}
	*the_fq.pending_tail = rq;
	the_fq.pending_tail = &rq->flush_next;
	blk_kick_flush(q, &the_fq);
	if (--io.pending)
		while (io.pending)
			kshim_wait_uninterruptible(&io.wq);
	return io.error ? -EIO : 0;
}
