// SPDX-License-Identifier: GPL-2.0-only
// The device half of one split virtqueue, as QEMU's virtio-9p runs it (hw/9pfs/virtio-9p-
// device.c): on a doorbell one main loop pops every available chain (reads avail->idx, walks
// each chain out of guest memory by DMA, direct and indirect) and hands it to a pool of
// `workers` servers; each PDU is served on its own and completes on its own, out of order
// when a later one finishes first: the main loop publishes its used element and used->idx
// and decides its notification (QEMU's virtio_9p_push_and_notify: virtqueue_push, then
// virtio_notify, per PDU). The interrupt is suppressed by VRING_AVAIL_F_NO_INTERRUPT or,
// with VIRTIO_RING_F_EVENT_IDX, by the driver's used_event; with event-idx the device also
// publishes avail_event at each pop. Every ring and buffer access is a TLM transaction on
// the DMA bus, so guest memory checks it and charges its latency. A driver that breaks the
// ring protocol gets a finding and a broken queue (Linux's vq->broken), never a crash.
#ifndef RS_VIRTQUEUE_DEVICE_ENGINE_H
#define RS_VIRTQUEUE_DEVICE_ENGINE_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "common/finding.h"
#include "virtqueue/backend.h"
#include "virtqueue/engine_if.h"
#include "virtqueue/vring.h"
#include "virtqueue/worker_pool.h"

namespace vq {

// The checked configuration of one queue. The engine builds it from the scenario
// (virtio-9p/@queue-size, @indirect-descriptors, platform/@clock) and validates it with
// check_config(); the model trusts it.
struct engine_config {
	// Descriptors in the ring: a power of two, 1..32768 (virtio 1.0 2.4: "Queue Size ...
	// maximum 32768"). 128 is QEMU virtio-9p's MAX_REQ (kernel-facts A.1).
	uint32_t queue_size = 128;
	// Guest physical base of the ring (descriptor table first), aligned to ring_align, laid
	// out as vring.h describes. The guest allocates it; the engine only reads and writes it.
	uint64_t ring_pa = 0;
	// Alignment of the used ring: legacy virtio-pci's 4096 whatever the page size
	// (VIRTIO_PCI_VRING_ALIGN). A power of two, at least 16.
	uint32_t ring_align = VIRTIO_PCI_VRING_ALIGN;
	// VIRTIO_RING_F_INDIRECT_DESC negotiated. QEMU offers it by default (kernel-facts A.6), and
	// so does the scenario schema (indirect-descriptors="true").
	bool indirect = true;
	// Doorbell write to the engine starting to read the ring. The guest pays the VM exit
	// itself (cost table "kick"); this is what remains until the device's thread runs.
	// Placeholder until the engine's cost table sets it: ~200 ns at 1 GHz.
	uint32_t kick_latency_cycles = 200;
	// Decode and bookkeeping per descriptor, on top of the memory read that fetched it: a
	// few pipeline cycles of a hardware engine (the RTL engine must match it).
	uint32_t desc_fetch_cycles = 4;
	// From the device raising the interrupt (after publishing used->idx and reading
	// avail->flags) to the guest seeing it: MSI write plus injection. The guest's handler cost
	// is charged separately (cost table "irq-entry"). Placeholder: ~0.5 us at 1 GHz.
	uint32_t irq_latency_cycles = 500;
	// PDUs served at the same time: QEMU's 9p coroutines run their file system calls on the
	// main loop's thread pool (hw/9pfs/coth.h v9fs_co_run_in_worker -> thread_pool_submit_co),
	// whose max_threads is 64 (util/thread-pool.c; QEMU 7.1+ thread-pool-max, default 64).
	// More PDUs wait in FIFO order for a free worker. 1..1024.
	uint32_t workers = 64;
	// VIRTIO_RING_F_EVENT_IDX negotiated: the device publishes avail_event at each pop and
	// interrupts only when used->idx passes the driver's used_event (QEMU's
	// virtio_split_should_notify). QEMU offers it by default (event_idx=on).
	bool event_idx = false;
	// platform/@clock. Zero here on purpose (see gmm::config): only the engine may fix
	// SystemC's time resolution. Must be set.
	sc_core::sc_time clock_period = sc_core::SC_ZERO_TIME;
};

/**
 * check_config() - validate an engine configuration
 * @cfg: the configuration
 *
 * Return: an empty string when @cfg is valid, else one sentence naming the bad field.
 */
std::string check_config(const engine_config &cfg);

class device_engine : public sc_core::sc_module, public dma_if, public engine_if {
public:
	// Every guest memory access of this queue: bind to the DMA bus (or guest memory).
	tlm_utils::simple_initiator_socket<device_engine> dma;

	SC_HAS_PROCESS(device_engine);

	/**
	 * device_engine() - build the device half of one queue
	 * @name: module name; findings name the queue "virtqueue <full name>"
	 * @cfg: checked with check_config()
	 * @backend: serves each chain, for the whole life of this module
	 * @sink: receives every finding, for the whole life of this module
	 *
	 * The ring starts empty: last_avail_idx and used_idx are 0, as after the driver's
	 * vring_init().
	 * Context: elaboration. Throws std::invalid_argument when @cfg fails check_config().
	 */
	device_engine(sc_core::sc_module_name name, const engine_config &cfg, backend_if &backend,
		      rs_models::finding_sink_if &sink);

