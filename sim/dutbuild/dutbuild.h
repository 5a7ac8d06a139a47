/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dutbuild: a DUT spec (scenario/dut_names.h) made into a DUT object ringsim can load. The
 * seed is built in; every other spec is compiled here, at the start of a run, from the
 * shipped DUT source (the source tree ringsim was built from, or share/ringsim/dut when
 * installed) with the fixes' or the user's patches applied, or with the user's file in place
 * of the shipped one, against kshim's headers, with the flags the built-in seed was compiled
 * with (dut/sources.cmake). Objects are cached by the SHA-256 of everything that goes into
 * them (sources, headers, flags, compiler), in $RINGSIM_CACHE_DIR, else
 * $XDG_CACHE_HOME/ringsim, else ~/.cache/ringsim: a second run of the same spec loads the
 * first one's object, and parallel runs (compare -j, regress) build it once.
 */
#ifndef RS_DUTBUILD_H
#define RS_DUTBUILD_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * rs_dut_build() - the DUT object of @spec for device kind @kind
 * @kind: "virtio-9p" or "xen-blk" (whose fixes and sources a spec names)
 * @spec: a normalized spec (rs_dut_spec_check())
 * @coverage: instrument it for gcov (--dut-coverage): even the seed is then compiled
 * @object: receives the object's path (malloc()ed), or NULL for the built-in seed
 * @err: on failure, what went wrong; the compiler's and patch's own messages (FILE:LINE,
 *       the failing hunk) have gone to stderr already
 * @size: size of @err
 * Return: 0, or -1: bad input (a file that does not compile, a patch that does not apply,
 * no compiler).
 */
int rs_dut_build(const char *kind, const char *spec, bool coverage, char **object, char *err,
		 size_t size);

/**
 * rs_dut_source_dirs() - the shipped DUT source (its dut/ directory) and kshim's headers
 * Return: 0, or -1 when neither an installation nor the source tree has them.
 */
int rs_dut_source_dirs(char *dut, char *include, size_t size);

/** rs_dut_compiler() - the C compiler DUTs are built with (the one that built the seed). */
const char *rs_dut_compiler(void);

/** rs_dut_hash_library() - the version of nettle, the hash's library: "3.8" (--version). */
const char *rs_dut_hash_library(void);

/**
 * rs_dut_copy_tree() - copy a DUT source directory (dut/, without its fixes) into @to,
 * which exists (`ringsim dut init`)
 * Return: 0, or -1 with @err set.
 */
int rs_dut_copy_tree(const char *from, const char *to, char *err, size_t size);

#ifdef __cplusplus
}
#endif

#endif
