// SPDX-License-Identifier: GPL-2.0-only
// The run's --trace as the workload, the devices and the DUT's function tracer feed it: one
// track per SystemC thread (a guest thread's requests, and the DUT functions it runs inside
// them; a device's interrupt handler), instant events for kicks and interrupts on the
// device's track. The trace file itself is trace/trace_event.h's; the stalls and counter
// tracks reach it through the recorder.
#ifndef RS_PROBES_RUN_TRACE_H
#define RS_PROBES_RUN_TRACE_H

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>

#include <jansson.h>

#include "kshim/probes.h"
#include "trace/trace_event.h"

namespace rs_engine {

class run_trace : public rs_kshim::func_probe {
public:
	// Feeds @t (owned by the caller) from now on, the DUT's functions included.
	explicit run_trace(rs_trace *t);
	~run_trace() override;
	run_trace(const run_trace &) = delete;
	run_trace &operator=(const run_trace &) = delete;

	// The run's trace, or nullptr without --trace.
	static run_trace *active() { return s_active; }

	// Call the current SystemC thread @name on its track ("r #3", "virtio-9p irq").
	void name_track(const std::string &name);
	// Whether the current SystemC thread's track has a name of its own.
	bool track_named() const;
	// The current thread's track: the name it was given, else its SystemC name.
	const char *track();

	// A slice on the current thread's track (@args: stolen, or NULL).
	void begin(const char *name, json_t *args);
	void end(json_t *args);
	// A slice of @track from @start to now, given when it ended (overlapping ones in
	// lanes).
	void span(const char *track, const char *name, uint64_t start, json_t *args);
	// An instant event on @track, now.
	void instant(const char *track, const char *name, json_t *args);

	void entered(void *fn) override;
	void returned(void *fn) override;

private:
	const std::string &function_name(void *fn);
	const std::map<uint64_t, std::string> &symbols_of(const std::string &object);

	static run_trace *s_active;
	rs_trace *m_trace;
	std::unordered_map<const void *, std::string> m_tracks; // SystemC process -> track
	std::unordered_map<void *, std::string> m_names;        // DUT function -> its name
	std::map<std::string, std::map<uint64_t, std::string>> m_symbols; // object -> nm
};

} // namespace rs_engine

#endif
