// SPDX-License-Identifier: GPL-2.0-only
/*
 * ringsim compare: a scenario at every combination of --vary values (or of a <sweep>
 * file's), or existing results side by side; each point in its own process, -j at a time
 * here or as a Slurm array task (--executor slurm); then compare.json, compare.csv, plots
 * and the report, all in one directory written atomically. --resume DIR keeps the points
 * an earlier comparison ran ok and runs the others.
 */
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "cli/cli.h"
#include "coverage/coverage.h"
#include "engine/engine.h"
#include "compare/compare.h"
#include "compare/exec.h"
#include "compare/procpool.h"
#include "report/report.h"
#include "results/results_dir.h"
#include "scenario/scenario.h"

#define MAX_DIRS 64

struct compare_args {
	const char *file;
	const char *dirs[MAX_DIRS];
	size_t n_dirs;
	const char *vary[RS_MAX_VARY];
	size_t n_vary;
	const char *out;
	int jobs;
	int quiet;
	bool force;             /* --force: keep the user's files in -o DIR */
	bool coverage;          /* --dut-coverage */
	char gcov[4096];
	struct rs_cli_pcap pcap; /* --pcaps: each point's 9P capture */
	struct rs_cli_exec exec; /* --executor, --slurm-args, --resume */
};

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* --executor, --slurm-args and --resume. Return: -1 to go on, or RS_EXIT_USAGE. */
static int check_exec_args(struct compare_args *a)
{
	char path[4096], err[1024];

	if (a->exec.slurm_args && a->exec.executor != RS_EXEC_SLURM)
		return rs_cli_usage_error("compare", "--slurm-args is for --executor slurm; "
					  "give both, or neither");
	if (a->n_dirs && (a->exec.executor != RS_EXEC_LOCAL || a->exec.resume))
		return rs_cli_usage_error("compare", "%s runs points; results directories are "
					  "compared as they are", a->exec.resume ? "--resume" :
					  "--executor slurm");
	if (a->exec.resume && a->out)
		return rs_cli_usage_error("compare", "--resume %s writes the comparison back "
					  "there; give it or -o, not both", a->exec.resume);
	if (a->exec.resume) {
		snprintf(path, sizeof(path), "%s/compare.json", a->exec.resume);
		if (access(path, R_OK))
			return rs_cli_usage_error("compare", "--resume %s: no comparison there "
						  "(no compare.json); start one with -o %s",
						  a->exec.resume, a->exec.resume);
		a->out = a->exec.resume;
	}
	if (rs_exec_check(a->exec.executor, err, sizeof(err)))
		return rs_cli_usage_error("compare", "%s", err);
	return -1;
}

