// SPDX-License-Identifier: GPL-2.0-only
/* A DUT object built against another DUT boundary: ringsim must refuse it (test_dut.sh). */
#include "dut_ops.h"

__attribute__((visibility("default"))) const struct rs_dut_blk_ops rs_dut_blk_ops = {
	.abi_version = RS_DUT_ABI_VERSION + 1,
	.name = "wrong-abi",
	.description = "a table of the next ABI version",
};
