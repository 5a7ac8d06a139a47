// SPDX-License-Identifier: GPL-2.0-only
// The 9P server's observer (models/virtqueue/p9_tap.h) that writes every message it is told
// of into a --pcap capture (sim/trace/pcap.h).
#ifndef RS_DEVICES_P9_PCAP_TAP_H
#define RS_DEVICES_P9_PCAP_TAP_H

#include "trace/pcap.h"
#include "virtqueue/p9_tap.h"

namespace rs_engine {

class p9_pcap_tap : public p9srv::p9_tap_if {
public:
	explicit p9_pcap_tap(struct rs_pcap *pcap) : m_pcap(pcap) {}
	void message(bool reply, const uint8_t *bytes, size_t len, uint64_t cycle) override
	{
		rs_pcap_message(m_pcap, reply, bytes, len, cycle);
	}

private:
	struct rs_pcap *m_pcap;
};

} // namespace rs_engine

#endif
