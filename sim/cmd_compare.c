// SPDX-License-Identifier: GPL-2.0-only
/*
 * ringsim compare: a scenario at every combination of --vary values (or of a <sweep>
 * file's), or existing results side by side; each point in its own process, -j at a time;
 * then compare.json, compare.csv, plots and the report, all in one directory written
 * atomically.
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "cli.h"
#include "compare.h"
#include "report.h"
#include "results_dir.h"
#include "scenario.h"

#define MAX_DIRS 64

struct compare_args {
	const char *file;
	const char *dirs[MAX_DIRS];
	size_t n_dirs;
	const char *vary[RS_MAX_VARY];
	size_t n_vary;
	const char *out;
	int jobs;
	int quiet;
};

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int parse_args(int argc, char **argv, struct compare_args *a)
{
	a->jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (a->jobs < 1)
		a->jobs = 1;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if ((!strcmp(arg, "--vary") || !strcmp(arg, "-o") || !strcmp(arg, "-j")) &&
		    i + 1 >= argc) {
			fprintf(stderr, "ringsim compare: %s needs a value\n", arg);
			return -1;
		}
		if (!strcmp(arg, "--vary")) {
			if (a->n_vary == RS_MAX_VARY) {
				fprintf(stderr, "ringsim compare: at most %d --vary\n", RS_MAX_VARY);
				return -1;
			}
			a->vary[a->n_vary++] = argv[++i];
		} else if (!strcmp(arg, "-o")) {
			a->out = argv[++i];
		} else if (!strcmp(arg, "-j")) {
			a->jobs = atoi(argv[++i]);
			if (a->jobs < 1 || a->jobs > 256) {
				fprintf(stderr, "ringsim compare: -j %s: use 1 to 256\n", argv[i]);
				return -1;
			}
		} else if (!strcmp(arg, "--quiet") || !strcmp(arg, "-q")) {
			a->quiet = 1;
		} else if (arg[0] == '-') {
			fprintf(stderr, "ringsim compare: unknown option '%s'; options: --vary "
				"PATH=V1,V2, -o DIR, -j N, --quiet\n", arg);
			return -1;
		} else if (is_dir(arg)) {
			if (a->n_dirs == MAX_DIRS) {
				fprintf(stderr, "ringsim compare: at most %d directories\n", MAX_DIRS);
				return -1;
			}
			a->dirs[a->n_dirs++] = arg;
		} else if (!a->file) {
			a->file = arg;
		} else {
			fprintf(stderr, "ringsim compare: one scenario at a time ('%s' and '%s')\n",
				a->file, arg);
			return -1;
		}
	}
	if ((a->file != NULL) == (a->n_dirs != 0)) {
		fputs("usage: ringsim compare FILE.xml --vary PATH=V1,V2... [-o DIR] [-j N]\n"
		      "       ringsim compare RESULTS_DIR RESULTS_DIR... [-o DIR]\n", stderr);
		return -1;
	}
	return 0;
}

/*
 * A sweep file: <sweep base="scenario.xml"><vary path="..." values="a,b"/>...</sweep>.
 * Return: 1 and fills @c (file, vary) when @file is one, 0 when it is not, -1 on error.
 */
