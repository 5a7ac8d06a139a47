/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * procpool: run child processes (ringsim runs: SystemC elaborates once per process) a few at
 * a time, each with its output in a log file and an optional time limit.
 */
#ifndef RS_PROCPOOL_H
#define RS_PROCPOOL_H

#include <stddef.h>

/* What rs_procs_run() sets in status for a child it killed at its time limit. */
#define RS_PROC_TIMED_OUT -1

struct rs_proc {
	char **argv;      /* argv[0] is the program to execute; NULL-terminated */
	const char *log;  /* the child's stdout and stderr */
	double timeout;   /* seconds, 0 for none */
	int status;       /* out: exit code, 128 + signal, or RS_PROC_TIMED_OUT */
	double seconds;   /* out: wall-clock time it took */
};

/**
 * rs_procs_run() - run every process, at most @jobs at once
 * @on_done: called after each child ends (progress), or NULL
 *
 * Return: 0, or -1 when a child could not be started (the others still ran).
 */
int rs_procs_run(struct rs_proc *procs, size_t n, int jobs,
		 void (*on_done)(size_t done, size_t total, void *arg), void *arg);

#endif
