// SPDX-License-Identifier: GPL-2.0-only
#include "coverage/coverage.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct line_counts {
	long long count = 0;
	std::vector<long long> branches; // one per arc out of the line's blocks, gcov's order
};

struct function_counts {
	unsigned line = 0;
	long long count = 0;
};

struct file_counts {
	std::string path; // where the source was when it was compiled
	std::map<unsigned, line_counts> lines;
	std::map<std::string, function_counts> functions;
};

struct object_counts {
	std::string kind, spec;
	long long runs = 0;
	std::map<std::string, file_counts> files; // by name in the DUT tree: "guest/blk.c"
};

struct figure {
	long long hit = 0, total = 0;
};

struct object_figures {
	figure lines, branches, functions;
	std::vector<std::string> unreached; // "xen-blkfront.c:blkif_free", in source order
};

object_figures figures_of(const object_counts &o)
{
	object_figures f;

	for (const auto &[name, file] : o.files) {
		for (const auto &[n, l] : file.lines) {
			f.lines.total++;
			f.lines.hit += l.count > 0;
			for (long long b : l.branches) {
				f.branches.total++;
				f.branches.hit += b > 0;
			}
		}
		std::vector<std::pair<unsigned, std::string>> never;
		for (const auto &[fn, c] : file.functions) {
			f.functions.total++;
			if (c.count > 0)
				f.functions.hit++;
			else
				never.emplace_back(c.line, fn);
		}
		std::sort(never.begin(), never.end());
		for (const auto &[line, fn] : never)
			f.unreached.push_back(name + ":" + fn);
	}
	return f;
}

void add_line(line_counts &into, long long count, const std::vector<long long> &branches)
{
	into.count += count;
	if (into.branches.size() < branches.size())
		into.branches.resize(branches.size());
	for (size_t i = 0; i < branches.size(); i++)
		into.branches[i] += branches[i];
}

void add_function(file_counts &file, const std::string &name, unsigned line, long long count)
{
	function_counts &c = file.functions[name];

	c.line = line;
	c.count += count;
}

std::string read_text(const fs::path &p)
{
	std::ifstream in(p);
	std::stringstream ss;

	ss << in.rdbuf();
	return ss.str();
}

// origin.txt and sources.txt (sim/dutbuild): "key value" lines.
std::multimap<std::string, std::string> read_keyed(const fs::path &p)
{
	std::multimap<std::string, std::string> out;
	std::istringstream in(read_text(p));
	std::string line;

	while (std::getline(in, line)) {
		size_t sp = line.find(' ');
		if (sp != std::string::npos)
			out.emplace(line.substr(0, sp), line.substr(sp + 1));
	}
	return out;
}

