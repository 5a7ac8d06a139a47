/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * include/xen/grant_table.h (Linux 4.3+), the parts blkfront uses. The allocator is the
 * guest's own code (dut/guest/grant-table.c); the table's frames live in guest memory and
 * the hypervisor model reads the entries there.
 */
#ifndef KSHIM_XEN_GRANT_TABLE_H
#define KSHIM_XEN_GRANT_TABLE_H

#include <xen/page.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef u32 grant_ref_t;
typedef u16 domid_t;

#define GRANT_INVALID_REF 0

struct gnttab_free_callback {
	struct gnttab_free_callback *next;
	void (*fn)(void *);
	void *arg;
	u16 count;
};

int gnttab_alloc_grant_references(u16 count, grant_ref_t *pprivate_head);
void gnttab_free_grant_reference(grant_ref_t ref);
void gnttab_free_grant_references(grant_ref_t head);
int gnttab_claim_grant_reference(grant_ref_t *pprivate_head);
void gnttab_release_grant_reference(grant_ref_t *private_head, grant_ref_t release);
void gnttab_request_free_callback(struct gnttab_free_callback *callback,
				  void (*fn)(void *), void *arg, u16 count);
void gnttab_cancel_free_callback(struct gnttab_free_callback *callback);

void gnttab_grant_foreign_access_ref(grant_ref_t ref, domid_t domid, unsigned long frame,
				     int readonly);
int gnttab_grant_foreign_access(domid_t domid, unsigned long frame, int readonly);
int gnttab_end_foreign_access_ref(grant_ref_t ref, int readonly);
void gnttab_end_foreign_access(grant_ref_t ref, int readonly, unsigned long page);
int gnttab_query_foreign_access(grant_ref_t ref);

/** gnttab_init() - the guest's table: @max_frames frames of 512 v1 entries. 0 or -ENOMEM. */
int gnttab_init(unsigned int max_frames);
/** gnttab_free_count_now() - ringsim probe: free references now (gnttab_free_count). */
unsigned int gnttab_free_count_now(void);

typedef void (*xen_grant_fn_t)(unsigned long gfn, unsigned int offset, unsigned int len,
			       void *data);

void gnttab_foreach_grant_in_range(struct page *page, unsigned int offset, unsigned int len,
				   xen_grant_fn_t fn, void *data);

/* Get the number of grant in a specified region
 *
 * start: Offset from the beginning of the first page
 * len: total length of data (can cross multiple page)
 */
static inline unsigned int gnttab_count_grant(unsigned int start, unsigned int len)
{
	return XEN_PFN_UP(xen_offset_in_page(start) + len);
}

/*
 * kshim_gnttab_add_frame() - the hypercall that gives Xen frame @idx of the table
 * (GNTTABOP_setup_table / expansion): the frame's bytes are at @kva in guest memory.
 * kshim_gnttab_max_frames() - what Xen allows (gnttab_max_grant_frames()).
 */
void kshim_gnttab_add_frame(unsigned int idx, void *kva);
unsigned int kshim_gnttab_max_frames(void);

/**
 * kshim_gnttab_granted() - a probe: an entry of the table granting 4 KiB frame @frame became
 * valid (@delta 1) or was invalidated (-1). It changes nothing.
 */
void kshim_gnttab_granted(int delta, unsigned long frame);

#ifdef __cplusplus
}
#endif

#endif
