// SPDX-License-Identifier: GPL-2.0-only
#include "regress/regress.h"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <libxml/xmlwriter.h>

#include "coverage/coverage.h"
#include "diag/exit.h"
#include "regress/golden.h"
#include "results/flatten.h"
#include "results/results_dir.h"
#include "compare/compare.h"
#include "compare/exec.h"
#include "compare/procpool.h"
#include "scenario/scenario.h"

void rs_regress_add(struct rs_regress *r, const char *file)
{
	struct rs_regress_case *grown = realloc(r->cases, (r->n + 1) * sizeof(*grown));
	struct rs_regress_case *c;
	struct rs_diag diag = { 0 };
	struct rs_scenario *s;

	if (!grown)
		return;
	r->cases = grown;
	c = &r->cases[r->n++];
	memset(c, 0, sizeof(*c));
	c->file = strdup(file);
	s = rs_scenario_load(file, NULL, 0, r->sets, r->n_sets, &diag);
	if (s) {
		c->name = strdup(s->name);
		c->seed = s->seed;
	} else {
		c->name = strdup(file);
		c->load_error = strdup(diag.n ? diag.msgs[0] : "does not load");
	}
	rs_diag_clear(&diag);
	rs_scenario_free(s);
}

static char *run_dir(const struct rs_regress *r, size_t i, int rep)
{
	char *p;

	return asprintf(&p, "%s/%zu-%d", r->dir, i, rep) < 0 ? NULL : p;
}

