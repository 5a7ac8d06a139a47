// SPDX-License-Identifier: GPL-2.0-only
/* ringsim run: load a scenario, run it, write the results directory atomically. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli.h"
#include "coverage/coverage.h"
#include "scenario/embedded.h"
#include "engine/engine.h"
#include "results/expect.h"
#include "results/recorder.h"
#include "results/results_dir.h"
#include "results/selfcheck.h"
#include "trace/trace_event.h"
#include "trace/vcd_cut.h"
#include "regress/run_replicated.h"
#include "report/tables/fmt.h"
#include "scenario/scenario.h"
#include "scenario/units.h"
#include "trace/pcap.h"

#define MAX_SETS 256

struct run_args {
	const char *file;   /* NULL: the built-in quickstart */
	const char *out;    /* NULL: results/NAME */
	char *sets[MAX_SETS];
	size_t n_sets;
	int quiet;
	bool force;         /* --force: keep the user's files in -o DIR */
	int replications;   /* > 1: run_replicated.c */
	const char *vcd;    /* --vcd FILE */
	bool summary_only;  /* --records summary: no requests.csv, no stalls.csv */
	bool coverage;      /* --dut-coverage: DIR/dut-coverage/ */
	char gcov[4096];    /* the gcov that reads the DUT objects' data */
	uint64_t max_cycles; /* --max-cycles N, 0: the scenario's platform/@max-cycles */
	double max_host_seconds; /* --max-host-seconds S, 0: none */
	const char *trace;        /* --trace FILE.json */
	const char *trace_window; /* --trace-window START:END, read once the clock is known */
	bool trace_around_stall;  /* --trace-around longest-stall */
	struct rs_cli_pcap pcap; /* --pcap FILE or --pcaps: the run's 9P messages */
};

/* The capture while the run lasts. --pcap FILE: written as FILE.tmp-PID, renamed onto FILE
 * with the results; --pcaps: written into the results' own temporary directory. */
struct pcap_out {
	struct rs_pcap *pcap;
	char tmp[4200];     /* --pcap FILE's temporary name; "": none */
	char shown[4200];   /* the capture's name once the results are in place */
	uint64_t messages;
};

/* --max-host-seconds S: a number of seconds above 0. */
static int parse_seconds(const char *text, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(text, &end);
	if (errno || end == text || *end || !(*v > 0) || *v > 1e9)
		return rs_cli_usage_error("run", "--max-host-seconds %s: expected a number of "
					  "seconds above 0", text);
	return 0;
}

