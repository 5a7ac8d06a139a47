// SPDX-License-Identifier: GPL-2.0-only
// One user process's memory: anonymous VMAs faulted in a page at a time, a page table from
// virtual page to frame, and get_user_pages_fast() with the kernel's partial-pin semantics,
// which is where the zero-copy 9p path and direct block I/O get their pages.
#ifndef RS_GUEST_MM_ADDRESS_SPACE_H
#define RS_GUEST_MM_ADDRESS_SPACE_H

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "guest_mm/mem_map.h"

namespace gmm {

class address_space {
public:
	// First user mapping: 0x10000000, clear of the NULL page and of a typical program's
	// text and heap (the model has neither).
	static constexpr uint64_t USER_BASE = 0x10000000ull;

	/**
	 * address_space() - an empty process
	 * @pages: where its pages come from and go back to
	 * @owner: request id charged for its pages, -1 for none (a process is not a request)
	 */
	explicit address_space(mem_map &pages, int64_t owner = -1);
	address_space(const address_space &) = delete;
	address_space &operator=(const address_space &) = delete;

	/**
	 * mmap() - reserve an anonymous, read-write mapping
	 * @len: bytes, rounded up to whole pages
	 *
	 * No page is allocated until first touched. Mappings go up from USER_BASE with one
	 * unmapped guard page after each.
	 * Return: the page-aligned start, or 0 when @len is 0.
	 */
	uint64_t mmap(size_t len);

	/**
	 * munmap() - remove the mapping that starts at @va
	 * @va: what mmap() returned
	 *
	 * Drops the mapping's reference on every present page. A page still pinned keeps its
	 * pin's reference and stays allocated until the last put_page(), as in the kernel.
	 * Return: 0, or -EINVAL when no mapping starts at @va.
	 */
	int munmap(uint64_t va);

	/**
	 * exit_mmap() - remove every mapping, as at process exit
	 */
	void exit_mmap();

	/**
	 * get_user_pages_fast() - fault in and pin user pages
	 * @va: user address; rounded down to its page
	 * @nr_pages: pages wanted
	 * @write: non-zero when the device will write the pages (recorded, no copy-on-write here)
	 * @pfns: receives one frame per pinned page
	 * @request: request holding the pins, recorded as the pages' owner; -1 for none
	 *
	 * Walks page by page; stops at the first address that is not mapped (the end of the
	 * VMA) or whose fault fails. Each pinned page gets refcount + 1 and pincount + 1.
	 * Return: pages pinned (fewer than @nr_pages on a partial pin, 0 when @nr_pages <= 0),
	 * -EFAULT when @va is not mapped at all, -ENOMEM when the first page's fault fails.
	 * Context: any; the caller charges the cost.
	 */
	long get_user_pages_fast(uint64_t va, long nr_pages, int write, uint64_t *pfns,
				 int64_t request = -1);

	/**
	 * put_page() - release a page from get_user_pages_fast(): one reference and one pin
	 * @pfn: frame
	 *
	 * A page whose last reference goes (already unmapped) is freed.
	 * Return: 0, or -EINVAL (reported as "bad_put_page") for a free or unknown frame.
	 */
	int put_page(uint64_t pfn) { return m_pages.put_page(pfn); }

	/**
	 * copy_to_user() - copy into user memory through the page table, faulting pages in
	 * @va: user destination
	 * @buf: host source
	 * @len: bytes
	 *
	 * Return: bytes NOT copied (0 on success), as the kernel's copy_to_user(); the copy
	 * stops at the first unmapped address or failed fault.
	 */
	size_t copy_to_user(uint64_t va, const void *buf, size_t len);

	/**
	 * copy_from_user() - copy out of user memory through the page table, faulting pages in
	 * @va: user source
	 * @buf: host destination
	 * @len: bytes
	 *
	 * Return: bytes NOT copied (0 on success). Note the argument order: user address first,
	 * like copy_to_user() here, unlike the kernel's copy_from_user(to, from, n).
	 */
	size_t copy_from_user(uint64_t va, void *buf, size_t len);

	/**
	 * follow_page() - look a user address up without faulting
	 * @va: user address
	 *
	 * Return: the frame mapped there, NO_PFN when none is (unmapped or not yet touched).
	 */
	uint64_t follow_page(uint64_t va) const;

	/**
	 * fail_faults_after() - fault injection: the (@n + 1)th page fault from now fails
	 * @n: faults that still succeed first
	 *
	 * One-shot: after the failure, faults succeed again. fail_faults_clear() cancels.
	 */
	void fail_faults_after(uint64_t n) { m_fail_after = static_cast<int64_t>(n); }
	void fail_faults_clear() { m_fail_after = -1; }

	/** nr_faults() - Return: page faults served (successful ones). */
	uint64_t nr_faults() const { return m_faults; }
	/** rss() - Return: pages mapped now. */
	uint64_t rss() const { return m_rss; }
	/** nr_vmas() - Return: mappings now. */
	size_t nr_vmas() const { return m_vmas.size(); }

private:
	struct vma {
		uint64_t start, end;        // [start, end), page-aligned
		std::vector<uint64_t> pte;  // frame per page, NO_PFN when not present
	};

	vma *find_vma(uint64_t va);
	const vma *find_vma(uint64_t va) const;
	uint64_t fault_in(uint64_t va); // frame mapped at va after a fault, NO_PFN on failure
	void unmap(vma &v);

	mem_map &m_pages;
	int64_t m_owner;
	uint32_t m_page_size;
	uint64_t m_next_va = USER_BASE;
	std::map<uint64_t, vma> m_vmas; // by start
	int64_t m_fail_after = -1;      // -1: no injection
	uint64_t m_faults = 0;
	uint64_t m_rss = 0;
};

} // namespace gmm

#endif
