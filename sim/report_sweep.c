// SPDX-License-Identifier: GPL-2.0-only
/*
 * report_sweep: when the comparison varies the page size and something else, key metrics
 * against each other varied parameter, one line per page size (and per value of any
 * further varied parameter).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_data.h"

#define PAGE_SIZE_KEY "platform.page-size"
#define MAX_SWEEP 256

struct sweep_metric {
	const char *key;
	const char *slug;
	const char *title;
	const char *ylabel;
	double scale;
};

static const struct sweep_metric metrics[] = {
	{ "throughput.bytes_per_second", "throughput", "Throughput", "MB/s", 1e-6 },
	{ "latency_cycles.p99", "latency_p99", "Latency p99", "cycles", 1 },
	{ "virtio.descriptors_per_request.mean", "descriptors", "Descriptors per request (mean)",
	  "descriptors", 1 },
	{ "blkif.grants_per_request.mean", "grants", "Grants per request (mean)", "grants", 1 },
	{ "blkif.grants_reserved_per_request.mean", "grants_reserved",
	  "Grants reserved per request (mean)", "grants", 1 },
	{ "virtio.enospc", "enospc", "virtio -ENOSPC stalls", "stalls (count)", 1 },
	{ "blkif.tag_waits", "tag_waits", "blkif tag waits", "stalls (count)", 1 },
	{ "blkif.grant_exhausted", "grant_exhausted", "blkif grants exhausted", "stalls (count)",
	  1 },
};

/* One point on a sweep: x, and the line it belongs to. */
struct sweep_pt {
	const struct rs_report_point *p;
	const char *xtext;
	double x;
	size_t order;   /* of the line: where it first appears in compare.json */
	char line[256];
};

/* "64KiB" -> 65536, "16" -> 16, "1.5GHz" -> 1.5e9; Return: false for anything else. */
static bool parse_value(const char *s, double *v)
{
	static const struct { const char *suffix; double mult; } units[] = {
		{ "", 1 }, { "B", 1 }, { "KiB", 1024.0 }, { "MiB", 1048576.0 },
		{ "GiB", 1073741824.0 }, { "Hz", 1 }, { "kHz", 1e3 }, { "MHz", 1e6 },
		{ "GHz", 1e9 }, { "cycles", 1 }, { "ns", 1e-9 }, { "us", 1e-6 }, { "ms", 1e-3 },
		{ "s", 1 },
	};
	char *end;

	*v = strtod(s, &end);
	if (end == s || !isfinite(*v))
		return false;
	while (*end == ' ')
		end++;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (!strcmp(end, units[i].suffix)) {
			*v *= units[i].mult;
			return true;
		}
	}
	return false;
}

static const char *short_key(const char *key)
{
	const char *dot = strrchr(key, '.');

	return dot ? dot + 1 : key;
}

static int cmp_pt(const void *a, const void *b)
{
	const struct sweep_pt *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return (x->x > y->x) - (x->x < y->x);
}

/* The points that have a value for @key, their x and line; Return: how many. */
static size_t collect(const struct rs_report *r, const char *key, struct sweep_pt *pts,
		      bool *numeric)
{
	size_t n = 0, n_cat = 0;
	const char *cats[MAX_SWEEP];

	*numeric = true;
	for (size_t i = 0; i < r->n_points && n < MAX_SWEEP; i++) {
		const struct rs_report_point *p = &r->points[i];
		struct sweep_pt *s = &pts[n];
		size_t len = 0;

		if (!p->has_data || !(s->xtext = rs_report_set(p, key)))
			continue;
		s->p = p;
		*numeric = *numeric && parse_value(s->xtext, &s->x);
		s->line[0] = '\0';
		for (size_t k = 0; k < json_array_size(r->varied); k++) {
			const char *other = json_string_value(json_array_get(r->varied, k));
			const char *val = other ? rs_report_set(p, other) : NULL;

			if (!val || !strcmp(other, key))
				continue;
			len += (size_t)snprintf(s->line + len, len < sizeof(s->line) ?
						sizeof(s->line) - len : 0, "%s%s=%s",
						len ? ", " : "", short_key(other), val);
			len = len < sizeof(s->line) ? len : sizeof(s->line) - 1;
		}
		for (s->order = 0; s->order < n && strcmp(pts[s->order].line, s->line);
		     s->order++)
			;
		n++;
	}
	if (*numeric)
		return n;
	/* Categories in the order they first appear. */
	for (size_t i = 0; i < n; i++) {
		size_t c = 0;

		while (c < n_cat && strcmp(cats[c], pts[i].xtext))
			c++;
		if (c == n_cat)
			cats[n_cat++] = pts[i].xtext;
		pts[i].x = (double)c;
	}
	return n;
}