/* Return: -1 to go on, or the exit code to return (0 after --help). */
static int parse_args(int argc, char **argv, struct run_args *a)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "set", required_argument, NULL, 's' },
		{ "replications", required_argument, NULL, 'r' },
		{ "records", required_argument, NULL, 'R' },
		{ "vcd", required_argument, NULL, 'v' },
		{ "trace", required_argument, NULL, 'T' },
		{ "trace-window", required_argument, NULL, 'W' },
		{ "trace-around", required_argument, NULL, 'A' },
		{ "dut-coverage", no_argument, NULL, 'C' },
		{ "max-cycles", required_argument, NULL, 'M' },
		{ "max-host-seconds", required_argument, NULL, 'H' },
		{ "pcap", required_argument, NULL, RS_OPT_PCAP },
		RS_CLI_PCAP_OPTIONS,
		{ "force", no_argument, NULL, 'F' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long n;
	int c;

	a->replications = 1;
	a->pcap.takes_file = true;
	a->pcap.where = "DIR";
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:s:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			a->out = optarg;
			break;
		case 's':
			if (a->n_sets == MAX_SETS)
				return rs_cli_usage_error("run", "more than %d --set", MAX_SETS);
			a->sets[a->n_sets++] = optarg;
			break;
		case 'r':
			if (rs_cli_count("run", "--replications", optarg, 1, 1000, &n))
				return RS_EXIT_USAGE;
			a->replications = (int)n;
			break;
		case 'R':
			if (strcmp(optarg, "all") && strcmp(optarg, "summary"))
				return rs_cli_usage_error("run", "--records %s: allowed: all, "
							  "summary", optarg);
			a->summary_only = !strcmp(optarg, "summary");
			break;
		case 'v':
			a->vcd = optarg;
			break;
		case 'T':
			a->trace = optarg;
			break;
		case 'W':
			a->trace_window = optarg;
			break;
		case 'A':
			if (strcmp(optarg, "longest-stall"))
				return rs_cli_usage_error("run", "--trace-around %s: allowed: "
							  "longest-stall", optarg);
			a->trace_around_stall = true;
			break;
		case 'C':
			a->coverage = true;
			break;
		case 'M':
			if (rs_cli_count("run", "--max-cycles", optarg, 1, (long)RS_MAX_RUN_CYCLES,
					 &n))
				return RS_EXIT_USAGE;
			a->max_cycles = (uint64_t)n;
			break;
		case 'H':
			if (parse_seconds(optarg, &a->max_host_seconds))
				return RS_EXIT_USAGE;
			break;
		case RS_OPT_PCAP:
		case RS_OPT_PCAPS:
		case RS_OPT_PCAP_SNAPLEN:
		case RS_OPT_PCAP_LINK:
			if (rs_cli_pcap_option("run", c, optarg, &a->pcap))
				return RS_EXIT_USAGE;
			break;
		case 'F':
			a->force = true;
			break;
		case 'q':
			a->quiet = 1;
			break;
		case 'h':
			fputs(rs_help_run, stdout);
			return RS_EXIT_OK;
		default:
			return rs_cli_bad_option("run", argv, c, opts);
		}
	}
	if (optind < argc)
		a->file = argv[optind++];
	if (optind < argc)
		return rs_cli_usage_error("run", "one scenario at a time ('%s' and '%s')",
					  a->file, argv[optind]);
	if (a->replications > 1 && a->pcap.file)
		return rs_cli_usage_error("run", "--pcap FILE is one run's capture; with "
					  "--replications, --pcaps writes each replication's into "
					  "DIR/seed-S/%s", RS_RESULTS_PCAP);
	if (a->replications > 1 && (a->vcd || a->summary_only || a->max_cycles ||
				    a->max_host_seconds || a->trace))
		return rs_cli_usage_error("run", "--replications runs each seed in its own "
					  "process; --vcd, --trace, --records, --max-cycles "
					  "and --max-host-seconds apply to a single run");
	if ((a->trace_window || a->trace_around_stall) && !a->trace && !a->vcd)
		return rs_cli_usage_error("run", "--trace-window and --trace-around cut a "
					  "trace or a waveform: give --trace FILE.json or --vcd "
					  "FILE too");
	if (a->trace_window && a->trace_around_stall)
		return rs_cli_usage_error("run", "--trace-window and --trace-around: one "
					  "window at a time");
	if (rs_cli_pcap_check("run", &a->pcap))
		return RS_EXIT_USAGE;
	if (a->coverage && rs_cli_dut_coverage("run", a->gcov, sizeof(a->gcov)))
		return RS_EXIT_USAGE;
	return -1;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *status_name(enum rs_run_status st, size_t failed_expects)
{
	if (st == RS_RUN_OK && failed_expects)
		return "expect_failed";
	return rs_run_status_name(st);
}

/* A job's or a device's throughput: its bytes over its own steady window (first submit to
 * the end of its last request), like fio's per-job bandwidth, and for a job the requests
 * that ended in it per second; absent when it completed nothing. */
static void add_throughput(json_t *work, uint64_t clock_hz)
{
	json_int_t bytes = json_integer_value(json_object_get(work, "bytes"));
	json_int_t span = json_integer_value(json_object_get(work, "span_cycles"));
	json_t *ended = json_object_get(json_object_get(work, "requests"), "ended");
	json_t *tp;

	if (span <= 0 || (bytes <= 0 && !ended))
		return;
	tp = json_object();
	if (bytes > 0)
		json_object_set_new(tp, "bytes_per_second",
				    json_real((double)bytes * (double)clock_hz / (double)span));
	if (ended)
		json_object_set_new(tp, "requests_per_second", json_real(
			(double)json_integer_value(ended) * (double)clock_hz / (double)span));
	json_object_set_new(work, "throughput", tp);
}

