/* SPDX-License-Identifier: GPL-2.0-only */
/* Work items, run later by a kernel worker thread (the engine's). */
#ifndef KSHIM_LINUX_WORKQUEUE_H
#define KSHIM_LINUX_WORKQUEUE_H

#include <linux/kshim.h>

#ifdef __cplusplus
extern "C" {
#endif

struct work_struct {
	void (*func)(struct work_struct *work);
	int pending;
};

#define INIT_WORK(w, f) ((w)->func = (f), (w)->pending = 0)

/** schedule_work() - queue @work for the worker thread; false if already queued. */
bool schedule_work(struct work_struct *work);

#ifdef __cplusplus
}
#endif

#endif
