/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * exit: ringsim's exit statuses, the CLI contract of DESIGN.md. main() returns them, and
 * compare, regress and replications read their children's by them.
 */
#ifndef RS_DIAG_EXIT_H
#define RS_DIAG_EXIT_H

/* Exit codes of the CLI contract (DESIGN.md). */
#define RS_EXIT_OK 0
#define RS_EXIT_FAILED 1  /* ran, but an expectation failed or the DUT hit a BUG */
#define RS_EXIT_USAGE 2   /* bad input or usage; nothing written */
#define RS_EXIT_SIGNAL 130 /* interrupted by SIGINT; nothing written */
#define RS_EXIT_SIGTERM 143 /* interrupted by SIGTERM; nothing written */

#endif
