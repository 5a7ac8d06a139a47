// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of dut/xen-blkfront.c and the grant helpers against values worked out by hand from
 * the reference (kernel-facts B.2-B.6). Built for 4 KiB, 16 KiB and 64 KiB pages
 * (FX_PAGE_SIZE). The driver's functions are static: the file is included to reach them.
 */
#include "xen-blkfront.c"

#include "../unit/cunit_main.h"
#include "dut_fixture.h"

static struct fx_blkif probe;

/* gnttab_count_grant = ceil(((start mod 4096) + len) / 4096) */
static void t_blkfront_count_grant(void)
{
	CU_ASSERT_EQUAL(gnttab_count_grant(0, 512), 1);
	CU_ASSERT_EQUAL(gnttab_count_grant(0, 4096), 1);
	CU_ASSERT_EQUAL(gnttab_count_grant(3584, 1024), 2);
	CU_ASSERT_EQUAL(gnttab_count_grant(7680, 1024), 2);
	CU_ASSERT_EQUAL(gnttab_count_grant(0, 65536), 16);
	CU_ASSERT_EQUAL(gnttab_count_grant(61440, 4096), 1);
	CU_ASSERT_EQUAL(gnttab_count_grant(512, 16384), 5);
}

struct chunk {
	unsigned long gfn;
	unsigned offset, len;
};

struct chunks {
	struct chunk c[32];
	unsigned n;
};

static void record_chunk(unsigned long gfn, unsigned int offset, unsigned int len, void *data)
{
	struct chunks *cs = data;

	cs->c[cs->n++] = (struct chunk){ gfn, offset, len };
}

static void check_chunk(const struct chunks *cs, unsigned i, unsigned long gfn, unsigned off,
			unsigned len)
{
	CU_ASSERT_EQUAL(cs->c[i].gfn, gfn);
	CU_ASSERT_EQUAL(cs->c[i].offset, off);
	CU_ASSERT_EQUAL(cs->c[i].len, len);
}

/* The worked examples of B.3: consecutive 4 KiB frames, only the first with an offset. */
static void t_blkfront_foreach_grant_in_range(void)
{
	struct chunks cs = { .n = 0 };
	const unsigned long base = 100ul * XEN_PFN_PER_PAGE; /* page 100's first frame */

#if FX_PAGE_SIZE == 65536
	gnttab_foreach_grant_in_range(pfn_to_page(100), 0, 65536, record_chunk, &cs);
	CU_ASSERT_EQUAL_FATAL(cs.n, 16);
	for (unsigned i = 0; i < 16; i++)
		check_chunk(&cs, i, base + i, 0, 4096);
	cs.n = 0;
	/* (7680, 1024): goffset 3584, frames +1 (sectors 7-7) and +2 (sectors 0-0) */
	gnttab_foreach_grant_in_range(pfn_to_page(100), 7680, 1024, record_chunk, &cs);
	CU_ASSERT_EQUAL_FATAL(cs.n, 2);
	check_chunk(&cs, 0, base + 1, 3584, 512);
	check_chunk(&cs, 1, base + 2, 0, 512);
	cs.n = 0;
	gnttab_foreach_grant_in_range(pfn_to_page(100), 61440, 4096, record_chunk, &cs);
	CU_ASSERT_EQUAL_FATAL(cs.n, 1);
	check_chunk(&cs, 0, base + 15, 0, 4096);
#elif FX_PAGE_SIZE == 16384
	/* (7680, 1024) in a 16 KiB page: frames +1 and +2 as on 64 KiB pages */
	gnttab_foreach_grant_in_range(pfn_to_page(100), 7680, 1024, record_chunk, &cs);
	CU_ASSERT_EQUAL_FATAL(cs.n, 2);
	check_chunk(&cs, 0, base + 1, 3584, 512);
	check_chunk(&cs, 1, base + 2, 0, 512);
	cs.n = 0;
	/* a whole page: 4 grants */
	gnttab_foreach_grant_in_range(pfn_to_page(100), 0, 16384, record_chunk, &cs);
	CU_ASSERT_EQUAL(cs.n, 4);
#else
	gnttab_foreach_grant_in_range(pfn_to_page(100), 512, 1024, record_chunk, &cs);
	CU_ASSERT_EQUAL_FATAL(cs.n, 1);
	check_chunk(&cs, 0, base, 512, 1024);
	cs.n = 0;
	/* clipped to the page: len 8192 from offset 0 is one 4 KiB grant */
	gnttab_foreach_grant_in_range(pfn_to_page(100), 0, 8192, record_chunk, &cs);
	CU_ASSERT_EQUAL(cs.n, 1);
#endif
}

