#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The main job: installs what is missing, builds ringsim (only the binary, not the tests),
# and compares the quickstart scenario (a 9p reader and a Xen block reader) at 4 KiB and
# 64 KiB pages; prints where the report is.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh ringsim
exec build/ringsim compare scenarios/quickstart.xml \
	--vary platform.page-size=4KiB,64KiB -o results/quickstart "$@"
