// SPDX-License-Identifier: GPL-2.0-only
/*
 * The 9p transport fixes of dut/fixes against the seed, side by side: built once per
 * variant (seed, seed+9p-b2, seed+9p-b7, seed+9p-b5, upstream) from the variant's patched
 * trans_virtio.c (included) and trans_common.c (linked, a KASAN object as in rs_dut), with
 * FX_FIX_<ID> 1 for the fixes it has. 4 KiB pages. One case per process (argv[1]). Values
 * worked out by hand from kernel-facts A.2-A.4 and 9P-B2, 9P-B5, 9P-B7.
 * - twrite_sg: 9P-B2 with the TWRITE corner of A.4: msize 512000, rsize 512000 - 24 =
 *   511976 from a buffer 32 bytes into its page: 1 tc entry + ceil((32 + 511976) / 4096) =
 *   126 payload entries + the 4096-byte in-header 32 bytes into its page, 4064 + 32: 2
 *   entries. 129 > 128. seed: sg[128] written (an out_of_bounds_write), then BUG; the fix:
 *   BUG before sg[128], no out-of-bounds write. A TREAD's worst case, 1 + 1 + 126 = 128,
 *   fits in both.
 * - release: 9P-B7. 3 pinned pages in a kmalloc'd 24-byte array: seed reads pages[3] (one
 *   out_of_bounds_read); the fix reads pages[0..2] only. With pages[1] NULL the seed stops
 *   there (pages[2] stays pinned); the fix skips it and puts pages[2].
 * - twrite_size: 9P-B5. A Twrite's 23-byte header with size[4] 23 and 2 pages of payload:
 *   seed leaves 23; the fix writes 23 + 8192 = 8215.
 */
#include "trans_virtio.c"

#include <CUnit/Basic.h>
#include <gsl/gsl_errno.h>

#include "dut_fixture.h"

#ifndef FX_FIX_9P_B2
#define FX_FIX_9P_B2 0
#endif
#ifndef FX_FIX_9P_B5
#define FX_FIX_9P_B5 0
#endif
#ifndef FX_FIX_9P_B7
#define FX_FIX_9P_B7 0
#endif

static struct scatterlist sg[VIRTQUEUE_NUM];
static struct page *payload[126];
static int packed, reached_after_bug;

/* The zero-copy packing of p9_virtio_zc_request, in its order, into sg[]. */
static int pack_zc(char *tc, int tc_size, char *odata, int olen, int onr, char *rc,
		   int in_hdr_len, char *idata, int ilen, int inr)
{
	int out, in;

	out = pack_sg_list(sg, 0, VIRTQUEUE_NUM, tc, tc_size);
	if (odata)
		out += pack_sg_list_p(sg, out, VIRTQUEUE_NUM, payload, onr, odata, olen);
	in = pack_sg_list(sg, out, VIRTQUEUE_NUM, rc, in_hdr_len);
	if (idata)
		in += pack_sg_list_p(sg, out + in, VIRTQUEUE_NUM, payload, inr, idata, ilen);
	return out + in;
}

static void twrite_body(void *arg)
{
	/* tc and rc 32 bytes into their pages, as sdata after struct p9_fcall */
	char *tc = phys_to_virt(0x10ul * PAGE_SIZE + 32);
	char *rc = phys_to_virt(0x20ul * PAGE_SIZE + 32);
	/* the user buffer's address only sets the offsets (the pages are given) */
	char *user = (char *)(uintptr_t)(0x10000000ul + 32);

	(void)arg;
	for (int i = 0; i < 126; i++)
		payload[i] = pfn_to_page(0x100 + i);
	/* TREAD, the worst case: 23-byte tc, 11-byte in-header, 126 pages in */
	packed = pack_zc(tc, 23, NULL, 0, 0, rc, 11, user, 511976, 126);
	/* TWRITE: 23-byte tc, 126 pages out, the 4096-byte in-header */
	pack_zc(tc, 23, user, 511976, 126, rc, 4096, NULL, 0, 0);
	reached_after_bug = 1;
}

static void t_fix_twrite_sg_bound(void)
{
	CU_ASSERT_FALSE(fx_run(twrite_body, NULL)); /* BUG, in both */
	CU_ASSERT_FALSE(reached_after_bug);
	CU_ASSERT_EQUAL(packed, 128); /* the TREAD fitted */
	CU_ASSERT_TRUE(fx_dut_bug());
	CU_ASSERT_EQUAL(fx_findings("dut_bug"), 1);
	/* sg[127] is the in-header's first entry: 4096 - 32 = 4064 bytes */
	CU_ASSERT_EQUAL(page_to_pfn(sg[127].page), 0x20);
	CU_ASSERT_EQUAL(sg[127].offset, 32);
	CU_ASSERT_EQUAL(sg[127].length, 4064);
	/* the payload's last entry: 32 + 511976 = 125 pages + 8 bytes, so 8 bytes */
	CU_ASSERT_EQUAL(sg[126].length, 8);
#if FX_FIX_9P_B2
	CU_ASSERT_EQUAL(fx_findings("out_of_bounds_write"), 0);
#else
	char detail[256];

	CU_ASSERT_EQUAL(fx_findings("out_of_bounds_write"), 1);
	CU_ASSERT_TRUE_FATAL(fx_finding_detail("out_of_bounds_write", detail, sizeof(detail)));
	CU_ASSERT_PTR_NOT_NULL(strstr(detail, "sg[128]"));
#endif
}

