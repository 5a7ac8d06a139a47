/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * trace: a run's timeline as a Chrome trace-event JSON file (ringsim run --trace FILE),
 * which ui.perfetto.dev and chrome://tracing open: nested slices on one track per thread
 * (a guest thread's requests and the DUT functions inside them), stall slices on a track
 * per cause, instant events (kicks, interrupts, event-channel notifications) and counter
 * tracks (the timeseries' levels). Time is simulated time: ts is cycle / clock in
 * microseconds, so spans read correctly in the viewer.
 *
 * Events are streamed to FILE.tmp-PID, one per line, and renamed to FILE when the run
 * ends, so host memory does not grow with the run. A window keeps a long run's trace
 * small: only what happens inside it is kept (a slice that begins inside it and ends after
 * it is cut at its end; one open at its start begins there). A window known only when the
 * run ends (around its longest stall) is cut in a second pass: the trace is written whole
 * first.
 */
#ifndef RS_TRACE_EVENT_H
#define RS_TRACE_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rs_trace;

struct rs_trace_window {
	uint64_t start, end;       /* cycles; [0, UINT64_MAX] keeps everything */
	bool at_close;             /* the window comes with rs_trace_close(), not here */
};

/**
 * rs_trace_open() - start a trace
 * @path: the file to write at rs_trace_close()
 * @process: the viewer's process name ("ringsim: SCENARIO")
 * @clock_hz: the platform clock (cycles to microseconds)
 * @window: what to keep
 *
 * Return: the trace, or NULL with "PATH: REASON" in @err.
 */
struct rs_trace *rs_trace_open(const char *path, const char *process, uint64_t clock_hz,
			       const struct rs_trace_window *window, char *err, size_t err_size);

/* Slices on @track nest: an end closes the slice its track began last. @args: a JSON
 * object the event takes (the reference is stolen), or NULL; an end's args are merged
 * into its slice's in the viewer. */
void rs_trace_begin(struct rs_trace *t, const char *track, uint64_t cycle, const char *name,
		    json_t *args);
void rs_trace_end(struct rs_trace *t, const char *track, uint64_t cycle, json_t *args);

/* An instant event on @track. */
void rs_trace_instant(struct rs_trace *t, const char *track, uint64_t cycle, const char *name,
		      json_t *args);

/* The counter track @name is @value from @cycle on. */
void rs_trace_counter(struct rs_trace *t, const char *name, uint64_t cycle, double value);

/* A slice from @start to @end on @track, given when it ended: slices that overlap go to
 * lanes of their own ("TRACK #2"). @args: stolen, or NULL. */
void rs_trace_span(struct rs_trace *t, const char *track, const char *name, uint64_t start,
		   uint64_t end, json_t *args);

/* A stall from @start to @end on the track of @cause; stalls that overlap go to lanes
 * of their own ("CAUSE #2"). */
void rs_trace_stall(struct rs_trace *t, const char *ring, const char *cause, uint64_t start,
		    uint64_t end, int64_t request);

/**
 * rs_trace_failed() - whether a write to the trace failed; rs_trace_close() says how
 */
bool rs_trace_failed(const struct rs_trace *t);

/**
 * rs_trace_close() - end every slice still open at @end_cycle, finish the file and rename
 * it into place
 * @cut: for a trace opened with at_close, the window to cut it to (NULL: keep it whole)
 * Return: 0, or -1 with "PATH: REASON" in @err (nothing is left at PATH then).
 */
int rs_trace_close(struct rs_trace *t, uint64_t end_cycle, const struct rs_trace_window *cut,
		   char *err, size_t err_size);

/* rs_trace_abort() - drop the trace: its temporary file is removed. NULL is fine. */
void rs_trace_abort(struct rs_trace *t);

#ifdef __cplusplus
}
#endif

#endif
