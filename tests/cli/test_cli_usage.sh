#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The CLI as a new user meets it: help for every command, suggestions for typos, plain
# messages for missing files, sweeps in validate, relative output paths, no gnuplot.
# Usage: test_cli_usage.sh RINGSIM SOURCE_DIR
set -u
ringsim=$1
src=$2
work=$(mktemp -d /tmp/rs_usage.XXXXXX)
trap 'rm -rf "$work"' EXIT
CHECK_SHOW_ERR=1
. "$src/tests/lib/check.sh"

# --- every command has --help and -h: usage, options, examples, exit status
for cmd in run validate compare regress paths; do
	for flag in --help -h; do
		run "$ringsim" "$cmd" "$flag"
		check "${cmd}_${flag}_exit_0" [ "$rc" = 0 ]
		check "${cmd}_${flag}_usage" has_out "usage: ringsim $cmd"
		check "${cmd}_${flag}_examples" has_out "Examples:"
		check "${cmd}_${flag}_exit_status" has_out "Exit status:"
	done
	run "$ringsim" help "$cmd"
	check "help_${cmd}" has_out "usage: ringsim $cmd"
done
run "$ringsim" run --help
for opt in --output --set --replications --records --vcd --quiet "default: results/"; do
	check "run_help_names_$opt" has_out "$opt"
done

# --- unknown options and commands: exit 2, the nearest valid one
run "$ringsim" compare --vray platform.page-size=4KiB,64KiB
check typo_option_exit_2 [ "$rc" = 2 ]
check typo_option_suggests has_err "unknown option '--vray'; did you mean '--vary'?"
run "$ringsim" run -x
check short_option_named has_err "unknown option '-x'"
run "$ringsim" run -o
check missing_value has_err "--output needs a value"
run "$ringsim" comapre
check typo_command has_err "unknown command 'comapre'; did you mean 'compare'?"
run "$ringsim" run --set job.9p-read.dpeth=4
check typo_set_attr has_err "did you mean job.9p-read.depth?"
run "$ringsim" run --set job.9p-raed.depth=4
check typo_set_job has_err "did you mean job.9p-read.depth?"
run "$ringsim" run --replications 0
check replications_range has_err "--replications 0: expected a whole number from 1 to 1000"
run "$ringsim" run --records some
check records_values has_err "--records some: allowed: all, summary"

# --- a file that is not there: strerror, exit 2, nothing written
for cmd in run validate; do
	run "$ringsim" "$cmd" "$work/nosuch.xml"
	check "${cmd}_missing_exit_2" [ "$rc" = 2 ]
	check "${cmd}_missing_says_so" has_err "$work/nosuch.xml: No such file or directory"
done
run "$ringsim" compare "$work/nosuch.xml" --vary platform.page-size=4KiB,64KiB -o "$work/c0"
check compare_missing_says_so has_err "$work/nosuch.xml: No such file or directory"
check compare_missing_nothing_written [ ! -e "$work/c0" ]
run "$ringsim" run "$work"
check directory_says_so has_err "$work: Is a directory"
run "$ringsim" regress "$work/nosuch"
check regress_missing_says_so has_err "$work/nosuch: No such file or directory"

# --- compare with a scenario and nothing to vary is a usage error, not one point
run "$ringsim" compare "$src/scenarios/quickstart.xml" -o "$work/c1"
check compare_no_vary_exit_2 [ "$rc" = 2 ]
check compare_no_vary_says has_err "is a scenario, not a sweep"
check compare_no_vary_nothing_written [ ! -e "$work/c1" ]

# --- validate takes sweep files: the base and every point
run "$ringsim" validate "$src/scenarios/compare/9p-sweep.xml"
check validate_sweep_ok [ "$rc" = 0 ]
check validate_sweep_points has_out "ok (a sweep of 6 points)"
cat >"$work/bad-sweep.xml" <<XML
<sweep base="$src/scenarios/quickstart.xml">
  <vary path="platform.page-size" values="4KiB,5000"/>
