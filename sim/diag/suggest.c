// SPDX-License-Identifier: GPL-2.0-only
#include "diag/suggest.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_NAME 128

/* Optimal string alignment distance, rows of the dynamic programme kept three at a time. */
static size_t distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	size_t rows[3][MAX_NAME + 1];
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

	if (n > MAX_NAME || m > MAX_NAME)
		return (size_t)-1;
	for (size_t j = 0; j <= m; j++)
		prev[j] = j;
	for (size_t i = 1; i <= n; i++) {
		size_t *t;

		cur[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t cost = tolower((unsigned char)a[i - 1]) !=
				      tolower((unsigned char)b[j - 1]);
			size_t d = prev[j] + 1;

			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (prev[j - 1] + cost < d)
				d = prev[j - 1] + cost;
			if (i > 1 && j > 1 && tolower((unsigned char)a[i - 1]) ==
			    tolower((unsigned char)b[j - 2]) && tolower((unsigned char)a[i - 2]) ==
			    tolower((unsigned char)b[j - 1]) && prev2[j - 2] + 1 < d)
				d = prev2[j - 2] + 1;
			cur[j] = d;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[m];
}

static int is_prefix(const char *p, const char *s)
{
	return !strncasecmp(p, s, strlen(p));
}

const char *rs_suggest(const char *given, const char *const *candidates, size_t n)
{
	size_t len = strlen(given), limit = len / 3 > 1 ? len / 3 : 1, best = (size_t)-1;
	const char *pick = NULL;

	for (size_t i = 0; i < n; i++) {
		size_t d = distance(given, candidates[i]);

		if (len >= 3 && d > limit &&
		    (is_prefix(given, candidates[i]) || is_prefix(candidates[i], given)))
			d = limit; /* "dep" for "depth", "depthx" for "depth" */
		if (d <= limit && d < best) {
			best = d;
			pick = candidates[i];
		}
	}
	return pick;
}

char *rs_suggest_list(const char *given, const char *list, char *out, size_t size)
{
	const char *names[256];
	size_t n = 0;
	char *copy = strdup(list ? list : ""), *save = NULL;
	const char *pick;

	if (!copy)
		return NULL;
	for (char *tok = strtok_r(copy, ", ", &save); tok && n < 256;
	     tok = strtok_r(NULL, ", ", &save))
		names[n++] = tok;
	pick = rs_suggest(given, names, n);
	if (pick)
		snprintf(out, size, "%s", pick);
	free(copy);
	return pick ? out : NULL;
}
