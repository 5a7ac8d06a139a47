// SPDX-License-Identifier: GPL-2.0-only
/* ringsim: cycle-level simulator of paravirtual I/O rings. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <libxml/parser.h>

#include "cli/cli.h"
#include "diag/exit.h"
#include "diag/suggest.h"
#include "cli/version.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{ "run", rs_cmd_run, rs_help_run },
	{ "validate", rs_cmd_validate, rs_help_validate },
	{ "compare", rs_cmd_compare, rs_help_compare },
	{ "regress", rs_cmd_regress, rs_help_regress },
	{ "paths", rs_cmd_paths, rs_help_paths },
	{ "dut", rs_cmd_dut, rs_help_dut },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *find(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int unknown_command(const char *name)
{
	const char *names[N_COMMANDS], *near;

	for (size_t i = 0; i < N_COMMANDS; i++)
		names[i] = commands[i].name;
	near = rs_suggest(name, names, N_COMMANDS);
	fprintf(stderr, "ringsim: unknown command '%s'", name);
	if (near)
		fprintf(stderr, "; did you mean '%s'?", near);
	fputs("\ncommands: run, validate, compare, regress, paths, dut; try 'ringsim --help'.\n",
	      stderr);
	return RS_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	int rc;

	/* GSL's default handler aborts; every GSL call here checks its return instead. */
	gsl_set_error_handler_off();
	LIBXML_TEST_VERSION;

	if (argc < 2) {
		fputs(rs_help_ringsim, stderr);
		return RS_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(rs_help_ringsim, stdout);
		return RS_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		rs_print_version(stdout);
		return RS_EXIT_OK;
	}
	if (!strcmp(argv[1], "help")) {
		if (argc < 3) {
			fputs(rs_help_ringsim, stdout);
			return RS_EXIT_OK;
		}
		cmd = find(argv[2]);
		if (!cmd)
			return unknown_command(argv[2]);
		fputs(cmd->help, stdout);
		return RS_EXIT_OK;
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "ringsim: unknown option '%s'; a command comes first: try "
			"'ringsim --help'.\n", argv[1]);
		return RS_EXIT_USAGE;
	}
	cmd = find(argv[1]);
	if (!cmd)
		return unknown_command(argv[1]);
	rc = cmd->fn(argc - 1, argv + 1);
	xmlCleanupParser();
	/*
	 * A run stopped by a signal leaves its guest and device threads parked where they
	 * were, inside the DUT's C code, whose frames cannot be unwound: what their stacks
	 * hold is abandoned, as a process killed by the signal would abandon it. Exit at
	 * once, with the status that says why (130, 143), not through atexit handlers that
	 * would count the abandoned stacks (LeakSanitizer's check, whose failure would change
	 * the status).
	 */
	if (rs_cli_stop && (rc == RS_EXIT_SIGNAL || rc == RS_EXIT_SIGTERM)) {
		fflush(NULL);
		_exit(rc);
	}
	return rc;
}