// gcov --branch-probabilities --json-format --stdout FILES... run in @dir: one JSON document per line.
bool run_gcov(const std::string &gcov, const fs::path &dir, const std::vector<std::string> &gcda,
	      std::string &out, std::string &err)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC)) {
		err = std::string("pipe: ") + strerror(errno);
		return false;
	}
	pid_t pid = fork();
	if (pid < 0) {
		err = std::string("fork: ") + strerror(errno);
		close(fds[0]);
		close(fds[1]);
		return false;
	}
	if (pid == 0) {
		std::vector<char *> argv;
		int null = open("/dev/null", O_WRONLY);

		argv.push_back(const_cast<char *>(gcov.c_str()));
		argv.push_back(const_cast<char *>("--branch-probabilities"));
		argv.push_back(const_cast<char *>("--json-format"));
		argv.push_back(const_cast<char *>("--stdout"));
		for (const std::string &g : gcda)
			argv.push_back(const_cast<char *>(g.c_str()));
		argv.push_back(nullptr);
		if (chdir(dir.c_str()) || dup2(fds[1], STDOUT_FILENO) < 0 ||
		    (null >= 0 && dup2(null, STDERR_FILENO) < 0))
			_exit(127);
		execvp(argv[0], argv.data());
		_exit(127);
	}
	close(fds[1]);
	char buf[65536];
	ssize_t n;
	while ((n = read(fds[0], buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			out.append(buf, (size_t)n);
	close(fds[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		err = gcov + " failed in " + dir.string() +
		      (WIFEXITED(status) && WEXITSTATUS(status) == 127 ? " (not found)" : "");
		return false;
	}
	return true;
}

long long json_count(const json_t *v)
{
	return json_is_integer(v) ? (long long)json_integer_value(v) :
	       json_is_real(v) ? (long long)json_real_value(v) : 0;
}

} // namespace

struct rs_coverage {
	std::string tool;
	std::map<std::string, object_counts> objects; // by DUT object: its cache entry's hash
};

namespace {

// One gcov document (a translation unit) into @o: the files of the DUT tree, by their
// names in it; kshim's and the system's headers are not the DUT's.
void add_unit(object_counts &o, const json_t *doc, const std::string &root,
	      const std::map<std::string, std::string> &names)
{
	size_t i, j;
	json_t *file, *line, *fn, *br;
	const char *cwd = json_string_value(json_object_get(doc, "current_working_directory"));

	json_array_foreach(json_object_get(doc, "files"), i, file) {
		const char *p = json_string_value(json_object_get(file, "file"));
		if (!p)
			continue;
		// A relative name is the compiler's working directory's.
		const std::string path = (fs::path(cwd && *p != '/' ? cwd : "") / p)
			.lexically_normal().string();
		std::string name;
		auto it = names.find(path);
		if (it != names.end())
			name = it->second;
		else if (path.compare(0, root.size() + 1, root + "/") == 0 &&
			 fs::path(path).extension() == ".h")
			name = path.substr(root.size() + 1);
		else
			continue;
		file_counts &fc = o.files[name];
		if (fc.path.empty())
			fc.path = path;
		json_array_foreach(json_object_get(file, "lines"), j, line) {
			std::vector<long long> branches;
			size_t k;

			json_array_foreach(json_object_get(line, "branches"), k, br)
				branches.push_back(json_count(json_object_get(br, "count")));
			add_line(fc.lines[(unsigned)json_count(json_object_get(line, "line_number"))],
				 json_count(json_object_get(line, "count")), branches);
		}
		json_array_foreach(json_object_get(file, "functions"), j, fn) {
			const char *fname = json_string_value(json_object_get(fn, "demangled_name"));
			if (!fname)
				fname = json_string_value(json_object_get(fn, "name"));
			if (fname)
				add_function(fc, fname, (unsigned)json_count(json_object_get(fn, "start_line")),
					     json_count(json_object_get(fn, "execution_count")));
		}
	}
}

bool add_object_dir(rs_coverage &cov, const std::string &gcov, const fs::path &dir,
		    std::string &err)
{
	std::vector<std::string> gcda;
	std::error_code ec;

	auto origin = read_keyed(dir / "origin.txt");
	auto sources = read_keyed(dir / "sources.txt");
	if (!origin.count("kind") || !sources.count("root")) {
		err = dir.string() + ": no origin.txt or sources.txt beside the gcov data";
		return false;
	}
	object_counts &o = cov.objects[dir.filename().string()];
	o.kind = origin.find("kind")->second;
	o.spec = origin.count("spec") ? origin.find("spec")->second : "";
	o.runs++;
	const std::string root = fs::path(sources.find("root")->second).lexically_normal().string();
	// The driver's own files (not the glue, not the other kind's), by the path they were
	// compiled from, and their gcov data: "guest/blk.c" is obj/guest-blk.o's.
	std::map<std::string, std::string> names;
	auto range = sources.equal_range("driver");
	for (auto it = range.first; it != range.second; ++it) {
		size_t sp = it->second.find(' ');
		if (sp == std::string::npos)
			continue;
		std::string name = it->second.substr(0, sp), data = name;

		std::replace(data.begin(), data.end(), '/', '-');
		data = data.substr(0, data.size() - 2) + ".gcda";
		names[fs::path(it->second.substr(sp + 1)).lexically_normal().string()] = name;
		if (fs::exists(dir / data, ec))
			gcda.push_back(data);
	}
	if (gcda.empty())
		return true;
	std::string out;
	if (!run_gcov(gcov, dir, gcda, out, err))
		return false;
	std::istringstream in(out);
	std::string doc_text;
	while (std::getline(in, doc_text)) {
		if (doc_text.empty())
			continue;
		json_error_t jerr;
		json_t *doc = json_loads(doc_text.c_str(), 0, &jerr);
		if (!doc) {
			err = gcov + "'s output in " + dir.string() + " does not parse: " + jerr.text;
			return false;
		}
		if (const char *v = json_string_value(json_object_get(doc, "gcc_version")))
			cov.tool = std::string("gcov ") + v;
		add_unit(o, doc, root, names);
		json_decref(doc);
	}
	return true;
}

json_t *figure_json(const figure &f)
{
	return json_pack("{s:I, s:I, s:f}", "hit", (json_int_t)f.hit, "total", (json_int_t)f.total,
			 "percent", f.total ? 100.0 * (double)f.hit / (double)f.total : 0.0);
}

std::string label(const object_counts &o)
{
	return o.kind + " " + o.spec;
}

} // namespace

extern "C" struct rs_coverage *rs_coverage_new(void)
{
	return new (std::nothrow) rs_coverage;
}

extern "C" void rs_coverage_free(struct rs_coverage *cov)
{
	delete cov;
}

extern "C" int rs_coverage_empty(const struct rs_coverage *cov)
{
	return cov->objects.empty();
}

extern "C" int rs_coverage_gcov(const char *compiler, char *gcov, size_t size, char *err,
				size_t err_size)
{
	const fs::path cc(compiler);
	std::string base = cc.filename().string();
	size_t at = base.rfind("gcc");

	if (base == "cc" || base == "c99")
		base = "gcov";
	else if (at != std::string::npos)
		base.replace(at, 3, "gcov");
	else {
		snprintf(err, err_size, "--dut-coverage reads gcov data; DUTs here are built with "
			 "%s, which is not gcc (llvm-cov is not supported)", compiler);
		return -1;
	}
	snprintf(gcov, size, "%s", (cc.has_parent_path() ? (cc.parent_path() / base) :
				    fs::path(base)).c_str());
	return 0;
}

extern "C" int rs_coverage_add_gcov(struct rs_coverage *cov, const char *gcov, const char *dir,
				    char *err, size_t size)
{
	std::error_code ec;
	std::vector<fs::path> dirs;
	std::string why;

	try {
		for (const fs::directory_entry &e : fs::directory_iterator(dir, ec))
			if (e.is_directory())
				dirs.push_back(e.path());
		std::sort(dirs.begin(), dirs.end());
		for (const fs::path &d : dirs)
			if (!add_object_dir(*cov, gcov, d, why)) {
				snprintf(err, size, "%s", why.c_str());
				return -1;
			}
	} catch (const std::exception &e) {
		snprintf(err, size, "%s: %s", dir, e.what());
		return -1;
	}
	if (ec) {
		snprintf(err, size, "%s: %s", dir, ec.message().c_str());
		return -1;
	}
	return 0;
}

extern "C" int rs_coverage_add_file(struct rs_coverage *cov, const char *path, char *err,
				    size_t size)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr), *obj, *file, *v, *fn;
	size_t i, j, k;

	if (!doc) {
		snprintf(err, size, "%s:%d: %s", path, jerr.line, jerr.text);
		return -1;
	}
	if (const char *t = json_string_value(json_object_get(doc, "tool")))
		cov->tool = t;
	json_array_foreach(json_object_get(doc, "objects"), i, obj) {
		const char *id = json_string_value(json_object_get(obj, "id"));
		if (!id)
			continue;
		object_counts &o = cov->objects[id];
		o.kind = json_string_value(json_object_get(obj, "kind")) ?: "";
		o.spec = json_string_value(json_object_get(obj, "spec")) ?: "";
		o.runs += json_count(json_object_get(obj, "runs"));
		json_array_foreach(json_object_get(obj, "files"), j, file) {
			const char *name = json_string_value(json_object_get(file, "file"));
			if (!name)
				continue;
			file_counts &fc = o.files[name];
			if (fc.path.empty() && json_string_value(json_object_get(file, "path")))
				fc.path = json_string_value(json_object_get(file, "path"));
			json_array_foreach(json_object_get(file, "lines"), k, v) {
				std::vector<long long> branches;
				size_t b;
				json_t *c;

				json_array_foreach(json_array_get(v, 2), b, c)
					branches.push_back(json_count(c));
				add_line(fc.lines[(unsigned)json_count(json_array_get(v, 0))],
					 json_count(json_array_get(v, 1)), branches);
			}
			json_array_foreach(json_object_get(file, "functions"), k, fn)
				if (json_string_value(json_object_get(fn, "name")))
					add_function(fc, json_string_value(json_object_get(fn, "name")),
						     (unsigned)json_count(json_object_get(fn, "line")),
						     json_count(json_object_get(fn, "count")));
		}
	}
	json_decref(doc);
	return 0;
}

