/* SPDX-License-Identifier: GPL-2.0-only */
/* expect: a scenario's <expect> checks, evaluated against the run's summary. */
#ifndef RS_EXPECT_H
#define RS_EXPECT_H

#include <stddef.h>
#include <stdio.h>

#include "scenario/scenario.h"

/**
 * rs_expect_eval() - evaluate every expectation of @s against @summary
 * @s: the scenario
 * @summary: the summary (json_t *, as void *); gets an "expectations" array with metric,
 *           expected, actual and pass for each
 * @out: one line per failed expectation goes here, e.g. stderr
 *
 * A metric the run did not measure fails its expectation and says so.
 * Return: the number of failed expectations.
 */
size_t rs_expect_eval(const struct rs_scenario *s, void *summary, FILE *out);

#endif
