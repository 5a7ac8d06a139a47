#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# ringsim regress --junit through the real CLI: a suite with one passing scenario, one whose
# <expect> fails, and two that do not load (one with a control character in its name); the
# XML must validate against the Ant and the Jenkins JUnit schemas (tests/regress/junit/),
# load failures be <error>s, the failed expect a <failure>, the counts right. Then a run
# killed at its time limit must be an <error> of type timeout.
# Usage: test_junit.sh RINGSIM SOURCE_DIR
set -u
ringsim=$1
src=$2
xsd=$src/tests/regress/junit
work=$(mktemp -d /tmp/rs_junit.XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$src/tests/lib/check.sh"


# valid XSD FILE: quiet xmllint validation
valid() {
	xmllint --noout --schema "$1" "$2" 2>>"$work/xmllint.txt"
}

# x FILE XPATH: the XPath's string value
x() {
	xmllint --xpath "$2" "$1" 2>/dev/null
}

if ! command -v xmllint >/dev/null; then
	echo "junit: xmllint not found (Debian: libxml2-utils)" >&2
	exit 1
fi

# --- the suite: classnames come from the path relative to the current directory
cd "$work" || exit 1
mkdir -p suite/sub
cp "$src/tests/regress/blk-4k.xml" suite/pass.xml
sed 's/metric="requests.completed" eq="210"/metric="requests.completed" eq="211"/' \
	"$src/tests/regress/blk-4k.xml" >suite/expect.xml
sed 's/page-size="4KiB"/page-size="4 parsecs"/' "$src/tests/regress/blk-4k.xml" \
	>suite/sub/bad.xml
odd=$(printf 'suite/sub/odd<&>\001.xml')
printf '<scenario name="odd">\n  <platform page-size="4KiB"\n' >"$odd"
check setup_expect_differs not cmp -s suite/pass.xml suite/expect.xml
check setup_bad_differs not cmp -s suite/pass.xml suite/sub/bad.xml

"$ringsim" regress suite -j 2 --junit out.xml >console.txt 2>err.txt
rc=$?
j=out.xml
check regress_exit_1 [ "$rc" = 1 ]
check console_summary_line grep -qx '1 passed, 3 failed' console.txt
check junit_written [ -s "$j" ]
check ant_schema valid "$xsd/ant-junit.xsd" "$j"
check jenkins_schema valid "$xsd/jenkins-junit.xsd" "$j"
check no_forbidden_control_chars not env LC_ALL=C grep -q "$(printf '[\001-\010\013\014\016-\037]')" "$j"

s=/testsuites/testsuite
check count_tests [ "$(x "$j" "string($s/@tests)")" = 4 ]
check count_failures [ "$(x "$j" "string($s/@failures)")" = 1 ]
check count_errors [ "$(x "$j" "string($s/@errors)")" = 2 ]
check count_skipped [ "$(x "$j" "string($s/@skipped)")" = 0 ]
check count_testcases [ "$(x "$j" "count($s/testcase)")" = 4 ]
check counts_match_elements [ "$(x "$j" "count($s/testcase/failure)")" = 1 -a \
	"$(x "$j" "count($s/testcase/error)")" = 2 ]
check timestamp_utc_no_zone grep -Eqx '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}' \
	<<<"$(x "$j" "string($s/@timestamp)")"
check hostname_present [ -n "$(x "$j" "string($s/@hostname)")" ]
check suite_time_decimal grep -Eqx '[0-9]+\.[0-9]{3}' <<<"$(x "$j" "string($s/@time)")"

c="$s/testcase[@name='pass']"
check pass_classname [ "$(x "$j" "string($c/@classname)")" = ringsim.suite ]
check pass_has_no_outcome [ "$(x "$j" "count($c/*)")" = 0 ]

c="$s/testcase[@name='expect']"
check expect_is_failure [ "$(x "$j" "count($c/failure)")" = 1 -a "$(x "$j" "count($c/error)")" = 0 ]
check expect_failure_type [ "$(x "$j" "string($c/failure/@type)")" = expect ]
check expect_failure_message grep -q 'requests.completed eq 211: actual 210' \
	<<<"$(x "$j" "string($c/failure/@message)")"

c="$s/testcase[@name='bad']"
check bad_classname [ "$(x "$j" "string($c/@classname)")" = ringsim.suite.sub ]
check bad_is_error [ "$(x "$j" "count($c/error)")" = 1 -a "$(x "$j" "count($c/failure)")" = 0 ]
check bad_error_type [ "$(x "$j" "string($c/error/@type)")" = load_error ]
# The message is the loader's first line, as the console printed it under FAIL.
loader=$(grep -A1 '^FAIL suite/sub/bad.xml' console.txt | tail -1 | sed 's/^    //')
check bad_error_message [ -n "$loader" -a "$(x "$j" "string($c/error/@message)")" = "$loader" ]
check bad_message_names_file grep -q 'bad.xml' <<<"$loader"

# The control character arrives as the text \x01, the markup characters escaped.
c="$s/testcase[@name='odd<&>\\x01']"
check odd_name_clean [ "$(x "$j" "count($c)")" = 1 ]
check odd_is_load_error [ "$(x "$j" "string($c/error/@type)")" = load_error ]

check system_out_has_summary grep -q '"status": "ok"' <<<"$(x "$j" "string($s/system-out)")"
check system_out_names_case grep -q '== ringsim.suite.pass seed 22' \
	<<<"$(x "$j" "string($s/system-out)")"

# --- a run that does not finish in its time limit is an error, not a failure
cat >suite-long.xml <<'XML'
<scenario name="long">
  <platform memory="256MiB"/>
  <workload>
    <job name="b" device="blk" op="write" block-size="64KiB" count="100000000" depth="4"/>
  </workload>
</scenario>
XML
"$ringsim" regress suite-long.xml --timeout 1 --junit long.xml >console-long.txt 2>&1
rc=$?
check timeout_exit_1 [ "$rc" = 1 ]
check timeout_ant_schema valid "$xsd/ant-junit.xsd" long.xml
check timeout_jenkins_schema valid "$xsd/jenkins-junit.xsd" long.xml
check timeout_is_error [ "$(x long.xml "string($s/testcase/error/@type)")" = timeout -a \
	"$(x long.xml "string($s/@errors)")" = 1 -a "$(x long.xml "string($s/@failures)")" = 0 ]
check timeout_classname [ "$(x long.xml "string($s/testcase/@classname)")" = ringsim ]

[ "$fail" = 0 ] || cat "$work/xmllint.txt" >&2
finish junit
