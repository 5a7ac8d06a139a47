#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# ringsim run --trace FILE.json (issue 18), through the real CLI: the quickstart's trace
# passes the structural check (check_trace.py: every B has its E on its track, time never
# goes back on a track, counters equal timeseries.csv at its cycles, the stall slices are
# stalls.csv's rows, kicks and interrupts are summary.json's, the DUT's functions nest in
# the requests, the counters of free descriptors and grant references agree with the
# stalls), and the results are byte for byte those of the same run without it;
# --trace-window and --trace-around longest-stall keep only their window (the stalled
# request's slice included), and cut --vcd's waveform alike; bad paths and options are exit
# 2 with nothing written.
# Usage: test_trace.sh RINGSIM SOURCE_DIR
set -u
ringsim=$1
src=$2
work=$(mktemp -d /tmp/rs_trace.XXXXXX)
trap 'rm -rf "$work"' EXIT
CHECK_SHOW_ERR=1
. "$src/tests/lib/check.sh"
qs=$src/scenarios/quickstart.xml
# same A B: every results file of A as in B, summary.json but for its host_* fields
same() {
	for f in requests.csv stalls.csv timeseries.csv histograms.csv scenario.xml; do
		cmp -s "$1/$f" "$2/$f" || return 1
	done
	[ "$(grep -v '"host_' "$1/summary.json")" = "$(grep -v '"host_' "$2/summary.json")" ]
}

# 1. The quickstart, whole.
run "$ringsim" run "$qs" -o "$work/plain" --quiet
check plain_ok [ "$rc" = 0 ]
run "$ringsim" run "$qs" -o "$work/traced" --quiet --trace "$work/t.json"
check traced_ok [ "$rc" = 0 ]
check traced_results_unchanged same "$work/plain" "$work/traced"
check trace_written [ -s "$work/t.json" ]
check trace_no_temporary [ -z "$(ls "$work" | grep -F 't.json.')" ]
python3 "$src/tests/cli/check_trace.py" "$work/t.json" "$work/traced" >"$work/check" 2>&1
check trace_structure [ $? = 0 ]
sed 's/^/  /' "$work/check"
for f in p9_virtio_zc_request pack_sg_list_p blkif_queue_rw_req blkif_completion; do
	check "trace_has_$f" grep -q "\"name\":\"$f\"" "$work/t.json"
done
for t in '"blk-read #0"' '"9p-read #0"' '"virtio-9p irq"' '"xen-blk irq"' '"virtio-9p device"' '"stall virtio no_free_descriptors"'; do
	check "trace_track_${t//[^a-z0-9]/_}" grep -qF "\"name\":$t" "$work/t.json"
done
# The 9P server's workers: a slice per message served, T-message to R-message, by type;
# one Tread per 9p read request.
reads=$(awk -F, '$3 == "9p" && $4 == "read"' "$work/traced/requests.csv" | wc -l)
check trace_server_treads [ "$(grep -o '"name":"Tread"' "$work/t.json" | wc -l)" = "$reads" ]
check trace_server_worker_track grep -q '"name":"virtio-9p worker 0"' "$work/t.json"
check trace_mount_track grep -q '"name":"virtio-9p mount"' "$work/t.json"
check trace_no_systemc_names not grep -q '"name":"virtio_9p\.' "$work/t.json"
# Summary records only: the stalls still reach the trace.
run "$ringsim" run "$qs" -o "$work/summary" --quiet --records summary --trace "$work/s.json"
check summary_records_ok [ "$rc" = 0 ]
check summary_records_stalls [ "$(grep -c '"cause":' "$work/s.json")" = "$(($(wc -l <"$work/plain/stalls.csv") - 1))" ]
# blkback: a slice per request it served, from taking it off the ring to its response, in
# lanes.
check trace_backend_service grep -q '"name":"xen-blk backend service"' "$work/t.json"

