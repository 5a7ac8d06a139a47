// SPDX-License-Identifier: GPL-2.0-only
#include "guest_mm/report.h"

namespace gmm {

reporter::reporter(rs_models::finding_sink_if &sink, const sc_core::sc_time &clock_period)
	: m_sink(sink), m_clock_period(clock_period)
{
}

uint64_t reporter::cycle(const sc_core::sc_time &offset) const
{
	if (m_clock_period == sc_core::SC_ZERO_TIME)
		return 0;
	// sc_time values are integers of the time resolution; the quotient is exact.
	return (sc_core::sc_time_stamp() + offset).value() / m_clock_period.value();
}

void reporter::report(const std::string &kind, const std::string &where,
		      const std::string &detail, int64_t request, const sc_core::sc_time &offset)
{
	rs_models::finding f;
	f.kind = kind;
	f.where = where;
	f.detail = detail;
	f.cycle = cycle(offset);
	f.request = request;
	m_count++;
	m_sink.report(f);
}

std::string pfn_where(uint64_t pfn)
{
	return "guest_mm pfn " + hex(pfn);
}

} // namespace gmm
