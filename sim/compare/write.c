// SPDX-License-Identifier: GPL-2.0-only
/* Gathering the points' results into compare.json and compare.csv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "compare/compare.h"
#include "results/flatten.h"

#define LONGEST_KEPT 5 /* compare.json's longest_stalls per point */

/* The log2 bucket of a stall of @cycles: [2^k, 2^(k+1)) cycles, k from 0. */
static unsigned bucket_of(unsigned long long cycles)
{
	unsigned k = 0;

	while (cycles > 1) {
		cycles >>= 1;
		k++;
	}
	return k;
}

/* The bucket of a histogram bin [LO, HI, COUNT]. */
static unsigned bin_bucket(json_t *bin)
{
	return bucket_of((unsigned long long)json_integer_value(json_array_get(bin, 0)));
}

/* Keep @s among the LONGEST_KEPT longest of @longest (the earlier first among equals). */
static void keep_longest(json_t *longest, json_t *s)
{
	json_int_t c = json_integer_value(json_object_get(s, "cycles"));
	size_t at = json_array_size(longest);

	while (at > 0 &&
	       json_integer_value(json_object_get(json_array_get(longest, at - 1), "cycles")) < c)
		at--;
	if (at < LONGEST_KEPT)
		json_array_insert(longest, at, s);
	if (json_array_size(longest) > LONGEST_KEPT)
		json_array_remove(longest, LONGEST_KEPT);
	json_decref(s);
}

/*
 * stalls.csv per ring and cause (count, cycles, the longest, a log2 histogram of their
 * lengths: "histogram": [[LO, HI, COUNT], ...] for the non-empty buckets, LO <= cycles <
 * HI), and the LONGEST_KEPT longest stalls of the point with their request.
 */
static json_t *stall_summary(const char *path, json_t **longest)
{
	json_t *list = json_array();
	char line[512];
	FILE *f = fopen(path, "r");

	*longest = json_array();
	if (!f)
		return list;
	if (!fgets(line, sizeof(line), f)) { /* header */
		fclose(f);
		return list;
	}
	while (fgets(line, sizeof(line), f)) {
		char ring[64], cause[64];
		unsigned long long start, end, cycles;
		long long request;
		json_t *hit = NULL, *hist, *bin;
		unsigned k;
		size_t i;
		json_t *e;

		if (sscanf(line, "%63[^,],%63[^,],%llu,%llu,%llu,%lld", ring, cause, &start, &end,
			   &cycles, &request) != 6)
			continue;
		json_array_foreach(list, i, e) {
			if (!strcmp(json_string_value(json_object_get(e, "ring")), ring) &&
			    !strcmp(json_string_value(json_object_get(e, "cause")), cause))
				hit = e;
		}
		if (!hit) {
			hit = json_pack("{s:s, s:s, s:I, s:I, s:I, s:[]}", "ring", ring, "cause",
					cause, "count", (json_int_t)0, "cycles", (json_int_t)0,
					"max_cycles", (json_int_t)0, "histogram");
			json_array_append_new(list, hit);
		}
		json_object_set_new(hit, "count", json_integer(
			json_integer_value(json_object_get(hit, "count")) + 1));
		json_object_set_new(hit, "cycles", json_integer(
			json_integer_value(json_object_get(hit, "cycles")) + (json_int_t)cycles));
		if ((json_int_t)cycles > json_integer_value(json_object_get(hit, "max_cycles")))
			json_object_set_new(hit, "max_cycles", json_integer((json_int_t)cycles));
		/* the histogram's bins in order of LO, one per non-empty bucket */
		hist = json_object_get(hit, "histogram");
		k = bucket_of(cycles);
		for (i = 0; i < json_array_size(hist); i++)
			if (bin_bucket(json_array_get(hist, i)) >= k)
				break;
		bin = json_array_get(hist, i);
		if (bin && bin_bucket(bin) == k)
			json_array_set_new(bin, 2, json_integer(
				json_integer_value(json_array_get(bin, 2)) + 1));
		else
			json_array_insert_new(hist, i, json_pack("[I, I, I]",
				(json_int_t)(1ull << k), (json_int_t)(2ull << k), (json_int_t)1));
		keep_longest(*longest, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "ring", ring,
			"cause", cause, "start_cycle", (json_int_t)start, "end_cycle",
			(json_int_t)end, "cycles", (json_int_t)cycles, "request",
			(json_int_t)request));
	}
	fclose(f);
	return list;
}

