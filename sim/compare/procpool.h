/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * procpool: run child processes (ringsim runs: SystemC elaborates once per process) a few at
 * a time, each with its output in a log file and an optional time limit; stopped together
 * when the caller's signal flag is set, and dying with the parent.
 */
#ifndef RS_PROCPOOL_H
#define RS_PROCPOOL_H

#include <signal.h>
#include <stddef.h>

/* What rs_procs_run() sets in status for a child it killed at its time limit. */
#define RS_PROC_TIMED_OUT -1
/* ... for a child running when the stop came (it was stopped), and one never started. */
#define RS_PROC_STOPPED -2
#define RS_PROC_NOT_STARTED -3
/* ... for a Slurm task that left the queue without an exit status (slurm.h): see note. */
#define RS_PROC_LOST -4

/* What rs_procs_run() returns when it stopped on the caller's flag. */
#define RS_PROCS_STOPPED 1

/* How long stopped children have to end after the forwarded signal, before SIGKILL. */
#define RS_PROCS_GRACE_SECONDS 2.0

struct rs_proc {
	char **argv;      /* argv[0] is the program to execute; NULL-terminated */
	const char *log;  /* the child's stdout and stderr */
	const char *out;  /* the child's results directory (ringsim run -o), or NULL: when
			   * the child is killed or stopped, its OUT.tmp-PID is removed */
	double timeout;   /* seconds, 0 for none: then SIGKILL */
	int status;       /* out: exit code, 128 + signal, RS_PROC_TIMED_OUT,
			   * RS_PROC_STOPPED or RS_PROC_NOT_STARTED */
	double seconds;   /* out: wall-clock time it took */
	char *note;       /* out, or NULL: where it ran and why it has no exit status (a
			   * Slurm task's id, state and log); the caller frees it */
};

/**
 * rs_procs_run() - run every process, at most @jobs at once
 * @procs: the processes; each one's status and seconds are set here
 * @n: how many
 * @jobs: at most this many at once, at least 1
 * @stop: a flag the caller's SIGINT/SIGTERM handler sets to the signal's number, or NULL
 * @on_done: called after each child ends (progress), or NULL
 * @arg: passed to @on_done
 *
 * Each child gets SIGTERM when this process dies (PR_SET_PDEATHSIG), SIGKILL included.
 * Once *@stop is nonzero no child is started; every running one is sent that signal, has
 * RS_PROCS_GRACE_SECONDS to end, then is killed, and its OUT.tmp-PID is removed. A child
 * that ended with exit status 130 or 143 after the stop counts as stopped too.
 *
 * Return: 0; -1 when a child could not be started (the others still ran); RS_PROCS_STOPPED
 * when *@stop was set (the caller removes what it made and exits 130 or 143).
 * Context: waits for its own children only (by pid): others, gnuplot's, are the caller's.
 * It polls every 5 ms, so *@stop is seen within 5 ms whether or not the handler was
 * installed with SA_RESTART; every blocking waitpid() here retries on EINTR.
 */
int rs_procs_run(struct rs_proc *procs, size_t n, int jobs, const volatile sig_atomic_t *stop,
		 void (*on_done)(size_t done, size_t total, void *arg), void *arg);

/**
 * rs_argv_len() - Return: how many strings the NULL-terminated @v holds (NULL: none); for
 * the options a caller passes on to every child (--pcaps ...)
 */
size_t rs_argv_len(const char *const *v);

#endif
