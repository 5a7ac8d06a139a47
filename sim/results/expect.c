// SPDX-License-Identifier: GPL-2.0-only
#include "results/expect.h"
#include "results/flatten.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include <jansson.h>

static const char *const cmp_names[] = { "eq", "ne", "lt", "le", "gt", "ge" };
static const char *const cmp_signs[] = { "==", "!=", "<", "<=", ">", ">=" };

static int holds(enum rs_cmp cmp, double actual, double want)
{
	switch (cmp) {
	case RS_CMP_EQ: return actual == want;
	case RS_CMP_NE: return actual != want;
	case RS_CMP_LT: return actual < want;
	case RS_CMP_LE: return actual <= want;
	case RS_CMP_GT: return actual > want;
	default: return actual >= want;
	}
}

static void report_failure(const struct rs_scenario *s, const struct rs_expect *x,
			   bool measured, double actual, FILE *out)
{
	const char *what = x->metric ? x->metric : x->finding;

	fprintf(out, "%s:%d: expect %s%s ", s->file, x->line, x->finding ? "findings of kind " :
		"", what);
	if (x->within)
		fprintf(out, "within %g%s of %g", x->tolerance_pct ? 100 * x->tolerance :
			x->tolerance, x->tolerance_pct ? "%" : "", x->value);
	else
		fprintf(out, "%s %g", cmp_signs[x->cmp], x->value);
	if (measured)
		fprintf(out, ": actual %.17g\n", actual);
	else
		fprintf(out, ": the run did not measure %s\n", what);
}

size_t rs_expect_eval(const struct rs_scenario *s, void *summary, FILE *out)
{
	json_t *list = json_array();
	size_t failed = 0;

	for (size_t i = 0; i < s->n_expects; i++) {
		const struct rs_expect *x = &s->expects[i];
		json_t *v = x->metric ? rs_json_path(summary, x->metric) :
			json_object_get(json_object_get(summary, "findings_by_kind"), x->finding);
		/* a finding kind that never occurred was counted: zero times */
		bool measured = x->finding || json_is_number(v);
		double actual = json_is_number(v) ? json_number_value(v) : 0;
		bool pass;
		json_t *e;

		if (x->within) {
			double tol = x->tolerance_pct ? x->tolerance * fabs(x->value) : x->tolerance;

			pass = measured && fabs(actual - x->value) <= tol;
		} else {
			pass = measured && holds(x->cmp, actual, x->value);
		}
		e = json_pack("{s:s?, s:s?, s:s, s:f, s:o, s:b}", "metric", x->metric, "finding",
			      x->finding, "op", x->within ? "within" : cmp_names[x->cmp],
			      "expected", x->value, "actual",
			      measured ? json_real(actual) : json_null(), "pass", pass);
		if (x->within) {
			json_object_set_new(e, "tolerance", json_real(x->tolerance));
			json_object_set_new(e, "tolerance_is", json_string(x->tolerance_pct ?
									  "relative" : "absolute"));
		}
		json_array_append_new(list, e);
		if (pass)
			continue;
		failed++;
		report_failure(s, x, measured, actual, out);
	}
	json_object_set_new(summary, "expectations", list);
	return failed;
}
