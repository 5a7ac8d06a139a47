/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The block layer slice blkfront sits on (Linux 4.3, blk-mq, one hardware queue): queue
 * limits with the block layer's own minimum clamps, requests made of page vectors,
 * blk_rq_map_sg, a tag set of the ring's size, and stopping/restarting the hardware queue.
 */
#ifndef DUT_LINUX_BLKDEV_H
#define DUT_LINUX_BLKDEV_H

#include <linux/scatterlist.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef u64 sector_t;

#define BLK_DEF_MAX_SECTORS 2560 /* include/linux/blkdev.h, 4.3 */
/* cmd_flags (include/linux/blk_types.h, 4.x): the flush bits */
#define REQ_FLUSH (1u << 0)
#define REQ_FUA   (1u << 1)

#define BLK_MQ_RQ_QUEUE_OK 0
#define BLK_MQ_RQ_QUEUE_BUSY 1
#define BLK_MQ_RQ_QUEUE_ERROR 2

struct bio_vec {
	struct page *bv_page;
	unsigned int bv_len;
	unsigned int bv_offset;
};

struct queue_limits {
	unsigned long seg_boundary_mask;
	unsigned int max_hw_sectors;
	unsigned int max_sectors;
	unsigned int max_segment_size;
	unsigned int logical_block_size;
	unsigned int physical_block_size;
	unsigned short max_segments;
};

struct request_queue;
struct gendisk {
	void *private_data;
	struct request_queue *queue;
};

struct request {
	struct request_queue *q;
	struct gendisk *rq_disk;
	int write;
	unsigned int cmd_flags;   /* REQ_FLUSH, REQ_FUA */
	sector_t __sector;
	unsigned int __data_len;
	unsigned short nr_phys_segments;
	struct bio_vec *bvec;     /* the request's pages, in order */
	unsigned int nr_bvec;
	unsigned int max_bvec;    /* room in bvec (plugged requests grow by merging) */
	int tag;
	int errors;
	s64 sim_id;               /* ringsim: the workload request it serves */
	struct blk_io *io;        /* the I/O it belongs to (ringsim's submit side) */
	struct request *flush_next; /* the flush queue's pending or running list */
};

struct blk_mq_hw_ctx;
struct blk_mq_queue_data {
	struct request *rq;
	bool last;
};

struct blk_mq_ops {
	int (*queue_rq)(struct blk_mq_hw_ctx *hctx, const struct blk_mq_queue_data *bd);
};

struct blk_mq_tag_set {
	struct blk_mq_ops *ops;
	unsigned int nr_hw_queues;
	unsigned int queue_depth;
	void *driver_data;
};

struct request_queue {
	struct queue_limits limits;
	unsigned int dma_alignment;
	void *queuedata;
	struct blk_mq_tag_set *tag_set;
	struct blk_mq_hw_ctx *hctx;
	unsigned int flush_flags; /* REQ_FLUSH | REQ_FUA the device takes (blk_queue_flush) */
};

static inline sector_t blk_rq_pos(const struct request *rq)
{
	return rq->__sector;
}

static inline unsigned int blk_rq_bytes(const struct request *rq)
{
	return rq->__data_len;
}

#define rq_data_dir(rq) ((rq)->write)

#define for_each_sg(sglist, sg, nr, __i) \
	for (__i = 0, sg = (sglist); __i < (nr); __i++, sg++)

/**
 * kshim_blk_tag_waited() - ringsim's probe: a request got its tag after sleeping
 * @since: the cycle (local_clock) of its first sleep
 * @sleeps: how often it slept (more than once: woken and beaten to the free tags)
 *
 * Called once per request that waited, when it has its tag. Changes nothing.
 */
void kshim_blk_tag_waited(u64 since, unsigned int sleeps);

/* block/blk-settings.c */
void blk_queue_logical_block_size(struct request_queue *q, unsigned short size);
void blk_queue_physical_block_size(struct request_queue *q, unsigned int size);
void blk_queue_max_hw_sectors(struct request_queue *q, unsigned int max_hw_sectors);
void blk_queue_segment_boundary(struct request_queue *q, unsigned long mask);
void blk_queue_max_segment_size(struct request_queue *q, unsigned int max_size);
void blk_queue_max_segments(struct request_queue *q, unsigned short max_segments);
void blk_queue_dma_alignment(struct request_queue *q, int mask);
void blk_queue_flush(struct request_queue *q, unsigned int flush);

/**
 * blkdev_issue_flush() - an empty cache flush, as fsync(2) on the device ends with
 * @q: the disk's queue
 *
 * One request with REQ_FLUSH and no data, with a tag, into the flush machinery: it waits
 * for the next flush_rq, which kblockd hands to the driver's queue_rq and which serves
 * every request pending when it starts. A queue that takes no flushes
 * (blk_queue_flush(q, 0)) completes it at once, as blk_insert_flush does with an empty
 * policy.
 * Return: 0, or -EIO. Context: guest thread; sleeps.
 */
int blkdev_issue_flush(struct request_queue *q);

/* block/blk-merge.c: one entry per physical segment. Return: entries written. */
int blk_rq_map_sg(struct request_queue *q, struct request *rq, struct scatterlist *sglist);

/* block/blk-mq.c */
struct request_queue *blk_mq_init_queue(struct blk_mq_tag_set *set);
void blk_mq_start_request(struct request *rq);
void blk_mq_end_request(struct request *rq, int error);
void blk_mq_stop_hw_queue(struct blk_mq_hw_ctx *hctx);
void blk_mq_start_stopped_hw_queues(struct request_queue *q, bool async);

/**
 * blk_submit_io() - ringsim's submit side: the I/O of one system call
 * @q: the disk's queue
 * @write: direction
 * @sector: first 512-byte sector
 * @pages: the buffer's pages, first one from @offset
 * @nr_pages: how many
 * @offset: of the data in the first page
 * @bytes: length, a multiple of 512
 * @nr_requests: receives how many requests the I/O became
 *
 * Splits the I/O into requests by the queue's limits (blk_queue_split), takes a tag for
 * each (sleeping while none is free), dispatches them, and waits for all to complete.
 * Return: 0, or -EIO if any request failed.
 * Context: guest thread; sleeps.
 */
int blk_submit_io(struct request_queue *q, int write, sector_t sector, struct page **pages,
		  unsigned int nr_pages, unsigned int offset, unsigned int bytes,
		  unsigned int *nr_requests);

/**
 * blk_writeback_pages() - ringsim's write-back: whole page-cache pages, plugged
 * @q: the disk's queue
 * @sectors: first sector of each page, ascending for a sequential run
 * @pages: the pages, one bio each (the block device's block size is the page size)
 * @nr_pages: how many
 * @nr_requests: receives how many requests they became
 *
 * Back-merges consecutive bios into requests up to max_sectors and max_segments within a
 * plug (BLK_MAX_REQUEST_COUNT requests at most), dispatches them and waits for all.
 * Return: 0, or -EIO if any request failed.
 * Context: guest thread; sleeps.
 */
int blk_writeback_pages(struct request_queue *q, const sector_t *sectors, struct page **pages,
			unsigned int nr_pages, unsigned int *nr_requests);

#ifdef __cplusplus
}
#endif

#endif
