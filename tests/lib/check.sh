# SPDX-License-Identifier: GPL-2.0-only
# What the shell tests share; source it after setting `work` (a temporary directory).
#   check NAME CONDITION...   count CONDITION as a pass or a failure named NAME
#   run CMD...                run CMD; sets rc, out (its stdout) and err (its stderr)
#   has_out TEXT, has_err TEXT  whether the last run printed TEXT (fixed string)
#   finish LABEL              print "LABEL: N passed, N failed"; exit status 1 on a failure
# Failed checks print their name, and with CHECK_SHOW_ERR=1 the last run's stderr.
pass=0
fail=0

check() {
	local name=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAILED: $name" >&2
		[ "${CHECK_SHOW_ERR:-0}" = 1 ] && [ -f "$work/err" ] && sed 's/^/  stderr: /' "$work/err" >&2
	fi
	return 0
}

run() {
	"$@" >"$work/out" 2>"$work/err"
	rc=$?
	out=$(cat "$work/out")
	err=$(cat "$work/err")
}

has_out() { grep -qF -- "$1" "$work/out"; }
has_err() { grep -qF -- "$1" "$work/err"; }

finish() {
	echo "$1: $pass passed, $fail failed"
	[ "$fail" = 0 ]
}
