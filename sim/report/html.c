// SPDX-License-Identifier: GPL-2.0-only
/*
 * html: report.html, one self-contained page: inline CSS, the plots' SVGs inlined,
 * no scripts and nothing fetched from the network. Every text from a file is escaped.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "report/pages.h"

#define FINDINGS_SHOWN 20

static const char css[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
	"margin:2em auto;max-width:1200px;padding:0 1em;color:#222;line-height:1.4}"
	"h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #ccc;margin-top:2em}"
	"code,.mono{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;"
	"font-size:.92em}.sub{color:#555;margin-top:0}nav a{margin-right:1em}"
	"table{border-collapse:collapse;margin:.5em 0 1em}"
	"th,td{border:1px solid #ddd;padding:.25em .55em;vertical-align:top}"
	"th{background:#f3f3f3;text-align:left}td.num{text-align:right;white-space:nowrap}"
	"tr.group th{background:#e6ecf3}.metrics{display:block;overflow-x:auto}"
	".metrics th:first-child{position:sticky;left:0}.ratio{color:#555;font-size:.9em}"
	"td.up{background:#fde3cf}td.down{background:#d7e6f5}"
	".st{display:inline-block;padding:0 .5em;border-radius:.7em;font-size:.9em;color:#fff}"
	".st-ok{background:#3a7d3a}.st-expect_failed{background:#b7791f}"
	".st-dut_bug,.st-dut_crash,.st-deadlock{background:#b83232}.st-failed{background:#6b6b6b}"
	".err{color:#a02020;white-space:pre-wrap}.plot{margin:1em 0}"
	".plot svg{max-width:100%;height:auto;border:1px solid #eee}"
	"figcaption{font-size:.9em;color:#555}"
	".scroll{overflow-x:auto;max-width:100%}code.key{color:#777;font-size:.78em;"
	"font-weight:normal}td.unit{color:#555;white-space:nowrap}td.dist{white-space:normal;"
	"min-width:9em}td.dist summary{cursor:pointer}span.up{background:#fde3cf}"
	"span.down{background:#d7e6f5}tr.diff th,tr.diff td{background:#fff3c4}"
	".alerts li.bad{color:#a02020;font-weight:bold}"
	".changes li,.alerts li,.notes li{overflow-wrap:anywhere}"
	".notes{color:#555;font-size:.92em}h3 .sub{font-weight:normal}"
	"table.hist{margin:0}table.hist td{border:0;padding:0 .4em 0 0;font-size:.85em}"
	"span.bar{display:inline-block;height:.7em;line-height:.7em;font-size:.7em;"
	"overflow:hidden;background:#7a9cc6}";

static const char *const sections[] = {
	[RS_PLOT_BARS] = "Per-point metrics", [RS_PLOT_CDF] = "Latency distribution",
	[RS_PLOT_TIME] = "Over time", [RS_PLOT_SWEEP] = "Sweeps",
};

/* A path in an href: the bytes a URL allows, every other one %-encoded. */
static void url_puts(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || strchr("-._~/=,+", c))
			fputc(c, f);
		else
			fprintf(f, "%%%02X", c);
	}
}

static void status_badge(FILE *f, const char *status)
{
	fputs("<span class=\"st st-", f);
	rs_html_puts(f, status);
	fputs("\">", f);
	rs_html_puts(f, status);
	fputs("</span>", f);
}

