// SPDX-License-Identifier: GPL-2.0-only
/* data: compare.json, as the runner wrote it, into struct rs_report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/tables/data.h"
#include "results/flatten.h"

static const char *opt_string(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static json_t *opt_of(json_t *obj, const char *key, int (*is)(const json_t *))
{
	json_t *v = json_object_get(obj, key);

	return v && is(v) ? v : NULL;
}

static int is_object(const json_t *v) { return json_is_object(v); }
static int is_array(const json_t *v) { return json_is_array(v); }

/* Every metric some point has, in the order they first appear. */
static int collect_metrics(struct rs_report *r)
{
	json_t *seen = json_object();
	size_t cap = 0;

	if (!seen)
		return -1;
	for (size_t i = 0; i < r->n_points; i++) {
		const char *k;
		json_t *v;

		json_object_foreach(r->points[i].metrics, k, v) {
			if (json_object_get(seen, k))
				continue;
			if (r->n_metrics == cap) {
				size_t ncap = cap ? 2 * cap : 64;
				const char **nm = realloc(r->metrics, ncap * sizeof(*nm));

				if (!nm) {
					json_decref(seen);
					return -1;
				}
				r->metrics = nm;
				cap = ncap;
			}
			/* The key lives as long as the point's metrics object. */
			r->metrics[r->n_metrics++] = k;
			json_object_set_new(seen, k, json_true());
		}
	}
	json_decref(seen);
	return 0;
}

size_t rs_metric_group(const char *key, const char **group)
{
	const char *dot = strchr(key, '.');

	/* Top-level numbers (seed, page_size, clock_hz, ...) describe the run itself. */
	*group = dot ? key : "run";
	return dot ? (size_t)(dot - key) : 3;
}

static bool same_top(const char *a, const char *b)
{
	const char *ga, *gb;
	size_t n = rs_metric_group(a, &ga);

	return n == rs_metric_group(b, &gb) && !strncmp(ga, gb, n);
}

/* Keep each top-level group (virtio.*, blkif.*, ...) together, in first-seen order:
 * a later point's new metrics join their group instead of trailing the table. */
static void group_metrics(struct rs_report *r)
{
	for (size_t i = 1; i < r->n_metrics; i++) {
		const char *k = r->metrics[i];
		size_t last = i;

		/* After the last earlier metric of the same group, if that is not i - 1. */
		for (size_t j = i; j-- > 0;) {
			if (same_top(r->metrics[j], k)) {
				last = j + 1;
				break;
			}
		}
		if (last == i)
			continue;
		memmove(&r->metrics[last + 1], &r->metrics[last], (i - last) * sizeof(*r->metrics));
		r->metrics[last] = k;
	}
}

static int load_point(struct rs_report *r, size_t i, json_t *jp, const char *path,
		      char *err, size_t err_size)
{
	struct rs_report_point *p = &r->points[i];

	p->name = opt_string(jp, "name");
	p->status = opt_string(jp, "status");
	if (!json_is_object(jp) || !p->name || !p->status) {
		snprintf(err, err_size, "%s: points[%zu]: needs string fields \"name\" and "
			 "\"status\"", path, i);
		return -1;
	}
	p->rel_dir = opt_string(jp, "dir");
	if (!p->rel_dir)
		p->rel_dir = p->name;
	p->error = opt_string(jp, "error");
	p->sets = opt_of(jp, "sets", is_object);
	p->findings = opt_of(jp, "findings", is_array);
	p->stalls = opt_of(jp, "stalls", is_array);
	p->longest_stalls = opt_of(jp, "longest_stalls", is_array);
	/* Flat ("a.b.c": n) even when a runner copied summary.json's nested shape. */
	p->metrics = rs_json_flatten(json_object_get(jp, "metrics"), NULL);
	p->ratio = rs_json_flatten(json_object_get(jp, "ratio"), NULL);
	if (p->rel_dir[0] == '/' ? !(p->dir = strdup(p->rel_dir)) :
	    asprintf(&p->dir, "%s/%s", r->dir, p->rel_dir) < 0) {
		p->dir = NULL;
		snprintf(err, err_size, "%s: out of memory", path);
		return -1;
	}
	if (!p->metrics || !p->ratio) {
		snprintf(err, err_size, "%s: out of memory", path);
		return -1;
	}
	p->has_data = strcmp(p->status, "failed") != 0;
	return 0;
}

/* A sweep's report is named after its file: "9p-sweep" for scenarios/compare/9p-sweep.xml. */
static void set_title(struct rs_report *r)
{
	const char *base;
	size_t n;

	if (!r->sweep_file || !r->sweep_file[0])
		return;
	base = strrchr(r->sweep_file, '/');
	base = base ? base + 1 : r->sweep_file;
	n = strlen(base);
	if (n > 4 && !strcmp(base + n - 4, ".xml"))
		n -= 4;
	snprintf(r->title, sizeof(r->title), "%.*s", (int)n, base);
}

