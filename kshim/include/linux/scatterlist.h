/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * struct scatterlist and its setters, as include/linux/scatterlist.h of Linux 3.1-4.4. As in
 * the kernel's page_link, the low bits of the page pointer carry the end mark (0x02); the
 * chain bit (0x01) is never set here. sg_page() masks them.
 */
#ifndef KSHIM_LINUX_SCATTERLIST_H
#define KSHIM_LINUX_SCATTERLIST_H

#include <string.h>

#include <linux/mm.h>

#ifdef __cplusplus
extern "C" {
#endif

struct scatterlist {
	struct page *page; /* with the end mark in bit 1, like page_link */
	unsigned int offset;
	unsigned int length;
};

#define KSHIM_SG_END 0x02ul
#define KSHIM_SG_MARKS 0x03ul

/**
 * kshim_sg_register() - declare a fixed-size scatterlist array the DUT owns, so a write
 * past its end is caught (see kshim_check_array()).
 */
void kshim_sg_register(const struct scatterlist *sg, size_t nelem, const char *name);

/*
 * kshim_sg_ok() - whether @sg is a writable entry: inside a registered array, or not near
 * one. An entry just past a registered array's end is an out-of-bounds write: recorded as
 * a finding and the write is skipped. An entry outside guest memory altogether (an index
 * that wrapped) is a write the kernel cannot do: the finding, then an oops (a dut_bug
 * finding; the thread goes no further, as after BUG_ON). Charges sg-entry.
 */
bool kshim_sg_ok(const struct scatterlist *sg);

static inline struct page *sg_page(const struct scatterlist *sg)
{
	return (struct page *)((uintptr_t)sg->page & ~KSHIM_SG_MARKS);
}

/* sg_assign_page(): the marks of the entry stay. */
static inline void sg_set_page(struct scatterlist *sg, struct page *page, unsigned int len,
			       unsigned int offset)
{
	if (!kshim_sg_ok(sg))
		return;
	sg->page = (struct page *)((uintptr_t)page | ((uintptr_t)sg->page & KSHIM_SG_MARKS));
	sg->offset = offset;
	sg->length = len;
}

/* sg_mark_end(): @sg is the last entry of its list. */
static inline void sg_mark_end(struct scatterlist *sg)
{
	if (!kshim_sg_ok(sg))
		return;
	sg->page = (struct page *)((uintptr_t)sg->page | KSHIM_SG_END);
}

static inline bool sg_is_last(const struct scatterlist *sg)
{
	return ((uintptr_t)sg->page & KSHIM_SG_END) != 0;
}

/*
 * sg_init_table() - lib/scatterlist.c: zero @nents entries and mark the last. With @nents 0
 * the end mark goes to sgl[nents - 1], index UINT_MAX (kernel-facts XB-1), as in the kernel.
 */
static inline void sg_init_table(struct scatterlist *sgl, unsigned int nents)
{
	memset(sgl, 0, sizeof(*sgl) * nents);
	sg_mark_end(&sgl[nents - 1]);
}

static inline void sg_set_buf(struct scatterlist *sg, const void *buf, unsigned int buflen)
{
	sg_set_page(sg, virt_to_page(buf), buflen, (unsigned int)offset_in_page(buf));
}

static inline phys_addr_t sg_phys(const struct scatterlist *sg)
{
	return page_to_phys(sg_page(sg)) + sg->offset;
}

#ifdef __cplusplus
}
#endif

#endif
