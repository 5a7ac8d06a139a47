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

// A DUT object dlopen()ed so far: where it is loaded (the span of its PT_LOAD segments,
// and the load bias that addr2line's offsets are from). The built-in seed is not one.
struct dut_object {
	std::string path;
	uintptr_t bias, start, end;
};

/** dut_objects() - every DUT object loaded so far, by path. */
std::vector<dut_object> dut_objects();

/**
 * dut_object_at() - the loaded DUT object whose code or data holds @pc
 * Return: true with *@obj filled, or false (the built-in seed, ringsim, a library).
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
