/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli: the ringsim subcommands and what they share. Each subcommand parses its own
 * options with getopt_long(), has its own --help text, and returns the process exit code.
 */
#ifndef RS_CLI_H
#define RS_CLI_H

#include <getopt.h>
#include <signal.h>
#include <stddef.h>

#include <stdbool.h>

#include "compare/exec.h"
#include "diag/exit.h"
#include "trace/pcap.h"

int rs_cmd_run(int argc, char **argv);
int rs_cmd_validate(int argc, char **argv);
int rs_cmd_compare(int argc, char **argv);
int rs_cmd_regress(int argc, char **argv);
int rs_cmd_paths(int argc, char **argv);
int rs_cmd_dut(int argc, char **argv);

/* The --help text of each subcommand (help.c), and of ringsim itself. */
extern const char rs_help_ringsim[];
extern const char rs_help_run[];
extern const char rs_help_validate[];
extern const char rs_help_compare[];
extern const char rs_help_regress[];
extern const char rs_help_paths[];
extern const char rs_help_dut[];

/**
 * rs_cli_bad_option() - say what is wrong with the option getopt_long() just refused
 * @cmd: the subcommand, for the message ("run")
 * @argv: the subcommand's argv, as given to getopt_long()
 * @c: what getopt_long() returned: '?' (unknown option) or ':' (missing argument); the
 *     option string must start with ':' so the two differ
 * @opts: the long options
 *
 * Prints "ringsim CMD: unknown option '--vray'; did you mean '--vary'?" or
 * "ringsim CMD: --vary needs a value", then where the help is, on stderr.
 * Return: RS_EXIT_USAGE.
 */
int rs_cli_bad_option(const char *cmd, char **argv, int c, const struct option *opts);

/**
 * rs_cli_usage_error() - print "ringsim CMD: MESSAGE" and the pointer to CMD --help
 * Return: RS_EXIT_USAGE.
 */
int rs_cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * rs_cli_count() - parse a whole number in [@min, @max] given to option @opt
 * @v: receives it
 * Return: 0, or RS_EXIT_USAGE after printing what is allowed.
 */
int rs_cli_count(const char *cmd, const char *opt, const char *text, long min, long max,
		 long *v);

/**
 * rs_cli_self() - the path of this executable, to run the children of compare, regress
 * and replications
 * Return: 0, or -1 when /proc/self/exe cannot be read.
 */
int rs_cli_self(char *buf, size_t size);

/**
 * rs_cli_dut_coverage() - check that --dut-coverage can be honoured: DUTs are built by gcc
 * and its gcov is there (cli/coverage.c)
 * @gcov: receives the gcov tool's path
 * Return: 0, or RS_EXIT_USAGE after saying what is missing.
 */
int rs_cli_dut_coverage(const char *cmd, char *gcov, size_t size);

/* --executor NAME, --slurm-args ARGS and --resume DIR, as compare and regress take them. */
#define RS_CLI_EXEC_OPTIONS \
	{ "executor", required_argument, NULL, 'E' }, \
	{ "slurm-args", required_argument, NULL, 'S' }, \
	{ "resume", required_argument, NULL, 'R' }

struct rs_cli_exec {
	enum rs_exec_kind executor; /* --executor */
	const char *slurm_args;     /* --slurm-args */
	const char *resume;         /* --resume DIR */
};

/**
 * rs_cli_exec_option() - take the option getopt_long() returned as @c ('E', 'S' or 'R' of
 * RS_CLI_EXEC_OPTIONS) with its optarg @arg
 * Return: 0, or RS_EXIT_USAGE after saying why (an executor that does not exist).
 */
int rs_cli_exec_option(const char *cmd, int c, const char *arg, struct rs_cli_exec *e);

/* The 9P capture options' getopt_long() values, beyond every character. */
enum { RS_OPT_PCAP = 0x100, RS_OPT_PCAPS, RS_OPT_PCAP_SNAPLEN, RS_OPT_PCAP_LINK };

/* --pcaps, --pcap-snaplen N, --pcap-link NAME, as run, compare and regress take them; each
 * command adds its own --pcap (run: FILE; the others: refused, naming --pcaps). */
#define RS_CLI_PCAP_OPTIONS \
	{ "pcaps", no_argument, NULL, RS_OPT_PCAPS }, \
	{ "pcap-snaplen", required_argument, NULL, RS_OPT_PCAP_SNAPLEN }, \
	{ "pcap-link", required_argument, NULL, RS_OPT_PCAP_LINK }

/* The capture options of one command (cli/pcap.c). */
struct rs_cli_pcap {
	bool takes_file;     /* set before parsing: --pcap FILE is this command's (run) */
	const char *where;   /* set before parsing: each run's results directory under -o
			      * DIR ("DIR/POINT"), where --pcaps puts its capture */
	const char *file;    /* --pcap FILE, or NULL */
	bool each;           /* --pcaps: each run's capture in its results directory */
	unsigned snaplen;    /* --pcap-snaplen N, 0: RS_PCAP_MAX_SNAPLEN */
	enum rs_pcap_link link; /* --pcap-link NAME */
	const char *link_name;  /* as given, or NULL */
	char snaplen_text[16];
	const char *args[6]; /* set by rs_cli_pcap_check(): what each child run is given */
};

/**
 * rs_cli_pcap_option() - take the capture option getopt_long() returned as @c
 * @arg: its optarg
 * Return: 0, or RS_EXIT_USAGE after saying why (--pcap where the command takes --pcaps, a
 * bad --pcap-snaplen or --pcap-link).
 */
int rs_cli_pcap_option(const char *cmd, int c, const char *arg, struct rs_cli_pcap *p);

/**
 * rs_cli_pcap_check() - once every option is read: --pcap-snaplen and --pcap-link need a
 * capture, --pcap FILE and --pcaps exclude each other; the child runs' arguments set
 * Return: 0, or RS_EXIT_USAGE after saying why.
 */
int rs_cli_pcap_check(const char *cmd, struct rs_cli_pcap *p);

/**
 * rs_cli_pcap_args() - Return: the arguments that give each child run its capture
 * (--pcaps and the options that shape it), NULL-terminated; NULL without --pcaps.
 */
const char *const *rs_cli_pcap_args(const struct rs_cli_pcap *p);

/*
 * The signal (SIGINT, SIGTERM) that asked this command to stop, 0 while none has; set by
 * the handler rs_cli_catch_stop() installs (stop.c), and nothing else.
 */
extern volatile sig_atomic_t rs_cli_stop;

/**
 * rs_cli_catch_stop() - from now on SIGINT and SIGTERM only set rs_cli_stop
 *
 * The command then stops its work (a run at its next wake, compare and regress their
 * children, rs_procs_run()) and returns rs_cli_stop_exit().
 */
void rs_cli_catch_stop(void);

/** rs_cli_stop_exit() - Return: RS_EXIT_SIGTERM after SIGTERM, else RS_EXIT_SIGNAL. */
int rs_cli_stop_exit(void);

#endif
