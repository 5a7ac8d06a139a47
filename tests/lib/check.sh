# SPDX-License-Identifier: GPL-2.0-only
# What the shell tests share; source it after setting `work` (a temporary directory).
#   check NAME CONDITION...   count CONDITION as a pass or a failure named NAME
#   run CMD...                run CMD; sets rc, out (its stdout) and err (its stderr)
#   has_out TEXT, has_err TEXT  whether the last run printed TEXT (fixed string)
#   finish LABEL              print "LABEL: N passed, N failed"; exit status 1 on a failure
#   not CMD...                CMD failed
#   now, elapsed T0           host seconds since the epoch; since T0, two decimals
#   lt X Y                    X < Y as real numbers
#   json FILE KEY.KEY...      one value of a JSON file (summary.json), empty when absent
#   nothing DIR               no DIR and no DIR.tmp-PID: a run that kept nothing
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

not() { ! "$@"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
json() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    d = d[k]
print(d)' "$@" 2>/dev/null
}
nothing() { [ ! -e "$1" ] && [ -z "$(ls -d "$1".tmp-* 2>/dev/null)" ]; }
