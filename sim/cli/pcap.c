// SPDX-License-Identifier: GPL-2.0-only
/* --pcap, --pcaps, --pcap-snaplen and --pcap-link, as run, compare and regress share them. */
#include <stdio.h>

#include "cli/cli.h"
#include "results/results_dir.h"

int rs_cli_pcap_option(const char *cmd, int c, const char *arg, struct rs_cli_pcap *p)
{
	long n;

	switch (c) {
	case RS_OPT_PCAP:
		/* Many runs, one FILE: say where their captures go instead. */
		if (!p->takes_file)
			return rs_cli_usage_error(cmd, "--pcap FILE is one run's capture; --pcaps "
						  "writes each run's into %s/%s", p->where,
						  RS_RESULTS_PCAP);
		p->file = arg;
		return 0;
	case RS_OPT_PCAPS:
		p->each = true;
		return 0;
	case RS_OPT_PCAP_SNAPLEN:
		if (rs_cli_count(cmd, "--pcap-snaplen", arg, 1, RS_PCAP_MAX_SNAPLEN, &n))
			return RS_EXIT_USAGE;
		p->snaplen = (unsigned)n;
		snprintf(p->snaplen_text, sizeof(p->snaplen_text), "%ld", n);
		return 0;
	case RS_OPT_PCAP_LINK:
		if (rs_pcap_link_parse(arg, &p->link))
			return rs_cli_usage_error(cmd, "--pcap-link %s: no such link type; "
						  "allowed: %s", arg, RS_PCAP_LINK_NAMES);
		p->link_name = arg;
		return 0;
	}
	return rs_cli_usage_error(cmd, "internal error: option %d is not a capture's", c);
}

int rs_cli_pcap_check(const char *cmd, struct rs_cli_pcap *p)
{
	const char *given = p->takes_file ? "--pcap FILE or --pcaps" : "--pcaps";
	size_t a = 0;

	if (p->file && p->each)
		return rs_cli_usage_error(cmd, "--pcap FILE and --pcaps: one capture, or each "
					  "run's in its results directory, not both");
	if ((p->snaplen || p->link_name) && !p->file && !p->each)
		return rs_cli_usage_error(cmd, "%s shapes the packets of %s; give %s too",
					  p->snaplen ? "--pcap-snaplen" : "--pcap-link", given,
					  p->takes_file ? "one" : "it");
	if (!p->each)
		return 0;
	p->args[a++] = "--pcaps";
	if (p->snaplen) {
		p->args[a++] = "--pcap-snaplen";
		p->args[a++] = p->snaplen_text;
	}
	if (p->link_name) {
		p->args[a++] = "--pcap-link";
		p->args[a++] = p->link_name;
	}
	p->args[a] = NULL;
	return 0;
}

const char *const *rs_cli_pcap_args(const struct rs_cli_pcap *p)
{
	return p->each ? p->args : NULL;
}
