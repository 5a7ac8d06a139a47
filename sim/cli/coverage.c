// SPDX-License-Identifier: GPL-2.0-only
/* --dut-coverage, as run, compare and regress share it. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "coverage/coverage.h"
#include "dutbuild/dutbuild.h"

int rs_cli_dut_coverage(const char *cmd, char *gcov, size_t size)
{
	char why[4200];

	if (rs_coverage_gcov(rs_dut_compiler(), gcov, size, why, sizeof(why)))
		return rs_cli_usage_error(cmd, "%s", why);
	if (strchr(gcov, '/') && access(gcov, X_OK))
		return rs_cli_usage_error(cmd, "--dut-coverage needs %s (%s), which comes with "
					  "the compiler DUTs are built with, %s "
					  "(scripts/install-deps.sh installs it)", gcov,
					  strerror(errno), rs_dut_compiler());
	return 0;
}
