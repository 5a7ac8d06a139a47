// SPDX-License-Identifier: GPL-2.0-only
// What the model knows about each frame: the slice of the kernel's struct page that the
// checks need. A page's identity is its pfn, as the DUT's struct page * maps to one.
#ifndef RS_GUEST_MM_PAGE_META_H
#define RS_GUEST_MM_PAGE_META_H

#include <cstdint>

namespace gmm {

enum class page_kind : uint8_t {
	free,   // in the buddy allocator
	user,   // anonymous memory of an address space
	slab,   // backs kmalloc objects of one size class
	kernel, // whole pages for the kernel: a large kmalloc, alloc_pages() by the guest
	tenant, // held by another tenant for the whole run (fragmentation preconditioning)
};

/** page_kind_name() - Return: the kind as a lower-case word for findings and logs. */
inline const char *page_kind_name(page_kind k)
{
	switch (k) {
	case page_kind::free: return "free";
	case page_kind::user: return "user";
	case page_kind::slab: return "slab";
	case page_kind::kernel: return "kernel";
	case page_kind::tenant: return "tenant";
	}
	return "?";
}

struct page_meta {
	// References (page_count()): 1 from the allocation or from the user mapping, +1 per pin.
	uint32_t refcount = 0;
	// Pins from get_user_pages_fast() not yet dropped. Kernels of the seeds' era had no
	// separate pin count (FOLL_PIN came in 5.6); the model keeps one to check DMA against.
	uint32_t pincount = 0;
	// Request that allocated the page or last pinned it; -1 for none or the whole run.
	int64_t owner = -1;
	page_kind kind = page_kind::free;
};

} // namespace gmm

#endif
