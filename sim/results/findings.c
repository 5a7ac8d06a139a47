// SPDX-License-Identifier: GPL-2.0-only
/* The data-corruption finding kinds (findings.h). */
#include "results/findings.h"

#include <string.h>

const char *const rs_data_corruption_kinds[] = {
	"dma_unpinned",        /* the device read or wrote a user page nobody pins (9P-B1) */
	"dma_unallocated",     /* ... a page the allocator holds as free */
	"dma_tenant",          /* ... a page of another tenant */
	"dma_out_of_range",    /* ... an address past guest memory (9P-B6's bogus page) */
	"free_pinned",         /* a page freed while the device may still write it */
	"bad_kfree",           /* double or interior kfree: the heap itself is corrupt */
	"bad_free_pages",      /* the same for the page allocator */
	"out_of_bounds_write", /* the DUT wrote past an array it owns (9P-B2's sg[128]) */
	"p9_reply_reused_tag", /* a reply completed the request that reused its tag (9P-B1) */
	"p9_write_mismatch",   /* the file got bytes the writer did not write */
	"read_mismatch",       /* a read returned bytes the file or disk does not hold (9P-B4) */
	NULL,
};

bool rs_finding_corrupts_data(const char *kind)
{
	if (!kind)
		return false;
	for (size_t i = 0; rs_data_corruption_kinds[i]; i++)
		if (!strcmp(kind, rs_data_corruption_kinds[i]))
			return true;
	return false;
}
