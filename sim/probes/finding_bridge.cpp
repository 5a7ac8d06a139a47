// SPDX-License-Identifier: GPL-2.0-only
#include "probes/finding_bridge.h"

namespace rs_engine {

static enum rs_severity severity_of(rs_models::finding::severity s)
{
	switch (s) {
	case rs_models::finding::severity::info: return RS_FINDING_INFO;
	case rs_models::finding::severity::warn: return RS_FINDING_WARN;
	case rs_models::finding::severity::bug: return RS_FINDING_BUG;
	default: return RS_FINDING_ERROR;
	}
}

void finding_bridge::report(const rs_models::finding &f)
{
	// A model's finding is a protocol or memory error the kernel would not have noticed;
	// kshim's are the DUT's BUG_ONs, WARN_ONs and notable printks too.
	rs_recorder_finding(m_rec, severity_of(f.sev), f.kind.c_str(), f.where.c_str(),
			    f.detail.c_str(), f.cycle, f.request);
}

} // namespace rs_engine
