/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slurm: run child processes as the tasks of Slurm job arrays (sbatch --array), wait for
 * them by polling squeue, and read each task's exit status from a marker file it leaves.
 * DIR must be on a filesystem the submitting host and every node share: the tasks write
 * their results, logs and markers there.
 */
#ifndef RS_SLURM_H
#define RS_SLURM_H

#include <signal.h>
#include <stddef.h>

#include "compare/exec.h"
#include "compare/procpool.h"

/* The Slurm client commands --executor slurm runs. */
#define RS_SLURM_COMMANDS { "sbatch", "squeue", "scancel", "scontrol" }

/* MaxArraySize when `scontrol show config` does not say (Slurm's default). */
#define RS_SLURM_MAX_ARRAY 1001

/* squeue is polled every 0.2 s after a change, the pause doubling to 5 s while none. */
#define RS_SLURM_POLL_MIN 0.2
#define RS_SLURM_POLL_MAX 5.0

/*
 * How long the marker of a task whose script Slurm says ended (COMPLETED, FAILED) may take
 * to appear: NFS may hide a file another host created for a while (its lookup caches).
 */
#define RS_SLURM_MARKER_WAIT 60.0

/* After scancel, how long the cancelled tasks have to leave the queue. */
#define RS_SLURM_CANCEL_WAIT 60.0

/**
 * rs_slurm_run() - run @procs as Slurm array tasks and wait for them
 * @procs: the processes; argv[0] must be an absolute path the nodes can run
 * @n: how many
 * @ex: the settings (jobs: each array's %M; slurm_args: more sbatch options; dir: the
 *      temporary results directory, where DIR/.slurm/ holds the manifest, the batch script
 *      and the markers while the tasks run)
 * @stop: the caller's SIGINT/SIGTERM flag, or NULL
 * @err: why the arrays could not be submitted, on -1
 *
 * Writes DIR/.slurm/I.argv (NUL-separated: task I's log, then its argv) for every task and
 * DIR/.slurm/task.sh, which runs task $SLURM_ARRAY_TASK_ID + OFFSET with its output in its
 * log and writes its exit status to DIR/.slurm/I.exit. Submits one array per
 * MaxArraySize tasks (`sbatch --parsable --array=0-K%M`), then polls squeue with backoff.
 * A task's status is its marker's exit status; a task out of the queue without one is
 * RS_PROC_LOST, with its Slurm state (`scontrol show job`, or "unknown") and log in its
 * note: at once when cancelled, timed out or forgotten, after RS_SLURM_MARKER_WAIT
 * seconds when its script ended. On *@stop every array is scancelled and waited for
 * (RS_SLURM_CANCEL_WAIT); tasks that ended keep their status, the others are
 * RS_PROC_STOPPED. Slurm's own output of a task is appended to its log; DIR/.slurm/ is
 * removed.
 *
 * Return: 0; -1 when the arrays could not be submitted (@err; nothing runs); or
 * RS_PROCS_STOPPED.
 */
int rs_slurm_run(struct rs_proc *procs, size_t n, const struct rs_exec *ex,
		 const volatile sig_atomic_t *stop, char *err, size_t err_size);

#endif