/* jobs.NAME and devices.DEV: what they are, and their throughput. */
static void describe_work(const struct rs_scenario *s, json_t *sum)
{
	json_t *jobs = json_object_get(sum, "jobs"), *devices = json_object_get(sum, "devices");
	const char *name;
	json_t *work;

	for (size_t j = 0; j < s->n_jobs; j++) {
		work = json_object_get(jobs, s->jobs[j].name);
		if (!work)
			continue;
		json_object_set_new(work, "device", json_string(rs_device_name(s->jobs[j].device)));
		json_object_set_new(work, "op", json_string(rs_op_name(s->jobs[j].op)));
		add_throughput(work, s->platform.clock_hz);
	}
	json_object_foreach(devices, name, work)
		add_throughput(work, s->platform.clock_hz);
}

/* "0x1f": addresses and offsets as addr2line and a debugger take them. */
static json_t *hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_string(buf);
}

/* summary.json's crash: the signal, where and when, the backtrace innermost first. */
static json_t *crash_json(const struct rs_crash *c)
{
	json_t *bt = json_array();
	json_t *crash = json_pack("{s:s, s:i, s:s, s:o, s:b, s:I, s:o, s:s, s:I, s:o}",
		"signal", c->signal_name, "signal_number", c->signal, "code", c->code_name,
		"address", hex(c->address),
		"stack_overflow", c->stack_overflow, "cycle", (json_int_t)c->cycle,
		"request", c->request >= 0 ? json_integer(c->request) : json_null(),
		"thread", c->thread, "later_faults", (json_int_t)c->later, "backtrace", bt);

	for (size_t i = 0; crash && i < c->n_frames; i++) {
		const struct rs_crash_frame *f = &c->frames[i];

		json_array_append_new(bt, json_pack("{s:o, s:o, s:o, s:s, s:o, s:b}",
			"function", f->function[0] ? json_string(f->function) : json_null(),
			"file", f->file[0] ? json_string(f->file) : json_null(),
			"line", f->line ? json_integer(f->line) : json_null(),
			"object", f->object, "offset", hex(f->offset), "dut", f->in_dut));
	}
	return crash;
}

/* The fixed part of summary.json, then every metric the run registered. */
static json_t *build_summary(const struct rs_scenario *s, const struct rs_run_info *info,
			     struct rs_recorder *rec, double host_seconds)
{
	json_t *sum = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:f}",
		"status", rs_run_status_name(info->status), "scenario", s->name, "file", s->file,
		"seed", (json_int_t)s->seed, "page_size", (json_int_t)s->platform.page_size,
		"clock_hz", (json_int_t)s->platform.clock_hz,
		"simulated_cycles", (json_int_t)info->simulated_cycles,
		"host_seconds", host_seconds);
	json_t *metrics = rs_recorder_metrics_json(rec, info->simulated_cycles);
	struct rusage ru;
	char seed[24];

	/* JSON readers (jansson among them) hold integers as int64_t: a seed above that
	 * range is written as its decimal digits, a string. */
	if (sum && s->seed > INT64_MAX) {
		snprintf(seed, sizeof(seed), "%llu", (unsigned long long)s->seed);
		json_object_set_new(sum, "seed", json_string(seed));
	}
	if (!sum || !metrics) {
		json_decref(sum);
		json_decref(metrics);
		return NULL;
	}
	if (getrusage(RUSAGE_SELF, &ru) == 0) /* host-side, like host_seconds */
		json_object_set_new(sum, "host_max_rss_kib", json_integer(ru.ru_maxrss));
	json_object_update(sum, metrics);
	json_decref(metrics);
	if (info->status == RS_RUN_DUT_CRASH)
		json_object_set_new(sum, "crash", crash_json(&info->crash));
	/* Throughput only from work the simulation completed, at the platform clock, over the
	 * workload's steady window (first submit to the end of the last request): mount and
	 * teardown are not work. */
	json_t *requests = json_object_get(sum, "requests");
	json_int_t span = json_integer_value(json_object_get(requests, "span_cycles"));
	if (info->requests_completed && span > 0)
		json_object_set_new(sum, "throughput", json_pack("{s:f}", "bytes_per_second",
			(double)info->bytes_completed * (double)s->platform.clock_hz /
			(double)span));
	describe_work(s, sum);
	if (rs_selfcheck_summary(sum, s->platform.clock_hz)) {
		json_decref(sum);
		return NULL;
	}
	return sum;
}

