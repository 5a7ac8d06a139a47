// SPDX-License-Identifier: GPL-2.0-only
/* stop: SIGINT and SIGTERM caught as a flag that run, compare and regress look at. */
#include <signal.h>

#include "cli/cli.h"
#include "diag/exit.h"

volatile sig_atomic_t rs_cli_stop;

static void on_signal(int sig)
{
	rs_cli_stop = sig;
}

void rs_cli_catch_stop(void)
{
	/* No SA_RESTART: a sleep or wait the signal interrupts ends early, which is the point;
	 * the waits of our children's and gnuplot's pids retry on EINTR. */
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int rs_cli_stop_exit(void)
{
	return rs_cli_stop == SIGTERM ? RS_EXIT_SIGTERM : RS_EXIT_SIGNAL;
}
