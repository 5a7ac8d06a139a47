// SPDX-License-Identifier: GPL-2.0-only
/* Tests of sim/workload/workload.c: per-job streams, distributions, offsets. */
#include <string.h>

#include "cunit_main.h"
#include "workload/workload.h"

static struct rs_job job(enum rs_size_kind kind)
{
	struct rs_job j;

	memset(&j, 0, sizeof(j));
	j.name = "j";
	j.device = RS_DEV_9P;
	j.count = 10000;
	j.depth = 1;
	j.size.kind = kind;
	j.size.fixed = j.size.min = j.size.max = 65536;
	j.offset_align = 512;
	return j;
}

static struct rs_scenario scenario(struct rs_job *jobs, size_t n, uint64_t seed)
{
	struct rs_scenario s;

	memset(&s, 0, sizeof(s));
	s.seed = seed;
	s.platform.page_size = 4096;
	s.jobs = jobs;
	s.n_jobs = n;
	return s;
}

static void t_workload_fixed_and_sequential_offsets(void)
{
	struct rs_job j = job(RS_SIZE_FIXED);
	struct rs_scenario s;
	struct rs_stream *st;
	struct rs_io io;
	uint64_t n = 0;

	j.count = 3;
	j.page_offset = 1024;
	s = scenario(&j, 1, 1);
	st = rs_stream_new(&s, 0);
	while (rs_stream_next(st, &io)) {
		CU_ASSERT_EQUAL(io.index, n);
		CU_ASSERT_EQUAL(io.bytes, 65536);
		CU_ASSERT_EQUAL(io.file_offset, n * 65536);
		CU_ASSERT_EQUAL(io.page_offset, 1024);
		CU_ASSERT_EQUAL(io.think_cycles, 0);
		n++;
	}
	CU_ASSERT_EQUAL(n, 3);
	rs_stream_free(st);
}

static void t_workload_same_seed_same_stream(void)
{
	struct rs_job j = job(RS_SIZE_UNIFORM);
	struct rs_scenario s;
	struct rs_stream *a, *b;
	struct rs_io x, y;
	int differ = 0;

	j.size.min = 4096;
	j.size.max = 1 << 20;
	j.size.align = 4096;
	j.offset_random = true;
	s = scenario(&j, 1, 42);
	a = rs_stream_new(&s, 0);
	b = rs_stream_new(&s, 0);
	for (int i = 0; i < 1000; i++) {
		rs_stream_next(a, &x);
		rs_stream_next(b, &y);
		differ |= x.bytes != y.bytes || x.page_offset != y.page_offset;
	}
	CU_ASSERT_FALSE(differ);
	rs_stream_free(a);
	rs_stream_free(b);
}

/* Adding a second job must not change the first job's stream. */
static void t_workload_streams_independent(void)
{
	struct rs_job jobs[2] = { job(RS_SIZE_UNIFORM), job(RS_SIZE_UNIFORM) };
	struct rs_scenario one, two;
	struct rs_stream *a, *b, *c;
	struct rs_io x, y, z;
	int differ = 0, same_as_other = 0;

	for (int i = 0; i < 2; i++) {
		jobs[i].size.min = 512;
		jobs[i].size.max = 1 << 20;
		jobs[i].size.align = 512;
	}
	one = scenario(jobs, 1, 7);
	two = scenario(jobs, 2, 7);
	a = rs_stream_new(&one, 0);
	b = rs_stream_new(&two, 0);
	c = rs_stream_new(&two, 1);
	for (int i = 0; i < 200; i++) {
		rs_stream_next(a, &x);
		rs_stream_next(b, &y);
		rs_stream_next(c, &z);
		differ |= x.bytes != y.bytes;
		same_as_other += y.bytes == z.bytes;
	}
	CU_ASSERT_FALSE(differ);
	CU_ASSERT(same_as_other < 10); /* 2048 possible sizes: job 1 draws its own stream */
	rs_stream_free(a);
	rs_stream_free(b);
	rs_stream_free(c);
}

static void t_workload_uniform_bounds_and_alignment(void)
{
	struct rs_job j = job(RS_SIZE_UNIFORM);
	struct rs_scenario s;
	struct rs_stream *st;
	struct rs_io io;
	int bad = 0, saw_min = 0, saw_max = 0;

	j.size.min = 8192;
	j.size.max = 8192 * 4;
	j.size.align = 8192;
	s = scenario(&j, 1, 3);
	st = rs_stream_new(&s, 0);
	while (rs_stream_next(st, &io)) {
		bad |= io.bytes < 8192 || io.bytes > 32768 || io.bytes % 8192;
		saw_min |= io.bytes == 8192;
		saw_max |= io.bytes == 32768;
	}
	CU_ASSERT_FALSE(bad);
	CU_ASSERT(saw_min && saw_max);
	rs_stream_free(st);
}

