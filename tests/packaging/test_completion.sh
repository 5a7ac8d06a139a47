#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The bash completion (scripts/completion/ringsim.bash) in a plain bash: what TAB offers
# for commands, options, --set / --vary paths of the scenario on the line, --records.
# Usage: test_completion.sh RINGSIM SOURCE_DIR
set -u
ringsim=$1
src=$2
work=$(mktemp -d /tmp/rs_compl.XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$src/tests/lib/check.sh"
. "$src/scripts/completion/ringsim.bash"
cd "$src"

complete_line() { # WORD... (the last one is being completed): sets reply
	COMP_WORDS=("$ringsim" "$@")
	COMP_CWORD=$#
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_ringsim
	reply=" ${COMPREPLY[*]} "
}
offers() { [[ $reply == *" $1 "* ]]; }
only() { [ "$reply" = " $1 " ]; }

complete_line ru
check command_run only run
complete_line dut b
check dut_action only build
complete_line dut init x
check dut_kind only xen-blk
complete_line dut build xen-blk up
check dut_spec only upstream
complete_line co
check command_compare only compare
complete_line run --se
check option_set only --set
complete_line compare --va
check option_vary only --vary
complete_line run --pca
check option_pcap offers --pcap
check option_pcap_snaplen offers --pcap-snaplen
complete_line run --pcap-snaplen ''
check pcap_snaplen_takes_a_number only ""
complete_line compare --pcap
check compare_option_pcaps offers --pcaps
check compare_option_pcap_link offers --pcap-link
complete_line regress --pcap-link ''
check pcap_link_values only "raw ethernet"
complete_line regress --up
check option_update_golden only --update-golden
complete_line run scenarios/quickstart.xml --set job.9p
check set_job_paths offers job.9p-read.depth=
check set_job_paths_only_jobs [ -z "$(echo "$reply" | tr ' ' '\n' | grep -v -e '^$' -e '^job\.9p')" ]
complete_line run scenarios/examples/9p-deep-queue.xml --set job.
check set_paths_of_the_file offers job.r.depth=
complete_line compare x.xml --vary platform.pa
check vary_path only platform.page-size=
complete_line run --records ''
check records_values only "all summary"
complete_line help re
check help_commands only regress
complete_line validate scenarios/quick
check scenario_files only scenarios/quickstart.xml

finish completion
