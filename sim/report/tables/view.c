// SPDX-License-Identifier: GPL-2.0-only
/*
 * view: the rows of the metrics table. A distribution (count, mean, ..., max) or a
 * sampled level (mean, max) is one row; configured numbers leave for the Configuration
 * table; a quantity recorded under two keys is one row when the two agree everywhere.
 * Rows sit in sections: each job, each device, each ring, memory, integrity, the run.
 * Duplicates are found in dups.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/tables/view.h"

const char *const rs_dist_stats[] = { "count", "total", "mean", "sd", "min", "p50", "p90",
				      "p99", "p999", "max", NULL };
const char *const rs_dist_summary[] = { "mean", "p50", "p99", "max", NULL };

static bool is_stat(const char *s)
{
	for (size_t i = 0; rs_dist_stats[i]; i++)
		if (!strcmp(s, rs_dist_stats[i]))
			return true;
	return false;
}

static bool has(const struct rs_report *r, const char *key)
{
	double x;

	for (size_t i = 0; i < r->n_points; i++)
		if (rs_report_metric(&r->points[i], key, &x))
			return true;
	return false;
}

static bool has_stat(const struct rs_report *r, const char *base, const char *stat)
{
	char key[256];

	snprintf(key, sizeof(key), "%s.%s", base, stat);
	return has(r, key);
}

/* @key's row: its base and shape when it is one statistic of a distribution or level,
 * as the catalogue knows it or, for a metric it does not, as its statistics show. */
static enum rs_shape shape_of(const struct rs_report *r, const char *key, char *base,
			      size_t size)
{
	const char *dot = strrchr(key, '.');
	const struct rs_metric_def *d;
	struct rs_metric_def fb;
	size_t n = 0;

	snprintf(base, size, "%s", key);
	if (!dot || !is_stat(dot + 1))
		return RS_SHAPE_SCALAR;
	base[dot - key < (long)size ? dot - key : (long)size - 1] = '\0';
	d = rs_catalog_find(base, &fb);
	if (d != &fb)
		return d->flags & RS_MF_LEVEL ? RS_SHAPE_LEVEL : RS_SHAPE_DIST;
	for (size_t i = 0; rs_dist_stats[i]; i++)
		n += has_stat(r, base, rs_dist_stats[i]);
	if (n < 2) {
		snprintf(base, size, "%s", key);
		return RS_SHAPE_SCALAR;
	}
	return has_stat(r, base, "count") || has_stat(r, base, "p50") || has_stat(r, base, "total")
		? RS_SHAPE_DIST : RS_SHAPE_LEVEL;
}

