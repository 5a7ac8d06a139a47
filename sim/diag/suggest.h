/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * suggest: the nearest valid name to a mistyped one, for "did you mean ...?" in messages
 * about unknown options, --set paths, attributes, job and cost names.
 */
#ifndef RS_SUGGEST_H
#define RS_SUGGEST_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * rs_suggest() - the candidate closest to @given, if it is close enough to be a typo
 * @given: what the user wrote
 * @candidates: the valid names
 * @n: how many
 *
 * Distance is Damerau-Levenshtein (an adjacent swap counts one edit), case-insensitive.
 * A candidate qualifies within max(1, strlen(@given) / 3) edits, or when one of the two
 * is a prefix of the other and @given has at least 3 characters; ties go to the first.
 * Return: the chosen candidate (one of @candidates), or NULL when none is close.
 */
const char *rs_suggest(const char *given, const char *const *candidates, size_t n);

/**
 * rs_suggest_list() - rs_suggest() over a ", "-separated list such as "a, b, c"
 * @out: receives the chosen name
 * @size: size of @out
 * Return: @out, or NULL when none is close.
 */
char *rs_suggest_list(const char *given, const char *list, char *out, size_t size);

#ifdef __cplusplus
}
#endif

#endif
