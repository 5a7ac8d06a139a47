// SPDX-License-Identifier: GPL-2.0-only
#include "devices/dut_loader.h"

#include <dlfcn.h>
#include <link.h>
#include <unistd.h>

#include <climits>

#include <cstdlib>
#include <cstring>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>

#include "dut_ops.h"
#include "dutbuild/dutbuild.h"

// The built-in seed's code (dut/dut_text.ld, in ringsim only): weak, so that an executable
// linked without the script sees null and has no built-in range.
extern "C" {
extern const char __rs_dut_text_start[] __attribute__((weak));
extern const char __rs_dut_text_end[] __attribute__((weak));
}

namespace rs_engine {

namespace {

bool coverage_builds;

// A name, a patch or a source file is compiled (or found in the cache) once: by
// "KIND=SPEC" (" coverage" appended for an instrumented build), its object's path, or ""
// for the built-in seed.
std::map<std::string, std::string> &built_objects()
{
	static std::map<std::string, std::string> built;

	return built;
}

// The objects opened so far, by path: a DUT's globals live as long as the process.
std::map<std::string, void *> &opened_objects()
{
	static std::map<std::string, void *> handles;

	return handles;
}

void *open_object(const std::string &path, std::string &err)
{
	std::map<std::string, void *> &handles = opened_objects();
	auto it = handles.find(path);

	if (it != handles.end())
		return it->second;
	void *h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *why = dlerror();

		err = "DUT object " + path + " does not load: " + (why ? why : "dlopen failed");
		return nullptr;
	}
	handles[path] = h;
	return h;
}

template <typename Ops>
const Ops *load(const char *kind, const std::string &spec, const char *symbol, const Ops *builtin,
		std::string &err)
{
	std::map<std::string, std::string> &built = built_objects();
	const std::string key = std::string(kind) + "=" + spec + (coverage_builds ? " coverage" : "");
	auto it = built.find(key);
	if (it == built.end()) {
		char why[4096];
		char *object = nullptr;

		if (rs_dut_build(kind, spec.c_str(), coverage_builds, &object, why, sizeof(why))) {
			err = why;
			return nullptr;
		}
		it = built.emplace(key, object ? object : "").first;
		free(object);
	}
	if (it->second.empty())
		return builtin;
	const std::string &path = it->second;
	void *h = open_object(path, err);
	if (!h)
		return nullptr;
	const Ops *ops = static_cast<const Ops *>(dlsym(h, symbol));
	if (!ops) {
		err = "DUT object " + spec + " has no " + symbol + " (the DUT boundary's ops table, "
		      "dut/dut_ops.h)";
		return nullptr;
	}
	if (ops->abi_version != RS_DUT_ABI_VERSION) {
		err = "DUT object " + spec + ": " + symbol + " has ABI version " +
		      std::to_string(ops->abi_version) + "; this ringsim needs " +
		      std::to_string(RS_DUT_ABI_VERSION);
		return nullptr;
	}
	return ops;
}

// "DUT object X: rs_dut_blk_ops lacks submit_io, issue_flush"
template <typename Ops>
bool complete(const Ops *ops, const std::string &spec, const char *symbol,
	      const std::initializer_list<std::pair<const char *, bool>> &members, std::string &err)
{
	std::string missing;

	if (!ops->name)
		missing = "name";
	for (const auto &m : members)
		if (!m.second)
			missing += (missing.empty() ? "" : ", ") + std::string(m.first);
	if (missing.empty())
		return true;
	err = "DUT object " + spec + ": " + symbol + " lacks " + missing;
	return false;
}

} // namespace

const struct rs_dut_9p_ops *dut_9p_ops(const std::string &spec, std::string &err)
{
	const struct rs_dut_9p_ops *o = load("virtio-9p", spec, RS_DUT_9P_OPS_SYMBOL, &rs_dut_9p_ops, err);

	if (!o || !complete(o, spec, RS_DUT_9P_OPS_SYMBOL, {
		{ "trans", o->trans }, { "virtio_init", o->virtio_init },
		{ "virtio_probe", o->virtio_probe },
		{ "vring_new_virtqueue", o->vring_new_virtqueue },
		{ "vring_interrupt", o->vring_interrupt }, { "client_create", o->client_create },
		{ "client_destroy", o->client_destroy }, { "client_attach", o->client_attach },
		{ "client_walk", o->client_walk }, { "client_open", o->client_open },
		{ "client_clunk", o->client_clunk }, { "client_read", o->client_read },
		{ "client_write", o->client_write }, { "client_readdir", o->client_readdir },
		{ "tag_lookup", o->tag_lookup } }, err))
		return nullptr;
	return o;
}

const struct rs_dut_blk_ops *dut_blk_ops(const std::string &spec, std::string &err)
{
	const struct rs_dut_blk_ops *o = load("xen-blk", spec, RS_DUT_BLK_OPS_SYMBOL, &rs_dut_blk_ops, err);

	if (!o || !complete(o, spec, RS_DUT_BLK_OPS_SYMBOL, {
		{ "gnttab_init", o->gnttab_init },
		{ "gnttab_free_count_now", o->gnttab_free_count_now },
		{ "probe_and_connect", o->probe_and_connect }, { "ring_refs", o->ring_refs },
		{ "ring_size", o->ring_size }, { "persistent_gnts", o->persistent_gnts },
		{ "pool_pages", o->pool_pages }, { "pool_pfns", o->pool_pfns },
		{ "submit_io", o->submit_io }, { "writeback_pages", o->writeback_pages },
		{ "issue_flush", o->issue_flush } }, err))
		return nullptr;
	return o;
}

