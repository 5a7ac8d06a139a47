// SPDX-License-Identifier: GPL-2.0-only
#include "diag/diag.h"

#include <stdarg.h>
#include <stdlib.h>

static char oom_msg[] = "out of memory while reporting an error";

void rs_diag_add(struct rs_diag *d, const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);

	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 8;
		char **msgs = realloc(d->msgs, cap * sizeof(*msgs));

		if (!msgs) {
			free(msg);
			return;
		}
		d->msgs = msgs;
		d->cap = cap;
	}
	d->msgs[d->n++] = msg ? msg : oom_msg;
}

void rs_diag_print(const struct rs_diag *d, FILE *out)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(out, "%s\n", d->msgs[i]);
}

void rs_diag_clear(struct rs_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->msgs[i] != oom_msg)
			free(d->msgs[i]);
	free(d->msgs);
	d->msgs = NULL;
	d->n = d->cap = 0;
}
