#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# `cmake --install` into a fresh prefix: the binary, the manual page, the completion, the
# schema and the scenarios where the manual says, and the installed binary runs an
# installed sweep (whose base scenario is found relative to it).
# Usage: test_install.sh BUILD_DIR SOURCE_DIR
set -u
build=$1
src=$2
work=$(mktemp -d /tmp/rs_inst.XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$src/tests/lib/check.sh"
CHECK_SHOW_ERR=1

run cmake --install "$build" --prefix "$work/usr"
check install_exit_0 [ "$rc" = 0 ]
p=$work/usr
check binary [ -x "$p/bin/ringsim" ]
check man_page [ -s "$p/share/man/man1/ringsim.1" ]
check man_page_renders sh -c "groff -man -Tutf8 -ww -z '$p/share/man/man1/ringsim.1' 2>&1 | grep -q . && exit 1 || exit 0"
check completion [ -s "$p/share/bash-completion/completions/ringsim" ]
check schema [ -s "$p/share/ringsim/scenario.xsd" ]
check quickstart [ -s "$p/share/ringsim/scenarios/quickstart.xml" ]
check examples [ -s "$p/share/ringsim/scenarios/examples/9p-deep-queue.xml" ]
check copyright [ -s "$p/share/doc/ringsim/copyright" ]
run "$p/bin/ringsim" validate "$p/share/ringsim/scenarios/compare/9p-sweep.xml" \
	"$p"/share/ringsim/scenarios/examples/*.xml
check installed_scenarios_validate [ "$rc" = 0 ]
(cd "$work" && "$p/bin/ringsim" run "$p/share/ringsim/scenarios/quickstart.xml" -o q --quiet)
check installed_binary_runs [ -s "$work/q/summary.json" ]
# The DUT source, its fixes and kshim's headers, used from there: a fix compiles from the
# installed tree, and dut init copies it.
check dut_source [ -s "$p/share/ringsim/dut/xen-blkfront.c" -a -s "$p/share/ringsim/dut/guest/blk.c" ]
check dut_fixes [ -s "$p/share/ringsim/dut/fixes/variants.txt" -a \
	-s "$p/share/ringsim/dut/fixes/xen-blk/6cc5683-non-indirect-64k-extra-request.patch" ]
check kshim_headers [ -s "$p/include/ringsim/linux/kshim.h" -a -s "$p/include/ringsim/xen/grant_table.h" ]
check regress_suite [ -s "$p/share/ringsim/regress/blk-4k.xml" -a -s "$p/share/ringsim/regress/blk-4k.golden.json" ]
run "$p/bin/ringsim" dut list
check installed_dut_source has_out "The shipped DUT source: $(realpath "$p/share/ringsim/dut")"
export RINGSIM_CACHE_DIR=$work/cache
run "$p/bin/ringsim" dut build xen-blk upstream
check installed_builds_upstream [ "$rc" = 0 -a -s "$out" ]
# a user's file alone: the other sources compile where they are installed (debug info)
mkdir "$work/one"
cp "$p/share/ringsim/dut/xen-blkfront.c" "$work/one/"
run "$p/bin/ringsim" dut build xen-blk "$work/one/xen-blkfront.c"
check installed_user_file_builds [ "$rc" = 0 -a -s "$out" ]
check installed_tree_compiled grep -qF "$(realpath "$p")/share/ringsim/dut" "$out"
run "$p/bin/ringsim" dut init xen-blk "$work/mine"
check installed_dut_init cmp -s "$p/share/ringsim/dut/xen-blkfront.c" "$work/mine/xen-blkfront.c"
finish install