	/**
	 * kick() - the driver's doorbell write (virtqueue_kick)
	 *
	 * The engine notices it kick_latency_cycles later. Each kick is noticed on its own; one
	 * noticed while the main loop is busy makes it read avail->idx once more.
	 * Context: after elaboration, from a process or between sc_start() calls; never waits.
	 */
	void kick() override;
	tlm::tlm_initiator_socket<> &dma_socket() override { return dma; }

	/**
	 * set_irq_handler() - what happens when the guest sees the queue's interrupt
	 * @handler: called irq_latency_cycles after the engine raised it, once per interrupt
	 *
	 * Context: elaboration or between sc_start() calls. @handler runs in an SC_METHOD: it
	 * must not wait.
	 */
	void set_irq_handler(std::function<void()> handler) override
	{
		m_irq_handler = std::move(handler);
	}

	// Notified (immediately) at each interrupt the guest sees, after the handler ran.
	const sc_core::sc_event &irq_event() const { return m_irq_seen; }

	// dma_if, for the backend: one b_transport each, then wait() out its delay.
	// Context: an SC_THREAD (the engine's, through serve()).
	bool dma_read(uint64_t pa, void *buf, size_t len) override;
	bool dma_write(uint64_t pa, const void *buf, size_t len) override;

	const engine_config &cfg() const { return m_cfg; }

	// The queue state as the device keeps it (free-running 16-bit indices).
	uint16_t last_avail_idx() const { return m_last_avail; }
	uint16_t used_idx() const { return m_used_idx; }
	// Set at the first protocol error; the queue serves nothing more (Linux's vq->broken).
	bool broken() const { return m_broken; }

	// Statistics.
	uint64_t chains_served() const override { return m_pool.served(); }
	uint64_t descriptors_read() const { return m_descs; } // ring and indirect-table entries
	uint64_t backend_bytes_read() const { return m_bytes_read; }
	uint64_t backend_bytes_written() const { return m_bytes_written; }
	uint64_t kicks() const override { return m_kicks; }
	uint64_t interrupts_raised() const { return m_irqs_raised; }
	uint64_t interrupts_suppressed() const { return m_irqs_suppressed; }
	uint64_t interrupts_seen() const override { return m_irqs_seen; } // delivered to the guest
	uint64_t protocol_errors() const { return m_errors; }
	void set_observer(const engine_observer &obs) override { m_pool.set_observer(obs); }
	uint64_t completions() const override { return m_completions; } // used entries published
	uint64_t notifications() const override { return m_irqs_raised; }
	uint64_t out_of_order() const override { return m_out_of_order; }
	unsigned in_service_max() const override { return m_pool.in_service_max(); }
	unsigned in_service() const { return m_pool.in_service(); }

private:
	void run();
	void doorbell();
	void deliver_irq();

	bool pop();
	bool complete_next();
	bool walk_chain(uint16_t head);
	bool walk_indirect(const vring_desc &d, uint16_t at, uint32_t &total, bool &seen_writable);
	bool add_segment(const vring_desc &d, bool &seen_writable);
	bool fail_order(const vring_desc &d, const std::string &at);
	bool read_avail_idx(uint16_t &idx);
	bool complete(uint16_t head, uint32_t len);
	bool notify_guest(bool &raised);

	bool transact(tlm::tlm_command cmd, uint64_t pa, void *buf, size_t len);
	bool ring_read(uint64_t off, void *buf, size_t len, const char *what);
	bool ring_write(uint64_t off, const void *buf, size_t len, const char *what);
	void wait_cycles(uint64_t n);
	uint64_t now_cycles() const;
	bool fail(const std::string &kind, const std::string &at, const std::string &detail);

	engine_config m_cfg;
	backend_if &m_backend;
	rs_models::finding_sink_if &m_sink;
	uint64_t m_avail_off;
	uint64_t m_used_off;

	sc_core::sc_event_queue m_kick_q; // each kick, kick_latency later
	sc_core::sc_event_queue m_irq_q;  // each interrupt, irq_latency later
	sc_core::sc_event m_wake; // the main loop: a doorbell or a PDU served
	sc_core::sc_event m_irq_seen;
	bool m_doorbell = false; // latched until the engine looks at the ring
	std::function<void()> m_irq_handler;

	uint16_t m_last_avail = 0;
	uint16_t m_avail = 0;    // avail->idx as last read
	bool m_recheck = false;  // read avail->idx once more before sleeping
	uint16_t m_used_idx = 0;
	bool m_broken = false;
	// QEMU's signalled_used / signalled_used_valid: used->idx at the last notify decision.
	uint16_t m_signalled_used = 0;
	bool m_signalled_valid = false;

	worker_pool m_pool;

	// The chain being built, and an indirect table's entries; reused across requests.
	std::vector<segment> m_chain;
	std::vector<vring_desc> m_table;

	uint64_t m_descs = 0;
	uint64_t m_bytes_read = 0;
	uint64_t m_bytes_written = 0;
	uint64_t m_kicks = 0;
	uint64_t m_irqs_raised = 0;
	uint64_t m_irqs_suppressed = 0;
	uint64_t m_irqs_seen = 0;
	uint64_t m_errors = 0;
	uint64_t m_completions = 0;
	uint64_t m_out_of_order = 0;
};

} // namespace vq

#endif
