/* SPDX-License-Identifier: GPL-2.0-only */
/* Wait queues: a waiting guest thread is suspended in simulated time until a wake_up. */
#ifndef KSHIM_LINUX_WAIT_H
#define KSHIM_LINUX_WAIT_H

#include <linux/kshim.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	void *impl; /* the engine's sleepers while a thread sleeps on it, else NULL */
	const char *name;
} wait_queue_head_t;

/** init_waitqueue_head() - make @wq usable; @name names it in stalls and findings. */
void kshim_init_waitqueue_head(wait_queue_head_t *wq, const char *name);
#define init_waitqueue_head(wq) kshim_init_waitqueue_head((wq), #wq)

/** wake_up() - wake every thread waiting on @wq. Charges wake-up. */
void wake_up(wait_queue_head_t *wq);

/**
 * kshim_wait_interruptible() - sleep on @wq until a wake_up or a signal
 * Return: 0 after a wake_up, -ERESTARTSYS when a signal is pending for the thread.
 * Context: guest thread; charges context-switch.
 */
int kshim_wait_interruptible(wait_queue_head_t *wq);

/**
 * kshim_wait_uninterruptible() - sleep on @wq until a wake_up (TASK_UNINTERRUPTIBLE);
 * callers re-check their condition. Context: guest thread; charges context-switch.
 */
void kshim_wait_uninterruptible(wait_queue_head_t *wq);

/** kshim_signal_pending() - signal_pending(current): the thread's TIF_SIGPENDING flag. */
int kshim_signal_pending(void);

/** kshim_clear_sigpending() - clear_thread_flag(TIF_SIGPENDING); the signal stays queued. */
void kshim_clear_sigpending(void);

/** kshim_recalc_sigpending() - recalc_sigpending(): the flag again if a signal is queued. */
void kshim_recalc_sigpending(void);

/* include/linux/wait.h: check, sleep, re-check; a pending signal ends the wait. */
#define wait_event_interruptible(wq, condition)                                    \
	({                                                                         \
		int __ret = 0;                                                     \
		while (!(condition)) {                                             \
			__ret = kshim_wait_interruptible(&(wq));                   \
			if (__ret)                                                 \
				break;                                             \
		}                                                                  \
		__ret;                                                             \
	})

#ifdef __cplusplus
}
#endif

#endif
