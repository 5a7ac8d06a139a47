#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Parents that stop their children (issue 16) through the real CLI, with real processes:
# SIGTERM and SIGINT to `compare -j 2` (and Ctrl-C to its process group) stop both its
# `ringsim run` children within 3 s, exit 143 and 130, and leave no DIR.tmp-PID, no DIR,
# and an earlier DIR as it was; a SIGKILLed compare's children die too (PR_SET_PDEATHSIG);
# `run --replications` stops the same way; `regress --junit` interrupted after its first
# scenario exits 143/130 with the JUnit file (valid against both schemas: the first case
# passed, the others <skipped>) and its count line; its --timeout ends a run through the
# run's own --max-host-seconds (status time_limit, results kept), reported as timed out.
# Usage: test_children_stop.sh RINGSIM SOURCE_DIR
set -u
ringsim=$1
src=$2
xsd=$src/tests/regress/junit
work=$(mktemp -d /tmp/rs_children_stop.XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$src/tests/lib/check.sh"
sc=$src/scenarios/examples/9p-read-4k.xml
# Points and replications that simulate for minutes: only a signal ends them.
long=(--vary job.r.count=10000000 --vary platform.page-size=4KiB,64KiB)

# alive PID...: whether one of them still runs (a zombie waiting for its reaper is dead)
alive() {
	local p st
	for p in "$@"; do
		st=$(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null) || continue
		[ -n "$st" ] && [ "$st" != Z ] && return 0
	done
	return 1
}
# children PARENT N [FILE]: wait (at most 20 s) until PARENT has N children that exec'd
# ringsim run (on FILE, when given), then half a second more; print their pids
children() {
	local kids="" k n cmd
	for _ in $(seq 200); do
		kids=""
		n=0
		for k in $(pgrep -P "$1"); do
			cmd=$(tr '\0' '\n' 2>/dev/null <"/proc/$k/cmdline")
			if grep -qx run <<<"$cmd" && grep -q -- "${3:-}" <<<"$cmd"; then
				kids="$kids $k"
				n=$((n + 1))
			fi
		done
		[ "$n" -ge "$2" ] && break
		sleep 0.1
	done
	sleep 0.5
	echo $kids
}
# gone_within SECONDS PID...: wait for all of them to end; the time it took, or fail
gone_within() {
	local limit=$1 t0
	shift
	t0=$(now)
	while alive "$@"; do
		lt "$(elapsed "$t0")" "$limit" || return 1
		sleep 0.02
	done
	elapsed "$t0"
}
# reap PID: its exit status; SIGKILLed first if it is still there 5 s on
reap() {
	for _ in $(seq 100); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.05
	done
	kill -0 "$1" 2>/dev/null && kill -KILL "$1"
	wait "$1"
}
# no_tmp DIR: nothing named *.tmp-* anywhere under DIR
no_tmp() { [ -d "$1" ] && [ -z "$(find "$1" -mindepth 1 -name '*.tmp-*')" ]; }
# x FILE XPATH: the XPath's string value
x() { xmllint --xpath "$2" "$1" 2>/dev/null; }
valid() { xmllint --noout --schema "$1" "$2" >/dev/null 2>>"$work/xmllint.txt"; }

if ! command -v xmllint >/dev/null; then
	echo "children_stop: xmllint not found (Debian: libxml2-utils)" >&2
	exit 1
fi

# --- an earlier comparison, which an interrupted one must leave as it was
run "$ringsim" compare "$sc" --vary job.r.depth=2,4 -j 2 -o "$work/prev" --quiet
check prev_made [ "$rc" = 0 -a -s "$work/prev/compare.json" ]
(cd "$work/prev" && find . -type f | sort | xargs md5sum) >"$work/prev.md5"

# stop_compare NAME SIGNAL CODE DIR [setsid]: start compare -j 2, send SIGNAL once both
# children run (to the parent, or with setsid to its whole process group, as Ctrl-C does)
stop_compare() {
	local name=$1 sig=$2 code=$3 dir=$4 group=${5:-} pid kids took st
	if [ -n "$group" ]; then
		setsid "$ringsim" compare "$sc" "${long[@]}" -j 2 -o "$dir" --quiet \
			>"$work/out" 2>"$work/err" &
	else
		"$ringsim" compare "$sc" "${long[@]}" -j 2 -o "$dir" --quiet \
			>"$work/out" 2>"$work/err" &
	fi
	pid=$!
	kids=$(children "$pid" 2)
	check "${name}_two_children" [ "$(wc -w <<<"$kids")" = 2 ]
	if [ -n "$group" ]; then
		kill -s "$sig" -- "-$pid"
	else
		kill -s "$sig" "$pid"
	fi
	took=$(gone_within 3 $kids)
	check "${name}_children_gone_within_3s" [ -n "$took" ]
	reap "$pid"
	st=$?
	# shellcheck disable=SC2086
	alive $kids && kill -KILL $kids
	echo "$name: $sig -> exit $st, children gone after ${took:-more than 3}s"
	check "${name}_exit_$code" [ "$st" = "$code" ]
	check "${name}_says_interrupted" has_err "interrupted; nothing written"
	check "${name}_no_tmp" [ -z "$(ls -d "$dir".tmp-* 2>/dev/null)" ]
}

stop_compare compare_term TERM 143 "$work/cmp_term"
check compare_term_no_dir nothing "$work/cmp_term"
stop_compare compare_int INT 130 "$work/prev"
check compare_int_prev_untouched bash -c "cd '$work/prev' && md5sum --quiet -c '$work/prev.md5'"
check compare_int_prev_no_extra [ "$(find "$work/prev" -type f | wc -l)" = \
	"$(wc -l <"$work/prev.md5")" ]
stop_compare compare_group_int INT 130 "$work/cmp_group" setsid
check compare_group_no_dir nothing "$work/cmp_group"

# --- a SIGKILLed compare: its children get SIGTERM from the kernel (PR_SET_PDEATHSIG)
"$ringsim" compare "$sc" "${long[@]}" -j 2 -o "$work/cmp_kill" --quiet >"$work/out" 2>"$work/err" &
pid=$!
kids=$(children "$pid" 2)
check compare_kill_two_children [ "$(wc -w <<<"$kids")" = 2 ]
kill -KILL "$pid"
wait "$pid" 2>/dev/null
took=$(gone_within 3 $kids)
echo "compare SIGKILLed: children gone after ${took:-more than 3}s"
check compare_kill_children_gone_within_3s [ -n "$took" ]
# shellcheck disable=SC2086
alive $kids && kill -KILL $kids
check compare_kill_no_dir [ ! -e "$work/cmp_kill" ]
# The parent could not clean up; each point removed its own DIR/POINT.tmp-PID.
check compare_kill_points_removed_own no_tmp "$(ls -d "$work"/cmp_kill.tmp-* | head -1)"
rm -rf "$work"/cmp_kill.tmp-*

# --- run --replications: its children stop, nothing kept
"$ringsim" run "$sc" --set job.r.count=10000000 --replications 3 -o "$work/rep" --quiet \
	>"$work/out" 2>"$work/err" &
pid=$!
kids=$(children "$pid" 2)
check replications_children [ "$(wc -w <<<"$kids")" -ge 2 ]
kill -TERM "$pid"
took=$(gone_within 3 $kids)
reap "$pid"
st=$?
# shellcheck disable=SC2086
alive $kids && kill -KILL $kids
echo "run --replications: TERM -> exit $st, children gone after ${took:-more than 3}s"
check replications_exit_143 [ "$st" = 143 ]
check replications_children_gone_within_3s [ -n "$took" ]
check replications_says_interrupted has_err "interrupted; no results written"
check replications_nothing nothing "$work/rep"

# --- regress: a fast scenario, then two long ones, one run at a time
mkdir -p "$work/suite"
cp "$src/tests/regress/blk-4k.xml" "$work/suite/a-fast.xml"
for n in b c; do
	cat >"$work/suite/$n-long.xml" <<XML
<scenario name="long-$n">
  <platform memory="256MiB"/>
  <workload>
    <job name="b" device="blk" op="write" block-size="64KiB" count="100000000" depth="4"/>
  </workload>
</scenario>
XML
done

# stop_regress NAME SIGNAL CODE: interrupt the suite once its second scenario runs
stop_regress() {
	local name=$1 sig=$2 code=$3 pid kids took st j=$work/$1.xml keep=$work/$1-runs
	(cd "$work" && exec "$ringsim" regress suite -j 1 --junit "$j" -o "$keep") \
		>"$work/out" 2>"$work/err" &
	pid=$!
	kids=$(children "$pid" 1 b-long.xml)
	check "${name}_second_runs" [ "$(wc -w <<<"$kids")" = 1 ]
	kill -s "$sig" "$pid"
	took=$(gone_within 3 $kids)
	reap "$pid"
	st=$?
	# shellcheck disable=SC2086
	alive $kids && kill -KILL $kids
	echo "$name: $sig -> exit $st, child gone after ${took:-more than 3}s"
	check "${name}_exit_$code" [ "$st" = "$code" ]
	check "${name}_child_gone_within_3s" [ -n "$took" ]
	check "${name}_count_line" grep -qx "1 passed, 0 failed, 2 interrupted by SIG$sig" \
		"$work/out"
	check "${name}_pass_line" grep -q '^PASS suite/a-fast.xml' "$work/out"
	check "${name}_skip_line" grep -qx "SKIP suite/b-long.xml (interrupted by SIG$sig)" \
		"$work/out"
	check "${name}_junit_written" [ -s "$j" ]
	check "${name}_junit_well_formed" xmllint --noout "$j"
	check "${name}_ant_schema" valid "$xsd/ant-junit.xsd" "$j"
	check "${name}_jenkins_schema" valid "$xsd/jenkins-junit.xsd" "$j"
	s=/testsuites/testsuite
	check "${name}_tests_3" [ "$(x "$j" "string($s/@tests)")" = 3 ]
	check "${name}_skipped_2" [ "$(x "$j" "string($s/@skipped)")" = 2 ]
	check "${name}_none_failed" [ "$(x "$j" "string($s/@failures)")" = 0 -a \
		"$(x "$j" "string($s/@errors)")" = 0 ]
	check "${name}_fast_passed" [ "$(x "$j" "count($s/testcase[@name='a-fast']/*)")" = 0 ]
	for n in b-long c-long; do
		check "${name}_${n}_skipped" [ "$(x "$j" \
			"string($s/testcase[@name='$n']/skipped/@message)")" = \
			"interrupted by SIG$sig" ]
	done
	check "${name}_finished_kept" [ -s "$keep/0-0/summary.json" ]
	check "${name}_no_tmp" no_tmp "$keep"
	check "${name}_stopped_not_kept" [ ! -e "$keep/1-0" ]
}

stop_regress regress_term TERM 143
stop_regress regress_int INT 130

# --- regress --timeout: the run's own --max-host-seconds ends it, results kept
t0=$(now)
(cd "$work" && exec "$ringsim" regress suite/b-long.xml --timeout 1 --junit "$work/t.xml" \
	-o "$work/timeout-runs") >"$work/out" 2>"$work/err"
rc=$?
took=$(elapsed "$t0")
echo "regress --timeout 1: exit $rc after ${took}s"
check timeout_exit_1 [ "$rc" = 1 ]
check timeout_not_the_kill lt "$took" 8
check timeout_status_time_limit grep -q '"status": "time_limit"' \
	"$work/timeout-runs/0-0/summary.json"
check timeout_says grep -q 'timed out after 1 s (run status time_limit)' "$work/out"
check timeout_junit_error [ "$(x "$work/t.xml" "string(/testsuites/testsuite/testcase/error/@type)")" = \
	timeout ]
check timeout_junit_valid valid "$xsd/ant-junit.xsd" "$work/t.xml"

[ "$fail" = 0 ] || cat "$work/xmllint.txt" >&2 2>/dev/null
finish children_stop
