// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target (2): command-line values. The input, up to a NUL, is up to MAX_SETS lines:
 * each one a `--set PATH=VALUE` on the built-in quickstart (rs_scenario_load applies it
 * to the document, the schema and rs_dom_check judge it), a `--vary PATH=V1,V2` list
 * (rs_vary_parse), and its VALUE through every parser of units.c. A size or a clock
 * that parses reads back the same after rs_format_size() or rs_format_freq().
 */
#include <stdlib.h>
#include <string.h>

#include "compare/compare.h"
#include "scenario/embedded.h"
#include "scenario/scenario.h"
#include "scenario/units.h"
#include "fuzz.h"

#define MAX_SETS 4

static void values(const char *s)
{
	const char *why = NULL;
	uint64_t u, again;
	char buf[32];
	double d;

	if (!rs_parse_size(s, &u, &why)) {
		RS_FUZZ_ASSERT(!rs_parse_size(rs_format_size(u, buf), &again, &why));
		RS_FUZZ_ASSERT(again == u);
	}
	if (!rs_parse_freq(s, &u, &why)) {
		RS_FUZZ_ASSERT(u > 0);
		RS_FUZZ_ASSERT(!rs_parse_freq(rs_format_freq(u, buf), &again, &why));
		RS_FUZZ_ASSERT(again == u);
		/* a duration at this clock, as check.c reads one */
		rs_parse_duration(s, u, &again, &why);
	}
	rs_parse_duration(s, 1000000000u, &u, &why);
	rs_parse_duration(s, 1, &u, &why);
	rs_parse_duration(s, UINT64_MAX, &u, &why);
	rs_parse_uint(s, &u, &why);
	if (!rs_parse_fraction(s, &d, &why))
		RS_FUZZ_ASSERT(d >= 0.0 && d <= 1.0);
	rs_parse_real(s, &d, &why);
}

static void vary(const char *arg)
{
	struct rs_comparison c = { 0 };
	struct rs_diag diag = { 0 };

	if (!rs_vary_parse(arg, &c.vary[0], &diag)) {
		c.n_vary = 1;
		RS_FUZZ_ASSERT(c.vary[0].n_values > 0);
		RS_FUZZ_ASSERT(!rs_comparison_points(&c));
		RS_FUZZ_ASSERT(c.n_points == c.vary[0].n_values);
	} else {
		RS_FUZZ_ASSERT(diag.n > 0);
	}
	rs_comparison_free(&c);
	rs_diag_clear(&diag);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = strndup((const char *)data, size), *sets[MAX_SETS], *save = NULL;
	struct rs_diag diag = { 0 };
	struct rs_scenario *s;
	size_t n = 0;

	if (!text)
		return 0;
	for (char *line = strtok_r(text, "\n", &save); line && n < MAX_SETS;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *eq = strchr(line, '=');

		sets[n++] = line;
		values(eq ? eq + 1 : line);
		vary(line);
	}
	s = rs_scenario_load("quickstart.xml", (const char *)rs_embedded_quickstart,
			     rs_embedded_quickstart_len, sets, n, &diag);
	RS_FUZZ_ASSERT(!s == (diag.n > 0));
	rs_scenario_free(s);
	rs_diag_clear(&diag);
	free(text);
	return 0;
}
