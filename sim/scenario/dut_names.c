// SPDX-License-Identifier: GPL-2.0-only
/* dut_names: the built-in DUT variants (dut_names.h). */
#include "scenario/dut_names.h"

#include <stdio.h>
#include <string.h>

static const struct rs_dut_name names[] = {
	{ "seed", "the two seed patches exactly as written (9p zero-copy, xen-blkfront 64 KiB)" },
	{ NULL, NULL },
};

const struct rs_dut_name *rs_dut_names(void)
{
	return names;
}

bool rs_dut_name_known(const char *name)
{
	for (const struct rs_dut_name *n = names; n->name; n++)
		if (!strcmp(n->name, name))
			return true;
	return false;
}

const char *rs_dut_name_list(void)
{
	static char buf[512];

	if (!buf[0])
		for (const struct rs_dut_name *n = names; n->name; n++) {
			size_t used = strlen(buf);

			snprintf(buf + used, sizeof(buf) - used, "%s%s", used ? ", " : "", n->name);
		}
	return buf;
}
