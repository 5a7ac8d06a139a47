// SPDX-License-Identifier: GPL-2.0-only
/*
 * ringsim regress: every scenario found under the given paths, each run (and each of its
 * replications) in its own process with a time limit, judged by its own <expect>s and by
 * its golden (NAME.golden.json) when it has one; one line per scenario, JUnit XML on
 * request, and the closing "N passed, N failed".
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli.h"
#include "coverage/coverage.h"
#include "engine/engine.h"
#include "regress/golden.h"
#include "compare/procpool.h"
#include "regress/regress.h"
#include "compare/exec.h"
#include "results/manifest.h"
#include "results/results_dir.h"
#include "scenario/scenario.h"

#define MAX_SETS 256

struct regress_args {
	char *sets[MAX_SETS];   /* --set PATH=VALUE, for every scenario */
	size_t n_sets;
	char **paths;
	size_t n_paths;
	const char *junit;
	const char *keep;
	int jobs;
	int replications;
	double timeout;
	bool update_golden;
	bool force;             /* --force: keep the user's files in -o DIR */
	bool coverage;          /* --dut-coverage */
	char gcov[4096];
	struct rs_cli_pcap pcap; /* --pcaps: each run's 9P capture */
	struct rs_cli_exec exec; /* --executor, --slurm-args, --resume */
};

/* --executor, --slurm-args and --resume. Return: 0, or -1 after the usage error. */
static int check_exec_args(struct regress_args *a)
{
	char err[1024], path[4096];
	struct stat st;

	if (a->exec.resume && a->keep) {
		rs_cli_usage_error("regress", "--resume %s writes the suite back there; give it "
				   "or -o, not both", a->exec.resume);
		return -1;
	}
	if (a->exec.resume) {
		snprintf(path, sizeof(path), "%s/%s", a->exec.resume, RS_MANIFEST_NAME);
		if (stat(a->exec.resume, &st) || !S_ISDIR(st.st_mode) || access(path, R_OK)) {
			rs_cli_usage_error("regress", "--resume %s: no suite there (no %s "
					   "of regress -o); start one with -o %s", a->exec.resume,
					   RS_MANIFEST_NAME, a->exec.resume);
			return -1;
		}
		a->keep = a->exec.resume;
	}
	if (a->exec.slurm_args && a->exec.executor != RS_EXEC_SLURM) {
		rs_cli_usage_error("regress", "--slurm-args is for --executor slurm; give both, "
				   "or neither");
		return -1;
	}
	/* Without -o the runs go to a directory under /tmp, which nodes do not share. */
	if (a->exec.executor == RS_EXEC_SLURM && !a->keep) {
		rs_cli_usage_error("regress", "--executor slurm needs -o DIR, on a filesystem "
				   "the nodes share (the runs are written there)");
		return -1;
	}
	if (rs_exec_check(a->exec.executor, err, sizeof(err))) {
		rs_cli_usage_error("regress", "%s", err);
		return -1;
	}
	return 0;
}

/* Return: -1 to go on, or the exit code to return (0 after --help). */
static int parse_args(int argc, char **argv, struct regress_args *a)
{
	static const struct option opts[] = {
		{ "junit", required_argument, NULL, 'J' },
		{ "set", required_argument, NULL, 's' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "replications", required_argument, NULL, 'r' },
		{ "timeout", required_argument, NULL, 't' },
		{ "update-golden", no_argument, NULL, 'u' },
		{ "dut-coverage", no_argument, NULL, 'C' },
		{ "pcap", optional_argument, NULL, RS_OPT_PCAP },
		RS_CLI_PCAP_OPTIONS,
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		RS_CLI_EXEC_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	char *end;
	int c;

	a->jobs = n < 1 ? 1 : (int)n;
	a->replications = 1;
	a->timeout = 300;
	a->pcap.where = "-o DIR/CASE-REPLICATION";
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":j:o:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (a->n_sets == MAX_SETS)
				return rs_cli_usage_error("regress", "more than %d --set", MAX_SETS);
			a->sets[a->n_sets++] = optarg;
			break;
		case 'J':
			a->junit = optarg;
			break;
		case 'o':
			a->keep = optarg;
			break;
		case 'j':
			if (rs_cli_count("regress", "-j", optarg, 1, 256, &n))
				return RS_EXIT_USAGE;
			a->jobs = (int)n;
			break;
		case 'r':
			if (rs_cli_count("regress", "--replications", optarg, 1, 1000, &n))
				return RS_EXIT_USAGE;
			a->replications = (int)n;
			break;
		case 't':
			a->timeout = strtod(optarg, &end);
			if (end == optarg || *end || !(a->timeout > 0 && a->timeout <= 86400))
				return rs_cli_usage_error("regress", "--timeout %s: expected seconds, "
							  "more than 0 and at most 86400", optarg);
			break;
		case 'u':
			a->update_golden = true;
			break;
		case 'C':
			a->coverage = true;
			break;
		case RS_OPT_PCAP:
		case RS_OPT_PCAPS:
		case RS_OPT_PCAP_SNAPLEN:
		case RS_OPT_PCAP_LINK:
			if (rs_cli_pcap_option("regress", c, optarg, &a->pcap))
				return RS_EXIT_USAGE;
			break;
		case 'F':
			a->force = true;
			break;
		case 'E':
		case 'S':
		case 'R':
			if (rs_cli_exec_option("regress", c, optarg, &a->exec))
				return RS_EXIT_USAGE;
			break;
		case 'h':
			fputs(rs_help_regress, stdout);
			return RS_EXIT_OK;
		default:
			return rs_cli_bad_option("regress", argv, c, opts);
		}
	}
	if (a->coverage && rs_cli_dut_coverage("regress", a->gcov, sizeof(a->gcov)))
		return RS_EXIT_USAGE;
	if (check_exec_args(a) || rs_cli_pcap_check("regress", &a->pcap))
		return RS_EXIT_USAGE;
	/* Without -o the runs' directories are removed at the end, their captures too. */
	if (a->pcap.each && !a->keep)
		return rs_cli_usage_error("regress", "--pcaps writes each run's capture into "
					  "DIR/CASE-REPLICATION/%s; give -o DIR to keep them",
					  RS_RESULTS_PCAP);
	a->paths = argv + optind;
	a->n_paths = (size_t)(argc - optind);
	if (!a->n_paths)
		return rs_cli_usage_error("regress", "give at least one PATH (a scenario or a "
					  "directory of them)");
	return -1;
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

