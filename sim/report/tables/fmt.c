// SPDX-License-Identifier: GPL-2.0-only
/* fmt: numbers and text as the reports show them, SVGs inlined, files written whole. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/tables/fmt.h"

/* "125439044" -> "125,439,044" */
static char *group_thousands(long long v, char *buf, size_t size)
{
	char digits[32], out[48];
	size_t n, o = 0;

	n = (size_t)snprintf(digits, sizeof(digits), "%llu",
			     v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v);
	if (v < 0)
		out[o++] = '-';
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	snprintf(buf, size, "%s", out);
	return buf;
}

char *rs_fmt_number(double v, char *buf, size_t size)
{
	static const char *const suffix[] = { "", "k", "M", "G", "T", "P" };
	double a = fabs(v);
	int e = 0;

	if (!isfinite(v)) {
		snprintf(buf, size, "%s", isnan(v) ? "NaN" : v > 0 ? "inf" : "-inf");
		return buf;
	}
	/* Counts read best whole; 15 digits is where a double stops being exact. */
	if (v == floor(v) && a < 1e15)
		return group_thousands((long long)v, buf, size);
	if (a < 1e5) {
		snprintf(buf, size, "%.4g", v);
		return buf;
	}
	while (a >= 1000 && e < 5) {
		a /= 1000;
		e++;
	}
	snprintf(buf, size, "%.3g%s", v < 0 ? -a : a, suffix[e]);
	return buf;
}

char *rs_fmt_ratio(double r, char *buf, size_t size)
{
	double a = fabs(r);

	if (!isfinite(r))
		snprintf(buf, size, "%s", isnan(r) ? "NaN" : "inf");
	else if (a != 0 && a < 0.01)
		snprintf(buf, size, "%.2g", r);
	else if (a < 10)
		snprintf(buf, size, "%.2f", r);
	else if (a < 100)
		snprintf(buf, size, "%.1f", r);
	else
		snprintf(buf, size, "%.0f", r);
	return buf;
}

double rs_axis_scale(double max, const char **unit)
{
	if (max >= 1e9) {
		*unit = " (billions)";
		return 1e9;
	}
	if (max >= 1e6) {
		*unit = " (millions)";
		return 1e6;
	}
	*unit = "";
	return 1;
}

bool rs_ratio_differs(double r)
{
	char buf[32];

	return strcmp(rs_fmt_ratio(r, buf, sizeof(buf)), "1.00") != 0;
}

char *rs_slug(const char *in, char *out, size_t size)
{
	size_t o = 0;

	if (!size)
		return out;
	for (; *in && o + 1 < size; in++)
		out[o++] = isalnum((unsigned char)*in) ? (char)tolower((unsigned char)*in) : '_';
	out[o] = '\0';
	return out;
}

void rs_html_puts(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			/* Control characters other than white space are not allowed in HTML. */
			fputc((unsigned char)*s < 0x20 && !isspace((unsigned char)*s) ? ' ' : *s,
			      f);
		}
	}
}

void rs_md_puts(FILE *f, const char *s)
{
	/* Backslash escapes work in GitHub's Markdown and stay readable in a terminal. */
	for (; s && *s; s++) {
		if (strchr("\\`*|<&", *s))
			fputc('\\', f);
		fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
	}
}

void rs_md_code(FILE *f, const char *s)
{
	fputc('`', f);
	for (; s && *s; s++) {
		if (*s == '|')
			fputc('\\', f);   /* a table's pipe even inside code */
		fputc(*s == '`' ? '\'' : (unsigned char)*s < 0x20 ? ' ' : *s, f);
	}
	fputc('`', f);
}

/* gnuplot gives every SVG the same ids ("gpPt0", "gnuplot_canvas", ...). */
int rs_svg_inline(FILE *f, const char *path, size_t index)
{
	static const char *const refs[] = { " id=\"", " id='", "href=\"#", "href='#", "url(#" };
	FILE *in = fopen(path, "r");
	char *text = NULL, *s;
	size_t len = 0;

	if (!in)
		return -1;
	if (getdelim(&text, &len, '\0', in) < 0 || !(s = strstr(text, "<svg"))) {
		free(text);
		fclose(in);
		return -1;
	}
	fclose(in);
	while (*s) {
		size_t i, n = 0;

		for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
			n = strlen(refs[i]);
			if (!strncmp(s, refs[i], n))
				break;
		}
		if (i < sizeof(refs) / sizeof(refs[0])) {
			fprintf(f, "%.*sp%zu-", (int)n, s, index);
			s += n;
		} else {
			fputc(*s++, f);
		}
	}
	free(text);
	return 0;
}

FILE *rs_write_file(const char *dir, const char *name, char *err, size_t err_size)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.tmp", dir, name);
	f = fopen(path, "w");
	if (!f)
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
	return f;
}

int rs_commit_file(FILE *f, const char *dir, const char *name, char *err, size_t err_size)
{
	char tmp[4096], path[4096];
	int bad = ferror(f);

	snprintf(tmp, sizeof(tmp), "%s/%s.tmp", dir, name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (fclose(f) || bad) {
		snprintf(err, err_size, "%s: write failed", tmp);
		remove(tmp);
		return -1;
	}
	if (rename(tmp, path)) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
}
