/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A guest for DUT unit tests: guest memory, kshim, a recorder, and a way to run a test body
 * as a guest thread (an SC_THREAD), so the DUT can sleep, be woken and hit BUG_ON.
 * SystemC elaborates once per process: one fixture per test executable.
 */
#ifndef RS_TESTS_DUT_FIXTURE_H
#define RS_TESTS_DUT_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include <linux/mm.h>

#ifdef __cplusplus
extern "C" {
#endif

/** fx_setup() - a guest of @memory bytes with pages of @page_size; 0 or -1. */
int fx_setup(unsigned page_size, uint64_t memory);
void fx_teardown(void);

/**
 * fx_run() - run @fn(@arg) as a guest thread until it returns, until nothing is left to
 * happen, or until a BUG_ON stops the simulation.
 * Return: 1 when @fn returned, 0 when it did not (it sleeps forever, or hit a BUG).
 */
int fx_run(void (*fn)(void *), void *arg);

/** fx_wake_after() - a helper thread that calls @fn(@arg) @cycles from now (at fx_run). */
void fx_call_after(uint64_t cycles, void (*fn)(void *), void *arg);

/** fx_findings() - findings of @kind recorded so far (NULL: all). */
size_t fx_findings(const char *kind);
/** fx_dut_bug() - whether a BUG_ON fired. */
int fx_dut_bug(void);

/** fx_user_buffer() - @len bytes of the test process's memory, not yet faulted in. */
char *fx_user_buffer(size_t len);
/** fx_pincount() - pins on frame @pfn. */
unsigned fx_pincount(unsigned long pfn);
/** fx_kmalloc_live() - kmalloc objects alive now. */
size_t fx_kmalloc_live(void);
/* What blkfront's probes reported last (kshim_blkif_queued) and in total. */
struct fx_blkif {
	unsigned queued, num_sg, num_grant, max_grefs, indirect_frames;
	unsigned exhausted, ring_full, copied, notifies;
	unsigned tag_waits, tag_sleeps; /* kshim_blk_tag_waited: requests that waited, sleeps */
	uint64_t tag_wait_cycles;       /* their waits, summed */
};

/** fx_xen_setup() - a stand-in hypervisor for blkfront; its probes fill @rec. */
void fx_xen_setup(struct fx_blkif *rec);

/** fx_kworker_setup() - a kernel worker thread runs schedule_work()'s items; before fx_run. */
void fx_kworker_setup(void);

/** fx_cycle() - the simulated cycle now. */
u64 fx_cycle(void);

/** fx_deliver_signal() - a signal to the thread fx_run() runs. */
void fx_deliver_signal(void);

#ifdef __cplusplus
}
#endif

#endif
