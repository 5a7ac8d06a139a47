// SPDX-License-Identifier: GPL-2.0-only
/* dut_names: the DUT specs a scenario may name (dut_names.h). */
#include "scenario/dut_names.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dut_build_config.h"
#include "diag/suggest.h"
#include "scenario/embedded.h"

#define MAX_FIXES 32

static struct rs_dut_fix fixes[MAX_FIXES + 1];

/* dut/fixes/variants.txt, parsed once: "KIND NAME PATCH DESCRIPTION..." per line; the
 * build checked its shape (cmake/dut_variants.cmake), so a line that is not is skipped. */
static void load_index(void)
{
	static char *text;
	size_t n = 0;
	char *save = NULL;

	if (text)
		return;
	text = strdup((const char *)rs_embedded_dut_variants);
	if (!text)
		return;
	for (char *line = strtok_r(text, "\n", &save); line && n < MAX_FIXES;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[3], *rest = line;

		if (*line == '#')
			continue;
		for (int i = 0; i < 3; i++) {
			f[i] = strsep(&rest, " \t");
			while (rest && (*rest == ' ' || *rest == '\t'))
				rest++;
		}
		if (!rest || !*rest)
			continue;
		fixes[n++] = (struct rs_dut_fix){ f[0], f[1], f[2], rest };
	}
}

const struct rs_dut_fix *rs_dut_fixes(void)
{
	load_index();
	return fixes;
}

const struct rs_dut_fix *rs_dut_fix_find(const char *kind, const char *name)
{
	for (const struct rs_dut_fix *f = rs_dut_fixes(); f->name; f++)
		if (!strcmp(f->kind, kind) && !strcmp(f->name, name))
			return f;
	return NULL;
}

bool rs_dut_spec_is_builtin(const char *spec)
{
	return !spec || !strcmp(spec, "seed");
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && !strcmp(s + n - m, tail);
}

/* A token that names a file rather than a fix: a path, or a patch or source by its suffix. */
static bool is_path(const char *tok)
{
	return strchr(tok, '/') || ends_with(tok, ".patch") || ends_with(tok, ".diff") ||
	       ends_with(tok, ".c") || ends_with(tok, ".so");
}

/* Whether @file's name is one of @kind's sources (a user's xen-blkfront.c, blk.c ...). */
static bool kind_has_source(const char *kind, const char *file, char *names, size_t size)
{
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	char list[512], *save = NULL;
	bool found = false;

	snprintf(list, sizeof(list), "%s %s", RS_DUT_SOURCES_COMMON,
		 !strcmp(kind, "xen-blk") ? RS_DUT_SOURCES_BLK : RS_DUT_SOURCES_9P);
	names[0] = '\0';
	for (char *src = strtok_r(list, " ", &save); src; src = strtok_r(NULL, " ", &save)) {
		const char *sb = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;

		found |= !strcmp(sb, base);
		snprintf(names + strlen(names), size - strlen(names), "%s%s",
			 names[0] ? ", " : "", sb);
	}
	return found;
}

/* The fixes of @kind, "a, b, c", for messages. */
static void fix_names(const char *kind, char *out, size_t size)
{
	out[0] = '\0';
	for (const struct rs_dut_fix *f = rs_dut_fixes(); f->name; f++)
		if (!strcmp(f->kind, kind) && strcmp(f->name, "upstream"))
			snprintf(out + strlen(out), size - strlen(out), "%s%s", out[0] ? ", " : "",
				 f->name);
}

static int append(char **spec, const char *tok)
{
	char *grown;

	if (asprintf(&grown, "%s%s%s", *spec ? *spec : "", *spec ? "+" : "", tok) < 0)
		return -1;
	free(*spec);
	*spec = grown;
	return 0;
}

/* seed+X+Y / upstream+X: each X a fix of @kind or an existing patch file. */
static char *check_composed(const char *kind, const char *value, char *why, size_t size)
{
	char *copy = strdup(value), *save = NULL, *spec = NULL;
	char names[256], near[64];
	bool first = true;

	if (!copy)
		return NULL;
	for (char *tok = strtok_r(copy, "+", &save); tok; tok = strtok_r(NULL, "+", &save)) {
		char *abs = NULL;
		int rc;

		if (first) {
			first = false;
			rc = append(&spec, tok); /* seed or upstream, checked by the caller */
		} else if (is_path(tok)) {
			abs = realpath(tok, NULL);
			if (!abs) {
				snprintf(why, size, "%s: %s (a patch against the shipped DUT source)",
					 tok, strerror(errno));
				goto bad;
			}
			rc = append(&spec, abs);
			free(abs);
		} else if (rs_dut_fix_find(kind, tok) && strcmp(tok, "upstream")) {
			rc = append(&spec, tok);
		} else {
			fix_names(kind, names, sizeof(names));
			if (rs_suggest_list(tok, names, near, sizeof(near)))
				snprintf(why, size, "%s has no fix '%s'; did you mean '%s'? (ringsim "
					 "dut list)", kind, tok, near);
			else
				snprintf(why, size, "%s has no fix '%s'; allowed: %s, or a patch file "
					 "(ringsim dut list)", kind, tok, names);
			goto bad;
		}
		if (rc)
			goto bad;
	}
	free(copy);
	return spec;
bad:
	free(copy);
	free(spec);
	return NULL;
}

char *rs_dut_spec_check(const char *kind, const char *value, char *why, size_t size)
{
	static const char *const bases[] = { "seed", "upstream" };
	char names[256];
	char *abs;

	why[0] = '\0';
	if (!strcmp(value, "seed") || !strcmp(value, "upstream"))
		return strdup(value);
	if (!strncmp(value, "seed+", 5) || !strncmp(value, "upstream+", 9))
		return check_composed(kind, value, why, size);
	if (!is_path(value)) {
		const char *n = rs_suggest(value, bases, 2);

		if (n)
			snprintf(why, size, "unknown DUT; did you mean '%s'? (ringsim dut list)",
				 n);
		else
			snprintf(why, size, "unknown DUT; allowed: seed, upstream, seed+FIX "
				 "(ringsim dut list), a driver source file (.c) or a DUT object "
				 "(.so)");
		return NULL;
	}
	if (ends_with(value, ".c") && !kind_has_source(kind, value, names, sizeof(names))) {
		snprintf(why, size, "not a %s source ringsim knows; allowed file names: %s",
			 kind, names);
		return NULL;
	}
	if (!ends_with(value, ".c") && !ends_with(value, ".so")) {
		snprintf(why, size, "a DUT file is a driver source (.c) or a DUT object (.so); "
			 "a patch goes after seed+ or upstream+");
		return NULL;
	}
	abs = realpath(value, NULL);
	if (!abs)
		snprintf(why, size, "%s", strerror(errno));
	return abs;
}
