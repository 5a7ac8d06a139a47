// SPDX-License-Identifier: GPL-2.0-only
// The file tree behind the 9P server: the attach root, holding a configured set of regular
// files (size and content stream; byte o of a file is rs_models::content_byte(stream, o)) and
// of directories, each with a configured number of empty read-only entries. Only sizes are
// kept; contents are the content model, so a file of any size costs nothing.
#ifndef RS_VIRTQUEUE_P9_FS_H
#define RS_VIRTQUEUE_P9_FS_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "virtqueue/p9_proto.h"

namespace p9srv {

// A regular file in the root directory.
struct file_spec {
	std::string name;
	uint64_t size = 0;   // bytes at attach time; Twrite past the end extends it
	uint64_t stream = 0; // content stream of its bytes
};

// A directory in the root directory, listing @entries empty read-only files named
// "e0000000", "e0000001", ... (8 characters, so each Rreaddir entry is 24 + 8 = 32 bytes).
struct dir_spec {
	std::string name;
	uint32_t entries = 0; // at most MAX_DIR_ENTRIES
};

// Entry names have 7 decimal digits.
constexpr uint32_t MAX_DIR_ENTRIES = 10000000;
// Longest file or directory name (Linux NAME_MAX).
constexpr size_t MAX_NAME = 255;

enum class node_kind : uint8_t { root, file, dir, entry };

// A node of the tree: the root, file @idx, directory @idx, or entry @sub of directory @idx.
struct node {
	node_kind kind = node_kind::root;
	uint32_t idx = 0;
	uint32_t sub = 0;
};

// One directory entry as Rreaddir carries it.
struct dirent_rec {
	qid q;
	uint64_t next_offset = 0; // the cookie that resumes the listing after this entry
	uint8_t type = 0;         // P9_DT_*
	std::string name;
	uint32_t wire_size() const { return P9_DIRENT_FIXED + static_cast<uint32_t>(name.size()); }
};

class fs_tree {
public:
	/**
	 * fs_tree() - build the tree
	 * @files: regular files of the root, in listing order
	 * @dirs: directories of the root, listed after the files
	 *
	 * Context: any. Names must be valid and unique (check_tree()); the tree trusts them.
	 */
	fs_tree(const std::vector<file_spec> &files, const std::vector<dir_spec> &dirs);

	/**
	 * check_tree() - Return: "" when @files and @dirs make a valid tree, else why not:
	 * names empty, longer than MAX_NAME, containing '/', "." or "..", or repeated; a
	 * directory with more than MAX_DIR_ENTRIES entries.
	 */
	static std::string check_tree(const std::vector<file_spec> &files,
				      const std::vector<dir_spec> &dirs);

	static node root() { return node(); }
	static bool is_dir(node n) { return n.kind == node_kind::root || n.kind == node_kind::dir; }
	qid qid_of(node n) const;

	/**
	 * lookup() - one step of a walk
	 * @dir: where to look (any node: a non-directory gives ENOTDIR)
	 * @name: one path element; "." stays, ".." goes up (the root is its own parent)
	 * @out: the node found
	 *
	 * Return: 0, P9_ENOTDIR or P9_ENOENT.
	 */
	uint32_t lookup(node dir, const std::string &name, node *out) const;

	// Files and entries; 0 for directories.
	uint64_t size(node n) const;
	// Content stream of a file (0 for anything else).
	uint64_t stream(node n) const;
	// Files can be written; directories and entries cannot.
	bool writable(node n) const { return n.kind == node_kind::file; }
	// POSIX mode: S_IFREG|0644 files, S_IFREG|0444 entries, S_IFDIR|0755 directories.
	uint32_t mode(node n) const;

	// Grow file @n to at least @end bytes (a write past the end).
	void extend(node n, uint64_t end);
	// Cut file @n to 0 bytes (Tlopen with O_TRUNC).
	void truncate(node n);

	// Entries a listing of directory @dir holds: ".", "..", then its children.
	uint64_t nr_dirents(node dir) const;
	// Entry @i (< nr_dirents()) of directory @dir; its next_offset is i + 1.
	dirent_rec dirent(node dir, uint64_t i) const;

	// Current size of file number @idx (in the order given to the constructor).
	uint64_t file_size(uint32_t idx) const { return m_files.at(idx).size; }

private:
	std::vector<file_spec> m_files;
	std::vector<dir_spec> m_dirs;
	std::map<std::string, node> m_root_names;
};

} // namespace p9srv

#endif
