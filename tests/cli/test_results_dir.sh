#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The user's files in a results directory (issue 16) through the real CLI: every results
# directory holds .ringsim-manifest, the sorted list of what ringsim wrote (the same as find
# sees); -o onto an earlier result replaces it; files ringsim did not write (notes.txt,
# mydata/x, one inside a run's subdirectory, one beside an old result without a manifest)
# are refused by name, exit 2, nothing touched, nothing left behind; --force carries them
# into the new results byte for byte, but refuses one whose name the new results hold; -o
# onto a dangling symbolic link, a link to a file or a directory, or a regular file is exit
# 2 with a plain message; compare and regress refuse alike. A full disk stops the run at
# the first write that fails, with the file and the reason, exit 1, the earlier result at
# -o left whole and nothing else on the disk (root only: a 256 KiB tmpfs).
# Usage: test_results_dir.sh RINGSIM SOURCE_DIR
set -u
ringsim=$1
src=$2
work=$(mktemp -d /tmp/rs_results_dir.XXXXXX)
trap 'rm -rf "$work"' EXIT
CHECK_SHOW_ERR=1
. "$src/tests/lib/check.sh"
# 9p-read-4k at 20 requests instead of 2000 (its <expect> too): a run takes no time
sc=$work/small.xml
sed 's/"2000"/"20"/g' "$src/scenarios/examples/9p-read-4k.xml" >"$sc"

# R ARGS...: a run of $sc
R() { run "$ringsim" run "$sc" --quiet "$@"; }
# listing DIR: every path find sees under DIR as a manifest spells it (a directory with a
# trailing /), sorted by byte, the manifest itself left out
listing() {
	(cd "$1" && find . -mindepth 1 \( -type d -printf '%P/\n' \) -o \( ! -type d -printf '%P\n' \)) |
		grep -vx '.ringsim-manifest' | LC_ALL=C sort
}
# listed DIR: the paths DIR's manifest lists
listed() { grep -v "^#" "$1/.ringsim-manifest" 2>/dev/null; }
# lists_all DIR: the manifest lists exactly what is there
lists_all() { [ -s "$1/.ringsim-manifest" ] && [ "$(listed "$1")" = "$(listing "$1")" ]; }
# sums DIR: the paths under DIR and every file's checksum, to see that nothing changed
sums() { (cd "$1" && find . | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z |
	xargs -0 sha256sum); }
# no_leftovers DIR: no DIR.tmp-PID, no DIR.old-PID
no_leftovers() { [ -z "$(ls -d "$1".tmp-* "$1".old-* 2>/dev/null)" ]; }

# --- a fresh directory: the manifest lists exactly the files there, sorted, with its header
R -o "$work/a"
check fresh_exit_0 [ "$rc" = 0 ]
check fresh_manifest_lists_all lists_all "$work/a"
check fresh_manifest_header grep -qx '# ringsim results manifest 1 (ringsim .*)' \
	<(head -n 1 "$work/a/.ringsim-manifest" 2>/dev/null)
check fresh_manifest_sorted sh -c "grep -v '^#' '$work/a/.ringsim-manifest' | LC_ALL=C sort -c"
check fresh_manifest_names_summary grep -qx summary.json <(listed "$work/a")
check fresh_no_leftovers no_leftovers "$work/a"
# replications: subdirectories (seed-S/, each a run with its own manifest) are listed whole
R -o "$work/rep" --replications 2
check replications_exit_0 [ "$rc" = 0 ]
check replications_manifest_lists_all lists_all "$work/rep"
seed_dir=$(cd "$work/rep" && ls -d seed-*/ | head -n 1)
check replications_subdir_listed grep -qx "$seed_dir" <(listed "$work/rep")
check replications_subdir_file_listed grep -qx "${seed_dir}summary.json" <(listed "$work/rep")

# --- again onto it: replaced
R -o "$work/a" --set scenario.seed=7
check rerun_exit_0 [ "$rc" = 0 ]
check rerun_replaced [ "$(json "$work/a/summary.json" seed)" = 7 ]
check rerun_manifest_lists_all lists_all "$work/a"
check rerun_no_leftovers no_leftovers "$work/a"

