#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs that stay inside what the simulator can hold (issue 16), through the real CLI:
# - every duration is checked against SystemC's time range, the largest allowed value in
#   the message; a think time of that largest value runs, and the run ends with status
#   time_limit at the end of simulated time, its results written, in a few rows;
# - an idle simulated stretch costs no timeseries rows after idle-span: the rows left out
#   each equal the row written before them (the same run with an idle-span longer than it
#   writes them all), and a 300-second think time (3e11 cycles) writes a few dozen rows;
# - more jobs than 1024, or guest threads than 16384, are refused with FILE:LINE at the
#   job past the cap, exit 2, reading a file of 200,000 jobs only up to there;
# - a workload the host cannot hold is refused at load time with an estimate, exit 2,
#   nothing written; and a run's peak RSS stays near its guest buffers (no host copy of a
#   whole request while filling or checking it).
# Usage: test_run_bounds.sh RINGSIM SOURCE_DIR [SANITIZED]
set -u
ringsim=$1
src=$2
sanitized=${3:-0} # 1 when RINGSIM was built with AddressSanitizer
work=$(mktemp -d /tmp/rs_run_bounds.XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$src/tests/lib/check.sh"
max=9223372036854775 # RS_MAX_RUN_CYCLES: UINT64_MAX / 1000 / 2

rows() { echo $(($(wc -l <"$1") - 1)); }

# scenario NAME JOB-ATTRS [RECORD-ATTRS]: a one-job 9p scenario in $work/NAME.xml
scenario() {
	cat >"$work/$1.xml" <<EOT
<scenario name="$1" seed="1">
  <platform page-size="4KiB" memory="64MiB"/>
  <record ${3:-}/>
  <workload>
    <job name="r" device="9p" op="read" block-size="4KiB" $2/>
  </workload>
</scenario>
EOT
}

# blk_scenario NAME MEMORY JOB-ATTRS: a one-job direct blk scenario in $work/NAME.xml
blk_scenario() {
	cat >"$work/$1.xml" <<EOT
<scenario name="$1" seed="1">
  <platform page-size="4KiB" memory="$2"/>
  <xen-blk max-indirect-segments="256"/>
  <workload>
    <job name="w" device="blk" io="direct" $3/>
  </workload>
</scenario>
EOT
}

# 1. Durations against the time range.
scenario over 'count="3" depth="1" think-time="'$((max + 1))'cycles"'
run "$ringsim" validate "$work/over.xml"
check over_exit_2 [ "$rc" = 2 ]
check over_says_max has_err "at most $max cycles"
check over_file_line has_err "over.xml:5: <job> think-time="
run "$ringsim" run "$work/over.xml" --set job.r.think-time=1cycles --set job.r.signal-every=$((max + 7))cycles -o "$work/x"
check signal_every_over has_err "signal-every=\"$((max + 7))cycles\": longer than simulated time can hold"
check signal_every_nothing nothing "$work/x"
run "$ringsim" run "$work/over.xml" --max-cycles $((max + 1)) -o "$work/x"
check max_cycles_opt_over [ "$rc" = 2 ]
check max_cycles_opt_says has_err "from 1 to $max"
run "$ringsim" run "$work/over.xml" --set platform.max-cycles=$((max + 1)) -o "$work/x"
check max_cycles_attr_over has_err "allowed: 1 to $max"

scenario longest 'count="3" depth="1" think-time="'$max'cycles"'
run timeout 60 "$ringsim" run "$work/longest.xml" -o "$work/longest"
check longest_exit_1 [ "$rc" = 1 ]
check longest_time_limit [ "$(json "$work/longest/summary.json" status)" = time_limit ]
check longest_at_the_end [ "$(json "$work/longest/summary.json" simulated_cycles)" = "$max" ]
check longest_says_why has_out "limit: the most cycles a run can simulate ($max"
check longest_few_rows [ "$(rows "$work/longest/timeseries.csv")" -lt 40 ]

# 2. The idle rule. 3e11 cycles of think time, three times: a few dozen rows, not 3e7.
scenario idle 'count="3" depth="1" think-time="300s"'
run timeout 60 "$ringsim" run "$work/idle.xml" -o "$work/idle" --quiet
check idle_exit_0 [ "$rc" = 0 ]
check idle_ok [ "$(json "$work/idle/summary.json" status)" = ok ]
check idle_few_rows [ "$(rows "$work/idle/timeseries.csv")" -lt 100 ]
check idle_last_row_late [ "$(tail -n 1 "$work/idle/timeseries.csv" | cut -d, -f1)" -gt 900000000000 ]
# Lossless: with idle-span longer than the run every row is written; the default run's
# rows are those rows with some left out, each equal (but for its cycle) to the one
# written before it.
lossless() {
	python3 - "$1" "$2" <<'PY'
import sys
full = open(sys.argv[1]).read().splitlines()
kept = open(sys.argv[2]).read().splitlines()
assert full[0] == kept[0], "headers differ"
j, last, left_out = 1, None, 0
for row in full[1:]:
    if j < len(kept) and kept[j] == row:
        last, j = row, j + 1
        continue
    assert last is not None and row.split(",", 1)[1] == last.split(",", 1)[1], row
    left_out += 1
assert j == len(kept), "rows of its own"
assert left_out > 0, "nothing left out"
PY
}
scenario gaps 'count="40" depth="2" think-time="2ms" think="exponential"'
run "$ringsim" run "$work/gaps.xml" -o "$work/gaps" --quiet
run "$ringsim" run "$work/gaps.xml" --set record.idle-span=1s -o "$work/gaps-all" --quiet
check idle_span_all_rows [ "$(rows "$work/gaps-all/timeseries.csv")" -gt "$(rows "$work/gaps/timeseries.csv")" ]
check idle_rule_lossless lossless "$work/gaps-all/timeseries.csv" "$work/gaps/timeseries.csv"
check idle_same_summary cmp -s <(grep -v '"host_' "$work/gaps/summary.json") \
	<(grep -v '"host_' "$work/gaps-all/summary.json")
check idle_same_requests cmp -s "$work/gaps/requests.csv" "$work/gaps-all/requests.csv"
run "$ringsim" run "$work/gaps.xml" --set record.idle-span=0cycles -o "$work/gaps-0" --quiet
check idle_span_0_lossless lossless "$work/gaps-all/timeseries.csv" "$work/gaps-0/timeseries.csv"

# 3. Caps on jobs and guest threads.
python3 - "$work" <<'PY'
import sys
w = sys.argv[1]
with open(w + "/jobs.xml", "w") as f:
    f.write('<scenario name="jobs" seed="1">\n<workload>\n')
    for i in range(200000):
        f.write('<job name="j%d" device="9p" op="read" block-size="4KiB" count="1"/>\n' % i)
    f.write('</workload>\n</scenario>\n')
with open(w + "/jobs1024.xml", "w") as f:
    f.write('<scenario name="jobs" seed="1">\n<workload>\n')
    for i in range(1024):
        f.write('<job name="j%d" device="9p" op="read" block-size="4KiB" count="1"/>\n' % i)
    f.write('</workload>\n</scenario>\n')
PY
run "$ringsim" validate "$work/jobs.xml"
check jobs_exit_2 [ "$rc" = 2 ]
check jobs_file_line has_err "jobs.xml:1027: <job>: more than 1024 jobs; a scenario has at most 1024"
check jobs_one_message [ "$(wc -l <"$work/err")" = 1 ]
run "$ringsim" run "$work/jobs.xml" -o "$work/x"
check jobs_run_exit_2 [ "$rc" = 2 ]
check jobs_run_nothing nothing "$work/x"
run "$ringsim" validate "$work/jobs1024.xml"
check jobs_1024_ok [ "$rc" = 0 ]
run "$ringsim" validate "$src/tests/scenarios/bad/guest_threads_too_many_bad.xml"
check threads_exit_2 [ "$rc" = 2 ]
check threads_says has_err "at most 16384 guest threads"

# 4. Seeds are unsigned 64-bit: 2^64 - 1 runs, and summary.json, whose readers hold
# integers as int64_t, gives a seed above 2^63 - 1 as its decimal digits.
for seed in 18446744073709551615 9223372036854775808; do
	scenario seed 'count="3" depth="1"'
	sed -i "s/seed=\"1\"/seed=\"$seed\"/" "$work/seed.xml"
	run "$ringsim" run "$work/seed.xml" -o "$work/seed-$seed" --quiet --records summary
	check "seed_${seed}_runs" [ "$rc" = 0 ]
	check "seed_${seed}_exact" grep -q "\"seed\": \"$seed\"" "$work/seed-$seed/summary.json"
done
# A 10 KB entity referenced 20,000 times in an attribute (about 200 MB expanded, quadratic
# in libxml2's attribute reads): refused at its declaration, as soon as it is read.
{
	printf '<?xml version="1.0"?>\n<!DOCTYPE scenario [\n<!ENTITY e "%s">\n]>\n' \
		"$(head -c 10240 /dev/zero | tr '\0' x)"
	printf '<scenario name="x" seed="1" note="'
	for _ in $(seq 20000); do printf '&e;'; done
	printf '"/>\n'
} >"$work/blowup.xml"
run timeout 10 "$ringsim" validate "$work/blowup.xml"
check blowup_exit_2 [ "$rc" = 2 ]
check blowup_said has_err "blowup.xml:3: <!ENTITY e>: entity declarations are not allowed"

# 5. Host memory. 30 outstanding 1 GiB direct writes in 64 GiB: refused at load time when
# the host has less than the estimate (about 30.7 GiB), with nothing written.
blk_scenario huge 64GiB 'op="write" block-size="1GiB" count="60" depth="30"'
avail=$(awk '/^MemAvailable:/ { printf "%d", $2 * 1024 }' /proc/meminfo)
if [ "$avail" -lt $((30 << 30)) ]; then
	run timeout 20 "$ringsim" run "$work/huge.xml" -o "$work/huge"
	check huge_exit_2 [ "$rc" = 2 ]
	check huge_estimate has_err "huge.xml: needs about 30.7 GiB of host memory (30.0 GiB of guest buffers"
	check huge_available has_err "available; lower depth or block sizes"
	check huge_nothing nothing "$work/huge"
	run "$ringsim" validate "$work/huge.xml"
	check huge_validates [ "$rc" = 0 ]
else
	echo "test_run_bounds: this host has $avail bytes available; the refusal is not checked"
fi
# Four 64 MiB direct writes, then reads: peak RSS within 25 % of the buffers (4 x 64 MiB),
# the 8 GiB guest's frame metadata (2 Mi frames x 43 B) and a 32 MiB base: 374 MiB. A host
# copy of each request (as before) would add 128 MiB or more. Under AddressSanitizer, its
# shadow adds an eighth of every byte touched (421 MiB), and its quarantine, which keeps
# freed blocks mapped, is turned off so that a freed buffer leaves RSS as it does unsanitized.
expected=374
asan=${ASAN_OPTIONS:-}
if [ "$sanitized" = 1 ]; then
	expected=$((374 * 9 / 8))
	asan=${asan:+$asan:}quarantine_size_mb=0
fi
for op in write read; do
	blk_scenario big-$op 8GiB 'op="'$op'" block-size="64MiB" count="8" depth="4"'
	ASAN_OPTIONS=$asan run "$ringsim" run "$work/big-$op.xml" -o "$work/big-$op" --quiet \
		--records summary
	rss=$(json "$work/big-$op/summary.json" host_max_rss_kib)
	check big_${op}_ok [ "$rc" = 0 ]
	# Every byte still checked, a chunk at a time: 8 x 64 MiB.
	check big_${op}_all_checked [ "$(json "$work/big-$op/summary.json" integrity.checked_bytes)" = 536870912 ]
	check big_${op}_no_mismatch [ "$(json "$work/big-$op/summary.json" integrity.mismatches)" = 0 ]
	check big_${op}_rss_holds_buffers [ "${rss:-0}" -gt $((256 << 10)) ]
	check big_${op}_rss_near_buffers [ "${rss:-0}" -lt $((expected * 5 / 4 << 10)) ]
	echo "test_run_bounds: $op: peak RSS ${rss:-?} KiB"
done

finish test_run_bounds
