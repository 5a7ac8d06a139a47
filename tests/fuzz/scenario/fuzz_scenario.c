// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target (1): a file's bytes as `ringsim validate FILE` takes them, short of the run
 * and of a DUT object's loading: a <sweep> is read with its vary lists and every point's
 * scenario loaded, anything else loaded and checked as a scenario (rs_scenario_load: the
 * XML, the schema, rs_dom_check). A bad input is a diagnostic; only a crash, undefined
 * behaviour, a leak or a hang is a finding.
 */
#include <stdio.h>
#include <stdlib.h>

#include "compare/compare.h"
#include "scenario/scenario.h"
#include "fuzz.h"

/* Points a sweep may have here: each loads a scenario, and a fuzzer's time is finite. */
#define MAX_POINTS 64

static void load_one(const char *file, char *const *sets, size_t n_sets)
{
	struct rs_diag diag = { 0 };
	struct rs_scenario *s = rs_scenario_load(file, NULL, 0, sets, n_sets, &diag);

	/* NULL exactly when something was said */
	RS_FUZZ_ASSERT(!s == (diag.n > 0));
	rs_diag_clear(&diag);
	rs_scenario_free(s);
}

static void load_sweep(struct rs_comparison *c)
{
	size_t total = 1;

	for (size_t i = 0; i < c->n_vary && total <= MAX_POINTS; i++)
		total *= c->vary[i].n_values;
	if (total > MAX_POINTS || rs_comparison_points(c))
		return;
	load_one(c->file, NULL, 0);
	for (size_t i = 0; i < c->n_points; i++)
		load_one(c->file, c->points[i].sets, c->points[i].n_sets);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rs_comparison c = { 0 };
	struct rs_diag diag = { 0 };
	char file[128];
	int sweep;

	snprintf(file, sizeof(file), "%s/input.xml", rs_fuzz_dir());
	rs_fuzz_write(file, data, size);
	sweep = rs_sweep_load(file, &c, &diag);
	RS_FUZZ_ASSERT(sweep >= -1 && sweep <= 1);
	if (sweep > 0)
		load_sweep(&c);
	else if (!sweep)
		load_one(file, NULL, 0);
	rs_comparison_free(&c);
	rs_diag_clear(&diag);
	return 0;
}
