// SPDX-License-Identifier: GPL-2.0-only
// What kshim lets a simulator watch, like tracepoints in the kernel: the sleeps on a named
// wait queue and the guest's pinned pages. kshim calls them; the simulator implements them
// (sim/probes/guest_kernel.h turns sleeps on a ring's wait queues into ring stalls).
#ifndef RS_KSHIM_PROBES_H
#define RS_KSHIM_PROBES_H

#include <cstdint>

namespace rs_kshim {

struct guest_ctx;

class wait_probe {
public:
	virtual ~wait_probe() = default;
	/** asleep() - the thread of @c goes to sleep on the watched wait queue. */
	virtual void asleep(guest_ctx &c) = 0;
	/** awake() - it runs again, after sleeping from cycle @since to cycle @now. */
	virtual void awake(guest_ctx &c, uint64_t since, uint64_t now) = 0;
};

class pin_probe {
public:
	virtual ~pin_probe() = default;
	/**
	 * pinned_changed() - the thread of @c pinned (@delta > 0) or unpinned (@delta < 0)
	 * guest pages; @pages are pinned now, guest-wide
	 */
	virtual void pinned_changed(guest_ctx &c, uint64_t pages, int64_t delta) = 0;
};

// The DUT's function tracer, as the kernel's ftrace: the driver's own files are compiled
// with -finstrument-functions (dut/sources.cmake), so each of their functions calls kshim
// on entry and on return (ftrace.cpp); kshim passes the call on to the probe installed.
class func_probe {
public:
	virtual ~func_probe() = default;
	/** entered() - the current thread entered the DUT function at @fn. */
	virtual void entered(void *fn) = 0;
	/** returned() - it returned from it. */
	virtual void returned(void *fn) = 0;
};

/**
 * watch_functions() - send every DUT function entry and return to @p from now on (NULL:
 * to nobody, the default: the hooks then only test a pointer)
 */
void watch_functions(func_probe *p);

} // namespace rs_kshim

#endif
