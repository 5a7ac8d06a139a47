// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xen-blkfront fixes of dut/fixes, each against the seed, side by side: this file is
 * built once per variant (seed, seed+6cc5683, seed+3b4f188, seed+2f446ff, upstream; the
 * patched copy of cmake/dut_variants.cmake is included, as the other DUT tests include the
 * seed) with FX_FIX_<ID> 1 for the fixes the variant has. One case per process (argv[1]):
 * an oops ends the simulation. Values worked out by hand from kernel-facts B.6, B.7, XB-1,
 * XB-3 and XB-5.
 * - nonindirect64k: 64 KiB pages, a backend without indirect descriptors (XB-1, B.7).
 *   seed: grants 11, psegs 11 / 16 = 0: sg_init_table(sg, 0) writes sg[4294967295] at
 *   connect (an oops). 3b4f188 alone: psegs DIV_ROUND_UP(11, 16) = 1, connect works, and the
 *   first 64 KiB I/O hits BUG_ON(GREFS(1) = 16 > 11). 6cc5683: grants GRANTS_PER_PSEG = 16,
 *   psegs 1, queue depth 32 / 2 = 16, pool (16 + 1) * 32 = 544; a 64 KiB read takes two
 *   slots: 11 segments from sector 8, 5 from sector 8 + 11 * 4096 / 512 = 96.
 * - param8: XB-3 on 64 KiB pages: max_indirect_segments=8 and a backend offering 256. seed
 *   and 6cc5683 alone: 8 indirect segments, psegs 8 / 16 = 0: the connect wrap. 3b4f188: the
 *   parameter clamped to 11, min(256, 11) = 11 <= 11: no indirect; psegs 1.
 * - param8_4k: the same at 4 KiB pages: seed indirect with 8 segments (max_segments 8,
 *   max_hw_sectors 64); 3b4f188: direct requests only (11 and 88), not fewer segments.
 * - stale: XB-5 at 4 KiB pages. Every free frame holds 0xaa first (freed, not scrubbed, as
 *   in Linux; ringsim's allocator itself scrubs on free, see below). seed: the 1056
 *   persistent grant pages ((32 + 1) * 32) and the 32 spare indirect pages hold 0xaa, and a
 *   512-byte write leaves 4096 - 512 = 3584 stale bytes in its grant's frame for the
 *   backend to read; 2f446ff: all of them zero, 0 stale bytes.
 */
#include "xen-blkfront.c"

#include <CUnit/Basic.h>
#include <gsl/gsl_errno.h>

#include "blk_connect.h"
#include "dut_fixture.h"

#ifndef FX_FIX_6CC5683
#define FX_FIX_6CC5683 0
#endif
#ifndef FX_FIX_3B4F188
#define FX_FIX_3B4F188 0
#endif
#ifndef FX_FIX_2F446FF
#define FX_FIX_2F446FF 0
#endif

static struct fx_blkif probe;
static struct gendisk *disk;

/* Connect with @cfg: 1 when it returned 0, 0 when it oopsed or failed. */
static int connect(struct blkfront_config cfg)
{
	struct connect_args a = { .cfg = cfg };
	int ret = -1;

	if (!fx_boot(connect_fn, &a, &ret) || ret)
		return 0;
	disk = a.disk;
	return 1;
}

static __attribute__((unused)) void check_connect_wrap(void)
{
	char detail[256];

	CU_ASSERT_TRUE(fx_dut_bug());
	CU_ASSERT_EQUAL(fx_findings("out_of_bounds_write"), 1);
	CU_ASSERT_EQUAL(fx_findings("dut_bug"), 1);
	CU_ASSERT_TRUE_FATAL(fx_finding_detail("out_of_bounds_write", detail, sizeof(detail)));
	CU_ASSERT_STRING_EQUAL(detail, "write to shadow[id].sg[4294967295], past its 0 entries "
			       "and outside guest memory: the kernel oopses");
	CU_ASSERT_EQUAL(probe.queued, 0);
}

static __attribute__((unused)) unsigned list_length(struct list_head *head)
{
	unsigned n = 0;

	for (struct list_head *p = head->next; p != head; p = p->next)
		n++;
	return n;
}

/* One whole page, read from sector 8: nr_phys_segments 1. */
static struct request one_page_read(struct bio_vec *bv, unsigned long pfn, unsigned len)
{
	struct request rq;

	memset(&rq, 0, sizeof(rq));
	*bv = (struct bio_vec){ pfn_to_page(pfn), len, 0 };
	rq.q = disk->queue;
	rq.rq_disk = disk;
	rq.write = 0;
	rq.__sector = 8;
	rq.bvec = bv;
	rq.nr_bvec = 1;
	rq.nr_phys_segments = 1;
	return rq;
}

#if FX_FIX_6CC5683
static void check_segs(const struct blkif_request *r, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct blkif_request_segment s = r->u.rw.seg[i];

		CU_ASSERT(s.first_sect == 0 && s.last_sect == 7);
		CU_ASSERT_NOT_EQUAL(s.gref, GRANT_INVALID_REF);
	}
}