/* A run the host cannot hold is refused before it starts, not OOM-killed half-way. */
static bool host_can_hold(const struct rs_scenario *s)
{
	struct rs_host_memory m;
	char need[32], buf[32], meta[32], guest[32], have[32];
	const size_t n = sizeof(need);

	rs_engine_host_memory(s, &m);
	if (!m.available || m.needed <= m.available)
		return true;
	fprintf(stderr, "%s: needs about %s of host memory (%s of guest buffers the workload "
		"touches, %s of metadata for %s of guest memory); this host has %s available; "
		"lower depth or block sizes, or run it on a larger host\n", s->file,
		rs_fmt_bytes((double)m.needed, need, n), rs_fmt_bytes((double)m.buffers, buf, n),
		rs_fmt_bytes((double)m.metadata, meta, n),
		rs_fmt_bytes((double)s->platform.memory_bytes, guest, n),
		rs_fmt_bytes((double)m.available, have, n));
	return false;
}

static void print_outcome(const struct rs_scenario *s, const struct rs_run_info *info,
			  const char *status, const char *dir, double host_seconds,
			  const struct pcap_out *po)
{
	printf("%s: %s, %llu cycles (%.6f s simulated), %llu of %llu requests completed, "
	       "%.2f s host\nresults: %s\n", s->name, status,
	       (unsigned long long)info->simulated_cycles,
	       (double)info->simulated_cycles / (double)s->platform.clock_hz,
	       (unsigned long long)info->requests_completed,
	       (unsigned long long)info->requests_submitted, host_seconds, dir);
	if (po->shown[0])
		printf("pcap: %s, %llu 9P messages\n", po->shown,
		       (unsigned long long)po->messages);
	if (info->status == RS_RUN_TIME_LIMIT && info->simulated_cycles >= RS_MAX_RUN_CYCLES)
		printf("limit: the most cycles a run can simulate (%llu, half of SystemC's time "
		       "range)\n", (unsigned long long)RS_MAX_RUN_CYCLES);
	if (info->status == RS_RUN_DUT_CRASH && info->crash.dut_frame >= 0) {
		const struct rs_crash_frame *f = &info->crash.frames[info->crash.dut_frame];

		printf("crash: %s in %s at %s:%u, cycle %llu (summary.json: crash)\n",
		       info->crash.signal_name, f->function[0] ? f->function : "?",
		       f->file[0] ? f->file : f->object, f->line,
		       (unsigned long long)info->crash.cycle);
	}
}

/* DIR/dut-coverage/: the gcov data of the DUT objects the run loaded (gcda/), and what
 * they say (coverage.json, lcov.info). */
static int collect_coverage(const struct rs_scenario *s, const char *tmp, const char *gcov,
			    struct rs_coverage **cov, char *err, size_t size)
{
	char dir[4200], gcda[4300];

	snprintf(dir, sizeof(dir), "%s/dut-coverage", tmp);
	snprintf(gcda, sizeof(gcda), "%s/gcda", dir);
	if ((mkdir(dir, 0777) && errno != EEXIST) || (mkdir(gcda, 0777) && errno != EEXIST)) {
		snprintf(err, size, "%.3000s: %s", gcda, strerror(errno));
		return -1;
	}
	if (rs_engine_dump_dut_coverage(s, gcda, err, size) < 0)
		return -1;
	*cov = rs_coverage_new();
	if (!*cov)
		return -1;
	return rs_coverage_add_gcov(*cov, gcov, gcda, err, size) ||
	       rs_coverage_write(*cov, dir, err, size) ? -1 : 0;
}

/* --trace-window START:END, each a duration (N cycles or a time; either may be left out). */
static int trace_window(const char *text, uint64_t clock_hz, struct rs_trace_window *w)
{
	const char *colon = strchr(text, ':'), *why = "";
	char start[128];

	if (!colon || (size_t)(colon - text) >= sizeof(start))
		goto bad;
	memcpy(start, text, (size_t)(colon - text));
	start[colon - text] = '\0';
	if ((*start && rs_parse_duration(start, clock_hz, &w->start, &why)) ||
	    (colon[1] && rs_parse_duration(colon + 1, clock_hz, &w->end, &why)) ||
	    w->start >= w->end)
		goto bad;
	return 0;
bad:
	return rs_cli_usage_error("run", "--trace-window %s: %s%sexpected START:END, two "
				  "durations (cycles or ns, us, ms, s), START before END, "
				  "either may be left out (e.g. 10us:50us, 200000cycles:)", text,
				  why, *why ? "; " : "");
}

