// SPDX-License-Identifier: GPL-2.0-only
/* Building a comparison's points and running each as a child `ringsim run`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag/exit.h"
#include "compare/compare.h"
#include "compare/exec.h"
#include "compare/procpool.h"

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
		goto fail;
	}
	return 0;
oom:
	free(list);
	rs_diag_add(diag, "out of memory");
fail: /* nothing of @v is left to free: the callers count only a parsed one */
	for (size_t i = 0; i < v->n_values; i++)
		free(v->values[i]);
	free(v->values);
	free(v->path);
	memset(v, 0, sizeof(*v));
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
		/* The name is the point's directory: a file's path (a DUT object) stays flat. */
		for (char *ch = pt->name; *ch; ch++)
			if (*ch == '/')
				*ch = '_';
		if (!c->n_vary)
			strcpy(pt->name, "base");
	}
	return 0;
}

/* The status a finished child left in its summary.json, or "failed". */
static char *point_status(const char *dir, const struct rs_point *pt, int code)
{
	static const char *const known[] = { "ok", "expect_failed", "dut_bug", "dut_crash",
					      "deadlock", "time_limit" };
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

struct progress {
	double t0;
	bool on;
};

static void show_progress(size_t done, size_t total, void *arg)
{
	struct progress *pg = arg;
	struct timespec ts;
	double el;

	if (!pg->on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	el = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9 - pg->t0;
	fprintf(stderr, "\rcompare: %3.0f%% %zu/%zu points, %.1f s elapsed", 100.0 *
		(double)done / (double)total, done, total, el);
	if (done && done < total)
		fprintf(stderr, ", ~%.0f s left", el / (double)done * (double)(total - done));
	fputs(done == total ? "\033[K\n" : "\033[K", stderr);
}

/* `SELF run FILE --set ... -o DIR/NAME --quiet [--dut-coverage] [--pcaps ...]`, as a
 * NULL-terminated argv. */
static char **child_argv(const struct rs_comparison *c, const struct rs_point *pt,
			 const char *self, const char *dir)
{
	const size_t n_pcap = rs_argv_len(c->pcap_args);
	char **argv = calloc(2 * pt->n_sets + 9 + n_pcap, sizeof(*argv));
	size_t a = 0;

	if (!argv)
		return NULL;
	argv[a++] = strdup(self);
	argv[a++] = strdup("run");
	argv[a++] = strdup(c->file);
	for (size_t i = 0; i < pt->n_sets; i++) {
		argv[a++] = strdup("--set");
		argv[a++] = strdup(pt->sets[i]);
	}
	argv[a++] = strdup("-o");
	if (asprintf(&argv[a++], "%s/%s", dir, pt->name) < 0)
		argv[a - 1] = NULL;
	argv[a++] = strdup("--quiet");
	if (c->dut_coverage)
		argv[a++] = strdup("--dut-coverage");
	for (size_t i = 0; i < n_pcap; i++)
		argv[a++] = strdup(c->pcap_args[i]);
	return argv;
}

/* A point whose run ended (@p->status is its exit status) or whose Slurm task was lost. */
static void point_ended(struct rs_point *pt, const struct rs_proc *p, const char *dir)
{
	char *why;

	if (p->status == RS_PROC_LOST) {
		pt->status = strdup("failed");
		pt->error = strdup(p->note ? p->note : "its Slurm task ended without a status");
		return;
	}
	pt->status = point_status(dir, pt, p->status);
	if (strcmp(pt->status, "failed"))
		return;
	pt->error = point_error(dir, pt, p->status);
	if (pt->error && p->note && asprintf(&why, "%s (%s)", pt->error, p->note) >= 0) {
		free(pt->error);
		pt->error = why;
	}
}

/* After a stop, under Slurm: the points whose tasks ended count, the others are marked. */
static void point_stopped(struct rs_point *pt, const struct rs_proc *p, const char *dir)
{
	if (p->status >= 0 || p->status == RS_PROC_LOST) {
		point_ended(pt, p, dir);
		return;
	}
	pt->status = strdup("interrupted");
	pt->error = strdup("the comparison was stopped before this point ended; "
			   "--resume DIR runs it");
}

/*
 * The children's argv: under Slurm the scenario and DIR as absolute paths, since a task
 * starts in the directory sbatch was given (--chdir, which --slurm-args may change).
 */
static int make_procs(struct rs_comparison *c, const char *self, const struct rs_exec *ex,
		      struct rs_proc *procs, size_t *which, size_t *n)
{
	char *abs_dir = ex->kind == RS_EXEC_SLURM ? realpath(ex->dir, NULL) : NULL;
	char *abs_file = ex->kind == RS_EXEC_SLURM ? realpath(c->file, NULL) : NULL;
	char *file = c->file;
	const char *dir = abs_dir ? abs_dir : ex->dir;
	int rc = 0;

	if (abs_file)
		c->file = abs_file;
	for (size_t i = 0; i < c->n_points; i++) {
		char *log;

		if (c->points[i].status)
			continue; /* did not load, or kept by --resume: nothing to run */
		procs[*n].argv = child_argv(c, &c->points[i], self, dir);
		procs[*n].log = asprintf(&log, "%s/%s.log", ex->dir, c->points[i].name) < 0 ?
				NULL : log;
		/* child_argv()'s -o DIR/NAME, after SELF run FILE and the --set pairs */
		procs[*n].out = procs[*n].argv ? procs[*n].argv[2 * c->points[i].n_sets + 4] :
				NULL;
		which[(*n)++] = i;
		if (!procs[*n - 1].argv || !procs[*n - 1].log || !procs[*n - 1].out) {
			rc = -1;
			break;
		}
	}
	c->file = file;
	free(abs_file);
	free(abs_dir);
	return rc;
}

int rs_comparison_run(struct rs_comparison *c, const char *self, const struct rs_exec *ex,
		      const volatile sig_atomic_t *stop, char *err, size_t err_size)
{
	struct rs_proc *procs = calloc(c->n_points ? c->n_points : 1, sizeof(*procs));
	size_t *which = calloc(c->n_points ? c->n_points : 1, sizeof(*which));
	struct progress pg = { 0, ex->progress };
	struct timespec ts;
	size_t n = 0;
	int rc = -1;

	snprintf(err, err_size, "out of memory");
	if (!procs || !which || make_procs(c, self, ex, procs, which, &n))
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	pg.t0 = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
	rc = rs_exec_run(procs, n, ex, stop, show_progress, &pg, err, err_size);
	if (rc == RS_PROCS_STOPPED && pg.on && ex->kind == RS_EXEC_LOCAL)
		fputc('\n', stderr); /* end the progress line */
	for (size_t k = 0; k < n && (rc >= 0 || ex->kind == RS_EXEC_LOCAL); k++) {
		struct rs_point *pt = &c->points[which[k]];

		if (rc != RS_PROCS_STOPPED)
			point_ended(pt, &procs[k], ex->dir);
		else if (ex->kind == RS_EXEC_SLURM)
			point_stopped(pt, &procs[k], ex->dir);
	}
out:
	for (size_t k = 0; procs && k < c->n_points; k++) {
		for (size_t a = 0; procs[k].argv && procs[k].argv[a]; a++)
			free(procs[k].argv[a]);
		free(procs[k].argv);
		free((char *)procs[k].log);
		free(procs[k].note);
	}
	free(procs);
	free(which);
	return rc;
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
	free(c->sweep_file);
}
