// SPDX-License-Identifier: GPL-2.0-only
#include "virtqueue/device_engine.h"

#include "common/text.h"

#include "common/dma_transact.h"

#include <climits>
#include <stdexcept>

namespace vq {

using rs_models::hex;
using rs_models::num;
using rs_models::power_of_two;

std::string check_config(const engine_config &cfg)
{
	if (cfg.clock_period == sc_core::SC_ZERO_TIME)
		return "clock_period is zero: the engine must set the platform clock";
	if (!power_of_two(cfg.queue_size) || cfg.queue_size > 32768)
		return "queue_size " + num(cfg.queue_size) +
		       " is not a power of two between 1 and 32768";
	if (!power_of_two(cfg.ring_align) || cfg.ring_align < 16)
		return "ring_align " + num(cfg.ring_align) + " is not a power of two of at least 16";
	if (cfg.ring_pa % cfg.ring_align)
		return "ring_pa " + hex(cfg.ring_pa) + " is not aligned to ring_align " +
		       num(cfg.ring_align);
	if (cfg.workers < 1 || cfg.workers > 1024)
		return "workers " + num(cfg.workers) + " is not between 1 and 1024";
	if (cfg.ring_pa > UINT64_MAX - vring_size(cfg.queue_size, cfg.ring_align))
		return "ring_pa " + hex(cfg.ring_pa) + " leaves no room for the ring";
	return "";
}

device_engine::device_engine(sc_core::sc_module_name name, const engine_config &cfg,
			     backend_if &backend, rs_models::finding_sink_if &sink)
	: sc_module(name), dma("dma"), m_cfg(cfg), m_backend(backend), m_sink(sink),
	  m_avail_off(vring_avail_off(cfg.queue_size)),
	  m_used_off(vring_used_off(cfg.queue_size, cfg.ring_align)), m_kick_q("kick_q"),
	  m_irq_q("irq_q"),
	  m_pool("pool", cfg.workers, backend, *this, cfg.clock_period, [this] { m_wake.notify(); })
{
	std::string err = check_config(cfg);
	if (!err.empty())
		throw std::invalid_argument(std::string(this->name()) + ": " + err);
	SC_THREAD(run);
	SC_METHOD(doorbell);
	sensitive << m_kick_q.default_event();
	dont_initialize();
	SC_METHOD(deliver_irq);
	sensitive << m_irq_q.default_event();
	dont_initialize();
}

void device_engine::kick()
{
	m_kicks++;
	m_kick_q.notify(m_cfg.clock_period * static_cast<double>(m_cfg.kick_latency_cycles));
}

// The doorbell stays latched until the engine next reads avail->idx, so a kick noticed while
// a request is being served is not lost (an eventfd counts the same way).
void device_engine::doorbell()
{
	m_doorbell = true;
	m_wake.notify();
}

void device_engine::deliver_irq()
{
	m_irqs_seen++;
	if (m_irq_handler)
		m_irq_handler();
	m_irq_seen.notify();
}

// The main loop (QEMU's iothread): pops come first, as handle_9p_output pops every
// available chain in one go; after the last pop avail->idx is read once more (the pop that
// finds the ring empty), so a chain published meanwhile without a kick is seen; a doorbell
// noticed while busy costs one more read; then served PDUs are published one at a time.
// Each decision waits one delta first, so a PDU whose service ends at this very cycle is
// already among the served ones, whichever process SystemC ran first (the RTL bridge
// decides at the same point: cycle-equal engines need the same choice).
void device_engine::run()
{
	for (;;) {
		wait(sc_core::SC_ZERO_TIME);
		if (m_last_avail != m_avail) {
			if (!pop())
				return; // broken: this queue serves nothing more
			if (m_last_avail == m_avail)
				m_recheck = true;
		} else if (m_recheck || m_doorbell) {
			m_recheck = false;
			m_doorbell = false;
			if (!read_avail_idx(m_avail))
				return;
		} else if (m_pool.offer()) {
			if (!complete_next())
				return;
		} else {
			wait(m_wake);
		}
	}
}

bool device_engine::read_avail_idx(uint16_t &idx)
{
	if (!ring_read(m_avail_off + offsetof(vring_avail, idx), &idx, sizeof(idx), "avail->idx"))
		return false;
	uint16_t pending = static_cast<uint16_t>(idx - m_last_avail);
	if (pending > m_cfg.queue_size)
		return fail("vq_avail_idx_jump", "avail->idx",
			    "avail->idx moved from " + num(m_last_avail) + " to " + num(idx) + ", " +
				    num(pending) + " new entries in a queue of " +
				    num(m_cfg.queue_size));
	return true;
}

// virtqueue_pop: the head, avail_event (event-idx: "tell me when you pass this one"), the
// chain; then the PDU goes to the pool.
bool device_engine::pop()
{
	uint32_t slot = m_last_avail & (m_cfg.queue_size - 1);
	uint16_t head;
	if (!ring_read(m_avail_off + sizeof(vring_avail) + sizeof(uint16_t) * slot, &head,
		       sizeof(head), "avail->ring"))
		return false;
	if (head >= m_cfg.queue_size)
		return fail("vq_desc_out_of_range", "avail slot " + num(slot),
			    "avail->ring[" + num(slot) + "] names descriptor " + num(head) +
				    " in a queue of " + num(m_cfg.queue_size));
	m_last_avail++;
	if (m_cfg.event_idx &&
	    !ring_write(vring_avail_event_off(m_cfg.queue_size, m_cfg.ring_align), &m_last_avail,
			sizeof(m_last_avail), "avail_event"))
		return false;
	m_chain.clear();
	if (!walk_chain(head))
		return false;
	m_pool.submit(head, m_chain);
	return true;
}

// The PDU whose service ended first (ties: the earlier pop), as QEMU's completion bottom
// halves run: its used element, used->idx, the notify decision.
bool device_engine::complete_next()
{
	bool ooo;
	pdu p = m_pool.take(m_pool.offer()->seq, ooo);
	if (!complete(p.head, p.len))
		return false;
	m_completions++;
	if (ooo)
		m_out_of_order++;
	bool raised = false;
	if (!notify_guest(raised))
		return false;
	if (m_pool.observer().completed)
		m_pool.observer().completed(raised, ooo);
	return true;
}

// Direct descriptors from @head, following NEXT; an INDIRECT descriptor ends the direct part
// and its table supplies the rest (virtio 1.0 2.4.5.3: "zero or more normal chained
// descriptors followed by a single descriptor with flags&VIRTQ_DESC_F_INDIRECT").
bool device_engine::walk_chain(uint16_t head)
{
	bool seen_writable = false;
	uint32_t total = 0; // buffers in the chain, indirect-table entries included
	uint16_t i = head;
	for (uint32_t n = 1;; n++) {
		vring_desc d;
		if (!ring_read(sizeof(vring_desc) * i, &d, sizeof(d), "a descriptor"))
			return false;
		m_descs++;
		wait_cycles(m_cfg.desc_fetch_cycles);
		if (d.flags & VRING_DESC_F_INDIRECT) {
			if (!m_cfg.indirect)
				return fail("vq_indirect_not_negotiated", "desc " + num(i),
					    "descriptor " + num(i) + " (chain head " + num(head) +
						    ") has VRING_DESC_F_INDIRECT but "
						    "VIRTIO_RING_F_INDIRECT_DESC was not negotiated");
			if (d.flags & VRING_DESC_F_NEXT)
				return fail("vq_indirect_with_next", "desc " + num(i),
					    "descriptor " + num(i) + " (chain head " + num(head) +
						    ") has both VRING_DESC_F_INDIRECT and "
						    "VRING_DESC_F_NEXT");
			return walk_indirect(d, i, total, seen_writable);
		}
		if (!add_segment(d, seen_writable))
			return fail_order(d, "desc " + num(i));
		total++;
		if (!(d.flags & VRING_DESC_F_NEXT))
			return true;
		if (d.next >= m_cfg.queue_size)
			return fail("vq_desc_out_of_range", "desc " + num(i),
				    "descriptor " + num(i) + " (chain head " + num(head) +
					    ") has next " + num(d.next) + " in a queue of " +
					    num(m_cfg.queue_size));
		// n distinct descriptors at most: one more means the chain came back on itself.
		if (n == m_cfg.queue_size)
			return fail("vq_chain_loop", "desc " + num(head),
				    "the chain from head " + num(head) + " still has NEXT after " +
					    num(n) + " descriptors, the queue size: it loops");
		i = d.next;
	}
}

// The table is read in one DMA, then walked from entry 0. Its size is bounded by the queue
// size (virtio 1.0 2.4.5.3.1: "A driver MUST NOT create a descriptor chain longer than the
// Queue Size of the device"), which also bounds what a bad len makes the host allocate.
bool device_engine::walk_indirect(const vring_desc &d, uint16_t at, uint32_t &total,
				  bool &seen_writable)
{
	auto where = [&] { return "desc " + num(at); }; // for a finding only
	if (d.len == 0 || d.len % sizeof(vring_desc))
		return fail("vq_indirect_bad_len", where(),
			    "indirect descriptor " + num(at) + " has table length " + num(d.len) +
				    ", not a non-zero multiple of 16");
	uint32_t m = d.len / sizeof(vring_desc);
	if (total + m > m_cfg.queue_size)
		return fail("vq_chain_too_long", where(),
			    "indirect descriptor " + num(at) + " brings the chain to " +
				    num(total + m) + " descriptors in a queue of " +
				    num(m_cfg.queue_size));
	m_table.resize(m);
	if (!transact(tlm::TLM_READ_COMMAND, d.addr, m_table.data(), d.len))
		return fail("vq_dma_error", where(),
			    "device read of the indirect table of descriptor " + num(at) + " (" +
				    num(d.len) + " bytes at pa " + hex(d.addr) + ") failed");
	uint32_t j = 0;
	for (uint32_t n = 1;; n++) {
		const vring_desc &e = m_table[j];
		auto ewhere = [&] { return where() + " indirect " + num(j); };
		m_descs++;
		wait_cycles(m_cfg.desc_fetch_cycles);
		if (e.flags & VRING_DESC_F_INDIRECT)
			return fail("vq_indirect_nested", ewhere(),
				    "entry " + num(j) + " of the indirect table of descriptor " +
					    num(at) + " is itself indirect");
		if (!add_segment(e, seen_writable))
			return fail_order(e, ewhere());
		total++;
		if (!(e.flags & VRING_DESC_F_NEXT))
			return true;
		if (e.next >= m)
			return fail("vq_indirect_next_out_of_range", ewhere(),
				    "entry " + num(j) + " of the indirect table of descriptor " +
					    num(at) + " has next " + num(e.next) + " in a table of " +
					    num(m));
		if (n == m)
			return fail("vq_chain_loop", where(),
				    "the indirect table of descriptor " + num(at) +
					    " still has NEXT after its " + num(m) + " entries: it loops");
		j = e.next;
	}
}

// Driver-readable buffers come first, then writable ones (virtio 1.0 2.4.4.2: "The driver
// MUST place any device-writable descriptor elements after any device-readable ones").
// Return: false, adding nothing, for a readable buffer after a writable one.
bool device_engine::add_segment(const vring_desc &d, bool &seen_writable)
{
	bool writable = d.flags & VRING_DESC_F_WRITE;
	if (writable)
		seen_writable = true;
	else if (seen_writable)
		return false;
	m_chain.push_back(segment{d.addr, d.len, writable});
	return true;
}

bool device_engine::fail_order(const vring_desc &d, const std::string &at)
{
	return fail("vq_readable_after_writable", at,
		    "a device-readable buffer (" + num(d.len) + " bytes at pa " + hex(d.addr) +
			    ") follows a device-writable one in the chain");
}

// The used element, then used->idx: the driver may read the element as soon as it sees the
// index (virtio 1.0 2.4.8.2 orders the two writes).
bool device_engine::complete(uint16_t head, uint32_t len)
{
	vring_used_elem e{head, len};
	uint32_t slot = m_used_idx & (m_cfg.queue_size - 1);
	if (!ring_write(m_used_off + sizeof(vring_used) + sizeof(vring_used_elem) * slot, &e,
			sizeof(e), "used->ring"))
		return false;
	m_used_idx++;
	return ring_write(m_used_off + offsetof(vring_used, idx), &m_used_idx, sizeof(m_used_idx),
			  "used->idx");
}

// After publishing, virtio_notify's decision: without event-idx the device reads
// avail->flags and interrupts unless VRING_AVAIL_F_NO_INTERRUPT; with it, it reads
// used_event and interrupts when used->idx has just passed it (always at the first
// decision, QEMU's signalled_used_valid).
bool device_engine::notify_guest(bool &raised)
{
	bool notify;
	if (m_cfg.event_idx) {
		uint16_t event;
		if (!ring_read(vring_used_event_off(m_cfg.queue_size), &event, sizeof(event),
			       "used_event"))
			return false;
		uint16_t old = m_signalled_used;
		bool valid = m_signalled_valid;
		m_signalled_used = m_used_idx;
		m_signalled_valid = true;
		notify = !valid || vq_need_event(event, m_used_idx, old);
	} else {
		uint16_t flags;
		if (!ring_read(m_avail_off + offsetof(vring_avail, flags), &flags, sizeof(flags),
			       "avail->flags"))
			return false;
		notify = !(flags & VRING_AVAIL_F_NO_INTERRUPT);
	}
	raised = notify;
	if (!notify) {
		m_irqs_suppressed++;
		return true;
	}
	m_irqs_raised++;
	m_irq_q.notify(m_cfg.clock_period * static_cast<double>(m_cfg.irq_latency_cycles));
	return true;
}

bool device_engine::dma_read(uint64_t pa, void *buf, size_t len)
{
	if (!transact(tlm::TLM_READ_COMMAND, pa, buf, len))
		return false;
	m_bytes_read += len;
	return true;
}

bool device_engine::dma_write(uint64_t pa, const void *buf, size_t len)
{
	// A write command only reads the data buffer.
	if (!transact(tlm::TLM_WRITE_COMMAND, pa, const_cast<void *>(buf), len))
		return false;
	m_bytes_written += len;
	return true;
}

bool device_engine::transact(tlm::tlm_command cmd, uint64_t pa, void *buf, size_t len)
{
	return rs_models::dma_transact(dma, cmd, pa, buf, len);
}

bool device_engine::ring_read(uint64_t off, void *buf, size_t len, const char *what)
{
	uint64_t pa = m_cfg.ring_pa + off;
	if (transact(tlm::TLM_READ_COMMAND, pa, buf, len))
		return true;
	return fail("vq_dma_error", "ring",
		    std::string("device read of ") + what + " (" + num(len) + " bytes at pa " +
			    hex(pa) + ") failed");
}

bool device_engine::ring_write(uint64_t off, const void *buf, size_t len, const char *what)
{
	uint64_t pa = m_cfg.ring_pa + off;
	if (transact(tlm::TLM_WRITE_COMMAND, pa, const_cast<void *>(buf), len))
		return true;
	return fail("vq_dma_error", "ring",
		    std::string("device write of ") + what + " (" + num(len) + " bytes at pa " +
			    hex(pa) + ") failed");
}

void device_engine::wait_cycles(uint64_t n)
{
	if (n)
		wait(m_cfg.clock_period * static_cast<double>(n));
}

uint64_t device_engine::now_cycles() const
{
	return sc_core::sc_time_stamp().value() / m_cfg.clock_period.value();
}

bool device_engine::fail(const std::string &kind, const std::string &at, const std::string &detail)
{
	m_broken = true;
	m_errors++;
	rs_models::finding f;
	f.kind = kind;
	f.where = "virtqueue " + std::string(name()) + (at.empty() ? "" : " " + at);
	f.detail = detail + "; the queue is marked broken";
	f.cycle = now_cycles();
	f.request = -1;
	m_sink.report(f);
	return false;
}

} // namespace vq
