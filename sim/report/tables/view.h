/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * view: what a report says about a comparison, before HTML or Markdown. The metric
 * catalogue (catalog.c: label, unit, kind, group of every known metric), values
 * with their units (units.c), the settings each point ran with (config.c,
 * from its scenario.xml), the rows of the metrics table (view.c) and the ranked
 * changes of "What changed" (changes.c). Internal to sim/report/.
 */
#ifndef RS_REPORT_TABLES_VIEW_H
#define RS_REPORT_TABLES_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "report/tables/data.h"

/* What a metric's number counts; it decides the unit and the conversions. */
enum rs_kind {
	RS_KIND_COUNT,   /* events or things: unit word from the catalogue */
	RS_KIND_LEVEL,   /* how many are in use at once, sampled over the run */
	RS_KIND_CYCLES,  /* platform clock cycles; also shown as time at the point's clock */
	RS_KIND_BYTES,   /* bytes, shown binary (KiB, MiB, GiB) */
	RS_KIND_PAGES,   /* guest pages: shown and compared as bytes at the point's page size */
	RS_KIND_RATE,    /* bytes per second, shown as MiB/s */
	RS_KIND_RATIO,   /* dimensionless */
};

/* Where a metric is listed, in the tables' order. */
enum rs_group {
	RS_GROUP_JOB, RS_GROUP_DEVICE, RS_GROUP_VIRTIO, RS_GROUP_BLKIF, RS_GROUP_MEMORY,
	RS_GROUP_INTEGRITY, RS_GROUP_RUN, RS_GROUP_N
};

#define RS_MF_CONFIG 1u  /* a configured value, not a measurement: the Configuration table */
#define RS_MF_HIDDEN 2u  /* never listed */
#define RS_MF_NORANK 4u  /* listed, never in What changed (host time; findings, told apart) */
#define RS_MF_SUM    8u  /* a distribution of waits: its total is what moved */
#define RS_MF_LEVEL 16u  /* sampled over time (mean, max), not one value per event */

struct rs_metric_def {
	const char *key;     /* metric, or the base of a distribution; '*' stands for one name */
	const char *label;   /* in words */
	const char *unit;    /* the unit word of a count ("descriptors"); NULL: from the kind */
	enum rs_kind kind;
	enum rs_group group;
	unsigned flags;
	double scale;        /* value times scale is in the kind's unit (0: 1) */
	const char *dup_of;  /* the same quantity under another key ('*' the same name) */
	const char *note;    /* why they are the same, said when one is shown for both */
	const char *config;  /* RS_MF_CONFIG: the scenario setting it comes from */
};

/**
 * rs_catalog_find() - the catalogue entry of metric (or distribution base) @key
 * @fallback: filled and returned when no entry matches: the unit from the key's suffix
 *            (_cycles cycles, _bytes bytes, _pages pages, else a count), the group from
 *            its first component, the label from its last
 * Return: the entry, or @fallback; never NULL.
 */
const struct rs_metric_def *rs_catalog_find(const char *key, struct rs_metric_def *fallback);

/** rs_catalog_order() - position of @def in the catalogue (unknown metrics sort last). */
size_t rs_catalog_order(const struct rs_metric_def *def);

/** rs_kind_unit() - the unit words of @def: "cycles", "bytes", "MiB/s", "descriptors" */
const char *rs_kind_unit(const struct rs_metric_def *def);

/** rs_group_name() - "job", "virtio", ...: the heading of a group without a name. */
const char *rs_group_name(enum rs_group g);

/* The platform a point's numbers are read at. */
struct rs_unit_ctx {
	double page_size;  /* bytes, 0 when unknown */
	double clock_hz;   /* 0 when unknown */
};

/**
 * rs_fmt_value() - @v (as the metric has it) in the unit of @def, for a table cell:
 * "768 KiB (192 pages)", "6,420", "38,880"
 * @full: with the unit ("6,420 MiB/s", "38,880 cycles (38.9 µs)") rather than without
 */
