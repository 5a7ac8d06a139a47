// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of sim/report/: a compare directory built by hand (compare.json, two points with
 * small CSV files, one failed point with none) turned into plots, report.html and report.md.
 * Runs the real gnuplot from PATH.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cunit_main.h"
#include "report/report.h"
#include "report/tables/data.h"
#include "report/tables/view.h"
#include "results/results_dir.h"

static char base[64];

#define FAILED_ERROR "ringsim run exited with status 2: depth=\"x\" is <not> a number"

static const char compare_json[] =
	"{ \"scenario\": \"9p-study\", \"file\": \"scenarios/compare/9p-study.xml\",\n"
	"  \"varied\": [\"platform.page-size\", \"job.r.depth\"],\n"
	"  \"points\": [\n"
	"  { \"name\": \"page-size=4KiB,depth=8\", \"dir\": \"page-size=4KiB,depth=8\",\n"
	"    \"sets\": { \"platform.page-size\": \"4KiB\", \"job.r.depth\": \"8\" },\n"
	"    \"status\": \"ok\", \"error\": null,\n"
	"    \"metrics\": { \"clock_hz\": 1000000000, \"page_size\": 4096,\n"
	"      \"virtio.descriptors_per_request.mean\": 18.3, \"virtio.descriptors_per_request.max\": 127,\n"
	"      \"virtio.sg_entries_per_request.mean\": 18.3, \"virtio.sg_entries_per_request.max\": 127,\n"
	"      \"virtio.enospc\": 5110, \"virtio.stalls\": 5110, \"virtio.stall_cycles.total\": 125439044,\n"
	"      \"virtio.pinned_pages.max\": 256, \"memory.pinned_pages_max\": 256,\n"
	"      \"throughput.bytes_per_second\": 5.9e9, \"latency_cycles.p50\": 153344,\n"
	"      \"latency_cycles.p99\": 691200, \"latency_cycles.p999\": 1788928 },\n"
	"    \"ratio\": { \"clock_hz\": 1, \"page_size\": 1, \"virtio.enospc\": 1 },\n"
	"    \"findings\": [], \"stalls\": [ { \"ring\": \"virtio\", \"cause\": \"no_free_descriptors\",\n"
	"      \"count\": 5110, \"cycles\": 125439044 } ] },\n"
	"  { \"name\": \"page-size=64KiB,depth=16\", \"dir\": \"page-size=64KiB,depth=16\",\n"
	"    \"sets\": { \"platform.page-size\": \"64KiB\", \"job.r.depth\": \"16\" },\n"
	"    \"status\": \"dut_bug\", \"error\": null,\n"
	"    \"metrics\": { \"clock_hz\": 1000000000, \"page_size\": 65536,\n"
	"      \"virtio.descriptors_per_request.mean\": 3, \"virtio.descriptors_per_request.max\": 3,\n"
	"      \"virtio.sg_entries_per_request.mean\": 3, \"virtio.sg_entries_per_request.max\": 3,\n"
	"      \"virtio.enospc\": 0, \"virtio.stalls\": 0, \"virtio.pinned_pages.max\": 48,\n"
	"      \"memory.pinned_pages_max\": 64, \"blkif.grants_per_request.mean\": 17,\n"
	"      \"blkif.grants_reserved_per_request.mean\": 17, \"blkif.indirect_frames\": 2000,\n"
	"      \"blkif.persistent_pool_bytes\": 69206016, \"blkif.persistent_waste_bytes\": 68091904,\n"
	"      \"throughput.bytes_per_second\": 6.7e9, \"latency_cycles.p50\": 38880,\n"
	"      \"latency_cycles.p99\": 44000, \"latency_cycles.p999\": 51072, \"findings_total\": 23 },\n"
	"    \"ratio\": { \"clock_hz\": 1, \"page_size\": 16, \"virtio.enospc\": 0 },\n"
	"    \"findings\": [ FINDINGS ],\n"
	"    \"stalls\": [] },\n"
	"  { \"name\": \"page-size=16KiB,depth=32\", \"dir\": \"page-size=16KiB,depth=32\",\n"
	"    \"sets\": { \"platform.page-size\": \"16KiB\", \"job.r.depth\": \"32\" },\n"
	"    \"status\": \"failed\", \"error\": \"ringsim run exited with status 2: depth=\\\"x\\\" "
	"is <not> a number\",\n"
	"    \"metrics\": {}, \"ratio\": {}, \"findings\": [], \"stalls\": [] } ] }\n";

static const char hist_a[] = "metric,lo,hi,count\nvirtio.descriptors_per_request,18,19,10\n"
	"latency_cycles,20000,20032,3\nlatency_cycles,150000,150528,5\n"
	"latency_cycles,1700000,1703936,2\n";
static const char hist_b[] = "metric,lo,hi,count\nlatency_cycles,38000,38016,8\n"
	"latency_cycles,51000,51200,2\n";
static const char series_a[] = "cycle,virtio.ring_occupancy,virtio.pinned_pages\n"
	"0,0,0\n10000,12,48\n20000,127,256\n30000,64,128\n40000,0,0\n";
static const char series_b[] = "cycle,virtio.ring_occupancy,virtio.pinned_pages,"
	"blkif.grants_in_use\n0,0,0,0\n10000,3,16,5\n20000,3,48,17\n30000,0,0,0\n";

static const char *const plots[] = {
	"bars_descriptors", "bars_grants", "bars_indirect", "bars_stalls", "bars_stall_time",
	"bars_pinned", "bars_persistent_pool", "bars_throughput", "bars_latency", "cdf_latency",
	"time_virtio_ring_occupancy", "time_virtio_pinned_pages", "time_blkif_grants_in_use",
	"sweep_throughput_vs_job_r_depth", "sweep_latency_p99_vs_job_r_depth",
	"sweep_descriptors_vs_job_r_depth", "sweep_grants_vs_job_r_depth",
	"sweep_grants_reserved_vs_job_r_depth", "sweep_enospc_vs_job_r_depth",
};

