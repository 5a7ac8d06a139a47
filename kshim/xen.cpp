// SPDX-License-Identifier: GPL-2.0-only
// kshim's Xen entry points, forwarded to the run's xen_hooks_if.
#include "kshim/xen_hooks.h"

#include <cstdarg>
#include <cstdio>
#include <stdexcept>

#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>

#include "kshim/host.h"

namespace rs_kshim {

static xen_hooks_if *g_hooks;

void set_xen_hooks(xen_hooks_if *hooks)
{
	g_hooks = hooks;
}

static xen_hooks_if &hooks()
{
	// Only a guest with a Xen block device makes these calls.
	return *g_hooks;
}

} // namespace rs_kshim

using rs_kshim::hooks;

extern "C" void kshim_blkif_queued(struct request *req, unsigned int num_sg,
				   unsigned int num_grant, unsigned int max_grefs,
				   unsigned int indirect_frames)
{
	hooks().queued(req, num_sg, num_grant, max_grefs, indirect_frames);
}

extern "C" void kshim_blkif_grants_exhausted(void)
{
	hooks().grants_exhausted();
}

extern "C" void kshim_blkif_ring_full(void)
{
	hooks().ring_full();
}

extern "C" void kshim_blkif_ring_changed(unsigned int in_use)
{
	hooks().ring_changed(in_use);
}

extern "C" void kshim_blkif_copied(unsigned int bytes)
{
	hooks().copied(bytes);
}

extern "C" void kshim_blk_tag_waited(uint64_t since, unsigned int sleeps)
{
	// The block layer's only disk in ringsim is the Xen one; a test without it has none.
	if (rs_kshim::g_hooks)
		hooks().tag_waited(since, sleeps);
}

extern "C" void kshim_gnttab_granted(int delta, unsigned long frame)
{
	// Boot-time and test grants may come before any device is there to watch.
	if (rs_kshim::g_hooks)
		rs_kshim::g_hooks->granted(delta, frame);
}

extern "C" void notify_remote_via_irq(int irq)
{
	(void)irq;
	hooks().notify_backend();
}

extern "C" int kshim_bind_evtchn_to_irqhandler(int (*handler)(int irq, void *dev_id),
					       void *dev_id)
{
	return hooks().bind_irq(handler, dev_id);
}

extern "C" void kshim_gnttab_add_frame(unsigned int idx, void *kva)
{
	hooks().add_grant_frame(idx, kva);
}

extern "C" unsigned int kshim_gnttab_max_frames(void)
{
	return hooks().max_grant_frames();
}

extern "C" void xenbus_dev_fatal(struct xenbus_device *dev, int err, const char *fmt, ...)
{
	rs_kshim::kshim_host &h = rs_kshim::kshim_host::current();
	char msg[160], detail[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	// xenbus_va_dev_error(): "%i " then the message.
	snprintf(detail, sizeof(detail), "%i %s", err, msg);
	h.report(rs_models::finding::severity::bug, "xenbus_fatal", dev->nodename, detail);
	h.set_dut_bug();
}
