// SPDX-License-Identifier: GPL-2.0-only
/* csv: a point's histograms.csv and timeseries.csv, as the recorder writes them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/plots/plots.h"

/* Strip the line end; Return: the line. */
static char *chomp(char *line)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

/* One numeric field ending at ',' or the end of the line; Return: 0 or -1. */
static int field(char **s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(*s, &end);
	if (end == *s || errno || (*end && *end != ','))
		return -1;
	*s = *end ? end + 1 : end;
	return 0;
}

/* Open @path; a missing file is not an error (*f stays NULL). */
static int open_csv(const char *path, FILE **f, char *err, size_t err_size)
{
	*f = fopen(path, "r");
	if (!*f && errno != ENOENT) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int cmp_bin(const void *a, const void *b)
{
	const struct rs_bin *x = a, *y = b;

	return (x->lo > y->lo) - (x->lo < y->lo);
}

int rs_csv_histogram(const char *path, const char *metric, struct rs_bin **bins, size_t *n,
		     char *err, size_t err_size)
{
	size_t len = 0, cap = 0, lineno = 0, mlen = strlen(metric);
	char *line = NULL;
	FILE *f;
	int rc = -1;

	*bins = NULL;
	*n = 0;
	if (open_csv(path, &f, err, err_size))
		return -1;
	if (!f)
		return 0;
	while (getline(&line, &len, f) > 0) {
		char *s = chomp(line);
		struct rs_bin b;

		if (++lineno == 1) {
			if (strncmp(s, "metric,", 7)) {
				snprintf(err, err_size, "%s:1: expected the header "
					 "\"metric,lo,hi,count\"", path);
				goto out;
			}
			continue;
		}
		if (!*s || strncmp(s, metric, mlen) || s[mlen] != ',')
			continue;
		s += mlen + 1;
		if (field(&s, &b.lo) || field(&s, &b.hi) || field(&s, &b.count) || *s) {
			snprintf(err, err_size, "%s:%zu: expected NAME,LO,HI,COUNT", path, lineno);
			goto out;
		}
		if (*n == cap) {
			size_t ncap = cap ? 2 * cap : 64;
			struct rs_bin *nb = realloc(*bins, ncap * sizeof(*nb));

			if (!nb) {
				snprintf(err, err_size, "%s: out of memory", path);
				goto out;
			}
			*bins = nb;
			cap = ncap;
		}
		(*bins)[(*n)++] = b;
	}
	if (*n)
		qsort(*bins, *n, sizeof(**bins), cmp_bin);
	rc = 0;
out:
	if (rc) {
		free(*bins);
		*bins = NULL;
		*n = 0;
	}
	free(line);
	fclose(f);
	return rc;
}

static int parse_header(struct rs_series *s, char *line)
{
	for (char *save = NULL, *tok = strtok_r(line, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char **nc = realloc(s->cols, (s->n_cols + 1) * sizeof(*nc));

		if (!nc)
			return -1;
		s->cols = nc;
		if (!(s->cols[s->n_cols] = strdup(tok)))
			return -1;
		s->n_cols++;
	}
	return 0;
}

int rs_csv_series(const char *path, struct rs_series *s, char *err, size_t err_size)
{
	size_t len = 0, cap = 0, lineno = 0;
	char *line = NULL;
	FILE *f;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	if (open_csv(path, &f, err, err_size))
		return -1;
	if (!f)
		return 0;
	while (getline(&line, &len, f) > 0) {
		char *p = chomp(line);

		if (++lineno == 1) {
			if (strncmp(p, "cycle", 5) || parse_header(s, p)) {
				snprintf(err, err_size, "%s:1: expected the header \"cycle,...\"",
					 path);
				goto out;
			}
			continue;
		}
		if (!*p)
			continue;
		if (s->n_rows == cap) {
			size_t ncap = cap ? 2 * cap : 1024;
			double *nv = realloc(s->v, ncap * s->n_cols * sizeof(*nv));

			if (!nv) {
				snprintf(err, err_size, "%s: out of memory", path);
				goto out;
			}
			s->v = nv;
			cap = ncap;
		}
		for (size_t c = 0; c < s->n_cols; c++) {
			/* field() stepped over the number and, if there was one, a comma:
			 * every column but the last needs one, the last must not have one. */
			if (field(&p, &s->v[s->n_rows * s->n_cols + c]) ||
			    (p[-1] == ',') != (c + 1 < s->n_cols)) {
				snprintf(err, err_size, "%s:%zu: expected %zu numbers", path,
					 lineno, s->n_cols);
				goto out;
			}
		}
		s->n_rows++;
	}
	rc = 0;
out:
	if (rc)
		rs_series_free(s);
	free(line);
	fclose(f);
	return rc;
}

int rs_series_col(const struct rs_series *s, const char *name)
{
	for (size_t c = 0; c < s->n_cols; c++)
		if (!strcmp(s->cols[c], name))
			return (int)c;
	return -1;
}

void rs_series_free(struct rs_series *s)
{
	for (size_t c = 0; c < s->n_cols; c++)
		free(s->cols[c]);
	free(s->cols);
	free(s->v);
	memset(s, 0, sizeof(*s));
}
