#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# compare --executor slurm (issue 17) on a real single-node Slurm of its own
# (scripts/slurm-up.sh, taken down again also when a check fails): a 6-point sweep gives
# the compare.csv the local executor gives, byte for byte; a task cancelled while pending
# is a failed point whose error names its Slurm task, state and log, the others still
# count; --resume runs only that point again (the others' files the same inodes); SIGINT
# cancels the array (the queue empty), exits 130 and keeps what ended for --resume;
# regress --executor slurm passes the suite, and --resume reruns a missing run only; and
# the usage errors of --executor, --slurm-args and a missing sbatch.
# Needs root and the Slurm packages. Usage: test_slurm_compare.sh RINGSIM SOURCE_DIR
set -u
ringsim=$1
root=$(cd "$2" && pwd)
. "$root/tests/slurm/lib.sh"
# Ports of its own: test_slurm_up takes even ports in 20000-59998 (and the next), a user's
# cluster 6817; this one 61000-64998 (and the next).
slurm_setup slurm_compare 61000 2000
# Our compare's array, once it is queued: its job id.
array_id() { squeue -h -n ringsim-compare -o %F 2>/dev/null | head -n 1; }
queued() { [ -n "$(array_id)" ]; }
running() { squeue -h -n ringsim-compare -t R -o %i 2>/dev/null | grep -q .; }
queue_empty() { [ -z "$(squeue -h -n ringsim-compare -o %i 2>/dev/null)" ]; }
inodes() { # the inode of every point's summary.json but @1's, one line each
	local d
	for d in "$1"/*/summary.json; do
		[ "$d" = "$1/$2/summary.json" ] || stat -c '%i %Y %n' "$d"
	done
}
# point_field DIR POINT FIELD: a point's field in DIR/compare.json
point_field() {
	python3 -c 'import json, sys
for p in json.load(open(sys.argv[1]))["points"]:
    if p["name"] == sys.argv[2]:
        print(p.get(sys.argv[3]) or "")' "$1/compare.json" "$2" "$3" 2>/dev/null
}

# Usage errors need no cluster.
sc=$work/tiny.xml
cat >"$sc" <<'EOF'
<scenario name="tiny" seed="1">
  <platform page-size="4KiB" memory="256MiB"/>
  <virtio-9p queue-size="128" msize="512000"/>
  <workload>
    <job name="r" device="9p" op="read" block-size="16KiB" count="30" depth="1"
         buffer="user" page-offset="0"/>
  </workload>
  <expect metric="integrity.mismatches" eq="0"/>
</scenario>
EOF
# shellcheck disable=SC2054 # the commas are --vary's
vary=(--vary job.r.count=20,30,40 --vary platform.page-size=4KiB,64KiB)
run "$ringsim" compare "$sc" "${vary[@]}" -o "$work/x" --executor lsf
check "an unknown --executor is exit 2" [ "$rc" = 2 ]
check "... saying what is allowed" has_err "allowed: local, slurm"
run "$ringsim" compare "$sc" "${vary[@]}" -o "$work/x" --slurm-args "--time=5"
check "--slurm-args without --executor slurm is exit 2" [ "$rc" = 2 ]
check "... saying it is for --executor slurm" has_err "--slurm-args is for --executor slurm"
run env PATH=/nonexistent "$ringsim" compare "$sc" "${vary[@]}" -o "$work/x" --executor slurm
check "--executor slurm without sbatch on PATH is exit 2" [ "$rc" = 2 ]
check "... naming sbatch" has_err "sbatch is not on PATH"
run "$ringsim" compare "$sc" "${vary[@]}" --resume "$work/nothing"
check "--resume of no comparison is exit 2" [ "$rc" = 2 ]
check "nothing was written by the usage errors" nothing "$work/x"

t0=$(now)
run "$root/scripts/slurm-up.sh"
if [ "$rc" != 0 ]; then
	echo "$err" >&2
	echo "test_slurm_compare: scripts/slurm-up.sh failed (exit $rc)" >&2
	fail=1
	finish test_slurm_compare
	exit
fi
. "$RINGSIM_SLURM_DIR/env"
echo "slurm-up: $(elapsed "$t0") s"

# The same sweep, here and on Slurm.
t0=$(now)
run "$ringsim" compare "$sc" "${vary[@]}" -o "$work/local" -j 2 -q
check "local: all 6 points ok" [ "$rc" = 0 ]
echo "local -j 2: $(elapsed "$t0") s for 6 points"
t0=$(now)
run "$ringsim" compare "$sc" "${vary[@]}" -o "$work/slurm" -j 2 --executor slurm -q
check "slurm: all 6 points ok" [ "$rc" = 0 ]
[ "$rc" = 0 ] || echo "$err" >&2
echo "slurm -j 2: $(elapsed "$t0") s for 6 points"
check "slurm: compare.csv is the local one, byte for byte" \
	cmp -s "$work/local/compare.csv" "$work/slurm/compare.csv"
for f in compare.json report.html report.md plots; do
	check "slurm: $f is the local one" diff -r "$work/local/$f" "$work/slurm/$f"
done
check "slurm: a point's log is the local one" \
	cmp -s "$work/local/count=20,page-size=4KiB.log" "$work/slurm/count=20,page-size=4KiB.log"
check "slurm: nothing of the arrays is left in DIR" [ ! -e "$work/slurm/.slurm" ]
check "slurm: no DIR.tmp-PID left" [ -z "$(ls -d "$work"/slurm.tmp-* 2>/dev/null)" ]
check "slurm: the queue is empty" queue_empty

# More points than MaxArraySize (4 here, by scontrol reconfigure): two arrays, one result.
conf=$RINGSIM_SLURM_DIR/slurm.conf
submits() { grep -c _slurm_rpc_submit_batch_job "$RINGSIM_SLURM_DIR/log/slurmctld.log"; }
echo "MaxArraySize=4" >>"$conf"
scontrol reconfigure >/dev/null 2>&1
if check "MaxArraySize is 4" wait_until 10 eval \
	'scontrol show config | grep -q "^MaxArraySize *= 4$"'; then
	n0=$(submits)
	run "$ringsim" compare "$sc" "${vary[@]}" -o "$work/split" -j 2 --executor slurm -q
	check "6 points, MaxArraySize 4: all ok" [ "$rc" = 0 ]
	check "... in two arrays" [ $(($(submits) - n0)) = 2 ]
	check "... compare.csv the local one" \
		cmp -s "$work/local/compare.csv" "$work/split/compare.csv"
fi
sed -i '/^MaxArraySize=4$/d' "$conf"
scontrol reconfigure >/dev/null 2>&1

# One task cancelled while it waits (one task at a time, -j 1): a failed point.
last="count=40,page-size=64KiB"
"$ringsim" compare "$sc" "${vary[@]}" -o "$work/cut" -j 1 --executor slurm -q \
	>"$work/cut.out" 2>"$work/cut.err" &
pid=$!
wait_until 20 queued
id=$(array_id)
scancel "${id}_5"
wait "$pid"
rc=$?
check "a cancelled task: compare exits 1" [ "$rc" = 1 ]
check "... its point is failed in compare.csv" \
	grep -q "^\"$last\",failed," "$work/cut/compare.csv"
check "... the other 5 are ok in compare.csv" [ "$(grep -c ',ok,' "$work/cut/compare.csv")" = 5 ]
error=$(point_field "$work/cut" "$last" error)
# A task cancelled while pending is forgotten by Slurm at once: its state is what squeue
# last said.
check "... its error names the Slurm task and its state" \
	grep -qF "Slurm task ${id}_5 left the queue without an exit status, state unknown (last seen PENDING)" <<<"$error"
check "... and its log" grep -qF "log: $work/cut/$last.log" <<<"$error"
check "... printed with the point" grep -qF "failed: Slurm task ${id}_5" "$work/cut.out"
[ "$fail" = 0 ] || { echo "error: $error" >&2; cat "$work/cut.err" >&2; }

# --resume runs that point only; the others are the same files.
before=$(inodes "$work/cut" "$last")
run "$ringsim" compare "$sc" "${vary[@]}" --resume "$work/cut" -j 2 --executor slurm
check "--resume: exit 0, all ok" [ "$rc" = 0 ]
check "--resume: 5 points kept" has_err "5 of 6 points ran ok and are kept"
check "--resume: the 5 ok points' files untouched (inode, mtime)" \
	[ "$(inodes "$work/cut" "$last")" = "$before" ]
check "--resume: the failed point ran" [ -s "$work/cut/$last/summary.json" ]
check "--resume: compare.csv is the local one" \
	cmp -s "$work/local/compare.csv" "$work/cut/compare.csv"
before=$(inodes "$work/cut" none)
run "$ringsim" compare "$sc" "${vary[@]}" --resume "$work/cut" -q
check "--resume, local, of a whole comparison: exit 0, nothing run" \
	[ "$rc" = 0 ] && [ "$(inodes "$work/cut" none)" = "$before" ]
check "... compare.csv the same" cmp -s "$work/local/compare.csv" "$work/cut/compare.csv"

# regress: each run a task; judged as locally.
run "$ringsim" regress "$root/tests/regress" -j 2 -o "$work/suite" --executor slurm \
	--junit "$work/suite/junit.xml"
check "regress --executor slurm: exit 0" [ "$rc" = 0 ]
check "... every case passes" has_out "$(ls "$root"/tests/regress/*.xml | wc -l) passed, 0 failed"
check "... the JUnit file written" [ -s "$work/suite/junit.xml" ]
n=$(ls "$root"/tests/regress/*.xml | wc -l)
rm -rf "$work/suite/0-0"
before=$(stat -c '%i %Y' "$work/suite/1-0/summary.json")
run "$ringsim" regress "$root/tests/regress" -j 2 --resume "$work/suite" --executor slurm \
	--junit "$work/suite/junit.xml"
check "regress --resume: exit 0" [ "$rc" = 0 ]
check "... the $((n - 1)) runs there kept" has_err "$((n - 1)) runs were ok and are kept"
check "... their files untouched" \
	[ "$(stat -c '%i %Y' "$work/suite/1-0/summary.json")" = "$before" ]
check "... the missing run ran again" [ -s "$work/suite/0-0/summary.json" ]
check "... every case passes" has_out "$n passed, 0 failed"
run "$ringsim" regress "$root/tests/regress" --executor slurm
check "regress --executor slurm without -o is exit 2" [ "$rc" = 2 ]
check "... saying why" has_err "needs -o DIR, on a filesystem the nodes share"

# SIGINT while the tasks run: scancel, exit 130, the queue empty, DIR kept for --resume.
"$ringsim" compare "$sc" --vary job.r.count=10000000,10000001 -o "$work/int" -j 2 \
	--executor slurm -q >"$work/int.out" 2>"$work/int.err" &
pid=$!
check "long tasks run" wait_until 30 running
kill -INT "$pid"
t0=$(now)
wait "$pid"
rc=$?
echo "SIGINT to an empty queue: $(elapsed "$t0") s"
check "SIGINT: exit 130" [ "$rc" = 130 ]
check "SIGINT: the array is cancelled (the queue empty)" queue_empty
check "SIGINT: says what it kept" grep -qF "points ended and are kept in $work/int" "$work/int.err"
check "SIGINT: DIR kept, its points interrupted" \
	[ "$(point_field "$work/int" count=10000000 status)" = interrupted ]
check "SIGINT: no DIR.tmp-PID, no point's OUT.tmp-PID left" \
	[ -z "$(find "$work" -name '*.tmp-*')" ]
[ "$fail" = 0 ] || cat "$work/int.err" >&2

finish test_slurm_compare
