// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of the blk-mq tag allocator in dut/guest/blk.c (the bitmap tags of 4.x
 * blk-mq-tag.c) against timelines worked out by hand: BT_WAIT_QUEUES = 8 wait queues, a
 * sleeper takes the hardware queue's next one, and every wake_cnt-th free wakes the
 * sleepers of the first queue with any from wake_index on, then moves wake_index on.
 * With 16 tags, wake_cnt = min(BT_WAIT_BATCH = 8, 16 / 8) = 2. The block layer's static
 * functions are reached by including the file. Also: a restart of a stopped hardware queue
 * from the interrupt path runs from kblockd (the kernel worker), not in the caller; and the
 * write-back's plug merges bios up to max_sectors and max_segments.
 */
#include "guest/blk.c"

#include "../unit/cunit_main.h"
#include "dut_fixture.h"

#define DEPTH 16

static struct fx_blkif probe;
static struct request_queue *q;
static struct request *held[DEPTH + 8];
static struct blk_io io_ref;

static int accept_rq(struct blk_mq_hw_ctx *hctx, const struct blk_mq_queue_data *bd)
{
	(void)hctx;
	(void)bd;
	return BLK_MQ_RQ_QUEUE_OK;
}

static struct blk_mq_ops ops = { .queue_rq = accept_rq };
static struct blk_mq_tag_set set = { .ops = &ops, .nr_hw_queues = 1, .queue_depth = DEPTH };

struct taker {
	int tag;      /* the tag it got, -1 while it has none */
	u64 got_at;   /* the cycle it got it */
	int order;    /* 1 for the first waiter served, ... */
};

static struct taker w[4], thief[3];
static int served;
static u64 t0; /* the cycle the timeline starts at, after the queue's set-up */

static void take(void *arg)
{
	struct taker *t = arg;
	struct request *rq = get_request(q);

	t->tag = rq->tag;
	t->got_at = fx_cycle() - t0;
	t->order = ++served;
	rq->io = &io_ref;
	held[rq->tag] = rq;
}

static void put_tag(void *arg)
{
	int tag = (int)(intptr_t)arg;

	blk_mq_end_request(held[tag], 0);
}

static void setup(void *arg)
{
	(void)arg;
	q = blk_mq_init_queue(&set);
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_EQUAL(the_tags.wake_cnt, 2);
	init_waitqueue_head(&io_ref.wq);
	io_ref.pending = 1000; /* never completes: the test frees tags one by one */
	for (int i = 0; i < DEPTH; i++) {
		held[i] = get_request(q);
		/* a free bitmap hands out tags in order from the cache */
		CU_ASSERT_EQUAL(held[i]->tag, i);
		held[i]->io = &io_ref;
	}
	t0 = fx_cycle();
	for (int i = 0; i < 4; i++) {
		w[i].tag = -1;
		fx_call_after(10 * (i + 1), take, &w[i]); /* W0..W3 sleep on wait queues 0..3 */
	}
	for (int i = 0; i < 3; i++)
		thief[i].tag = -1;
	/* Two frees per wake-up. */
	fx_call_after(1000, put_tag, (void *)5);
	fx_call_after(2000, put_tag, (void *)9);   /* wakes queue 0: W0 */
	fx_call_after(5000, take, &thief[0]);      /* a tag is free: no sleep */
	fx_call_after(6000, put_tag, (void *)3);
	fx_call_after(7000, put_tag, (void *)7);   /* wakes queue 1: W1 ... */
	fx_call_after(7200, take, &thief[1]);      /* ... but both tags go first */
	fx_call_after(7300, take, &thief[2]);
	fx_call_after(10000, put_tag, (void *)0);
	fx_call_after(11000, put_tag, (void *)1);  /* wakes queue 2: W2 */
	fx_call_after(13000, put_tag, (void *)2);
	fx_call_after(14000, put_tag, (void *)4);  /* wakes queue 3: W3 */
	fx_call_after(16000, put_tag, (void *)6);
	fx_call_after(17000, put_tag, (void *)8);  /* wakes queue 4, where W1 sleeps again */
}

