// SPDX-License-Identifier: GPL-2.0-only
// A binary buddy page allocator over pfns 0..N-1, following mm/page_alloc.c: one free list
// per order, allocation from the smallest non-empty order with the surplus split off
// (expand()), and merging with the buddy (pfn ^ (1 << order)) on free (__free_one_page()).
// It knows frames only; what a page is used for lives in mem_map.
#ifndef RS_GUEST_MM_BUDDY_H
#define RS_GUEST_MM_BUDDY_H

#include <cstdint>
#include <string>
#include <vector>

#include <gsl/gsl_rng.h>

namespace gmm {

// "No frame": what alloc_pages() returns when memory is exhausted.
constexpr uint64_t NO_PFN = ~0ull;

class buddy {
public:
	/**
	 * buddy() - an allocator with every frame free
	 * @nr_frames: frames to manage, less than 2^32 - 1
	 * @max_order: highest order (MAX_ORDER - 1); at most 30
	 *
	 * The frames are carved into the largest naturally aligned blocks that fit, each list
	 * in ascending pfn order, so a fresh allocator hands out low pfns first.
	 */
	buddy(uint64_t nr_frames, unsigned max_order);

	/**
	 * alloc_pages() - take a naturally aligned block of 2^@order frames
	 * @order: 0..max_order
	 *
	 * Takes the head of the smallest non-empty free list of order >= @order; the unused
	 * upper halves go to the heads of the lower lists, as the kernel's expand() does.
	 * Return: the block's first pfn, or NO_PFN when no block is free or @order > max_order.
	 */
	uint64_t alloc_pages(unsigned order);

	/**
	 * free_pages() - give a block back, merging it with free buddies
	 * @pfn: first frame, aligned to 2^@order
	 * @order: 0..max_order
	 *
	 * The merged block goes to the head of its list.
	 * Return: 0, or -EINVAL when the block is out of range, misaligned or has a frame that
	 * is already free (double free); nothing changes then.
	 */
	int free_pages(uint64_t pfn, unsigned order);

	/**
	 * precondition() - fragment the memory like a long-running host's
	 * @fraction: 0..1, share of frames that stay allocated (held by other tenants)
	 * @rng: seeded generator; the permutation comes from gsl_ran_shuffle()
	 * @kept: if not NULL, receives the pfns that stay allocated
	 *
	 * Allocates every frame as order 0, shuffles them, keeps the first
	 * round(@fraction * N) of the permutation allocated and frees the rest in permutation
	 * order. With @fraction 0 everything merges back into max-order blocks; otherwise later
	 * allocations land on scattered frames. Resets the allocated maximum to the count now.
	 * Return: 0, -EBUSY when some frame is already allocated, -EINVAL when @fraction is
	 * outside 0..1.
	 */
	int precondition(double fraction, gsl_rng *rng, std::vector<uint64_t> *kept);

	/** is_free() - Return: true when @pfn lies inside a free block (false when out of range). */
	bool is_free(uint64_t pfn) const { return pfn < m_free.size() && m_free[pfn]; }

	/**
	 * check() - verify the allocator's invariants (for tests)
	 * @why: if not NULL, receives a description of the first violation
	 *
	 * Every free block is aligned to its order and inside memory, no two free blocks
	 * overlap, exactly the frames inside free blocks are marked free, the per-order and
	 * total counters match the lists, and no two free buddies of the same order are left
	 * unmerged. O(N).
	 * Return: true when all hold.
	 */
	bool check(std::string *why = nullptr) const;

	/** free_list() - Return: the pfns on the free list of @order, head first (for tests). */
	std::vector<uint64_t> free_list(unsigned order) const;

	uint64_t nr_frames() const { return m_free.size(); }
	unsigned max_order() const { return m_max_order; }
	uint64_t nr_free() const { return m_nr_free; }
	uint64_t nr_allocated() const { return nr_frames() - m_nr_free; }
	uint64_t max_allocated() const { return m_max_allocated; }
	/** nr_free_blocks() - Return: blocks on the free list of @order (0 beyond max_order). */
	uint64_t nr_free_blocks(unsigned order) const
	{
		return order <= m_max_order ? m_nr_blocks[order] : 0;
	}

private:
	static constexpr uint32_t NIL = ~0u;

	void push_head(unsigned order, uint32_t pfn);
	void push_tail(unsigned order, uint32_t pfn);
	void remove(unsigned order, uint32_t pfn);
	void mark(uint64_t pfn, uint64_t count, bool is_free);

	unsigned m_max_order;
	std::vector<uint32_t> m_next, m_prev; // free list links, valid at free block heads
	std::vector<int8_t> m_order; // order of the free block starting here, -1 if none
	std::vector<uint8_t> m_free; // 1 for every frame inside a free block
	std::vector<uint32_t> m_head, m_tail; // per order
	std::vector<uint64_t> m_nr_blocks; // per order
	uint64_t m_nr_free = 0;
	uint64_t m_max_allocated = 0;
};

} // namespace gmm

#endif
