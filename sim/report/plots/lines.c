// SPDX-License-Identifier: GPL-2.0-only
/*
 * lines: the points overlaid as lines, coloured by page size and dashed by the
 * second varied parameter. The latency CDF (from histograms.csv; one per job when the
 * run has per-job histograms) and one plot over time per timeseries.csv column some
 * point has; a column that is 0 everywhere is a note instead.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/plots/plots.h"

/* Enough steps for a 1200-pixel plot; longer runs are averaged into this many. */
#define SERIES_STEPS 1500
#define MAX_JOBS 8
#define MAX_LINES 256

/* Levels whose peaks differ this much get a log axis: else the small ones lie flat. */
#define LOG_SPAN 30

/* One latency CDF of @metric over every point; @name and @title of the plot. */
static int plot_cdf(const struct rs_report *r, struct rs_plot_list *pl, const char *metric,
		    const char *name, const char *title, char *err, size_t err_size)
{
	const struct rs_report_point *shown[MAX_LINES];
	size_t n_shown = 0;
	double xmin = INFINITY, xmax = 0, div = 1;
	const char *unit;
	char file[192];
	FILE *gp;

	for (size_t i = 0; i < r->n_points && n_shown < MAX_LINES; i++) {
		const struct rs_report_point *p = &r->points[i];
		struct rs_bin *bins;
		char path[4096];
		double total = 0, cum = 0;
		size_t n;
		FILE *f;

		if (!p->has_data)
			continue;
		snprintf(path, sizeof(path), "%s/histograms.csv", p->dir);
		if (rs_csv_histogram(path, metric, &bins, &n, err, err_size))
			return -1;
		for (size_t b = 0; b < n; b++)
			total += bins[b].count;
		if (total <= 0) {
			free(bins);
			continue;
		}
		snprintf(file, sizeof(file), "%s_%zu.dat", name, i + 1);
		f = rs_plot_data(pl, file, err, err_size);
		if (!f) {
			free(bins);
			return -1;
		}
		fprintf(f, "# %s: %s\tfraction of requests at or below\n", p->name, metric);
		/* Each bin rises from its low edge to its high edge; x is logarithmic. */
		for (size_t b = 0; b < n; b++) {
			double lo = bins[b].lo > 0 ? bins[b].lo : bins[b].hi;

			if (bins[b].hi <= 0)
				continue;
			if (bins[b].count > 0) {
				xmin = fmin(xmin, lo);
				xmax = fmax(xmax, bins[b].hi);
			}
			fprintf(f, "%.10g\t%.6f\n", lo, cum / total);
			cum += bins[b].count;
			fprintf(f, "%.10g\t%.6f\n", bins[b].hi, cum / total);
		}
		free(bins);
		if (rs_data_close(pl, f, file, err, err_size))
			return -1;
		shown[n_shown++] = p;
	}
	if (!n_shown || !isfinite(xmin))
		return 0;
	gp = rs_plot_open(pl, name, title, RS_PLOT_CDF, err, err_size);
	if (!gp)
		return -1;
	/* Log when the latencies span decades; just around the data either way (gnuplot
	 * widens a log axis to whole decades, a narrow one then has a single tic). */
	if (xmax / xmin >= LOG_SPAN) {
		fprintf(gp, "set xlabel 'latency (cycles, log scale)'\nset logscale x\n"
			"set format x '%%.0s%%c'\nset xrange [%g:%g]\n", xmin / 1.25, xmax * 1.25);
	} else {
		div = rs_axis_scale(xmax, &unit);
		fprintf(gp, "set xlabel 'latency (%s)'\nset xrange [%g:%g]\n"
			"set format x '%%.10g'\n",
			div == 1e9 ? "billions of cycles" : div == 1e6 ? "millions of cycles" :
			"cycles", xmin * 0.95 / div, xmax * 1.05 / div);
	}
	fputs("set ylabel 'fraction of requests at or below'\n", gp);
	fputs("set yrange [0:1.02]\nset ytics 0,0.1,1\nset grid xtics ytics\n"
	      "set arrow from graph 0, first 0.99 to graph 1, first 0.99 nohead dt 2 "
	      "lc rgb '#808080'\n"
	      "set label 'p99' at graph 0.01, first 0.97 font ',13' tc rgb '#505050'\n", gp);
	rs_gp_key_title(gp, r, RS_MARK_LINE);
	fputs("plot \\\n", gp);
	for (size_t j = 0; j < n_shown; j++) {
		fprintf(gp, "  '%s_%zu.dat' using ($1/%g):2 with lines", name,
			(size_t)(shown[j] - r->points) + 1, div);
		rs_gp_style(gp, shown[j], RS_MARK_LINE);
		fputs(" title ", gp);
		rs_gp_string(gp, shown[j]->name);
		fputs(j + 1 < n_shown ? ", \\\n" : "\n", gp);
	}
	return rs_plot_close(pl, gp, err, err_size);
}