/*
 * The window --trace-window or --trace-around keeps, once the run is over: the one given,
 * or the longest stall and as long again either side. Return: false when there is none
 * (neither option, or no stall).
 */
static bool run_window(const struct run_args *a, const struct rs_trace_window *given,
		       const struct rs_recorder *rec, struct rs_trace_window *w)
{
	uint64_t d;

	*w = *given;
	w->at_close = false;
	if (a->trace_window)
		return true;
	if (!a->trace_around_stall || !rs_recorder_longest_stall(rec, &w->start, &w->end))
		return false;
	d = w->end - w->start;
	w->start = w->start > d ? w->start - d : 0;
	w->end += d;
	return true;
}

/* --vcd FILE cut to @w once the run is over (SystemC names the file FILE, or FILE.vcd
 * when FILE lacks it). */
static int cut_vcd(const char *vcd, const struct rs_trace_window *w, char *err, size_t size)
{
	size_t n = strlen(vcd);
	char path[4200];

	snprintf(path, sizeof(path), "%s%s", vcd,
		 n > 4 && !strcmp(vcd + n - 4, ".vcd") ? "" : ".vcd");
	return rs_vcd_cut(path, w->start, w->end, err, size);
}

/* --trace FILE.json: opened before the run, so a path that cannot be written is bad input;
 * @w: the window, read from --trace-window here (--trace-around: at_close). */
static int open_trace(const struct run_args *a, const struct rs_scenario *s,
		      struct rs_trace_window *w, struct rs_trace **trace)
{
	char process[300], err[4200];

	*trace = NULL;
	*w = (struct rs_trace_window){ 0, UINT64_MAX, a->trace_around_stall };
	if (a->trace_window && trace_window(a->trace_window, s->platform.clock_hz, w))
		return RS_EXIT_USAGE;
	if (!a->trace)
		return 0;
	snprintf(process, sizeof(process), "ringsim: %s", s->name);
	*trace = rs_trace_open(a->trace, process, s->platform.clock_hz, w, err, sizeof(err));
	if (!*trace) {
		fprintf(stderr, "ringsim: --trace %s\n", err);
		return RS_EXIT_USAGE;
	}
	return 0;
}

/* The capture open on @path, handed to the engine. Return: 0, or -1 with @err set. */
static int pcap_open(const struct run_args *a, const struct rs_scenario *s, const char *path,
		     struct pcap_out *po, char *err, size_t size)
{
	po->pcap = rs_pcap_open(path, a->pcap.snaplen ? a->pcap.snaplen : RS_PCAP_MAX_SNAPLEN,
				a->pcap.link, s->platform.clock_hz, err, size);
	if (!po->pcap)
		return -1;
	rs_engine_set_pcap(po->pcap);
	return 0;
}

/* --pcap FILE: refused before the run (exit 2) when the scenario has no 9P to capture or
 * FILE cannot be written; else the capture open on FILE.tmp-PID. */
static int pcap_begin(const struct run_args *a, const struct rs_scenario *s,
		      struct pcap_out *po)
{
	const char *file = a->pcap.file;
	char err[512];
	struct stat st;

	if (!file)
		return 0;
	if (!rs_scenario_has_device(s, RS_DEV_9P)) {
		fprintf(stderr, "ringsim: --pcap: the scenario has no virtio-9p device\n");
		return -1;
	}
	if (stat(file, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "ringsim: --pcap %s: %s\n", file, strerror(EISDIR));
		return -1;
	}
	snprintf(po->tmp, sizeof(po->tmp), "%.4000s.tmp-%ld", file, (long)getpid());
	snprintf(po->shown, sizeof(po->shown), "%s", file);
	if (pcap_open(a, s, po->tmp, po, err, sizeof(err))) {
		po->tmp[0] = po->shown[0] = '\0';
		fprintf(stderr, "ringsim: --pcap %s: %s\n", file, err);
		return -1;
	}
	return 0;
}

/* --pcaps: the capture into the results directory as RS_RESULTS_PCAP, so that it is in the
 * results' manifest and goes with them; a scenario without 9P simply has none (compare
 * and regress give every point --pcaps). */
