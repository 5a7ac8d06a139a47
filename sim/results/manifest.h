/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * manifest: what ringsim wrote in a results directory, so that replacing the directory
 * replaces only that. DIR/.ringsim-manifest lists every path under DIR that ringsim wrote
 * (not itself): relative, one a line, a directory with a trailing '/', sorted by byte
 * value, after a first line "# ringsim results manifest 1 (ringsim VERSION)". Whatever
 * else is under DIR is the user's ("foreign").
 */
#ifndef RS_MANIFEST_H
#define RS_MANIFEST_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RS_MANIFEST_NAME ".ringsim-manifest"

/* A sorted list of relative paths, directories with a trailing '/'. */
struct rs_paths {
	char **v;
	size_t n;
};

/** rs_paths_free() - free @p's paths and zero it. */
void rs_paths_free(struct rs_paths *p);

/**
 * rs_manifest_write() - list everything under @dir into @dir/.ringsim-manifest
 * @dir: a results directory, complete
 * @err: receives the reason on failure
 *
 * Symbolic links are listed, never followed. A name holding a newline cannot be listed and
 * is left out, so a later run takes it for the user's (kept, not deleted).
 * Return: 0, or -1 with @err set.
 */
int rs_manifest_write(const char *dir, char *err, size_t err_size);

/**
 * rs_manifest_read() - the paths @dir's manifest lists
 * @listed: receives them, sorted
 * Return: 1 when read, 0 when @dir has no manifest, -1 when it cannot be read.
 */
int rs_manifest_read(const char *dir, struct rs_paths *listed);

/**
 * rs_manifest_foreign() - the entries under @dir that @listed does not name
 * @dir: a results directory
 * @listed: its manifest
 * @foreign: receives them, sorted; a foreign directory is one entry ("mydata/"), a foreign
 *           file inside a listed directory is one too ("dut-coverage/mine.txt")
 *
 * The manifest itself at the top of @dir is never foreign.
 * Return: 0, or -1 when a directory cannot be read.
 */
int rs_manifest_foreign(const char *dir, const struct rs_paths *listed,
			struct rs_paths *foreign);

/**
 * rs_legacy_foreign() - the foreign entries of a results directory written before
 * manifests (it holds its marker but no manifest)
 * @foreign: receives, sorted, each top-level entry that is not a name ringsim writes at the
 *           top of a result (summary.json, the CSV files, compare.json, report.html, plots/,
 *           dut-coverage/, ...), a run's results directory (a compare point, seed-S/) or its
 *           log beside it; nothing below the top is looked at
 * Return: 0, or -1 when @dir cannot be read.
 */
int rs_legacy_foreign(const char *dir, struct rs_paths *foreign);

#ifdef __cplusplus
}
#endif

#endif
