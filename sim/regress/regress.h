/* SPDX-License-Identifier: GPL-2.0-only */
/* regress: running a suite of scenarios and judging each by its expectations and golden. */
#ifndef RS_REGRESS_H
#define RS_REGRESS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

struct rs_coverage;
struct rs_exec;

/* One reason a case did not pass, kept for the JUnit report. */
struct rs_regress_finding {
	bool error;          /* it did not load or a run did not finish (JUnit <error>);
			      * else it ran and was judged wrong (JUnit <failure>) */
	char *type;          /* error: load_error, timeout, signal, run_error, slurm, interrupted,
			      * time_limit, golden_write; failure: expect, golden, dut_bug, dut_crash,
			      * deadlock */
	char *message;       /* its line in failures */
};

struct rs_regress_case {
	char *file;          /* the scenario file */
	char *name;          /* its scenario name, or the file name when it does not load */
	uint64_t seed;       /* the first replication's; the others follow it */
	char *load_error;    /* the loader's first message, when it does not load */
	int *status;         /* per replication: exit code or RS_PROC_TIMED_OUT, RS_PROC_STOPPED,
			      * RS_PROC_NOT_STARTED, RS_PROC_LOST (compare/procpool.h) */
	char **notes;        /* per replication: its Slurm task's id, state and log when it
			      * did not end ok under --executor slurm, or NULL */
	bool interrupted;    /* a signal stopped the suite before all its runs ended: not
			      * judged */
	double seconds;      /* host time of all its replications */
	char *failures;      /* one line per failure, set by rs_regress_report() */
	struct rs_regress_finding *findings; /* the same lines, each with its kind */
	size_t n_findings;
	bool golden_written;
};

struct rs_regress {
	const char *self;    /* this program, run as the children */
	const char *dir;     /* where the runs write: DIR/CASE-REPLICATION */
	int replications;
	double timeout;      /* per run, seconds: the run's --max-host-seconds, and SIGKILL
			      * RS_REGRESS_KILL_AFTER seconds later */
	bool update_golden;
	char **sets;         /* --set PATH=VALUE for every scenario (a DUT, say) */
	size_t n_sets;
	bool coverage;       /* --dut-coverage: every run records its DUT coverage */
	const char *const *pcap_args; /* --pcaps ...: given to every run, which writes its 9P
				       * capture into DIR/CASE-REPLICATION/; NULL-terminated,
				       * or NULL: none */
	struct rs_coverage *dut_coverage; /* set by rs_regress_merge_coverage() */
	struct rs_regress_case *cases;
	size_t n;
	time_t started;      /* set by rs_regress_run(): when it began (UTC) */
	double wall_seconds; /* set by rs_regress_run(): how long it took, wall clock */
	int interrupted;     /* set by rs_regress_run(): the signal that stopped it, or 0 */
	char error[1024];    /* set by rs_regress_run(): why no run could start (sbatch
			      * refused the arrays), or "" */
	const char *resume;  /* --resume: the earlier suite's DIR, whose ok runs are kept
			      * (hard-linked into dir) and not run again; or NULL */
	size_t n_kept;       /* set by rs_regress_run(): how many runs were kept */
	size_t n_interrupted; /* set by rs_regress_report(): the cases interrupted */
};

/* A run still going this long after its --max-host-seconds is killed, with no results. */
#define RS_REGRESS_KILL_AFTER 10.0

/**
 * rs_regress_add() - add the scenario @file to the suite
 * @r: the suite
 * @file: the scenario's path as found (it names the case and its JUnit classname)
 *
 * The scenario is loaded here once for its name and seed; when it does not load the case
 * keeps the loader's first message and is not run. Out of memory, the case is not added.
 */
void rs_regress_add(struct rs_regress *r, const char *file);

/**
 * rs_regress_run() - run every case's replications with the executor @ex
 * @r: the suite; its started, wall_seconds, interrupted and error are set here
 * @ex: local (ex->jobs processes at a time) or Slurm (one array task per run); its dir is
 *      set here to @r->dir
 * @stop: the caller's SIGINT/SIGTERM flag, or NULL: once it is set the runs are stopped
 * (rs_procs_run(), or every Slurm array cancelled), @r->interrupted says by which signal,
 * and every case with a run that did not end is marked interrupted
 *
 * Each run is `ringsim run --max-host-seconds TIMEOUT`: at its time limit it ends with
 * status time_limit and its results; locally one still going RS_REGRESS_KILL_AFTER seconds
 * later is killed. Under Slurm the scenario files are given to the tasks as absolute paths.
 * With @r->resume, a run whose summary.json there says ok, for the same scenario file and
 * seed, is kept (status 0) instead of run; one that cannot be linked is run again.
 * Context: waits for every child; a case that did not load is not run.
 */
