// SPDX-License-Identifier: GPL-2.0-only
#include "scenario/units.h"

#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A decimal number split into an integer mantissa and a count of fraction digits, so
 * "2.5" is 25 / 10^1 and unit conversions stay exact.
 */
struct decimal {
	uint64_t mant;
	unsigned frac_digits;
};

#define TOO_LARGE (-2)

/* Parse leading "DIGITS[.DIGITS]"; *end points past it. Return: 0, -1 when it is not one,
 * TOO_LARGE when its integer digits do not fit 64 bits (*end still past them all). */
static int parse_decimal(const char *s, struct decimal *d, const char **end, int allow_frac)
{
	const char *p = s;
	bool over = false;
	int digits = 0;

	d->mant = 0;
	d->frac_digits = 0;
	for (; isdigit((unsigned char)*p); p++, digits++) {
		over = over || d->mant > (UINT64_MAX - (uint64_t)(*p - '0')) / 10;
		if (!over)
			d->mant = d->mant * 10 + (uint64_t)(*p - '0');
	}
	if (allow_frac && *p == '.' && isdigit((unsigned char)p[1])) {
		for (p++; isdigit((unsigned char)*p); p++) {
			if (over)
				continue;
			if (d->mant > (UINT64_MAX - (uint64_t)(*p - '0')) / 10 ||
			    d->frac_digits >= 18)
				return -1;
			d->mant = d->mant * 10 + (uint64_t)(*p - '0');
			d->frac_digits++;
		}
	}
	*end = p;
	if (!digits)
		return -1;
	return over ? TOO_LARGE : 0;
}

static uint64_t pow10u(unsigned n)
{
	uint64_t v = 1;

	while (n--)
		v *= 10;
	return v;
}

int rs_parse_uint(const char *s, uint64_t *out, const char **why)
{
	struct decimal d;
	const char *end;

	int rc = parse_decimal(s, &d, &end, 0);

	if (rc == TOO_LARGE && !*end) {
		*why = "too large; at most 18446744073709551615";
		return -1;
	}
	if (rc || *end) {
		*why = "not a whole number";
		return -1;
	}
	*out = d.mant;
	return 0;
}

int rs_parse_size(const char *s, uint64_t *out, const char **why)
{
	static const struct {
		const char *suffix;
		unsigned shift;
	} units[] = { { "", 0 }, { "B", 0 }, { "KiB", 10 }, { "MiB", 20 }, { "GiB", 30 }, { "TiB", 40 } };
	struct decimal d;
	const char *end;

	int rc = parse_decimal(s, &d, &end, 0);

	if (rc == TOO_LARGE) {
		*why = "too large";
		return -1;
	}
	if (rc) {
		*why = "not a size; write a whole number with B, KiB, MiB or GiB (e.g. 64KiB)";
		return -1;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix))
			continue;
		if (units[i].shift && d.mant > (UINT64_MAX >> units[i].shift)) {
			*why = "too large";
			return -1;
		}
		*out = d.mant << units[i].shift;
		return 0;
	}
	*why = "unknown size unit; allowed: B, KiB, MiB, GiB, TiB (binary multiples, e.g. 64KiB)";
	return -1;
}

/* value = d * mul / div must be a whole number; computed in 128 bits. Return: 0, -1 when it
 * is not whole, TOO_LARGE when it is above UINT64_MAX. */
static int scale_exact(const struct decimal *d, unsigned __int128 mul, uint64_t div,
		       uint64_t *out)
{
	unsigned __int128 den = (unsigned __int128)div * pow10u(d->frac_digits);
	unsigned __int128 num;

	if (d->mant && mul > ~(unsigned __int128)0 / d->mant)
		return TOO_LARGE;
	num = d->mant * mul;

	if (num / den > UINT64_MAX)
		return TOO_LARGE;
	if (num % den)
		return -1;
	num /= den;
	*out = (uint64_t)num;
	return 0;
}

int rs_parse_freq(const char *s, uint64_t *hz, const char **why)
{
	static const struct {
		const char *suffix;
		uint64_t mul;
	} units[] = { { "Hz", 1 }, { "kHz", 1000 }, { "MHz", 1000000 }, { "GHz", 1000000000 } };
	struct decimal d;
	const char *end;

	if (parse_decimal(s, &d, &end, 1)) {
		*why = "not a frequency; write a number with Hz, kHz, MHz or GHz (e.g. 1GHz)";
		return -1;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix))
			continue;
		if (scale_exact(&d, units[i].mul, 1, hz)) {
			*why = "not a whole number of Hz";
			return -1;
		}
		if (!*hz) {
			*why = "a clock must be faster than 0 Hz";
			return -1;
		}
		return 0;
	}
	*why = "unknown frequency unit; allowed: Hz, kHz, MHz, GHz";
	return -1;
}

int rs_parse_duration(const char *s, uint64_t clock_hz, uint64_t *cycles, const char **why)
{
	/* Nanoseconds per unit; cycles = t_ns * clock_hz / 1e9. */
	static const struct {
		const char *suffix;
		uint64_t ns;
	} units[] = { { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 } };
	struct decimal d;
	const char *end;
	int rc = parse_decimal(s, &d, &end, 1);

	/* Beyond 64 bits of cycles: UINT64_MAX, for the caller's range check to refuse
	 * with what is allowed. */
	if (rc == -1)
		goto syntax;
	if (!strcmp(end, "cycles") || (!*end && d.mant == 0 && !rc)) {
		if (d.frac_digits) {
			*why = "cycles must be a whole number";
			return -1;
		}
		*cycles = rc == TOO_LARGE ? UINT64_MAX : d.mant;
		return 0;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix))
			continue;
		if (!rc)
			rc = scale_exact(&d, (unsigned __int128)units[i].ns * clock_hz,
					 1000000000u, cycles);
		if (rc == TOO_LARGE)
			*cycles = UINT64_MAX;
		if (rc == 0 || rc == TOO_LARGE)
			return 0;
		*why = "not a whole number of cycles at the platform clock; every delay is whole cycles";
		return -1;
	}
syntax:
	*why = "not a duration; write N cycles or a time with ns, us, ms or s (e.g. 40cycles, 2.5us)";
	return -1;
}

int rs_parse_real(const char *s, double *out, const char **why)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v) || isspace((unsigned char)*s)) {
		*why = "not a number";
		return -1;
	}
	*out = v;
	return 0;
}

int rs_parse_fraction(const char *s, double *out, const char **why)
{
	if (rs_parse_real(s, out, why))
		return -1;
	if (*out < 0.0 || *out > 1.0) {
		*why = "must be between 0 and 1";
		return -1;
	}
	return 0;
}

char *rs_format_size(uint64_t bytes, char *buf)
{
	static const char *const suffix[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned i = 0;

	while (i < 4 && bytes && bytes % 1024 == 0) {
		bytes /= 1024;
		i++;
	}
	snprintf(buf, 32, "%llu%s", (unsigned long long)bytes, suffix[i]);
	return buf;
}

char *rs_format_freq(uint64_t hz, char *buf)
{
	if (hz && hz % 1000000000 == 0)
		snprintf(buf, 32, "%lluGHz", (unsigned long long)(hz / 1000000000));
	else if (hz && hz % 1000000 == 0)
		snprintf(buf, 32, "%lluMHz", (unsigned long long)(hz / 1000000));
	else
		snprintf(buf, 32, "%lluHz", (unsigned long long)hz);
	return buf;
}
