/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dut_names: what a scenario's <dut virtio-9p="..." xen-blk="..."/> may name. A DUT spec is
 *   seed                  the two seed patches as written (built in)
 *   upstream              the seed with every later fix of its kind (dut/fixes/variants.txt)
 *   seed+FIX[+FIX...]     the seed with these fixes, in this order; a FIX is a fix's name
 *   upstream+PATCH...     or the path of a patch against the shipped DUT source
 *   FILE.c                a user's driver file in place of the shipped one of the same name
 *   FILE.so               a DUT object exporting the ops tables of dut/dut_ops.h
 * The fixes are the index dut/fixes/variants.txt, built into the binary. Paths are made
 * absolute here (a compare's runs start elsewhere); what they hold is sim/dutbuild's and the
 * loader's to judge, at the start of a run.
 */
#ifndef RS_SCENARIO_DUT_NAMES_H
#define RS_SCENARIO_DUT_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One line of the index: a fix (@patch relative to dut/fixes) or a kind's `upstream`
 * (@patch lists its fixes joined by '+'). */
struct rs_dut_fix {
	const char *kind;        /* "virtio-9p" or "xen-blk" */
	const char *name;        /* "6cc5683", "9p-b2", "upstream" */
	const char *patch;
	const char *description; /* one line */
};

/** rs_dut_fixes() - the index in its order, ending with a zeroed entry. */
const struct rs_dut_fix *rs_dut_fixes(void);

/** rs_dut_fix_find() - the entry of @kind named @name, or NULL. */
const struct rs_dut_fix *rs_dut_fix_find(const char *kind, const char *name);

/**
 * rs_dut_spec_check() - a <dut> attribute's value as a normalized DUT spec
 * @kind: the attribute, "virtio-9p" or "xen-blk"
 * @value: what the scenario or --set gave
 * @why: on failure, what is wrong and what is allowed
 * @size: size of @why
 * Return: the spec to run (malloc()ed; names kept, paths absolute), or NULL.
 */
char *rs_dut_spec_check(const char *kind, const char *value, char *why, size_t size);

/** rs_dut_spec_is_builtin() - whether @spec is the seed linked into ringsim. */
bool rs_dut_spec_is_builtin(const char *spec);

#ifdef __cplusplus
}
#endif

#endif
