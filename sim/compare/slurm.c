// SPDX-License-Identifier: GPL-2.0-only
/*
 * slurm: a batch of child runs as Slurm job arrays. The tasks read their commands from
 * DIR/.slurm/ (the manifest) and leave their exit statuses there; squeue says which are
 * still pending or running.
 */
#include "compare/slurm.h"

#include <errno.h>
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compare/capture.h"
#include "diag/exit.h"
#include "results/results_dir.h"

#define MAX_SLURM_ARGS 64 /* words of --slurm-args */

struct array {
	long id;      /* the job id sbatch answered */
	size_t first; /* its task 0 is procs[first] */
	size_t n;
};

/* One batch of tasks, their arrays, and what the polls saw. */
struct batch {
	struct rs_proc *procs;
	size_t n;
	const struct rs_exec *ex;
	char work[4096];        /* DIR/.slurm, absolute */
	struct array *arrays;
	size_t n_arrays;
	char *queued;           /* per task: 'P' pending, 'R' running, 0 not in squeue */
	char (*seen)[16];       /* per task: its state when squeue last listed it */
	double *gone;           /* since when it is out of squeue without a marker, or 0 */
	bool *ended;
	size_t done, failed, running, pending;
	double t0;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Sleep @seconds, in 50 ms steps so that a stop is seen at once. */
static void pause_for(double seconds, const volatile sig_atomic_t *stop)
{
	double end = now() + seconds;

	while (now() < end && !(stop && *stop))
		nanosleep(&(struct timespec){ 0, 50000000 }, NULL);
}

/* @s as one word of a POSIX shell: '...' with each ' as '\''. */
static void shell_word(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	fputc('\'', f);
}

/* DIR/.slurm/I.argv: task I's log, then its argv, each ended by a NUL. */
static int write_argv(const struct batch *b, size_t i)
{
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%zu.argv", b->work, i);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fwrite(b->procs[i].log, 1, strlen(b->procs[i].log) + 1, f);
	for (char **a = b->procs[i].argv; *a; a++)
		fwrite(*a, 1, strlen(*a) + 1, f);
	return fclose(f);
}

/* DIR/.slurm/task.sh: the batch script every array runs, its offset as $1. */
static int write_script(const struct batch *b)
{
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/task.sh", b->work);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs("#!/bin/bash\n"
	      "# Written by ringsim: array task $SLURM_ARRAY_TASK_ID, plus the offset $1, is\n"
	      "# task I of the manifest: I.argv holds its log, then its command (each ended\n"
	      "# by a NUL). Its exit status and its start and end (seconds since the epoch)\n"
	      "# go to I.exit, once it has ended.\n"
	      "d=", f);
	shell_word(f, b->work);
	fputs("\n"
	      "i=$((SLURM_ARRAY_TASK_ID + ${1:-0}))\n"
	      "mapfile -d '' -t a <\"$d/$i.argv\" || exit 127\n"
	      "t0=$EPOCHREALTIME\n"
	      "\"${a[@]:1}\" >\"${a[0]}\" 2>&1\n"
	      "rc=$?\n"
	      "echo \"$rc $t0 $EPOCHREALTIME\" >\"$d/$i.exit.tmp\" &&\n"
	      "\tmv -f \"$d/$i.exit.tmp\" \"$d/$i.exit\"\n"
	      "exit \"$rc\"\n", f);
	if (fclose(f))
		return -1;
	return chmod(path, 0755);
}

/* MaxArraySize from `scontrol show config`, or Slurm's default. */
static size_t max_array_size(void)
{
	char *argv[] = { "scontrol", "show", "config", NULL };
	static char out[65536];
	long v = 0;
	char *line;

	if (rs_capture(argv, out, sizeof(out), NULL, 0) == 0 &&
	    (line = strstr(out, "\nMaxArraySize")))
		sscanf(strchr(line, '=') ? strchr(line, '=') + 1 : "", "%ld", &v);
	return v > 0 ? (size_t)v : RS_SLURM_MAX_ARRAY;
}