static void put(const char *name, const char *text)
{
	char path[sizeof(base) + 256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", base, name);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

/* The whole of BASE/NAME (NUL-terminated, @len bytes), or NULL. */
static char *slurp(const char *name, size_t *len)
{
	char path[sizeof(base) + 256], *text = NULL;
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", base, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	cap = (size_t)ftell(f);
	rewind(f);
	text = calloc(1, cap + 1);
	*len = text ? fread(text, 1, cap, f) : 0;
	fclose(f);
	return text;
}

/* compare.json with 25 findings for the second point, and the two points' files. */
static void make_compare_dir(void)
{
	char *json, findings[8192] = "", *at;
	size_t n = 0;

	snprintf(base, sizeof(base), "/tmp/rs_test_report.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
	for (int i = 0; i < 25; i++)
		n += (size_t)snprintf(findings + n, sizeof(findings) - n,
			"%s{ \"severity\": \"bug\", \"kind\": \"dut_bug\", \"where\": "
			"\"dut/trans_virtio.c:%d\", \"detail\": \"finding number %d\", \"cycle\": %d, "
			"\"request\": %d }", i ? ", " : "", 300 + i, i, 1000 * i, i);
	json = malloc(sizeof(compare_json) + n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	at = strstr(compare_json, "FINDINGS");
	sprintf(json, "%.*s%s%s", (int)(at - compare_json), compare_json, findings, at + 8);
	put("compare.json", json);
	free(json);
	CU_ASSERT_EQUAL(mkdir(strcat(strcpy(findings, base), "/page-size=4KiB,depth=8"), 0777), 0);
	CU_ASSERT_EQUAL(mkdir(strcat(strcpy(findings, base), "/page-size=64KiB,depth=16"), 0777), 0);
	put("page-size=4KiB,depth=8/histograms.csv", hist_a);
	put("page-size=4KiB,depth=8/timeseries.csv", series_a);
	put("page-size=64KiB,depth=16/histograms.csv", hist_b);
	put("page-size=64KiB,depth=16/timeseries.csv", series_b);
}

static void t_report_writes_every_plot(void)
{
	char err[4096] = "", name[160];

	make_compare_dir();
	CU_ASSERT_EQUAL_FATAL(rs_report_write(base, err, sizeof(err)), 0);
	for (size_t i = 0; i < sizeof(plots) / sizeof(plots[0]); i++) {
		size_t len = 0;
		char *svg, *png;

		snprintf(name, sizeof(name), "plots/%s.svg", plots[i]);
		svg = slurp(name, &len);
		CU_ASSERT_PTR_NOT_NULL(svg);
		if (svg) {
			CU_ASSERT(!strncmp(svg, "<?xml", 5) || !strncmp(svg, "<svg", 4));
			CU_ASSERT_PTR_NOT_NULL(strstr(svg, "</svg>"));
		}
		snprintf(name, sizeof(name), "plots/%s.png", plots[i]);
		png = slurp(name, &len);
		CU_ASSERT_PTR_NOT_NULL(png);
		if (png) {
			CU_ASSERT_EQUAL(memcmp(png, "\x89PNG\r\n\x1a\n", 8), 0);
			CU_ASSERT(len > 1024);
		}
		if (!svg || !png)
			fprintf(stderr, "missing plot %s\n", plots[i]);
		free(svg);
		free(png);
	}
	/* All-zero stall counts are no sweep; the failed point is drawn nowhere. */
	CU_ASSERT_NOT_EQUAL(access(strcat(strcpy(name, base), "/plots/sweep_tag_waits_vs_job_r_depth.svg"),
				   F_OK), 0);
	CU_ASSERT_NOT_EQUAL(access(strcat(strcpy(name, base), "/plots/ts_3.dat"), F_OK), 0);
	rs_remove_tree(base);
}

static void t_report_html_self_contained(void)
{
	char err[4096] = "";
	size_t len;
	char *html;

	make_compare_dir();
	CU_ASSERT_EQUAL_FATAL(rs_report_write(base, err, sizeof(err)), 0);
	html = slurp("report.html", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "9p-study"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "scenarios/compare/9p-study.xml"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "page-size=4KiB,depth=8"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "page-size=64KiB,depth=16"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "page-size=16KiB,depth=32"));
	/* The failed point's error, escaped. */
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "depth=&quot;x&quot; is &lt;not&gt; a number"));
	CU_ASSERT_PTR_NULL(strstr(html, "<not>"));
	/* Every plot inlined, nothing from the network. */
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<svg"));
	CU_ASSERT_PTR_NULL(strstr(html, "<?xml"));
	CU_ASSERT_PTR_NULL(strstr(html, "<script"));
	CU_ASSERT_PTR_NULL(strstr(html, "<link"));
	for (const char *p = html; (p = strstr(p, "://")); p += 3) {
		bool http = p - html >= 5 && !strncmp(p - 5, "https", 5);

		if (!http && !(p - html >= 4 && !strncmp(p - 4, "http", 4)))
			continue;
		CU_ASSERT(!strncmp(p, "://www.w3.org/2000/svg", 22) ||
			  !strncmp(p, "://www.w3.org/1999/xlink", 24));
		CU_ASSERT_FALSE(http);
	}
	/* Stalls and findings: 20 of the 25 shown, and the rest (of findings_total) counted. */
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "no_free_descriptors"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "finding number 19"));
	CU_ASSERT_PTR_NULL(strstr(html, "finding number 20"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "and 5 more findings"));
	/* Thousands separators and a highlighted ratio. */
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "125,439,044"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<span class=\"ratio\">(0.16×)</span>"));
	/* 256 pinned pages of 4 KiB, 48 of 64 KiB: three times the bytes. */
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "— / 3 MiB (48 pages)</summary>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<span class=\"ratio\">(3.00×)</span>"));
	free(html);
	rs_remove_tree(base);
}

static void t_report_md_row_per_point(void)
{
	static const char *const names[] = { "page-size=4KiB,depth=8",
					     "page-size=64KiB,depth=16",
					     "page-size=16KiB,depth=32" };
	char err[4096] = "", row[128];
	size_t len;
	char *md, *metrics;

	make_compare_dir();
	CU_ASSERT_EQUAL_FATAL(rs_report_write(base, err, sizeof(err)), 0);
	md = slurp("report.md", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	metrics = strstr(md, "## Metrics");
	CU_ASSERT_PTR_NOT_NULL_FATAL(metrics);
	for (size_t i = 0; i < 3; i++) {
		char *first;

		snprintf(row, sizeof(row), "\n| %s |", names[i]);
		first = strstr(md, row);
		CU_ASSERT_PTR_NOT_NULL(first);
		CU_ASSERT(first && first < metrics);
		CU_ASSERT(first && !strstr(first + 1, row)); /* exactly one row */
	}
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "`" FAILED_ERROR "`"));
	/* The metrics table: a header naming the points, a row per metric. */
	CU_ASSERT_PTR_NOT_NULL(strstr(metrics, "| metric | unit | page-size=4KiB,depth=8 | "
				      "page-size=64KiB,depth=16 | page-size=16KiB,depth=32 |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(metrics, "| ring stalls (-ENOSPC) | stalls | 5,110 (1.00×) | "
				      "0 (**0.00×**) | — |"));
	free(md);
	rs_remove_tree(base);
}

