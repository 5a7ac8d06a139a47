#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The SystemC and the RTL device engines must agree cycle for cycle: every 9p example (and
# the deep-queue and indirect ones at 64 KiB pages, and both notification modes and several
# pool sizes: event-idx on and off, workers 1, 2, 4 and the default 64) with each engine must
# give the same requests.csv (every submit and completion cycle) and the same summary (host
# fields aside).
# On a mismatch, name the first request and cycle that differ.
# Usage: engines.sh RINGSIM SOURCE_DIR
set -u
ringsim=$1
src=$2
work=$(mktemp -d /tmp/rs_engines.XXXXXX)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0

strip() { grep -v -e '"host_' -e '"file"' "$1"; }

# first_difference A B: the first row of requests.csv that differs, as a sentence
first_difference() {
	paste -d '\n' "$1" "$2" | awk -F, 'NR % 2 == 1 { a = $0; split($0, x, ","); next }
		$0 != a { split($0, y, ",");
			printf "first difference: request %s (%s): systemc submit %s complete %s, rtl submit %s complete %s\n",
				x[1], x[2], x[9], x[10], y[9], y[10]; exit }'
}

compare() { # NAME FILE [--set ...]
	local name=$1 file=$2
	shift 2
	for e in systemc rtl; do
		"$ringsim" run "$file" "$@" --set virtio-9p.engine=$e -o "$work/$name-$e" --quiet \
			>/dev/null 2>&1
	done
	if ! cmp -s "$work/$name-systemc/requests.csv" "$work/$name-rtl/requests.csv"; then
		echo "FAILED: $name: $(first_difference "$work/$name-systemc/requests.csv" \
			"$work/$name-rtl/requests.csv")"
		fail=$((fail + 1))
	elif ! diff -q <(strip "$work/$name-systemc/summary.json") \
		<(strip "$work/$name-rtl/summary.json") >/dev/null; then
		echo "FAILED: $name: summaries differ:"
		diff <(strip "$work/$name-systemc/summary.json") \
			<(strip "$work/$name-rtl/summary.json") | head -n 10
		fail=$((fail + 1))
	else
		echo "same: $name ($(($(wc -l <"$work/$name-rtl/requests.csv") - 1)) requests)"
		pass=$((pass + 1))
	fi
}

for f in "$src"/scenarios/examples/9p-*.xml; do
	compare "$(basename "$f" .xml)" "$f"
done
compare 9p-deep-queue-64k "$src/scenarios/examples/9p-deep-queue.xml" --set platform.page-size=64KiB
compare 9p-indirect-64k "$src/scenarios/examples/9p-indirect.xml" --set platform.page-size=64KiB
compare quickstart-16k "$src/scenarios/quickstart.xml" --set platform.page-size=16KiB
compare 9p-deep-queue-no-event-idx "$src/scenarios/examples/9p-deep-queue.xml" \
	--set virtio-9p.event-idx=false
compare 9p-deep-queue-1-worker "$src/scenarios/examples/9p-deep-queue.xml" \
	--set virtio-9p.workers=1
compare 9p-deep-queue-1-worker-no-event-idx "$src/scenarios/examples/9p-deep-queue.xml" \
	--set virtio-9p.workers=1 --set virtio-9p.event-idx=false
compare 9p-pin-limit-4-workers "$src/scenarios/examples/9p-pin-limit.xml" \
	--set virtio-9p.workers=4 --set virtio-9p.event-idx=false
compare quickstart-2-workers "$src/scenarios/quickstart.xml" --set virtio-9p.workers=2
compare 9p-deep-queue-spread "$src/scenarios/examples/9p-deep-queue.xml" \
	--set virtio-9p.server-time-spread=0.5
compare 9p-indirect-no-event-idx "$src/scenarios/examples/9p-indirect.xml" \
	--set virtio-9p.event-idx=false

echo "engines: $pass passed, $fail failed"
[ "$fail" = 0 ]