char *rs_fmt_value(const struct rs_metric_def *def, double v, const struct rs_unit_ctx *u,
		   bool full, char *buf, size_t size);

/**
 * rs_fmt_change() - "0 → 312", "768 KiB (192 pages) → 768 KiB (12 pages) (1.00×)",
 * "38,880 → 44,000 cycles (38.9 µs → 44 µs; 1.13×)": a metric at two points
 */
char *rs_fmt_change(const struct rs_metric_def *def, double a, const struct rs_unit_ctx *ua,
		    double b, const struct rs_unit_ctx *ub, char *buf, size_t size);

/** rs_unit_value() - @v in the unit of @def (bytes for pages). Return: false if unknown. */
bool rs_unit_value(const struct rs_metric_def *def, double v, const struct rs_unit_ctx *u,
		   double *out);

/* The settings of every point, from its scenario.xml (config.c). */
struct rs_setting {
	char *key;       /* "platform.page-size", "job.9p-read.depth", "cost.kick", "seed" */
	char **values;   /* one per point; NULL where the point has none */
	bool differs;    /* not the same at every point that has it */
};

struct rs_config {
	struct rs_setting *v;
	size_t n, cap;
	size_t n_points;
	bool *loaded;    /* per point: its scenario.xml was read */
};

/**
 * rs_config_load() - read POINT/scenario.xml of every point of @r (a missing file, as for
 * a failed point, or one that cannot be parsed leaves its column to the metrics); then the
 * configured numbers of its metrics (page_size, clock_hz, seed) the file did not give
 * Return: 0, or -1 with @err set when memory ran out.
 */
int rs_config_load(struct rs_config *c, const struct rs_report *r, char *err, size_t err_size);

/** rs_config_get() - the value point @i gives setting @key, or NULL. */
const char *rs_config_get(const struct rs_config *c, size_t i, const char *key);

/** rs_config_free() - free and zero @c. */
void rs_config_free(struct rs_config *c);

/* One row of the metrics table: a number, or a distribution folded into one. */
enum rs_shape { RS_SHAPE_SCALAR, RS_SHAPE_DIST, RS_SHAPE_LEVEL };

struct rs_row {
	char key[192];                    /* the metric, or the distribution's base */
	char name[64];                    /* the job or device it is about, or "" */
	const struct rs_metric_def *def;  /* points to fallback when unknown */
	struct rs_metric_def fallback;
	bool unknown;                     /* not in the catalogue: def is &fallback */
	enum rs_shape shape;
	int section;                      /* index into rs_view.sections */
	bool hidden;                      /* configured, or shown once as another row */
	size_t order;                     /* catalogue order, then first seen */
};

struct rs_section {
	enum rs_group group;
	char name[64];      /* job or device name, or "" */
	char title[400];    /* "job 9p-read (9p read, 64KiB, depth 8)", "virtio ring" */
	bool noted;         /* a device whose rows are its only job's: said once */
};

struct rs_view {
	const struct rs_report *r;
	struct rs_config config;
	struct rs_unit_ctx *units;        /* per point */
	size_t base;                      /* the point others are compared with */
	bool has_base;
	struct rs_row *rows;
	size_t n_rows;
	struct rs_section *sections;
	size_t n_sections;
	char **notes;                     /* what was shown once, and why */
	size_t n_notes;
};

/*
 * A sweep of more points than this is summarised: a row's spread over the points (the
 * lowest, the median, the highest, and where) instead of a column per point, and the
 * details of the points that matter instead of every one.
 */
#define RS_VIEW_WIDE 16

/* rs_view_wide() - whether @v's report is summarised (more than RS_VIEW_WIDE points). */
static inline bool rs_view_wide(const struct rs_view *v)
{
	return v->r->n_points > RS_VIEW_WIDE;
}

/* rs_row_stat() - the one number a row stands for: a distribution's mean, a sampled level's
 * peak, a scalar itself (NULL). */
