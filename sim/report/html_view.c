// SPDX-License-Identifier: GPL-2.0-only
/*
 * html_view: the sections of report.html that read the view: What changed, the
 * Configuration table and the Metrics table. Every text goes through rs_html_puts().
 */
#include <stdio.h>
#include <string.h>

#include "report/pages.h"

#define COST_PREFIX "cost."

/* The head row: @first (and @second), then a column per point. */
static void point_heads(FILE *f, const struct rs_view *v, const char *first,
			const char *second)
{
	fputs("<tr><th>", f);
	rs_html_puts(f, first);
	fputs(second ? "</th><th>" : "</th>", f);
	rs_html_puts(f, second);
	fputs(second ? "</th>" : "", f);
	for (size_t i = 0; i < v->r->n_points; i++) {
		fputs("<th>", f);
		rs_html_puts(f, v->r->points[i].name);
		fputs("</th>", f);
	}
}

void rs_html_changes(FILE *f, const struct rs_view *v, const struct rs_changes *c)
{
	char base[256], title[256];

	fputs("<h2 id=\"changes\">What changed</h2>\n", f);
	if (c->n_alerts) {
		fputs("<ul class=\"alerts\">\n", f);
		for (size_t i = 0; i < c->n_alerts; i++) {
			fputs(c->strong[i] ? "<li class=\"bad\">" : "<li>", f);
			rs_html_puts(f, c->alerts[i]);
			fputs("</li>\n", f);
		}
		fputs("</ul>\n", f);
	}
	if (!v->has_base || !c->n_points) {
		fputs("<p>No two points with results: nothing to compare.</p>\n", f);
		return;
	}
	rs_point_title(v, v->base, base, sizeof(base));
	fprintf(f, "<p>Each point against <b>");
	rs_html_puts(f, base);
	fprintf(f, "</b>: per job, ring and memory the up to %d metrics that moved most, "
		"largest change first. Memory is compared in bytes, whatever the page size.</p>\n",
		RS_CHANGES_PER_GROUP);
	for (size_t p = 0; p < c->n_points; p++) {
		const struct rs_change_point *cp = &c->points[p];

		fputs("<h3>", f);
		rs_html_puts(f, rs_point_title(v, cp->point, title, sizeof(title)));
		fputs(" <span class=\"sub\">vs ", f);
		rs_html_puts(f, base);
		fputs("</span></h3>\n", f);
		if (!cp->n_lines) {
			fputs("<p>Nothing moved: every metric is as at ", f);
			rs_html_puts(f, base);
			fputs(".</p>\n", f);
			continue;
		}
		fputs("<ul class=\"changes\">\n", f);
		for (size_t g = 0; g < cp->n_groups; g++) {
			fputs("<li><b>", f);
			rs_html_puts(f, cp->groups[g].title);
			if (!cp->groups[g].n_lines) {
				fputs("</b>: nothing moved</li>\n", f);
				continue;
			}
			fputs("</b><ul>\n", f);
			for (size_t k = 0; k < cp->groups[g].n_lines; k++) {
				fputs("<li>", f);
				rs_html_puts(f, cp->groups[g].lines[k]);
				fputs("</li>\n", f);
			}
			fputs("</ul></li>\n", f);
		}
		fputs("</ul>\n", f);
	}
}

static void config_row(FILE *f, const struct rs_view *v, const struct rs_setting *s)
{
	fprintf(f, "<tr%s><th><code>", s->differs ? " class=\"diff\"" : "");
	rs_html_puts(f, s->key);
	fputs("</code></th>", f);
	for (size_t i = 0; i < v->r->n_points; i++) {
		fputs("<td>", f);
		rs_html_puts(f, s->values[i] ? s->values[i] : "—");
		fputs("</td>", f);
	}
	fputs("</tr>\n", f);
}

