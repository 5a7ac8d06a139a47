// SPDX-License-Identifier: GPL-2.0-only
#include "results/manifest.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RINGSIM_VERSION
#define RINGSIM_VERSION "unknown"
#endif

#define FORMAT_LINE "# ringsim results manifest 1 (ringsim " RINGSIM_VERSION ")\n"

/* What ringsim writes at the top of a run, a replication set, a comparison or a suite;
 * only for directories written before manifests. */
static const char *const legacy_names[] = {
	"summary.json", "scenario.xml", "requests.csv", "stalls.csv", "timeseries.csv",
	"histograms.csv", "replications.json", "compare.json", "compare.csv", "report.html",
	"report.md", "plots", "dut-coverage",
};

void rs_paths_free(struct rs_paths *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

static int paths_add(struct rs_paths *p, const char *rel, const char *name, bool dir)
{
	char **grown = realloc(p->v, (p->n + 1) * sizeof(*p->v));

	if (!grown)
		return -1;
	p->v = grown;
	if (asprintf(&p->v[p->n], "%s%s%s", rel, name, dir ? "/" : "") < 0)
		return -1;
	p->n++;
	return 0;
}

static int by_bytes(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void paths_sort(struct rs_paths *p)
{
	if (p->n)
		qsort(p->v, p->n, sizeof(*p->v), by_bytes);
}

static bool paths_has(const struct rs_paths *p, const char *path)
{
	return p->n && bsearch(&path, p->v, p->n, sizeof(*p->v), by_bytes);
}

/* lstat()'s answer for @top/@rel@name: 1 a directory, 0 anything else, -1 gone. */
static int is_dir_at(const char *top, const char *rel, const char *name)
{
	char path[8192];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s%s", top, rel, name);
	if (lstat(path, &st))
		return -1;
	return S_ISDIR(st.st_mode) ? 1 : 0;
}

/*
 * Walk @top/@rel (@rel empty or ending in '/'): every entry goes into @all (when set); the
 * entries not in @listed go into @foreign and are not entered. Symbolic links are entries,
 * never followed.
 */
static int walk(const char *top, const char *rel, const struct rs_paths *listed,
		struct rs_paths *all, struct rs_paths *foreign)
{
	char path[8192];
	struct dirent *e;
	int rc = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	d = opendir(path);
	if (!d)
		return -1;
	while (!rc && (e = readdir(d))) {
		char sub[8192];
		int dir;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    (!rel[0] && !strcmp(e->d_name, RS_MANIFEST_NAME)))
			continue;
		if (all && strchr(e->d_name, '\n'))
			continue; /* not listable: the next run will take it for the user's */
		dir = is_dir_at(top, rel, e->d_name);
		if (dir < 0)
			continue; /* went away while we looked */
		snprintf(sub, sizeof(sub), "%s%s%s", rel, e->d_name, dir ? "/" : "");
		if (foreign && !paths_has(listed, sub)) {
			rc = paths_add(foreign, rel, e->d_name, dir);
			continue;
		}
		if (all)
			rc = paths_add(all, rel, e->d_name, dir);
		if (!rc && dir)
			rc = walk(top, sub, listed, all, foreign);
	}
	closedir(d);
	return rc;
}

int rs_manifest_write(const char *dir, char *err, size_t err_size)
{
	struct rs_paths all = { 0 };
	char path[4200];
	FILE *f = NULL;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, RS_MANIFEST_NAME);
	if (walk(dir, "", NULL, &all, NULL)) {
		snprintf(err, err_size, "%s: cannot list it: %s", dir, strerror(errno));
		goto out;
	}
	paths_sort(&all);
	f = fopen(path, "w");
	if (!f || fputs(FORMAT_LINE, f) == EOF)
		goto fail;
	for (size_t i = 0; i < all.n; i++)
		if (fprintf(f, "%s\n", all.v[i]) < 0)
			goto fail;
	rc = fclose(f);
	f = NULL;
	if (!rc)
		goto out;
fail:
	snprintf(err, err_size, "%s: cannot write: %s", path, strerror(errno));
	if (f)
		fclose(f);
	rc = -1;
out:
	rs_paths_free(&all);
	return rc;
}

int rs_manifest_read(const char *dir, struct rs_paths *listed)
{
	char path[4200], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = 1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, RS_MANIFEST_NAME);
	f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? 0 : -1;
	while (rc > 0 && (len = getline(&line, &cap, f)) >= 0) {
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (!len || line[0] == '#')
			continue;
		if (paths_add(listed, "", line, false))
			rc = -1;
	}
	if (ferror(f))
		rc = -1;
	free(line);
	fclose(f);
	paths_sort(listed);
	return rc;
}

int rs_manifest_foreign(const char *dir, const struct rs_paths *listed,
			struct rs_paths *foreign)
{
	int rc = walk(dir, "", listed, NULL, foreign);

	paths_sort(foreign);
	return rc;
}

/* NAME.log beside a run's results directory NAME (compare and regress keep both). */
static bool is_run_log(const char *dir, const char *name)
{
	size_t n = strlen(name);
	char path[8192];

	if (n <= 4 || strcmp(name + n - 4, ".log"))
		return false;
	snprintf(path, sizeof(path), "%s/%.*s/summary.json", dir, (int)(n - 4), name);
	return access(path, F_OK) == 0;
}

static bool legacy_ours(const char *dir, const char *name, bool is_dir)
{
	char path[8192];

	for (size_t i = 0; i < sizeof(legacy_names) / sizeof(legacy_names[0]); i++)
		if (!strcmp(name, legacy_names[i]))
			return true;
	snprintf(path, sizeof(path), "%s/%s/summary.json", dir, name);
	if (access(path, F_OK) == 0)
		return true; /* a run's results: a compare point, seed-S/, a regress run */
	return !is_dir && is_run_log(dir, name);
}

int rs_legacy_foreign(const char *dir, struct rs_paths *foreign)
{
	struct dirent *e;
	int rc = 0;
	DIR *d = opendir(dir);

	if (!d)
		return -1;
	while (!rc && (e = readdir(d))) {
		int is_dir;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		is_dir = is_dir_at(dir, "", e->d_name);
		if (is_dir >= 0 && !legacy_ours(dir, e->d_name, is_dir))
			rc = paths_add(foreign, "", e->d_name, is_dir);
	}
	closedir(d);
	paths_sort(foreign);
	return rc;
}