static inline const char *rs_row_stat(const struct rs_row *row)
{
	return row->shape == RS_SHAPE_DIST ? "mean" : row->shape == RS_SHAPE_LEVEL ? "max" : NULL;
}

/**
 * rs_fmt_unit_value() - @x, already in the row's unit (rs_unit_value(): bytes for pages),
 * as rs_fmt_value() prints the metric itself
 */
char *rs_fmt_unit_value(const struct rs_metric_def *def, double x, const struct rs_unit_ctx *u,
			char *buf, size_t size);

/* A row's values over the points, in its unit (bytes for pages). */
struct rs_spread {
	size_t n;            /* points that have it */
	double lo, median, hi;
	size_t lo_point, hi_point; /* the first point with the lowest, the highest */
};

/**
 * rs_view_spread() - @row (its @stat) over every point into @out
 * Return: false when no point has it (or memory ran out).
 */
bool rs_view_spread(const struct rs_view *v, const struct rs_row *row, const char *stat,
		    struct rs_spread *out);

extern const char *const rs_dist_stats[];    /* count, total, mean, sd, min, p50, ... max */
extern const char *const rs_dist_summary[];  /* mean, p50, p99, max: the row */

/**
 * rs_view_build() - the rows, sections and settings of @r
 * Return: 0, or -1 with @err set.
 */
int rs_view_build(struct rs_view *v, const struct rs_report *r, char *err, size_t err_size);

/**
 * rs_view_fold_duplicates() - hide each row that repeats another at every point, adding
 * a note that says which row stands for it (dups.c; rs_view_build() calls it)
 * Return: 0, or -1 when memory ran out.
 */
int rs_view_fold_duplicates(struct rs_view *v);

/** rs_view_free() - free and zero @v. */
void rs_view_free(struct rs_view *v);

/**
 * rs_view_value() - the number of @row at point @i: the metric itself, or @stat of a
 * distribution ("mean", "p99", ...; NULL for a scalar). Return: true when present.
 */
bool rs_view_value(const struct rs_view *v, const struct rs_row *row, size_t i,
		   const char *stat, double *out);

/**
 * rs_view_ratio() - @row (its @stat) at point @i over the same at the first point that
 * has it, both in the row's unit (bytes for pages). Return: false when there is none.
 */
bool rs_view_ratio(const struct rs_view *v, const struct rs_row *row, size_t i,
		   const char *stat, double *out);

/* What changed (changes.c): plain text, escaped by the writer. */
struct rs_change_group {
	char title[400];      /* the section's title */
	char **lines;         /* "latency, mean: 38,839 → 269,831 cycles (...; 6.95×)" */
	size_t n_lines;
};

struct rs_change_point {
	size_t point;
	struct rs_change_group *groups;  /* every job, ring and memory; empty: nothing moved */
	size_t n_groups;
	size_t n_lines;                  /* in all groups */
};

struct rs_changes {
	char **alerts;        /* "page-size=64KiB: dut_bug — BUG_ON(...) at xen-blkfront.c:369" */
	bool *strong;         /* per alert: a status, a bug or an error rather than a note */
	size_t n_alerts;
	struct rs_change_point *points;  /* every point with results but the base */
	size_t n_points;
};

#define RS_CHANGES_PER_GROUP 5

/**
 * rs_changes_build() - the findings and statuses, then for every point the metrics of each
 * job, ring and memory that moved most against the base point, largest |log ratio| first
 * (from or to 0 ranks as large); a page count whose bytes did not move is kept last
 * Return: 0, or -1 when memory ran out.
 */
int rs_changes_build(struct rs_changes *c, const struct rs_view *v);

/** rs_changes_free() - free and zero @c. */
void rs_changes_free(struct rs_changes *c);

/** rs_point_title() - "page-size=64KiB (64 KiB pages)": a point as the reports name it. */
char *rs_point_title(const struct rs_view *v, size_t i, char *buf, size_t size);

#endif
