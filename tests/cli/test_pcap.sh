#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# ringsim run --pcap (issue 18) through the real CLI and tshark's own 9P dissector: every
# shipped 9p example (counts cut to a few dozen requests) writes a capture that tshark
# decodes with nothing malformed, with Tversion, Rversion, Tattach and Rattach, one T-message
# per RPC the run counted (virtio.requests + virtio.mount.rpcs), one Tread per read request
# of requests.csv where a request is one RPC, and each T-message answered once, by its tag,
# by its R-message (or Rlerror); the results are byte for byte those of a run without
# --pcap; --pcap-snaplen N keeps at most N bytes of every record and their original length;
# bad paths and a scenario without a virtio-9p device are exit 2 before the run, with
# nothing written; no temporary file is left.
# Usage: test_pcap.sh RINGSIM SOURCE_DIR
set -u
ringsim=$1
src=$2
work=$(mktemp -d /tmp/rs_pcap.XXXXXX)
trap 'rm -rf "$work"' EXIT
CHECK_SHOW_ERR=1
. "$src/tests/lib/check.sh"

if ! command -v tshark >/dev/null; then
	echo "test_pcap: tshark is missing (scripts/install-deps.sh --test)" >&2
	exit 1
fi
# tshark as root warns on stderr; its own profile directory keeps the user's out of it.
export HOME=$work WIRESHARK_CONFIG_DIR=$work/ws
ts() { tshark -n -o tcp.desegment_tcp_streams:TRUE -d tcp.port==564,9p "$@" 2>/dev/null; }
# count FILE FILTER: frames FILTER selects
count() { ts -r "$1" -Y "$2" | wc -l; }
# pairs FILE: "ok" when every T-message is answered once by its R-message or Rlerror (7)
# with its tag, and nothing else is answered; else what is wrong
pairs() {
	ts -r "$1" -Y 9p -T fields -E occurrence=a -E aggregator=' ' -e 9p.msgtype -e 9p.tag |
		awk '{
			n = split($1, type, " "); split($2, tag, " ")
			for (i = 1; i <= n; i++) {
				t = type[i]; g = tag[i]
				if (t % 2 == 0) {
					if (g in open) { print "tag " g " reused while open"; bad = 1 }
					open[g] = t
				} else if (!(g in open)) {
					print "R " t " tag " g " answers nothing"; bad = 1
				} else if (t != 7 && t != open[g] + 1) {
					print "R " t " tag " g " answers T " open[g]; bad = 1
				} else {
					delete open[g]
				}
			}
		}
		END { for (g in open) { print "T " open[g] " tag " g " unanswered"; bad = 1 }
		      if (!bad) print "ok" }'
}
# jobs_small FILE: --set job.NAME.count=N for every job of FILE, N small
jobs_small() {
	xmllint --xpath '//*[local-name()="job"]/@name' "$1" 2>/dev/null |
		sed 's/ name="\([^"]*\)"/--set job.\1.count=24\n/g' | grep -v '^$'
}
# reads_csv DIR: read requests in DIR/requests.csv
reads_csv() { awk -F, 'NR > 1 && $4 == "read"' "$1/requests.csv" | wc -l; }
# results_same A B: the same files with the same bytes, host-side numbers apart
results_same() {
	local f
	[ "$(cd "$1" && ls)" = "$(cd "$2" && ls)" ] || return 1
	for f in $(cd "$1" && ls); do
		[ "$f" = summary.json ] && continue
		cmp -s "$1/$f" "$2/$f" || return 1
	done
	diff <(grep -v '"host_' "$1/summary.json") <(grep -v '"host_' "$2/summary.json") >/dev/null
}