void rs_regress_run(struct rs_regress *r, struct rs_exec *ex,
		    const volatile sig_atomic_t *stop);

/**
 * rs_regress_report() - judge each case (exit status, its <expect>s, its golden; or write
 * the golden with update_golden) and print one line per case, then its failures
 * @r: the suite, after rs_regress_run(); each case's failures and findings are set here
 * @out: where the lines go
 *
 * A case interrupted by a signal is not judged: its line says "SKIP FILE (interrupted by
 * SIGINT)", and @r->n_interrupted counts it.
 * Return: the number of cases that failed, those with errors (did not load, a run did not
 * finish) included; interrupted ones are not.
 */
size_t rs_regress_report(struct rs_regress *r, FILE *out);

/**
 * rs_regress_merge_coverage() - with @r->coverage, the DUT coverage of every run merged
 * into @dir/dut-coverage/ (sim/coverage) and kept in @r->dut_coverage for the JUnit file
 * Return: 0, or -1 with @err set.
 * Context: after rs_regress_run().
 */
int rs_regress_merge_coverage(struct rs_regress *r, const char *dir, char *err, size_t size);

/**
 * rs_regress_junit() - write the judged suite as JUnit XML
 * @r: the suite, after rs_regress_report()
 * @path: the file to write (replaced)
 *
 * The document is valid against both the Apache Ant JUnit schema (windyroad JUnit.xsd) and
 * Jenkins' junit-10.xsd; tests/regress/junit/ holds both, restated. It is one
 * <testsuites> holding one <testsuite name="ringsim regress" package="ringsim" id="0">
 * with timestamp (rs_regress_run()'s start, UTC, YYYY-MM-DDTHH:MM:SS with no timezone),
 * hostname (gethostname(), "localhost" when it has none), tests, failures, errors,
 * skipped (the cases a signal interrupted) and time (the whole regression's wall clock),
 * then in this order:
 * <properties> (replications, timeout, update_golden; with --dut-coverage, per DUT object
 * dut_coverage.KIND.SPEC.{lines,branches,functions} as "HIT/TOTAL"), one <testcase> per case,
 * <system-out> (each run's summary.json, under a "== CLASSNAME.NAME seed S ==" line) and
 * <system-err> (each run's own output, when it wrote any, under the same kind of line).
 *
 * A testcase's name is its file's base name without ".xml". Its classname is "ringsim"
 * then, one dotted segment each, the directories of the scenario's path relative to the
 * current directory: tests/regress/9p-4k.xml is ringsim.tests.regress.9p-4k whether the
 * command named tests/regress, ./tests/regress/ or the file itself. The path is made
 * absolute and normalised lexically ("." and empty segments dropped, ".." removes the one
 * before it); when that lies outside the current directory all its directories are kept;
 * '.' and whitespace inside a directory's name become '_'.
 *
 * A testcase holds at most one element (Ant allows no more): <skipped message="interrupted
 * by SIGINT"/> (or SIGTERM) when a signal stopped the suite before its runs ended; else
 * <error> when any of its findings is an error (it did not load, a run timed out, was
 * killed or ended without results), else <failure> when it has findings (an <expect> failed, a metric moved from
 * its golden, the run ended in dut_bug, dut_crash or deadlock). Its type is the first such finding's
 * type, its message that finding's line (with "(+N more)" when there are more), its text
 * every line. All text is XML 1.0: bytes that are not UTF-8, and characters XML 1.0
 * forbids, are written as \xNN.
 *
 * Return: 0, or -1 when the file cannot be written.
 * Context: reads the runs' summaries and logs under @r's dir, so before it is removed.
 */
int rs_regress_junit(const struct rs_regress *r, const char *path);

/**
 * rs_regress_free() - free every case and what it holds; @r itself is the caller's
 * @r: the suite
 */
void rs_regress_free(struct rs_regress *r);

#endif
