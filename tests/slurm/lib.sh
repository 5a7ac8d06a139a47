# SPDX-License-Identifier: GPL-2.0-only
# Sourced by the slurm tests: a cluster of their own (state directory, ports), its logs when
# a check failed, taken down at exit, and a poll with a deadline.
# slurm_setup NAME PORT_BASE PORT_SPAN: root or exit 1; $work, $RINGSIM_SLURM_DIR and a free
# even RINGSIM_SLURM_PORT (and the next) in BASE .. BASE + 2 * SPAN, away from a user's 6817.
# Needs $root (the source tree); sources tests/lib/check.sh.
slurm_setup() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "$1: must run as root (scripts/slurm-up.sh starts munged, slurmctld and" \
			"slurmd as root)" >&2
		exit 1
	fi
	work=$(mktemp -d "/tmp/rs_$1.XXXXXX")
	export RINGSIM_SLURM_DIR
	RINGSIM_SLURM_DIR=$(mktemp -d "/tmp/rs_$1_state.XXXXXX")
	. "$root/tests/lib/check.sh"
	export RINGSIM_SLURM_PORT=$(($2 + RANDOM % $3 * 2))
	for _ in 1 2 3 4 5 6 7 8; do
		slurm_port_free "$RINGSIM_SLURM_PORT" && break
		RINGSIM_SLURM_PORT=$((RINGSIM_SLURM_PORT + 2))
	done
	trap slurm_down EXIT
}
slurm_port_free() { [ -z "$(ss -Hltn "( sport = :$1 or sport = :$(($1 + 1)) )" 2>/dev/null)" ]; }
slurm_logs() {
	local f
	for f in "$RINGSIM_SLURM_DIR"/log/*.log "$RINGSIM_SLURM_DIR"/munge/munged.log; do
		[ -s "$f" ] || continue
		echo "--- last lines of $f" >&2
		tail -n 20 "$f" >&2
	done
}
slurm_down() {
	[ "${fail:-0}" = 0 ] || slurm_logs
	"$root/scripts/slurm-down.sh" >/dev/null 2>&1
	rm -rf "$work" "$RINGSIM_SLURM_DIR"
}
# wait_until SECONDS CMD...: poll CMD every 0.1 s until it succeeds or the time is up.
wait_until() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt $deadline ] || return 1
		sleep 0.1
	done
}
