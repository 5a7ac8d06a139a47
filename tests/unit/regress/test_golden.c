// SPDX-License-Identifier: GPL-2.0-only
/* Tests of sim/regress/golden.c: exact goldens, and 95% intervals from replications (GSL). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cunit_main.h"
#include "regress/golden.h"
#include "results/flatten.h"

static json_t *metrics(double lat, double enospc)
{
	return json_pack("{s:f, s:f}", "latency_cycles.p50", lat, "virtio.enospc", enospc);
}

static size_t check(json_t *golden, json_t *m, char *buf, size_t size)
{
	FILE *f = fmemopen(buf, size, "w");
	size_t moved = rs_golden_check(golden, (void *const *)&m, 1, f, "");

	fclose(f);
	return moved;
}

static void t_golden_flatten_skips_host_fields(void)
{
	json_t *summary = json_pack("{s:f, s:i, s:i, s:{s:i}, s:s}", "host_seconds", 1.5, "seed", 3,
				    "simulated_cycles", 100, "virtio", "enospc", 7, "status", "ok");
	json_t *flat = rs_metrics_flatten(summary);

	CU_ASSERT_EQUAL(json_object_size(flat), 2);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(flat, "virtio.enospc")), 7);
	CU_ASSERT_PTR_NULL(json_object_get(flat, "host_seconds"));
	CU_ASSERT_PTR_NULL(json_object_get(flat, "seed"));
	json_decref(summary);
	json_decref(flat);
}

static void t_golden_exact_one_replication(void)
{
	json_t *m = metrics(1000, 5);
	json_t *golden = rs_golden_build((void *const *)&m, 1, "s");
	json_t *same = metrics(1000, 5), *moved = metrics(1000, 6);
	char buf[1024];

	CU_ASSERT_EQUAL(check(golden, same, buf, sizeof(buf)), 0);
	CU_ASSERT_EQUAL(check(golden, moved, buf, sizeof(buf)), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "virtio.enospc: expected 5 (golden), actual 6"));
	json_decref(m);
	json_decref(golden);
	json_decref(same);
	json_decref(moved);
}

/*
 * Five replications of latency 90, 95, 100, 105, 110: mean 100, sd sqrt(62.5) = 7.9057.
 * t(0.975, 4) = 2.7764; the 95% interval of the mean is 100 +- 2.7764 * 7.9057 / sqrt(5)
 * = 100 +- 9.8163. One new run must lie within 100 +- 2.7764 * 7.9057 * sqrt(1/5 + 1)
 * = 100 +- 24.044.
 */
static void t_golden_interval_from_replications(void)
{
	json_t *m[5];
	json_t *golden, *g, *inside = metrics(123, 5), *outside = metrics(125, 5);
	char buf[1024];

	for (int i = 0; i < 5; i++)
		m[i] = metrics(90 + 5 * i, 5);
	golden = rs_golden_build((void *const *)m, 5, "s");
	g = json_object_get(json_object_get(golden, "metrics"), "latency_cycles.p50");
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(g, "mean")), 100, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(g, "sd")), 7.905694, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_array_get(json_object_get(g, "ci95"), 0)),
			       100 - 9.8163, 1e-3);
	CU_ASSERT_EQUAL(check(golden, inside, buf, sizeof(buf)), 0);
	CU_ASSERT_EQUAL(check(golden, outside, buf, sizeof(buf)), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "latency_cycles.p50: actual 125 outside the 95% "
				      "interval [75.95"));
	for (int i = 0; i < 5; i++)
		json_decref(m[i]);
	json_decref(golden);
	json_decref(inside);
	json_decref(outside);
}

static void t_golden_missing_metric_bad(void)
{
	json_t *m = metrics(1000, 5);
	json_t *golden = rs_golden_build((void *const *)&m, 1, "s");
	json_t *fewer = json_pack("{s:f}", "latency_cycles.p50", 1000.0);
	char buf[1024];

	CU_ASSERT_EQUAL(check(golden, fewer, buf, sizeof(buf)), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "virtio.enospc: expected 5 (golden), not measured"));
	json_decref(m);
	json_decref(golden);
	json_decref(fewer);
}

static void rs_test_register(CU_pSuite suite)
{
	RS_TEST(t_golden_flatten_skips_host_fields);
	RS_TEST(t_golden_exact_one_replication);
	RS_TEST(t_golden_interval_from_replications);
	RS_TEST(t_golden_missing_metric_bad);
}
