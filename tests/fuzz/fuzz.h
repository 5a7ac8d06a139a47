/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz: what the targets share. Each target defines LLVMFuzzerTestOneInput(); libFuzzer's
 * main or standalone.c's calls it once per input.
 */
#ifndef RS_FUZZ_H
#define RS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/**
 * rs_fuzz_dir() - this process's scratch directory, made on the first call and removed
 * at exit (with what the target wrote in it)
 * Return: its path; aborts when it cannot be made.
 */
const char *rs_fuzz_dir(void);

/**
 * rs_fuzz_write() - write @size bytes to @path, replacing it
 * Return: 0; aborts on failure (the scratch directory is the harness's, not the input's).
 */
int rs_fuzz_write(const char *path, const void *data, size_t size);

/* Abort with a message: an invariant of the code under test does not hold. */
#define RS_FUZZ_ASSERT(cond) \
	((cond) ? (void)0 : rs_fuzz_fail(__FILE__, __LINE__, #cond))

void rs_fuzz_fail(const char *file, int line, const char *what);

#endif
