// SPDX-License-Identifier: GPL-2.0-only
// What a virtio device engine and the device behind it (the 9P server) say to each other:
// the engine walks a descriptor chain out of guest memory and hands it over as segments;
// the backend reads the driver's buffers and writes its reply through the engine's DMA.
#ifndef RS_VIRTQUEUE_BACKEND_H
#define RS_VIRTQUEUE_BACKEND_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/dma_if.h"

namespace vq {

// One buffer of a chain, as a descriptor describes it (guest physical address).
struct segment {
	uint64_t addr;
	uint32_t len;
	bool device_writable; // VRING_DESC_F_WRITE: an "in" buffer of the driver
};

// Device-side access to guest memory (common/dma_if.h): one DMA transaction per call, which
// returns after the transaction's latency has passed (the caller is an SC_THREAD).
using dma_if = rs_models::dma_if;

// A device behind a virtqueue.
class backend_if {
public:
	virtual ~backend_if() = default;
	/**
	 * serve() - process one request chain
	 * @head: descriptor index of the chain's head (for the backend's records only)
	 * @chain: the chain's buffers in order: driver-readable ones first, then writable ones
	 * @dma: where to read the request from and write the reply to
	 *
	 * Context: a worker thread of the engine's pool (worker_pool.h), with other chains in
	 * service at the same time; may wait() for the device's service time.
	 * Return: bytes written into the writable buffers, the used element's len.
	 */
	virtual uint32_t serve(uint16_t head, const std::vector<segment> &chain, dma_if &dma) = 0;
};

} // namespace vq

#endif
