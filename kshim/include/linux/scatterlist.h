/* SPDX-License-Identifier: GPL-2.0-only */
/* struct scatterlist and its setters, as include/linux/scatterlist.h of Linux 3.1. */
#ifndef KSHIM_LINUX_SCATTERLIST_H
#define KSHIM_LINUX_SCATTERLIST_H

#include <linux/mm.h>

#ifdef __cplusplus
extern "C" {
#endif

struct scatterlist {
	struct page *page;
	unsigned int offset;
	unsigned int length;
};

/**
 * kshim_sg_register() - declare a fixed-size scatterlist array the DUT owns, so a write
 * past its end is caught (see kshim_check_array()).
 */
void kshim_sg_register(const struct scatterlist *sg, size_t nelem, const char *name);

/*
 * kshim_sg_ok() - whether @sg is a writable entry: inside a registered array, or not near
 * one. An entry just past a registered array's end is an out-of-bounds write: recorded as
 * a finding and the write is skipped. Charges sg-entry.
 */
bool kshim_sg_ok(const struct scatterlist *sg);

static inline void sg_set_page(struct scatterlist *sg, struct page *page, unsigned int len,
			       unsigned int offset)
{
	if (!kshim_sg_ok(sg))
		return;
	sg->page = page;
	sg->offset = offset;
	sg->length = len;
}

static inline void sg_set_buf(struct scatterlist *sg, const void *buf, unsigned int buflen)
{
	sg_set_page(sg, virt_to_page(buf), buflen, (unsigned int)offset_in_page(buf));
}

static inline struct page *sg_page(const struct scatterlist *sg)
{
	return sg->page;
}

static inline phys_addr_t sg_phys(const struct scatterlist *sg)
{
	return page_to_phys(sg->page) + sg->offset;
}

#ifdef __cplusplus
}
#endif

#endif