/* sbatch of array @k: tasks procs[first .. first + n - 1] as indices 0 .. n - 1. */
static int submit(struct batch *b, size_t k, char *err, size_t err_size)
{
	char range[64], name[64], output[4300], chdir[4200], script[4200], offset[32], cwd[4096];
	char *argv[MAX_SLURM_ARGS + 16], *copy = NULL, *save = NULL, out[256], errs[2048];
	struct array *a = &b->arrays[k];
	size_t c = 0;
	int rc;

	snprintf(range, sizeof(range), "--array=0-%zu%%%d", a->n - 1, b->ex->jobs);
	snprintf(name, sizeof(name), "--job-name=ringsim-%s", b->ex->who);
	snprintf(output, sizeof(output), "--output=%s/c%zu-%%a.out", b->work, k);
	snprintf(chdir, sizeof(chdir), "--chdir=%s", getcwd(cwd, sizeof(cwd)) ? cwd : "/");
	snprintf(script, sizeof(script), "%s/task.sh", b->work);
	snprintf(offset, sizeof(offset), "%zu", a->first);
	argv[c++] = "sbatch";
	argv[c++] = "--parsable";
	argv[c++] = range;
	argv[c++] = name;
	argv[c++] = output;
	argv[c++] = chdir;
	if (b->ex->slurm_args && (copy = strdup(b->ex->slurm_args)))
		for (char *w = strtok_r(copy, " \t\n", &save); w;
		     w = strtok_r(NULL, " \t\n", &save)) {
			if (c == MAX_SLURM_ARGS + 6) {
				snprintf(err, err_size, "--slurm-args: more than %d words",
					 MAX_SLURM_ARGS);
				free(copy);
				return -1;
			}
			argv[c++] = w;
		}
	argv[c++] = script;
	argv[c++] = offset;
	argv[c] = NULL;
	rc = rs_capture(argv, out, sizeof(out), errs, sizeof(errs));
	free(copy);
	errs[strcspn(errs, "\n")] = '\0';
	if (rc || sscanf(out, "%ld", &a->id) != 1) {
		snprintf(err, err_size, "sbatch refused the array of %zu tasks (exit %d): %s",
			 a->n, rc, errs[0] ? errs : out);
		return -1;
	}
	return 0;
}

/* "12,13": every array's job id, for squeue -j and scancel. */
static void job_ids(const struct batch *b, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < b->n_arrays && len < size; k++)
		len += (size_t)snprintf(buf + len, size - len, "%s%ld", k ? "," : "",
					b->arrays[k].id);
}

static void cancel_all(const struct batch *b)
{
	char ids[8192], out[256];
	char *argv[] = { "scancel", ids, NULL };

	job_ids(b, ids, sizeof(ids));
	if (ids[0])
		rs_capture(argv, out, sizeof(out), NULL, 0);
}

/* The task squeue's "JOBID_INDEX" names, or -1 when it is none of ours. */
static long task_of(const struct batch *b, long job, long idx)
{
	for (size_t k = 0; k < b->n_arrays; k++)
		if (b->arrays[k].id == job && idx >= 0 && (size_t)idx < b->arrays[k].n)
			return (long)(b->arrays[k].first + (size_t)idx);
	return -1;
}

/* What squeue lists of ours, into b->queued. Return: 0, or -1 when it did not answer. */
static int poll_queue(struct batch *b)
{
	static char out[1 << 20];
	char ids[8192], errs[1024];
	char *argv[] = { "squeue", "-h", "-r", "-j", ids, "-o", "%i %T", NULL };
	char *line, *save = NULL;
	int rc;

	job_ids(b, ids, sizeof(ids));
	rc = rs_capture(argv, out, sizeof(out), errs, sizeof(errs));
	/* Jobs slurmctld has forgotten (MinJobAge after they ended) are not an error. */
	if (rc && !strstr(errs, "Invalid job id"))
		return -1;
	memset(b->queued, 0, b->n);
	for (line = strtok_r(out, "\n", &save); rc == 0 && line;
	     line = strtok_r(NULL, "\n", &save)) {
		long job, idx, t;
		char st[16];

		if (sscanf(line, "%ld_%ld %15s", &job, &idx, st) != 3 ||
		    (t = task_of(b, job, idx)) < 0)
			continue;
		b->queued[t] = strcmp(st, "PENDING") ? 'R' : 'P';
		snprintf(b->seen[t], sizeof(b->seen[t]), "%s", st);
	}
	return 0;
}

