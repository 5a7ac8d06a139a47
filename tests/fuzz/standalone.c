// SPDX-License-Identifier: GPL-2.0-only
/*
 * A main for builds without libFuzzer: every file given, and every file under each
 * directory given, is one input, run once. Options (-runs=0, ...) are libFuzzer's: ignored.
 * Exit 0 when every input ran; an input that finds a bug aborts (or a sanitizer stops it).
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "fuzz.h"

static size_t runs;

static int run_file(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	uint8_t *data;
	FILE *f;
	size_t n;

	(void)ftw;
	if (flag != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	f = fopen(path, "rb");
	data = malloc((size_t)st->st_size + 1);
	if (!f || !data) {
		perror(path);
		exit(1);
	}
	n = fread(data, 1, (size_t)st->st_size, f);
	fclose(f);
	fprintf(stderr, "fuzz: %s\n", path);
	LLVMFuzzerTestOneInput(data, n);
	free(data);
	runs++;
	return 0;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		if (nftw(argv[i], run_file, 16, FTW_PHYS)) {
			perror(argv[i]);
			return 1;
		}
	}
	fprintf(stderr, "fuzz: %zu inputs, each run once\n", runs);
	return 0;
}
