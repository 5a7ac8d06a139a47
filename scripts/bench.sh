#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Host speed. Not a test: the numbers depend on the machine; every one is measured.
#
#   scripts/bench.sh [--set K=V]... [FILE.xml]...
#       per scenario: simulated requests per host second and peak host memory (as ringsim
#       reports them in summary.json), the native replay's requests per host second
#       (build/ringsim-native: the same DUT calls with no SystemC, no costs and instant
#       devices; sim/native/replay.cpp), and native / sim: how far the simulator is from
#       the physical limit of this design. Default: the quickstart and the examples.
#   scripts/bench.sh --native [--set K=V]... [FILE.xml]...
#       the native replay's lines alone.
#   scripts/bench.sh --against REV [--rounds N] [--set K=V]... [FILE.xml]...
#       builds REV's ringsim (as this tree's) in a temporary git worktree, cached in
#       build-bench/COMMIT/, runs both on the same scenarios interleaved N rounds (default
#       5) and prints per scenario the median of (this tree's / REV's) requests per host
#       second: the figure for a commit message. A scenario REV cannot load is reported.
#   --bin DIR: take ringsim and ringsim-native from DIR instead of building build/.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

synopsis='usage: scripts/bench.sh [--native | --against REV [--rounds N]] [--bin DIR] [--set K=V]... [FILE.xml]...'
usage() {
	[ $# -gt 0 ] && echo "bench.sh: $*" >&2
	echo "$synopsis" >&2
	exit 2
}

sets=()
files=()
mode=both
against=
rounds=5
bin=
while [ $# -gt 0 ]; do
	case $1 in
	--set) [ $# -ge 2 ] || usage "--set needs K=V"; sets+=(--set "$2"); shift 2 ;;
	--native) mode=native; shift ;;
	--against) [ $# -ge 2 ] || usage "--against needs a revision"; against=$2; mode=against
		shift 2 ;;
	--rounds) [ $# -ge 2 ] && [[ $2 =~ ^[1-9][0-9]*$ ]] || usage "--rounds needs a count >= 1"
		rounds=$2; shift 2 ;;
	--bin) [ $# -ge 2 ] && [ -d "$2" ] || usage "--bin needs a directory"; bin=$(realpath "$2")
		shift 2 ;;
	-h|--help) echo "$synopsis"; sed -n '5,19s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) usage "unknown option '$1'" ;;
	*) [ -f "$1" ] || usage "$1: No such file"; files+=("$(realpath "$1")"); shift ;;
	esac
done
[ "$mode" = against ] || [ "$rounds" = 5 ] || usage "--rounds goes with --against"

if [ -z "$bin" ]; then
	scripts/build.sh ringsim ringsim-native >&2
	bin=$top/build
fi
sim=$bin/ringsim
native=$bin/ringsim-native

