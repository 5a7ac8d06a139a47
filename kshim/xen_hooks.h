// SPDX-License-Identifier: GPL-2.0-only
// What kshim's Xen calls (grant-table frames, event channels) and blkfront's probes reach:
// the run's Xen block device (xenblk), or a test's stand-in. One per process.
#ifndef RS_KSHIM_XEN_HOOKS_H
#define RS_KSHIM_XEN_HOOKS_H

#include <cstdint>

struct request;

namespace rs_kshim {

class xen_hooks_if {
public:
	virtual ~xen_hooks_if() = default;

	// GNTTABOP_setup_table for frame @idx of the guest's table, at @kva.
	virtual void add_grant_frame(unsigned idx, void *kva) = 0;
	virtual unsigned max_grant_frames() const = 0;
	// The event channel to the backend, and the guest's handler for the one back.
	virtual void notify_backend() = 0;
	virtual int bind_irq(int (*handler)(int, void *), void *dev_id) = 0;

	// blkfront's probes (kshim_blkif_*): they change nothing.
	virtual void queued(struct request *req, unsigned num_sg, unsigned num_grant,
			    unsigned max_grefs, unsigned indirect_frames) = 0;
	virtual void grants_exhausted() = 0;
	virtual void ring_full() = 0;
	virtual void ring_changed(unsigned in_use) = 0;
	virtual void copied(unsigned bytes) = 0;
	// The block layer's probe (kshim_blk_tag_waited): a request got its tag after sleeping
	// @sleeps times since cycle @since.
	virtual void tag_waited(uint64_t since, unsigned sleeps) = 0;
	// The guest's grant table (kshim_gnttab_granted): an entry for 4 KiB frame @frame
	// became valid (@delta +1, gnttab_grant_foreign_access_ref) or invalid (-1,
	// gnttab_end_foreign_access_ref).
	virtual void granted(int delta, unsigned long frame)
	{
		(void)delta;
		(void)frame;
	}
};

/** set_xen_hooks() - where kshim's Xen calls go from now on (nullptr: nowhere). */
void set_xen_hooks(xen_hooks_if *hooks);

} // namespace rs_kshim

#endif
