// SPDX-License-Identifier: GPL-2.0-only
/*
 * The transport's BUG_ONs, one per process (a BUG stops the simulation, which SystemC does
 * not restart): argv[1] names the case. Each must end in a dut_bug finding and a parked
 * thread, never in a crash of the test process.
 */
#include "trans_virtio.c"

#include <CUnit/Basic.h>
#include <gsl/gsl_errno.h>

#include "dut_fixture.h"

static struct scatterlist sg[VIRTQUEUE_NUM];
static int reached_after_bug;

/* Two pages of data from entry 127: sg[127] is fine, sg[128] is one past the array and is
 * written before BUG_ON(index > limit) fires (index 129 > 128). */
static void overflow_body(void *arg)
{
	(void)arg;
	pack_sg_list(sg, VIRTQUEUE_NUM - 1, VIRTQUEUE_NUM, phys_to_virt(0x10ul * PAGE_SIZE),
		     (int)(2 * PAGE_SIZE));
	reached_after_bug = 1;
}

static void t_trans_pack_sg_list_overflow_bad(void)
{
	CU_ASSERT_FALSE(fx_run(overflow_body, NULL));
	CU_ASSERT_FALSE(reached_after_bug);
	CU_ASSERT_TRUE(fx_dut_bug());
	CU_ASSERT_EQUAL(fx_findings("out_of_bounds_write"), 1);
	CU_ASSERT_EQUAL(fx_findings("dut_bug"), 1);
	CU_ASSERT_EQUAL(page_to_pfn(sg[127].page), 0x10);
}

/* BUG_ON(nr_pages > (limit - start)) at entry: 3 pages from entry 126 of 128. */
static void p_body(void *arg)
{
	struct page *pages[3] = { pfn_to_page(1), pfn_to_page(2), pfn_to_page(3) };

	(void)arg;
	pack_sg_list_p(sg, VIRTQUEUE_NUM - 2, VIRTQUEUE_NUM, pages, 3,
		       (char *)(uintptr_t)0x10000000ul, (int)(3 * PAGE_SIZE));
	reached_after_bug = 1;
}

static void t_trans_pack_sg_list_p_too_many_pages_bad(void)
{
	CU_ASSERT_FALSE(fx_run(p_body, NULL));
	CU_ASSERT_FALSE(reached_after_bug);
	CU_ASSERT_EQUAL(fx_findings("dut_bug"), 1);
	CU_ASSERT_EQUAL(fx_findings("out_of_bounds_write"), 0); /* caught before any write */
	CU_ASSERT_PTR_NULL(sg[126].page);
}

int main(int argc, char **argv)
{
	CU_pSuite suite;
	unsigned failed;

	gsl_set_error_handler_off();
	if (argc != 2 || fx_setup(4096, 64ul << 20) || CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	p9_virtio_init();
	kshim_sg_register(sg, VIRTQUEUE_NUM, "sg");
	suite = CU_add_suite("trans_virtio_bug", NULL, NULL);
	if (!strcmp(argv[1], "overflow"))
		CU_add_test(suite, "t_trans_pack_sg_list_overflow_bad",
			    t_trans_pack_sg_list_overflow_bad);
	else if (!strcmp(argv[1], "too_many_pages"))
		CU_add_test(suite, "t_trans_pack_sg_list_p_too_many_pages_bad",
			    t_trans_pack_sg_list_p_too_many_pages_bad);
	else
		return 2;
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
