// SPDX-License-Identifier: GPL-2.0-only
/*
 * report_bars: one grouped bar chart per metric family some point has. x: the family's
 * metrics; one bar per point, in the point's colour, its value written above it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_data.h"

#define FAMILY_MAX 6

struct bar_metric {
	const char *key;
	const char *label;
};

struct bar_family {
	const char *name;
	const char *title;
	const char *ylabel;
	double scale;       /* value shown = metric * scale */
	struct bar_metric m[FAMILY_MAX];
};

static const struct bar_family families[] = {
	{ "descriptors", "Descriptors and scatterlist entries per request", "per request", 1,
	  { { "virtio.descriptors_per_request.mean", "descriptors (mean)" },
	    { "virtio.descriptors_per_request.max", "descriptors (max)" },
	    { "virtio.sg_entries_per_request.mean", "sg entries (mean)" },
	    { "virtio.sg_entries_per_request.max", "sg entries (max)" } } },
	{ "grants", "Grants used vs reserved per request", "grants per request", 1,
	  { { "blkif.grants_per_request.mean", "used (mean)" },
	    { "blkif.grants_reserved_per_request.mean", "reserved (mean)" },
	    { "blkif.grants_per_request.max", "used (max)" },
	    { "blkif.grants_reserved_per_request.max", "reserved (max)" } } },
	{ "indirect", "Indirect frames", "count", 1,
	  { { "blkif.indirect_frames", "indirect frames" },
	    { "blkif.indirect_requests", "indirect requests" } } },
	{ "stalls", "Ring stalls", "stalls", 1,
	  { { "virtio.enospc", "virtio -ENOSPC" },
	    { "virtio.stalls", "virtio stalls" },
	    { "virtio.pin_waits", "virtio pin waits" },
	    { "blkif.tag_waits", "blkif tag waits" },
	    { "blkif.grant_exhausted", "blkif grants exhausted" },
	    { "blkif.ring_full", "blkif ring full" } } },
	{ "stall_time", "Stall time", "cycles, total", 1,
	  { { "virtio.stall_cycles.total", "virtio ring space" },
	    { "virtio.pin_wait_cycles.total", "virtio pin limit" },
	    { "blkif.grant_wait_cycles.total", "blkif grant waits" },
	    { "blkif.tag_wait_cycles.total", "blkif tag waits" } } },
	{ "pinned", "Pinned pages", "pages, peak", 1,
	  { { "virtio.pinned_pages.max", "virtio pinned (max)" },
	    { "memory.pinned_pages_max", "guest memory pinned (max)" } } },
	{ "persistent_pool", "Persistent grant pool", "MiB", 1.0 / (1024 * 1024),
	  { { "blkif.persistent_pool_bytes", "pool" },
	    { "blkif.persistent_waste_bytes", "waste (no grant covers it)" } } },
	{ "throughput", "Throughput", "MB/s (10^6 bytes per second)", 1e-6,
	  { { "throughput.bytes_per_second", "throughput" } } },
	{ "latency", "Latency", "cycles", 1,
	  { { "latency_cycles.p50", "p50" },
	    { "latency_cycles.p99", "p99" },
	    { "latency_cycles.p999", "p99.9" } } },
};

/* Which of the family's metrics and which points appear in its chart. */
struct bar_layout {
	const struct bar_metric *m[FAMILY_MAX];
	size_t n_m;
	const struct rs_report_point *p[256];
	size_t n_p;
	double min_pos, max;  /* of the shown values */
};

static void layout(const struct rs_report *r, const struct bar_family *fam,
		   struct bar_layout *l)
{
	memset(l, 0, sizeof(*l));
	l->min_pos = INFINITY;
	for (size_t k = 0; k < FAMILY_MAX && fam->m[k].key; k++) {
		bool any = false;

		for (size_t i = 0; i < r->n_points; i++) {
			const struct rs_report_point *pt = &r->points[i];
			double v;

			if (!pt->has_data || !rs_report_metric(pt, fam->m[k].key, &v))
				continue;
			any = true;
			v *= fam->scale;
			if (v > 0 && v < l->min_pos)
				l->min_pos = v;
			if (v > l->max)
				l->max = v;
		}
		if (any)
			l->m[l->n_m++] = &fam->m[k];
	}
	for (size_t i = 0; i < r->n_points && l->n_p < sizeof(l->p) / sizeof(l->p[0]); i++) {
		const struct rs_report_point *pt = &r->points[i];
		double v;

		for (size_t k = 0; pt->has_data && k < l->n_m; k++) {
			if (rs_report_metric(pt, l->m[k]->key, &v)) {
				l->p[l->n_p++] = pt;
				break;
			}
		}
	}
}

