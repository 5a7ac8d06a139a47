/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * golden: a scenario's reference metrics, stored beside it as NAME.golden.json. From one
 * run (a fixed seed) every metric is exact: the simulator is deterministic. From N
 * replications (seeds seed..seed+N-1) each metric keeps its mean, standard deviation and the
 * 95% confidence interval of the mean; a later measurement passes when it lies in the 95%
 * prediction interval for a mean of that many new replications.
 */
#ifndef RS_GOLDEN_H
#define RS_GOLDEN_H

#include <stddef.h>
#include <stdio.h>

/**
 * rs_golden_build() - the golden of @n replications' flattened metrics
 * @metrics: @n json_t objects from rs_metrics_flatten() (results/flatten.h)
 * Return: a new json_t with "replications" and "metrics" (value, or mean/sd/n/ci95).
 */
void *rs_golden_build(void *const *metrics, size_t n, const char *scenario);

/**
 * rs_golden_check() - compare @n new replications' metrics with a golden
 * @golden: json_t from a golden file
 * @metrics: @n json_t objects from rs_metrics_flatten() (results/flatten.h)
 * @out: one line per metric that moved: metric, expected (value or interval), actual
 * @prefix: put before each line (e.g. "    ")
 * Return: the number of metrics that moved or went missing.
 */
size_t rs_golden_check(void *golden, void *const *metrics, size_t n, FILE *out,
		       const char *prefix);

/**
 * rs_replication_table() - print mean, sd and 95% interval of the mean of key metrics
 * @golden: from rs_golden_build()
 */
void rs_replication_table(void *golden, FILE *out);

#endif