// --- where the loaded objects are (the crash guard's and the crash report's question)

namespace {

struct span_search {
	const struct link_map *map;
	dut_object *obj;
	bool found;
};

int find_span(struct dl_phdr_info *info, size_t, void *arg)
{
	auto *q = static_cast<span_search *>(arg);

	if (info->dlpi_addr != q->map->l_addr || !info->dlpi_name ||
	    strcmp(info->dlpi_name, q->map->l_name))
		return 0;
	q->obj->bias = info->dlpi_addr;
	q->obj->start = UINTPTR_MAX;
	q->obj->end = 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) &ph = info->dlpi_phdr[i];

		if (ph.p_type != PT_LOAD)
			continue;
		q->obj->start = std::min<uintptr_t>(q->obj->start, info->dlpi_addr + ph.p_vaddr);
		q->obj->end = std::max<uintptr_t>(q->obj->end,
						  info->dlpi_addr + ph.p_vaddr + ph.p_memsz);
	}
	q->found = q->obj->start < q->obj->end;
	return 1;
}

} // namespace

std::vector<dut_object> dut_objects()
{
	std::vector<dut_object> out;

	for (const auto &h : opened_objects()) {
		struct link_map *map = nullptr;
		dut_object obj{ h.first, 0, 0, 0 };
		span_search q{ nullptr, &obj, false };

		if (dlinfo(h.second, RTLD_DI_LINKMAP, &map) || !map)
			continue;
		q.map = map;
		dl_iterate_phdr(find_span, &q);
		if (q.found)
			out.push_back(obj);
	}
	return out;
}

namespace {

// The executable is dl_iterate_phdr's first entry.
int executable_bias(struct dl_phdr_info *info, size_t, void *arg)
{
	*static_cast<uintptr_t *>(arg) = info->dlpi_addr;
	return 1;
}

} // namespace

bool builtin_dut_object(dut_object *obj)
{
	const uintptr_t start = reinterpret_cast<uintptr_t>(__rs_dut_text_start);
	const uintptr_t end = reinterpret_cast<uintptr_t>(__rs_dut_text_end);
	uintptr_t bias = 0;
	char exe[PATH_MAX];

	if (!start || end <= start)
		return false;
	dl_iterate_phdr(executable_bias, &bias);
	const ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	obj->path = n > 0 ? std::string(exe, static_cast<size_t>(n)) : "/proc/self/exe";
	obj->bias = bias;
	obj->start = start;
	obj->end = end;
	return true;
}

std::vector<dut_object> dut_code_objects()
{
	std::vector<dut_object> out = dut_objects();
	dut_object builtin;

	if (builtin_dut_object(&builtin))
		out.push_back(builtin);
	return out;
}

bool dut_object_at(const void *pc, dut_object *obj)
{
	const uintptr_t a = reinterpret_cast<uintptr_t>(pc);

	for (const dut_object &o : dut_code_objects())
		if (a >= o.start && a < o.end) {
			*obj = o;
			return true;
		}
	return false;
}

void set_dut_coverage(bool on)
{
	coverage_builds = on;
}

int dump_dut_coverage(const std::string &dir, const std::vector<std::string> &kinds,
		      std::string &err)
{
	namespace fs = std::filesystem;
	int dumped = 0;

	for (const auto &[key, path] : built_objects()) {
		const std::string kind = key.substr(0, key.find('='));
		auto opened = opened_objects().find(path);
		if (opened == opened_objects().end() ||
		    std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
			continue;
		void *handle = opened->second;
		auto dump = reinterpret_cast<void (*)(void)>(dlsym(handle, "rs_dut_coverage_dump"));
		if (!dump)
			continue;
		const fs::path entry = fs::path(path).parent_path();
		const fs::path to = fs::path(dir) / entry.filename();
		std::error_code ec;

		fs::create_directories(to, ec);
		if (ec) {
			err = to.string() + ": " + ec.message();
			return -1;
		}
		// gcov writes each object file's counters to GCOV_PREFIX/BASENAME.gcda (every
		// directory of the object's own path stripped): beside its notes, copied below.
		setenv("GCOV_PREFIX", to.c_str(), 1);
		setenv("GCOV_PREFIX_STRIP", "4096", 1);
		dump();
		unsetenv("GCOV_PREFIX");
		unsetenv("GCOV_PREFIX_STRIP");
		for (const fs::directory_entry &e : fs::directory_iterator(entry / "obj", ec))
			if (e.path().extension() == ".gcno")
				fs::copy_file(e.path(), to / e.path().filename(),
					      fs::copy_options::overwrite_existing, ec);
		for (const char *name : { "origin.txt", "sources.txt" })
			if (!ec)
				fs::copy_file(entry / name, to / name,
					      fs::copy_options::overwrite_existing, ec);
		if (ec) {
			err = to.string() + ": " + ec.message();
			return -1;
		}
		dumped++;
	}
	return dumped;
}

} // namespace rs_engine
