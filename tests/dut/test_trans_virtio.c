// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of dut/trans_virtio.c and trans_common.c against values worked out by hand from
 * the reference (kernel-facts A.2-A.4). Built twice: with 4 KiB and with 64 KiB pages
 * (FX_PAGE_SIZE). The transport's functions are static, as in the kernel: the file is
 * included here to reach them.
 */
#include "trans_virtio.c"

#include <linux/vmalloc.h>

#include "../unit/cunit_main.h"
#include "dut_fixture.h"

#define KiB 1024ul

static struct scatterlist sg[VIRTQUEUE_NUM];

static void check_entry(int i, unsigned long pfn, unsigned offset, unsigned length)
{
	CU_ASSERT_EQUAL(page_to_pfn(sg[i].page), pfn);
	CU_ASSERT_EQUAL(sg[i].offset, offset);
	CU_ASSERT_EQUAL(sg[i].length, length);
}

/* A linear kernel buffer 100 bytes into frame 0x10, 10000 bytes long. */
static void t_trans_pack_sg_list_linear(void)
{
	char *data = phys_to_virt(0x10ul * PAGE_SIZE + 100);
	int n = pack_sg_list(sg, 0, VIRTQUEUE_NUM, data, 10000);

#if FX_PAGE_SIZE == 4096
	/* 4096 - 100 = 3996, then 4096, then 10000 - 3996 - 4096 = 1908 */
	CU_ASSERT_EQUAL_FATAL(n, 3);
	check_entry(0, 0x10, 100, 3996);
	check_entry(1, 0x11, 0, 4096);
	check_entry(2, 0x12, 0, 1908);
#else
	/* 100 + 10000 fits in one 64 KiB page */
	CU_ASSERT_EQUAL_FATAL(n, 1);
	check_entry(0, 0x10, 100, 10000);
#endif
}

/* Starting at entry 5 counts entries from there. */
static void t_trans_pack_sg_list_start(void)
{
	char *data = phys_to_virt(0x20ul * PAGE_SIZE + PAGE_SIZE - 11);
	int n = pack_sg_list(sg, 5, VIRTQUEUE_NUM, data, 11);

	/* the Rread header (11 bytes) at the very end of a page: one entry */
	CU_ASSERT_EQUAL_FATAL(n, 1);
	check_entry(5, 0x20, PAGE_SIZE - 11, 11);
	/* one byte later it straddles: 10 + 1 */
	n = pack_sg_list(sg, 0, VIRTQUEUE_NUM, data + 1, 11);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	check_entry(0, 0x20, PAGE_SIZE - 10, 10);
	check_entry(1, 0x21, 0, 1);
}

/* A user buffer 512 bytes into its page: only the first entry has an offset. */
static void t_trans_pack_sg_list_p_offset(void)
{
	struct page *pages[3] = { pfn_to_page(7), pfn_to_page(3), pfn_to_page(9) };
	char *udata = (char *)(uintptr_t)(0x10000000ul + 512);
	int n;

#if FX_PAGE_SIZE == 4096
	/* 8192 bytes from offset 512 touch 3 pages: 3584, 4096, 512 */
	n = pack_sg_list_p(sg, 1, VIRTQUEUE_NUM, pages, 3, udata, 8192);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	check_entry(1, 7, 512, 3584);
	check_entry(2, 3, 0, 4096);
	check_entry(3, 9, 0, 512);
#else
	/* 8192 bytes from offset 512 stay in one 64 KiB page */
	n = pack_sg_list_p(sg, 1, VIRTQUEUE_NUM, pages, 1, udata, 8192);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	check_entry(1, 7, 512, 8192);
#endif
}

