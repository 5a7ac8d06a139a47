#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# DUTs that crash (issue 14) through the real CLI: the seed with one patch of
# tests/dut/crash/ applied, built as a DUT object. A store through NULL in the first block
# request, an unbounded recursion in the first zero-copy 9p read (a stack overflow) and a
# division by zero in blkfront's connect at boot each end the run with status dut_crash,
# exit 1, the crash in summary.json (signal, the patched function at the patched line, the
# cycle and the request in flight) and the results up to that cycle; compare and regress
# count such a point as failed. The line each check expects is worked out from the patch.
# The built-in seed's own fault (p9_tag_alloc at 1024 tags in flight) ends the same way.
# Usage: test_dut_crash.sh RINGSIM SOURCE_DIR BLK_NULL_SO BLK_BOOT_SO 9P_RECURSION_SO
set -u
ringsim=$1
src=$2
null_so=$3
boot_so=$4
recursion_so=$5
work=$(mktemp -d /tmp/rs_dut_crash.XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$src/tests/lib/check.sh"
patches=$src/tests/dut/crash
quickstart=$src/scenarios/quickstart.xml

# patched_line PATCH TEXT: the line number, in the patched file, of the added line holding
# TEXT (from the hunk headers: "@@ -a,b +c,d @@" starts the new file's count at c).
patched_line() {
	awk -v want="$2" '
	/^@@ / { split($3, c, ","); line = substr(c[1], 2) + 0; inhunk = 1; next }
	!inhunk { next }
	/^\+/ { if (index($0, want)) { print line; exit } line++; next }
	/^ / { line++ }' "$1"
}
# py SUMMARY EXPR: EXPR (Python) of the summary as s, printed
py() {
	python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null
}
# has_frame SUMMARY FUNCTION FILE LINE: a backtrace frame in a DUT object says so
has_frame() {
	[ "$(py "$1" "any(f['dut'] and f['function'] == '$2' and (f['file'] or '').endswith('/$3')
		and f['line'] == $4 for f in s['crash']['backtrace'])")" = True ]
}
results_written() { # DIR: every results file is there
	local f
	for f in summary.json requests.csv stalls.csv timeseries.csv histograms.csv scenario.xml; do
		[ -s "$1/$f" ] || { echo "missing: $1/$f" >&2; return 1; }
	done
}
# builtin_range_holds_dut_only RINGSIM: the built-in seed's section (__rs_dut_text_start ..
# __rs_dut_text_end) holds functions of dut/ (p9_client_read, blkfront_probe_and_connect)
# and none of kshim's (__asan_load8_noabort, kmalloc) or the simulator's
builtin_range_holds_dut_only() {
	nm -C --defined-only "$1" | python3 -c '
import sys
syms = [l.rstrip("\n").split(None, 2) for l in sys.stdin]
syms = [f for f in syms if len(f) == 3]
at = {n: int(a, 16) for a, t, n in syms}
lo, hi = at.get("__rs_dut_text_start"), at.get("__rs_dut_text_end")
inside = {n for a, t, n in syms if t in "Tt" and lo is not None and lo <= int(a, 16) < hi}
ok = lo is not None and lo < hi and {"p9_client_read", "p9_virtio_zc_request", "blkfront_probe_and_connect"} <= inside
for outside in ("__asan_load8_noabort", "kmalloc", "main", "sc_main", "rs_engine_run"):
	ok = ok and outside in at and outside not in inside
sys.exit(0 if ok else 1)'
}
finding() { # SUMMARY FIELD: that field of the dut_crash finding
	py "$1" "[f['$2'] for f in s['findings'] if f['kind'] == 'dut_crash'][0]"
}

# --- a store through NULL in blkif_setup_rw_req_grant, the first block request's grant
null_line=$(patched_line "$patches/blk-null-segments.patch" "NULL here")
check null_line_found [ -n "$null_line" ]
s=$work/null/summary.json
run "$ringsim" run "$quickstart" --set "dut.xen-blk=$null_so" -o "$work/null"
check null_exit_1 [ "$rc" = 1 ]
check null_says_status has_out "quickstart: dut_crash,"
check null_results_written results_written "$work/null"
check null_status [ "$(py "$s" "s['status']")" = dut_crash ]
check null_signal [ "$(py "$s" "s['crash']['signal'], s['crash']['signal_number'], s['crash']['code']")" = "('SIGSEGV', 11, 'SEGV_MAPERR')" ]
check null_address_0 [ "$(py "$s" "s['crash']['address']")" = 0x0 ]
check null_not_overflow [ "$(py "$s" "s['crash']['stack_overflow']")" = False ]
check null_frame has_frame "$s" blkif_setup_rw_req_grant xen-blkfront.c "$null_line"
# the faulting PC itself is the store: the first frame
check null_first_frame [ "$(py "$s" "s['crash']['backtrace'][0]['function'], s['crash']['backtrace'][0]['line']")" = "('blkif_setup_rw_req_grant', $null_line)" ]
check null_first_frame_object [ "$(realpath "$(py "$s" "s['crash']['backtrace'][0]['object']")")" = "$(realpath "$null_so")" ]
check null_finding_where [ "$(finding "$s" where)" = "xen-blkfront.c:$null_line" ]
check null_finding_detail [ "$(finding "$s" detail)" = "SIGSEGV (address 0x0) in blkif_setup_rw_req_grant" ]
check null_finding_bug [ "$(finding "$s" severity)" = bug ]
# mid-run: after the blk threads' first submits, and the run stops at the crash's cycle
cycle=$(py "$s" "s['crash']['cycle']")
check null_cycle_nonzero [ "${cycle:-0}" -gt 0 ]
check null_stops_there [ "$(py "$s" "s['simulated_cycles']")" = "$cycle" ]
check null_finding_cycle [ "$(finding "$s" cycle)" = "$cycle" ]
check null_says_crash grep -Eq "^crash: SIGSEGV in blkif_setup_rw_req_grant at .*/xen-blkfront.c:$null_line, cycle $cycle " "$work/out"
req=$(py "$s" "s['crash']['request']")
is_request() { [[ $1 =~ ^[0-9]+$ ]]; }
check null_request_id is_request "$req"
check null_finding_request [ "$(finding "$s" request)" = "$req" ]
# the request in flight is a blk-read of requests.csv the run stopped in
check null_request_row awk -F, -v id="$req" -v c="$cycle" \
	'$1 == id && $2 == "blk-read" && $10 == c && $17 == "unfinished" { ok = 1 } END { exit !ok }' \
	"$work/null/requests.csv"
check null_thread_workload [ "$(py "$s" "s['crash']['thread'].startswith('workload.')")" = True ]
check null_no_completion [ "$(py "$s" "s['jobs']['blk-read']['requests'].get('completed', 0)")" = 0 ]

# --- unbounded recursion in pack_sg_list_p: the guest thread's stack overflows
rec_line=$(patched_line "$patches/9p-unbounded-recursion.patch" "/* overflow */")
sg_line=$(patched_line "$patches/9p-unbounded-recursion.patch" "sg_set_page(&sg[index]")
check recursion_lines_found [ -n "$rec_line" -a -n "$sg_line" ]
s=$work/recursion/summary.json
run "$ringsim" run "$quickstart" --set "dut.virtio-9p=$recursion_so" -o "$work/recursion"
check recursion_exit_1 [ "$rc" = 1 ]
check recursion_results_written results_written "$work/recursion"
check recursion_status [ "$(py "$s" "s['status']")" = dut_crash ]
check recursion_signal [ "$(py "$s" "s['crash']['signal']")" = SIGSEGV ]
check recursion_overflow [ "$(py "$s" "s['crash']['stack_overflow']")" = True ]
check recursion_frame has_frame "$s" pack_sg_list_p trans_virtio.c "$rec_line"
# the recursion itself: frame after frame at the recursive call
check recursion_deep [ "$(py "$s" "sum(f['function'] == 'pack_sg_list_p' and f['line'] == $rec_line for f in s['crash']['backtrace']) >= 16")" = True ]
# the innermost DUT line: the deepest call's sg_set_page (kshim's inline is passed over)
check recursion_finding_where [ "$(finding "$s" where)" = "trans_virtio.c:$sg_line" ]
check recursion_finding_detail [ "$(finding "$s" detail)" = "SIGSEGV (stack overflow) in pack_sg_list_p" ]
cycle=$(py "$s" "s['crash']['cycle']")
check recursion_cycle_nonzero [ "${cycle:-0}" -gt 0 ]
req=$(py "$s" "s['crash']['request']")
check recursion_request_id is_request "$req"
check recursion_request_row awk -F, -v id="$req" \
	'$1 == id && $2 == "9p-read" && $17 == "unfinished" { ok = 1 } END { exit !ok }' \
	"$work/recursion/requests.csv"

# --- a division by zero in setup_blkring, in blkfront's connect at boot
div_line=$(patched_line "$patches/blk-boot-divide.patch" "SIGFPE")
check boot_line_found [ -n "$div_line" ]
s=$work/boot/summary.json
run "$ringsim" run "$quickstart" --set "dut.xen-blk=$boot_so" -o "$work/boot"
check boot_exit_1 [ "$rc" = 1 ]
check boot_results_written results_written "$work/boot"
check boot_status [ "$(py "$s" "s['status']")" = dut_crash ]
check boot_signal [ "$(py "$s" "s['crash']['signal'], s['crash']['code']")" = "('SIGFPE', 'FPE_INTDIV')" ]
check boot_frame has_frame "$s" setup_blkring xen-blkfront.c "$div_line"
check boot_finding_detail [ "$(finding "$s" detail)" = "SIGFPE (integer divide by zero) in setup_blkring" ]
check boot_finding_where [ "$(finding "$s" where)" = "xen-blkfront.c:$div_line" ]
# before the simulation: cycle 0, no request, no thread, nothing simulated
check boot_when [ "$(py "$s" "s['crash']['cycle'], s['crash']['request'], s['crash']['thread'], s['simulated_cycles']")" = "(0, None, '', 0)" ]

# --- the built-in seed (linked into ringsim, no DUT object): 1024 reads in flight take tags
# two rows ahead, and the 3.1-era p9_tag_alloc leaves the row between unallocated
# (c->reqs[row] NULL). Its code is a section of ringsim (dut/dut_text.ld) the guard covers:
# dut_crash and exit 1 as for a loaded object, not a SIGSEGV of the simulator.
tag_line=$(grep -n 'if (!req->tc)' "$src/dut/guest/client.c" | head -1 | cut -d: -f1)
check builtin_line_found [ -n "$tag_line" ]
cat >"$work/d1024.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<scenario name="d1024" seed="1">
  <platform page-size="4KiB" memory="4GiB"/>
  <virtio-9p queue-size="1024"/>
  <workload>
    <job name="j0" device="9p" op="read" block-size="4KiB" count="1024" depth="1024"/>
  </workload>
</scenario>
XML
s=$work/builtin/summary.json
(ulimit -c 0; run "$ringsim" run "$work/d1024.xml" -o "$work/builtin"; exit "$rc")
rc=$?
check builtin_exit_1 [ "$rc" = 1 ]
check builtin_no_segv [ "$rc" != 139 ]
check builtin_results_written results_written "$work/builtin"
check builtin_status [ "$(py "$s" "s['status']")" = dut_crash ]
check builtin_signal [ "$(py "$s" "s['crash']['signal'], s['crash']['code']")" = "('SIGSEGV', 'SEGV_MAPERR')" ]
check builtin_frame has_frame "$s" p9_tag_alloc guest/client.c "$tag_line"
check builtin_first_frame [ "$(py "$s" "s['crash']['backtrace'][0]['function'], s['crash']['backtrace'][0]['line']")" = "('p9_tag_alloc', $tag_line)" ]
# symbolized from the executable itself: the frame's object is ringsim
check builtin_first_frame_object [ "$(realpath "$(py "$s" "s['crash']['backtrace'][0]['object']")")" = "$(realpath "$ringsim")" ]
check builtin_finding_where [ "$(finding "$s" where)" = "client.c:$tag_line" ]
check builtin_finding_detail [ "$(py "$s" "[f['detail'] for f in s['findings'] if f['kind'] == 'dut_crash'][0].endswith(' in p9_tag_alloc')")" = True ]
# the simulator's own frames stay outside the DUT's range
check builtin_sim_frames_not_dut [ "$(py "$s" "all(not f['dut'] for f in s['crash']['backtrace'] if '/sim/' in (f['file'] or ''))")" = True ]
# ... and so does everything in ringsim that is not dut/: kshim (KASAN's checks too), sim/
check builtin_range_dut_only builtin_range_holds_dut_only "$ringsim"

# --- compare: the seed point is ok, the crashing one dut_crash; exit 1, the report written
run "$ringsim" compare "$quickstart" --vary "dut.xen-blk=seed,$null_so" -o "$work/cmp" -j 2
check compare_exit_1 [ "$rc" = 1 ]
crash_point="xen-blk=${null_so//\//_}"
check compare_seed_ok grep -q '^"xen-blk=seed",ok,' "$work/cmp/compare.csv"
check compare_crash_point grep -qF "\"$crash_point\",dut_crash," "$work/cmp/compare.csv"
check compare_says_point has_out "dut_crash"
check compare_report_md grep -qF "$crash_point: dut_crash — SIGSEGV (address 0x0) in blkif_setup_rw_req_grant at xen-blkfront.c:$null_line" "$work/cmp/report.md"
check compare_report_html grep -qF '<span class="st st-dut_crash">dut_crash</span>' "$work/cmp/report.html"
check compare_no_crash_metric [ "$(py "$work/cmp/compare.json" "any(k.startswith('crash.') for p in s['points'] for k in p['metrics'])")" = False ]

# --- regress: a crash fails the case, with the crash's line
mkdir "$work/suite"
cp "$src/tests/regress/blk-4k.xml" "$work/suite/"
run "$ringsim" regress "$work/suite" -j 1 --set "dut.xen-blk=$null_so" --junit "$work/junit.xml"
check regress_exit_1 [ "$rc" = 1 ]
check regress_says_crash has_out "run status dut_crash: SIGSEGV (address 0x0) in blkif_setup_rw_req_grant at xen-blkfront.c:$null_line"
check regress_junit_type grep -q 'type="dut_crash"' "$work/junit.xml"

finish cli_dut_crash
