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
finish install
