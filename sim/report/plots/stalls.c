// SPDX-License-Identifier: GPL-2.0-only
/*
 * stalls: the stall timeline. Every stall of every point's stalls.csv as a bar from
 * its start to its end cycle, one row per point and ring/cause, over simulated time.
 *
 * A 200k-request run can stall 100k times: the file is streamed (twice: once for the time
 * span, once to draw) and the stalls of a row that overlap or lie closer than a pixel are
 * merged, so a row holds at most about as many bars as the plot has pixels. stalls.csv is
 * written as stalls end, so rows arrive sorted by end cycle: merging into the last bar
 * of the row is enough.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/plots/plots.h"

#define MAX_ROWS 64
/* Bars closer than 1/PIXELS of the time axis are drawn as one (the plot area is about
 * 1000 pixels wide). */
#define PIXELS 1500

struct stall_row {
	size_t point;          /* index in r->points */
	char ring[32];
	char cause[64];
	uint64_t count;
	double cycles;         /* summed over the row's stalls */
	double cs, ce;         /* the bar being merged, in cycles */
	bool open;
	bool none;             /* a point without stalls: an empty, labelled row */
};

struct timeline {
	struct stall_row rows[MAX_ROWS];
	size_t n_rows;
	bool truncated;        /* more rows than MAX_ROWS */
	bool use_hz;           /* every point has clock_hz: the axis is in time */
	double span;           /* of the axis: seconds, then units; or cycles */
	double unit_seconds;   /* per unit of the axis; 0 when it is in cycles */
	const char *unit;
};

struct stall_line {
	char ring[32], cause[64];
	uint64_t start, end, cycles;
};

/* One stalls.csv line: Return: 1 for a stall, 0 for the header, -1 when malformed. */
static int parse_line(const char *line, struct stall_line *s)
{
	if (!strncmp(line, "ring,", 5))
		return 0;
	return sscanf(line, "%31[^,],%63[^,],%" SCNu64 ",%" SCNu64 ",%" SCNu64, s->ring,
		      s->cause, &s->start, &s->end, &s->cycles) == 5 ? 1 : -1;
}

static double point_hz(const struct rs_report_point *p)
{
	double hz;

	return rs_report_metric(p, "clock_hz", &hz) && hz > 0 ? hz : 0;
}

static struct stall_row *find_row(struct timeline *t, size_t point, const char *ring,
				  const char *cause)
{
	struct stall_row *row;

	for (size_t i = 0; i < t->n_rows; i++) {
		row = &t->rows[i];
		if (row->point == point && !row->none && !strcmp(row->ring, ring) &&
		    !strcmp(row->cause, cause))
			return row;
	}
	if (t->n_rows == MAX_ROWS) {
		t->truncated = true;
		return NULL;
	}
	row = &t->rows[t->n_rows++];
	memset(row, 0, sizeof(*row));
	row->point = point;
	snprintf(row->ring, sizeof(row->ring), "%s", ring);
	snprintf(row->cause, sizeof(row->cause), "%s", cause);
	return row;
}

/*
 * Read point @i's stalls.csv. @out NULL: the first pass (rows, counts and the time span);
 * else the second, writing the merged bars, "start end row", in the axis' unit.
 * Return: 0 (also when there is no file), or -1 with @err "PATH:LINE: ...".
 */
