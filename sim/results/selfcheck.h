/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * selfcheck: identities the figures of one run must satisfy, checked in every summary.
 * Little's law per job over its steady window: the mean number of the job's requests in
 * flight (a time integral the engine's recorder measured) equals the job's throughput in
 * requests times the mean time its requests spent in the system (counted per request).
 */
#ifndef RS_SELFCHECK_H
#define RS_SELFCHECK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * rs_littles_law_error() - how far L is from lambda x W, relative to lambda x W
 * @in_flight: L, mean requests in flight over the window
 * @per_second: lambda, requests that ended in the window per second
 * @seconds: W, their mean time in the system, in seconds
 *
 * Return: L / (lambda W) - 1; 0 when both sides are 0; HUGE_VAL when only L is not 0.
 */
double rs_littles_law_error(double in_flight, double per_second, double seconds);

/**
 * rs_selfcheck_summary() - add selfcheck.littles_law_error.JOB and .max to a summary
 * @summary: summary.json as a jansson object (json_t *); every job that has
 *           jobs.JOB.in_flight_mean, jobs.JOB.throughput.requests_per_second,
 *           jobs.JOB.requests.ended and jobs.JOB.residence_cycles takes part
 * @clock_hz: the platform clock, cycles per second
 *
 * .max is the error of the largest absolute value, with its sign. Jobs that ended no
 * request are left out; with none, there is no selfcheck object.
 * Return: 0, or -1 without memory.
 */
int rs_selfcheck_summary(void *summary, uint64_t clock_hz);

#ifdef __cplusplus
}
#endif

#endif
