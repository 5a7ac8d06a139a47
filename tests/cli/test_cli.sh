#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Scenario tests through the real CLI: exit codes, messages, what is (not) written.
# Usage: test_cli.sh RINGSIM SOURCE_DIR
set -u
ringsim=$1
src=$2
work=$(mktemp -d /tmp/rs_cli.XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$src/tests/lib/check.sh"

# --- help, version, usage
run "$ringsim" --help
check help_exit_0 [ "$rc" = 0 ]
check help_mentions_run grep -q "ringsim run" "$work/out"
run "$ringsim" --version
check version [ "$rc" = 0 -a -n "$out" ]
run "$ringsim" frobnicate
check unknown_command_exit_2 [ "$rc" = 2 ]
run "$ringsim" run --bogus
check unknown_option_exit_2 [ "$rc" = 2 ]

# --- the quickstart: a complete results directory
run "$ringsim" run -o "$work/q1" --quiet
check quickstart_exit_0 [ "$rc" = 0 ]
for f in summary.json requests.csv stalls.csv timeseries.csv histograms.csv scenario.xml; do
	check "quickstart_has_$f" [ -s "$work/q1/$f" ]
done
check quickstart_status_ok grep -q '"status": "ok"' "$work/q1/summary.json"
check quickstart_no_tmp_left [ -z "$(ls -d "$work"/q1.tmp-* 2>/dev/null)" ]
check quickstart_rows [ "$(($(wc -l <"$work/q1/requests.csv") - 1))" = 1200 ]

# --- the as-run scenario reproduces the run byte for byte (host time aside)
run "$ringsim" run "$work/q1/scenario.xml" -o "$work/q2" --quiet
check rerun_exit_0 [ "$rc" = 0 ]
check rerun_same_requests cmp -s "$work/q1/requests.csv" "$work/q2/requests.csv"
check rerun_same_timeseries cmp -s "$work/q1/timeseries.csv" "$work/q2/timeseries.csv"
strip() { grep -v -e '"host_seconds"' -e '"host_max_rss_kib"' -e '"file"' "$1"; }
check rerun_same_summary diff -q <(strip "$work/q1/summary.json") <(strip "$work/q2/summary.json")

# --- determinism: the same scenario and seed twice give the same results
run "$ringsim" run -o "$work/q1b" --quiet
check same_run_same_requests cmp -s "$work/q1/requests.csv" "$work/q1b/requests.csv"
check same_run_same_stalls cmp -s "$work/q1/stalls.csv" "$work/q1b/stalls.csv"
check same_run_same_histograms cmp -s "$work/q1/histograms.csv" "$work/q1b/histograms.csv"
check same_run_same_summary diff -q <(strip "$work/q1/summary.json") <(strip "$work/q1b/summary.json")
# a different seed draws a different workload
run "$ringsim" run "$src/scenarios/examples/mixed-sizes.xml" -o "$work/m7" --quiet
run "$ringsim" run "$src/scenarios/examples/mixed-sizes.xml" --set scenario.seed=8 -o "$work/m8" --quiet
differ() { ! cmp -s "$1" "$2"; }
check other_seed_other_requests differ "$work/m7/requests.csv" "$work/m8/requests.csv"

# --- run --replications: one directory per seed and the intervals
run "$ringsim" run "$work/q1/scenario.xml" --replications 3 -o "$work/rep" --quiet
check replications_exit_0 [ "$rc" = 0 ]
check replications_dirs [ -s "$work/rep/seed-1/summary.json" -a -s "$work/rep/seed-3/summary.json" ]
check replications_ci grep -q '"ci95"' "$work/rep/replications.json"

# --- overrides change what runs; a different seed changes the streams
run "$ringsim" run --set platform.page-size=64KiB -o "$work/q64" --quiet
check override_64k_exit_0 [ "$rc" = 0 ]
check override_64k_page_size grep -q '"page_size": 65536' "$work/q64/summary.json"
check override_64k_in_as_run grep -q 'page-size="64KiB"' "$work/q64/scenario.xml"
# The quickstart shows what it is about: ring stalls at 4 KiB pages only, and 17 grants
# reserved per 4 KiB block read at 64 KiB pages against 1 at 4 KiB.
metric() { # FILE KEY: the number after the first "KEY": in FILE
	grep -m1 "\"$2\":" "$1" | sed 's/.*: \([0-9.e+-]*\).*/\1/'
}
check quickstart_4k_stalls [ "$(metric "$work/q1/summary.json" enospc)" -gt 0 ]
check quickstart_64k_no_stalls [ "$(metric "$work/q64/summary.json" enospc)" = 0 ]
qs_reserved() { grep -A12 '"grants_reserved_per_request"' "$1" | grep -m1 '"max"' | tr -d ' ,'; }
check quickstart_4k_reserves_1 [ "$(qs_reserved "$work/q1/summary.json")" = '"max":1' ]
check quickstart_64k_reserves_17 [ "$(qs_reserved "$work/q64/summary.json")" = '"max":17' ]

# --- bad input: exit 2, the message, nothing written
run "$ringsim" run "$src/tests/scenarios/bad/page_size_5000_bad.xml" -o "$work/bad1"
check bad_file_exit_2 [ "$rc" = 2 ]
check bad_file_message grep -q 'page_size_5000_bad.xml:2: <platform> page-size="5000": not a supported page size' "$work/err"
check bad_file_nothing_written [ ! -e "$work/bad1" -a -z "$(ls -d "$work"/bad1* 2>/dev/null)" ]
run "$ringsim" run --set job.nope.depth=2 -o "$work/bad2"
check bad_set_exit_2 [ "$rc" = 2 ]
check bad_set_message grep -q "^--set job.nope.depth=2: no job named 'nope'" "$work/err"
check bad_set_nothing_written [ ! -e "$work/bad2" ]
run "$ringsim" run "$work/does-not-exist.xml"
check missing_file_exit_2 [ "$rc" = 2 ]

# --- a directory that is not ours is never replaced
mkdir -p "$work/mine" && echo precious >"$work/mine/notes.txt"
run "$ringsim" run -o "$work/mine" --quiet
check foreign_dir_exit_2 [ "$rc" = 2 ]
check foreign_dir_untouched grep -q precious "$work/mine/notes.txt"

# --- validate: shipped scenarios pass, every bad one fails with exit 2
run "$ringsim" validate "$src"/scenarios/*.xml "$src"/scenarios/examples/*.xml \
	"$src"/scenarios/compare/*-study.xml
check validate_shipped_exit_0 [ "$rc" = 0 ]
run "$ringsim" validate "$src"/tests/scenarios/bad/*_bad.xml
check validate_bad_exit_2 [ "$rc" = 2 ]
check validate_bad_one_line_each [ "$(grep -c ': ' "$work/err")" -ge "$(ls "$src"/tests/scenarios/bad/*_bad.xml | wc -l)" ]

# --- expectations: a failed one exits 1 and names metric, expected and actual
cat >"$work/expect.xml" <<'XML'
<scenario name="expect" seed="3">
  <platform memory="256MiB"/>
  <workload>
    <job name="b" device="blk" op="write" block-size="8KiB" count="20" depth="2"/>
  </workload>
  <expect metric="requests.generated" eq="20"/>
  <expect metric="requests.generated" gt="20"/>
  <expect metric="virtio.enospc" eq="0"/>
</scenario>
XML
run "$ringsim" run "$work/expect.xml" -o "$work/e" --quiet
check expect_exit_1 [ "$rc" = 1 ]
check expect_status grep -q '"status": "expect_failed"' "$work/e/summary.json"
check expect_message grep -q 'expect.xml:7: expect requests.generated > 20: actual 20' "$work/err"
check expect_unmeasured grep -q 'the run did not measure virtio.enospc' "$work/err"
check expect_pass_not_reported [ "$(grep -c 'expect requests.generated == 20' "$work/err")" = 0 ]

# --- the 9p examples: each meets its expectations (exit 0); the sg overflow is a DUT BUG
for f in "$src"/scenarios/examples/9p-*.xml; do
	name=$(basename "$f" .xml)
	run "$ringsim" run "$f" -o "$work/ex-$name" --quiet
	if [ "$name" = 9p-sg-overflow ]; then
		check "${name}_exit_1" [ "$rc" = 1 ]
		check "${name}_status" grep -q '"status": "dut_bug"' "$work/ex-$name/summary.json"
		check "${name}_bug_finding" grep -q '"detail": "BUG_ON(index > limit)"' "$work/ex-$name/summary.json"
		check "${name}_oob_finding" grep -q '"kind": "out_of_bounds_write"' "$work/ex-$name/summary.json"
	elif [ "$name" = 9p-partial-pin ]; then
		# 9P-B4: reads truncated to the 8 pinned pages return wrong tails (data
		# corruption: dut_bug, exit 1); writes are refused by the server.
		check "${name}_exit_1" [ "$rc" = 1 ]
		check "${name}_status" grep -q '"status": "dut_bug"' "$work/ex-$name/summary.json"
		check "${name}_truncated" grep -q 'reply type 117 of 65547 bytes does not fit the 32779 writable bytes' "$work/ex-$name/summary.json"
		check "${name}_write_refused" grep -q 'zero-copy Twrite count 65536 but the driver-readable buffers hold 32768 bytes' "$work/ex-$name/summary.json"
		check "${name}_expects_pass" [ "$(grep -c '"pass": false' "$work/ex-$name/summary.json")" = 0 ]
	elif [ "$name" = 9p-vmalloc ]; then
		# 9P-B6: virt_to_page() of a vmalloc address; the device writes past memory.
		check "${name}_exit_1" [ "$rc" = 1 ]
		check "${name}_status" grep -q '"status": "dut_bug"' "$work/ex-$name/summary.json"
		check "${name}_past_memory" grep -q 'device write of 4096 bytes at pa 0x50000000 runs past the end of guest memory (0x10000000)' "$work/ex-$name/summary.json"
		check "${name}_warned" grep -q '"where": "virt_to_page(0xffffc90000000000)"' "$work/ex-$name/summary.json"
		check "${name}_expects_pass" [ "$(grep -c '"pass": false' "$work/ex-$name/summary.json")" = 0 ]
	elif [ "$name" = 9p-signals ]; then
		# 9P-B1: no BUG_ON fires, but the device writes pages the DUT unpinned: data
		# corruption, so dut_bug and exit 1, with its expectations met.
		check "${name}_exit_1" [ "$rc" = 1 ]
		check "${name}_status" grep -q '"status": "dut_bug"' "$work/ex-$name/summary.json"
		check "${name}_no_bug_on" [ "$(grep -c '"kind": "dut_bug"' "$work/ex-$name/summary.json")" = 0 ]
		check "${name}_unpinned" grep -q '"kind": "dma_unpinned"' "$work/ex-$name/summary.json"
		check "${name}_reused_tag" grep -q '"kind": "p9_reply_reused_tag"' "$work/ex-$name/summary.json"
		check "${name}_expects_pass" [ "$(grep -c '"pass": false' "$work/ex-$name/summary.json")" = 0 ]
	else
		check "${name}_exit_0" [ "$rc" = 0 ]
		check "${name}_no_leak" [ "$(grep -c '"kind": "leak_' "$work/ex-$name/summary.json")" = 0 ]
		# without signals no reply ever reaches another request
		check "${name}_no_reused_tag" [ "$(grep -c '"kind": "p9_reply_reused_tag"' "$work/ex-$name/summary.json")" = 0 ]
	fi
done
# 9P-B7 is a warning, not data corruption: 100 out_of_bounds_read findings (one per request,
# each reading pages[17] of a 17-entry array) and the status stays ok, exit 0.
rp="$work/ex-9p-release-pages/summary.json"
check release_pages_status_ok grep -q '"status": "ok"' "$rp"
check release_pages_100_reads [ "$(grep -c '"kind": "out_of_bounds_read"' "$rp")" = 100 ]
check release_pages_all_warn [ "$(grep -c '"severity": "warn"' "$rp")" = 100 ]
check release_pages_offset_136 grep -q 'read of 8 bytes at offset 136 of a 136-byte kmalloc object' "$rp"
check release_pages_no_corruption grep -q '"findings_data_corruption": 0' "$rp"
# 9P-B5: a server framing by size[4] refuses every zero-copy Twrite (size 23, 65559 bytes
# offered); QEMU's framing by descriptors takes them.
sf="$work/ex-9p-strict-framing/summary.json"
check strict_framing_message grep -q 'message type 118: size\[4\] says 23 bytes but the driver-readable buffers hold 65559' "$sf"
check strict_framing_20 [ "$(grep -c '"kind": "p9_size_mismatch"' "$sf")" = 20 ]
run "$ringsim" run "$src/scenarios/examples/9p-strict-framing.xml" \
	--set virtio-9p.strict-framing=false -o "$work/sf0" --quiet
check strict_framing_off_no_finding grep -q '"findings_by_kind": {' "$work/sf0/summary.json"
check strict_framing_off_writes_pass [ "$(grep -c '"kind": "p9_size_mismatch"' "$work/sf0/summary.json")" = 0 ]
# A vmalloc'd buffer read with rsize <= 1024 takes the copying path: right, no finding.
run "$ringsim" run "$src/scenarios/examples/9p-vmalloc.xml" --set job.r.block-size=1KiB \
	-o "$work/vm1k" --quiet
check vmalloc_copy_path_no_finding grep -q '"findings_total": 0' "$work/vm1k/summary.json"
check vmalloc_copy_path_right grep -q '"mismatches": 0' "$work/vm1k/summary.json"
# Without the fault injection the same reads are whole and right.
run "$ringsim" run "$src/scenarios/examples/9p-partial-pin.xml" --set platform.gup-max-pages=0 \
	-o "$work/pp0" --quiet
check partial_pin_off_exit_1 [ "$rc" = 1 ] # its expectations of truncation fail, as they should
check partial_pin_off_status grep -q '"status": "expect_failed"' "$work/pp0/summary.json"
check partial_pin_off_no_mismatch grep -q '"mismatches": 0' "$work/pp0/summary.json"
# --- the blk examples: each meets its expectations; 64 KiB pages without indirect oopses
# at connect (XB-1: sg_init_table(sg, 0) marks sg[4294967295]); a persistent pool of
# 33 * 32 = 1056 pages of 64 KiB does not fit in 64 MiB (XB-8: xenbus_dev_fatal)
for f in "$src"/scenarios/examples/blk-*.xml; do
	name=$(basename "$f" .xml)
	run "$ringsim" run "$f" -o "$work/ex-$name" --quiet
	if [ "$name" = blk-64k-no-indirect ]; then
		check "${name}_exit_1" [ "$rc" = 1 ]
		check "${name}_status" grep -q '"status": "dut_bug"' "$work/ex-$name/summary.json"
		check "${name}_wrap_at_connect" grep -q 'write to shadow\[id\].sg\[4294967295\], past its 0 entries' "$work/ex-$name/summary.json"
		check "${name}_no_io" [ "$(($(wc -l <"$work/ex-$name/requests.csv") - 1))" = 0 ]
	elif [ "$name" = blk-64k-pool-too-big ]; then
		check "${name}_exit_1" [ "$rc" = 1 ]
		check "${name}_status" grep -q '"status": "dut_bug"' "$work/ex-$name/summary.json"
		check "${name}_xenbus_fatal" grep -q '"detail": "-12 setup_indirect at /local/domain/0/backend/vbd/1/51712"' "$work/ex-$name/summary.json"
		check "${name}_results" [ -s "$work/ex-$name/requests.csv" -a -s "$work/ex-$name/scenario.xml" ]
		check "${name}_no_internal_error" [ -z "$(grep -F 'internal error' "$work/err")" ]
	elif [ "$name" = blk-stale-bytes ]; then
		# XB-5: a leak, reported, not corruption: ok, exit 0, only that finding.
		check "${name}_exit_0" [ "$rc" = 0 ]
		check "${name}_status" grep -q '"status": "ok"' "$work/ex-$name/summary.json"
		check "${name}_only_stale" [ "$(grep -c '"kind": ' "$work/ex-$name/summary.json")" = "$(grep -c '"kind": "blkif_stale_bytes_exposed"' "$work/ex-$name/summary.json")" ]
	else
		check "${name}_exit_0" [ "$rc" = 0 ]
		check "${name}_no_finding" grep -q '"findings_total": 0' "$work/ex-$name/summary.json"
	fi
done
# The ring: 1 << min(front max_ring_page_order, backend max-ring-page-order) pages of 4 KiB,
# 32 slots a page rounded down to a power of two (kernel-facts B.1: 4 pages 128, 16 pages 512)
run "$ringsim" run "$src/tests/regress/blk-4k.xml" --set xen-blk.ring-pages=16 \
	--set xen-blk.max-ring-page-order=2 -o "$work/ring2" --quiet
check ring_order_min_back grep -q '"ring_slots": 128' "$work/ring2/summary.json"
run "$ringsim" run "$src/tests/regress/blk-4k.xml" --set xen-blk.ring-pages=16 -o "$work/ring4" --quiet
check ring_order_16_pages grep -q '"ring_slots": 512' "$work/ring4/summary.json"
run "$ringsim" run "$src/tests/regress/blk-4k.xml" --set xen-blk.ring-pages=4 \
	--set xen-blk.max-ring-page-order=none -o "$work/ringn" --quiet
check ring_order_no_key grep -q '"ring_slots": 32' "$work/ringn/summary.json"

# --- vCPUs: 13 threads spend costs in 9p-4k (10 guest threads, mount, kworker, irq).
# With 64 vCPUs none ever waits (the guest threads take the highest idle ones, the irq
# vCPU 0); 4 make them queue, 1 more so, and the run takes longer.
for v in 1 4 64; do
	run "$ringsim" run "$src/tests/regress/9p-4k.xml" --set platform.vcpus=$v -o "$work/cpu$v" --quiet
done
cpu_json() { sed -n "s/.*\"$2\": \([0-9.]*\).*/\1/p" "$work/cpu$1/summary.json" | head -1; }
check vcpus_64_no_wait [ "$(cpu_json 64 vcpu_waits)" = 0 ]
check vcpus_4_wait [ "$(cpu_json 4 vcpu_wait_cycles)" -gt 0 ]
check vcpus_1_waits_more [ "$(cpu_json 1 vcpu_wait_cycles)" -gt "$(cpu_json 4 vcpu_wait_cycles)" ]
check vcpus_1_slower [ "$(cpu_json 1 simulated_cycles)" -gt "$(cpu_json 64 simulated_cycles)" ]


# The same 512 B writes always at sector 0 of the page: nothing else in it, nothing exposed.
run "$ringsim" run "$src/scenarios/examples/blk-stale-bytes.xml" --set job.w.page-offset=0 \
	-o "$work/st0" --quiet
check stale_same_sector_none grep -q '"stale_bytes_exposed": 0' "$work/st0/summary.json"
# Over-reservation is a 64 KiB-page effect: at 4 KiB pages a 4 KiB read reserves 1 grant.
run "$ringsim" run "$src/scenarios/examples/blk-small-random-64k.xml" \
	--set platform.page-size=4KiB -o "$work/sr4" --quiet
reserved_max() { grep -A12 '"grants_reserved_per_request"' "$1" | grep -m1 '"max"'; }
check small_random_4k_reserves_1 [ "$(reserved_max "$work/sr4/summary.json" | tr -d ' ')" = '"max":1' ]
check small_random_64k_reserves_17 [ "$(reserved_max "$work/ex-blk-small-random-64k/summary.json" | tr -d ' ')" = '"max":17' ]

# Buffered sequential writes at 64 KiB pages: the 1 MiB is 16 pages, each read whole first
# (a 4 KiB write covers it in part), and written back as 8 requests of max_segments =
# 32 / 16 = 2 pages: 16 reads of 16 grants + 1 indirect frame, 8 writes of 32 + 1:
# 24 requests, 16 * 17 + 8 * 33 = 536 grants.
run "$ringsim" run "$src/scenarios/examples/blk-buffered-sequential.xml" \
	--set platform.page-size=64KiB -o "$work/bs64" --quiet
check buffered_seq_64k_pages grep -q '"writeback_pages": 16,' "$work/bs64/summary.json"
check buffered_seq_64k_requests grep -q '"writeback_requests": 8,' "$work/bs64/summary.json"
check buffered_seq_64k_rmw grep -q '"writeback_partial_page_reads": 16,' "$work/bs64/summary.json"
check buffered_seq_64k_grants [ "$(grep -A2 '"grants_per_request"' "$work/bs64/summary.json" | tr -d ' ,\n')" = '"grants_per_request":{"count":24"total":536' ]

# fsync (blk-fsync.xml: 2 write-backs + 2 flushes). A backend with barriers only gets a
# WRITE_BARRIER for each flush; one with neither gets none (the block layer completes them):
# the 2 write-backs alone. Direct I/O: 8 writes and 2 flushes. At 64 KiB pages the 8 writes
# share one page, read whole first: 1 read + 2 write-backs of 16 grants + 1 indirect frame
# and 2 flushes, so 5 requests and 3 * 17 = 51 grants.
blkif_of() { grep -A80 '"blkif"' "$1" | tr -d ' ,' | grep -m1 "^\"$2\":" | cut -d: -f2; }
run "$ringsim" run "$src/scenarios/examples/blk-fsync.xml" --set xen-blk.disk-flush=barrier \
	-o "$work/flb" --quiet
check fsync_barrier_ops [ "$(blkif_of "$work/flb/summary.json" backend_barriers)" = 2 ]
check fsync_barrier_requests [ "$(blkif_of "$work/flb/summary.json" requests)" = 4 ]
run "$ringsim" run "$src/scenarios/examples/blk-fsync.xml" --set xen-blk.disk-flush=none \
	-o "$work/fln" --quiet
check fsync_none_requests [ "$(blkif_of "$work/fln/summary.json" requests)" = 2 ]
check fsync_none_disk [ "$(blkif_of "$work/fln/summary.json" disk_flushes)" = 0 ]
check fsync_none_fsyncs [ "$(blkif_of "$work/fln/summary.json" fsyncs)" = 2 ]
run "$ringsim" run "$src/scenarios/examples/blk-fsync.xml" --set job.b.io=direct \
	-o "$work/fld" --quiet
check fsync_direct_requests [ "$(blkif_of "$work/fld/summary.json" requests)" = 10 ]
check fsync_direct_flushes [ "$(blkif_of "$work/fld/summary.json" disk_flushes)" = 2 ]
run "$ringsim" run "$src/scenarios/examples/blk-fsync.xml" --set platform.page-size=64KiB \
	-o "$work/fl64" --quiet
check fsync_64k_requests [ "$(blkif_of "$work/fl64/summary.json" requests)" = 5 ]
check fsync_64k_rmw [ "$(blkif_of "$work/fl64/summary.json" writeback_partial_page_reads)" = 1 ]
check fsync_64k_grants [ "$(grep -A2 '"grants_per_request"' "$work/fl64/summary.json" | tr -d ' ,\n')" = '"grants_per_request":{"count":5"total":51' ]

# The deep queue stalls at 4 KiB pages; at 64 KiB a request needs 3 descriptors, not 18.
run "$ringsim" run "$src/scenarios/examples/9p-deep-queue.xml" --set platform.page-size=64KiB \
	-o "$work/dq64" --quiet
check deep_queue_64k_runs [ "$rc" = 1 ] # its expectation of stalls fails, as it should
check deep_queue_64k_no_enospc grep -q '"enospc": 0' "$work/dq64/summary.json"
check deep_queue_64k_fails_on_stalls grep -q 'expect virtio.enospc > 0: actual 0' "$work/err"

# --- compare: every point in its own process; a DUT BUG and a bad point do not sink the rest
cat >"$work/tiny.xml" <<'XML'
<scenario name="tiny" seed="4">
  <platform memory="256MiB"/>
  <virtio-9p msize="65536" indirect-descriptors="false"/>
  <xen-blk max-indirect-segments="32"/>
  <workload>
    <job name="r" device="9p" op="read" block-size="64KiB" count="40" depth="2"/>
    <job name="w" device="blk" op="write" block-size="64KiB" count="40" depth="2"/>
  </workload>
</scenario>
XML
run "$ringsim" compare "$work/tiny.xml" --vary platform.page-size=4KiB,64KiB \
	--vary xen-blk.max-indirect-segments=32,0,5000 -o "$work/cmp" -j 2 --quiet
check compare_exit_1 [ "$rc" = 1 ] # some points are not ok
check compare_csv_rows [ "$(($(wc -l <"$work/cmp/compare.csv") - 1))" = 6 ]
check compare_json_points [ "$(grep -c '"dir": ' "$work/cmp/compare.json")" = 6 ]
check compare_ok_points [ "$(grep -c '^"page-size=[0-9]*KiB,max-indirect-segments=32",ok' "$work/cmp/compare.csv")" = 2 ]
check compare_bug_point grep -q '^"page-size=64KiB,max-indirect-segments=0",dut_bug' "$work/cmp/compare.csv"
check compare_bad_point grep -q '^"page-size=4KiB,max-indirect-segments=5000",failed' "$work/cmp/compare.csv"
check compare_bad_point_message grep -q 'max-indirect-segments=&quot;5000&quot;: out of range' "$work/cmp/report.html"
check compare_csv_metric_column grep -q 'virtio.descriptors_per_request.mean' "$work/cmp/compare.csv"
check compare_csv_ratio_column grep -q 'ratio:blkif.grants_per_request.mean' "$work/cmp/compare.csv"
for f in "$work"/cmp/plots/*.svg; do
	check "svg_$(basename "$f")" grep -q '</svg>' "$f"
done
for f in "$work"/cmp/plots/*.png; do
	check "png_$(basename "$f")" [ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a -a "$(stat -c %s "$f")" -gt 1024 ]
done
check compare_has_plots [ "$(ls "$work"/cmp/plots/*.svg | wc -l)" -ge 5 ]
check compare_report_md grep -q 'page-size=64KiB,max-indirect-segments=0' "$work/cmp/report.md"
check compare_report_offline [ "$(grep -oE 'https?://[^"]*' "$work/cmp/report.html" | grep -vc 'www.w3.org')" = 0 ]
# existing results side by side
run "$ringsim" compare "$work/q1" "$work/q64" -o "$work/cmp2" --quiet
check compare_dirs_exit_0 [ "$rc" = 0 ]
check compare_dirs_points [ "$(($(wc -l <"$work/cmp2/compare.csv") - 1))" = 2 ]
run "$ringsim" compare "$work/tiny.xml" --vary platform.nope=1,2 -o "$work/cmp3"
check compare_all_bad_exit_2 [ "$rc" = 2 ]
check compare_all_bad_nothing_written [ ! -e "$work/cmp3" ]

# --- --vcd: the ring filling and draining, and with the RTL engine its internal signals
run "$ringsim" run "$src/scenarios/examples/9p-deep-queue.xml" --set job.r.count=100 \
	--set virtio-9p.engine=rtl --vcd "$work/dq.vcd" -o "$work/dqv" --quiet
check vcd_exit_0 [ "$rc" = 0 ]
for v in descriptors_in_use threads_stalled kicks interrupts avail_idx used_idx busy_timer mem_addr; do
	check "vcd_has_$v" grep -q "\$var .* $v " "$work/dq.vcd"
done
check vcd_ring_full grep -q "b1111111 " "$work/dq.vcd" # 127 descriptors in use at once
run "$ringsim" run "$src/scenarios/examples/9p-deep-queue.xml" --set job.r.count=100 \
	-o "$work/dqn" --quiet
check vcd_changes_nothing cmp -s "$work/dqv/requests.csv" "$work/dqn/requests.csv"

# --- virtio-9p with the server as the bottleneck (200 us per message, 64 reads of 4 KiB):
# one reader waits for each service in turn, so its span is at least 64 x 200 000 cycles
# and it completes at most 1e9 / 200 000 = 5000 requests per simulated second, with one
# notification per request (each completion finds the guest caught up). Eight readers on
# the default pool of 64 workers have all 8 in service at once and beat that bound; on one
# worker they are back under it.
cat >"$work/server-bound.xml" <<'XML'
<scenario name="server-bound" seed="1">
  <platform memory="256MiB"/>
  <virtio-9p msize="8192" server-time="200us"/>
  <workload>
    <job name="r" device="9p" op="read" block-size="4KiB" count="64" depth="1"/>
  </workload>
</scenario>
XML
span() { metric "$1" span_cycles; }
rate() { awk -v s="$(span "$1")" 'BEGIN { printf "%d", 64 * 1e9 / s }'; }
in_service_max() { grep -A2 '"pdus_in_service"' "$1" | grep -m1 '"max"' | tr -dc '0-9'; }
notif_mean() { grep -A4 '"notifications_per_request"' "$1" | grep -m1 '"mean"' |
	sed 's/.*: \([0-9.e+-]*\).*/\1/'; }
run "$ringsim" run "$work/server-bound.xml" -o "$work/sb1" --quiet
check server_bound_depth1_ok [ "$rc" = 0 ]
run "$ringsim" run "$work/server-bound.xml" --set job.r.depth=8 -o "$work/sb8" --quiet
check server_bound_depth8_ok [ "$rc" = 0 ]
run "$ringsim" run "$work/server-bound.xml" --set job.r.depth=8 --set virtio-9p.workers=1 \
	-o "$work/sb8w1" --quiet
check server_bound_depth8_1_worker_ok [ "$rc" = 0 ]
check server_bound_depth1_serial [ "$(span "$work/sb1/summary.json")" -ge 12800000 ]
check server_bound_depth1_at_most_5000 [ "$(rate "$work/sb1/summary.json")" -le 5000 ]
check server_bound_depth1_one_in_service [ "$(in_service_max "$work/sb1/summary.json")" = 1 ]
check server_bound_depth1_one_notification_each [ "$(notif_mean "$work/sb1/summary.json")" = 1 ]
check server_bound_depth8_eight_in_service [ "$(in_service_max "$work/sb8/summary.json")" = 8 ]
check server_bound_depth8_beats_depth1 \
	[ "$(rate "$work/sb8/summary.json")" -gt "$(rate "$work/sb1/summary.json")" ]
check server_bound_depth8_above_serial_bound [ "$(rate "$work/sb8/summary.json")" -gt 5000 ]
check server_bound_1_worker_one_in_service [ "$(in_service_max "$work/sb8w1/summary.json")" = 1 ]
check server_bound_1_worker_serial [ "$(span "$work/sb8w1/summary.json")" -ge 12800000 ]

# Four readers of equal requests: with no spread in the server's time each PDU finishes in
# pop order, none out of order; with a spread of 0.5 some overtake (QEMU's reordering).
ooo_total() { grep -A3 '"out_of_order"' "$1" | grep -m1 '"total"' | tr -dc '0-9'; }
run "$ringsim" run "$work/server-bound.xml" --set job.r.depth=4 -o "$work/sb4" --quiet
check server_bound_depth4_ok [ "$rc" = 0 ]
check server_bound_equal_in_order [ "$(ooo_total "$work/sb4/summary.json")" = 0 ]
run "$ringsim" run "$work/server-bound.xml" --set job.r.depth=4 \
	--set virtio-9p.server-time-spread=0.5 -o "$work/sb4s" --quiet
check server_bound_spread_ok [ "$rc" = 0 ]
check server_bound_spread_out_of_order [ "$(ooo_total "$work/sb4s/summary.json")" -gt 0 ]

# --- SIGINT: no directory that looks complete
cat >"$work/long.xml" <<'XML'
<scenario name="long">
  <platform memory="256MiB"/>
  <workload>
    <job name="b" device="blk" op="write" block-size="64KiB" count="100000000" depth="4"/>
  </workload>
</scenario>
XML
"$ringsim" run "$work/long.xml" -o "$work/int" --quiet 2>"$work/err" &
pid=$!
sleep 1
kill -INT $pid
wait $pid
rc=$?
check sigint_exit_130 [ "$rc" = 130 ]
check sigint_no_results [ ! -e "$work/int" -a -z "$(ls -d "$work"/int.* 2>/dev/null)" ]

finish cli