/* xlvbd_init_blk_queue with the block layer's clamps: the table of B.6. */
static void limits_for(unsigned segments, unsigned *hw, unsigned *maxseg)
{
	struct blkfront_info *info = kzalloc(sizeof(*info), GFP_KERNEL);
	struct gendisk gd = { .private_data = info };

	info->nr_ring_pages = 1;
	CU_ASSERT_EQUAL_FATAL(xlvbd_init_blk_queue(&gd, 512, 512, segments), 0);
	*hw = gd.queue->limits.max_hw_sectors;
	*maxseg = gd.queue->limits.max_segments;
}

static void t_blkfront_queue_limits(void)
{
	unsigned hw, seg;
	size_t clamps = fx_findings("printk");

	(void)clamps;
#if FX_PAGE_SIZE == 4096
	limits_for(11, &hw, &seg);	/* no indirect */
	CU_ASSERT(hw == 88 && seg == 11);
	limits_for(32, &hw, &seg);
	CU_ASSERT(hw == 256 && seg == 32);
	limits_for(256, &hw, &seg);
	CU_ASSERT(hw == 2048 && seg == 256);
	CU_ASSERT_EQUAL(fx_findings("printk"), clamps); /* nothing clamped */
#elif FX_PAGE_SIZE == 65536
	/* 88 sectors < one 64 KiB page: clamped to 128; 11 / 16 = 0: clamped to 1 */
	limits_for(11, &hw, &seg);
	CU_ASSERT(hw == 128 && seg == 1);
	CU_ASSERT_EQUAL(fx_findings("printk"), clamps + 2);
	limits_for(32, &hw, &seg);
	CU_ASSERT(hw == 256 && seg == 2);
	limits_for(256, &hw, &seg);
	CU_ASSERT(hw == 2048 && seg == 16);
#else
	limits_for(11, &hw, &seg);	/* 11 / 4 = 2 segments of 16 KiB */
	CU_ASSERT(hw == 88 && seg == 2);
	limits_for(32, &hw, &seg);
	CU_ASSERT(hw == 256 && seg == 8);
#endif
}

static struct gendisk *disk;
static struct blkfront_info *binfo;

static struct request make_request(int write, struct bio_vec *bv, unsigned n)
{
	struct request rq;

	memset(&rq, 0, sizeof(rq));
	rq.q = disk->queue;
	rq.rq_disk = disk;
	rq.write = write;
	rq.__sector = 8;
	rq.bvec = bv;
	rq.nr_bvec = n;
	rq.nr_phys_segments = n; /* pages far apart: one segment each */
	return rq;
}

static struct blkif_request *last_slot(void)
{
	return RING_GET_REQUEST(&binfo->ring, binfo->ring.req_prod_pvt - 1);
}

/* Segments of a packed request are passed by value: no unaligned pointers. */
static void check_seg(struct blkif_request_segment s, unsigned first, unsigned last)
{
	CU_ASSERT_EQUAL(s.first_sect, first);
	CU_ASSERT_EQUAL(s.last_sect, last);
	CU_ASSERT_NOT_EQUAL(s.gref, GRANT_INVALID_REF);
}

