// SPDX-License-Identifier: GPL-2.0-only
#include "devices/virtio9p.h"
#include "devices/content_chunks.h"
#include "platform/platform.h" // before the DUT's headers: its 9P macros clash

#include <cstring>
#include <stdexcept>
#include <string>

#include <linux/mm.h>
#include <linux/virtio.h>
#include <net/9p/client.h>

#include "common/content.h"
#include "common/cycles.h"
#include "probes/run_trace.h"
#include "results/stats.h"
#include "devices/dut_loader.h"
#include "dut_ops.h"
#include "virtqueue/rtl/rtl_engine.h"

namespace rs_engine {

using namespace sc_core;

virtio9p *virtio9p::s_instance;

namespace {

// The DUT the scenario names (<dut virtio-9p>), or why it cannot run.
const struct rs_dut_9p_ops *need_dut_9p(const rs_scenario &s)
{
	std::string err;
	const struct rs_dut_9p_ops *ops = dut_9p_ops(s.dut.virtio9p ? s.dut.virtio9p : "seed", err);

	if (!ops)
		throw std::runtime_error(err);
	return ops;
}

// Where the device's latencies come from: the defaults of vq::engine_config, which document
// their sources; the server's from the scenario (platform/platform.h).

const char *errno_status(int err)
{
	switch (err) {
	case -ERESTARTSYS: return "interrupted";
	case -ENOMEM: return "enomem";
	case -EFAULT: return "efault";
	case -EIO: return "eio";
	default: return "error";
	}
}

} // namespace

virtio9p::virtio9p(sc_module_name name, const rs_scenario &s, guest_kernel &host, rs_models::dma_bus &bus,
		   rs_models::finding_sink_if &sink)
	: sc_module(name), m_s(s), m_dut(need_dut_9p(s)), m_host(host), m_bus(bus), m_sink(sink),
	  m_vdev(new virtio_device()), m_fids(s.n_jobs, nullptr)
{
	rs_recorder *rec = host.rec();

	s_instance = this;
	m_desc_per_req = rs_recorder_stat(rec, "virtio.descriptors_per_request");
	m_sg_per_req = rs_recorder_stat(rec, "virtio.sg_entries_per_request");
	m_occupancy = rs_recorder_level(rec, "virtio.ring_occupancy",
					RS_LEVEL_SUMMARY | RS_LEVEL_SERIES);
	rs_level *pinned = rs_recorder_level(rec, "virtio.pinned_pages",
					     RS_LEVEL_SUMMARY | RS_LEVEL_SERIES);
	uint64_t *pinned_max = rs_recorder_counter(rec, "virtio.pinned_pages_max");
	m_notif_per_req = rs_recorder_stat(rec, "virtio.notifications_per_request");
	m_out_of_order = rs_recorder_stat(rec, "virtio.out_of_order");
	m_in_service = rs_recorder_level(rec, "virtio.pdus_in_service",
					 RS_LEVEL_SUMMARY | RS_LEVEL_SERIES);
	// The driver's vq->num_free, a --trace counter track (the ring's occupancy is the
	// series): what a request that stalls on no_free_descriptors waits for. Only with
	// --trace: no results file shows it.
	if (run_trace::active())
		m_free_descs = rs_recorder_level(rec, "virtio.descriptors_free", RS_LEVEL_TRACE);
	m_enospc = rs_recorder_counter(rec, "virtio.enospc");
	m_rpcs = rs_recorder_counter(rec, "virtio.requests");
	m_mount_rpcs = rs_recorder_counter(rec, "virtio.mount.rpcs");
	m_mount_descs = rs_recorder_counter(rec, "virtio.mount.descriptors");
	m_checked = rs_recorder_counter(rec, "integrity.checked_bytes");
	m_mismatches = rs_recorder_counter(rec, "integrity.mismatches");
	rs_stat *stall_nodesc = rs_recorder_stat(rec, "virtio.stall_cycles");
	uint64_t *n_stalls = rs_recorder_counter(rec, "virtio.stalls");
	rs_stat *pin_wait = rs_recorder_stat(rec, "virtio.pin_wait_cycles");
	uint64_t *n_pin_waits = rs_recorder_counter(rec, "virtio.pin_waits");
	if (!m_desc_per_req || !m_sg_per_req || !m_occupancy || !pinned || !pinned_max ||
	    !m_enospc || !m_rpcs || !m_checked || !m_mismatches || !stall_nodesc || !n_stalls ||
	    !pin_wait || !n_pin_waits || !m_mount_rpcs || !m_mount_descs || !m_notif_per_req ||
	    !m_out_of_order || !m_in_service || (run_trace::active() && !m_free_descs))
		throw std::bad_alloc();
	if (m_free_descs)
		rs_level_set(m_free_descs, 0, s.virtio9p.queue_size);
	// The wait queues of trans_virtio.c whose sleepers are stalled on the ring.
	host.add_ring_stall("chan->vc_wq", "virtio", "no_free_descriptors", stall_nodesc, n_stalls);
	host.add_ring_stall("&vp_wq", "virtio", "pin_limit", pin_wait, n_pin_waits);
	// The transport's zero-copy pins only: blkfront's direct I/O pins guest pages too.
	host.add_pinned_level(rs_device_name(RS_DEV_9P), pinned, pinned_max);

	m_server = std::make_unique<p9srv::p9_server>("p9_server", rs_setup::p9_server_config(s), sink);

	// Boot: module init and probe, which finds the queue (find_vq() below).
	m_dut->virtio_init();
	if (m_dut->virtio_probe(m_vdev.get()) || !m_vq)
		throw std::runtime_error("virtio-9p probe failed (guest memory too small?)");

	m_tags = std::make_unique<p9_tag_ledger>(
		static_cast<uint8_t *>(m_host.mem().memory().host_ptr(m_ring_pa)),
		s.virtio9p.queue_size, static_cast<const uint8_t *>(m_host.mem().memory().host_ptr(0)),
		s.platform.memory_bytes);

	vq::engine_config ecfg;
	ecfg.queue_size = s.virtio9p.queue_size;
	ecfg.ring_pa = m_ring_pa;
	ecfg.indirect = s.virtio9p.indirect;
	ecfg.workers = s.virtio9p.workers;
	ecfg.event_idx = s.virtio9p.event_idx;
	ecfg.clock_period = cycles(1);
	if (s.virtio9p.engine == RS_ENGINE_RTL)
		m_engine = std::make_unique<vq::rtl_engine>("engine", ecfg, *m_server, sink);
	else
		m_engine = std::make_unique<vq::device_engine>("engine", ecfg, *m_server, sink);
	m_engine->dma_socket().bind(bus.devices);
	vq::engine_observer obs;
	obs.service = [this](unsigned n) { rs_level_set(m_in_service, now_cycles(), n); };
	obs.completed = [this](bool notified, bool out_of_order) {
		rs_stat_add(m_notif_per_req, notified ? 1 : 0);
		rs_stat_add(m_out_of_order, out_of_order ? 1 : 0);
	};
	obs.served = [this](uint16_t head, uint64_t popped, uint64_t done) {
		served(head, popped, done);
	};
	m_engine->set_observer(obs);
	if (run_trace::active()) { // each message's service on its worker's track
		m_tap = std::make_unique<p9_server_tap>();
		m_server->set_tap(m_tap.get());
	}
	m_engine->set_irq_handler([this] {
		if (run_trace *t = run_trace::active())
			t->instant("virtio-9p device", "interrupt", nullptr);
		m_sig_irqs.add(1);
		m_sig_used_idx.set(*reinterpret_cast<const uint16_t *>(
			m_host.mem().memory().host_ptr(m_ring_pa +
				vring_used_off(m_s.virtio9p.queue_size, VIRTIO_PCI_VRING_ALIGN) + 2)));
		m_irq_pending++;
		m_irq_ev.notify(SC_ZERO_TIME);
	});
	SC_THREAD(mount_thread);
	SC_THREAD(irq_thread);
}

virtio9p::~virtio9p()
{
	s_instance = nullptr;
}

struct virtqueue *virtio9p::find_vq(void (*callback)(struct virtqueue *), const char *name)
{
	const uint32_t num = m_s.virtio9p.queue_size;
	const uint64_t bytes = vring_size(num, VIRTIO_PCI_VRING_ALIGN);
	unsigned order = 0;

