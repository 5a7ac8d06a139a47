#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Host speed: simulated requests per host second and peak host memory (both as ringsim
# itself reports them in summary.json), for each scenario given; default: the quickstart
# and the examples. Not a test: the numbers depend on the machine.
# Usage: scripts/bench.sh [--set K=V]... [FILE.xml]...
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
sets=()
files=()
while [ $# -gt 0 ]; do
	case $1 in
	--set) sets+=(--set "$2"); shift 2 ;;
	*) files+=("$1"); shift ;;
	esac
done
# Overrides name jobs of one scenario: with --set alone, only the quickstart runs.
if [ ${#files[@]} -eq 0 ]; then
	files=(quickstart)
	[ ${#sets[@]} -gt 0 ] || files+=(scenarios/examples/*.xml)
fi
out=$(mktemp -d /tmp/rs_bench.XXXXXX)
trap 'rm -rf "$out"' EXIT
field() { sed -n "s/.*\"$1\": \([0-9.e+-]*\).*/\1/p" "$out/r/summary.json" | head -n 1; }
printf '%-24s %10s %14s %9s %12s %9s\n' scenario requests sim_cycles host_s req_per_s peak_MiB
for f in "${files[@]}"; do
	[ "$f" = quickstart ] && f=
	# exit 1 (an expectation failed, a DUT BUG) still leaves a result to measure
	build/ringsim run ${f:+"$f"} "${sets[@]}" -o "$out/r" --quiet || [ $? -eq 1 ]
	awk -v n="$(basename "${f:-quickstart}" .xml)" -v r="$(field generated)" \
	    -v c="$(field simulated_cycles)" -v h="$(field host_seconds)" \
	    -v m="$(field host_max_rss_kib)" \
	    'BEGIN { printf "%-24s %10.0f %14.0f %9.3f %12.0f %9.1f\n", n, r, c, h, r / h, m / 1024 }'
done
