// SPDX-License-Identifier: GPL-2.0-only
/* ringsim paths: what --set and --vary accept for a scenario, with its values. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "scenario/embedded.h"
#include "scenario/scenario.h"

static void print_path(void *arg, const char *path, const char *value)
{
	(void)arg;
	if (value)
		printf("%s=%s\n", path, value);
	else
		printf("%s\n", path); /* no value and no default: unset */
}

int rs_cmd_paths(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rs_diag diag = { 0 };
	struct rs_scenario *s;
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c != 'h')
			return rs_cli_bad_option("paths", argv, c, opts);
		fputs(rs_help_paths, stdout);
		return RS_EXIT_OK;
	}
	if (argc - optind > 1)
		return rs_cli_usage_error("paths", "one scenario at a time");
	s = optind < argc ? rs_scenario_load(argv[optind], NULL, 0, NULL, 0, &diag) :
		rs_scenario_load("<quickstart>", (const char *)rs_embedded_quickstart,
				 rs_embedded_quickstart_len, NULL, 0, &diag);
	rs_diag_print(&diag, stderr);
	rs_diag_clear(&diag);
	if (!s)
		return RS_EXIT_USAGE;
	rc = rs_scenario_paths(s, print_path, NULL) ? RS_EXIT_FAILED : RS_EXIT_OK;
	rs_scenario_free(s);
	return rc;
}