static void split_body(void *arg)
{
	struct blkfront_info *info = disk->private_data;
	struct bio_vec bv;
	struct request rq = one_page_read(&bv, 100, 65536), rq2;
	RING_IDX prod = info->ring.req_prod_pvt;
	struct blkif_request *first, *second;
	struct blkif_response rsp;
	unsigned long id, extra, done;
	unsigned persistent;

	(void)arg;
	CU_ASSERT_EQUAL_FATAL(blkif_queue_rw_req(&rq), 0);
	CU_ASSERT_EQUAL_FATAL(info->ring.req_prod_pvt - prod, 2); /* two ring slots */
	first = RING_GET_REQUEST(&info->ring, prod);
	second = RING_GET_REQUEST(&info->ring, prod + 1);
	CU_ASSERT_EQUAL(first->operation, BLKIF_OP_READ);
	CU_ASSERT_EQUAL(second->operation, BLKIF_OP_READ);
	CU_ASSERT_EQUAL(first->u.rw.nr_segments, 11);
	CU_ASSERT_EQUAL(second->u.rw.nr_segments, 16 - 11);
	CU_ASSERT_EQUAL(first->u.rw.sector_number, 8);
	CU_ASSERT_EQUAL(second->u.rw.sector_number, 8 + 11 * 4096 / 512); /* 96 */
	check_segs(first, 11);
	check_segs(second, 5);
	id = first->u.rw.id;
	extra = second->u.rw.id;
	CU_ASSERT_NOT_EQUAL(id, extra);
	CU_ASSERT_EQUAL(info->shadow[id].associated_id, extra);
	CU_ASSERT_EQUAL(info->shadow[extra].associated_id, id);
	CU_ASSERT_EQUAL(info->shadow[id].num_sg, 1);
	CU_ASSERT_EQUAL(info->shadow[extra].num_sg, 0); /* the sg list is the first's only */
	/* every grant in the first shadow: the second slot's segment 0 is grant 11 */
	CU_ASSERT_EQUAL(second->u.rw.seg[0].gref, info->shadow[id].grants_used[11]->gref);
	CU_ASSERT_EQUAL(first->u.rw.seg[10].gref, info->shadow[id].grants_used[10]->gref);
	CU_ASSERT(probe.num_sg == 1 && probe.num_grant == 16);
	CU_ASSERT_EQUAL(probe.max_grefs, 17); /* 16 + INDIRECT_GREFS(16) reserved */
	CU_ASSERT_EQUAL(probe.indirect_frames, 0);

	/* The second half answers first: nothing completes, its status is kept. */
	memset(&rsp, 0, sizeof(rsp));
	rsp.operation = BLKIF_OP_READ;
	rsp.status = BLKIF_RSP_OKAY;
	done = extra;
	CU_ASSERT_FALSE(blkif_completion(&done, info, &rsp));
	CU_ASSERT_EQUAL(info->shadow[extra].status, REQ_DONE);
	CU_ASSERT_EQUAL(info->shadow[id].status, REQ_WAITING);
	/* Then the first, with an error: complete, as the first's id, with ERROR. */
	persistent = info->persistent_gnts_c;
	rsp.status = BLKIF_RSP_ERROR;
	done = id;
	CU_ASSERT_TRUE(blkif_completion(&done, info, &rsp));
	CU_ASSERT_EQUAL(done, id);
	CU_ASSERT_EQUAL(rsp.status, BLKIF_RSP_ERROR);
	CU_ASSERT_EQUAL(info->shadow_free, extra); /* the second id is recycled first */
	CU_ASSERT_PTR_NULL(info->shadow[extra].request);
	/* all 16 grants go back to the free list (none still mapped: no backend here) */
	CU_ASSERT_EQUAL(info->persistent_gnts_c, persistent);
	CU_ASSERT_EQUAL(list_length(&info->grants), 544 - 16 + 16);
	CU_ASSERT_EQUAL(add_id_to_freelist(info, done), 0);

	/* In order this time, EOPNOTSUPP and OKAY: complete on the second, as the first's id. */
	rq2 = one_page_read(&bv, 200, 65536);
	prod = info->ring.req_prod_pvt;
	CU_ASSERT_EQUAL_FATAL(blkif_queue_rw_req(&rq2), 0);
	id = RING_GET_REQUEST(&info->ring, prod)->u.rw.id;
	extra = RING_GET_REQUEST(&info->ring, prod + 1)->u.rw.id;
	rsp.status = BLKIF_RSP_EOPNOTSUPP;
	done = id;
	CU_ASSERT_FALSE(blkif_completion(&done, info, &rsp));
	rsp.status = BLKIF_RSP_OKAY;
	done = extra;
	CU_ASSERT_TRUE(blkif_completion(&done, info, &rsp));
	CU_ASSERT_EQUAL(done, id); /* "id" becomes the first response's */
	CU_ASSERT_EQUAL(rsp.status, BLKIF_RSP_EOPNOTSUPP);
	CU_ASSERT_EQUAL(add_id_to_freelist(info, done), 0);

	/* 4 KiB of one page: 1 grant, one slot, no sibling. */
	rq2 = one_page_read(&bv, 300, 4096);
	prod = info->ring.req_prod_pvt;
	CU_ASSERT_EQUAL_FATAL(blkif_queue_rw_req(&rq2), 0);
	CU_ASSERT_EQUAL(info->ring.req_prod_pvt - prod, 1);
	first = RING_GET_REQUEST(&info->ring, prod);
	CU_ASSERT_EQUAL(first->u.rw.nr_segments, 1);
	CU_ASSERT_EQUAL(info->shadow[first->u.rw.id].associated_id, NO_ASSOCIATED_ID);

	/* The final status of two halves: ERROR wins, then EOPNOTSUPP, else OKAY. */
	CU_ASSERT_EQUAL(blkif_get_final_status(REQ_DONE, REQ_DONE), BLKIF_RSP_OKAY);
	CU_ASSERT_EQUAL(blkif_get_final_status(REQ_EOPNOTSUPP, REQ_ERROR), BLKIF_RSP_ERROR);
	CU_ASSERT_EQUAL(blkif_get_final_status(REQ_DONE, REQ_EOPNOTSUPP), BLKIF_RSP_EOPNOTSUPP);
}
#else
static int reached_after_bug;

