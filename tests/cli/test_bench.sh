#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# scripts/bench.sh and ringsim-native run and print what they promise, on tiny counts.
# Never a timed assertion: the numbers are the machine's.
# Usage: test_bench.sh BUILD_DIR SOURCE_DIR
set -u
bin=$1
src=$2
work=$(mktemp -d /tmp/rs_test_bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$src/tests/lib/check.sh"
bench=$src/scripts/bench.sh
native=$bin/ringsim-native

run "$native" --help
check "native --help" [ "$rc" -eq 0 ]
check "native --help says what it leaves out" grep -q "no SystemC" "$work/out"
run "$native" --bogus
check "native bad option: exit 2" [ "$rc" -eq 2 ]
run "$native" --set job.9p-read.count=16 --set job.blk-read.count=16
check "native quickstart" [ "$rc" -eq 0 ]
check "native quickstart: every request" has_out "native quickstart generated=32 completed=32 failed=0"
run "$native" "$src/scenarios/examples/9p-signals.xml"
check "native refuses signals: exit 2" [ "$rc" -eq 2 ]
check "native says why" has_err "signals are not replayed"

run "$bench" --bin "$bin" --set job.9p-read.count=16 --set job.blk-read.count=16
check "bench quickstart" [ "$rc" -eq 0 ]
check "bench columns" has_out "sim_req_s native_req_s native/sim"
check "bench quickstart line with a ratio" \
	grep -Eq '^quickstart +32 +[0-9.]+ +[0-9]+ +[0-9]+ +[0-9.]+x ' "$work/out"
run "$bench" --bin "$bin" --native --set job.r.count=8 "$src/scenarios/examples/9p-read-4k.xml"
check "bench --native" [ "$rc" -eq 0 ]
check "bench --native line" grep -Eq '^9p-read-4k +8 +[0-9.]+ +[0-9]+$' "$work/out"
run "$bench" --bin "$bin" --set job.r.count=8 "$src/scenarios/examples/9p-signals.xml"
check "bench: a scenario the replay refuses" has_out "native: 9p-signals: job r: signals are not replayed"

# --scaling on 10^2 and 10^3 requests only (--scaling-min, for tests): table, data, plot.
run "$bench" --bin "$bin" --scaling --scaling-min 2 --scaling-max 3 -o "$work/scaling" \
	"$src/scenarios/examples/9p-read-4k.xml"
check "bench --scaling" [ "$rc" -eq 0 ]
check "bench --scaling columns" \
	grep -Eq '^requests +host_s +host_us_per_req +marginal_us_per_req +peak_MiB$' "$work/out"
check "bench --scaling 10^2 line" grep -Eq '^100 +[0-9.]+ +[0-9.]+ +- +[0-9.]+$' "$work/out"
check "bench --scaling 10^3 line" grep -Eq '^1000 +[0-9.]+ +[0-9.]+ +[0-9.-]+ +[0-9.]+$' "$work/out"
check "bench --scaling data file: two runs" \
	[ "$(grep -vc '^#' "$work/scaling/9p-read-4k.dat")" -eq 2 ]
check "bench --scaling names the plot" has_out "plot: $work/scaling/9p-read-4k.png"
check "bench --scaling plot is a PNG" \
	[ "$(head -c 4 "$work/scaling/9p-read-4k.png" | od -An -c | tr -d ' ')" = '211PNG' ]
run "$bench" --bin "$bin" --scaling --set job.nope.count=1 --scaling-min 2 --scaling-max 2 \
	"$src/scenarios/examples/9p-read-4k.xml"
check "bench --scaling, a run that cannot start: exit 1" [ "$rc" -eq 1 ]
check "bench --scaling says why" has_out "not run: "
run "$bench" --scaling-max 4
check "bench --scaling-max without --scaling: exit 2" [ "$rc" -eq 2 ]
run "$bench" --scaling --scaling-max 0
check "bench --scaling-max 0: exit 2" [ "$rc" -eq 2 ]
run "$bench" --scaling --scaling-min 5 --scaling-max 4
check "bench --scaling-min above --scaling-max: exit 2" [ "$rc" -eq 2 ]
run "$bench" --scaling "$src/scenarios/quickstart.xml" "$src/scenarios/quickstart.xml"
check "bench --scaling, two scenarios: exit 2" [ "$rc" -eq 2 ]

run "$bench" --bogus
check "bench bad option: exit 2" [ "$rc" -eq 2 ]
check "bench bad option: usage" has_err "usage: scripts/bench.sh"
run "$bench" --rounds 3
check "bench --rounds without --against: exit 2" [ "$rc" -eq 2 ]
run "$bench" --bin "$bin" --against no-such-revision-xyz
check "bench --against a bad revision: exit 2" [ "$rc" -eq 2 ]
check "bench --against names it" has_err "no-such-revision-xyz: not a revision"
finish bench
