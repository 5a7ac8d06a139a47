#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# scripts/slurm-up.sh and slurm-down.sh on this machine: a real single-node Slurm in a state
# directory of its own, a job array of 3 tasks, a cancelled job, and the cluster taken down
# again (also when a check fails). Needs root and the Slurm packages (slurm-up.sh installs
# them with scripts/install-deps.sh --slurm); fails with a message otherwise.
# Argument: the source tree's root.
set -u
root=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
. "$root/tests/slurm/lib.sh"
# Its own ports, so that a cluster a user keeps up (6817) is left alone.
slurm_setup slurm_up 20000 20000

# since T0: seconds from EPOCHREALTIME T0 to now, to 0.1 s.
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

queue_empty() { [ -z "$(squeue -h -j "$1" -o %i 2>/dev/null)" ]; }
job_state_is() { scontrol show job "$1" 2>/dev/null | grep -q "JobState=$2 "; }
job_running() { [ "$(squeue -h -j "$1" -o %T 2>/dev/null)" = RUNNING ]; }

# Up, from a fresh state directory.
start=$EPOCHREALTIME
run "$root/scripts/slurm-up.sh"
if [ "$rc" != 0 ]; then
	echo "$err" >&2
	command -v slurmctld >/dev/null ||
		echo "test_slurm_up: the Slurm packages are not installed, and" \
			"scripts/install-deps.sh --slurm could not install them" >&2
	echo "test_slurm_up: scripts/slurm-up.sh failed (exit $rc)" >&2
	fail=1
	finish test_slurm_up
	exit
fi
echo "slurm-up: $(since "$start") s to an idle node"
conf=$RINGSIM_SLURM_DIR/slurm.conf
check "up prints the SLURM_CONF export" [ "$out" = "export SLURM_CONF=$conf" ]
check "up writes DIR/env" grep -qxF "export SLURM_CONF=$conf" "$RINGSIM_SLURM_DIR/env"
. "$RINGSIM_SLURM_DIR/env"
check "the node is idle" [ "$(sinfo -h -o %T)" = idle ]
check "the node is this host" [ "$(sinfo -h -o %N)" = "$(hostname -s)" ]
check "the node has this machine's CPUs" [ "$(sinfo -h -o %c)" = "$(nproc)" ]
for f in state spool log/slurmctld.log log/slurmd.log munge/munge.key munge/munge.socket \
	run/slurmctld.pid run/slurmd.pid munge/munged.pid; do
	check "up writes $f under the state directory" [ -e "$RINGSIM_SLURM_DIR/$f" ]
done

# A second run leaves the same daemons, and one healthy cluster.
pids=$(cat "$RINGSIM_SLURM_DIR"/run/*.pid "$RINGSIM_SLURM_DIR/munge/munged.pid")
run "$root/scripts/slurm-up.sh"
check "a second up succeeds" [ "$rc" = 0 ]
check "a second up keeps the daemons" \
	[ "$(cat "$RINGSIM_SLURM_DIR"/run/*.pid "$RINGSIM_SLURM_DIR/munge/munged.pid")" = "$pids" ]
check "a second up leaves the node idle" [ "$(sinfo -h -o %T)" = idle ]

# A job array of 3 tasks, each writing its index into its output file in the test dir.
cat >"$work/task.sh" <<'EOF'
#!/bin/sh
echo "$SLURM_ARRAY_TASK_ID"
EOF
start=$EPOCHREALTIME
run sbatch --parsable --array=0-2 --output="$work/task-%a.out" "$work/task.sh"
check "sbatch --array=0-2 succeeds" [ "$rc" = 0 ]
array=${out%%;*}
check "the array finishes within 60 s" wait_until 60 queue_empty "$array"
echo "a 3-task array: $(since "$start") s from sbatch to an empty queue"
for i in 0 1 2; do
	check "array task $i wrote its index" [ "$(cat "$work/task-$i.out" 2>/dev/null)" = "$i" ]
done
# No accounting (no sacct): slurmctld still knows the finished jobs for MinJobAge (300 s).
check "scontrol shows the 3 tasks completed" \
	[ "$(scontrol show job "$array" | grep -c 'JobState=COMPLETED')" = 3 ]

# A long job, cancelled: out of the queue within a few seconds.
run sbatch --parsable --output=/dev/null --wrap "sleep 300"
check "sbatch of a long job succeeds" [ "$rc" = 0 ]
long=${out%%;*}
check "the long job runs" wait_until 30 job_running "$long"
run scancel "$long"
check "scancel succeeds" [ "$rc" = 0 ]
check "the cancelled job leaves the queue within 10 s" wait_until 10 queue_empty "$long"
check "scontrol shows it cancelled" job_state_is "$long" CANCELLED

# Down: the daemons gone, the directory removed; a second down is harmless.
daemons=$(cat "$RINGSIM_SLURM_DIR"/run/*.pid "$RINGSIM_SLURM_DIR/munge/munged.pid")
start=$EPOCHREALTIME
run "$root/scripts/slurm-down.sh"
check "down succeeds" [ "$rc" = 0 ]
echo "slurm-down: $(since "$start") s"
[ "$rc" = 0 ] || echo "$err" >&2
gone=1
for p in $daemons; do # a zombie has exited (only its reaping is pending)
	st=$(sed 's/^.*) \(.\).*/\1/' "/proc/$p/stat" 2>/dev/null) || continue
	[ "$st" = Z ] || gone=0
done
check "down stops munged, slurmctld and slurmd" [ $gone = 1 ]
check "down removes the state directory" [ ! -e "$RINGSIM_SLURM_DIR" ]
run "$root/scripts/slurm-down.sh"
check "down with nothing up succeeds" [ "$rc" = 0 ]

finish test_slurm_up
