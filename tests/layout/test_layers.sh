#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The tree's dependencies point one way (docs/architecture.md): every #include of a folder
# names only the folder itself or a layer below it. Run from anywhere; argument: the root.
set -u
root=${1:-$(dirname "$0")/../..}
cd "$root" || exit 2
. tests/lib/check.sh

# folder: what its files may include besides system headers ("" = the folder's own, with
# the include root its CMakeLists.txt gives).
declare -A may=(
	[dut]="dut kshim/include"
	[kshim]="kshim models"
	[models]="models"
	[sim/diag]="sim/diag"
	[sim/scenario]="sim/scenario sim/diag"
	[sim/dutbuild]="sim/dutbuild sim/scenario sim/diag"
	[sim/coverage]="sim/coverage"
	[sim/workload]="sim/workload sim/scenario sim/diag"
	[sim/results]="sim/results sim/trace sim/scenario sim/diag"
	[sim/report/tables]="sim/report/tables sim/results sim/scenario sim/diag"
	[sim/report/plots]="sim/report/plots sim/report/tables sim/results sim/scenario sim/diag"
	[sim/report]="sim/report sim/results sim/scenario sim/diag"
	[sim/compare]="sim/compare sim/results sim/scenario sim/diag"
	[sim/regress]="sim/regress sim/coverage sim/compare sim/results sim/scenario sim/diag"
	[sim/trace]="sim/trace"
	[sim/probes]="sim/probes sim/trace sim/results sim/scenario sim/diag kshim models"
	[sim/platform]="sim/platform sim/scenario sim/diag kshim models"
	[sim/devices]="sim/devices sim/trace sim/platform sim/dutbuild sim/probes sim/workload sim/results sim/scenario sim/diag kshim models dut"
	[sim/engine]="sim/engine sim/devices sim/trace sim/dutbuild sim/probes sim/workload sim/results sim/scenario sim/diag kshim models dut"
	[sim/cli]="sim dut kshim models"
	[sim/native]="sim/native sim/platform sim/workload sim/scenario sim/diag kshim models dut"
	[tests/fuzz]="tests/fuzz sim/compare sim/report sim/results sim/scenario sim/diag"
)

# Where an include resolves: the file itself, searched as the compiler would.
# resolve DIR-OF-FILE NAME: sets target to the header's path from the root, or ?NAME. In
# bash but for a path with ".." or a symbolic link: a fork per #include made this test
# take most of its time limit on a loaded machine.
resolve() {
	local d p
	for d in "$1" sim models . kshim/include dut dut/guest; do
		p=$d/$2
		[ -f "$p" ] || continue
		if [[ $p == *..* || -L $p ]]; then
			target=$(realpath --relative-to=. "$p")
		else
			target=${p#./}
		fi
		return
	done
	target="?$2"
}

for folder in $(printf '%s\n' "${!may[@]}" | sort); do
	bad=0
	while IFS= read -r -d '' f; do
		# a file belongs to the deepest folder of the table that holds it
		own=$folder
		for other in "${!may[@]}"; do
			case $f in "$other"/*) [ ${#other} -gt ${#own} ] && own=$other ;; esac
		done
		[ "$own" = "$folder" ] || continue
		while read -r name; do
			resolve "${f%/*}" "$name"
			case $target in \?*) continue ;; esac # a system or generated header
			ok=0
			for allowed in ${may[$folder]}; do
				case $target in "$allowed"/*) ok=1 ;; esac
			done
			if [ $ok = 0 ]; then
				echo "$f: includes $target, outside what $folder may use (${may[$folder]})"
				bad=$((bad + 1))
			fi
		done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]\([^>"]*\)[>"].*/\1/p' "$f")
	done < <(find "$folder" -type f \( -name '*.c' -o -name '*.h' -o -name '*.cpp' \) -print0)
	check "$folder" [ "$bad" -eq 0 ]
done
finish layers