static void html_points(FILE *f, const struct rs_report *r)
{
	fputs("<h2 id=\"points\">Points</h2>\n<table><tr><th>point</th><th>status</th>"
	      "<th>sets</th><th>findings</th><th>results</th></tr>\n", f);
	for (size_t i = 0; i < r->n_points; i++) {
		const struct rs_report_point *p = &r->points[i];
		const char *k;
		json_t *v;
		double total;

		fputs("<tr><td><b>", f);
		rs_html_puts(f, p->name);
		fputs("</b></td><td>", f);
		status_badge(f, p->status);
		if (p->error) {
			fputs("<div class=\"err\">", f);
			rs_html_puts(f, p->error);
			fputs("</div>", f);
		}
		fputs("</td><td class=\"mono\">", f);
		json_object_foreach(p->sets, k, v) {
			rs_html_puts(f, k);
			fputc('=', f);
			rs_html_puts(f, json_string_value(v) ? json_string_value(v) : "?");
			fputs("<br>", f);
		}
		if (!rs_report_metric(p, "findings_total", &total))
			total = (double)json_array_size(p->findings);
		fprintf(f, "</td><td class=\"num\">%.0f</td><td>", total);
		if (p->has_data) {
			fputs("<a href=\"", f);
			url_puts(f, p->rel_dir);
			fputs("/summary.json\">summary.json</a>", f);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void html_plots(FILE *f, const struct rs_report *r, const struct rs_plot_list *pl,
		       const char *plot_error)
{
	int section = -1;

	(void)r;
	fputs("<h2 id=\"plots\">Plots</h2>\n", f);
	if (plot_error) {
		fputs("<p class=\"err\">Some plots are missing: ", f);
		rs_html_puts(f, plot_error);
		fputs("</p>\n", f);
	}
	for (size_t i = 0; pl && i <= pl->n; i++) {
		const struct rs_plot *p;
		char path[4096];

		/* A plot left out because it would say nothing: its note in its place. */
		for (size_t k = 0; k < pl->n_notes; k++) {
			const struct rs_plot_note *note = &pl->notes[k];

			if (note->at != i)
				continue;
			if ((int)note->kind != section) {
				section = (int)note->kind;
				fprintf(f, "<h3>%s</h3>\n", sections[note->kind]);
			}
			fputs("<p class=\"plot-note\" style=\"color:#555\">", f);
			rs_html_puts(f, note->text);
			fputs("</p>\n", f);
		}
		if (i == pl->n)
			break;
		p = &pl->v[i];
		snprintf(path, sizeof(path), "%s/%s.svg", pl->plots_dir, p->name);
		if ((int)p->kind != section) {
			section = (int)p->kind;
			fprintf(f, "<h3>%s</h3>\n", sections[p->kind]);
		}
		fputs("<figure class=\"plot\">\n", f);
		if (rs_svg_inline(f, path, i))
			fputs("<p class=\"err\">(not drawn)</p>", f);
		fputs("\n<figcaption>", f);
		rs_html_puts(f, p->title);
		fprintf(f, " — <a href=\"plots/%s.svg\">SVG</a> · <a href=\"plots/%s.png\">PNG</a>"
			" · <a href=\"plots/%s.gp\">gnuplot script</a></figcaption>\n</figure>\n",
			p->name, p->name, p->name);
	}
}

/* What a stall's thread waited for, by its cause (the wait queues of sim/devices). */
static const char *waiting_for(const char *cause)
{
	static const char *const what[][2] = {
		{ "no_free_descriptors", "free descriptors on the virtqueue" },
		{ "pin_limit", "pinned pages under the transport's limit" },
		{ "ring_full", "a free slot on the blkif ring" },
		{ "grant_reservation", "free grant references" },
		{ "no_free_tag", "a free blk-mq tag" },
	};

	for (size_t i = 0; cause && i < sizeof(what) / sizeof(what[0]); i++)
		if (!strcmp(cause, what[i][0]))
			return what[i][1];
	return "";
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static double num(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

/* A cause's log2 histogram of stall lengths as one bar per bucket, labelled. */
static void html_histogram(FILE *f, json_t *hist)
{
	double most = 0;
	size_t i;
	json_t *bin;

	json_array_foreach(hist, i, bin)
		if (json_number_value(json_array_get(bin, 2)) > most)
			most = json_number_value(json_array_get(bin, 2));
	fputs("<table class=\"hist\">", f);
	json_array_foreach(hist, i, bin) {
		char lo[48], hi[48], n[48];
		double c = json_number_value(json_array_get(bin, 2));

		fprintf(f, "<tr><td class=\"num\">%s&ndash;%s</td><td><span class=\"bar\" "
			"style=\"width:%.0fpx\">&nbsp;</span> %s</td></tr>",
			rs_fmt_number(json_number_value(json_array_get(bin, 0)), lo, sizeof(lo)),
			rs_fmt_number(json_number_value(json_array_get(bin, 1)), hi, sizeof(hi)),
			most > 0 ? 120.0 * c / most : 0, rs_fmt_number(c, n, sizeof(n)));
	}
	fputs("</table>", f);
}

static void html_stalls(FILE *f, const struct rs_report_point *p)
{
	double clock_hz = 0;
	size_t i;
	json_t *s;

	rs_report_metric(p, "clock_hz", &clock_hz);
	if (!json_array_size(p->stalls)) {
		fputs("<p>No stalls.</p>\n", f);
		return;
	}
	fputs("<table><tr><th>ring</th><th>cause</th><th>count</th><th>cycles</th>"
	      "<th>longest</th><th>lengths (cycles, log<sub>2</sub> buckets)</th></tr>\n", f);
	json_array_foreach(p->stalls, i, s) {
		char a[48], b[48], c[48];

		fputs("<tr><td>", f);
		rs_html_puts(f, str(s, "ring"));
		fputs("</td><td>", f);
		rs_html_puts(f, str(s, "cause"));
		fprintf(f, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
			"<td class=\"num\">%s</td><td>",
			rs_fmt_number(num(s, "count"), a, sizeof(a)),
			rs_fmt_number(num(s, "cycles"), b, sizeof(b)),
			rs_fmt_number(num(s, "max_cycles"), c, sizeof(c)));
		html_histogram(f, json_object_get(s, "histogram"));
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
	if (!json_array_size(p->longest_stalls))
		return;
	fputs("<p>The longest stalls:</p>\n<table><tr><th>cause</th><th>waiting for</th>"
	      "<th>start</th><th>cycles</th><th>duration</th><th>request</th></tr>\n", f);
	json_array_foreach(p->longest_stalls, i, s) {
		char start[48], cyc[48], dur[48], req[48];
		double rq = num(s, "request");

		fputs("<tr><td>", f);
		rs_html_puts(f, str(s, "ring"));
		fputs(" ", f);
		rs_html_puts(f, str(s, "cause"));
		fputs("</td><td>", f);
		rs_html_puts(f, waiting_for(str(s, "cause")));
		fprintf(f, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
			"<td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
			rs_fmt_time(num(s, "start_cycle"), clock_hz, start, sizeof(start)),
			rs_fmt_number(num(s, "cycles"), cyc, sizeof(cyc)),
			rs_fmt_time(num(s, "cycles"), clock_hz, dur, sizeof(dur)),
			rq >= 0 ? rs_fmt_number(rq, req, sizeof(req)) : "none");
	}
	fputs("</table>\n", f);
}

static void html_findings(FILE *f, const struct rs_report_point *p)
{
	size_t n = json_array_size(p->findings), shown = n < FINDINGS_SHOWN ? n : FINDINGS_SHOWN;
	static const char *const cols[] = { "severity", "kind", "where", "detail" };
	double total;

	if (!rs_report_metric(p, "findings_total", &total) || total < (double)n)
		total = (double)n;
	if (!n) {
		fprintf(f, "<p>%s</p>\n", total > 0 ? "Findings not listed." : "No findings.");
		return;
	}
	fputs("<table><tr><th>severity</th><th>kind</th><th>where</th><th>detail</th>"
	      "<th>cycle</th></tr>\n", f);
	for (size_t i = 0; i < shown; i++) {
		json_t *fd = json_array_get(p->findings, i), *cycle = json_object_get(fd, "cycle");
		char c[48];

		fputs("<tr>", f);
		for (size_t k = 0; k < 4; k++) {
			fputs(k == 2 ? "<td class=\"mono\">" : "<td>", f);
			rs_html_puts(f, json_string_value(json_object_get(fd, cols[k])));
			fputs("</td>", f);
		}
		fprintf(f, "<td class=\"num\">%s</td></tr>\n", json_is_number(cycle) ?
			rs_fmt_number(json_number_value(cycle), c, sizeof(c)) : "");
	}
	fputs("</table>\n", f);
	if (total > (double)shown)
		fprintf(f, "<p>… and %.0f more findings.</p>\n", total - (double)shown);
}

#define STALLIEST_SHOWN 5 /* points with the most stall cycles, in a wide sweep's details */

static double stall_cycles(const struct rs_report_point *p)
{
	double total = 0;
	size_t i;
	json_t *s;

	json_array_foreach(p->stalls, i, s)
		total += num(s, "cycles");
	return total;
}

/* The STALLIEST_SHOWN points with the most stall cycles (the earlier first among equals;
 * one that never stalled is none of them), into @top; Return: how many. */
static size_t stalliest(const struct rs_report *r, size_t top[STALLIEST_SHOWN])
{
	double cycles[STALLIEST_SHOWN];
	size_t n = 0;

	for (size_t i = 0; i < r->n_points; i++) {
		double c = stall_cycles(&r->points[i]);
		size_t at = n;

		while (at > 0 && cycles[at - 1] < c)
			at--;
		if (c <= 0 || at == STALLIEST_SHOWN)
			continue;
		n -= n == STALLIEST_SHOWN;
		memmove(&cycles[at + 1], &cycles[at], (n - at) * sizeof(*cycles));
		memmove(&top[at + 1], &top[at], (n - at) * sizeof(*top));
		cycles[at] = c;
		top[at] = i;
		n++;
	}
	return n;
}

static bool among(const size_t *set, size_t n, size_t i)
{
	for (size_t k = 0; k < n; k++)
		if (set[k] == i)
			return true;
	return false;
}

int rs_report_html(const struct rs_report *r, const struct rs_view *view,
		   const struct rs_changes *changes, const struct rs_plot_list *pl,
		   const char *plot_error, char *err, size_t err_size)
{
	const char *name = rs_report_title(r);
	FILE *f = rs_write_file(r->dir, "report.html", err, err_size);
	size_t top[STALLIEST_SHOWN], n_top;

	if (!f)
		return -1;
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<title>ringsim compare: ", f);
	rs_html_puts(f, name);
	fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>%s <code>", css,
		r->sweep_file ? "Sweep" : "Comparison");
	rs_html_puts(f, name);
	fputs("</code></h1>\n<p class=\"sub\">", f);
	if (r->sweep_file) {
		fputs("Sweep file <code>", f);
		rs_html_puts(f, r->sweep_file);
		fputs("</code>; ", f);
	}
	if (r->file) {
		fputs(r->sweep_file ? "base scenario <code>" : "Scenario file <code>", f);
		rs_html_puts(f, r->file);
		fputs("</code>; ", f);
	}
	fprintf(f, "%zu points", r->n_points);
	for (size_t k = 0; k < json_array_size(r->varied); k++) {
		fputs(k ? ", <code>" : "; varied: <code>", f);
		rs_html_puts(f, json_string_value(json_array_get(r->varied, k)));
		fputs("</code>", f);
	}
	fputs(".</p>\n<nav><a href=\"#changes\">What changed</a><a href=\"#points\">Points</a>"
	      "<a href=\"#config\">Configuration</a><a href=\"#metrics\">Metrics</a>"
	      "<a href=\"#plots\">Plots</a><a href=\"#details\">Stalls and findings</a></nav>\n",
	      f);
	rs_html_changes(f, view, changes);
	html_points(f, r);
	if (rs_view_wide(view)) {
		rs_html_wide_config(f, view);
		rs_html_wide_metrics(f, view);
	} else {
		rs_html_config(f, view);
		rs_html_metric_table(f, view);
	}
	html_plots(f, r, pl, plot_error);
	fputs("<h2 id=\"details\">Stalls and findings</h2>\n", f);
	n_top = stalliest(r, top);
	if (rs_view_wide(view))
		fprintf(f, "<p>Of the %zu points, those not ok and the %d that stalled longest; "
			"compare.json has every point's.</p>\n", r->n_points, STALLIEST_SHOWN);
	for (size_t i = 0; i < r->n_points; i++) {
		const struct rs_report_point *p = &r->points[i];

		if (rs_view_wide(view) && !strcmp(p->status, "ok") && !among(top, n_top, i))
			continue;
		fputs("<h3>", f);
		rs_html_puts(f, p->name);
		fputs(" ", f);
		status_badge(f, p->status);
		fputs("</h3>\n", f);
		if (!p->has_data && !json_array_size(p->stalls) && !json_array_size(p->findings)) {
			fputs("<p>No results: the point failed.</p>\n", f);
			continue;
		}
		fputs("<h4>Stalls</h4>\n", f);
		html_stalls(f, p);
		fputs("<h4>Findings</h4>\n", f);
		html_findings(f, p);
	}
	fputs("<p class=\"sub\">Written by ringsim compare.</p>\n</body>\n</html>\n", f);
	return rs_commit_file(f, r->dir, "report.html", err, err_size);
}
