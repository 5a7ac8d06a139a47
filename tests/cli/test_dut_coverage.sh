#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# --dut-coverage (issue 14) through the real CLI: which DUT lines, branches and functions a
# run reached, in DIR/dut-coverage/ (coverage.json, lcov.info, the raw gcov data), merged by
# compare, regress and run --replications. The results themselves do not change; lcov, a
# tool nobody here wrote, reads the tracefile to the same totals; the quickstart's 9p job
# only reads, so p9_client_write is never reached until the job writes.
# Usage: test_dut_coverage.sh RINGSIM SOURCE_DIR SEED_SO
set -u
ringsim=$1
src=$2
seed_so=$3
work=$(mktemp -d /tmp/rs_dut_coverage.XXXXXX)
trap 'rm -rf "$work"' EXIT
export RINGSIM_CACHE_DIR=$work/cache # never the user's own cache
. "$src/tests/lib/check.sh"
quickstart=$src/scenarios/quickstart.xml

# cov FILE EXPR: EXPR (Python) of a coverage.json as d, with o(LABEL) its object by label
cov() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
def o(label): return d["summary"][label]
def count(label, file, line):
	obj = [x for x in d["objects"] if x["kind"] + " " + x["spec"] == label][0]
	f = [f for f in obj["files"] if f["file"] == file][0]
	return [l[1] for l in f["lines"] if l[0] == line][0]
def fn(label, file, name):
	obj = [x for x in d["objects"] if x["kind"] + " " + x["spec"] == label][0]
	f = [f for f in obj["files"] if f["file"] == file][0]
	return [x for x in f["functions"] if x["name"] == name][0]
print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null
}
same_results() { # DIR1 DIR2: every results file equal, host-time fields of the summary aside
	local f
	for f in requests.csv stalls.csv timeseries.csv histograms.csv scenario.xml; do
		cmp -s "$1/$f" "$2/$f" || { echo "differs: $f" >&2; return 1; }
	done
	python3 -c 'import json, sys
a, b = (json.load(open(p + "/summary.json")) for p in sys.argv[1:3])
for s in (a, b):
	for k in [k for k in s if k.startswith("host")]:
		del s[k]
sys.exit(a != b)' "$1" "$2"
}

# --- one run: the files, the figures, the same results as without
run "$ringsim" run "$quickstart" -o "$work/plain" --quiet
check plain_ok [ "$rc" = 0 ]
run "$ringsim" run "$quickstart" -o "$work/q" --dut-coverage
check run_ok [ "$rc" = 0 ]
c=$work/q/dut-coverage/coverage.json
check run_files [ -s "$c" ] && check run_lcov [ -s "$work/q/dut-coverage/lcov.info" ]
check run_gcda_kept [ "$(find "$work/q/dut-coverage/gcda" -name '*.gcda' | wc -l)" -ge 2 ]
check run_says_9p has_out "dut coverage: virtio-9p seed: lines "
check run_says_blk has_out "dut coverage: xen-blk seed: lines "
check run_says_where has_out "dut coverage: $work/q/dut-coverage/lcov.info"
check run_same_results same_results "$work/plain" "$work/q"
check run_no_summary_key [ "$(python3 -c 'import json, sys; print("dut_coverage" in json.load(open(sys.argv[1])))' "$work/q/summary.json")" = False ]
# the seed's zero-copy request ran (every 64 KiB read), its write path did not
check zc_request_reached [ "$(cov "$c" "fn('virtio-9p seed', 'trans_virtio.c', 'p9_virtio_zc_request')['count'] > 0")" = True ]
check write_never [ "$(cov "$c" "'guest/client.c:p9_client_write' in o('virtio-9p seed')['never_reached']")" = True ]
check blk_queue_rw_req [ "$(cov "$c" "fn('xen-blk seed', 'xen-blkfront.c', 'blkif_queue_rw_req')['count']")" -gt 0 ]
# only the driver's files: no kshim header, not the boundary's glue, not the other kind's
check only_driver_files [ "$(cov "$c" "sorted(f['file'] for x in d['objects'] if x['kind'] == 'virtio-9p' for f in x['files'] if f['file'].endswith('.c'))")" = "['guest/client.c', 'guest/protocol.c', 'guest/virtio_ring.c', 'trans_common.c', 'trans_virtio.c']" ]
check figures_add_up [ "$(cov "$c" "all(0 < v['hit'] <= v['total'] for x in d['summary'].values() for v in (x['lines'], x['functions']))")" = True ]
# lcov reads the tracefile to the same totals (both objects together)
if command -v lcov >/dev/null; then
	lines=$(lcov --summary "$work/q/dut-coverage/lcov.info" 2>&1 | sed -n 's/.*lines\.*: [0-9.]*% (\([0-9]*\) of \([0-9]*\) lines).*/\1 \2/p')
	check lcov_lines [ "$lines" = "$(cov "$c" "' '.join(str(sum(x['lines'][k] for x in d['summary'].values())) for k in ('hit', 'total'))")" ]
