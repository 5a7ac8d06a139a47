// SPDX-License-Identifier: GPL-2.0-only
// How the guest memory parts hand a finding to the engine's sink, stamped with the cycle.
#ifndef RS_GUEST_MM_REPORT_H
#define RS_GUEST_MM_REPORT_H

#include <cstdint>
#include <string>
#include <systemc>

#include "common/finding.h"
#include "common/text.h"

namespace gmm {

class reporter {
public:
	reporter(rs_models::finding_sink_if &sink, const sc_core::sc_time &clock_period);

	/**
	 * cycle() - the simulated cycle now
	 * @offset: a loosely-timed initiator's local time offset, added to sc_time_stamp()
	 *
	 * Return: (sc_time_stamp() + @offset) / clock period, rounded down; 0 when the clock
	 * period is zero (a configuration the engine never builds).
	 */
	uint64_t cycle(const sc_core::sc_time &offset = sc_core::SC_ZERO_TIME) const;

	/**
	 * report() - record one finding
	 * @kind: stable name, e.g. "dma_unpinned"
	 * @where: model and object, e.g. pfn_where(0x1a2) gives "guest_mm pfn 0x1a2"
	 * @detail: one sentence a kernel engineer can act on
	 * @request: request id, -1 when none applies
	 * @offset: added to the current time for the cycle stamp (see cycle())
	 *
	 * Context: any; never waits.
	 */
	void report(const std::string &kind, const std::string &where, const std::string &detail,
		    int64_t request = -1, const sc_core::sc_time &offset = sc_core::SC_ZERO_TIME);

	/** count() - Return: findings reported so far through this reporter. */
	uint64_t count() const { return m_count; }

private:
	rs_models::finding_sink_if &m_sink;
	sc_core::sc_time m_clock_period;
	uint64_t m_count = 0;
};

using rs_models::hex;

/** pfn_where() - Return: the where-string for a frame, "guest_mm pfn 0x1a2". */
std::string pfn_where(uint64_t pfn);

} // namespace gmm

#endif
