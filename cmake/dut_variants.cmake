# SPDX-License-Identifier: GPL-2.0-only
# DUT variants: a copy of the seed sources (dut/) in the build directory per variant, with
# the upstream fixes of dut/fixes applied by `patch -p1 --fuzz=0`: seed+NAME (one fix) and
# upstream (every fix of a kind, in the order of dut/fixes/variants.txt). Only targets that
# ask for a variant (the DUT tests) make one: the copy is a custom command, run again only
# when the seed, a patch or the index changes. A patch that does not apply fails the build
# with patch's message and the failing hunks (cmake/dut_apply_patches.cmake).

find_program(RINGSIM_PATCH patch)
set(RINGSIM_DUT_FIXES ${PROJECT_SOURCE_DIR}/dut/fixes)
set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
	${RINGSIM_DUT_FIXES}/variants.txt)

# The index: KIND NAME PATCH DESCRIPTION per line (dut/fixes/variants.txt).
file(STRINGS ${RINGSIM_DUT_FIXES}/variants.txt _rs_variant_lines REGEX "^[^#]")
foreach(_line IN LISTS _rs_variant_lines)
	if(NOT _line MATCHES "^([^ \t]+)[ \t]+([^ \t]+)[ \t]+([^ \t]+)[ \t]+(.+)$")
		message(FATAL_ERROR "dut/fixes/variants.txt: '${_line}': not KIND NAME PATCH DESCRIPTION")
	endif()
	set(_kind ${CMAKE_MATCH_1})
	set(_name ${CMAKE_MATCH_2})
	set(_patch ${CMAKE_MATCH_3})
	if(_name STREQUAL "upstream")
		string(REPLACE "+" ";" _fixes "${_patch}")
		set(RINGSIM_DUT_UPSTREAM_${_kind} ${_fixes})
	else()
		if(NOT EXISTS ${RINGSIM_DUT_FIXES}/${_patch})
			message(FATAL_ERROR "dut/fixes/variants.txt: ${_kind} ${_name}: no file ${_patch}")
		endif()
		set(RINGSIM_DUT_PATCH_${_kind}_${_name} ${RINGSIM_DUT_FIXES}/${_patch})
		list(APPEND RINGSIM_DUT_FIXES_${_kind} ${_name})
	endif()
endforeach()

#[[
ringsim_dut_variant(KIND VARIANT OUT_DIR OUT_TARGET) - the patched copy of VARIANT (seed,
seed+NAME[+NAME...] or upstream) of KIND (xen-blk, virtio-9p): OUT_DIR receives its
directory, whose dut/ mirrors the source tree's (include DIR/dut before the seed's dut/),
OUT_TARGET a target to add_dependencies() on. Call it from the directory of the targets that
compile its files (a custom command's outputs are known in its own directory only); a second
call for the same variant returns the first one's.
]]
function(ringsim_dut_variant kind variant out_dir out_target)
	if(NOT RINGSIM_PATCH)
		message(FATAL_ERROR "DUT variants need the patch program (scripts/install-deps.sh)")
	endif()
	set(patches "")
	if(variant STREQUAL "upstream")
		set(names ${RINGSIM_DUT_UPSTREAM_${kind}})
	elseif(variant MATCHES "^seed(\\+.*)?$")
		string(REGEX REPLACE "^seed\\+?" "" rest "${variant}")
		string(REPLACE "+" ";" names "${rest}")
	else()
		message(FATAL_ERROR "DUT variant '${variant}' of ${kind}: not seed, seed+NAME or upstream")
	endif()
	foreach(n IN LISTS names)
		if(NOT DEFINED RINGSIM_DUT_PATCH_${kind}_${n})
			message(FATAL_ERROR "DUT variant '${variant}': ${kind} has no fix '${n}'; "
				"allowed: ${RINGSIM_DUT_FIXES_${kind}}")
		endif()
		list(APPEND patches ${RINGSIM_DUT_PATCH_${kind}_${n}})
	endforeach()

	set(dir ${CMAKE_BINARY_DIR}/dut-variants/${kind}/${variant})
	string(MAKE_C_IDENTIFIER "dut_variant_${kind}_${variant}" target)
	set(${out_dir} ${dir} PARENT_SCOPE)
	set(${out_target} ${target} PARENT_SCOPE)
	if(TARGET ${target})
		return() # made already, for another target of this directory
	endif()
	file(GLOB_RECURSE seed_files CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}
		${PROJECT_SOURCE_DIR}/dut/*.c ${PROJECT_SOURCE_DIR}/dut/*.h)
	set(seed_paths "")
	set(copies "")
	foreach(f IN LISTS seed_files)
		list(APPEND seed_paths ${PROJECT_SOURCE_DIR}/${f})
		list(APPEND copies ${dir}/${f})
	endforeach()
	string(REPLACE ";" "|" patch_arg "${patches}")
	add_custom_command(OUTPUT ${dir}/stamp
		BYPRODUCTS ${copies}
		COMMAND ${CMAKE_COMMAND} -DSEED=${PROJECT_SOURCE_DIR}/dut -DOUT=${dir}
			-DPATCH=${RINGSIM_PATCH} "-DPATCHES=${patch_arg}"
			-P ${PROJECT_SOURCE_DIR}/cmake/dut_apply_patches.cmake
		DEPENDS ${patches} ${seed_paths} ${PROJECT_SOURCE_DIR}/cmake/dut_apply_patches.cmake
		COMMENT "DUT variant ${kind} ${variant}"
		VERBATIM)
	add_custom_target(${target} DEPENDS ${dir}/stamp)
endfunction()