</sweep>
XML
run "$ringsim" validate "$work/bad-sweep.xml"
check validate_bad_sweep_exit_2 [ "$rc" = 2 ]
check validate_bad_sweep_names_point has_err "point page-size=5000: --set platform.page-size=5000"

# A sweep's report is named after the sweep file, and says which file it was.
run "$ringsim" compare "$src/scenarios/compare/9p-sweep.xml" -o "$work/sweep" --quiet -j 2
check sweep_compare_exit_0 [ "$rc" = 0 ]
check sweep_report_title [ "$(head -n 1 "$work/sweep/report.md")" = "# Sweep: 9p-sweep" ]
check sweep_report_h1 grep -q '<h1>Sweep <code>9p-sweep</code></h1>' "$work/sweep/report.html"
check sweep_json_names_file grep -q '"sweep_file": ".*9p-sweep.xml"' "$work/sweep/compare.json"

# --- paths: every override path, values as run
run "$ringsim" paths
check paths_exit_0 [ "$rc" = 0 ]
check paths_platform has_out "platform.page-size=4KiB"
check paths_job has_out "job.9p-read.depth=8"
check paths_cost has_out "cost.kick.cycles=1200"
check paths_unset_default has_out "xen-blk.ring-pages=1"

# --- --version: the commit and the libraries
run "$ringsim" --version
for lib in "git " SystemC Verilator libxml2 GSL; do
	check "version_names_$lib" has_out "$lib"
done

# --- --records summary: no per-request or per-stall rows, the same summary
run "$ringsim" run --quiet -o "$work/all"
run "$ringsim" run --quiet --records summary -o "$work/sum"
check records_summary_exit_0 [ "$rc" = 0 ]
check records_summary_no_requests [ ! -e "$work/sum/requests.csv" -a ! -e "$work/sum/stalls.csv" ]
check records_summary_has_histograms [ -s "$work/sum/histograms.csv" -a -s "$work/sum/timeseries.csv" ]
strip() { grep -v -e '"host_seconds"' -e '"host_max_rss_kib"' "$1"; }
check records_summary_same_metrics diff -q <(strip "$work/all/summary.json") <(strip "$work/sum/summary.json")

# --- compare with a relative -o, from a directory other than the repository
mkdir -p "$work/elsewhere"
(cd "$work/elsewhere" && "$ringsim" compare "$src/scenarios/quickstart.xml" \
	--vary platform.page-size=4KiB,64KiB -o rel/out --quiet >"$work/out" 2>"$work/err")
rc=$?
check relative_o_exit_0 [ "$rc" = 0 ]
check relative_o_report [ -s "$work/elsewhere/rel/out/report.html" ]
check relative_o_png [ -n "$(ls "$work/elsewhere/rel/out/plots/"*.png 2>/dev/null)" ]
check relative_o_no_tmp [ -z "$(ls -d "$work/elsewhere/rel/out".tmp-* 2>/dev/null)" ]

# --- gnuplot really missing: the message says so, the results are kept, exit 1
mkdir -p "$work/nopath"
(cd "$work/elsewhere" && PATH="$work/nopath" "$ringsim" compare "$src/scenarios/quickstart.xml" \
	--vary platform.page-size=4KiB,64KiB -o nognuplot --quiet >"$work/out" 2>"$work/err")
rc=$?
check no_gnuplot_exit_1 [ "$rc" = 1 ]
check no_gnuplot_says_so has_err "nognuplot/plots: gnuplot not found on PATH"
check no_gnuplot_keeps_results [ -s "$work/elsewhere/nognuplot/page-size=64KiB/summary.json" ]
check no_gnuplot_report_says_why grep -q "gnuplot not found on PATH" "$work/elsewhere/nognuplot/report.html"

finish "cli usage"
