// SPDX-License-Identifier: GPL-2.0-only
/* Tests of sim/results/results_dir.c: atomic results directories that never clobber other files. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cunit_main.h"
#include "results/manifest.h"
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

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

/* One result of summary.json and sub/x.csv under base/run, committed. */
static void one_result(struct rs_results_dir *rd, const char *dir, bool force)
{
	struct rs_diag diag = { 0 };
	char err[256], sub[256];

	rd->force = force;
	CU_ASSERT_EQUAL_FATAL(rs_results_begin(rd, dir, "summary.json", &diag), 0);
	snprintf(sub, sizeof(sub), "%s/sub", rd->tmp);
	mkdir(sub, 0777);
	CU_ASSERT_EQUAL(rs_results_write(rd, "sub/x.csv", "x\n", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(rs_results_write(rd, "summary.json", "{}\n", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(rs_results_commit(rd, err, sizeof(err)), 0);
}

static void t_results_manifest_lists_all(void)
{
	struct rs_results_dir rd = { 0 };
	struct rs_paths listed = { 0 };
	char dir[128];

	setup();
	snprintf(dir, sizeof(dir), "%s/run", base);
	one_result(&rd, dir, false);
	CU_ASSERT_EQUAL_FATAL(rs_manifest_read(dir, &listed), 1);
	CU_ASSERT_EQUAL_FATAL(listed.n, 3);
	CU_ASSERT_STRING_EQUAL(listed.v[0], "sub/");
	CU_ASSERT_STRING_EQUAL(listed.v[1], "sub/x.csv");
	CU_ASSERT_STRING_EQUAL(listed.v[2], "summary.json");
	rs_paths_free(&listed);
	rs_remove_tree(base);
}

static void t_results_user_files_bad(void)
{
	struct rs_results_dir rd = { 0 };
	struct rs_diag diag = { 0 };
	char dir[128], path[256];

	setup();
	snprintf(dir, sizeof(dir), "%s/run", base);
	one_result(&rd, dir, false);
	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	put(path, "mine\n");
	snprintf(path, sizeof(path), "%s/sub/mine.txt", dir);
	put(path, "mine too\n");
	CU_ASSERT_EQUAL(rs_results_begin(&rd, dir, "summary.json", &diag), -1);
	CU_ASSERT_EQUAL_FATAL(diag.n, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag.msgs[0], "did not write: notes.txt, sub/mine.txt;"));
	CU_ASSERT_FALSE(exists("%s/run.tmp-%s", ""));
	rs_diag_clear(&diag);
	/* --force: both carried over, the result replaced. */
	one_result(&rd, dir, true);
	CU_ASSERT_TRUE(exists("%s/run/notes.txt", ""));
	CU_ASSERT_TRUE(exists("%s/run/sub/mine.txt", ""));
	CU_ASSERT_TRUE(exists("%s/run/summary.json", ""));
	rs_remove_tree(base);
}

static void t_results_user_file_clash_bad(void)
{
	struct rs_results_dir rd = { .force = true };
	struct rs_diag diag = { 0 };
	char dir[128], path[256], err[512];

	setup();
	snprintf(dir, sizeof(dir), "%s/run", base);
	one_result(&rd, dir, false);
	snprintf(path, sizeof(path), "%s/requests.csv", dir);
	put(path, "mine\n");
	rd.force = true;
	CU_ASSERT_EQUAL_FATAL(rs_results_begin(&rd, dir, "summary.json", &diag), 0);
	CU_ASSERT_EQUAL(rs_results_write(&rd, "requests.csv", "id\n", err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(rs_results_commit(&rd, err, sizeof(err)), RS_RESULTS_REFUSED);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "ringsim did not write requests.csv"));
	CU_ASSERT_PTR_NULL(rd.tmp);
	CU_ASSERT_TRUE(exists("%s/run/requests.csv", ""));
	CU_ASSERT_TRUE(exists("%s/run/sub/x.csv", "")); /* the earlier result as it was */
	rs_remove_tree(base);
}

static void t_results_dangling_link_bad(void)
{
	struct rs_results_dir rd = { 0 };
	struct rs_diag diag = { 0 };
	char dir[128], target[128];

	setup();
	snprintf(dir, sizeof(dir), "%s/link", base);
	snprintf(target, sizeof(target), "%s/nowhere", base);
	CU_ASSERT_EQUAL_FATAL(symlink(target, dir), 0);
	CU_ASSERT_EQUAL(rs_results_begin(&rd, dir, "summary.json", &diag), -1);
	CU_ASSERT_EQUAL_FATAL(diag.n, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag.msgs[0], "which does not exist"));
	CU_ASSERT_FALSE(exists("%s/nowhere", ""));
	rs_diag_clear(&diag);
	rs_remove_tree(base);
}

static void rs_test_register(CU_pSuite suite)
{
	RS_TEST(t_results_commit_renames);
	RS_TEST(t_results_abort_leaves_nothing);
	RS_TEST(t_results_foreign_dir_bad);
	RS_TEST(t_results_manifest_lists_all);
	RS_TEST(t_results_user_files_bad);
	RS_TEST(t_results_user_file_clash_bad);
	RS_TEST(t_results_dangling_link_bad);
}