n_examples=0
for sc in $(grep -l 'device="9p"' "$src"/scenarios/examples/*.xml); do
	name=$(basename "$sc" .xml)
	mapfile -t sets < <(jobs_small "$sc")
	t0=$(now)
	run "$ringsim" run "$sc" "${sets[@]}" --quiet -o "$work/$name" --pcap "$work/$name.pcap"
	echo "$name: exit $rc, $(elapsed "$t0") s"
	check "${name}_ran" [ "$rc" = 0 -o "$rc" = 1 ]
	check "${name}_results" [ -f "$work/$name/summary.json" ]
	check "${name}_pcap" [ -s "$work/$name.pcap" ]
	check "${name}_no_tmp" [ -z "$(ls "$work/$name.pcap".tmp-* 2>/dev/null)" ]
	f=$work/$name.pcap
	n_examples=$((n_examples + 1))
	malformed=$(ts -r "$f" -Y '_ws.malformed || _ws.expert.severity >= error')
	check "${name}_nothing_malformed" [ -z "$malformed" ]
	[ -n "$malformed" ] && echo "$malformed" | head -n 5 >&2
	for t in 100 101 104 105; do # Tversion, Rversion, Tattach, Rattach
		check "${name}_has_msgtype_$t" [ "$(count "$f" "9p.msgtype==$t")" = 1 ]
	done
	rpcs=$(($(json "$work/$name/summary.json" virtio.requests) +
		$(json "$work/$name/summary.json" virtio.mount.rpcs)))
	t_msgs=$(count "$f" '9p.msgtype && !(9p.msgtype & 1)')
	r_msgs=$(count "$f" '9p.msgtype & 1')
	treads=$(count "$f" '9p.msgtype==116')
	rreads=$(count "$f" '9p.msgtype==117')
	echo "$name: $rpcs RPCs; tshark: $t_msgs T, $r_msgs R, $treads Tread, $rreads Rread," \
		"$(count "$f" '9p.msgtype==118') Twrite, $(count "$f" '9p.msgtype==7') Rlerror"
	check "${name}_one_t_per_rpc" [ "$t_msgs" = "$rpcs" ]
	check "${name}_one_r_per_t" [ "$r_msgs" = "$t_msgs" ]
	p=$(pairs "$f")
	check "${name}_tags_pair" [ "$p" = ok ]
	[ "$p" = ok ] || echo "$p" | head -n 5 >&2
	# where every read request is one Tread (block size within the iounit)
	case $name in 9p-read-4k | 9p-read-64k | 9p-deep-queue | 9p-indirect)
		check "${name}_one_tread_per_read" [ "$treads" = "$(reads_csv "$work/$name")" ]
		check "${name}_rread_per_tread" [ "$rreads" = "$treads" ] ;;
	esac
done
check examples_found [ "$n_examples" -ge 10 ]

# --- the data: an Rread carries the file's bytes, a Twrite the writer's, as the guest sees
# them; a 496 KiB read spans several TCP segments that tshark reassembles into one Rread
sc=$src/scenarios/examples/9p-read-64k.xml
f=$work/9p-read-64k.pcap
check rread_count_64k [ "$(ts -r "$f" -Y '9p.msgtype==117' -T fields -e 9p.count | sort -u)" = 65536 ]
check rread_len_64k [ "$(ts -r "$f" -Y '9p.msgtype==117' -T fields -e 9p.size | sort -u)" = 65547 ]
f=$work/9p-fragmented-msize.pcap
big=$(ts -r "$f" -Y '9p.msgtype==117 && tcp.reassembled_in' | wc -l)
segs=$(ts -r "$f" -Y 'tcp.len > 0' | wc -l)
check big_rread_reassembled [ "$(ts -r "$f" -Y '9p.msgtype==117 && tcp.reassembled.length > 65000' | wc -l)" -gt 0 ]
echo "9p-fragmented-msize: $segs data segments; $big"

# --- the results do not change with --pcap
sc=$src/scenarios/examples/9p-write-4k.xml
mapfile -t sets < <(jobs_small "$sc")
run "$ringsim" run "$sc" "${sets[@]}" --quiet -o "$work/plain"
check plain_ran [ "$rc" = 0 -o "$rc" = 1 ]
check results_unchanged results_same "$work/plain" "$work/9p-write-4k"
run "$ringsim" run --quiet -o "$work/qs"
run "$ringsim" run --quiet -o "$work/qs-pcap" --pcap "$work/qs.pcap"
check quickstart_unchanged results_same "$work/qs" "$work/qs-pcap"
check quickstart_pcap [ -s "$work/qs.pcap" ]
# relative to the current directory; the outcome line names it
(cd "$work" && "$ringsim" run "$sc" "${sets[@]}" -o rel --pcap rel.pcap >out 2>err)
check relative_path [ -s "$work/rel.pcap" ]
check outcome_names_pcap grep -q '^pcap: rel.pcap, [0-9]* 9P messages$' "$work/out"

# --- --pcap-snaplen: every record's captured bytes at most N, its length the packet's
run "$ringsim" run "$sc" "${sets[@]}" --quiet -o "$work/snap" --pcap "$work/snap.pcap" \
	--pcap-snaplen 64
check snaplen_ran [ "$rc" = 0 -o "$rc" = 1 ]
caps=$(ts -r "$work/snap.pcap" -T fields -e frame.cap_len | sort -n | tail -n 1)
lens=$(ts -r "$work/snap.pcap" -T fields -e frame.len | sort -n | tail -n 1)
check snaplen_caplen_at_most_64 [ "${caps:-999}" -le 64 ]
check snaplen_len_kept [ "${lens:-0}" -gt 4000 ]
check snaplen_file_header capinfos -l "$work/snap.pcap"
check snaplen_in_header grep -q 'Packet size limit: *file hdr: 64 bytes' \
	<(capinfos -l "$work/snap.pcap" 2>/dev/null)
check snaplen_same_frames [ "$(ts -r "$work/snap.pcap" | wc -l)" = \
	"$(ts -r "$work/9p-write-4k.pcap" | wc -l)" ]
run "$ringsim" run "$sc" --pcap-snaplen 64 -o "$work/x"
check snaplen_needs_pcap [ "$rc" = 2 ]
run "$ringsim" run "$sc" --pcap "$work/x.pcap" --pcap-snaplen 0 -o "$work/x"
check snaplen_zero_refused [ "$rc" = 2 ]
check snaplen_zero_says has_err "--pcap-snaplen 0: expected a whole number from 1 to 262144"

# --- refused before the run: exit 2, a plain message, nothing written
run "$ringsim" run "$sc" --pcap "$work/no/such/x.pcap" -o "$work/bad1"
check bad_dir_exit_2 [ "$rc" = 2 ]
check bad_dir_says has_err "--pcap $work/no/such/x.pcap: No such file or directory"
check bad_dir_nothing nothing "$work/bad1"
mkdir "$work/adir"
run "$ringsim" run "$sc" --pcap "$work/adir" -o "$work/bad2"
check is_dir_exit_2 [ "$rc" = 2 ]
check is_dir_says has_err "--pcap $work/adir: Is a directory"
check is_dir_nothing nothing "$work/bad2"
run "$ringsim" run "$src/scenarios/examples/blk-direct-4k.xml" --pcap "$work/blk.pcap" \
	-o "$work/bad3"
check blk_only_exit_2 [ "$rc" = 2 ]
check blk_only_says has_err "--pcap: the scenario has no virtio-9p device"
check blk_only_nothing nothing "$work/bad3"
check blk_only_no_pcap [ ! -e "$work/blk.pcap" ]
run "$ringsim" run "$sc" --pcap "$work/r.pcap" --replications 2 -o "$work/bad4"
check replications_refused [ "$rc" = 2 ]
check no_tmp_left [ -z "$(ls "$work"/*.tmp-* 2>/dev/null)" ]

finish pcap
