/* SPDX-License-Identifier: GPL-2.0-only */
/* regress: running a suite of scenarios and judging each by its expectations and golden. */
#ifndef RS_REGRESS_H
#define RS_REGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct rs_regress_case {
	char *file;          /* the scenario file */
	char *name;          /* its scenario name, or the file name when it does not load */
	uint64_t seed;       /* the first replication's; the others follow it */
	char *load_error;    /* the loader's first message, when it does not load */
	int *status;         /* per replication: exit code or RS_PROC_TIMED_OUT */
	double seconds;      /* host time of all its replications */
	char *failures;      /* one line per failure, set by rs_regress_report() */
	bool golden_written;
};

struct rs_regress {
	const char *self;    /* this program, run as the children */
	const char *dir;     /* where the runs write: DIR/CASE-REPLICATION */
	int replications;
	double timeout;      /* per run, seconds */
	bool update_golden;
	struct rs_regress_case *cases;
	size_t n;
};

/** rs_regress_add() - add the scenario @file to the suite. */
void rs_regress_add(struct rs_regress *r, const char *file);

/** rs_regress_run() - run every case's replications, @jobs processes at a time. */
void rs_regress_run(struct rs_regress *r, int jobs);

/**
 * rs_regress_report() - judge each case (exit status, its <expect>s, its golden; or write
 * the golden with update_golden) and print one line per case, then its failures
 * Return: the number of cases that failed.
 */
size_t rs_regress_report(struct rs_regress *r, FILE *out);

/** rs_regress_junit() - JUnit XML of the judged suite. Return: 0 or -1. */
int rs_regress_junit(const struct rs_regress *r, const char *path);

void rs_regress_free(struct rs_regress *r);

#endif
