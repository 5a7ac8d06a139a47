// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's grant-reference allocator and v1 grant entries (drivers/xen/grant-table.c of
 * Linux 4.x), rewritten for ringsim. Free references form a list threaded through
 * gnttab_list; the table grows a frame (512 entries) at a time up to what Xen allows;
 * free callbacks run when enough references come back. The entries themselves live in
 * guest memory, where the hypervisor model reads them.
 */
#include <string.h>

#include <linux/mm.h>
#include <linux/spinlock.h>
#include <xen/grant_table.h>

/* A v1 grant entry: flags, domid, frame (include/xen/interface/grant_table.h). */
struct grant_entry_v1 {
	u16 flags;
	domid_t domid;
	u32 frame;
};

#define GTF_invalid 0
#define GTF_permit_access 1
#define GTF_type_mask 3
#define GTF_readonly 4
#define GTF_reading 8
#define GTF_writing 16

#define GNTTAB_LIST_END 0xffffffff
/* External tools reserve first few grant table entries. */
#define NR_RESERVED_ENTRIES 8
#define SPP (XEN_PAGE_SIZE / sizeof(struct grant_entry_v1))

static grant_ref_t **gnttab_list;
static struct grant_entry_v1 **gnttab_shared; /* one 4 KiB frame of entries each */
static unsigned int nr_grant_frames;
static unsigned int max_grant_frames;
static int gnttab_free_count;
static grant_ref_t gnttab_free_head;
static spinlock_t gnttab_list_lock;
static struct gnttab_free_callback *gnttab_free_callback_list;

static int gnttab_expand(unsigned int req_entries);

/* The free list keeps one list page per table frame (the kernel packs RPP per page). */
#define gnttab_entry(entry) (gnttab_list[(entry) / SPP][(entry) % SPP])

static int get_free_entries(unsigned count)
{
	unsigned long flags;
	int ref, rc = 0;
	grant_ref_t head;

	spin_lock_irqsave(&gnttab_list_lock, flags);

	if ((gnttab_free_count < count) &&
	    ((rc = gnttab_expand(count - gnttab_free_count)) < 0)) {
		spin_unlock_irqrestore(&gnttab_list_lock, flags);
		return rc;
	}

	ref = head = gnttab_free_head;
	gnttab_free_count -= count;
	while (count-- > 1)
		head = gnttab_entry(head);
	gnttab_free_head = gnttab_entry(head);
	gnttab_entry(head) = GNTTAB_LIST_END;

	spin_unlock_irqrestore(&gnttab_list_lock, flags);

	return ref;
}

static void do_free_callbacks(void)
{
	struct gnttab_free_callback *callback, *next;

	callback = gnttab_free_callback_list;
	gnttab_free_callback_list = NULL;

	while (callback != NULL) {
		next = callback->next;
		if (gnttab_free_count >= callback->count) {
			callback->next = NULL;
			callback->fn(callback->arg);
		} else {
			callback->next = gnttab_free_callback_list;
			gnttab_free_callback_list = callback;
		}
		callback = next;
	}
}

static inline void check_free_callbacks(void)
{
	if (gnttab_free_callback_list)
		do_free_callbacks();
}

static void put_free_entry(grant_ref_t ref)
{
	unsigned long flags;

	spin_lock_irqsave(&gnttab_list_lock, flags);
	gnttab_entry(ref) = gnttab_free_head;
	gnttab_free_head = ref;
	gnttab_free_count++;
	check_free_callbacks();
	spin_unlock_irqrestore(&gnttab_list_lock, flags);
}

void gnttab_grant_foreign_access_ref(grant_ref_t ref, domid_t domid, unsigned long frame,
				     int readonly)
{
	struct grant_entry_v1 *e = &gnttab_shared[ref / SPP][ref % SPP];
	int was_valid = (e->flags & GTF_type_mask) == GTF_permit_access;

	kshim_charge(KSHIM_COST_GRANT_ACCESS, 1);
	e->frame = (u32)frame;
	e->domid = domid;
	/* wmb(): frame and domid before the flags that make the entry valid */
	e->flags = GTF_permit_access | (readonly ? GTF_readonly : 0);
	if (!was_valid)
		kshim_gnttab_granted(1, frame);
}

