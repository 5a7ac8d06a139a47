// SPDX-License-Identifier: GPL-2.0-only
/*
 * style: how the plots tell points apart, the same way in every plot of a report. The
 * colour follows the page size (4KiB is always the same blue), the dash type, marker or
 * shade follows the next varied parameter (both chosen by rs_report_colors(), in
 * tables/data.c); and the names of the per-job metrics.
 */
#include <stdio.h>
#include <string.h>

#include "report/plots/plots.h"

/* Dash types and markers by style: solid, dashed, dotted, dash-dot, dash-dot-dot;
 * filled circle, square, triangle, diamond, inverted triangle. */
static const int markers[] = { 7, 5, 9, 13, 11 };
#define N_STYLES 5

/* Fill of a bar by style: solid, lighter, lighter still; then hatching. */
static const double shades[] = { 1.0, 0.55, 0.25 };
#define N_SHADES 3

static const char *short_key(const char *key)
{
	const char *dot = strrchr(key, '.');

	return dot ? dot + 1 : key;
}

void rs_gp_style(FILE *f, const struct rs_report_point *p, enum rs_mark mark)
{
	int s = p->style > 0 ? p->style - 1 : 0;

	switch (mark) {
	case RS_MARK_LINE:
		fprintf(f, " lt %d dt %d", p->color, s % N_STYLES + 1);
		break;
	case RS_MARK_POINTS:
		fprintf(f, " lt %d dt %d pt %d", p->color, s % N_STYLES + 1,
			markers[s % N_STYLES]);
		break;
	case RS_MARK_FILL:
		if (s < N_SHADES)
			fprintf(f, " lt %d fs solid %.2f border lc rgb '#404040'", p->color,
				shades[s]);
		else
			fprintf(f, " lt %d fs pattern %d border lc rgb '#404040'", p->color,
				(s - N_SHADES) % 6 + 1);
		break;
	}
}

void rs_gp_key_title(FILE *f, const struct rs_report *r, enum rs_mark mark)
{
	static const char *const words[] = {
		[RS_MARK_LINE] = "dashes", [RS_MARK_POINTS] = "markers",
		[RS_MARK_FILL] = "shade",
	};
	char text[192];

	if (!r->color_key)
		return;
	if (r->style_key)
		snprintf(text, sizeof(text), "colour: %s · %s: %s", short_key(r->color_key),
			 words[mark], short_key(r->style_key));
	else
		snprintf(text, sizeof(text), "colour: %s", short_key(r->color_key));
	fputs("set key title ", f);
	rs_gp_string(f, text);
	fputs(" font ',14'\n", f);
}

const char *rs_time_unit(double span, double *seconds)
{
	if (span < 1e-2) {
		*seconds = 1e-6;
		return "µs";
	}
	if (span < 10) {
		*seconds = 1e-3;
		return "ms";
	}
	*seconds = 1;
	return "s";
}

size_t rs_report_jobs(const struct rs_report *r, char (*names)[64], size_t max)
{
	size_t n = 0;

	for (size_t m = 0; m < r->n_metrics && n < max; m++) {
		const char *key = r->metrics[m], *name, *dot;
		size_t len, j;

		if (strncmp(key, "jobs.", 5))
			continue;
		name = key + 5;
		dot = strchr(name, '.');
		len = dot ? (size_t)(dot - name) : strlen(name);
		if (!len || len >= sizeof(names[0]))
			continue;
		for (j = 0; j < n; j++)
			if (strlen(names[j]) == len && !strncmp(names[j], name, len))
				break;
		if (j == n)
			snprintf(names[n++], sizeof(names[0]), "%.*s", (int)len, name);
	}
	return n;
}
