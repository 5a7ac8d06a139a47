// SPDX-License-Identifier: GPL-2.0-only
// The RTL device engine (vq_engine.v, built with Verilator as a C++ model) behind the same
// interface as the SystemC engine. This bridge clocks it itself, only while it has work, and
// carries out its handshakes: guest-memory transactions as TLM on the DMA bus (so guest
// memory checks them and charges the same latency), each popped chain to the pool of
// `workers` threads that serve it on the backend (worker_pool.h: the host's, shared with
// vq::device_engine), the served PDUs back to the RTL in completion order, the interrupt
// after its latency. Edges take no delta cycles: the engine waits where device_engine waits
// (each DMA, each run of decode cycles, one delta before each main-loop choice), so the two
// are cycle for cycle equal and schedule their transactions at the same points.
#ifndef RS_VIRTQUEUE_RTL_ENGINE_H
#define RS_VIRTQUEUE_RTL_ENGINE_H

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "common/finding.h"
#include "virtqueue/backend.h"
#include "virtqueue/device_engine.h"
#include "virtqueue/engine_if.h"
#include "virtqueue/vring.h"
#include "virtqueue/worker_pool.h"

class Vvq_engine;
class VerilatedContext;

namespace vq {

class rtl_engine : public sc_core::sc_module, public dma_if, public engine_if {
public:
	tlm_utils::simple_initiator_socket<rtl_engine> dma;

	SC_HAS_PROCESS(rtl_engine);

	/**
	 * rtl_engine() - the RTL engine for one queue
	 * @cfg: checked with check_config(), as for device_engine
	 * Context: elaboration. Throws std::invalid_argument on a bad @cfg.
	 */
	rtl_engine(sc_core::sc_module_name name, const engine_config &cfg, backend_if &backend,
		   rs_models::finding_sink_if &sink);

	/** verilator_version() - the Verilator that built the RTL, e.g. "5.006 2023-01-22". */
	static const char *verilator_version();
	~rtl_engine() override;

	tlm::tlm_initiator_socket<> &dma_socket() override { return dma; }
	void kick() override;
	void set_irq_handler(std::function<void()> handler) override
	{
		m_irq_handler = std::move(handler);
	}
	uint64_t kicks() const override { return m_kicks; }
	uint64_t interrupts_seen() const override { return m_irqs_seen; }
	uint64_t chains_served() const override { return m_pool.served(); }
	void set_observer(const engine_observer &obs) override { m_pool.set_observer(obs); }
	uint64_t completions() const override { return m_completions; }
	uint64_t notifications() const override { return m_irqs_raised; }
	uint64_t out_of_order() const override { return m_out_of_order; }
	unsigned in_service_max() const override { return m_pool.in_service_max(); }
	uint64_t edges() const { return m_edges; } // clock edges the RTL was given

	bool dma_read(uint64_t pa, void *buf, size_t len) override;
	bool dma_write(uint64_t pa, const void *buf, size_t len) override;

	/** trace() - add the engine's ports and state to a VCD file. */
	void trace(sc_core::sc_trace_file *tf) const override;

private:
	void run();
	void edge();
	void offer_completion();
	void decided(bool raised);
	void doorbell();
	void deliver_irq();
	bool transact(tlm::tlm_command cmd, uint64_t pa, void *buf, size_t len);
	void memory_access();
	void report_error(unsigned code, unsigned where);

	engine_config m_cfg;
	backend_if &m_backend;
	rs_models::finding_sink_if &m_sink;
	std::unique_ptr<VerilatedContext> m_ctx;
	std::unique_ptr<Vvq_engine> m_rtl;
	std::function<void()> m_irq_handler;
	sc_core::sc_event_queue m_kick_q, m_irq_q;
	sc_core::sc_event m_db; // a doorbell, or a PDU served
	std::vector<segment> m_chain;
	std::vector<vring_desc> m_table;
	worker_pool m_pool;
	uint16_t m_db_count = 0;     // doorbells noticed, the RTL's db_count input
	uint64_t m_offered_seq = 0;  // the served PDU on the cmp_* inputs
	bool m_taken_ooo = false;
	uint32_t m_credit = 0;       // counting cycles already waited out

	// What a VCD shows of the engine (written after each edge; the logic does not read them).
	sc_core::sc_signal<bool> m_t_mem_tgl, m_t_mem_we, m_t_seg_tgl, m_t_serve_tgl, m_t_irq_tgl,
		m_t_busy, m_t_idle;
	sc_core::sc_signal<uint64_t> m_t_mem_addr;
	sc_core::sc_signal<uint32_t> m_t_db_count, m_t_mem_len, m_t_seg_len, m_t_serve_head,
		m_t_last_avail, m_t_used_idx, m_t_err_code;

	bool m_seen_mem = false, m_seen_seg = false, m_seen_serve = false, m_seen_irq = false,
	     m_seen_quiet = false, m_seen_take = false;
	uint64_t m_kicks = 0, m_irqs_seen = 0, m_edges = 0, m_completions = 0, m_irqs_raised = 0,
		 m_out_of_order = 0;
};

} // namespace vq

#endif
