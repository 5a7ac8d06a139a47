#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# report.html as a reader gets it: valid HTML (tidy), and in a real browser (headless
# Chromium) at 1280 px no console errors and no horizontal scrolling; for the quickstart
# comparison and for a six-point sweep.
# Usage: test_report_page.sh RINGSIM SOURCE_DIR
set -u
ringsim=$1
src=$2
work=$(mktemp -d /tmp/rs_page.XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$src/tests/lib/check.sh"

for tool in chromium tidy; do
	command -v "$tool" >/dev/null || { echo "$tool missing: scripts/install-deps.sh --test" >&2; exit 1; }
done

fits() { [ -n "$1" ] && [ -n "$2" ] && [ "$1" -le "$2" ]; } # SCROLL CLIENT

# Chromium renders the report in a 1280 px frame; the outer page writes what it measured
# into its own DOM, which --dump-dom prints. Console messages go to stderr (CONSOLE).
browse() { # REPORT_DIR NAME
	local dir=$1 name=$2
	cat >"$dir/probe.html" <<'HTML'
<!DOCTYPE html><html><head><title>probe</title></head><body>
<iframe id="f" src="report.html" style="width:1280px;height:900px;border:0"></iframe>
<pre id="out">not loaded</pre>
<script>
document.getElementById('f').addEventListener('load', function () {
  var e = this.contentDocument.documentElement;
  document.getElementById('out').textContent =
    'measured scroll=' + e.scrollWidth + ' client=' + e.clientWidth + ' end';
});
</script></body></html>
HTML
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$work/profile" --allow-file-access-from-files \
		--enable-logging=stderr --v=0 --virtual-time-budget=10000 \
		--dump-dom "file://$dir/probe.html" >"$work/$name.dom" 2>"$work/$name.log"
	local m
	m=$(grep -o 'measured scroll=[0-9]* client=[0-9]*' "$work/$name.dom")
	check "${name}_rendered" [ -n "$m" ]
	local scroll client
	scroll=$(echo "$m" | sed 's/.*scroll=\([0-9]*\).*/\1/')
	client=$(echo "$m" | sed 's/.*client=\([0-9]*\).*/\1/')
	check "${name}_no_horizontal_scroll_at_1280" fits "$scroll" "$client"
	[ -n "$scroll" ] && [ "$scroll" -gt "$client" ] && echo "  $name: scrollWidth $scroll > $client" >&2
	# Anything the page itself logs (errors, failed loads); the probe logs nothing.
	check "${name}_no_console_messages" [ -z "$(grep 'CONSOLE' "$work/$name.log" | grep 'report.html')" ]
	grep 'CONSOLE' "$work/$name.log" | sed 's/^/  /' >&2
	rm -f "$dir/probe.html"
}

validate_html() { # REPORT_DIR NAME
	tidy -e -q "$1/report.html" >"$work/$2.tidy" 2>&1
	local rc=$?
	check "${2}_tidy_no_errors" [ "$rc" -lt 2 ]
	[ "$rc" -ge 2 ] && sed 's/^/  /' "$work/$2.tidy" >&2
	check "${2}_tidy_no_warnings" [ ! -s "$work/$2.tidy" ]
	[ -s "$work/$2.tidy" ] && sed 's/^/  /' "$work/$2.tidy" | head -20 >&2
}

"$ringsim" compare "$src/scenarios/quickstart.xml" --vary platform.page-size=4KiB,64KiB \
	-o "$work/qs" --quiet
check quickstart_compare_exit_0 [ $? = 0 ]
validate_html "$work/qs" quickstart
browse "$work/qs" quickstart

"$ringsim" compare "$src/scenarios/compare/9p-sweep.xml" -o "$work/sweep" --quiet -j 2
check sweep_compare_exit_0 [ $? = 0 ]
validate_html "$work/sweep" sweep
browse "$work/sweep" sweep

finish "report page"
