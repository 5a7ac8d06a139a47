// SPDX-License-Identifier: GPL-2.0-only
#include "engine/finding_bridge.h"

namespace rs_engine {

void finding_bridge::report(const rs_models::finding &f)
{
	// A model finding is a protocol or memory error the kernel would not have noticed.
	rs_recorder_finding(m_rec, RS_FINDING_ERROR, f.kind.c_str(), f.where.c_str(),
			    f.detail.c_str(), f.cycle, f.request);
}

} // namespace rs_engine
