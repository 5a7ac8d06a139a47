// SPDX-License-Identifier: GPL-2.0-only
/* Tests of sim/results/results_dir.c: atomic results directories that never clobber other files. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cunit_main.h"
#include "results/results_dir.h"

static char base[64];

static void setup(void)
{
	snprintf(base, sizeof(base), "/tmp/rs_test_results.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
}

static int exists(const char *fmt, const char *a)
{
	char path[256];

	snprintf(path, sizeof(path), fmt, base, a);
	return access(path, F_OK) == 0;
}

static void t_results_commit_renames(void)
{
	struct rs_results_dir rd = { 0 };
	struct rs_diag diag = { 0 };
	char dir[128], err[256];

	setup();
	snprintf(dir, sizeof(dir), "%s/deep/run", base);
	CU_ASSERT_EQUAL_FATAL(rs_results_begin(&rd, dir, "summary.json", &diag), 0);
	CU_ASSERT_FALSE(exists("%s/deep/run", "")); /* nothing under the final name yet */
	CU_ASSERT_EQUAL(rs_results_write(&rd, "summary.json", "{}\n", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(rs_results_commit(&rd, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(exists("%s/deep/run/summary.json", ""));
	CU_ASSERT_PTR_NULL(rd.tmp);
	/* A second run replaces the first. */
	CU_ASSERT_EQUAL_FATAL(rs_results_begin(&rd, dir, "summary.json", &diag), 0);
	CU_ASSERT_EQUAL(rs_results_write(&rd, "summary.json", "{\"n\":2}\n", err, sizeof(err)),
			0);
	CU_ASSERT_EQUAL(rs_results_write(&rd, "requests.csv", "id\n", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(rs_results_commit(&rd, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(exists("%s/deep/run/requests.csv", ""));
	CU_ASSERT_EQUAL(diag.n, 0);
	rs_remove_tree(base);
}

static void t_results_abort_leaves_nothing(void)
{
	struct rs_results_dir rd = { 0 };
	struct rs_diag diag = { 0 };
	char dir[128], err[256], tmp[256];

	setup();
	snprintf(dir, sizeof(dir), "%s/run", base);
	CU_ASSERT_EQUAL_FATAL(rs_results_begin(&rd, dir, "summary.json", &diag), 0);
	snprintf(tmp, sizeof(tmp), "%s", rd.tmp);
	rs_results_write(&rd, "requests.csv", "id\n", err, sizeof(err));
	rs_results_abort(&rd);
	CU_ASSERT_NOT_EQUAL(access(tmp, F_OK), 0);
	CU_ASSERT_NOT_EQUAL(access(dir, F_OK), 0);
	rs_remove_tree(base);
}

static void t_results_foreign_dir_bad(void)
{
	struct rs_results_dir rd = { 0 };
	struct rs_diag diag = { 0 };
	char dir[128], file[160];
	FILE *f;

	setup();
	snprintf(dir, sizeof(dir), "%s/mine", base);
	mkdir(dir, 0777);
	snprintf(file, sizeof(file), "%s/thesis.tex", dir);
	f = fopen(file, "w");
	fclose(f);
	CU_ASSERT_EQUAL(rs_results_begin(&rd, dir, "summary.json", &diag), -1);
	CU_ASSERT_EQUAL_FATAL(diag.n, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag.msgs[0], "is not a ringsim results directory"));
	CU_ASSERT_EQUAL(access(file, F_OK), 0); /* untouched */
	CU_ASSERT_FALSE(exists("%s/mine.tmp-%s", "")); /* no temporary created */
	rs_diag_clear(&diag);
	/* A file where the directory should be. */
	CU_ASSERT_EQUAL(rs_results_begin(&rd, file, "summary.json", &diag), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag.msgs[0], "is not a directory"));
	rs_diag_clear(&diag);
	rs_remove_tree(base);
}

static void rs_test_register(CU_pSuite suite)
{
	RS_TEST(t_results_commit_renames);
	RS_TEST(t_results_abort_leaves_nothing);
	RS_TEST(t_results_foreign_dir_bad);
}
