#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Start a single-node Slurm on localhost (munged, slurmctld, slurmd from Debian's packages,
# no systemd), everything it writes under one state directory; see usage below.
set -euo pipefail

usage() {
	cat <<'EOF'
usage: scripts/slurm-up.sh [-h|--help]

Starts a single-node Slurm cluster on localhost, as root and without systemd: munged with
a key of its own, slurmctld and slurmd (Debian 12's Slurm 22.05; scripts/install-deps.sh
--slurm installs them when slurmctld is missing). One node, named by `hostname -s` at
127.0.0.1 with this machine's CPUs, in one partition `debug`; no accounting (no sacct:
use squeue, `scontrol show job` or the jobs' output files).

Everything the cluster writes is under one state directory, $RINGSIM_SLURM_DIR (default
/tmp/ringsim-slurm): slurm.conf, munge/ (key, socket, pid, log, seed), slurmctld's state,
slurmd's spool, log/ and run/ (pid files). Point the Slurm commands at it with

    export SLURM_CONF=$RINGSIM_SLURM_DIR/slurm.conf    (or: . $RINGSIM_SLURM_DIR/env)

which this script prints when the cluster is up. slurmctld listens on $RINGSIM_SLURM_PORT
(default 6817), slurmd on the port after it.

Idempotent: daemons already running (by their pid files) are left alone, so a second run
leaves one healthy cluster. It returns once `sinfo` reports the node idle (30 s at most,
$RINGSIM_SLURM_TIMEOUT). scripts/slurm-down.sh stops it.

Exit status: 0 the node is idle; 1 it did not come up (the daemons' log tails are
printed); 2 bad usage, or not run as root.
EOF
}

case ${1:-} in
-h | --help) usage; exit 0 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac
if [ "$(id -u)" -ne 0 ]; then
	echo "slurm-up: must run as root (it starts munged, slurmctld and slurmd as root);" \
		"try: sudo $0" >&2
	exit 2
fi

dir=${RINGSIM_SLURM_DIR:-/tmp/ringsim-slurm}
port=${RINGSIM_SLURM_PORT:-6817}
timeout=${RINGSIM_SLURM_TIMEOUT:-30}
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null ||
	! command -v munged >/dev/null || ! command -v sinfo >/dev/null; then
	echo "slurm-up: installing Slurm and munge (scripts/install-deps.sh --slurm)" >&2
	"$here/install-deps.sh" --slurm
fi

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
conf=$dir/slurm.conf
# munged refuses a key, socket or log whose directory others can write to, and a socket
# whose directory not everyone can search (clients of any user talk to it).
mkdir -p "$dir/munge" "$dir/log" "$dir/run" "$dir/state" "$dir/spool"
chmod 0755 "$dir" "$dir/munge"
sock=$dir/munge/munge.socket

# alive PIDFILE NAME: the pid file names a running process of that name.
alive() {
	local pid
	[ -s "$1" ] || return 1
	pid=$(<"$1")
	[[ $pid =~ ^[0-9]+$ ]] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]
}

tails() {
	local f
	for f in "$dir/munge/munged.log" "$dir/log/slurmctld.log" "$dir/log/slurmd.log" \
		"$dir/log/slurmctld.out" "$dir/log/slurmd.out"; do
		[ -s "$f" ] || continue
		echo "--- last lines of $f" >&2
		tail -n 15 "$f" >&2
	done
}

fail() {
	echo "slurm-up: $*" >&2
	tails
	exit 1
}

# munge: a key of the cluster's own, and munged on a socket in the state directory.
if [ ! -s "$dir/munge/munge.key" ]; then
	mungekey --create --keyfile="$dir/munge/munge.key" 2>/dev/null ||
		dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
	chmod 0400 "$dir/munge/munge.key"
fi
if ! alive "$dir/munge/munged.pid" munged; then
	rm -f "$sock" "$sock.lock" "$dir/munge/munged.pid"
	munged --key-file="$dir/munge/munge.key" --socket="$sock" \
		--pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" \
		--seed-file="$dir/munge/munged.seed" ||
		fail "munged did not start"
fi

# slurm.conf, by Slurm 22.05's option names (slurm.conf(5)). The node's CPUs and topology
# are what `slurmd -C` finds; config_overrides lets slurmd register with them regardless.
node=$(hostname -s)
hw=$(slurmd -C | head -n 1 | sed -e 's/^NodeName=[^ ]* //' -e 's/ *UpTime=.*//')
case $hw in *CPUs=*) ;; *) hw="CPUs=$(nproc)" ;; esac
cat >"$conf.tmp" <<EOF
# Written by scripts/slurm-up.sh: a single-node Slurm on localhost, state under $dir.
ClusterName=ringsim
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
MpiDefault=none
# No mail program on these machines; Slurm logs an error at start without one.
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
# Try to start a batch job when it is submitted (the default defers it up to 3 s).
SchedulerParameters=batch_sched_delay=0
SlurmdParameters=config_overrides
ReturnToService=2
# No accounting: no slurmdbd, no sacct.
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
# MaxArraySize is left at its default, 1001: array indices 0 to 1000.
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
NodeName=$node NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
# A second run whose configuration differs (another port, more CPUs) rewrites it; running
# daemons are told to reread it below.
changed=0
cmp -s "$conf.tmp" "$conf" || changed=1
mv "$conf.tmp" "$conf"
printf 'export SLURM_CONF=%s\n' "$conf" >"$dir/env"
export SLURM_CONF=$conf

# The daemons fork into the background and write their pid files.
if alive "$dir/run/slurmctld.pid" slurmctld; then
	[ $changed = 0 ] || scontrol reconfigure || fail "scontrol reconfigure failed"
else
	rm -f "$dir/run/slurmctld.pid"
	slurmctld -f "$conf" >>"$dir/log/slurmctld.out" 2>&1 </dev/null ||
		fail "slurmctld did not start"
fi
if ! alive "$dir/run/slurmd.pid" slurmd; then
	rm -f "$dir/run/slurmd.pid"
	slurmd -f "$conf" -N "$node" >>"$dir/log/slurmd.out" 2>&1 </dev/null ||
		fail "slurmd did not start"
fi

# Up when the node is idle (or already running jobs, on a second run).
deadline=$((SECONDS + timeout))
state=
while :; do
	state=$(sinfo -h -o %T 2>/dev/null | head -n 1 || true)
	case $state in idle | mixed | allocated | completing) break ;; esac
	[ $SECONDS -lt $deadline ] || fail "the node is not idle after ${timeout} s (sinfo: ${state:-no answer})"
	alive "$dir/run/slurmctld.pid" slurmctld || fail "slurmctld exited"
	alive "$dir/run/slurmd.pid" slurmd || fail "slurmd exited"
	sleep 0.1
done
echo "slurm-up: node $node $state, state in $dir; for the Slurm commands:" >&2
echo "export SLURM_CONF=$conf"
