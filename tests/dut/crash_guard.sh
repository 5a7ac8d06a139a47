#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# How each case of test_crash_guard ended (see its header): exit 0, exit 1 with the guard's
# one line, or killed by SIGSEGV like a process without the guard (in a sanitizer build,
# AddressSanitizer's own handler reports the SEGV instead: the handler before the guard's).
# Usage: crash_guard.sh TEST_CRASH_GUARD CASE
set -u
bin=$1
case=$2
err=$(mktemp /tmp/rs_crash_guard.XXXXXX)
trap 'rm -f "$err"' EXIT
ulimit -c 0 # the cases that die would leave a core
{ "$bin" "$case" 2>"$err"; } 2>/dev/null # not bash's "Segmentation fault" line
rc=$?
sed 's/^/  /' "$err"
killed_by_segv() { [ "$rc" = $((128 + 11)) ] || grep -q "AddressSanitizer: SEGV" "$err"; }
case $case in
thread|overflow|boot) [ "$rc" = 0 ] ;;
outside) [ "$rc" = 1 ] && grep -q "^ringsim: SIGSEGV at pc 0x[0-9a-f]* (address 0x0): the DUT crashed outside a guest thread and outside boot; no results written$" "$err" ;;
not_dut|sent) killed_by_segv ;;
*) echo "unknown case $case" >&2; false ;;
esac
ok=$?
[ $ok = 0 ] || echo "FAILED: $case ended with status $rc" >&2
exit $ok
