// SPDX-License-Identifier: GPL-2.0-only
#include "compare/procpool.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static pid_t start(const struct rs_proc *p)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(p->log, O_WRONLY | O_CREAT | O_TRUNC, 0666);

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

int rs_procs_run(struct rs_proc *procs, size_t n, int jobs,
		 void (*on_done)(size_t done, size_t total, void *arg), void *arg)
{
	pid_t *pids = calloc(n ? n : 1, sizeof(*pids));
	double *started = calloc(n ? n : 1, sizeof(*started));
	size_t next = 0, running = 0, done = 0;
	int rc = 0;

	if (!pids || !started) {
		free(pids);
		free(started);
		return -1;
	}
	while (done < n) {
		while (running < (size_t)jobs && next < n) {
			started[next] = now();
			pids[next] = start(&procs[next]);
			if (pids[next] < 0) {
				procs[next].status = 127;
				rc = -1;
				done++;
			} else {
				running++;
			}
			next++;
		}
		/* Poll our own children only: other code may wait for its own (gnuplot). */
		for (size_t i = 0; i < next; i++) {
			int ws;
			pid_t r;

			if (pids[i] <= 0)
				continue;
			r = waitpid(pids[i], &ws, WNOHANG);
			if (r == 0 && procs[i].timeout > 0 &&
			    now() - started[i] > procs[i].timeout) {
				kill(pids[i], SIGKILL);
				waitpid(pids[i], &ws, 0);
				procs[i].status = RS_PROC_TIMED_OUT;
			} else if (r == pids[i]) {
				procs[i].status = WIFEXITED(ws) ? WEXITSTATUS(ws) :
					128 + WTERMSIG(ws);
			} else {
				continue;
			}
			procs[i].seconds = now() - started[i];
			pids[i] = 0;
			running--;
			done++;
			if (on_done)
				on_done(done, n, arg);
		}
		if (done < n)
			nanosleep(&(struct timespec){ 0, 5000000 }, NULL); /* 5 ms */
	}
	free(pids);
	free(started);
	return rc;
}
