// SPDX-License-Identifier: GPL-2.0-only
// The 9P server's observer (models/virtqueue/p9_tap.h) as a run uses it: every message it is
// told of into a --pcap capture (sim/trace/pcap.h), and, with --trace, each message's
// service as a slice on the worker's track, from the T-message the worker gathered to the
// R-message it scattered, named by its type, with its tag.
#ifndef RS_DEVICES_P9_SERVER_TAP_H
#define RS_DEVICES_P9_SERVER_TAP_H

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include <systemc>

#include <jansson.h>

#include "probes/run_trace.h"
#include "trace/pcap.h"
#include "virtqueue/p9_tap.h"

namespace rs_engine {

class p9_server_tap : public p9srv::p9_tap_if {
public:
	void set_pcap(struct rs_pcap *pcap) { m_pcap = pcap; }

	void message(bool reply, const uint8_t *bytes, size_t len, uint64_t cycle) override
	{
		if (m_pcap)
			rs_pcap_message(m_pcap, reply, bytes, len, cycle);
		if (run_trace *t = run_trace::active())
			service(*t, reply, bytes, len);
	}

private:
	// size[4] type[1] tag[2] (little-endian), the 9P2000.L header.
	static const char *type_name(uint8_t type, char *buf, size_t size)
	{
		static const struct {
			uint8_t type;
			const char *name;
		} names[] = {
			{ 7, "Rlerror" }, { 12, "Tlopen" }, { 13, "Rlopen" }, { 14, "Tlcreate" },
			{ 15, "Rlcreate" }, { 24, "Tgetattr" }, { 25, "Rgetattr" }, { 40, "Treaddir" },
			{ 41, "Rreaddir" }, { 50, "Tfsync" }, { 51, "Rfsync" }, { 100, "Tversion" },
			{ 101, "Rversion" }, { 104, "Tattach" }, { 105, "Rattach" }, { 108, "Tflush" },
			{ 109, "Rflush" }, { 110, "Twalk" }, { 111, "Rwalk" }, { 116, "Tread" },
			{ 117, "Rread" }, { 118, "Twrite" }, { 119, "Rwrite" }, { 120, "Tclunk" },
			{ 121, "Rclunk" },
		};

		for (const auto &n : names)
			if (n.type == type)
				return n.name;
		snprintf(buf, size, "9P type %u", type);
		return buf;
	}

	// The worker's track: "virtio-9p worker N", its module being worker_N.
	static void name_worker(run_trace &t)
	{
		const sc_core::sc_process_b *p = sc_core::sc_get_current_process_b();
		const sc_core::sc_object *m = p ? p->get_parent_object() : nullptr;
		const char *base = m ? m->basename() : "";
		const char *n = strrchr(base, '_');

		t.name_track(std::string("virtio-9p worker ") + (n ? n + 1 : base));
	}

	static void service(run_trace &t, bool reply, const uint8_t *b, size_t len)
	{
		char buf[32];
		const char *name = len >= 7 ? type_name(b[4], buf, sizeof(buf)) : "9P (short)";
		json_t *args = len >= 7 ?
			json_pack("{s:i, s:I}", "tag", b[5] | b[6] << 8, "bytes", (json_int_t)len) :
			nullptr;

		if (!reply) {
			if (!t.track_named())
				name_worker(t);
			t.begin(name, args);
		} else {
			if (args)
				json_object_set_new(args, "reply", json_string(name));
			t.end(args);
		}
	}

	struct rs_pcap *m_pcap = nullptr;
};

} // namespace rs_engine

#endif
