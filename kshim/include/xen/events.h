/* SPDX-License-Identifier: GPL-2.0-only */
/* Event channels: the frontend's doorbell to the backend and the backend's interrupt. */
#ifndef KSHIM_XEN_EVENTS_H
#define KSHIM_XEN_EVENTS_H

#include <linux/kshim.h>

#ifdef __cplusplus
extern "C" {
#endif

/** notify_remote_via_irq() - the event-channel hypercall to the backend. */
void notify_remote_via_irq(int irq);

/**
 * kshim_bind_evtchn_to_irqhandler() - bind an event channel to @handler(irq, @dev_id),
 * run by the engine's interrupt thread. Return: the irq number.
 */
int kshim_bind_evtchn_to_irqhandler(int (*handler)(int irq, void *dev_id), void *dev_id);

#ifdef __cplusplus
}
#endif

#endif