/*
 * The DUTs the suite runs, built (or found in the cache) once here, before any run: a
 * driver file that does not compile or a patch that does not apply stops the suite with
 * the compiler's or patch's messages, exit 2, nothing run.
 */
static int check_duts(const struct rs_regress *r)
{
	char err[4096];

	for (size_t i = 0; i < r->n; i++) {
		struct rs_diag diag = { 0 };
		struct rs_scenario *s;
		int bad;

		if (r->cases[i].load_error)
			continue;
		s = rs_scenario_load(r->cases[i].file, NULL, 0, r->sets, r->n_sets, &diag);
		rs_diag_clear(&diag);
		bad = s && rs_engine_check_dut(s, err, sizeof(err));
		rs_scenario_free(s);
		if (bad) {
			fprintf(stderr, "ringsim: %s\n", err);
			return -1;
		}
	}
	return 0;
}

/*
 * -o DIR: the runs go into DIR.tmp-PID, renamed onto DIR at the end like a run's results
 * (a suite has no marker of its own: an earlier suite's DIR needs its manifest). Without
 * -o they go into a temporary directory, removed at the end.
 * Return: where the runs go, or NULL after saying why (*@rc the exit code).
 */
static const char *runs_dir(const struct regress_args *a, struct rs_results_dir *rd,
			    char *tmpl, int *rc)
{
	struct rs_diag diag = { 0 };
	const char *dir;

	if (!a->keep) {
		dir = mkdtemp(tmpl);
		*rc = RS_EXIT_FAILED;
		return dir;
	}
	rd->force = a->force;
	if (rs_results_begin(rd, a->keep, NULL, &diag)) {
		rs_diag_print(&diag, stderr);
		rs_diag_clear(&diag);
		*rc = RS_EXIT_USAGE;
		return NULL;
	}
	return rd->tmp;
}

/* --junit FILE: a FILE under -o DIR is written into DIR.tmp-PID, so that it is in DIR's
 * manifest (and replaced next time, not refused as the user's). */
static char *junit_path(const struct regress_args *a, const struct rs_results_dir *rd)
{
	size_t n = a->keep ? strlen(rd->dir) : 0;
	char *p;

	if (a->keep && !strncmp(a->junit, rd->dir, n) && a->junit[n] == '/')
		return asprintf(&p, "%s%s", rd->tmp, a->junit + n) < 0 ? NULL : p;
	return strdup(a->junit);
}

/* --pcaps: where the runs' captures are, once -o DIR is in place. */
static void print_pcaps(const struct rs_regress *r, const char *dir)
{
	size_t total = r->n * (size_t)r->replications, n = 0;
	char **runs = calloc(total ? total : 1, sizeof(*runs));

	for (size_t i = 0; runs && i < r->n; i++)
		for (int k = 0; k < r->replications; k++)
			if (asprintf(&runs[n], "%s/%zu-%d", dir, i, k) >= 0)
				n++;
	printf("pcaps: %s/CASE-REPLICATION/%s, %zu of %zu runs\n", dir, RS_RESULTS_PCAP,
	       runs ? rs_results_holding(runs, n, RS_RESULTS_PCAP) : 0, total);
	for (size_t i = 0; i < n; i++)
		free(runs[i]);
	free(runs);
}

/* -o DIR: the suite's runs onto DIR. Return: 0, or the exit code after saying why. */
static int keep_runs(struct rs_results_dir *rd)
{
	char err[4096] = "";
	int rc = rs_results_commit(rd, err, sizeof(err));

	if (!rc)
		return RS_EXIT_OK;
	fprintf(stderr, "ringsim regress: %s\n", err);
	return rc == RS_RESULTS_REFUSED ? RS_EXIT_USAGE : RS_EXIT_FAILED;
}

