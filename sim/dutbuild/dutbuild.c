// SPDX-License-Identifier: GPL-2.0-only
/* dutbuild: a DUT spec made into a loadable object, through the cache (dutbuild.h). */
#include "dutbuild/dutbuild.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dut_build_config.h"
#include "dutbuild/steps.h"
#include "scenario/dut_names.h"

#define MAX_PATCHES 16

static bool exists(const char *dir, const char *name)
{
	char path[8192];

	path_fmt(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

/* BINDIR/../share/... as /usr/share/...: the paths compilers and backtraces will name. */
static int canonical(char *path, size_t size)
{
	char *real = realpath(path, NULL);
	int rc = real ? path_fmt(path, size, "%s", real) : -1;

	free(real);
	return rc;
}

int rs_dut_source_dirs(char *dut, char *include, size_t size)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	/* Installed: BINDIR/../share/ringsim/dut and BINDIR/../include/ringsim. */
	if (n > 0) {
		self[n] = '\0';
		dirname(self);
		path_fmt(dut, size, "%s/%s", self, RS_DUT_INSTALLED_DUT);
		path_fmt(include, size, "%s/%s", self, RS_DUT_INSTALLED_INCLUDE);
		if (exists(dut, "dut_ops.h") && exists(include, "linux"))
			return canonical(dut, size) || canonical(include, size);
	}
	/* Run from its build tree: the sources it was built from. */
	path_fmt(dut, size, "%s/dut", RS_DUT_SOURCE_TREE);
	path_fmt(include, size, "%s/kshim/include", RS_DUT_SOURCE_TREE);
	return exists(dut, "dut_ops.h") && exists(include, "linux") ? 0 : -1;
}

/* $RINGSIM_CACHE_DIR, $XDG_CACHE_HOME/ringsim or ~/.cache/ringsim, then dut/, made. */
static int cache_dir(char *out, size_t size, char *err, size_t err_size)
{
	const char *env = getenv("RINGSIM_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	char path[4096];

	if (env && *env)
		path_fmt(path, sizeof(path), "%s", env);
	else if (xdg && *xdg)
		path_fmt(path, sizeof(path), "%s/ringsim", xdg);
	else if (home && *home)
		path_fmt(path, sizeof(path), "%s/.cache/ringsim", home);
	else
		path_fmt(path, sizeof(path), "/tmp/ringsim-cache-%d", (int)getuid());
	path_fmt(out, size, "%s/dut", path);
	/* mkdir -p, one level at a time */
	for (char *p = out + 1; ; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(out, 0755) && errno != EEXIST) {
			snprintf(err, err_size, "the DUT cache %s: %s (set RINGSIM_CACHE_DIR to a "
				 "writable directory)", out, strerror(errno));
			return -1;
		}
		*p = c;
		if (!c)
			return 0;
	}
}

/* The patches of @spec in order: an upstream's fixes, then each +FIX or +PATCH. */
static int spec_patches(const char *kind, const char *spec, const char *dut,
			char *patches[MAX_PATCHES], size_t *n, char *err, size_t size)
{
	char *copy = strdup(spec), *save = NULL;
	const struct rs_dut_fix *fix;
	bool first = true;

	*n = 0;
	if (!copy)
		return -1;
	for (char *tok = strtok_r(copy, "+", &save); tok; tok = strtok_r(NULL, "+", &save)) {
		const char *list = NULL;
		char *names = NULL, *save2 = NULL;

		if (first && !strcmp(tok, "upstream")) {
			fix = rs_dut_fix_find(kind, "upstream");
			list = fix ? fix->patch : "";
		} else if (first) {
			first = false;
			continue; /* seed */
		}
		first = false;
		if (!list && tok[0] == '/') {
			if (*n < MAX_PATCHES)
				patches[(*n)++] = strdup(tok);
			continue;
		}
		names = strdup(list ? list : tok);
		for (char *name = strtok_r(names, "+", &save2); name && *n < MAX_PATCHES;
		     name = strtok_r(NULL, "+", &save2)) {
			fix = rs_dut_fix_find(kind, name);
			if (!fix) {
				snprintf(err, size, "%s has no fix '%s'", kind, name);
				free(names);
				free(copy);
				return -1;
			}
			if (asprintf(&patches[(*n)++], "%s/fixes/%s", dut, fix->patch) < 0)
				patches[--(*n)] = NULL;
		}
		free(names);
	}
	free(copy);
	return 0;
}

/* A user's file: the whole tree it sits in, when that is a DUT tree (`ringsim dut init`),
 * else the one shipped source of the same name. */
static int user_file(struct dut_tree *t, const char *file, char *err, size_t size)
{
	char dir[4096];
	const char *base = strrchr(file, '/') + 1;

	path_fmt(dir, sizeof(dir), "%s", file);
	dirname(dir);
	if (exists(dir, "dut_ops.h") && exists(dir, "guest")) {
		path_fmt(t->dut, sizeof(t->dut), "%s", dir);
		return 0;
	}
	for (size_t i = 0; i < t->n_sources; i++) {
		const char *s = t->sources[i], *sb = strrchr(s, '/') ? strrchr(s, '/') + 1 : s;

		if (!strcmp(sb, base)) {
			t->override = s;
			path_fmt(t->override_path, sizeof(t->override_path), "%s", file);
			return 0;
		}
	}
	snprintf(err, size, "%s: not one of the DUT's sources", file);
	return -1;
}

/* What the cached object was built from, for whoever looks into the cache. */
static void write_origin(const char *dir, const char *kind, const char *spec, bool coverage)
{
	char path[4200];
	FILE *f;

	path_fmt(path, sizeof(path), "%s/origin.txt", dir);
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "kind %s\nspec %s\ncoverage %s\n", kind, spec, coverage ? "yes" : "no");
		fclose(f);
	}
}

