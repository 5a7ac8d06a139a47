/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * plots: the gnuplot plots of a comparison. The per-point CSV files (csv.c), the list of
 * plots and the gnuplot plumbing (gnuplot.c), colours and key titles (style.c) and the plot
 * families (bars.c, lines.c, stalls.c, sweep.c). Internal to sim/report/.
 */
#ifndef RS_REPORT_PLOTS_H
#define RS_REPORT_PLOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report/tables/data.h"

/* CSV files of one point (csv.c). A missing file reads as empty. */
struct rs_bin {
	double lo, hi, count;
};

/**
 * rs_csv_histogram() - the bins of distribution @metric in histograms.csv at @path
 * @bins: set to a malloc'd array sorted by lo (NULL when there are none)
 * @n: number of bins
 * Return: 0, or -1 with @err "PATH:LINE: ..." on a malformed file.
 */
int rs_csv_histogram(const char *path, const char *metric, struct rs_bin **bins, size_t *n,
		     char *err, size_t err_size);

/* timeseries.csv: column 0 is the cycle; v is row-major, n_rows x n_cols. */
struct rs_series {
	char **cols;
	size_t n_cols;
	double *v;
	size_t n_rows;
};

/**
 * rs_csv_series() - read timeseries.csv at @path into @s (zeroed when the file is absent)
 * Return: 0, or -1 with @err "PATH:LINE: ..." on a malformed file.
 */
int rs_csv_series(const char *path, struct rs_series *s, char *err, size_t err_size);

/** rs_series_col() - index of column @name in @s, or -1. */
int rs_series_col(const struct rs_series *s, const char *name);

/** rs_series_free() - free and zero @s. */
void rs_series_free(struct rs_series *s);

/* The plots written so far (gnuplot.c). */
enum rs_plot_kind { RS_PLOT_BARS, RS_PLOT_CDF, RS_PLOT_TIME, RS_PLOT_SWEEP };

struct rs_plot {
	char name[128];   /* file name without extension, in DIR/plots/ */
	char title[192];
	enum rs_plot_kind kind;
	int height;       /* pixels; the width is RS_PLOT_WIDTH */
};

/* A plot left out because it would say nothing; shown in its place. */
struct rs_plot_note {
	char text[160];
	enum rs_plot_kind kind;
	size_t at;        /* shown before plot v[at] (after the last one when at == n) */
};

#define RS_PLOT_NOTES_MAX 32

struct rs_plot_list {
	char *plots_dir;
	FILE *all;        /* all.gp: loads every plot's script */
	struct rs_plot *v;
	size_t n;
	size_t cap;
	struct rs_plot_note notes[RS_PLOT_NOTES_MAX];
	size_t n_notes;
};

/**
 * rs_plots_begin() - create DIR/plots (removing plots of an earlier report) and all.gp
 * Return: 0, or -1 with @err set.
 */
int rs_plots_begin(struct rs_plot_list *pl, const char *dir, char *err, size_t err_size);

/**
 * rs_plot_open() - start the script DIR/plots/NAME.gp of one plot
 * @name: file name stem (letters, digits, '_', '-')
 * @title: the plot's title (any text: it is quoted)
 *
 * Writes the common preamble (colours of the points, SVG terminal, output, title).
 * Return: the script, to which the caller writes its settings and one `plot` command;
 * NULL with @err set.
 */
FILE *rs_plot_open(struct rs_plot_list *pl, const char *name, const char *title,
		   enum rs_plot_kind kind, char *err, size_t err_size);

/**
 * rs_plot_open_sized() - rs_plot_open() at @height pixels (the width is always
 * RS_PLOT_WIDTH)
 */
FILE *rs_plot_open_sized(struct rs_plot_list *pl, const char *name, const char *title,
			 enum rs_plot_kind kind, int height, char *err, size_t err_size);

#define RS_PLOT_WIDTH 1200
#define RS_PLOT_HEIGHT 600

/**
 * rs_plot_note() - say in the plot's place why it was left out ("No stalls at any
 * point."); a note already given in the same section is not repeated
 * @kind: the page section it belongs to
 */
void rs_plot_note(struct rs_plot_list *pl, enum rs_plot_kind kind, const char *text);

/* How a point is told apart beyond its colour (rs_report_point.style). */
enum rs_mark { RS_MARK_LINE, RS_MARK_POINTS, RS_MARK_FILL };