static void rw_req_body(void *arg)
{
	struct blkif_request *slot;
	(void)arg;

#if FX_PAGE_SIZE == 4096
	/* three pieces in three pages: 3 grants, sectors 7-7, 0-7, 0-0; reserve 3 */
	struct bio_vec bv[3] = { { pfn_to_page(100), 512, 3584 }, { pfn_to_page(200), 4096, 0 },
				 { pfn_to_page(300), 512, 0 } };
	struct request rq = make_request(0, bv, 3);

	CU_ASSERT_EQUAL_FATAL(blkif_queue_rw_req(&rq), 0);
	slot = last_slot();
	CU_ASSERT_EQUAL(slot->operation, BLKIF_OP_READ);
	CU_ASSERT_EQUAL_FATAL(slot->u.rw.nr_segments, 3);
	check_seg(slot->u.rw.seg[0], 7, 7);
	check_seg(slot->u.rw.seg[1], 0, 7);
	check_seg(slot->u.rw.seg[2], 0, 0);
	CU_ASSERT_EQUAL(slot->u.rw.sector_number, 8);
	CU_ASSERT(probe.num_sg == 3 && probe.num_grant == 3 && probe.max_grefs == 3);
	CU_ASSERT_EQUAL(probe.indirect_frames, 0);
#else
	/* one piece (7680, 1024) of one page: 2 grants, sectors 7-7 and 0-0 */
	struct bio_vec bv[1] = { { pfn_to_page(100), 1024, 7680 } };
	struct request rq = make_request(0, bv, 1);

	CU_ASSERT_EQUAL_FATAL(blkif_queue_rw_req(&rq), 0);
	slot = last_slot();
	CU_ASSERT_EQUAL(slot->operation, BLKIF_OP_READ);
	CU_ASSERT_EQUAL_FATAL(slot->u.rw.nr_segments, 2);
	check_seg(slot->u.rw.seg[0], 7, 7);
	check_seg(slot->u.rw.seg[1], 0, 0);
	CU_ASSERT(probe.num_sg == 1 && probe.num_grant == 2);
#if FX_PAGE_SIZE == 65536
	/* GREFS(1) = 16 > 11: plus INDIRECT_GREFS(16) = 1 reserved, for 2 used */
	CU_ASSERT_EQUAL(probe.max_grefs, 17);
#else
	CU_ASSERT_EQUAL(probe.max_grefs, 4); /* GREFS(1) = 4 <= 11 */
#endif
#endif
}

static void t_blkfront_rw_req_segments(void)
{
	CU_ASSERT_TRUE(fx_run(rw_req_body, NULL));
	CU_ASSERT_FALSE(fx_dut_bug());
}

#if FX_PAGE_SIZE == 4096
/* Twelve whole pages: 12 grants > 11, so an indirect request with one indirect frame. */
static void indirect_body(void *arg)
{
	struct bio_vec bv[12];
	struct request rq;
	struct blkif_request *slot;
	struct blkif_request_segment *segs;
	unsigned id;

	(void)arg;
	for (unsigned i = 0; i < 12; i++)
		bv[i] = (struct bio_vec){ pfn_to_page(400 + 2 * i), 4096, 0 };
	rq = make_request(1, bv, 12);
	CU_ASSERT_EQUAL_FATAL(blkif_queue_rw_req(&rq), 0);
	slot = last_slot();
	CU_ASSERT_EQUAL_FATAL(slot->operation, BLKIF_OP_INDIRECT);
	CU_ASSERT_EQUAL(slot->u.indirect.indirect_op, BLKIF_OP_WRITE);
	CU_ASSERT_EQUAL(slot->u.indirect.nr_segments, 12);
	CU_ASSERT(probe.num_grant == 12 && probe.indirect_frames == 1);
	CU_ASSERT_EQUAL(probe.max_grefs, 13); /* 12 + INDIRECT_GREFS(12) */
	id = slot->u.indirect.id;
	segs = page_address(binfo->shadow[id].indirect_grants[0]->page);
	for (unsigned i = 0; i < 12; i++)
		CU_ASSERT(segs[i].first_sect == 0 && segs[i].last_sect == 7);
	CU_ASSERT_EQUAL(slot->u.indirect.indirect_grefs[0],
			binfo->shadow[id].indirect_grants[0]->gref);
}

static void t_blkfront_indirect_choice(void)
{
	CU_ASSERT_TRUE(fx_run(indirect_body, NULL));
}
#endif

/*
 * A write with persistent grants copies each 4 KiB chunk into its grant's own page at the
 * same 4 KiB-relative offset (the bytes after bvec_off).
 */
