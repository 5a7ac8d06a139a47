// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of sim/coverage: a three-function "driver" (drv.c, with an inline of its own header)
 * and a glue file, compiled with gcc --coverage as sim/dutbuild compiles a DUT, run once,
 * its gcov data laid out as the engine dumps it; the counts below follow from main()'s two
 * calls, drv_pick(5) and drv_pick(1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cunit_main.h"
#include "coverage/coverage.h"

static char base[64];
static char gcov[4096];

static const char drv_h[] =
	"static inline int twice(int x)\n"         /* 1 */
	"{\n"                                      /* 2 */
	"	return 2 * x;\n"                   /* 3: once, from drv_pick(5) */
	"}\n";
static const char drv_c[] =
	"#include \"drv.h\"\n"                     /* 1 */
	"int drv_pick(int x)\n"                    /* 2 */
	"{\n"                                      /* 3 */
	"	if (x > 3)\n"                      /* 4: twice; taken once, not once */
	"		return twice(x);\n"        /* 5: once */
	"	return 0;\n"                       /* 6: once */
	"}\n"                                      /* 7 */
	"int drv_never(void)\n"                    /* 8 */
	"{\n"                                      /* 9 */
	"	return 7;\n"                       /* 10: never */
	"}\n";
static const char glue_c[] =
	"int drv_pick(int x);\n"
	"int main(void) { return drv_pick(5) + drv_pick(1) == 10 ? 0 : 1; }\n";

static void put(const char *name, const char *text)
{
	char path[sizeof(base) + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", base, name);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

static void sh(const char *fmt, const char *arg)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd), fmt, arg, arg, arg, arg, arg, arg, arg, arg);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
}

/* BASE/tree/{drv.c,drv.h,glue.c} built and run; BASE/gcda/OBJ/ as the engine writes it. */
static void build_and_run(void)
{
	char text[1024];

	sh("mkdir -p %s/tree %s/obj %s/gcda/OBJ", base);
	put("tree/drv.h", drv_h);
	put("tree/drv.c", drv_c);
	put("tree/glue.c", glue_c);
	sh("cd %s && cc -O0 --coverage -c tree/drv.c -o obj/drv.o && "
	   "cc -O0 --coverage -c tree/glue.c -o obj/glue.o && "
	   "cc --coverage obj/drv.o obj/glue.o -o prog && "
	   "GCOV_PREFIX=%s/gcda/OBJ GCOV_PREFIX_STRIP=4096 ./prog && cp obj/*.gcno gcda/OBJ/",
	   base);
	put("gcda/OBJ/origin.txt", "kind xen-blk\nspec seed+mine.patch\ncoverage yes\n");
	snprintf(text, sizeof(text), "root %s/tree\nglue glue.c %s/tree/glue.c\n"
		 "driver drv.c %s/tree/drv.c\n", base, base, base);
	put("gcda/OBJ/sources.txt", text);
}

static json_t *object_of(json_t *sum)
{
	json_t *o = json_object_get(sum, "xen-blk seed+mine.patch");

	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	return o;
}

static json_int_t figure(json_t *o, const char *what, const char *field)
{
	return json_integer_value(json_object_get(json_object_get(o, what), field));
}

/* The [line, count, branches] of FILE's LINE in coverage.json, or NULL. */
static json_t *line_of(json_t *doc, const char *file, json_int_t line)
{
	json_t *obj = json_array_get(json_object_get(doc, "objects"), 0), *f, *l;
	size_t i, j;

	json_array_foreach(json_object_get(obj, "files"), i, f) {
		if (strcmp(json_string_value(json_object_get(f, "file")), file))
			continue;
		json_array_foreach(json_object_get(f, "lines"), j, l)
			if (json_integer_value(json_array_get(l, 0)) == line)
				return l;
	}
	return NULL;
}

static json_int_t count_at(json_t *doc, const char *file, json_int_t line)
{
	json_t *l = line_of(doc, file, line);

	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	return json_integer_value(json_array_get(l, 1));
}

static char *slurp(const char *path)
{
	static char text[65536];
	FILE *f = fopen(path, "r");
	size_t n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	return text;
}

