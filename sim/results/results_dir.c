// SPDX-License-Identifier: GPL-2.0-only
#include "results/results_dir.h"
#include "results/manifest.h"

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

	if (strlen(path) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, path, strlen(path) + 1);
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

/*
 * The entries under the directory @dir that ringsim did not write: those its manifest does
 * not list; before manifests (it holds @marker), the top-level names no result has; in a
 * directory with neither, everything (none when empty). *@ours tells which of the three it
 * was: 1 manifest, 2 marker, 0 neither.
 * Return: 0, or -1 (errno set) when it cannot be read.
 */
static int find_foreign(const char *dir, const char *marker, struct rs_paths *foreign,
			int *ours)
{
	struct rs_paths listed = { 0 };
	char path[4200];
	int rc;

	rc = rs_manifest_read(dir, &listed);
	if (rc < 0) {
		rs_paths_free(&listed);
		return -1;
	}
	*ours = rc;
	if (rc == 0 && marker) {
		snprintf(path, sizeof(path), "%s/%s", dir, marker);
		if (access(path, F_OK) == 0) {
			*ours = 2;
			return rs_legacy_foreign(dir, foreign);
		}
	}
	rc = rs_manifest_foreign(dir, &listed, foreign);
	rs_paths_free(&listed);
	return rc;
}

/* "notes.txt, mydata/ (3 more)" */
static void say_paths(char *buf, size_t size, const struct rs_paths *p)
{
	const size_t shown = 5;
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < p->n && i < shown && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", p->v[i]);
	if (p->n > shown && len < size)
		snprintf(buf + len, size - len, " (%zu more)", p->n - shown);
}

/* -o DIR when DIR is a symbolic link: refused, whatever it points to. */
static void refuse_link(const char *dir, struct rs_diag *diag)
{
	char target[4096];
	ssize_t n = readlink(dir, target, sizeof(target) - 1);
	struct stat st;

	target[n > 0 ? n : 0] = '\0';
	if (stat(dir, &st))
		rs_diag_add(diag, "-o %s: is a symbolic link to %s, which does not exist", dir,
			    target);
	else
		rs_diag_add(diag, "-o %s: is a symbolic link to %s; ringsim replaces a results "
			    "directory, not a link to one: give -o %s, or another name", dir,
			    target, target);
}

/* An existing @dir: may it be replaced? 0 yes, -1 no with @diag set. */
static int check_existing(const struct rs_results_dir *rd, const char *dir,
			  const char *marker, struct rs_diag *diag)
{
	struct rs_paths foreign = { 0 };
	char names[1024];
	int ours;

	if (find_foreign(dir, marker, &foreign, &ours)) {
		rs_diag_add(diag, "-o %s: cannot read it: %s", dir, strerror(errno));
		return -1;
	}
	if (!ours && foreign.n) {
		rs_diag_add(diag, "-o %s: exists and is not a ringsim results directory "
			    "(no %s%s%s); refusing to replace it", dir, RS_MANIFEST_NAME,
			    marker ? " nor " : "", marker ? marker : "");
		rs_paths_free(&foreign);
		return -1;
	}
	if (foreign.n && !rd->force) {
		say_paths(names, sizeof(names), &foreign);
		rs_diag_add(diag, "-o %s: holds files ringsim did not write: %s; move them, "
			    "choose another -o, or pass --force to keep them in the new results",
			    dir, names);
		rs_paths_free(&foreign);
		return -1;
	}
	rs_paths_free(&foreign);
	return 0;
}

int rs_results_begin(struct rs_results_dir *rd, const char *dir, const char *marker,
		     struct rs_diag *diag)
{
	struct stat st;
	size_t len = strlen(dir);