static int pcaps_begin(const struct run_args *a, const struct rs_scenario *s,
		       const struct rs_results_dir *rd, struct pcap_out *po, char *err,
		       size_t size)
{
	char path[4200], why[512];

	if (!a->pcap.each || !rs_scenario_has_device(s, RS_DEV_9P))
		return 0;
	snprintf(path, sizeof(path), "%.4000s/%s", rd->tmp, RS_RESULTS_PCAP);
	snprintf(po->shown, sizeof(po->shown), "%.4000s/%s", rd->dir, RS_RESULTS_PCAP);
	if (pcap_open(a, s, path, po, why, sizeof(why))) {
		snprintf(err, size, "--pcaps %.3000s: %s", po->shown, why);
		return -1;
	}
	return 0;
}

/* The capture complete (its FIN at @cycle) and flushed; still under its temporary name. */
static int pcap_end(const struct run_args *a, struct pcap_out *po, uint64_t cycle, char *err,
		    size_t size)
{
	char why[512];
	int rc;

	if (!po->pcap)
		return 0;
	rs_engine_set_pcap(NULL);
	po->messages = rs_pcap_messages(po->pcap);
	rc = rs_pcap_close(po->pcap, cycle, why, sizeof(why));
	po->pcap = NULL;
	if (rc)
		snprintf(err, size, "%s %s: %s", a->pcap.file ? "--pcap" : "--pcaps", po->shown,
			 why);
	return rc;
}

