// SPDX-License-Identifier: GPL-2.0-only
/*
 * ringsim run --replications N: the scenario at seeds seed..seed+N-1, each in its own
 * process, into DIR/seed-S/, with DIR/replications.json holding each metric's mean,
 * standard deviation and the 95% confidence interval of the mean (GSL).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "coverage/coverage.h"
#include "diag/exit.h"
#include "regress/golden.h"
#include "results/flatten.h"
#include "compare/procpool.h"
#include "results/results_dir.h"
#include "regress/run_replicated.h"

/* The exit code of a stop by *@stop. */
static int stopped(const volatile sig_atomic_t *stop)
{
	fprintf(stderr, "ringsim: interrupted; no results written\n");
	return *stop == SIGTERM ? RS_EXIT_SIGTERM : RS_EXIT_SIGNAL;
}

int rs_run_replicated(const struct rs_scenario *s, int n, const char *dir, int quiet,
		      bool coverage, bool force, const char *const *pcap_args,
		      const volatile sig_atomic_t *stop)
{
	const size_t n_pcap = rs_argv_len(pcap_args);
	size_t pcaps = 0;
	struct rs_coverage *cov = NULL;
	struct rs_results_dir rd = { 0 };
	struct rs_diag diag = { 0 };
	struct rs_proc *procs = calloc((size_t)n, sizeof(*procs));
	json_t **flat = calloc((size_t)n, sizeof(*flat));
	char self[4096], err[4096] = "", scenario[4096];
	int ran = 0, not_ok = 0, rc = RS_EXIT_FAILED, committed;
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);

	if (!procs || !flat || len <= 0)
		goto out;
	self[len] = '\0';
	rd.force = force;
	if (rs_results_begin(&rd, dir, "replications.json", &diag)) {
		rs_diag_print(&diag, stderr);
		rs_diag_clear(&diag);
		rc = RS_EXIT_USAGE;
		goto out;
	}
	/* The scenario as loaded (overrides applied) is what every replication runs. */
	snprintf(scenario, sizeof(scenario), "%s/scenario.xml", rd.tmp);
	if (rs_results_write(&rd, "scenario.xml", s->as_run_xml, err, sizeof(err)))
		goto out;
	for (int k = 0; k < n; k++) {
		char **argv = calloc(10 + n_pcap, sizeof(*argv));
		size_t a = 8;
		char *log;

		argv[0] = strdup(self);
		argv[1] = strdup("run");
		argv[2] = strdup(scenario);
		argv[3] = strdup("--set");
		if (asprintf(&argv[4], "scenario.seed=%llu",
			     (unsigned long long)(s->seed + (uint64_t)k)) < 0 ||
		    asprintf(&argv[6], "%s/seed-%llu", rd.tmp,
			     (unsigned long long)(s->seed + (uint64_t)k)) < 0 ||
		    asprintf(&log, "%s/seed-%llu.log", rd.tmp,
			     (unsigned long long)(s->seed + (uint64_t)k)) < 0)
			goto out;
		argv[5] = strdup("-o");
		argv[7] = strdup("--quiet");
		if (coverage)
			argv[a++] = strdup("--dut-coverage");
		for (size_t i = 0; i < n_pcap; i++)
			argv[a++] = strdup(pcap_args[i]);
		procs[k].argv = argv;
		procs[k].log = log;
		procs[k].out = argv[6];
	}
	if (rs_procs_run(procs, (size_t)n, jobs < 1 ? 1 : (int)jobs, stop, NULL, NULL) ==
	    RS_PROCS_STOPPED) {
		rc = stopped(stop);
		goto out; /* rs_results_abort() removes the replications with the rest */
	}
	for (int k = 0; k < n; k++) {
		char path[4096];
		json_t *summary;

		snprintf(path, sizeof(path), "%s/summary.json", procs[k].argv[6]);
		summary = json_load_file(path, 0, NULL);
		not_ok += procs[k].status != 0;
		if (summary) {
			flat[ran++] = rs_metrics_flatten(summary);
			json_decref(summary);
		}
	}
	if (ran && (coverage || pcap_args)) {
		char **runs = calloc((size_t)n, sizeof(*runs));

		for (int k = 0; runs && k < n; k++)
			runs[k] = procs[k].argv[6];
		if (runs && pcap_args)
			pcaps = rs_results_holding(runs, (size_t)n, RS_RESULTS_PCAP);
		if (coverage) {
			cov = runs ? rs_coverage_merge_runs(rd.tmp, runs, (size_t)n, err,
							    sizeof(err)) : NULL;
			if (!cov)
				ran = 0;
		}
		free(runs);
	}
	if (ran) {
		json_t *stats = rs_golden_build((void *const *)flat, (size_t)ran, s->name);
		char *text = json_dumps(stats, JSON_INDENT(2) | JSON_SORT_KEYS |
					JSON_REAL_PRECISION(12));

		if (!quiet)
			rs_replication_table(stats, stdout);
		if (!text || rs_results_write(&rd, "replications.json", text, err, sizeof(err)))
			ran = 0;
		free(text);
		json_decref(stats);
	}
	if (stop && *stop) { /* while replications.json was written: none is kept */
		rc = stopped(stop);
		goto out;
	}
	committed = ran ? rs_results_commit(&rd, err, sizeof(err)) : -1;
	if (committed) {
		if (committed == RS_RESULTS_REFUSED)
			rc = RS_EXIT_USAGE;
		fprintf(stderr, "ringsim run: %s\n", err[0] ? err : "no replication completed");
		goto out;
	}
	if (!quiet)
		printf("%s: %d replications (seeds %llu..%llu), %d not ok\nresults: %s\n", s->name,
		       n, (unsigned long long)s->seed, (unsigned long long)(s->seed + n - 1),
		       not_ok, dir);
	if (!quiet && cov) {
		rs_coverage_print(cov, stdout, 8);
		printf("dut coverage: %s/dut-coverage/lcov.info\n", dir);
	}
	if (!quiet && pcap_args)
		printf("pcaps: %s/seed-S/%s, %zu of %d replications\n", dir, RS_RESULTS_PCAP, pcaps,
		       n);
	rc = not_ok ? RS_EXIT_FAILED : RS_EXIT_OK;
out:
	for (int k = 0; procs && k < n; k++) {
		for (int a = 0; procs[k].argv && procs[k].argv[a]; a++)
			free(procs[k].argv[a]);
		free(procs[k].argv);
		free((char *)procs[k].log);
	}
	for (int k = 0; k < ran; k++)
		json_decref(flat[k]);
	free(flat);
	free(procs);
	rs_coverage_free(cov);
	rs_results_abort(&rd);
	return rc;
}
