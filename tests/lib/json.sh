# SPDX-License-Identifier: GPL-2.0-only
# jget FILE DOTTED.PATH: the scalar at that path of a summary.json (jansson's indented
# output, one key per line), or nothing. Keys are matched whole, so "max" under one object
# never answers for another's.
jget() {
	awk -v want="$2" '
	function path(k,   i, p) {
		p = ""
		for (i = 1; i <= depth; i++)
			if (stack[i] != "")
				p = p stack[i] "."
		return p k
	}
	{
		line = $0
		sub(/^[ \t]+/, "", line)
		if (line ~ /^[}\]]/) { depth--; next }
		key = ""
		if (match(line, /^"[^"]*": /)) {
			key = substr(line, 2, RLENGTH - 4)
			line = substr(line, RLENGTH + 1)
		}
		if (line ~ /[{\[]$/) { stack[++depth] = key; next }
		sub(/,$/, "", line)
		gsub(/"/, "", line)
		if (key != "" && path(key) == want) { print line; exit }
	}' "$1"
}
