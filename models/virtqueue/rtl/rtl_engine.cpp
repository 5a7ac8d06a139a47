// SPDX-License-Identifier: GPL-2.0-only
#include "virtqueue/rtl/rtl_engine.h"

#include "common/dma_transact.h"

#include <climits>
#include <cstring>
#include <stdexcept>
#include <string>

// Verilator's headers are not ours to keep warning-free.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wshadow"
#include "Vvq_engine.h"
#pragma GCC diagnostic pop

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

sc_dt::sc_bv<128> pack(const void *bytes, size_t len)
{
	uint8_t b[16] = { 0 };
	sc_dt::sc_bv<128> v;

	memcpy(b, bytes, len < 16 ? len : 16);
	for (int w = 0; w < 4; w++)
		v.range(32 * w + 31, 32 * w) = static_cast<uint32_t>(b[4 * w]) |
			static_cast<uint32_t>(b[4 * w + 1]) << 8 |
			static_cast<uint32_t>(b[4 * w + 2]) << 16 |
			static_cast<uint32_t>(b[4 * w + 3]) << 24;
	return v;
}

} // namespace

rtl_engine::rtl_engine(sc_module_name name, const engine_config &cfg, backend_if &backend,
		       rs_models::finding_sink_if &sink)
	: sc_module(name), dma("dma"), m_cfg(cfg), m_backend(backend), m_sink(sink),
	  m_rtl(new Vvq_engine("vq_engine")), m_kick_q("kick_q"), m_irq_q("irq_q"),
	  m_pool("pool", cfg.workers, backend, *this, cfg.clock_period,
		 [this] { m_db.notify(SC_ZERO_TIME); })
{
	std::string err = check_config(cfg);

	if (!err.empty())
		throw std::invalid_argument(std::string(this->name()) + ": " + err);
	Vvq_engine &r = *m_rtl;
	r.clk(m_clk);
	r.rst(m_rst);
	r.ring_pa(m_ring_pa);
	r.avail_off(m_avail_off);
	r.used_off(m_used_off);
	r.qsize(m_qsize);
	r.indirect_en(m_indirect_en);
	r.event_idx_en(m_event_idx_en);
	r.fetch_cycles(m_fetch_cycles);
	r.db_count(m_db_count);
	r.mem_tgl(m_mem_tgl);
	r.mem_we(m_mem_we);
	r.mem_to_table(m_mem_to_table);
	r.mem_addr(m_mem_addr);
	r.mem_len(m_mem_len);
	r.mem_wdata(m_mem_wdata);
	r.mem_ack(m_mem_ack);
	r.mem_ok(m_mem_ok);
	r.mem_rdata(m_mem_rdata);
	r.tbl_index(m_tbl_index);
	r.tbl_data(m_tbl_data);
	r.seg_tgl(m_seg_tgl);
	r.seg_addr(m_seg_addr);
	r.seg_len(m_seg_len);
	r.seg_write(m_seg_write);
	r.serve_tgl(m_serve_tgl);
	r.serve_head(m_serve_head);
	r.cmp_valid(m_cmp_valid);
	r.cmp_head(m_cmp_head);
	r.cmp_len(m_cmp_len);
	r.cmp_take(m_cmp_take);
	r.irq_tgl(m_irq_tgl);
	r.quiet_tgl(m_quiet_tgl);
	r.busy_timer(m_busy_timer);
	r.busy_cnt(m_busy_cnt);
	r.idle(m_idle);
	r.err_code(m_err_code);
	r.err_where(m_err_where);
	r.last_avail(m_last_avail);
	r.used_idx(m_used_idx);

	SC_THREAD(run);
	SC_METHOD(doorbell);
	sensitive << m_kick_q.default_event();
	dont_initialize();
	SC_METHOD(deliver_irq);
	sensitive << m_irq_q.default_event();
	dont_initialize();
}

rtl_engine::~rtl_engine() = default;

void rtl_engine::kick()
{
	m_kicks++;
	m_kick_q.notify(m_cfg.clock_period * static_cast<double>(m_cfg.kick_latency_cycles));
}

void rtl_engine::doorbell()
{
	m_db_count.write((m_db_count.read() + 1) & 0xffff);
	m_db.notify(SC_ZERO_TIME);
}

void rtl_engine::deliver_irq()
{
	m_irqs_seen++;
	if (m_irq_handler)
		m_irq_handler();
}

