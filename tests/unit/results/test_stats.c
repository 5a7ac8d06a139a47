// SPDX-License-Identifier: GPL-2.0-only
/* Tests of sim/results/stats.c: exact moments, nearest-rank quantiles in bounded memory. */
#include <math.h>

#include "cunit_main.h"
#include "results/stats.h"

static void t_stats_small_values_exact(void)
{
	struct rs_stat *st = rs_stat_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	/* 100..1 in reverse: nearest rank p50 = 50, p90 = 90, p99 = 99, p99.9 = 100. */
	for (int v = 100; v >= 1; v--)
		rs_stat_add(st, v);
	CU_ASSERT_EQUAL(rs_stat_count(st), 100);
	CU_ASSERT_EQUAL(rs_stat_total(st), 5050);
	CU_ASSERT_DOUBLE_EQUAL(rs_stat_mean(st), 50.5, 1e-12);
	CU_ASSERT_EQUAL(rs_stat_quantile(st, 0.50), 50);
	CU_ASSERT_EQUAL(rs_stat_quantile(st, 0.90), 90);
	CU_ASSERT_EQUAL(rs_stat_quantile(st, 0.99), 99);
	CU_ASSERT_EQUAL(rs_stat_quantile(st, 0.999), 100);
	CU_ASSERT_EQUAL(rs_stat_min(st), 1);
	CU_ASSERT_EQUAL(rs_stat_max(st), 100);
	/* Sample standard deviation of 1..100: sqrt(100 * 101 / 12) = 29.011... */
	CU_ASSERT_DOUBLE_EQUAL(rs_stat_sd(st), sqrt(841.6666666666666), 1e-9);
	rs_stat_free(st);
}

static void t_stats_large_values_within_bin(void)
{
	struct rs_stat *st = rs_stat_new();
	double q;

	/* 1000 samples 1 000 000 + 1000 i: p50 is sample 500, 1 499 000. */
	for (int i = 1; i <= 1000; i++)
		rs_stat_add(st, 1000000.0 + 1000.0 * i);
	q = rs_stat_quantile(st, 0.5);
	/* Bins above 2^20 are 2^20 / 1024 = 1024 wide: q is the lower edge, within one bin. */
	CU_ASSERT(q <= 1500000.0 && q > 1500000.0 - 1024.0);
	CU_ASSERT_EQUAL(rs_stat_max(st), 2000000.0);
	q = rs_stat_quantile(st, 1.0);
	CU_ASSERT(q <= 2000000.0 && q > 2000000.0 - 1024.0);
	rs_stat_free(st);
}

static void t_stats_quantile_never_outside_min_max(void)
{
	struct rs_stat *st = rs_stat_new();

	rs_stat_add(st, 3000000.5);
	/* One sample: every quantile is that sample, not its bin's lower edge. */
	CU_ASSERT_EQUAL(rs_stat_quantile(st, 0.5), 3000000.5);
	CU_ASSERT_EQUAL(rs_stat_quantile(st, 0.0), 3000000.5);
	rs_stat_free(st);
}

static void t_stats_empty(void)
{
	struct rs_stat *st = rs_stat_new();

	CU_ASSERT_EQUAL(rs_stat_count(st), 0);
	CU_ASSERT_EQUAL(rs_stat_mean(st), 0);
	CU_ASSERT_EQUAL(rs_stat_quantile(st, 0.99), 0);
	CU_ASSERT_EQUAL(rs_stat_max(st), 0);
	rs_stat_free(st);
}

static void count_bins(void *arg, double lo, double hi, double count)
{
	double *acc = arg;

	acc[0] += count;
	acc[1] += hi - lo > 0;
}

static void t_stats_bins_cover_samples(void)
{
	struct rs_stat *st = rs_stat_new();
	double acc[2] = { 0, 0 };

	rs_stat_add(st, 7);
	rs_stat_add(st, 7);
	rs_stat_add(st, 5000);
	rs_stat_add(st, -3); /* counts as 0 */
	rs_stat_bins(st, count_bins, acc);
	CU_ASSERT_EQUAL(acc[0], 4); /* every sample in some bin */
	CU_ASSERT_EQUAL(acc[1], 3); /* 0, 7 and the bin of 5000 */
	rs_stat_free(st);
}

static void rs_test_register(CU_pSuite suite)
{
	RS_TEST(t_stats_small_values_exact);
	RS_TEST(t_stats_large_values_within_bin);
	RS_TEST(t_stats_quantile_never_outside_min_max);
	RS_TEST(t_stats_empty);
	RS_TEST(t_stats_bins_cover_samples);
}
