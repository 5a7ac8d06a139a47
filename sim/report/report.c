// SPDX-License-Identifier: GPL-2.0-only
/* report: the plots, report.md and report.html of a comparison directory. */
#include <stdio.h>

#include "report/report.h"
#include "report/pages.h"

/* Every plot family in the page's order; Return: 0, or -1 with @err set. */
static int draw_plots(const struct rs_report *r, struct rs_plot_list *pl, char *err,
		      size_t err_size)
{
	if (rs_plots_begin(pl, r->dir, err, err_size) ||
	    rs_plot_bars(r, pl, err, err_size) ||
	    rs_plot_phases(r, pl, err, err_size) || rs_plot_cdf(r, pl, err, err_size) ||
	    rs_plot_stalls(r, pl, err, err_size) || rs_plot_time(r, pl, err, err_size) ||
	    rs_plot_sweeps(r, pl, err, err_size))
		return -1;
	return rs_plots_run(pl, err, err_size);
}

int rs_report_write(const char *dir, char *err, size_t err_size)
{
	struct rs_plot_list pl = { 0 };
	struct rs_changes changes = { 0 };
	struct rs_view view = { 0 };
	struct rs_report r;
	char plot_err[4096] = "";
	int rc = -1;

	if (rs_report_load(&r, dir, err, err_size))
		return -1;
	if (rs_view_build(&view, &r, err, err_size))
		goto out;
	if (rs_changes_build(&changes, &view)) {
		snprintf(err, err_size, "%s: out of memory building the report", r.dir);
		goto out;
	}
	/* Without plots (no gnuplot, a bad CSV file) the tables are still worth writing. */
	draw_plots(&r, &pl, plot_err, sizeof(plot_err));
	if (rs_report_md(&r, &view, &changes, &pl, err, err_size) ||
	    rs_report_html(&r, &view, &changes, &pl, plot_err[0] ? plot_err : NULL, err,
			   err_size))
		goto out;
	if (plot_err[0]) {
		snprintf(err, err_size, "%s", plot_err);
		goto out;
	}
	rc = 0;
out:
	rs_changes_free(&changes);
	rs_view_free(&view);
	rs_plots_free(&pl);
	rs_report_free(&r);
	return rc;
}
