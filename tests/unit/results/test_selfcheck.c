// SPDX-License-Identifier: GPL-2.0-only
/* Tests of sim/results/selfcheck.c: Little's law from a summary's own figures. */
#include <math.h>

#include <jansson.h>

#include "cunit_main.h"
#include "results/selfcheck.h"

/* L = 2, lambda = 1e6 /s, W = 1.5 us: lambda W = 1.5, so L is 1/3 too high. */
static void t_selfcheck_error_relative(void)
{
	CU_ASSERT_DOUBLE_EQUAL(rs_littles_law_error(2, 1e6, 1.5e-6), 1.0 / 3, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(rs_littles_law_error(1.5, 1e6, 1.5e-6), 0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(rs_littles_law_error(0, 0, 0), 0, 0);
	CU_ASSERT(isinf(rs_littles_law_error(1, 0, 0)));
}

/*
 * Two jobs at 1 GHz. a: 100 requests ended in a window of 1e6 cycles (1e5 /s), 1.2e6
 * cycles in the system (12 us each): lambda W = 1.2, L = 1.2: error 0. b: 50 ended, 2e5
 * /s, 2e6 cycles (40 us each): lambda W = 8, L = 6: error -0.25, the max by magnitude.
 * c ended nothing: left out.
 */
static void t_selfcheck_summary_per_job(void)
{
	json_t *sum = json_pack(
		"{s:{s:{s:f, s:{s:f}, s:{s:i}, s:i}, s:{s:f, s:{s:f}, s:{s:i}, s:i},"
		" s:{s:f, s:{s:f}, s:{s:i}, s:i}}}", "jobs",
		"a", "in_flight_mean", 1.2, "throughput", "requests_per_second", 1e5,
		"requests", "ended", 100, "residence_cycles", 1200000,
		"b", "in_flight_mean", 6.0, "throughput", "requests_per_second", 2e5,
		"requests", "ended", 50, "residence_cycles", 2000000,
		"c", "in_flight_mean", 0.0, "throughput", "requests_per_second", 0.0,
		"requests", "ended", 0, "residence_cycles", 0);
	json_t *e;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sum);
	CU_ASSERT_EQUAL(rs_selfcheck_summary(sum, 1000000000), 0);
	e = json_object_get(json_object_get(sum, "selfcheck"), "littles_law_error");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(e, "a")), 0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(e, "b")), -0.25, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(e, "max")), -0.25, 1e-12);
	CU_ASSERT_PTR_NULL(json_object_get(e, "c"));
	json_decref(sum);
}

static void rs_test_register(CU_pSuite suite)
{
	RS_TEST(t_selfcheck_error_relative);
	RS_TEST(t_selfcheck_summary_per_job);
}