static __attribute__((unused)) void bug_body(void *arg)
{
	struct bio_vec bv;
	struct request rq = one_page_read(&bv, 100, 65536);

	(void)arg;
	blkif_queue_rw_req(&rq);
	reached_after_bug = 1;
}
#endif

static void t_fix_nonindirect_64k(void)
{
	int ok = connect(blk_config(0, 32, true));

#if !FX_FIX_6CC5683 && !FX_FIX_3B4F188
	/* seed: the oops at connect, before any I/O (XB-1) */
	CU_ASSERT_FALSE(ok);
	check_connect_wrap();
#elif !FX_FIX_6CC5683
	/* 3b4f188 alone: connect works (psegs 1), the first 64 KiB I/O hits the BUG_ON */
	CU_ASSERT_TRUE_FATAL(ok);
	CU_ASSERT_EQUAL(the_info->max_indirect_segments, 0);
	CU_ASSERT_TRUE(sg_is_last(&the_info->shadow[0].sg[0]));
	CU_ASSERT_EQUAL(the_info->tag_set.queue_depth, 32);
	CU_ASSERT_FALSE(fx_run(bug_body, NULL));
	CU_ASSERT_FALSE(reached_after_bug);
	CU_ASSERT_TRUE(fx_dut_bug());
	CU_ASSERT_EQUAL(fx_findings("dut_bug"), 1);
	CU_ASSERT_EQUAL(fx_findings("out_of_bounds_write"), 0);
	CU_ASSERT_EQUAL(probe.queued, 0);
#else
	/* 6cc5683: connect works, every request fits two slots of a half-deep queue */
	CU_ASSERT_TRUE_FATAL(ok);
	CU_ASSERT_EQUAL(the_info->tag_set.queue_depth, 32 / 2);
	CU_ASSERT_EQUAL(disk->queue->limits.max_segments, 1);     /* 11 / 16 = 0, clamped */
	CU_ASSERT_EQUAL(disk->queue->limits.max_hw_sectors, 128); /* 88, clamped to a page */
	CU_ASSERT_TRUE(sg_is_last(&the_info->shadow[0].sg[0])); /* psegs 16 / 16 = 1 */
	CU_ASSERT_EQUAL(list_length(&the_info->grants), (16 + 1) * 32);
	CU_ASSERT_TRUE(fx_run(split_body, NULL));
	CU_ASSERT_FALSE(fx_dut_bug());
	CU_ASSERT_EQUAL(fx_findings("dut_bug"), 0);
	CU_ASSERT_EQUAL(fx_findings("out_of_bounds_write"), 0);
#endif
}

