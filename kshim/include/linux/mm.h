/* SPDX-License-Identifier: GPL-2.0-only */
/* Pages, kernel allocations, user page pinning (served by models/guest_mm). */
#ifndef KSHIM_LINUX_MM_H
#define KSHIM_LINUX_MM_H

#include <linux/kshim.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One entry of the guest's memory map; &kshim_mem_map[pfn] is the page of frame pfn. */
struct page {
	unsigned long flags; /* unused; keeps struct page a real object */
};

extern struct page *kshim_mem_map;

/*
 * The guest's direct map: kernel virtual address = kshim_direct_map + physical address,
 * where kshim_direct_map is the host address at which guest memory lives, so kernel code
 * dereferences kernel pointers as the kernel does and the bytes are guest memory's own.
 */
extern uintptr_t kshim_direct_map;
/* Bytes of guest memory the direct map covers. */
extern uintptr_t kshim_direct_map_size;

/**
 * kshim_bad_virt() - CONFIG_DEBUG_VIRTUAL's warning: @kva, given to virt_to_page(), is not a
 * direct-map address (a vmalloc address, say), so the page computed is not its page. Records
 * a "bad_virt_to_page" warning; the caller goes on with the bogus page, as the kernel does.
 */
void kshim_bad_virt(const void *kva);

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - kshim_mem_map);
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return kshim_mem_map + pfn;
}

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT;
}

static inline phys_addr_t virt_to_phys(const void *kva)
{
	return (phys_addr_t)((uintptr_t)kva - kshim_direct_map);
}

static inline void *phys_to_virt(phys_addr_t pa)
{
	return (void *)(kshim_direct_map + (uintptr_t)pa);
}

static inline struct page *virt_to_page(const void *kva)
{
	if ((uintptr_t)kva - kshim_direct_map >= kshim_direct_map_size)
		kshim_bad_virt(kva);
	return pfn_to_page((unsigned long)(virt_to_phys(kva) >> PAGE_SHIFT));
}

static inline unsigned long offset_in_page(const void *p)
{
	return (unsigned long)(uintptr_t)p & (PAGE_SIZE - 1);
}

/**
 * kmalloc() - a kernel allocation in guest memory (models/guest_mm's SLUB-like heap)
 * Return: its kernel virtual address, or NULL when guest memory is exhausted.
 * Context: guest thread; charges kmalloc.
 */
void *kmalloc(size_t size, gfp_t flags);

/** kfree() - free what kmalloc() returned; NULL is fine. Charges kfree. */
void kfree(const void *kva);

/** kmemleak_not_leak() - @kva lives as long as the kernel: not a request's leak. */
void kmemleak_not_leak(const void *kva);

/** kzalloc() - kmalloc() and zero. */
void *kzalloc(size_t size, gfp_t flags);

/**
 * alloc_page() - one whole page from the page allocator, or NULL. Charges kmalloc. With
 * __GFP_ZERO in @flags its bytes are cleared (guest memory scrubs a frame when it is freed,
 * so only a frame written while free, as a test may, holds anything before).
 */
struct page *alloc_page(gfp_t flags);
/** __free_page() - give a page from alloc_page() back. */
void __free_page(struct page *page);

/**
 * kshim_get_free_pages_exact() - physically contiguous, page-aligned, zeroed memory of at
 * least @size bytes (__get_free_pages / alloc_pages_exact). Return: kernel address or NULL.
 */
void *kshim_get_free_pages_exact(size_t size);

static inline void *page_address(const struct page *page)
{
	return phys_to_virt(page_to_phys(page));
}

/* No highmem on a 64-bit guest: a kmap is the direct map. */
#define kmap_atomic(page) page_address(page)
#define kunmap_atomic(addr) ((void)(addr))

/**
 * get_user_pages_fast() - pin user pages of the current guest process
 * @start: user address
 * @nr_pages: pages wanted
 * @write: the device will write them
 * @pages: receives the pages
 *
 * Return: pages pinned (may be fewer), or -EFAULT/-ENOMEM when none could be.
 * Context: guest thread; charges page-pin per page and page-fault per fault.
 */
int get_user_pages_fast(unsigned long start, int nr_pages, int write, struct page **pages);

/** put_page() - drop a reference (and the pin gup took). Charges page-unpin. */
void put_page(struct page *page);

/** nr_free_buffer_pages() - free low-memory pages now (guest memory's free count). */
unsigned long nr_free_buffer_pages(void);

/**
 * copy_to_user() / copy_from_user() - through the current process's page table
 * Return: bytes not copied, 0 on success. Charges memcpy-per-KiB.
 */
unsigned long copy_to_user(void *to, const void *from_kva, unsigned long n);
unsigned long copy_from_user(void *to_kva, const void *from, unsigned long n);

#ifdef __cplusplus
}
#endif

#endif