bool rs_view_value(const struct rs_view *v, const struct rs_row *row, size_t i,
		   const char *stat, double *out)
{
	char key[256];

	if (row->shape == RS_SHAPE_SCALAR || !stat)
		snprintf(key, sizeof(key), "%s", row->key);
	else
		snprintf(key, sizeof(key), "%s.%s", row->key, stat);
	if (i >= v->r->n_points)
		return false;
	if (rs_report_metric(&v->r->points[i], key, out))
		return true;
	/* The recorder leaves out a distribution of waits that never happened: none, not
	 * unknown, at a point that ran. */
	if (row->def->flags & RS_MF_SUM && stat && v->r->points[i].has_data &&
	    json_object_size(v->r->points[i].metrics) &&
	    (!strcmp(stat, "total") || !strcmp(stat, "count"))) {
		*out = 0;
		return true;
	}
	return false;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

bool rs_view_spread(const struct rs_view *v, const struct rs_row *row, const char *stat,
		    struct rs_spread *out)
{
	double *all = malloc(v->r->n_points * sizeof(*all) + 1), x, u;

	memset(out, 0, sizeof(*out));
	if (!all)
		return false;
	for (size_t i = 0; i < v->r->n_points; i++) {
		if (!rs_view_value(v, row, i, stat, &x) ||
		    !rs_unit_value(row->def, x, &v->units[i], &u))
			continue;
		if (!out->n || u < out->lo) {
			out->lo = u;
			out->lo_point = i;
		}
		if (!out->n || u > out->hi) {
			out->hi = u;
			out->hi_point = i;
		}
		all[out->n++] = u;
	}
	if (out->n) {
		qsort(all, out->n, sizeof(*all), cmp_double);
		out->median = out->n % 2 ? all[out->n / 2] :
			(all[out->n / 2 - 1] + all[out->n / 2]) / 2;
	}
	free(all);
	return out->n > 0;
}

bool rs_view_ratio(const struct rs_view *v, const struct rs_row *row, size_t i,
		   const char *stat, double *out)
{
	double a, b, xa, xb;

	for (size_t j = 0; j < v->r->n_points; j++) {
		if (!rs_view_value(v, row, j, stat, &a))
			continue;
		if (!rs_view_value(v, row, i, stat, &b) ||
		    !rs_unit_value(row->def, a, &v->units[j], &xa) ||
		    !rs_unit_value(row->def, b, &v->units[i], &xb) || xa == 0)
			return false;
		*out = xb / xa;
		return true;
	}
	return false;
}

static int section_of(struct rs_view *v, enum rs_group g, const char *name)
{
	struct rs_section *ns;

	for (size_t s = 0; s < v->n_sections; s++)
		if (v->sections[s].group == g && !strcmp(v->sections[s].name, name))
			return (int)s;
	if (!(ns = realloc(v->sections, (v->n_sections + 1) * sizeof(*ns))))
		return -1;
	v->sections = ns;
	memset(&ns[v->n_sections], 0, sizeof(*ns));
	ns[v->n_sections].group = g;
	snprintf(ns[v->n_sections].name, sizeof(ns->name), "%s", name);
	return (int)v->n_sections++;
}

/* "depth 8", or "depth 2/8/32" when the points differ; "" when no point says. */
static void job_setting(const struct rs_view *v, const char *job, const char *attr,
			const char *label, char *buf, size_t size)
{
	char key[192], seen[16][96];
	size_t n = 0, o = 0;

	buf[0] = '\0';
	snprintf(key, sizeof(key), "job.%s.%s", job, attr);
	for (size_t i = 0; i < v->r->n_points && n < 16; i++) {
		const char *val = rs_config_get(&v->config, i, key), *paren;
		size_t k;

		if (!val)
			continue;
		/* A size distribution is named; its parameters are in the Configuration table. */
		paren = strchr(val, '(');
		snprintf(seen[n], sizeof(seen[n]), "%.*s%s",
			 paren ? (int)(paren - val) : (int)strlen(val), val, paren ? " sizes" : "");
		for (k = 0; k < n && strcmp(seen[k], seen[n]); k++)
			;
		if (k < n)
			continue;
		o += (size_t)snprintf(buf + o, o < size ? size - o : 0, "%s%s", n ? "/" : label,
				      seen[n]);
		n++;
	}
}

static void section_titles(struct rs_view *v)
{
	for (size_t s = 0; s < v->n_sections; s++) {
		struct rs_section *sec = &v->sections[s];
		char dev[64], op[64], bs[128], depth[64];

		if (sec->group == RS_GROUP_JOB) {
			job_setting(v, sec->name, "device", "", dev, sizeof(dev));
			job_setting(v, sec->name, "op", "", op, sizeof(op));
			job_setting(v, sec->name, "block-size", "", bs, sizeof(bs));
			job_setting(v, sec->name, "depth", "depth ", depth, sizeof(depth));
			snprintf(sec->title, sizeof(sec->title), "job %s (%s%s%s%s%s%s%s)", sec->name,
				 dev[0] ? dev : "?", op[0] ? " " : "", op, bs[0] ? ", " : "", bs,
				 depth[0] ? ", " : "", depth);
		} else if (sec->group == RS_GROUP_DEVICE) {
			snprintf(sec->title, sizeof(sec->title), "device %s (all its jobs)", sec->name);
		} else {
			snprintf(sec->title, sizeof(sec->title), "%s", rs_group_name(sec->group));
		}
	}
}

static int cmp_rows(const void *pa, const void *pb, void *arg)
{
	const struct rs_row *a = pa, *b = pb;
	const struct rs_section *s = arg;

	if (s[a->section].group != s[b->section].group)
		return s[a->section].group < s[b->section].group ? -1 : 1;
	if (a->section != b->section)
		return a->section < b->section ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

static int add_row(struct rs_view *v, const char *key, size_t *cap)
{
	struct rs_row *row;
	char base[192];
	enum rs_shape shape = shape_of(v->r, key, base, sizeof(base));

	for (size_t i = 0; i < v->n_rows; i++)
		if (!strcmp(v->rows[i].key, base))
			return 0;
	if (v->n_rows == *cap) {
		size_t ncap = *cap ? 2 * *cap : 64;
		struct rs_row *nr = realloc(v->rows, ncap * sizeof(*nr));

		if (!nr)
			return -1;
		v->rows = nr;
		*cap = ncap;
	}
	row = &v->rows[v->n_rows];
	memset(row, 0, sizeof(*row));
	snprintf(row->key, sizeof(row->key), "%s", base);
	row->shape = shape;
	row->def = rs_catalog_find(row->key, &row->fallback);
	row->unknown = row->def == &row->fallback;
	if (row->def->group == RS_GROUP_JOB || row->def->group == RS_GROUP_DEVICE) {
		const char *n = strchr(row->key, '.') + 1, *e = strchr(n, '.');

		snprintf(row->name, sizeof(row->name), "%.*s", e ? (int)(e - n) : (int)strlen(n), n);
	}
	row->section = section_of(v, row->def->group, row->name);
	row->hidden = (row->def->flags & (RS_MF_CONFIG | RS_MF_HIDDEN)) != 0;
	row->order = rs_catalog_order(row->def) * 4096 + v->n_rows;
	v->n_rows++;
	return row->section < 0 ? -1 : 0;
}

/* Rows move (realloc, sort): an unknown metric's definition points into its own row. */
static void own_fallbacks(struct rs_view *v)
{
	for (size_t i = 0; i < v->n_rows; i++) {
		struct rs_row *row = &v->rows[i];

		if (row->unknown)
			row->def = rs_catalog_find(row->key, &row->fallback);
	}
}

int rs_view_build(struct rs_view *v, const struct rs_report *r, char *err, size_t err_size)
{
	size_t cap = 0;

	memset(v, 0, sizeof(*v));
	v->r = r;
	if (rs_config_load(&v->config, r, err, err_size))
		return -1;
	if (!(v->units = calloc(r->n_points ? r->n_points : 1, sizeof(*v->units))))
		goto oom;
	for (size_t i = 0; i < r->n_points; i++) {
		rs_report_metric(&r->points[i], "page_size", &v->units[i].page_size);
		rs_report_metric(&r->points[i], "clock_hz", &v->units[i].clock_hz);
		if (!v->has_base && r->points[i].has_data && json_object_size(r->points[i].metrics)) {
			v->base = i;
			v->has_base = true;
		}
	}
	for (size_t m = 0; m < r->n_metrics; m++)
		if (add_row(v, r->metrics[m], &cap))
			goto oom;
	own_fallbacks(v);
	section_titles(v);
	if (rs_view_fold_duplicates(v))
		goto oom;
	if (v->n_rows) /* no rows (every point failed): rows is NULL */
		qsort_r(v->rows, v->n_rows, sizeof(*v->rows), cmp_rows, v->sections);
	own_fallbacks(v);
	return 0;
oom:
	snprintf(err, err_size, "%s: out of memory building the report", r->dir);
	rs_view_free(v);
	return -1;
}

void rs_view_free(struct rs_view *v)
{
	rs_config_free(&v->config);
	for (size_t i = 0; i < v->n_notes; i++)
		free(v->notes[i]);
	free(v->notes);
	free(v->rows);
	free(v->sections);
	free(v->units);
	memset(v, 0, sizeof(*v));
}

char *rs_point_title(const struct rs_view *v, size_t i, char *buf, size_t size)
{
	const char *name = v->r->points[i].name;
	char b[32];

	if (strstr(name, "page-size=") || v->units[i].page_size <= 0)
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%s (%s pages)", name,
			 rs_fmt_bytes(v->units[i].page_size, b, sizeof(b)));
	return buf;
}
