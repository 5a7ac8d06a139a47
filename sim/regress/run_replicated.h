/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef RS_RUN_REPLICATED_H
#define RS_RUN_REPLICATED_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "scenario/scenario.h"

/**
 * rs_run_replicated() - run @s at @n seeds (its seed and the next n-1), each in its own
 * process, into @dir/seed-S/; write @dir/replications.json (per metric: mean, sd, n and the
 * 95% confidence interval of the mean) and print the key metrics' intervals
 * @coverage: --dut-coverage: each replication records its DUT coverage, and @dir/
 * dut-coverage/ holds them merged
 * @pcap_args: the capture options for each replication's run (--pcaps ...), NULL-terminated:
 * each writes its 9P capture into @dir/seed-S/, named at the end; NULL: none
 * @force: --force: files in @dir that ringsim did not write are kept in the new results
 *         (rs_results_begin())
 * @stop: the caller's SIGINT/SIGTERM flag: once set, the replications are stopped
 * (rs_procs_run()) and nothing is kept, not even @dir's temporary directory
 * Return: the exit code: 0 when every replication ran ok, 1 otherwise, 2 for a bad @dir,
 * 130 (143) when *@stop became SIGINT (SIGTERM).
 */
int rs_run_replicated(const struct rs_scenario *s, int n, const char *dir, int quiet,
		      bool coverage, bool force, const char *const *pcap_args,
		      const volatile sig_atomic_t *stop);

#endif