static char *log_path(const struct rs_regress *r, size_t i, int rep)
{
	char *p;

	return asprintf(&p, "%s/%zu-%d.log", r->dir, i, rep) < 0 ? NULL : p;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* `SELF run FILE --set scenario.seed=S -o DIR/I-K --quiet --max-host-seconds T ...` */
static char **run_argv(const struct rs_regress *r, size_t i, int k, bool absolute)
{
	const struct rs_regress_case *c = &r->cases[i];
	const size_t n_pcap = rs_argv_len(r->pcap_args);
	char **argv = calloc(13 + 2 * r->n_sets + n_pcap, sizeof(*argv));
	size_t a = 10;

	if (!argv)
		return NULL;
	argv[0] = strdup(r->self);
	argv[1] = strdup("run");
	argv[2] = absolute ? realpath(c->file, NULL) : strdup(c->file);
	argv[3] = strdup("--set");
	if (asprintf(&argv[4], "scenario.seed=%llu",
		     (unsigned long long)(c->seed + (uint64_t)k)) < 0)
		argv[4] = NULL;
	argv[5] = strdup("-o");
	argv[6] = run_dir(r, i, k);
	argv[7] = strdup("--quiet");
	/* The run's own limit ends it with its results; the pool's SIGKILL is a backstop. */
	argv[8] = strdup("--max-host-seconds");
	if (asprintf(&argv[9], "%g", r->timeout) < 0)
		argv[9] = NULL;
	if (r->coverage)
		argv[a++] = strdup("--dut-coverage");
	for (size_t j = 0; j < r->n_sets; j++) {
		argv[a++] = strdup("--set");
		argv[a++] = strdup(r->sets[j]);
	}
	for (size_t j = 0; j < n_pcap; j++)
		argv[a++] = strdup(r->pcap_args[j]);
	return argv;
}

static bool did_not_end(int status)
{
	return status == RS_PROC_STOPPED || status == RS_PROC_NOT_STARTED;
}

/*
 * --resume: whether run @k of case @i in the earlier suite's directory was ok, for this
 * case's scenario file and seed (its summary.json says so), and holds what this suite asks
 * of each run, so that it is kept.
 */
static bool kept_ok(const struct rs_regress *r, size_t i, int k)
{
	const struct rs_regress_case *c = &r->cases[i];
	char path[4096], *real;
	json_t *s, *file;
	bool ok;

	snprintf(path, sizeof(path), "%s/%zu-%d/summary.json", r->resume, i, k);
	s = json_load_file(path, 0, NULL);
	file = json_object_get(s, "file");
	real = realpath(c->file, NULL);
	ok = s && real && json_is_string(file) &&
	     !strcmp(json_string_value(json_object_get(s, "status")) ?
		     json_string_value(json_object_get(s, "status")) : "", "ok") &&
	     (json_integer_value(json_object_get(s, "seed")) ==
	      (json_int_t)(c->seed + (uint64_t)k)) &&
	     (!strcmp(json_string_value(file), c->file) ||
	      !strcmp(json_string_value(file), real));
	free(real);
	json_decref(s);
	snprintf(path, sizeof(path), "%s/%zu-%d", r->resume, i, k);
	return ok && rs_result_holds_asked(path, r->coverage, r->pcap_args != NULL);
}

/* Run @k of case @i kept from r->resume (hard-linked into r->dir). Return: 0 or -1. */
static int keep_run(struct rs_regress *r, size_t i, int k)
{
	char name[64];

	snprintf(name, sizeof(name), "%zu-%d", i, k);
	if (!kept_ok(r, i, k))
		return -1;
	if (rs_link_result(r->resume, r->dir, name, r->error, sizeof(r->error))) {
		/* not kept after all: what was linked goes, and the run runs again */
		char *dir = run_dir(r, i, k), *log = log_path(r, i, k);

		if (dir)
			rs_remove_tree(dir);
		if (log)
			unlink(log);
		free(dir);
		free(log);
		r->error[0] = '\0';
		return -1;
	}
	r->cases[i].status[k] = RS_EXIT_OK;
	r->n_kept++;
	return 0;
}

void rs_regress_run(struct rs_regress *r, struct rs_exec *ex,
		    const volatile sig_atomic_t *stop)
{
	size_t total = r->n * (size_t)r->replications, n = 0;
	struct rs_proc *procs = calloc(total ? total : 1, sizeof(*procs));
	struct { size_t i; int k; } *who = calloc(total ? total : 1, sizeof(*who));
	double t0 = now_seconds();
	bool stopped;
	int rc;

	r->started = time(NULL);
	if (!procs || !who) {
		free(procs);
		free(who);
		return;
	}
	for (size_t i = 0; i < r->n; i++) {
		struct rs_regress_case *c = &r->cases[i];

		c->status = calloc((size_t)r->replications, sizeof(*c->status));
		c->notes = calloc((size_t)r->replications, sizeof(*c->notes));
		if (c->load_error || !c->status || !c->notes)
			continue;
		for (int k = 0; k < r->replications; k++) {
			struct rs_proc *p = &procs[n];

			if (r->resume && keep_run(r, i, k) == 0)
				continue;
			who[n].i = i;
			who[n++].k = k;
			p->argv = run_argv(r, i, k, ex->kind == RS_EXEC_SLURM);
			p->log = log_path(r, i, k);
			p->out = p->argv ? p->argv[6] : NULL;
			p->timeout = r->timeout + RS_REGRESS_KILL_AFTER;
		}
	}
	ex->dir = r->dir;
	rc = rs_exec_run(procs, n, ex, stop, NULL, NULL, r->error, sizeof(r->error));
	if (rc != -1 || ex->kind != RS_EXEC_SLURM)
		r->error[0] = '\0';
	stopped = rc == RS_PROCS_STOPPED;
	r->interrupted = stopped ? *stop : 0;
	r->wall_seconds = now_seconds() - t0;
	for (size_t j = 0; j < n; j++) {
		struct rs_regress_case *c = &r->cases[who[j].i];
		int k = who[j].k;

		c->status[k] = procs[j].status;
		c->notes[k] = procs[j].note;
		c->seconds += procs[j].seconds;
		c->interrupted |= stopped && did_not_end(procs[j].status);
		for (int a = 0; procs[j].argv && procs[j].argv[a]; a++)
			free(procs[j].argv[a]);
		free(procs[j].argv);
		free((char *)procs[j].log);
	}
	free(procs);
	free(who);
}

/*
 * Append one formatted line to @c's failures, and the same line as a finding of @type: an
 * error when @error (it did not load or a run did not finish), else a failure.
 */
static void fail(struct rs_regress_case *c, bool error, const char *type, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ": SIGSEGV (address 0x0) in f at x.c:12", the dut_crash finding of @summary, or "". */
static const char *crash_said(json_t *summary)
{
	static char said[512];
	json_t *f;
	size_t i;

	said[0] = '\0';
	json_array_foreach(json_object_get(summary, "findings"), i, f) {
		const char *kind = json_string_value(json_object_get(f, "kind"));

		if (kind && !strcmp(kind, "dut_crash")) {
			snprintf(said, sizeof(said), ": %s at %s",
				 json_string_value(json_object_get(f, "detail")),
				 json_string_value(json_object_get(f, "where")));
			break;
		}
	}
	return said;
}

static void fail(struct rs_regress_case *c, bool error, const char *type, const char *fmt, ...)
{
	char line[2048], *grown;
	struct rs_regress_finding *more;
	size_t have = c->failures ? strlen(c->failures) : 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	grown = realloc(c->failures, have + strlen(line) + 2);
	if (!grown)
		return;
	c->failures = grown;
	strcpy(c->failures + have, line);
	strcat(c->failures, "\n");
	more = realloc(c->findings, (c->n_findings + 1) * sizeof(*more));
	if (!more)
		return;
	c->findings = more;
	c->findings[c->n_findings++] = (struct rs_regress_finding){
		.error = error, .type = strdup(type), .message = strdup(line),
	};
}

/* The failed expectations of one run, from its summary.json. */
static void expectation_failures(struct rs_regress_case *c, json_t *summary, const char *tag)
{
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(summary, "expectations"), i, e) {
		json_t *actual = json_object_get(e, "actual");
		const char *what = json_string_value(json_object_get(e, "metric"));

		if (json_is_true(json_object_get(e, "pass")))
			continue;
		if (!what)
			what = json_string_value(json_object_get(e, "finding"));
		if (json_is_number(actual))
			fail(c, false, "expect", "%sexpect %s %s %.12g: actual %.12g", tag,
			     what, json_string_value(json_object_get(e, "op")),
			     json_number_value(json_object_get(e, "expected")),
			     json_number_value(actual));
		else
			fail(c, false, "expect", "%sexpect %s %s %.12g: not measured", tag,
			     what, json_string_value(json_object_get(e, "op")),
			     json_number_value(json_object_get(e, "expected")));
	}
}

static char *golden_path(const char *file)
{
	size_t n = strlen(file);
	char *p = malloc(n + 16);

	if (p) {
		memcpy(p, file, n - 4); /* strip .xml */
		strcpy(p + n - 4, ".golden.json");
	}
	return p;
}

/* The first non-empty line of the file @path, into @line; "" when there is none. */
static void first_line(const char *path, char *line, size_t size)
{
	FILE *f = path ? fopen(path, "r") : NULL;

	line[0] = '\0';
	while (f && fgets(line, (int)size, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0])
			break;
	}
	if (f)
		fclose(f);
}

