// SPDX-License-Identifier: GPL-2.0-only
/*
 * A DUT object of the right ABI whose blk table lacks two entry points (submit_io,
 * issue_flush): ringsim must refuse it, naming both (test_dut.sh). The others point at a
 * stub that is never called.
 */
#include "dut_ops.h"

static void stub(void)
{
}

#define STUB(member) .member = (__typeof__(((struct rs_dut_blk_ops *)0)->member))stub

__attribute__((visibility("default"))) const struct rs_dut_blk_ops rs_dut_blk_ops = {
	.abi_version = RS_DUT_ABI_VERSION,
	.name = "partial",
	.description = "no submit_io, no issue_flush",
	STUB(gnttab_init),
	STUB(gnttab_free_count_now),
	STUB(probe_and_connect),
	STUB(ring_refs),
	STUB(ring_size),
	STUB(persistent_gnts),
	STUB(pool_pages),
	STUB(pool_pfns),
	STUB(writeback_pages),
};
