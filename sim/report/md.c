// SPDX-License-Identifier: GPL-2.0-only
/*
 * md: report.md in GitHub-flavoured Markdown that also reads in a terminal: What
 * changed, the points, the configuration, the metrics a table per job, ring and group.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/pages.h"

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

static void md_changes(FILE *f, const struct rs_view *v, const struct rs_changes *c)
{
	char base[256], title[256];

	fputs("## What changed\n\n", f);
	for (size_t i = 0; i < c->n_alerts; i++) {
		fputs(c->strong[i] ? "- **" : "- ", f);
		rs_md_puts(f, c->alerts[i]);
		fputs(c->strong[i] ? "**\n" : "\n", f);
	}
	if (c->n_alerts)
		fputc('\n', f);
	if (!v->has_base || !c->n_points) {
		fputs("No two points with results: nothing to compare.\n\n", f);
		return;
	}
	fputs("Each point against ", f);
	rs_md_puts(f, rs_point_title(v, v->base, base, sizeof(base)));
	fprintf(f, ": per job, ring and memory the up to %d metrics that moved most, largest "
		"change first. Memory is compared in bytes, whatever the page size.\n\n",
		RS_CHANGES_PER_GROUP);
	for (size_t p = 0; p < c->n_points; p++) {
		const struct rs_change_point *cp = &c->points[p];

		fputs("### ", f);
		rs_md_puts(f, rs_point_title(v, cp->point, title, sizeof(title)));
		fputs(" vs ", f);
		rs_md_puts(f, base);
		fputs("\n\n", f);
		if (!cp->n_lines) {
			fputs("Nothing moved: every metric is as at ", f);
			rs_md_puts(f, base);
			fputs(".\n\n", f);
			continue;
		}
		for (size_t g = 0; g < cp->n_groups; g++) {
			fputs("- ", f);
			rs_md_puts(f, cp->groups[g].title);
			fputs(cp->groups[g].n_lines ? "\n" : ": nothing moved\n", f);
			for (size_t k = 0; k < cp->groups[g].n_lines; k++) {
				fputs("  - ", f);
				rs_md_puts(f, cp->groups[g].lines[k]);
				fputc('\n', f);
			}
		}
		fputc('\n', f);
	}
}

static void md_head(FILE *f, const struct rs_view *v, const char *first, bool unit)
{
	fputs("| ", f);
	rs_md_puts(f, first);
	fputs(unit ? " | unit |" : " |", f);
	for (size_t i = 0; i < v->r->n_points; i++) {
		fputc(' ', f);
		rs_md_puts(f, v->r->points[i].name);
		fputs(" |", f);
	}
	fputs(unit ? "\n|---|---|" : "\n|---|", f);
	for (size_t i = 0; i < v->r->n_points; i++)
		fputs(unit ? "---:|" : "---|", f);
	fputc('\n', f);
}

/* A sweep too wide for a column per point: what varies, and how many values it takes. */
static void md_wide_config(FILE *f, const struct rs_view *v)
{
	const struct rs_config *c = &v->config;

	fprintf(f, "\n## Configuration\n\n%zu points; what varies (every value of each is in "
		"compare.csv and report.html):\n\n", v->r->n_points);
	for (size_t s = 0; s < c->n; s++) {
		size_t distinct = 0;

		if (!c->v[s].differs)
			continue;
		for (size_t i = 0; i < c->n_points; i++) {
			bool seen = false;

			for (size_t j = 0; j < i && !seen; j++)
				seen = c->v[s].values[i] && c->v[s].values[j] &&
				       !strcmp(c->v[s].values[i], c->v[s].values[j]);
			distinct += !seen;
		}
		fputs("- `", f);
		rs_md_puts(f, c->v[s].key);
		fprintf(f, "`: %zu values\n", distinct);
	}
}

