// SPDX-License-Identifier: GPL-2.0-only
// Shared by the device model tests (blkback, virtqueue engines): simulated time in 1 ns
// cycles, guest memory configured for DMA, and a bus that hands every device's DMA to it.
#ifndef RS_TESTS_MODELS_DMA_RIG_H
#define RS_TESTS_MODELS_DMA_RIG_H

#include <cstdint>

#include <systemc>
#include <tlm>

#include "common/dma_bus.h"
#include "common/sanitizer_stack.h"
#include "guest_mm/guest_memory.h"

namespace rs_test {

inline uint64_t now_cycles()
{
	return sc_core::sc_time_stamp().value() / sc_core::sc_time(1, sc_core::SC_NS).value();
}

// Runs the simulation for @n cycles of 1 ns.
inline void run_cycles(uint64_t n)
{
	sc_core::sc_start(sc_core::sc_time(static_cast<double>(n), sc_core::SC_NS));
	rs_models::back_on_thread_stack();
}

// Guest memory of @nr_frames pages of @page_size, 1 ns clock, a 16-byte bus.
inline gmm::config memory_config(uint64_t nr_frames, uint32_t page_size,
				 uint64_t dma_latency_cycles)
{
	gmm::config c;
	c.memory_bytes = nr_frames * page_size;
	c.page_size = page_size;
	c.clock_period = sc_core::sc_time(1, sc_core::SC_NS);
	c.dma_latency_cycles = dma_latency_cycles;
	c.bus_width_bytes = 16;
	return c;
}

// Every device's DMA to guest memory, unchanged: the bus of a run.
using passthrough_bus = rs_models::dma_bus;

} // namespace rs_test

#endif