static int run(const struct run_args *a, const struct rs_scenario *s, const char *dir)
{
	struct pcap_out po = { 0 };
	struct rs_trace_window window, cut;
	struct rs_trace *trace = NULL;
	bool has_cut;
	struct rs_coverage *cov = NULL;
	struct rs_results_dir rd = { 0 };
	struct rs_run_info info = { 0 };
	struct rs_recorder *rec = NULL;
	struct rs_diag diag = { 0 };
	json_t *summary = NULL;
	char err[4096] = "";
	double t0 = now_seconds(), host;
	size_t failed = 0;
	char *text = NULL;
	const char *status;
	int rc = RS_EXIT_USAGE;

	/* A DUT object that is not one (no table, another ABI, entry points missing) is bad
	 * input: refused before anything is written. */
	if (rs_engine_check_dut(s, err, sizeof(err))) {
		fprintf(stderr, "ringsim: %s\n", err);
		return RS_EXIT_USAGE;
	}
	if (!host_can_hold(s) || open_trace(a, s, &window, &trace))
		return RS_EXIT_USAGE;
	if (pcap_begin(a, s, &po)) {
		rs_trace_abort(trace);
		return RS_EXIT_USAGE;
	}
	rd.force = a->force;
	if (rs_results_begin(&rd, dir, "summary.json", &diag)) {
		rs_diag_print(&diag, stderr);
		rs_diag_clear(&diag);
		goto out;
	}
	if (pcaps_begin(a, s, &rd, &po, err, sizeof(err)))
		goto unwritable;
	rec = rs_recorder_open(rd.tmp, a->summary_only ? RS_RECORD_SUMMARY : RS_RECORD_ALL, err,
			       sizeof(err));
	rs_engine_set_limits(a->max_cycles ? a->max_cycles : s->platform.max_cycles,
			     a->max_host_seconds);
	if (rec && trace) {
		rs_recorder_set_trace(rec, trace);
		rs_engine_set_trace(trace);
	}
	if (!rec || rs_engine_run(s, rec, &rs_cli_stop,
					  !a->quiet && isatty(STDERR_FILENO), a->vcd, &info, err,
					  sizeof(err)))
		goto internal;
	if (rs_recorder_write_error(rec, err, sizeof(err)))
		goto unwritable;
	if (info.status == RS_RUN_INTERRUPTED || rs_cli_stop)
		goto interrupted;
	has_cut = run_window(a, &window, rec, &cut);
	if (a->vcd && has_cut && cut_vcd(a->vcd, &cut, err, sizeof(err)))
		goto unwritable;
	host = now_seconds() - t0;
	if (a->coverage && collect_coverage(s, rd.tmp, a->gcov, &cov, err, sizeof(err)))
		goto internal;
	summary = build_summary(s, &info, rec, host);
	if (!summary)
		goto internal;
	failed = rs_expect_eval(s, summary, stderr);
	status = status_name(info.status, failed);
	json_object_set_new(summary, "status", json_string(status));
	text = json_dumps(summary, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
	if (rs_recorder_end(rec) && rs_recorder_write_error(rec, err, sizeof(err)))
		goto unwritable;
	rs_recorder_set_trace(rec, NULL);
	if (trace) {
		struct rs_trace *t = trace;

		trace = NULL;
		if (rs_trace_close(t, info.simulated_cycles, has_cut ? &cut : NULL, err,
				   sizeof(err)))
			goto unwritable;
	}
	if (pcap_end(a, &po, info.simulated_cycles, err, sizeof(err)))
		goto unwritable;
	/* summary.json last: its presence marks a complete result. */
	if (!text)
		goto internal;
	if (rs_results_write(&rd, "scenario.xml", s->as_run_xml, err, sizeof(err)) ||
	    rs_results_write(&rd, "summary.json", text, err, sizeof(err)))
		goto unwritable;
	if (rs_cli_stop) /* while the results were written: none are kept */
		goto interrupted;
	switch (rs_results_commit(&rd, err, sizeof(err))) {
	case 0:
		break;
	case RS_RESULTS_REFUSED: /* the user's file has a name the new results hold */
		fprintf(stderr, "ringsim: %s\n", err);
		rc = RS_EXIT_USAGE;
		goto out;
	default:
		goto internal;
	}
	if (po.tmp[0] && rename(po.tmp, a->pcap.file)) {
		fprintf(stderr, "ringsim: --pcap %s: %s (the results are in %s)\n", a->pcap.file,
			strerror(errno), dir);
		rc = RS_EXIT_FAILED;
		goto out;
	}
	po.tmp[0] = '\0';
	if (!a->quiet)
		print_outcome(s, &info, status, dir, host, &po);
	if (!a->quiet && cov) {
		rs_coverage_print(cov, stdout, 8);
		printf("dut coverage: %s/dut-coverage/lcov.info\n", dir);
	}
	rc = (info.status == RS_RUN_OK && !failed) ? RS_EXIT_OK : RS_EXIT_FAILED;
	goto out;
interrupted:
	fprintf(stderr, "ringsim: interrupted; no results written\n");
	rc = rs_cli_stop_exit();
	goto out;
unwritable: /* a full disk, an I/O error: the run stopped at the first failed write */
	fprintf(stderr, "ringsim: %s; no results written\n", err);
	rc = RS_EXIT_FAILED;
	goto out;
internal:
	fprintf(stderr, "ringsim: internal error: %s\n", err[0] ? err : "out of memory");
	rc = RS_EXIT_FAILED;
out:
	if (rec)
		rs_recorder_set_trace(rec, NULL);
	rs_trace_abort(trace);
	if (po.pcap) {
		rs_engine_set_pcap(NULL);
		rs_pcap_close(po.pcap, 0, err, sizeof(err));
	}
	if (po.tmp[0])
		unlink(po.tmp);
	rs_coverage_free(cov);
	free(text);
	json_decref(summary);
	rs_recorder_close(rec);
	rs_results_abort(&rd);
	return rc;
}

int rs_cmd_run(int argc, char **argv)
{
	struct run_args a = { 0 };
	struct rs_diag diag = { 0 };
	struct rs_scenario *s;
	char *dir = NULL;
	int rc;

	rc = parse_args(argc, argv, &a);
	if (rc >= 0)
		return rc;
	s = a.file ? rs_scenario_load(a.file, NULL, 0, a.sets, a.n_sets, &diag) :
		rs_scenario_load("<quickstart>", (const char *)rs_embedded_quickstart,
				 rs_embedded_quickstart_len, a.sets, a.n_sets, &diag);
	rs_diag_print(&diag, stderr);
	rs_diag_clear(&diag);
	if (!s)
		return RS_EXIT_USAGE;
	if (!a.out && asprintf(&dir, "results/%s", s->name) < 0) {
		rs_scenario_free(s);
		return RS_EXIT_FAILED;
	}
	rs_cli_catch_stop();
	rs_engine_set_dut_coverage(a.coverage);
	rc = a.replications > 1 ? rs_run_replicated(s, a.replications, a.out ? a.out : dir, a.quiet,
						    a.coverage, a.force, rs_cli_pcap_args(&a.pcap),
						    &rs_cli_stop) :
		run(&a, s, a.out ? a.out : dir);
	free(dir);
	rs_scenario_free(s);
	return rc;
}
