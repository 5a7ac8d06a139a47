// SPDX-License-Identifier: GPL-2.0-only
#include "expect.h"

#include <string.h>

#include <jansson.h>

static const char *const cmp_names[] = { "eq", "ne", "lt", "le", "gt", "ge" };
static const char *const cmp_signs[] = { "==", "!=", "<", "<=", ">", ">=" };

static json_t *lookup(json_t *root, const char *path)
{
	char buf[256];
	char *part, *save = NULL;
	json_t *v = root;

	snprintf(buf, sizeof(buf), "%s", path);
	for (part = strtok_r(buf, ".", &save); part && v; part = strtok_r(NULL, ".", &save))
		v = json_object_get(v, part);
	return v;
}

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

size_t rs_expect_eval(const struct rs_scenario *s, void *summary, FILE *out)
{
	json_t *list = json_array();
	size_t failed = 0;

	for (size_t i = 0; i < s->n_expects; i++) {
		const struct rs_expect *x = &s->expects[i];
		json_t *v = lookup(summary, x->metric);
		int measured = json_is_number(v);
		double actual = measured ? json_number_value(v) : 0;
		int pass = measured && holds(x->cmp, actual, x->value);

		json_array_append_new(list, json_pack("{s:s, s:s, s:f, s:o, s:b}",
			"metric", x->metric, "op", cmp_names[x->cmp], "expected", x->value,
			"actual", measured ? json_real(actual) : json_null(), "pass", pass));
		if (pass)
			continue;
		failed++;
		if (measured)
			fprintf(out, "%s:%d: expect %s %s %g: actual %.17g\n", s->file, x->line,
				x->metric, cmp_signs[x->cmp], x->value, actual);
		else
			fprintf(out, "%s:%d: expect %s %s %g: the run did not measure %s\n",
				s->file, x->line, x->metric, cmp_signs[x->cmp], x->value,
				x->metric);
	}
	json_object_set_new(summary, "expectations", list);
	return failed;
}