struct release_case {
	char *buf;
	int n;
	size_t oob;
	unsigned long pfn[3];
	unsigned pins_null[3];
};

static void release_body(void *arg)
{
	struct release_case *r = arg;
	/* as p9_virtio_zc_request allocates it: 3 pointers, 24 bytes */
	struct page **pages = kmalloc(sizeof(struct page *) * 3, GFP_NOFS);
	size_t before;

	if (!pages)
		return;
	r->n = get_user_pages_fast((unsigned long)r->buf, 3, 1, pages);
	for (int i = 0; i < 3; i++)
		r->pfn[i] = page_to_pfn(pages[i]);
	before = fx_findings("out_of_bounds_read");
	p9_release_pages(pages, 3);
	r->oob = fx_findings("out_of_bounds_read") - before;

	/* again, with a NULL in the middle */
	r->n += get_user_pages_fast((unsigned long)r->buf, 3, 1, pages);
	pages[1] = NULL;
	p9_release_pages(pages, 3);
	for (int i = 0; i < 3; i++)
		r->pins_null[i] = fx_pincount(r->pfn[i]);
	put_page(pfn_to_page(r->pfn[1]));
	if (r->pins_null[2])
		put_page(pfn_to_page(r->pfn[2]));
	kfree(pages);
}

static void t_fix_release_pages_bounded(void)
{
	struct release_case r;

	memset(&r, 0, sizeof(r));
	r.buf = fx_user_buffer(3 * PAGE_SIZE);
	CU_ASSERT_TRUE_FATAL(fx_run(release_body, &r));
	CU_ASSERT_EQUAL_FATAL(r.n, 6);
	CU_ASSERT_EQUAL(r.oob, FX_FIX_9P_B7 ? 0 : 1);
	CU_ASSERT_EQUAL(r.pins_null[0], 0);
	CU_ASSERT_EQUAL(r.pins_null[1], 1);                   /* NULL: nobody puts it */
	CU_ASSERT_EQUAL(r.pins_null[2], FX_FIX_9P_B7 ? 0 : 1); /* seed stops at the NULL */
	for (int i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(fx_pincount(r.pfn[i]), 0);
	CU_ASSERT_EQUAL(fx_findings("out_of_bounds_write"), 0);
}

struct size_case {
	int err;
	u32 size_field;
	int pinned_after;
};

/*
 * p9_virtio_zc_request with a payload out and, to stop before the ring (no device here), an
 * in buffer that cannot be pinned: the out side is mapped (and, with the fix, the size
 * field rewritten), then the in side fails with -EFAULT and everything is unwound.
 */
static void size_body(void *arg)
{
	struct size_case *c = arg;
	struct virtio_chan chan;
	struct p9_client clnt;
	struct p9_req_t req;
	struct p9_fcall *tc = kzalloc(sizeof(*tc) + 4096, GFP_NOFS);
	char *out = fx_user_buffer(2 * PAGE_SIZE);
	char *in = (char *)(uintptr_t)0x7f0000000ul; /* never mapped */
	u32 hdr = 23;

	if (!tc)
		return;
	tc->sdata = (u8 *)(tc + 1);
	tc->capacity = 4096;
	tc->size = 23; /* size[4] type[1] tag[2] fid[4] offset[8] count[4] */
	memcpy(tc->sdata, &hdr, 4);
	tc->sdata[4] = P9_TWRITE;
	memset(&chan, 0, sizeof(chan));
	memset(&clnt, 0, sizeof(clnt));
	memset(&req, 0, sizeof(req));
	chan.p9_max_pages = 1000;
	clnt.trans = &chan;
	req.tc = tc;
	c->err = p9_virtio_zc_request(&clnt, &req, in, out, 100, (int)(2 * PAGE_SIZE),
				      P9_ZC_HDR_SZ, 0);
	memcpy(&c->size_field, tc->sdata, 4);
	c->pinned_after = atomic_read(&vp_pinned);
	kfree(tc);
}

static void t_fix_twrite_size_field(void)
{
	struct size_case c;
	int before = atomic_read(&vp_pinned);

	memset(&c, 0, sizeof(c));
	CU_ASSERT_TRUE_FATAL(fx_run(size_body, &c));
	CU_ASSERT_EQUAL(c.err, -EFAULT);
	CU_ASSERT_EQUAL(c.size_field, FX_FIX_9P_B5 ? 23 + 2 * 4096 : 23);
	CU_ASSERT_EQUAL(c.pinned_after, before);
}

int main(int argc, char **argv)
{
	CU_pSuite suite;
	unsigned failed;

	gsl_set_error_handler_off();
	if (argc != 2 || fx_setup(4096, 256ul << 20) || CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	p9_virtio_init();
	kshim_sg_register(sg, VIRTQUEUE_NUM, "chan->sg");
	suite = CU_add_suite("fixes_9p", NULL, NULL);
	if (!strcmp(argv[1], "twrite_sg"))
		CU_add_test(suite, "t_fix_twrite_sg_bound", t_fix_twrite_sg_bound);
	else if (!strcmp(argv[1], "release"))
		CU_add_test(suite, "t_fix_release_pages_bounded", t_fix_release_pages_bounded);
	else if (!strcmp(argv[1], "twrite_size"))
		CU_add_test(suite, "t_fix_twrite_size_field", t_fix_twrite_size_field);
	else
		return 2;
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
