// SPDX-License-Identifier: GPL-2.0-only
#include "trace/vcd_cut.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

/* The identifier a value change line is for: "b1010 id", "r1.5 id", or "1id". */
static const char *id_of(const char *line)
{
	const char *sp;

	if (strchr("bBrR", *line)) {
		sp = strchr(line, ' ');
		return sp ? sp + 1 : NULL;
	}
	return strchr("01xXzZ", *line) && line[1] ? line + 1 : NULL;
}

/* Every signal's last value, as a $dumpvars at @t. */
static void dump_values(FILE *out, json_t *values, uint64_t t)
{
	const char *id;
	json_t *v;

	fprintf(out, "#%" PRIu64 "\n$dumpvars\n", t);
	json_object_foreach(values, id, v)
		fprintf(out, "%s\n", json_string_value(v));
	fputs("$end\n", out);
}

static int cut(FILE *in, FILE *out, uint64_t start, uint64_t end)
{
	json_t *values = json_object();
	bool header = true, inside = false;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!values)
		return -1;
	while ((n = getline(&line, &cap, in)) > 0) {
		const char *id;

		if (header) {
			fputs(line, out);
			header = !strstr(line, "$enddefinitions");
			continue;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (*line == '#') {
			uint64_t t = strtoull(line + 1, NULL, 10);

			if (t > end) {
				if (!inside)
					dump_values(out, values, start);
				fprintf(out, "#%" PRIu64 "\n", end);
				break;
			}
			if (!inside && t >= start) {
				inside = true;
				dump_values(out, values, start);
				if (t == start)
					continue;
			}
			if (inside)
				fprintf(out, "%s\n", line);
			continue;
		}
		id = id_of(line);
		if (id)
			json_object_set_new(values, id, json_string(line));
		if (inside && *line != '$')
			fprintf(out, "%s\n", line);
	}
	free(line);
	json_decref(values);
	return ferror(in) ? -1 : 0;
}

int rs_vcd_cut(const char *path, uint64_t start, uint64_t end, char *err, size_t err_size)
{
	char tmp[4200];
	FILE *in, *out;
	int rc;

	snprintf(tmp, sizeof(tmp), "%s.cut-%d", path, (int)getpid());
	in = fopen(path, "r");
	if (!in) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return -1;
	}
	out = fopen(tmp, "w");
	if (!out) {
		snprintf(err, err_size, "%s: %s", tmp, strerror(errno));
		fclose(in);
		return -1;
	}
	rc = cut(in, out, start, end);
	fclose(in);
	if (ferror(out))
		rc = -1;
	if (fclose(out))
		rc = -1;
	if (!rc && rename(tmp, path))
		rc = -1;
	if (rc) {
		snprintf(err, err_size, "%s: cannot cut to the window: %s", path,
			 strerror(errno ? errno : EIO));
		unlink(tmp);
	}
	return rc;
}
