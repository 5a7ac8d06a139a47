#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The structure of a ringsim --trace file (Chrome trace-event JSON), against its run.

Usage: check_trace.py TRACE.json RESULTS_DIR [--window START_US:END_US]

Prints one line per check as "ok NAME" or "FAILED NAME: why", and exits 1 if any failed:
- the file parses, with displayTimeUnit and traceEvents;
- every B has its E on the same track, and no E comes without its B;
- timestamps never go back on a track (file order), nor on a counter;
- every counter's value at each timeseries.csv row's cycle is that row's value (the last
  change at or before the cycle; a change in the same cycle may come after the sample);
- the counters of what is free, which only the trace has (TRACE_ONLY): when a request
  stalls on no_free_descriptors, fewer descriptors are free than requests.csv says it took,
  and when it stalls on grant_reservation, fewer grant references than it reserved;
- the stall slices are the rows of stalls.csv (when it was written), kicks and
  interrupts are summary.json's virtio.kicks and virtio.interrupts, and blkback's service
  slices its blkif.backend_requests;
- every request slice ("9p read", "blk write", ...) holds its DUT functions; each that
  completed ends with its 9P tag or ring slot and its phases, whose means per job are
  summary.json's jobs.JOB.phases;
- with --window, nothing lies outside it.
"""
import csv
import json
import os
import sys
from collections import defaultdict

failures = 0
TRACE_ONLY = ("virtio.descriptors_free", "blkif.grant_refs_free")


def check(name, ok, why=""):
    global failures
    if ok:
        print("ok " + name)
    else:
        failures += 1
        print("FAILED %s: %s" % (name, why))


def main():
    trace, results = sys.argv[1], sys.argv[2]
    window = None
    if len(sys.argv) > 4 and sys.argv[3] == "--window":
        window = tuple(float(x) for x in sys.argv[4].split(":"))
    with open(trace) as f:
        doc = json.load(f)
    check("has_events", isinstance(doc.get("traceEvents"), list) and doc.get("displayTimeUnit"))
    events = doc["traceEvents"]
    summary = json.load(open(os.path.join(results, "summary.json")))
    clock = summary["clock_hz"]

    stacks = defaultdict(list)
    last_ts = {}
    unmatched_e = 0
    back_in_time = []
    counters = defaultdict(list)
    names = {}
    outside = []
    dut_in_request = defaultdict(int)
    ended = []  # (track, slice, end args) of every request slice
    for e in events:
        ph = e["ph"]
        if ph == "M":
            if e["name"] == "thread_name":
                names[e["tid"]] = e["args"]["name"]
            continue
        ts = e["ts"]
        key = ("C", e["name"]) if ph == "C" else (e["pid"], e["tid"])
        if ts < last_ts.get(key, -1.0):
            back_in_time.append((key, ts))
        last_ts[key] = ts
        if window and not (window[0] - 1e-3 <= ts <= window[1] + 1e-3):
            outside.append(e)
        if ph == "B":
            st = stacks[key]
            if st and st[0].find(" ") > 0 and " " not in e["name"]:
                dut_in_request[e["name"]] += 1
            st.append(e["name"])
        elif ph == "E":
            if not stacks[key]:
                unmatched_e += 1
            else:
                name = stacks[key].pop()
                if not stacks[key] and " " in name:
                    ended.append((names.get(e["tid"], ""), name, e.get("args") or {}))
        elif ph == "C":
            counters[e["name"]].append((ts, e["args"]["value"]))
    open_b = sum(len(s) for s in stacks.values())
    check("every_B_has_its_E", open_b == 0, "%d slices never ended" % open_b)
    check("no_E_without_B", unmatched_e == 0, "%d ends without a begin" % unmatched_e)
    check("monotonic_per_track", not back_in_time, "back in time: %s" % back_in_time[:3])
    if window:
        check("inside_window", not outside, "%d events outside: %s" % (len(outside), outside[:2]))
        return

    # Counters against the timeseries.
    with open(os.path.join(results, "timeseries.csv")) as f:
        rows = list(csv.DictReader(f))
    mismatches = []
    for name, changes in counters.items():
        if name in TRACE_ONLY:
            continue
        if not rows or name not in rows[0]:
            mismatches.append((name, "not a timeseries column"))
            continue
        i, before, at = 0, 0.0, 0.0
        for r in rows:
            t = int(r["cycle"]) * 1e6 / clock
            while i < len(changes) and changes[i][0] <= t + 1e-6:
                if changes[i][0] < t - 1e-6:
                    before = changes[i][1]
                at = changes[i][1]
                i += 1
            v = float(r[name])
            if v != at and v != before:
                mismatches.append((name, r["cycle"], v, at))
            before = at
    check("counters_match_timeseries", counters and not mismatches,
          "%d mismatches: %s" % (len(mismatches), mismatches[:3]))

    check_free(counters, results, clock, summary)
    check_request_phases(ended, summary)

    stalls_csv = os.path.join(results, "stalls.csv")
    if os.path.exists(stalls_csv):
        with open(stalls_csv) as f:
            n_stalls = sum(1 for _ in csv.DictReader(f))
        n_x = sum(1 for e in events if e["ph"] == "X" and names[e["tid"]].startswith("stall "))
        check("stalls_are_stalls_csv", n_x == n_stalls, "%d slices, %d rows" % (n_x, n_stalls))
    metrics = summary.get("metrics", summary)
    virtio = metrics.get("virtio")
    if virtio:
        kicks = sum(1 for e in events if e["ph"] == "i" and e["name"] == "kick")
        irqs = sum(1 for e in events if e["ph"] == "i" and e["name"] == "interrupt")
        check("kicks", kicks == virtio["kicks"], "%d, summary %s" % (kicks, virtio["kicks"]))
        check("interrupts", irqs == virtio["interrupts"],
              "%d, summary %s" % (irqs, virtio["interrupts"]))
        check("p9_virtio_zc_request_in_requests", dut_in_request["p9_virtio_zc_request"] > 0
              or dut_in_request["p9_virtio_request"] > 0, "none inside a request slice")
    if metrics.get("blkif"):
        check("blkif_queue_rw_req_in_requests", dut_in_request["blkif_queue_rw_req"] > 0,
              "none inside a request slice")
        served = sum(1 for e in events if e["ph"] == "X" and
                     names[e["tid"]].startswith("xen-blk backend service"))
        want = metrics["blkif"]["backend_requests"]
        check("backend_service_slices", served == want, "%d, summary %s" % (served, want))
    print("check_trace: %d events, %d tracks, %d counters" % (len(events), len(names),
                                                               len(counters)))


def value_at(changes, ts):
    """A counter's value at @ts: its last change at or before it (None before the first)."""
    v = None
    for t, x in changes:
        if t > ts + 1e-6:
            break
        v = x
    return v


