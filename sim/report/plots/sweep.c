// SPDX-License-Identifier: GPL-2.0-only
/*
 * sweep: when the comparison varies the page size and something else, key metrics
 * against each other varied parameter, one line per page size (and per value of any
 * further varied parameter), in the page size's colour. Throughput and latency are per
 * job when the runs have jobs.NAME.* metrics. Titles name the <sweep> file when there is
 * one. A metric that is 0 at every point is a note instead of a flat line.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/plots/plots.h"

#define PAGE_SIZE_KEY "platform.page-size"
#define MAX_SWEEP 256
#define MAX_JOBS 8

/* Values spanning this factor get a log y axis (a p99 rising 7x under one rising 30x
 * looks flat on a linear one). */
#define LOG_SPAN 20

struct sweep_metric {
	const char *key;
	const char *slug;
	const char *title;
	const char *ylabel;
	const char *noun;   /* "No NOUN at any point." */
	bool rate;          /* bytes per second: MiB/s or GiB/s */
};

static const struct sweep_metric metrics[] = {
	{ "throughput.bytes_per_second", "throughput", "Throughput", "", "throughput", true },
	{ "latency_cycles.p99", "latency_p99", "Latency p99", "cycles", "latency", false },
	{ "virtio.descriptors_per_request.mean", "descriptors", "Descriptors per request (mean)",
	  "descriptors", "descriptors", false },
	{ "blkif.grants_per_request.mean", "grants", "Grants per request (mean)", "grants",
	  "grants", false },
	{ "blkif.grants_reserved_per_request.mean", "grants_reserved",
	  "Grants reserved per request (mean)", "grants", "grants", false },
	{ "virtio.enospc", "enospc", "virtio -ENOSPC stalls", "stalls (count)",
	  "virtio -ENOSPC stalls", false },
	{ "blkif.tag_waits", "tag_waits", "blkif tag waits", "stalls (count)", "blkif tag waits",
	  false },
	{ "blkif.grant_exhausted", "grant_exhausted", "blkif grants exhausted", "stalls (count)",
	  "blkif grant exhaustion", false },
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

/* "9p-sweep: " for a <sweep> file's comparison, "" otherwise. */
static void sweep_prefix(const struct rs_report *r, char *buf, size_t size)
{
	buf[0] = '\0';
	if (r->title[0])
		snprintf(buf, size, "%.64s: ", r->title);
}

/* The y axis: linear, or log when the values span LOG_SPAN or more, with 0 (a count
 * that is 0 at some points) drawn at the bottom. */
struct sweep_axis {
	double div;         /* values are divided by this */
	bool logy, zero_tic; /* zero_tic: some value is 0, drawn at the bottom */
	double ymin, zero;
	char label[128];
};

static struct sweep_axis y_axis(const struct sweep_metric *m, const struct sweep_pt *pts,
				size_t n)
{
	struct sweep_axis a = { 1, false, false, 0, 0, "" };
	double max = 0, min_pos = INFINITY, v;
	const char *unit = "";

	for (size_t i = 0; i < n; i++) {
		if (!rs_report_metric(pts[i].p, m->key, &v))
			continue;
		max = fmax(max, v);
		if (v > 0)
			min_pos = fmin(min_pos, v);
		a.zero_tic = a.zero_tic || v <= 0;
	}
	a.logy = isfinite(min_pos) && max / min_pos >= LOG_SPAN;
	if (m->rate) {
		/* binary, as the tables say it */
		a.div = max >= 1073741824.0 ? 1073741824.0 : 1048576.0;
		unit = a.div > 1048576.0 ? "GiB/s" : "MiB/s";
	} else if (!a.logy) {
		a.div = rs_axis_scale(max, &unit);
	}
	a.zero_tic = a.zero_tic && a.logy;
	if (a.logy) {
		a.ymin = pow(10, floor(log10(min_pos / a.div)));
		a.zero = a.zero_tic ? a.ymin / 2 : a.ymin;
	}
	snprintf(a.label, sizeof(a.label), "%s%s%s", m->rate ? "" : m->ylabel, unit,
		 a.logy ? " (log scale)" : "");
	return a;
}

static int plot_metric(const struct rs_report *r, struct rs_plot_list *pl, const char *key,
		       const struct sweep_metric *m, const struct sweep_pt *pts, size_t n,
		       bool numeric, char *err, size_t err_size)
{
	char name[192], file[208], slug[64], title[192], xlabel[160], prefix[96];
	double xmin = INFINITY, xmax = -INFINITY, ymax = 0, v;
	struct sweep_axis a = y_axis(m, pts, n);
	const struct sweep_pt *first[MAX_SWEEP];
	const char *labels[MAX_SWEEP];
	size_t lines = 0;
	FILE *f, *gp;

	snprintf(name, sizeof(name), "sweep_%s_vs_%s", m->slug, rs_slug(key, slug, sizeof(slug)));
	snprintf(file, sizeof(file), "%s.dat", name);
	f = rs_plot_data(pl, file, err, err_size);
	if (!f)
		return -1;
	fprintf(f, "# %s against %s: x\t%s; one block per line\n", m->key, key, a.label);
	for (size_t i = 0; i < n; i++) {
		if (!rs_report_metric(pts[i].p, m->key, &v))
			continue;
		if (!lines || strcmp(pts[i].line, labels[lines - 1])) {
			fprintf(f, "%s# %s\n", lines ? "\n\n" : "", pts[i].line);
			first[lines] = &pts[i];
			labels[lines++] = pts[i].line;
		}
		v /= a.div;
		ymax = fmax(ymax, v);
		fprintf(f, "%.10g\t%.10g\n", pts[i].x, a.logy && v < a.ymin ? a.zero : v);
		xmin = fmin(xmin, pts[i].x);
		xmax = fmax(xmax, pts[i].x);
	}
	if (rs_data_close(pl, f, file, err, err_size))
		return -1;
	sweep_prefix(r, prefix, sizeof(prefix));
	snprintf(title, sizeof(title), "%s%s against %s", prefix, m->title, short_key(key));
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
	fputs("\nset ylabel ", gp);
	rs_gp_string(gp, a.label);
	if (a.logy)
		fprintf(gp, "\nset logscale y\nset format y '%%.0s%%c'\nset yrange [%g:%g]\n",
			a.zero, ymax * 2);
	if (a.zero_tic)
		fprintf(gp, "set ytics add ('0' %g)\n", a.zero);
	if (!a.logy)
		/* '%.10g': gnuplot's default tic format writes 1000000 as "1e+06". */
		fprintf(gp, "\nset yrange [0:%g]\nset format y '%%.10g'\n",
			ymax > 0 ? ymax * 1.12 : 1);
	fputs("set grid xtics ytics\n", gp);
	/* Each line's title names its values: the key says only what the colour is. */
	if (r->color_key) {
		char legend[160];

		snprintf(legend, sizeof(legend), "colour: %s", short_key(r->color_key));
		fputs("set key title ", gp);
		rs_gp_string(gp, legend);
		fputs(" font ',14'\n", gp);
	}
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
		/* The page size's colour; lines of one colour (a third varied parameter)
		 * apart by dashes and markers. */
		struct rs_report_point look = *first[l]->p;

		look.style = 1;
		for (size_t e = 0; e < l; e++)
			look.style += first[e]->p->color == look.color;
		fprintf(gp, "  '%s' index %zu using 1:2 with linespoints", file, l);
		rs_gp_style(gp, &look, RS_MARK_POINTS);
		fputs(" title ", gp);
		rs_gp_string(gp, labels[l][0] ? labels[l] : "all points");
		fputs(l + 1 < lines ? ", \\\n" : "\n", gp);
	}
	return rs_plot_close(pl, gp, err, err_size);
}

