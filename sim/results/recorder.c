// SPDX-License-Identifier: GPL-2.0-only
#include "results/recorder.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "results/findings.h"
#include "results/stats.h"
#include "trace/trace_event.h"

/* Findings beyond this many are counted, not kept: a broken DUT can produce millions. */
#define MAX_KEPT_FINDINGS 1000

enum metric_kind { M_STAT, M_COUNTER, M_LEVEL, M_REAL };

struct rs_level {
	double value, max;
	double integral;   /* value x cycles, for the time-weighted mean */
	uint64_t since;    /* cycle of the last change */
	unsigned flags;    /* RS_LEVEL_* */
	struct rs_trace *trace; /* a timeseries level's counter track, with --trace */
	const char *name;
};

struct metric {
	char *name;
	enum metric_kind kind;
	union {
		struct rs_stat *stat;
		uint64_t counter;
		struct rs_level level;
		double real;
	} u;
};

struct finding {
	enum rs_severity sev;
	char *kind, *where, *detail;
	uint64_t cycle;
	int64_t request;
};

/*
 * The idle rule of timeseries.csv: once every level has stayed as it is for longer than
 * span cycles, rows are left out until one changes. The row before the change (at the
 * last sample left out, or one period before the change, whichever is later) is written
 * with it, and at the end, so every row left out equals the row written before it.
 */
struct series_idle {
	uint64_t period, span;   /* the sample period; span: UINT64_MAX writes every row */
	double *last, *now;      /* the levels of the last row written; of this sample */
	size_t n;                /* how many levels each holds (fixed by the header) */
	uint64_t last_change;    /* cycle of the last row that differed from the one before */
	bool written;            /* a row was written: last holds it */
	bool skipping;           /* rows are being left out */
	uint64_t skipped_cycle;  /* the last sample left out */
};

struct rs_recorder {
	char *dir;
	FILE *requests, *stalls, *timeseries;
	bool series_header_done;
	bool per_event;          /* requests.csv and stalls.csv are written */
	int write_errno;         /* the first write that failed: its errno, */
	const char *write_name;  /* and the file's name in dir */
	bool ended;              /* rs_recorder_end() was called */
	struct metric **metrics; /* pointers stay valid as the array grows */
	size_t n_metrics;
	struct finding *findings;
	size_t n_findings;
	size_t findings_by_sev[4];
	size_t data_corruptions;  /* findings whose kind rs_finding_corrupts_data() */
	json_t *by_kind;          /* finding kind -> count, every finding counted */
	struct series_idle idle;  /* which timeseries rows are left out */
	struct rs_trace *trace;   /* --trace: stalls and the timeseries' levels go there too */
	uint64_t longest_start, longest_end; /* the longest stall (the first of them) */
};

static void write_series_header(struct rs_recorder *rec);
static bool in_series(const struct metric *m);

/* After a write to @f (the file @name): remember the first failure, with its errno. A
 * buffered stream fails when a full buffer is flushed, in the call that flushes it. */
static void written(struct rs_recorder *rec, FILE *f, const char *name)
{
	if (__builtin_expect(ferror(f) != 0, 0) && !rec->write_errno) {
		rec->write_errno = errno ? errno : EIO;
		rec->write_name = name;
	}
}
static void write_row(struct rs_recorder *rec, uint64_t cycle, const double *v, size_t n);

static FILE *open_csv(const char *dir, const char *name, const char *header, char *err,
		      size_t err_size)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		snprintf(err, err_size, "%s: cannot create: %m", path);
		return NULL;
	}
	/* Large buffer: rows are small and many. */
	setvbuf(f, NULL, _IOFBF, 1 << 16);
	if (header)
		fputs(header, f);
	return f;
}

