/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dut_names: the built-in drivers under test a scenario's <dut> may name, for check.c's
 * messages and `ringsim dut list`. sim/devices/dut_loader.cpp maps each name to its ops
 * tables; a name added here needs its tables there.
 */
#ifndef RS_SCENARIO_DUT_NAMES_H
#define RS_SCENARIO_DUT_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rs_dut_name {
	const char *name;
	const char *description; /* one line */
};

/** rs_dut_names() - the built-in variants, ending with { NULL, NULL }. */
const struct rs_dut_name *rs_dut_names(void);

/** rs_dut_name_known() - whether @name is one of them. */
bool rs_dut_name_known(const char *name);

/** rs_dut_name_list() - "seed, ..." for error messages (static buffer). */
const char *rs_dut_name_list(void);

#ifdef __cplusplus
}
#endif

#endif
