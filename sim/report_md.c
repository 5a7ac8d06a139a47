// SPDX-License-Identifier: GPL-2.0-only
/* report_md: report.md, the points and the metrics table in GitHub-flavoured Markdown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report_data.h"

static void md_sets(FILE *f, const struct rs_report_point *p)
{
	const char *k;
	json_t *v;
	bool first = true;

	json_object_foreach(p->sets, k, v) {
		char *kv;

		fputs(first ? "" : ", ", f);
		if (asprintf(&kv, "%s=%s", k, json_string_value(v) ? json_string_value(v) : "?")
		    >= 0) {
			rs_md_code(f, kv);
			free(kv);
		}
		first = false;
	}
}

static void md_points(FILE *f, const struct rs_report *r)
{
	fputs("## Points\n\n| point | status | sets | findings | error |\n"
	      "|---|---|---|---:|---|\n", f);
	for (size_t i = 0; i < r->n_points; i++) {
		const struct rs_report_point *p = &r->points[i];
		double total;

		fputs("| ", f);
		rs_md_puts(f, p->name);
		fputs(" | ", f);
		rs_md_puts(f, p->status);
		fputs(" | ", f);
		md_sets(f, p);
		if (!rs_report_metric(p, "findings_total", &total))
			total = (double)json_array_size(p->findings);
		fprintf(f, " | %.0f | ", total);
		if (p->error)
			rs_md_code(f, p->error);
		fputs(" |\n", f);
	}
}

static void md_metrics(FILE *f, const struct rs_report *r)
{
	fputs("\n## Metrics\n\nEach cell: the value, then in brackets its ratio to the first "
	      "point that has the metric (**bold** when not 1).\n\n| metric |", f);
	for (size_t i = 0; i < r->n_points; i++) {
		fputc(' ', f);
		rs_md_puts(f, r->points[i].name);
		fputs(" |", f);
	}
	fputs("\n|---|", f);
	for (size_t i = 0; i < r->n_points; i++)
		fputs("---:|", f);
	fputc('\n', f);
	for (size_t m = 0; m < r->n_metrics; m++) {
		fputs("| ", f);
		rs_md_code(f, r->metrics[m]);
		fputs(" |", f);
		for (size_t i = 0; i < r->n_points; i++) {
			char val[48], rat[32];
			double v, q;

			if (!rs_report_metric(&r->points[i], r->metrics[m], &v)) {
				fputs(" — |", f);
				continue;
			}
			fprintf(f, " %s", rs_fmt_number(v, val, sizeof(val)));
			if (rs_report_ratio(&r->points[i], r->metrics[m], &q)) {
				bool differs = rs_ratio_differs(q);

				fprintf(f, " (%s%s×%s)", differs ? "**" : "",
					rs_fmt_ratio(q, rat, sizeof(rat)), differs ? "**" : "");
			}
			fputs(" |", f);
		}
		fputc('\n', f);
	}
}

int rs_report_md(const struct rs_report *r, const struct rs_plot_list *pl, char *err,
		 size_t err_size)
{
	FILE *f = rs_write_file(r->dir, "report.md", err, err_size);
	bool heading = false;

	if (!f)
		return -1;
	fputs("# Comparison: ", f);
	rs_md_puts(f, r->scenario ? r->scenario : "(unnamed)");
	fputs("\n\n", f);
	if (r->file) {
		fputs("Scenario file: ", f);
		rs_md_code(f, r->file);
	}
	for (size_t k = 0; k < json_array_size(r->varied); k++) {
		fputs(k ? ", " : (r->file ? "; varied: " : "Varied: "), f);
		rs_md_code(f, json_string_value(json_array_get(r->varied, k)));
	}
	fprintf(f, "%s%zu points.\n\n", r->file || json_array_size(r->varied) ? "; " : "",
		r->n_points);
	md_points(f, r);
	md_metrics(f, r);
	for (size_t i = 0; pl && i < pl->n; i++) {
		char png[4096];

		snprintf(png, sizeof(png), "%s/%s.png", pl->plots_dir, pl->v[i].name);
		if (access(png, R_OK))
			continue;
		if (!heading)
			fputs("\n## Plots\n\n", f);
		heading = true;
		fputs("- ", f);
		rs_md_puts(f, pl->v[i].title);
		fprintf(f, ": [plots/%s.png](plots/%s.png)\n", pl->v[i].name, pl->v[i].name);
	}
	fputs("\nThe plots are in report.html, with every point's stalls and findings.\n", f);
	return rs_commit_file(f, r->dir, "report.md", err, err_size);
}
