// SPDX-License-Identifier: GPL-2.0-only
/* Tests of sim/diag/suggest.c: "did you mean" for mistyped names. Distances worked by hand. */
#include <string.h>

#include "cunit_main.h"
#include "diag/suggest.h"

static const char *const attrs[] = { "name", "device", "op", "count", "depth", "buffer" };
#define N_ATTRS (sizeof(attrs) / sizeof(attrs[0]))

static void t_suggest_typos(void)
{
	static const char *const cmds[] = { "run", "validate", "compare", "regress", "paths" };
	static const char *const opts[] = { "--vary", "--output", "--jobs", "--quiet" };

	CU_ASSERT_STRING_EQUAL(rs_suggest("dpeth", attrs, N_ATTRS), "depth"); /* one swap */
	CU_ASSERT_STRING_EQUAL(rs_suggest("deptj", attrs, N_ATTRS), "depth"); /* one change */
	CU_ASSERT_STRING_EQUAL(rs_suggest("DEPTH", attrs, N_ATTRS), "depth"); /* case */
	CU_ASSERT_STRING_EQUAL(rs_suggest("rn", cmds, 5), "run");            /* one insertion */
	CU_ASSERT_STRING_EQUAL(rs_suggest("comprae", cmds, 5), "compare");
	CU_ASSERT_STRING_EQUAL(rs_suggest("--vray", opts, 4), "--vary");
}

static void t_suggest_prefix(void)
{
	/* "dep": 2 edits from "depth" (limit 1 for 3 letters), but a prefix of it. */
	CU_ASSERT_STRING_EQUAL(rs_suggest("dep", attrs, N_ATTRS), "depth");
	CU_ASSERT_STRING_EQUAL(rs_suggest("buffers-size", attrs, N_ATTRS), "buffer");
}

static void t_suggest_ties_first(void)
{
	static const char *const c[] = { "bat", "hat" };

	CU_ASSERT_STRING_EQUAL(rs_suggest("cat", c, 2), "bat");
}

static void t_suggest_far_bad(void)
{
	static const char *const cmds[] = { "run", "validate" };

	CU_ASSERT_PTR_NULL(rs_suggest("xyz", cmds, 2));
	CU_ASSERT_PTR_NULL(rs_suggest("de", attrs, N_ATTRS)); /* too short for a prefix */
	CU_ASSERT_PTR_NULL(rs_suggest("teleport", attrs, N_ATTRS));
	CU_ASSERT_PTR_NULL(rs_suggest("anything", attrs, 0));
}

static void t_suggest_list(void)
{
	char out[32];

	CU_ASSERT_PTR_NOT_NULL_FATAL(rs_suggest_list("kik", "syscall, kick, kfree", out,
						     sizeof(out)));
	CU_ASSERT_STRING_EQUAL(out, "kick");
	CU_ASSERT_PTR_NULL(rs_suggest_list("zzzz", "syscall, kick", out, sizeof(out)));
	CU_ASSERT_PTR_NULL(rs_suggest_list("kik", "", out, sizeof(out)));
}

static void rs_test_register(CU_pSuite suite)
{
	RS_TEST(t_suggest_typos);
	RS_TEST(t_suggest_prefix);
	RS_TEST(t_suggest_ties_first);
	RS_TEST(t_suggest_far_bad);
	RS_TEST(t_suggest_list);
}