# --- the user's own files in it: refused by name, nothing touched
echo "my notes" >"$work/a/notes.txt"
mkdir "$work/a/mydata"
head -c 3000 /dev/urandom >"$work/a/mydata/x"
cp "$work/a/notes.txt" "$work/notes.keep"
cp "$work/a/mydata/x" "$work/x.keep"
before=$(sums "$work/a")
R -o "$work/a" --set scenario.seed=8
check foreign_exit_2 [ "$rc" = 2 ]
check foreign_names_notes has_err "notes.txt"
check foreign_names_mydata has_err "mydata/"
check foreign_message has_err "-o $work/a: holds files ringsim did not write: mydata/, notes.txt; move them, choose another -o, or pass --force to keep them in the new results"
check foreign_dir_unchanged [ "$(sums "$work/a")" = "$before" ]
check foreign_no_leftovers no_leftovers "$work/a"

# --- --force: new results, the user's files carried over byte for byte, not adopted
R -o "$work/a" --set scenario.seed=8 --force
check force_exit_0 [ "$rc" = 0 ]
check force_new_results [ "$(json "$work/a/summary.json" seed)" = 8 ]
check force_notes_kept cmp -s "$work/a/notes.txt" "$work/notes.keep"
check force_mydata_kept cmp -s "$work/a/mydata/x" "$work/x.keep"
check force_not_listed [ "$(listed "$work/a")" = "$(listing "$work/a" |
	grep -vx -e notes.txt -e mydata/ -e mydata/x)" ]
check force_no_leftovers no_leftovers "$work/a"
R -o "$work/a"
check force_still_theirs [ "$rc" = 2 ] # the next run without --force refuses them again

# --- a file of the user's inside a directory ringsim wrote
echo mine >"$work/rep/${seed_dir}mine.txt"
before=$(sums "$work/rep")
R -o "$work/rep" --replications 2
check nested_exit_2 [ "$rc" = 2 ]
check nested_named has_err "${seed_dir}mine.txt"
check nested_unchanged [ "$(sums "$work/rep")" = "$before" ]
R -o "$work/rep" --replications 2 --force
check nested_force_exit_0 [ "$rc" = 0 ]
check nested_force_kept grep -qx mine "$work/rep/${seed_dir}mine.txt"
check nested_force_results [ -s "$work/rep/${seed_dir}summary.json" ]

# --- --force, but the user's file has the name of one the new results hold: refused
R -o "$work/c" --records summary
check collision_setup [ "$rc" = 0 ]
check collision_setup_no_requests [ ! -e "$work/c/requests.csv" ]
echo "my requests" >"$work/c/requests.csv"
before=$(sums "$work/c")
R -o "$work/c" --records all --force
check collision_exit_2 [ "$rc" = 2 ]
check collision_named has_err "ringsim did not write requests.csv, and the new results hold the same name"
check collision_unchanged [ "$(sums "$work/c")" = "$before" ]
check collision_no_leftovers no_leftovers "$work/c"

# --- a result written before manifests: its own names are ringsim's, the rest the user's
R -o "$work/old"
rm -f "$work/old/.ringsim-manifest"
echo hi >"$work/old/notes.txt"
R -o "$work/old"
check legacy_foreign_exit_2 [ "$rc" = 2 ]
check legacy_names_only_notes has_err "did not write: notes.txt; move"
rm "$work/old/notes.txt" "$work/old/.ringsim-manifest" 2>/dev/null
R -o "$work/old"
check legacy_replaced [ "$rc" = 0 ]
check legacy_replaced_manifest lists_all "$work/old"

# --- symbolic links and files as -o: exit 2, said plainly, nothing created
ln -s "$work/missing" "$work/dangling"
R -o "$work/dangling"
check dangling_exit_2 [ "$rc" = 2 ]
check dangling_message has_err "-o $work/dangling: is a symbolic link to $work/missing, which does not exist"
check dangling_not_internal not has_err "internal error"
check dangling_nothing_created [ ! -e "$work/missing" ]
check dangling_link_kept [ -L "$work/dangling" ]
check dangling_no_leftovers no_leftovers "$work/dangling"
echo data >"$work/file"
ln -s "$work/file" "$work/filelink"
R -o "$work/filelink"
check filelink_exit_2 [ "$rc" = 2 ]
check filelink_message has_err "-o $work/filelink: is a symbolic link to $work/file;"
check filelink_file_untouched grep -qx data "$work/file"
check filelink_no_leftovers no_leftovers "$work/filelink"
ln -s "$work/rep" "$work/dirlink"
R -o "$work/dirlink"
check dirlink_exit_2 [ "$rc" = 2 ]
check dirlink_says_target has_err "give -o $work/rep"
R -o "$work/file"
check file_exit_2 [ "$rc" = 2 ]
check file_message has_err "-o $work/file: exists and is not a directory"
check file_untouched grep -qx data "$work/file"
check file_no_leftovers no_leftovers "$work/file"
mkdir "$work/thesis" && echo tex >"$work/thesis/thesis.tex"
R -o "$work/thesis" --force
check not_results_refused_even_forced [ "$rc" = 2 ]
check not_results_message has_err "-o $work/thesis: exists and is not a ringsim results directory"
check not_results_untouched grep -qx tex "$work/thesis/thesis.tex"
R -o "$work/slash/"
check trailing_slash_exit_0 [ "$rc" = 0 ]
check trailing_slash_results [ -s "$work/slash/summary.json" ]
check trailing_slash_no_inner_tmp [ -z "$(ls -d "$work"/slash/.tmp-* 2>/dev/null)" ]

