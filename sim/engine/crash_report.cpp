// SPDX-License-Identifier: GPL-2.0-only
#include "engine/crash_report.h"

#include <cxxabi.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <map>
#include <string>
#include <vector>

#include "devices/dut_loader.h"

extern char **environ;

namespace rs_engine {

namespace {

// A raw frame, placed: the object holding it and the offset addr2line wants.
struct located {
	std::string object;
	uint64_t offset = 0;
	bool in_dut = false;
};

// What addr2line says of one offset: the innermost inlined function first.
struct source_line {
	std::string function, file;
	unsigned line = 0;
};

struct find_object {
	uintptr_t addr;
	std::string name;
	uintptr_t bias;
	bool found;
};

int containing(struct dl_phdr_info *info, size_t, void *arg)
{
	auto *q = static_cast<find_object *>(arg);

	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) &ph = info->dlpi_phdr[i];
		const uintptr_t start = info->dlpi_addr + ph.p_vaddr;

		if (ph.p_type == PT_LOAD && q->addr >= start && q->addr < start + ph.p_memsz) {
			q->name = info->dlpi_name ? info->dlpi_name : "";
			q->bias = info->dlpi_addr;
			q->found = true;
			return 1;
		}
	}
	return 0;
}

std::string self_exe()
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "/proc/self/exe";
}

// @lookup: the address whose source line is wanted (a caller's return address - 1).
located locate(uintptr_t lookup)
{
	dut_object dut;
	find_object q{ lookup, "", 0, false };
	located l;

	if (dut_object_at(reinterpret_cast<const void *>(lookup), &dut)) {
		l.object = dut.path;
		l.offset = lookup - dut.bias;
		l.in_dut = true;
		return l;
	}
	dl_iterate_phdr(containing, &q);
	if (!q.found) {
		l.offset = lookup;
		return l;
	}
	l.object = q.name.empty() ? self_exe() : q.name; // "" is the executable
	l.offset = lookup - q.bias;
	return l;
}

