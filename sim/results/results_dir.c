// SPDX-License-Identifier: GPL-2.0-only
#include "results/results_dir.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int mkdir_parents(const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

/* 1 if empty, 0 if not, -1 on error. */
static int dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			empty = 0;
			break;
		}
	closedir(d);
	return empty;
}

int rs_results_begin(struct rs_results_dir *rd, const char *dir, const char *marker,
		     struct rs_diag *diag)
{
	char marker_path[4096];
	struct stat st;

	if (!dir[0]) {
		rs_diag_add(diag, "-o: empty directory name");
		return -1;
	}
	if (stat(dir, &st) == 0) {
		snprintf(marker_path, sizeof(marker_path), "%s/%s", dir, marker);
		if (!S_ISDIR(st.st_mode)) {
			rs_diag_add(diag, "-o %s: exists and is not a directory", dir);
			return -1;
		}
		if (dir_is_empty(dir) == 0 && access(marker_path, F_OK)) {
			rs_diag_add(diag, "-o %s: exists and is not a ringsim results directory "
				    "(no %s); refusing to replace it", dir, marker);
			return -1;
		}
	}
	if (asprintf(&rd->dir, "%s", dir) < 0 ||
	    asprintf(&rd->tmp, "%s.tmp-%ld", dir, (long)getpid()) < 0) {
		rs_diag_add(diag, "out of memory");
		return -1;
	}
	if (mkdir_parents(rd->tmp) || mkdir(rd->tmp, 0777)) {
		rs_diag_add(diag, "-o %s: cannot create %s: %s", dir, rd->tmp, strerror(errno));
		free(rd->dir);
		free(rd->tmp);
		rd->dir = rd->tmp = NULL;
		return -1;
	}
	return 0;
}

int rs_results_write(const struct rs_results_dir *rd, const char *name, const char *text,
		     char *err, size_t err_size)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", rd->tmp, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) == EOF || fclose(f)) {
		snprintf(err, err_size, "%s: cannot write: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int rs_remove_tree(const char *path)
{
	return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int rs_results_commit(struct rs_results_dir *rd, char *err, size_t err_size)
{
	char *old = NULL;

	/* An earlier result under the same name steps aside, and goes once the new one is in. */
	if (access(rd->dir, F_OK) == 0 &&
	    (asprintf(&old, "%s.old-%ld", rd->dir, (long)getpid()) < 0 || rename(rd->dir, old))) {
		snprintf(err, err_size, "%s: cannot replace: %s", rd->dir, strerror(errno));
		free(old);
		rs_results_abort(rd);
		return -1;
	}
	if (rename(rd->tmp, rd->dir)) {
		snprintf(err, err_size, "%s: cannot rename %s to it: %s", rd->dir, rd->tmp,
			 strerror(errno));
		if (old)
			rename(old, rd->dir);
		free(old);
		rs_results_abort(rd);
		return -1;
	}
	if (old)
		rs_remove_tree(old);
	free(old);
	free(rd->tmp);
	free(rd->dir);
	rd->tmp = rd->dir = NULL;
	return 0;
}

void rs_results_abort(struct rs_results_dir *rd)
{
	if (rd->tmp)
		rs_remove_tree(rd->tmp);
	free(rd->tmp);
	free(rd->dir);
	rd->tmp = rd->dir = NULL;
}
