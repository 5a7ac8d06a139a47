// SPDX-License-Identifier: GPL-2.0-only
/* Tests of sim/scenario/units.c: the value syntax of scenario attributes. */
#include <string.h>

#include "cunit_main.h"
#include "scenario/units.h"

static uint64_t size_of(const char *s)
{
	const char *why = NULL;
	uint64_t v = 12345;

	CU_ASSERT_EQUAL_FATAL(rs_parse_size(s, &v, &why), 0);
	return v;
}

static void t_units_sizes(void)
{
	CU_ASSERT_EQUAL(size_of("4096"), 4096);
	CU_ASSERT_EQUAL(size_of("512B"), 512);
	CU_ASSERT_EQUAL(size_of("64KiB"), 65536);
	CU_ASSERT_EQUAL(size_of("2MiB"), 2097152);
	CU_ASSERT_EQUAL(size_of("2GiB"), 2147483648ull);
	CU_ASSERT_EQUAL(size_of("0"), 0);
}

static void t_units_sizes_bad(void)
{
	static const char *const bad[] = { "", "4KB", "4 KiB", "-1", "1.5KiB", "KiB", "4kib",
					   "99999999999999999999", "17179869184GiB" };
	const char *why;
	uint64_t v;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		CU_ASSERT_EQUAL(rs_parse_size(bad[i], &v, &why), -1);
		CU_ASSERT_PTR_NOT_NULL(why);
	}
	rs_parse_size("4KB", &v, &why);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "KiB"));
}

static void t_units_freq(void)
{
	const char *why;
	uint64_t hz;

	CU_ASSERT(rs_parse_freq("1GHz", &hz, &why) == 0 && hz == 1000000000ull);
	CU_ASSERT(rs_parse_freq("1.5GHz", &hz, &why) == 0 && hz == 1500000000ull);
	CU_ASSERT(rs_parse_freq("800MHz", &hz, &why) == 0 && hz == 800000000ull);
	CU_ASSERT(rs_parse_freq("100kHz", &hz, &why) == 0 && hz == 100000ull);
	CU_ASSERT(rs_parse_freq("10Hz", &hz, &why) == 0 && hz == 10);
}

static void t_units_freq_bad(void)
{
	const char *why;
	uint64_t hz;

	CU_ASSERT_EQUAL(rs_parse_freq("1GHZ", &hz, &why), -1);
	CU_ASSERT_EQUAL(rs_parse_freq("1000", &hz, &why), -1);
	CU_ASSERT_EQUAL(rs_parse_freq("0GHz", &hz, &why), -1);
	CU_ASSERT_EQUAL(rs_parse_freq("0.5Hz", &hz, &why), -1); /* not whole Hz */
}

static void t_units_duration(void)
{
	const char *why;
	uint64_t c;

	CU_ASSERT(rs_parse_duration("40cycles", 1000000000, &c, &why) == 0 && c == 40);
	CU_ASSERT(rs_parse_duration("0", 1000000000, &c, &why) == 0 && c == 0);
	CU_ASSERT(rs_parse_duration("250ns", 1000000000, &c, &why) == 0 && c == 250);
	CU_ASSERT(rs_parse_duration("2.5us", 1000000000, &c, &why) == 0 && c == 2500);
	/* 1 ms at 1.5 GHz = 1 500 000 cycles; 2 ns at 1.5 GHz = 3 cycles. */
	CU_ASSERT(rs_parse_duration("1ms", 1500000000, &c, &why) == 0 && c == 1500000);
	CU_ASSERT(rs_parse_duration("2ns", 1500000000, &c, &why) == 0 && c == 3);
	/* 0.5 ns at 2 GHz is exactly one cycle. */
	CU_ASSERT(rs_parse_duration("0.5ns", 2000000000, &c, &why) == 0 && c == 1);
	CU_ASSERT(rs_parse_duration("1s", 3000000000ull, &c, &why) == 0 && c == 3000000000ull);
}

static void t_units_duration_bad(void)
{
	const char *why = NULL;
	uint64_t c;

	/* 1 ns at 1.5 GHz is 1.5 cycles: not whole. */
	CU_ASSERT_EQUAL(rs_parse_duration("1ns", 1500000000, &c, &why), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "whole number of cycles"));
	CU_ASSERT_EQUAL(rs_parse_duration("2.5cycles", 1000000000, &c, &why), -1);
	CU_ASSERT_EQUAL(rs_parse_duration("10", 1000000000, &c, &why), -1); /* no unit */
	CU_ASSERT_EQUAL(rs_parse_duration("10 us", 1000000000, &c, &why), -1);
	CU_ASSERT_EQUAL(rs_parse_duration("10min", 1000000000, &c, &why), -1);
}

