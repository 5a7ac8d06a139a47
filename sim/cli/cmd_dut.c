// SPDX-License-Identifier: GPL-2.0-only
/*
 * ringsim dut: the drivers under test a scenario can name in <dut>: list them, build one
 * (what a run would load), or start a driver of one's own from the shipped source.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "diag/suggest.h"
#include "dutbuild/dutbuild.h"
#include "scenario/dut_names.h"

static const char *const kinds[] = { "virtio-9p", "xen-blk" };

static int check_kind(const char *kind)
{
	const char *near;

	if (!strcmp(kind, kinds[0]) || !strcmp(kind, kinds[1]))
		return 0;
	near = rs_suggest(kind, kinds, 2);
	return near ? rs_cli_usage_error("dut", "unknown device kind '%s'; did you mean '%s'?",
					 kind, near) :
		      rs_cli_usage_error("dut", "unknown device kind '%s'; allowed: virtio-9p, "
					 "xen-blk", kind);
}

static int list(void)
{
	char dut[4096], inc[4096], *where;

	printf("%-18s %-10s %s\n", "DUT", "DEVICE", "WHAT IT IS");
	printf("%-18s %-10s %s\n", "seed", "both",
	       "the two seed patches exactly as written (built in; the default)");
	for (size_t k = 0; k < 2; k++)
		for (const struct rs_dut_fix *f = rs_dut_fixes(); f->name; f++) {
			char name[64];

			if (strcmp(f->kind, kinds[k]))
				continue;
			snprintf(name, sizeof(name), "%s%s", strcmp(f->name, "upstream") ?
				 "seed+" : "", f->name);
			printf("%-18s %-10s %s\n", name, f->kind, f->description);
		}
	puts("\nAlso: seed+FIX+FIX..., seed+PATCH or upstream+PATCH (a patch against the "
	     "shipped\nDUT source), FILE.c (a driver file in place of the shipped one), FILE.so "
	     "(a DUT\nobject); 'ringsim dut init KIND DIR' copies the shipped source to start "
	     "from.");
	if (!rs_dut_source_dirs(dut, inc, sizeof(dut)) && (where = realpath(dut, NULL))) {
		printf("The shipped DUT source: %s\n", where);
		free(where);
	}
	return RS_EXIT_OK;
}

/* ringsim dut build KIND SPEC: compile (or find in the cache) and print the object. */
static int build(const char *kind, const char *value)
{
	char why[4096], *spec, *object = NULL;

	if (check_kind(kind))
		return RS_EXIT_USAGE;
	spec = rs_dut_spec_check(kind, value, why, sizeof(why));
	if (!spec) {
		fprintf(stderr, "ringsim: dut.%s=%s: %s\n", kind, value, why);
		return RS_EXIT_USAGE;
	}
	if (rs_dut_build(kind, spec, false, &object, why, sizeof(why))) {
		fprintf(stderr, "ringsim: %s\n", why);
		free(spec);
		return RS_EXIT_USAGE;
	}
	puts(object ? object : "seed: built into ringsim");
	free(object);
	free(spec);
	return RS_EXIT_OK;
}

static const char init_readme[] =
	"# A driver under test of your own\n"
	"\n"
	"A copy of the DUT source ringsim ships (its dut/ directory), made by `ringsim dut\n"
	"init`. Change any file here, then run ringsim with the file you changed:\n"
	"\n"
	"    ringsim run SCENARIO --set dut.%s=%s/%s\n"
	"    ringsim compare SCENARIO --vary dut.%s=seed,%s/%s\n"
	"    ringsim regress SUITE --set dut.%s=%s/%s --junit junit.xml\n"
	"\n"
	"ringsim compiles every file of this directory (it holds dut_ops.h) against its kshim\n"
	"headers, with the flags of the built-in seed, into a DUT object cached by content;\n"
	"`make` does the same and prints the object, so a compiler error shows before a run.\n"
	"The functions and their names follow the seed patches: see ringsim's dut/README.md.\n";

static const char init_makefile[] =
	"# SPDX-License-Identifier: GPL-2.0-only\n"
	"# Made by `ringsim dut init`: compile this DUT as a run would (ringsim dut build).\n"
	"RINGSIM ?= %s\n"
	"\n"
	".PHONY: all\n"
	"all:\n"
	"\t$(RINGSIM) dut build %s %s\n";

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		fprintf(stderr, "ringsim: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* ringsim dut init KIND DIR: the shipped source into a new DIR, with a README and Makefile. */
static int init(const char *kind, const char *dir)
{
	const char *file = !strcmp(kind, "xen-blk") ? "xen-blkfront.c" : "trans_virtio.c";
	char src[4096], inc[4096], why[4096], self[4096], *text;
	struct stat st;

	if (check_kind(kind))
		return RS_EXIT_USAGE;
	if (!stat(dir, &st)) {
		fprintf(stderr, "ringsim: %s: exists already; dut init makes a new directory\n",
			dir);
		return RS_EXIT_USAGE;
	}
	if (rs_dut_source_dirs(src, inc, sizeof(src))) {
		fprintf(stderr, "ringsim: the DUT sources are not installed (looked for %s)\n",
			src);
		return RS_EXIT_USAGE;
	}
	if (mkdir(dir, 0755)) {
		fprintf(stderr, "ringsim: %s: %s\n", dir, strerror(errno));
		return RS_EXIT_USAGE;
	}
	if (rs_dut_copy_tree(src, dir, why, sizeof(why))) {
		fprintf(stderr, "ringsim: %s\n", why);
		return RS_EXIT_FAILED;
	}
	if (rs_cli_self(self, sizeof(self)))
		snprintf(self, sizeof(self), "ringsim");
	if (asprintf(&text, init_readme, kind, dir, file, kind, dir, file, kind, dir, file) < 0)
		return RS_EXIT_FAILED;
	if (write_file(dir, "README.md", text)) {
		free(text);
		return RS_EXIT_FAILED;
	}
	free(text);
	if (asprintf(&text, init_makefile, self, kind, file) < 0)
		return RS_EXIT_FAILED;
	if (write_file(dir, "Makefile", text)) {
		free(text);
		return RS_EXIT_FAILED;
	}
	free(text);
	printf("%s: the shipped %s DUT source; change %s/%s and run with\n"
	       "  --set dut.%s=%s/%s\n", dir, kind, dir, file, kind, dir, file);
	return RS_EXIT_OK;
}

int rs_cmd_dut(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const actions[] = { "list", "build", "init" };
	static const int nargs[] = { 0, 2, 2 };
	const char *action, *near;
	int c, a;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c != 'h')
			return rs_cli_bad_option("dut", argv, c, opts);
		fputs(rs_help_dut, stdout);
		return RS_EXIT_OK;
	}
	if (optind >= argc)
		return rs_cli_usage_error("dut", "which action? list, build or init");
	action = argv[optind++];
	for (a = 0; a < 3 && strcmp(action, actions[a]); a++)
		;
	if (a == 3) {
		near = rs_suggest(action, actions, 3);
		return near ? rs_cli_usage_error("dut", "unknown action '%s'; did you mean '%s'?",
						 action, near) :
			      rs_cli_usage_error("dut", "unknown action '%s'; allowed: list, "
						 "build, init", action);
	}
	if (argc - optind != nargs[a])
		return rs_cli_usage_error("dut", a ? "'%s' takes KIND and %s" :
					  "'%s' takes no arguments", action,
					  a == 1 ? "a DUT (name, patch or file)" : "a directory");
	if (a == 0)
		return list();
	return a == 1 ? build(argv[optind], argv[optind + 1]) :
			init(argv[optind], argv[optind + 1]);
}
