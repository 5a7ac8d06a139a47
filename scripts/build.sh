#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Install what is missing, then configure and build into build/ (incremental).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
[ -f build/CMakeCache.txt ] || cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" >/dev/null
