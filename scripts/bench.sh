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
#   scripts/bench.sh --scaling [--scaling-max E] [-o DIR] [--set K=V]... [FILE.xml]
#       host cost against run length: runs the scenario (default scenarios/quickstart.xml)
#       at 10^3, 10^4, 10^5 and 10^6 requests (up to 10^E with --scaling-max E, 1..9;
#       --scaling-min E starts at 10^E, 1..9, for tests), each job's count scaled so that
#       the counts add up to the total and keep their ratios, with full per-request records
#       (--records all, each run's results deleted at once), and prints per run the
#       requests, host seconds, host microseconds per request (host s / requests, and the
#       marginal cost: the extra seconds over the previous run's, without what every run
#       pays once) and peak RSS (summary.json's host_max_rss_kib). Writes DIR/NAME.dat
#       (those columns) and DIR/NAME.png (gnuplot: host seconds against requests, log-log;
#       host seconds per request and peak RSS against requests, flat when the simulator's
#       cost and memory do not grow with the run), DIR default build-bench/scaling/, and
#       prints the PNG's path.
#   --bin DIR: take ringsim and ringsim-native from DIR instead of building build/.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

synopsis='usage: scripts/bench.sh [--native | --against REV [--rounds N] | --scaling [--scaling-max E] [-o DIR]] [--bin DIR] [--set K=V]... [FILE.xml]...'
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
smin=3
smax=6
sout=
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
	--scaling) mode=scaling; shift ;;
	--scaling-max) [ $# -ge 2 ] && [[ $2 =~ ^[1-9]$ ]] || usage "--scaling-max needs 1..9"
		smax=$2; shift 2 ;;
	--scaling-min) [ $# -ge 2 ] && [[ $2 =~ ^[1-9]$ ]] || usage "--scaling-min needs 1..9"
		smin=$2; shift 2 ;;
	-o) [ $# -ge 2 ] || usage "-o needs a directory"; sout=$2; shift 2 ;;
	-h|--help) echo "$synopsis"; sed -n '5,31s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) usage "unknown option '$1'" ;;
	*) [ -f "$1" ] || usage "$1: No such file"; files+=("$(realpath "$1")"); shift ;;
	esac