static int plot_metric(struct rs_plot_list *pl, const char *key, const struct sweep_metric *m,
		       const struct sweep_pt *pts, size_t n, bool numeric, char *err,
		       size_t err_size)
{
	char name[128], file[144], slug[64], title[192], xlabel[160];
	double xmin = INFINITY, xmax = -INFINITY, ymax = 0, axis, v;
	const char *unit;
	const char *labels[MAX_SWEEP];
	size_t lines = 0;
	FILE *f, *gp;

	snprintf(name, sizeof(name), "sweep_%s_vs_%s", m->slug, rs_slug(key, slug, sizeof(slug)));
	snprintf(file, sizeof(file), "%s.dat", name);
	for (size_t i = 0; i < n; i++)
		if (rs_report_metric(pts[i].p, m->key, &v))
			ymax = fmax(ymax, v * m->scale);
	axis = rs_axis_scale(ymax, &unit);
	f = rs_plot_data(pl, file, err, err_size);
	if (!f)
		return -1;
	fprintf(f, "# %s against %s: x\t%s; one block per line\n", m->key, key, m->ylabel);
	for (size_t i = 0; i < n; i++) {
		if (!rs_report_metric(pts[i].p, m->key, &v))
			continue;
		if (!lines || strcmp(pts[i].line, labels[lines - 1])) {
			fprintf(f, "%s# %s\n", lines ? "\n\n" : "", pts[i].line);
			labels[lines++] = pts[i].line;
		}
		fprintf(f, "%.10g\t%.10g\n", pts[i].x, v * m->scale / axis);
		xmin = fmin(xmin, pts[i].x);
		xmax = fmax(xmax, pts[i].x);
	}
	if (rs_data_close(pl, f, file, err, err_size))
		return -1;
	snprintf(title, sizeof(title), "%s against %s", m->title, short_key(key));
	gp = rs_plot_open(pl, name, title, RS_PLOT_SWEEP, err, err_size);
	if (!gp)
		return -1;
	/* A doubling sweep (depth 1..128, sizes 4KiB..1MiB) reads best on a log2 axis. */
	if (numeric && xmin > 0 && xmax / xmin >= 16) {
		snprintf(xlabel, sizeof(xlabel), "%s (log scale)", key);
		fprintf(gp, "set logscale x 2\nset xrange [%g:%g]\n", xmin / 1.3, xmax * 1.3);
	} else {
		snprintf(xlabel, sizeof(xlabel), "%s", key);
		fprintf(gp, "set xrange [%g:%g]\n", xmin - (xmax - xmin) * 0.06 - 0.3,
			xmax + (xmax - xmin) * 0.06 + 0.3);
	}
	fputs("set xlabel ", gp);
	rs_gp_string(gp, xlabel);
	fprintf(gp, "\nset ylabel '%s%s'\nset yrange [0:*]\nset grid xtics ytics\n", m->ylabel,
		unit);
	/* Tics at the values swept, labelled as the scenario wrote them. */
	fputs("set xtics (", gp);
	for (size_t i = 0, t = 0; i < n; i++) {
		bool dup = false;

		for (size_t e = 0; e < i && !dup; e++)
			dup = pts[e].x == pts[i].x;
		if (dup)
			continue;
		fputs(t++ ? ", " : "", gp);
		rs_gp_string(gp, pts[i].xtext);
		fprintf(gp, " %.10g", pts[i].x);
	}
	fputs(")\nplot \\\n", gp);
	for (size_t l = 0; l < lines; l++) {
		fprintf(gp, "  '%s' index %zu using 1:2 with linespoints lt %zu pt %zu ps 1.2 "
			"title ", file, l, l + 1, 5 + 2 * (l % 4));
		rs_gp_string(gp, labels[l][0] ? labels[l] : "all points");
		fputs(l + 1 < lines ? ", \\\n" : "\n", gp);
	}
	return rs_plot_close(pl, gp, err, err_size);
}

int rs_plot_sweeps(const struct rs_report *r, struct rs_plot_list *pl, char *err,
		   size_t err_size)
{
	struct sweep_pt *pts;
	bool has_page = false;
	int rc = -1;

	for (size_t k = 0; k < json_array_size(r->varied); k++) {
		const char *key = json_string_value(json_array_get(r->varied, k));

		has_page = has_page || (key && !strcmp(key, PAGE_SIZE_KEY));
	}
	if (json_array_size(r->varied) < 2 || !has_page)
		return 0;
	pts = calloc(MAX_SWEEP, sizeof(*pts));
	if (!pts) {
		snprintf(err, err_size, "%s: out of memory", pl->plots_dir);
		return -1;
	}
	for (size_t k = 0; k < json_array_size(r->varied); k++) {
		const char *key = json_string_value(json_array_get(r->varied, k));
		bool numeric;
		size_t n;

		if (!key || !strcmp(key, PAGE_SIZE_KEY))
			continue;
		n = collect(r, key, pts, &numeric);
		qsort(pts, n, sizeof(pts[0]), cmp_pt);
		for (size_t m = 0; m < sizeof(metrics) / sizeof(metrics[0]); m++) {
			bool any = false;
			double v;

			/* A metric that is 0 everywhere (no stalls at all) says nothing as a line. */
			for (size_t i = 0; i < n && !any; i++)
				any = rs_report_metric(pts[i].p, metrics[m].key, &v) && v != 0;
			if (any && plot_metric(pl, key, &metrics[m], pts, n, numeric, err,
					       err_size))
				goto out;
		}
	}
	rc = 0;
out:
	free(pts);
	return rc;
}