# 2. Windows.
run "$ringsim" run "$qs" -o "$work/win" --quiet --trace "$work/w.json" --trace-window 1ms:1.5ms
check window_ok [ "$rc" = 0 ]
python3 "$src/tests/cli/check_trace.py" "$work/w.json" "$work/win" --window 1000:1500 >"$work/check"
check window_structure [ $? = 0 ]
check window_smaller [ "$(stat -c %s "$work/w.json")" -lt "$(stat -c %s "$work/t.json")" ]
run "$ringsim" run "$qs" -o "$work/around" --quiet --trace "$work/a.json" --trace-around longest-stall
check around_ok [ "$rc" = 0 ]
# The longest stall (the first of the longest), and as long again on either side.
read -r start end req < <(awk -F, 'NR > 1 && $5 > best { best = $5; s = $3; e = $4; r = $6 }
	END { print s, e, r }' "$work/around/stalls.csv")
d=$((end - start))
python3 "$src/tests/cli/check_trace.py" "$work/a.json" "$work/around" --window \
	"$(((start - d) / 1000)).$(printf %03d $(((start - d) % 1000))):$(((end + d) / 1000)).$(printf %03d $(((end + d) % 1000)))" >"$work/check"
check around_structure [ $? = 0 ]
check around_has_the_stall grep -q "\"cycles\":$d" "$work/a.json"
check around_has_its_request grep -q "\"request\":$req,\"bytes\"" "$work/a.json"

# The same windows cut the waveform: its header whole, every signal's value at the window's
# start, no time outside it.
run "$ringsim" run "$qs" -o "$work/vcd" --quiet --vcd "$work/w.vcd" --trace-window 1ms:1.2ms
check vcd_window_ok [ "$rc" = 0 ]
check vcd_window_header grep -q '^\$enddefinitions' "$work/w.vcd"
check vcd_window_times [ "$(awk '/^#/ { t = substr($0, 2) + 0; if (t < 1000000 || t > 1200000) bad++ }
	END { print bad + 0 }' "$work/w.vcd")" = 0 ]
check vcd_window_starts_with_values [ "$(awk '/^#1000000$/ { getline; print; exit }' "$work/w.vcd")" = '$dumpvars' ]
check vcd_window_every_signal [ "$(awk '/^\$dumpvars/ { on = 1; next } /^\$end/ { if (on) exit } on' "$work/w.vcd" | wc -l)" = "$(grep -c '^\$var' "$work/w.vcd")" ]
run "$ringsim" run "$qs" -o "$work/vcd2" --quiet --vcd "$work/a.vcd" --trace-around longest-stall
check vcd_around_ok [ "$rc" = 0 ]
check vcd_around_span [ "$(grep '^#' "$work/a.vcd" | sed -n '1p;$p' | tr -d '#' | tr '\n' ' ')" = "$((start - d)) $((end + d)) " ]

# 3. Bad paths and options: exit 2, nothing written.
run "$ringsim" run "$qs" -o "$work/bad" --quiet --trace "$work/none/t.json"
check bad_path_exit_2 [ "$rc" = 2 ]
check bad_path_says has_err "ringsim: --trace $work/none/t.json: No such file or directory"
check bad_path_nothing nothing "$work/bad"
run "$ringsim" run "$qs" -o "$work/bad" --trace "$work/b.json" --trace-window 5us
check window_syntax_exit_2 [ "$rc" = 2 ]
check window_syntax_says has_err "--trace-window 5us: expected START:END"
run "$ringsim" run "$qs" -o "$work/bad" --trace "$work/b.json" --trace-window 5us:2us
check window_backwards_exit_2 [ "$rc" = 2 ]
run "$ringsim" run "$qs" -o "$work/bad" --trace "$work/b.json" --trace-window 5furlongs:
check window_unit_exit_2 [ "$rc" = 2 ]
check window_unit_says has_err "not a duration"
run "$ringsim" run "$qs" -o "$work/bad" --trace-window 1us:2us
check window_alone_exit_2 [ "$rc" = 2 ]
run "$ringsim" run "$qs" -o "$work/bad" --trace "$work/b.json" --trace-around longest-wait
check around_value_exit_2 [ "$rc" = 2 ]
check around_value_says has_err "--trace-around longest-wait: allowed: longest-stall"
run "$ringsim" run "$qs" -o "$work/bad" --trace "$work/b.json" --replications 2
check replications_exit_2 [ "$rc" = 2 ]
check bad_nothing nothing "$work/bad"
check bad_no_trace [ ! -e "$work/b.json" ]

finish trace
