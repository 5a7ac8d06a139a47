/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * results_dir: a run's output directory, written atomically. Everything goes into a
 * temporary sibling ("DIR.tmp-PID"), renamed onto DIR only when complete, so an
 * interrupted or failed run never leaves a directory that looks complete. At commit the
 * directory gets its manifest (manifest.h): what ringsim wrote, so that a later run onto
 * it replaces only that, and the user's own files in it are refused or carried over.
 */
#ifndef RS_RESULTS_DIR_H
#define RS_RESULTS_DIR_H

#include <stdbool.h>
#include <stddef.h>

#include "diag/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* rs_results_commit()'s answer when the user's files stand in the way: bad input (exit 2). */
#define RS_RESULTS_REFUSED (-2)

struct rs_results_dir {
	bool force;   /* set before rs_results_begin(): --force, keep the user's files */
	char *dir;    /* final name */
	char *tmp;    /* where files are written until commit */
	char *marker; /* the file that marks a result written before manifests, or NULL */
};

/**
 * rs_results_begin() - check @dir may be (re)placed and create the temporary directory
 * @rd: zeroed state, but for @rd->force
 * @dir: the final directory; its parents are created as needed
 * @marker: the file that marks a finished result of this kind written before manifests
 *          ("summary.json" for a run, "compare.json" for a comparison), or NULL when
 *          there is none (a regress suite)
 * @diag: receives the reason on failure (bad user input: exit 2)
 *
 * @dir may be absent, empty, or an earlier result: one with a manifest, or one written
 * before manifests that holds @marker. An earlier result that also holds entries ringsim
 * did not write (not in its manifest; before manifests, names ringsim does not write at
 * the top of a result) is refused, naming them, unless @rd->force: then they are carried
 * over into the new result at commit. Anything else (a file, a symbolic link, a directory
 * that is not a result) is refused, so a typo cannot delete someone's files. Nothing is
 * created when @dir is refused.
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
 * rs_results_commit() - write the manifest and move the temporary directory onto the final
 * name
 *
 * The entries of an earlier result at the final name that ringsim did not write (those
 * rs_results_begin() let through under --force, and any that appeared since) are moved
 * (rename(2)) into the new result before the swap; the rest of the earlier result is
 * removed.
 * Return: 0; RS_RESULTS_REFUSED with @err set when such an entry has the name of one the
 * new result holds (bad input); -1 with @err set on any other failure. On failure the
 * temporary directory is removed and the earlier result is left as it was.
 */
int rs_results_commit(struct rs_results_dir *rd, char *err, size_t err_size);

/** rs_results_abort() - remove the temporary directory and free @rd. */
void rs_results_abort(struct rs_results_dir *rd);

/* The 9P capture a run writes into its own results directory (ringsim run --pcaps). */
#define RS_RESULTS_PCAP "9p.pcap"

/**
 * rs_results_holding() - how many of the @n run results directories @runs hold a file
 * @name (the 9P capture that each run of compare, regress or --replications with a
 * virtio-9p device wrote under --pcaps)
 */
size_t rs_results_holding(char *const *runs, size_t n, const char *name);

/** rs_remove_tree() - rm -rf @path (no symlink is followed). Return: 0 or -1. */
int rs_remove_tree(const char *path);

#ifdef __cplusplus
}
#endif

#endif