else
	check lcov_installed false
fi

# --- the job writes: p9_client_write reached, the zero-copy read path no longer
run "$ringsim" run "$quickstart" --set job.9p-read.op=write -o "$work/w" --dut-coverage --quiet
check write_ok [ "$rc" = 0 ]
check write_reached [ "$(cov "$work/w/dut-coverage/coverage.json" "fn('virtio-9p seed', 'guest/client.c', 'p9_client_write')['count'] > 0")" = True ]
check read_not_reached [ "$(cov "$work/w/dut-coverage/coverage.json" "'guest/client.c:p9_client_read' in o('virtio-9p seed')['never_reached']")" = True ]

# --- a blk-only scenario: the 9p object is not reported
xb1=$src/scenarios/examples/xb1-seed-vs-upstream.xml
run "$ringsim" run "$xb1" --set dut.xen-blk=upstream -o "$work/xb1" --dut-coverage --quiet
check xb1_ok [ "$rc" = 0 ]
check xb1_objects [ "$(cov "$work/xb1/dut-coverage/coverage.json" "sorted(d['summary'])")" = "['xen-blk upstream']" ]

# --- compare: seed and upstream kept apart
run "$ringsim" compare "$xb1" --vary dut.xen-blk=seed,upstream -o "$work/cmp" --dut-coverage
check compare_exit_1 [ "$rc" = 1 ] # seed's BUG_ON
m=$work/cmp/dut-coverage/coverage.json
check compare_objects [ "$(cov "$m" "sorted(d['summary'])")" = "['xen-blk seed', 'xen-blk upstream']" ]
check compare_upstream_more [ "$(cov "$m" "o('xen-blk upstream')['lines']['hit'] > o('xen-blk seed')['lines']['hit']")" = True ]
check compare_says has_out "dut coverage: $work/cmp/dut-coverage/lcov.info"

# --- run --replications: two runs of one object, counts added
run "$ringsim" run "$quickstart" --replications 2 -o "$work/rep" --dut-coverage --quiet
check replications_ok [ "$rc" = 0 ]
r=$work/rep/dut-coverage/coverage.json
check replications_runs [ "$(cov "$r" "o('xen-blk seed')['runs']")" = 2 ]
zc_line=$(cov "$c" "fn('virtio-9p seed', 'trans_virtio.c', 'p9_virtio_zc_request')['line']")
one=$(cov "$work/rep/seed-1/dut-coverage/coverage.json" "count('virtio-9p seed', 'trans_virtio.c', $zc_line)")
two=$(cov "$work/rep/seed-2/dut-coverage/coverage.json" "count('virtio-9p seed', 'trans_virtio.c', $zc_line)")
check replications_sum [ "$(cov "$r" "count('virtio-9p seed', 'trans_virtio.c', $zc_line)")" = "$((one + two))" ]

# --- regress: one suite figure, the functions never reached, JUnit properties
run "$ringsim" regress "$src/tests/regress" --dut-coverage -o "$work/reg" --junit "$work/junit.xml"
check regress_ok [ "$rc" = 0 ]
check regress_last_line [ "$(tail -n 1 "$work/out")" = "5 passed, 0 failed" ]
check regress_says has_out "dut coverage: xen-blk seed: lines "
check regress_unreached grep -q '^  never reached ([0-9]*): ' "$work/out"
g=$work/reg/dut-coverage/coverage.json
check regress_runs [ "$(cov "$g" "o('xen-blk seed')['runs'] + o('virtio-9p seed')['runs']")" -ge 5 ]
hit=$(cov "$g" "o('xen-blk seed')['lines']['hit']")
total=$(cov "$g" "o('xen-blk seed')['lines']['total']")
check junit_property grep -q "<property name=\"dut_coverage.xen-blk.seed.lines\" value=\"$hit/$total\"/>" "$work/junit.xml"
check regress_unchanged_goldens [ -z "$(git -C "$src" status --porcelain tests/regress)" ]

# --- bad input
run "$ringsim" run "$quickstart" --set "dut.xen-blk=$seed_so" --dut-coverage -o "$work/bad"
check so_exit_2 [ "$rc" = 2 ]
check so_says has_err "--dut-coverage needs a DUT ringsim compiles"
check so_nothing_written [ ! -e "$work/bad" ]
mkdir -p "$work/some"
run "$ringsim" compare "$work/q" "$work/w" --dut-coverage -o "$work/bad"
check dirs_exit_2 [ "$rc" = 2 ]
check dirs_says has_err "--dut-coverage needs a scenario to run"

finish cli_dut_coverage
