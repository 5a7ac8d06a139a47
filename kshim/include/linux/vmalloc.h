/* SPDX-License-Identifier: GPL-2.0-only */
/* vmalloc: virtually contiguous kernel memory on physically scattered pages. */
#ifndef KSHIM_LINUX_VMALLOC_H
#define KSHIM_LINUX_VMALLOC_H

#include <linux/kshim.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * vmalloc() - @size bytes, virtually contiguous, on order-0 pages taken one by one from guest
 * memory (so physically scattered), zeroed here
 *
 * The address is in the vmalloc area, outside the direct map: virt_to_page() of it is not
 * its page (kshim_bad_virt()); vmalloc_to_page() is. The CPU's view is the simulator's own
 * memory, written into the backing pages by kshim_vmalloc_sync().
 * Return: the address, or NULL when guest memory is exhausted.
 * Context: guest thread; charges kmalloc per page.
 */
void *vmalloc(unsigned long size);

/** vfree() - free what vmalloc() returned, its pages included; NULL is fine. */
void vfree(const void *addr);

/** vmalloc_to_page() - the page backing @addr, or NULL for no vmalloc address. */
struct page *vmalloc_to_page(const void *addr);

/**
 * kshim_vmalloc_sync() - copy the CPU's view of [@addr, @addr + @len) into its backing pages:
 * the CPU's stores, which on a real machine go through the vmalloc mapping to those pages.
 * The view is not refreshed from the pages (only the seed's path, which never hands the
 * device those pages, is modelled).
 */
void kshim_vmalloc_sync(const void *addr, unsigned long len);

#ifdef __cplusplus
}
#endif

#endif