/*
 * Task @i's exit status from its marker, and the seconds its run took into its seconds.
 * Return: 0 with *@code, or -1 when there is none.
 */
static int read_marker(const struct batch *b, size_t i, int *code)
{
	char path[4200];
	double t0 = 0, t1 = 0;
	FILE *f;
	int got;

	snprintf(path, sizeof(path), "%s/%zu.exit", b->work, i);
	f = fopen(path, "r");
	if (!f)
		return -1;
	got = fscanf(f, "%d %lf %lf", code, &t0, &t1);
	fclose(f);
	if (got == 3 && t1 >= t0)
		b->procs[i].seconds = t1 - t0;
	return got >= 1 ? 0 : -1;
}

/* Task @i's "JOBID_INDEX". */
static void task_id(const struct batch *b, size_t i, char *buf, size_t size)
{
	for (size_t k = 0; k < b->n_arrays; k++)
		if (i >= b->arrays[k].first && i < b->arrays[k].first + b->arrays[k].n) {
			snprintf(buf, size, "%ld_%zu", b->arrays[k].id, i - b->arrays[k].first);
			return;
		}
	snprintf(buf, size, "?");
}

/*
 * Slurm's JobState of task @i (`scontrol show job`); once Slurm has forgotten it (a task
 * cancelled while pending is forgotten at once), "unknown" and what squeue last said.
 */
static void task_state(const struct batch *b, size_t i, char *buf, size_t size)
{
	char id[64], out[8192];
	char *argv[] = { "scontrol", "-o", "show", "job", id, NULL };
	const char *st;

	task_id(b, i, id, sizeof(id));
	snprintf(buf, size, "unknown (last seen %s)", b->seen[i][0] ? b->seen[i] : "nowhere");
	if (rs_capture(argv, out, sizeof(out), NULL, 0) == 0 &&
	    (st = strstr(out, "JobState=")))
		snprintf(buf, size, "%.*s", (int)strcspn(st + 9, " \n"), st + 9);
}

/* Task @i's log as it will be named once the results are committed. */
static const char *final_log(const struct batch *b, size_t i, char *buf, size_t size)
{
	const char *log = b->procs[i].log;
	size_t len = strlen(b->ex->dir);

	if (b->ex->final_dir && !strncmp(log, b->ex->dir, len) && log[len] == '/')
		snprintf(buf, size, "%s%s", b->ex->final_dir, log + len);
	else
		snprintf(buf, size, "%s", log);
	return buf;
}

/* Task @i ended: with its marker's @code, or (@lost) out of the queue without one. */
static void ended(struct batch *b, size_t i, int code, bool lost)
{
	struct rs_proc *p = &b->procs[i];
	char id[64], state[96], log[4300];

	b->ended[i] = true;
	b->done++;
	p->status = lost ? RS_PROC_LOST : code;
	if (!lost && code == RS_EXIT_OK)
		return;
	b->failed++;
	task_id(b, i, id, sizeof(id));
	task_state(b, i, state, sizeof(state));
	final_log(b, i, log, sizeof(log));
	free(p->note);
	if (lost ? asprintf(&p->note, "Slurm task %s left the queue without an exit status, "
			    "state %s; log: %s", id, state, log) < 0 :
		   asprintf(&p->note, "Slurm task %s %s, exit status %d; log: %s", id, state,
			    code, log) < 0)
		p->note = NULL;
}

