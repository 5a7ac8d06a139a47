// SPDX-License-Identifier: GPL-2.0-only
// Shared by the virtqueue model tests: a tiny driver half that keeps the free list and fills
// the ring in guest memory the way Linux 3.1's virtqueue_add_buf / get_buf do (kernel-facts
// A.6), a backend that records what it is given and writes a known reply, and a rig holding
// one queue with all of these.
#ifndef RS_TESTS_MODELS_VIRTQUEUE_DRIVER_H
#define RS_TESTS_MODELS_VIRTQUEUE_DRIVER_H

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>

#include "dma_rig.h"
#include "guest_mm/guest_memory.h"
#include "virtqueue/device_engine.h"
#include "virtqueue/vring.h"

// For comparing chains in the tests (found by ADL, so it lives beside vq::segment).
namespace vq {
inline bool operator==(const segment &a, const segment &b)
{
	return a.addr == b.addr && a.len == b.len && a.device_writable == b.device_writable;
}
} // namespace vq

namespace vq_test {

using rs_test::now_cycles;
using rs_test::passthrough_bus;
using rs_test::run_cycles;

// The driver half of one queue, writing guest memory directly (no simulated time).
class ring_driver {
public:
	// Entries of each head's indirect table area at @table_pa (head * MAX_TABLE * 16).
	static constexpr unsigned MAX_TABLE = 16;

	ring_driver(gmm::phys_mem &mem, uint64_t ring_pa, uint16_t num, uint64_t table_pa)
		: m_mem(mem), m_ring(ring_pa), m_num(num), m_table(table_pa), m_next(num),
		  m_len(num, 0), m_indirect(num, false)
	{
		// vring_init() on zeroed pages, then the free list 0 -> 1 -> ... -> num-1.
		m_mem.zero(m_ring, vring_size(num, VIRTIO_PCI_VRING_ALIGN));
		for (uint16_t i = 0; i < num; i++) {
			m_next[i] = static_cast<uint16_t>(i + 1);
			vring_desc d{0, 0, 0, m_next[i]};
			write_desc(i, d);
		}
		m_num_free = num;
	}

	/**
	 * add_buf() - virtqueue_add_buf() of Linux 3.1, then publish the head at once
	 * @sg: @out readable buffers, then the writable ones (device_writable is ignored)
	 * @out: readable count
	 * @indirect: use an indirect table when more than one buffer (feature negotiated)
	 *
	 * Return: the head, or -ENOSPC.
	 */
	int add_buf(const std::vector<vq::segment> &sg, unsigned out, bool indirect)
	{
		unsigned total = static_cast<unsigned>(sg.size());
		if (total == 0 || total > MAX_TABLE)
			return -EINVAL;
		uint16_t head = m_free_head;
		if (indirect && total > 1 && m_num_free >= 1) {
			uint64_t table = table_pa(head);
			for (unsigned i = 0; i < total; i++) {
				uint16_t flags = static_cast<uint16_t>(
					(i + 1 < total ? VRING_DESC_F_NEXT : 0) |
					(i >= out ? VRING_DESC_F_WRITE : 0));
				vring_desc e{sg[i].addr, sg[i].len, flags, static_cast<uint16_t>(i + 1)};
				m_mem.write(table + 16 * i, &e, sizeof(e));
			}
			vring_desc d{table, 16 * total, VRING_DESC_F_INDIRECT, m_next[head]};
			write_desc(head, d);
			m_free_head = m_next[head];
			m_num_free--;
			m_len[head] = 1;
			m_indirect[head] = true;
		} else {
			if (m_num_free < total)
				return -ENOSPC;
			uint16_t i = head, last = head;
			for (unsigned k = 0; k < total; k++) {
				uint16_t flags = static_cast<uint16_t>(
					VRING_DESC_F_NEXT | (k >= out ? VRING_DESC_F_WRITE : 0));
				vring_desc d{sg[k].addr, sg[k].len, flags, m_next[i]};
				write_desc(i, d);
				last = i;
				i = m_next[i];
			}
			vring_desc d = read_desc(last);
			d.flags = static_cast<uint16_t>(d.flags & ~VRING_DESC_F_NEXT);
			write_desc(last, d);
			m_free_head = i;
			m_num_free -= total;
			m_len[head] = static_cast<uint16_t>(total);
			m_indirect[head] = false;
		}
		publish(head);
		return head;
	}

