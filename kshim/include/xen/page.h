/* SPDX-License-Identifier: GPL-2.0-only */
/* include/xen/page.h (Linux 4.3+): Xen's interfaces are always in 4 KiB frames. */
#ifndef KSHIM_XEN_PAGE_H
#define KSHIM_XEN_PAGE_H

#include <linux/mm.h>

#ifdef __cplusplus
extern "C" {
#endif

#define XEN_PAGE_SHIFT 12
#define XEN_PAGE_SIZE (1UL << XEN_PAGE_SHIFT)
#define XEN_PAGE_MASK (~(XEN_PAGE_SIZE - 1))
#define xen_offset_in_page(p) ((unsigned long)(p) & ~XEN_PAGE_MASK)
#define XEN_PFN_DOWN(x) ((x) >> XEN_PAGE_SHIFT)
#define XEN_PFN_UP(x) (((x) + XEN_PAGE_SIZE - 1) >> XEN_PAGE_SHIFT)
#define XEN_PFN_PER_PAGE (PAGE_SIZE / XEN_PAGE_SIZE)

#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))

/* Guest frame numbers: an auto-translated (ARM-like) guest, gfn = Xen pfn. */
static inline unsigned long page_to_xen_pfn(const struct page *page)
{
	return page_to_pfn(page) * XEN_PFN_PER_PAGE;
}

static inline unsigned long pfn_to_gfn(unsigned long xen_pfn)
{
	return xen_pfn;
}

static inline unsigned long xen_page_to_gfn(const struct page *page)
{
	return pfn_to_gfn(page_to_xen_pfn(page));
}

#ifdef __cplusplus
}
#endif

#endif