// The served PDU the engine may take at the next edge: first to finish, ties the first
// popped (device_engine::complete_next()'s choice).
void rtl_engine::present_completion()
{
	m_offered = m_pool.offer();
	m_cmp_valid.write(m_offered != nullptr);
	if (m_offered) {
		m_offered_seq = m_offered->seq;
		m_cmp_head.write(m_offered->head);
		m_cmp_len.write(m_offered->len);
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

// One rising edge, at the current time: inputs committed first, outputs settled after. The
// served PDUs are offered one delta in, when every worker whose service ends now has
// posted (the SystemC engine's main loop decides at the same point).
void rtl_engine::edge()
{
	wait(SC_ZERO_TIME);
	present_completion();
	m_clk.write(true);
	wait(SC_ZERO_TIME);
	wait(SC_ZERO_TIME);
	m_clk.write(false);
	wait(SC_ZERO_TIME);
	m_edges++;
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
	uint64_t addr = m_mem_addr.read();
	uint32_t len = m_mem_len.read();
	bool ok;

	if (m_mem_we.read()) {
		uint64_t data = m_mem_wdata.read();
		uint8_t b[8];

		for (int i = 0; i < 8; i++)
			b[i] = static_cast<uint8_t>(data >> (8 * i));
		ok = transact(tlm::TLM_WRITE_COMMAND, addr, b, len);
	} else if (m_mem_to_table.read()) {
		m_table.assign(len / sizeof(vring_desc), vring_desc{});
		ok = transact(tlm::TLM_READ_COMMAND, addr, m_table.data(), len);
	} else {
		uint8_t b[16] = { 0 };

		ok = len <= sizeof(b) && transact(tlm::TLM_READ_COMMAND, addr, b, len);
		m_mem_rdata.write(pack(b, sizeof(b)));
	}
	m_mem_ok.write(ok);
	m_mem_ack.write(!m_mem_ack.read());
}

void rtl_engine::report_error(unsigned code, unsigned where)
{
	rs_models::finding f;

	f.kind = error_kind(code);
	f.where = std::string("virtqueue ") + name() + " (rtl) at " + std::to_string(where);
	f.detail = std::string("the RTL engine stopped on ") + f.kind;
	f.cycle = static_cast<uint64_t>(sc_time_stamp() / m_cfg.clock_period);
	m_sink.report(f);
}

void rtl_engine::run()
{
	m_ring_pa.write(m_cfg.ring_pa);
	m_avail_off.write(static_cast<uint32_t>(vring_avail_off(m_cfg.queue_size)));
	m_used_off.write(static_cast<uint32_t>(vring_used_off(m_cfg.queue_size, m_cfg.ring_align)));
	m_qsize.write(m_cfg.queue_size);
	m_indirect_en.write(m_cfg.indirect);
	m_event_idx_en.write(m_cfg.event_idx);
	m_fetch_cycles.write(m_cfg.desc_fetch_cycles);
	m_rst.write(true);
	edge();
	m_rst.write(false);
	for (;;) {
		if (m_idle.read() && !m_pool.offer())
			wait(m_db); /* idle costs no host time: no edge until a doorbell */
		edge();
		if (m_err_code.read()) {
			report_error(m_err_code.read(), m_err_where.read());
			return; /* broken: serves nothing more */
		}
		if (m_seg_tgl.read() != m_seen_seg) {
			m_seen_seg = m_seg_tgl.read();
			m_chain.push_back(segment{ m_seg_addr.read(), m_seg_len.read(),
						   m_seg_write.read() });
		}
		if (m_cmp_take.read() != m_seen_take) {
			m_seen_take = m_cmp_take.read();
			m_pool.take(m_offered_seq, m_taken_ooo);
			m_completions++;
			if (m_taken_ooo)
				m_out_of_order++;
		}
		if (m_irq_tgl.read() != m_seen_irq) {
			m_seen_irq = m_irq_tgl.read();
			decided(true);
		}
		if (m_quiet_tgl.read() != m_seen_quiet) {
			m_seen_quiet = m_quiet_tgl.read();
			decided(false);
		}
		if (m_mem_tgl.read() != m_seen_mem) {
			m_seen_mem = m_mem_tgl.read();
			memory_access();
		} else if (m_serve_tgl.read() != m_seen_serve) {
			m_seen_serve = m_serve_tgl.read();
			m_pool.submit(static_cast<uint16_t>(m_serve_head.read()), std::move(m_chain));
			m_chain.clear();
		} else if (m_busy_timer.read()) {
			/* The engine counts these cycles itself, one per edge: wait them out in
			 * one go (as the SystemC engine does), then give the edges. */
			if (!m_credit) {
				m_credit = m_busy_cnt.read();
				wait(m_cfg.clock_period * static_cast<double>(m_credit));
			}
			m_credit--;
		}
		uint32_t idx = m_tbl_index.read();
		if (idx < m_table.size())
			m_tbl_data.write(pack(&m_table[idx], sizeof(vring_desc)));
	}
}

void rtl_engine::trace(sc_trace_file *tf) const
{
	sc_trace(tf, m_clk, "rtl.clk");
	sc_trace(tf, m_db_count, "rtl.db_count");
	sc_trace(tf, m_mem_tgl, "rtl.mem_tgl");
	sc_trace(tf, m_mem_we, "rtl.mem_we");
	sc_trace(tf, m_mem_addr, "rtl.mem_addr");
	sc_trace(tf, m_mem_len, "rtl.mem_len");
	sc_trace(tf, m_mem_ack, "rtl.mem_ack");
	sc_trace(tf, m_seg_tgl, "rtl.seg_tgl");
	sc_trace(tf, m_seg_len, "rtl.seg_len");
	sc_trace(tf, m_serve_tgl, "rtl.serve_tgl");
	sc_trace(tf, m_serve_head, "rtl.serve_head");
	sc_trace(tf, m_irq_tgl, "rtl.irq_tgl");
	sc_trace(tf, m_busy_timer, "rtl.busy_timer");
	sc_trace(tf, m_idle, "rtl.idle");
	sc_trace(tf, m_last_avail, "rtl.last_avail");
	sc_trace(tf, m_used_idx, "rtl.used_idx");
	sc_trace(tf, m_err_code, "rtl.err_code");
}

const char *rtl_engine::verilator_version()
{
	return VERILATOR_VERSION;
}

} // namespace vq
