#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Fuzz ringsim's input readers with libFuzzer under ASan and UBSan (tests/fuzz/README.md):
# builds build-fuzz with clang and -DRINGSIM_FUZZ=ON, then runs each TARGET for SECONDS
# (default 60) from its seed corpus with its dictionary, -timeout=2. A crash, a leak, an
# input that takes over 2 s or runs out of memory fails the run: the reproducer is kept in
# $RINGSIM_FUZZ_ARTIFACTS/TARGET/ (default build-fuzz/fuzz-artifacts/TARGET/), the log in
# TARGET.log beside it. What the fuzzer learns stays in build-fuzz/fuzz/TARGET/corpus.
# Usage: scripts/fuzz.sh [--time SECONDS] [TARGET...]   targets: scenario set results
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
root=$PWD
all=(scenario set results)
time=60
targets=()
while [ $# -gt 0 ]; do
	case $1 in
	--time)
		[[ ${2:-} =~ ^[0-9]+$ ]] || { echo "fuzz.sh: --time takes whole seconds" >&2; exit 2; }
		time=$2
		shift 2
		;;
	scenario | set | results) targets+=("$1"); shift ;;
	*)
		echo "usage: scripts/fuzz.sh [--time SECONDS] [TARGET...]  (targets: ${all[*]})" >&2
		exit 2
		;;
	esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
command -v clang >/dev/null || { echo "fuzz.sh: no clang (scripts/install-deps.sh --test)" >&2; exit 2; }

build=$root/build-fuzz
art=${RINGSIM_FUZZ_ARTIFACTS:-$build/fuzz-artifacts}
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DRINGSIM_FUZZ=ON >/dev/null || exit 2
cmake --build "$build" -j "$(nproc)" --target "${targets[@]/#/fuzz_}" >/dev/null || exit 2

# What each target starts from (tests/fuzz/CMakeLists.txt replays the same) and reads at most.
seeds() {
	case $1 in
	scenario) echo "scenarios tests/scenarios/bad" ;;
	*) echo "tests/fuzz/$1/corpus" ;;
	esac
	echo "tests/fuzz/$1/regressions"
}
declare -A max_len=([scenario]=16384 [set]=1024 [results]=65536)

failed=0
for t in "${targets[@]}"; do
	work=$build/fuzz/$t/corpus
	dict=$build/fuzz/$t.dict
	mkdir -p "$work" "$art/$t"
	case $t in # the schema's words; the results' are those of real results files
	results) cp tests/fuzz/results/results.dict "$dict" ;;
	*) tests/fuzz/dict.sh "$t" >"$dict" || exit 2 ;;
	esac
	echo "fuzz: $t for ${time}s (log: $art/$t.log)" >&2
	# new inputs go to the first directory, the work corpus; the seeds stay as they are
	# shellcheck disable=SC2046
	"$build/tests/fuzz/fuzz_$t" -max_total_time="$time" -timeout=2 -rss_limit_mb=2048 \
		-max_len="${max_len[$t]}" -dict="$dict" -print_final_stats=1 \
		-artifact_prefix="$art/$t/" "$work" $(seeds "$t") >"$art/$t.log" 2>&1
	rc=$?
	grep -E '^#[0-9]+.*(DONE|INITED)' "$art/$t.log" | tail -n 2 >&2
	if [ $rc -ne 0 ]; then
		failed=$((failed + 1))
		echo "fuzz: $t FAILED (exit $rc); reproducer in $art/$t/:" >&2
		ls "$art/$t" >&2
		grep -E 'ERROR|SUMMARY|invariant|Test unit written' "$art/$t.log" | head -n 8 >&2
		echo "fuzz: replay it with $build/tests/fuzz/fuzz_$t FILE; once fixed, add it" \
			"under tests/fuzz/$t/regressions/" >&2
	fi
done
[ $failed -eq 0 ] && echo "fuzz: ${targets[*]}: no crash or hang in ${time}s each" >&2
[ $failed -eq 0 ]
