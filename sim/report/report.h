/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * report: the plots and reports of a `ringsim compare` directory, written after every
 * point has run. Reads what the runner wrote (compare.json, each point's results
 * directory), writes DIR/plots/, DIR/report.html and DIR/report.md.
 */
#ifndef RS_REPORT_H
#define RS_REPORT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * rs_report_write() - plots and reports of a comparison directory
 * @dir: a compare directory holding compare.json and one results directory per point
 * @err: on failure, what went wrong (file named)
 * @err_size: size of @err
 *
 * Reads DIR/compare.json and each point's histograms.csv and timeseries.csv; writes
 * DIR/plots/NAME.svg and NAME.png (gnuplot), DIR/report.html (one self-contained page: the
 * SVGs inlined, no network) and DIR/report.md (the same metrics table, for terminals and
 * pull requests). DIR/plots/ keeps the gnuplot scripts and data files: `cd DIR/plots &&
 * gnuplot all.gp` redraws every plot.
 *
 * When gnuplot is missing or fails, report.md and report.html are still written (the
 * page says the plots are missing and why) and the call returns -1.
 *
 * Context: process context; runs gnuplot (found on PATH) as a child and waits for it.
 * Return: 0, or -1 with @err set. A point that failed has no plots but is in the tables.
 */
int rs_report_write(const char *dir, char *err, size_t err_size);

#ifdef __cplusplus
}
#endif

#endif