/*
 * The timeline (cycles from t0), with wake-up 150 and context-switch 1500 cycles (the default costs): a wake
 * at a free at T reaches the sleeper at T + 150 (wake_up charges first), which retries
 * after its context switch, at T + 1650.
 *   W0: woken by the free at 2000, gets the lowest free tag of {5, 9}: 5, at 3650.
 *   thief 0 at 5000 takes 9 without sleeping.
 *   W1: woken by the free at 7000, but the thieves at 7200 and 7300 take 3 and 7; it
 *       retries at 8650, finds none and sleeps again, on the hardware queue's next wait
 *       queue (4), behind W2 (queue 2) and W3 (queue 3).
 *   W2: free at 11000, tags {0, 1}: 0 at 12650.   W3: free at 14000, {1, 2, 4}: 1 at 15650.
 *   W1: free at 17000, {2, 4, 6, 8}: 2 at 18650.
 * Four requests waited (one report each), with five sleeps; waits 3650-10, 12650-30,
 * 15650-40 and 18650-20 cycles.
 */
static void t_blk_tags_wake_in_order(void)
{
	CU_ASSERT_EQUAL_FATAL(fx_run(setup, NULL), 1);
	CU_ASSERT(w[0].tag == 5 && w[0].got_at == 3650 && w[0].order == 1);
	CU_ASSERT(thief[0].tag == 9 && thief[0].got_at == 5000 && thief[0].order == 2);
	CU_ASSERT(thief[1].tag == 3 && thief[1].order == 3);
	CU_ASSERT(thief[2].tag == 7 && thief[2].order == 4);
	CU_ASSERT(w[2].tag == 0 && w[2].got_at == 12650 && w[2].order == 5);
	CU_ASSERT(w[3].tag == 1 && w[3].got_at == 15650 && w[3].order == 6);
	CU_ASSERT(w[1].tag == 2 && w[1].got_at == 18650 && w[1].order == 7);
	CU_ASSERT_EQUAL(probe.tag_waits, 4);
	CU_ASSERT_EQUAL(probe.tag_sleeps, 5);
	CU_ASSERT_EQUAL(probe.tag_wait_cycles,
			(3650 - 10) + (12650 - 30) + (15650 - 40) + (18650 - 20));
}

/* A driver that is busy once (stopping the queue, as blkif_queue_rq does on a full ring). */
static unsigned rq_calls;
static u64 rq_call_at[4];
static int busy_once(struct blk_mq_hw_ctx *hctx, const struct blk_mq_queue_data *bd)
{
	(void)bd;
	rq_call_at[rq_calls] = fx_cycle() - t0;
	if (rq_calls++ == 0) {
		blk_mq_stop_hw_queue(hctx);
		return BLK_MQ_RQ_QUEUE_BUSY;
	}
	return BLK_MQ_RQ_QUEUE_OK;
}

static unsigned calls_after_restart;

static void irq_restart(void *arg)
{
	(void)arg;
	blk_mq_start_stopped_hw_queues(q, true); /* kick_pending_request_queues */
	calls_after_restart = rq_calls;
}

static void restart_body(void *arg)
{
	(void)arg;
	ops.queue_rq = busy_once;
	t0 = fx_cycle();
	held[0] = get_request(q);
	held[0]->io = &io_ref;
	dispatch(q, held[0]);
	fx_call_after(1000, irq_restart, NULL);
}

/*
 * queue_rq at 0 is BUSY and stops the queue. The interrupt path restarts it at 1000: the
 * run is kblockd's work item, so queue_rq has not run again when the restart returns; the
 * worker pays its context switch (1500) and runs the queue at 2500.
 */
