/* SPDX-License-Identifier: GPL-2.0-only */
/* The steps of a DUT build (dutbuild.c): the source tree (tree.c), compiling it (compile.c). */
#ifndef RS_DUTBUILD_STEPS_H
#define RS_DUTBUILD_STEPS_H

#include <stdbool.h>
#include <stddef.h>

/* Where a DUT's sources are, and which one file (if any) a user's file replaces. */
struct dut_tree {
	char dut[4096];          /* a directory laid out as dut/ */
	char include[4096];      /* kshim's headers */
	const char *kind;
	char *sources[32];       /* relative to @dut, the kind's and the common ones */
	size_t n_sources;
	size_t n_common;         /* @sources[0, n_common): the boundary's glue, both kinds' */
	size_t n_own;            /* [n_common, n_own): the kind's own; then the other kind's */
	const char *override;    /* one of @sources, compiled from @override_path instead */
	char override_path[4096];
};

/* tree.c */
/* snprintf() for a path: -1 (ENAMETOOLONG) when it does not fit. */
int path_fmt(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int tree_sources(struct dut_tree *t, const char *kind);
void tree_free(struct dut_tree *t);
int tree_copy(const char *from, const char *to, char *err, size_t size);
int tree_patch(const char *root, const char *patch, char *err, size_t size);
int tree_remove(const char *dir);
int run_command(char *const argv[], const char *log);

/* compile.c */
int tree_hash(const struct dut_tree *t, bool coverage, char hex[65]);
int tree_compile(const struct dut_tree *t, bool coverage, const char *out_dir, char *err,
		 size_t size);

#endif
