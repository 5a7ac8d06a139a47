/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * recorder: everything a run measures, on its way to the results directory. Per-request
 * rows, stalls and timeseries samples are streamed to CSV files as they happen, so host
 * memory does not grow with the run's length; metrics are kept as bounded summaries.
 * A metric exists in summary.json only if a model registered it: nothing is printed that
 * the simulation did not measure.
 */
#ifndef RS_RECORDER_H
#define RS_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rs_recorder;
struct rs_stat;
struct rs_level;
struct rs_trace;

/* One row of requests.csv; numeric fields a device does not have stay 0. */
struct rs_request_row {
	uint64_t id;
	const char *job;
	const char *device;
	const char *op;
	uint64_t bytes;
	uint32_t page_offset;
	uint32_t pages;          /* guest pages the buffer touches */
	uint32_t phys_runs;      /* physically contiguous runs among those pages */
	uint64_t submit_cycle;
	uint64_t complete_cycle; /* when it ended, whatever its status; 0: never ended */
	uint32_t descriptors;
	uint32_t sg_entries;
	uint32_t grants;
	uint32_t grants_reserved;
	uint64_t stall_cycles;
	const char *status;      /* "ok", or why the request did not complete ("unfinished":
				  * the run stopped while it was in flight) */
	/* Its phases (not in requests.csv): when it first went on a ring (0: never), its
	 * stall cycles until then, when the device first took it off the ring (0: never), and
	 * when the device last made a response of it. */
	uint64_t posted_cycle;
	uint64_t stall_at_post;
	uint64_t popped_cycle;
	uint64_t responded_cycle;
	/* Where the device first saw it, set with popped_cycle (not in requests.csv; for
	 * --trace): the 9P tag of its first RPC, or the blkif ring slot of its first ring
	 * request. */
	uint32_t ring_id;
};

enum rs_severity { RS_FINDING_BUG, RS_FINDING_WARN, RS_FINDING_ERROR, RS_FINDING_INFO };

/* What a run writes besides summary.json (ringsim run --records). */
enum rs_record_mode {
	RS_RECORD_ALL,     /* requests.csv, stalls.csv, timeseries.csv, histograms.csv */
	RS_RECORD_SUMMARY, /* no per-request or per-stall rows; every metric still exact */
};

/**
 * rs_recorder_open() - start recording into a directory
 * @dir: an existing, empty directory (the results' temporary directory)
 * @mode: which files besides the summary
 * @err: on failure, a message naming the file
 * @err_size: size of @err
 *
 * Return: a recorder, or NULL with @err set.
 */
struct rs_recorder *rs_recorder_open(const char *dir, enum rs_record_mode mode, char *err,
				     size_t err_size);

/**
 * rs_recorder_end() - finish the files: the timeseries' last row, histograms.csv (every
 * distribution's non-empty bins), every stream flushed and closed. Metrics and findings
 * stay readable until rs_recorder_close().
 * Return: 0, or -1 when a write failed (rs_recorder_write_error() says which).
 */
int rs_recorder_end(struct rs_recorder *rec);

/**
 * rs_recorder_failed() - whether a write to one of the files has failed (a full disk, an
 * I/O error): the run should stop, its results cannot be whole. Cheap: the run monitor
 * asks at every sample.
 */
bool rs_recorder_failed(const struct rs_recorder *rec);

/**
 * rs_recorder_write_error() - the first failed write as "DIR/FILE: cannot write: REASON"
 * Return: true when there was one (and @err holds it).
 */
bool rs_recorder_write_error(const struct rs_recorder *rec, char *err, size_t err_size);

/**
 * rs_recorder_close() - rs_recorder_end() if not done yet, then free. Return: 0, or -1 if
 * any write failed. NULL is fine.
 */
int rs_recorder_close(struct rs_recorder *rec);

/**
 * rs_recorder_stat() - the distribution metric @name, registered on first use
 * @name: dotted path in summary.json, e.g. "latency_cycles"
 *
 * Return: a handle valid until rs_recorder_close(), or NULL without memory.
 */
struct rs_stat *rs_recorder_stat(struct rs_recorder *rec, const char *name);

/** rs_recorder_counter() - the counter @name, registered on first use (or NULL). */
uint64_t *rs_recorder_counter(struct rs_recorder *rec, const char *name);

/**
 * rs_recorder_real() - the real-valued metric @name (a ratio or mean the engine worked out
 * from what it measured), registered on first use as 0, or NULL without memory
 */
double *rs_recorder_real(struct rs_recorder *rec, const char *name);