static void copy_body(void *arg)
{
	struct blkif_request *slot;
	unsigned id;
#if FX_PAGE_SIZE == 4096
	struct bio_vec bv[1] = { { pfn_to_page(500), 512, 3584 } };
#else
	struct bio_vec bv[1] = { { pfn_to_page(500), 1024, 7680 } };
#endif
	char *src = (char *)page_address(pfn_to_page(500)) + bv[0].bv_offset;
	struct request rq = make_request(1, bv, 1);

	(void)arg;
	for (unsigned i = 0; i < bv[0].bv_len; i++)
		src[i] = (char)(i * 7 + 1);
	CU_ASSERT_EQUAL_FATAL(blkif_queue_rw_req(&rq), 0);
	slot = last_slot();
	id = slot->u.rw.id;
	CU_ASSERT_EQUAL(probe.copied, bv[0].bv_len);
	{
		char *g0 = page_address(binfo->shadow[id].grants_used[0]->page);

		/* 3584 is the offset of the first chunk inside its 4 KiB frame */
		CU_ASSERT_EQUAL(memcmp(g0 + 3584, src, 512), 0);
#if FX_PAGE_SIZE != 4096
		{
			char *g1 = page_address(binfo->shadow[id].grants_used[1]->page);

			CU_ASSERT_EQUAL(memcmp(g1, src + 512, 512), 0);
		}
#endif
	}
}

static void t_blkfront_persistent_copy_offsets(void)
{
	probe.copied = 0;
	CU_ASSERT_TRUE(fx_run(copy_body, NULL));
}

/*
 * An empty flush (REQ_FLUSH, no data): no grant reserved or used, one ring slot with no
 * segments, FLUSH_DISKCACHE when the backend offers a cache flush, WRITE_BARRIER when it
 * offers barriers only (feature_flush = REQ_FLUSH | REQ_FUA).
 */
static void flush_body(void *arg)
{
	struct request rq = make_request(1, NULL, 0);
	unsigned free_before = gnttab_free_count_now();
	unsigned saved = binfo->feature_flush;
	struct blkif_request *slot;

	(void)arg;
	rq.cmd_flags = REQ_FLUSH;
	rq.__sector = 0;
	CU_ASSERT_EQUAL(binfo->feature_flush, REQ_FLUSH); /* flush-cache preferred */
	CU_ASSERT_EQUAL_FATAL(blkif_queue_rw_req(&rq), 0);
	slot = last_slot();
	CU_ASSERT_EQUAL(slot->operation, BLKIF_OP_FLUSH_DISKCACHE);
	CU_ASSERT_EQUAL(slot->u.rw.nr_segments, 0);
	CU_ASSERT(probe.num_sg == 0 && probe.num_grant == 0 && probe.max_grefs == 0);
	CU_ASSERT_EQUAL(gnttab_free_count_now(), free_before);
	binfo->feature_flush = REQ_FLUSH | REQ_FUA; /* a backend with barriers only */
	CU_ASSERT_EQUAL_FATAL(blkif_queue_rw_req(&rq), 0);
	CU_ASSERT_EQUAL(last_slot()->operation, BLKIF_OP_WRITE_BARRIER);
	CU_ASSERT_EQUAL(last_slot()->u.rw.nr_segments, 0);
	binfo->feature_flush = saved;
}

static void t_blkfront_flush_op(void)
{
	CU_ASSERT_TRUE(fx_run(flush_body, NULL));
}

static void rs_test_register(CU_pSuite suite)
{
	struct blkfront_config cfg = { .nr_ring_pages = 1, .backend_domid = 0,
				       .feature_persistent = true,
				       .backend_max_indirect_segments = 32,
				       .front_max_indirect_segments = 32,
				       .feature_flush_cache = true, .feature_barrier = true };

	if (fx_setup(FX_PAGE_SIZE, 512ul << 20))
		return;
	fx_xen_setup(&probe);
	if (gnttab_init(32) || blkfront_probe_and_connect(&cfg, &disk))
		return;
	binfo = disk->private_data;
	RS_TEST(t_blkfront_count_grant);
	RS_TEST(t_blkfront_foreach_grant_in_range);
	RS_TEST(t_blkfront_rw_req_segments);
#if FX_PAGE_SIZE == 4096
	RS_TEST(t_blkfront_indirect_choice);
#endif
	RS_TEST(t_blkfront_persistent_copy_offsets);
	RS_TEST(t_blkfront_flush_op);
	RS_TEST(t_blkfront_queue_limits); /* last: it replaces the tag set */
}
