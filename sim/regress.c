// SPDX-License-Identifier: GPL-2.0-only
#include "regress.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "golden.h"
#include "procpool.h"
#include "scenario.h"

void rs_regress_add(struct rs_regress *r, const char *file)
{
	struct rs_regress_case *grown = realloc(r->cases, (r->n + 1) * sizeof(*grown));
	struct rs_regress_case *c;
	struct rs_diag diag = { 0 };
	struct rs_scenario *s;

	if (!grown)
		return;
	r->cases = grown;
	c = &r->cases[r->n++];
	memset(c, 0, sizeof(*c));
	c->file = strdup(file);
	s = rs_scenario_load(file, NULL, 0, NULL, 0, &diag);
	if (s) {
		c->name = strdup(s->name);
		c->seed = s->seed;
	} else {
		c->name = strdup(file);
		c->load_error = strdup(diag.n ? diag.msgs[0] : "does not load");
	}
	rs_diag_clear(&diag);
	rs_scenario_free(s);
}

static char *run_dir(const struct rs_regress *r, size_t i, int rep)
{
	char *p;

	return asprintf(&p, "%s/%zu-%d", r->dir, i, rep) < 0 ? NULL : p;
}

void rs_regress_run(struct rs_regress *r, int jobs)
{
	size_t total = r->n * (size_t)r->replications, n = 0;
	struct rs_proc *procs = calloc(total ? total : 1, sizeof(*procs));

	if (!procs)
		return;
	for (size_t i = 0; i < r->n; i++) {
		struct rs_regress_case *c = &r->cases[i];

		c->status = calloc((size_t)r->replications, sizeof(*c->status));
		if (c->load_error || !c->status)
			continue;
		for (int k = 0; k < r->replications; k++) {
			struct rs_proc *p = &procs[n++];
			char **argv = calloc(10, sizeof(*argv));
			char *log;

			argv[0] = strdup(r->self);
			argv[1] = strdup("run");
			argv[2] = strdup(c->file);
			argv[3] = strdup("--set");
			if (asprintf(&argv[4], "scenario.seed=%llu",
				     (unsigned long long)(c->seed + (uint64_t)k)) < 0)
				argv[4] = NULL;
			argv[5] = strdup("-o");
			argv[6] = run_dir(r, i, k);
			argv[7] = strdup("--quiet");
			p->argv = argv;
			p->log = asprintf(&log, "%s/%zu-%d.log", r->dir, i, k) < 0 ? NULL : log;
			p->timeout = r->timeout;
		}
	}
	rs_procs_run(procs, n, jobs, NULL, NULL);
	n = 0;
	for (size_t i = 0; i < r->n; i++) {
		struct rs_regress_case *c = &r->cases[i];

		if (c->load_error || !c->status)
			continue;
		for (int k = 0; k < r->replications; k++, n++) {
			c->status[k] = procs[n].status;
			c->seconds += procs[n].seconds;
			for (int a = 0; procs[n].argv[a]; a++)
				free(procs[n].argv[a]);
			free(procs[n].argv);
			free((char *)procs[n].log);
		}
	}
	free(procs);
}

/* Append one formatted line to @c's failures. */
static void fail(struct rs_regress_case *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct rs_regress_case *c, const char *fmt, ...)
{
	char line[2048], *grown;
	size_t have = c->failures ? strlen(c->failures) : 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	grown = realloc(c->failures, have + strlen(line) + 2);
	if (!grown)
		return;
	c->failures = grown;
	strcpy(c->failures + have, line);
	strcat(c->failures, "\n");
}

/* The failed expectations of one run, from its summary.json. */
static void expectation_failures(struct rs_regress_case *c, json_t *summary, const char *tag)
{
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(summary, "expectations"), i, e) {
		json_t *actual = json_object_get(e, "actual");
		const char *what = json_string_value(json_object_get(e, "metric"));

		if (json_is_true(json_object_get(e, "pass")))
			continue;
		if (!what)
			what = json_string_value(json_object_get(e, "finding"));
		if (json_is_number(actual))
			fail(c, "%sexpect %s %s %.12g: actual %.12g", tag, what,
			     json_string_value(json_object_get(e, "op")),
			     json_number_value(json_object_get(e, "expected")),
			     json_number_value(actual));
		else
			fail(c, "%sexpect %s %s %.12g: not measured", tag, what,
			     json_string_value(json_object_get(e, "op")),
			     json_number_value(json_object_get(e, "expected")));
	}
}

static char *golden_path(const char *file)
{
	size_t n = strlen(file);
	char *p = malloc(n + 16);

	if (p) {
		memcpy(p, file, n - 4); /* strip .xml */
		strcpy(p + n - 4, ".golden.json");
	}
	return p;
}