/* Where a level shows: summary.json (NAME.mean time-weighted, NAME.max), timeseries.csv; a
 * series level is a counter track of --trace too, and a RS_LEVEL_TRACE one only that. */
#define RS_LEVEL_SUMMARY 1u
#define RS_LEVEL_SERIES 2u
#define RS_LEVEL_TRACE 4u

/**
 * rs_recorder_level() - a quantity over simulated time, e.g. ring occupancy
 * @name: dotted path in summary.json, column name in timeseries.csv
 * @flags: RS_LEVEL_SUMMARY, RS_LEVEL_SERIES and/or RS_LEVEL_TRACE; a summary or trace level
 *         must be set at every change, a series-only one may be set just before each sample
 *
 * Registration must happen before the first timeseries sample. Return: handle or NULL.
 */
struct rs_level *rs_recorder_level(struct rs_recorder *rec, const char *name, unsigned flags);

/** rs_level_set() - the level is @value from @cycle on; cycles never go backwards. */
void rs_level_set(struct rs_level *lv, uint64_t cycle, double value);

/** rs_level_add() - shorthand for setting the level to its current value + @delta. */
void rs_level_add(struct rs_level *lv, uint64_t cycle, double delta);

/** rs_level_value() - the current value. */
double rs_level_value(const struct rs_level *lv);

/**
 * rs_level_integral() - value x cycles from cycle 0 to the last change (the time integral
 * the time-weighted mean divides; past the last change the value stays rs_level_value())
 */
double rs_level_integral(const struct rs_level *lv);

/** rs_recorder_request() - stream one requests.csv row. */
void rs_recorder_request(struct rs_recorder *rec, const struct rs_request_row *row);

/**
 * rs_recorder_stall() - stream one stalls.csv row
 * @ring: "virtio" or "blkif"
 * @cause: e.g. "no_free_descriptors", "pin_limit", "ring_full", "grant_reservation"
 * @request: the stalled request, or -1
 */
void rs_recorder_stall(struct rs_recorder *rec, const char *ring, const char *cause,
		       uint64_t start, uint64_t end, int64_t request);

/**
 * rs_recorder_longest_stall() - the longest stall so far (the first of equals), @start to
 * @end. Return: false when there was none.
 */
bool rs_recorder_longest_stall(const struct rs_recorder *rec, uint64_t *start, uint64_t *end);

/**
 * rs_recorder_set_trace() - also send the stalls and every timeseries level's changes
 * (as counter tracks) to @trace (--trace); NULL stops it. The caller closes the trace.
 */
void rs_recorder_set_trace(struct rs_recorder *rec, struct rs_trace *trace);

/**
 * rs_recorder_series_idle() - leave idle stretches out of timeseries.csv
 * @period: the sample period, in cycles
 * @span: once no level has changed for more than this many cycles, rows are left out
 *        until one does (UINT64_MAX, the default: every row is written)
 */
void rs_recorder_series_idle(struct rs_recorder *rec, uint64_t period, uint64_t span);

/**
 * rs_recorder_sample() - one timeseries.csv row with every level's current value
 *
 * Return: true when the row was left out (idle longer than the span; it equals the row
 * before it), false when it was written.
 */
bool rs_recorder_sample(struct rs_recorder *rec, uint64_t cycle);

/**
 * rs_recorder_finding() - record a finding for summary.json's findings[]
 * @kind: stable name, e.g. "dut_bug", "dma_unpinned", "leak_pinned"
 * @where: file:line of the DUT, or the model object
 * @detail: one sentence
 */
void rs_recorder_finding(struct rs_recorder *rec, enum rs_severity sev, const char *kind,
			 const char *where, const char *detail, uint64_t cycle,
			 int64_t request);

/** rs_recorder_findings() - how many findings of severity @sev were recorded. */
size_t rs_recorder_findings(const struct rs_recorder *rec, enum rs_severity sev);

/**
 * rs_recorder_data_corruptions() - how many findings were of a data-corruption kind
 * (results/findings.h), whatever their severity; each one makes the run's status dut_bug.
 */
size_t rs_recorder_data_corruptions(const struct rs_recorder *rec);

/**
 * rs_recorder_metrics_json() - every registered metric and the findings as JSON
 * @end_cycle: closes the time-weighted levels
 *
 * Distributions without samples are left out (they measured nothing).
 * Return: a new jansson object (json_t *, as void * so C++ callers need no jansson), with
 * nested objects for the dotted names and an array "findings"; NULL without memory.
 */
void *rs_recorder_metrics_json(struct rs_recorder *rec, uint64_t end_cycle);

#ifdef __cplusplus
}
#endif

#endif
