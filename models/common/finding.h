// SPDX-License-Identifier: GPL-2.0-only
// What a model reports when it sees something the kernel would only corrupt or leak, and
// what the guest kernel (kshim) reports of the DUT.
#ifndef RS_MODELS_COMMON_FINDING_H
#define RS_MODELS_COMMON_FINDING_H

#include <cstdint>
#include <string>

namespace rs_models {

struct finding {
	// Models report errors; the guest kernel (kshim) also a BUG_ON, WARN_ON or printk.
	enum class severity { info, warn, error, bug };

	severity sev = severity::error;
	std::string kind;   // e.g. "dma_unpinned", "leak_pinned"; a stable, greppable name
	std::string where;  // the model and object, e.g. "guest_mm pfn 0x1a2"
	std::string detail; // one sentence a kernel engineer can act on
	uint64_t cycle = 0; // simulated cycle at which it was seen
	int64_t request = -1; // request id, -1 when none applies
};

// Implemented by the engine's recorder; models and kshim hold a reference given at
// construction.
class finding_sink_if {
public:
	virtual ~finding_sink_if() = default;
	virtual void report(const finding &f) = 0;
};

} // namespace rs_models

#endif
