// SPDX-License-Identifier: GPL-2.0-only
/* Tests of sim/results/recorder.c: metrics into nested JSON, streamed CSV files, findings. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cunit_main.h"
#include "results/findings.h"
#include "results/recorder.h"
#include "results/results_dir.h"
#include "results/stats.h"

static char dir[64];

static struct rs_recorder *open_rec(void)
{
	char err[256];
	struct rs_recorder *rec;

	snprintf(dir, sizeof(dir), "/tmp/rs_test_recorder.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	rec = rs_recorder_open(dir, RS_RECORD_ALL, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
	return rec;
}

static char *read_file(const char *name)
{
	char path[128];
	FILE *f;
	char *buf = calloc(1, 4096);

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (f && buf)
		buf[fread(buf, 1, 4095, f)] = '\0';
	if (f)
		fclose(f);
	return buf;
}

static void t_recorder_metrics_nested(void)
{
	struct rs_recorder *rec = open_rec();
	struct rs_stat *lat = rs_recorder_stat(rec, "latency_cycles");
	uint64_t *enospc = rs_recorder_counter(rec, "virtio.enospc");
	char *hist;
	json_t *j;

	for (int v = 1; v <= 10; v++)
		rs_stat_add(lat, v * 100);
	*enospc = 3;
	/* Same name, same handle; same name as another kind: refused. */
	CU_ASSERT_PTR_EQUAL(rs_recorder_counter(rec, "virtio.enospc"), enospc);
	CU_ASSERT_PTR_NULL(rs_recorder_stat(rec, "virtio.enospc"));
	j = rs_recorder_metrics_json(rec, 1000);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(j, "virtio"),
							   "enospc")), 3);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(j, "latency_cycles"),
							   "p50")), 500);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(j, "latency_cycles"),
							   "max")), 1000);
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(
		json_object_get(j, "latency_cycles"), "mean")), 550, 1e-9);
	json_decref(j);
	CU_ASSERT_EQUAL(rs_recorder_close(rec), 0);
	hist = read_file("histograms.csv");
	CU_ASSERT_PTR_NOT_NULL(strstr(hist, "metric,lo,hi,count\nlatency_cycles,100,101,1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(hist, "\nlatency_cycles,1000,1001,1\n"));
	free(hist);
	rs_remove_tree(dir);
}

static void t_recorder_level_time_weighted(void)
{
	struct rs_recorder *rec = open_rec();
	struct rs_level *occ = rs_recorder_level(rec, "virtio.ring_occupancy",
						  RS_LEVEL_SUMMARY | RS_LEVEL_SERIES);
	json_t *j, *o;

	/* 0 for 100 cycles, 10 for 100, then 4 for 200: mean (0 + 1000 + 800) / 400 = 4.5 */
	rs_level_set(occ, 0, 0);
	rs_level_set(occ, 100, 10);
	rs_level_add(occ, 200, -6);
	CU_ASSERT_EQUAL(rs_level_value(occ), 4);
	j = rs_recorder_metrics_json(rec, 400);
	o = json_object_get(json_object_get(j, "virtio"), "ring_occupancy");
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(o, "mean")), 4.5, 1e-12);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(o, "max")), 10);
	json_decref(j);
	rs_recorder_close(rec);
	rs_remove_tree(dir);
}

static void t_recorder_series_only_level_not_in_summary(void)
{
	struct rs_recorder *rec = open_rec();
	struct rs_level *lv = rs_recorder_level(rec, "memory.pinned_pages", RS_LEVEL_SERIES);
	json_t *j;
	char *ts;

	rs_level_set(lv, 0, 5);
	rs_recorder_sample(rec, 0);
	rs_level_set(lv, 50, 7);
	rs_recorder_sample(rec, 50);
	j = rs_recorder_metrics_json(rec, 100);
	CU_ASSERT_PTR_NULL(json_object_get(j, "memory"));
	json_decref(j);
	CU_ASSERT_EQUAL(rs_recorder_close(rec), 0);
	ts = read_file("timeseries.csv");
	CU_ASSERT_STRING_EQUAL(ts, "cycle,memory.pinned_pages\n0,5\n50,7\n");
	free(ts);
	rs_remove_tree(dir);
}

static void t_recorder_csv_rows(void)
{
	struct rs_recorder *rec = open_rec();
	struct rs_request_row ok = { .id = 4, .job = "r", .device = "9p", .op = "read",
				     .bytes = 65536, .page_offset = 512, .pages = 17,
				     .phys_runs = 2, .submit_cycle = 100, .complete_cycle = 350,
				     .descriptors = 19, .sg_entries = 19, .status = "ok" };
	struct rs_request_row lost = ok, cut = ok;
	char *csv, *stalls;

	lost.id = 5;
	lost.complete_cycle = 0;
	lost.status = "no_device_model";
	cut.id = 6;
	cut.complete_cycle = 900;
	cut.status = "interrupted";
	rs_recorder_request(rec, &ok);
	rs_recorder_request(rec, &lost);
	rs_recorder_request(rec, &cut);
	rs_recorder_stall(rec, "virtio", "no_free_descriptors", 1000, 1600, 4);
	CU_ASSERT_EQUAL(rs_recorder_close(rec), 0);
	csv = read_file("requests.csv");
	CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\n4,r,9p,read,65536,512,17,2,100,350,250,19,19,0,0,0,ok\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\n5,r,9p,read,65536,512,17,2,100,,,19,19,0,0,0,"
				      "no_device_model\n"));
	/* A request that failed ended too: its end cycle and time to the end, and why. */
	CU_ASSERT_PTR_NOT_NULL(strstr(csv, "\n6,r,9p,read,65536,512,17,2,100,900,800,19,19,0,0,0,"
				      "interrupted\n"));
	stalls = read_file("stalls.csv");
	CU_ASSERT_STRING_EQUAL(stalls, "ring,cause,start_cycle,end_cycle,cycles,request\n"
			       "virtio,no_free_descriptors,1000,1600,600,4\n");
	free(csv);
	free(stalls);
	rs_remove_tree(dir);
}