extern "C" json_t *rs_coverage_summary(const struct rs_coverage *cov)
{
	json_t *sum = json_object();

	for (const auto &[id, o] : cov->objects) {
		object_figures f = figures_of(o);
		json_t *never = json_array();

		for (const std::string &u : f.unreached)
			json_array_append_new(never, json_string(u.c_str()));
		json_object_set_new(sum, label(o).c_str(), json_pack("{s:s, s:s, s:s, s:I, s:o, s:o, s:o, s:o}",
			"kind", o.kind.c_str(), "spec", o.spec.c_str(), "object", id.c_str(),
			"runs", (json_int_t)o.runs, "lines", figure_json(f.lines),
			"branches", figure_json(f.branches), "functions", figure_json(f.functions),
			"never_reached", never));
	}
	return sum;
}

namespace {

json_t *object_json(const std::string &id, const object_counts &o)
{
	json_t *files = json_array();

	for (const auto &[name, fc] : o.files) {
		json_t *lines = json_array(), *functions = json_array();

		for (const auto &[n, l] : fc.lines) {
			json_t *br = json_array();
			for (long long b : l.branches)
				json_array_append_new(br, json_integer(b));
			json_array_append_new(lines, json_pack("[I, I, o]", (json_int_t)n,
							       (json_int_t)l.count, br));
		}
		for (const auto &[fn, c] : fc.functions)
			json_array_append_new(functions, json_pack("{s:s, s:I, s:I}", "name",
				fn.c_str(), "line", (json_int_t)c.line, "count", (json_int_t)c.count));
		json_array_append_new(files, json_pack("{s:s, s:s, s:o, s:o}", "file", name.c_str(),
			"path", fc.path.c_str(), "lines", lines, "functions", functions));
	}
	return json_pack("{s:s, s:s, s:s, s:I, s:o}", "id", id.c_str(), "kind", o.kind.c_str(),
			 "spec", o.spec.c_str(), "runs", (json_int_t)o.runs, "files", files);
}

// An lcov test name: letters, digits and '_' only.
std::string test_name(const object_counts &o)
{
	std::string t = label(o);

	for (char &c : t)
		if (!isalnum((unsigned char)c))
			c = '_';
	return t;
}

void write_lcov(const rs_coverage &cov, std::ostream &out)
{
	for (const auto &[id, o] : cov.objects) {
		out << "TN:" << test_name(o) << "\n";
		for (const auto &[name, fc] : o.files) {
			long long fh = 0, lh = 0, bf = 0, bh = 0;

			out << "SF:" << fc.path << "\n";
			for (const auto &[fn, c] : fc.functions)
				out << "FN:" << c.line << "," << fn << "\n";
			for (const auto &[fn, c] : fc.functions) {
				out << "FNDA:" << c.count << "," << fn << "\n";
				fh += c.count > 0;
			}
			out << "FNF:" << fc.functions.size() << "\nFNH:" << fh << "\n";
			for (const auto &[n, l] : fc.lines)
				for (size_t b = 0; b < l.branches.size(); b++) {
					out << "BRDA:" << n << ",0," << b << ",";
					if (l.count > 0)
						out << l.branches[b];
					else
						out << "-";
					out << "\n";
					bf++;
					bh += l.branches[b] > 0;
				}
			out << "BRF:" << bf << "\nBRH:" << bh << "\n";
			for (const auto &[n, l] : fc.lines) {
				out << "DA:" << n << "," << l.count << "\n";
				lh += l.count > 0;
			}
			out << "LF:" << fc.lines.size() << "\nLH:" << lh << "\nend_of_record\n";
		}
	}
}

} // namespace

