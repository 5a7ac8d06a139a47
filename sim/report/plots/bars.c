// SPDX-License-Identifier: GPL-2.0-only
/*
 * bars: one grouped bar chart per metric family some point has. x: the family's
 * metrics; one bar per point, coloured by its page size and shaded by the second varied
 * parameter, its value written on it. Metrics that are 0 at every point are left out; a
 * family with nothing else left is a note instead of a plot. Throughput and latency are
 * per job when summary.json has jobs.NAME.* (one aggregate over two rings hides both).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/plots/plots.h"

#define FAMILY_MAX 8
#define MAX_JOBS 8
#define MAX_BARS 256

/* Pixels of the plot area (RS_PLOT_WIDTH minus the margins), and of a label character at
 * the value labels' 13 px: enough to decide whether labels fit. */
#define AREA_W 1080.0
#define AREA_H 440.0
#define LABEL_CHAR_PX 7.5

struct bar_metric {
	const char *key;
	const char *label;
	const char *zero_if;  /* a count: when it is 0, a missing @key reads as 0 (a run
			       * without stalls has no stall-time distribution at all) */
};

struct bar_family {
	const char *name;
	const char *title;
	const char *ylabel;
	const char *noun;   /* "No NOUN at any point." when every value is 0 */
	double scale;       /* value shown = metric * scale */
	bool rate;          /* bytes per second: MiB/s or GiB/s, whichever reads better */
	struct bar_metric m[FAMILY_MAX];
};

static const struct bar_family families[] = {
	{ "descriptors", "Descriptors and scatterlist entries per request", "per request",
	  "descriptors", 1, false,
	  { { "virtio.descriptors_per_request.mean", "descriptors (mean)", NULL },
	    { "virtio.descriptors_per_request.max", "descriptors (max)", NULL },
	    { "virtio.sg_entries_per_request.mean", "sg entries (mean)", NULL },
	    { "virtio.sg_entries_per_request.max", "sg entries (max)", NULL } } },
	{ "grants", "Grants used vs reserved per request", "grants per request", "grants", 1,
	  false,
	  { { "blkif.grants_per_request.mean", "used (mean)", NULL },
	    { "blkif.grants_reserved_per_request.mean", "reserved (mean)", NULL },
	    { "blkif.grants_per_request.max", "used (max)", NULL },
	    { "blkif.grants_reserved_per_request.max", "reserved (max)", NULL } } },
	{ "indirect", "Indirect frames", "count", "indirect frames", 1, false,
	  { { "blkif.indirect_frames", "indirect frames", NULL },
	    { "blkif.indirect_requests", "indirect requests", NULL } } },
	{ "stalls", "Ring stalls", "stalls", "stalls", 1, false,
	  { { "virtio.enospc", "virtio -ENOSPC", NULL },
	    { "virtio.stalls", "virtio stalls", NULL },
	    { "virtio.pin_waits", "virtio pin waits", NULL },
	    { "blkif.tag_waits", "blkif tag waits", NULL },
	    { "blkif.grant_exhausted", "blkif grants exhausted", NULL },
	    { "blkif.ring_full", "blkif ring full", NULL } } },
	{ "stall_time", "Stall time", "cycles stalled, total", "stalls", 1, false,
	  { { "virtio.stall_cycles.total", "virtio ring space", "virtio.stalls" },
	    { "virtio.pin_wait_cycles.total", "virtio pin limit", "virtio.pin_waits" },
	    { "blkif.grant_wait_cycles.total", "blkif grant waits", "blkif.grant_exhausted" },
	    { "blkif.tag_wait_cycles.total", "blkif tag waits", "blkif.tag_waits" } } },
	{ "pinned", "Pinned pages", "pages, peak", "pinned pages", 1, false,
	  { { "virtio.pinned_pages.max", "virtio pinned (max)", NULL },
	    { "memory.pinned_pages_max", "guest memory pinned (max)", NULL } } },
	{ "persistent_pool", "Persistent grant pool", "MiB", "persistent grant pool", 1.0 /
	  (1024 * 1024), false,
	  { { "blkif.persistent_pool_bytes", "pool", NULL },
	    { "blkif.persistent_waste_bytes", "waste (no grant covers it)", NULL } } },
};

