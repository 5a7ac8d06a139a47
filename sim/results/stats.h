/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * stats: a distribution of non-negative samples in bounded memory, whatever the run length.
 * Moments, min and max are exact (gsl_rstat). Quantiles come from a log-linear GSL histogram:
 * exact below 2048; above, each power of two is cut into 1024 bins, so a reported quantile
 * is the lower edge of its bin, at most 0.1% below the true sample.
 */
#ifndef RS_STATS_H
#define RS_STATS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rs_stat;

/** rs_stat_new() - an empty distribution. Return: it, or NULL without memory. */
struct rs_stat *rs_stat_new(void);

/** rs_stat_free() - free @st; NULL is fine. */
void rs_stat_free(struct rs_stat *st);

/**
 * rs_stat_add() - add one sample
 * @v: the sample; negative values count as 0, values past 2^52 as 2^52 in the histogram
 */
void rs_stat_add(struct rs_stat *st, double v);

size_t rs_stat_count(const struct rs_stat *st);
double rs_stat_total(const struct rs_stat *st); /* sum of the samples */
double rs_stat_mean(const struct rs_stat *st);
double rs_stat_sd(const struct rs_stat *st);
double rs_stat_min(const struct rs_stat *st);
double rs_stat_max(const struct rs_stat *st);

/**
 * rs_stat_quantile() - the nearest-rank quantile
 * @p: in [0, 1]; the smallest sample x with at least ceil(p * n) samples <= x
 *
 * Return: the quantile (see the header comment for its precision), or 0 when empty.
 */
double rs_stat_quantile(const struct rs_stat *st, double p);

/**
 * rs_stat_bins() - walk the non-empty histogram bins in order, for plots
 * @fn: called with each bin's [lo, hi) and count
 */
void rs_stat_bins(const struct rs_stat *st,
		  void (*fn)(void *arg, double lo, double hi, double count), void *arg);

#ifdef __cplusplus
}
#endif

#endif
