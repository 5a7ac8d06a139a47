#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Where a request's latency goes (jobs.NAME.phases.*, issue 18), cut where the device takes
# it off the ring and where it answers: one request in flight at a time, so nothing queues,
# and a device that is slower by D cycles (the 9P server's time, the disk's latency) must
# move exactly D cycles into device_cycles and leave the build, the waits, the ring and the
# completion as they were. The five phases add up to the latency.
# Usage: test_phases.sh RINGSIM
set -u
ringsim=$1
work=$(mktemp -d /tmp/rs_phases.XXXXXX)
trap 'rm -rf "$work"' EXIT
CHECK_SHOW_ERR=1
. "$(dirname "$0")/../lib/check.sh"

cat >"$work/9p.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<scenario name="phases-9p" seed="1">
  <platform page-size="4KiB" clock="1GHz" memory="256MiB" vcpus="1"/>
  <virtio-9p queue-size="128" msize="512000" indirect-descriptors="false" workers="1"
             server-time="2000cycles" server-time-per-KiB="0cycles"/>
  <workload>
    <job name="r" device="9p" op="read" block-size="16KiB" count="50" depth="1" buffer="user"/>
  </workload>
</scenario>
XML
cat >"$work/blk.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<scenario name="phases-blk" seed="1">
  <platform page-size="4KiB" clock="1GHz" memory="256MiB" vcpus="1"/>
  <xen-blk ring-pages="1" disk-latency="10000cycles"/>
  <workload>
    <job name="r" device="blk" op="read" block-size="4KiB" count="50" depth="1" io="direct"/>
  </workload>
</scenario>
XML

# moved NAME SCENARIO SET DELTA: run SCENARIO as it is and with --set SET; the second's
# device_cycles must be DELTA more, every other phase the same, each run's sum its latency.
moved() {
	local name=$1 f=$2 set=$3 delta=$4
	run "$ringsim" run "$f" -o "$work/$name-a" --quiet
	check "${name}_runs" [ "$rc" = 0 ]
	run "$ringsim" run "$f" --set "$set" -o "$work/$name-b" --quiet
	check "${name}_runs_slower" [ "$rc" = 0 ]
	python3 - "$work/$name-a/summary.json" "$work/$name-b/summary.json" "$delta" \
		>"$work/py" 2>&1 <<'PY'
import json, sys
a, b = (json.load(open(f))["jobs"]["r"] for f in sys.argv[1:3])
delta = int(sys.argv[3])
names = ("build_cycles", "wait_cycles", "ring_cycles", "device_cycles", "completion_cycles")
bad = []
for r in (a, b):
    p = r["phases"]
    if abs(sum(p[n] for n in names) - r["latency_cycles"]["mean"]) > 1e-9 * r["latency_cycles"]["mean"]:
        bad.append(("sum", p, r["latency_cycles"]["mean"]))
    if p["requests"] != r["requests"]["completed"] or p["requests"] != 50:
        bad.append(("requests", p["requests"], r["requests"]["completed"]))
    if min(p[n] for n in names if n != "wait_cycles") <= 0 or p["wait_cycles"] != 0:
        bad.append(("a phase that cannot be empty is", p))
for n in names:
    want = a["phases"][n] + (delta if n == "device_cycles" else 0)
    if abs(b["phases"][n] - want) > 1e-9:
        bad.append((n, a["phases"][n], b["phases"][n], want))
print(a["phases"], b["phases"], "bad:", bad)
sys.exit(1 if bad else 0)
PY
	check "${name}_device_moved_by_$delta" [ $? = 0 ]
	sed 's/^/  /' "$work/py"
}

moved 9p "$work/9p.xml" virtio-9p.server-time=12000cycles 10000
moved blk "$work/blk.xml" xen-blk.disk-latency=30000cycles 20000

finish phases