	/**
	 * get_buf() - virtqueue_get_buf() then detach_buf() of Linux 3.1
	 *
	 * Return: true with the used element when there was one; false when the used ring holds
	 * nothing new, or (with *bad set) when the element is not a chain in flight.
	 */
	bool get_buf(uint16_t &id, uint32_t &len, bool *bad = nullptr)
	{
		if (used_idx() == m_last_used)
			return false;
		vring_used_elem e = used_elem(m_last_used);
		m_last_used++;
		id = static_cast<uint16_t>(e.id);
		len = e.len;
		if (e.id >= m_num || m_len[e.id] == 0) {
			if (bad)
				*bad = true;
			return false;
		}
		// Walk the chain in guest memory, as detach_buf() does, back onto the free list.
		uint16_t i = id;
		unsigned n = 1;
		while (read_desc(i).flags & VRING_DESC_F_NEXT) {
			i = read_desc(i).next;
			n++;
		}
		if (n != m_len[id] && bad)
			*bad = true;
		vring_desc d = read_desc(i);
		d.next = m_free_head;
		write_desc(i, d);
		m_next[i] = m_free_head;
		m_free_head = id;
		m_num_free = static_cast<uint16_t>(m_num_free + n);
		m_len[id] = 0;
		m_indirect[id] = false;
		return true;
	}

	// Descriptors held by chains in flight plus free ones: the queue size, the free list a set
	// disjoint from the chains (kernel-facts F.2).
	bool check_invariant() const
	{
		std::vector<bool> seen(m_num, false);
		unsigned in_use = 0;
		for (uint16_t h = 0; h < m_num; h++) {
			if (!m_len[h])
				continue;
			in_use += m_len[h];
			uint16_t i = h;
			for (unsigned k = 0; k < m_len[h]; k++) {
				if (seen[i])
					return false;
				seen[i] = true;
				i = m_next[i];
			}
		}
		uint16_t i = m_free_head;
		for (unsigned k = 0; k < m_num_free; k++) {
			if (i >= m_num || seen[i])
				return false;
			seen[i] = true;
			i = m_next[i];
		}
		return in_use + m_num_free == m_num;
	}

	unsigned num_free() const { return m_num_free; }
	unsigned in_use() const { return m_num - m_num_free; }
	uint16_t avail_idx() const { return m_avail_idx; }
	uint64_t table_pa(uint16_t head) const { return m_table + 16ull * MAX_TABLE * head; }

	// Raw access, for tests that break the protocol on purpose.
	void write_desc(uint16_t i, const vring_desc &d) { m_mem.write(m_ring + 16ull * i, &d, 16); }
	vring_desc read_desc(uint16_t i) const
	{
		vring_desc d;
		m_mem.read(m_ring + 16ull * i, &d, 16);
		return d;
	}
	// avail->ring[avail_idx % num] = @head, then avail->idx++ (kernel-facts A.6).
	void publish(uint16_t head)
	{
		uint64_t slot = m_avail_idx & (m_num - 1u);
		m_mem.write(m_ring + vring_avail_off(m_num) + 4 + 2 * slot, &head, 2);
		m_avail_idx++;
		write_avail_idx(m_avail_idx);
	}
	void write_avail_idx(uint16_t idx)
	{
		m_mem.write(m_ring + vring_avail_off(m_num) + 2, &idx, 2);
	}
	void set_avail_flags(uint16_t flags)
	{
		m_mem.write(m_ring + vring_avail_off(m_num), &flags, 2);
	}
	// Event indices: the driver's used_event, the device's avail_event.
	void set_used_event(uint16_t idx)
	{
		m_mem.write(m_ring + vring_used_event_off(m_num), &idx, 2);
	}
	uint16_t avail_event() const
	{
		uint16_t idx;
		m_mem.read(m_ring + vring_avail_event_off(m_num, VIRTIO_PCI_VRING_ALIGN), &idx, 2);
		return idx;
	}
	uint16_t used_idx() const
	{
		uint16_t idx;
		m_mem.read(m_ring + vring_used_off(m_num, VIRTIO_PCI_VRING_ALIGN) + 2, &idx, 2);
		return idx;
	}
	vring_used_elem used_elem(uint16_t idx) const
	{
		vring_used_elem e;
		uint64_t slot = idx & (m_num - 1u);
		m_mem.read(m_ring + vring_used_off(m_num, VIRTIO_PCI_VRING_ALIGN) + 4 + 8 * slot, &e,
			   8);
		return e;
	}

private:
	gmm::phys_mem &m_mem;
	uint64_t m_ring;
	uint16_t m_num;
	uint64_t m_table;
	std::vector<uint16_t> m_next; // the free list's links, as written into desc[i].next
	std::vector<uint16_t> m_len;  // per head in flight: descriptors it holds; 0 when free
	std::vector<bool> m_indirect;
	uint16_t m_free_head = 0;
	uint16_t m_num_free = 0;
	uint16_t m_avail_idx = 0;
	uint16_t m_last_used = 0;
};

// What the backend was given for one chain.
struct served {
	uint16_t head;
	std::vector<vq::segment> chain;
	uint64_t cycle; // when serve() was called
	std::vector<uint8_t> request; // the readable buffers' bytes, concatenated
};

// Reads every readable buffer (one DMA each), waits service_cycles (or the chain's own
// service_by_head entry), then writes reply_len bytes (reply_byte, reply_byte + 1, ...)
// across the writable buffers (one DMA each).
class fake_backend : public vq::backend_if {
public:
	uint32_t reply_len = 20;
	uint8_t reply_byte = 0xa0;
	uint64_t service_cycles = 0;
	std::map<uint16_t, uint64_t> service_by_head;
	std::vector<served> log;