static const struct bar_family throughput = {
	"throughput", "Throughput", "", "throughput", 1, true,
	{ { "throughput.bytes_per_second", "all jobs", NULL } } };

static const struct bar_family latency = {
	"latency", "Latency", "cycles", "latency", 1, false,
	{ { "latency_cycles.p50", "p50", NULL },
	  { "latency_cycles.p99", "p99", NULL },
	  { "latency_cycles.p999", "p99.9", NULL } } };

/* @pt's value of @m. Return: whether it has one. */
static bool bar_value(const struct rs_report_point *pt, const struct bar_metric *m, double *v)
{
	if (rs_report_metric(pt, m->key, v))
		return true;
	if (m->zero_if && rs_report_metric(pt, m->zero_if, v) && *v == 0)
		return true;
	return false;
}

/* Bars get no wider than this (in groups) however few points there are. */
#define BAR_MAX 0.25

static double bar_width(size_t n_p)
{
	double w = 0.8 / (double)n_p;

	return w < BAR_MAX ? w : BAR_MAX;
}

/* Which of the family's metrics and which points appear in its chart. */
struct bar_layout {
	const struct bar_metric *m[FAMILY_MAX];
	size_t n_m;
	const struct bar_metric *zero[FAMILY_MAX];  /* present, but 0 at every point */
	size_t n_zero;
	const struct rs_report_point *p[MAX_BARS];
	size_t n_p;
	double min_pos, max;  /* of the shown values */
};

static void layout(const struct rs_report *r, const struct bar_family *fam,
		   struct bar_layout *l)
{
	memset(l, 0, sizeof(*l));
	l->min_pos = INFINITY;
	for (size_t k = 0; k < FAMILY_MAX && fam->m[k].key; k++) {
		bool any = false, nonzero = false;

		for (size_t i = 0; i < r->n_points; i++) {
			const struct rs_report_point *pt = &r->points[i];
			double v;

			if (!pt->has_data || !bar_value(pt, &fam->m[k], &v))
				continue;
			any = true;
			nonzero = nonzero || v != 0;
		}
		if (nonzero)
			l->m[l->n_m++] = &fam->m[k];
		else if (any)
			l->zero[l->n_zero++] = &fam->m[k];
	}
	for (size_t i = 0; i < r->n_points && l->n_p < MAX_BARS; i++) {
		const struct rs_report_point *pt = &r->points[i];
		bool has = false;
		double v;

		for (size_t k = 0; pt->has_data && k < l->n_m; k++) {
			if (!bar_value(pt, l->m[k], &v))
				continue;
			has = true;
			v *= fam->scale;
			if (v > 0 && v < l->min_pos)
				l->min_pos = v;
			if (v > l->max)
				l->max = v;
		}
		if (has)
			l->p[l->n_p++] = pt;
	}
}

/* Blocks of "x value label_y label", one block (gnuplot index) per point. */
static int write_data(const struct rs_plot_list *pl, const char *file,
		      const struct bar_family *fam, const struct bar_layout *l, bool logy,
		      double ymin, double axis, size_t *label_chars, char *err,
		      size_t err_size)
{
	double w = bar_width(l->n_p), left = -w * (double)l->n_p / 2;
	FILE *f = rs_plot_data(pl, file, err, err_size);

	if (!f)
		return -1;
	*label_chars = 1;
	fprintf(f, "# %s: x\tvalue\tlabel_y\tlabel; one block per point\n", fam->title);
	for (size_t j = 0; j < l->n_p; j++) {
		fprintf(f, "%s# %s\n", j ? "\n\n" : "", l->p[j]->name);
		for (size_t k = 0; k < l->n_m; k++) {
			char text[48];
			double v;

			if (!bar_value(l->p[j], l->m[k], &v))
				continue;
			v *= fam->scale;
			/* The label keeps the value (a rate: in the axis' unit); the bar is in
			 * the axis' unit. */
			rs_fmt_number(fam->rate ? v / axis : v, text, sizeof(text));
			if (strlen(text) > *label_chars)
				*label_chars = strlen(text);
			v /= axis;
			fprintf(f, "%.4f\t%.10g\t%.10g\t%s\n", (double)k + left + w * ((double)j + 0.5),
				v, logy && v < ymin ? ymin : v, text);
		}
	}
	return rs_data_close(pl, f, file, err, err_size);
}