/* It loops on nr_pages, not count: a page beyond the data gets a zero-length entry. */
static void t_trans_pack_sg_list_p_zero_length(void)
{
	struct page *pages[3] = { pfn_to_page(1), pfn_to_page(2), pfn_to_page(3) };
	char *udata = (char *)(uintptr_t)0x10000000ul;
	unsigned first = PAGE_SIZE == 4096 ? 4096 : 5000;
	int n = pack_sg_list_p(sg, 0, VIRTQUEUE_NUM, pages, 3, udata, 5000);

	CU_ASSERT_EQUAL_FATAL(n, 3);
	check_entry(0, 1, 0, first);
	check_entry(1, 2, 0, 5000 - first); /* 904 at 4 KiB, 0 at 64 KiB */
	check_entry(2, 3, 0, 0);
}

static void t_trans_p9_nr_pages(void)
{
	char *base = (char *)(uintptr_t)(0x10000000ul);

	CU_ASSERT_EQUAL(p9_nr_pages(base, 0), 0);
	CU_ASSERT_EQUAL(p9_nr_pages(base, 1), 1);
	CU_ASSERT_EQUAL(p9_nr_pages(base, (int)PAGE_SIZE), 1);
	CU_ASSERT_EQUAL(p9_nr_pages(base + 1, (int)PAGE_SIZE), 2);
#if FX_PAGE_SIZE == 4096
	CU_ASSERT_EQUAL(p9_nr_pages(base + 4000, 200), 2);
	/* rsize = 512000 - 24 = 511976 from offset 4000: ceil(515976 / 4096) = 126 */
	CU_ASSERT_EQUAL(p9_nr_pages(base + 4000, 511976), 126);
	CU_ASSERT_EQUAL(p9_nr_pages(base, 65536), 16);
#else
	CU_ASSERT_EQUAL(p9_nr_pages(base + 4000, 200), 1);
	CU_ASSERT_EQUAL(p9_nr_pages(base + 65535, 2), 2);
	/* 511976 bytes from offset 4000: ceil(515976 / 65536) = 8 */
	CU_ASSERT_EQUAL(p9_nr_pages(base + 4000, 511976), 8);
	CU_ASSERT_EQUAL(p9_nr_pages(base, 65536), 1);
#endif
}

struct gup_case {
	char *buf;
	struct page *pages[4];
	int n;
	int pinned_before, pinned_after;
};

static void gup_body(void *arg)
{
	struct gup_case *g = arg;
	struct virtio_chan chan;

	memset(&chan, 0, sizeof(chan));
	chan.p9_max_pages = 1000;
	g->pinned_before = atomic_read(&vp_pinned);
	g->n = p9_get_mapped_pages(&chan, g->pages, g->buf + 100, 3, 1, 0);
	g->pinned_after = atomic_read(&vp_pinned);
}

