/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * exec: where the child runs of a comparison (or a suite) go: this machine's process pool
 * (procpool.h), or one Slurm job array per batch of runs (slurm.h). Both take the same
 * struct rs_proc list and leave the same exit statuses in it, so what is made of the
 * results afterwards is the same code.
 */
#ifndef RS_EXEC_H
#define RS_EXEC_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "compare/procpool.h"

enum rs_exec_kind {
	RS_EXEC_LOCAL, /* rs_procs_run(): -j N children of this process */
	RS_EXEC_SLURM, /* rs_slurm_run(): Slurm array tasks, submitted with sbatch */
};

struct rs_exec {
	enum rs_exec_kind kind;
	int jobs;               /* local: children at a time; slurm: each array's %M */
	const char *slurm_args; /* more sbatch options, split at spaces, or NULL */
	const char *who;        /* "compare", "regress": the progress line's and errors' name */
	const char *dir;        /* where the logs are written (DIR.tmp-PID) ... */
	const char *final_dir;  /* ... and where they will be (DIR): named in errors */
	bool progress;          /* show progress on stderr */
};

/* --executor's values, in the order of enum rs_exec_kind, for messages and help. */
#define RS_EXEC_NAMES "local, slurm"

/**
 * rs_exec_parse() - the executor --executor @name means
 * Return: 0 with *@kind set, or -1 when @name is neither "local" nor "slurm".
 */
int rs_exec_parse(const char *name, enum rs_exec_kind *kind);

/**
 * rs_exec_check() - whether @kind can run here: for slurm, Slurm's client commands
 * (sbatch, squeue, scancel, scontrol) must be on PATH
 * Return: 0, or -1 with "what is wrong" in @err (the caller's usage error, exit 2).
 */
int rs_exec_check(enum rs_exec_kind kind, char *err, size_t err_size);

/**
 * rs_exec_run() - run every process of @procs with the executor @ex
 * @procs: the processes (argv, log, out); each one's status is set, and for slurm its note
 * @n: how many
 * @ex: which executor, and its settings
 * @stop: the caller's SIGINT/SIGTERM flag, or NULL
 * @on_done: local only: called after each child ends (progress), or NULL
 * @arg: passed to @on_done
 * @err: receives why nothing could be run (sbatch refused the array), on -1
 *
 * Return: as rs_procs_run(): 0, -1, or RS_PROCS_STOPPED. After a stop, a Slurm task that
 * had ended keeps its exit status; the others are RS_PROC_STOPPED.
 */
int rs_exec_run(struct rs_proc *procs, size_t n, const struct rs_exec *ex,
		const volatile sig_atomic_t *stop,
		void (*on_done)(size_t done, size_t total, void *arg), void *arg, char *err,
		size_t err_size);

#endif
