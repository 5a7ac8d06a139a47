// SPDX-License-Identifier: GPL-2.0-only
#include "probes/run_trace.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>

#include <systemc>

#include "common/cycles.h"

namespace rs_engine {

run_trace *run_trace::s_active;

run_trace::run_trace(rs_trace *t) : m_trace(t)
{
	s_active = this;
	rs_kshim::watch_functions(this);
}

run_trace::~run_trace()
{
	rs_kshim::watch_functions(nullptr);
	s_active = nullptr;
}

void run_trace::name_track(const std::string &name)
{
	if (const sc_core::sc_process_b *p = sc_core::sc_get_current_process_b())
		m_tracks[p] = name;
}

bool run_trace::track_named() const
{
	const sc_core::sc_process_b *p = sc_core::sc_get_current_process_b();

	return p && m_tracks.count(p);
}

const char *run_trace::track()
{
	const sc_core::sc_process_b *p = sc_core::sc_get_current_process_b();

	if (!p)
		return "elaboration";
	auto it = m_tracks.find(p);
	if (it != m_tracks.end())
		return it->second.c_str();
	return m_tracks.emplace(p, p->name()).first->second.c_str();
}

void run_trace::begin(const char *name, json_t *args)
{
	rs_trace_begin(m_trace, track(), rs_models::now_cycles(), name, args);
}

void run_trace::end(json_t *args)
{
	rs_trace_end(m_trace, track(), rs_models::now_cycles(), args);
}

void run_trace::span(const char *track, const char *name, uint64_t start, json_t *args)
{
	rs_trace_span(m_trace, track, name, start, rs_models::now_cycles(), args);
}

void run_trace::instant(const char *track, const char *name, json_t *args)
{
	rs_trace_instant(m_trace, track, rs_models::now_cycles(), name, args);
}

void run_trace::entered(void *fn)
{
	rs_trace_begin(m_trace, track(), rs_models::now_cycles(), function_name(fn).c_str(),
		       nullptr);
}

void run_trace::returned(void *fn)
{
	(void)fn;
	rs_trace_end(m_trace, track(), rs_models::now_cycles(), nullptr);
}

// "ADDRESS TYPE NAME" lines of nm(1) for @object: its functions by address. The DUT's are
// mostly static, which dladdr() cannot name; nm reads the symbol table. Once per object.
const std::map<uint64_t, std::string> &run_trace::symbols_of(const std::string &object)
{
	auto it = m_symbols.find(object);

	if (it != m_symbols.end())
		return it->second;
	std::map<uint64_t, std::string> &syms = m_symbols[object];
	std::string quoted = "'";
	for (char c : object)
		quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
	quoted += "'";
	std::string cmd = "nm --defined-only " + quoted + " 2>/dev/null";
	FILE *nm = popen(cmd.c_str(), "r");
	char line[4096], name[4096];
	uint64_t addr;
	char type;

	if (!nm)
		return syms;
	while (fgets(line, sizeof(line), nm))
		if (sscanf(line, "%" SCNx64 " %c %4095s", &addr, &type, name) == 3 &&
		    (type == 't' || type == 'T'))
			syms.emplace(addr, name);
	pclose(nm);
	return syms;
}

// This program's file: /proc/self/exe, read here (nm's own would be nm).
static std::string self_path()
{
	char buf[4096];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string("/proc/self/exe");
}

// The function at @fn: its symbol in the object that holds it (ringsim itself for the
// built-in seed, a DUT object otherwise), or its address.
const std::string &run_trace::function_name(void *fn)
{
	auto it = m_names.find(fn);
	Dl_info info, self;

	if (it != m_names.end())
		return it->second;
	std::string name;
	if (dladdr(fn, &info)) {
		if (info.dli_sname && info.dli_saddr == fn) {
			name = info.dli_sname;
		} else {
			// dladdr() names the main program as its argv[0], or ""; it is the
			// program that holds this function too.
			bool main_program =
				dladdr(reinterpret_cast<void *>(&rs_trace_open), &self) &&
				self.dli_fbase == info.dli_fbase;
			const auto &syms = symbols_of(main_program || !info.dli_fname ?
						      self_path() : info.dli_fname);
			uint64_t off = reinterpret_cast<uintptr_t>(fn) -
				reinterpret_cast<uintptr_t>(info.dli_fbase);
			auto s = syms.find(off); // position-independent: offsets
			if (s == syms.end())
				s = syms.find(reinterpret_cast<uintptr_t>(fn));
			if (s != syms.end())
				name = s->second;
		}
	}
	if (name.empty()) {
		char buf[32];
		snprintf(buf, sizeof(buf), "%p", fn);
		name = buf;
	}
	return m_names.emplace(fn, name).first->second;
}

} // namespace rs_engine