int rs_cmd_regress(int argc, char **argv)
{
	struct regress_args a = { 0 };
	struct rs_regress r = { 0 };
	struct rs_results_dir rd = { 0 };
	char self[4096], tmpl[] = "/tmp/ringsim-regress.XXXXXX";
	const char *dir;
	size_t failed;
	int kept;
	struct rs_exec ex = { .who = "regress" };
	char *abs_dir = NULL;

	int rc = parse_args(argc, argv, &a);

	if (rc >= 0)
		return rc;
	r.sets = a.sets;
	r.n_sets = a.n_sets;
	for (size_t i = 0; i < a.n_paths; i++) {
		if (access(a.paths[i], R_OK)) {
			fprintf(stderr, "%s: %s\n", a.paths[i], strerror(errno));
			rs_regress_free(&r);
			return RS_EXIT_USAGE;
		}
		find_scenarios(a.paths[i], &r);
	}
	if (!r.n) {
		fputs("ringsim regress: no scenario found\n", stderr);
		return RS_EXIT_USAGE;
	}
	/* The DUTs the runs will load, built now (instrumented with --dut-coverage): a file
	 * that does not compile stops the suite before it starts. */
	rs_engine_set_dut_coverage(a.coverage);
	if (check_duts(&r)) {
		rs_regress_free(&r);
		return RS_EXIT_USAGE;
	}
	if (rs_cli_self(self, sizeof(self)))
		return RS_EXIT_FAILED;
	/* From the runs' directory on, a signal stops the runs; what ended is still judged
	 * (and with -o DIR, kept there). */
	rs_cli_catch_stop();
	dir = runs_dir(&a, &rd, tmpl, &rc);
	if (!dir) {
		rs_regress_free(&r);
		return rc;
	}
	r.self = self;
	r.dir = dir;
	/* A Slurm task starts in sbatch's --chdir, which --slurm-args may change. */
	if (a.exec.executor == RS_EXEC_SLURM && !(r.dir = abs_dir = realpath(dir, NULL)))
		r.dir = dir;
	r.replications = a.replications;
	r.timeout = a.timeout;
	r.update_golden = a.update_golden;
	r.coverage = a.coverage;
	r.pcap_args = rs_cli_pcap_args(&a.pcap);
	r.resume = a.exec.resume ? rd.dir : NULL;
	ex.kind = a.exec.executor;
	ex.jobs = a.jobs;
	ex.slurm_args = a.exec.slurm_args;
	ex.final_dir = a.keep;
	ex.progress = isatty(STDERR_FILENO);
	rs_regress_run(&r, &ex, &rs_cli_stop);
	if (r.error[0]) { /* sbatch refused the arrays: nothing ran */
		fprintf(stderr, "ringsim regress: %s\n", r.error);
		rs_results_abort(&rd);
		rs_regress_free(&r);
		free(abs_dir);
		return RS_EXIT_USAGE;
	}
	if (a.exec.resume)
		fprintf(stderr, "regress: --resume %s: %zu runs were ok%s%s and are kept\n",
			a.exec.resume, r.n_kept, r.coverage ? ", with DUT coverage," : "",
			r.pcap_args ? ", with their 9P captures," : "");
	failed = rs_regress_report(&r, stdout);
	if (a.coverage && r.interrupted) {
		fputs("ringsim regress: --dut-coverage: not merged, the suite was interrupted\n",
		      stderr);
	} else if (a.coverage) {
		const char *to = a.keep ? a.keep : "results/regress";
		char why[4096];

		if (rs_regress_merge_coverage(&r, a.keep ? dir : to, why, sizeof(why))) {
			fprintf(stderr, "ringsim regress: --dut-coverage: %s\n", why);
		} else {
			rs_coverage_print(r.dut_coverage, stdout, 20);
			printf("dut coverage: %s/dut-coverage/lcov.info\n", to);
		}
	}
	if (a.junit) {
		char *junit = junit_path(&a, &rd);

		if (!junit || rs_regress_junit(&r, junit))
			fprintf(stderr, "ringsim regress: %s: cannot write\n", a.junit);
		free(junit);
	}
	if (r.n_interrupted)
		printf("%zu passed, %zu failed, %zu interrupted by %s\n",
		       r.n - failed - r.n_interrupted, failed, r.n_interrupted,
		       r.interrupted == SIGTERM ? "SIGTERM" : "SIGINT");
	else
		printf("%zu passed, %zu failed\n", r.n - failed, failed);
	kept = a.keep ? keep_runs(&rd) : RS_EXIT_OK;
	if (!kept && r.pcap_args)
		print_pcaps(&r, a.keep);
	if (!a.keep)
		rs_remove_tree(dir);
	rs_regress_free(&r);
	free(abs_dir);
	if (rs_cli_stop)
		return rs_cli_stop_exit();
	if (kept)
		return kept;
	return failed ? RS_EXIT_FAILED : RS_EXIT_OK;
}
