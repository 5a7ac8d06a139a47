/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The main() of every unit test executable: the file defines rs_test_register(), which adds
 * its suite; this runs it verbosely and fails the process when any assertion failed.
 */
#ifndef RS_TESTS_CUNIT_MAIN_H
#define RS_TESTS_CUNIT_MAIN_H

#include <CUnit/Basic.h>
#include <gsl/gsl_errno.h>

static void rs_test_register(CU_pSuite suite);

#define RS_TEST(fn) CU_add_test(suite, #fn, fn)

int main(int argc, char **argv)
{
	unsigned failed;
	CU_pSuite suite;

	(void)argc;
	gsl_set_error_handler_off();
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	suite = CU_add_suite(argv[0], NULL, NULL);
	rs_test_register(suite);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}

#endif
