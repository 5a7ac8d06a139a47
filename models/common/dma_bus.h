// SPDX-License-Identifier: GPL-2.0-only
// The guest's memory bus as devices see it: every device's DMA initiator binds to
// `devices`, and each transaction goes on unchanged to guest memory, which checks it and
// adds its latency. One bus per run, whatever devices the scenario has.
#ifndef RS_MODELS_COMMON_DMA_BUS_H
#define RS_MODELS_COMMON_DMA_BUS_H

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>

namespace rs_models {

class dma_bus : public sc_core::sc_module {
public:
	// Zero or more devices: a scenario may have none of a kind.
	tlm_utils::multi_passthrough_target_socket<dma_bus, 32, tlm::tlm_base_protocol_types, 0,
						   sc_core::SC_ZERO_OR_MORE_BOUND> devices;
	tlm_utils::simple_initiator_socket<dma_bus> memory;

	explicit dma_bus(sc_core::sc_module_name name)
		: sc_module(name), devices("devices"), memory("memory")
	{
		devices.register_b_transport(this, &dma_bus::b_transport);
		devices.register_transport_dbg(this, &dma_bus::transport_dbg);
	}

private:
	void b_transport(int, tlm::tlm_generic_payload &trans, sc_core::sc_time &delay)
	{
		memory->b_transport(trans, delay);
	}

	unsigned int transport_dbg(int, tlm::tlm_generic_payload &trans)
	{
		return memory->transport_dbg(trans);
	}
};

} // namespace rs_models

#endif
