// SPDX-License-Identifier: GPL-2.0-only
/*
 * net/9p/trans_common.c as of abfa034e4b8e (Linux 3.1), rewritten for ringsim: the helpers
 * the zero-copy transport uses to count, pin and release user pages.
 */
#include "trans_common.h"

/**
 * p9_release_pages - release pages after the transaction
 * @pages: array of pages to be put
 * @nr_pages: number of pages
 *
 * As in 3.1: the NULL test comes before the count test, so once nr_pages entries are put
 * the loop still reads pages[nr_pages], one slot past the array kmalloc'd for it.
 */
void p9_release_pages(struct page **pages, int nr_pages)
{
	int i = 0;

	while (pages[i] && nr_pages--) {
		put_page(pages[i]);
		i++;
	}
}

/**
 * p9_nr_pages - return the number of pages a buffer spans
 * @data: user or kernel address of the buffer
 * @len: its length in bytes
 */
int p9_nr_pages(char *data, int len)
{
	unsigned long start_page, end_page;

	start_page = (unsigned long)data >> PAGE_SHIFT;
	end_page = ((unsigned long)data + len + PAGE_SIZE - 1) >> PAGE_SHIFT;
	return end_page - start_page;
}

/**
 * p9_payload_gup - pin the pages of a user buffer
 * @data: user address of the buffer
 * @nr_pages: in: pages wanted; out: pages pinned (unchanged when gup returned 0)
 * @pages: receives the pages
 * @write: the device writes into them (a read)
 *
 * A gup return of 0 counts as success with *nr_pages untouched; a partial pin shrinks
 * *nr_pages and is not reported to the caller's caller either.
 */
int p9_payload_gup(char *data, int *nr_pages, struct page **pages, int write)
{
	int nr_mapped_pages;

	nr_mapped_pages = get_user_pages_fast((unsigned long)data, *nr_pages, write, pages);
	if (nr_mapped_pages <= 0)
		return nr_mapped_pages;

	*nr_pages = nr_mapped_pages;
	return 0;
}
