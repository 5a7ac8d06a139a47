// SPDX-License-Identifier: GPL-2.0-only
/*
 * dut_loader: which DUT a run drives. "seed" is the built-in one (linked into ringsim); any
 * other spec is the path of a DUT shared object, dlopen()ed once per process and checked
 * against the DUT boundary (dut/dut_ops.h): its ABI version and every entry point.
 */
#ifndef RS_DEVICES_DUT_LOADER_H
#define RS_DEVICES_DUT_LOADER_H

#include <string>

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

} // namespace rs_engine

#endif
