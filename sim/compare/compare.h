/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compare: one scenario at several points (the cartesian product of --vary lists), each
 * run as its own `ringsim run` child process (SystemC elaborates once per process), then
 * gathered into compare.json and compare.csv for the report.
 */
#ifndef RS_COMPARE_H
#define RS_COMPARE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "compare/exec.h"
#include "diag/diag.h"

#define RS_MAX_VARY 8

/* One --vary PATH=V1,V2,... */
struct rs_vary {
	char *path;
	char **values;
	size_t n_values;
};

struct rs_point {
	char *name;       /* "page-size=4KiB,depth=16"; also its directory name */
	char **sets;      /* "PATH=VALUE" for --set */
	size_t n_sets;
	char *status;     /* ok, expect_failed, dut_bug, dut_crash, deadlock, time_limit,
			   * failed; interrupted (a stopped Slurm comparison kept) */
	char *error;      /* why it failed, or NULL */
	char *source_dir; /* existing results being compared (compare DIR...), or NULL */
};

struct rs_comparison {
	char *scenario;   /* scenario name */
	char *file;       /* the scenario file, or NULL when comparing existing results */
	char *sweep_file; /* the <sweep> file it came from, or NULL */
	struct rs_vary vary[RS_MAX_VARY];
	size_t n_vary;
	struct rs_point *points;
	size_t n_points;
	bool dut_coverage; /* --dut-coverage: every point records its DUT coverage */
	const char *const *pcap_args; /* --pcaps ...: given to every point's run, which writes
				       * its 9P capture into DIR/POINT/; NULL-terminated, or
				       * NULL: none */
};

/**
 * rs_vary_parse() - parse "PATH=V1,V2[,...]" into @v
 * Return: 0, or -1 with a message in @diag and nothing of @v left allocated.
 */
int rs_vary_parse(const char *arg, struct rs_vary *v, struct rs_diag *diag);

/**
 * rs_sweep_load() - read a sweep file: <sweep base="scenario.xml"><vary path="PATH"
 * values="V1,V2"/>...</sweep>
 * @file: the file; a relative base is relative to its directory
 * @c: receives the base scenario's path in c->file and the vary lists
 * @diag: receives "FILE:LINE: ..." errors
 *
 * Return: 1 when @file is a sweep (and was read), 0 when it is not one (another root
 * element, or not XML at all: the caller loads it as a scenario), -1 on an error in it.
 */
int rs_sweep_load(const char *file, struct rs_comparison *c, struct rs_diag *diag);

/**
 * rs_comparison_points() - the cartesian product of @c's vary lists as points
 * Return: 0, or -1 without memory.
 */
int rs_comparison_points(struct rs_comparison *c);

/**
 * rs_comparison_run() - run every point that has no status yet
 * @c: the comparison; each point's status and error are filled in
 * @self: this program, to run as the children (an absolute path)
 * @ex: the executor: local (ex->jobs at a time) or Slurm; ex->dir is where each point's
 *      results go (DIR/NAME), and each child's log (DIR/NAME.log)
 * @stop: the caller's SIGINT/SIGTERM flag (rs_procs_run()), or NULL
 * @err: receives why nothing could be run, on -1
 *
 * A point whose Slurm task was lost is "failed", its error naming the task, its Slurm
 * state and its log.
 * Return: 0; -1 when a child could not be started at all, or sbatch refused the arrays;
 * RS_PROCS_STOPPED when *@stop was set: every child was stopped; locally no point has a
 * status (the caller removes @dir); under Slurm the points whose tasks ended have theirs
 * and the others are "interrupted" (the caller may keep them, for --resume).
 */
int rs_comparison_run(struct rs_comparison *c, const char *self, const struct rs_exec *ex,
		      const volatile sig_atomic_t *stop, char *err, size_t err_size);

/**
 * rs_comparison_resume() - take over the points an earlier comparison in @old ran ok
 * @c: the comparison; each point kept gets status "ok"
 * @old: the earlier comparison's directory (DIR)
 * @tmp: the new one's (DIR.tmp-PID)
 * @err: why it failed, on -1
 *
 * A point with no status yet whose OLD/NAME/summary.json says "ok", and which holds what
 * @c asks of each run (dut-coverage/ with --dut-coverage; 9p.pcap with --pcaps, if it had
 * a virtio-9p device), is hard-linked into @tmp (NAME/ file by file, and NAME.log): the
 * same files, inodes and times, and @old stays whole until the new comparison is
 * committed over it. The others run again.
 * Return: how many points were kept, or -1 with @err set.
 */
long rs_comparison_resume(struct rs_comparison *c, const char *old, const char *tmp,
			  char *err, size_t err_size);

/**
 * rs_result_holds_asked() - whether the run results directory @run holds what each run was
 * asked for besides its results: dut-coverage/coverage.json with @dut_coverage, and with
 * @pcaps a 9P capture when its summary.json has a virtio-9p device (--resume keeps only
 * such runs; compare's points, regress's runs)
 */
bool rs_result_holds_asked(const char *run, bool dut_coverage, bool pcaps);

/**
 * rs_comparison_write() - DIR/compare.json and DIR/compare.csv: one row per point with every
 * metric of its summary.json, the ratio of each to the first point, its stalls and findings
 * Return: 0, or -1 with @err set.
 */
int rs_comparison_write(const struct rs_comparison *c, const char *dir, char *err,
			size_t err_size);

/**
 * rs_link_result() - OLD/NAME/ and OLD/NAME.log (when there is one) into TMP, the
 * directories made again and the files hard-linked (the same inodes and times)
 * Return: 0, or -1 with @err set (what was linked is left for the caller's removal of @tmp).
 */
int rs_link_result(const char *old, const char *tmp, const char *name, char *err,
		   size_t err_size);

void rs_comparison_free(struct rs_comparison *c);

#endif