static void t_gcov_tool(void)
{
	char out[256], err[256];

	CU_ASSERT_EQUAL(rs_coverage_gcov("/usr/bin/cc", out, sizeof(out), err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(out, "/usr/bin/gcov");
	CU_ASSERT_EQUAL(rs_coverage_gcov("/opt/x/bin/x86_64-linux-gnu-gcc-12", out, sizeof(out),
					 err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(out, "/opt/x/bin/x86_64-linux-gnu-gcov-12");
	CU_ASSERT_EQUAL(rs_coverage_gcov("/usr/bin/clang", out, sizeof(out), err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "llvm-cov is not supported"));
}

static void t_one_run(void)
{
	struct rs_coverage *cov = rs_coverage_new();
	char err[4096], path[sizeof(base) + 64];
	json_t *sum, *o, *doc, *l;
	char *lcov;

	build_and_run();
	snprintf(path, sizeof(path), "%s/gcda", base);
	CU_ASSERT_EQUAL_FATAL(rs_coverage_add_gcov(cov, gcov, path, err, sizeof(err)), 0);
	sum = rs_coverage_summary(cov);
	o = object_of(sum);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(o, "object")), "OBJ");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(o, "runs")), 1);
	/* drv_pick, drv_never and the header's twice; glue.c's main is not the driver's */
	CU_ASSERT_EQUAL(figure(o, "functions", "total"), 3);
	CU_ASSERT_EQUAL(figure(o, "functions", "hit"), 2);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(o, "never_reached")), 1);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(o,
				"never_reached"), 0)), "drv.c:drv_never");
	/* line 4's condition: one arc taken once each way */
	CU_ASSERT_EQUAL(figure(o, "branches", "total"), 2);
	CU_ASSERT_EQUAL(figure(o, "branches", "hit"), 2);
	/* drv_never's lines (its opening and return at least) are the only ones not run */
	CU_ASSERT(figure(o, "lines", "total") - figure(o, "lines", "hit") >= 2);
	CU_ASSERT(figure(o, "lines", "total") - figure(o, "lines", "hit") <= 3);
	json_decref(sum);

	CU_ASSERT_EQUAL_FATAL(rs_coverage_write(cov, base, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/coverage.json", base);
	doc = json_load_file(path, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_EQUAL(count_at(doc, "drv.c", 4), 2);
	CU_ASSERT_EQUAL(count_at(doc, "drv.c", 5), 1);
	CU_ASSERT_EQUAL(count_at(doc, "drv.c", 6), 1);
	CU_ASSERT_EQUAL(count_at(doc, "drv.c", 10), 0);
	CU_ASSERT_EQUAL(count_at(doc, "drv.h", 3), 1);
	l = line_of(doc, "drv.c", 4);
	CU_ASSERT_EQUAL(json_array_size(json_array_get(l, 2)), 2);
	CU_ASSERT_EQUAL(json_integer_value(json_array_get(json_array_get(l, 2), 0)), 1);
	CU_ASSERT_EQUAL(json_integer_value(json_array_get(json_array_get(l, 2), 1)), 1);
	CU_ASSERT_PTR_NULL(line_of(doc, "glue.c", 2));
	json_decref(doc);

	snprintf(path, sizeof(path), "%s/lcov.info", base);
	lcov = slurp(path);
	CU_ASSERT_PTR_NOT_NULL(strstr(lcov, "TN:xen_blk_seed_mine_patch\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(lcov, "FN:2,drv_pick\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(lcov, "FNDA:2,drv_pick\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(lcov, "FNDA:0,drv_never\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(lcov, "DA:10,0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(lcov, "BRDA:4,0,0,1\nBRDA:4,0,1,1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(lcov, "FNF:2\nFNH:1\n"));
	CU_ASSERT_PTR_NULL(strstr(lcov, "glue.c"));
	rs_coverage_free(cov);
}

/* Two runs of the same object add up; another object stays apart. */
static void t_merge(void)
{
	char err[4096], run[sizeof(base) + 64], *runs[3];
	struct rs_coverage *cov;
	json_t *sum, *o;

	/* t_one_run wrote BASE/coverage.json: make it two runs' and a third with no data */
	sh("mkdir -p %s/a/dut-coverage %s/b/dut-coverage %s/c && "
	   "cp %s/coverage.json %s/a/dut-coverage/ && cp %s/coverage.json %s/b/dut-coverage/",
	   base);
	for (int i = 0; i < 3; i++) {
		snprintf(run, sizeof(run), "%s/%c", base, 'a' + i);
		runs[i] = strdup(run);
	}
	snprintf(run, sizeof(run), "%s/merged", base);
	cov = rs_coverage_merge_runs(run, runs, 3, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(cov);
	sum = rs_coverage_summary(cov);
	o = object_of(sum);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(o, "runs")), 2);
	CU_ASSERT_EQUAL(figure(o, "functions", "hit"), 2);
	CU_ASSERT_EQUAL(figure(o, "branches", "total"), 2);
	json_decref(sum);
	snprintf(run, sizeof(run), "%s/merged/dut-coverage/lcov.info", base);
	CU_ASSERT_PTR_NOT_NULL(strstr(slurp(run), "FNDA:4,drv_pick\n"));
	rs_coverage_free(cov);
	for (int i = 0; i < 3; i++)
		free(runs[i]);
}

static void t_bad_data(void)
{
	struct rs_coverage *cov = rs_coverage_new();
	char err[4096], path[sizeof(base) + 64];

	sh("mkdir -p %s/bad/OBJ", base);
	snprintf(path, sizeof(path), "%s/bad", base);
	CU_ASSERT_EQUAL(rs_coverage_add_gcov(cov, gcov, path, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "no origin.txt or sources.txt"));
	put("bad/broken.json", "{\"objects\": [");
	snprintf(path, sizeof(path), "%s/bad/broken.json", base);
	CU_ASSERT_EQUAL(rs_coverage_add_file(cov, path, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "broken.json:1:"));
	rs_coverage_free(cov);
}

static void remove_base(void)
{
	char cmd[sizeof(base) + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", base);
	if (system(cmd))
		fprintf(stderr, "%s: not removed\n", base);
}

static void rs_test_register(CU_pSuite suite)
{
	char err[256];

	snprintf(base, sizeof(base), "/tmp/rs_test_coverage.XXXXXX");
	if (!mkdtemp(base) || rs_coverage_gcov("/usr/bin/cc", gcov, sizeof(gcov), err, sizeof(err)))
		abort();
	atexit(remove_base);
	RS_TEST(t_gcov_tool);
	RS_TEST(t_one_run);
	RS_TEST(t_merge);
	RS_TEST(t_bad_data);
}