/* "(zero at every point: a, b)" under the x axis, so a missing group is not a mystery. */
static void zero_label(FILE *gp, const struct bar_layout *l)
{
	char text[256];
	size_t n = 0;

	if (!l->n_zero)
		return;
	n += (size_t)snprintf(text, sizeof(text), "zero at every point: ");
	for (size_t k = 0; k < l->n_zero && n < sizeof(text); k++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s", k ? ", " : "",
				      l->zero[k]->label);
	if (n >= 140)
		snprintf(text, sizeof(text), "%zu more metrics are zero at every point",
			 l->n_zero);
	fputs("set xlabel ", gp);
	rs_gp_string(gp, text);
	fputs(" font ',13' tc rgb '#606060'\n", gp);
}

static int plot_family(const struct rs_report *r, struct rs_plot_list *pl,
		       const struct bar_family *fam, char *err, size_t err_size)
{
	struct bar_layout l;
	char name[128], file[144], note[160], ylabel[96];
	const char *unit = "";
	double ymin = 0, axis = 1, top, bar_px, frac;
	size_t label_chars;
	bool logy, upright;
	FILE *gp;

	layout(r, fam, &l);
	if (!l.n_m || !l.n_p) {
		if (l.n_zero) {
			snprintf(note, sizeof(note), "No %s at any point.", fam->noun);
			rs_plot_note(pl, RS_PLOT_BARS, note);
		}
		return 0;
	}
	/* Log scale only when the bars span two orders of magnitude or more. */
	logy = isfinite(l.min_pos) && l.max / l.min_pos >= 100;
	if (fam->rate) {
		/* Bytes per second in binary units, as the tables say them: the unit itself
		 * keeps the tic labels short. */
		axis = l.max >= 1073741824.0 ? 1073741824.0 : 1048576.0;
		snprintf(ylabel, sizeof(ylabel), "%s", axis > 1048576.0 ? "GiB/s" : "MiB/s");
	} else {
		if (!logy)
			axis = rs_axis_scale(l.max, &unit);
		snprintf(ylabel, sizeof(ylabel), "%s%s", fam->ylabel, unit);
	}
	if (logy)
		ymin = pow(10, floor(log10(l.min_pos / axis)));
	snprintf(name, sizeof(name), "bars_%s", fam->name);
	snprintf(file, sizeof(file), "%s.dat", name);
	if (write_data(pl, file, fam, &l, logy, ymin, axis, &label_chars, err, err_size))
		return -1;
	gp = rs_plot_open(pl, name, fam->title, RS_PLOT_BARS, err, err_size);
	if (!gp)
		return -1;
	fputs("set ylabel ", gp);
	{
		char full[128];

		snprintf(full, sizeof(full), "%s%s", ylabel, logy ? " (log scale)" : "");
		rs_gp_string(gp, full);
	}
	fprintf(gp, "\nset boxwidth %.4f absolute\nset style fill solid 1.0 border lc rgb "
		"'#404040'\nset xrange [-0.6:%.1f]\nset xtics scale 0\n", bar_width(l.n_p),
		(double)l.n_m - 0.4);
	rs_gp_key_title(gp, r, RS_MARK_FILL);
	zero_label(gp, &l);
	/* Labels lie flat on the bars when they fit, else stand upright above them; the
	 * y range leaves room for them either way. */
	bar_px = AREA_W / ((double)l.n_m + 0.2) * bar_width(l.n_p);
	upright = (double)label_chars * LABEL_CHAR_PX + 4 > bar_px;
	frac = upright ? ((double)label_chars * LABEL_CHAR_PX + 12) / AREA_H : 30 / AREA_H;
	frac = frac > 0.5 ? 0.5 : frac;
	top = l.max / axis;
	if (logy) {
		double decades = log10(top / ymin);

		fprintf(gp, "set logscale y\nset format y '%%.0s%%c'\nset yrange [%g:%g]\n", ymin,
			top * pow(10, (decades + 0.3) * frac / (1 - frac) + 0.1));
	} else {
		/* '%.10g': gnuplot's default tic format writes 1000000 as "1e+06". */
		fprintf(gp, "set yrange [0:%g]\nset format y '%%.10g'\n",
			top > 0 ? top / (1 - frac) : 1);
	}
	fputs("set xtics (", gp);
	for (size_t k = 0; k < l.n_m; k++) {
		fprintf(gp, "%s", k ? ", " : "");
		rs_gp_string(gp, l.m[k]->label);
		fprintf(gp, " %zu", k);
	}
	fputs(")\nplot \\\n", gp);
	for (size_t j = 0; j < l.n_p; j++) {
		fprintf(gp, "  '%s' index %zu using 1:2 with boxes", file, j);
		rs_gp_style(gp, l.p[j], RS_MARK_FILL);
		fputs(" title ", gp);
		rs_gp_string(gp, l.p[j]->name);
		fprintf(gp, ", \\\n  '%s' index %zu using 1:3:4 with labels %s font ',14' "
			"tc rgb '#202020' notitle%s\n", file, j,
			upright ? "rotate by 90 left offset 0,0.4" : "center offset 0,0.7",
			j + 1 < l.n_p ? ", \\" : "");
	}
	return rs_plot_close(pl, gp, err, err_size);
}

