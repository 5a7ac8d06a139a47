/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vcd_cut: a value change dump cut to a window of time, so that the waveform of one stall
 * opens in GTKWave without the rest of a long run (ringsim run --vcd with --trace-window or
 * --trace-around). The header is kept; every signal's value at the window's start is given
 * as a $dumpvars there; the changes inside the window follow; the dump ends at its end.
 */
#ifndef RS_VCD_CUT_H
#define RS_VCD_CUT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * rs_vcd_cut() - cut @path, in place, to the times [@start, @end] (its timescale's units)
 * Return: 0, or -1 with "PATH: REASON" in @err (@path is then as it was).
 */
int rs_vcd_cut(const char *path, uint64_t start, uint64_t end, char *err, size_t err_size);

#ifdef __cplusplus
}
#endif

#endif