static int read_stalls(const struct rs_report *r, size_t i, struct timeline *t, FILE *out,
		       char *err, size_t err_size)
{
	const struct rs_report_point *p = &r->points[i];
	double hz = point_hz(p), per_cycle, gap;
	size_t cap = 0, lineno = 0;
	struct stall_line s;
	char path[4096], *line = NULL;
	FILE *f;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/stalls.csv", p->dir);
	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* Cycles to the axis' unit, and the merge distance in cycles. */
	per_cycle = t->use_hz ? 1 / (hz * t->unit_seconds) : 1;
	gap = t->span / PIXELS / per_cycle;
	while (getline(&line, &cap, f) > 0) {
		struct stall_row *row;
		int kind;

		lineno++;
		kind = parse_line(line, &s);
		if (kind < 0) {
			snprintf(err, err_size, "%s:%zu: expected ring,cause,start_cycle,end_cycle,"
				 "cycles,request", path, lineno);
			rc = -1;
			break;
		}
		if (!kind || !(row = find_row(t, i, s.ring, s.cause)))
			continue;
		if (!out) {
			row->count++;
			row->cycles += (double)s.cycles;
			t->span = fmax(t->span, t->use_hz ? (double)s.end / hz : (double)s.end);
			continue;
		}
		if (row->open && (double)s.start <= row->ce + gap &&
		    (double)s.end >= row->cs - gap) {
			row->cs = fmin(row->cs, (double)s.start);
			row->ce = fmax(row->ce, (double)s.end);
			continue;
		}
		if (row->open)
			fprintf(out, "%.9g\t%.9g\t%zu\n", row->cs * per_cycle, row->ce * per_cycle,
				(size_t)(row - t->rows));
		row->cs = (double)s.start;
		row->ce = (double)s.end;
		row->open = true;
	}
	free(line);
	if (ferror(f) && !rc) {
		snprintf(err, err_size, "%s: read error", path);
		rc = -1;
	}
	fclose(f);
	/* The bars still being merged. */
	for (size_t k = 0; out && k < t->n_rows; k++) {
		struct stall_row *row = &t->rows[k];

		if (row->point == i && row->open)
			fprintf(out, "%.9g\t%.9g\t%zu\n", row->cs * per_cycle, row->ce * per_cycle, k);
		row->open = false;
	}
	return rc;
}

/* @seconds as "21.22 µs", "36.3 ms" or "1.259 s". */
static char *fmt_duration(double seconds, char *buf, size_t size)
{
	static const struct { double limit, unit; const char *name; } units[] = {
		{ 1e-3, 1e-6, "µs" }, { 1, 1e-3, "ms" }, { INFINITY, 1, "s" },
	};
	char num[48];
	size_t u = 0;

	while (seconds >= units[u].limit)
		u++;
	snprintf(buf, size, "%s %s", rs_fmt_number(seconds / units[u].unit, num, sizeof(num)),
		 units[u].name);
	return buf;
}

/* Above each row's bars: "page-size=4KiB · virtio no_free_descriptors — 113 stalls,
 * 3.28 ms summed". Inside the plot, so the bars get the whole width. */
static void row_label(FILE *gp, const struct rs_report *r, const struct timeline *t,
		      size_t k)
{
	const struct stall_row *row = &t->rows[k];
	const char *name = r->points[row->point].name;
	double hz = point_hz(&r->points[row->point]);
	char count[48], total[48], text[512];

	if (row->none) {
		snprintf(text, sizeof(text), "%s · no stalls", name);
	} else {
		char num[48];

		rs_fmt_number((double)row->count, count, sizeof(count));
		if (t->use_hz)
			fmt_duration(row->cycles / hz, total, sizeof(total));
		else
			snprintf(total, sizeof(total), "%s cycles",
				 rs_fmt_number(row->cycles, num, sizeof(num)));
		snprintf(text, sizeof(text), "%s · %s %s — %s stall%s, %s summed", name,
			 row->ring, row->cause, count, row->count == 1 ? "" : "s", total);
	}
	fputs("set label ", gp);
	rs_gp_string(gp, text);
	fprintf(gp, " at graph 0.005, first %g left front font ',14' tc rgb '#202020'\n",
		(double)k - 0.47);
}

