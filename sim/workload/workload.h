/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workload: the request stream of one job. Each job draws from its own GSL generator
 * (MT19937) seeded from the scenario seed and the job's index, so adding a job or changing
 * one job's depth leaves the other jobs' streams unchanged.
 */
#ifndef RS_WORKLOAD_H
#define RS_WORKLOAD_H

#include <stdint.h>

#include "scenario/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rs_stream;

/* One request as the workload asks for it; the guest threads do the rest. */
struct rs_io {
	uint64_t index;       /* 0..count-1 within the job */
	uint64_t bytes;
	uint64_t file_offset;  /* where in the job's file or disk area: requests run sequentially */
	uint32_t page_offset; /* of the buffer in its first page */
	uint64_t think_cycles; /* to wait before submitting it */
};

/**
 * rs_stream_new() - the stream of job @job_index of @s
 * Return: a stream, or NULL without memory.
 */
struct rs_stream *rs_stream_new(const struct rs_scenario *s, size_t job_index);

/** rs_stream_free() - NULL is fine. */
void rs_stream_free(struct rs_stream *st);

/**
 * rs_stream_next() - draw the next request
 * Return: 1 with @io filled, 0 when the job's count is used up.
 */
int rs_stream_next(struct rs_stream *st, struct rs_io *io);

/** rs_seed_mix() - a well-mixed 64-bit seed for stream @index of @seed (splitmix64). */
uint64_t rs_seed_mix(uint64_t seed, uint64_t index);

#ifdef __cplusplus
}
#endif

#endif