static void t_fix_param8_64k(void)
{
	int ok = connect(blk_config(256, 8, false));

#if !FX_FIX_3B4F188
	/* seed, 6cc5683 alone: 8 indirect segments, psegs 8 / 16 = 0 */
	CU_ASSERT_FALSE(ok);
	check_connect_wrap();
#else
	CU_ASSERT_TRUE_FATAL(ok);
	CU_ASSERT_EQUAL(the_info->max_indirect_segments, 0);
	CU_ASSERT_TRUE(sg_is_last(&the_info->shadow[0].sg[0])); /* psegs 1 */
	CU_ASSERT_EQUAL(disk->queue->limits.max_segments, 1);
	CU_ASSERT_EQUAL(disk->queue->limits.max_hw_sectors, 128);
	CU_ASSERT_EQUAL(the_info->tag_set.queue_depth, FX_FIX_6CC5683 ? 16 : 32);
	CU_ASSERT_FALSE(fx_dut_bug());
#endif
}

static void t_fix_param8_4k(void)
{
	CU_ASSERT_TRUE_FATAL(connect(blk_config(256, 8, false)));
	CU_ASSERT_EQUAL(the_info->tag_set.queue_depth, 32); /* no extra request at 4 KiB */
#if !FX_FIX_3B4F188
	CU_ASSERT_EQUAL(the_info->max_indirect_segments, 8);
	CU_ASSERT_EQUAL(disk->queue->limits.max_segments, 8);
	CU_ASSERT_EQUAL(disk->queue->limits.max_hw_sectors, 8 * 4096 / 512);
	CU_ASSERT_TRUE(sg_is_last(&the_info->shadow[0].sg[7]));
#else
	CU_ASSERT_EQUAL(the_info->max_indirect_segments, 0);
	CU_ASSERT_EQUAL(disk->queue->limits.max_segments, 11);
	CU_ASSERT_EQUAL(disk->queue->limits.max_hw_sectors, 11 * 4096 / 512);
	CU_ASSERT_TRUE(sg_is_last(&the_info->shadow[0].sg[10]));
#endif
	CU_ASSERT_FALSE(fx_dut_bug());
}

/*
 * XB-5. ringsim's page allocator scrubs a frame when it is freed (mem_map::free_pages
 * discards its bytes), so in a whole run a fresh page is always zero and 2f446ff changes
 * nothing. A Linux kernel does not scrub freed pages (without init_on_free): here every free
 * frame is written with 0xaa behind the allocator's back, after it was freed, as a page a
 * kernel freed would still hold what it held.
 */
static struct page *dirty[1u << 15];

static int dirty_all_free_pages(void *arg)
{
	unsigned n = 0;

	(void)arg;
	while (n < sizeof(dirty) / sizeof(dirty[0]) && (dirty[n] = alloc_page(GFP_KERNEL)))
		n++;
	for (unsigned i = 0; i < n; i++) {
		__free_page(dirty[i]);
		memset(page_address(dirty[i]), 0xaa, PAGE_SIZE);
	}
	return (int)n;
}

static unsigned long nonzero(const struct page *page, unsigned from, unsigned to)
{
	const unsigned char *p = page_address(page);
	unsigned long n = 0;

	for (unsigned i = from; i < to; i++)
		n += p[i] != 0;
	return n;
}

static unsigned long stale_write_bytes;

