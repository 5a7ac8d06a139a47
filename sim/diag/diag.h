/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * diag: the list of user-input errors one command collects ("FILE:LINE: message").
 * Bad input is reported, never fatal inside a library: main() alone decides to exit 2.
 */
#ifndef RS_DIAG_H
#define RS_DIAG_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rs_diag {
	char **msgs;
	size_t n;
	size_t cap;
};

/**
 * rs_diag_add() - append one formatted message
 * @d: the list
 * @fmt: printf format of the complete message, location included
 *
 * Context: any; an allocation failure keeps a fixed "out of memory" message instead.
 */
void rs_diag_add(struct rs_diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * rs_diag_print() - print every message, one per line
 * @d: the list
 * @out: stream, normally stderr
 */
void rs_diag_print(const struct rs_diag *d, FILE *out);

/** rs_diag_clear() - free every message; @d can be reused. */
void rs_diag_clear(struct rs_diag *d);

#ifdef __cplusplus
}
#endif

#endif
