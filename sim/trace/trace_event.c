// SPDX-License-Identifier: GPL-2.0-only
#include "trace/trace_event.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEADER "{\"displayTimeUnit\": \"ns\", \"traceEvents\": [\n"
#define FOOTER "\n]}\n"
#define PID 1
#define DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

/* A slice begun and not yet ended: its begin event, and whether it was written. */
struct open_slice {
	json_t *begin;
	bool kept;
};

/* A track's open slices, innermost last. */
struct track {
	struct open_slice *open;
	size_t n, cap;
};

/* Where events go, and what the window keeps: both passes of rs_trace_close() use one. */
struct sink {
	FILE *f;
	bool first;               /* no event written yet */
	double ws, we;            /* the window, in microseconds */
	bool window_entered;      /* an event at or after ws has been seen */
	struct track *tracks;     /* by tid - 1 */
	size_t n_tracks;
	json_t *counters;         /* name -> the last value, for the window's start */
};

struct rs_trace {
	char *path, *tmp;
	double us_per_cycle;
	struct rs_trace_window window;
	struct sink out;
	json_t *tids;             /* track name -> tid */
	json_t *lanes;            /* track -> [end cycle of each lane's last slice] */
	int write_errno;
};

static double us(const struct rs_trace *t, uint64_t cycle)
{
	return (double)cycle * t->us_per_cycle;
}

static void sink_init(struct sink *s, FILE *f, double ws, double we)
{
	memset(s, 0, sizeof(*s));
	s->f = f;
	s->first = true;
	s->ws = ws;
	s->we = we;
	s->counters = json_object();
}

static void sink_free(struct sink *s)
{
	for (size_t i = 0; i < s->n_tracks; i++) {
		for (size_t k = 0; k < s->tracks[i].n; k++)
			json_decref(s->tracks[i].open[k].begin);
		free(s->tracks[i].open);
	}
	free(s->tracks);
	json_decref(s->counters);
	s->tracks = NULL;
	s->n_tracks = 0;
	s->counters = NULL;
}

static void write_raw(struct sink *s, json_t *ev)
{
	fputs(s->first ? "" : ",\n", s->f);
	s->first = false;
	json_dumpf(ev, s->f, DUMP_FLAGS);
}

static struct track *track_of(struct sink *s, json_int_t tid)
{
	if (tid < 1)
		return NULL;
	if ((size_t)tid > s->n_tracks) {
		struct track *n = realloc(s->tracks, (size_t)tid * sizeof(*n));

		if (!n)
			return NULL;
		memset(n + s->n_tracks, 0, ((size_t)tid - s->n_tracks) * sizeof(*n));
		s->tracks = n;
		s->n_tracks = (size_t)tid;
	}
	return &s->tracks[tid - 1];
}

static bool push(struct track *tr, json_t *begin, bool kept)
{
	if (tr->n == tr->cap) {
		size_t cap = tr->cap ? 2 * tr->cap : 16;
		struct open_slice *n = realloc(tr->open, cap * sizeof(*n));

		if (!n)
			return false;
		tr->open = n;
		tr->cap = cap;
	}
	tr->open[tr->n].begin = json_incref(begin);
	tr->open[tr->n++].kept = kept;
	return true;
}

/* The first event at or after the window's start: the slices open then begin at its start
 * (nothing later has been written on any track yet), and every counter has its value. */
static void enter_window(struct sink *s)
{
	const char *name;
	json_t *v;

	s->window_entered = true;
	for (size_t i = 0; i < s->n_tracks; i++)
		for (size_t k = 0; k < s->tracks[i].n; k++) {
			struct open_slice *o = &s->tracks[i].open[k];
			json_t *b = json_deep_copy(o->begin);

			if (b) {
				json_object_set_new(b, "ts", json_real(s->ws));
				write_raw(s, b);
				o->kept = true;
			}
			json_decref(b);
		}
	json_object_foreach(s->counters, name, v) {
		json_t *ev = json_pack("{s:s, s:s, s:i, s:f, s:{s:O}}", "ph", "C", "name", name,
				       "pid", PID, "ts", s->ws, "args", "value", v);

		if (ev)
			write_raw(s, ev);
		json_decref(ev);
	}
}

