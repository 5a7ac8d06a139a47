// SPDX-License-Identifier: GPL-2.0-only
/* The targets' scratch directory, and writing an input's bytes into it. */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz.h"

static char dir[64];

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void rm_dir(void)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *rs_fuzz_dir(void)
{
	if (dir[0])
		return dir;
	snprintf(dir, sizeof(dir), "%s", "/tmp/ringsim-fuzz-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("fuzz: mkdtemp");
		abort();
	}
	atexit(rm_dir);
	return dir;
}

int rs_fuzz_write(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f)) {
		perror(path);
		abort();
	}
	return 0;
}

void rs_fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: fuzz: invariant does not hold: %s\n", file, line, what);
	abort();
}
