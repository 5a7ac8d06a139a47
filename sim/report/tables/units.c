// SPDX-License-Identifier: GPL-2.0-only
/*
 * units: a metric's number in its unit. Pages become bytes at the point's page
 * size (192 pages of 4 KiB and 12 of 64 KiB are the same 768 KiB), cycles gain a time at
 * the point's clock, bytes read binary, throughput in MiB/s.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/tables/view.h"

#define MIB 1048576.0

bool rs_unit_value(const struct rs_metric_def *def, double v, const struct rs_unit_ctx *u,
		   double *out)
{
	if (def->scale)
		v *= def->scale;
	if (def->kind == RS_KIND_PAGES) {
		if (!u || u->page_size <= 0)
			return false;
		v *= u->page_size;
	}
	*out = v;
	return true;
}

char *rs_fmt_unit_value(const struct rs_metric_def *def, double x, const struct rs_unit_ctx *u,
			char *buf, size_t size)
{
	if (def->kind == RS_KIND_PAGES)
		return rs_fmt_bytes(x, buf, size);
	/* back to the metric's own scale, which rs_fmt_value() applies */
	return rs_fmt_value(def, def->scale ? x / def->scale : x, u, false, buf, size);
}

char *rs_fmt_value(const struct rs_metric_def *def, double v, const struct rs_unit_ctx *u,
		   bool full, char *buf, size_t size)
{
	char n[48], t[48];
	double x = def->scale ? v * def->scale : v;

	switch (def->kind) {
	case RS_KIND_BYTES:
		return rs_fmt_bytes(x, buf, size);
	case RS_KIND_PAGES:
		rs_fmt_short(v, n, sizeof(n));
		if (rs_unit_value(def, v, u, &x))
			snprintf(buf, size, "%s (%s page%s)", rs_fmt_bytes(x, t, sizeof(t)), n,
				 v == 1 ? "" : "s");
		else
			snprintf(buf, size, "%s pages", n);
		return buf;
	case RS_KIND_RATE:
		rs_fmt_short(x / MIB, n, sizeof(n));
		snprintf(buf, size, "%s%s", n, full ? " MiB/s" : "");
		return buf;
	case RS_KIND_CYCLES:
		rs_fmt_short(x, n, sizeof(n));
		rs_fmt_time(x, u ? u->clock_hz : 0, t, sizeof(t));
		if (full && t[0])
			snprintf(buf, size, "%s cycles (%s)", n, t);
		else
			snprintf(buf, size, "%s%s", n, full ? " cycles" : "");
		return buf;
	case RS_KIND_RATIO:
		snprintf(buf, size, "%s×", rs_fmt_ratio(x, n, sizeof(n)));
		return buf;
	default:
		rs_fmt_short(x, n, sizeof(n));
		if (full && def->unit && def->unit[0])
			snprintf(buf, size, "%s %s", n, def->unit);
		else
			snprintf(buf, size, "%s", n);
		return buf;
	}
}

char *rs_fmt_change(const struct rs_metric_def *def, double a, const struct rs_unit_ctx *ua,
		    double b, const struct rs_unit_ctx *ub, char *buf, size_t size)
{
	char va[96], vb[96], ta[48], tb[48], q[32] = "";
	double xa, xb;
	bool known = rs_unit_value(def, a, ua, &xa) && rs_unit_value(def, b, ub, &xb);

	/* "0 → 312" says it all; a ratio to or from zero says nothing. */
	if (known && xa != 0 && xb != 0)
		rs_fmt_ratio(xb / xa, q, sizeof(q));
	switch (def->kind) {
	case RS_KIND_BYTES:
	case RS_KIND_PAGES:
		rs_fmt_value(def, a, ua, true, va, sizeof(va));
		rs_fmt_value(def, b, ub, true, vb, sizeof(vb));
		snprintf(buf, size, "%s → %s%s%s%s", va, vb, q[0] ? " (" : "", q, q[0] ? "×)" : "");
		return buf;
	case RS_KIND_CYCLES:
		rs_fmt_value(def, a, ua, false, va, sizeof(va));
		rs_fmt_value(def, b, ub, false, vb, sizeof(vb));
		rs_fmt_time(xa, ua ? ua->clock_hz : 0, ta, sizeof(ta));
		rs_fmt_time(xb, ub ? ub->clock_hz : 0, tb, sizeof(tb));
		if (ta[0] && tb[0])
			snprintf(buf, size, "%s → %s cycles (%s → %s%s%s%s)", va, vb, ta, tb,
				 q[0] ? "; " : "", q, q[0] ? "×" : "");
		else
			snprintf(buf, size, "%s → %s cycles%s%s%s", va, vb, q[0] ? " (" : "", q,
				 q[0] ? "×)" : "");
		return buf;
	default:
		rs_fmt_value(def, a, ua, false, va, sizeof(va));
		rs_fmt_value(def, b, ub, true, vb, sizeof(vb));
		snprintf(buf, size, "%s → %s%s%s%s", va, vb, q[0] ? " (" : "", q, q[0] ? "×)" : "");
		return buf;
	}
}
