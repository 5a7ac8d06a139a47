// SPDX-License-Identifier: GPL-2.0-only
#include "results/stats.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_histogram.h>
#include <gsl/gsl_rstat.h>

#define LINEAR_LIMIT_SHIFT 11 /* samples below 2^11 get a bin each */
#define SUB_BINS_SHIFT 10     /* 1024 bins per power of two above that */
#define TOP_SHIFT 52          /* doubles hold integers exactly up to 2^53 */
#define N_BINS ((1u << LINEAR_LIMIT_SHIFT) + \
		(TOP_SHIFT - LINEAR_LIMIT_SHIFT) * (1u << SUB_BINS_SHIFT))

struct rs_stat {
	gsl_rstat_workspace *moments;
	gsl_histogram *hist;
	double total; /* exact for integer samples while below 2^53 */
};

/* The bin edges are the same for every distribution: computed once. */
static const double *bin_edges(void)
{
	static double edges[N_BINS + 1];
	size_t i = 0;

	if (edges[N_BINS] != 0)
		return edges;
	for (unsigned v = 0; v < (1u << LINEAR_LIMIT_SHIFT); v++)
		edges[i++] = v;
	for (unsigned k = LINEAR_LIMIT_SHIFT; k < TOP_SHIFT; k++)
		for (unsigned j = 0; j < (1u << SUB_BINS_SHIFT); j++)
			edges[i++] = ldexp(1.0, (int)k) + ldexp((double)j, (int)k - SUB_BINS_SHIFT);
	edges[i] = ldexp(1.0, TOP_SHIFT);
	return edges;
}

struct rs_stat *rs_stat_new(void)
{
	struct rs_stat *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->moments = gsl_rstat_alloc();
	st->hist = gsl_histogram_alloc(N_BINS);
	if (!st->moments || !st->hist ||
	    gsl_histogram_set_ranges(st->hist, bin_edges(), N_BINS + 1)) {
		rs_stat_free(st);
		return NULL;
	}
	return st;
}

void rs_stat_free(struct rs_stat *st)
{
	if (!st)
		return;
	if (st->moments)
		gsl_rstat_free(st->moments);
	if (st->hist)
		gsl_histogram_free(st->hist);
	free(st);
}

/* Index of the bin holding @v, by arithmetic rather than GSL's binary search. */
static size_t bin_of(double v)
{
	int exp;

	if (v < (double)(1u << LINEAR_LIMIT_SHIFT))
		return (size_t)v;
	if (v >= ldexp(1.0, TOP_SHIFT))
		return N_BINS - 1;
	frexp(v, &exp); /* v = m * 2^exp, m in [0.5, 1): v in [2^(exp-1), 2^exp) */
	unsigned k = (unsigned)exp - 1;
	size_t sub = (size_t)ldexp(v - ldexp(1.0, (int)k), SUB_BINS_SHIFT - (int)k);

	return (1u << LINEAR_LIMIT_SHIFT) + (size_t)(k - LINEAR_LIMIT_SHIFT) *
		(1u << SUB_BINS_SHIFT) + sub;
}

void rs_stat_add(struct rs_stat *st, double v)
{
	if (!(v > 0)) /* also catches NaN */
		v = 0;
	gsl_rstat_add(v, st->moments);
	st->total += v;
	st->hist->bin[bin_of(floor(v))] += 1;
}

size_t rs_stat_count(const struct rs_stat *st)
{
	return gsl_rstat_n(st->moments);
}

double rs_stat_total(const struct rs_stat *st)
{
	return st->total;
}

double rs_stat_mean(const struct rs_stat *st)
{
	return rs_stat_count(st) ? gsl_rstat_mean(st->moments) : 0;
}

double rs_stat_sd(const struct rs_stat *st)
{
	return rs_stat_count(st) > 1 ? gsl_rstat_sd(st->moments) : 0;
}

double rs_stat_min(const struct rs_stat *st)
{
	return rs_stat_count(st) ? gsl_rstat_min(st->moments) : 0;
}

double rs_stat_max(const struct rs_stat *st)
{
	return rs_stat_count(st) ? gsl_rstat_max(st->moments) : 0;
}

double rs_stat_quantile(const struct rs_stat *st, double p)
{
	size_t n = rs_stat_count(st);
	double rank, seen = 0;

	if (!n)
		return 0;
	rank = ceil(p * (double)n);
	if (rank < 1)
		rank = 1;
	for (size_t i = 0; i < N_BINS; i++) {
		seen += st->hist->bin[i];
		if (seen >= rank) {
			double lo = st->hist->range[i];

			/* The bin's lower edge, but never outside the exact min and max. */
			lo = lo < rs_stat_min(st) ? rs_stat_min(st) : lo;
			return lo > rs_stat_max(st) ? rs_stat_max(st) : lo;
		}
	}
	return rs_stat_max(st);
}

void rs_stat_bins(const struct rs_stat *st,
		  void (*fn)(void *arg, double lo, double hi, double count), void *arg)
{
	for (size_t i = 0; i < N_BINS; i++)
		if (st->hist->bin[i] > 0)
			fn(arg, st->hist->range[i], st->hist->range[i + 1], st->hist->bin[i]);
}