/* Return: -1 to go on, or the exit code to return (0 after --help). */
static int parse_args(int argc, char **argv, struct compare_args *a)
{
	static const struct option opts[] = {
		{ "vary", required_argument, NULL, 'v' },
		{ "output", required_argument, NULL, 'o' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "dut-coverage", no_argument, NULL, 'C' },
		{ "pcap", optional_argument, NULL, RS_OPT_PCAP },
		RS_CLI_PCAP_OPTIONS,
		{ "force", no_argument, NULL, 'F' },
		RS_CLI_EXEC_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int c;

	a->jobs = jobs < 1 ? 1 : (int)jobs;
	a->pcap.where = "DIR/POINT";
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:j:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			if (a->n_vary == RS_MAX_VARY)
				return rs_cli_usage_error("compare", "at most %d --vary",
							  RS_MAX_VARY);
			a->vary[a->n_vary++] = optarg;
			break;
		case 'o':
			a->out = optarg;
			break;
		case 'j':
			if (rs_cli_count("compare", "-j", optarg, 1, 256, &jobs))
				return RS_EXIT_USAGE;
			a->jobs = (int)jobs;
			break;
		case 'q':
			a->quiet = 1;
			break;
		case 'C':
			a->coverage = true;
			break;
		case RS_OPT_PCAP:
		case RS_OPT_PCAPS:
		case RS_OPT_PCAP_SNAPLEN:
		case RS_OPT_PCAP_LINK:
			if (rs_cli_pcap_option("compare", c, optarg, &a->pcap))
				return RS_EXIT_USAGE;
			break;
		case 'F':
			a->force = true;
			break;
		case 'E':
		case 'S':
		case 'R':
			if (rs_cli_exec_option("compare", c, optarg, &a->exec))
				return RS_EXIT_USAGE;
			break;
		case 'h':
			fputs(rs_help_compare, stdout);
			return RS_EXIT_OK;
		default:
			return rs_cli_bad_option("compare", argv, c, opts);
		}
	}
	for (int i = optind; i < argc; i++) {
		const char *arg = argv[i];

		if (is_dir(arg)) {
			if (a->n_dirs == MAX_DIRS)
				return rs_cli_usage_error("compare", "at most %d directories",
							  MAX_DIRS);
			a->dirs[a->n_dirs++] = arg;
		} else if (!a->file) {
			a->file = arg;
		} else {
			return rs_cli_usage_error("compare", "one scenario at a time ('%s' and "
						  "'%s')", a->file, arg);
		}
	}
	if (!a->file && !a->n_dirs)
		return rs_cli_usage_error("compare", "give a scenario with --vary, a sweep file, "
					  "or results directories");
	if (a->file && a->n_dirs)
		return rs_cli_usage_error("compare", "a scenario or results directories, not "
					  "both");
	if (a->n_dirs && a->n_vary)
		return rs_cli_usage_error("compare", "--vary needs a scenario; results "
					  "directories are compared as they are");
	if (a->n_dirs && a->coverage)
		return rs_cli_usage_error("compare", "--dut-coverage needs a scenario to run; "
					  "results directories are compared as they are");
	if (a->n_dirs && a->pcap.each)
		return rs_cli_usage_error("compare", "--pcaps needs a scenario to run; results "
					  "directories are compared as they are");
	if (a->coverage && rs_cli_dut_coverage("compare", a->gcov, sizeof(a->gcov)))
		return RS_EXIT_USAGE;
	if (rs_cli_pcap_check("compare", &a->pcap))
		return RS_EXIT_USAGE;
	return check_exec_args(a);
}

/*
 * Check every point's scenario; a point that does not load fails, the others still run. A
 * point's DUT is built here, before any run: one that does not compile (or whose patch does
 * not apply) stops the comparison, with the compiler's or patch's messages.
 */
static int check_points(struct rs_comparison *c, struct rs_diag *diag)
{
	size_t bad = 0;
	char err[4096];

	for (size_t i = 0; i < c->n_points; i++) {
		struct rs_point *pt = &c->points[i];
		struct rs_diag d = { 0 };
		struct rs_scenario *s = rs_scenario_load(c->file, NULL, 0, pt->sets, pt->n_sets,
							 &d);

		if (!s) {
			bad++;
			pt->status = strdup("failed");
			pt->error = strdup(d.n ? d.msgs[0] : "does not load");
			for (size_t m = 0; m < d.n; m++)
				rs_diag_add(diag, "point %s: %s", pt->name, d.msgs[m]);
		} else if (rs_engine_check_dut(s, err, sizeof(err))) {
			rs_diag_add(diag, "point %s: %s", pt->name, err);
			rs_diag_clear(&d);
			rs_scenario_free(s);
			return -1;
		}
		rs_diag_clear(&d);
		rs_scenario_free(s);
	}
	return bad == c->n_points ? -1 : 0;
}

