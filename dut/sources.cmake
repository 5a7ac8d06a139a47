# SPDX-License-Identifier: GPL-2.0-only
# The DUT's source files, by device kind, and the flags a DUT is compiled with: one list for
# the built-in seed (dut/CMakeLists.txt) and for what ringsim compiles at run time, a fix or
# a user's driver file (sim/dutbuild, through the generated dut_build_config.h).
set(RS_DUT_COMMON_SOURCES dut_ops_seed.c)
set(RS_DUT_9P_SOURCES trans_common.c trans_virtio.c guest/client.c guest/protocol.c
	guest/virtio_ring.c)
set(RS_DUT_BLK_SOURCES xen-blkfront.c guest/blk.c guest/grant-table.c)
set(RS_DUT_SOURCES ${RS_DUT_COMMON_SOURCES} ${RS_DUT_9P_SOURCES} ${RS_DUT_BLK_SOURCES})

# Kernel style compares signed and unsigned freely; the seed code is kept as written.
set(RS_DUT_WARNING_FLAGS -Wno-sign-compare -Wno-missing-field-initializers)
# Debug information whatever the build type: a DUT crash's backtrace names the source line.
set(RS_DUT_DEBUG_FLAGS -g)
# Built as a CONFIG_KASAN kernel with outline checks: every load and store calls
# __asan_{load,store}N_noabort, which kshim/kasan.cpp answers from the kmalloc heap
# (9P-B7's read past the page array). Stack and globals are not checked, as kshim owns no
# shadow for them.
set(RS_DUT_KASAN_FLAGS -fsanitize=kernel-address
	--param=asan-instrumentation-with-call-threshold=0 --param=asan-stack=0
	--param=asan-globals=0)
# The function tracer (kshim/ftrace.cpp; ringsim run --trace): every function of the
# driver's own files calls kshim on entry and on return; the guest kernel around them
# (guest/), the ops glue and kshim's inline helpers are left out. A test of a pointer when no
# trace is asked for.
set(RS_DUT_FTRACE_FLAGS -finstrument-functions
	-finstrument-functions-exclude-file-list=/guest/,dut_ops_seed.c,kshim/include,include/ringsim)
