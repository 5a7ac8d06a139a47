// SPDX-License-Identifier: GPL-2.0-only
// A DUT's fault made readable, once the simulation has stopped: kshim's crash record (a
// signal and raw return addresses, kshim/crash.h) becomes rs_run_info's crash (each frame's
// object, offset, function, file and line, from addr2line) and a dut_crash finding.
#ifndef RS_ENGINE_CRASH_REPORT_H
#define RS_ENGINE_CRASH_REPORT_H

#include "engine/engine.h"
#include "kshim/crash.h"
#include "results/recorder.h"

namespace rs_engine {

/**
 * crash_report() - fill @out from @r and record the dut_crash finding in @rec
 *
 * Frames are symbolized with `addr2line -a -f -C -i -e OBJECT OFFSET...`, one process per
 * object (DUT objects are built with -g); where addr2line is missing or knows nothing, the
 * function is the dynamic symbol dladdr() finds, or "". The finding's where is the innermost
 * DUT frame's FILE:LINE, its detail "SIGSEGV (address 0x0) in FUNCTION".
 * Context: normal context (it forks), after sc_start() returned.
 */
void crash_report(const rs_kshim::crash_record &r, rs_recorder *rec, rs_crash *out);

} // namespace rs_engine

#endif
