// SPDX-License-Identifier: GPL-2.0-only
// The virtio-9p device of the native replay: the ring in guest memory as virtio9p.cpp sets it
// up, the DUT's transport and 9P client on it (dut_ops.h, the built-in seed), and an instant
// device: p9srv::p9_server (models/virtqueue, with every service time zero: it never waits)
// serving each available chain through plain memcpy DMA.
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

// The server's protocol constants first: the DUT's 9p.h defines some of their names as macros.
#include "platform/platform.h"
#include "virtqueue/p9_server.h"
#include "virtqueue/vring.h"

#include <linux/mm.h>
#include <linux/virtio.h>
#include <net/9p/client.h>

#include "common/content.h"
#include "dut_ops.h"
#include "kshim/host.h"
#include "native/native_dev.h"

namespace rs_native {

namespace {

class null_sink : public rs_models::finding_sink_if {
public:
	void report(const rs_models::finding &f) override { (void)f; }
};

// The device's access to guest memory: memcpy, no latency, no checks.
class direct_dma : public rs_models::dma_if {
public:
	explicit direct_dma(gmm::phys_mem &m) : m_mem(m) {}
	bool dma_read(uint64_t pa, void *buf, size_t len) override
	{
		if (pa + len > m_mem.size_bytes())
			return false;
		memcpy(buf, m_mem.host_ptr(pa), len);
		return true;
	}
	bool dma_write(uint64_t pa, const void *buf, size_t len) override
	{
		if (pa + len > m_mem.size_bytes())
			return false;
		memcpy(m_mem.host_ptr(pa), buf, len);
		return true;
	}

private:
	gmm::phys_mem &m_mem;
};

// The simulator's 9P server (platform/platform.h), serving in no time.
p9srv::config server_config(const rs_scenario &s)
{
	p9srv::config cfg = rs_setup::p9_server_config(s);

	cfg.service_cycles = 0;
	cfg.cycles_per_kib = 0;
	cfg.service_spread = 0;
	return cfg;
}

class native_9p;
native_9p *g_9p;

class native_9p : public native_dev {
public:
	native_9p(const rs_scenario &s, gmm::guest_memory &mem)
		: m_s(s), m_mem(mem), m_dma(mem.memory()), m_fids(s.n_jobs, nullptr)
	{
		if (s.dut.virtio9p && strcmp(s.dut.virtio9p, "seed"))
			throw std::runtime_error("the native replay runs the built-in seed DUT only");
		m_dut = &rs_dut_9p_ops;
		m_server = std::make_unique<p9srv::p9_server>("p9_server", server_config(s),
							      m_sink);
		g_9p = this;
		m_dut->virtio_init();
		if (m_dut->virtio_probe(&m_vdev) || !m_vq)
			throw std::runtime_error("virtio-9p probe failed");
	}
	~native_9p() override { g_9p = nullptr; }

	struct virtqueue *find_vq(void (*callback)(struct virtqueue *), const char *name)
	{
		const uint32_t num = m_s.virtio9p.queue_size;
		const uint64_t bytes = vring_size(num, VIRTIO_PCI_VRING_ALIGN);
		unsigned order = 0;

		while ((uint64_t(m_s.platform.page_size) << order) < bytes)
			order++;
		uint64_t pfn = m_mem.pages().alloc_pages(order, gmm::page_kind::kernel, -1);
		if (pfn == gmm::NO_PFN)
			return nullptr;
		m_ring_pa = pfn * m_s.platform.page_size;
		m_mem.memory().zero(m_ring_pa, uint64_t(m_s.platform.page_size) << order);
		m_vq = m_dut->vring_new_virtqueue(num, VIRTIO_PCI_VRING_ALIGN, &m_vdev,
						  m_mem.memory().host_ptr(m_ring_pa),
						  [](struct virtqueue *) {}, callback, name,
						  m_s.virtio9p.indirect, m_s.virtio9p.event_idx);
		return m_vq;
	}

	bool mount() override
	{
		int err = 0;

		m_client = m_dut->client_create(m_dut->trans,
						static_cast<unsigned>(m_s.virtio9p.msize), &err);
		m_root = m_client ? m_dut->client_attach(m_client, "root", "", &err) : nullptr;
		for (size_t j = 0; m_root && j < m_s.n_jobs; j++) {
			const rs_job &job = m_s.jobs[j];
			std::string name = std::string(job.op == RS_OP_READDIR ? "dir-" : "file-") +
				job.name;

			if (job.device != RS_DEV_9P)
				continue;
			m_fids[j] = m_dut->client_walk(m_root, name.c_str(), &err);
			if (!m_fids[j] ||
			    (err = m_dut->client_open(m_fids[j], job.op == RS_OP_WRITE ? 1 : 0)))
				return false;
		}
		return m_root && !err;
	}

	void unmount() override
	{
		for (p9_fid *fid : m_fids)
			if (fid)
				m_dut->client_clunk(fid);
		if (m_root)
			m_dut->client_clunk(m_root);
		if (m_client)
			m_dut->client_destroy(m_client);
	}

	void content_of(size_t job, const rs_io &io, uint64_t &stream,
			uint64_t &offset) const override
	{
		stream = job;
		offset = io.file_offset;
	}