/*
 * Task @i is out of the queue and its marker is not there: is it lost? Not while Slurm says
 * its script ran to the end (COMPLETED, FAILED: its exit status), whose marker may take a
 * while to be seen through a shared filesystem's caches, for RS_SLURM_MARKER_WAIT seconds;
 * at once when it was cancelled, timed out, lost its node, or Slurm forgot it.
 */
static bool lost(const struct batch *b, size_t i)
{
	char state[96];

	if (now() - b->gone[i] >= RS_SLURM_MARKER_WAIT)
		return true;
	task_state(b, i, state, sizeof(state));
	return strncmp(state, "COMPLETED", 9) && strncmp(state, "FAILED", 6);
}

/*
 * One look at the queue and the markers. A task whose marker is there has ended; one out of
 * the queue without a marker twice in a row may be lost(). When squeue does not answer only
 * the markers count.
 * Return: whether a task ended or moved.
 */
static bool poll_once(struct batch *b)
{
	size_t running = 0, pending = 0, done = b->done;
	bool answered = poll_queue(b) == 0;
	int code;

	for (size_t i = 0; i < b->n; i++) {
		if (b->ended[i])
			continue;
		if (read_marker(b, i, &code) == 0) {
			ended(b, i, code, false);
		} else if (answered && b->queued[i]) {
			b->gone[i] = 0;
			running += b->queued[i] == 'R';
			pending += b->queued[i] == 'P';
		} else if (answered && !b->gone[i]) {
			b->gone[i] = now();
		} else if (answered && lost(b, i)) {
			ended(b, i, 0, true);
		}
	}
	if (!answered) {
		running = b->running;
		pending = b->pending;
	}
	if (running == b->running && pending == b->pending && done == b->done)
		return false;
	b->running = running;
	b->pending = pending;
	return true;
}

static void show_progress(const struct batch *b)
{
	if (!b->ex->progress)
		return;
	fprintf(stderr, "\r%s: slurm %zu/%zu done (%zu failed), %zu running, %zu pending, "
		"%.1f s elapsed\033[K", b->ex->who, b->done, b->n, b->failed, b->running,
		b->pending, now() - b->t0);
	if (b->done == b->n)
		fputc('\n', stderr);
}

/* After a stop: scancel, wait for the tasks to leave the queue, keep what had ended. */
static void stop_all(struct batch *b)
{
	double t0 = now();
	bool queued = true;
	int code;

	cancel_all(b);
	while (queued && now() - t0 < RS_SLURM_CANCEL_WAIT) {
		queued = poll_queue(b) != 0;
		for (size_t i = 0; i < b->n && !queued; i++)
			queued = b->queued[i] != 0;
		if (queued)
			pause_for(RS_SLURM_POLL_MIN, NULL);
	}
	for (size_t i = 0; i < b->n; i++) {
		if (b->ended[i])
			continue;
		if (read_marker(b, i, &code) == 0 && code != RS_EXIT_SIGNAL &&
		    code != RS_EXIT_SIGTERM)
			ended(b, i, code, false);
		else
			b->procs[i].status = RS_PROC_STOPPED;
	}
	if (b->ex->progress)
		fputc('\n', stderr);
}

/* What a task that did not end left: its results' OUT.tmp-PID (a cancelled run's). */
static void remove_leftovers(const struct rs_proc *p)
{
	char pattern[4200];
	glob_t g;

	if (!p->out)
		return;
	snprintf(pattern, sizeof(pattern), "%s.tmp-*", p->out);
	if (glob(pattern, 0, NULL, &g) == 0)
		for (size_t i = 0; i < g.gl_pathc; i++)
			rs_remove_tree(g.gl_pathv[i]);
	globfree(&g);
}

/* Slurm's own output of task @i (slurmstepd's "CANCELLED", a script error) onto its log. */
static void append_slurm_output(const struct batch *b, size_t i)
{
	char path[4300], buf[8192];
	FILE *in, *out;
	size_t k = 0, r;

	while (k + 1 < b->n_arrays && i >= b->arrays[k + 1].first)
		k++;
	snprintf(path, sizeof(path), "%s/c%zu-%zu.out", b->work, k, i - b->arrays[k].first);
	in = fopen(path, "r");
	if (!in)
		return;
	out = (r = fread(buf, 1, sizeof(buf), in)) ? fopen(b->procs[i].log, "a") : NULL;
	while (out && r) {
		fwrite(buf, 1, r, out);
		r = fread(buf, 1, sizeof(buf), in);
	}
	if (out)
		fclose(out);
	fclose(in);
}