/*
 * A run that gave no summary: an error of the kind its status says. A child that exits 2
 * refused its scenario (it loads the file again, with the seed set), so its first line is
 * the loader's message.
 */
static void run_error(struct rs_regress *r, size_t i, int k, const char *tag)
{
	struct rs_regress_case *c = &r->cases[i];
	int st = c->status[k];
	char line[1024], *log;

	if (st == RS_PROC_LOST) {
		fail(c, true, "slurm", "%s%s", tag, c->notes[k] ? c->notes[k] :
		     "its Slurm task ended without an exit status");
	} else if (st == RS_PROC_TIMED_OUT) {
		fail(c, true, "timeout", "%stimed out after %g s (killed %g s later, no results)",
		     tag, r->timeout, RS_REGRESS_KILL_AFTER);
	} else if (st == 2) {
		log = log_path(r, i, k);
		first_line(log, line, sizeof(line));
		free(log);
		fail(c, true, "load_error", "%s%s (ringsim run ended with status 2)", tag,
		     line[0] ? line : "does not load");
	} else if (st > 128) {
		fail(c, true, "signal", "%sringsim run ended with status %d, signal %d (see its "
		     "log in -o DIR)", tag, st, st - 128);
	} else {
		fail(c, true, "run_error", "%sringsim run ended with status %d (see its log in "
		     "-o DIR)", tag, st);
	}
}