	uint32_t serve(uint16_t head, const std::vector<vq::segment> &chain,
		       vq::dma_if &dma) override
	{
		served s{head, chain, now_cycles(), {}};
		for (const vq::segment &g : chain) {
			if (g.device_writable)
				continue;
			std::vector<uint8_t> b(g.len);
			dma.dma_read(g.addr, b.data(), b.size());
			s.request.insert(s.request.end(), b.begin(), b.end());
		}
		log.push_back(s);
		auto own = service_by_head.find(head);
		uint64_t service = own == service_by_head.end() ? service_cycles : own->second;
		if (service)
			sc_core::wait(sc_core::sc_time(static_cast<double>(service), sc_core::SC_NS));
		uint32_t written = 0;
		for (const vq::segment &g : chain) {
			if (!g.device_writable || written == reply_len)
				continue;
			uint32_t n = std::min(g.len, reply_len - written);
			std::vector<uint8_t> b(n);
			for (uint32_t k = 0; k < n; k++)
				b[k] = static_cast<uint8_t>(reply_byte + written + k);
			if (dma.dma_write(g.addr, b.data(), n))
				written += n;
		}
		return written;
	}
};

inline uint64_t alloc_pa(gmm::guest_memory &mem, unsigned order)
{
	uint64_t pfn = mem.pages().alloc_pages(order, gmm::page_kind::kernel, -1);
	return pfn == gmm::NO_PFN ? 0 : pfn * mem.cfg().page_size;
}

inline unsigned ring_order(uint32_t num, uint32_t page_size)
{
	unsigned order = 0;
	while ((uint64_t(page_size) << order) < vring_size(num, VIRTIO_PCI_VRING_ALIGN))
		order++;
	return order;
}

inline vq::engine_config with_ring(vq::engine_config cfg, uint64_t ring_pa)
{
	cfg.ring_pa = ring_pa;
	return cfg;
}

// One queue: its ring, a page of indirect tables and 4 data pages in guest memory, the
// engine bound to @bus, its backend and driver, and the cycles at which the guest saw each
// interrupt.
struct rig {
	rig(const char *name, gmm::guest_memory &mem, passthrough_bus &bus,
	    rs_models::finding_sink_if &sink, const vq::engine_config &cfg)
		: ring_pa(alloc_pa(mem, ring_order(cfg.queue_size, mem.cfg().page_size))),
		  table_pa(alloc_pa(mem, 0)), data_pa(alloc_pa(mem, 2)),
		  eng(name, with_ring(cfg, ring_pa), backend, sink),
		  drv(mem.memory(), ring_pa, static_cast<uint16_t>(cfg.queue_size), table_pa)
	{
		eng.dma.bind(bus.devices);
		eng.set_irq_handler([this] { irq_cycles.push_back(now_cycles()); });
	}

	uint64_t ring_pa;
	uint64_t table_pa;
	uint64_t data_pa; // 4 pages
	fake_backend backend;
	vq::device_engine eng;
	ring_driver drv;
	std::vector<uint64_t> irq_cycles;
};

} // namespace vq_test

#endif
