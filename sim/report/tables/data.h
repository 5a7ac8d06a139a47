/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * data: a comparison as loaded from compare.json (data.c), what every layer of the report
 * reads. Internal to sim/report/: only report/report.h is the interface.
 */
#ifndef RS_REPORT_TABLES_DATA_H
#define RS_REPORT_TABLES_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "report/tables/fmt.h"

/* One point of the comparison; strings and JSON borrowed from the loaded tree. */
struct rs_report_point {
	const char *name;
	const char *rel_dir;  /* as in compare.json, relative to the compare directory */
	char *dir;            /* the compare directory joined with rel_dir (owned) */
	const char *status;   /* ok | expect_failed | dut_bug | dut_crash | deadlock | failed */
	const char *error;    /* NULL unless the runner gave one */
	json_t *sets;         /* object of strings, or NULL */
	json_t *metrics;      /* flat object "dotted.key": number (owned reference) */
	json_t *ratio;        /* flat object, or NULL */
	json_t *findings;     /* array, or NULL */
	json_t *stalls;       /* array per ring and cause (count, cycles, max_cycles,
			       * histogram), or NULL */
	json_t *longest_stalls; /* array of the longest stalls, longest first, or NULL */
	bool has_data;        /* not "failed": a results directory to plot */
	int color;            /* gnuplot linetype (1-based) when has_data, else 0: one per
			       * value of rs_report.color_key, the same in every plot */
	int style;            /* 1-based: the value of rs_report.style_key (dash type,
			       * marker or shade); 1 when there is no such key */
};

struct rs_report {
	char *dir;
	json_t *root;
	const char *scenario;
	const char *file;
	json_t *varied;                /* array of strings (maybe empty) */
	struct rs_report_point *points;
	size_t n_points;
	const char **metrics;          /* every metric some point has, first-seen order */
	size_t n_metrics;
	const char *sweep_file;        /* compare.json "sweep_file": the <sweep> file, or NULL */
	char title[128];               /* a sweep's name (rs_report_title()), or "" */
	const char *color_key;         /* varied parameter the colours follow, or NULL */
	const char *style_key;         /* varied parameter the dashes/shades follow, or NULL */
};

/**
 * rs_report_load() - read DIR/compare.json
 * Return: 0, or -1 with @err naming the file (and line, or the bad field).
 */
int rs_report_load(struct rs_report *r, const char *dir, char *err, size_t err_size);

/**
 * rs_report_colors() - pick @r's colour and style keys and set every point's colour and
 * style from its values of them (style.c): the colour follows platform.page-size
 * when it varies, else the first varied parameter; the style the next varied parameter.
 * Without varied parameters each point has its own colour.
 */
void rs_report_colors(struct rs_report *r);

/**
 * rs_report_title() - what the report is called: the sweep file's base name without .xml
 * for a sweep, else the scenario's name
 */
const char *rs_report_title(const struct rs_report *r);

/** rs_report_free() - free what rs_report_load() allocated; a zeroed @r is fine. */
void rs_report_free(struct rs_report *r);

/**
 * rs_metric_group() - the group a metric is listed under: "virtio" for "virtio.enospc",
 * "run" for a top-level number such as "clock_hz"
 * @group: set to the start of the group's name
 * Return: the length of the name.
 */
size_t rs_metric_group(const char *key, const char **group);

/** rs_report_metric() - @p's metric @key into @v. Return: true when the point has it. */
bool rs_report_metric(const struct rs_report_point *p, const char *key, double *v);

/** rs_report_ratio() - @p's ratio for @key into @v. Return: true when given. */
bool rs_report_ratio(const struct rs_report_point *p, const char *key, double *v);

/** rs_report_set() - the value @p gives the varied parameter @key, or NULL. */
const char *rs_report_set(const struct rs_report_point *p, const char *key);

#endif
