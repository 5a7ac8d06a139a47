/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fmt: numbers as the report prints them (fmt.c, the one number formatter), text escaped
 * for HTML and Markdown and the report's files written whole or not at all (output.c).
 * Shared by the tables, the plots and the documents.
 */
#ifndef RS_REPORT_TABLES_FMT_H
#define RS_REPORT_TABLES_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/** rs_fmt_number() - "5,110", "18.33", "5.94G": thousands separators or k/M/G. */
char *rs_fmt_number(double v, char *buf, size_t size);

/** rs_fmt_ratio() - "1.00", "0.25", "12.3". */
char *rs_fmt_ratio(double r, char *buf, size_t size);

/** rs_fmt_short() - "5,110", "18.3", "0.725", "38.9k": three significant digits or whole */
char *rs_fmt_short(double v, char *buf, size_t size);

/** rs_fmt_compact() - "9,999", then "38.9k", "16.5M": for numbers side by side */
char *rs_fmt_compact(double v, char *buf, size_t size);

/** rs_fmt_bytes() - "768 KiB", "65.5 MiB", "512 B" */
char *rs_fmt_bytes(double bytes, char *buf, size_t size);

/** rs_fmt_time() - @cycles at @clock_hz: "38.9 µs", "1.25 ms"; "" when the clock is 0 */
char *rs_fmt_time(double cycles, double clock_hz, char *buf, size_t size);

/**
 * rs_axis_scale() - what a linear axis up to @max is divided by, so that its tic labels
 * stay short ("15" on an axis "cycles (millions)", not "1.5e+07")
 * @unit: set to the words to append to the axis label ("" when 1)
 * Return: 1, 1e6 or 1e9.
 */
double rs_axis_scale(double max, const char **unit);

/** rs_ratio_differs() - whether a ratio shows as something other than 1.00. */
bool rs_ratio_differs(double r);

/** rs_slug() - @in with everything but [A-Za-z0-9] as '_', lower case, into @out. */
char *rs_slug(const char *in, char *out, size_t size);

/** rs_html_puts() - write @s HTML-escaped (also safe inside attribute values). */
void rs_html_puts(FILE *f, const char *s);

/** rs_md_puts() - write @s for a Markdown table cell ('|' escaped, no line breaks). */
void rs_md_puts(FILE *f, const char *s);

/** rs_md_code() - write @s as a Markdown code span (for names, paths and messages). */
void rs_md_code(FILE *f, const char *s);

/**
 * rs_svg_inline() - copy the SVG file @path into an HTML page, from its <svg> element on
 * @index: makes its ids unique in the page (prefix "pINDEX-") so that plots do not
 *         resolve each other's references
 * Return: 0, or -1 when the file cannot be read or holds no <svg>.
 */
int rs_svg_inline(FILE *f, const char *path, size_t index);

/**
 * rs_write_file() - open DIR/NAME.tmp for writing; rs_commit_file() renames it onto NAME
 * Return: the stream, or NULL with @err set.
 */
FILE *rs_write_file(const char *dir, const char *name, char *err, size_t err_size);

/** rs_commit_file() - close @f and rename DIR/NAME.tmp onto DIR/NAME. Return: 0 or -1. */
int rs_commit_file(FILE *f, const char *dir, const char *name, char *err, size_t err_size);

#endif
