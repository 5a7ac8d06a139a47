/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * flatten: a results JSON object (summary.json, compare.json's metrics) as one flat object
 * of numbers with dotted paths, "latency_cycles": {"p99": 7} as "latency_cycles.p99": 7.
 * The one flattener: goldens, replications, compare.json and the report all read metrics
 * through it; and the one lookup of a dotted path (expectations, the self-check).
 */
#ifndef RS_RESULTS_FLATTEN_H
#define RS_RESULTS_FLATTEN_H

#include <stdbool.h>

#include <jansson.h>

/**
 * rs_json_flatten() - every number of @in, at its dotted path
 * @in: an object (anything else flattens to an empty object)
 * @skip: paths of numbers to leave out, or NULL to keep every number
 * Return: a new object path -> number, or NULL when out of memory.
 */
json_t *rs_json_flatten(json_t *in, bool (*skip)(const char *path));

/**
 * rs_json_path() - the value at dotted @path in @root ("jobs.r.latency_cycles.p99")
 * Return: the value (borrowed), or NULL when a part of the path is missing.
 */
json_t *rs_json_path(json_t *root, const char *path);

/**
 * rs_metrics_flatten() - the metrics of a summary.json as dotted paths
 * @summary: json_t * of a summary
 * Return: a new json_t object path -> number: every number but the host-side fields, the
 * seed, the findings count, the expectations and a crash's record (what a run measured of
 * the simulation).
 */
void *rs_metrics_flatten(void *summary);

#endif
