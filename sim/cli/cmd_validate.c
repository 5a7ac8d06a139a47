// SPDX-License-Identifier: GPL-2.0-only
/* ringsim validate: scenarios and sweep files checked as a run would load them. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "compare/compare.h"
#include "engine/engine.h"
#include "scenario/scenario.h"

/* Every point of a sweep loads: its base scenario with each combination of values. */
static bool sweep_ok(const char *file, struct rs_comparison *c, struct rs_diag *diag)
{
	struct rs_scenario *base = rs_scenario_load(c->file, NULL, 0, NULL, 0, diag);
	size_t before = diag->n;

	if (!base)
		return false;
	rs_scenario_free(base);
	if (rs_comparison_points(c)) {
		rs_diag_add(diag, "%s: out of memory", file);
		return false;
	}
	for (size_t i = 0; i < c->n_points; i++) {
		struct rs_diag d = { 0 };
		struct rs_scenario *s = rs_scenario_load(c->file, NULL, 0, c->points[i].sets,
							 c->points[i].n_sets, &d);

		for (size_t m = 0; m < d.n; m++)
			rs_diag_add(diag, "%s: point %s: %s", file, c->points[i].name, d.msgs[m]);
		rs_diag_clear(&d);
		rs_scenario_free(s);
	}
	return diag->n == before;
}

/* Return: true when @file is a valid scenario or sweep; problems go to @diag. */
static bool file_ok(const char *file, size_t *points, struct rs_diag *diag)
{
	struct rs_comparison c = { 0 };
	int sweep = rs_sweep_load(file, &c, diag);
	bool ok;

	*points = 0;
	if (sweep < 0) {
		ok = false;
	} else if (sweep) {
		ok = sweep_ok(file, &c, diag);
		*points = c.n_points;
	} else {
		struct rs_scenario *s = rs_scenario_load(file, NULL, 0, NULL, 0, diag);
		char err[1024];

		ok = s != NULL;
		/* as a run would: a DUT object that is not one is refused */
		if (s && rs_engine_check_dut(s, err, sizeof(err))) {
			rs_diag_add(diag, "%s: %s", file, err);
			ok = false;
		}
		rs_scenario_free(s);
	}
	rs_comparison_free(&c);
	return ok;
}

int rs_cmd_validate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int bad = 0, quiet = 0, c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":qh", opts, NULL)) != -1) {
		switch (c) {
		case 'q':
			quiet = 1;
			break;
		case 'h':
			fputs(rs_help_validate, stdout);
			return RS_EXIT_OK;
		default:
			return rs_cli_bad_option("validate", argv, c, opts);
		}
	}
	if (optind >= argc)
		return rs_cli_usage_error("validate", "give at least one FILE.xml");
	for (int i = optind; i < argc; i++) {
		struct rs_diag diag = { 0 };
		size_t points;

		if (!file_ok(argv[i], &points, &diag))
			bad++;
		else if (!quiet && points)
			printf("%s: ok (a sweep of %zu points)\n", argv[i], points);
		else if (!quiet)
			printf("%s: ok\n", argv[i]);
		rs_diag_print(&diag, stderr);
		rs_diag_clear(&diag);
	}
	return bad ? RS_EXIT_USAGE : RS_EXIT_OK;
}