	while ((uint64_t(m_s.platform.page_size) << order) < bytes)
		order++;
	// alloc_pages_exact() in virtio-pci's setup_vq(): physically contiguous, zeroed.
	uint64_t pfn = m_host.mem().pages().alloc_pages(order, gmm::page_kind::kernel, -1);
	if (pfn == gmm::NO_PFN)
		return nullptr;
	m_ring_pa = pfn * m_s.platform.page_size;
	m_host.mem().memory().zero(m_ring_pa, uint64_t(m_s.platform.page_size) << order);
	m_vq = m_dut->vring_new_virtqueue(num, VIRTIO_PCI_VRING_ALIGN, m_vdev.get(),
				   m_host.mem().memory().host_ptr(m_ring_pa),
				   [](struct virtqueue *) { virtio9p::instance()->notify(); },
				   callback, name, m_s.virtio9p.indirect,
				   m_s.virtio9p.event_idx);
	return m_vq;
}

void virtio9p::notify()
{
	// The doorbell write exits to the host; the engine notices it after its own latency.
	m_host.charge(KSHIM_COST_KICK, 1);
	if (run_trace *t = run_trace::active())
		t->instant("virtio-9p device", "kick", nullptr);
	m_sig_kicks.add(1);
	m_sig_avail_idx.set(*reinterpret_cast<const uint16_t *>(m_host.mem().memory().host_ptr(
		m_ring_pa + vring_avail_off(m_s.virtio9p.queue_size) + 2)));
	m_engine->kick();
}

void virtio9p::vring_added(unsigned sg_entries, unsigned descriptors, unsigned in_use)
{
	rs_request_row *row = guest_kernel::row_of(m_host.ctx());

	m_tags->added(m_host.ctx().request);
	set_in_use(in_use);
	if (row) {
		// An RPC of a workload request: its row sums them, submit() samples the sum.
		if (!row->posted_cycle) {
			row->posted_cycle = now_cycles();
			row->stall_at_post = row->stall_cycles;
		}
		(*m_rpcs)++;
		row->sg_entries += sg_entries;
		row->descriptors += descriptors;
	} else {
		// Mount, attach, walk, open, clunk: the file system's own RPCs, not the workload's.
		(*m_mount_rpcs)++;
		*m_mount_descs += descriptors;
	}
}

void virtio9p::vring_full()
{
	(*m_enospc)++;
}

// A worker served the chain of @head: for its request's phases, the first chain the device
// took off the ring and the last one it answered.
void virtio9p::served(uint16_t head, uint64_t popped, uint64_t done)
{
	uint16_t tag;
	int64_t poster;

	if (!m_tags->posted(head, tag, poster))
		return;
	auto it = m_rows.find(poster);
	if (it == m_rows.end())
		return;
	rs_request_row &row = *it->second;
	if (!row.popped_cycle) {
		row.popped_cycle = popped;
		row.ring_id = tag;
	}
	row.responded_cycle = done;
}

// req_done() is about to complete whichever request holds @tag now. When the tag was freed
// at -ERESTARTSYS and another request has taken it since (9P-B1), that request gets this
// stale reply: its wait ends at once, it unpins buffers the device still holds and reads
// what was meant for @poster.
void virtio9p::check_reply_owner(uint16_t head, uint16_t tag, int64_t poster)
{
	if (!m_client || uint16_t(tag + 1) >= m_client->max_tag)
		return;
	const p9_req_t *req = m_dut->tag_lookup(m_client, tag);

	if (req->status == REQ_STATUS_IDLE || req->sim_id == poster)
		return;
	rs_models::finding f;
	f.sev = rs_models::finding::severity::error;
	f.kind = "p9_reply_reused_tag";
	f.where = "virtio-9p tag " + std::to_string(tag);
	f.detail = "the reply to request " + std::to_string(poster) + "'s buffer (head " +
		   std::to_string(head) + ") completes request " + std::to_string(req->sim_id) +
		   ", which took tag " + std::to_string(tag) + " while that buffer was still posted";
	f.cycle = now_cycles();
	f.request = req->sim_id;
	m_sink.report(f);
}

// Called by virtqueue_get_buf() once per used entry it takes.
void virtio9p::vring_changed(unsigned in_use)
{
	uint16_t head, tag;
	int64_t poster;

	if (m_tags->consumed(head, tag, poster))
		check_reply_owner(head, tag, poster);
	set_in_use(in_use);
}

// The driver's descriptors in use (vring.num - num_free) changed to @in_use.
void virtio9p::set_in_use(unsigned in_use)
{
	rs_level_set(m_occupancy, now_cycles(), in_use);
	if (m_free_descs)
		rs_level_set(m_free_descs, now_cycles(), m_s.virtio9p.queue_size - in_use);
	m_sig_in_use.set(in_use);
}

void virtio9p::trace(sc_trace_file *tf) const
{
	m_sig_kicks.trace(tf, "virtio.kicks");
	m_sig_irqs.trace(tf, "virtio.interrupts");
	m_sig_avail_idx.trace(tf, "virtio.avail_idx");
	m_sig_used_idx.trace(tf, "virtio.used_idx");
	m_sig_in_use.trace(tf, "virtio.descriptors_in_use");
	m_engine->trace(tf);
}

void virtio9p::irq_thread()
{
	m_host.on_irq_vcpu(); // interrupts are delivered to vCPU 0
	if (run_trace *t = run_trace::active())
		t->name_track("virtio-9p irq");
	for (;;) {
		while (!m_irq_pending)
			wait(m_irq_ev);
		m_irq_pending--;
		run_trace *t = run_trace::active();
		if (t)
			t->begin("interrupt", nullptr);
		m_host.charge(KSHIM_COST_IRQ_ENTRY, 1);
		m_dut->vring_interrupt(m_vq);
		if (t)
			t->end(nullptr);
	}
}

void virtio9p::mount_thread()
{
	int err = 0;

	if (run_trace *t = run_trace::active())
		t->name_track("virtio-9p mount");
	m_client = m_dut->client_create(m_dut->trans, static_cast<unsigned>(m_s.virtio9p.msize),
				    &err);
	p9_fid *root = m_client ? m_dut->client_attach(m_client, "root", "", &err) : nullptr;

	for (size_t j = 0; root && j < m_s.n_jobs; j++) {
		const rs_job &job = m_s.jobs[j];
		std::string name = std::string(job.op == RS_OP_READDIR ? "dir-" : "file-") +
			job.name;

		if (job.device != RS_DEV_9P)
			continue;
		m_fids[j] = m_dut->client_walk(root, name.c_str(), &err);
		if (!m_fids[j] || (err = m_dut->client_open(m_fids[j], job.op == RS_OP_WRITE ? 1 : 0)))
			break;
	}
	m_failed = err != 0 || !root;
	if (m_failed)
		rs_recorder_finding(m_host.rec(), RS_FINDING_ERROR, "mount_failed", "virtio-9p",
				    ("mounting the 9p file system failed with error " +
				     std::to_string(err)).c_str(), now_cycles(), -1);
	m_ready = true;
	m_ready_ev.notify(SC_ZERO_TIME);

	wait(m_shutdown_ev);
	for (p9_fid *fid : m_fids)
		if (fid)
			m_dut->client_clunk(fid);
	if (root)
		m_dut->client_clunk(root);
	if (m_client)
		m_dut->client_destroy(m_client);
	m_down = true;
	m_down_ev.notify(SC_ZERO_TIME);
}

uint64_t virtio9p::submit(size_t j, const rs_io &io, char *buf,
			  const std::vector<uint64_t> &pfns, rs_request_row &row)
{
	m_rows[static_cast<int64_t>(row.id)] = &row;
	uint64_t done = transfer(j, io, buf, pfns, row);

	m_rows.erase(static_cast<int64_t>(row.id));

	// One sample per workload request that reached the ring, over all its RPCs.
	if (row.descriptors) {
		rs_stat_add(m_desc_per_req, row.descriptors);
		rs_stat_add(m_sg_per_req, row.sg_entries);
	}
	return done;
}

uint64_t virtio9p::transfer(size_t j, const rs_io &io, char *buf,
			    const std::vector<uint64_t> &, rs_request_row &row)
{
	const rs_job &job = m_s.jobs[j];
	p9_fid *fid = m_fids[j];
	const bool kernel = job.buffer != RS_BUF_USER; // kmalloc or vmalloc: kern_buf
	uint64_t done = 0;
	int n = 0;

	if (m_failed || !fid) {
		row.status = "device_down";
		return 0;
	}
	// v9fs_fid_readn() and friends: one RPC moves at most rsize; loop until done.
	while (done < io.bytes) {
		u32 count = static_cast<u32>(std::min<uint64_t>(io.bytes - done, UINT32_MAX));
		char *p = buf + done;

		if (job.op == RS_OP_READ)
			n = m_dut->client_read(fid, kernel ? p : nullptr, kernel ? nullptr : p,
					   io.file_offset + done, count);
		else if (job.op == RS_OP_WRITE)
			n = m_dut->client_write(fid, kernel ? p : nullptr, kernel ? nullptr : p,
					    io.file_offset + done, count);
		else
			n = m_dut->client_readdir(fid, p, count, 0);
		if (n <= 0 || job.op == RS_OP_READDIR)
			break;
		done += static_cast<uint64_t>(n);
	}
	if (n < 0) {
		row.status = errno_status(n);
		return done;
	}
	if (job.op == RS_OP_READDIR)
		done = static_cast<uint64_t>(n);
	if (job.op == RS_OP_READ && done) {
		// End to end: what landed in the guest's buffer is the file's content.
		uint64_t bad = content_check(j, io.file_offset, done,
					     [&](uint64_t at, uint8_t *chunk, size_t len) {
			if (kernel)
				memcpy(chunk, buf + at, len);
			else
				m_host.ctx().as->copy_from_user(
					reinterpret_cast<uintptr_t>(buf) + at, chunk, len);
		});

		*m_checked += done;
		*m_mismatches += bad;
		if (bad)
			m_host.read_mismatch("9p", bad, done, io.file_offset);
	}
	row.status = done == io.bytes || job.op == RS_OP_READDIR ? "ok" : "short";
	return done;
}

void virtio9p::set_pcap(struct rs_pcap *pcap)
{
	if (!m_tap)
		m_tap = std::make_unique<p9_server_tap>();
	m_tap->set_pcap(pcap);
	m_server->set_tap(m_tap.get());
}

void virtio9p::collect()
{
	const p9srv::stats &st = m_server->statistics();

	*m_checked += st.integrity_checked;
	*m_mismatches += st.integrity_mismatches;
	uint64_t *c = rs_recorder_counter(m_host.rec(), "virtio.kicks");
	if (c)
		*c = m_engine->kicks();
	c = rs_recorder_counter(m_host.rec(), "virtio.interrupts");
	if (c)
		*c = m_engine->interrupts_seen();
	c = rs_recorder_counter(m_host.rec(), "virtio.interrupts_raised");
	if (c)
		*c = m_engine->notifications();
	c = rs_recorder_counter(m_host.rec(), "virtio.out_of_order_completions");
	if (c)
		*c = m_engine->out_of_order();
}

} // namespace rs_engine

using rs_engine::virtio9p;

extern "C" struct virtqueue *virtio_find_single_vq(struct virtio_device *vdev,
						   void (*callback)(struct virtqueue *),
						   const char *name)
{
	(void)vdev;
	return virtio9p::instance() ? virtio9p::instance()->find_vq(callback, name) : nullptr;
}

extern "C" void kshim_vring_added(struct virtqueue *vq, unsigned int sg_entries,
				  unsigned int descriptors, unsigned int in_use)
{
	(void)vq;
	if (virtio9p::instance()) /* a ring without the device: DUT tests */
		virtio9p::instance()->vring_added(sg_entries, descriptors, in_use);
}

extern "C" void kshim_vring_full(struct virtqueue *vq)
{
	(void)vq;
	if (virtio9p::instance()) /* a ring without the device: DUT tests */
		virtio9p::instance()->vring_full();
}

extern "C" void kshim_vring_changed(struct virtqueue *vq, unsigned int in_use)
{
	(void)vq;
	if (virtio9p::instance()) /* a ring without the device: DUT tests */
		virtio9p::instance()->vring_changed(in_use);
}
