#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Results unchanged: runs scenarios/quickstart.xml and every scenario of scenarios/examples/,
# tests/regress/ and scenarios/bench/ (the latter at --set job.r.count=5000) with two
# ringsim binaries and checks that every results file is byte-identical: requests.csv,
# stalls.csv, timeseries.csv, histograms.csv, scenario.xml, and summary.json but for its
# host_* fields (host seconds, peak RSS); and that both exit alike. The manifest
# (.ringsim-manifest) is compared but for its first line (the version that wrote it), and
# only when both wrote one (a BASE from before manifests writes none).
#
#   scripts/identity.sh BASE_RINGSIM [THIS_RINGSIM]
#       THIS_RINGSIM defaults to build/ringsim. Prints one line per scenario and a total;
#       exit 0 when all are identical, 1 otherwise (the differing files are named).
#   -j N: run N scenarios at once (default 2).
#   --without KEY: compare summary.json without the members named KEY, at any depth (a
#       metric this change adds or redefines, e.g. --without phases); may be repeated.
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=2
without=
while [ $# -gt 0 ]; do
	case $1 in
	-j) jobs=$2; shift 2 ;;
	--without) without="$without $2"; shift 2 ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || { sed -n '3,14s/^# \{0,1\}//p' "$0" >&2; exit 2; }
base=$(realpath "$1")
mine=$(realpath "${2:-build/ringsim}")
out=$(mktemp -d /tmp/rs_identity.XXXXXX)
trap 'rm -rf "$out"' EXIT

list=()
for f in scenarios/quickstart.xml scenarios/examples/*.xml tests/regress/*.xml; do list+=("$f|"); done
for f in scenarios/bench/*.xml; do list+=("$f|--set job.r.count=5000"); done

# summary FILE: summary.json without host_* members and those named in $without
summary() {
	python3 - "$1" $without <<'PY'
import json, sys
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items()
                if not k.startswith("host_") and k not in sys.argv[2:]}
    if isinstance(o, list):
        return [strip(v) for v in o]
    return o
print(json.dumps(strip(json.load(open(sys.argv[1]))), indent=1, sort_keys=True))
PY
}

# one NAME FILE SETS: both runs and the comparison; prints "same NAME" or "DIFF NAME: files"
one() {
	local k=$1 f=$2 sets=$3 d=$out/$1 bad=()
	mkdir -p "$d"
	# shellcheck disable=SC2086
	"$base" run "$f" $sets -o "$d/base" --quiet >"$d/base.log" 2>&1
	echo "rc $?" >>"$d/base.log"
	# shellcheck disable=SC2086
	"$mine" run "$f" $sets -o "$d/mine" --quiet >"$d/mine.log" 2>&1
	echo "rc $?" >>"$d/mine.log"
	[ "$(tail -n 1 "$d/base.log")" = "$(tail -n 1 "$d/mine.log")" ] || bad+=("exit status")
	files=$( (cd "$d/base" 2>/dev/null && find . -type f; cd "$d/mine" 2>/dev/null &&
		find . -type f) | sort -u)
	[ -n "$files" ] || bad+=("no results")
	for r in $files; do
		if [ "$r" = ./.ringsim-manifest ]; then
			[ -e "$d/base/$r" ] || continue
			cmp -s <(tail -n +2 "$d/base/$r") <(tail -n +2 "$d/mine/$r") || bad+=("$r")
		elif [ "$r" = ./summary.json ]; then
			cmp -s <(summary "$d/base/$r") <(summary "$d/mine/$r") || bad+=("$r")
		else
			cmp -s "$d/base/$r" "$d/mine/$r" || bad+=("$r")
		fi
	done
	if [ ${#bad[@]} -eq 0 ]; then
		echo "same $f $sets"
	else
		echo "DIFF $f $sets: ${bad[*]}"
	fi
	rm -rf "$d"
}
export -f one summary
export base mine out without

i=0
for e in "${list[@]}"; do
	i=$((i + 1))
	printf '%s\0%s\0%s\0' "$i" "${e%%|*}" "${e#*|}"
done | xargs -0 -n 3 -P "$jobs" bash -c 'one "$@"' _ | tee "$out/all"
n=$(wc -l <"$out/all")
d=$(grep -c '^DIFF' "$out/all")
echo "identity: $((n - d)) of $n scenarios identical"
[ "$d" -eq 0 ]
