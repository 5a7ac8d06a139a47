// SPDX-License-Identifier: GPL-2.0-only
/*
 * fmt: every number the report shows, formatted here and nowhere else: whole counts with
 * thousands separators, k/M/G for large values, ratios, bytes in binary units and cycles as
 * time at a clock.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/tables/fmt.h"

/* The decimal prefixes of rs_fmt_number() and rs_fmt_compact(). */
static const char *const si_prefix[] = { "", "k", "M", "G", "T", "P" };

/*
 * Divide *@a by @base while it is at least @step and a larger unit of the @n_units exists.
 * Return: the index of the unit *@a is now in.
 */
static size_t scale_down(double *a, double base, double step, size_t n_units)
{
	size_t e = 0;

	while (*a >= step && e + 1 < n_units) {
		*a /= base;
		e++;
	}
	return e;
}

/* "125439044" -> "125,439,044" */
static char *group_thousands(long long v, char *buf, size_t size)
{
	char digits[32], out[48];
	size_t n, o = 0;

	n = (size_t)snprintf(digits, sizeof(digits), "%llu",
			     v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v);
	if (v < 0)
		out[o++] = '-';
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	snprintf(buf, size, "%s", out);
	return buf;
}

char *rs_fmt_number(double v, char *buf, size_t size)
{
	double a = fabs(v);
	size_t e;

	if (!isfinite(v)) {
		snprintf(buf, size, "%s", isnan(v) ? "NaN" : v > 0 ? "inf" : "-inf");
		return buf;
	}
	/* Counts read best whole; 15 digits is where a double stops being exact. */
	if (v == floor(v) && a < 1e15)
		return group_thousands((long long)v, buf, size);
	if (a < 1e5) {
		snprintf(buf, size, "%.4g", v);
		return buf;
	}
	e = scale_down(&a, 1000, 1000, 6);
	snprintf(buf, size, "%.3g%s", v < 0 ? -a : a, si_prefix[e]);
	return buf;
}

char *rs_fmt_ratio(double r, char *buf, size_t size)
{
	double a = fabs(r);

	if (!isfinite(r))
		snprintf(buf, size, "%s", isnan(r) ? "NaN" : "inf");
	else if (a != 0 && a < 0.01)
		snprintf(buf, size, "%.2g", r);
	else if (a < 10)
		snprintf(buf, size, "%.2f", r);
	else if (a < 100)
		snprintf(buf, size, "%.1f", r);
	else
		snprintf(buf, size, "%.0f", r);
	return buf;
}

char *rs_fmt_short(double v, char *buf, size_t size)
{
	double a = fabs(v);

	if (!isfinite(v) || (v == floor(v) && a < 1e15) || a >= 100)
		return rs_fmt_number(round(v), buf, size);
	if (a >= 10)
		snprintf(buf, size, "%.1f", v);
	else if (a >= 1)
		snprintf(buf, size, "%.2f", v);
	else
		snprintf(buf, size, "%.3g", v);
	return buf;
}

char *rs_fmt_compact(double v, char *buf, size_t size)
{
	double a = fabs(v);
	size_t e;

	if (!isfinite(v) || a < 10000)
		return rs_fmt_short(v, buf, size);
	/* 999.5 and up would round to "1000k": the next prefix; at most T */
	e = scale_down(&a, 1000, 999.5, 5);
	snprintf(buf, size, "%s%.*f%s", v < 0 ? "-" : "", a >= 99.95 ? 0 : a >= 9.995 ? 1 : 2, a,
		 si_prefix[e]);
	return buf;
}

/* 3 significant digits, whole numbers without a fraction: "768", "65.5", "1.25". */
static char *sig3(double v, char *buf, size_t size)
{
	if (v == floor(v) || v >= 100)
		snprintf(buf, size, "%.0f", v);
	else if (v >= 10)
		snprintf(buf, size, "%.1f", v);
	else
		snprintf(buf, size, "%.2f", v);
	return buf;
}

char *rs_fmt_bytes(double bytes, char *buf, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double a = fabs(bytes);
	char n[32];
	size_t u = scale_down(&a, 1024, 1024, sizeof(units) / sizeof(units[0]));

	snprintf(buf, size, "%s%s %s", bytes < 0 ? "-" : "", sig3(a, n, sizeof(n)), units[u]);
	return buf;
}

char *rs_fmt_time(double cycles, double clock_hz, char *buf, size_t size)
{
	static const char *const units[] = { "ns", "µs", "ms", "s" };
	double t = clock_hz > 0 ? fabs(cycles / clock_hz * 1e9) : 0;
	char n[32];
	size_t u;

	if (clock_hz <= 0 || !isfinite(t)) {
		snprintf(buf, size, "%s", "");
		return buf;
	}
	u = scale_down(&t, 1000, 1000, sizeof(units) / sizeof(units[0]));
	snprintf(buf, size, "%s %s", sig3(t, n, sizeof(n)), units[u]);
	return buf;
}

double rs_axis_scale(double max, const char **unit)
{
	if (max >= 1e9) {
		*unit = " (billions)";
		return 1e9;
	}
	if (max >= 1e6) {
		*unit = " (millions)";
		return 1e6;
	}
	*unit = "";
	return 1;
}

bool rs_ratio_differs(double r)
{
	char buf[32];

	return strcmp(rs_fmt_ratio(r, buf, sizeof(buf)), "1.00") != 0;
}
