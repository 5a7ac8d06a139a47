// SPDX-License-Identifier: GPL-2.0-only
// Device-side access to guest memory, shared by every device model: the virtio device engine
// offers it to the 9P server, blkback uses it for the ring, the data and (on the
// hypervisor's behalf) the guest's grant table.
#ifndef RS_MODELS_COMMON_DMA_IF_H
#define RS_MODELS_COMMON_DMA_IF_H

#include <cstddef>
#include <cstdint>

namespace rs_models {

// Each call is one DMA transaction on the bus; it returns after the transaction's latency has
// passed (the caller is an SC_THREAD, unless the implementation charges no time).
class dma_if {
public:
	virtual ~dma_if() = default;
	// Return: true when guest memory accepted the access (false: address error).
	virtual bool dma_read(uint64_t pa, void *buf, size_t len) = 0;
	virtual bool dma_write(uint64_t pa, const void *buf, size_t len) = 0;
};

} // namespace rs_models

#endif