void rs_html_config(FILE *f, const struct rs_view *v)
{
	const struct rs_config *c = &v->config;
	size_t same_costs = 0, n_diff = 0;

	fputs("<h2 id=\"config\">Configuration</h2>\n<p>What each point ran with, from its "
	      "<code>scenario.xml</code> (the scenario as run, every default spelled out).", f);
	for (size_t s = 0; s < c->n; s++) {
		if (!c->v[s].differs)
			continue;
		fputs(n_diff++ ? ", <code>" : " Not the same at every point (highlighted): <code>",
		      f);
		rs_html_puts(f, c->v[s].key);
		fputs("</code>", f);
	}
	fputs(n_diff ? ".</p>\n" : "</p>\n", f);
	if (!c->n) {
		fputs("<p>No point has a scenario.xml.</p>\n", f);
		return;
	}
	fputs("<div class=\"scroll\"><table class=\"config\">", f);
	point_heads(f, v, "setting", NULL);
	fputs("</tr>\n", f);
	for (size_t s = 0; s < c->n; s++) {
		/* The cost table is long and rarely varied: its equal entries go below. */
		if (!strncmp(c->v[s].key, COST_PREFIX, strlen(COST_PREFIX)) && !c->v[s].differs) {
			same_costs++;
			continue;
		}
		config_row(f, v, &c->v[s]);
	}
	fputs("</table></div>\n", f);
	if (!same_costs)
		return;
	fprintf(f, "<details><summary>The cost table: %zu entries (cycles), the same at every "
		"point</summary>\n<div class=\"scroll\"><table class=\"config\">", same_costs);
	point_heads(f, v, "cost", NULL);
	fputs("</tr>\n", f);
	for (size_t s = 0; s < c->n; s++)
		if (!strncmp(c->v[s].key, COST_PREFIX, strlen(COST_PREFIX)) && !c->v[s].differs)
			config_row(f, v, &c->v[s]);
	fputs("</table></div></details>\n", f);
}

/* A number in the row's unit, short: pages as bytes, cycles as cycles. */
static char *short_value(const struct rs_metric_def *d, double x, const struct rs_unit_ctx *u,
			 char *buf, size_t size)
{
	double b;

	if (d->kind == RS_KIND_PAGES && rs_unit_value(d, x, u, &b))
		return rs_fmt_bytes(b, buf, size);
	if (d->kind == RS_KIND_COUNT || d->kind == RS_KIND_LEVEL || d->kind == RS_KIND_CYCLES)
		return rs_fmt_compact(d->scale ? x * d->scale : x, buf, size);
	return rs_fmt_value(d, x, u, false, buf, size);
}

static void folded_cell(FILE *f, const struct rs_view *v, const struct rs_row *row, size_t i)
{
	static const char *const level[] = { "mean", "max", NULL };
	const char *const *sum = row->shape == RS_SHAPE_LEVEL ? level : rs_dist_summary;
	const struct rs_unit_ctx *u = &v->units[i];
	char buf[96];
	double x;

	fputs("<details><summary>", f);
	for (size_t s = 0; sum[s]; s++) {
		fputs(s ? " / " : "", f);
		if (!rs_view_value(v, row, i, sum[s], &x))
			rs_html_puts(f, "—");
		else if (!sum[s + 1] && row->def->kind == RS_KIND_PAGES)  /* bytes and pages */
			rs_html_puts(f, rs_fmt_value(row->def, x, u, false, buf, sizeof(buf)));
		else
			rs_html_puts(f, short_value(row->def, x, u, buf, sizeof(buf)));
	}
	fputs("</summary>", f);
	for (size_t s = 0; rs_dist_stats[s]; s++) {
		const char *st = rs_dist_stats[s];
		const struct rs_metric_def *d = row->def;
		struct rs_metric_def plain;

		if (!rs_view_value(v, row, i, st, &x))
			continue;
		/* count is of samples, whatever the unit of the values */
		if (!strcmp(st, "count")) {
			plain = (struct rs_metric_def){ .unit = "samples" };
			d = &plain;
		}
		fprintf(f, "%s%s ", s ? "<br>" : "", st);
		rs_html_puts(f, rs_fmt_value(d, x, u, true, buf, sizeof(buf)));
	}
	fputs("</details>", f);
}

