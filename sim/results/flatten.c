// SPDX-License-Identifier: GPL-2.0-only
#include "results/flatten.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int flatten(json_t *out, const char *prefix, json_t *in, bool (*skip)(const char *))
{
	const char *k;
	json_t *v;

	json_object_foreach(in, k, v) {
		char *path;
		int err = 0;

		if (prefix ? asprintf(&path, "%s.%s", prefix, k) < 0 : !(path = strdup(k)))
			return -1;
		if (json_is_object(v))
			err = flatten(out, path, v, skip);
		else if (json_is_number(v) && !(skip && skip(path)))
			err = json_object_set(out, path, v);
		free(path);
		if (err)
			return -1;
	}
	return 0;
}

json_t *rs_json_flatten(json_t *in, bool (*skip)(const char *path))
{
	json_t *out = json_object();

	if (out && json_is_object(in) && flatten(out, NULL, in, skip)) {
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *rs_json_path(json_t *root, const char *path)
{
	char buf[256];
	char *part, *save = NULL;
	json_t *v = root;

	snprintf(buf, sizeof(buf), "%s", path);
	for (part = strtok_r(buf, ".", &save); part && v; part = strtok_r(NULL, ".", &save))
		v = json_object_get(v, part);
	return v;
}

static bool not_a_metric(const char *path)
{
	return !strcmp(path, "host_seconds") || !strcmp(path, "host_max_rss_kib") ||
	       !strcmp(path, "seed") || !strncmp(path, "findings_total", 14) ||
	       !strcmp(path, "findings_data_corruption") ||
	       !strncmp(path, "expectations", 12) || !strncmp(path, "crash.", 6);
}

void *rs_metrics_flatten(void *summary)
{
	return rs_json_flatten(summary, not_a_metric);
}