static void t_recorder_findings_capped(void)
{
	struct rs_recorder *rec = open_rec();
	json_t *j;

	for (int i = 0; i < 1500; i++)
		rs_recorder_finding(rec, RS_FINDING_ERROR, "leak_pinned", "guest_mm pfn 0x1",
				    "page still pinned", 10, i);
	rs_recorder_finding(rec, RS_FINDING_BUG, "dut_bug", "trans_virtio.c:123",
			    "BUG_ON(index > limit)", 20, -1);
	CU_ASSERT_EQUAL(rs_recorder_findings(rec, RS_FINDING_ERROR), 1500);
	CU_ASSERT_EQUAL(rs_recorder_findings(rec, RS_FINDING_BUG), 1);
	j = rs_recorder_metrics_json(rec, 30);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(j, "findings")), 1000);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(j, "findings_total")), 1501);
	json_decref(j);
	rs_recorder_close(rec);
	rs_remove_tree(dir);
}

/* Only the data-corruption kinds count, whatever their severity; info, warn and the other
 * errors (a leak, a ring protocol violation) do not. */
static void t_recorder_data_corruption_counted(void)
{
	struct rs_recorder *rec = open_rec();
	json_t *j;

	rs_recorder_finding(rec, RS_FINDING_INFO, "printk", "blk.c:1", "clamped", 1, -1);
	rs_recorder_finding(rec, RS_FINDING_WARN, "dut_warn", "virtio_ring.c:2", "WARN_ON", 2, 1);
	rs_recorder_finding(rec, RS_FINDING_ERROR, "leak_pinned", "guest_mm pfn 0x2", "pinned",
			    3, 1);
	CU_ASSERT_EQUAL(rs_recorder_data_corruptions(rec), 0);
	rs_recorder_finding(rec, RS_FINDING_ERROR, "dma_unpinned", "guest_mm pfn 0x3",
			    "device write", 4, 2);
	rs_recorder_finding(rec, RS_FINDING_ERROR, "p9_reply_reused_tag", "virtio-9p tag 0",
			    "reply", 5, 3);
	CU_ASSERT_EQUAL(rs_recorder_data_corruptions(rec), 2);
	j = rs_recorder_metrics_json(rec, 10);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(j, "findings_data_corruption")), 2);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(j, "findings_total")), 5);
	json_decref(j);
	rs_recorder_close(rec);
	rs_remove_tree(dir);
}

/* A level's integral: 0 x 100 + 10 x 100 + 4 x 300 = 2200 up to the last change (500). */
static void t_recorder_level_integral(void)
{
	struct rs_recorder *rec = open_rec();
	struct rs_level *lv = rs_recorder_level(rec, "jobs.r.in_flight", 0);
	double *real = rs_recorder_real(rec, "jobs.r.in_flight_mean");
	json_t *j;

	CU_ASSERT_PTR_NOT_NULL_FATAL(lv);
	CU_ASSERT_PTR_NOT_NULL_FATAL(real);
	rs_level_set(lv, 100, 10);
	rs_level_add(lv, 200, -6);
	rs_level_set(lv, 500, 0);
	CU_ASSERT_DOUBLE_EQUAL(rs_level_integral(lv), 2200, 1e-9);
	*real = rs_level_integral(lv) / 400;
	j = rs_recorder_metrics_json(rec, 1000);
	/* A level with neither flag stays out of the summary; the real goes in as it is. */
	CU_ASSERT_PTR_NULL(json_object_get(json_object_get(json_object_get(j, "jobs"), "r"),
					   "in_flight"));
	CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(json_object_get(
		json_object_get(j, "jobs"), "r"), "in_flight_mean")), 5.5, 1e-12);
	json_decref(j);
	rs_recorder_close(rec);
	rs_remove_tree(dir);
}

static void t_findings_corruption_kinds(void)
{
	CU_ASSERT_TRUE(rs_finding_corrupts_data("dma_unpinned"));
	CU_ASSERT_TRUE(rs_finding_corrupts_data("out_of_bounds_write"));
	CU_ASSERT_FALSE(rs_finding_corrupts_data("dut_warn"));
	CU_ASSERT_FALSE(rs_finding_corrupts_data("printk"));
	CU_ASSERT_FALSE(rs_finding_corrupts_data("leak_pinned"));
	CU_ASSERT_FALSE(rs_finding_corrupts_data("dma_unpinned_x"));
	CU_ASSERT_FALSE(rs_finding_corrupts_data(NULL));
}

static void rs_test_register(CU_pSuite suite)
{
	RS_TEST(t_recorder_data_corruption_counted);
	RS_TEST(t_findings_corruption_kinds);
	RS_TEST(t_recorder_level_integral);
	RS_TEST(t_recorder_metrics_nested);
	RS_TEST(t_recorder_level_time_weighted);
	RS_TEST(t_recorder_series_only_level_not_in_summary);
	RS_TEST(t_recorder_csv_rows);
	RS_TEST(t_recorder_findings_capped);
}
