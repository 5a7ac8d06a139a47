/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pages: the two documents of a report, report.html (html.c, its sections in html_view.c)
 * and report.md (md.c), written from the view, What changed and the plots. Internal to
 * sim/report/.
 */
#ifndef RS_REPORT_PAGES_H
#define RS_REPORT_PAGES_H

#include <stdio.h>

#include "report/plots/plots.h"
#include "report/tables/view.h"

/* The sections as HTML (html_view.c); every text escaped. */

/** rs_html_changes() - section "What changed" (id "changes"): @c's alerts, then per point */
void rs_html_changes(FILE *f, const struct rs_view *v, const struct rs_changes *c);

/**
 * rs_html_config() - section "Configuration" (id "config"): a row per setting, a column
 * per point, settings that differ highlighted; the cost table folded when it is the same
 */
void rs_html_config(FILE *f, const struct rs_view *v);

/**
 * rs_html_metric_table() - section "Metrics" (id "metrics"): a row per shown metric with
 * its unit, grouped by section, distributions folded into <details>, then the notes on
 * what was listed once
 */
void rs_html_metric_table(FILE *f, const struct rs_view *v);

/* rs_html_row_head() - "<tr>", then a metric row's label, key and unit cells */
void rs_html_row_head(FILE *f, const struct rs_row *row);

/*
 * The same two sections for a sweep of more than RS_VIEW_WIDE points (html_wide.c): what
 * varies with its values; each metric's lowest, median and highest over the points.
 */
void rs_html_wide_config(FILE *f, const struct rs_view *v);
void rs_html_wide_metrics(FILE *f, const struct rs_view *v);

/**
 * rs_report_html() - write DIR/report.html
 * @view: the rows and sections, built once for both documents
 * @changes: What changed, built from @view
 * @pl: the plots; those whose SVG exists are inlined, the notes printed in their place
 * @plot_error: why plots are missing, shown on the page; NULL when none are
 * Return: 0, or -1 with @err set.
 */
int rs_report_html(const struct rs_report *r, const struct rs_view *view,
		   const struct rs_changes *changes, const struct rs_plot_list *pl,
		   const char *plot_error, char *err, size_t err_size);

/**
 * rs_report_md() - write DIR/report.md: What changed, the points, the configuration, the
 * metric tables, links to the PNGs
 * Return: 0, or -1 with @err set.
 */
int rs_report_md(const struct rs_report *r, const struct rs_view *view,
		 const struct rs_changes *changes, const struct rs_plot_list *pl, char *err,
		 size_t err_size);

#endif
