// SPDX-License-Identifier: GPL-2.0-only
/* ringsim: cycle-level simulator of paravirtual I/O rings. */
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <libxml/parser.h>

#include "cli.h"

#ifndef RINGSIM_VERSION
#define RINGSIM_VERSION "unknown"
#endif

static const char usage[] =
	"usage: ringsim run [FILE.xml] [-o DIR] [--set PATH=VALUE]... [--replications N]\n"
	"                   [--vcd FILE] [--quiet]\n"
	"       ringsim validate FILE.xml...\n"
	"       ringsim compare FILE.xml --vary PATH=V1,V2[,...]... [-o DIR] [-j N]\n"
	"       ringsim compare SWEEP.xml [-o DIR] [-j N]\n"
	"       ringsim compare RESULTS_DIR RESULTS_DIR... [-o DIR]\n"
	"       ringsim regress PATH... [--junit FILE] [-j N] [--replications N]\n"
	"                       [--timeout SECONDS] [--update-golden] [-o DIR]\n"
	"       ringsim --help | --version\n"
	"\n"
	"  run       run a scenario (the built-in quickstart when no FILE is given) and\n"
	"            write results to DIR (default: results/SCENARIO-NAME)\n"
	"  validate  check scenarios against the schema and their meaning, run nothing\n"
	"  compare   run a scenario at every combination of --vary values (each point in\n"
	"            its own process, -j at a time), or line up existing results; writes\n"
	"            compare.csv, compare.json, plots and report.html to DIR (default:\n"
	"            results/compare-SCENARIO-NAME)\n"
	"  regress   run every scenario under PATH (each in its own process, with a time\n"
	"            limit), check its <expect>s and its golden NAME.golden.json, close\n"
	"            with 'N passed, N failed'; --update-golden writes the goldens,\n"
	"            --replications N runs N seeds and keeps 95% intervals\n"
	"\n"
	"  --set PATH=VALUE  override an attribute: platform.page-size=64KiB,\n"
	"                    job.NAME.depth=16, xen-blk.ring-pages=2, cost.kick.cycles=900\n"
	"\n"
	"Exit status: 0 success, 1 an expectation failed or the DUT hit a BUG,\n"
	"2 bad input or usage.\n";

int main(int argc, char **argv)
{
	int rc;

	/* GSL's default handler aborts; every GSL call here checks its return instead. */
	gsl_set_error_handler_off();
	LIBXML_TEST_VERSION;

	if (argc < 2) {
		fputs(usage, stderr);
		return RS_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, stdout);
		return RS_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("ringsim %s\n", RINGSIM_VERSION);
		return RS_EXIT_OK;
	}
	if (!strcmp(argv[1], "run"))
		rc = rs_cmd_run(argc - 1, argv + 1);
	else if (!strcmp(argv[1], "validate"))
		rc = rs_cmd_validate(argc - 1, argv + 1);
	else if (!strcmp(argv[1], "compare"))
		rc = rs_cmd_compare(argc - 1, argv + 1);
	else if (!strcmp(argv[1], "regress"))
		rc = rs_cmd_regress(argc - 1, argv + 1);
	else {
		fprintf(stderr, "ringsim: unknown command '%s'; commands: run, validate, compare, regress\n%s",
			argv[1], usage);
		rc = RS_EXIT_USAGE;
	}
	xmlCleanupParser();
	return rc;
}