/* Blocks of "x value label_y label", one block (gnuplot index) per point. */
static int write_data(const struct rs_plot_list *pl, const char *file,
		      const struct bar_family *fam, const struct bar_layout *l, bool logy,
		      double ymin, double axis, char *err, size_t err_size)
{
	double w = 0.8 / (double)l->n_p;
	FILE *f = rs_plot_data(pl, file, err, err_size);

	if (!f)
		return -1;
	fprintf(f, "# %s: x\tvalue\tlabel_y\tlabel; one block per point\n", fam->title);
	for (size_t j = 0; j < l->n_p; j++) {
		fprintf(f, "%s# %s\n", j ? "\n\n" : "", l->p[j]->name);
		for (size_t k = 0; k < l->n_m; k++) {
			char text[48];
			double v;

			if (!rs_report_metric(l->p[j], l->m[k]->key, &v))
				continue;
			v *= fam->scale;
			/* The label keeps the value; the bar is in the axis' unit. */
			rs_fmt_number(v, text, sizeof(text));
			v /= axis;
			fprintf(f, "%.4f\t%.10g\t%.10g\t%s\n", (double)k - 0.4 + w * ((double)j + 0.5),
				v, logy && v < ymin ? ymin : v, text);
		}
	}
	return rs_data_close(pl, f, file, err, err_size);
}

static int plot_family(const struct rs_report *r, struct rs_plot_list *pl,
		       const struct bar_family *fam, char *err, size_t err_size)
{
	struct bar_layout l;
	char name[64], file[80];
	const char *unit = "";
	double ymin = 0, axis = 1, top;
	bool logy;
	FILE *gp;

	layout(r, fam, &l);
	if (!l.n_m || !l.n_p)
		return 0;
	/* Log scale only when the bars span two orders of magnitude or more. */
	logy = isfinite(l.min_pos) && l.max / l.min_pos >= 100;
	if (logy)
		ymin = pow(10, floor(log10(l.min_pos)));
	else
		axis = rs_axis_scale(l.max, &unit);
	snprintf(name, sizeof(name), "bars_%s", fam->name);
	snprintf(file, sizeof(file), "%s.dat", name);
	if (write_data(pl, file, fam, &l, logy, ymin, axis, err, err_size))
		return -1;
	gp = rs_plot_open(pl, name, fam->title, RS_PLOT_BARS, err, err_size);
	if (!gp)
		return -1;
	fprintf(gp, "set ylabel '%s%s%s'\nset boxwidth %.4f absolute\n"
		"set style fill solid 0.9 border lc rgb '#505050'\n"
		"set xrange [-0.6:%.1f]\nset xtics scale 0\n",
		fam->ylabel, unit, logy ? " (log scale)" : "", 0.8 / (double)l.n_p,
		(double)l.n_m - 0.4);
	/* Headroom for the value labels, more when they stand upright. */
	top = l.max / axis;
	if (logy)
		fprintf(gp, "set logscale y\nset format y '%%.0s%%c'\nset yrange [%g:%g]\n", ymin,
			top * (l.n_p > 4 ? 12 : 4));
	else
		fprintf(gp, "set yrange [0:%g]\n", top > 0 ? top * (l.n_p > 4 ? 1.3 : 1.12) : 1);
	fputs("set xtics (", gp);
	for (size_t k = 0; k < l.n_m; k++) {
		fprintf(gp, "%s", k ? ", " : "");
		rs_gp_string(gp, l.m[k]->label);
		fprintf(gp, " %zu", k);
	}
	fputs(")\nplot \\\n", gp);
	for (size_t j = 0; j < l.n_p; j++) {
		fprintf(gp, "  '%s' index %zu using 1:2 with boxes lt %d title ", file, j,
			l.p[j]->color);
		rs_gp_string(gp, l.p[j]->name);
		/* Rotated labels when the bars get too narrow for horizontal ones. */
		fprintf(gp, ", \\\n  '%s' index %zu using 1:3:4 with labels %s font ',8' "
			"tc rgb '#303030' notitle%s\n", file, j,
			l.n_p > 4 ? "rotate by 90 left offset 0,0.3" : "center offset 0,0.6",
			j + 1 < l.n_p ? ", \\" : "");
	}
	return rs_plot_close(pl, gp, err, err_size);
}

int rs_plot_bars(const struct rs_report *r, struct rs_plot_list *pl, char *err,
		 size_t err_size)
{
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (plot_family(r, pl, &families[i], err, err_size))
			return -1;
	return 0;
}
