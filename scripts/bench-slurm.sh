#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The Slurm executor's cost per point. Not a test: the numbers depend on the machine and
# the cluster; every one is measured.
#
#   scripts/bench-slurm.sh [--points N] [-j J] [--bin DIR]
#       runs one sweep of N tiny points (default 200: a 9p read of a few dozen requests,
#       its count varied) with `compare --executor local -j J` and with `--executor slurm
#       -j J` (J default: the number of cores), and prints for each the wall seconds and
#       host seconds per point, and slurm / local. It uses the cluster $SLURM_CONF names
#       when sinfo answers; else (as root) it starts one of its own with
#       scripts/slurm-up.sh in a temporary state directory, and takes it down at the end.
#   --bin DIR: take ringsim from DIR instead of building build/.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

usage() {
	[ $# -gt 0 ] && echo "bench-slurm.sh: $*" >&2
	echo "usage: scripts/bench-slurm.sh [--points N] [-j J] [--bin DIR]" >&2
	exit 2
}

points=200
jobs=$(nproc)
bin=
while [ $# -gt 0 ]; do
	case $1 in
	--points) [ $# -ge 2 ] && [[ $2 =~ ^[1-9][0-9]*$ ]] || usage "--points needs a count >= 1"
		points=$2; shift 2 ;;
	-j) [ $# -ge 2 ] && [[ $2 =~ ^[1-9][0-9]*$ ]] || usage "-j needs a count >= 1"
		jobs=$2; shift 2 ;;
	--bin) [ $# -ge 2 ] && [ -d "$2" ] || usage "--bin needs a directory"; bin=$(realpath "$2")
		shift 2 ;;
	-h | --help) sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) usage "unknown argument: $1" ;;
	esac
done
if [ -z "$bin" ]; then
	scripts/build.sh >/dev/null
	bin=$top/build
fi
ringsim=$bin/ringsim

work=$(mktemp -d "$top/build-bench-slurm.XXXXXX") # beside the tree: shared if it is
own=
cleanup() {
	[ -z "$own" ] || RINGSIM_SLURM_DIR=$own "$top/scripts/slurm-down.sh" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
if ! sinfo -h >/dev/null 2>&1; then
	[ "$(id -u)" = 0 ] ||
		usage "no Slurm answers (sinfo; SLURM_CONF=${SLURM_CONF:-unset}), and starting one needs root"
	own=$(mktemp -d /tmp/rs_bench_slurm.XXXXXX)
	RINGSIM_SLURM_DIR=$own RINGSIM_SLURM_PORT=${RINGSIM_SLURM_PORT:-6917} \
		"$top/scripts/slurm-up.sh" >/dev/null
	export SLURM_CONF=$own/slurm.conf
fi

cat >"$work/tiny.xml" <<'EOF'
<scenario name="tiny" seed="1">
  <platform page-size="4KiB" memory="256MiB"/>
  <virtio-9p queue-size="128" msize="512000"/>
  <workload>
    <job name="r" device="9p" op="read" block-size="16KiB" count="30" depth="1"
         buffer="user" page-offset="0"/>
  </workload>
</scenario>
EOF
counts=$(seq -s, 20 $((20 + points - 1)))

# seconds EXECUTOR: wall seconds of the whole comparison (host time: the points are tiny)
seconds() {
	local t0 t1
	t0=$EPOCHREALTIME
	"$ringsim" compare "$work/tiny.xml" --vary "job.r.count=$counts" -o "$work/$1" -j "$jobs" \
		--executor "$1" -q >/dev/null
	t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

local_s=$(seconds local)
slurm_s=$(seconds slurm)
cmp -s "$work/local/compare.csv" "$work/slurm/compare.csv" ||
	echo "bench-slurm: compare.csv differs between the executors" >&2
awk -v n="$points" -v j="$jobs" -v l="$local_s" -v s="$slurm_s" 'BEGIN {
	printf "%d points, -j %d: local %.2f s (%.4f s/point), slurm %.2f s (%.4f s/point), slurm / local %.2f\n",
		n, j, l, l / n, s, s / n, s / l
}'