/*
 * Whether a run with status time_limit stopped at regress's --timeout (its
 * --max-host-seconds) rather than at a simulated limit (platform/@max-cycles): its
 * host_seconds, counted from before the engine's clock starts, reached it.
 */
static bool hit_timeout(const struct rs_regress *r, json_t *summary)
{
	json_t *host = json_object_get(summary, "host_seconds");

	return json_is_number(host) && json_number_value(host) >= r->timeout;
}

/* Judge one case: how its runs ended, their expectations, and its golden. */
static void judge(struct rs_regress *r, size_t i)
{
	struct rs_regress_case *c = &r->cases[i];
	json_t **flat = calloc((size_t)r->replications, sizeof(*flat));
	int ran = 0;

	if (c->load_error) {
		fail(c, true, "load_error", "%s", c->load_error);
		free(flat);
		return;
	}
	for (int k = 0; k < r->replications; k++) {
		char tag[64] = "", path[4096], *dir = run_dir(r, i, k);
		json_t *summary;

		if (r->replications > 1)
			snprintf(tag, sizeof(tag), "seed %llu: ",
				 (unsigned long long)(c->seed + (uint64_t)k));
		snprintf(path, sizeof(path), "%s/summary.json", dir);
		free(dir);
		summary = (c->status[k] == 0 || c->status[k] == 1) ? json_load_file(path, 0, NULL)
			: NULL;
		if (!summary) {
			run_error(r, i, k, tag);
			continue;
		}
		const char *st = json_string_value(json_object_get(summary, "status"));
		if (st && !strcmp(st, "time_limit") && hit_timeout(r, summary)) {
			/* its metrics depend on the host's speed: nothing to judge them by */
			fail(c, true, "timeout", "%stimed out after %g s (run status %s)", tag,
			     r->timeout, st);
			json_decref(summary);
			continue;
		}
		/* dut_bug, dut_crash and deadlock are what the simulator exists to find:
		 * failures. Any other status (time_limit: a platform/@max-cycles) means the
		 * run did not finish. */
		if (st && !strcmp(st, "dut_crash"))
			fail(c, false, st, "%srun status %s%s", tag, st, crash_said(summary));
		else if (st && (!strcmp(st, "dut_bug") || !strcmp(st, "deadlock")))
			fail(c, false, st, "%srun status %s", tag, st);
		else if (st && !strcmp(st, "time_limit"))
			fail(c, true, st, "%srun status %s", tag, st);
		else if (st && strcmp(st, "ok") && strcmp(st, "expect_failed"))
			fail(c, true, "interrupted", "%srun status %s", tag, st);
		expectation_failures(c, summary, tag);
		flat[ran++] = rs_metrics_flatten(summary);
		json_decref(summary);
	}
	if (ran == r->replications) {
		char *gpath = golden_path(c->file);
		json_t *golden;

		if (r->update_golden) {
			golden = rs_golden_build((void *const *)flat, (size_t)ran, c->name);
			c->golden_written = !json_dump_file(golden, gpath, JSON_INDENT(1) |
							   JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
			if (!c->golden_written)
				fail(c, true, "golden_write", "%s: cannot write the golden",
				     gpath);
			json_decref(golden);
		} else if ((golden = json_load_file(gpath, 0, NULL))) {
			char *buf = NULL;
			size_t len = 0;
			FILE *mem = open_memstream(&buf, &len);

			if (mem) {
				rs_golden_check(golden, (void *const *)flat, (size_t)ran, mem, "");
				fclose(mem);
			}
			for (char *line = buf ? strtok(buf, "\n") : NULL; line;
			     line = strtok(NULL, "\n"))
				fail(c, false, "golden", "%s", line);
			free(buf);
			json_decref(golden);
		}
		free(gpath);
	}
	for (int k = 0; k < ran; k++)
		json_decref(flat[k]);
	free(flat);
}

static const char *signal_name(int sig)
{
	return sig == SIGTERM ? "SIGTERM" : "SIGINT";
}

size_t rs_regress_report(struct rs_regress *r, FILE *out)
{
	size_t failed = 0;

	r->n_interrupted = 0;
	for (size_t i = 0; i < r->n; i++) {
		struct rs_regress_case *c = &r->cases[i];

		if (c->interrupted) {
			r->n_interrupted++;
			fprintf(out, "SKIP %s (interrupted by %s)\n", c->file,
				signal_name(r->interrupted));
			continue;
		}
		judge(r, i);
		failed += c->failures != NULL;
		fprintf(out, "%s %s (%d run%s, %.2f s)%s\n", c->failures ? "FAIL" : "PASS", c->file,
			r->replications, r->replications > 1 ? "s" : "", c->seconds,
			c->golden_written ? ", golden written" : "");
		for (char *p = c->failures; p && *p;) {
			char *nl = strchr(p, '\n');

			fprintf(out, "    %.*s\n", (int)(nl ? nl - p : (long)strlen(p)), p);
			p = nl ? nl + 1 : p + strlen(p);
		}
	}
	return failed;
}

/*
 * @s as XML 1.0 character data, in a new string: UTF-8 sequences of allowed characters are
 * kept; every other byte (not UTF-8, overlong, a surrogate, U+FFFE/U+FFFF, a C0 control
 * but tab, newline and carriage return) becomes the text \xNN. The writer escapes the rest.
 */
static char *xml_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), o = 0;
	char *out = malloc(4 * len + 1);

	if (!out)
		return NULL;
	while (*p) {
		unsigned int cp = *p;
		size_t n = cp < 0x80 ? 1 : (cp & 0xe0) == 0xc0 ? 2 : (cp & 0xf0) == 0xe0 ? 3
			: (cp & 0xf8) == 0xf0 ? 4 : 0;
		bool ok = n > 0;

		if (n > 1)
			cp &= 0x7fu >> n;
		for (size_t k = 1; ok && k < n; k++) {
			ok = (p[k] & 0xc0) == 0x80;
			cp = cp << 6 | (p[k] & 0x3fu);
		}
		if (ok)
			ok = (n == 1 && (cp >= 0x20 || cp == '\t' || cp == '\n' || cp == '\r')) ||
			     (n == 2 && cp >= 0x80) ||
			     (n == 3 && cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff) && cp < 0xfffe) ||
			     (n == 4 && cp >= 0x10000 && cp <= 0x10ffff);
		if (ok) {
			memcpy(out + o, p, n);
			o += n;
			p += n;
		} else {
			o += (size_t)sprintf(out + o, "\\x%02X", *p++);
		}
	}
	out[o] = '\0';
	return out;
}

