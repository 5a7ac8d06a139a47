// SPDX-License-Identifier: GPL-2.0-only
#include "workload/workload.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

struct rs_stream {
	const struct rs_job *job;
	uint32_t page_size;
	uint64_t next_index;
	uint64_t next_offset;
	gsl_rng *rng;
	gsl_ran_discrete_t *choice; /* RS_SIZE_CHOICE */
};

uint64_t rs_seed_mix(uint64_t seed, uint64_t index)
{
	uint64_t z = seed + (index + 1) * 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

struct rs_stream *rs_stream_new(const struct rs_scenario *s, size_t job_index)
{
	struct rs_stream *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->job = &s->jobs[job_index];
	st->page_size = s->platform.page_size;
	st->rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!st->rng)
		goto fail;
	gsl_rng_set(st->rng, (unsigned long)rs_seed_mix(s->seed, job_index));
	if (st->job->size.kind == RS_SIZE_CHOICE) {
		st->choice = gsl_ran_discrete_preproc(st->job->size.n_options,
						      st->job->size.option_weight);
		if (!st->choice)
			goto fail;
	}
	return st;
fail:
	rs_stream_free(st);
	return NULL;
}

void rs_stream_free(struct rs_stream *st)
{
	if (!st)
		return;
	if (st->choice)
		gsl_ran_discrete_free(st->choice);
	if (st->rng)
		gsl_rng_free(st->rng);
	free(st);
}

static uint64_t clamp_align(double v, const struct rs_size_dist *d)
{
	uint64_t b;

	if (v < (double)d->min)
		return d->min;
	if (v > (double)d->max)
		return d->max;
	b = (uint64_t)llround(v / (double)d->align) * d->align;
	return b < d->min ? d->min : b > d->max ? d->max : b;
}

static uint64_t draw_size(struct rs_stream *st)
{
	const struct rs_size_dist *d = &st->job->size;

	switch (d->kind) {
	case RS_SIZE_UNIFORM:
		/* min and max are multiples of align (checked at load). */
		return d->min + d->align *
			gsl_rng_uniform_int(st->rng, (d->max - d->min) / d->align + 1);
	case RS_SIZE_CHOICE:
		return d->option_size[gsl_ran_discrete(st->rng, st->choice)];
	case RS_SIZE_LOGNORMAL:
		return clamp_align(gsl_ran_lognormal(st->rng, log(d->median), d->sigma), d);
	default:
		return d->fixed;
	}
}

/* A draw with mean @mean cycles; the far tail stops at the longest wait a run can hold. */
static uint64_t exponential_cycles(struct rs_stream *st, uint64_t mean)
{
	double t = gsl_ran_exponential(st->rng, (double)mean);

	return t >= (double)RS_MAX_RUN_CYCLES ? RS_MAX_RUN_CYCLES : (uint64_t)llround(t);
}

int rs_stream_next(struct rs_stream *st, struct rs_io *io)
{
	const struct rs_job *j = st->job;

	if (st->next_index >= j->count)
		return 0;
	io->index = st->next_index++;
	/* A fixed order of draws per request keeps streams reproducible. */
	io->bytes = draw_size(st);
	io->file_offset = st->next_offset;
	st->next_offset += io->bytes;
	io->page_offset = j->offset_random ?
		(uint32_t)gsl_rng_uniform_int(st->rng, st->page_size / j->offset_align) *
		j->offset_align : j->page_offset;
	io->think_cycles = j->think_exponential ? exponential_cycles(st, j->think_cycles) :
		j->think_cycles;
	return 1;
}
