#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Every metric means what it says (issue 13), through the real CLI: whose pins
# virtio.pinned_pages counts, the window throughput is measured over, the rows of requests
# that did not complete, and Little's law on every shipped example.
# Usage: test_metrics.sh RINGSIM SOURCE_DIR
set -u
ringsim=$1
src=$2
work=$(mktemp -d /tmp/rs_metrics.XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$src/tests/lib/check.sh"
. "$src/tests/lib/json.sh"

# a == b within a relative 1e-9 (awk's doubles)
same() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b;
	exit !(d <= 1e-9 * m) }'; }
less() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }
abs_less() { awk -v a="$1" -v b="$2" 'BEGIN { if (a < 0) a = -a; exit !(a < b) }'; }

# --- virtio.pinned_pages counts the 9p transport's pins only. The quickstart's 9p reader
# at depth 1 reads 64 KiB into a page-aligned user buffer: 16 pages of 4 KiB pinned while
# it is in flight, never more. Its blk reader pins its direct-I/O pages beside it, which
# count in the guest-wide memory.pinned_pages only.
run "$ringsim" run --set job.9p-read.depth=1 -o "$work/pin" --quiet
s=$work/pin/summary.json
check pin_exit_0 [ "$rc" = 0 ]
check pin_9p_level_max_16 [ "$(jget "$s" virtio.pinned_pages.max)" = 16 ]
check pin_9p_counter_16 [ "$(jget "$s" virtio.pinned_pages_max)" = 16 ]
check pin_guest_wide_more less 16 "$(jget "$s" memory.pinned_pages.max)"
check pin_guest_wide_peak_agrees [ "$(jget "$s" memory.pinned_pages.max)" = "$(jget "$s" memory.pinned_pages_max)" ]

# --- throughput over the workload's window, not mount and teardown. One 64 KiB read: the
# window is that read's latency, so throughput = 65536 B x 1 GHz / latency. At 64 KiB pages
# it takes 3 descriptors (out header, in header, one page): the one sample of
# descriptors_per_request, whatever the mount's RPCs took (counted apart).
cat >"$work/one.xml" <<'XML'
<scenario name="one-read" seed="1">
  <platform page-size="64KiB" clock="1GHz" memory="1GiB"/>
  <virtio-9p queue-size="128" msize="512000" indirect-descriptors="false"/>
  <workload>
    <job name="r" device="9p" op="read" block-size="64KiB" count="1" depth="1"
         buffer="user" page-offset="0"/>
  </workload>
</scenario>
XML
run "$ringsim" run "$work/one.xml" -o "$work/one" --quiet
s=$work/one/summary.json
lat=$(jget "$s" latency_cycles.max)
check one_exit_0 [ "$rc" = 0 ]
check one_span_is_latency [ "$(jget "$s" requests.span_cycles)" = "$lat" ]
check one_window_excludes_mount less "$lat" "$(jget "$s" simulated_cycles)"
check one_throughput_by_hand same "$(jget "$s" throughput.bytes_per_second)" \
	"$(awk -v l="$lat" 'BEGIN { printf "%.17g", 65536 * 1e9 / l }')"
check one_job_throughput same "$(jget "$s" jobs.r.throughput.bytes_per_second)" \
	"$(jget "$s" throughput.bytes_per_second)"
check one_descriptors_one_sample [ "$(jget "$s" virtio.descriptors_per_request.count)" = 1 ]
check one_descriptors_3 [ "$(jget "$s" virtio.descriptors_per_request.max)" = 3 ]
check one_sg_entries_3 [ "$(jget "$s" virtio.sg_entries_per_request.max)" = 3 ]
check one_rpc_on_the_ring [ "$(jget "$s" virtio.requests)" = 1 ]
check one_mount_rpcs_apart less 0 "$(jget "$s" virtio.mount.rpcs)"
check one_requests_per_second same "$(jget "$s" jobs.r.throughput.requests_per_second)" \
	"$(awk -v l="$lat" 'BEGIN { printf "%.17g", 1e9 / l }')"

