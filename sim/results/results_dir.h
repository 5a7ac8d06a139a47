/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * results_dir: a run's output directory, written atomically. Everything goes into a
 * temporary sibling ("DIR.tmp-PID"), renamed onto DIR only when complete, so an
 * interrupted or failed run never leaves a directory that looks complete.
 */
#ifndef RS_RESULTS_DIR_H
#define RS_RESULTS_DIR_H

#include <stddef.h>

#include "diag/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rs_results_dir {
	char *dir; /* final name */
	char *tmp; /* where files are written until commit */
};

/**
 * rs_results_begin() - check @dir may be (re)placed and create the temporary directory
 * @rd: zeroed state
 * @dir: the final directory; its parents are created as needed
 * @marker: the file that marks a finished result of this kind ("summary.json" for a run,
 *          "compare.json" for a comparison)
 * @diag: receives the reason on failure (bad user input: exit 2)
 *
 * @dir may be absent, empty, or an earlier result holding @marker (replaced at commit);
 * anything else is refused, so a typo cannot delete someone's files.
 * Return: 0, or -1 with @diag set.
 */
int rs_results_begin(struct rs_results_dir *rd, const char *dir, const char *marker,
		     struct rs_diag *diag);

/**
 * rs_results_write() - write a whole file into the temporary directory
 * Return: 0, or -1 with @err set.
 */
int rs_results_write(const struct rs_results_dir *rd, const char *name, const char *text,
		     char *err, size_t err_size);

/**
 * rs_results_commit() - move the temporary directory onto the final name
 * Return: 0, or -1 with @err set (the temporary directory is then removed).
 */
int rs_results_commit(struct rs_results_dir *rd, char *err, size_t err_size);

/** rs_results_abort() - remove the temporary directory and free @rd. */
void rs_results_abort(struct rs_results_dir *rd);

/** rs_remove_tree() - rm -rf @path (no symlink is followed). Return: 0 or -1. */
int rs_remove_tree(const char *path);

#ifdef __cplusplus
}
#endif

#endif
