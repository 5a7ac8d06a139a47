// SPDX-License-Identifier: GPL-2.0-only
/* Tests of sim/scenario/dut_names.c: DUT specs and the fixes' index. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cunit_main.h"
#include "scenario/dut_names.h"

static char *spec(const char *kind, const char *value)
{
	char why[1024];

	return rs_dut_spec_check(kind, value, why, sizeof(why));
}

static char *why_of(const char *kind, const char *value)
{
	static char why[1024];
	char *s = rs_dut_spec_check(kind, value, why, sizeof(why));

	CU_ASSERT_PTR_NULL(s);
	free(s);
	return why;
}

/* The index is dut/fixes/variants.txt: three blk fixes, four 9p fixes, an upstream each. */
static void t_dut_index(void)
{
	const struct rs_dut_fix *f = rs_dut_fix_find("xen-blk", "upstream");
	size_t blk = 0, p9 = 0;

	for (const struct rs_dut_fix *i = rs_dut_fixes(); i->name; i++) {
		blk += !strcmp(i->kind, "xen-blk") && strcmp(i->name, "upstream");
		p9 += !strcmp(i->kind, "virtio-9p") && strcmp(i->name, "upstream");
	}
	CU_ASSERT_EQUAL(blk, 3);
	CU_ASSERT_EQUAL(p9, 4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_STRING_EQUAL(f->patch, "6cc5683+3b4f188+2f446ff");
	f = rs_dut_fix_find("xen-blk", "6cc5683");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_STRING_EQUAL(f->patch, "xen-blk/6cc5683-non-indirect-64k-extra-request.patch");
	CU_ASSERT_PTR_NOT_NULL(strstr(f->description, "6cc568339047"));
	/* a fix belongs to its kind only */
	CU_ASSERT_PTR_NULL(rs_dut_fix_find("virtio-9p", "6cc5683"));
}

static void t_dut_spec_names(void)
{
	char *s;

	CU_ASSERT_STRING_EQUAL((s = spec("xen-blk", "seed")), "seed");
	free(s);
	CU_ASSERT_STRING_EQUAL((s = spec("virtio-9p", "upstream")), "upstream");
	free(s);
	CU_ASSERT_STRING_EQUAL((s = spec("xen-blk", "seed+3b4f188+6cc5683")), "seed+3b4f188+6cc5683");
	free(s);
	CU_ASSERT(rs_dut_spec_is_builtin("seed") && rs_dut_spec_is_builtin(NULL));
	CU_ASSERT(!rs_dut_spec_is_builtin("upstream"));
}

/* Paths become absolute (a compare's runs start elsewhere), names stay names. */
static void t_dut_spec_paths(void)
{
	char tmpl[] = "/tmp/rs_dut_names.XXXXXX", cwd[PATH_MAX], want[PATH_MAX + 64];
	char *dir = mkdtemp(tmpl), *s;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(getcwd(cwd, sizeof(cwd)));
	CU_ASSERT_EQUAL_FATAL(chdir(dir), 0);
	f = fopen("my.patch", "w");
	fclose(f);
	f = fopen("xen-blkfront.c", "w");
	fclose(f);
	snprintf(want, sizeof(want), "upstream+%s/my.patch", dir);
	CU_ASSERT_STRING_EQUAL((s = spec("xen-blk", "upstream+my.patch")), want);
	free(s);
	snprintf(want, sizeof(want), "seed+2f446ff+%s/my.patch", dir);
	CU_ASSERT_STRING_EQUAL((s = spec("xen-blk", "seed+2f446ff+./my.patch")), want);
	free(s);
	snprintf(want, sizeof(want), "%s/xen-blkfront.c", dir);
	CU_ASSERT_STRING_EQUAL((s = spec("xen-blk", "xen-blkfront.c")), want);
	free(s);
	/* xen-blkfront.c is not a 9p source */
	CU_ASSERT_PTR_NOT_NULL(strstr(why_of("virtio-9p", "xen-blkfront.c"), "trans_virtio.c"));
	CU_ASSERT_PTR_NOT_NULL(strstr(why_of("xen-blk", "seed+gone.patch"), "gone.patch: No such"));
	CU_ASSERT_PTR_NOT_NULL(strstr(why_of("xen-blk", "my.patch"), "goes after seed+"));
	unlink("my.patch");
	unlink("xen-blkfront.c");
	CU_ASSERT_EQUAL(chdir(cwd), 0);
	rmdir(dir);
}

static void t_dut_spec_bad(void)
{
	CU_ASSERT_PTR_NOT_NULL(strstr(why_of("xen-blk", "upstrem"), "did you mean 'upstream'?"));
	CU_ASSERT_PTR_NOT_NULL(strstr(why_of("virtio-9p", "seed+9p-b3"), "did you mean"));
	CU_ASSERT_PTR_NOT_NULL(strstr(why_of("virtio-9p", "seed+zzzzzz"),
				      "allowed: 9p-b2, 9p-b1, 9p-b7, 9p-b5"));
	/* upstream is a base, not a fix to add */
	CU_ASSERT_PTR_NOT_NULL(strstr(why_of("xen-blk", "seed+upstream"), "has no fix"));
}

static void rs_test_register(CU_pSuite suite)
{
	RS_TEST(t_dut_index);
	RS_TEST(t_dut_spec_names);
	RS_TEST(t_dut_spec_paths);
	RS_TEST(t_dut_spec_bad);
}
