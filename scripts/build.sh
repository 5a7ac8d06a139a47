#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Install what is missing, then configure and build into build/ (incremental), showing
# cmake's progress. With TARGETs, only those (and what they need) are built.
# Usage: scripts/build.sh [--test] [TARGET...]   (--test: also the test suite's tools)
set -euo pipefail
cd "$(dirname "$0")/.."
deps=()
[ "${1:-}" = --test ] && deps=(--test) && shift
scripts/install-deps.sh "${deps[@]}"
if [ ! -f build/CMakeCache.txt ]; then
	echo "build: configuring build/ (cmake, RelWithDebInfo)" >&2
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
targets=()
for t in "$@"; do
	targets+=(--target "$t")
done
echo "build: compiling ${*:-everything} with $(nproc) jobs" >&2
cmake --build build -j "$(nproc)" "${targets[@]}"
