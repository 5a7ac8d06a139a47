// SPDX-License-Identifier: GPL-2.0-only
/* output: text escaped for HTML and Markdown, SVGs inlined, and the report's files written
 * whole or not at all. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/tables/fmt.h"

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
