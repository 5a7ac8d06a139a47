// SPDX-License-Identifier: GPL-2.0-only
/*
 * ringsim regress: every scenario found under the given paths, each run (and each of its
 * replications) in its own process with a time limit, judged by its own <expect>s and by
 * its golden (NAME.golden.json) when it has one; one line per scenario, JUnit XML on
 * request, and the closing "N passed, N failed".
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "golden.h"
#include "procpool.h"
#include "regress.h"
#include "results_dir.h"
#include "scenario.h"

struct regress_args {
	char **paths;
	size_t n_paths;
	const char *junit;
	const char *keep;
	int jobs;
	int replications;
	double timeout;
	bool update_golden;
};

static int parse_args(int argc, char **argv, struct regress_args *a)
{
	a->jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	a->jobs = a->jobs < 1 ? 1 : a->jobs;
	a->replications = 1;
	a->timeout = 300;
	a->paths = calloc((size_t)argc, sizeof(*a->paths));
	for (int i = 1; a->paths && i < argc; i++) {
		const char *arg = argv[i];
		bool value = !strcmp(arg, "--junit") || !strcmp(arg, "-j") ||
			     !strcmp(arg, "--replications") || !strcmp(arg, "--timeout") ||
			     !strcmp(arg, "-o");

		if (value && i + 1 >= argc) {
			fprintf(stderr, "ringsim regress: %s needs a value\n", arg);
			return -1;
		}
		if (!strcmp(arg, "--junit")) {
			a->junit = argv[++i];
		} else if (!strcmp(arg, "-o")) {
			a->keep = argv[++i];
		} else if (!strcmp(arg, "-j")) {
			a->jobs = atoi(argv[++i]);
		} else if (!strcmp(arg, "--replications")) {
			a->replications = atoi(argv[++i]);
		} else if (!strcmp(arg, "--timeout")) {
			a->timeout = atof(argv[++i]);
		} else if (!strcmp(arg, "--update-golden")) {
			a->update_golden = true;
		} else if (arg[0] == '-') {
			fprintf(stderr, "ringsim regress: unknown option '%s'; options: --junit FILE, "
				"-j N, --replications N, --timeout SECONDS, --update-golden, "
				"-o DIR\n", arg);
			return -1;
		} else {
			a->paths[a->n_paths++] = argv[i];
		}
	}
	if (!a->paths || !a->n_paths || a->jobs < 1 || a->replications < 1 ||
	    a->replications > 1000 || a->timeout <= 0) {
		fputs("usage: ringsim regress PATH... [--junit FILE] [-j N] [--replications N]\n"
		      "       [--timeout SECONDS] [--update-golden] [-o DIR]\n", stderr);
		return -1;
	}
	return 0;
}

/* A scenario file: .xml whose root element is <scenario> (sweeps and others are not). */
static bool is_scenario(const char *path)
{
	char head[2048];
	size_t n;
	FILE *f;

	if (strlen(path) < 5 || strcmp(path + strlen(path) - 4, ".xml"))
		return false;
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fread(head, 1, sizeof(head) - 1, f);
	fclose(f);
	head[n] = '\0';
	return strstr(head, "<scenario") != NULL;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every scenario under @path (a file or a directory, recursively), sorted per directory. */
static void find_scenarios(const char *path, struct rs_regress *r)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;

	if (stat(path, &st))
		return;
	if (!S_ISDIR(st.st_mode)) {
		if (is_scenario(path))
			rs_regress_add(r, path);
		return;
	}
	d = opendir(path);
	while (d && (e = readdir(d))) {
		char *child, **grown;

		if (e->d_name[0] == '.' || asprintf(&child, "%s/%s", path, e->d_name) < 0)
			continue;
		grown = realloc(names, (n + 1) * sizeof(*names));
		if (!grown) {
			free(child);
			break;
		}
		names = grown;
		names[n++] = child;
	}
	if (d)
		closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		find_scenarios(names[i], r);
		free(names[i]);
	}
	free(names);
}

int rs_cmd_regress(int argc, char **argv)
{
	struct regress_args a = { 0 };
	struct rs_regress r = { 0 };
	char self[4096], tmpl[] = "/tmp/ringsim-regress.XXXXXX";
	const char *dir;
	size_t failed;
	ssize_t len;

	if (parse_args(argc, argv, &a)) {
		free(a.paths);
		return RS_EXIT_USAGE;
	}
	for (size_t i = 0; i < a.n_paths; i++) {
		if (access(a.paths[i], F_OK)) {
			fprintf(stderr, "ringsim regress: %s: no such file or directory\n",
				a.paths[i]);
			free(a.paths);
			return RS_EXIT_USAGE;
		}
		find_scenarios(a.paths[i], &r);
	}
	free(a.paths);
	if (!r.n) {
		fputs("ringsim regress: no scenario found\n", stderr);
		return RS_EXIT_USAGE;
	}
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		return RS_EXIT_FAILED;
	self[len] = '\0';
	if (a.keep) {
		mkdir(a.keep, 0777);
		dir = a.keep;
	} else {
		dir = mkdtemp(tmpl);
	}
	if (!dir)
		return RS_EXIT_FAILED;
	r.self = self;
	r.dir = dir;
	r.replications = a.replications;
	r.timeout = a.timeout;
	r.update_golden = a.update_golden;
	rs_regress_run(&r, a.jobs);
	failed = rs_regress_report(&r, stdout);
	if (a.junit && rs_regress_junit(&r, a.junit))
		fprintf(stderr, "ringsim regress: %s: cannot write\n", a.junit);
	printf("%zu passed, %zu failed\n", r.n - failed, failed);
	if (!a.keep)
		rs_remove_tree(dir);
	rs_regress_free(&r);
	return failed ? RS_EXIT_FAILED : RS_EXIT_OK;
}
