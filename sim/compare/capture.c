// SPDX-License-Identifier: GPL-2.0-only
/* capture: fork, exec, read stdout and stderr through two pipes, wait. */
#include "compare/capture.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

struct sink {
	int fd;
	char *buf;
	size_t size, len;
};

/* Read what is there from @s->fd; close it at EOF (fd -1). */
static void drain(struct sink *s)
{
	char tmp[4096];
	ssize_t r = read(s->fd, tmp, sizeof(tmp));

	if (r < 0 && errno == EINTR)
		return;
	if (r <= 0) {
		close(s->fd);
		s->fd = -1;
		return;
	}
	for (ssize_t i = 0; i < r && s->buf && s->len + 1 < s->size; i++)
		s->buf[s->len++] = tmp[i];
	if (s->buf)
		s->buf[s->len] = '\0';
}

static void read_both(struct sink *o, struct sink *e)
{
	while (o->fd >= 0 || e->fd >= 0) {
		struct pollfd p[2] = { { .fd = o->fd, .events = POLLIN },
				       { .fd = e->fd, .events = POLLIN } };

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (o->fd >= 0 && p[0].revents)
			drain(o);
		if (e->fd >= 0 && p[1].revents)
			drain(e);
	}
	if (o->fd >= 0)
		close(o->fd);
	if (e->fd >= 0)
		close(e->fd);
}

int rs_capture(char *const argv[], char *out, size_t out_size, char *errout,
	       size_t err_size)
{
	int po[2], pe[2], ws;
	struct sink o = { .buf = out, .size = out_size };
	struct sink e = { .buf = err_size ? errout : NULL, .size = err_size };
	pid_t pid;

	out[0] = '\0';
	if (errout && err_size)
		errout[0] = '\0';
	if (pipe(po))
		return -1;
	if (pipe(pe)) {
		close(po[0]);
		close(po[1]);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		dup2(po[1], STDOUT_FILENO);
		dup2(pe[1], STDERR_FILENO);
		close(po[0]);
		close(po[1]);
		close(pe[0]);
		close(pe[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	if (pid < 0) {
		close(po[0]);
		close(pe[0]);
		return -1;
	}
	o.fd = po[0];
	e.fd = pe[0];
	read_both(&o, &e);
	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}
