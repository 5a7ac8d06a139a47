// SPDX-License-Identifier: GPL-2.0-only
/*
 * dut_loader: which DUT a run drives. "seed" is the built-in one (linked into ringsim); any
 * other spec is the path of a DUT shared object, dlopen()ed once per process and checked
 * against the DUT boundary (dut/dut_ops.h): its ABI version and every entry point.
 */
#ifndef RS_DEVICES_DUT_LOADER_H
#define RS_DEVICES_DUT_LOADER_H

#include <cstdint>
#include <string>
#include <vector>

// The tables themselves are in dut_ops.h, which brings the guest kernel's headers: only the
// glue that calls through them includes it.
struct rs_dut_9p_ops;
struct rs_dut_blk_ops;

namespace rs_engine {

/**
 * dut_9p_ops() - the 9p ops of @spec (a name of scenario/dut_names.c, or a shared object's
 * path)
 * Return: the table, or nullptr with @err saying why (not loadable, no table, a mismatched
 * ABI version, the entry points it lacks).
 */
const struct rs_dut_9p_ops *dut_9p_ops(const std::string &spec, std::string &err);

/** dut_blk_ops() - the same for xen-blk. */
const struct rs_dut_blk_ops *dut_blk_ops(const std::string &spec, std::string &err);

// Where a DUT's code is: a DUT object dlopen()ed so far (the span of its PT_LOAD segments),
// or the built-in seed's section of the executable (builtin_dut_object), with the file and
// the load bias that addr2line's offsets are from.
struct dut_object {
	std::string path;
	uintptr_t bias, start, end;
};

/** dut_objects() - every DUT object loaded so far, by path (never the built-in seed). */
std::vector<dut_object> dut_objects();

/**
 * builtin_dut_object() - the built-in seed's code in this executable: the section
 * .text.rs_dut (dut/dut_text.ld), in the file /proc/self/exe names, at the executable's
 * load bias
 * Return: true with *@obj filled, or false when the executable was linked without the
 * section (a test that links rs_dut itself).
 */
bool builtin_dut_object(dut_object *obj);

/**
 * dut_code_objects() - what the crash guard covers: dut_objects() and, when there is one,
 * builtin_dut_object(). Not for what only loaded objects have (dlsym, coverage).
 */
std::vector<dut_object> dut_code_objects();

/**
 * dut_object_at() - the DUT code (a loaded object's code or data, or the built-in seed's
 * code) that holds @pc
 * Return: true with *@obj filled, or false (ringsim, a library).
 */
bool dut_object_at(const void *pc, dut_object *obj);

/**
 * set_dut_coverage() - build every DUT this process loads from now on for gcov
 * (--dut-coverage): the seed too is then compiled, as an object of its own
 */
void set_dut_coverage(bool on);

/**
 * dump_dut_coverage() - write the gcov data of the instrumented DUT objects loaded for the
 * device kinds @kinds ("virtio-9p", "xen-blk") into @dir/HASH/ (HASH: the object's cache
 * entry), each beside its notes (.gcno), its origin.txt and sources.txt (sim/dutbuild):
 * what sim/coverage reads
 * Return: the number of objects dumped, or -1 with @err set.
 * Context: once the run is over; sets and restores GCOV_PREFIX in the environment.
 */
int dump_dut_coverage(const std::string &dir, const std::vector<std::string> &kinds,
		      std::string &err);

} // namespace rs_engine

#endif