/* Keep @ev (a reference is taken) if the window does, cut to it. */
static void emit(struct sink *s, json_t *ev)
{
	const char *ph = json_string_value(json_object_get(ev, "ph"));
	double ts = json_number_value(json_object_get(ev, "ts"));
	bool in = ts >= s->ws && ts <= s->we;
	struct track *tr;

	if (!ph)
		return;
	if (*ph != 'M' && !s->window_entered && ts >= s->ws && s->ws > 0)
		enter_window(s);
	switch (*ph) {
	case 'M':
		break;
	case 'B':
		tr = track_of(s, json_integer_value(json_object_get(ev, "tid")));
		if (!tr || !push(tr, ev, in))
			return;
		break;
	case 'E': {
		bool kept;

		tr = track_of(s, json_integer_value(json_object_get(ev, "tid")));
		if (!tr || !tr->n)
			return;
		tr->n--;
		kept = tr->open[tr->n].kept;
		json_decref(tr->open[tr->n].begin);
		if (!kept)
			return;
		if (ts > s->we)
			json_object_set_new(ev, "ts", json_real(s->we));
		in = true;
		break;
	}
	case 'X': {
		double end = ts + json_number_value(json_object_get(ev, "dur"));

		if (end < s->ws || ts > s->we)
			return;
		ts = ts < s->ws ? s->ws : ts;
		end = end > s->we ? s->we : end;
		json_object_set_new(ev, "ts", json_real(ts));
		json_object_set_new(ev, "dur", json_real(end - ts));
		in = true;
		break;
	}
	case 'C':
		json_object_set(s->counters, json_string_value(json_object_get(ev, "name")),
				json_object_get(json_object_get(ev, "args"), "value"));
		break;
	default:
		break;
	}
	if (*ph == 'M' || in)
		write_raw(s, ev);
}

static void note_error(struct rs_trace *t)
{
	if (!t->write_errno && ferror(t->out.f))
		t->write_errno = errno ? errno : EIO;
}

/* Emit @ev and drop the caller's reference. */
static void put(struct rs_trace *t, json_t *ev)
{
	if (!ev)
		return;
	emit(&t->out, ev);
	json_decref(ev);
	note_error(t);
}

static json_int_t tid_of(struct rs_trace *t, const char *track)
{
	json_t *v = json_object_get(t->tids, track);
	json_int_t tid;

	if (v)
		return json_integer_value(v);
	tid = (json_int_t)json_object_size(t->tids) + 1;
	json_object_set_new(t->tids, track, json_integer(tid));
	put(t, json_pack("{s:s, s:s, s:i, s:I, s:{s:s}}", "ph", "M", "name", "thread_name",
			 "pid", PID, "tid", tid, "args", "name", track));
	put(t, json_pack("{s:s, s:s, s:i, s:I, s:{s:I}}", "ph", "M", "name",
			 "thread_sort_index", "pid", PID, "tid", tid, "args", "sort_index", tid));
	return tid;
}

static json_t *event(struct rs_trace *t, const char *ph, const char *track, uint64_t cycle,
		     json_t *args)
{
	json_t *ev = json_pack("{s:s, s:i, s:I, s:f}", "ph", ph, "pid", PID, "tid",
			       tid_of(t, track), "ts", us(t, cycle));

	if (ev && args)
		json_object_set(ev, "args", args);
	json_decref(args);
	return ev;
}