/**
 * rs_gp_style() - write " lt COLOR dt N", " lt COLOR pt N" or " lt COLOR fs ..." for @p,
 * to follow "with lines", "with linespoints" or "with boxes" in a plot element
 */
void rs_gp_style(FILE *f, const struct rs_report_point *p, enum rs_mark mark);

/**
 * rs_gp_key_title() - "set key title" saying what colour and style stand for
 * ("colour: page-size · dashes: depth"); nothing when the colours are per point
 */
void rs_gp_key_title(FILE *f, const struct rs_report *r, enum rs_mark mark);

/**
 * rs_time_unit() - the unit for an axis of simulated time spanning @span seconds
 * @seconds: set to the seconds per unit
 * Return: "µs", "ms" or "s".
 */
const char *rs_time_unit(double span, double *seconds);

/**
 * rs_report_jobs() - the job names of per-job metrics ("jobs.NAME.latency_cycles.p99"),
 * in first-seen order
 * @names: receives up to @max names
 * Return: how many.
 */
size_t rs_report_jobs(const struct rs_report *r, char (*names)[64], size_t max);

/**
 * rs_plot_close() - end a plot's script: the same plot again as PNG, then close it
 * Return: 0, or -1 with @err set when writing failed.
 */
int rs_plot_close(struct rs_plot_list *pl, FILE *gp, char *err, size_t err_size);

/** rs_plot_data() - open DIR/plots/NAME for writing a data file, or NULL with @err. */
FILE *rs_plot_data(const struct rs_plot_list *pl, const char *name, char *err,
		   size_t err_size);

/** rs_data_close() - close a data file. Return: 0, or -1 with @err naming it. */
int rs_data_close(const struct rs_plot_list *pl, FILE *f, const char *name, char *err,
		  size_t err_size);

/** rs_gp_string() - write @s as a gnuplot single-quoted string (no substitutions). */
void rs_gp_string(FILE *f, const char *s);

/**
 * rs_plots_run() - run `gnuplot all.gp` in DIR/plots and check its exit status
 * Return: 0, or -1 with @err holding gnuplot's stderr (or why it could not start).
 */
int rs_plots_run(struct rs_plot_list *pl, char *err, size_t err_size);

/** rs_plots_free() - close and free; a zeroed @pl is fine. */
void rs_plots_free(struct rs_plot_list *pl);

/*
 * The plot families. Each writes its data files and scripts into @pl's directory and
 * adds its plots to @pl (gnuplot runs later, once, in rs_plots_run()); points that
 * failed are left out. Return: 0, or -1 with @err naming the file.
 */

/**
 * rs_plot_bars() - a grouped bar chart per metric family some point has (descriptors,
 * grants, indirect frames, stalls, stall time, pinned pages, persistent pool, throughput,
 * latency quantiles)
 */
int rs_plot_bars(const struct rs_report *r, struct rs_plot_list *pl, char *err,
		 size_t err_size);

/**
 * rs_plot_phases() - per job, a stacked bar per point of where its mean latency goes
 * (jobs.NAME.phases.*: build in the DUT, waiting, on the ring, device service, completion)
 */
int rs_plot_phases(const struct rs_report *r, struct rs_plot_list *pl, char *err,
		   size_t err_size);

/** rs_plot_cdf() - the latency CDFs of all points, from their histograms.csv */
int rs_plot_cdf(const struct rs_report *r, struct rs_plot_list *pl, char *err,
		size_t err_size);

/** rs_plot_time() - one plot over time per timeseries.csv column some point has */
int rs_plot_time(const struct rs_report *r, struct rs_plot_list *pl, char *err,
		 size_t err_size);

/**
 * rs_plot_stalls() - the stall timeline: each point's stalls.csv as segments over
 * simulated time, one row per point and ring/cause, overlapping and nearly adjacent
 * stalls merged (the file is streamed); a note instead when no point stalled
 */
int rs_plot_stalls(const struct rs_report *r, struct rs_plot_list *pl, char *err,
		   size_t err_size);

/**
 * rs_plot_sweeps() - when platform.page-size and another parameter vary, key metrics
 * against each other varied parameter, one line per page size
 */
int rs_plot_sweeps(const struct rs_report *r, struct rs_plot_list *pl, char *err,
		   size_t err_size);

#endif
