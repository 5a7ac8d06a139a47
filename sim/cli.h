/* SPDX-License-Identifier: GPL-2.0-only */
/* cli: the ringsim subcommands. Each returns the process exit code (0, 1, 2). */
#ifndef RS_CLI_H
#define RS_CLI_H

/* Exit codes of the CLI contract (DESIGN.md). */
#define RS_EXIT_OK 0
#define RS_EXIT_FAILED 1  /* ran, but an expectation failed or the DUT hit a BUG */
#define RS_EXIT_USAGE 2   /* bad input or usage; nothing written */
#define RS_EXIT_SIGNAL 130 /* interrupted; nothing written */

int rs_cmd_run(int argc, char **argv);
int rs_cmd_validate(int argc, char **argv);
int rs_cmd_compare(int argc, char **argv);
int rs_cmd_regress(int argc, char **argv);

#endif
