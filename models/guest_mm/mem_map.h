// SPDX-License-Identifier: GPL-2.0-only
// The array of page metadata (the kernel's mem_map) and the one path by which pages are
// allocated, referenced, pinned and freed, so the buddy allocator, the page metadata and the
// sparse bytes never disagree. kmalloc and the address spaces allocate through it.
#ifndef RS_GUEST_MM_MEM_MAP_H
#define RS_GUEST_MM_MEM_MAP_H

#include <cstdint>
#include <vector>

#include <gsl/gsl_rng.h>

#include "guest_mm/buddy.h"
#include "guest_mm/page_meta.h"
#include "guest_mm/phys_mem.h"
#include "guest_mm/report.h"

namespace gmm {

class mem_map {
public:
	/**
	 * mem_map() - metadata for every frame of @pages, all free
	 * @alloc: the page allocator, fresh; same frame count as @pages
	 * @pages: the bytes; a freed page's bytes are discarded
	 * @report: where bad frees and bad put_page calls are reported
	 */
	mem_map(buddy &alloc, phys_mem &pages, reporter &report);

	/** page() - Return: the metadata of @pfn, which must be < nr_frames(). */
	const page_meta &page(uint64_t pfn) const { return m_pages[pfn]; }

	uint64_t nr_frames() const { return m_pages.size(); }
	uint32_t page_size() const { return m_bytes.page_size(); }

	/**
	 * alloc_pages() - allocate a block and label its pages
	 * @order: block of 2^@order frames
	 * @kind: user, slab, kernel or tenant
	 * @owner: request id, -1 for none
	 *
	 * Every page of the block gets refcount 1, pincount 0. Its bytes read as zeros.
	 * Return: first pfn, or NO_PFN when memory is exhausted.
	 */
	uint64_t alloc_pages(unsigned order, page_kind kind, int64_t owner);

	/**
	 * free_pages() - give a block back to the buddy allocator
	 * @pfn: first frame
	 * @order: block order
	 *
	 * Drops the pages' bytes and metadata. Freeing a pinned page is reported as
	 * "free_pinned" but done (the kernel would hand the page out while the device can still
	 * write it). A block that is misaligned, out of range or partly free is reported as
	 * "bad_free_pages" and left alone.
	 * Return: 0 or -EINVAL.
	 */
	int free_pages(uint64_t pfn, unsigned order);

	/**
	 * precondition() - run buddy::precondition() and label the kept frames "tenant"
	 * @fraction: 0..1
	 * @rng: seeded generator
	 *
	 * Return: 0 or the buddy allocator's error.
	 */
	int precondition(double fraction, gsl_rng *rng);

	/**
	 * get_page() - take one more reference on an allocated page
	 * @pfn: frame
	 *
	 * Return: 0, or -EINVAL (reported as "bad_get_page") when @pfn is free or out of range.
	 */
	int get_page(uint64_t pfn);

	/**
	 * pin_page() - take a reference and a pin, as get_user_pages_fast() does per page
	 * @pfn: allocated frame
	 * @request: request holding the pin, recorded as the page's owner when >= 0
	 *
	 * Return: 0, or -EINVAL (reported as "bad_get_page") when @pfn is free or out of range.
	 */
	int pin_page(uint64_t pfn, int64_t request);

	/**
	 * put_page() - drop one reference, and one pin if the page has any
	 * @pfn: frame
	 *
	 * A page whose last reference goes is freed (order 0).
	 * Return: 0, or -EINVAL (reported as "bad_put_page") when @pfn is free, out of range or
	 * has no reference left.
	 */
	int put_page(uint64_t pfn);

	/**
	 * drop_ref() - drop one reference and leave the pins, as munmap() does for its mapping
	 * @pfn: frame
	 *
	 * Return: as put_page().
	 */
	int drop_ref(uint64_t pfn);

	/** pinned_pages() - Return: pages with at least one pin now. */
	uint64_t pinned_pages() const { return m_pinned; }
	/** pinned_pages_max() - Return: the most pages pinned at any time. */
	uint64_t pinned_pages_max() const { return m_pinned_max; }
	/** nr_pages() - Return: pages of @kind now. */
	uint64_t nr_pages(page_kind kind) const { return m_nr_kind[static_cast<unsigned>(kind)]; }

	buddy &allocator() { return m_alloc; }
	const buddy &allocator() const { return m_alloc; }
	phys_mem &bytes() { return m_bytes; }
	const phys_mem &bytes() const { return m_bytes; }
	reporter &report() { return m_report; }

private:
	bool valid_page(uint64_t pfn, const char *what, const char *kind);
	void set_kind(uint64_t pfn, page_kind kind);
	void unpin_one(uint64_t pfn);
	int release(uint64_t pfn, bool unpin);

	buddy &m_alloc;
	phys_mem &m_bytes;
	reporter &m_report;
	std::vector<page_meta> m_pages;
	uint64_t m_nr_kind[5] = {};
	uint64_t m_pinned = 0;
	uint64_t m_pinned_max = 0;
};

} // namespace gmm

#endif
