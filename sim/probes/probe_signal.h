// SPDX-License-Identifier: GPL-2.0-only
// A value many processes update (guest threads, the interrupt thread) shown as one signal
// in a VCD: the processes set the value, one method of its own writes the signal, so the
// signal has a single writer and a change in the middle of a delta cycle is never lost.
#ifndef RS_PROBES_PROBE_SIGNAL_H
#define RS_PROBES_PROBE_SIGNAL_H

#include <cstdint>

#include <systemc>

namespace rs_engine {

class probe_signal : public sc_core::sc_module {
public:
	SC_HAS_PROCESS(probe_signal);

	explicit probe_signal(sc_core::sc_module_name name) : sc_module(name), m_sig("sig")
	{
		SC_METHOD(update);
		sensitive << m_changed;
		dont_initialize();
	}

	void set(uint32_t v)
	{
		m_value = v;
		m_changed.notify(sc_core::SC_ZERO_TIME);
	}
	void add(int32_t d) { set(m_value + static_cast<uint32_t>(d)); }
	uint32_t value() const { return m_value; }

	void trace(sc_core::sc_trace_file *tf, const char *name) const
	{
		sc_core::sc_trace(tf, m_sig, name);
	}

private:
	void update() { m_sig.write(m_value); }

	sc_core::sc_signal<uint32_t> m_sig;
	sc_core::sc_event m_changed;
	uint32_t m_value = 0;
};

} // namespace rs_engine

#endif
