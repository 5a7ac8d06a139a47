#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Stop the single-node Slurm that scripts/slurm-up.sh started; see usage below.
set -uo pipefail

usage() {
	cat <<'EOF'
usage: scripts/slurm-down.sh [--keep] [-h|--help]

Stops the single-node Slurm cluster scripts/slurm-up.sh started in $RINGSIM_SLURM_DIR
(default /tmp/ringsim-slurm): cancels its jobs, sends SIGTERM to slurmd, slurmctld and
munged (by their pid files) and to any slurmstepd of this cluster still running (with
its job's processes), SIGKILL to whatever is still there 5 s later, waits for them to
exit, and removes the state directory.
  --keep   keep the state directory (slurm.conf, logs, munge key, slurmctld's state)
Safe to run when nothing is up.

Exit status: 0 everything it found is stopped; 1 a process survived SIGKILL; 2 bad usage,
or not run as root.
EOF
}

keep=0
for arg in "$@"; do
	case $arg in
	-h | --help) usage; exit 0 ;;
	--keep) keep=1 ;;
	*) usage >&2; exit 2 ;;
	esac
done
if [ "$(id -u)" -ne 0 ]; then
	echo "slurm-down: must run as root (the daemons run as root); try: sudo $0" >&2
	exit 2
fi

dir=${RINGSIM_SLURM_DIR:-/tmp/ringsim-slurm}
if [ ! -d "$dir" ]; then
	echo "slurm-down: nothing in $dir" >&2
	exit 0
fi
dir=$(cd "$dir" && pwd)
conf=$dir/slurm.conf
grace=5

# pid_of PIDFILE NAME: the pid, when the file names a running process of that name.
pid_of() {
	local pid
	[ -s "$1" ] || return 1
	pid=$(<"$1")
	[[ $pid =~ ^[0-9]+$ ]] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] && echo "$pid"
}

# The jobs first, while slurmctld can still cancel them (their processes are not the
# daemons' children once slurmstepd runs them).
if [ -f "$conf" ] && pid_of "$dir/run/slurmctld.pid" slurmctld >/dev/null; then
	export SLURM_CONF=$conf
	mapfile -t jobs < <(squeue -h -o %i 2>/dev/null)
	if [ ${#jobs[@]} -gt 0 ]; then
		scancel --full "${jobs[@]}" 2>/dev/null
		for _ in $(seq 50); do
			[ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
			sleep 0.1
		done
	fi
fi

pids=()
for d in "run/slurmd.pid slurmd" "run/slurmctld.pid slurmctld" "munge/munged.pid munged"; do
	read -r file name <<<"$d"
	p=$(pid_of "$dir/$file" "$name") && pids+=("$p")
done
# slurmstepd (and the job steps under it) that outlived a cancel or slurmd: the ones
# holding a file of this state directory open (slurmd's log, which they inherit).
descendants() { # PID: its children, theirs, ...
	local c
	for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		echo "$c"
		descendants "$c"
	done
}
for p in $(pgrep -x slurmstepd); do
	for f in /proc/"$p"/fd/*; do
		case $(readlink "$f" 2>/dev/null) in "$dir"/*)
			mapfile -t -O "${#pids[@]}" pids < <(echo "$p"; descendants "$p")
			break
			;;
		esac
	done
done

rc=0
if [ ${#pids[@]} -gt 0 ]; then
	kill -TERM "${pids[@]}" 2>/dev/null
	left() { # keep in pids those still running (a zombie has exited: only unreaped)
		local p st n=()
		for p in "${pids[@]}"; do
			st=$(sed 's/^.*) \(.\).*/\1/' "/proc/$p/stat" 2>/dev/null) || continue
			[ "$st" = Z ] || n+=("$p")
		done
		pids=("${n[@]}")
		[ ${#pids[@]} -gt 0 ]
	}
	survivors() { ps -o pid=,stat=,comm= -p "${pids[@]}" 2>/dev/null | tr -s ' \n' ' '; }
	deadline=$((SECONDS + grace))
	while left && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
	if left; then
		echo "slurm-down: still running after ${grace} s, SIGKILL: $(survivors)" >&2
		kill -KILL "${pids[@]}" 2>/dev/null
		deadline=$((SECONDS + grace))
		while left && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
		if left; then
			echo "slurm-down: survived SIGKILL: $(survivors)" >&2
			rc=1
		fi
	fi
fi

if [ $rc != 0 ]; then
	echo "slurm-down: state kept in $dir" >&2
elif [ $keep = 1 ]; then
	rm -f "$dir/run/"*.pid "$dir/munge/munged.pid" 2>/dev/null
	echo "slurm-down: stopped; state kept in $dir" >&2
else
	rm -rf "$dir"
	echo "slurm-down: stopped; removed $dir" >&2
fi
exit $rc