static int draw(const struct rs_report *r, struct rs_plot_list *pl, struct timeline *t,
		char *err, size_t err_size)
{
	char file[64], label[256], gap[48], title[160];
	double min_w = t->span / 1000;
	bool first = true;
	int height = (int)t->n_rows * 52 + 190;
	FILE *gp;

	snprintf(title, sizeof(title), "Ring stalls over time%s",
		 t->truncated ? " (first 64 rows)" : "");
	gp = rs_plot_open_sized(pl, "stalls_timeline", title, RS_PLOT_TIME,
				height < 360 ? 360 : height, err, err_size);
	if (!gp)
		return -1;
	/* The merge distance in a unit of its own ("21 µs", not "0.021 ms"). */
	if (t->use_hz) {
		fmt_duration(t->span * t->unit_seconds / PIXELS, gap, sizeof(gap));
	} else {
		char num[48];

		snprintf(gap, sizeof(gap), "%s cycles",
			 rs_fmt_number(t->span / PIXELS, num, sizeof(num)));
	}
	snprintf(label, sizeof(label), "simulated time (%s); stalls less than %s apart are "
		 "drawn as one", t->unit, gap);
	fputs("set xlabel ", gp);
	rs_gp_string(gp, label);
	/* First point at the top, each row's label above its bars. */
	fprintf(gp, "\nset xrange [0:%g]\nset yrange [%g:-0.9]\nunset ytics\nset border 1\n"
		"set grid xtics noytics\nunset key\nset style fill solid 1.0 noborder\n",
		t->span * 1.01, (double)t->n_rows - 0.6);
	for (size_t k = 0; k < t->n_rows; k++)
		row_label(gp, r, t, k);
	fputs("plot \\\n", gp);
	for (size_t i = 0; i < r->n_points; i++) {
		bool has = false;

		for (size_t k = 0; k < t->n_rows && !has; k++)
			has = t->rows[k].point == i && !t->rows[k].none;
		if (!has)
			continue;
		snprintf(file, sizeof(file), "stalls_%zu.dat", i + 1);
		/* In the page size's colour, solid: the row's label names the point. A bar
		 * is at least a pixel wide, so a lone short stall still shows. */
		fprintf(gp, "%s  '%s' using (($1+$2)/2):3:1:($2-$1 < %g ? $1+%g : $2):"
			"($3-0.26):($3+0.26) with boxxyerror lt %d fs solid 1.0 noborder title ",
			first ? "" : ", \\\n", file, min_w, min_w, r->points[i].color);
		rs_gp_string(gp, r->points[i].name);
		first = false;
	}
	fputc('\n', gp);
	return rs_plot_close(pl, gp, err, err_size);
}

int rs_plot_stalls(const struct rs_report *r, struct rs_plot_list *pl, char *err,
		   size_t err_size)
{
	struct timeline *t = calloc(1, sizeof(*t));
	bool all_hz = true, any = false;
	int rc = -1;

	if (!t) {
		snprintf(err, err_size, "%s: out of memory", pl->plots_dir);
		return -1;
	}
	/* Without clock_hz at every point the axis is in cycles. */
	for (size_t i = 0; i < r->n_points; i++)
		all_hz = all_hz && (!r->points[i].has_data || point_hz(&r->points[i]) > 0);
	t->use_hz = all_hz;
	for (size_t i = 0; i < r->n_points; i++) {
		size_t before = t->n_rows;

		if (!r->points[i].has_data)
			continue;
		if (read_stalls(r, i, t, NULL, err, err_size))
			goto out;
		any = any || t->n_rows > before;
		if (t->n_rows == before && t->n_rows < MAX_ROWS) {
			t->rows[t->n_rows].point = i;
			t->rows[t->n_rows++].none = true;
		}
	}
	if (!any) {
		rs_plot_note(pl, RS_PLOT_TIME, "No stalls at any point.");
		rc = 0;
		goto out;
	}
	if (!all_hz) {
		t->unit = "cycles";
	} else {
		double seconds;

		t->unit = rs_time_unit(t->span, &seconds);
		t->unit_seconds = seconds;
		t->span /= seconds;
	}
	for (size_t i = 0; i < r->n_points; i++) {
		char file[64];
		bool has = false;
		FILE *f;

		for (size_t k = 0; k < t->n_rows && !has; k++)
			has = t->rows[k].point == i && !t->rows[k].none;
		if (!has)
			continue;
		snprintf(file, sizeof(file), "stalls_%zu.dat", i + 1);
		f = rs_plot_data(pl, file, err, err_size);
		if (!f)
			goto out;
		fprintf(f, "# %s: stall start\tend (%s)\trow; overlapping stalls merged\n",
			r->points[i].name, t->unit);
		if (read_stalls(r, i, t, f, err, err_size)) {
			fclose(f);
			goto out;
		}
		if (rs_data_close(pl, f, file, err, err_size))
			goto out;
	}
	rc = draw(r, pl, t, err, err_size);
out:
	free(t);
	return rc;
}