/* A user buffer: pinned, counted in vp_pinned; p9_release_pages stops at a NULL entry. */
static void t_trans_get_mapped_pages_user(void)
{
	struct gup_case g;

	memset(&g, 0, sizeof(g));
	g.buf = fx_user_buffer(4 * PAGE_SIZE);
	CU_ASSERT_TRUE_FATAL(fx_run(gup_body, &g));
	CU_ASSERT_EQUAL(g.n, 3);
	CU_ASSERT_EQUAL(g.pinned_after - g.pinned_before, 3);
	for (int i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(fx_pincount(page_to_pfn(g.pages[i])), 1);
	/* The NULL test comes first: with pages[1] NULL only pages[0] is put. */
	g.pages[1] = NULL;
	p9_release_pages(g.pages, 3);
	CU_ASSERT_EQUAL(fx_pincount(page_to_pfn(g.pages[0])), 0);
	CU_ASSERT_EQUAL(fx_pincount(page_to_pfn(g.pages[2])), 1);
	put_page(g.pages[2]);
	atomic_sub(3, &vp_pinned);
}

/* A kernel buffer: virt_to_page of each page, nothing pinned or counted. */
static void t_trans_get_mapped_pages_kernel(void)
{
	struct virtio_chan chan;
	struct page *pages[3];
	char *data = phys_to_virt(0x40ul * PAGE_SIZE + 8);
	int before = atomic_read(&vp_pinned);

	memset(&chan, 0, sizeof(chan));
	CU_ASSERT_EQUAL(p9_get_mapped_pages(&chan, pages, data, 3, 1, 1), 3);
	/* first page from offset 8, then whole pages */
	CU_ASSERT_EQUAL(page_to_pfn(pages[0]), 0x40);
	CU_ASSERT_EQUAL(page_to_pfn(pages[1]), 0x41);
	CU_ASSERT_EQUAL(page_to_pfn(pages[2]), 0x42);
	CU_ASSERT_EQUAL(atomic_read(&vp_pinned), before);
}

struct limit_case {
	struct virtio_chan chan;
	char *buf;
	struct page *pages[2];
	int n;
	u64 waited;
};

static void release_pins(void *arg)
{
	(void)arg;
	atomic_sub(100, &vp_pinned);
	wake_up(&vp_wq);
}

static void limit_body(void *arg)
{
	struct limit_case *l = arg;
	u64 start = fx_cycle();

	l->n = p9_get_mapped_pages(&l->chan, l->pages, l->buf, 2, 1, 0);
	l->waited = fx_cycle() - start;
}

/* At the limit a user request sleeps on vp_wq until pins are released. */
static void t_trans_pin_limit_waits(void)
{
	static struct limit_case l;

	memset(&l, 0, sizeof(l));
	l.chan.p9_max_pages = 100;
	l.buf = fx_user_buffer(2 * PAGE_SIZE);
	atomic_add(100, &vp_pinned); /* someone else holds the limit's worth */
	fx_call_after(5000, release_pins, NULL);
	CU_ASSERT_TRUE_FATAL(fx_run(limit_body, &l));
	CU_ASSERT_EQUAL(l.n, 2);
	CU_ASSERT(l.waited >= 5000);
	CU_ASSERT_EQUAL(fx_findings("sleep_in_atomic"), 0);
	put_page(l.pages[0]);
	put_page(l.pages[1]);
	atomic_sub(2, &vp_pinned);
}

struct unwind_case {
	int err;
	int pinned_after;
	size_t live_before, live_after;
};

static void unwind_body(void *arg)
{
	struct unwind_case *u = arg;
	struct virtio_chan chan;
	struct p9_client clnt;
	struct p9_req_t req;
	char *out = fx_user_buffer(2 * PAGE_SIZE);
	/* never mapped: gup fails with -EFAULT */
	char *in = (char *)(uintptr_t)0x7f0000000ul;

	memset(&chan, 0, sizeof(chan));
	memset(&clnt, 0, sizeof(clnt));
	memset(&req, 0, sizeof(req));
	chan.p9_max_pages = 1000;
	clnt.trans = &chan;
	u->live_before = fx_kmalloc_live();
	u->err = p9_virtio_zc_request(&clnt, &req, in, out, 100, (int)PAGE_SIZE, 11, 0);
	u->pinned_after = atomic_read(&vp_pinned);
	u->live_after = fx_kmalloc_live();
}

/* A failed pin of the in side unwinds the out side: unpinned, uncounted, arrays freed. */
static void t_trans_zc_request_pin_failure_unwinds_bad(void)
{
	struct unwind_case u;
	int before = atomic_read(&vp_pinned);

	memset(&u, 0, sizeof(u));
	CU_ASSERT_TRUE_FATAL(fx_run(unwind_body, &u));
	CU_ASSERT_EQUAL(u.err, -EFAULT);
	CU_ASSERT_EQUAL(u.pinned_after, before);
	CU_ASSERT_EQUAL(u.live_after, u.live_before);
	CU_ASSERT_EQUAL(fx_findings("leak_pinned"), 0);
}

struct vmalloc_case {
	unsigned long got[3], right[3];
	size_t warned;
};

static void vmalloc_body(void *arg)
{
	struct vmalloc_case *v = arg;
	struct virtio_chan chan;
	struct page *pages[3];
	char *buf = vmalloc(3 * PAGE_SIZE);
	size_t before = fx_findings("bad_virt_to_page");

	if (!buf)
		return;
	memset(&chan, 0, sizeof(chan));
	CU_ASSERT_EQUAL(p9_get_mapped_pages(&chan, pages, buf, 3, 1, 1), 3);
	for (int i = 0; i < 3; i++) {
		v->got[i] = page_to_pfn(pages[i]);
		v->right[i] = page_to_pfn(vmalloc_to_page(buf + i * PAGE_SIZE));
	}
	v->warned = fx_findings("bad_virt_to_page") - before;
	vfree(buf);
}

/* 9P-B6: the kern_buf path's virt_to_page() of a vmalloc'd buffer: one warning per page, and
 * none of the three frames is the buffer's; they lie past the end of guest memory. */
static void t_trans_get_mapped_pages_vmalloc_bad(void)
{
	struct vmalloc_case v;

	memset(&v, 0, sizeof(v));
	CU_ASSERT_TRUE_FATAL(fx_run(vmalloc_body, &v));
	CU_ASSERT_EQUAL(v.warned, 3);
	for (int i = 0; i < 3; i++) {
		CU_ASSERT_NOT_EQUAL(v.got[i], v.right[i]);
		CU_ASSERT_TRUE(v.got[i] >= kshim_direct_map_size / PAGE_SIZE);
	}
	/* consecutive frames after the first, as the loop advances by rest_of_page */
	CU_ASSERT_EQUAL(v.got[1], v.got[0] + 1);
	CU_ASSERT_EQUAL(v.got[2], v.got[0] + 2);
}

struct release_case {
	char *buf;
	int n;                /* pages pinned into the array */
	size_t oob_before, oob_after;
	unsigned long pfn[3];
};

static void release_body(void *arg)
{
	struct release_case *r = arg;
	/* As p9_virtio_zc_request allocates it: 3 pointers, 24 bytes, in kmalloc-32. */
	struct page **pages = kmalloc(sizeof(struct page *) * 3, GFP_NOFS);

	if (!pages)
		return;
	r->n = get_user_pages_fast((unsigned long)r->buf, 3, 1, pages);
	for (int i = 0; i < 3; i++)
		r->pfn[i] = page_to_pfn(pages[i]);
	r->oob_before = fx_findings("out_of_bounds_read");
	p9_release_pages(pages, 3);
	r->oob_after = fx_findings("out_of_bounds_read");
	kfree(pages);
}

/* 9P-B7: after putting the 3 pages the loop tests pages[3] before the count: one 8-byte
 * read at offset 24 of the 24-byte array, which KASAN (kshim/kasan.cpp) reports, once. */
static void t_trans_release_pages_reads_past_array(void)
{
	struct release_case r;

	memset(&r, 0, sizeof(r));
	r.buf = fx_user_buffer(3 * PAGE_SIZE);
	CU_ASSERT_TRUE_FATAL(fx_run(release_body, &r));
	CU_ASSERT_EQUAL_FATAL(r.n, 3);
	CU_ASSERT_EQUAL(r.oob_after - r.oob_before, 1);
	for (int i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(fx_pincount(r.pfn[i]), 0);
	CU_ASSERT_EQUAL(fx_findings("out_of_bounds_write"), 0);
}

static void rs_test_register(CU_pSuite suite)
{
	if (fx_setup(FX_PAGE_SIZE, 256ul << 20))
		return;
	p9_virtio_init();
	kshim_sg_register(sg, VIRTQUEUE_NUM, "sg");
	RS_TEST(t_trans_pack_sg_list_linear);
	RS_TEST(t_trans_pack_sg_list_start);
	RS_TEST(t_trans_pack_sg_list_p_offset);
	RS_TEST(t_trans_pack_sg_list_p_zero_length);
	RS_TEST(t_trans_p9_nr_pages);
	RS_TEST(t_trans_get_mapped_pages_user);
	RS_TEST(t_trans_get_mapped_pages_kernel);
	RS_TEST(t_trans_pin_limit_waits);
	RS_TEST(t_trans_zc_request_pin_failure_unwinds_bad);
	RS_TEST(t_trans_release_pages_reads_past_array);
	RS_TEST(t_trans_get_mapped_pages_vmalloc_bad);
}