PHASES = ("build_cycles", "wait_cycles", "ring_cycles", "device_cycles", "completion_cycles")


def check_request_phases(ended, summary):
    sums, missing = defaultdict(lambda: [0] * (len(PHASES) + 1)), []
    for track, name, args in ended:
        if args.get("status") != "ok" or track.startswith("virtio-9p") or track.startswith("xen-blk"):
            continue
        where = "tag" if name.startswith("9p ") else "ring_slot"
        if where not in args or any(p not in args for p in PHASES):
            missing.append((track, name, args))
            continue
        job = track.rsplit(" #", 1)[0]
        for i, p in enumerate(PHASES):
            sums[job][i] += args[p]
        sums[job][-1] += 1
    check("requests_end_with_tag_or_slot_and_phases", ended and not missing,
          "%d of %d without: %s" % (len(missing), len(ended), missing[:2]))
    bad = []
    for job, v in sums.items():
        want = summary["jobs"][job]["phases"]
        if v[-1] != want["requests"] or any(abs(v[i] / v[-1] - want[p]) > 1e-6 * (1 + want[p])
                                            for i, p in enumerate(PHASES)):
            bad.append((job, v, want))
    check("request_phases_are_the_summary", sums and not bad, str(bad[:2]))


def check_free(counters, results, clock, summary):
    virtio = summary.get("metrics", summary).get("virtio")
    if virtio:
        check("descriptors_free_track", bool(counters.get("virtio.descriptors_free")),
              "no virtio.descriptors_free counter")
    if summary.get("metrics", summary).get("blkif"):
        check("grant_refs_free_track", bool(counters.get("blkif.grant_refs_free")),
              "no blkif.grant_refs_free counter")
    stalls_csv = os.path.join(results, "stalls.csv")
    if not os.path.exists(stalls_csv):
        return
    with open(os.path.join(results, "requests.csv")) as f:
        reqs = {r["id"]: r for r in csv.DictReader(f)}
    waits = {"no_free_descriptors": ("virtio.descriptors_free", "descriptors"),
             "grant_reservation": ("blkif.grant_refs_free", "grants_reserved")}
    seen, bad = defaultdict(int), []
    with open(stalls_csv) as f:
        for r in csv.DictReader(f):
            if r["cause"] not in waits or r["request"] not in reqs:
                continue
            track, column = waits[r["cause"]]
            v = value_at(counters.get(track, []), int(r["start_cycle"]) * 1e6 / clock)
            seen[r["cause"]] += 1
            if v is None or v >= int(reqs[r["request"]][column]):
                bad.append((r["cause"], r["start_cycle"], r["request"], v, reqs[r["request"]][column]))
    for cause in seen:
        check("stalled_with_too_few_free_" + cause, not [b for b in bad if b[0] == cause],
              "%d of %d stalls: %s" % (len(bad), seen[cause], bad[:3]))


main()
sys.exit(1 if failures else 0)
