#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The main job: installs what is missing, builds, runs the built-in quickstart scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
exec build/ringsim run -o results/quickstart "$@"
