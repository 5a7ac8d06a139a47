// SPDX-License-Identifier: GPL-2.0-only
/* ringsim dut: the drivers under test a scenario can name in <dut>. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "diag/suggest.h"
#include "scenario/dut_names.h"

int rs_cmd_dut(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c != 'h')
			return rs_cli_bad_option("dut", argv, c, opts);
		fputs(rs_help_dut, stdout);
		return RS_EXIT_OK;
	}
	if (optind >= argc)
		return rs_cli_usage_error("dut", "which action? 'ringsim dut list'");
	if (strcmp(argv[optind], "list")) {
		static const char *const actions[] = { "list" };
		const char *near = rs_suggest(argv[optind], actions, 1);

		return near ? rs_cli_usage_error("dut", "unknown action '%s'; did you mean '%s'?",
						 argv[optind], near) :
			      rs_cli_usage_error("dut", "unknown action '%s'; allowed: list",
						 argv[optind]);
	}
	if (argc - optind > 1)
		return rs_cli_usage_error("dut", "'list' takes no arguments");
	for (const struct rs_dut_name *n = rs_dut_names(); n->name; n++)
		printf("%-10s %s\n", n->name, n->description);
	return RS_EXIT_OK;
}
