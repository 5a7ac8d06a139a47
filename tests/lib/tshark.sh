# SPDX-License-Identifier: GPL-2.0-only
# What the capture tests share; source it after setting `work` (a temporary directory).
#   need_tshark NAME   exit 1 with a message naming the test when tshark or capinfos is missing
#   ts ARGS...         tshark with an empty profile of its own (none of the user's
#                      preferences), TCP reassembly on, IPv4 and TCP checksums checked (a bad
#                      one is an expert error), port 564 decoded as 9P; its stderr dropped
need_tshark() {
	if ! command -v tshark >/dev/null || ! command -v capinfos >/dev/null; then
		echo "$1: tshark and capinfos are missing (scripts/install-deps.sh --test)" >&2
		exit 1
	fi
	mkdir -p "$work/ws"
}

ts() {
	WIRESHARK_CONFIG_DIR=$work/ws tshark -n -o tcp.desegment_tcp_streams:TRUE \
		-o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -d tcp.port==564,9p \
		"$@" 2>/dev/null
}