static void t_workload_choice_weights(void)
{
	uint64_t sizes[3] = { 4096, 65536, 1 << 20 };
	double weights[3] = { 6, 3, 1 };
	struct rs_job j = job(RS_SIZE_CHOICE);
	unsigned hits[3] = { 0, 0, 0 };
	struct rs_scenario s;
	struct rs_stream *st;
	struct rs_io io;

	j.size.n_options = 3;
	j.size.option_size = sizes;
	j.size.option_weight = weights;
	s = scenario(&j, 1, 11);
	st = rs_stream_new(&s, 0);
	while (rs_stream_next(st, &io))
		for (int i = 0; i < 3; i++)
			hits[i] += io.bytes == sizes[i];
	/* 10000 draws at 0.6/0.3/0.1: 4 standard deviations is under 200 for each. */
	CU_ASSERT_EQUAL(hits[0] + hits[1] + hits[2], 10000);
	CU_ASSERT(hits[0] > 5800 && hits[0] < 6200);
	CU_ASSERT(hits[1] > 2800 && hits[1] < 3200);
	CU_ASSERT(hits[2] > 880 && hits[2] < 1120);
	rs_stream_free(st);
}

static void t_workload_lognormal_clamped(void)
{
	struct rs_job j = job(RS_SIZE_LOGNORMAL);
	struct rs_scenario s;
	struct rs_stream *st;
	struct rs_io io;
	unsigned below = 0, bad = 0;

	j.size.min = 4096;
	j.size.max = 1 << 20;
	j.size.align = 4096;
	j.size.median = 32768;
	j.size.sigma = 1.0;
	s = scenario(&j, 1, 5);
	st = rs_stream_new(&s, 0);
	while (rs_stream_next(st, &io)) {
		bad |= io.bytes < 4096 || io.bytes > (1 << 20) || io.bytes % 4096;
		below += io.bytes <= 32768;
	}
	CU_ASSERT_FALSE(bad);
	/* Half the mass lies below the median (a little more after rounding to 4 KiB). */
	CU_ASSERT(below > 4700 && below < 5600);
	rs_stream_free(st);
}

static void t_workload_random_offsets_aligned(void)
{
	struct rs_job j = job(RS_SIZE_FIXED);
	struct rs_scenario s;
	struct rs_stream *st;
	struct rs_io io;
	unsigned seen[8] = { 0 };
	int bad = 0;

	j.offset_random = true;
	j.offset_align = 512;
	s = scenario(&j, 1, 9);
	st = rs_stream_new(&s, 0);
	while (rs_stream_next(st, &io)) {
		bad |= io.page_offset % 512 || io.page_offset >= 4096;
		seen[io.page_offset / 512 % 8]++;
	}
	CU_ASSERT_FALSE(bad);
	for (int i = 0; i < 8; i++)
		CU_ASSERT(seen[i] > 1000); /* 8 offsets, 1250 each expected */
	rs_stream_free(st);
}

static void t_workload_exponential_think_mean(void)
{
	struct rs_job j = job(RS_SIZE_FIXED);
	struct rs_scenario s;
	struct rs_stream *st;
	struct rs_io io;
	double sum = 0;

	j.think_cycles = 1000;
	j.think_exponential = true;
	s = scenario(&j, 1, 13);
	st = rs_stream_new(&s, 0);
	while (rs_stream_next(st, &io))
		sum += (double)io.think_cycles;
	/* Mean 1000, sd of the mean of 10000 draws is 10. */
	CU_ASSERT(sum / 10000 > 960 && sum / 10000 < 1040);
	rs_stream_free(st);
}

static void rs_test_register(CU_pSuite suite)
{
	RS_TEST(t_workload_fixed_and_sequential_offsets);
	RS_TEST(t_workload_same_seed_same_stream);
	RS_TEST(t_workload_streams_independent);
	RS_TEST(t_workload_uniform_bounds_and_alignment);
	RS_TEST(t_workload_choice_weights);
	RS_TEST(t_workload_lognormal_clamped);
	RS_TEST(t_workload_random_offsets_aligned);
	RS_TEST(t_workload_exponential_think_mean);
}