/* xmlTextWriter calls, each returning < 0 on error: the first error sticks in rc. */
struct xw {
	xmlTextWriterPtr w;
	int rc;
};

static void xw_start(struct xw *x, const char *name)
{
	if (x->rc >= 0)
		x->rc = xmlTextWriterStartElement(x->w, BAD_CAST name);
}

static void xw_end(struct xw *x)
{
	if (x->rc >= 0)
		x->rc = xmlTextWriterEndElement(x->w);
}

static void xw_attr(struct xw *x, const char *name, const char *value)
{
	char *clean = xml_clean(value);

	if (!clean)
		x->rc = -1;
	if (x->rc >= 0)
		x->rc = xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST clean);
	free(clean);
}

static void xw_attrf(struct xw *x, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void xw_attrf(struct xw *x, const char *name, const char *fmt, ...)
{
	char value[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	xw_attr(x, name, value);
}

static void xw_text(struct xw *x, const char *text)
{
	char *clean = xml_clean(text);

	if (!clean)
		x->rc = -1;
	if (x->rc >= 0)
		x->rc = xmlTextWriterWriteString(x->w, BAD_CAST clean);
	free(clean);
}

/* The dotted suite path of @file, as rs_regress_junit() documents it. */
static char *junit_classname(const char *file)
{
	char cwd[4096], *path, *seg, *save = NULL, **segs, *out;
	size_t n = 0, skip = 0, len = strlen("ringsim") + 1;
	bool have_cwd = getcwd(cwd, sizeof(cwd)) != NULL;

	if (file[0] == '/' || !have_cwd)
		path = strdup(file);
	else if (asprintf(&path, "%s/%s", cwd, file) < 0)
		path = NULL;
	segs = path ? calloc(strlen(path) + 1, sizeof(*segs)) : NULL;
	if (!path || !segs) {
		free(path);
		free(segs);
		return strdup("ringsim");
	}
	*(strrchr(path, '/') ? strrchr(path, '/') : path) = '\0'; /* the directory */
	for (seg = strtok_r(path, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (!strcmp(seg, ".."))
			n -= n > 0;
		else if (strcmp(seg, "."))
			segs[n++] = seg;
	}
	/* Below the current directory: drop its segments. */
	if (have_cwd) {
		char *c = cwd + 1;
		size_t k = 0;

		while (*c && k < n) {
			size_t sl = strlen(segs[k]);

			if (strncmp(c, segs[k], sl) || (c[sl] && c[sl] != '/'))
				break;
			k++;
			c += sl + (c[sl] == '/');
		}
		if (!*c)
			skip = k;
	}
	for (size_t k = skip; k < n; k++)
		len += strlen(segs[k]) + 1;
	out = malloc(len);
	if (out) {
		strcpy(out, "ringsim");
		for (size_t k = skip; k < n; k++) {
			char *end = out + strlen(out);

			*end++ = '.';
			for (const char *q = segs[k]; *q; q++)
				*end++ = (*q == '.' || *q == ' ' || *q == '\t' || *q == '\n' ||
					  *q == '\r') ? '_' : *q;
			*end = '\0';
		}
	}
	free(segs);
	free(path);
	return out;
}

/* The file's base name without ".xml". */
static char *junit_name(const char *file)
{
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	size_t n = strlen(base);

	if (n > 4 && !strcmp(base + n - 4, ".xml"))
		n -= 4;
	return strndup(base, n);
}

/* Whether @c has an error finding (else, with findings, only failures). */
static bool has_error(const struct rs_regress_case *c)
{
	for (size_t k = 0; k < c->n_findings; k++)
		if (c->findings[k].error)
			return true;
	return false;
}

static void junit_case(struct xw *x, const struct rs_regress *r,
		       const struct rs_regress_case *c, const char *classname, const char *name)
{
	bool error = has_error(c);
	const struct rs_regress_finding *first = NULL;
	char *message;

	xw_start(x, "testcase");
	xw_attr(x, "name", name);
	xw_attr(x, "classname", classname);
	xw_attrf(x, "time", "%.3f", c->seconds);
	if (c->interrupted) {
		xw_start(x, "skipped");
		xw_attrf(x, "message", "interrupted by %s", signal_name(r->interrupted));
		xw_end(x);
	}
	for (size_t k = 0; k < c->n_findings && !first; k++)
		if (c->findings[k].error == error)
			first = &c->findings[k];
	if (first) {
		if (c->n_findings == 1)
			message = strdup(first->message);
		else if (asprintf(&message, "%s (+%zu more)", first->message,
				  c->n_findings - 1) < 0)
			message = NULL;
		xw_start(x, error ? "error" : "failure");
		xw_attr(x, "type", first->type);
		xw_attr(x, "message", message ? message : first->message);
		xw_text(x, c->failures);
		xw_end(x);
		free(message);
	}
	xw_end(x);
}

/* Read at most @max bytes of @path; NULL when it cannot be read or is empty. */
static char *slurp(const char *path, size_t max)
{
	FILE *f = path ? fopen(path, "r") : NULL;
	char *buf = f ? malloc(max + 1) : NULL;
	size_t n = buf ? fread(buf, 1, max, f) : 0;

	if (f)
		fclose(f);
	if (!n) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* <system-out> (@err false: each run's summary.json) or <system-err> (each run's log). */
static void junit_outputs(struct xw *x, const struct rs_regress *r, char *const *classnames,
			  char *const *names, bool err)
{
	xw_start(x, err ? "system-err" : "system-out");
	for (size_t i = 0; i < r->n; i++) {
		const struct rs_regress_case *c = &r->cases[i];

		for (int k = 0; !c->load_error && k < r->replications; k++) {
			char *where = err ? log_path(r, i, k) : run_dir(r, i, k), *text = NULL;
			char *head, path[4096];

			if (err) {
				text = slurp(where, 64 * 1024);
			} else {
				json_t *summary;

				snprintf(path, sizeof(path), "%s/summary.json", where ? where : "");
				summary = json_load_file(path, 0, NULL);
				text = summary ? json_dumps(summary, JSON_INDENT(1)) : NULL;
				json_decref(summary);
			}
			free(where);
			if (!text)
				continue;
			if (asprintf(&head, "== %s.%s seed %llu (%s): %s ==\n", classnames[i],
				     names[i], (unsigned long long)(c->seed + (uint64_t)k), c->file,
				     err ? "its output" : "summary.json") >= 0) {
				xw_text(x, head);
				free(head);
			}
			xw_text(x, text);
			if (text[strlen(text) - 1] != '\n')
				xw_text(x, "\n");
			free(text);
		}
	}
	xw_end(x);
}

/* dut_coverage.xen-blk.seed.lines = "615/1048", and so on, per DUT object. */
static void junit_coverage(struct xw *x, const struct rs_coverage *cov)
{
	static const char *const what[] = { "lines", "branches", "functions" };
	json_t *sum = rs_coverage_summary(cov), *o;
	const char *label;

	json_object_foreach(sum, label, o) {
		for (size_t i = 0; i < sizeof(what) / sizeof(what[0]); i++) {
			json_t *f = json_object_get(o, what[i]);

			xw_start(x, "property");
			xw_attrf(x, "name", "dut_coverage.%s.%s.%s",
				 json_string_value(json_object_get(o, "kind")),
				 json_string_value(json_object_get(o, "spec")), what[i]);
			xw_attrf(x, "value", "%lld/%lld",
				 (long long)json_integer_value(json_object_get(f, "hit")),
				 (long long)json_integer_value(json_object_get(f, "total")));
			xw_end(x);
		}
	}
	json_decref(sum);
}

int rs_regress_merge_coverage(struct rs_regress *r, const char *dir, char *err, size_t size)
{
	size_t total = r->n * (size_t)r->replications, n = 0;
	char **runs = calloc(total ? total : 1, sizeof(*runs));

	if (!runs) {
		snprintf(err, size, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < r->n; i++)
		for (int k = 0; !r->cases[i].load_error && k < r->replications; k++)
			runs[n++] = run_dir(r, i, k);
	r->dut_coverage = rs_coverage_merge_runs(dir, runs, n, err, size);
	for (size_t i = 0; i < n; i++)
		free(runs[i]);
	free(runs);
	return r->dut_coverage ? 0 : -1;
}

int rs_regress_junit(const struct rs_regress *r, const char *path)
{
	char **classnames = calloc(r->n + 1, sizeof(*classnames));
	char **names = calloc(r->n + 1, sizeof(*names));
	size_t failures = 0, errors = 0, skipped = 0;
	char host[256] = "", stamp[32] = "";
	time_t started = r->started ? r->started : time(NULL);
	double wall = r->wall_seconds;
	struct tm tm;
	struct xw x = { .w = xmlNewTextWriterFilename(path, 0), .rc = 0 };

	if (!x.w || !classnames || !names) {
		if (x.w)
			xmlFreeTextWriter(x.w);
		free(classnames);
		free(names);
		return -1;
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct rs_regress_case *c = &r->cases[i];

		if (c->interrupted) {
			skipped++;
		} else if (c->n_findings) {
			errors += has_error(c);
			failures += !has_error(c);
		}
		if (!r->wall_seconds)
			wall += c->seconds;
		classnames[i] = junit_classname(c->file);
		names[i] = junit_name(c->file);
		if (!classnames[i] || !names[i])
			x.rc = -1;
	}
	if (gethostname(host, sizeof(host) - 1) || !host[strspn(host, " \t\r\n")])
		strcpy(host, "localhost");
	host[sizeof(host) - 1] = '\0';
	gmtime_r(&started, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);

	xmlTextWriterSetIndent(x.w, 1);
	xmlTextWriterSetIndentString(x.w, BAD_CAST "  ");
	if (x.rc >= 0)
		x.rc = xmlTextWriterStartDocument(x.w, "1.0", "UTF-8", NULL);
	/* Ant's wrapper takes no attribute, and package and id on each suite. */
	xw_start(&x, "testsuites");
	xw_start(&x, "testsuite");
	xw_attr(&x, "name", "ringsim regress");
	xw_attr(&x, "package", "ringsim");
	xw_attr(&x, "id", "0");
	xw_attr(&x, "timestamp", stamp);
	xw_attr(&x, "hostname", host);
	xw_attrf(&x, "tests", "%zu", r->n);
	xw_attrf(&x, "failures", "%zu", failures);
	xw_attrf(&x, "errors", "%zu", errors);
	xw_attrf(&x, "skipped", "%zu", skipped);
	xw_attrf(&x, "time", "%.3f", wall);

	xw_start(&x, "properties");
	xw_start(&x, "property");
	xw_attr(&x, "name", "replications");
	xw_attrf(&x, "value", "%d", r->replications);
	xw_end(&x);
	xw_start(&x, "property");
	xw_attr(&x, "name", "timeout");
	xw_attrf(&x, "value", "%g", r->timeout);
	xw_end(&x);
	xw_start(&x, "property");
	xw_attr(&x, "name", "update_golden");
	xw_attr(&x, "value", r->update_golden ? "true" : "false");
	xw_end(&x);
	if (r->dut_coverage)
		junit_coverage(&x, r->dut_coverage);
	xw_end(&x);

	for (size_t i = 0; x.rc >= 0 && i < r->n; i++)
		junit_case(&x, r, &r->cases[i], classnames[i], names[i]);
	if (x.rc >= 0)
		junit_outputs(&x, r, classnames, names, false);
	if (x.rc >= 0)
		junit_outputs(&x, r, classnames, names, true);
	xw_end(&x); /* testsuite; ending it here also ends the file with a newline */
	xw_end(&x); /* testsuites */
	if (x.rc >= 0)
		x.rc = xmlTextWriterEndDocument(x.w);
	if (x.rc >= 0)
		x.rc = xmlTextWriterFlush(x.w);
	xmlFreeTextWriter(x.w);
	for (size_t i = 0; i < r->n; i++) {
		free(classnames[i]);
		free(names[i]);
	}
	free(classnames);
	free(names);
	return x.rc < 0 ? -1 : 0;
}

void rs_regress_free(struct rs_regress *r)
{
	rs_coverage_free(r->dut_coverage);
	r->dut_coverage = NULL;
	for (size_t i = 0; i < r->n; i++) {
		free(r->cases[i].file);
		free(r->cases[i].name);
		free(r->cases[i].load_error);
		for (int k = 0; r->cases[i].notes && k < r->replications; k++)
			free(r->cases[i].notes[k]);
		free(r->cases[i].notes);
		free(r->cases[i].status);
		free(r->cases[i].failures);
		for (size_t k = 0; k < r->cases[i].n_findings; k++) {
			free(r->cases[i].findings[k].type);
			free(r->cases[i].findings[k].message);
		}
		free(r->cases[i].findings);
	}
	free(r->cases);
}
