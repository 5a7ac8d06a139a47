// SPDX-License-Identifier: GPL-2.0-only
#include "regress/golden.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <jansson.h>

/* Two-sided 95% Student t quantile for @dof degrees of freedom. */
static double t95(double dof)
{
	return gsl_cdf_tdist_Pinv(0.975, dof);
}

void *rs_golden_build(void *const *metrics, size_t n, const char *scenario)
{
	json_t *out = json_object(), *golden = json_object();
	const char *key;
	json_t *v;
	double *x = calloc(n ? n : 1, sizeof(*x));

	json_object_foreach((json_t *)metrics[0], key, v) {
		size_t have = 0;

		for (size_t i = 0; i < n; i++) {
			json_t *m = json_object_get(metrics[i], key);

			if (json_is_number(m))
				x[have++] = json_number_value(m);
		}
		if (have != n)
			continue; /* not measured in every replication: no reference */
		if (n == 1) {
			json_object_set_new(golden, key, json_pack("{s:f}", "value", x[0]));
		} else {
			double mean = gsl_stats_mean(x, 1, n), sd = gsl_stats_sd(x, 1, n);
			double half = t95((double)n - 1) * sd / sqrt((double)n);

			json_object_set_new(golden, key, json_pack("{s:f, s:f, s:I, s:[f,f]}",
				"mean", mean, "sd", sd, "n", (json_int_t)n, "ci95", mean - half,
				mean + half));
		}
	}
	free(x);
	json_object_set_new(out, "scenario", json_string(scenario));
	json_object_set_new(out, "replications", json_integer((json_int_t)n));
	json_object_set_new(out, "metrics", golden);
	return out;
}

static bool same(double a, double b)
{
	return a == b || fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

size_t rs_golden_check(void *golden, void *const *metrics, size_t n, FILE *out,
		       const char *prefix)
{
	const char *key;
	json_t *g;
	size_t moved = 0;

	json_object_foreach(json_object_get(golden, "metrics"), key, g) {
		double sum = 0, actual;
		size_t have = 0;

		for (size_t i = 0; i < n; i++) {
			json_t *m = json_object_get(metrics[i], key);

			if (json_is_number(m)) {
				sum += json_number_value(m);
				have++;
			}
		}
		if (have != n) {
			fprintf(out, "%s%s: expected %.12g (golden), not measured\n", prefix, key,
				json_number_value(json_object_get(g, json_object_get(g, "value") ?
								  "value" : "mean")));
			moved++;
			continue;
		}
		actual = sum / (double)n;
		if (json_object_get(g, "value")) {
			double want = json_number_value(json_object_get(g, "value"));

			if (!same(actual, want)) {
				fprintf(out, "%s%s: expected %.12g (golden), actual %.12g\n", prefix,
					key, want, actual);
				moved++;
			}
			continue;
		}
		double mean = json_number_value(json_object_get(g, "mean"));
		double sd = json_number_value(json_object_get(g, "sd"));
		double gn = (double)json_integer_value(json_object_get(g, "n"));
		/* prediction interval for the mean of n new runs */
		double half = gn > 1 ? t95(gn - 1) * sd * sqrt(1 / gn + 1 / (double)n) : 0;

		if (fabs(actual - mean) > half && !same(actual, mean)) {
			fprintf(out, "%s%s: actual %.12g outside the 95%% interval [%.12g, %.12g] "
				"of the golden (mean %.12g, sd %.6g, %d replications)\n", prefix,
				key, actual, mean - half, mean + half, mean, sd, (int)gn);
			moved++;
		}
	}
	return moved;
}

void rs_replication_table(void *golden, FILE *out)
{
	static const char *const keys[] = {
		"latency_cycles.p50", "latency_cycles.p99", "throughput.bytes_per_second",
		"virtio.descriptors_per_request.mean", "virtio.enospc", "virtio.stall_cycles.total",
		"blkif.grants_per_request.mean", "blkif.grant_exhausted", "blkif.tag_waits",
		"simulated_cycles",
	};
	json_t *m = json_object_get(golden, "metrics");

	fprintf(out, "%-40s %16s %14s %33s\n", "metric", "mean", "sd", "95% interval of the mean");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *g = json_object_get(m, keys[i]), *ci = json_object_get(g, "ci95");

		if (!g || !ci)
			continue;
		fprintf(out, "%-40s %16.6g %14.6g  [%14.6g, %14.6g]\n", keys[i],
			json_number_value(json_object_get(g, "mean")),
			json_number_value(json_object_get(g, "sd")),
			json_number_value(json_array_get(ci, 0)),
			json_number_value(json_array_get(ci, 1)));
	}
}