/* Whole numbers use all 64 bits: 2^64 - 1 is the largest (a seed may be it). */
static void t_units_uint_range(void)
{
	const char *why = NULL;
	uint64_t v = 0;

	CU_ASSERT(rs_parse_uint("18446744073709551615", &v, &why) == 0 && v == UINT64_MAX);
	CU_ASSERT(rs_parse_uint("9223372036854775808", &v, &why) == 0 &&
		  v == 9223372036854775808ull);
	CU_ASSERT_EQUAL(rs_parse_uint("18446744073709551616", &v, &why), -1);
	CU_ASSERT_STRING_EQUAL(why, "too large; at most 18446744073709551615");
	CU_ASSERT_EQUAL(rs_parse_uint("18446744073709551616x", &v, &why), -1);
	CU_ASSERT_STRING_EQUAL(why, "not a whole number");
	CU_ASSERT(rs_parse_size("18446744073709551615B", &v, &why) == 0 && v == UINT64_MAX);
	CU_ASSERT_EQUAL(rs_parse_size("18446744073709551616B", &v, &why), -1);
	CU_ASSERT_STRING_EQUAL(why, "too large");
}

/* A time beyond 2^64 - 1 cycles reads as UINT64_MAX (the checker's range check then says
 * what is allowed), not as a time that is no whole number of cycles. At 1 GHz, 1e11 s is
 * 1e20 cycles; 1e7 s is 1e16 cycles and fits. */
static void t_units_duration_too_long(void)
{
	const char *why = NULL;
	uint64_t c = 0;

	CU_ASSERT(rs_parse_duration("100000000000s", 1000000000, &c, &why) == 0 &&
		  c == UINT64_MAX);
	CU_ASSERT(rs_parse_duration("10000000s", 1000000000, &c, &why) == 0 &&
		  c == 10000000000000000ull);
	CU_ASSERT(rs_parse_duration("99999999999999999999cycles", 1000000000, &c, &why) == 0 &&
		  c == UINT64_MAX);
	CU_ASSERT(rs_parse_duration("18446744073709551615cycles", 1000000000, &c, &why) == 0 &&
		  c == UINT64_MAX);
	CU_ASSERT_EQUAL(rs_parse_duration("99999999999999999999min", 1000000000, &c, &why), -1);
	CU_ASSERT_EQUAL(rs_parse_duration("99999999999999999999", 1000000000, &c, &why), -1);
}

static void t_units_fraction(void)
{
	const char *why;
	double v;

	CU_ASSERT(rs_parse_fraction("0.25", &v, &why) == 0 && v == 0.25);
	CU_ASSERT(rs_parse_fraction("1", &v, &why) == 0 && v == 1.0);
	CU_ASSERT_EQUAL(rs_parse_fraction("1.5", &v, &why), -1);
	CU_ASSERT_EQUAL(rs_parse_fraction("-0.1", &v, &why), -1);
	CU_ASSERT_EQUAL(rs_parse_fraction("nan", &v, &why), -1);
	CU_ASSERT_EQUAL(rs_parse_fraction("0.5x", &v, &why), -1);
}

static void t_units_format(void)
{
	char buf[32];

	CU_ASSERT_STRING_EQUAL(rs_format_size(65536, buf), "64KiB");
	CU_ASSERT_STRING_EQUAL(rs_format_size(1000, buf), "1000B");
	CU_ASSERT_STRING_EQUAL(rs_format_size(3ull << 30, buf), "3GiB");
	CU_ASSERT_STRING_EQUAL(rs_format_size(0, buf), "0B");
}

static void rs_test_register(CU_pSuite suite)
{
	RS_TEST(t_units_sizes);
	RS_TEST(t_units_sizes_bad);
	RS_TEST(t_units_freq);
	RS_TEST(t_units_freq_bad);
	RS_TEST(t_units_duration);
	RS_TEST(t_units_duration_bad);
	RS_TEST(t_units_uint_range);
	RS_TEST(t_units_duration_too_long);
	RS_TEST(t_units_fraction);
	RS_TEST(t_units_format);
}
