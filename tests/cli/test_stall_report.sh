#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The stalls of each point in compare.json and report.html (issue 18), against the points'
# own stalls.csv: per ring and cause the count, the cycles, the longest and a log2
# histogram of their lengths whose bins hold every stall once, each in the bin [LO, HI)
# of its length; the five longest stalls of the point (ties in stalls.csv's order), with
# their request; report.html shows both, and what each stall was waiting for. Each job's
# latency split into its phases adds up to it, drawn as a stacked bar per point.
# Usage: test_stall_report.sh RINGSIM SOURCE_DIR
set -u
ringsim=$1
src=$2
work=$(mktemp -d /tmp/rs_stall_report.XXXXXX)
trap 'rm -rf "$work"' EXIT
CHECK_SHOW_ERR=1
. "$src/tests/lib/check.sh"

run "$ringsim" compare "$src/scenarios/quickstart.xml" --vary platform.page-size=4KiB,64KiB \
	--vary job.9p-read.depth=4,16 -o "$work/c" --quiet -j 2
check compare_ok [ "$rc" = 0 ]
python3 - "$work/c" >"$work/py" 2>&1 <<'PY'
import csv, json, os, sys
top = sys.argv[1]
doc = json.load(open(os.path.join(top, "compare.json")))
bad = []
stalled = 0
for p in doc["points"]:
    rows = list(csv.DictReader(open(os.path.join(top, p["dir"], "stalls.csv"))))
    stalled += bool(rows)
    by = {}
    for r in rows:
        by.setdefault((r["ring"], r["cause"]), []).append(int(r["cycles"]))
    got = {(s["ring"], s["cause"]): s for s in p["stalls"]}
    if set(got) != set(by):
        bad.append((p["name"], "causes", sorted(got), sorted(by)))
    for k, lens in by.items():
        s = got.get(k)
        if not s:
            continue
        if (s["count"], s["cycles"], s["max_cycles"]) != (len(lens), sum(lens), max(lens)):
            bad.append((p["name"], k, "count/cycles/max"))
        bins = s["histogram"]
        if sum(b[2] for b in bins) != len(lens):
            bad.append((p["name"], k, "histogram total"))
        for lo, hi, n in bins:
            if hi != 2 * lo or n != sum(1 for c in lens if lo <= c < hi or (c == 0 and lo == 1)):
                bad.append((p["name"], k, "bin", lo, hi, n))
    want = sorted(rows, key=lambda r: -int(r["cycles"]))[:5]  # sorted() is stable
    got_l = [(s["cause"], s["cycles"], s["request"], s["start_cycle"]) for s in p["longest_stalls"]]
    want_l = [(r["cause"], int(r["cycles"]), int(r["request"]), int(r["start_cycle"])) for r in want]
    if got_l != want_l:
        bad.append((p["name"], "longest", got_l, want_l))
print("points with stalls:", stalled)
print("bad:", bad)
sys.exit(1 if bad or not stalled else 0)
PY
check compare_json_stalls [ $? = 0 ]
sed 's/^/  /' "$work/py"
check report_longest grep -qF "<p>The longest stalls:</p>" "$work/c/report.html"
check report_waiting_for grep -qF "free descriptors on the virtqueue" "$work/c/report.html"
check report_histogram grep -qF "log<sub>2</sub> buckets" "$work/c/report.html"

# Where the latency goes: at every point, each job's five phases add up to its latency
# (the means, over every completed request here); a stacked bar chart per job.
python3 - "$work/c" >"$work/py" 2>&1 <<'PY'
import json, sys
doc = json.load(open(sys.argv[1] + "/compare.json"))
bad, seen = [], 0
for p in doc["points"]:
    m = p["metrics"]
    for job in ("9p-read", "blk-read"):
        k = "jobs.%s.phases." % job
        lat = m["jobs.%s.latency_cycles.mean" % job]
        parts = [m[k + n] for n in ("build_cycles", "wait_cycles", "ring_cycles",
                                    "device_cycles", "completion_cycles")]
        counts = {m[k + "requests"]}
        seen += 1
        if abs(sum(parts) - lat) > 1e-6 * lat or counts != {m["jobs.%s.requests.completed" % job]}:
            bad.append((p["name"], job, parts, lat, counts))
print("job points:", seen, "bad:", bad)
sys.exit(1 if bad or not seen else 0)
PY
check phases_add_up [ $? = 0 ]
sed 's/^/  /' "$work/py"
check phases_plot_9p [ -s "$work/c/plots/phases_9p_read.svg" ]
check phases_plot_blk [ -s "$work/c/plots/phases_blk_read.svg" ]
check phases_in_report grep -qF "phases_9p_read" "$work/c/report.html"

finish stall_report
