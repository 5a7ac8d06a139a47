#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Remake corpus/: seeds for fuzz_results from real runs of the quickstart (4 KiB and 64 KiB
# pages: stalls, two points that differ) and two examples with findings. A seed is the
# target's input: summary.json, stalls.csv, histograms.csv, timeseries.csv, scenario.xml
# and the second point's summary.json, split by NUL bytes; the CSV files cut to their
# first lines, the JSON compact, so a seed stays small enough to mutate.
# Usage: tests/fuzz/results/seeds.sh build/ringsim
set -euo pipefail
ringsim=$(realpath "${1:?usage: seeds.sh RINGSIM}")
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() { # NAME SCENARIO [--set ...]
	local name=$1 file=$2
	shift 2
	# a run that finds a DUT bug exits 1 and still writes its results
	"$ringsim" run "$src/$file" -o "$tmp/$name" "$@" >/dev/null 2>&1 ||
		test -s "$tmp/$name/summary.json"
}
compact() {
	python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1])), separators=(",", ":")))' "$1"
}
seed() { # NAME A B
	local a=$tmp/$2 b=$tmp/$3
	{
		compact "$a/summary.json"
		printf '\0'
		head -n 8 "$a/stalls.csv"
		printf '\0'
		head -n 12 "$a/histograms.csv"
		printf '\0'
		head -n 6 "$a/timeseries.csv"
		printf '\0'
		cat "$a/scenario.xml"
		printf '\0'
		compact "$b/summary.json"
	} | sed "s|$src/||g; s|$tmp/||g" >"$here/corpus/$1" # no paths of this machine
}

run q4 scenarios/quickstart.xml
run q64 scenarios/quickstart.xml --set platform.page-size=64KiB
run stale scenarios/examples/blk-stale-bytes.xml
run sg scenarios/examples/9p-sg-overflow.xml
mkdir -p "$here/corpus"
seed quickstart q4 q64
seed quickstart-64k q64 q4
seed findings stale sg
printf '{"status":"ok","jobs":{}}' >"$here/corpus/minimal"