static void t_report_all_failed_tables_only(void)
{
	char err[4096] = "";
	size_t len;
	char *md;

	snprintf(base, sizeof(base), "/tmp/rs_test_report.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
	put("compare.json", "{ \"scenario\": \"s\", \"varied\": [], \"points\": [ { \"name\": \"x\", "
	    "\"status\": \"failed\", \"error\": \"boom\" } ] }");
	CU_ASSERT_EQUAL(rs_report_write(base, err, sizeof(err)), 0);
	md = slurp("report.md", &len);
	CU_ASSERT_PTR_NOT_NULL(md);
	CU_ASSERT(md && strstr(md, "| x | failed |"));
	free(md);
	md = slurp("report.html", &len);
	CU_ASSERT(md && strstr(md, "boom") && !strstr(md, "<svg"));
	free(md);
	rs_remove_tree(base);
}

static void t_report_number_format(void)
{
	char buf[48];

	CU_ASSERT_STRING_EQUAL(rs_fmt_number(5110, buf, sizeof(buf)), "5,110");
	CU_ASSERT_STRING_EQUAL(rs_fmt_number(-125439044, buf, sizeof(buf)), "-125,439,044");
	CU_ASSERT_STRING_EQUAL(rs_fmt_number(0, buf, sizeof(buf)), "0");
	CU_ASSERT_STRING_EQUAL(rs_fmt_number(18.3260219342, buf, sizeof(buf)), "18.33");
	CU_ASSERT_STRING_EQUAL(rs_fmt_number(5942275889.13, buf, sizeof(buf)), "5.94G");
	CU_ASSERT_STRING_EQUAL(rs_fmt_number(123456.5, buf, sizeof(buf)), "123k");
	CU_ASSERT_STRING_EQUAL(rs_fmt_ratio(16, buf, sizeof(buf)), "16.0");
	CU_ASSERT_FALSE(rs_ratio_differs(1.0004));
	CU_ASSERT_TRUE(rs_ratio_differs(0.98));
}

static void t_report_missing_compare_json_bad(void)
{
	char err[4096] = "", want[128];

	snprintf(base, sizeof(base), "/tmp/rs_test_report.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
	CU_ASSERT_EQUAL(rs_report_write(base, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s/compare.json", base);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
	CU_ASSERT_NOT_EQUAL(access(strcat(strcpy(want, base), "/report.html"), F_OK), 0);
	rs_remove_tree(base);
}

static void t_report_malformed_json_bad(void)
{
	char err[4096] = "", want[128];

	snprintf(base, sizeof(base), "/tmp/rs_test_report.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
	put("compare.json", "{ \"points\": [\n  { \"name\": \"x\" \"status\": \"ok\" } ] }\n");
	CU_ASSERT_EQUAL(rs_report_write(base, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s/compare.json:2:", base);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
	put("compare.json", "{ \"points\": [ { \"status\": \"ok\" } ] }\n");
	CU_ASSERT_EQUAL(rs_report_write(base, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "points[0]"));
	rs_remove_tree(base);
}

static void t_report_malformed_csv_bad(void)
{
	char err[4096] = "", path[160];

	make_compare_dir();
	put("page-size=64KiB,depth=16/timeseries.csv", "cycle,virtio.ring_occupancy\n0,0\n1000,x\n");
	CU_ASSERT_EQUAL(rs_report_write(base, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "page-size=64KiB,depth=16/timeseries.csv:3:"));
	/* The tables do not need the CSV files: they are written all the same. */
	CU_ASSERT_EQUAL(access(strcat(strcpy(path, base), "/report.md"), F_OK), 0);
	CU_ASSERT_EQUAL(access(strcat(strcpy(path, base), "/report.html"), F_OK), 0);
	rs_remove_tree(base);
}

static void t_report_no_gnuplot_bad(void)
{
	char err[4096] = "", path[160], *saved = getenv("PATH") ? strdup(getenv("PATH")) : NULL;

	make_compare_dir();
	setenv("PATH", "/nonexistent-rs-test", 1);
	CU_ASSERT_EQUAL(rs_report_write(base, err, sizeof(err)), -1);
	if (saved)
		setenv("PATH", saved, 1);
	free(saved);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "gnuplot not found"));
	CU_ASSERT_EQUAL(access(strcat(strcpy(path, base), "/report.md"), F_OK), 0);
	CU_ASSERT_EQUAL(access(strcat(strcpy(path, base), "/report.html"), F_OK), 0);
	rs_remove_tree(base);
}

/*
 * A sweep directory: page size 4KiB/64KiB x depth 2/8, sweep_file set, no pinned pages at
 * any point; with @stalls the 4KiB points have 200 overlapping stalls and one more far
 * after them in stalls.csv (and stall counts), else no point stalls at all.
 */
static const char *const sweep_points[] = {
	"page-size=4KiB,depth=2", "page-size=4KiB,depth=8", "page-size=64KiB,depth=2",
	"page-size=64KiB,depth=8",
};

static void make_sweep_dir(bool stalls)
{
	char json[16384], file[256], csv[16384];
	size_t n = 0;

	snprintf(base, sizeof(base), "/tmp/rs_test_report.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
	n += (size_t)snprintf(json + n, sizeof(json) - n, "{ \"scenario\": \"9p-study\", "
		"\"file\": \"scenarios/compare/9p-study.xml\", \"sweep_file\": "
		"\"scenarios/compare/9p-sweep.xml\", \"varied\": [\"platform.page-size\", "
		"\"job.r.depth\"], \"points\": [\n");
	for (size_t i = 0; i < 4; i++) {
		bool small = i < 2, stalled = stalls && small;
		double depth = i % 2 ? 8 : 2;
		size_t m;

		n += (size_t)snprintf(json + n, sizeof(json) - n,
			"%s{ \"name\": \"%s\", \"dir\": \"%s\", \"sets\": { \"platform.page-size\": "
			"\"%s\", \"job.r.depth\": \"%g\" }, \"status\": \"ok\", \"metrics\": { "
			"\"clock_hz\": 1000000000, \"virtio.enospc\": %d, \"virtio.stalls\": %d, "
			"\"virtio.stall_cycles.total\": %d, \"virtio.pinned_pages.max\": 0, "
			"\"memory.pinned_pages_max\": 0, \"throughput.bytes_per_second\": %g, "
			"\"latency_cycles.p50\": %g, \"latency_cycles.p99\": %g, "
			"\"latency_cycles.p999\": %g }, \"ratio\": {}, \"findings\": [], "
			"\"stalls\": [] }\n", i ? ", " : "", sweep_points[i], sweep_points[i],
			small ? "4KiB" : "64KiB", depth, stalled ? 201 : 0, stalled ? 201 : 0,
			stalled ? 10500 : 0, small ? 2e8 : 6e8, 40000 * depth, 90000 * depth,
			120000 * depth);
		CU_ASSERT_EQUAL(mkdir(strcat(strcat(strcpy(file, base), "/"), sweep_points[i]),
				      0777), 0);
		snprintf(file, sizeof(file), "%s/histograms.csv", sweep_points[i]);
		snprintf(csv, sizeof(csv), "metric,lo,hi,count\nlatency_cycles,%g,%g,8\n"
			 "latency_cycles,%g,%g,2\n", 40000 * depth, 40100 * depth, 90000 * depth,
			 90500 * depth);
		put(file, csv);
		snprintf(file, sizeof(file), "%s/timeseries.csv", sweep_points[i]);
		snprintf(csv, sizeof(csv), "cycle,virtio.ring_occupancy,virtio.pinned_pages\n"
			 "0,0,0\n100000,%g,0\n200000,0,0\n", depth * (small ? 16 : 1));
		put(file, csv);
		if (!stalled)
			continue;
		/* 200 stalls overlapping each other, then one far after them. */
		m = (size_t)snprintf(csv, sizeof(csv),
				     "ring,cause,start_cycle,end_cycle,cycles,request\n");
		for (int k = 0; k < 200; k++)
			m += (size_t)snprintf(csv + m, sizeof(csv) - m,
					      "virtio,no_free_descriptors,%d,%d,50,%d\n",
					      10000 + 10 * k, 10050 + 10 * k, k);
		snprintf(csv + m, sizeof(csv) - m, "virtio,no_free_descriptors,400000,400500,500,"
			 "300\n");
		snprintf(file, sizeof(file), "%s/stalls.csv", sweep_points[i]);
		put(file, csv);
	}
	snprintf(json + n, sizeof(json) - n, "] }\n");
	put("compare.json", json);
}

static bool exists(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", base, name);
	return access(path, F_OK) == 0;
}

/* Lines of BASE/NAME that are not comments or empty; -1 without the file. */
static int data_lines(const char *name)
{
	size_t len;
	char *text = slurp(name, &len), *line;
	int n = 0;

	if (!text)
		return -1;
	for (line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		n += *line != '#' && *line != '\n';
	free(text);
	return n;
}

static void t_report_stall_timeline_merged(void)
{
	char err[4096] = "";
	size_t len;
	char *gp;

	make_sweep_dir(true);
	CU_ASSERT_EQUAL_FATAL(rs_report_write(base, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(exists("plots/stalls_timeline.svg"));
	CU_ASSERT_TRUE(exists("plots/stalls_timeline.png"));
	/* 200 overlapping stalls are one bar, the late one another. */
	CU_ASSERT_EQUAL(data_lines("plots/stalls_1.dat"), 2);
	CU_ASSERT_EQUAL(data_lines("plots/stalls_2.dat"), 2);
	CU_ASSERT_FALSE(exists("plots/stalls_3.dat"));
	gp = slurp("plots/stalls_timeline.gp", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(gp);
	CU_ASSERT_PTR_NOT_NULL(strstr(gp, "'page-size=4KiB,depth=2 · virtio no_free_descriptors "
				      "— 201 stalls, 10.5 µs summed'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(gp, "'page-size=64KiB,depth=8 · no stalls'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(gp, "simulated time (µs)"));
	free(gp);
	rs_remove_tree(base);
}

static void t_report_no_stalls_note(void)
{
	char err[4096] = "", *over_time, *note;
	size_t len;
	char *html;

	make_sweep_dir(false);
	CU_ASSERT_EQUAL_FATAL(rs_report_write(base, err, sizeof(err)), 0);
	CU_ASSERT_FALSE(exists("plots/stalls_timeline.gp"));
	CU_ASSERT_FALSE(exists("plots/bars_stalls.gp"));
	CU_ASSERT_FALSE(exists("plots/bars_stall_time.gp"));
	CU_ASSERT_FALSE(exists("plots/sweep_enospc_vs_job_r_depth.gp"));
	CU_ASSERT_TRUE(exists("plots/bars_latency.gp"));
	html = slurp("report.html", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	/* In the stall bars' place and in the timeline's (the first plot over time). */
	over_time = strstr(html, "<h3>Over time</h3>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(over_time);
	note = strstr(html, "No stalls at any point.");
	CU_ASSERT(note && note < over_time);
	note = strstr(over_time, "No stalls at any point.");
	CU_ASSERT(note && note < strstr(over_time, "<figure"));
	free(html);
	rs_remove_tree(base);
}

static void t_report_zero_family_note(void)
{
	char err[4096] = "";
	size_t len;
	char *html;

	make_sweep_dir(true);
	CU_ASSERT_EQUAL_FATAL(rs_report_write(base, err, sizeof(err)), 0);
	/* Pinned pages are 0 at every point: in the bars and over time. */
	CU_ASSERT_FALSE(exists("plots/bars_pinned.gp"));
	CU_ASSERT_FALSE(exists("plots/time_virtio_pinned_pages.gp"));
	CU_ASSERT_TRUE(exists("plots/time_virtio_ring_occupancy.gp"));
	html = slurp("report.html", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "No pinned pages at any point."));
	CU_ASSERT_PTR_NULL(strstr(html, "No stalls at any point."));
	free(html);
	rs_remove_tree(base);
}

static void t_report_png_1200_wide(void)
{
	static const char *const pngs[] = { "plots/bars_latency.png", "plots/cdf_latency.png",
					    "plots/stalls_timeline.png",
					    "plots/sweep_throughput_vs_job_r_depth.png" };
	char err[4096] = "";

	make_sweep_dir(true);
	CU_ASSERT_EQUAL_FATAL(rs_report_write(base, err, sizeof(err)), 0);
	for (size_t i = 0; i < sizeof(pngs) / sizeof(pngs[0]); i++) {
		size_t len = 0;
		unsigned char *png = (unsigned char *)slurp(pngs[i], &len);

		CU_ASSERT_PTR_NOT_NULL(png);
		/* The IHDR chunk: width and height, big-endian, at bytes 16 and 20. */
		if (png && len > 24) {
			unsigned w = (unsigned)png[16] << 24 | png[17] << 16 | png[18] << 8 | png[19];
			unsigned h = (unsigned)png[20] << 24 | png[21] << 16 | png[22] << 8 | png[23];

			CU_ASSERT_EQUAL(memcmp(png + 12, "IHDR", 4), 0);
			CU_ASSERT_EQUAL(w, 1200);
			CU_ASSERT(h >= 300 && h <= 1200);
		}
		free(png);
	}
	rs_remove_tree(base);
}

/* The colour of the plot element titled @title in script @gp: its "lt N" resolved
 * through "set linetype N lc rgb '#rrggbb'"; "" when there is none. */
static void element_color(const char *gp, const char *title, char *color, size_t size)
{
	char want[160], def[64];
	const char *at, *line, *lt;
	int n;

	color[0] = '\0';
	snprintf(want, sizeof(want), " title '%s'", title);
	at = gp ? strstr(gp, want) : NULL;
	if (!at)
		return;
	for (line = at; line > gp && line[-1] != '\n'; line--)
		;
	lt = strstr(line, " lt ");
	if (!lt || lt > at || sscanf(lt, " lt %d", &n) != 1)
		return;
	snprintf(def, sizeof(def), "set linetype %d lc rgb '", n);
	at = strstr(gp, def);
	if (at)
		snprintf(color, size, "%.7s", at + strlen(def));
}

static void t_report_colour_per_page_size(void)
{
	static const char *const scripts[] = { "plots/bars_latency.gp", "plots/cdf_latency.gp",
					       "plots/time_virtio_ring_occupancy.gp" };
	char err[4096] = "", c[3][4][16];

	make_sweep_dir(true);
	CU_ASSERT_EQUAL_FATAL(rs_report_write(base, err, sizeof(err)), 0);
	for (size_t s = 0; s < 3; s++) {
		size_t len;
		char *gp = slurp(scripts[s], &len);

		CU_ASSERT_PTR_NOT_NULL(gp);
		for (size_t i = 0; i < 4; i++) {
			element_color(gp, sweep_points[i], c[s][i], sizeof(c[s][i]));
			CU_ASSERT_EQUAL(strlen(c[s][i]), 7);
		}
		free(gp);
		/* depth does not change the colour; the page size does. */
		CU_ASSERT_STRING_EQUAL(c[s][0], c[s][1]);
		CU_ASSERT_STRING_EQUAL(c[s][2], c[s][3]);
		CU_ASSERT_STRING_NOT_EQUAL(c[s][0], c[s][2]);
	}
	/* And the same colour in every plot. */
	CU_ASSERT_STRING_EQUAL(c[0][0], c[1][0]);
	CU_ASSERT_STRING_EQUAL(c[0][0], c[2][0]);
	CU_ASSERT_STRING_EQUAL(c[0][2], c[1][2]);
	CU_ASSERT_STRING_EQUAL(c[0][2], c[2][2]);
	rs_remove_tree(base);
}

/* Axis labels say "MiB/s" or use SI tic labels: never gnuplot-unrendered "10^6". */
static void t_report_no_power_text(void)
{
	char err[4096] = "", names[2][4096];
	struct dirent *e;
	int scripts = 0;
	DIR *d;

	for (int pass = 0; pass < 2; pass++) {
		if (pass)
			make_sweep_dir(true);
		else
			make_compare_dir();
		CU_ASSERT_EQUAL_FATAL(rs_report_write(base, err, sizeof(err)), 0);
		snprintf(names[pass], sizeof(names[pass]), "%s/plots", base);
		d = opendir(names[pass]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		while ((e = readdir(d))) {
			size_t n = strlen(e->d_name), len;
			char name[300], *gp;

			if (n < 3 || strcmp(e->d_name + n - 3, ".gp"))
				continue;
			snprintf(name, sizeof(name), "plots/%s", e->d_name);
			gp = slurp(name, &len);
			CU_ASSERT_PTR_NOT_NULL(gp);
			CU_ASSERT_PTR_NULL(gp ? strstr(gp, "10^") : NULL);
			if (gp && strstr(gp, "10^"))
				fprintf(stderr, "%s says 10^\n", name);
			free(gp);
			scripts++;
		}
		closedir(d);
		rs_remove_tree(base);
	}
	CU_ASSERT(scripts > 20);
}

static void t_report_sweep_titled_by_file(void)
{
	char err[4096] = "";
	size_t len;
	char *gp;

	make_sweep_dir(true);
	CU_ASSERT_EQUAL_FATAL(rs_report_write(base, err, sizeof(err)), 0);
	gp = slurp("plots/sweep_throughput_vs_job_r_depth.gp", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(gp);
	CU_ASSERT_PTR_NOT_NULL(strstr(gp, "set title '9p-sweep: Throughput against depth'"));
	free(gp);
	rs_remove_tree(base);
}

/*
 * What changed, units, configuration and duplicates: two points at 4 KiB and 64 KiB pages,
 * the second a dut_bug, each with its scenario.xml. Grants reserved move 17x and grant maps
 * 1.1x (the same group); pinned pages are 192 x 4 KiB and 12 x 64 KiB (the same bytes).
 */
static const char *const wc_points[] = { "page-size=4KiB", "page-size=64KiB" };

static void make_change_dir(void)
{
	char json[8192], file[256], xml[1024];
	size_t n = 0;

	snprintf(base, sizeof(base), "/tmp/rs_test_report.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
	n += (size_t)snprintf(json + n, sizeof(json) - n, "{ \"scenario\": \"wc\", \"varied\": "
			      "[\"platform.page-size\"], \"points\": [\n");
	for (size_t i = 0; i < 2; i++) {
		bool big = i == 1;
		double lat = big ? 44000 : 40000, pinned = big ? 12 : 192;
		char dist[512];

		snprintf(dist, sizeof(dist), "{ \"count\": 100, \"total\": %g, \"mean\": %g, "
			 "\"sd\": 10, \"min\": %g, \"p50\": %g, \"p90\": %g, \"p99\": %g, "
			 "\"p999\": %g, \"max\": %g }", 100 * lat, lat, lat - 10000, lat, lat + 1000,
			 lat + 5000, lat + 6000, lat + 7000);
		n += (size_t)snprintf(json + n, sizeof(json) - n,
			"%s{ \"name\": \"%s\", \"dir\": \"%s\", \"sets\": { \"platform.page-size\": "
			"\"%s\" }, \"status\": \"%s\", \"metrics\": { \"page_size\": %d, "
			"\"clock_hz\": 1000000000, \"seed\": 7,\n"
			"\"jobs\": { \"r\": { \"latency_cycles\": %s, \"requests\": { \"completed\": 100 },"
			" \"throughput\": { \"bytes_per_second\": 1048576000 } } },\n"
			"\"devices\": { \"9p\": { \"latency_cycles\": %s, \"requests\": { \"completed\": 100 },"
			" \"throughput\": { \"bytes_per_second\": 1048576000 } } },\n"
			"\"virtio\": { \"descriptors_per_request\": { \"count\": 100, \"mean\": %d, "
			"\"p50\": %d, \"p99\": %d, \"max\": %d }, \"sg_entries_per_request\": { "
			"\"count\": 100, \"mean\": %d, \"p50\": %d, \"p99\": %d, \"max\": %d }, "
			"\"pinned_pages\": { \"mean\": %g, \"max\": %g }, \"pinned_pages_max\": %g, "
			"\"new_wait_cycles\": 500 },\n"
			"\"memory\": { \"pinned_pages_max\": %g },\n"
			"\"blkif\": { \"grants_reserved_per_request\": { \"count\": 10, \"mean\": %d, "
			"\"p50\": %d, \"p99\": %d, \"max\": %d }, \"grant_maps\": %d, "
			"\"persistent_grants\": { \"mean\": 5, \"max\": 16 }, "
			"\"backend_persistent_grants_max\": 16, \"widgets\": 3 } },\n"
			"\"findings\": [ %s ], \"stalls\": [] }\n", i ? ", " : "", wc_points[i],
			wc_points[i], big ? "64KiB" : "4KiB", big ? "dut_bug" : "ok",
			big ? 65536 : 4096, dist, dist, big ? 3 : 18, big ? 3 : 18, big ? 3 : 18,
			big ? 3 : 18, big ? 3 : 18, big ? 3 : 18, big ? 3 : 18, big ? 3 : 18,
			pinned / 2, pinned, pinned, pinned, big ? 17 : 1, big ? 17 : 1, big ? 17 : 1,
			big ? 17 : 1, big ? 110 : 100, big ? "{ \"severity\": \"bug\", \"kind\": "
			"\"dut_bug\", \"where\": \"xen-blkfront.c:369\", \"detail\": \"BUG_ON("
			"info->max_indirect_segments == 0)\", \"cycle\": 5, \"request\": 0 }" : "");
		CU_ASSERT_EQUAL(mkdir(strcat(strcat(strcpy(file, base), "/"), wc_points[i]), 0777),
				0);
		snprintf(xml, sizeof(xml), "<scenario name=\"wc\" seed=\"7\">\n"
			 "  <platform page-size=\"%s\" clock=\"1GHz\"/>\n"
			 "  <costs><cost name=\"kick\" cycles=\"1200\"/></costs>\n"
			 "  <virtio-9p queue-size=\"128\" indirect-descriptors=\"false\"/>\n"
			 "  <workload><job name=\"r\" device=\"9p\" op=\"read\" block-size=\"64KiB\" "
			 "count=\"100\" depth=\"4\"/></workload>\n"
			 "  <expect metric=\"integrity.mismatches\" eq=\"0\"/>\n</scenario>\n",
			 big ? "64KiB" : "4KiB");
		snprintf(file, sizeof(file), "%s/scenario.xml", wc_points[i]);
		put(file, xml);
	}
	snprintf(json + n, sizeof(json) - n, "] }\n");
	put("compare.json", json);
}

/* The part of @doc from @from up to @to (or the end), as a new string. */
static char *section(const char *doc, const char *from, const char *to)
{
	const char *a = doc ? strstr(doc, from) : NULL, *b = a ? strstr(a + 1, to) : NULL;

	if (!a)
		return NULL;
	return strndup(a, b ? (size_t)(b - a) : strlen(a));
}

static size_t count_of(const char *s, const char *what)
{
	size_t n = 0;

	for (const char *p = s; p && (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* report.html's and report.md's text after rs_report_write() on the change fixture. */
static void write_change_reports(char **html, char **md)
{
	char err[4096] = "";
	size_t len;

	make_change_dir();
	rs_report_write(base, err, sizeof(err));  /* -1 without gnuplot: tables all the same */
	*html = slurp("report.html", &len);
	*md = slurp("report.md", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*html);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*md);
}

static void t_report_changes_ranked_bug_first(void)
{
	struct rs_changes c;
	struct rs_view v;
	struct rs_report r;
	char err[4096] = "", *html, *md, *wc;
	const struct rs_change_group *blkif = NULL;

	write_change_reports(&html, &md);
	CU_ASSERT_EQUAL_FATAL(rs_report_load(&r, base, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(rs_view_build(&v, &r, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(rs_changes_build(&c, &v), 0);
	/* The bug first, with its place; then, within a group, 17x above 1.1x. */
	CU_ASSERT_FATAL(c.n_alerts >= 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(c.alerts[0], "page-size=64KiB: dut_bug — BUG_ON("));
	CU_ASSERT_PTR_NOT_NULL(strstr(c.alerts[0], "at xen-blkfront.c:369"));
	CU_ASSERT_EQUAL_FATAL(c.n_points, 1);
	for (size_t g = 0; g < c.points[0].n_groups; g++)
		if (!strncmp(c.points[0].groups[g].title, "blkif", 5))
			blkif = &c.points[0].groups[g];
	CU_ASSERT_PTR_NOT_NULL_FATAL(blkif);
	CU_ASSERT_FATAL(blkif->n_lines >= 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(blkif->lines[0], "grants reserved per request"));
	CU_ASSERT_PTR_NOT_NULL(strstr(blkif->lines[0], "1 → 17 grants (17.0×)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(blkif->lines[1], "grant maps: 100 → 110 maps (1.10×)"));
	rs_changes_free(&c);
	rs_view_free(&v);
	rs_report_free(&r);
	/* Both documents open with it, the bug on top, the job named with device and op. */
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "\n## What changed\n\n- **page-size=64KiB: dut_bug — "
				      "BUG_ON("));
	CU_ASSERT(strstr(md, "## What changed") < strstr(md, "## Points"));
	CU_ASSERT(strstr(html, "<h2") == strstr(html, "<h2 id=\"changes\">What changed</h2>"));
	wc = section(md, "## What changed", "## Points");
	CU_ASSERT_PTR_NOT_NULL_FATAL(wc);
	CU_ASSERT_PTR_NOT_NULL(strstr(wc, "- job r (9p read, 64KiB, depth 4)"));
	CU_ASSERT(strstr(wc, "grants reserved") && strstr(wc, "grant maps") &&
		  strstr(wc, "grants reserved") < strstr(wc, "grant maps"));
	free(wc);
	free(html);
	free(md);
	rs_remove_tree(base);
}

/* Fifty KASAN reads at fifty addresses are one line of What changed, with their count. */
static void t_report_findings_grouped_by_kind(void)
{
	char json[16384], err[4096] = "";
	size_t n = 0, lines = 0;
	struct rs_changes c;
	struct rs_view v;
	struct rs_report r;

	snprintf(base, sizeof(base), "/tmp/rs_test_report.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
	n += (size_t)snprintf(json + n, sizeof(json) - n, "{ \"scenario\": \"g\", \"varied\": [], "
			      "\"points\": [ { \"name\": \"p\", \"dir\": \"p\", \"sets\": {}, "
			      "\"status\": \"ok\", \"metrics\": { \"page_size\": 4096 }, "
			      "\"stalls\": [], \"findings\": [");
	for (int i = 0; i < 50; i++)
		n += (size_t)snprintf(json + n, sizeof(json) - n,
			"%s{ \"severity\": \"warn\", \"kind\": \"out_of_bounds_read\", "
			"\"where\": \"kmalloc 0x%x\", \"detail\": \"read of 8 bytes\", "
			"\"cycle\": %d, \"request\": %d }", i ? ", " : "", 0x1000 + 8 * (i % 7),
			i, i);
	n += (size_t)snprintf(json + n, sizeof(json) - n, ", { \"severity\": \"warn\", "
			      "\"kind\": \"dut_warn\", \"where\": \"blk.c:9\", \"detail\": "
			      "\"WARN_ON(x)\", \"cycle\": 99, \"request\": 1 } ] } ] }\n");
	CU_ASSERT_FATAL(n < sizeof(json));
	put("compare.json", json);
	CU_ASSERT_EQUAL_FATAL(rs_report_load(&r, base, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(rs_view_build(&v, &r, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(rs_changes_build(&c, &v), 0);
	for (size_t i = 0; i < c.n_alerts; i++)
		lines += strstr(c.alerts[i], "out_of_bounds_read") != NULL;
	CU_ASSERT_EQUAL(lines, 1);
	CU_ASSERT_FATAL(c.n_alerts >= 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(c.alerts[0], "p: warn out_of_bounds_read — read of 8 bytes "
				      "at kmalloc 0x1000 and elsewhere (50×)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(c.alerts[1], "p: warn dut_warn — WARN_ON(x) at blk.c:9"));
	CU_ASSERT_PTR_NULL(strstr(c.alerts[1], "×"));
	rs_changes_free(&c);
	rs_view_free(&v);
	rs_report_free(&r);
	rs_remove_tree(base);
}

/* An expect_failed point says which expectation failed, from its summary.json. */
static void t_report_expect_failed_named(void)
{
	char err[4096] = "", dir[300];
	struct rs_changes c;
	struct rs_view v;
	struct rs_report r;

	snprintf(base, sizeof(base), "/tmp/rs_test_report.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
	put("compare.json", "{ \"scenario\": \"e\", \"varied\": [], \"points\": [ { \"name\": "
	    "\"p\", \"dir\": \"p\", \"sets\": {}, \"status\": \"expect_failed\", "
	    "\"metrics\": { \"page_size\": 4096 }, \"stalls\": [], \"findings\": [] } ] }\n");
	snprintf(dir, sizeof(dir), "%s/p", base);
	CU_ASSERT_EQUAL_FATAL(mkdir(dir, 0777), 0);
	put("p/summary.json", "{ \"expectations\": [ "
	    "{ \"metric\": \"blkif.requests\", \"finding\": null, \"op\": \"eq\", "
	    "\"expected\": 8, \"actual\": 8, \"pass\": true }, "
	    "{ \"metric\": \"requests.completed\", \"finding\": null, \"op\": \"ge\", "
	    "\"expected\": 2000, \"actual\": 1800, \"pass\": false }, "
	    "{ \"metric\": null, \"finding\": \"dut_bug\", \"op\": \"eq\", "
	    "\"expected\": 0, \"actual\": 1, \"pass\": false } ] }\n");
	CU_ASSERT_EQUAL_FATAL(rs_report_load(&r, base, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(rs_view_build(&v, &r, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(rs_changes_build(&c, &v), 0);
	CU_ASSERT_FATAL(c.n_alerts >= 1);
	CU_ASSERT_STRING_EQUAL(c.alerts[0], "p: expect_failed — requests.completed ≥ 2000 "
			       "expected, 1800 measured; 1 more failed");
	rs_changes_free(&c);
	rs_view_free(&v);
	rs_report_free(&r);
	rs_remove_tree(base);
}

static void t_report_pinned_pages_as_bytes(void)
{
	char *html, *md, *wc;

	write_change_reports(&html, &md);
	/* 192 pages of 4 KiB and 12 of 64 KiB: the same 768 KiB, and said so. */
	wc = section(md, "## What changed", "## Points");
	CU_ASSERT_PTR_NOT_NULL(strstr(wc, "pinned memory (zero-copy buffers), peak: 768 KiB "
				      "(192 pages) → 768 KiB (12 pages) (1.00×)"));
	free(wc);
	wc = section(md, "## Metrics", "## Plots");
	CU_ASSERT_PTR_NOT_NULL(strstr(wc, "| pinned memory (zero-copy buffers) | bytes (pages) | "
				      "384 KiB / 768 KiB (192 pages) (1.00×) | 384 KiB / 768 KiB "
				      "(12 pages) (1.00×) |"));
	free(wc);
	wc = section(html, "id=\"metrics\"", "id=\"plots\"");
	CU_ASSERT_PTR_NOT_NULL(strstr(wc, "768 KiB (12 pages)</summary>"));
	free(wc);
	free(html);
	free(md);
	rs_remove_tree(base);
}

static void t_report_distribution_one_row(void)
{
	char *html, *md, *mt, *row;

	write_change_reports(&html, &md);
	mt = section(html, "id=\"metrics\"", "id=\"plots\"");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mt);
	/* One row, mean / p50 / p99 / max, the rest behind <details>. */
	CU_ASSERT_EQUAL(count_of(mt, "<code class=\"key\">jobs.r.latency_cycles"), 1);
	CU_ASSERT_EQUAL(count_of(mt, "jobs.r.latency_cycles.p"), 0);
	row = section(mt, "<code class=\"key\">jobs.r.latency_cycles", "</tr>");
	CU_ASSERT_PTR_NOT_NULL(strstr(row, "<details><summary>40.0k / 40.0k / 45.0k / 47.0k"));
	CU_ASSERT_PTR_NOT_NULL(strstr(row, "p999 46,000 cycles (46 µs)"));
	free(row);
	free(mt);
	mt = section(md, "## Metrics", "## Plots");
	CU_ASSERT_EQUAL(count_of(mt, "\n| latency | cycles |"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(mt, "| latency | cycles | 40.0k / 40.0k / 45.0k / 47.0k "
				      "(1.00×) | 44.0k / 44.0k / 49.0k / 51.0k (**1.10×**) |"));
	CU_ASSERT_EQUAL(count_of(mt, "p999"), 0);
	free(mt);
	free(html);
	free(md);
	rs_remove_tree(base);
}

static void t_report_config_not_metrics(void)
{
	char *html, *md, *cfg, *mt;

	write_change_reports(&html, &md);
	cfg = section(html, "id=\"config\"", "id=\"metrics\"");
	mt = section(html, "id=\"metrics\"", "id=\"plots\"");
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mt);
	/* Settings from scenario.xml, the one that differs highlighted; no expectations. */
	CU_ASSERT_PTR_NOT_NULL(strstr(cfg, "<tr class=\"diff\"><th><code>platform.page-size</code>"
				      "</th><td>4KiB</td><td>64KiB</td></tr>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(cfg, "<tr><th><code>seed</code></th><td>7</td><td>7</td>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(cfg, "<code>virtio-9p.queue-size</code>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(cfg, "<code>job.r.depth</code></th><td>4</td>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(cfg, "<code>cost.kick</code></th><td>1200</td>"));
	CU_ASSERT_PTR_NULL(strstr(cfg, "mismatches"));
	/* ... and not among the measurements. */
	CU_ASSERT_PTR_NULL(strstr(mt, "<code class=\"key\">page_size"));
	CU_ASSERT_PTR_NULL(strstr(mt, "<code class=\"key\">clock_hz"));
	CU_ASSERT_PTR_NULL(strstr(mt, "<code class=\"key\">seed"));
	free(cfg);
	free(mt);
	cfg = section(md, "## Configuration", "## Metrics");
	mt = section(md, "## Metrics", "## Plots");
	CU_ASSERT_PTR_NOT_NULL(strstr(cfg, "| **platform.page-size** | **4KiB** | **64KiB** |"));
	CU_ASSERT_PTR_NULL(strstr(mt, "| page size |"));
	CU_ASSERT_PTR_NULL(strstr(mt, "| seed |"));
	free(cfg);
	free(mt);
	free(html);
	free(md);
	rs_remove_tree(base);
}

static void t_report_every_row_has_unit(void)
{
	struct rs_metric_def fb;
	char *html, *md, *mt;
	size_t rows = 0;

	write_change_reports(&html, &md);
	mt = section(html, "id=\"metrics\"", "id=\"plots\"");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mt);
	for (const char *p = mt; (p = strstr(p, "</code></th><td class=\"unit\">")); p++) {
		p += strlen("</code></th><td class=\"unit\">");
		CU_ASSERT(*p != '<');
		rows++;
	}
	CU_ASSERT_EQUAL(rows, count_of(mt, "<br><code class=\"key\">"));
	CU_ASSERT(rows >= 8);
	/* Metrics the catalogue does not know take their unit from their name. */
	CU_ASSERT_PTR_NOT_NULL(strstr(mt, "virtio.new_wait_cycles</code></th><td class=\"unit\">"
				      "cycles</td>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(mt, "blkif.widgets</code></th><td class=\"unit\">count</td>"));
	CU_ASSERT_EQUAL(rs_catalog_find("memory.foo_bytes", &fb)->kind, RS_KIND_BYTES);
	CU_ASSERT_EQUAL(rs_catalog_find("memory.foo_pages", &fb)->kind, RS_KIND_PAGES);
	CU_ASSERT_STRING_EQUAL(rs_kind_unit(rs_catalog_find("virtio.enospc", &fb)), "stalls");
	free(mt);
	/* In Markdown: the second column of every metric row. */
	mt = section(md, "## Metrics", "## Plots");
	for (const char *p = mt; p && (p = strstr(p, "\n| ")); p++) {
		const char *bar = strchr(p + 3, '|');

		CU_ASSERT(bar && bar[1] == ' ' && bar[2] != '|' && bar[2] != ' ');
	}
	free(mt);
	free(html);
	free(md);
	rs_remove_tree(base);
}

static void t_report_duplicate_once(void)
{
	char err[4096] = "", *html, *md, *mt;
	size_t len;

	write_change_reports(&html, &md);
	mt = section(html, "id=\"metrics\"", "id=\"plots\"");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mt);
	CU_ASSERT_EQUAL(count_of(mt, "<code class=\"key\">virtio.descriptors_per_request<"), 1);
	CU_ASSERT_EQUAL(count_of(mt, "<code class=\"key\">virtio.pinned_pages<"), 1);
	CU_ASSERT_EQUAL(count_of(mt, "<code class=\"key\">blkif.persistent_grants<"), 1);
	CU_ASSERT_PTR_NULL(strstr(mt, "<code class=\"key\">virtio.sg_entries_per_request"));
	CU_ASSERT_PTR_NULL(strstr(mt, "<code class=\"key\">virtio.pinned_pages_max"));
	CU_ASSERT_PTR_NULL(strstr(mt, "<code class=\"key\">memory.pinned_pages_max"));
	CU_ASSERT_PTR_NULL(strstr(mt, "<code class=\"key\">blkif.backend_persistent_grants_max"));
	CU_ASSERT_PTR_NULL(strstr(mt, "<code class=\"key\">devices.9p."));
	/* ... and the page says which one stands for both, and why. */
	CU_ASSERT_PTR_NOT_NULL(strstr(mt, "virtio.sg_entries_per_request equals "
				      "virtio.descriptors_per_request at every point"));
	CU_ASSERT_PTR_NOT_NULL(strstr(mt, "device 9p has one job, r"));
	free(mt);
	free(html);
	free(md);
	rs_remove_tree(base);
	/* Where they differ at some point (48 pinned pages vs 64), both are listed. */
	make_compare_dir();
	rs_report_write(base, err, sizeof(err));
	html = slurp("report.html", &len);
	mt = section(html, "id=\"metrics\"", "id=\"plots\"");
	CU_ASSERT_PTR_NOT_NULL(strstr(mt, "<code class=\"key\">memory.pinned_pages_max<"));
	CU_ASSERT_PTR_NOT_NULL(strstr(mt, "<code class=\"key\">virtio.pinned_pages<"));
	free(mt);
	free(html);
	rs_remove_tree(base);
}

static void rs_test_register(CU_pSuite suite)
{
	RS_TEST(t_report_writes_every_plot);
	RS_TEST(t_report_html_self_contained);
	RS_TEST(t_report_md_row_per_point);
	RS_TEST(t_report_all_failed_tables_only);
	RS_TEST(t_report_number_format);
	RS_TEST(t_report_missing_compare_json_bad);
	RS_TEST(t_report_malformed_json_bad);
	RS_TEST(t_report_malformed_csv_bad);
	RS_TEST(t_report_no_gnuplot_bad);
	RS_TEST(t_report_changes_ranked_bug_first);
	RS_TEST(t_report_findings_grouped_by_kind);
	RS_TEST(t_report_expect_failed_named);
	RS_TEST(t_report_pinned_pages_as_bytes);
	RS_TEST(t_report_distribution_one_row);
	RS_TEST(t_report_config_not_metrics);
	RS_TEST(t_report_every_row_has_unit);
	RS_TEST(t_report_duplicate_once);
	RS_TEST(t_report_stall_timeline_merged);
	RS_TEST(t_report_no_stalls_note);
	RS_TEST(t_report_zero_family_note);
	RS_TEST(t_report_png_1200_wide);
	RS_TEST(t_report_colour_per_page_size);
	RS_TEST(t_report_no_power_text);
	RS_TEST(t_report_sweep_titled_by_file);
}
