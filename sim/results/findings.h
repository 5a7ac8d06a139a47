/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which finding kinds mean data corruption: memory or a file holds bytes nobody wrote
 * there, or a request got data that is not its own. One such finding makes a run's status
 * dut_bug (exit 1), like a BUG_ON; any other finding (a WARN_ON, a printk, a leak, a stale
 * byte the backend could read) is reported and leaves the status alone. The list is part of
 * the results contract (README.md, "Findings").
 */
#ifndef RS_RESULTS_FINDINGS_H
#define RS_RESULTS_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The data-corruption kinds, NULL-terminated, in the order README.md lists them. */
extern const char *const rs_data_corruption_kinds[];

/**
 * rs_finding_corrupts_data() - whether a finding of @kind is data corruption
 * @kind: a finding's stable name, e.g. "dma_unpinned"
 *
 * Return: true for a kind in rs_data_corruption_kinds[], false otherwise (NULL included).
 */
bool rs_finding_corrupts_data(const char *kind);

#ifdef __cplusplus
}
#endif

#endif
