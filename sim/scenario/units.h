/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * units: the value syntax of scenario attributes.
 *   sizes        "4096", "512B", "64KiB", "2MiB", "2GiB"    (binary multiples only)
 *   frequencies  "1GHz", "1.5GHz", "800MHz", "100kHz", "10Hz"
 *   durations    "40cycles", "250ns", "2.5us", "1ms", "0"   (converted to whole cycles)
 * Each parser returns 0, or -1 with a short reason in @why (a static string) that the
 * caller puts after "FILE:LINE: element attribute=...:".
 */
#ifndef RS_UNITS_H
#define RS_UNITS_H

#include <stdint.h>

/**
 * rs_parse_size() - parse a byte count with an optional binary suffix
 * @s: the text
 * @out: bytes
 * @why: on error, what is wrong
 *
 * Return: 0, or -1 when @s is not "DIGITS[B|KiB|MiB|GiB|TiB]" or overflows 64 bits.
 */
int rs_parse_size(const char *s, uint64_t *out, const char **why);

/**
 * rs_parse_freq() - parse a frequency into whole Hz
 * Return: 0, or -1 when @s is not "NUMBER(Hz|kHz|MHz|GHz)", is zero, or is not whole Hz.
 */
int rs_parse_freq(const char *s, uint64_t *hz, const char **why);

/**
 * rs_parse_duration() - parse a duration into whole cycles of a clock
 * @s: "N cycles" or "NUMBER(ns|us|ms|s)"; a bare "0" is allowed
 * @clock_hz: the platform clock
 * @cycles: result
 *
 * Return: 0, or -1 when the syntax is wrong or the time is not a whole number of cycles
 * at @clock_hz (every delay in ringsim is whole cycles). A time beyond 2^64 - 1 cycles
 * is UINT64_MAX in @cycles, for the caller's range check to refuse.
 */
int rs_parse_duration(const char *s, uint64_t clock_hz, uint64_t *cycles, const char **why);

/**
 * rs_parse_uint() - parse a plain unsigned decimal integer
 * Return: 0, or -1 on anything but digits, or above UINT64_MAX.
 */
int rs_parse_uint(const char *s, uint64_t *out, const char **why);

/**
 * rs_parse_fraction() - parse a decimal number in [0, 1]
 * Return: 0, or -1 on bad syntax or a value outside [0, 1].
 */
int rs_parse_fraction(const char *s, double *out, const char **why);

/**
 * rs_parse_real() - parse a finite decimal number
 * Return: 0, or -1 on bad syntax, infinity or NaN.
 */
int rs_parse_real(const char *s, double *out, const char **why);

/**
 * rs_format_size() - format bytes the way a person writes them ("64KiB", "1000B")
 * @bytes: the value
 * @buf: output, at least 32 bytes
 * Return: @buf
 */
char *rs_format_size(uint64_t bytes, char *buf);

/**
 * rs_format_freq() - format a clock the way a scenario writes it ("1GHz", "800MHz",
 * "2500000Hz"), in the largest unit that keeps it whole
 * @hz: the value
 * @buf: output, at least 32 bytes
 * Return: @buf
 */
char *rs_format_freq(uint64_t hz, char *buf);

#endif