int rs_plot_cdf(const struct rs_report *r, struct rs_plot_list *pl, char *err,
		size_t err_size)
{
	char jobs[MAX_JOBS][64], metric[128], name[96], title[128], slug[64];
	size_t n_jobs = rs_report_jobs(r, jobs, MAX_JOBS);

	/* Per job: two rings' latencies in one curve describe neither. */
	if (!n_jobs)
		return plot_cdf(r, pl, "latency_cycles", "cdf_latency", "Latency CDF", err,
				err_size);
	for (size_t j = 0; j < n_jobs; j++) {
		snprintf(metric, sizeof(metric), "jobs.%.63s.latency_cycles", jobs[j]);
		snprintf(name, sizeof(name), "cdf_latency_%s", rs_slug(jobs[j], slug, sizeof(slug)));
		snprintf(title, sizeof(title), "Latency CDF of job %.63s", jobs[j]);
		if (plot_cdf(r, pl, metric, name, title, err, err_size))
			return -1;
	}
	return 0;
}

struct column_info {
	const char *col;
	const char *title;
	const char *ylabel;
	const char *noun;   /* "No NOUN at any point." */
};

static const struct column_info columns[] = {
	{ "virtio.ring_occupancy", "virtio ring occupancy", "descriptors in use",
	  "descriptors in use" },
	{ "blkif.ring_occupancy", "blkif ring occupancy", "requests on the ring",
	  "blkif requests on the ring" },
	{ "virtio.pinned_pages", "Pages pinned by the 9p transport", "pages", "pinned pages" },
	{ "memory.pinned_pages", "Pinned guest pages", "pages", "pinned pages" },
	{ "memory.allocated_pages", "Allocated guest pages", "pages", "allocated pages" },
	{ "blkif.grants_in_use", "Grants in use", "grants", "grants in use" },
	{ "blkif.persistent_grants", "Persistent grants", "grants", "persistent grants" },
};

static struct column_info describe(const char *col)
{
	for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++)
		if (!strcmp(columns[i].col, col))
			return columns[i];
	return (struct column_info){ col, col, "level", col };
}

/* The x axis of the plots over time: a time unit when every point has clock_hz. */
struct time_axis {
	double seconds;      /* per unit; 0 for "cycles" */
	const char *unit;
};

static struct time_axis time_unit(const struct rs_report *r, const struct rs_series *s)
{
	struct time_axis t;
	double span = 0, hz;

	for (size_t i = 0; i < r->n_points; i++) {
		if (!s[i].n_rows)
			continue;
		if (!rs_report_metric(&r->points[i], "clock_hz", &hz) || hz <= 0)
			return (struct time_axis){ 0, "cycles" };
		span = fmax(span, s[i].v[(s[i].n_rows - 1) * s[i].n_cols] / hz);
	}
	t.unit = rs_time_unit(span, &t.seconds);
	return t;
}

/* ts_K.dat (K: the point's place in compare.json): time, then every column of the
 * point; means of consecutive samples. */
