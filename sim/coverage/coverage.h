/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * coverage: which lines, branches and functions of the DUT a run executed (--dut-coverage),
 * from the gcov data of its instrumented DUT objects (sim/dutbuild compiles them with
 * --coverage; the engine dumps their counters once the run is over). One object's figures
 * are kept apart from another's (seed and upstream are different code); the same object's
 * figures from several runs add up (regress, compare, run --replications).
 *
 * Written as DIR/dut-coverage/: coverage.json (per object its summary, rs_coverage_summary(),
 * then every DUT source file's instrumented lines with their counts, branches, functions), lcov.info (the same as an lcov tracefile:
 * genhtml, GitLab's and Codecov's coverage views read it) and, for one run, gcda/HASH/ (the
 * raw gcov data and notes, for gcov itself).
 */
#ifndef RS_COVERAGE_H
#define RS_COVERAGE_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rs_coverage;

struct rs_coverage *rs_coverage_new(void);
void rs_coverage_free(struct rs_coverage *cov);

/**
 * rs_coverage_gcov() - the gcov tool that reads the data of objects @compiler builds
 * ("/usr/bin/gcov" for "/usr/bin/cc", "gcov-12" for "gcc-12")
 * Return: 0, or -1 with @err saying why there is none (clang: llvm-cov is not supported).
 */
int rs_coverage_gcov(const char *compiler, char *gcov, size_t size, char *err, size_t err_size);

/**
 * rs_coverage_add_gcov() - add the gcov data under @dir: one directory per DUT object, as
 * the engine dumps them (its .gcda and .gcno files, origin.txt, sources.txt)
 * @gcov: the gcov tool (rs_coverage_gcov())
 * Return: 0, or -1 with @err set (gcov failed, its output does not parse).
 */
int rs_coverage_add_gcov(struct rs_coverage *cov, const char *gcov, const char *dir, char *err,
			 size_t size);

/**
 * rs_coverage_add_file() - add a coverage.json written by rs_coverage_write()
 * Return: 0, or -1 with @err set.
 */
int rs_coverage_add_file(struct rs_coverage *cov, const char *path, char *err, size_t size);

/**
 * rs_coverage_merge_runs() - the coverage of several runs in one: each @runs[i]/
 * dut-coverage/coverage.json that exists (a run that ended without results has none),
 * written to @dir/dut-coverage/ (created)
 * Return: the merged coverage (rs_coverage_free()), or NULL with @err set.
 */
struct rs_coverage *rs_coverage_merge_runs(const char *dir, char *const *runs, size_t n,
					   char *err, size_t size);

/**
 * rs_coverage_write() - @dir/coverage.json and @dir/lcov.info (@dir exists)
 * Return: 0, or -1 with @err set.
 */
int rs_coverage_write(const struct rs_coverage *cov, const char *dir, char *err, size_t size);

/**
 * rs_coverage_summary() - coverage.json's summary: per DUT object ("xen-blk seed"),
 * lines, branches and functions as {hit, total, percent}, and the functions never reached
 * Return: a new reference.
 */
json_t *rs_coverage_summary(const struct rs_coverage *cov);

/**
 * rs_coverage_print() - one line per DUT object, "dut coverage: xen-blk seed: lines 75.5%
 * (1510/2000), branches ..., functions 119/136", then the functions never reached
 * @max_unreached: how many of those to name; the rest are counted
 */
void rs_coverage_print(const struct rs_coverage *cov, FILE *out, size_t max_unreached);

/** rs_coverage_empty() - no DUT object was instrumented (the run loaded none). */
int rs_coverage_empty(const struct rs_coverage *cov);

#ifdef __cplusplus
}
#endif

#endif