static void md_config(FILE *f, const struct rs_view *v)
{
	const struct rs_config *c = &v->config;
	size_t same_costs = 0;

	if (rs_view_wide(v)) {
		md_wide_config(f, v);
		return;
	}

	fputs("\n## Configuration\n\nWhat each point ran with, from its `scenario.xml` (every "
	      "default spelled out); **bold**: not the same at every point.\n\n", f);
	if (!c->n) {
		fputs("No point has a scenario.xml.\n", f);
		return;
	}
	md_head(f, v, "setting", false);
	for (size_t s = 0; s < c->n; s++) {
		const struct rs_setting *st = &c->v[s];
		const char *mark = st->differs ? "**" : "";

		if (!strncmp(st->key, "cost.", 5) && !st->differs) {
			same_costs++;
			continue;
		}
		fprintf(f, "| %s", mark);
		rs_md_puts(f, st->key);
		fprintf(f, "%s |", mark);
		for (size_t i = 0; i < c->n_points; i++) {
			fprintf(f, " %s", st->values[i] ? mark : "");
			rs_md_puts(f, st->values[i] ? st->values[i] : "—");
			fprintf(f, "%s |", st->values[i] ? mark : "");
		}
		fputc('\n', f);
	}
	if (same_costs)
		fprintf(f, "\nThe cost table (%zu entries, in cycles) is the same at every point: "
			"see any point's scenario.xml.\n", same_costs);
}

static void md_cell(FILE *f, const struct rs_view *v, const struct rs_row *row, size_t i)
{
	static const char *const level[] = { "mean", "max", NULL };
	const char *const *sum = row->shape == RS_SHAPE_LEVEL ? level : rs_dist_summary;
	const char *rstat = rs_row_stat(row);
	char val[96], rat[32];
	double x, q;

	if (!rs_view_value(v, row, i, rstat, &x)) {
		/* a distribution of waits the point never had */
		fputs(rs_view_value(v, row, i, "total", &x) ? " none |" : " — |", f);
		return;
	}
	fputc(' ', f);
	for (size_t s = 0; row->shape != RS_SHAPE_SCALAR && sum[s]; s++) {
		double b;

		fputs(s ? " / " : "", f);
		if (!rs_view_value(v, row, i, sum[s], &x))
			fputs("—", f);
		else if (row->def->kind == RS_KIND_PAGES && sum[s + 1] &&
			 rs_unit_value(row->def, x, &v->units[i], &b))
			rs_md_puts(f, rs_fmt_bytes(b, val, sizeof(val)));
		else if (row->def->kind == RS_KIND_PAGES || row->def->kind == RS_KIND_BYTES ||
			 row->def->kind == RS_KIND_RATE)
			rs_md_puts(f, rs_fmt_value(row->def, x, &v->units[i], false, val, sizeof(val)));
		else
			rs_md_puts(f, rs_fmt_compact(x, val, sizeof(val)));
	}
	if (row->shape == RS_SHAPE_SCALAR)
		rs_md_puts(f, rs_fmt_value(row->def, x, &v->units[i], false, val, sizeof(val)));
	if (rs_view_ratio(v, row, i, rstat, &q)) {
		bool differs = rs_ratio_differs(q);

		fprintf(f, " (%s%s×%s)", differs ? "**" : "", rs_fmt_ratio(q, rat, sizeof(rat)),
			differs ? "**" : "");
	}
	fputs(" |", f);
}

