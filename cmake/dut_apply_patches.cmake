# SPDX-License-Identifier: GPL-2.0-only
# cmake -DSEED=dut -DOUT=DIR -DPATCH=patch -DPATCHES=a.patch|b.patch -P dut_apply_patches.cmake
# Copy the seed sources to DIR/dut and apply each patch in turn with `patch -p1 --fuzz=0`
# from DIR; a patch that does not apply stops with patch's message and its failing hunks.
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
file(COPY ${SEED} DESTINATION ${OUT} FILES_MATCHING PATTERN "*.c" PATTERN "*.h"
	PATTERN "fixes" EXCLUDE)
# Fresh times: a file a patch no longer touches must still be newer than objects built from
# an earlier, patched copy.
file(GLOB_RECURSE copied ${OUT}/dut/*)
file(TOUCH ${copied})
string(REPLACE "|" ";" PATCHES "${PATCHES}")
set(applied "the seed")
foreach(p IN LISTS PATCHES)
	execute_process(COMMAND ${PATCH} -p1 --fuzz=0 --no-backup-if-mismatch -i ${p}
		WORKING_DIRECTORY ${OUT} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
	if(NOT rc EQUAL 0)
		file(GLOB_RECURSE rejects ${OUT}/*.rej)
		set(hunks "")
		foreach(r IN LISTS rejects)
			file(READ ${r} text)
			string(APPEND hunks "${r}:\n${text}")
		endforeach()
		# NOTICE prints as is; FATAL_ERROR would rewrap the hunks
		message(NOTICE "${p}: does not apply to ${applied} (${SEED}):\n${out}"
			"the failing hunk(s):\n${hunks}")
		message(FATAL_ERROR "DUT variant ${OUT}: ${p} does not apply")
	endif()
	get_filename_component(name ${p} NAME)
	string(APPEND applied " + ${name}")
endforeach()
file(WRITE ${OUT}/stamp "${applied}\n")
