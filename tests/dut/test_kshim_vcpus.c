// SPDX-License-Identifier: GPL-2.0-only
/*
 * kshim's vCPUs (kshim/vcpu.h), worked by hand with the default costs: syscall 300 cycles,
 * irq-entry 800, spin-lock 20. argv[1] names the case and the vCPU count (one per process:
 * the fixture elaborates once):
 * Threads asking on the same cycle are a tie the scheduler breaks by a hash, so each case
 * starts its threads on different cycles.
 * - one (1 vCPU): A spends 3000 from cycle 0, B 3000 from cycle 1: A ends at 3000, B waits
 *   and ends at 6000. A spending 3000 twice gives the vCPU up between the two: B (waiting
 *   since 1) runs 3000-6000 and A's second part 6000-9000. A holding a spinlock keeps it (interrupts off) through
 *   20 + 3000 = 3020; B (300, asking from cycle 1) and an interrupt (800, from cycle 2)
 *   wait; the interrupt goes first although it asked later: 3020-3820, then B 3820-4120.
 * - four (4 vCPUs): A ends at 3000, B at 3001; an interrupt thread (800 from cycle 2) ends
 *   at 802.
 * - two (2 vCPUs): A takes vCPU 1, B vCPU 0; the interrupt at cycle 2 waits for vCPU 0
 *   until B ends at 3001 and ends at 3801. A waiter for a spinlock holds no vCPU: A holds a lock
 *   0-3020 on vCPU 1, B waits for the lock from cycle 1, the interrupt at cycle 2 gets
 *   vCPU 0 at once (ends 802), and B takes the lock at 3020 and lets go at 3040.
 */
#include <string.h>

#include <CUnit/Basic.h>
#include <gsl/gsl_errno.h>
#include <linux/kshim.h>
#include <linux/spinlock.h>

#include "dut_fixture.h"

static u64 t0, a_end, b_end, irq_end;
static spinlock_t lock;

static void spend(unsigned syscalls)
{
	kshim_charge(KSHIM_COST_SYSCALL, syscalls);
}

static void b_3000(void *arg)
{
	(void)arg;
	spend(10);
	b_end = fx_cycle() - t0;
}

static void b_300(void *arg)
{
	(void)arg;
	spend(1);
	b_end = fx_cycle() - t0;
}

static void irq_800(void *arg)
{
	(void)arg;
	fx_irq_context();
	kshim_charge(KSHIM_COST_IRQ_ENTRY, 1);
	irq_end = fx_cycle() - t0;
}

static void b_spin(void *arg)
{
	(void)arg;
	kshim_spin_lock(&lock);
	kshim_spin_unlock(&lock);
	b_end = fx_cycle() - t0;
}

/* A spends 3000 from cycle 0, B 3000 from cycle 1; @irq: an interrupt at cycle 2. */
static void two_threads(void *irq)
{
	t0 = fx_cycle();
	fx_call_after(1, b_3000, NULL);
	if (irq)
		fx_call_after(2, irq_800, NULL);
	spend(10);
	a_end = fx_cycle() - t0;
}

static void a_twice(void *arg)
{
	(void)arg;
	t0 = fx_cycle();
	fx_call_after(1, b_3000, NULL);
	spend(10);
	spend(10);
	a_end = fx_cycle() - t0;
}

static void a_locked(void *spinner)
{
	t0 = fx_cycle();
	fx_call_after(1, spinner ? b_spin : b_300, NULL);
	fx_call_after(2, irq_800, NULL);
	kshim_spin_lock(&lock);
	spend(10);
	kshim_spin_unlock(&lock);
	a_end = fx_cycle() - t0;
}

static void t_vcpus_one(void)
{
	CU_ASSERT_TRUE(fx_run(two_threads, NULL));
	CU_ASSERT_EQUAL(a_end, 3000);
	CU_ASSERT_EQUAL(b_end, 6000);
	CU_ASSERT_TRUE(fx_run(a_twice, NULL));
	CU_ASSERT_EQUAL(b_end, 6000);
	CU_ASSERT_EQUAL(a_end, 9000);
	CU_ASSERT_TRUE(fx_run(a_locked, NULL));
	CU_ASSERT_EQUAL(a_end, 3020);
	CU_ASSERT_EQUAL(irq_end, 3820);
	CU_ASSERT_EQUAL(b_end, 4120);
}

static void t_vcpus_four(void)
{
	CU_ASSERT_TRUE(fx_run(two_threads, (void *)1));
	CU_ASSERT_EQUAL(a_end, 3000);
	CU_ASSERT_EQUAL(b_end, 3001);
	CU_ASSERT_EQUAL(irq_end, 802);
}

static void t_vcpus_two(void)
{
	CU_ASSERT_TRUE(fx_run(two_threads, (void *)1));
	CU_ASSERT_EQUAL(a_end, 3000);
	CU_ASSERT_EQUAL(b_end, 3001);
	CU_ASSERT_EQUAL(irq_end, 3801);
	CU_ASSERT_TRUE(fx_run(a_locked, (void *)1));
	CU_ASSERT_EQUAL(a_end, 3020);
	CU_ASSERT_EQUAL(b_end, 3040);
	CU_ASSERT_EQUAL(irq_end, 802);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		unsigned vcpus;
		void (*fn)(void);
	} cases[] = { { "one", 1, t_vcpus_one }, { "four", 4, t_vcpus_four },
		      { "two", 2, t_vcpus_two } };
	CU_pSuite suite;
	unsigned failed, i;

	gsl_set_error_handler_off();
	if (argc != 2)
		return 2;
	for (i = 0; i < ARRAY_SIZE(cases) && strcmp(argv[1], cases[i].name); i++)
		;
	if (i == ARRAY_SIZE(cases) || fx_setup_cpus(4096, 64ul << 20, cases[i].vcpus) ||
	    CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	spin_lock_init(&lock);
	suite = CU_add_suite("kshim_vcpus", NULL, NULL);
	CU_add_test(suite, cases[i].name, cases[i].fn);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