/* A sweep too wide for a column per point (rs_view_wide()): each metric's spread. */
static void md_wide_metrics(FILE *f, const struct rs_view *v)
{
	fprintf(f, "\n## Metrics\n\n%zu points: each metric's lowest and highest value over "
		"the points, with the point (the first among equals), and the median; a "
		"distribution by its mean, a level by its peak. compare.csv has every value.\n\n"
		"| metric | unit | points | lowest | at | median | highest | at |\n"
		"|---|---|---:|---:|---|---:|---:|---|\n", v->r->n_points);
	for (size_t r = 0; r < v->n_rows; r++) {
		const struct rs_row *row = &v->rows[r];
		struct rs_spread s;
		char lo[96], mid[96], hi[96];

		if (row->hidden || !rs_view_spread(v, row, rs_row_stat(row), &s))
			continue;
		fputs("| ", f);
		rs_md_puts(f, row->def->label);
		fputs(" | ", f);
		rs_md_puts(f, rs_kind_unit(row->def));
		fprintf(f, " | %zu | ", s.n);
		rs_md_puts(f, rs_fmt_unit_value(row->def, s.lo, &v->units[s.lo_point], lo,
						sizeof(lo)));
		fputs(" | ", f);
		rs_md_puts(f, v->r->points[s.lo_point].name);
		fputs(" | ", f);
		rs_md_puts(f, rs_fmt_unit_value(row->def, s.median, &v->units[s.lo_point], mid,
						sizeof(mid)));
		fputs(" | ", f);
		rs_md_puts(f, rs_fmt_unit_value(row->def, s.hi, &v->units[s.hi_point], hi,
						sizeof(hi)));
		fputs(" | ", f);
		rs_md_puts(f, v->r->points[s.hi_point].name);
		fputs(" |\n", f);
	}
}

static void md_metrics(FILE *f, const struct rs_view *v)
{
	if (rs_view_wide(v)) {
		md_wide_metrics(f, v);
		return;
	}
	int section = -1;

	fputs("\n## Metrics\n\nEach cell: the value in the row's unit, then in brackets its "
	      "ratio to the first point that has it (**bold** when not 1); memory in pages is "
	      "compared as bytes. A distribution is one row, mean / p50 / p99 / max (the ratio of "
	      "the mean); a sampled level mean / peak (the ratio of the peak).\n", f);
	for (size_t r = 0; r < v->n_rows; r++) {
		const struct rs_row *row = &v->rows[r];

		if (row->hidden)
			continue;
		if (row->section != section) {
			section = row->section;
			fputs("\n### ", f);
			rs_md_puts(f, v->sections[section].title);
			fputs("\n\n", f);
			md_head(f, v, "metric", true);
		}
		fputs("| ", f);
		rs_md_puts(f, row->def->label);
		fputs(" | ", f);
		rs_md_puts(f, rs_kind_unit(row->def));
		fputs(" |", f);
		for (size_t i = 0; i < v->r->n_points; i++)
			md_cell(f, v, row, i);
		fputc('\n', f);
	}
	if (v->n_notes)
		fputc('\n', f);
	for (size_t i = 0; i < v->n_notes; i++) {
		fputs("- ", f);
		rs_md_puts(f, v->notes[i]);
		fputc('\n', f);
	}
}

int rs_report_md(const struct rs_report *r, const struct rs_view *view,
		 const struct rs_changes *changes, const struct rs_plot_list *pl, char *err,
		 size_t err_size)
{
	FILE *f = rs_write_file(r->dir, "report.md", err, err_size);
	bool heading = false;

	if (!f)
		return -1;
	fputs(r->sweep_file ? "# Sweep: " : "# Comparison: ", f);
	rs_md_puts(f, rs_report_title(r));
	fputs("\n\n", f);
	if (r->sweep_file) {
		fputs("Sweep file: ", f);
		rs_md_code(f, r->sweep_file);
		fputs("; ", f);
	}
	if (r->file) {
		fputs(r->sweep_file ? "base scenario: " : "Scenario file: ", f);
		rs_md_code(f, r->file);
	}
	for (size_t k = 0; k < json_array_size(r->varied); k++) {
		fputs(k ? ", " : (r->file ? "; varied: " : "Varied: "), f);
		rs_md_code(f, json_string_value(json_array_get(r->varied, k)));
	}
	fprintf(f, "%s%zu points.\n\n", r->file || json_array_size(r->varied) ? "; " : "",
		r->n_points);
	md_changes(f, view, changes);
	md_points(f, r);
	md_config(f, view);
	md_metrics(f, view);
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
