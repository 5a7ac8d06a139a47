// SPDX-License-Identifier: GPL-2.0-only
// Simulated time in ringsim is counted in clock cycles: one cycle is one SC_NS of SystemC
// time, whatever the platform clock. Every delay is a whole number of cycles, so no clock
// frequency ever needs a fractional time step; seconds appear only in the results, as
// cycles / platform clock.
#ifndef RS_MODELS_COMMON_CYCLES_H
#define RS_MODELS_COMMON_CYCLES_H

#include <cstdint>
#include <systemc>

namespace rs_models {

inline sc_core::sc_time cycles(uint64_t n)
{
	return sc_core::sc_time(static_cast<double>(n), sc_core::SC_NS);
}

inline uint64_t now_cycles()
{
	return sc_core::sc_time_stamp().value() / cycles(1).value();
}

} // namespace rs_models

#endif
