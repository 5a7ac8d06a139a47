// SPDX-License-Identifier: GPL-2.0-only
/* opts: what the subcommands share in parsing their options. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "diag/suggest.h"

#define MAX_OPTS 32

int rs_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ringsim %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'ringsim %s --help'.\n", cmd);
	return RS_EXIT_USAGE;
}

/* The long option whose short form is @val, for "--output needs a value". */
static const char *long_name(const struct option *opts, int val)
{
	for (; opts->name; opts++)
		if (opts->val == val)
			return opts->name;
	return NULL;
}

int rs_cli_bad_option(const char *cmd, char **argv, int c, const struct option *opts)
{
	const char *given = argv[optind - 1], *names[MAX_OPTS], *near;
	char buf[MAX_OPTS][64], letter[3], word[64];
	size_t n = 0;

	if (c == ':') {
		const char *name = optopt ? long_name(opts, optopt) : NULL;

		if (name)
			return rs_cli_usage_error(cmd, "--%s needs a value", name);
		return rs_cli_usage_error(cmd, "%s needs a value", given);
	}
	/* An unknown short option inside a cluster ("-qx"): name that letter alone. */
	if (optopt && given[0] == '-' && given[1] != '-') {
		snprintf(letter, sizeof(letter), "-%c", optopt);
		given = letter;
	}
	for (; opts->name && n < MAX_OPTS; opts++, n++) {
		snprintf(buf[n], sizeof(buf[n]), "--%s", opts->name);
		names[n] = buf[n];
	}
	snprintf(word, sizeof(word), "%.*s", (int)strcspn(given, "="), given);
	near = rs_suggest(word, names, n);
	if (near)
		return rs_cli_usage_error(cmd, "unknown option '%s'; did you mean '%s'?", word,
					  near);
	return rs_cli_usage_error(cmd, "unknown option '%s'", word);
}

int rs_cli_count(const char *cmd, const char *opt, const char *text, long min, long max,
		 long *v)
{
	char *end;

	errno = 0;
	*v = strtol(text, &end, 10);
	if (errno || end == text || *end || *v < min || *v > max)
		return rs_cli_usage_error(cmd, "%s %s: expected a whole number from %ld to %ld",
					  opt, text, min, max);
	return 0;
}

int rs_cli_self(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

int rs_cli_exec_option(const char *cmd, int c, const char *arg, struct rs_cli_exec *e)
{
	switch (c) {
	case 'E':
		if (rs_exec_parse(arg, &e->executor))
			return rs_cli_usage_error(cmd, "--executor %s: no such executor; "
						  "allowed: %s", arg, RS_EXEC_NAMES);
		return 0;
	case 'S':
		e->slurm_args = arg;
		return 0;
	case 'R':
		e->resume = arg;
		return 0;
	}
	return rs_cli_usage_error(cmd, "internal error: option %d is not an executor's", c);
}
