// SPDX-License-Identifier: GPL-2.0-only
// The host's pool that serves popped virtio-9p PDUs, shared by both device engines (the
// SystemC model and the RTL bridge), so they serve, finish and offer PDUs alike: QEMU runs
// each PDU as a coroutine whose file system work goes to the main loop's thread pool; here
// `workers` SystemC threads take queued PDUs in pop order, each serves one to its end on the
// backend (its service time is the worker's), then offers it back for publishing.
#ifndef RS_VIRTQUEUE_WORKER_POOL_H
#define RS_VIRTQUEUE_WORKER_POOL_H

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <set>
#include <vector>

#include <systemc>

#include "virtqueue/backend.h"
#include "virtqueue/engine_if.h"

namespace vq {

// One popped chain, from its pop to its used element.
struct pdu {
	uint64_t seq = 0; // pop order
	uint16_t head = 0;
	std::vector<segment> chain;
	uint32_t len = 0;          // bytes written, once served
	uint64_t popped_cycle = 0; // when the engine handed it over (popped, walked)
	uint64_t done_cycle = 0;   // when its service ended
};

class worker_pool : public sc_core::sc_module {
public:
	/**
	 * worker_pool() - @workers threads serving on @backend through @dma
	 * @on_done: called (must not wait) each time a PDU's service ends
	 * Context: elaboration.
	 */
	worker_pool(sc_core::sc_module_name name, uint32_t workers, backend_if &backend,
		    dma_if &dma, sc_core::sc_time clock, std::function<void()> on_done);
	~worker_pool() override;

	/** submit() - queue a popped chain for the next free worker; never waits. */
	void submit(uint16_t head, std::vector<segment> chain);

	/**
	 * offer() - the served PDU to publish next: the first whose service ended, ties the
	 * first popped. Return: nullptr when none is served.
	 */
	const pdu *offer() const;

	/**
	 * take() - remove the served PDU @seq (one offer() returned)
	 * @out_of_order: set when a chain popped before it is not yet published
	 */
	pdu take(uint64_t seq, bool &out_of_order);

	void set_observer(const engine_observer &obs) { m_obs = obs; }
	const engine_observer &observer() const { return m_obs; }
	uint64_t served() const { return m_served; }
	unsigned in_service() const { return m_in_service; }
	unsigned in_service_max() const { return m_in_service_max; }

private:
	class thread;
	void work();
	size_t offered() const;
	uint64_t now_cycle() const;

	backend_if &m_backend;
	dma_if &m_dma;
	sc_core::sc_time m_clock;
	std::function<void()> m_on_done;
	std::vector<std::unique_ptr<thread>> m_threads;
	sc_core::sc_event m_work;
	std::deque<pdu> m_queue;     // popped, waiting for a worker
	std::vector<pdu> m_done;     // served, waiting to be published
	std::set<uint64_t> m_popped; // seqs popped and not yet published
	uint64_t m_next_seq = 0;
	uint64_t m_served = 0;
	unsigned m_in_service = 0;
	unsigned m_in_service_max = 0;
	engine_observer m_obs;
};

} // namespace vq

#endif