/* Per-job throughput (one group per job) and latency (a chart per job), or the
 * aggregates when summary.json has no jobs.NAME.* metrics. */
static int plot_jobs(const struct rs_report *r, struct rs_plot_list *pl, char *err,
		     size_t err_size)
{
	static const char *const q[] = { "p50", "p99", "p999" };
	static const char *const q_label[] = { "p50", "p99", "p99.9" };
	char jobs[MAX_JOBS][64], keys[MAX_JOBS][128], lkeys[3][128], name[96], title[128];
	char slug[64];
	size_t n_jobs = rs_report_jobs(r, jobs, MAX_JOBS);
	struct bar_family fam;

	if (!n_jobs)
		return plot_family(r, pl, &throughput, err, err_size) ||
		       plot_family(r, pl, &latency, err, err_size);
	fam = throughput;
	memset(fam.m, 0, sizeof(fam.m));
	fam.title = "Throughput per job";
	for (size_t j = 0; j < n_jobs; j++) {
		snprintf(keys[j], sizeof(keys[j]), "jobs.%.63s.throughput.bytes_per_second", jobs[j]);
		fam.m[j] = (struct bar_metric){ keys[j], jobs[j], NULL };
	}
	if (plot_family(r, pl, &fam, err, err_size))
		return -1;
	for (size_t j = 0; j < n_jobs; j++) {
		fam = latency;
		memset(fam.m, 0, sizeof(fam.m));
		snprintf(name, sizeof(name), "latency_%s", rs_slug(jobs[j], slug, sizeof(slug)));
		snprintf(title, sizeof(title), "Latency of job %.63s", jobs[j]);
		fam.name = name;
		fam.title = title;
		for (size_t k = 0; k < 3; k++) {
			snprintf(lkeys[k], sizeof(lkeys[k]), "jobs.%.63s.latency_cycles.%s", jobs[j],
				 q[k]);
			fam.m[k] = (struct bar_metric){ lkeys[k], q_label[k], NULL };
		}
		if (plot_family(r, pl, &fam, err, err_size))
			return -1;
	}
	return 0;
}

int rs_plot_bars(const struct rs_report *r, struct rs_plot_list *pl, char *err,
		 size_t err_size)
{
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (plot_family(r, pl, &families[i], err, err_size))
			return -1;
	return plot_jobs(r, pl, err, err_size);
}
