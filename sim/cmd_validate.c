// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>

#include "cli.h"
#include "scenario.h"

int rs_cmd_validate(int argc, char **argv)
{
	int bad = 0;

	if (argc < 2) {
		fputs("usage: ringsim validate FILE.xml...\n", stderr);
		return RS_EXIT_USAGE;
	}
	for (int i = 1; i < argc; i++) {
		struct rs_diag diag = { 0 };
		struct rs_scenario *s = rs_scenario_load(argv[i], NULL, 0, NULL, 0, &diag);

		if (s)
			printf("%s: ok\n", argv[i]);
		else
			bad++;
		rs_diag_print(&diag, stderr);
		rs_diag_clear(&diag);
		rs_scenario_free(s);
	}
	return bad ? RS_EXIT_USAGE : RS_EXIT_OK;
}