int rs_report_load(struct rs_report *r, const char *dir, char *err, size_t err_size)
{
	json_error_t jerr;
	json_t *points;
	char *path;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (!(r->dir = strdup(dir)) || asprintf(&path, "%s/compare.json", dir) < 0) {
		snprintf(err, err_size, "%s: out of memory", dir);
		return -1;
	}
	r->root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!r->root) {
		if (jerr.line > 0)
			snprintf(err, err_size, "%s:%d: %s", path, jerr.line, jerr.text);
		else
			snprintf(err, err_size, "%s: %s", path, jerr.text);
		goto out;
	}
	points = json_object_get(r->root, "points");
	if (!json_is_array(points)) {
		snprintf(err, err_size, "%s: no \"points\" array", path);
		goto out;
	}
	r->scenario = opt_string(r->root, "scenario");
	r->file = opt_string(r->root, "file");
	r->sweep_file = opt_string(r->root, "sweep_file");
	set_title(r);
	r->varied = opt_of(r->root, "varied", is_array);
	r->n_points = json_array_size(points);
	r->points = calloc(r->n_points ? r->n_points : 1, sizeof(*r->points));
	if (!r->points) {
		snprintf(err, err_size, "%s: out of memory", path);
		goto out;
	}
	for (size_t i = 0; i < r->n_points; i++) {
		if (load_point(r, i, json_array_get(points, i), path, err, err_size))
			goto out;
	}
	/* One colour per page size (or first varied value) in every plot. */
	rs_report_colors(r);
	if (collect_metrics(r)) {
		snprintf(err, err_size, "%s: out of memory", path);
		goto out;
	}
	group_metrics(r);
	rc = 0;
out:
	free(path);
	if (rc)
		rs_report_free(r);
	return rc;
}

void rs_report_free(struct rs_report *r)
{
	for (size_t i = 0; r->points && i < r->n_points; i++) {
		free(r->points[i].dir);
		json_decref(r->points[i].metrics);
		json_decref(r->points[i].ratio);
	}
	free(r->points);
	free(r->metrics);
	free(r->dir);
	json_decref(r->root);
	memset(r, 0, sizeof(*r));
}

bool rs_report_metric(const struct rs_report_point *p, const char *key, double *v)
{
	json_t *j = json_object_get(p->metrics, key);

	if (!json_is_number(j))
		return false;
	*v = json_number_value(j);
	return true;
}

bool rs_report_ratio(const struct rs_report_point *p, const char *key, double *v)
{
	json_t *j = json_object_get(p->ratio, key);

	if (!json_is_number(j))
		return false;
	*v = json_number_value(j);
	return true;
}

const char *rs_report_set(const struct rs_report_point *p, const char *key)
{
	return json_string_value(json_object_get(p->sets, key));
}

const char *rs_report_title(const struct rs_report *r)
{
	return r->title[0] ? r->title : r->scenario ? r->scenario : "(unnamed)";
}

/* The colour of a point follows the page size when it is varied. */
#define PAGE_SIZE_KEY "platform.page-size"
#define MAX_VALUES 256

/* 1-based index of @v among @vals (first-seen order), adding it when new; a point that
 * does not set the parameter gets a value of its own. */
static int value_index(const char **vals, size_t *n, const char *v)
{
	for (size_t i = 0; v && i < *n; i++)
		if (vals[i] && !strcmp(vals[i], v))
			return (int)i + 1;
	if (*n < MAX_VALUES)
		vals[(*n)++] = v;
	return (int)*n;
}

void rs_report_colors(struct rs_report *r)
{
	const char *colors[MAX_VALUES], *styles[MAX_VALUES];
	size_t n_colors = 0, n_styles = 0, n_varied = json_array_size(r->varied);

	r->color_key = r->style_key = NULL;
	for (size_t k = 0; k < n_varied; k++) {
		const char *key = json_string_value(json_array_get(r->varied, k));

		if (key && !strcmp(key, PAGE_SIZE_KEY))
			r->color_key = key;
	}
	if (!r->color_key && n_varied)
		r->color_key = json_string_value(json_array_get(r->varied, 0));
	for (size_t k = 0; k < n_varied && !r->style_key; k++) {
		const char *key = json_string_value(json_array_get(r->varied, k));

		if (key && key != r->color_key)
			r->style_key = key;
	}
	for (size_t i = 0; i < r->n_points; i++) {
		struct rs_report_point *p = &r->points[i];

		p->color = 0;
		p->style = 1;
		if (!p->has_data)
			continue;
		/* Without a varied parameter (results compared as they are) each point is a
		 * colour of its own. */
		p->color = value_index(colors, &n_colors,
				       r->color_key ? rs_report_set(p, r->color_key) : NULL);
		if (r->style_key)
			p->style = value_index(styles, &n_styles, rs_report_set(p, r->style_key));
	}
}