// addr2line's output for @offsets in @object, or nothing when it cannot run.
std::string run_addr2line(const std::string &object, const std::vector<uint64_t> &offsets)
{
	std::vector<std::string> args = { "addr2line", "-a", "-f", "-C", "-i", "-e", object };
	std::vector<char *> argv;
	posix_spawn_file_actions_t fa;
	std::string out;
	int pipefd[2];
	pid_t pid;
	char buf[4096];
	ssize_t n;
	int status;

	for (uint64_t off : offsets) {
		snprintf(buf, sizeof(buf), "0x%" PRIx64, off);
		args.push_back(buf);
	}
	for (std::string &a : args)
		argv.push_back(&a[0]);
	argv.push_back(nullptr);
	if (pipe2(pipefd, O_CLOEXEC))
		return out;
	if (posix_spawn_file_actions_init(&fa)) {
		close(pipefd[0]);
		close(pipefd[1]);
		return out;
	}
	int rc = posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO) ||
		 posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0) ||
		 posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	if (!rc)
		rc = posix_spawnp(&pid, "addr2line", &fa, nullptr, argv.data(), environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (rc) {
		close(pipefd[0]);
		return out;
	}
	while ((n = read(pipefd[0], buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			out.append(buf, static_cast<size_t>(n));
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? out : std::string();
}

// "0x0000000000001139\nfn\n/x.c:5\ncaller\n/x.c:9\n0x...": per address, its inline chain.
std::vector<std::vector<source_line>> parse_addr2line(const std::string &text, size_t n)
{
	std::vector<std::vector<source_line>> per(n);
	size_t at = 0, i = 0;
	bool first = true;

	while (at < text.size()) {
		size_t eol = text.find('\n', at);
		std::string line = text.substr(at, eol == std::string::npos ? eol : eol - at);

		at = eol == std::string::npos ? text.size() : eol + 1;
		if (line.size() > 2 && line.compare(0, 2, "0x") == 0 &&
		    line.find_first_not_of("0123456789abcdef", 2) == std::string::npos) {
			i += first ? 0 : 1;
			first = false;
			continue;
		}
		if (first || i >= n)
			break;
		// a function, then its FILE:LINE (maybe " (discriminator N)")
		source_line s;
		s.function = line == "??" ? "" : line;
		eol = text.find('\n', at);
		std::string where = text.substr(at, eol == std::string::npos ? eol : eol - at);
		at = eol == std::string::npos ? text.size() : eol + 1;
		size_t paren = where.find(" (");
		if (paren != std::string::npos)
			where.erase(paren);
		size_t colon = where.rfind(':');
		if (colon != std::string::npos && where.compare(0, colon, "??") != 0) {
			s.file = where.substr(0, colon);
			s.line = static_cast<unsigned>(strtoul(where.c_str() + colon + 1, nullptr, 10));
		}
		per[i].push_back(s);
	}
	return per;
}

// The dynamic symbol holding @addr, demangled, or "".
std::string symbol_of(uintptr_t addr)
{
	Dl_info info;
	int status = 0;

	if (!dladdr(reinterpret_cast<void *>(addr), &info) || !info.dli_sname)
		return "";
	char *plain = abi::__cxa_demangle(info.dli_sname, nullptr, nullptr, &status);
	std::string name = status == 0 && plain ? plain : info.dli_sname;
	free(plain);
	return name;
}

void copy(char *to, size_t size, const std::string &from)
{
	snprintf(to, size, "%s", from.c_str());
}

const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

const char *signal_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGFPE: return "SIGFPE";
	case SIGILL: return "SIGILL";
	default: return "signal";
	}
}

// si_code by its <signal.h> name, and what it means where si_addr says nothing of use (for
// SIGFPE and SIGILL it is the instruction's own address).
struct code_info {
	int sig, code;
	const char *name, *meaning;
};

const code_info k_codes[] = {
	{ SIGSEGV, SEGV_MAPERR, "SEGV_MAPERR", "address not mapped" },
	{ SIGSEGV, SEGV_ACCERR, "SEGV_ACCERR", "no access to the address" },
	{ SIGBUS, BUS_ADRALN, "BUS_ADRALN", "misaligned address" },
	{ SIGBUS, BUS_ADRERR, "BUS_ADRERR", "nonexistent physical address" },
	{ SIGBUS, BUS_OBJERR, "BUS_OBJERR", "object-specific hardware error" },
	{ SIGFPE, FPE_INTDIV, "FPE_INTDIV", "integer divide by zero" },
	{ SIGFPE, FPE_INTOVF, "FPE_INTOVF", "integer overflow" },
	{ SIGFPE, FPE_FLTDIV, "FPE_FLTDIV", "floating-point divide by zero" },
	{ SIGFPE, FPE_FLTOVF, "FPE_FLTOVF", "floating-point overflow" },
	{ SIGFPE, FPE_FLTUND, "FPE_FLTUND", "floating-point underflow" },
	{ SIGFPE, FPE_FLTRES, "FPE_FLTRES", "floating-point inexact result" },
	{ SIGFPE, FPE_FLTINV, "FPE_FLTINV", "invalid floating-point operation" },
	{ SIGFPE, FPE_FLTSUB, "FPE_FLTSUB", "subscript out of range" },
	{ SIGILL, ILL_ILLOPC, "ILL_ILLOPC", "illegal opcode" },
	{ SIGILL, ILL_ILLOPN, "ILL_ILLOPN", "illegal operand (a trap the compiler put there)" },
	{ SIGILL, ILL_ILLADR, "ILL_ILLADR", "illegal addressing mode" },
	{ SIGILL, ILL_ILLTRP, "ILL_ILLTRP", "illegal trap" },
	{ SIGILL, ILL_PRVOPC, "ILL_PRVOPC", "privileged opcode" },
	{ SIGILL, ILL_PRVREG, "ILL_PRVREG", "privileged register" },
	{ SIGILL, ILL_COPROC, "ILL_COPROC", "coprocessor error" },
	{ SIGILL, ILL_BADSTK, "ILL_BADSTK", "internal stack error" },
};

const code_info *code_of(int sig, int code)
{
	for (const code_info &c : k_codes)
		if (c.sig == sig && c.code == code)
			return &c;
	return nullptr;
}

bool is_header(const char *file)
{
	size_t n = strlen(file);

	return n > 2 && !strcmp(file + n - 2, ".h");
}

// The frame a finding cites: the innermost in a DUT object, but past the kernel API's static
// inlines (sg_set_page of linux/scatterlist.h inlined into the DUT's pack_sg_list_p) to the
// DUT's own source, when there is such a frame.
int cited_frame(const rs_crash &c)
{
	int first = -1;

	for (size_t i = 0; i < c.n_frames; i++) {
		if (!c.frames[i].in_dut)
			continue;
		if (first < 0)
			first = static_cast<int>(i);
		if (!is_header(c.frames[i].file))
			return static_cast<int>(i);
	}
	return first;
}

} // namespace

