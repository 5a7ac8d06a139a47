// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of sim/compare/exec.c, capture.c and resume.c without a cluster: --executor's
 * names, the check for Slurm's commands on PATH (fake ones in a directory of the test's),
 * a command's stdout and stderr kept apart with its exit status, and --resume's hard links
 * of the points an earlier comparison ran ok (the same inodes), the others left to run.
 * compare --executor slurm itself is tests/slurm/test_slurm_compare.sh, on a real Slurm.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cunit_main.h"
#include "compare/capture.h"
#include "compare/compare.h"
#include "compare/exec.h"
#include "results/results_dir.h"

static char base[64];

static void setup(void)
{
	snprintf(base, sizeof(base), "/tmp/rs_test_exec.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static void test_parse(void)
{
	enum rs_exec_kind k = RS_EXEC_SLURM;

	CU_ASSERT_EQUAL(rs_exec_parse("local", &k), 0);
	CU_ASSERT_EQUAL(k, RS_EXEC_LOCAL);
	CU_ASSERT_EQUAL(rs_exec_parse("slurm", &k), 0);
	CU_ASSERT_EQUAL(k, RS_EXEC_SLURM);
	CU_ASSERT_EQUAL(rs_exec_parse("Slurm", &k), -1);
	CU_ASSERT_EQUAL(rs_exec_parse("", &k), -1);
}

/* PATH holding fake sbatch, squeue, scancel (not scontrol, at first). */
static void test_check(void)
{
	const char *cmds[] = { "sbatch", "squeue", "scancel" };
	char *saved = strdup(getenv("PATH") ? getenv("PATH") : ""), path[128], err[512] = "";

	setup();
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", base, cmds[i]);
		write_file(path, "#!/bin/sh\n", 0755);
	}
	setenv("PATH", base, 1);
	CU_ASSERT_EQUAL(rs_exec_check(RS_EXEC_LOCAL, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(rs_exec_check(RS_EXEC_SLURM, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "scontrol is not on PATH"));
	snprintf(path, sizeof(path), "%s/scontrol", base);
	write_file(path, "#!/bin/sh\n", 0644); /* not executable: still missing */
	CU_ASSERT_EQUAL(rs_exec_check(RS_EXEC_SLURM, err, sizeof(err)), -1);
	chmod(path, 0755);
	CU_ASSERT_EQUAL(rs_exec_check(RS_EXEC_SLURM, err, sizeof(err)), 0);
	setenv("PATH", saved, 1);
	free(saved);
	rs_remove_tree(base);
}

static void test_capture(void)
{
	char *both[] = { "/bin/sh", "-c", "echo out; echo err >&2; exit 3", NULL };
	char *missing[] = { "rs-no-such-command-anywhere", NULL };
	char *big[] = { "/bin/sh", "-c", "seq 1 100000", NULL };
	char out[64], errs[64];

	CU_ASSERT_EQUAL(rs_capture(both, out, sizeof(out), errs, sizeof(errs)), 3);
	CU_ASSERT_STRING_EQUAL(out, "out\n");
	CU_ASSERT_STRING_EQUAL(errs, "err\n");
	CU_ASSERT_EQUAL(rs_capture(both, out, sizeof(out), NULL, 0), 3);
	CU_ASSERT_STRING_EQUAL(out, "out\n");
	CU_ASSERT_EQUAL(rs_capture(missing, out, sizeof(out), NULL, 0), 127);
	/* More than fits: cut, the rest read (the command is not blocked on a full pipe). */
	CU_ASSERT_EQUAL(rs_capture(big, out, sizeof(out), NULL, 0), 0);
	CU_ASSERT_EQUAL(strlen(out), sizeof(out) - 1);
	CU_ASSERT_EQUAL(strncmp(out, "1\n2\n3\n", 6), 0);
}

/* An earlier comparison OLD: point a ok, point b expect_failed, point c missing. */
static void test_resume(void)
{
	struct rs_point points[3] = { { .name = "a" }, { .name = "b" }, { .name = "c" } };
	struct rs_comparison c = { .points = points, .n_points = 3 };
	char old[128], tmp[128], path[256], err[512];
	struct stat st_old, st_new;

	setup();
	snprintf(old, sizeof(old), "%s/old", base);
	snprintf(tmp, sizeof(tmp), "%s/old.tmp-1", base);
	CU_ASSERT_EQUAL_FATAL(mkdir(old, 0777), 0);
	CU_ASSERT_EQUAL_FATAL(mkdir(tmp, 0777), 0);
	snprintf(path, sizeof(path), "%s/a", old);
	mkdir(path, 0777);
	snprintf(path, sizeof(path), "%s/a/plots", old);
	mkdir(path, 0777);
	snprintf(path, sizeof(path), "%s/a/summary.json", old);
	write_file(path, "{\"status\": \"ok\"}\n", 0644);
	snprintf(path, sizeof(path), "%s/a/plots/x.dat", old);
	write_file(path, "1 2\n", 0644);
	snprintf(path, sizeof(path), "%s/a.log", old);
	write_file(path, "", 0644);
	snprintf(path, sizeof(path), "%s/b", old);
	mkdir(path, 0777);
	snprintf(path, sizeof(path), "%s/b/summary.json", old);
	write_file(path, "{\"status\": \"expect_failed\"}\n", 0644);

	CU_ASSERT_EQUAL(rs_comparison_resume(&c, old, tmp, err, sizeof(err)), 1);
	CU_ASSERT_STRING_EQUAL(points[0].status ? points[0].status : "", "ok");
	CU_ASSERT_PTR_NULL(points[1].status); /* not ok: runs again */
	CU_ASSERT_PTR_NULL(points[2].status); /* missing: runs */
	snprintf(path, sizeof(path), "%s/a/summary.json", old);
	stat(path, &st_old);
	snprintf(path, sizeof(path), "%s/a/summary.json", tmp);
	CU_ASSERT_EQUAL_FATAL(stat(path, &st_new), 0);
	CU_ASSERT_EQUAL(st_old.st_ino, st_new.st_ino);
	snprintf(path, sizeof(path), "%s/a/plots/x.dat", tmp);
	CU_ASSERT_EQUAL(access(path, R_OK), 0);
	snprintf(path, sizeof(path), "%s/a.log", tmp);
	CU_ASSERT_EQUAL(access(path, R_OK), 0);
	snprintf(path, sizeof(path), "%s/b", tmp);
	CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);
	/* The new directory removed, the old one is whole. */
	rs_remove_tree(tmp);
	snprintf(path, sizeof(path), "%s/a/summary.json", old);
	CU_ASSERT_EQUAL(access(path, R_OK), 0);
	free(points[0].status);
	rs_remove_tree(base);
}

static void rs_test_register(CU_pSuite suite)
{
	RS_TEST(test_parse);
	RS_TEST(test_check);
	RS_TEST(test_capture);
	RS_TEST(test_resume);
}