static void t_blk_restart_from_kblockd(void)
{
	CU_ASSERT_EQUAL_FATAL(fx_run(restart_body, NULL), 1);
	CU_ASSERT_EQUAL(calls_after_restart, 1);
	CU_ASSERT_EQUAL(rq_calls, 2);
	CU_ASSERT_EQUAL(rq_call_at[0], 0);
	CU_ASSERT_EQUAL(rq_call_at[1], 2500);
	CU_ASSERT_EQUAL(q->hctx->stopped, 0);
	CU_ASSERT_EQUAL(q->hctx->count, 0);
}

/* A driver that completes each request at once and records what it was given. */
struct seen {
	sector_t sector;
	unsigned bytes, segs;
};
static struct seen seen[16];
static unsigned nr_seen;

static int complete_rq(struct blk_mq_hw_ctx *hctx, const struct blk_mq_queue_data *bd)
{
	(void)hctx;
	seen[nr_seen++] = (struct seen){ blk_rq_pos(bd->rq), blk_rq_bytes(bd->rq),
					 bd->rq->nr_phys_segments };
	blk_mq_end_request(bd->rq, 0);
	return BLK_MQ_RQ_QUEUE_OK;
}

static unsigned wb_requests;

/*
 * Eleven 4 KiB pages, frames 100..110 (physically contiguous, but a segment is at most a
 * page: max_segment_size 4096), at sectors 0, 8, ..., 72 and then 200. With max_segments 4
 * and max_sectors 64 (8 pages) the segments bind: [0..3] [4..7] [8, 9], and the page at 200
 * does not continue the request before it: 4 requests. With max_segments 16 the sectors
 * bind: [0..7] (64 sectors) [8, 9] [200]: 3 requests.
 */
static void plug_body(void *arg)
{
	struct page *pages[11];
	sector_t sectors[11];

	(void)arg;
	ops.queue_rq = complete_rq;
	q->hctx->stopped = 0;
	q->limits.max_segment_size = 4096;
	q->limits.seg_boundary_mask = 4095;
	q->limits.max_sectors = 64;
	q->limits.max_segments = 4;
	for (int i = 0; i < 11; i++) {
		pages[i] = pfn_to_page(100 + i);
		sectors[i] = i < 10 ? 8u * i : 200;
	}
	CU_ASSERT_EQUAL(blk_writeback_pages(q, sectors, pages, 11, &wb_requests), 0);
	CU_ASSERT_EQUAL(wb_requests, 4);
	CU_ASSERT_EQUAL_FATAL(nr_seen, 4);
	CU_ASSERT(seen[0].sector == 0 && seen[0].bytes == 16384 && seen[0].segs == 4);
	CU_ASSERT(seen[1].sector == 32 && seen[1].bytes == 16384 && seen[1].segs == 4);
	CU_ASSERT(seen[2].sector == 64 && seen[2].bytes == 8192 && seen[2].segs == 2);
	CU_ASSERT(seen[3].sector == 200 && seen[3].bytes == 4096 && seen[3].segs == 1);
	nr_seen = 0;
	q->limits.max_segments = 16;
	CU_ASSERT_EQUAL(blk_writeback_pages(q, sectors, pages, 11, &wb_requests), 0);
	CU_ASSERT_EQUAL(wb_requests, 3);
	CU_ASSERT_EQUAL_FATAL(nr_seen, 3);
	CU_ASSERT(seen[0].sector == 0 && seen[0].bytes == 32768 && seen[0].segs == 8);
	CU_ASSERT(seen[1].sector == 64 && seen[1].bytes == 8192 && seen[1].segs == 2);
	CU_ASSERT(seen[2].sector == 200 && seen[2].bytes == 4096 && seen[2].segs == 1);
}

static void t_blk_plug_merge_limits(void)
{
	CU_ASSERT_EQUAL_FATAL(fx_run(plug_body, NULL), 1);
}

static void rs_test_register(CU_pSuite suite)
{
	if (fx_setup(4096, 64ul << 20))
		return;
	fx_xen_setup(&probe);
	fx_kworker_setup();
	RS_TEST(t_blk_tags_wake_in_order);
	RS_TEST(t_blk_restart_from_kblockd); /* after: it uses the queue set up there */
	RS_TEST(t_blk_plug_merge_limits);
}