# --- compare: the same refusal
R -o "$work/b" --set scenario.seed=9
run "$ringsim" compare "$work/a" "$work/b" -o "$work/cmp" --quiet
check compare_ran [ "$rc" -le 1 ] # 1 when gnuplot cannot draw the plots
check compare_results [ -s "$work/cmp/compare.json" ]
check compare_manifest_lists_all lists_all "$work/cmp"
echo mine >"$work/cmp/notes.txt"
before=$(sums "$work/cmp")
run "$ringsim" compare "$work/a" "$work/b" -o "$work/cmp" --quiet
check compare_foreign_exit_2 [ "$rc" = 2 ]
check compare_foreign_named has_err "-o $work/cmp: holds files ringsim did not write: notes.txt;"
check compare_unchanged [ "$(sums "$work/cmp")" = "$before" ]
check compare_no_leftovers no_leftovers "$work/cmp"

# --- regress -o: the same refusal; --force keeps the file
mkdir "$work/suite" && cp "$sc" "$work/suite/"
run "$ringsim" regress "$work/suite" -j 1 -o "$work/reg"
check regress_ran [ "$rc" = 0 ]
check regress_results [ -s "$work/reg/0-0/summary.json" ]
check regress_manifest_lists_all lists_all "$work/reg"
check regress_no_leftovers no_leftovers "$work/reg"
echo mine >"$work/reg/notes.txt"
before=$(sums "$work/reg")
run "$ringsim" regress "$work/suite" -j 1 -o "$work/reg"
check regress_foreign_exit_2 [ "$rc" = 2 ]
check regress_foreign_named has_err "-o $work/reg: holds files ringsim did not write: notes.txt;"
check regress_unchanged [ "$(sums "$work/reg")" = "$before" ]
run "$ringsim" regress "$work/suite" -j 1 -o "$work/reg" --force
check regress_force_exit_0 [ "$rc" = 0 ]
check regress_force_kept grep -qx mine "$work/reg/notes.txt"
# --junit into -o DIR: part of the results, so the next suite replaces it
for k in 1 2; do
	run "$ringsim" regress "$work/suite" -j 1 -o "$work/reg2" --junit "$work/reg2/junit.xml"
	check "regress_junit_inside_$k" [ "$rc" = 0 ]
	check "regress_junit_inside_written_$k" grep -q '<testsuite' "$work/reg2/junit.xml"
	check "regress_junit_inside_listed_$k" lists_all "$work/reg2"
done

# A full disk: 100,000 requests' rows (about 8 MB) do not fit in 256 KiB; the first flush
# that fails ends the run (at 8 MB the run would go on for seconds and fail at the end).
full=$work/full
mkdir "$full"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=256k rs_full "$full" 2>/dev/null; then
	trap 'umount "$full" 2>/dev/null; rm -rf "$work"' EXIT
	R -o "$full/r"
	check full_earlier_ok [ "$rc" = 0 ]
	before=$(sums "$full/r")
	run "$ringsim" run "$src/scenarios/bench/9p-read-4k.xml" -o "$full/r" --records all
	check full_exit_1 [ "$rc" = 1 ]
	check full_says_file has_err "/requests.csv: cannot write: No space left on device; no results written"
	check full_one_message [ "$(grep -c '^ringsim:' "$work/err")" = 1 ]
	check full_earlier_whole [ "$(sums "$full/r")" = "$before" ]
	check full_nothing_else [ "$(ls -A "$full")" = r ]
	umount "$full"
else
	echo "results_dir: not root or no tmpfs here; the full-disk case is not checked"
fi

finish results_dir
