// SPDX-License-Identifier: GPL-2.0-only
/*
 * report_lines: the points overlaid as lines. The latency CDF (from histograms.csv) and
 * one plot over time per timeseries.csv column some point has.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_data.h"

/* Enough steps for a 900-pixel plot; longer runs are averaged into this many. */
#define SERIES_STEPS 1500

int rs_plot_cdf(const struct rs_report *r, struct rs_plot_list *pl, char *err,
		size_t err_size)
{
	const struct rs_report_point *shown[256];
	size_t n_shown = 0;
	FILE *gp;

	for (size_t i = 0; i < r->n_points && n_shown < 256; i++) {
		const struct rs_report_point *p = &r->points[i];
		struct rs_bin *bins;
		char path[4096], file[64];
		double total = 0, cum = 0;
		size_t n;
		FILE *f;

		if (!p->has_data)
			continue;
		snprintf(path, sizeof(path), "%s/histograms.csv", p->dir);
		if (rs_csv_histogram(path, "latency_cycles", &bins, &n, err, err_size))
			return -1;
		for (size_t b = 0; b < n; b++)
			total += bins[b].count;
		if (total <= 0) {
			free(bins);
			continue;
		}
		snprintf(file, sizeof(file), "cdf_latency_%d.dat", p->color);
		f = rs_plot_data(pl, file, err, err_size);
		if (!f) {
			free(bins);
			return -1;
		}
		fprintf(f, "# %s: latency_cycles\tfraction of requests at or below\n", p->name);
		/* Each bin rises from its low edge to its high edge; x is logarithmic. */
		for (size_t b = 0; b < n; b++) {
			double lo = bins[b].lo > 0 ? bins[b].lo : bins[b].hi;

			if (bins[b].hi <= 0)
				continue;
			fprintf(f, "%.10g\t%.6f\n", lo, cum / total);
			cum += bins[b].count;
			fprintf(f, "%.10g\t%.6f\n", bins[b].hi, cum / total);
		}
		free(bins);
		if (rs_data_close(pl, f, file, err, err_size))
			return -1;
		shown[n_shown++] = p;
	}
	if (!n_shown)
		return 0;
	gp = rs_plot_open(pl, "cdf_latency", "Latency CDF", RS_PLOT_CDF, err, err_size);
	if (!gp)
		return -1;
	fputs("set xlabel 'latency (cycles, log scale)'\n"
	      "set ylabel 'fraction of requests'\nset logscale x\nset format x '%.0s%c'\n"
	      "set yrange [0:1.02]\nset ytics 0,0.1,1\nset grid xtics ytics\n"
	      "set arrow from graph 0, first 0.99 to graph 1, first 0.99 nohead dt 2 "
	      "lc rgb '#808080'\n"
	      "set label 'p99' at graph 0.01, first 0.975 font ',9' tc rgb '#606060'\n"
	      "plot \\\n", gp);
	for (size_t j = 0; j < n_shown; j++) {
		fprintf(gp, "  'cdf_latency_%d.dat' using 1:2 with lines lt %d title ",
			shown[j]->color, shown[j]->color);
		rs_gp_string(gp, shown[j]->name);
		fputs(j + 1 < n_shown ? ", \\\n" : "\n", gp);
	}
	return rs_plot_close(pl, gp, err, err_size);
}

struct column_info {
	const char *col;
	const char *title;
	const char *ylabel;
};

static const struct column_info columns[] = {
	{ "virtio.ring_occupancy", "virtio ring occupancy", "descriptors in use" },
	{ "blkif.ring_occupancy", "blkif ring occupancy", "requests on the ring" },
	{ "virtio.pinned_pages", "Pages pinned by the 9p transport", "pages" },
	{ "memory.pinned_pages", "Pinned guest pages", "pages" },
	{ "memory.allocated_pages", "Allocated guest pages", "pages" },
	{ "blkif.grants_in_use", "Grants in use", "grants" },
	{ "blkif.persistent_grants", "Persistent grants", "grants" },
};

static struct column_info describe(const char *col)
{
	for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++)
		if (!strcmp(columns[i].col, col))
			return columns[i];
	return (struct column_info){ col, col, "level" };
}

/* The x axis of the plots over time: a time unit when every point has clock_hz. */
struct time_axis {
	double seconds;      /* per unit; 0 for "cycles" */
	const char *unit;
};

static struct time_axis time_unit(const struct rs_report *r, const struct rs_series *s)
{
	double span = 0, hz;

	for (size_t i = 0; i < r->n_points; i++) {
		if (!s[i].n_rows)
			continue;
		if (!rs_report_metric(&r->points[i], "clock_hz", &hz) || hz <= 0)
			return (struct time_axis){ 0, "cycles" };
		span = fmax(span, s[i].v[(s[i].n_rows - 1) * s[i].n_cols] / hz);
	}
	if (span < 1e-2)
		return (struct time_axis){ 1e-6, "µs" };
	if (span < 10)
		return (struct time_axis){ 1e-3, "ms" };
	return (struct time_axis){ 1, "s" };
}