struct rs_recorder *rs_recorder_open(const char *dir, enum rs_record_mode mode, char *err,
				     size_t err_size)
{
	struct rs_recorder *rec = calloc(1, sizeof(*rec));
	bool all = mode == RS_RECORD_ALL;

	if (!rec || !(rec->dir = strdup(dir))) {
		free(rec);
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	rec->per_event = all;
	rec->idle.span = UINT64_MAX;
	if (all) {
		rec->requests = open_csv(dir, "requests.csv",
					 "id,job,device,op,bytes,page_offset,pages,phys_runs,"
					 "submit_cycle,complete_cycle,latency_cycles,descriptors,"
					 "sg_entries,grants,grants_reserved,stall_cycles,status\n",
					 err, err_size);
		rec->stalls = !rec->requests ? NULL :
			open_csv(dir, "stalls.csv",
				 "ring,cause,start_cycle,end_cycle,cycles,request\n", err,
				 err_size);
	}
	if (!all || rec->stalls)
		rec->timeseries = open_csv(dir, "timeseries.csv", NULL, err, err_size);
	if (!rec->timeseries) {
		rs_recorder_close(rec);
		return NULL;
	}
	return rec;
}

/* Close @f (the file @name), remembering the first failure of its last flush. */
static void close_file(struct rs_recorder *rec, FILE **f, const char *name)
{
	if (!*f)
		return;
	errno = 0;
	if ((fflush(*f) || ferror(*f)) && !rec->write_errno) {
		rec->write_errno = errno ? errno : EIO;
		rec->write_name = name;
	}
	if (fclose(*f) && !rec->write_errno) {
		rec->write_errno = errno ? errno : EIO;
		rec->write_name = name;
	}
	*f = NULL;
}

struct hist_row {
	FILE *f;
	const char *name;
};

static void write_bin(void *arg, double lo, double hi, double count)
{
	struct hist_row *h = arg;

	fprintf(h->f, "%s,%.17g,%.17g,%.17g\n", h->name, lo, hi, count);
}

/* histograms.csv: the non-empty bins of every distribution, for CDFs and plots. */
static void write_histograms(struct rs_recorder *rec)
{
	char err[256];
	FILE *f = open_csv(rec->dir, "histograms.csv", "metric,lo,hi,count\n", err, sizeof(err));

	if (!f) {
		if (!rec->write_errno) {
			rec->write_errno = errno ? errno : EIO;
			rec->write_name = "histograms.csv";
		}
		return;
	}
	for (size_t i = 0; i < rec->n_metrics; i++) {
		struct hist_row h = { f, rec->metrics[i]->name };

		if (rec->metrics[i]->kind == M_STAT)
			rs_stat_bins(rec->metrics[i]->u.stat, write_bin, &h);
	}
	close_file(rec, &f, "histograms.csv");
}

bool rs_recorder_failed(const struct rs_recorder *rec)
{
	return rec->write_errno != 0;
}

bool rs_recorder_write_error(const struct rs_recorder *rec, char *err, size_t err_size)
{
	if (!rec->write_errno)
		return false;
	snprintf(err, err_size, "%s/%s: cannot write: %s", rec->dir, rec->write_name,
		 strerror(rec->write_errno));
	return true;
}

int rs_recorder_end(struct rs_recorder *rec)
{
	if (rec->ended)
		return rec->write_errno ? -1 : 0;
	rec->ended = true;
	if (rec->timeseries && !rec->series_header_done)
		write_series_header(rec);
	if (rec->idle.skipping)
		write_row(rec, rec->idle.skipped_cycle, rec->idle.last, rec->idle.n);
	close_file(rec, &rec->requests, "requests.csv");
	close_file(rec, &rec->stalls, "stalls.csv");
	close_file(rec, &rec->timeseries, "timeseries.csv");
	write_histograms(rec);
	return rec->write_errno ? -1 : 0;
}

int rs_recorder_close(struct rs_recorder *rec)
{
	int rc;

	if (!rec)
		return 0;
	rc = rs_recorder_end(rec);
	free(rec->idle.last);
	free(rec->idle.now);
	for (size_t i = 0; i < rec->n_metrics; i++) {
		if (rec->metrics[i]->kind == M_STAT)
			rs_stat_free(rec->metrics[i]->u.stat);
		free(rec->metrics[i]->name);
		free(rec->metrics[i]);
	}
	for (size_t i = 0; i < rec->n_findings; i++) {
		free(rec->findings[i].kind);
		free(rec->findings[i].where);
		free(rec->findings[i].detail);
	}
	free(rec->metrics);
	free(rec->findings);
	free(rec->dir);
	json_decref(rec->by_kind);
	free(rec);
	return rc;
}

static struct metric *metric(struct rs_recorder *rec, const char *name, enum metric_kind kind)
{
	struct metric **grown, *m;

	for (size_t i = 0; i < rec->n_metrics; i++)
		if (!strcmp(rec->metrics[i]->name, name))
			return rec->metrics[i]->kind == kind ? rec->metrics[i] : NULL;
	grown = realloc(rec->metrics, (rec->n_metrics + 1) * sizeof(*grown));
	if (!grown)
		return NULL;
	rec->metrics = grown;
	m = calloc(1, sizeof(*m));
	if (!m || !(m->name = strdup(name)) ||
	    (kind == M_STAT && !(m->u.stat = rs_stat_new()))) {
		if (m)
			free(m->name);
		free(m);
		return NULL;
	}
	m->kind = kind;
	rec->metrics[rec->n_metrics++] = m;
	return m;
}

struct rs_stat *rs_recorder_stat(struct rs_recorder *rec, const char *name)
{
	struct metric *m = metric(rec, name, M_STAT);

	return m ? m->u.stat : NULL;
}

uint64_t *rs_recorder_counter(struct rs_recorder *rec, const char *name)
{
	struct metric *m = metric(rec, name, M_COUNTER);

	return m ? &m->u.counter : NULL;
}

double *rs_recorder_real(struct rs_recorder *rec, const char *name)
{
	struct metric *m = metric(rec, name, M_REAL);

	return m ? &m->u.real : NULL;
}

struct rs_level *rs_recorder_level(struct rs_recorder *rec, const char *name, unsigned flags)
{
	struct metric *m = metric(rec, name, M_LEVEL);

	if (!m)
		return NULL;
	m->u.level.flags |= flags;
	m->u.level.name = m->name;
	if (m->u.level.flags & (RS_LEVEL_SERIES | RS_LEVEL_TRACE))
		m->u.level.trace = rec->trace;
	return &m->u.level;
}

bool rs_recorder_longest_stall(const struct rs_recorder *rec, uint64_t *start, uint64_t *end)
{
	*start = rec->longest_start;
	*end = rec->longest_end;
	return rec->longest_end > rec->longest_start;
}

void rs_recorder_set_trace(struct rs_recorder *rec, struct rs_trace *trace)
{
	rec->trace = trace;
	for (size_t i = 0; i < rec->n_metrics; i++)
		if (rec->metrics[i]->kind == M_LEVEL &&
		    (rec->metrics[i]->u.level.flags & (RS_LEVEL_SERIES | RS_LEVEL_TRACE)))
			rec->metrics[i]->u.level.trace = trace;
}

void rs_level_set(struct rs_level *lv, uint64_t cycle, double value)
{
	if (lv->trace && (value != lv->value || !cycle))
		rs_trace_counter(lv->trace, lv->name, cycle, value);
	lv->integral += lv->value * (double)(cycle - lv->since);
	lv->since = cycle;
	lv->value = value;
	if (value > lv->max)
		lv->max = value;
}

void rs_level_add(struct rs_level *lv, uint64_t cycle, double delta)
{
	rs_level_set(lv, cycle, lv->value + delta);
}

double rs_level_value(const struct rs_level *lv)
{
	return lv->value;
}

double rs_level_integral(const struct rs_level *lv)
{
	return lv->integral;
}

/* Row writers: a number or a string and the separator after it, at @p; the new end. */
static char *put_u64(char *p, uint64_t v, char sep)
{
	char digits[20];
	int n = 0;

	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (n)
		*p++ = digits[--n];
	*p++ = sep;
	return p;
}

static char *put_str(char *p, const char *s, size_t max, char sep)
{
	size_t n = strnlen(s, max);

	memcpy(p, s, n);
	p[n] = sep;
	return p + n + 1;
}

/* The same row by fprintf, for names too long for the fixed buffer below. */
static void request_row_printf(struct rs_recorder *rec, const struct rs_request_row *r,
			       bool done)
{
	fprintf(rec->requests, "%llu,%s,%s,%s,%llu,%u,%u,%u,%llu,", (unsigned long long)r->id,
		r->job, r->device, r->op, (unsigned long long)r->bytes, r->page_offset, r->pages,
		r->phys_runs, (unsigned long long)r->submit_cycle);
	if (done)
		fprintf(rec->requests, "%llu,%llu,", (unsigned long long)r->complete_cycle,
			(unsigned long long)(r->complete_cycle - r->submit_cycle));
	else
		fputs(",,", rec->requests);
	fprintf(rec->requests, "%u,%u,%u,%u,%llu,%s\n", r->descriptors, r->sg_entries, r->grants,
		r->grants_reserved, (unsigned long long)r->stall_cycles, r->status);
	written(rec, rec->requests, "requests.csv");
}

/* One row per request: the hottest output of a run, formatted by hand (as the %llu, %u
 * and %s of the header's columns would be) and written with one fwrite. */
void rs_recorder_request(struct rs_recorder *rec, const struct rs_request_row *r)
{
	bool done = r->complete_cycle && r->complete_cycle >= r->submit_cycle;
	char line[16 * 21 + 4 * 64], *p = line;

	if (!rec->per_event)
		return;
	if (strnlen(r->job, 64) == 64 || strnlen(r->device, 64) == 64 ||
	    strnlen(r->op, 64) == 64 || strnlen(r->status, 64) == 64) {
		request_row_printf(rec, r, done);
		return;
	}
	p = put_u64(p, r->id, ',');
	p = put_str(p, r->job, 64, ',');
	p = put_str(p, r->device, 64, ',');
	p = put_str(p, r->op, 64, ',');
	p = put_u64(p, r->bytes, ',');
	p = put_u64(p, r->page_offset, ',');
	p = put_u64(p, r->pages, ',');
	p = put_u64(p, r->phys_runs, ',');
	p = put_u64(p, r->submit_cycle, ',');
	if (done) {
		p = put_u64(p, r->complete_cycle, ',');
		p = put_u64(p, r->complete_cycle - r->submit_cycle, ',');
	} else {
		*p++ = ',';
		*p++ = ',';
	}
	p = put_u64(p, r->descriptors, ',');
	p = put_u64(p, r->sg_entries, ',');
	p = put_u64(p, r->grants, ',');
	p = put_u64(p, r->grants_reserved, ',');
	p = put_u64(p, r->stall_cycles, ',');
	p = put_str(p, r->status, 64, '\n');
	fwrite(line, 1, (size_t)(p - line), rec->requests);
	written(rec, rec->requests, "requests.csv");
}

void rs_recorder_stall(struct rs_recorder *rec, const char *ring, const char *cause,
		       uint64_t start, uint64_t end, int64_t request)
{
	if (end - start > rec->longest_end - rec->longest_start) {
		rec->longest_start = start;
		rec->longest_end = end;
	}
	if (rec->trace)
		rs_trace_stall(rec->trace, ring, cause, start, end, request);
	if (!rec->per_event)
		return;
	fprintf(rec->stalls, "%s,%s,%llu,%llu,%llu,%lld\n", ring, cause,
		(unsigned long long)start, (unsigned long long)end,
		(unsigned long long)(end - start), (long long)request);
	written(rec, rec->stalls, "stalls.csv");
}

static bool in_series(const struct metric *m)
{
	return m->kind == M_LEVEL && (m->u.level.flags & RS_LEVEL_SERIES);
}

static void write_series_header(struct rs_recorder *rec)
{
	fputs("cycle", rec->timeseries);
	for (size_t i = 0; i < rec->n_metrics; i++)
		if (in_series(rec->metrics[i]))
			fprintf(rec->timeseries, ",%s", rec->metrics[i]->name);
	fputc('\n', rec->timeseries);
	rec->series_header_done = true;
}

void rs_recorder_series_idle(struct rs_recorder *rec, uint64_t period, uint64_t span)
{
	rec->idle.period = period;
	rec->idle.span = span;
}

static void write_row(struct rs_recorder *rec, uint64_t cycle, const double *v, size_t n)
{
	fprintf(rec->timeseries, "%llu", (unsigned long long)cycle);
	for (size_t i = 0; i < n; i++)
		fprintf(rec->timeseries, ",%.17g", v[i]);
	fputc('\n', rec->timeseries);
	written(rec, rec->timeseries, "timeseries.csv");
}

bool rs_recorder_sample(struct rs_recorder *rec, uint64_t cycle)
{
	struct series_idle *id = &rec->idle;
	double *tmp;
	size_t n = 0;

	if (!rec->series_header_done) {
		write_series_header(rec);
		for (size_t i = 0; i < rec->n_metrics; i++)
			id->n += in_series(rec->metrics[i]);
		id->last = calloc(id->n + 1, sizeof(*id->last));
		id->now = calloc(id->n + 1, sizeof(*id->now));
		if (!id->last || !id->now) {
			rec->write_errno = ENOMEM;
			rec->write_name = "timeseries.csv";
			return false;
		}
	} else if (!id->now) {
		return false;
	}
	for (size_t i = 0; i < rec->n_metrics; i++)
		if (in_series(rec->metrics[i]))
			id->now[n++] = rec->metrics[i]->u.level.value;
	if (id->written && !memcmp(id->now, id->last, n * sizeof(*id->now))) {
		if (cycle - id->last_change > id->span) {
			id->skipping = true;
			id->skipped_cycle = cycle;
			return true;
		}
		write_row(rec, cycle, id->now, n);
		return false;
	}
	if (id->skipping) {
		uint64_t before = cycle - id->period;

		write_row(rec, before > id->skipped_cycle ? before : id->skipped_cycle,
			  id->last, n);
		id->skipping = false;
	}
	write_row(rec, cycle, id->now, n);
	tmp = id->last;
	id->last = id->now;
	id->now = tmp;
	id->last_change = cycle;
	id->written = true;
	return false;
}

void rs_recorder_finding(struct rs_recorder *rec, enum rs_severity sev, const char *kind,
			 const char *where, const char *detail, uint64_t cycle, int64_t request)
{
	struct finding *f;

	rec->findings_by_sev[sev]++;
	if (rs_finding_corrupts_data(kind))
		rec->data_corruptions++;
	if (!rec->by_kind)
		rec->by_kind = json_object();
	json_object_set_new(rec->by_kind, kind, json_integer(
		json_integer_value(json_object_get(rec->by_kind, kind)) + 1));
	if (rec->n_findings >= MAX_KEPT_FINDINGS)
		return;
	f = realloc(rec->findings, (rec->n_findings + 1) * sizeof(*f));
	if (!f)
		return;
	rec->findings = f;
	f += rec->n_findings++;
	f->sev = sev;
	f->kind = strdup(kind);
	f->where = strdup(where);
	f->detail = strdup(detail);
	f->cycle = cycle;
	f->request = request;
}

size_t rs_recorder_findings(const struct rs_recorder *rec, enum rs_severity sev)
{
	return rec->findings_by_sev[sev];
}

size_t rs_recorder_data_corruptions(const struct rs_recorder *rec)
{
	return rec->data_corruptions;
}

/* The object at the dotted path's parent, created as needed; *leaf gets the last part. */
static json_t *parent_of(json_t *root, const char *name, char *leaf, size_t leaf_size)
{
	char buf[256];
	char *part, *next, *save = NULL;
	json_t *obj = root;

	snprintf(buf, sizeof(buf), "%s", name);
	part = strtok_r(buf, ".", &save);
	while (part && (next = strtok_r(NULL, ".", &save))) {
		json_t *child = json_object_get(obj, part);

		if (!json_is_object(child)) {
			child = json_object();
			json_object_set_new(obj, part, child);
		}
		obj = child;
		part = next;
	}
	snprintf(leaf, leaf_size, "%s", part ? part : name);
	return obj;
}

/* Integral values print as JSON integers: counts read as counts. */
static json_t *number(double v)
{
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		return json_integer((json_int_t)v);
	return json_real(v);
}

static json_t *stat_json(const struct rs_stat *st)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "count", (json_int_t)rs_stat_count(st), "total", number(rs_stat_total(st)),
			 "mean", number(rs_stat_mean(st)), "sd", number(rs_stat_sd(st)),
			 "min", number(rs_stat_min(st)),
			 "p50", number(rs_stat_quantile(st, 0.50)),
			 "p90", number(rs_stat_quantile(st, 0.90)),
			 "p99", number(rs_stat_quantile(st, 0.99)),
			 "p999", number(rs_stat_quantile(st, 0.999)),
			 "max", number(rs_stat_max(st)));
}