static int load_sweep(const char *file, struct rs_comparison *c, struct rs_diag *diag)
{
	xmlDocPtr doc = xmlReadFile(file, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
	int rc = 0;

	if (!root || strcmp((const char *)root->name, "sweep")) {
		xmlFreeDoc(doc);
		return 0;
	}
	xmlChar *base = xmlGetProp(root, (const xmlChar *)"base");
	if (!base) {
		rs_diag_add(diag, "%s:%ld: <sweep>: the attribute 'base' (the scenario file) is "
			    "required", file, xmlGetLineNo(root));
		rc = -1;
	} else {
		char *copy = strdup(file);

		if (base[0] == '/' || asprintf(&c->file, "%s/%s", dirname(copy), base) < 0)
			c->file = strdup((const char *)base);
		free(copy);
		rc = 1;
	}
	for (xmlNodePtr n = root->children; rc == 1 && n; n = n->next) {
		xmlChar *path, *values;
		char *arg;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		path = xmlGetProp(n, (const xmlChar *)"path");
		values = xmlGetProp(n, (const xmlChar *)"values");
		if (strcmp((const char *)n->name, "vary") || !path || !values ||
		    c->n_vary == RS_MAX_VARY) {
			rs_diag_add(diag, "%s:%ld: <%s>: expected <vary path=\"PATH\" "
				    "values=\"V1,V2\"/> (at most %d)", file, xmlGetLineNo(n),
				    (const char *)n->name, RS_MAX_VARY);
			rc = -1;
		} else if (asprintf(&arg, "%s=%s", path, values) >= 0) {
			if (rs_vary_parse(arg, &c->vary[c->n_vary], diag) == 0)
				c->n_vary++;
			else
				rc = -1;
			free(arg);
		}
		xmlFree(path);
		xmlFree(values);
	}
	xmlFree(base);
	xmlFreeDoc(doc);
	return rc;
}

/* Check every point's scenario; a point that does not load fails, the others still run. */
static int check_points(struct rs_comparison *c, struct rs_diag *diag)
{
	size_t bad = 0;

	for (size_t i = 0; i < c->n_points; i++) {
		struct rs_point *pt = &c->points[i];
		struct rs_diag d = { 0 };
		struct rs_scenario *s = rs_scenario_load(c->file, NULL, 0, pt->sets, pt->n_sets,
							 &d);

		if (!s) {
			bad++;
			pt->status = strdup("failed");
			pt->error = strdup(d.n ? d.msgs[0] : "does not load");
			for (size_t m = 0; m < d.n; m++)
				rs_diag_add(diag, "point %s: %s", pt->name, d.msgs[m]);
		}
		rs_diag_clear(&d);
		rs_scenario_free(s);
	}
	return bad == c->n_points ? -1 : 0;
}

/* compare DIR...: each existing result is a point, linked into the comparison. */
static int existing_points(const struct compare_args *a, struct rs_comparison *c,
			   const char *tmp, struct rs_diag *diag)
{
	c->points = calloc(a->n_dirs, sizeof(*c->points));
	if (!c->points)
		return -1;
	c->n_points = a->n_dirs;
	for (size_t i = 0; i < a->n_dirs; i++) {
		struct rs_point *pt = &c->points[i];
		char *copy = strdup(a->dirs[i]), *real = realpath(a->dirs[i], NULL), link[4096];

		pt->name = strdup(basename(copy));
		free(copy);
		pt->source_dir = real;
		pt->status = strdup("ok");
		snprintf(link, sizeof(link), "%s/summary.json", a->dirs[i]);
		if (access(link, R_OK)) {
			rs_diag_add(diag, "%s: not a ringsim results directory (no summary.json)",
				    a->dirs[i]);
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(c->points[j].name, pt->name)) {
				rs_diag_add(diag, "%s: two results named '%s'; rename one",
					    a->dirs[i], pt->name);
				return -1;
			}
		snprintf(link, sizeof(link), "%s/%s", tmp, pt->name);
		if (!real || symlink(real, link)) {
			rs_diag_add(diag, "%s: cannot link it into %s", a->dirs[i], tmp);
			return -1;
		}
	}
	c->scenario = strdup("results");
	return 0;
}

static int finish(struct rs_comparison *c, struct rs_results_dir *rd, const char *out,
		  int quiet)
{
	char err[4096] = "";
	size_t failed = 0;

	if (rs_comparison_write(c, rd->tmp, err, sizeof(err)) ||
	    rs_report_write(rd->tmp, err, sizeof(err)) ||
	    rs_results_commit(rd, err, sizeof(err))) {
		fprintf(stderr, "ringsim compare: %s\n", err);
		return RS_EXIT_FAILED;
	}
	for (size_t i = 0; i < c->n_points; i++) {
		failed += strcmp(c->points[i].status, "ok") != 0;
		if (!quiet || strcmp(c->points[i].status, "ok"))
			printf("%-40s %s%s%s\n", c->points[i].name, c->points[i].status,
			       c->points[i].error ? ": " : "",
			       c->points[i].error ? c->points[i].error : "");
	}
	if (!quiet)
		printf("compare: %zu points, %zu not ok\nreport: %s/report.html\n", c->n_points,
		       failed, out);
	return failed ? RS_EXIT_FAILED : RS_EXIT_OK;
}

int rs_cmd_compare(int argc, char **argv)
{
	struct compare_args a = { 0 };
	struct rs_comparison c = { 0 };
	struct rs_results_dir rd = { 0 };
	struct rs_diag diag = { 0 };
	char *out = NULL, self[4096];
	int rc = RS_EXIT_USAGE;
	ssize_t n;

	if (parse_args(argc, argv, &a))
		return RS_EXIT_USAGE;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0) {
		fputs("ringsim compare: cannot find its own executable\n", stderr);
		return RS_EXIT_FAILED;
	}
	self[n] = '\0';
	if (a.file && load_sweep(a.file, &c, &diag) == 0)
		c.file = strdup(a.file);
	for (size_t i = 0; !diag.n && i < a.n_vary; i++)
		if (rs_vary_parse(a.vary[i], &c.vary[c.n_vary], &diag) == 0)
			c.n_vary++;
	if (diag.n)
		goto out;
	if (a.file) {
		struct rs_scenario *base = rs_scenario_load(c.file, NULL, 0, NULL, 0, &diag);

		if (!base)
			goto out;
		c.scenario = strdup(base->name);
		rs_scenario_free(base);
		if (rs_comparison_points(&c) || check_points(&c, &diag))
			goto out;
	}
	if (!a.out && asprintf(&out, "results/compare-%s", c.scenario ? c.scenario :
			       "results") < 0)
		goto out;
	if (rs_results_begin(&rd, a.out ? a.out : out, "compare.json", &diag))
		goto out;
	if (a.file ? rs_comparison_run(&c, self, rd.tmp, a.jobs,
				       !a.quiet && isatty(STDERR_FILENO)) :
	    existing_points(&a, &c, rd.tmp, &diag)) {
		rs_results_abort(&rd);
		goto out;
	}
	rc = finish(&c, &rd, a.out ? a.out : out, a.quiet);
out:
	/* bad input, or points that did not load (said beside the others' results) */
	rs_diag_print(&diag, stderr);
	rs_diag_clear(&diag);
	rs_results_abort(&rd);
	rs_comparison_free(&c);
	free(out);
	return rc;
}
