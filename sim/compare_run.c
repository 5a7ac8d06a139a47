// SPDX-License-Identifier: GPL-2.0-only
/* Building a comparison's points and running each as a child `ringsim run`. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "compare.h"

int rs_vary_parse(const char *arg, struct rs_vary *v, struct rs_diag *diag)
{
	const char *eq = strchr(arg, '=');
	char *list, *tok, *save = NULL;

	memset(v, 0, sizeof(*v));
	if (!eq || eq == arg || !eq[1]) {
		rs_diag_add(diag, "--vary %s: expected PATH=V1,V2,... e.g. "
			    "platform.page-size=4KiB,64KiB", arg);
		return -1;
	}
	v->path = strndup(arg, (size_t)(eq - arg));
	list = strdup(eq + 1);
	if (!v->path || !list)
		goto oom;
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char **grown = realloc(v->values, (v->n_values + 1) * sizeof(*grown));

		if (!grown)
			goto oom;
		v->values = grown;
		if (!(v->values[v->n_values++] = strdup(tok)))
			goto oom;
	}
	free(list);
	if (!v->n_values) {
		rs_diag_add(diag, "--vary %s: no values", arg);
		return -1;
	}
	return 0;
oom:
	free(list);
	rs_diag_add(diag, "out of memory");
	return -1;
}

/* "job.r.depth" -> "depth": the attribute names a point. */
static const char *leaf(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot ? dot + 1 : path;
}

int rs_comparison_points(struct rs_comparison *c)
{
	size_t total = 1;

	for (size_t i = 0; i < c->n_vary; i++)
		total *= c->vary[i].n_values;
	c->points = calloc(total, sizeof(*c->points));
	if (!c->points)
		return -1;
	c->n_points = total;
	for (size_t p = 0; p < total; p++) {
		struct rs_point *pt = &c->points[p];
		size_t rest = p, name_len = 1;

		pt->sets = calloc(c->n_vary ? c->n_vary : 1, sizeof(*pt->sets));
		if (!pt->sets)
			return -1;
		pt->n_sets = c->n_vary;
		/* the last --vary changes fastest */
		for (size_t i = c->n_vary; i-- > 0;) {
			const struct rs_vary *v = &c->vary[i];
			const char *val = v->values[rest % v->n_values];

			rest /= v->n_values;
			if (asprintf(&pt->sets[i], "%s=%s", v->path, val) < 0)
				return -1;
			name_len += strlen(leaf(v->path)) + strlen(val) + 2;
		}
		pt->name = calloc(1, name_len + 8);
		if (!pt->name)
			return -1;
		for (size_t i = 0; i < c->n_vary; i++) {
			const char *val = strchr(pt->sets[i], '=') + 1;

			sprintf(pt->name + strlen(pt->name), "%s%s=%s", i ? "," : "",
				leaf(c->vary[i].path), val);
		}
		if (!c->n_vary)
			strcpy(pt->name, "base");
	}
	return 0;
}

static pid_t start_child(const struct rs_comparison *c, const struct rs_point *pt,
			 const char *self, const char *dir)
{
	char out[4096], log[4096];
	char **argv = calloc(2 * pt->n_sets + 8, sizeof(*argv));
	size_t a = 0;
	pid_t pid;

	if (!argv)
		return -1;
	snprintf(out, sizeof(out), "%s/%s", dir, pt->name);
	snprintf(log, sizeof(log), "%s/%s.log", dir, pt->name);
	argv[a++] = (char *)self;
	argv[a++] = "run";
	argv[a++] = c->file;
	for (size_t i = 0; i < pt->n_sets; i++) {
		argv[a++] = "--set";
		argv[a++] = pt->sets[i];
	}
	argv[a++] = "-o";
	argv[a++] = out;
	argv[a++] = "--quiet";
	pid = fork();
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0666);

		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
		execv(self, argv);
		_exit(127);
	}
	free(argv);
	return pid;
}

/* The status a finished child left in its summary.json, or "failed". */
static char *point_status(const char *dir, const struct rs_point *pt, int code)
{
	static const char *const known[] = { "ok", "expect_failed", "dut_bug", "deadlock" };
	char path[4096], buf[4096];
	FILE *f;

	if (code != RS_EXIT_OK && code != RS_EXIT_FAILED)
		return strdup("failed");
	snprintf(path, sizeof(path), "%s/%s/summary.json", dir, pt->name);
	f = fopen(path, "r");
	if (!f)
		return strdup("failed");
	buf[fread(buf, 1, sizeof(buf) - 1, f)] = '\0';
	fclose(f);
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		char want[64];

		snprintf(want, sizeof(want), "\"status\": \"%s\"", known[i]);
		if (strstr(buf, want))
			return strdup(known[i]);
	}
	return strdup("failed");
}

/* The child's first error line, for a point that failed. */
static char *point_error(const char *dir, const struct rs_point *pt, int code)
{
	char path[4096], line[1024] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.log", dir, pt->name);
	f = fopen(path, "r");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (line[0] && line[0] != '\n')
				break;
		fclose(f);
	}
	line[strcspn(line, "\n")] = '\0';
	if (!line[0])
		snprintf(line, sizeof(line), "ringsim run ended with status %d", code);
	return strdup(line);
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int rs_comparison_run(struct rs_comparison *c, const char *self, const char *dir, int jobs,
		      bool progress)
{
	pid_t *pids = calloc(c->n_points, sizeof(*pids));
	size_t next = 0, running = 0, done = 0, todo = 0;
	double t0 = seconds();

	if (!pids)
		return -1;
	for (size_t i = 0; i < c->n_points; i++)
		todo += !c->points[i].status;
	while (done < todo) {
		while (running < (size_t)jobs && next < c->n_points) {
			struct rs_point *pt = &c->points[next];

			if (!pt->status) {
				pids[next] = start_child(c, pt, self, dir);
				if (pids[next] < 0) {
					free(pids);
					return -1;
				}
				running++;
			}
			next++;
		}
		int wstatus;
		pid_t pid = wait(&wstatus);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (size_t i = 0; i < c->n_points; i++) {
			int code;

			if (pids[i] != pid)
				continue;
			code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
			c->points[i].status = point_status(dir, &c->points[i], code);
			if (!strcmp(c->points[i].status, "failed"))
				c->points[i].error = point_error(dir, &c->points[i], code);
			running--;
			done++;
		}
		if (progress) {
			double el = seconds() - t0;

			fprintf(stderr, "\rcompare: %zu of %zu points done, %.1f s elapsed, ~%.0f s "
				"left ", done, todo, el, done ? el / (double)done * (double)(todo - done)
				: 0.0);
		}
	}
	if (progress)
		fputc('\n', stderr);
	free(pids);
	return 0;
}

void rs_comparison_free(struct rs_comparison *c)
{
	for (size_t i = 0; i < c->n_vary; i++) {
		for (size_t j = 0; j < c->vary[i].n_values; j++)
			free(c->vary[i].values[j]);
		free(c->vary[i].values);
		free(c->vary[i].path);
	}
	for (size_t p = 0; p < c->n_points; p++) {
		struct rs_point *pt = &c->points[p];

		for (size_t i = 0; i < pt->n_sets; i++)
			free(pt->sets[i]);
		free(pt->sets);
		free(pt->name);
		free(pt->status);
		free(pt->error);
		free(pt->source_dir);
	}
	free(c->points);
	free(c->scenario);
	free(c->file);
}