/* Judge one case: how its runs ended, their expectations, and its golden. */
static void judge(struct rs_regress *r, size_t i)
{
	struct rs_regress_case *c = &r->cases[i];
	json_t **flat = calloc((size_t)r->replications, sizeof(*flat));
	int ran = 0;

	if (c->load_error) {
		fail(c, "%s", c->load_error);
		free(flat);
		return;
	}
	for (int k = 0; k < r->replications; k++) {
		char tag[64] = "", path[4096], *dir = run_dir(r, i, k);
		json_t *summary;

		if (r->replications > 1)
			snprintf(tag, sizeof(tag), "seed %llu: ",
				 (unsigned long long)(c->seed + (uint64_t)k));
		snprintf(path, sizeof(path), "%s/summary.json", dir);
		free(dir);
		if (c->status[k] == RS_PROC_TIMED_OUT) {
			fail(c, "%stimed out after %g s", tag, r->timeout);
			continue;
		}
		summary = (c->status[k] == 0 || c->status[k] == 1) ? json_load_file(path, 0, NULL)
			: NULL;
		if (!summary) {
			fail(c, "%sringsim run ended with status %d (see its log in -o DIR)", tag,
			     c->status[k]);
			continue;
		}
		const char *st = json_string_value(json_object_get(summary, "status"));
		if (st && strcmp(st, "ok") && strcmp(st, "expect_failed"))
			fail(c, "%srun status %s", tag, st);
		expectation_failures(c, summary, tag);
		flat[ran++] = rs_metrics_flatten(summary);
		json_decref(summary);
	}
	if (ran == r->replications) {
		char *gpath = golden_path(c->file);
		json_t *golden;

		if (r->update_golden) {
			golden = rs_golden_build((void *const *)flat, (size_t)ran, c->name);
			c->golden_written = !json_dump_file(golden, gpath, JSON_INDENT(1) |
							   JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
			if (!c->golden_written)
				fail(c, "%s: cannot write the golden", gpath);
			json_decref(golden);
		} else if ((golden = json_load_file(gpath, 0, NULL))) {
			char *buf = NULL;
			size_t len = 0;
			FILE *mem = open_memstream(&buf, &len);

			if (mem) {
				rs_golden_check(golden, (void *const *)flat, (size_t)ran, mem, "");
				fclose(mem);
			}
			for (char *line = buf ? strtok(buf, "\n") : NULL; line;
			     line = strtok(NULL, "\n"))
				fail(c, "%s", line);
			free(buf);
			json_decref(golden);
		}
		free(gpath);
	}
	for (int k = 0; k < ran; k++)
		json_decref(flat[k]);
	free(flat);
}

size_t rs_regress_report(struct rs_regress *r, FILE *out)
{
	size_t failed = 0;

	for (size_t i = 0; i < r->n; i++) {
		struct rs_regress_case *c = &r->cases[i];

		judge(r, i);
		failed += c->failures != NULL;
		fprintf(out, "%s %s (%d run%s, %.2f s)%s\n", c->failures ? "FAIL" : "PASS", c->file,
			r->replications, r->replications > 1 ? "s" : "", c->seconds,
			c->golden_written ? ", golden written" : "");
		for (char *p = c->failures; p && *p;) {
			char *nl = strchr(p, '\n');

			fprintf(out, "    %.*s\n", (int)(nl ? nl - p : (long)strlen(p)), p);
			p = nl ? nl + 1 : p + strlen(p);
		}
	}
	return failed;
}

static void xml_escaped(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

int rs_regress_junit(const struct rs_regress *r, const char *path)
{
	FILE *f = fopen(path, "w");
	size_t failed = 0;
	double total = 0;

	if (!f)
		return -1;
	for (size_t i = 0; i < r->n; i++) {
		failed += r->cases[i].failures != NULL;
		total += r->cases[i].seconds;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
		"  <testsuite name=\"ringsim regress\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
		"time=\"%.3f\">\n", r->n, failed, total);
	for (size_t i = 0; i < r->n; i++) {
		const struct rs_regress_case *c = &r->cases[i];
		char path_s[4096], *dir = run_dir(r, i, 0);
		json_t *summary;

		fputs("    <testcase classname=\"", f);
		xml_escaped(f, c->file);
		fputs("\" name=\"", f);
		xml_escaped(f, c->name);
		fprintf(f, "\" time=\"%.3f\">\n", c->seconds);
		for (char *p = c->failures; p && *p;) {
			char *nl = strchr(p, '\n');
			char line[2048];

			snprintf(line, sizeof(line), "%.*s", (int)(nl ? nl - p : (long)strlen(p)), p);
			fputs("      <failure message=\"", f);
			xml_escaped(f, line);
			fputs("\"/>\n", f);
			p = nl ? nl + 1 : p + strlen(p);
		}
		snprintf(path_s, sizeof(path_s), "%s/summary.json", dir ? dir : "");
		summary = json_load_file(path_s, 0, NULL);
		if (summary) {
			char *text = json_dumps(summary, JSON_INDENT(1));

			fputs("      <system-out>", f);
			xml_escaped(f, text);
			fputs("</system-out>\n", f);
			free(text);
			json_decref(summary);
		}
		free(dir);
		fputs("    </testcase>\n", f);
	}
	fputs("  </testsuite>\n</testsuites>\n", f);
	return fclose(f);
}

void rs_regress_free(struct rs_regress *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->cases[i].file);
		free(r->cases[i].name);
		free(r->cases[i].load_error);
		free(r->cases[i].status);
		free(r->cases[i].failures);
	}
	free(r->cases);
}
