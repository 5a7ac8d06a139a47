// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target (3): two results directories as `ringsim compare DIR DIR` reads them. The
 * input is up to NFILES parts split at NUL bytes: point a's summary.json, stalls.csv,
 * histograms.csv, timeseries.csv, scenario.xml (the as-run scenario), then point b's
 * summary.json (else a's again); b has a's other files. Then what compare does with them short of running gnuplot:
 * rs_comparison_write() (compare.json, compare.csv), and the report read back from
 * compare.json: its tables, its plots' scripts and data, report.md and report.html.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare/compare.h"
#include "report/pages.h"
#include "report/plots/plots.h"
#include "report/tables/data.h"
#include "report/tables/view.h"
#include "fuzz.h"

static const char *const files[] = {
	"a/summary.json", "a/stalls.csv", "a/histograms.csv", "a/timeseries.csv",
	"a/scenario.xml", "b/summary.json",
};

#define NFILES (sizeof(files) / sizeof(files[0]))

/* The parts of the input, each written where it belongs in @dir. */
static void write_points(const char *dir, const uint8_t *data, size_t size)
{
	const uint8_t *part[NFILES] = { 0 };
	size_t len[NFILES] = { 0 }, n = 0;
	char path[256];

	while (n < NFILES) {
		const uint8_t *nul = n < NFILES - 1 ? memchr(data, '\0', size) : NULL;

		part[n] = data;
		len[n] = nul ? (size_t)(nul - data) : size;
		n++;
		if (!nul)
			break;
		size -= len[n - 1] + 1;
		data = nul + 1;
	}
	if (!part[NFILES - 1]) { /* b: a's summary */
		part[NFILES - 1] = part[0];
		len[NFILES - 1] = len[0];
	}
	for (size_t i = 0; i < NFILES; i++) {
		for (int b = 0; b < 1 + (i > 0 && i < NFILES - 1); b++) { /* a's are b's too */
			snprintf(path, sizeof(path), "%s/%c/%s", dir, b ? 'b' : files[i][0],
				 files[i] + 2);
			if (part[i])
				rs_fuzz_write(path, part[i], len[i]);
			else
				unlink(path); /* not left from the input before */
		}
	}
}

/* The report of @dir as rs_report_write() makes it, the plots' scripts but not gnuplot. */
static void report(const char *dir)
{
	struct rs_plot_list pl = { 0 };
	struct rs_changes changes = { 0 };
	struct rs_view view = { 0 };
	struct rs_report r;
	char err[4096];

	if (rs_report_load(&r, dir, err, sizeof(err)) || rs_view_build(&view, &r, err, sizeof(err)))
		goto out;
	RS_FUZZ_ASSERT(r.n_points == 2);
	if (rs_changes_build(&changes, &view))
		goto out;
	if (!rs_plots_begin(&pl, r.dir, err, sizeof(err)) &&
	    !rs_plot_bars(&r, &pl, err, sizeof(err)) && !rs_plot_cdf(&r, &pl, err, sizeof(err)))
		(void)(rs_plot_stalls(&r, &pl, err, sizeof(err)) ||
		       rs_plot_time(&r, &pl, err, sizeof(err)) ||
		       rs_plot_sweeps(&r, &pl, err, sizeof(err)));
	rs_report_md(&r, &view, &changes, &pl, err, sizeof(err));
	rs_report_html(&r, &view, &changes, &pl, NULL, err, sizeof(err));
out:
	rs_changes_free(&changes);
	rs_view_free(&view);
	rs_plots_free(&pl);
	rs_report_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char dir[128];
	struct rs_point points[2] = {
		{ .name = (char *)"a", .status = (char *)"ok" },
		{ .name = (char *)"b", .status = (char *)"ok" },
	};
	struct rs_comparison c = {
		.scenario = (char *)"results", .points = points, .n_points = 2,
	};
	char err[4096];

	if (!dir[0]) {
		char sub[160];

		snprintf(dir, sizeof(dir), "%s/compare", rs_fuzz_dir());
		RS_FUZZ_ASSERT(!mkdir(dir, 0755));
		snprintf(sub, sizeof(sub), "%s/a", dir);
		RS_FUZZ_ASSERT(!mkdir(sub, 0755));
		snprintf(sub, sizeof(sub), "%s/b", dir);
		RS_FUZZ_ASSERT(!mkdir(sub, 0755));
	}
	write_points(dir, data, size);
	/* the comparison's own files are made: the input is only the points' */
	RS_FUZZ_ASSERT(!rs_comparison_write(&c, dir, err, sizeof(err)));
	report(dir);
	return 0;
}
