// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkfront's connect when it cannot work, one case per process (argv[1]; an oops ends the
 * simulation, which SystemC does not restart):
 * - wrap: XB-1. 64 KiB pages and a backend without indirect descriptors: grants = 11,
 *   psegs = 11 / GRANTS_PER_PSEG = 11 / 16 = 0, so blkfront_setup_indirect calls
 *   sg_init_table(sg, 0), which marks sgl[0u - 1] = sgl[4294967295]: an out-of-bounds write
 *   outside guest memory and an oops at connect, before any I/O.
 * - nowrap: the same backend at 16 KiB pages: psegs = 11 / 4 = 2, no finding.
 * - enomem: XB-8. 64 KiB pages, 64 MiB of guest memory (1024 frames), persistent grants and
 *   32 indirect segments: the pool needs (32 + INDIRECT_GREFS(32)) * 32 = 33 * 32 = 1056
 *   pages of its own. fill_grant_buffer fails and gives back everything it took, and so does
 *   blkfront_setup_indirect; connect ends in xenbus_dev_fatal(-ENOMEM).
 */
#include "xen-blkfront.c"

#include <CUnit/Basic.h>
#include <gsl/gsl_errno.h>

#include "blk_connect.h"
#include "dut_fixture.h"

static struct fx_blkif probe;

static void t_blkfront_xb1_wrap_at_connect_bad(void)
{
	struct connect_args a = { .cfg = blk_config(0, 32, true) };
	char detail[256];
	int ret = 0;

	CU_ASSERT_FALSE(fx_boot(connect_fn, &a, &ret)); /* it oopsed: connect never returned */
	CU_ASSERT_TRUE(fx_dut_bug());
	CU_ASSERT_EQUAL(fx_findings("out_of_bounds_write"), 1); /* the first shadow's, only */
	CU_ASSERT_EQUAL(fx_findings("dut_bug"), 1);
	CU_ASSERT_TRUE_FATAL(fx_finding_detail("out_of_bounds_write", detail, sizeof(detail)));
	CU_ASSERT_STRING_EQUAL(detail, "write to shadow[id].sg[4294967295], past its 0 entries "
			       "and outside guest memory: the kernel oopses");
	CU_ASSERT_EQUAL(probe.queued, 0); /* at connect, not at the first I/O */
}

static void t_blkfront_xb1_no_wrap_16k(void)
{
	struct connect_args a = { .cfg = blk_config(0, 32, true) };
	int ret = -1;

	CU_ASSERT_TRUE(fx_boot(connect_fn, &a, &ret));
	CU_ASSERT_EQUAL(ret, 0);
	CU_ASSERT_FALSE(fx_dut_bug());
	CU_ASSERT_EQUAL(fx_findings("out_of_bounds_write"), 0);
	/* the end mark is on sg[psegs - 1] = sg[1] */
	CU_ASSERT_TRUE(sg_is_last(&the_info->shadow[0].sg[1]));
	CU_ASSERT_FALSE(sg_is_last(&the_info->shadow[0].sg[0]));
}

/* A blkfront_info as probe leaves it before connect: one ring page, persistent grants. */
static struct blkfront_info *bare_info(void)
{
	struct blkfront_info *info = kzalloc(sizeof(*info), GFP_KERNEL);

	INIT_LIST_HEAD(&info->grants);
	info->nr_ring_pages = 1;
	info->feature_persistent = 1;
	info->max_indirect_segments = 32;
	return info;
}

static void t_blkfront_xb8_unwind(void)
{
	struct blkfront_info *info = bare_info();
	size_t objects = fx_kmalloc_live();
	unsigned long free_pages = nr_free_buffer_pages();

	CU_ASSERT_TRUE(free_pages < 1056); /* the premise: the pool does not fit */
	CU_ASSERT_EQUAL(fill_grant_buffer(info, 1056), -ENOMEM);
	CU_ASSERT_TRUE(list_empty(&info->grants));
	CU_ASSERT_EQUAL(fx_kmalloc_live(), objects);
	CU_ASSERT_EQUAL(nr_free_buffer_pages(), free_pages);

	CU_ASSERT_EQUAL(blkfront_setup_indirect(info), -ENOMEM);
	CU_ASSERT_TRUE(list_empty(&info->grants));
	CU_ASSERT_EQUAL(fx_kmalloc_live(), objects);
	CU_ASSERT_EQUAL(nr_free_buffer_pages(), free_pages);
	CU_ASSERT_FALSE(fx_dut_bug()); /* BUG_ON(i != 0) held */
	kfree(info);
}

static void t_blkfront_xb8_connect_fatal(void)
{
	struct connect_args a = { .cfg = blk_config(32, 32, true) };
	char detail[256];
	int ret = 0;

	CU_ASSERT_TRUE(fx_boot(connect_fn, &a, &ret));
	CU_ASSERT_EQUAL(ret, -ENOMEM);
	CU_ASSERT_EQUAL(fx_findings("xenbus_fatal"), 1);
	CU_ASSERT_EQUAL(fx_findings("dut_bug"), 0);
	CU_ASSERT_TRUE(fx_dut_bug()); /* the run ends with status dut_bug */
	CU_ASSERT_TRUE_FATAL(fx_finding_detail("xenbus_fatal", detail, sizeof(detail)));
	CU_ASSERT_STRING_EQUAL(detail, "-12 setup_indirect at /local/domain/0/backend/vbd/1/51712");
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
	if (!strcmp(argv[1], "nowrap"))
		page = 16384;
	if (!strcmp(argv[1], "enomem"))
		memory = 64ul << 20;
	if (fx_setup(page, memory) || CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	fx_xen_setup(&probe);
	if (gnttab_init(32))
		return 2;
	suite = CU_add_suite("blkfront_bug", NULL, NULL);
	if (!strcmp(argv[1], "wrap"))
		CU_add_test(suite, "t_blkfront_xb1_wrap_at_connect_bad",
			    t_blkfront_xb1_wrap_at_connect_bad);
	else if (!strcmp(argv[1], "nowrap"))
		CU_add_test(suite, "t_blkfront_xb1_no_wrap_16k", t_blkfront_xb1_no_wrap_16k);
	else if (!strcmp(argv[1], "enomem")) {
		CU_add_test(suite, "t_blkfront_xb8_unwind", t_blkfront_xb8_unwind);
		CU_add_test(suite, "t_blkfront_xb8_connect_fatal", t_blkfront_xb8_connect_fatal);
	} else
		return 2;
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