struct rs_trace *rs_trace_open(const char *path, const char *process, uint64_t clock_hz,
			       const struct rs_trace_window *window, char *err, size_t err_size)
{
	struct rs_trace *t = calloc(1, sizeof(*t));
	FILE *f;

	if (!t || !(t->path = strdup(path)) ||
	    asprintf(&t->tmp, "%s.tmp-%d", path, (int)getpid()) < 0) {
		snprintf(err, err_size, "%s: out of memory", path);
		if (t)
			free(t->path);
		free(t);
		return NULL;
	}
	f = fopen(t->tmp, "w");
	if (!f) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		free(t->tmp);
		free(t->path);
		free(t);
		return NULL;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 16);
	fputs(HEADER, f);
	t->us_per_cycle = 1e6 / (double)clock_hz;
	t->window = *window;
	sink_init(&t->out, f, window->at_close ? 0 : us(t, window->start),
		  window->at_close || window->end == UINT64_MAX ? 1e300 : us(t, window->end));
	t->tids = json_object();
	t->lanes = json_object();
	put(t, json_pack("{s:s, s:s, s:i, s:{s:s}}", "ph", "M", "name", "process_name", "pid",
			 PID, "args", "name", process));
	return t;
}

void rs_trace_begin(struct rs_trace *t, const char *track, uint64_t cycle, const char *name,
		    json_t *args)
{
	json_t *ev = event(t, "B", track, cycle, args);

	if (ev)
		json_object_set_new(ev, "name", json_string(name));
	put(t, ev);
}

void rs_trace_end(struct rs_trace *t, const char *track, uint64_t cycle, json_t *args)
{
	put(t, event(t, "E", track, cycle, args));
}

void rs_trace_instant(struct rs_trace *t, const char *track, uint64_t cycle, const char *name,
		      json_t *args)
{
	json_t *ev = event(t, "i", track, cycle, args);

	if (ev) {
		json_object_set_new(ev, "name", json_string(name));
		json_object_set_new(ev, "s", json_string("t"));
	}
	put(t, ev);
}

void rs_trace_counter(struct rs_trace *t, const char *name, uint64_t cycle, double value)
{
	put(t, json_pack("{s:s, s:s, s:i, s:f, s:{s:f}}", "ph", "C", "name", name, "pid", PID,
			 "ts", us(t, cycle), "args", "value", value));
}

/* The first lane of @key free at @start (its last stall ended by then), or a new one. */
static size_t lane_of(struct rs_trace *t, const char *key, uint64_t start, uint64_t end)
{
	json_t *lanes = json_object_get(t->lanes, key);
	size_t i;

	if (!lanes) {
		lanes = json_array();
		json_object_set_new(t->lanes, key, lanes);
	}
	for (i = 0; i < json_array_size(lanes); i++)
		if ((uint64_t)json_integer_value(json_array_get(lanes, i)) <= start)
			break;
	if (i == json_array_size(lanes))
		json_array_append_new(lanes, json_integer((json_int_t)end));
	else
		json_array_set_new(lanes, i, json_integer((json_int_t)end));
	return i;
}

void rs_trace_span(struct rs_trace *t, const char *track, const char *name, uint64_t start,
		   uint64_t end, json_t *args)
{
	size_t lane = lane_of(t, track, start, end);
	char lane_track[300];
	json_t *ev;

	if (lane)
		snprintf(lane_track, sizeof(lane_track), "%s #%zu", track, lane + 1);
	else
		snprintf(lane_track, sizeof(lane_track), "%s", track);
	ev = event(t, "X", lane_track, start, args);
	if (ev) {
		json_object_set_new(ev, "name", json_string(name));
		json_object_set_new(ev, "dur", json_real(us(t, end) - us(t, start)));
	}
	put(t, ev);
}

void rs_trace_stall(struct rs_trace *t, const char *ring, const char *cause, uint64_t start,
		    uint64_t end, int64_t request)
{
	char track[256];

	snprintf(track, sizeof(track), "stall %s %s", ring, cause);
	rs_trace_span(t, track, cause, start, end, json_pack("{s:s, s:s, s:I, s:I}", "ring",
		      ring, "cause", cause, "request", (json_int_t)request, "cycles",
		      (json_int_t)(end - start)));
}