static json_t *findings_json(const struct rs_recorder *rec)
{
	static const char *const sev[] = { "bug", "warn", "error", "info" };
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < rec->n_findings; i++) {
		const struct finding *f = &rec->findings[i];

		json_array_append_new(arr, json_pack("{s:s, s:s?, s:s?, s:s?, s:I, s:I}",
			"severity", sev[f->sev], "kind", f->kind, "where", f->where,
			"detail", f->detail, "cycle", (json_int_t)f->cycle,
			"request", (json_int_t)f->request));
	}
	return arr;
}

void *rs_recorder_metrics_json(struct rs_recorder *rec, uint64_t end_cycle)
{
	json_t *root = json_object();
	char leaf[128];

	if (!root)
		return NULL;
	for (size_t i = 0; i < rec->n_metrics; i++) {
		struct metric *m = rec->metrics[i];
		json_t *v;

		switch (m->kind) {
		case M_STAT:
			/* A distribution with no samples measured nothing: leave it out. */
			if (!rs_stat_count(m->u.stat))
				continue;
			v = stat_json(m->u.stat);
			break;
		case M_COUNTER:
			v = json_integer((json_int_t)m->u.counter);
			break;
		case M_REAL:
			v = number(m->u.real);
			break;
		default:
			if (!(m->u.level.flags & RS_LEVEL_SUMMARY))
				continue;
			rs_level_set(&m->u.level, end_cycle, m->u.level.value);
			v = json_pack("{s:o, s:o}", "mean", number(end_cycle ?
				m->u.level.integral / (double)end_cycle : m->u.level.value),
				"max", number(m->u.level.max));
			break;
		}
		json_object_set_new(parent_of(root, m->name, leaf, sizeof(leaf)), leaf, v);
	}
	json_object_set_new(root, "findings", findings_json(rec));
	json_object_set_new(root, "findings_by_kind",
			    rec->by_kind ? json_deep_copy(rec->by_kind) : json_object());
	json_object_set_new(root, "findings_total", json_integer((json_int_t)(
		rec->findings_by_sev[0] + rec->findings_by_sev[1] + rec->findings_by_sev[2] +
		rec->findings_by_sev[3])));
	json_object_set_new(root, "findings_data_corruption",
			    json_integer((json_int_t)rec->data_corruptions));
	return root;
}