static int build_locked(struct dut_tree *t, const char *cache, const char *spec,
			char *const *patches, size_t n_patches, bool coverage, char **object,
			char *err, size_t size)
{
	char work[4200], dir[4200], hex[65], so[4300], src[4300];
	bool copied = n_patches > 0;

	/* A copy to patch, assembled first: the hash is of what will be compiled. */
	if (copied) {
		path_fmt(work, sizeof(work), "%s/tmp.XXXXXX", cache);
		if (!mkdtemp(work)) {
			snprintf(err, size, "%s: %s", work, strerror(errno));
			return -1;
		}
		path_fmt(src, sizeof(src), "%s/dut", work);
		if (mkdir(src, 0755) || tree_copy(t->dut, src, err, size))
			goto fail;
		for (size_t i = 0; i < n_patches; i++)
			if (tree_patch(work, patches[i], err, size))
				goto fail;
		path_fmt(t->dut, sizeof(t->dut), "%s", src);
	}
	if (tree_hash(t, coverage, hex)) {
		snprintf(err, size, "reading the DUT sources: %s", strerror(errno));
		goto fail;
	}
	path_fmt(dir, sizeof(dir), "%s/%.32s", cache, hex);
	path_fmt(so, sizeof(so), "%s/dut.so", dir);
	if (access(so, R_OK)) {
		/* Not built, or a build that died half way: from scratch. */
		if (access(dir, F_OK) == 0)
			tree_remove(dir);
		if (mkdir(dir, 0755)) {
			snprintf(err, size, "%s: %s", dir, strerror(errno));
			goto fail;
		}
		/* The patched tree lives beside its object: backtraces and coverage name it. */
		if (copied) {
			path_fmt(src, sizeof(src), "%s/src", dir);
			if (rename(t->dut, src)) {
				snprintf(err, size, "%s: %s", src, strerror(errno));
				goto fail;
			}
			path_fmt(t->dut, sizeof(t->dut), "%s", src);
		}
		write_origin(dir, t->kind, spec, coverage);
		if (tree_compile(t, coverage, dir, err, size)) {
			tree_remove(dir);
			goto fail;
		}
	}
	if (copied)
		tree_remove(work);
	*object = strdup(so);
	return *object ? 0 : -1;
fail:
	if (copied)
		tree_remove(work);
	return -1;
}

int rs_dut_build(const char *kind, const char *spec, bool coverage, char **object, char *err,
		 size_t size)
{
	struct dut_tree t = { 0 };
	char cache[4096], lock[4200];
	char *patches[MAX_PATCHES] = { NULL };
	size_t n_patches = 0, len = strlen(spec);
	int fd, rc = -1;

	*object = NULL;
	err[0] = '\0';
	if (len > 3 && !strcmp(spec + len - 3, ".so")) {
		if (coverage) {
			snprintf(err, size, "%s: --dut-coverage needs a DUT ringsim compiles (a "
				 "name, a .c file or a patch), not a prebuilt object", spec);
			return -1;
		}
		*object = strdup(spec);
		return *object ? 0 : -1;
	}
	if (rs_dut_spec_is_builtin(spec) && !coverage)
		return 0;
	if (rs_dut_source_dirs(t.dut, t.include, sizeof(t.dut))) {
		snprintf(err, size, "the DUT sources are not installed (looked for %s and kshim's "
			 "headers %s)", t.dut, t.include);
		return -1;
	}
	if (tree_sources(&t, kind))
		return -1;
	if (len > 2 && !strcmp(spec + len - 2, ".c") ? user_file(&t, spec, err, size) :
	    spec_patches(kind, spec, t.dut, patches, &n_patches, err, size))
		goto out;
	if (cache_dir(cache, sizeof(cache), err, size))
		goto out;
	/* One build at a time per cache: parallel runs of one spec build it once. */
	path_fmt(lock, sizeof(lock), "%s/.lock", cache);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX)) {
		snprintf(err, size, "%s: %s", lock, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	rc = build_locked(&t, cache, spec, patches, n_patches, coverage, object, err, size);
	close(fd);
out:
	for (size_t i = 0; i < n_patches; i++)
		free(patches[i]);
	tree_free(&t);
	return rc;
}

int rs_dut_copy_tree(const char *from, const char *to, char *err, size_t size)
{
	return tree_copy(from, to, err, size);
}