void crash_report(const rs_kshim::crash_record &r, rs_recorder *rec, rs_crash *out)
{
	std::vector<located> where;
	std::map<std::string, std::vector<size_t>> by_object;

	*out = rs_crash{};
	out->signal = r.signo;
	out->signal_name = signal_name(r.signo);
	const code_info *ci = code_of(r.signo, r.code);
	out->code_name = ci ? ci->name : "";
	out->address = r.addr;
	out->stack_overflow = r.stack_overflow;
	out->cycle = r.cycle;
	out->request = r.request;
	out->later = r.later;
	copy(out->thread, sizeof(out->thread), r.thread);

	for (int i = 0; i < r.n_frames; i++) {
		// A caller's return address is the instruction after its call: look the call up.
		const uintptr_t a = reinterpret_cast<uintptr_t>(r.frames[i]) - (i ? 1 : 0);

		where.push_back(locate(a));
		if (!where.back().object.empty())
			by_object[where.back().object].push_back(static_cast<size_t>(i));
	}
	std::vector<std::vector<source_line>> lines(where.size());
	for (const auto &o : by_object) {
		std::vector<uint64_t> offsets;

		for (size_t i : o.second)
			offsets.push_back(where[i].offset);
		auto parsed = parse_addr2line(run_addr2line(o.first, offsets), offsets.size());
		for (size_t k = 0; k < o.second.size(); k++)
			lines[o.second[k]] = parsed[k];
	}
	for (size_t i = 0; i < where.size() && out->n_frames < RS_CRASH_FRAMES; i++) {
		std::vector<source_line> chain = lines[i];

		if (chain.empty())
			chain.push_back(source_line());
		for (source_line &s : chain) {
			if (out->n_frames == RS_CRASH_FRAMES)
				break;
			rs_crash_frame &f = out->frames[out->n_frames];

			if (s.function.empty())
				s.function = symbol_of(reinterpret_cast<uintptr_t>(r.frames[i]) -
						       (i ? 1 : 0));
			copy(f.function, sizeof(f.function), s.function);
			copy(f.file, sizeof(f.file), s.file);
			f.line = s.line;
			copy(f.object, sizeof(f.object), where[i].object);
			f.offset = where[i].offset;
			f.in_dut = where[i].in_dut;
			out->n_frames++;
		}
	}
	out->dut_frame = cited_frame(*out);

	// The finding: "SIGSEGV (address 0x0) in blkif_queue_rw_req" at "xen-blkfront.c:123".
	const rs_crash_frame *f = out->dut_frame >= 0 ? &out->frames[out->dut_frame] : nullptr;
	std::string detail = out->signal_name, at = "DUT";
	char num[32];

	if (r.stack_overflow) {
		detail += " (stack overflow)";
	} else if ((r.signo == SIGFPE || r.signo == SIGILL) && ci) {
		detail += std::string(" (") + ci->meaning + ")";
	} else {
		snprintf(num, sizeof(num), "0x%" PRIxPTR, r.addr);
		detail += std::string(" (address ") + num + ")";
	}
	if (f && f->file[0]) {
		at = std::string(base_name(f->file)) + ":" + std::to_string(f->line);
	} else if (f) {
		snprintf(num, sizeof(num), "+0x%" PRIx64, f->offset);
		at = base_name(f->object) + std::string(num);
	}
	if (f)
		detail += std::string(" in ") + (f->function[0] ? f->function : at.c_str());
	rs_recorder_finding(rec, RS_FINDING_BUG, "dut_crash", at.c_str(), detail.c_str(), r.cycle,
			    r.request);
}

} // namespace rs_engine
