/* SPDX-License-Identifier: GPL-2.0-only */
/* capture: run a command (Slurm's sbatch, squeue, ...) and keep what it printed. */
#ifndef RS_CAPTURE_H
#define RS_CAPTURE_H

#include <stddef.h>

/**
 * rs_capture() - run @argv (looked up on PATH) and wait for it
 * @argv: NULL-terminated; argv[0] the command
 * @out: receives its stdout, NUL-terminated, cut at @out_size - 1 bytes (the rest is read
 *       and dropped)
 * @out_size: at least 1
 * @errout: receives its stderr the same way, or NULL to drop it
 * @err_size: the size of @errout
 *
 * Context: waits for its own child only (by pid), retrying reads and waits on EINTR, so a
 * signal (the caller's stop flag) does not cut the command short.
 * Return: the command's exit status, 128 + signal when a signal ended it, 127 when it
 * could not be run, or -1 when no process could be started.
 */
int rs_capture(char *const argv[], char *out, size_t out_size, char *errout,
	       size_t err_size);

#endif
