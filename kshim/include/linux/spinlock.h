/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Spinlocks and atomics. Guest threads are SystemC processes and never run at the same
 * instant, so a lock only costs time and records who holds it: sleeping with a spinlock
 * held is a finding, as lockdep would report it. A holder keeps its vCPU until its last
 * unlock (preemption off, kshim/vcpu.h); a thread waiting for the lock holds none.
 */
#ifndef KSHIM_LINUX_SPINLOCK_H
#define KSHIM_LINUX_SPINLOCK_H

#include <linux/kshim.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	int held;
	void *impl; /* the engine's wait state for a contended lock */
} spinlock_t;

typedef struct {
	int counter;
} atomic_t;

void kshim_spin_lock(spinlock_t *lock);
void kshim_spin_unlock(spinlock_t *lock);

#define spin_lock_init(l) ((l)->held = 0, (l)->impl = NULL)
#define spin_lock_irqsave(l, flags) do { (flags) = 0; kshim_spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) do { (void)(flags); kshim_spin_unlock(l); } while (0)

#define ATOMIC_INIT(i) { (i) }
static inline int atomic_read(const atomic_t *v) { return v->counter; }
static inline void atomic_set(atomic_t *v, int i) { v->counter = i; }
static inline void atomic_add(int i, atomic_t *v) { v->counter += i; }
static inline void atomic_sub(int i, atomic_t *v) { v->counter -= i; }

#ifdef __cplusplus
}
#endif

#endif