extern "C" int rs_coverage_write(const struct rs_coverage *cov, const char *dir, char *err,
				 size_t size)
{
	json_t *objects = json_array();

	for (const auto &[id, o] : cov->objects)
		json_array_append_new(objects, object_json(id, o));
	json_t *doc = json_pack("{s:s, s:s, s:o, s:o}", "format", "ringsim-dut-coverage/1",
				"tool", cov->tool.c_str(), "summary", rs_coverage_summary(cov),
				"objects", objects);
	const std::string json_path = std::string(dir) + "/coverage.json";
	const std::string lcov_path = std::string(dir) + "/lcov.info";
	int rc = json_dump_file(doc, json_path.c_str(), JSON_COMPACT);

	json_decref(doc);
	if (rc) {
		snprintf(err, size, "%s: cannot write", json_path.c_str());
		return -1;
	}
	std::ofstream lcov(lcov_path);
	write_lcov(*cov, lcov);
	lcov.close();
	if (!lcov) {
		snprintf(err, size, "%s: cannot write", lcov_path.c_str());
		return -1;
	}
	return 0;
}

extern "C" struct rs_coverage *rs_coverage_merge_runs(const char *dir, char *const *runs,
						      size_t n, char *err, size_t size)
{
	rs_coverage *cov = rs_coverage_new();
	const fs::path out = fs::path(dir) / "dut-coverage";
	std::error_code ec;

	if (!cov) {
		snprintf(err, size, "out of memory");
		return nullptr;
	}
	for (size_t i = 0; i < n; i++) {
		const fs::path one = fs::path(runs[i]) / "dut-coverage" / "coverage.json";

		if (fs::exists(one, ec) && rs_coverage_add_file(cov, one.c_str(), err, size)) {
			rs_coverage_free(cov);
			return nullptr;
		}
	}
	fs::create_directories(out, ec);
	if (ec) {
		snprintf(err, size, "%s: %s", out.c_str(), ec.message().c_str());
	} else if (!rs_coverage_write(cov, out.c_str(), err, size)) {
		return cov;
	}
	rs_coverage_free(cov);
	return nullptr;
}

namespace {

void print_figure(FILE *out, const char *what, const figure &f)
{
	fprintf(out, "%s %.1f%% (%lld/%lld)", what,
		f.total ? 100.0 * (double)f.hit / (double)f.total : 0.0, f.hit, f.total);
}

} // namespace

extern "C" void rs_coverage_print(const struct rs_coverage *cov, FILE *out, size_t max_unreached)
{
	for (const auto &[id, o] : cov->objects) {
		object_figures f = figures_of(o);

		fprintf(out, "dut coverage: %s: ", label(o).c_str());
		print_figure(out, "lines", f.lines);
		fputs(", ", out);
		print_figure(out, "branches", f.branches);
		fprintf(out, ", functions %lld of %lld reached\n", f.functions.hit,
			f.functions.total);
		if (f.unreached.empty())
			continue;
		fprintf(out, "  never reached (%zu):", f.unreached.size());
		for (size_t i = 0; i < f.unreached.size() && i < max_unreached; i++)
			fprintf(out, " %s", f.unreached[i].c_str());
		if (f.unreached.size() > max_unreached)
			fprintf(out, " and %zu more", f.unreached.size() - max_unreached);
		fputc('\n', out);
	}
}