int gnttab_grant_foreign_access(domid_t domid, unsigned long frame, int readonly)
{
	int ref;

	ref = get_free_entries(1);
	if (ref < 0)
		return -ENOSPC;

	gnttab_grant_foreign_access_ref(ref, domid, frame, readonly);

	return ref;
}

int gnttab_query_foreign_access(grant_ref_t ref)
{
	return gnttab_shared[ref / SPP][ref % SPP].flags & (GTF_reading | GTF_writing);
}

int gnttab_end_foreign_access_ref(grant_ref_t ref, int readonly)
{
	struct grant_entry_v1 *e = &gnttab_shared[ref / SPP][ref % SPP];

	(void)readonly;
	kshim_charge(KSHIM_COST_GRANT_END, 1);
	/* cmpxchg in the kernel: only an entry nobody maps can be invalidated */
	if (e->flags & (GTF_reading | GTF_writing))
		return 0;
	if ((e->flags & GTF_type_mask) == GTF_permit_access)
		kshim_gnttab_granted(-1, e->frame);
	e->flags = GTF_invalid;
	return 1;
}

/*
 * gnttab_end_foreign_access - end access and free the reference. Xen may still map it: the
 * kernel then defers the free to a timer; here the reference is simply not freed (the
 * deferred list of the kernel retries each second), and the caller's page stays.
 */
void gnttab_end_foreign_access(grant_ref_t ref, int readonly, unsigned long page)
{
	(void)page;
	if (gnttab_end_foreign_access_ref(ref, readonly))
		put_free_entry(ref);
	else
		kshim_warn(__FILE__, __LINE__, "g.e. still in use: deferred");
}

void gnttab_free_grant_reference(grant_ref_t ref)
{
	put_free_entry(ref);
}

void gnttab_free_grant_references(grant_ref_t head)
{
	grant_ref_t ref;
	unsigned long flags;
	int count = 1;

	if (head == GNTTAB_LIST_END)
		return;
	spin_lock_irqsave(&gnttab_list_lock, flags);
	ref = head;
	while (gnttab_entry(ref) != GNTTAB_LIST_END) {
		ref = gnttab_entry(ref);
		count++;
	}
	gnttab_entry(ref) = gnttab_free_head;
	gnttab_free_head = head;
	gnttab_free_count += count;
	check_free_callbacks();
	spin_unlock_irqrestore(&gnttab_list_lock, flags);
}

int gnttab_alloc_grant_references(u16 count, grant_ref_t *head)
{
	int h = get_free_entries(count);

	if (h < 0)
		return -ENOSPC;

	*head = h;

	return 0;
}

int gnttab_claim_grant_reference(grant_ref_t *private_head)
{
	grant_ref_t g = *private_head;

	kshim_charge(KSHIM_COST_GRANT_CLAIM, 1);
	if (g == GNTTAB_LIST_END)
		return -ENOSPC;
	*private_head = gnttab_entry(g);
	return g;
}

void gnttab_release_grant_reference(grant_ref_t *private_head, grant_ref_t release)
{
	gnttab_entry(release) = *private_head;
	*private_head = release;
}

void gnttab_request_free_callback(struct gnttab_free_callback *callback,
				  void (*fn)(void *), void *arg, u16 count)
{
	unsigned long flags;
	struct gnttab_free_callback *cb;

	spin_lock_irqsave(&gnttab_list_lock, flags);

	/* Check if the callback is already on the list */
	cb = gnttab_free_callback_list;
	while (cb) {
		if (cb == callback)
			goto out;
		cb = cb->next;
	}

	callback->fn = fn;
	callback->arg = arg;
	callback->count = count;
	callback->next = gnttab_free_callback_list;
	gnttab_free_callback_list = callback;
	check_free_callbacks();
out:
	spin_unlock_irqrestore(&gnttab_list_lock, flags);
}