/* compare DIR...: each existing result is a point, linked into the comparison. */
static int existing_points(const struct compare_args *a, struct rs_comparison *c,
			   const char *tmp, struct rs_diag *diag)
{
	c->points = calloc(a->n_dirs, sizeof(*c->points));
	if (!c->points)
		return -1;
	c->n_points = a->n_dirs;
	for (size_t i = 0; i < a->n_dirs; i++) {
		struct rs_point *pt = &c->points[i];
		char *copy = strdup(a->dirs[i]), *real = realpath(a->dirs[i], NULL), link[4096];

		pt->name = strdup(basename(copy));
		free(copy);
		pt->source_dir = real;
		pt->status = strdup("ok");
		snprintf(link, sizeof(link), "%s/summary.json", a->dirs[i]);
		if (access(link, R_OK)) {
			rs_diag_add(diag, "%s: not a ringsim results directory (no summary.json)",
				    a->dirs[i]);
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(c->points[j].name, pt->name)) {
				rs_diag_add(diag, "%s: two results named '%s'; rename one",
					    a->dirs[i], pt->name);
				return -1;
			}
		snprintf(link, sizeof(link), "%s/%s", tmp, pt->name);
		if (!real || symlink(real, link)) {
			rs_diag_add(diag, "%s: cannot link it into %s", a->dirs[i], tmp);
			return -1;
		}
	}
	c->scenario = strdup("results");
	return 0;
}

/* DIR/dut-coverage/: every point's DUT coverage, merged (a DUT object's runs add up). */
static struct rs_coverage *merge_coverage(const struct rs_comparison *c, const char *dir,
					  char *err, size_t size)
{
	char **runs = calloc(c->n_points ? c->n_points : 1, sizeof(*runs));
	struct rs_coverage *cov = NULL;
	size_t n = 0;

	if (!runs)
		return NULL;
	for (size_t i = 0; i < c->n_points; i++)
		if (asprintf(&runs[n], "%s/%s", dir, c->points[i].name) >= 0)
			n++;
	cov = rs_coverage_merge_runs(dir, runs, n, err, size);
	for (size_t i = 0; i < n; i++)
		free(runs[i]);
	free(runs);
	return cov;
}

/* --pcaps: where the points' captures are, once DIR is in place. */
static void print_pcaps(const struct rs_comparison *c, const char *out)
{
	char **runs = calloc(c->n_points ? c->n_points : 1, sizeof(*runs));
	size_t n = 0;

	for (size_t i = 0; runs && i < c->n_points; i++)
		if (asprintf(&runs[n], "%s/%s", out, c->points[i].name) >= 0)
			n++;
	printf("pcaps: %s/POINT/%s, %zu of %zu points\n", out, RS_RESULTS_PCAP,
	       runs ? rs_results_holding(runs, n, RS_RESULTS_PCAP) : 0, c->n_points);
	for (size_t i = 0; i < n; i++)
		free(runs[i]);
	free(runs);
}

/* A signal stopped the comparison: nothing of it is kept, an earlier DIR is untouched. */
static int interrupted(struct rs_results_dir *rd, struct rs_coverage *cov)
{
	rs_coverage_free(cov);
	rs_results_abort(rd);
	fputs("ringsim compare: interrupted; nothing written\n", stderr);
	return rs_cli_stop_exit();
}

/*
 * A signal stopped a Slurm comparison: every array was cancelled. What had ended is kept,
 * so that --resume DIR runs only the rest: the points' directories and logs, compare.json
 * and compare.csv (the others "interrupted"); no plots, no report.
 */
static int stopped_kept(struct rs_comparison *c, struct rs_results_dir *rd, const char *out)
{
	char err[4096];
	size_t kept = 0;

	for (size_t i = 0; i < c->n_points; i++) {
		struct rs_point *pt = &c->points[i];

		/* Out of memory: rs_cmd_compare() removes DIR.tmp-PID. */
		if (!pt->status && !(pt->status = strdup("interrupted")))
			return rs_cli_stop_exit();
		kept += strcmp(pt->status, "interrupted") != 0;
	}
	if (rs_comparison_write(c, rd->tmp, err, sizeof(err)) ||
	    rs_results_commit(rd, err, sizeof(err))) {
		fprintf(stderr, "ringsim compare: interrupted, and cannot keep what ended: %s\n",
			err);
		rs_results_abort(rd);
		return rs_cli_stop_exit();
	}
	fprintf(stderr, "ringsim compare: interrupted; the Slurm arrays are cancelled; %zu of "
		"%zu points ended and are kept in %s (no report); --resume %s runs the rest\n",
		kept, c->n_points, out, out);
	return rs_cli_stop_exit();
}

