// SPDX-License-Identifier: GPL-2.0-only
#include "compare/procpool.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag/exit.h"
#include "results/results_dir.h"

/* The children started so far: pids[i] > 0 while child i runs. */
struct pool {
	struct rs_proc *procs;
	size_t n;
	pid_t *pids;
	double *started;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void pause_5ms(void)
{
	nanosleep(&(struct timespec){ 0, 5000000 }, NULL); /* a signal ends it early: fine */
}

static pid_t start(const struct rs_proc *p, pid_t parent)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd;

		/*
		 * Die with the parent, even a SIGKILLed one: SIGTERM makes `ringsim run` stop
		 * and keep nothing. If the parent died before prctl(), nobody sends it: the
		 * child was reparented already (prctl(2)).
		 */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != parent)
			_exit(RS_EXIT_SIGTERM);
		fd = open(p->log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
		execv(p->argv[0], p->argv);
		_exit(127);
	}
	return pid;
}

static int exit_code(int ws)
{
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

/* A child that was killed could not remove its results' OUT.tmp-PID: do it for it. */
static void remove_tmp(const struct rs_proc *p, pid_t pid)
{
	char path[4096];

	if (!p->out)
		return;
	snprintf(path, sizeof(path), "%s.tmp-%ld", p->out, (long)pid);
	rs_remove_tree(path);
}

static void wait_for(pid_t pid, int *ws)
{
	while (waitpid(pid, ws, 0) < 0 && errno == EINTR)
		;
}

/* Child @i has ended after a stop: counted as stopped, its leftovers removed. */
static void stopped(struct pool *pl, size_t i)
{
	pl->procs[i].status = RS_PROC_STOPPED;
	pl->procs[i].seconds = now() - pl->started[i];
	remove_tmp(&pl->procs[i], pl->pids[i]);
	pl->pids[i] = 0;
}

/*
 * Forward @sig to every running child, give them RS_PROCS_GRACE_SECONDS, then SIGKILL the
 * rest; @next children were started. One that already ended with 130 or 143 had the same
 * signal (Ctrl-C reaches the whole process group) and counts as stopped too.
 */
static void stop_all(struct pool *pl, size_t next, int sig)
{
	size_t left = 0;
	double t0 = now();
	int ws;

	for (size_t i = 0; i < next; i++)
		if (pl->pids[i] > 0) {
			kill(pl->pids[i], sig);
			left++;
		}
	while (left && now() - t0 < RS_PROCS_GRACE_SECONDS) {
		for (size_t i = 0; i < next; i++)
			if (pl->pids[i] > 0 && waitpid(pl->pids[i], &ws, WNOHANG) == pl->pids[i]) {
				stopped(pl, i);
				left--;
			}
		if (left)
			pause_5ms();
	}
	for (size_t i = 0; i < next; i++) {
		if (pl->pids[i] > 0) {
			kill(pl->pids[i], SIGKILL);
			wait_for(pl->pids[i], &ws);
			stopped(pl, i);
		} else if (pl->procs[i].status == RS_EXIT_SIGNAL ||
			   pl->procs[i].status == RS_EXIT_SIGTERM) {
			pl->procs[i].status = RS_PROC_STOPPED;
		}
	}
	for (size_t i = next; i < pl->n; i++)
		pl->procs[i].status = RS_PROC_NOT_STARTED;
}

/* Whether child @i has ended (or was killed at its time limit); its status set if so. */
static bool reap(struct pool *pl, size_t i)
{
	struct rs_proc *p = &pl->procs[i];
	int ws;
	pid_t r = waitpid(pl->pids[i], &ws, WNOHANG);

	if (r == pl->pids[i]) {
		p->status = exit_code(ws);
	} else if (r == 0 && p->timeout > 0 && now() - pl->started[i] > p->timeout) {
		kill(pl->pids[i], SIGKILL);
		wait_for(pl->pids[i], &ws);
		remove_tmp(p, pl->pids[i]);
		p->status = RS_PROC_TIMED_OUT;
	} else {
		return false;
	}
	p->seconds = now() - pl->started[i];
	pl->pids[i] = 0;
	return true;
}

int rs_procs_run(struct rs_proc *procs, size_t n, int jobs, const volatile sig_atomic_t *stop,
		 void (*on_done)(size_t done, size_t total, void *arg), void *arg)
{
	struct pool pl = {
		.procs = procs, .n = n,
		.pids = calloc(n ? n : 1, sizeof(pid_t)),
		.started = calloc(n ? n : 1, sizeof(double)),
	};
	size_t next = 0, running = 0, done = 0;
	pid_t self = getpid();
	int rc = 0;

	if (!pl.pids || !pl.started) {
		free(pl.pids);
		free(pl.started);
		return -1;
	}
	while (done < n) {
		if (stop && *stop) {
			stop_all(&pl, next, *stop);
			rc = RS_PROCS_STOPPED;
			break;
		}
		while (running < (size_t)jobs && next < n) {
			pl.started[next] = now();
			pl.pids[next] = start(&procs[next], self);
			if (pl.pids[next] < 0) {
				procs[next].status = 127;
				pl.pids[next] = 0;
				rc = -1;
				done++;
			} else {
				running++;
			}
			next++;
		}
		/* Poll our own children only: other code may wait for its own (gnuplot). */
		for (size_t i = 0; i < next; i++) {
			if (pl.pids[i] <= 0 || !reap(&pl, i))
				continue;
			running--;
			done++;
			if (on_done)
				on_done(done, n, arg);
		}
		if (done < n)
			pause_5ms();
	}
	free(pl.pids);
	free(pl.started);
	return rc;
}

size_t rs_argv_len(const char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}