static int prepare(struct batch *b, char *err, size_t err_size)
{
	size_t max = max_array_size();

	if (!realpath(b->ex->dir, b->work) ||
	    strlen(b->work) + sizeof("/.slurm") > sizeof(b->work)) {
		b->work[0] = '\0';
		snprintf(err, err_size, "%s: cannot resolve it: %s", b->ex->dir, strerror(errno));
		return -1;
	}
	strcat(b->work, "/.slurm");
	if (mkdir(b->work, 0777) && errno != EEXIST) {
		snprintf(err, err_size, "%s: cannot create it: %s", b->work, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < b->n; i++)
		if (write_argv(b, i)) {
			snprintf(err, err_size, "%s: cannot write task %zu: %s", b->work, i,
				 strerror(errno));
			return -1;
		}
	if (write_script(b)) {
		snprintf(err, err_size, "%s/task.sh: cannot write it: %s", b->work,
			 strerror(errno));
		return -1;
	}
	b->n_arrays = (b->n + max - 1) / max;
	b->arrays = calloc(b->n_arrays ? b->n_arrays : 1, sizeof(*b->arrays));
	if (!b->arrays)
		return -1;
	for (size_t k = 0; k < b->n_arrays; k++) {
		b->arrays[k].first = k * max;
		b->arrays[k].n = b->n - k * max < max ? b->n - k * max : max;
	}
	return 0;
}

/* Submit every array; on a refusal cancel those already in and say why. */
static int submit_all(struct batch *b, char *err, size_t err_size)
{
	for (size_t k = 0; k < b->n_arrays; k++)
		if (submit(b, k, err, err_size)) {
			b->n_arrays = k;
			cancel_all(b);
			return -1;
		}
	return 0;
}

static int wait_all(struct batch *b, const volatile sig_atomic_t *stop)
{
	double delay = RS_SLURM_POLL_MIN;

	b->t0 = now();
	while (b->done < b->n) {
		if (stop && *stop) {
			stop_all(b);
			return RS_PROCS_STOPPED;
		}
		if (poll_once(b)) {
			show_progress(b);
			delay = RS_SLURM_POLL_MIN;
		} else {
			delay = delay * 2 > RS_SLURM_POLL_MAX ? RS_SLURM_POLL_MAX : delay * 2;
		}
		if (b->done < b->n)
			pause_for(delay, stop);
	}
	return 0;
}

int rs_slurm_run(struct rs_proc *procs, size_t n, const struct rs_exec *ex,
		 const volatile sig_atomic_t *stop, char *err, size_t err_size)
{
	struct batch b = { .procs = procs, .n = n, .ex = ex };
	int rc = -1;

	if (!n)
		return 0;
	b.queued = calloc(n, 1);
	b.gone = calloc(n, sizeof(*b.gone));
	b.ended = calloc(n, sizeof(*b.ended));
	b.seen = calloc(n, sizeof(*b.seen));
	snprintf(err, err_size, "out of memory");
	if (b.queued && b.gone && b.ended && b.seen && !prepare(&b, err, err_size) &&
	    !submit_all(&b, err, err_size))
		rc = wait_all(&b, stop);
	for (size_t i = 0; i < n && b.work[0]; i++) {
		if (rc < 0)
			procs[i].status = RS_PROC_NOT_STARTED;
		if (rc >= 0)
			append_slurm_output(&b, i);
		if (!b.ended[i])
			remove_leftovers(&procs[i]);
	}
	if (b.work[0])
		rs_remove_tree(b.work);
	free(b.arrays);
	free(b.queued);
	free(b.gone);
	free(b.ended);
	free(b.seen);
	return rc;
}