static int write_series(const struct rs_report *r, size_t i, const struct rs_series *s,
			const struct time_axis *t, struct rs_plot_list *pl, size_t *step,
			char *err, size_t err_size)
{
	const struct rs_report_point *p = &r->points[i];
	size_t k = (s->n_rows + SERIES_STEPS - 1) / SERIES_STEPS;
	double hz = 1, scale = 1;
	char file[64];
	FILE *f;

	if (t->seconds > 0 && rs_report_metric(p, "clock_hz", &hz))
		scale = 1 / (hz * t->seconds);
	*step = k;
	snprintf(file, sizeof(file), "ts_%zu.dat", i + 1);
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

/* The range of column @col over every point: the smallest and largest peak, and the
 * smallest positive value. */
struct column_range {
	double peak_min_pos, peak_max, min_pos;
	bool zero;          /* some sample is 0 */
};

static struct column_range column_range(const struct rs_report *r, const struct rs_series *s,
					const char *col)
{
	struct column_range cr = { INFINITY, 0, INFINITY, false };

	for (size_t i = 0; i < r->n_points; i++) {
		int c = s[i].n_rows ? rs_series_col(&s[i], col) : -1;
		double peak = 0;

		for (size_t row = 0; c >= 0 && row < s[i].n_rows; row++) {
			double v = s[i].v[row * s[i].n_cols + (size_t)c];

			peak = fmax(peak, v);
			if (v > 0)
				cr.min_pos = fmin(cr.min_pos, v);
			cr.zero = cr.zero || v <= 0;
		}
		cr.peak_max = fmax(cr.peak_max, peak);
		if (peak > 0)
			cr.peak_min_pos = fmin(cr.peak_min_pos, peak);
	}
	return cr;
}

static int plot_column(const struct rs_report *r, const struct rs_series *s,
		       const char *col, const struct time_axis *t, size_t step,
		       struct rs_plot_list *pl, char *err, size_t err_size)
{
	struct column_info ci = describe(col);
	struct column_range cr = column_range(r, s, col);
	char name[128], slug[96], title[192], ylabel[128], use[64];
	double ymin = 0, zero = 0;
	bool first = true, logy;
	FILE *gp;

	if (cr.peak_max <= 0) {
		snprintf(title, sizeof(title), "No %s at any point.", ci.noun);
		rs_plot_note(pl, RS_PLOT_TIME, title);
		return 0;
	}
	snprintf(name, sizeof(name), "time_%s", rs_slug(col, slug, sizeof(slug)));
	if (step > 1)
		snprintf(title, sizeof(title), "%s over time (up to %zu samples averaged per step)",
			 ci.title, step);
	else
		snprintf(title, sizeof(title), "%s over time", ci.title);
	gp = rs_plot_open(pl, name, title, RS_PLOT_TIME, err, err_size);
	if (!gp)
		return -1;
	/* A point that peaks at 30 beside one at 3000 is a flat line on a linear axis: log,
	 * with 0 drawn at the bottom (a level is often 0 between bursts). */
	logy = cr.peak_max / cr.peak_min_pos >= LOG_SPAN;
	fprintf(gp, "set xlabel 'simulated time (%s)'\n", t->unit);
	if (logy) {
		ymin = pow(10, floor(log10(fmax(cr.min_pos, cr.peak_min_pos / 100))));
		zero = cr.zero ? ymin / 2 : ymin;
		snprintf(ylabel, sizeof(ylabel), "%s (log scale)", ci.ylabel);
		fprintf(gp, "set logscale y\nset format y '%%.0s%%c'\nset yrange [%g:%g]\n",
			zero, cr.peak_max * 1.6);
		if (cr.zero)
			fprintf(gp, "set ytics add ('0' %g)\n", zero);
	} else {
		snprintf(ylabel, sizeof(ylabel), "%s", ci.ylabel);
		fputs("set yrange [0:*]\nset format y '%.10g'\n", gp);
	}
	fputs("set ylabel ", gp);
	rs_gp_string(gp, ylabel);
	fputs("\nset grid xtics ytics\n", gp);
	rs_gp_key_title(gp, r, RS_MARK_LINE);
	fputs("plot \\\n", gp);
	for (size_t i = 0; i < r->n_points; i++) {
		int c = s[i].n_rows ? rs_series_col(&s[i], col) : -1;

		if (c < 0)
			continue;
		if (logy)
			snprintf(use, sizeof(use), "1:($%d < %g ? %g : $%d)", c + 1, ymin, zero, c + 1);
		else
			snprintf(use, sizeof(use), "1:%d", c + 1);
		fprintf(gp, "%s  'ts_%zu.dat' using %s with steps", first ? "" : ", \\\n", i + 1,
			use);
		rs_gp_style(gp, &r->points[i], RS_MARK_LINE);
		fputs(" title ", gp);
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
		if (write_series(r, i, &s[i], &t, pl, &k, err, err_size))
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
