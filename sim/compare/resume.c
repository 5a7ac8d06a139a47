// SPDX-License-Identifier: GPL-2.0-only
/* resume: the points an earlier comparison ran ok, hard-linked into the new one. */
#include <errno.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "compare/compare.h"
#include "results/results_dir.h"

/* Whether RUN/FILE exists. */
static bool holds(const char *run, const char *file)
{
	char path[4096];

	snprintf(path, sizeof(path), "%.4000s/%.90s", run, file);
	return access(path, F_OK) == 0;
}

bool rs_result_holds_asked(const char *run, bool dut_coverage, bool pcaps)
{
	char path[4096];
	json_t *s;
	bool ok = true;

	if (dut_coverage && !holds(run, "dut-coverage/coverage.json"))
		return false;
	if (!pcaps)
		return true;
	snprintf(path, sizeof(path), "%s/summary.json", run);
	s = json_load_file(path, 0, NULL);
	if (!s || json_object_get(json_object_get(s, "devices"), "9p"))
		ok = holds(run, RS_RESULTS_PCAP);
	json_decref(s);
	return ok;
}

/* Whether the point's earlier run can stand for a new one: OLD/NAME/summary.json says it
 * was ok, and it holds what this comparison asks of every run. */
static bool reusable(const struct rs_comparison *c, const char *old, const char *name)
{
	char path[4096];
	json_t *s;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s/summary.json", old, name);
	s = json_load_file(path, 0, NULL);
	ok = s && json_is_string(json_object_get(s, "status")) &&
	     !strcmp(json_string_value(json_object_get(s, "status")), "ok");
	json_decref(s);
	snprintf(path, sizeof(path), "%s/%s", old, name);
	return ok && rs_result_holds_asked(path, c->dut_coverage, c->pcap_args != NULL);
}

/* nftw() has no argument for its callback: the tree being linked. */
static struct {
	size_t from_len;
	const char *to;
} linking;

static int link_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	char dst[8192], target[4096];
	ssize_t n;

	(void)ftw;
	snprintf(dst, sizeof(dst), "%s%s", linking.to, path + linking.from_len);
	switch (flag) {
	case FTW_D:
		return mkdir(dst, st->st_mode & 07777) ? -1 : 0;
	case FTW_SL:
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			return -1;
		target[n] = '\0';
		return symlink(target, dst) ? -1 : 0;
	case FTW_F:
		return link(path, dst) ? -1 : 0;
	default:
		return -1;
	}
}

/* @from's tree as @to: its directories made again, its files hard links. */
static int link_tree(const char *from, const char *to)
{
	linking.from_len = strlen(from);
	linking.to = to;
	return nftw(from, link_entry, 16, FTW_PHYS);
}

int rs_link_result(const char *old, const char *tmp, const char *name, char *err,
		   size_t err_size)
{
	char from[4096], to[4096];

	snprintf(from, sizeof(from), "%s/%s", old, name);
	snprintf(to, sizeof(to), "%s/%s", tmp, name);
	if (link_tree(from, to)) {
		snprintf(err, err_size, "%s: cannot link it into %s: %s", from, tmp,
			 strerror(errno));
		return -1;
	}
	snprintf(from, sizeof(from), "%s/%s.log", old, name);
	snprintf(to, sizeof(to), "%s/%s.log", tmp, name);
	if (access(from, F_OK) == 0 && link(from, to)) {
		snprintf(err, err_size, "%s: cannot link it into %s: %s", from, tmp,
			 strerror(errno));
		return -1;
	}
	return 0;
}

long rs_comparison_resume(struct rs_comparison *c, const char *old, const char *tmp,
			  char *err, size_t err_size)
{
	long kept = 0;

	for (size_t i = 0; i < c->n_points; i++) {
		struct rs_point *pt = &c->points[i];

		if (pt->status || !reusable(c, old, pt->name))
			continue;
		if (rs_link_result(old, tmp, pt->name, err, err_size))
			return -1;
		pt->status = strdup("ok");
		if (!pt->status) {
			snprintf(err, err_size, "out of memory");
			return -1;
		}
		kept++;
	}
	return kept;
}
