// SPDX-License-Identifier: GPL-2.0-only
#include "virtqueue/p9_fs.h"

#include <cstdio>
#include <set>

namespace p9srv {

namespace {

// qid paths: the node kind in the top byte keeps every node's path unique (QEMU uses the
// host inode number; only uniqueness matters to the client).
uint64_t qid_path(node n)
{
	return static_cast<uint64_t>(n.kind) << 56 | static_cast<uint64_t>(n.idx) << 24 | n.sub;
}

std::string entry_name(uint32_t i)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "e%07u", static_cast<unsigned>(i));
	return buf;
}

// Return: true when @name is "e" and 7 digits naming an entry below @n; its index in @i.
bool parse_entry(const std::string &name, uint32_t n, uint32_t *i)
{
	if (name.size() != 8 || name[0] != 'e')
		return false;
	uint32_t v = 0;
	for (size_t k = 1; k < 8; k++) {
		if (name[k] < '0' || name[k] > '9')
			return false;
		v = v * 10 + static_cast<uint32_t>(name[k] - '0');
	}
	if (v >= n)
		return false;
	*i = v;
	return true;
}

std::string check_name(const std::string &name)
{
	if (name.empty())
		return "empty name";
	if (name.size() > MAX_NAME)
		return "name longer than 255 bytes: " + name.substr(0, 32) + "...";
	if (name.find('/') != std::string::npos)
		return "name contains '/': " + name;
	if (name == "." || name == "..")
		return "name \"" + name + "\" is reserved";
	return "";
}

} // namespace

fs_tree::fs_tree(const std::vector<file_spec> &files, const std::vector<dir_spec> &dirs)
	: m_files(files), m_dirs(dirs)
{
	for (size_t i = 0; i < m_files.size(); i++)
		m_root_names[m_files[i].name] = node{node_kind::file, static_cast<uint32_t>(i), 0};
	for (size_t i = 0; i < m_dirs.size(); i++)
		m_root_names[m_dirs[i].name] = node{node_kind::dir, static_cast<uint32_t>(i), 0};
}

std::string fs_tree::check_tree(const std::vector<file_spec> &files,
				const std::vector<dir_spec> &dirs)
{
	std::set<std::string> seen;
	std::string why;

	for (const file_spec &f : files) {
		if (!(why = check_name(f.name)).empty())
			return "file: " + why;
		if (!seen.insert(f.name).second)
			return "name used twice: " + f.name;
	}
	for (const dir_spec &d : dirs) {
		if (!(why = check_name(d.name)).empty())
			return "directory: " + why;
		if (!seen.insert(d.name).second)
			return "name used twice: " + d.name;
		if (d.entries > MAX_DIR_ENTRIES)
			return "directory " + d.name + ": more than 10000000 entries";
	}
	// Every index must fit the 24 bits qid_path() gives it.
	if (files.size() >= (1u << 24) || dirs.size() >= (1u << 24))
		return "more than 16777215 files or directories";
	return "";
}

qid fs_tree::qid_of(node n) const
{
	qid q;
	q.type = is_dir(n) ? P9_QTDIR : P9_QTFILE;
	q.version = 0;
	q.path = qid_path(n);
	return q;
}

uint32_t fs_tree::lookup(node dir, const std::string &name, node *out) const
{
	if (!is_dir(dir))
		return P9_ENOTDIR;
	if (name == ".") {
		*out = dir;
		return 0;
	}
	if (name == "..") {
		*out = root();
		return 0;
	}
	if (dir.kind == node_kind::root) {
		auto it = m_root_names.find(name);
		if (it == m_root_names.end())
			return P9_ENOENT;
		*out = it->second;
		return 0;
	}
	uint32_t i;
	if (!parse_entry(name, m_dirs[dir.idx].entries, &i))
		return P9_ENOENT;
	*out = node{node_kind::entry, dir.idx, i};
	return 0;
}

uint64_t fs_tree::size(node n) const
{
	return n.kind == node_kind::file ? m_files[n.idx].size : 0;
}

uint64_t fs_tree::stream(node n) const
{
	return n.kind == node_kind::file ? m_files[n.idx].stream : 0;
}

uint32_t fs_tree::mode(node n) const
{
	switch (n.kind) {
	case node_kind::file:
		return 0100644;
	case node_kind::entry:
		return 0100444;
	default:
		return 0040755;
	}
}

void fs_tree::extend(node n, uint64_t end)
{
	if (n.kind == node_kind::file && m_files[n.idx].size < end)
		m_files[n.idx].size = end;
}

void fs_tree::truncate(node n)
{
	if (n.kind == node_kind::file)
		m_files[n.idx].size = 0;
}

uint64_t fs_tree::nr_dirents(node dir) const
{
	uint64_t children = 0;
	if (dir.kind == node_kind::root)
		children = m_files.size() + m_dirs.size();
	else if (dir.kind == node_kind::dir)
		children = m_dirs[dir.idx].entries;
	else
		return 0;
	return 2 + children;
}

dirent_rec fs_tree::dirent(node dir, uint64_t i) const
{
	dirent_rec d;
	node n;

	if (i == 0) {
		n = dir;
		d.name = ".";
	} else if (i == 1) {
		n = root();
		d.name = "..";
	} else if (dir.kind == node_kind::root) {
		uint64_t c = i - 2;
		if (c < m_files.size()) {
			n = node{node_kind::file, static_cast<uint32_t>(c), 0};
			d.name = m_files[c].name;
		} else {
			c -= m_files.size();
			n = node{node_kind::dir, static_cast<uint32_t>(c), 0};
			d.name = m_dirs[c].name;
		}
	} else {
		n = node{node_kind::entry, dir.idx, static_cast<uint32_t>(i - 2)};
		d.name = entry_name(n.sub);
	}
	d.q = qid_of(n);
	d.type = is_dir(n) ? P9_DT_DIR : P9_DT_REG;
	d.next_offset = i + 1;
	return d;
}

} // namespace p9srv
