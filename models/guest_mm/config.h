// SPDX-License-Identifier: GPL-2.0-only
// The checked configuration of one guest memory. The engine builds it from the scenario
// (platform/@memory, @page-size, @clock, ...) and validates it; the model trusts it.
#ifndef RS_GUEST_MM_CONFIG_H
#define RS_GUEST_MM_CONFIG_H

#include <cstdint>
#include <systemc>

namespace gmm {

struct config {
	// platform/@memory; a multiple of page_size, at most 2^32 - 1 frames.
	uint64_t memory_bytes = 2ull << 30;
	// platform/@page-size: 4096, 16384 or 65536 (arm64 offers all three; x86-64 only 4096).
	uint32_t page_size = 4096;
	// Fraction 0..1 of frames other tenants hold for the whole run, scattered at random, so
	// that our allocations land on physically scattered pages like on a long-running host.
	double fragmentation = 0.0;
	// The scenario seed; drives the preconditioning permutation.
	uint64_t seed = 1;
	// platform/@clock. Zero here on purpose: building a non-zero sc_time fixes SystemC's time
	// resolution, which only the engine may do. The engine always sets it.
	sc_core::sc_time clock_period = sc_core::SC_ZERO_TIME;
	// Fixed cost of one device DMA transaction in cycles. Placeholder until the engine's cost
	// table sets it: about one DRAM round trip (~100 ns) at 1 GHz.
	uint32_t dma_latency_cycles = 100;
	// Bytes moved per cycle beat once a DMA transaction streams: a 128-bit data path.
	uint32_t bus_width_bytes = 16;
	// Highest buddy order, the kernel's MAX_ORDER - 1: MAX_ORDER is 11 on x86-64 and on arm64
	// with 4 KiB pages, so blocks go up to 2^10 pages (4 MiB).
	unsigned max_order = 10;
	// Fault injection (platform/@gup-max-pages): get_user_pages_fast() pins at most this
	// many pages per call, as when the tail of a buffer is unmapped or PROT_NONE; 0 for no
	// limit. Applied by kshim, which serves the DUT's calls.
	uint32_t gup_max_pages = 0;
};

} // namespace gmm

#endif
