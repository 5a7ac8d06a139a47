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

run "$bench" --bogus
check "bench bad option: exit 2" [ "$rc" -eq 2 ]
check "bench bad option: usage" has_err "usage: scripts/bench.sh"
run "$bench" --rounds 3
check "bench --rounds without --against: exit 2" [ "$rc" -eq 2 ]
run "$bench" --bin "$bin" --against no-such-revision-xyz
check "bench --against a bad revision: exit 2" [ "$rc" -eq 2 ]
check "bench --against names it" has_err "no-such-revision-xyz: not a revision"
finish bench
