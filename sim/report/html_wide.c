// SPDX-License-Identifier: GPL-2.0-only
/*
 * html_wide: the Configuration and Metrics sections of a sweep too wide for a column per
 * point (rs_view_wide()): a setting that varies as its values, a metric as its spread over
 * the points (the lowest and the highest with their point, and the median).
 */
#include <string.h>

#include "report/pages.h"

#define VALUES_SHOWN 12 /* distinct values of a varied setting */

/* The distinct values of @s over the points, in first-seen order, at most VALUES_SHOWN. */
static void setting_values(FILE *f, const struct rs_view *v, const struct rs_setting *s)
{
	size_t shown = 0, distinct = 0;

	for (size_t i = 0; i < v->r->n_points; i++) {
		const char *x = s->values[i] ? s->values[i] : "—";
		bool seen = false;

		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(s->values[j] ? s->values[j] : "—", x);
		if (seen)
			continue;
		distinct++;
		if (shown++ < VALUES_SHOWN) {
			fputs(shown > 1 ? ", <code>" : "<code>", f);
			rs_html_puts(f, x);
			fputs("</code>", f);
		}
	}
	if (distinct > VALUES_SHOWN)
		fprintf(f, " and %zu more", distinct - VALUES_SHOWN);
	fprintf(f, " (%zu values)", distinct);
}

void rs_html_wide_config(FILE *f, const struct rs_view *v)
{
	const struct rs_config *c = &v->config;

	fprintf(f, "<h2 id=\"config\">Configuration</h2>\n<p>What the %zu points ran with, from "
		"their <code>scenario.xml</code>: first what varies, with its values, then what "
		"is the same at every point.</p>\n", v->r->n_points);
	if (!c->n) {
		fputs("<p>No point has a scenario.xml.</p>\n", f);
		return;
	}
	fputs("<div class=\"scroll\"><table class=\"config\"><tr><th>setting</th>"
	      "<th>values</th></tr>\n", f);
	for (int differs = 1; differs >= 0; differs--)
		for (size_t s = 0; s < c->n; s++) {
			const struct rs_setting *st = &c->v[s];

			if (st->differs != differs)
				continue;
			fprintf(f, "<tr%s><th><code>", differs ? " class=\"diff\"" : "");
			rs_html_puts(f, st->key);
			fputs("</code></th><td>", f);
			if (differs)
				setting_values(f, v, st);
			else
				rs_html_puts(f, st->values[0] ? st->values[0] : "—");
			fputs("</td></tr>\n", f);
		}
	fputs("</table></div>\n", f);
}

static void spread_point(FILE *f, const struct rs_view *v, const struct rs_row *row,
			 double x, size_t point)
{
	char buf[96];

	fputs("<td class=\"num\">", f);
	rs_html_puts(f, rs_fmt_unit_value(row->def, x, &v->units[point], buf, sizeof(buf)));
	fputs("</td><td>", f);
	rs_html_puts(f, v->r->points[point].name);
	fputs("</td>", f);
}

void rs_html_wide_metrics(FILE *f, const struct rs_view *v)
{
	int section = -1;

	fprintf(f, "<h2 id=\"metrics\">Metrics</h2>\n<p>%zu points are too many for a column "
		"each: every metric's lowest and highest value over the points, with the point "
		"that has it (the first, among equals), and the median; a distribution by its "
		"mean, a sampled level by its peak; memory in pages as bytes. compare.csv has "
		"every point's values; the sweep plots show them against what varies.</p>\n"
		"<div class=\"scroll\"><table class=\"metrics\"><tr><th>metric</th><th>unit</th>"
		"<th>points</th><th>lowest</th><th>at</th><th>median</th><th>highest</th>"
		"<th>at</th></tr>\n", v->r->n_points);
	for (size_t r = 0; r < v->n_rows; r++) {
		const struct rs_row *row = &v->rows[r];
		struct rs_spread s;
		char buf[96];

		if (row->hidden || !rs_view_spread(v, row, rs_row_stat(row), &s))
			continue;
		if (row->section != section) {
			section = row->section;
			fputs("<tr class=\"group\"><th colspan=\"8\">", f);
			rs_html_puts(f, v->sections[section].title);
			fputs("</th></tr>\n", f);
		}
		rs_html_row_head(f, row);
		fprintf(f, "<td class=\"num\">%zu</td>", s.n);
		spread_point(f, v, row, s.lo, s.lo_point);
		fputs("<td class=\"num\">", f);
		rs_html_puts(f, rs_fmt_unit_value(row->def, s.median, &v->units[s.lo_point], buf,
						  sizeof(buf)));
		fputs("</td>", f);
		spread_point(f, v, row, s.hi, s.hi_point);
		fputs("</tr>\n", f);
	}
	fputs("</table></div>\n", f);
}
