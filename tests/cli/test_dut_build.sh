#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# DUTs ringsim compiles at run time (sim/dutbuild): the built-in fixes by name, a user's
# driver file with one constant changed, a patch, a `dut init` directory, and the bad ones
# (a syntax error, a patch that does not apply), through the real CLI.
# Usage: test_dut_build.sh RINGSIM SOURCE_DIR
set -u
ringsim=$1
src=$2
work=$(mktemp -d /tmp/rs_dut_build.XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$src/tests/lib/check.sh"
export RINGSIM_CACHE_DIR=$work/cache # never the user's own cache
metric() { # SUMMARY DOTTED.PATH
	python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v.get(k, {}) if isinstance(v, dict) else {}
print(v if v != {} else "absent")' "$1" "$2"
}

# --- a fix by name: compiled once, then found in the cache
run "$ringsim" dut build xen-blk upstream
check build_upstream_exit_0 [ "$rc" = 0 ]
check build_upstream_in_cache [ "${out#"$work/cache/dut/"}" != "$out" -a -s "$out" ]
upstream_so=$out
stamp=$(stat -c %Y.%i "$upstream_so")
sleep 1
run "$ringsim" dut build xen-blk upstream
check build_upstream_cached [ "$out" = "$upstream_so" -a "$(stat -c %Y.%i "$out")" = "$stamp" ]
run "$ringsim" dut build xen-blk seed+6cc5683
check build_one_fix_own_object [ "$rc" = 0 -a "$out" != "$upstream_so" ]
run "$ringsim" dut build xen-blk seed
check build_seed_builtin has_out "built into ringsim"
run "$ringsim" dut build xen-blk seed+6cc568
check build_typo_exit_2 [ "$rc" = 2 ]
check build_typo_suggests has_err "did you mean '6cc5683'?"
run "$ringsim" dut build xen-blok upstream
check build_bad_kind_exit_2 [ "$rc" = 2 ]
check build_bad_kind_suggests has_err "did you mean 'xen-blk'?"

# --- XB-1 (reference B.7): the seed oopses at connect, upstream serves every read with two
# ring slots and half the queue depth: 32 slots / 2 = 16 tags in flight.
xb1=$src/scenarios/examples/xb1-seed-vs-upstream.xml
run "$ringsim" run "$xb1" -o "$work/xb1-seed" --quiet
check xb1_seed_exit_1 [ "$rc" = 1 ]
check xb1_seed_dut_bug [ "$(metric "$work/xb1-seed/summary.json" status)" = dut_bug ]
check xb1_seed_oops [ "$(metric "$work/xb1-seed/summary.json" findings_by_kind.dut_bug)" = 1 ]
check xb1_seed_served_nothing [ "$(metric "$work/xb1-seed/summary.json" blkif.requests)" = 0 ]
run "$ringsim" run "$xb1" --set dut.xen-blk=upstream -o "$work/xb1-up" --quiet
sum=$work/xb1-up/summary.json
check xb1_upstream_exit_0 [ "$rc" = 0 ]
check xb1_upstream_ok [ "$(metric "$sum" status)" = ok ]
check xb1_upstream_every_read [ "$(metric "$sum" requests.completed)" = 200 ]
check xb1_upstream_two_slots_each [ "$(metric "$sum" blkif.backend_requests)" = 400 ]
check xb1_upstream_no_indirect [ "$(metric "$sum" blkif.indirect_requests)" = 0 ]
check xb1_upstream_16_tags [ "$(metric "$sum" blkif.ring_occupancy.max)" = 32 ]
check xb1_upstream_tag_waits [ "$(metric "$sum" blkif.tag_waits)" -gt 0 ]
check xb1_upstream_recorded grep -q 'xen-blk="upstream"' "$work/xb1-up/scenario.xml"
run "$ringsim" compare "$xb1" --vary dut.xen-blk=seed,upstream -o "$work/xb1-cmp" -j 2 --quiet
check xb1_compare_exit_1 [ "$rc" = 1 ] # a point ended in dut_bug
check xb1_compare_report [ -s "$work/xb1-cmp/report.html" ]
check xb1_compare_points [ -s "$work/xb1-cmp/xen-blk=seed/summary.json" -a \
	-s "$work/xb1-cmp/xen-blk=upstream/summary.json" ]

# --- 9P-B2: the seed writes past chan->sg[127]; with the fix, the BUG_ON stops it first
p9=$src/scenarios/examples/9p-sg-overflow.xml
run "$ringsim" run "$p9" -o "$work/b2-seed" --quiet
check b2_seed_out_of_bounds [ "$(metric "$work/b2-seed/summary.json" \
	findings_by_kind.out_of_bounds_write)" -ge 1 ]
run "$ringsim" run "$p9" --set dut.virtio-9p=seed+9p-b2 -o "$work/b2-fix" --quiet
check b2_fix_no_out_of_bounds [ "$(metric "$work/b2-fix/summary.json" \
	findings_by_kind.out_of_bounds_write)" = absent ]
check b2_fix_bug_on [ "$(metric "$work/b2-fix/summary.json" findings_by_kind.dut_bug)" = 1 ]

# --- a user's file with one constant changed: a quarter of the tags (32 / 4 = 8 in flight)
cat >"$work/deep.xml" <<'XML'
<scenario name="deep" seed="1">
  <workload>
    <job name="r" device="blk" op="read" block-size="4KiB" count="200" depth="32" io="direct"/>
  </workload>
</scenario>
XML
mkdir "$work/mine"
sed 's|info->tag_set.queue_depth = BLK_RING_SIZE(info);|info->tag_set.queue_depth = BLK_RING_SIZE(info) / 4;|' \
	"$src/dut/xen-blkfront.c" >"$work/mine/xen-blkfront.c"
differs() { ! cmp -s "$1" "$2"; }
check constant_changed differs "$src/dut/xen-blkfront.c" "$work/mine/xen-blkfront.c"
run "$ringsim" run "$work/deep.xml" -o "$work/deep-seed" --quiet
check deep_seed_32 [ "$(metric "$work/deep-seed/summary.json" blkif.ring_occupancy.max)" = 32 ]
check deep_seed_no_waits [ "$(metric "$work/deep-seed/summary.json" blkif.tag_waits)" = 0 ]
run "$ringsim" run "$work/deep.xml" --set "dut.xen-blk=$work/mine/xen-blkfront.c" \
	-o "$work/deep-mine" --quiet
check mine_exit_0 [ "$rc" = 0 ]
check mine_8 [ "$(metric "$work/deep-mine/summary.json" blkif.ring_occupancy.max)" = 8 ]
check mine_waits [ "$(metric "$work/deep-mine/summary.json" blkif.tag_waits)" -gt 0 ]
# the same change as a patch against the shipped source (paths dut/..., as git diff gives)
(cd "$work" && mkdir -p a/dut b/dut && cp "$src/dut/xen-blkfront.c" a/dut/ &&
	cp mine/xen-blkfront.c b/dut/ && diff -u a/dut/xen-blkfront.c b/dut/xen-blkfront.c >quarter.patch)
run "$ringsim" run "$work/deep.xml" --set "dut.xen-blk=seed+$work/quarter.patch" \
	-o "$work/deep-patch" --quiet
check patch_exit_0 [ "$rc" = 0 ]
check patch_same_as_file [ "$(metric "$work/deep-patch/summary.json" blkif.ring_occupancy.max)" = 8 ]

# --- a syntax error: the compiler's FILE:LINE, exit 2, nothing run or written
line=$(grep -n 'info->tag_set.queue_depth' "$work/mine/xen-blkfront.c" | cut -d: -f1)
sed -i "${line}s/;\$//" "$work/mine/xen-blkfront.c"
run "$ringsim" run "$work/deep.xml" --set "dut.xen-blk=$work/mine/xen-blkfront.c" \
	-o "$work/broken" --quiet
check syntax_exit_2 [ "$rc" = 2 ]
check syntax_compiler_line grep -Eq "^$work/mine/xen-blkfront.c:$line:[0-9]+: error:" "$work/err"
check syntax_says_so has_err "xen-blkfront.c: does not compile"
check syntax_nothing_written [ ! -e "$work/broken" ]
run "$ringsim" compare "$work/deep.xml" --vary "dut.xen-blk=seed,$work/mine/xen-blkfront.c" \
	-o "$work/broken-cmp" --quiet
check compare_syntax_exit_2 [ "$rc" = 2 ]
check compare_syntax_compiler_line grep -Eq "^$work/mine/xen-blkfront.c:$line:[0-9]+: error:" "$work/err"
check compare_syntax_nothing_written [ ! -e "$work/broken-cmp" ]
sed "s|<workload>|<dut xen-blk=\"$work/mine/xen-blkfront.c\"/><workload>|" "$work/deep.xml" \
	>"$work/broken.xml"
run "$ringsim" validate "$work/broken.xml"
check validate_syntax_exit_2 [ "$rc" = 2 ]
check validate_syntax_compiler_line grep -Eq "^$work/mine/xen-blkfront.c:$line:[0-9]+: error:" "$work/err"
# --- a patch that does not apply: its hunk, exit 2
sed 's/^-\(.*queue_depth = BLK_RING_SIZE(info)\);/-\1 * 7;/' "$work/quarter.patch" \
	>"$work/stale.patch"
run "$ringsim" run "$work/deep.xml" --set "dut.xen-blk=seed+$work/stale.patch" \
	-o "$work/stale" --quiet
check stale_patch_exit_2 [ "$rc" = 2 ]
check stale_patch_hunk has_err "Hunk #1 FAILED"
check stale_patch_shows_hunk has_err "queue_depth = BLK_RING_SIZE(info) * 7;"
check stale_patch_nothing_written [ ! -e "$work/stale" ]

# --- dut init: the shipped tree to start from; every file of it counts
run "$ringsim" dut init xen-blk "$work/tree"
check init_exit_0 [ "$rc" = 0 ]
check init_sources [ -s "$work/tree/xen-blkfront.c" -a -s "$work/tree/guest/blk.c" -a \
	-s "$work/tree/dut_ops.h" -a -s "$work/tree/Makefile" -a -s "$work/tree/README.md" ]
check init_no_fixes [ ! -e "$work/tree/fixes" ]
check init_same_source cmp -s "$src/dut/xen-blkfront.c" "$work/tree/xen-blkfront.c"
run "$ringsim" dut init xen-blk "$work/tree"
check init_exists_exit_2 [ "$rc" = 2 ]
run make -s -C "$work/tree" RINGSIM="$ringsim"
check init_make_builds [ "$rc" = 0 -a -s "$out" ]
sed -i 's|info->tag_set.queue_depth = BLK_RING_SIZE(info);|info->tag_set.queue_depth = BLK_RING_SIZE(info) / 2;|' \
	"$work/tree/xen-blkfront.c"
run "$ringsim" run "$work/deep.xml" --set "dut.xen-blk=$work/tree/xen-blkfront.c" \
	-o "$work/deep-tree" --quiet
check tree_16 [ "$(metric "$work/deep-tree/summary.json" blkif.ring_occupancy.max)" = 16 ]
# every file of the tree counts, not only the one named: an error in its guest/blk.c
cp "$work/tree/guest/blk.c" "$work/blk.c.good"
echo "this is not C;" >>"$work/tree/guest/blk.c"
run "$ringsim" dut build xen-blk "$work/tree/xen-blkfront.c"
check tree_other_file_compiled grep -Eq "^$work/tree/guest/blk.c:[0-9]+:[0-9]+: error:" "$work/err"
cp "$work/blk.c.good" "$work/tree/guest/blk.c"

# --- regress runs a suite on the user's driver: the seed's goldens catch the change
mkdir "$work/suite"
cp "$work/deep.xml" "$work/suite/"
run "$ringsim" regress "$work/suite" --update-golden -j 1
check golden_written [ -s "$work/suite/deep.golden.json" ]
run "$ringsim" regress "$work/suite" -j 1 --junit "$work/seed.xml"
check regress_seed_passes [ "$rc" = 0 ]
run "$ringsim" regress "$work/suite" -j 1 --set "dut.xen-blk=$work/tree/xen-blkfront.c" \
	--junit "$work/tree.xml"
check regress_tree_fails [ "$rc" = 1 ]
check regress_tree_names_metric grep -q "ring_occupancy" "$work/tree.xml"
run "$ringsim" regress "$work/suite" -j 1 --set "dut.xen-blk=$work/mine/xen-blkfront.c"
check regress_broken_exit_2 [ "$rc" = 2 ]
check regress_broken_compiler has_err "error:"

finish cli_dut_build
