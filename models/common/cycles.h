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

// SystemC's ticks in one cycle (one SC_NS at the kernel's time resolution), read once: the
// resolution is fixed from the first time value on. Whole ticks, no floating point, on the
// paths that count every request.
inline sc_core::sc_time::value_type ticks_per_cycle()
{
	static const sc_core::sc_time::value_type ticks =
		sc_core::sc_time(1.0, sc_core::SC_NS).value();

	return ticks;
}

// The longest wait, in cycles: half of what SystemC's 64-bit time holds at its 1 ps
// resolution (sim/scenario's RS_MAX_RUN_CYCLES, where a run ends). A wait started inside a
// run ends inside the range; a longer one is cut to this, past the run's end anyway.
constexpr uint64_t max_wait_cycles = UINT64_MAX / 1000 / 2;

inline sc_core::sc_time cycles(uint64_t n)
{
	return sc_core::sc_time::from_value((n < max_wait_cycles ? n : max_wait_cycles) *
					    ticks_per_cycle());
}

inline uint64_t now_cycles()
{
	return sc_core::sc_time_stamp().value() / ticks_per_cycle();
}

} // namespace rs_models

#endif
