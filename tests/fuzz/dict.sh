#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# A libFuzzer dictionary drawn from the schema (scenarios/scenario.xsd: element and
# attribute names, enumerations, defaults) and the cost names of sim/scenario/costs.c, so
# it follows them. Usage: tests/fuzz/dict.sh scenario|set  (to stdout)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
xsd=$root/scenarios/scenario.xsd
kind=${1:?usage: dict.sh scenario|set}

names() { # element|attribute
	sed -n "s/.*xs:$1 name=\"\([^\"]*\)\".*/\1/p" "$xsd" | sort -u
}
values() { # enumerations and defaults: the values the schema names
	sed -n 's/.*xs:enumeration value="\([^"]*\)".*/\1/p; s/.* default="\([^"]*\)".*/\1/p' \
		"$xsd" | sort -u
}
costs() {
	sed -n 's/.*\[RS_COST_[A-Z_]*\] = { "\([^"]*\)".*/\1/p' "$root/sim/scenario/costs.c"
}
units() {
	printf '%s\n' B KiB MiB GiB TiB Hz kHz MHz GHz cycles ns us ms s % . 0 1
}
quote() { # each line as a dictionary entry
	sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/"&"/'
}

case $kind in
scenario)
	{
		names element | sed 's/.*/<&/; p; s/<\(.*\)/<\/\1>/'
		names attribute | sed 's/$/="/'
		values
		costs
		units
		printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' '/>' '<sweep base="' \
			'<vary path="' 'values="' '<!--' '-->' '<![CDATA[' '&amp;' '&#'
	} | quote
	;;
set)
	{
		for top in scenario platform dut virtio-9p xen-blk record job.9p-read \
			job.blk-read; do
			names attribute | sed "s/^/$top./; s/\$/=/"
		done
		costs | sed 's/^/cost./; s/$/.cycles=/'
		values
		units
		printf '%s\n' = , . seed+ upstream+ .c .so
	} | quote
	;;
*)
	echo "usage: tests/fuzz/dict.sh scenario|set" >&2
	exit 2
	;;
esac
