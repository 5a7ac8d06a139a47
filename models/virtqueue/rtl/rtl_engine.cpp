// SPDX-License-Identifier: GPL-2.0-only
// Verilator's headers first: seen after SystemC's they take the model for a SystemC one
// (and they are not ours to keep warning-free).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wshadow"
#include "Vvq_engine.h"
#include "verilated.h"
#pragma GCC diagnostic pop

#include "virtqueue/rtl/rtl_engine.h"

#include "common/dma_transact.h"

#include <climits>
#include <cstring>
#include <stdexcept>
#include <string>

namespace vq {

using namespace sc_core;

namespace {

// The findings of vq_engine.v's error codes, named as the SystemC engine names them.
const char *error_kind(unsigned code)
{
	static const char *const kinds[] = {
		"", "vq_avail_idx_jump", "vq_desc_out_of_range", "vq_chain_loop",
		"vq_indirect_not_negotiated", "vq_indirect_with_next", "vq_indirect_bad_len",
		"vq_chain_too_long", "vq_indirect_nested", "vq_indirect_next_out_of_range",
		"vq_readable_after_writable", "vq_dma_error",
	};

	return code < sizeof(kinds) / sizeof(kinds[0]) ? kinds[code] : "vq_rtl_error";
}

// 16 little-endian bytes into a 128-bit port (word 0 holds bits 31:0).
template <typename W> void pack(W &port, const void *bytes, size_t len)
{
	uint8_t b[16] = { 0 };

	memcpy(b, bytes, len < 16 ? len : 16);
	for (int w = 0; w < 4; w++)
		port[w] = static_cast<uint32_t>(b[4 * w]) | static_cast<uint32_t>(b[4 * w + 1]) << 8 |
			  static_cast<uint32_t>(b[4 * w + 2]) << 16 |
			  static_cast<uint32_t>(b[4 * w + 3]) << 24;
}

} // namespace

rtl_engine::rtl_engine(sc_module_name name, const engine_config &cfg, backend_if &backend,
		       rs_models::finding_sink_if &sink)
	: sc_module(name), dma("dma"), m_cfg(cfg), m_backend(backend), m_sink(sink),
	  m_ctx(new VerilatedContext), m_kick_q("kick_q"), m_irq_q("irq_q"),
	  m_pool("pool", cfg.workers, backend, *this, cfg.clock_period, [this] { m_db.notify(); })
{
	std::string err = check_config(cfg);

	if (!err.empty())
		throw std::invalid_argument(std::string(this->name()) + ": " + err);
	m_rtl.reset(new Vvq_engine(m_ctx.get(), "vq_engine"));
	SC_THREAD(run);
	SC_METHOD(doorbell);
	sensitive << m_kick_q.default_event();
	dont_initialize();
	SC_METHOD(deliver_irq);
	sensitive << m_irq_q.default_event();
	dont_initialize();
}

rtl_engine::~rtl_engine()
{
	m_rtl->final();
}

void rtl_engine::kick()
{
	m_kicks++;
	m_kick_q.notify(m_cfg.clock_period * static_cast<double>(m_cfg.kick_latency_cycles));
}

// As device_engine::doorbell(): counted at once, the main loop woken in this delta.
void rtl_engine::doorbell()
{
	m_db_count++;
	m_db.notify();
}

void rtl_engine::deliver_irq()
{
	m_irqs_seen++;
	if (m_irq_handler)
		m_irq_handler();
}

// One rising edge, in zero time and no delta: inputs set, clock up, outputs settled, clock
// down.
void rtl_engine::edge()
{
	Vvq_engine &r = *m_rtl;

	r.db_count = m_db_count;
	offer_completion();
	r.clk = 1;
	r.eval();
	r.clk = 0;
	r.eval();
	m_edges++;
	m_t_mem_tgl.write(r.mem_tgl);
	m_t_mem_we.write(r.mem_we);
	m_t_mem_addr.write(r.mem_addr);
	m_t_mem_len.write(r.mem_len);
	m_t_seg_tgl.write(r.seg_tgl);
	m_t_seg_len.write(r.seg_len);
	m_t_serve_tgl.write(r.serve_tgl);
	m_t_serve_head.write(r.serve_head);
	m_t_irq_tgl.write(r.irq_tgl);
	m_t_busy.write(r.busy_timer);
	m_t_idle.write(r.idle);
	m_t_db_count.write(m_db_count);
	m_t_last_avail.write(r.last_avail);
	m_t_used_idx.write(r.used_idx);
	m_t_err_code.write(r.err_code);
}

// The served PDU the engine may take at this edge: the pool's offer (first to finish, ties
// the first popped), device_engine::complete_next()'s choice.
void rtl_engine::offer_completion()
{
	const pdu *p = m_pool.offer();

	m_rtl->cmp_valid = p != nullptr;
	if (p) {
		m_offered_seq = p->seq;
		m_rtl->cmp_head = p->head;
		m_rtl->cmp_len = p->len;
	}
}

void rtl_engine::decided(bool raised)
{
	if (raised) {
		m_irqs_raised++;
		m_irq_q.notify(m_cfg.clock_period * static_cast<double>(m_cfg.irq_latency_cycles));
	}
	if (m_pool.observer().completed)
		m_pool.observer().completed(raised, m_taken_ooo);
}

bool rtl_engine::transact(tlm::tlm_command cmd, uint64_t pa, void *buf, size_t len)
{
	return rs_models::dma_transact(dma, cmd, pa, buf, len);
}

bool rtl_engine::dma_read(uint64_t pa, void *buf, size_t len)
{
	return transact(tlm::TLM_READ_COMMAND, pa, buf, len);
}

bool rtl_engine::dma_write(uint64_t pa, const void *buf, size_t len)
{
	return transact(tlm::TLM_WRITE_COMMAND, pa, const_cast<void *>(buf), len);
}

// The engine asked for a guest-memory transaction: carry it out, in its time.
void rtl_engine::memory_access()
{
	Vvq_engine &r = *m_rtl;
	uint64_t addr = r.mem_addr;
	uint32_t len = r.mem_len;
	bool ok;

	if (r.mem_we) {
		uint64_t data = r.mem_wdata;
		uint8_t b[8];

		for (int i = 0; i < 8; i++)
			b[i] = static_cast<uint8_t>(data >> (8 * i));
		ok = transact(tlm::TLM_WRITE_COMMAND, addr, b, len);
	} else if (r.mem_to_table) {
		m_table.assign(len / sizeof(vring_desc), vring_desc{});
		ok = transact(tlm::TLM_READ_COMMAND, addr, m_table.data(), len);
	} else {
		uint8_t b[16] = { 0 };

		ok = len <= sizeof(b) && transact(tlm::TLM_READ_COMMAND, addr, b, len);
		pack(r.mem_rdata, b, sizeof(b));
	}
	r.mem_ok = ok;
	r.mem_ack = !r.mem_ack;
}

void rtl_engine::report_error(unsigned code, unsigned where)
{
	rs_models::finding f;

	f.kind = error_kind(code);
	f.where = std::string("virtqueue ") + name() + " (rtl) at " + std::to_string(where);
	f.detail = std::string("the RTL engine stopped on ") + f.kind;
	f.cycle = static_cast<uint64_t>(sc_core::sc_time_stamp() / m_cfg.clock_period);
	m_sink.report(f);
}

// device_engine::run()'s waits, in the same places: one delta before each main-loop choice
// (S_IDLE), the doorbell or a served PDU when there is nothing to do, each transaction's
// latency, each run of decode cycles.
void rtl_engine::run()
{
	Vvq_engine &r = *m_rtl;

	r.ring_pa = m_cfg.ring_pa;
	r.avail_off = static_cast<uint32_t>(vring_avail_off(m_cfg.queue_size));
	r.used_off = static_cast<uint32_t>(vring_used_off(m_cfg.queue_size, m_cfg.ring_align));
	r.qsize = static_cast<uint16_t>(m_cfg.queue_size);
	r.indirect_en = m_cfg.indirect;
	r.event_idx_en = m_cfg.event_idx;
	r.fetch_cycles = static_cast<uint16_t>(m_cfg.desc_fetch_cycles);
	r.rst = 1;
	edge();
	r.rst = 0;
	for (;;) {
		if (r.decide) {
			wait(SC_ZERO_TIME);
			r.db_count = m_db_count;
			r.eval();
			if (r.idle && !m_pool.offer()) {
				wait(m_db); /* idle costs no host time: no edge until there is work */
				continue;
			}
		}
		edge();
		if (r.err_code) {
			report_error(r.err_code, r.err_where);
			return; /* broken: serves nothing more */
		}
		if (r.seg_tgl != m_seen_seg) {
			m_seen_seg = r.seg_tgl;
			m_chain.push_back(segment{ r.seg_addr, r.seg_len, r.seg_write != 0 });
		}
		if (r.cmp_take != m_seen_take) {
			m_seen_take = r.cmp_take;
			m_pool.take(m_offered_seq, m_taken_ooo);
			m_completions++;
			if (m_taken_ooo)
				m_out_of_order++;
		}
		if (r.irq_tgl != m_seen_irq) {
			m_seen_irq = r.irq_tgl;
			decided(true);
		}
		if (r.quiet_tgl != m_seen_quiet) {
			m_seen_quiet = r.quiet_tgl;
			decided(false);
		}
		if (r.mem_tgl != m_seen_mem) {
			m_seen_mem = r.mem_tgl;
			memory_access();
		} else if (r.serve_tgl != m_seen_serve) {
			m_seen_serve = r.serve_tgl;
			m_pool.submit(r.serve_head, std::move(m_chain));
			m_chain.clear();
		} else if (r.busy_timer) {
			/* The engine counts these cycles itself, one per edge: wait them out in
			 * one go (as device_engine does), then give the edges. */
			if (!m_credit) {
				m_credit = r.busy_cnt;
				wait(m_cfg.clock_period * static_cast<double>(m_credit));
			}
			m_credit--;
		}
		uint32_t idx = r.tbl_index;
		if (idx < m_table.size())
			pack(r.tbl_data, &m_table[idx], sizeof(vring_desc));
	}
}

void rtl_engine::trace(sc_trace_file *tf) const
{
	sc_trace(tf, m_t_db_count, "rtl.db_count");
	sc_trace(tf, m_t_mem_tgl, "rtl.mem_tgl");
	sc_trace(tf, m_t_mem_we, "rtl.mem_we");
	sc_trace(tf, m_t_mem_addr, "rtl.mem_addr");
	sc_trace(tf, m_t_mem_len, "rtl.mem_len");
	sc_trace(tf, m_t_seg_tgl, "rtl.seg_tgl");
	sc_trace(tf, m_t_seg_len, "rtl.seg_len");
	sc_trace(tf, m_t_serve_tgl, "rtl.serve_tgl");
	sc_trace(tf, m_t_serve_head, "rtl.serve_head");
	sc_trace(tf, m_t_irq_tgl, "rtl.irq_tgl");
	sc_trace(tf, m_t_busy, "rtl.busy_timer");
	sc_trace(tf, m_t_idle, "rtl.idle");
	sc_trace(tf, m_t_last_avail, "rtl.last_avail");
	sc_trace(tf, m_t_used_idx, "rtl.used_idx");
	sc_trace(tf, m_t_err_code, "rtl.err_code");
}

const char *rtl_engine::verilator_version()
{
	return VERILATOR_VERSION;
}

} // namespace vq
