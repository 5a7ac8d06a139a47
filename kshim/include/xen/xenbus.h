/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xenbus, as much of include/xen/xenbus.h (4.4) as blkfront's connect uses: the device and
 * xenbus_dev_fatal(). ringsim has no xenstore; the backend's keys reach the frontend as
 * struct blkfront_config.
 */
#ifndef KSHIM_XEN_XENBUS_H
#define KSHIM_XEN_XENBUS_H

#include <linux/kshim.h>

#ifdef __cplusplus
extern "C" {
#endif

/* XENBUS_MAX_RING_PAGE_ORDER (4.3/4.4; later XENBUS_MAX_RING_GRANT_ORDER): 16 ring pages. */
#define XENBUS_MAX_RING_PAGE_ORDER 4
#define XENBUS_MAX_RING_PAGES (1U << XENBUS_MAX_RING_PAGE_ORDER)

struct xenbus_device {
	const char *nodename; /* the frontend's directory, e.g. "device/vbd/51712" */
	const char *otherend; /* the backend's */
};

/**
 * xenbus_dev_fatal() - the driver gives the device up: drivers/xen/xenbus/xenbus_client.c
 * writes "@err message" under error/ and switches the frontend to Closing. Here: a
 * "xenbus_fatal" finding (the device never connects) and the run ends with status
 * dut_bug once the caller returns.
 * Context: boot or a guest thread.
 */
void xenbus_dev_fatal(struct xenbus_device *dev, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif

#endif
