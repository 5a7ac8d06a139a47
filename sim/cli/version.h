/* SPDX-License-Identifier: GPL-2.0-only */
/* version: what `ringsim --version` says: this build and the libraries it was built with. */
#ifndef RS_VERSION_H
#define RS_VERSION_H

#include <stdio.h>

/**
 * rs_print_version() - the version, the git commit, and the versions of SystemC, libxml2,
 * GSL, Verilator and jansson (built against, and running with where they differ)
 * @out: the stream
 */
void rs_print_version(FILE *out);

#endif
