#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The DUT boundary (dut/dut_ops.h) through the CLI: the seed built as a shared object runs
# the quickstart exactly as the built-in seed; objects that are not a DUT of this ABI are
# refused with what they lack; the seed object imports only kshim's C API.
# Usage: test_dut.sh RINGSIM SOURCE_DIR SEED_SO WRONG_ABI_SO PARTIAL_SO LIBRS_KSHIM_A
set -u
ringsim=$1
src=$2
seed_so=$3
abi_so=$4
partial_so=$5
kshim_a=$6
work=$(mktemp -d /tmp/rs_dut.XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$src/tests/lib/check.sh"

# --- ringsim dut list
run "$ringsim" dut list
check dut_list_exit_0 [ "$rc" = 0 ]
check dut_list_seed [ "$(sed -n 2p "$work/out" | cut -d' ' -f1)" = seed ]
# every fix of the index, by the name a spec gives it, with its kind
every_fix_listed() {
	local kind name
	while read -r kind name _; do
		[ "$name" = upstream ] || name=seed+$name
		grep -Eq "^${name//+/\\+} +$kind " "$work/out" || { echo "not listed: $kind $name" >&2; return 1; }
	done < <(grep -v '^#' "$src/dut/fixes/variants.txt")
}
check dut_list_every_fix every_fix_listed
run "$ringsim" dut lsit
check dut_typo_exit_2 [ "$rc" = 2 ]
check dut_typo_suggests has_err "unknown action 'lsit'; did you mean 'list'?"
run "$ringsim" dut --help
check dut_help_exit_0 [ "$rc" = 0 ]
check dut_help_usage has_out "usage: ringsim dut list"
check dut_help_init has_out "ringsim dut init KIND DIR"
run "$ringsim" dut frob
check dut_unknown_action_exit_2 [ "$rc" = 2 ]
run "$ringsim" paths
check paths_lists_dut_blk has_out "dut.xen-blk=seed"
check paths_lists_dut_9p has_out "dut.virtio-9p=seed"

# --- the seed object in place of the built-in seed: every result file the same
same_run() { # DIR-A DIR-B: the same results, host time aside (scenario.xml records <dut>)
	local f ok=0
	for f in requests.csv stalls.csv timeseries.csv histograms.csv; do
		cmp -s "$1/$f" "$2/$f" || ok=1
	done
	diff -q <(grep -v -e '"host_seconds"' -e '"host_max_rss_kib"' "$1/summary.json") \
		<(grep -v -e '"host_seconds"' -e '"host_max_rss_kib"' "$2/summary.json") >/dev/null ||
		ok=1
	return $ok
}
run "$ringsim" run -o "$work/builtin" --quiet
check builtin_exit_0 [ "$rc" = 0 ]
run "$ringsim" run -o "$work/blk-so" --quiet --set "dut.xen-blk=$seed_so"
check blk_so_exit_0 [ "$rc" = 0 ]
check blk_so_same_results same_run "$work/builtin" "$work/blk-so"
check blk_so_recorded grep -q "xen-blk=\"$seed_so\"" "$work/blk-so/scenario.xml"
run "$ringsim" run -o "$work/9p-so" --quiet --set "dut.virtio-9p=$seed_so"
check 9p_so_exit_0 [ "$rc" = 0 ]
check 9p_so_same_results same_run "$work/builtin" "$work/9p-so"
# KASAN's checks in the object reach ringsim's KASAN: the quickstart's 9P-B7 reads are there.
check 9p_so_kasan grep -q '"out_of_bounds_read"' "$work/9p-so/summary.json"
# compare puts the two side by side; a path stays one point directory
run "$ringsim" compare "$src/scenarios/quickstart.xml" --vary "dut.xen-blk=seed,$seed_so" \
	-o "$work/cmp" -j 2 --quiet
check compare_exit_0 [ "$rc" = 0 ]
check compare_nothing_moved grep -q "Nothing moved" "$work/cmp/report.md"
check compare_flat_dir [ -s "$work/cmp/xen-blk=${seed_so//\//_}/summary.json" ]

# --- refused: another ABI version, entry points missing, no table at all
run "$ringsim" run -o "$work/abi" --quiet --set "dut.xen-blk=$abi_so"
check wrong_abi_exit_2 [ "$rc" = 2 ]
check wrong_abi_message has_err "rs_dut_blk_ops has ABI version 2; this ringsim needs 1"
check wrong_abi_nothing_written [ ! -e "$work/abi" ]
sed "s|<virtio-9p|<dut xen-blk=\"$abi_so\"/><virtio-9p|" "$src/scenarios/quickstart.xml" \
	>"$work/abi.xml"
run "$ringsim" validate "$work/abi.xml"
check validate_wrong_abi_exit_2 [ "$rc" = 2 ]
check validate_wrong_abi_message has_err "abi.xml: DUT object $abi_so: rs_dut_blk_ops has ABI"
run "$ringsim" run -o "$work/partial" --quiet --set "dut.xen-blk=$partial_so"
check partial_exit_2 [ "$rc" = 2 ]
check partial_message has_err "rs_dut_blk_ops lacks submit_io, issue_flush"
run "$ringsim" run -o "$work/none" --quiet --set "dut.virtio-9p=$abi_so"
check no_table_exit_2 [ "$rc" = 2 ]
check no_table_message has_err "has no rs_dut_9p_ops"
run "$ringsim" run -o "$work/missing" --quiet --set "dut.xen-blk=$work/nothing.so"
check missing_file_exit_2 [ "$rc" = 2 ]
check missing_file_message has_err "$work/nothing.so\": No such file or directory"

# --- the seed object's imports: kshim's C API (and KASAN's checks) only, never a DUT symbol:
# each one kshim defines, or kshim/include declares for the glue to answer (kshim_vring_added,
# virtio_find_single_vq)
imports=$(nm -D --undefined-only "$seed_so" | awk '$1 == "U" && $2 !~ /@/ {print $2}')
kshim_defs=$(nm --defined-only "$kshim_a" 2>/dev/null | awk '{print $3}' | sort -u)
foreign=
for sym in $imports; do
	case $sym in __asan_*_noabort | __asan_handle_no_return) continue ;; esac
	# A sanitizer build (RINGSIM_SANITIZE) adds its runtime's hooks, and the C library's
	# string functions it intercepts, unversioned.
	case $sym in __ubsan_* | __asan_* | __sanitizer_* | memmove | memcpy | memset | strlen) continue ;; esac
	grep -qx "$sym" <<<"$kshim_defs" && continue
	grep -rqw -- "$sym" "$src/kshim/include" || foreign="$foreign $sym"
done
[ -n "$foreign" ] && echo "imports outside kshim:$foreign" >&2
check seed_so_imports_kshim_only [ -n "$imports" -a -z "$foreign" ]
exports=$(nm -D --defined-only "$seed_so" | awk '{print $3}' | sort | tr '\n' ' ')
check seed_so_exports_tables_only [ "$exports" = "rs_dut_9p_ops rs_dut_blk_ops " ]

finish cli_dut
