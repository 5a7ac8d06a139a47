#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The whole test suite: installs what is missing (the test tools too), builds everything,
# runs every test under ctest, and closes with one line: how many passed and failed.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh --test || exit
log=$(mktemp /tmp/rs_test.XXXXXX)
trap 'rm -f "$log"' EXIT
(cd build && ctest --output-on-failure --timeout 300 -j "$(nproc)") | tee "$log"
rc=${PIPESTATUS[0]}
# ctest's own count ("100% tests passed, 0 tests failed out of 35") ends its report above
# the label times; repeat it as the closing line.
count=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
echo "${count:-ctest did not report a count (exit $rc)}"
exit "$rc"