# Overrides name jobs of one scenario: with --set alone, only the quickstart runs.
if [ ${#files[@]} -eq 0 ]; then
	files=(quickstart)
	[ ${#sets[@]} -gt 0 ] || files+=("$top"/scenarios/examples/*.xml)
fi
out=$(mktemp -d /tmp/rs_bench.XXXXXX)
trap 'rm -rf "$out"' EXIT

name_of() { basename "$1" .xml; }
field() { sed -n "s/.*\"$1\": \([0-9.e+-]*\).*/\1/p" "$2/summary.json" | head -n 1; }

# run_sim BINARY FILE DIR: one run into DIR; prints "REQUESTS HOST_S" or nothing when the
# binary could not load the scenario (exit 2) or wrote no summary.
run_sim() {
	local rc=0
	rm -rf "$3"
	if [ "$2" = quickstart ]; then
		"$1" run "${sets[@]}" -o "$3" --quiet --records summary 2>"$3.err" || rc=$?
	else
		"$1" run "$2" "${sets[@]}" -o "$3" --quiet --records summary 2>"$3.err" || rc=$?
	fi
	# exit 1 (an expectation failed, a DUT BUG) still leaves a result to measure
	[ $rc -le 1 ] && [ -f "$3/summary.json" ] || return 0
	echo "$(field generated "$3") $(field host_seconds "$3") $(field host_max_rss_kib "$3")"
}

# run_native FILE: prints "REQUESTS HOST_S", or nothing when the replay refused the scenario.
run_native() {
	local line rc=0
	if [ "$1" = quickstart ]; then
		line=$("$native" "${sets[@]}" 2>"$out/native.err") || rc=$?
	else
		line=$("$native" "${sets[@]}" "$1" 2>"$out/native.err") || rc=$?
	fi
	[ $rc -le 1 ] && [ -n "$line" ] || return 0
	echo "$line" | sed -n 's/.* generated=\([0-9]*\) .* host_seconds=\([0-9.]*\) .*/\1 \2/p'
}

why() { head -n 1 "$1" 2>/dev/null | sed 's/^ringsim[a-z-]*: //'; }

case $mode in
native)
	printf '%-26s %10s %9s %12s\n' scenario requests host_s native_req_s
	for f in "${files[@]}"; do
		n=$(name_of "$f")
		r=$(run_native "$f")
		if [ -z "$r" ]; then
			printf '%-26s not replayed: %s\n' "$n" "$(why "$out/native.err")"
			continue
		fi
		awk -v n="$n" -v r="$r" 'BEGIN { split(r, a, " ");
			printf "%-26s %10.0f %9.3f %12.0f\n", n, a[1], a[2], a[1] / a[2] }'
	done
	;;
both)
	printf '%-26s %10s %9s %12s %12s %10s %9s\n' scenario requests host_s sim_req_s \
		native_req_s native/sim peak_MiB
	for f in "${files[@]}"; do
		n=$(name_of "$f")
		s=$(run_sim "$sim" "$f" "$out/r")
		if [ -z "$s" ]; then
			printf '%-26s not run: %s\n' "$n" "$(why "$out/r.err")"
			continue
		fi
		r=$(run_native "$f")
		awk -v n="$n" -v s="$s" -v r="$r" 'BEGIN { split(s, a, " ");
			printf "%-26s %10.0f %9.3f %12.0f ", n, a[1], a[2], a[1] / a[2];
			if (r == "") printf "%12s %10s", "n/a", "n/a";
			else { split(r, b, " "); nr = b[1] / b[2];
				printf "%12.0f %9.1fx", nr, nr / (a[1] / a[2]) }
			printf " %9.1f\n", a[3] / 1024 }'
		[ -n "$r" ] || printf '%-26s   native: %s\n' "" "$(why "$out/native.err")"
	done
	;;
against)
	commit=$(git rev-parse --verify --quiet "$against^{commit}") ||
		usage "$against: not a revision of this repository"
	cache=$top/build-bench/$commit
	# REV is built as this tree's binary was (Release or RelWithDebInfo): like for like.
	type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$bin/CMakeCache.txt" 2>/dev/null)
	type=${type:-RelWithDebInfo}
	if [ ! -x "$cache/ringsim" ] ||
	   ! grep -qx "CMAKE_BUILD_TYPE:STRING=$type" "$cache/CMakeCache.txt"; then
		wt=$out/worktree
		echo "bench: building $against (${commit:0:12}, $type) in $cache" >&2
		git worktree add --detach --quiet "$wt" "$commit"
		trap 'git -C "$top" worktree remove --force "$wt" 2>/dev/null; rm -rf "$out"' EXIT
		rm -f "$cache/CMakeCache.txt"
		cmake -S "$wt" -B "$cache" -DCMAKE_BUILD_TYPE="$type" >/dev/null
		cmake --build "$cache" -j "$(nproc)" --target ringsim >&2
	fi
	printf '%-26s %8s %12s %12s %9s\n' scenario rounds this_req_s rev_req_s this/rev
	for f in "${files[@]}"; do
		n=$(name_of "$f")
		mine=() theirs=() ratios=()
		skip=
		for ((k = 0; k < rounds; k++)); do
			# Interleaved, the order alternating: neither build always runs first.
			if ((k % 2 == 0)); then
				a=$(run_sim "$sim" "$f" "$out/a"); b=$(run_sim "$cache/ringsim" "$f" "$out/b")
			else
				b=$(run_sim "$cache/ringsim" "$f" "$out/b"); a=$(run_sim "$sim" "$f" "$out/a")
			fi
			if [ -z "$b" ]; then skip="$against cannot run it: $(why "$out/b.err")"; break; fi
			if [ -z "$a" ]; then skip="this tree cannot run it: $(why "$out/a.err")"; break; fi
			mine+=("$(awk -v s="$a" 'BEGIN { split(s, x, " "); print x[1] / x[2] }')")
			theirs+=("$(awk -v s="$b" 'BEGIN { split(s, x, " "); print x[1] / x[2] }')")
			ratios+=("$(awk -v p="${mine[-1]}" -v q="${theirs[-1]}" 'BEGIN { print p / q }')")
		done
		if [ -n "$skip" ]; then
			printf '%-26s %s\n' "$n" "$skip"
			continue
		fi
		median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
			END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
		printf '%-26s %8d %12.0f %12.0f %8.3fx\n' "$n" "$rounds" "$(median "${mine[@]}")" \
			"$(median "${theirs[@]}")" "$(median "${ratios[@]}")"
	done
	;;
esac
