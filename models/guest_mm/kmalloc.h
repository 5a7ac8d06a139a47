// SPDX-License-Identifier: GPL-2.0-only
// Kernel heap allocations the way SLUB lays them out, because where an object sits decides
// whether a buffer straddles a page boundary (and so how many sg entries or grants it needs):
// power-of-two size classes from 8 bytes to KMALLOC_MAX_CACHE_SIZE (two pages, SLUB's
// PAGE_SHIFT + 1) plus kmalloc-96 and kmalloc-192 (mm/slab_common.c kmalloc_info[]), each
// object at a multiple of its class size inside a slab of physically contiguous pages, and
// larger sizes straight from the page allocator (kmalloc_large()).
#ifndef RS_GUEST_MM_KMALLOC_H
#define RS_GUEST_MM_KMALLOC_H

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>
#include <vector>

#include "guest_mm/direct_map.h"
#include "guest_mm/mem_map.h"

namespace gmm {

class kernel_heap {
public:
	// One live kmalloc object, keyed by its physical address in objects().
	struct object {
		size_t size;     // bytes asked for
		size_t ksize;    // bytes usable: the class size, or the pages of a large allocation
		int cls;         // size class index, -1 for a large allocation
		unsigned order;  // large allocation: block order; else the slab order
		int64_t owner;   // request id, -1 when the object lives for the whole run
	};

	/**
	 * kernel_heap() - an empty heap taking its pages from @pages
	 * @pages: page allocation path and metadata; slab pages are labelled "slab", large
	 *         allocations "kernel"
	 */
	explicit kernel_heap(mem_map &pages);

	/**
	 * kmalloc() - allocate a kernel object
	 * @size: bytes
	 * @owner: request id the object belongs to, -1 when it lives for the whole run
	 *
	 * Sizes up to two pages come from the smallest size class that fits, naturally aligned
	 * for the power-of-two classes; bigger sizes take 2^get_order(@size) whole pages. Bytes
	 * of a reused object keep their old contents, as in the kernel.
	 * Return: a direct-map address, ZERO_SIZE_PTR for @size 0, or 0 when memory is exhausted
	 * or @size needs more than a max-order block.
	 */
	uint64_t kmalloc(size_t size, int64_t owner);

	/**
	 * kzalloc() - kmalloc() and clear the @size bytes
	 * @size: bytes
	 * @owner: as kmalloc()
	 *
	 * Return: as kmalloc().
	 */
	uint64_t kzalloc(size_t size, int64_t owner);

	/**
	 * kfree() - free a kernel object; an emptied slab goes back to the page allocator
	 * @kva: what kmalloc() returned; 0 and ZERO_SIZE_PTR are ignored
	 * @request: the freeing request, for the finding; -1 when unknown
	 *
	 * An address that is not a live object's start (double free, an interior pointer, a
	 * user address) is reported as "bad_kfree" and nothing is freed.
	 * Return: 0 or -EINVAL.
	 */
	int kfree(uint64_t kva, int64_t request = -1);

	/** ksize() - Return: usable bytes of the live object at @kva, 0 when there is none. */
	size_t ksize(uint64_t kva) const;

	/** What a CPU access to the heap touched (check_access()). */
	enum class access { ok, past_object, free_slot };

	/**
	 * check_access() - KASAN's check of one CPU access of the kernel
	 * @kva: direct-map address accessed
	 * @len: bytes, > 0
	 * @obj: set to the start of the object whose slot holds @kva (past_object)
	 * @obj_size: set to that object's requested size (past_object)
	 *
	 * Bytes of a live object up to its requested size are fine; bytes of its slot past that
	 * size (the slack of its size class, or of its pages for a large allocation) are not,
	 * and neither is a slab slot no live object holds. Memory that is not the heap's (user
	 * pages, the ring, alloc_page()) is not checked. A slot that exactly fits its object is
	 * followed by the next object: a read there is only caught when that slot is free, as
	 * with generic KASAN without a redzone.
	 * Return: ok, past_object, or free_slot.
	 */
	access check_access(uint64_t kva, size_t len, uint64_t &obj, size_t &obj_size) const
	{
		// Inside one of the live objects the last checks found (kfree forgets the one
		// it frees; a new object cannot overlap them): most accesses, answered here.
		const uint64_t pa = kva - KERNEL_BASE;
		if (kva >= KERNEL_BASE)
			for (unsigned i = 0; i < HITS; i++)
				if (m_hit[i] && pa - m_hit_pa[i] < m_hit[i]->ksize &&
				    pa + len <= m_hit_pa[i] + m_hit[i]->size)
					return access::ok;
		return check_access_slow(kva, len, obj, obj_size);
	}

	/** find() - Return: the live object starting at @kva, NULL when there is none. */
	const object *find(uint64_t kva) const;

	/**
	 * not_leak() - the object at @kva lives for the whole run (kmemleak_not_leak()): it is
	 * no request's, and not reported at the end. Return: 0, or -EINVAL for no object.
	 */
	int not_leak(uint64_t kva);

	/** objects() - Return: every live object by physical address, ascending. */
	const std::map<uint64_t, object> &objects() const { return m_objects; }

	/** nr_slabs() - Return: slabs held now, over all classes. */
	size_t nr_slabs() const { return m_slabs.size(); }

	/** nr_classes(), class_size() - the size classes for this page size, ascending. */
	unsigned nr_classes() const { return static_cast<unsigned>(m_caches.size()); }
	uint32_t class_size(unsigned cls) const { return m_caches[cls].size; }

	/** virt_to_pfn() - Return: the frame of direct-map address @kva. */
	uint64_t virt_to_pfn(uint64_t kva) const;

	/**
	 * get_order() - smallest order whose block holds @size bytes (include/asm-generic/getorder.h)
	 * @size: bytes, > 0
	 * @page_size: bytes per page
	 *
	 * Return: the order; get_order(4097, 4096) is 1.
	 */
	static unsigned get_order(size_t size, uint32_t page_size);

private:
	struct cache {
		uint32_t size;
		unsigned order;   // slab block order
		uint32_t objects; // per slab
		std::set<uint64_t> partial; // head pfns of slabs with a free object, lowest used first
	};
	struct slab {
		unsigned cls;
		uint32_t inuse;
		std::vector<uint32_t> free; // free object indexes; back() is handed out next
	};

	int class_of(size_t size) const;
	uint64_t alloc_from(unsigned cls);
	void free_to(unsigned cls, uint64_t pa);

	mem_map &m_pages;
	uint32_t m_page_size;
	std::vector<cache> m_caches;
	std::unordered_map<uint64_t, slab> m_slabs; // by head pfn
	std::map<uint64_t, object> m_objects;       // by physical address
	access check_access_slow(uint64_t kva, size_t len, uint64_t &obj, size_t &obj_size) const;

	// Per frame, what of the heap it holds: HEAP_NONE, HEAP_SLAB (a slab's pages) or
	// HEAP_LARGE (a large kmalloc's whole pages of kind kernel): the only frames
	// check_access() must look objects up in, one byte each (a small, hot array).
	enum : uint8_t { HEAP_NONE, HEAP_SLAB, HEAP_LARGE };
	std::vector<uint8_t> m_heap_frames;
	// The object check_access() found last (most accesses in a row hit the same one);
	// forgotten at every kfree.
	static constexpr unsigned HITS = 4;
	mutable uint64_t m_hit_pa[HITS] = {};
	mutable const object *m_hit[HITS] = {};
	mutable unsigned m_hit_next = 0; // the entry the next lookup replaces
};

} // namespace gmm

#endif
