// SPDX-License-Identifier: GPL-2.0-only
// One device DMA transaction: a blocking TLM-2.0 call on the initiator socket, then waiting
// out the latency guest memory annotated, so the calling SC_THREAD resumes when the
// transfer is done. Shared by every device model that reaches guest memory.
#ifndef RS_MODELS_COMMON_DMA_TRANSACT_H
#define RS_MODELS_COMMON_DMA_TRANSACT_H

#include <climits>
#include <cstddef>
#include <cstdint>

#include <systemc>
#include <tlm>

namespace rs_models {

/**
 * dma_transact() - read or write @len bytes of guest physical memory at @pa
 * @socket: the device's initiator socket (bound to the DMA bus)
 * @cmd: TLM_READ_COMMAND or TLM_WRITE_COMMAND (a write only reads @buf)
 *
 * Return: true when guest memory accepted the access.
 * Context: an SC_THREAD; waits for the transaction's latency.
 */
inline bool dma_transact(tlm::tlm_initiator_socket<> &socket, tlm::tlm_command cmd, uint64_t pa,
			 void *buf, size_t len)
{
	tlm::tlm_generic_payload t;
	sc_core::sc_time delay = sc_core::SC_ZERO_TIME;

	if (len > UINT_MAX)
		return false;
	t.set_command(cmd);
	t.set_address(pa);
	t.set_data_ptr(static_cast<unsigned char *>(buf));
	t.set_data_length(static_cast<unsigned int>(len));
	t.set_streaming_width(static_cast<unsigned int>(len));
	t.set_byte_enable_ptr(nullptr);
	t.set_byte_enable_length(0);
	t.set_dmi_allowed(false);
	t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
	socket->b_transport(t, delay);
	if (delay != sc_core::SC_ZERO_TIME)
		sc_core::wait(delay);
	return t.is_response_ok();
}

} // namespace rs_models

#endif