# --- requests that did not complete still end: a completion cycle and a status. The sg
# overflow's one write hits BUG_ON: the run stops with it in flight ("unfinished", ended at
# the run's last cycle). Interrupted reads end when the signal returns them to user space.
run "$ringsim" run "$src/scenarios/examples/9p-sg-overflow.xml" -o "$work/sg" --quiet
end=$(jget "$work/sg/summary.json" simulated_cycles)
check sg_unfinished_row [ "$(awk -F, '$17 == "unfinished"' "$work/sg/requests.csv" | wc -l)" = 1 ]
check sg_unfinished_ends_at_run_end [ "$(awk -F, '$17 == "unfinished" { print $10 }' "$work/sg/requests.csv")" = "$end" ]
run "$ringsim" run "$src/scenarios/examples/9p-signals.xml" -o "$work/sig" --quiet
check sig_interrupted_rows [ "$(awk -F, '$17 == "interrupted"' "$work/sig/requests.csv" | wc -l)" -gt 0 ]
check sig_interrupted_have_end [ "$(awk -F, '$17 != "ok" && NR > 1 && ($10 == "" || $10 < $9 || $11 != $10 - $9)' "$work/sig/requests.csv" | wc -l)" = 0 ]
# 9p alone: its pins are all the guest's, at every cycle.
check sig_pins_all_9p [ "$(jget "$work/sig/summary.json" virtio.pinned_pages.mean)" = "$(jget "$work/sig/summary.json" memory.pinned_pages.mean)" ]
check sig_ended_counts_every_row [ "$(jget "$work/sig/summary.json" jobs.r.requests.ended)" = "$(($(wc -l <"$work/sig/requests.csv") - 1))" ]

# --- blkif.grants_in_use moves at every grant and ungrant. Without persistent grants a 4 KiB
# page-aligned direct read at 4 KiB pages takes one data grant beside the one-page ring's
# grant: 2 while a read is in flight, back to 1 when it ends, 1 after the last.
cat >"$work/g1.xml" <<'XML'
<scenario name="grants-one" seed="1">
  <platform page-size="4KiB" clock="1GHz" memory="1GiB"/>
  <xen-blk ring-pages="1" max-indirect-segments="32" persistent-grants="false"/>
  <workload>
    <job name="r" device="blk" op="read" block-size="4KiB" count="20" depth="1"
         io="direct" page-offset="0"/>
  </workload>
</scenario>
XML
run "$ringsim" run "$work/g1.xml" -o "$work/g1" --quiet
gcol() { awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "blkif.grants_in_use") c = i; next }
	{ print $c }' "$work/g1/timeseries.csv"; }
check grants_exit_0 [ "$rc" = 0 ]
check grants_max_2 [ "$(jget "$work/g1/summary.json" blkif.grants_in_use.max)" = 2 ]
check grants_back_to_ring [ "$(gcol | tail -1)" = 1 ]
check grants_only_1_or_2 [ "$(gcol | sort -u | tr '\n' ' ')" = "1 2 " ]
check grants_mean_between less 1 "$(jget "$work/g1/summary.json" blkif.grants_in_use.mean)"
check grants_mean_below_max less "$(jget "$work/g1/summary.json" blkif.grants_in_use.mean)" 2

# --- persistent_waste_bytes from the ledger of frames granted. The same reads at 64 KiB
# pages with persistent grants: the pool is (32 + 1) x 32 = 1056 pages of 64 KiB (kernel-facts
# B.6). At depth 1 each read reuses the grant the last one put back at the head of the free
# list: one pool page is ever used, one 4 KiB frame of it granted. Unused: 1055 x 64 KiB;
# uncovered: 60 KiB.
sed 's/page-size="4KiB"/page-size="64KiB"/; s/persistent-grants="false"/persistent-grants="true"/' \
	"$work/g1.xml" >"$work/p1.xml"
run "$ringsim" run "$work/p1.xml" -o "$work/p1" --quiet
s=$work/p1/summary.json
check waste_exit_0 [ "$rc" = 0 ]
check waste_pool [ "$(jget "$s" blkif.persistent_pool_bytes)" = $((1056 * 65536)) ]
check waste_unused [ "$(jget "$s" blkif.persistent_unused_bytes)" = $((1055 * 65536)) ]
check waste_uncovered [ "$(jget "$s" blkif.persistent_uncovered_bytes)" = $((60 * 1024)) ]
check waste_total [ "$(jget "$s" blkif.persistent_waste_bytes)" = $((1055 * 65536 + 60 * 1024)) ]

# --- Little's law on every shipped example: mean in flight (the recorder's time integral)
# = throughput x mean time in the system, per job over its steady window, within 1 %.
for f in "$src"/scenarios/examples/*.xml "$src"/scenarios/quickstart.xml; do
	name=$(basename "$f" .xml)
	run "$ringsim" run "$f" -o "$work/ll-$name" --quiet --records summary
	e=$(jget "$work/ll-$name/summary.json" selfcheck.littles_law_error.max)
	check "${name}_littles_law_reported" [ -n "$e" ]
	check "${name}_littles_law_under_1pct" abs_less "${e:-1}" 0.01
done

finish test_metrics