static json_t *point_json(const struct rs_point *pt, const char *dir)
{
	char path[4096];
	json_t *sets = json_object(), *metrics = NULL, *summary, *findings, *p, *stalls, *longest;

	for (size_t i = 0; i < pt->n_sets; i++) {
		const char *eq = strchr(pt->sets[i], '=');
		char *key = strndup(pt->sets[i], (size_t)(eq - pt->sets[i]));

		json_object_set_new(sets, key, json_string(eq + 1));
		free(key);
	}
	snprintf(path, sizeof(path), "%s/%s/summary.json", dir, pt->name);
	summary = strcmp(pt->status, "failed") ? json_load_file(path, 0, NULL) : NULL;
	metrics = summary ? rs_metrics_flatten(summary) : json_object();
	findings = summary ? json_object_get(summary, "findings") : NULL;
	findings = findings ? json_incref(findings) : json_array();
	snprintf(path, sizeof(path), "%s/%s/stalls.csv", dir, pt->name);
	stalls = stall_summary(path, &longest);
	p = json_pack("{s:s, s:s, s:o, s:s, s:s?, s:o, s:o, s:o, s:o}", "name", pt->name, "dir",
		      pt->name, "sets", sets, "status", pt->status, "error", pt->error,
		      "metrics", metrics, "findings", findings, "stalls", stalls,
		      "longest_stalls", longest);
	json_decref(summary);
	return p;
}

/* ratio = metric / the same metric of the first point that has it (null when that is 0). */
static void add_ratios(json_t *points)
{
	size_t i, j;
	json_t *p, *q;

	json_array_foreach(points, i, p) {
		json_t *ratio = json_object();
		const char *key;
		json_t *v;

		json_object_foreach(json_object_get(p, "metrics"), key, v) {
			json_t *base = NULL;

			json_array_foreach(points, j, q) {
				base = json_object_get(json_object_get(q, "metrics"), key);
				if (base)
					break;
			}
			if (base && json_number_value(base) != 0)
				json_object_set_new(ratio, key, json_real(json_number_value(v) /
									  json_number_value(base)));
			else
				json_object_set_new(ratio, key, json_null());
		}
		json_object_set_new(p, "ratio", ratio);
	}
}

static void csv_field(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static int write_csv(json_t *root, const char *path)
{
	json_t *points = json_object_get(root, "points"), *keys = json_object(), *p, *v;
	const char *key;
	size_t i;
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	json_array_foreach(points, i, p) {
		json_object_foreach(json_object_get(p, "metrics"), key, v)
			json_object_set(keys, key, json_true());
	}
	fputs("point,status", f);
	json_object_foreach(keys, key, v) {
		fputc(',', f);
		csv_field(f, key);
	}
	json_object_foreach(keys, key, v) {
		fputs(",ratio:", f);
		fputs(key, f);
	}
	fputc('\n', f);
	json_array_foreach(points, i, p) {
		csv_field(f, json_string_value(json_object_get(p, "name")));
		fprintf(f, ",%s", json_string_value(json_object_get(p, "status")));
		for (int pass = 0; pass < 2; pass++) {
			json_t *vals = json_object_get(p, pass ? "ratio" : "metrics");

			json_object_foreach(keys, key, v) {
				json_t *x = json_object_get(vals, key);

				if (json_is_number(x))
					fprintf(f, ",%.12g", json_number_value(x));
				else
					fputc(',', f);
			}
		}
		fputc('\n', f);
	}
	json_decref(keys);
	return fclose(f);
}

int rs_comparison_write(const struct rs_comparison *c, const char *dir, char *err,
			size_t err_size)
{
	json_t *root, *varied = json_array(), *points = json_array();
	char path[4096];
	int rc = 0;

	for (size_t i = 0; i < c->n_vary; i++)
		json_array_append_new(varied, json_string(c->vary[i].path));
	for (size_t i = 0; i < c->n_points; i++)
		json_array_append_new(points, point_json(&c->points[i], dir));
	add_ratios(points);
	root = json_pack("{s:s, s:s?, s:s?, s:o, s:o}", "scenario", c->scenario ? c->scenario :
			 "", "file", c->file, "sweep_file", c->sweep_file, "varied", varied,
			 "points", points);
	snprintf(path, sizeof(path), "%s/compare.json", dir);
	if (!root || json_dump_file(root, path, JSON_INDENT(2) | JSON_REAL_PRECISION(12))) {
		snprintf(err, err_size, "%s: cannot write", path);
		rc = -1;
	}
	snprintf(path, sizeof(path), "%s/compare.csv", dir);
	if (!rc && write_csv(root, path)) {
		snprintf(err, err_size, "%s: cannot write", path);
		rc = -1;
	}
	json_decref(root);
	return rc;
}