bool rs_trace_failed(const struct rs_trace *t)
{
	return t->write_errno != 0;
}

/* End every slice still open, innermost first, at @end_cycle. */
static void close_slices(struct rs_trace *t, uint64_t end_cycle)
{
	for (size_t i = 0; i < t->out.n_tracks; i++)
		while (t->out.tracks[i].n)
			put(t, json_pack("{s:s, s:i, s:I, s:f}", "ph", "E", "pid", PID, "tid",
					 (json_int_t)(i + 1), "ts", us(t, end_cycle)));
}

/* The second pass: every event of @from again, through a sink with the window @w. */
static int cut(struct rs_trace *t, const char *from, const char *to,
	       const struct rs_trace_window *w)
{
	FILE *in = fopen(from, "r"), *out;
	struct sink s;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	if (!in)
		return -1;
	out = fopen(to, "w");
	if (!out) {
		fclose(in);
		return -1;
	}
	setvbuf(out, NULL, _IOFBF, 1 << 16);
	fputs(HEADER, out);
	sink_init(&s, out, us(t, w->start), us(t, w->end));
	while ((n = getline(&line, &cap, in)) > 0) {
		json_t *ev;

		/* "EVENT,\n" but for the last; the header and the footer on lines of their own */
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == ','))
			line[--n] = '\0';
		if (!n || *line == ']' || !strncmp(line, HEADER, n))
			continue;
		ev = json_loads(line, 0, NULL);
		if (!ev) {
			rc = -1;
			break;
		}
		emit(&s, ev);
		json_decref(ev);
	}
	free(line);
	fputs(FOOTER, out);
	sink_free(&s);
	if (ferror(in))
		rc = -1;
	fclose(in);
	if (ferror(out))
		rc = -1;
	if (fclose(out))
		rc = -1;
	return rc;
}

static void trace_free(struct rs_trace *t)
{
	sink_free(&t->out);
	json_decref(t->tids);
	json_decref(t->lanes);
	free(t->tmp);
	free(t->path);
	free(t);
}

int rs_trace_close(struct rs_trace *t, uint64_t end_cycle, const struct rs_trace_window *w,
		   char *err, size_t err_size)
{
	char *cut_tmp = NULL;
	int rc = 0;

	close_slices(t, end_cycle);
	fputs(FOOTER, t->out.f);
	errno = 0;
	if ((fflush(t->out.f) || ferror(t->out.f)) && !t->write_errno)
		t->write_errno = errno ? errno : EIO;
	if (fclose(t->out.f) && !t->write_errno)
		t->write_errno = errno ? errno : EIO;
	t->out.f = NULL;
	if (!t->write_errno && t->window.at_close && w) {
		if (asprintf(&cut_tmp, "%s.cut", t->tmp) < 0) {
			cut_tmp = NULL;
			t->write_errno = ENOMEM;
		} else if (cut(t, t->tmp, cut_tmp, w)) {
			t->write_errno = errno ? errno : EIO;
		} else if (rename(cut_tmp, t->tmp)) {
			t->write_errno = errno;
		}
	}
	if (!t->write_errno && rename(t->tmp, t->path))
		t->write_errno = errno;
	if (t->write_errno) {
		snprintf(err, err_size, "%s: cannot write: %s", t->path, strerror(t->write_errno));
		unlink(t->tmp);
		if (cut_tmp)
			unlink(cut_tmp);
		rc = -1;
	}
	free(cut_tmp);
	trace_free(t);
	return rc;
}

void rs_trace_abort(struct rs_trace *t)
{
	if (!t)
		return;
	if (t->out.f)
		fclose(t->out.f);
	unlink(t->tmp);
	trace_free(t);
}
