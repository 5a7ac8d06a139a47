#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# docs/ci/: the GitLab job and the GitHub workflow a user copies. Both parse as YAML, and
# their ringsim commands, as written, run in a repository laid out as their comments say
# (blkfront/ from dut init with a change, suite/ with goldens stored for it): green on the
# driver the goldens were stored for, red once the driver changes again.
# Usage: test_ci_examples.sh RINGSIM SOURCE_DIR
set -u
ringsim=$1
src=$2
work=$(mktemp -d /tmp/rs_ci.XXXXXX)
trap 'rm -rf "$work"' EXIT
. "$src/tests/lib/check.sh"
export RINGSIM_CACHE_DIR=$work/cache

# A Python with PyYAML: the one on PATH, or Debian's (python3-yaml, install-deps.sh --test).
py=
for p in python3 /usr/bin/python3; do
	"$p" -c 'import yaml' 2>/dev/null && { py=$p; break; }
done
[ -n "$py" ] || { echo "ci_examples: no python3 with PyYAML (apt-get install python3-yaml)" >&2; exit 1; }

# The ringsim command lines of a CI file, and its RINGSIM_DUT, one per line.
commands() { # FILE
	"$py" - "$1" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
def walk(x):
    if isinstance(x, dict):
        for v in x.values(): yield from walk(v)
    elif isinstance(x, list):
        for v in x: yield from walk(v)
    elif isinstance(x, str):
        for line in x.splitlines():
            if line.strip().startswith("/opt/ringsim/build/ringsim "): yield line.strip()
env = doc.get("variables") or doc.get("env")
print("RINGSIM_DUT=" + env["RINGSIM_DUT"])
for c in walk(doc): print(c)
PY
}

# The user's repository: a driver with a quarter of the tags, a suite with goldens for it.
repo=$work/repo
mkdir -p "$repo/suite"
cd "$repo" || exit 2
"$ringsim" dut init xen-blk blkfront >/dev/null
sed -i 's|queue_depth = BLK_RING_SIZE(info);|queue_depth = BLK_RING_SIZE(info) / 4;|' \
	blkfront/xen-blkfront.c
cp "$src/tests/regress/blk-4k.xml" suite/
"$ringsim" regress suite --set dut.xen-blk=blkfront/xen-blkfront.c --update-golden -j 1 \
	>/dev/null
check golden_stored [ -s suite/blk-4k.golden.json ]

for ci in gitlab-ci.yml github-workflow.yml; do
	name=${ci%.yml}
	cmds=$(commands "$src/docs/ci/$ci")
	check "${name}_parses" [ -n "$cmds" ]
	export "$(head -1 <<<"$cmds")" # RINGSIM_DUT
	check "${name}_has_regress" grep -q " regress " <<<"$cmds"
	run_all() { # the commands as a CI shell runs them, ringsim where it was built
		local c
		rm -rf ringsim-junit.xml ringsim-results
		while read -r c; do
			eval "${c//\/opt\/ringsim\/build\/ringsim/$ringsim}" >>"$work/ci.out" 2>&1 || return 1
		done < <(tail -n +2 <<<"$cmds")
	}
	: >"$work/ci.out"
	check "${name}_green" run_all
	check "${name}_junit" grep -q "<testsuite" ringsim-junit.xml
	check "${name}_coverage_kept" [ -s ringsim-results/dut-coverage/lcov.info ]
	# GitLab's coverage: regex finds the driver's line coverage in the job's log
	if [ "$name" = gitlab-ci ]; then
		pct=$("$py" -c 'import re, sys, yaml
job = yaml.safe_load(open(sys.argv[1]))["ringsim-regress"]
m = re.search(job["coverage"].strip("/"), open(sys.argv[2]).read())
print(m.group(1) if m else "")' "$src/docs/ci/$ci" "$work/ci.out")
		check gitlab_coverage_regex [ -n "$pct" ]
	fi
	cp blkfront/xen-blkfront.c "$work/good.c"
	sed -i 's|BLK_RING_SIZE(info) / 4;|BLK_RING_SIZE(info) / 2;|' blkfront/xen-blkfront.c
	if run_all; then
		echo "FAILED: ${name} stayed green after the driver changed" >&2
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
		check "${name}_junit_failure" grep -q "<failure" ringsim-junit.xml
	fi
	cp "$work/good.c" blkfront/xen-blkfront.c
done
finish ci_examples
