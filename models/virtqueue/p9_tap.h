// SPDX-License-Identifier: GPL-2.0-only
// An observer of the 9P messages the server exchanges with the guest (ringsim run --pcap):
// each T-message as the server gathered it out of the driver-readable buffers, each
// R-message as it scattered it into the writable ones. The server calls it only when one is
// set (p9_server::set_tap()), so a run without it pays one null check per message.
#ifndef RS_VIRTQUEUE_P9_TAP_H
#define RS_VIRTQUEUE_P9_TAP_H

#include <cstddef>
#include <cstdint>

namespace p9srv {

class p9_tap_if {
public:
	virtual ~p9_tap_if() = default;
	/**
	 * message() - one message crossed the virtqueue
	 * @reply: an R-message (server to guest), else a T-message (guest to server)
	 * @bytes: the message as it crossed, @len bytes: for a T-message what the server read
	 *	(the header and a zero-copy Twrite's payload), for an R-message what it wrote (an
	 *	Rread's data included; a reply cut to the writable buffers is cut here too)
	 * @cycle: when the gather or the scatter ended
	 *
	 * Context: the server's worker thread, in simulated-time order. Must not wait.
	 */
	virtual void message(bool reply, const uint8_t *bytes, size_t len, uint64_t cycle) = 0;
};

} // namespace p9srv

#endif
