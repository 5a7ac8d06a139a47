// SPDX-License-Identifier: GPL-2.0-only
// What the rest of a run sees of a virtqueue device engine, whichever implements it: the
// SystemC model (device_engine) or the RTL built with Verilator (rtl/rtl_engine). Selected
// per scenario: <virtio-9p engine="systemc|rtl"/>.
#ifndef RS_VIRTQUEUE_ENGINE_IF_H
#define RS_VIRTQUEUE_ENGINE_IF_H

#include <cstdint>
#include <functional>

#include <systemc>
#include <tlm>

namespace vq {

class engine_if {
public:
	virtual ~engine_if() = default;
	// The DMA initiator: bind it to the bus.
	virtual tlm::tlm_initiator_socket<> &dma_socket() = 0;
	// The driver's doorbell; never waits.
	virtual void kick() = 0;
	// Called (in an SC_METHOD) each time the guest sees the queue's interrupt.
	virtual void set_irq_handler(std::function<void()> handler) = 0;
	virtual uint64_t kicks() const = 0;
	virtual uint64_t interrupts_seen() const = 0;
	virtual uint64_t chains_served() const = 0;
	// Add the engine's internal signals to a VCD file (the RTL has some; the model none).
	virtual void trace(sc_core::sc_trace_file *tf) const { (void)tf; }
};

} // namespace vq

#endif