static void stale_write_body(void *arg)
{
	struct blkfront_info *info = disk->private_data;
	struct bio_vec bv = { pfn_to_page(3000), 512, 0 };
	struct request rq;
	struct blkif_request *slot;
	struct grant *g;

	(void)arg;
	memset(page_address(bv.bv_page), 0x11, 512);
	memset(&rq, 0, sizeof(rq));
	rq.q = disk->queue;
	rq.rq_disk = disk;
	rq.write = 1;
	rq.__sector = 8;
	rq.bvec = &bv;
	rq.nr_bvec = 1;
	rq.nr_phys_segments = 1;
	CU_ASSERT_EQUAL_FATAL(blkif_queue_rw_req(&rq), 0);
	slot = RING_GET_REQUEST(&info->ring, info->ring.req_prod_pvt - 1);
	CU_ASSERT_EQUAL(slot->u.rw.nr_segments, 1);
	CU_ASSERT(slot->u.rw.seg[0].first_sect == 0 && slot->u.rw.seg[0].last_sect == 0);
	g = info->shadow[slot->u.rw.id].grants_used[0];
	CU_ASSERT_EQUAL(nonzero(g->page, 0, 512), 512); /* the data, copied in */
	/* what the backend can read outside sector 0 of the granted frame */
	stale_write_bytes = nonzero(g->page, 512, 4096);
}

static void t_fix_stale_grant_pages(void)
{
	int pages = 0;
	unsigned long pool = 0, stale = 0;
	struct blkfront_info *info;

	CU_ASSERT_TRUE_FATAL(fx_boot(dirty_all_free_pages, NULL, &pages));
	CU_ASSERT_TRUE_FATAL(pages > 1056 + 32);
	/* persistent grants: 1056 pages of the pool's own */
	CU_ASSERT_TRUE_FATAL(connect(blk_config(32, 32, true)));
	info = disk->private_data;
	for (struct list_head *p = info->grants.next; p != &info->grants; p = p->next) {
		struct grant *g = list_entry(p, struct grant, node);

		pool++;
		stale += nonzero(g->page, 0, PAGE_SIZE);
	}
	CU_ASSERT_EQUAL(pool, (32 + 1) * 32);
	CU_ASSERT_EQUAL(stale, FX_FIX_2F446FF ? 0 : (32 + 1) * 32 * 4096ul);
	CU_ASSERT_TRUE_FATAL(fx_run(stale_write_body, NULL));
	CU_ASSERT_EQUAL(stale_write_bytes, FX_FIX_2F446FF ? 0 : 4096 - 512);

	/* no persistent grants: the 32 spare indirect pages (INDIRECT_GREFS(32) * 32) */
	CU_ASSERT_TRUE_FATAL(connect(blk_config(32, 32, false)));
	info = disk->private_data;
	CU_ASSERT_EQUAL(info->nr_indirect_pages, 32);
	stale = 0;
	for (unsigned i = 0; i < info->nr_indirect_pages; i++)
		stale += nonzero(info->indirect_pages[i], 0, PAGE_SIZE);
	CU_ASSERT_EQUAL(stale, FX_FIX_2F446FF ? 0 : 32 * 4096ul);
	CU_ASSERT_FALSE(fx_dut_bug());
}

int main(int argc, char **argv)
{
	CU_pSuite suite;
	unsigned failed;
	unsigned page = 65536;
	uint64_t memory = 512ul << 20;

	gsl_set_error_handler_off();
	if (argc != 2)
		return 2;
	if (!strcmp(argv[1], "param8_4k") || !strcmp(argv[1], "stale"))
		page = 4096;
	if (!strcmp(argv[1], "stale"))
		memory = 64ul << 20;
	if (fx_setup(page, memory) || CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	fx_xen_setup(&probe);
	if (gnttab_init(32))
		return 2;
	suite = CU_add_suite("fixes_blk", NULL, NULL);
	if (!strcmp(argv[1], "nonindirect64k"))
		CU_add_test(suite, "t_fix_nonindirect_64k", t_fix_nonindirect_64k);
	else if (!strcmp(argv[1], "param8"))
		CU_add_test(suite, "t_fix_param8_64k", t_fix_param8_64k);
	else if (!strcmp(argv[1], "param8_4k"))
		CU_add_test(suite, "t_fix_param8_4k", t_fix_param8_4k);
	else if (!strcmp(argv[1], "stale"))
		CU_add_test(suite, "t_fix_stale_grant_pages", t_fix_stale_grant_pages);
	else
		return 2;
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
