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

// What a run watches of the device's PDUs, both engines alike. Called from the engine's
// processes: the functions must not wait.
struct engine_observer {
	// The number of PDUs in service by workers changed to @in_service.
	std::function<void(unsigned in_service)> service;
	// A used element was published: whether it raised a notification, and whether it
	// overtook a chain popped before it that is not yet published (out of order).
	std::function<void(bool notified, bool out_of_order)> completed;
	// The chain of head @head was served: the engine took it off the avail ring (and
	// walked its descriptors) by @popped, a worker's service of it ended at @done (cycles).
	std::function<void(uint16_t head, uint64_t popped, uint64_t done)> served;
};

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
	virtual void set_observer(const engine_observer &obs) = 0;
	virtual uint64_t completions() const = 0;   // used elements published
	virtual uint64_t notifications() const = 0; // interrupts raised (not suppressed)
	virtual uint64_t out_of_order() const = 0;  // completions that overtook an earlier pop
	virtual unsigned in_service_max() const = 0; // most PDUs in service at once
	// Add the engine's internal signals to a VCD file (the RTL has some; the model none).
	virtual void trace(sc_core::sc_trace_file *tf) const { (void)tf; }
};

} // namespace vq

#endif
