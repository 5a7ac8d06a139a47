/* SPDX-License-Identifier: GPL-2.0-only */
/* check: the second layer of scenario loading, the meaning of a valid document (check.c). */
#ifndef RS_SCENARIO_CHECK_H
#define RS_SCENARIO_CHECK_H

#include "scenario/dom.h"

/**
 * rs_dom_check() - the second layer: turn a valid document into a checked scenario
 * @dom: loading state; errors go to dom->diag
 * @s: zeroed scenario to fill
 *
 * Also writes device-specific defaults (a job's buffer or io) and the complete cost table
 * into the document, so the as-run XML says everything the run used.
 * Return: 0, or -1 when at least one error was added to dom->diag.
 */
int rs_dom_check(struct rs_dom *dom, struct rs_scenario *s);

#endif
