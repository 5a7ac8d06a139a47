// SPDX-License-Identifier: GPL-2.0-only
/* exec: the local process pool or Slurm, behind one call. */
#include "compare/exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare/slurm.h"

int rs_exec_parse(const char *name, enum rs_exec_kind *kind)
{
	if (!strcmp(name, "local"))
		*kind = RS_EXEC_LOCAL;
	else if (!strcmp(name, "slurm"))
		*kind = RS_EXEC_SLURM;
	else
		return -1;
	return 0;
}

/* Whether @cmd is an executable file in a directory of PATH. */
static int on_path(const char *cmd)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL, full[4096];
	int found = 0;

	if (!path || !(copy = strdup(path)))
		return 0;
	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		snprintf(full, sizeof(full), "%s/%s", *dir ? dir : ".", cmd);
		found = access(full, X_OK) == 0;
	}
	free(copy);
	return found;
}

int rs_exec_check(enum rs_exec_kind kind, char *err, size_t err_size)
{
	static const char *const cmds[] = RS_SLURM_COMMANDS;

	if (kind != RS_EXEC_SLURM)
		return 0;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!on_path(cmds[i])) {
			snprintf(err, err_size, "--executor slurm: %s is not on PATH; it needs "
				 "Slurm's client commands (sbatch, squeue, scancel, scontrol; "
				 "Debian: slurm-client), or use --executor local", cmds[i]);
			return -1;
		}
	return 0;
}

int rs_exec_run(struct rs_proc *procs, size_t n, const struct rs_exec *ex,
		const volatile sig_atomic_t *stop,
		void (*on_done)(size_t done, size_t total, void *arg), void *arg, char *err,
		size_t err_size)
{
	if (ex->kind == RS_EXEC_SLURM)
		return rs_slurm_run(procs, n, ex, stop, err, err_size);
	snprintf(err, err_size, "a child could not be started");
	return rs_procs_run(procs, n, ex->jobs, stop, on_done, arg);
}