done
[ "$mode" = against ] || [ "$rounds" = 5 ] || usage "--rounds goes with --against"
if [ "$mode" = scaling ]; then
	[ "$smin" -le "$smax" ] || usage "--scaling-min is above --scaling-max"
	[ ${#files[@]} -le 1 ] || usage "--scaling takes one scenario"
	[ ${#files[@]} -eq 1 ] || files=("$top/scenarios/quickstart.xml")
	sout=${sout:-$top/build-bench/scaling}
	mkdir -p "$sout" || usage "-o $sout: cannot create"
	sout=$(realpath "$sout")
elif [ "$smin" != 3 ] || [ "$smax" != 6 ] || [ -n "$sout" ]; then
	usage "--scaling-min, --scaling-max and -o go with --scaling"
fi

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

# run_sim BINARY FILE DIR [--set K=V]...: one run into DIR; prints "REQUESTS HOST_S RSS_KIB"
# or nothing when the binary could not load the scenario (exit 2) or wrote no summary.
records=summary
run_sim() {
	local rc=0 b=$1 f=$2 d=$3 rec=()
	shift 3
	rm -rf "$d"
	[ "$records" = all ] || rec=(--records "$records") # all: run's default, any version's
	if [ "$f" = quickstart ]; then
		"$b" run "${sets[@]}" "$@" -o "$d" --quiet "${rec[@]}" 2>"$d.err" || rc=$?
	else
		"$b" run "$f" "${sets[@]}" "$@" -o "$d" --quiet "${rec[@]}" 2>"$d.err" || rc=$?
	fi
	# exit 1 (an expectation failed, a DUT BUG) still leaves a result to measure
	[ $rc -le 1 ] && [ -f "$d/summary.json" ] || return 0
	echo "$(field generated "$d") $(field host_seconds "$d") $(field host_max_rss_kib "$d")"
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
	# .built-TYPE: written once a build of that type has finished (a build cut short, or of
	# another type, is built again).
	if [ ! -x "$cache/ringsim" ] || [ ! -e "$cache/.built-$type" ] ||
	   ! grep -qx "CMAKE_BUILD_TYPE:STRING=$type" "$cache/CMakeCache.txt"; then
		wt=$out/worktree
		echo "bench: building $against (${commit:0:12}, $type) in $cache" >&2
		git worktree add --detach --quiet "$wt" "$commit"
		trap 'git -C "$top" worktree remove --force "$wt" 2>/dev/null; rm -rf "$out"' EXIT
		rm -f "$cache/CMakeCache.txt" "$cache"/.built-*
		cmake -S "$wt" -B "$cache" -DCMAKE_BUILD_TYPE="$type" >/dev/null
		cmake --build "$cache" -j "$(nproc)" --target ringsim >&2
		touch "$cache/.built-$type"
	fi
	# A REV older than --records writes every record: so does this tree then, like for like.
	# (Its help read whole first: grep -q would stop reading, and pipefail see a SIGPIPE.)
	if ! grep -q -- --records <<<"$("$cache/ringsim" run --help 2>&1)"; then
		records=all
		echo "bench: $against has no --records: both builds write every record" >&2
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
scaling)
	f=${files[0]}
	n=$(name_of "$f")
	# Every job's count scaled to the total: NAME COUNT per line, from the scenario itself.
	jobs=$(xmllint --xpath '//workload/job/@name | //workload/job/@count' "$f" 2>/dev/null |
		sed -n 's/^ *\(name\|count\)="\(.*\)"$/\2/p' | paste - -)
	[ -n "$jobs" ] || usage "$f: no jobs found"
	dat=$sout/$n.dat
	printf '# bench.sh --scaling %s (%s)\n# %s\n' "$n" \
		"$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
		'requests host_s host_us_per_req marginal_us_per_req peak_MiB' >"$dat"
	printf '%-12s %10s %16s %20s %10s\n' requests host_s host_us_per_req \
		marginal_us_per_req peak_MiB
	records=all
	prev=
	for ((e = smin; e <= smax; e++)); do
		total=$(awk -v e="$e" 'BEGIN { printf "%d", 10 ^ e }')
		# Each job's share: in proportion to its count (equal shares if one is not a plain
		# integer), at least 1, the last job taking what rounding left.
		counts=()
		while read -r job c; do counts+=(--set "job.$job.count=$c"); done < <(
			echo "$jobs" | awk -v t="$total" '
				{ name[NR] = $1; c[NR] = $2; if ($2 !~ /^[0-9]+$/) plain = 1 }
				END { for (i = 1; i <= NR; i++) { w = plain ? 1 : c[i]; sum += w; c[i] = w }
					left = t
					for (i = 1; i <= NR; i++) {
						k = i < NR ? int(t * c[i] / sum + 0.5) : left
						if (k < 1) k = 1
						left -= k; print name[i], k } }')
		s=$(run_sim "$sim" "$f" "$out/r" "${counts[@]}")
		rm -rf "$out/r"
		if [ -z "$s" ]; then
			printf '%-12s not run: %s\n' "$total" "$(why "$out/r.err")"
			exit 1
		fi
		# marginal: the host seconds the extra requests cost over the previous run, without
		# what every run pays once (start, mount, results); "-" for the first run.
		awk -v s="$s" -v p="$prev" 'BEGIN { split(s, a, " "); split(p, b, " ");
			m = p == "" || a[1] <= b[1] ? "-" : \
				sprintf("%.3f", (a[2] - b[2]) / (a[1] - b[1]) * 1e6);
			printf "%-12.0f %10.3f %16.3f %20s %10.1f\n", a[1], a[2], a[2] / a[1] * 1e6,
				m, a[3] / 1024 }' | tee -a "$dat"
		prev=$s
	done
	png=$sout/$n.png
	gnuplot <<-EOF
		set terminal pngcairo size 1500,480 font ",10"
		set output "$png"
		set multiplot layout 1,3 title "ringsim host cost against run length: $n"
		set tmargin 4
		set datafile missing "-"
		set logscale x
		set autoscale xfix
		set offsets graph 0.03, graph 0.03, 0, 0
		set format x "10^{%L}"
		set xlabel "requests"
		set grid
		set key off
		set logscale y
		set ylabel "host seconds"
		plot "$dat" using 1:2 with linespoints pt 7
		unset logscale y
		set yrange [0:*]
		set ylabel "host microseconds per request"
		set key top right
		plot "$dat" using 1:3 with linespoints pt 7 title "host s / requests", \\
			"$dat" using 1:4 with linespoints pt 5 title "marginal, over the previous run"
		set key off
		set ylabel "peak RSS, MiB"
		plot "$dat" using 1:5 with linespoints pt 7
		unset multiplot
	EOF
	echo "data: $dat"
	echo "plot: $png"
	;;
esac