/* --resume: the points DIR ran ok are linked into DIR.tmp-PID and not run again. */
static int resume(struct rs_comparison *c, struct rs_results_dir *rd, int quiet)
{
	char err[4096];
	long kept = rs_comparison_resume(c, rd->dir, rd->tmp, err, sizeof(err));

	if (kept < 0) {
		fprintf(stderr, "ringsim compare: --resume %s: %s\n", rd->dir, err);
		return -1;
	}
	if (!quiet)
		fprintf(stderr, "compare: --resume %s: %ld of %zu points ran ok%s%s and are kept\n",
			rd->dir, kept, c->n_points, c->dut_coverage ? ", with DUT coverage," : "",
			c->pcap_args ? ", with their 9P captures," : "");
	return 0;
}

static int finish(struct rs_comparison *c, struct rs_results_dir *rd, const char *out,
		  int quiet)
{
	char err[4096] = "";
	size_t failed = 0;

	char report_err[4096] = "";
	int report_rc;

	struct rs_coverage *cov = NULL;

	if (rs_comparison_write(c, rd->tmp, err, sizeof(err)) ||
	    (c->dut_coverage && !(cov = merge_coverage(c, rd->tmp, err, sizeof(err))))) {
		fprintf(stderr, "ringsim compare: %s\n", err);
		return RS_EXIT_FAILED;
	}
	char tmp[4096];
	size_t tmp_len = (size_t)snprintf(tmp, sizeof(tmp), "%s", rd->tmp);

	/* Without plots (no gnuplot) the points' results and the tables are still kept. */
	report_rc = rs_report_write(rd->tmp, report_err, sizeof(report_err));
	if (rs_cli_stop) /* while the report was drawn: nothing is kept */
		return interrupted(rd, cov);
	switch (rs_results_commit(rd, err, sizeof(err))) {
	case 0:
		break;
	case RS_RESULTS_REFUSED: /* the user's file has a name the new results hold */
		fprintf(stderr, "ringsim compare: %s\n", err);
		rs_coverage_free(cov);
		return RS_EXIT_USAGE;
	default:
		fprintf(stderr, "ringsim compare: %s\n", err);
		rs_coverage_free(cov);
		return RS_EXIT_FAILED;
	}
	/* The message names files as they are now: under DIR, not DIR.tmp-PID. */
	if (report_rc && !strncmp(report_err, tmp, tmp_len))
		fprintf(stderr, "ringsim compare: the report is incomplete: %s%s\n", out,
			report_err + tmp_len);
	else if (report_rc)
		fprintf(stderr, "ringsim compare: the report is incomplete: %s\n", report_err);
	for (size_t i = 0; i < c->n_points; i++) {
		failed += strcmp(c->points[i].status, "ok") != 0;
		if (!quiet || strcmp(c->points[i].status, "ok"))
			printf("%-40s %s%s%s\n", c->points[i].name, c->points[i].status,
			       c->points[i].error ? ": " : "",
			       c->points[i].error ? c->points[i].error : "");
	}
	if (!quiet && cov) {
		rs_coverage_print(cov, stdout, 8);
		printf("dut coverage: %s/dut-coverage/lcov.info\n", out);
	}
	if (!quiet && c->pcap_args)
		print_pcaps(c, out);
	rs_coverage_free(cov);
	if (!quiet)
		printf("compare: %zu points, %zu not ok\nreport: %s/report.html\n", c->n_points,
		       failed, out);
	return failed || report_rc ? RS_EXIT_FAILED : RS_EXIT_OK;
}

