// SPDX-License-Identifier: GPL-2.0-only
// Findings of the models and of kshim into the recorder: the one place their C++ meets the
// C recorder.
#ifndef RS_PROBES_FINDING_BRIDGE_H
#define RS_PROBES_FINDING_BRIDGE_H

#include "common/finding.h"
#include "results/recorder.h"

namespace rs_engine {

class finding_bridge : public rs_models::finding_sink_if {
public:
	explicit finding_bridge(rs_recorder *rec) : m_rec(rec) {}
	void report(const rs_models::finding &f) override;

private:
	rs_recorder *m_rec;
};

} // namespace rs_engine

#endif