/* ts_K.dat: time, then every column of the point; means of consecutive samples. */
static int write_series(const struct rs_report_point *p, const struct rs_series *s,
			const struct time_axis *t, struct rs_plot_list *pl, size_t *step,
			char *err, size_t err_size)
{
	size_t k = (s->n_rows + SERIES_STEPS - 1) / SERIES_STEPS;
	double hz = 1, scale = 1;
	char file[64];
	FILE *f;

	if (t->seconds > 0 && rs_report_metric(p, "clock_hz", &hz))
		scale = 1 / (hz * t->seconds);
	*step = k;
	snprintf(file, sizeof(file), "ts_%d.dat", p->color);
	f = rs_plot_data(pl, file, err, err_size);
	if (!f)
		return -1;
	fprintf(f, "# %s: time (%s)", p->name, t->unit);
	for (size_t c = 1; c < s->n_cols; c++)
		fprintf(f, "\t%s", s->cols[c]);
	fprintf(f, "\n# each row the mean of %zu samples\n", k);
	for (size_t r0 = 0; r0 < s->n_rows; r0 += k) {
		size_t r1 = r0 + k < s->n_rows ? r0 + k : s->n_rows;

		fprintf(f, "%.9g", s->v[r0 * s->n_cols] * scale);
		for (size_t c = 1; c < s->n_cols; c++) {
			double sum = 0;

			for (size_t row = r0; row < r1; row++)
				sum += s->v[row * s->n_cols + c];
			fprintf(f, "\t%.6g", sum / (double)(r1 - r0));
		}
		fputc('\n', f);
	}
	return rs_data_close(pl, f, file, err, err_size);
}

static int plot_column(const struct rs_report *r, const struct rs_series *s,
		       const char *col, const struct time_axis *t, size_t step,
		       struct rs_plot_list *pl, char *err, size_t err_size)
{
	struct column_info ci = describe(col);
	char name[128], slug[96], title[192];
	bool first = true;
	FILE *gp;

	snprintf(name, sizeof(name), "time_%s", rs_slug(col, slug, sizeof(slug)));
	if (step > 1)
		snprintf(title, sizeof(title), "%s over time (up to %zu samples averaged per step)",
			 ci.title, step);
	else
		snprintf(title, sizeof(title), "%s over time", ci.title);
	gp = rs_plot_open(pl, name, title, RS_PLOT_TIME, err, err_size);
	if (!gp)
		return -1;
	fprintf(gp, "set xlabel 'simulated time (%s)'\nset ylabel ", t->unit);
	rs_gp_string(gp, ci.ylabel);
	fputs("\nset yrange [0:*]\nset grid xtics ytics\nplot \\\n", gp);
	for (size_t i = 0; i < r->n_points; i++) {
		int c = s[i].n_rows ? rs_series_col(&s[i], col) : -1;

		if (c < 0)
			continue;
		fprintf(gp, "%s  'ts_%d.dat' using 1:%d with steps lt %d title ",
			first ? "" : ", \\\n", r->points[i].color, c + 1, r->points[i].color);
		rs_gp_string(gp, r->points[i].name);
		first = false;
	}
	fputc('\n', gp);
	return rs_plot_close(pl, gp, err, err_size);
}

int rs_plot_time(const struct rs_report *r, struct rs_plot_list *pl, char *err,
		 size_t err_size)
{
	struct rs_series *s = calloc(r->n_points ? r->n_points : 1, sizeof(*s));
	struct time_axis t;
	size_t step = 1, k;
	int rc = -1;

	if (!s) {
		snprintf(err, err_size, "%s: out of memory", pl->plots_dir);
		return -1;
	}
	for (size_t i = 0; i < r->n_points; i++) {
		char path[4096];

		if (!r->points[i].has_data)
			continue;
		snprintf(path, sizeof(path), "%s/timeseries.csv", r->points[i].dir);
		if (rs_csv_series(path, &s[i], err, err_size))
			goto out;
	}
	t = time_unit(r, s);
	for (size_t i = 0; i < r->n_points; i++) {
		if (!s[i].n_rows)
			continue;
		if (write_series(&r->points[i], &s[i], &t, pl, &k, err, err_size))
			goto out;
		step = k > step ? k : step;
	}
	/* One plot per column, in the order the columns first appear. */
	for (size_t i = 0; i < r->n_points; i++) {
		for (size_t c = 1; c < s[i].n_cols && s[i].n_rows; c++) {
			bool seen = false;

			for (size_t e = 0; e < i && !seen; e++)
				seen = s[e].n_rows && rs_series_col(&s[e], s[i].cols[c]) >= 0;
			if (!seen && plot_column(r, s, s[i].cols[c], &t, step, pl, err, err_size))
				goto out;
		}
	}
	rc = 0;
out:
	for (size_t i = 0; i < r->n_points; i++)
		rs_series_free(&s[i]);
	free(s);
	return rc;
}