	// virtio9p::transfer(): the same loop over the client's calls, the same check.
	uint64_t submit(size_t j, const rs_io &io, char *buf, const std::vector<uint64_t> &,
			bool *ok) override
	{
		const rs_job &job = m_s.jobs[j];
		p9_fid *fid = m_fids[j];
		const bool kernel = job.buffer != RS_BUF_USER;
		uint64_t done = 0;
		int n = 0;

		*ok = false;
		if (!fid)
			return 0;
		while (done < io.bytes) {
			u32 count = static_cast<u32>(std::min<uint64_t>(io.bytes - done, UINT32_MAX));
			char *p = buf + done;

			if (job.op == RS_OP_READ)
				n = m_dut->client_read(fid, kernel ? p : nullptr, kernel ? nullptr : p,
						       io.file_offset + done, count);
			else if (job.op == RS_OP_WRITE)
				n = m_dut->client_write(fid, kernel ? p : nullptr,
							kernel ? nullptr : p, io.file_offset + done,
							count);
			else
				n = m_dut->client_readdir(fid, p, count, 0);
			if (n <= 0 || job.op == RS_OP_READDIR)
				break;
			done += static_cast<uint64_t>(n);
		}
		if (n < 0)
			return done;
		if (job.op == RS_OP_READDIR)
			return *ok = true, static_cast<uint64_t>(n);
		if (job.op == RS_OP_READ && done) {
			std::vector<uint8_t> got(done);

			if (kernel)
				memcpy(got.data(), buf, done);
			else
				rs_kshim::kshim_host::current().ctx().as->copy_from_user(
					reinterpret_cast<uintptr_t>(buf), got.data(), done);
			if (rs_models::content_mismatches(j, io.file_offset, got.data(), done))
				return done;
		}
		*ok = done == io.bytes;
		return done;
	}

	// The device: every chain made available since the last pass, served in order.
	bool serve() override
	{
		const uint32_t num = m_s.virtio9p.queue_size;
		auto *base = static_cast<uint8_t *>(m_mem.memory().host_ptr(m_ring_pa));
		auto *desc = reinterpret_cast<vring_desc *>(base);
		auto *avail = reinterpret_cast<vring_avail *>(base + vring_avail_off(num));
		auto *used = reinterpret_cast<vring_used *>(
			base + vring_used_off(num, VIRTIO_PCI_VRING_ALIGN));
		auto *avail_event = reinterpret_cast<uint16_t *>(
			base + vring_avail_event_off(num, VIRTIO_PCI_VRING_ALIGN));
		bool any = false;

		while (m_last_avail != avail->idx) {
			uint16_t head = avail->ring[m_last_avail % num];

			m_last_avail++;
			if (m_s.virtio9p.event_idx)
				*avail_event = m_last_avail;
			m_chain.clear();
			walk(desc, num, head);
			uint32_t len = m_server->serve(head, m_chain, m_dma);
			vring_used_elem &e = used->ring[used->idx % num];

			e.id = head;
			e.len = len;
			__atomic_thread_fence(__ATOMIC_RELEASE);
			used->idx++;
			any = true;
		}
		if (any)
			m_dut->vring_interrupt(m_vq);
		return any;
	}

private:
	// The chain from @head, following an indirect table where there is one.
	void walk(const vring_desc *table, uint32_t n, uint16_t i)
	{
		for (uint32_t hops = 0; hops < n; hops++) {
			const vring_desc &d = table[i];

			if (d.flags & VRING_DESC_F_INDIRECT) {
				walk(reinterpret_cast<const vring_desc *>(m_mem.memory().host_ptr(d.addr)),
				     d.len / sizeof(vring_desc), 0);
			} else {
				m_chain.push_back({ d.addr, d.len,
						    (d.flags & VRING_DESC_F_WRITE) != 0 });
			}
			if (!(d.flags & VRING_DESC_F_NEXT))
				return;
			i = d.next;
		}
	}

	const rs_scenario &m_s;
	gmm::guest_memory &m_mem;
	const struct rs_dut_9p_ops *m_dut;
	null_sink m_sink;
	direct_dma m_dma;
	std::unique_ptr<p9srv::p9_server> m_server;
	virtio_device m_vdev{};
	struct virtqueue *m_vq = nullptr;
	uint64_t m_ring_pa = 0;
	uint16_t m_last_avail = 0;
	std::vector<vq::segment> m_chain;
	p9_client *m_client = nullptr;
	p9_fid *m_root = nullptr;
	std::vector<p9_fid *> m_fids;
};

} // namespace

native_dev *new_native_9p(const rs_scenario &s, gmm::guest_memory &mem)
{
	return new native_9p(s, mem);
}

} // namespace rs_native

// The virtio platform calls of sim/devices/virtio9p.cpp, for the replay's ring.
extern "C" struct virtqueue *virtio_find_single_vq(struct virtio_device *vdev,
						   void (*callback)(struct virtqueue *),
						   const char *name)
{
	(void)vdev;
	return rs_native::g_9p ? rs_native::g_9p->find_vq(callback, name) : nullptr;
}

// The ring's probes: nothing is measured here.
extern "C" void kshim_vring_added(struct virtqueue *vq, unsigned int sg_entries,
				  unsigned int descriptors, unsigned int in_use)
{
	(void)vq, (void)sg_entries, (void)descriptors, (void)in_use;
}

extern "C" void kshim_vring_full(struct virtqueue *vq)
{
	(void)vq;
}

extern "C" void kshim_vring_changed(struct virtqueue *vq, unsigned int in_use)
{
	(void)vq, (void)in_use;
}