void gnttab_cancel_free_callback(struct gnttab_free_callback *callback)
{
	struct gnttab_free_callback **pcb;
	unsigned long flags;

	spin_lock_irqsave(&gnttab_list_lock, flags);
	for (pcb = &gnttab_free_callback_list; *pcb; pcb = &(*pcb)->next) {
		if (*pcb == callback) {
			*pcb = callback->next;
			break;
		}
	}
	spin_unlock_irqrestore(&gnttab_list_lock, flags);
}

/* Add @more_frames frames: their free-list pages and their entry frames (given to Xen). */
static int grow_gnttab_list(unsigned int more_frames)
{
	unsigned int new_nr_grant_frames, extra_entries, i;

	new_nr_grant_frames = nr_grant_frames + more_frames;
	extra_entries = more_frames * SPP;

	for (i = nr_grant_frames; i < new_nr_grant_frames; i++) {
		gnttab_list[i] = kmalloc(XEN_PAGE_SIZE, GFP_ATOMIC);
		gnttab_shared[i] = kmalloc(XEN_PAGE_SIZE, GFP_ATOMIC);
		if (!gnttab_list[i] || !gnttab_shared[i])
			return -ENOMEM;
		/* referenced from the global tables for good, whoever grew them */
		kmemleak_not_leak(gnttab_list[i]);
		kmemleak_not_leak(gnttab_shared[i]);
		memset(gnttab_shared[i], 0, XEN_PAGE_SIZE);
		kshim_gnttab_add_frame(i, gnttab_shared[i]);
	}

	for (i = SPP * nr_grant_frames; i < SPP * new_nr_grant_frames - 1; i++)
		gnttab_entry(i) = i + 1;

	gnttab_entry(i) = gnttab_free_head;
	gnttab_free_head = SPP * nr_grant_frames;
	gnttab_free_count += extra_entries;

	nr_grant_frames = new_nr_grant_frames;

	check_free_callbacks();

	return 0;
}

static int gnttab_expand(unsigned int req_entries)
{
	unsigned int cur, extra;

	cur = nr_grant_frames;
	extra = ((req_entries + (SPP - 1)) / SPP);
	if (cur + extra > max_grant_frames)
		return -ENOSPC;

	return grow_gnttab_list(extra);
}

int gnttab_init(unsigned int max_frames)
{
	unsigned int i;

	max_grant_frames = max_frames;
	nr_grant_frames = 0;
	gnttab_free_count = 0;
	gnttab_free_head = GNTTAB_LIST_END;
	gnttab_free_callback_list = NULL;
	spin_lock_init(&gnttab_list_lock);
	gnttab_list = kmalloc(max_frames * sizeof(grant_ref_t *), GFP_KERNEL);
	gnttab_shared = kmalloc(max_frames * sizeof(struct grant_entry_v1 *), GFP_KERNEL);
	if (!gnttab_list || !gnttab_shared)
		return -ENOMEM;
	for (i = 0; i < max_frames; i++)
		gnttab_list[i] = NULL, gnttab_shared[i] = NULL;

	/* The table starts at one frame; its first entries are reserved. */
	if (grow_gnttab_list(1))
		return -ENOMEM;
	/* take the reserved entries off the free list: they are the list's head */
	for (i = 0; i < NR_RESERVED_ENTRIES; i++)
		get_free_entries(1);
	return 0;
}

unsigned int gnttab_free_count_now(void)
{
	return (unsigned int)gnttab_free_count;
}

/*
 * gnttab_foreach_grant_in_range - call @fn for each 4 KiB grant of the range
 * [@offset, @offset + @len) of @page, clipped to the page
 */
void gnttab_foreach_grant_in_range(struct page *page, unsigned int offset, unsigned int len,
				   xen_grant_fn_t fn, void *data)
{
	unsigned int goffset;
	unsigned int glen;
	unsigned long xen_pfn;

	len = min((unsigned int)PAGE_SIZE - offset, len);
	goffset = xen_offset_in_page(offset);

	xen_pfn = page_to_xen_pfn(page) + XEN_PFN_DOWN(offset);

	while (len) {
		glen = min((unsigned int)XEN_PAGE_SIZE - goffset, len);
		fn(pfn_to_gfn(xen_pfn), goffset, glen, data);

		goffset = 0;
		xen_pfn++;
		len -= glen;
	}
}
