#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# A sweep too wide for a column per point (more than 16 points; issue 17): report.html and
# report.md summarise each metric by its lowest and highest value over the points, with the
# point, and its median, checked against compare.json; the configuration lists what varies
# with its values; the details show only the points not ok and those that stalled longest.
# Usage: test_wide_report.sh RINGSIM SOURCE_DIR
set -u
ringsim=$1
src=$2
work=$(mktemp -d /tmp/rs_wide.XXXXXX)
trap 'rm -rf "$work"' EXIT
CHECK_SHOW_ERR=1
. "$src/tests/lib/check.sh"

# The quickstart at 40 requests a job (its <expect> left out): 2 x 5 x 2 = 20 points.
sed -e 's/count="[0-9]*"/count="40"/g' -e '/<expect/,/<\/expect>/d' \
	"$src/scenarios/quickstart.xml" >"$work/small.xml"
cat >"$work/wide.xml" <<EOT
<sweep base="small.xml">
  <vary path="platform.page-size" values="4KiB,64KiB"/>
  <vary path="job.9p-read.depth" values="1,2,4,8,16"/>
  <vary path="job.blk-read.depth" values="2,8"/>
</sweep>
EOT
run "$ringsim" compare "$work/wide.xml" -o "$work/c" -j 2 --quiet
check wide_ok [ "$rc" = 0 ]
html=$work/c/report.html
check wide_summarised grep -qF "20 points are too many for a column each" "$html"
check wide_md_summarised grep -qF "20 points: each metric's lowest and highest" "$work/c/report.md"
check wide_config_values grep -qF "<code>1</code>, <code>2</code>, <code>4</code>, <code>8</code>, <code>16</code> (5 values)" "$html"
check wide_no_point_columns [ "$(grep -c '<th>page-size=' "$html")" = 0 ]
python3 - "$work/c" >"$work/py" <<'PY'
import json, re, sys
top = sys.argv[1]
doc = json.load(open(top + "/compare.json"))
html = open(top + "/report.html").read()
key = "jobs.9p-read.latency_cycles.mean"
vals = [(p["metrics"][key], p["name"]) for p in doc["points"] if key in p["metrics"]]
lo = min(vals, key=lambda v: v[0])
hi = max(vals, key=lambda v: v[0])
row = re.search(r'<code class="key">jobs\.9p-read\.latency_cycles</code>.*?</tr>', html, re.S).group(0)
cells = re.findall(r'<td[^>]*>(.*?)</td>', row, re.S)
print(cells)
ok = (cells[1] == str(len(vals)) and cells[2].replace(",", "") == "%.0f" % lo[0] and
      cells[3] == lo[1] and cells[5].replace(",", "") == "%.0f" % hi[0] and cells[6] == hi[1])
sys.exit(0 if ok else 1)
PY
check wide_latency_spread [ $? = 0 ]
sed 's/^/  /' "$work/py"
# Details: every point is ok here, so only the (at most 5) that stalled longest.
details=$(sed -n '/<h2 id="details">/,$p' "$html" | grep -c '^<h3>')
check wide_details_few [ "$details" -ge 1 -a "$details" -le 5 ]
check wide_details_say_which grep -qF "Of the 20 points, those not ok and the 5 that stalled longest" "$html"

finish wide_report
