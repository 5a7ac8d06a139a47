// SPDX-License-Identifier: GPL-2.0-only
#include "cli/version.h"

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_version.h>
#include <jansson.h>
#include <libxml/globals.h>
#include <libxml/xmlversion.h>

#include "dutbuild/dutbuild.h"
#include "engine/engine.h"
#include "version_git.h" /* RINGSIM_GIT: written at build time by version.cmake */

#ifndef RINGSIM_VERSION
#define RINGSIM_VERSION "unknown"
#endif

void rs_print_version(FILE *out)
{
	fprintf(out, "ringsim %s (git %s)\n", RINGSIM_VERSION, RINGSIM_GIT);
	fprintf(out, "  SystemC   %s\n", rs_engine_systemc_version());
	fprintf(out, "  Verilator %s\n", rs_engine_verilator_version());
	/* libxml2's running version is a number: 20914 for 2.9.14. */
	fprintf(out, "  libxml2   %s", LIBXML_DOTTED_VERSION);
	if (atoi(xmlParserVersion) != LIBXML_VERSION)
		fprintf(out, " (running %s)", xmlParserVersion);
	fprintf(out, "\n  GSL       %s", GSL_VERSION);
	if (gsl_version && strcmp(gsl_version, GSL_VERSION))
		fprintf(out, " (running %s)", gsl_version);
	fprintf(out, "\n  jansson   %s\n", JANSSON_VERSION);
	fprintf(out, "  nettle    %s\n", rs_dut_hash_library());
	fprintf(out, "  DUTs built with %s (ringsim dut --help)\n", rs_dut_compiler());
	fputs("License GPL-2.0-only: no warranty.\n", out);
}