void rs_html_row_head(FILE *f, const struct rs_row *row)
{
	fputs("<tr><th>", f);
	rs_html_puts(f, row->def->label);
	fputs("<br><code class=\"key\">", f);
	rs_html_puts(f, row->key);
	fputs("</code></th><td class=\"unit\">", f);
	rs_html_puts(f, rs_kind_unit(row->def));
	fputs("</td>", f);
}

static void metric_row(FILE *f, const struct rs_view *v, const struct rs_row *row)
{
	const char *rstat = rs_row_stat(row);

	rs_html_row_head(f, row);
	for (size_t i = 0; i < v->r->n_points; i++) {
		char val[96], rat[32];
		double x, q;
		bool has_q;

		if (!rs_view_value(v, row, i, rstat, &x)) {
			/* a distribution of waits the point never had */
			fputs(rs_view_value(v, row, i, "total", &x) ? "<td class=\"num\">none</td>" :
			      "<td class=\"num\">—</td>", f);
			continue;
		}
		has_q = rs_view_ratio(v, row, i, rstat, &q);
		fprintf(f, "<td class=\"num%s%s\"", row->shape == RS_SHAPE_SCALAR ? "" : " dist",
			has_q && rs_ratio_differs(q) ? (q > 1 ? " up" : " down") : "");
		/* the exact number on hover, as the metric has it */
		if (row->shape == RS_SHAPE_SCALAR)
			fprintf(f, " title=\"%.17g\"", x);
		fputc('>', f);
		if (row->shape == RS_SHAPE_SCALAR)
			rs_html_puts(f, rs_fmt_value(row->def, x, &v->units[i], false, val,
						     sizeof(val)));
		else
			folded_cell(f, v, row, i);
		if (has_q)
			fprintf(f, " <span class=\"ratio\">(%s×)</span>",
				rs_fmt_ratio(q, rat, sizeof(rat)));
		fputs("</td>", f);
	}
	fputs("</tr>\n", f);
}

void rs_html_metric_table(FILE *f, const struct rs_view *v)
{
	int section = -1;

	fputs("<h2 id=\"metrics\">Metrics</h2>\n<p>Each cell: the value in the row's unit, then "
	      "its ratio to the first point that has it, shaded when not 1 "
	      "(<span class=\"up\">above</span>, <span class=\"down\">below</span>); memory in "
	      "pages is compared as bytes. A distribution is one row, mean / p50 / p99 / max "
	      "(the ratio of the mean), a sampled level mean / peak (the ratio of the peak): "
	      "open either for the rest. Configured values are under Configuration.</p>\n"
	      "<div class=\"scroll\"><table class=\"metrics\">", f);
	point_heads(f, v, "metric", "unit");
	fputs("</tr>\n", f);
	for (size_t r = 0; r < v->n_rows; r++) {
		const struct rs_row *row = &v->rows[r];

		if (row->hidden)
			continue;
		if (row->section != section) {
			section = row->section;
			fprintf(f, "<tr class=\"group\"><th colspan=\"%zu\">", v->r->n_points + 2);
			rs_html_puts(f, v->sections[section].title);
			fputs("</th></tr>\n", f);
		}
		metric_row(f, v, row);
	}
	fputs("</table></div>\n", f);
	if (v->n_notes) {
		fputs("<ul class=\"notes\">\n", f);
		for (size_t i = 0; i < v->n_notes; i++) {
			fputs("<li>", f);
			rs_html_puts(f, v->notes[i]);
			fputs("</li>\n", f);
		}
		fputs("</ul>\n", f);
	}
}