/* The metrics to sweep: per job for throughput and latency when there are jobs. */
struct metric_set {
	struct sweep_metric m[sizeof(metrics) / sizeof(metrics[0]) + 2 * MAX_JOBS];
	size_t n;
	char keys[2 * MAX_JOBS][128], slugs[2 * MAX_JOBS][96], titles[2 * MAX_JOBS][128];
};

static void metric_set(const struct rs_report *r, struct metric_set *ms)
{
	char jobs[MAX_JOBS][64], slug[64];
	size_t n_jobs = rs_report_jobs(r, jobs, MAX_JOBS), d = 0;

	ms->n = 0;
	for (size_t i = 0; i < sizeof(metrics) / sizeof(metrics[0]); i++) {
		bool aggregate = !strcmp(metrics[i].key, "throughput.bytes_per_second") ||
				 !strcmp(metrics[i].key, "latency_cycles.p99");

		if (!n_jobs || !aggregate) {
			ms->m[ms->n++] = metrics[i];
			continue;
		}
		for (size_t j = 0; j < n_jobs; j++, d++) {
			struct sweep_metric *m = &ms->m[ms->n++];

			*m = metrics[i];
			snprintf(ms->keys[d], sizeof(ms->keys[d]), "jobs.%.63s.%s", jobs[j], m->key);
			snprintf(ms->slugs[d], sizeof(ms->slugs[d]), "%s_%s", m->slug,
				 rs_slug(jobs[j], slug, sizeof(slug)));
			snprintf(ms->titles[d], sizeof(ms->titles[d]), "%s of job %.63s", m->title,
				 jobs[j]);
			m->key = ms->keys[d];
			m->slug = ms->slugs[d];
			m->title = ms->titles[d];
		}
	}
}

int rs_plot_sweeps(const struct rs_report *r, struct rs_plot_list *pl, char *err,
		   size_t err_size)
{
	struct metric_set *ms = NULL;
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
	ms = calloc(1, sizeof(*ms));
	if (!pts || !ms) {
		snprintf(err, err_size, "%s: out of memory", pl->plots_dir);
		goto out;
	}
	for (size_t k = 0; k < json_array_size(r->varied); k++) {
		const char *key = json_string_value(json_array_get(r->varied, k));
		bool numeric;
		size_t n;

		if (!key || !strcmp(key, PAGE_SIZE_KEY))
			continue;
		n = collect(r, key, pts, &numeric);
		qsort(pts, n, sizeof(pts[0]), cmp_pt);
		metric_set(r, ms);
		for (size_t m = 0; m < ms->n; m++) {
			bool any = false, present = false;
			double v;

			/* A metric that is 0 everywhere (no stalls at all) says nothing as a line. */
			for (size_t i = 0; i < n && !any; i++) {
				present = present || rs_report_metric(pts[i].p, ms->m[m].key, &v);
				any = rs_report_metric(pts[i].p, ms->m[m].key, &v) && v != 0;
			}
			if (!any && present) {
				char note[160];

				snprintf(note, sizeof(note), "No %s at any point.", ms->m[m].noun);
				rs_plot_note(pl, RS_PLOT_SWEEP, note);
			}
			if (any && plot_metric(r, pl, key, &ms->m[m], pts, n, numeric, err,
					       err_size))
				goto out;
		}
	}
	rc = 0;
out:
	free(ms);
	free(pts);
	return rc;
}