int rs_cmd_compare(int argc, char **argv)
{
	struct compare_args a = { 0 };
	struct rs_comparison c = { 0 };
	struct rs_results_dir rd = { 0 };
	struct rs_diag diag = { 0 };
	char *out = NULL, self[4096], err[4096];
	int rc, sweep, run_rc;
	struct rs_exec ex = { .who = "compare" };

	rc = parse_args(argc, argv, &a);
	if (rc >= 0)
		return rc;
	rc = RS_EXIT_USAGE;
	ex.kind = a.exec.executor;
	ex.jobs = a.jobs;
	ex.slurm_args = a.exec.slurm_args;
	ex.progress = !a.quiet && isatty(STDERR_FILENO);
	if (rs_cli_self(self, sizeof(self))) {
		fputs("ringsim compare: cannot find its own executable\n", stderr);
		return RS_EXIT_FAILED;
	}
	sweep = a.file ? rs_sweep_load(a.file, &c, &diag) : 0;
	if (a.file && !sweep)
		c.file = strdup(a.file);
	else if (sweep > 0)
		c.sweep_file = strdup(a.file);
	for (size_t i = 0; !diag.n && i < a.n_vary; i++)
		if (rs_vary_parse(a.vary[i], &c.vary[c.n_vary], &diag) == 0)
			c.n_vary++;
	if (diag.n)
		goto out;
	if (a.file) {
		struct rs_scenario *base = rs_scenario_load(c.file, NULL, 0, NULL, 0, &diag);

		if (!base)
			goto out;
		c.scenario = strdup(base->name);
		rs_scenario_free(base);
		/* One point compares nothing: a silent one-column report helps nobody. */
		if (!sweep && !a.n_vary) {
			rs_cli_usage_error("compare", "%s is a scenario, not a sweep: say what "
					   "to vary, e.g. --vary platform.page-size=4KiB,64KiB",
					   a.file);
			goto out;
		}
		c.dut_coverage = a.coverage;
		c.pcap_args = rs_cli_pcap_args(&a.pcap);
		rs_engine_set_dut_coverage(a.coverage);
		if (rs_comparison_points(&c) || check_points(&c, &diag))
			goto out;
	}
	if (!a.out && asprintf(&out, "results/compare-%s", c.scenario ? c.scenario :
			       "results") < 0)
		goto out;
	/* From DIR.tmp-PID on, a signal stops the children and removes what was made. */
	rs_cli_catch_stop();
	rd.force = a.force;
	if (rs_results_begin(&rd, a.out ? a.out : out, "compare.json", &diag))
		goto out;
	if (a.exec.resume && resume(&c, &rd, a.quiet)) {
		rc = RS_EXIT_FAILED;
		goto out;
	}
	ex.dir = rd.tmp;
	ex.final_dir = a.out ? a.out : out;
	run_rc = a.file ? rs_comparison_run(&c, self, &ex, &rs_cli_stop, err, sizeof(err)) :
		existing_points(&a, &c, rd.tmp, &diag);
	if ((run_rc == RS_PROCS_STOPPED || (rs_cli_stop && run_rc == 0)) &&
	    a.exec.executor == RS_EXEC_SLURM) {
		rc = stopped_kept(&c, &rd, a.out ? a.out : out);
		goto out;
	}
	if (run_rc == RS_PROCS_STOPPED || rs_cli_stop) {
		rc = interrupted(&rd, NULL);
		goto out;
	}
	if (run_rc) {
		if (a.file)
			fprintf(stderr, "ringsim compare: %s\n", err);
		rs_results_abort(&rd);
		goto out;
	}
	rc = finish(&c, &rd, a.out ? a.out : out, a.quiet);
out:
	/* bad input, or points that did not load (said beside the others' results) */
	rs_diag_print(&diag, stderr);
	rs_diag_clear(&diag);
	rs_results_abort(&rd);
	rs_comparison_free(&c);
	free(out);
	return rc;
}
