// SPDX-License-Identifier: GPL-2.0-only
/* The source tree of a DUT build: the kind's files, a copy to patch, the patches. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dut_build_config.h"
#include "dutbuild/steps.h"

extern char **environ;

int path_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int tree_sources(struct dut_tree *t, const char *kind)
{
	char list[1024], *save = NULL;

	t->kind = kind;
	/* The common files, the kind's own, then the other kind's too: the object holds both
	 * tables, one of which is used. */
	const char *parts[] = { RS_DUT_SOURCES_COMMON,
				!strcmp(kind, "xen-blk") ? RS_DUT_SOURCES_BLK : RS_DUT_SOURCES_9P,
				!strcmp(kind, "xen-blk") ? RS_DUT_SOURCES_9P : RS_DUT_SOURCES_BLK };

	for (size_t p = 0; p < 3; p++) {
		path_fmt(list, sizeof(list), "%s", parts[p]);
		for (char *s = strtok_r(list, " ", &save); s && t->n_sources < 32;
		     s = strtok_r(NULL, " ", &save))
			if (!(t->sources[t->n_sources++] = strdup(s)))
				return -1;
		if (p == 0)
			t->n_common = t->n_sources;
		else if (p == 1)
			t->n_own = t->n_sources;
	}
	return 0;
}

void tree_free(struct dut_tree *t)
{
	for (size_t i = 0; i < t->n_sources; i++)
		free(t->sources[i]);
	t->n_sources = 0;
}

/*
 * Run @argv (no shell), its stdout and stderr into @log (created), or inherited when @log
 * is NULL. Return: its exit status, or -1 when it could not be started or died of a signal.
 */
int run_command(char *const argv[], const char *log)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status, rc;

	posix_spawn_file_actions_init(&fa);
	if (log) {
		posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log, O_WRONLY | O_CREAT |
						 O_TRUNC, 0644);
		posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
	}
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc) {
		errno = rc;
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	ssize_t n = 0;
	int in = open(from, O_RDONLY | O_CLOEXEC), out;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode & 0777);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			n = -1;
			break;
		}
	close(in);
	return close(out) || n < 0 ? -1 : 0;
}

/* nftw() has no argument for its callback: the copy in progress. */
static struct {
	size_t from_len;
	const char *to;
	int failed;
} copying;

static int copy_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *rel = path + copying.from_len;
	char dst[4096];

	(void)ftw;
	/* The fixes are patches for a copy like this one, not part of it. */
	if (!strcmp(rel, "/fixes") || !strncmp(rel, "/fixes/", 7))
		return 0;
	path_fmt(dst, sizeof(dst), "%s%s", copying.to, rel);
	if (type == FTW_D) {
		if (mkdir(dst, 0755) && errno != EEXIST)
			copying.failed = errno;
	} else if (type == FTW_F && copy_file(path, dst, st->st_mode)) {
		copying.failed = errno ? errno : EIO;
	}
	return copying.failed ? 1 : 0;
}

int tree_copy(const char *from, const char *to, char *err, size_t size)
{
	copying.from_len = strlen(from);
	copying.to = to;
	copying.failed = 0;
	if (nftw(from, copy_one, 16, FTW_PHYS) || copying.failed) {
		snprintf(err, size, "copying %s to %s: %s", from, to,
			 strerror(copying.failed ? copying.failed : errno));
		return -1;
	}
	return 0;
}

/* The first "+++ b/PATH" of @patch: whether its paths start at the repository root
 * (b/dut/xen-blkfront.c, as the fixes and `git diff` in a ringsim tree have them) rather
 * than at the DUT's directory (b/xen-blkfront.c, a `dut init` directory's). */
static int patch_from_root(const char *patch)
{
	FILE *f = fopen(patch, "r");
	char line[4096];
	int root = -1;

	if (!f)
		return -1;
	while (root < 0 && fgets(line, sizeof(line), f)) {
		const char *p = line + 4, *slash;

		if (strncmp(line, "+++ ", 4))
			continue;
		slash = strchr(p, '/');
		root = slash && !strncmp(slash + 1, "dut/", 4);
	}
	fclose(f);
	return root < 0 ? 0 : root;
}

/* Print to stderr what patch said (@log), then the hunks it could not place (@rej). */
static void show_failure(const char *log, const char *rej)
{
	const char *files[] = { log, rej };
	char line[4096];

	for (int i = 0; i < 2; i++) {
		FILE *f = fopen(files[i], "r");

		while (f && fgets(line, sizeof(line), f))
			fprintf(stderr, "%s%s", i ? "" : "patch: ", line);
		if (f)
			fclose(f);
	}
}

int tree_patch(const char *root, const char *patch, char *err, size_t size)
{
	int from_root = patch_from_root(patch);
	char dir[4096], log[4200], rej[4200];
	char *const argv[] = { "patch", "-p1", "--fuzz=0", "--batch", "--forward",
			       "--no-backup-if-mismatch", "-r", rej, "-d", dir, "-i",
			       (char *)patch, NULL };
	int rc;

	if (from_root < 0) {
		snprintf(err, size, "%s: %s", patch, strerror(errno));
		return -1;
	}
	path_fmt(dir, sizeof(dir), from_root ? "%s" : "%s/dut", root);
	path_fmt(log, sizeof(log), "%s/patch.log", root);
	path_fmt(rej, sizeof(rej), "%s/patch.rej", root);
	rc = run_command(argv, log);
	if (rc) {
		if (rc < 0)
			snprintf(err, size, "%s: cannot run patch: %s (scripts/install-deps.sh "
				 "installs it)", patch, strerror(errno));
		else
			snprintf(err, size, "%s: does not apply to the shipped DUT source "
				 "(--fuzz=0; the hunks above failed)", patch);
		if (rc > 0)
			show_failure(log, rej);
		return -1;
	}
	unlink(log);
	unlink(rej);
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

int tree_remove(const char *dir)
{
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
