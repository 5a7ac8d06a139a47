#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs that are stopped or bounded (issue 16) through the real CLI: SIGTERM and SIGINT end
# a run within a second of host time, even between think times of 100 s simulated or in the
# middle of busy simulation, with exit 143 and 130 and nothing written; --max-cycles N (and
# platform/@max-cycles) ends it with status time_limit at most N cycles in, its results
# written, exit 1; --max-host-seconds 1 ends a long run after about a second the same way;
# bad values are usage errors (exit 2). Host-time bounds are loose: the machine is shared.
# Usage: test_run_stop.sh RINGSIM SOURCE_DIR
set -u
ringsim=$1
src=$2
work=$(mktemp -d /tmp/rs_run_stop.XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$src/tests/lib/check.sh"
sc=$src/scenarios/examples/9p-read-4k.xml

# stop NAME SIGNAL CODE ARGS...: start a run, send SIGNAL once it simulates, expect CODE
# within 3 s (a second, three times over) and nothing written.
stop() {
	local name=$1 sig=$2 code=$3 pid t0 took src_rc
	shift 3
	"$ringsim" run "$sc" -o "$work/$name" --quiet "$@" >"$work/out" 2>"$work/err" &
	pid=$!
	sleep 1.5
	t0=$(now)
	kill -s "$sig" "$pid"
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	took=$(elapsed "$t0")
	kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
	wait "$pid"
	src_rc=$?
	echo "$name: $sig -> exit $src_rc after ${took}s"
	check "${name}_exit_$code" [ "$src_rc" = "$code" ]
	check "${name}_within_3s" lt "$took" 3
	check "${name}_says_interrupted" has_err "interrupted; no results written"
	check "${name}_nothing_written" nothing "$work/$name"
}

# Idle stretches cost no host time (the run monitor skips to the next activity), so a long
# think time alone ends at once: many requests keep the run going, each after 100 s.
think=(--set job.r.think-time=100000000000cycles --set job.r.count=100000000 --records summary)
busy=(--set job.r.count=10000000 --records summary)
stop term_think TERM 143 "${think[@]}"
stop int_think INT 130 "${think[@]}"
stop term_busy TERM 143 "${busy[@]}"
stop int_busy INT 130 "${busy[@]}"
# A large sample period: the run still looks at the flag between samples.
stop term_sample_period TERM 143 "${think[@]}" --set record.sample-period=10s

# --max-cycles: stopped at most N cycles in, results written.
n=2000000
run "$ringsim" run "$sc" -o "$work/mc" --quiet --set job.r.count=1000000 --max-cycles $n
check max_cycles_exit_1 [ "$rc" = 1 ]
check max_cycles_status [ "$(json "$work/mc/summary.json" status)" = time_limit ]
cycles=$(json "$work/mc/summary.json" simulated_cycles)
check max_cycles_at_most_n [ "${cycles:-0}" -le $n ]
check max_cycles_not_before [ "${cycles:-0}" -gt $((n / 2)) ]
check max_cycles_requests_csv [ -s "$work/mc/requests.csv" ]
check max_cycles_scenario_xml [ -s "$work/mc/scenario.xml" ]
check max_cycles_some_completed [ "$(json "$work/mc/summary.json" requests.completed)" -gt 0 ]

# platform/@max-cycles, and --max-cycles over it.
sed 's|<platform |<platform max-cycles="1000000" |' "$sc" >"$work/limited.xml"
run "$ringsim" run "$work/limited.xml" -o "$work/attr" --quiet --set job.r.count=1000000
check attr_exit_1 [ "$rc" = 1 ]
check attr_status [ "$(json "$work/attr/summary.json" status)" = time_limit ]
check attr_at_most [ "$(json "$work/attr/summary.json" simulated_cycles)" -le 1000000 ]
run "$ringsim" run "$work/limited.xml" -o "$work/attr2" --quiet --set job.r.count=1000000 \
	--max-cycles 500000
check attr_overridden [ "$(json "$work/attr2/summary.json" simulated_cycles)" -le 500000 ]
sed 's|<platform |<platform max-cycles="lots" |' "$sc" >"$work/bad_attr.xml"
run "$ringsim" run "$work/bad_attr.xml" -o "$work/bad_attr" --quiet
check attr_bad_exit_2 [ "$rc" = 2 ]
check attr_bad_file_line has_err "bad_attr.xml:6: <platform> max-cycles=\"lots\""
check attr_bad_nothing nothing "$work/bad_attr"

# --max-host-seconds 1 on a run of minutes: about a second.
t0=$(now)
run "$ringsim" run "$sc" -o "$work/mh" --quiet --set job.r.count=100000000 --records summary \
	--max-host-seconds 1
took=$(elapsed "$t0")
echo "max-host-seconds 1: exit $rc after ${took}s"
check max_host_exit_1 [ "$rc" = 1 ]
check max_host_status [ "$(json "$work/mh/summary.json" status)" = time_limit ]
check max_host_about_1s lt "$took" 4
check max_host_not_before lt 0.9 "$took"
check max_host_summary [ -s "$work/mh/summary.json" ]

# Bad values: usage errors, nothing written.
for bad in "--max-cycles 0" "--max-cycles -5" "--max-cycles lots" "--max-cycles 1e6" \
	"--max-host-seconds 0" "--max-host-seconds -1" "--max-host-seconds soon" \
	"--max-host-seconds nan" "--max-cycles" "--max-host-seconds"; do
	# shellcheck disable=SC2086
	run "$ringsim" run "$sc" -o "$work/bad" --quiet $bad
	check "bad_${bad// /_}_exit_2" [ "$rc" = 2 ]
	check "bad_${bad// /_}_says" has_err "${bad%% *}"
	check "bad_${bad// /_}_nothing" nothing "$work/bad"
done
run "$ringsim" run "$sc" --replications 2 --max-cycles 10 -o "$work/bad"
check replications_refused [ "$rc" = 2 ]

finish test_run_stop
