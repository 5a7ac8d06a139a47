/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kshim: the slice of the Linux kernel API the DUT uses, as plain C declarations. The
 * implementation lives in the .cpp files of kshim/ and serves each call from the models,
 * charging its cost in cycles to the calling guest thread. DUT code includes the
 * <linux/...> headers below exactly as kernel code would.
 */
#ifndef KSHIM_LINUX_KSHIM_H
#define KSHIM_LINUX_KSHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;
typedef int8_t s8;
typedef int16_t s16;
typedef u64 phys_addr_t;
typedef unsigned int gfp_t;

/* include/uapi/asm-generic/errno-base.h and include/linux/errno.h */
#define ENOENT 2
#define EIO 5
#define ENOMEM 12
#define EFAULT 14
#define EINVAL 22
#define ENOSPC 28
#define EOPNOTSUPP 95
#define ERESTARTSYS 512

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define GFP_KERNEL 0x10u
#define GFP_NOFS 0x20u
#define GFP_ATOMIC 0x40u
#define GFP_NOIO 0x80u
/* a modifier: the page (alloc_page) comes back zeroed, as the kernel's __GFP_ZERO */
#define __GFP_ZERO 0x100u

/* The guest's page size is a scenario parameter, not a build constant here. */
extern unsigned long kshim_page_size;
extern unsigned int kshim_page_shift;
#define PAGE_SIZE kshim_page_size
#define PAGE_SHIFT kshim_page_shift
#define PAGE_MASK (~(PAGE_SIZE - 1))

#ifndef __cplusplus /* C++ has std::min and std::max, which these would break */
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#endif
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The cost table entries kshim charges (mirrors sim/scenario/costs.h, in the same order). */
enum kshim_cost {
	KSHIM_COST_SYSCALL,
	KSHIM_COST_PAGE_FAULT,
	KSHIM_COST_MEMCPY_PER_KIB,
	KSHIM_COST_KMALLOC,
	KSHIM_COST_KFREE,
	KSHIM_COST_PAGE_PIN,
	KSHIM_COST_PAGE_UNPIN,
	KSHIM_COST_SPIN_LOCK,
	KSHIM_COST_SG_ENTRY,
	KSHIM_COST_DESC_WRITE,
	KSHIM_COST_KICK,
	KSHIM_COST_WAKE_UP,
	KSHIM_COST_CONTEXT_SWITCH,
	KSHIM_COST_IRQ_ENTRY,
	KSHIM_COST_PDU_MARSHAL,
	KSHIM_COST_GRANT_CLAIM,
	KSHIM_COST_GRANT_ACCESS,
	KSHIM_COST_GRANT_END,
	KSHIM_COST_EVENT_NOTIFY,
	KSHIM_COST_COUNT
};

/**
 * kshim_charge() - the calling guest thread spends @n times cost @c on a vCPU
 * Context: guest thread; waits in simulated time (first for a vCPU when all are busy).
 */
void kshim_charge(enum kshim_cost c, unsigned long n);

/**
 * kshim_bug() - a BUG_ON fired: record a finding with file, line, condition, cycle and the
 * current request, end the run with status dut_bug, and never return (the thread is parked,
 * like a kernel thread that oopsed).
 */
__attribute__((noreturn)) void kshim_bug(const char *file, int line, const char *cond);

/** kshim_printk_info() - a notable printk (e.g. a block layer clamp): an info finding. */
void kshim_printk_info(const char *file, int line, const char *what, unsigned long value);

/** kshim_warn() - a WARN_ON fired: record a finding; the run goes on. */
void kshim_warn(const char *file, int line, const char *cond);

/** kshim_current_request() - ringsim: the workload request the current thread serves, or -1. */
s64 kshim_current_request(void);

/** local_clock() - the time now in ns, which is the simulated cycle (one cycle is 1 ns). */
u64 local_clock(void);

#define BUG_ON(cond) do { if (cond) kshim_bug(__FILE__, __LINE__, #cond); } while (0)
#ifndef __cplusplus
#define WARN_ON(cond) ({ int __c = !!(cond); if (__c) kshim_warn(__FILE__, __LINE__, #cond); __c; })
#endif

/**
 * kshim_check_array() - out-of-bounds detection on an array the DUT owns
 * @elem: the element about to be written
 * @base: the array
 * @nelem: its declared length
 * @size: element size
 * @what: the array's name for the finding, e.g. "chan->sg"
 *
 * Return: true when @elem lies inside; otherwise records an "out_of_bounds_write" finding
 * and returns false, and the caller skips the write (the kernel would corrupt memory).
 */
bool kshim_check_array(const void *elem, const void *base, size_t nelem, size_t size,
		       const char *what);

#ifdef __cplusplus
}
#endif

#endif
