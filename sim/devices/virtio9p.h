// SPDX-License-Identifier: GPL-2.0-only
// The virtio-9p device of a run and the guest's mount of it: the ring allocated in guest
// memory and driven by the DUT (trans_virtio.c over dut/guest's virtio_ring.c), the device
// engine reading it by DMA, the 9P server behind it, the interrupt handler thread, and the
// mount thread that creates the 9P client, attaches and opens one file per job.
#ifndef RS_DEVICES_VIRTIO9P_H
#define RS_DEVICES_VIRTIO9P_H

#include <map>
#include <memory>
#include <vector>

#include <systemc>

#include "common/dma_bus.h"
#include "devices/io_device.h"
#include "probes/guest_kernel.h"
#include "devices/p9_server_tap.h"
#include "devices/p9_tag_ledger.h"
#include "probes/probe_signal.h"
#include "virtqueue/device_engine.h"
#include "virtqueue/engine_if.h"
#include "virtqueue/p9_server.h"

struct p9_client;
struct p9_fid;
struct virtqueue;
struct virtio_device;
struct rs_dut_9p_ops;

namespace rs_engine {

class virtio9p : public sc_core::sc_module, public io_device {
public:
	SC_HAS_PROCESS(virtio9p);

	/**
	 * virtio9p() - probe the device (boot, not simulated) and start the mount thread
	 * @s: the scenario; its 9p jobs get a file (or directory) each
	 * @host: kshim state
	 * @bus: where the device engine's DMA goes
	 * @sink: findings of the device models
	 *
	 * Context: elaboration. Throws std::runtime_error when the probe fails.
	 */
	virtio9p(sc_core::sc_module_name name, const rs_scenario &s, guest_kernel &host,
		 rs_models::dma_bus &bus, rs_models::finding_sink_if &sink);
	~virtio9p() override;

	bool ready() const override { return m_ready; }
	const sc_core::sc_event &ready_event() const override { return m_ready_ev; }
	bool failed() const override { return m_failed; }
	uint64_t submit(size_t job, const rs_io &io, char *buf, const std::vector<uint64_t> &pfns,
			rs_request_row &row) override;
	void content_of(size_t job, const rs_io &io, uint64_t &stream,
			uint64_t &offset) const override
	{
		stream = job; // the job's file, as server_config() names it
		offset = io.file_offset;
	}
	void shutdown() override { m_shutdown_ev.notify(sc_core::SC_ZERO_TIME); }
	bool down() const override { return m_down; }
	const sc_core::sc_event &down_event() const override { return m_down_ev; }

	/**
	 * set_pcap() - every 9P message the server exchanges from now on into @pcap too
	 * (--pcap), which outlives the run
	 * Context: elaboration, before the mount.
	 */
	void set_pcap(struct rs_pcap *pcap);

	/** collect() - device-side totals into the recorder, at the end of the run. */
	void collect();

	// Probes from the ring's driver half (kshim_vring_*).
	void vring_added(unsigned sg_entries, unsigned descriptors, unsigned in_use);
	void vring_full();
	void vring_changed(unsigned in_use);

	/** find_vq() - virtio_find_single_vq(): the ring in guest memory, bound to the engine. */
	struct virtqueue *find_vq(void (*callback)(struct virtqueue *), const char *name);
	/** notify() - the ring's doorbell (vp_notify). */
	void notify();

	static virtio9p *instance() { return s_instance; }

	/** trace() - the ring's signals (and the RTL engine's) into a VCD file. */
	void trace(sc_core::sc_trace_file *tf) const;

private:
	void mount_thread();
	void irq_thread();
	void check_reply_owner(uint16_t head, uint16_t tag, int64_t poster);
	void served(uint16_t head, uint64_t popped, uint64_t done);
	void set_in_use(unsigned in_use);
	// submit() without the per-request samples: the RPC loop and the content check.
	uint64_t transfer(size_t job, const rs_io &io, char *buf,
			  const std::vector<uint64_t> &pfns, rs_request_row &row);

	static virtio9p *s_instance;
	const rs_scenario &m_s;
	const struct rs_dut_9p_ops *m_dut; // the DUT boundary: every call into the driver
	guest_kernel &m_host;
	rs_models::dma_bus &m_bus;
	rs_models::finding_sink_if &m_sink;
	std::unique_ptr<p9_server_tap> m_tap; // --pcap or --trace, else NULL
	std::unique_ptr<p9srv::p9_server> m_server;
	std::unique_ptr<vq::engine_if> m_engine; // the SystemC model or the RTL
	std::unique_ptr<virtio_device> m_vdev;
	std::unique_ptr<p9_tag_ledger> m_tags; // who posted which tag: stale replies
	std::map<int64_t, rs_request_row *> m_rows; // workload requests in submit(), by id
	struct virtqueue *m_vq = nullptr;
	uint64_t m_ring_pa = 0;
	p9_client *m_client = nullptr;
	std::vector<p9_fid *> m_fids; // per job, NULL for jobs on other devices
	bool m_ready = false, m_failed = false, m_down = false;
	sc_core::sc_event m_ready_ev, m_shutdown_ev, m_down_ev, m_irq_ev;
	unsigned m_irq_pending = 0;
	// Model-level signals for --vcd: doorbells and interrupts counted, the ring's indices,
	// descriptors the driver holds.
	probe_signal m_sig_kicks{ "kicks" }, m_sig_irqs{ "interrupts" },
		m_sig_avail_idx{ "avail_idx" }, m_sig_used_idx{ "used_idx" },
		m_sig_in_use{ "descriptors_in_use" };

	rs_stat *m_desc_per_req, *m_sg_per_req;
	// Per used element: 1 if it raised a notification (mean: notifications per request),
	// 1 if it completed out of order (mean: their fraction).
	rs_stat *m_notif_per_req, *m_out_of_order;
	rs_level *m_occupancy, *m_in_service;
	rs_level *m_free_descs = nullptr; // with --trace only
	uint64_t *m_enospc, *m_rpcs, *m_checked, *m_mismatches, *m_mount_rpcs, *m_mount_descs;
};

} // namespace rs_engine

#endif
