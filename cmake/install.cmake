# SPDX-License-Identifier: GPL-2.0-only
# What `cmake --install` puts where, the manual page, and the Debian package (cpack -G DEB).
include(GNUInstallDirs)

# ringsim(1) from its scdoc source. Without scdoc the build says so and has no man page
# (scripts/install-deps.sh installs it).
find_program(SCDOC scdoc)
if(SCDOC)
	set(RS_MAN ${PROJECT_BINARY_DIR}/ringsim.1)
	add_custom_command(OUTPUT ${RS_MAN}
		COMMAND ${SCDOC} < ${PROJECT_SOURCE_DIR}/docs/ringsim.1.scd > ${RS_MAN}
		DEPENDS ${PROJECT_SOURCE_DIR}/docs/ringsim.1.scd
		COMMENT "Writing the manual page ringsim.1 (scdoc)")
	add_custom_target(rs_man ALL DEPENDS ${RS_MAN})
	install(FILES ${RS_MAN} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
	message(WARNING "scdoc not found: no manual page (apt-get install scdoc)")
endif()

install(TARGETS ringsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
set(RS_SHARE ${CMAKE_INSTALL_DATADIR}/ringsim)
install(FILES ${PROJECT_SOURCE_DIR}/scenarios/scenario.xsd DESTINATION ${RS_SHARE})
# The scenarios keep their layout: a sweep names its base scenario relative to itself.
install(FILES ${PROJECT_SOURCE_DIR}/scenarios/quickstart.xml
	DESTINATION ${RS_SHARE}/scenarios)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/examples ${PROJECT_SOURCE_DIR}/scenarios/compare
	DESTINATION ${RS_SHARE}/scenarios FILES_MATCHING PATTERN "*.xml")
# The DUT source and kshim's headers, so that an installed ringsim compiles fixes and a
# user's driver file (sim/dutbuild finds them relative to the binary), and the shipped
# regression suite with its goldens, to run on such a driver.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/dut/ DESTINATION ${RS_SHARE}/dut
	FILES_MATCHING PATTERN "*.c" PATTERN "*.h" PATTERN "*.map" PATTERN "*.patch"
	PATTERN "variants.txt" PATTERN "README.md")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/kshim/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/ringsim
	FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/tests/regress/ DESTINATION ${RS_SHARE}/regress
	FILES_MATCHING PATTERN "*.xml" PATTERN "*.golden.json")
install(FILES ${PROJECT_SOURCE_DIR}/scripts/completion/ringsim.bash
	DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME ringsim)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/docs/copyright
	DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_PACKAGE_NAME ringsim)
set(CPACK_PACKAGE_VENDOR "ringsim")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
	"cycle-level simulator of paravirtual I/O rings (9p virtio, Xen PV block)")
set(CPACK_PACKAGE_DESCRIPTION
	"ringsim runs the driver code of the 9p virtio zero-copy transport and of xen-blkfront's\n\
64 KiB-page request build as the device under test on SystemC models of guest memory,\n\
the rings, the hypervisor and the backends, and measures what the guest page size does\n\
to ring stalls, grants, pinned memory, latency and throughput.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "ringsim developers <ringsim@localhost>")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# The shared libraries the binary links (libsystemc, libxml2, libgsl, libjansson, libpcap) found by
# dpkg-shlibdeps; gnuplot draws the comparison plots.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# gcc and patch build the DUTs other than the built-in seed (ringsim dut --help).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "gnuplot-nox | gnuplot, gcc, patch")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "gtkwave, tshark | wireshark")
set(CPACK_STRIP_FILES ON) # the debug info stays in the build tree
set(CPACK_GENERATOR DEB)
include(CPack)