	if (!dir[0]) {
		rs_diag_add(diag, "-o: empty directory name");
		return -1;
	}
	/* "out/" is "out": DIR.tmp-PID must be a sibling, not "out/.tmp-PID" inside it. */
	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (asprintf(&rd->dir, "%.*s", (int)len, dir) < 0 ||
	    asprintf(&rd->tmp, "%s.tmp-%ld", rd->dir, (long)getpid()) < 0 ||
	    (marker && !(rd->marker = strdup(marker)))) {
		rs_diag_add(diag, "out of memory");
		goto fail;
	}
	if (lstat(rd->dir, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			refuse_link(rd->dir, diag);
			goto fail;
		}
		if (!S_ISDIR(st.st_mode)) {
			rs_diag_add(diag, "-o %s: exists and is not a directory", rd->dir);
			goto fail;
		}
		if (check_existing(rd, rd->dir, marker, diag))
			goto fail;
	} else if (errno != ENOENT) {
		rs_diag_add(diag, "-o %s: %s", rd->dir, strerror(errno));
		goto fail;
	}
	if (mkdir_parents(rd->tmp) || mkdir(rd->tmp, 0777)) {
		rs_diag_add(diag, "-o %s: cannot create %s: %s", rd->dir, rd->tmp,
			    strerror(errno));
		goto fail;
	}
	return 0;
fail:
	free(rd->dir);
	free(rd->tmp);
	free(rd->marker);
	rd->dir = rd->tmp = rd->marker = NULL;
	return -1;
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

/* @path without its trailing '/' (a directory's entry in a manifest), in @buf. */
static const char *entry_path(char *buf, size_t size, const char *top, const char *rel)
{
	size_t n = strlen(rel);

	snprintf(buf, size, "%s/%.*s", top, (int)(n && rel[n - 1] == '/' ? n - 1 : n), rel);
	return buf;
}

/* 1 when @rel, or a directory it would go into, names something that is not a directory,
 * under @tmp: the new result already has an entry there. */
static int collides(const char *tmp, const char *rel)
{
	char path[8192];
	struct stat st;
	size_t top = strlen(tmp) + 1;

	entry_path(path, sizeof(path), tmp, rel);
	if (lstat(path, &st) == 0)
		return 1;
	for (char *p = path + top; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (lstat(path, &st) == 0 && !S_ISDIR(st.st_mode))
			return 1;
		*p = '/';
	}
	return 0;
}

/* Move the first @n of @p from @from into @to (creating the directories they go into).
 * Return: how many were moved; all @n, or fewer with errno set. */
static size_t move_entries(const struct rs_paths *p, size_t n, const char *from,
			   const char *to)
{
	char src[8192], dst[8192];
	size_t i;

	for (i = 0; i < n; i++) {
		entry_path(src, sizeof(src), from, p->v[i]);
		entry_path(dst, sizeof(dst), to, p->v[i]);
		if (mkdir_parents(dst) || rename(src, dst))
			break;
	}
	return i;
}

/* Put back what move_entries() moved from @from to @to. */
static void unmove_entries(const struct rs_paths *p, size_t n, const char *from,
			   const char *to)
{
	int saved = errno;

	move_entries(p, n, to, from);
	errno = saved;
}

/*
 * The user's entries in the earlier result at @rd->dir (none when there is none), checked
 * against the new result's names.
 * Return: 0, RS_RESULTS_REFUSED on a clash, -1 when @rd->dir cannot be read; @err set.
 */
static int foreign_to_carry(const struct rs_results_dir *rd, struct rs_paths *foreign,
			    char *err, size_t err_size)
{
	struct rs_paths clash = { 0 };
	char names[1024];
	struct stat st;
	int ours;

	if (lstat(rd->dir, &st) || !S_ISDIR(st.st_mode))
		return 0;
	if (find_foreign(rd->dir, rd->marker, foreign, &ours)) {
		snprintf(err, err_size, "%s: cannot read it: %s", rd->dir, strerror(errno));
		return -1;
	}
	clash.v = calloc(foreign->n ? foreign->n : 1, sizeof(*clash.v));
	if (!clash.v) {
		snprintf(err, err_size, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < foreign->n; i++)
		if (collides(rd->tmp, foreign->v[i]))
			clash.v[clash.n++] = foreign->v[i];
	if (!clash.n) {
		free(clash.v);
		return 0;
	}
	say_paths(names, sizeof(names), &clash);
	snprintf(err, err_size, "-o %s: ringsim did not write %s, and the new results hold "
		 "the same name%s; move %s or choose another -o (no results written)", rd->dir,
		 names, clash.n > 1 ? "s" : "", clash.n > 1 ? "them" : "it");
	free(clash.v); /* the paths are @foreign's */
	return RS_RESULTS_REFUSED;
}

int rs_results_commit(struct rs_results_dir *rd, char *err, size_t err_size)
{
	struct rs_paths foreign = { 0 };
	size_t moved = 0;
	char *old = NULL;
	int rc;

	rc = foreign_to_carry(rd, &foreign, err, err_size);
	if (!rc && rs_manifest_write(rd->tmp, err, err_size))
		rc = -1;
	if (rc)
		goto fail;
	rc = -1;
	/* The user's files go into the new result before the swap, so none is removed. */
	moved = move_entries(&foreign, foreign.n, rd->dir, rd->tmp);
	if (moved < foreign.n) {
		snprintf(err, err_size, "%s/%s: cannot move it into the new results: %s", rd->dir,
			 foreign.v[moved], strerror(errno));
		unmove_entries(&foreign, moved, rd->dir, rd->tmp);
		goto fail;
	}
	/* An earlier result under the same name steps aside, and goes once the new one is in. */
	if (access(rd->dir, F_OK) == 0 &&
	    (asprintf(&old, "%s.old-%ld", rd->dir, (long)getpid()) < 0 || rename(rd->dir, old))) {
		snprintf(err, err_size, "%s: cannot replace: %s", rd->dir, strerror(errno));
		unmove_entries(&foreign, moved, rd->dir, rd->tmp);
		goto fail;
	}
	if (rename(rd->tmp, rd->dir)) {
		snprintf(err, err_size, "%s: cannot rename %s to it: %s", rd->dir, rd->tmp,
			 strerror(errno));
		if (old)
			rename(old, rd->dir);
		unmove_entries(&foreign, moved, rd->dir, rd->tmp);
		goto fail;
	}
	if (old)
		rs_remove_tree(old);
	free(old);
	rs_paths_free(&foreign);
	free(rd->tmp);
	free(rd->dir);
	free(rd->marker);
	rd->tmp = rd->dir = rd->marker = NULL;
	return 0;
fail:
	free(old);
	rs_paths_free(&foreign);
	rs_results_abort(rd);
	return rc;
}

void rs_results_abort(struct rs_results_dir *rd)
{
	if (rd->tmp)
		rs_remove_tree(rd->tmp);
	free(rd->tmp);
	free(rd->dir);
	free(rd->marker);
	rd->tmp = rd->dir = rd->marker = NULL;
}

size_t rs_results_holding(char *const *runs, size_t n, const char *name)
{
	size_t found = 0;
	char path[4200];

	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%.4000s/%s", runs[i], name);
		found += access(path, F_OK) == 0;
	}
	return found;
}
