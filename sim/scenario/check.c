// SPDX-License-Identifier: GPL-2.0-only
/*
 * The second layer of scenario loading: the document is valid against the schema, so every
 * element and attribute here is one we know and every required one is present. What is
 * left is meaning: units, ranges, and values that depend on each other.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/check.h"
#include "scenario/dut_names.h"
#include "scenario/units.h"

/*
 * VIRTQUEUE_NUM of net/9p/trans_virtio.c: the transport's maxsize is
 * PAGE_SIZE * (VIRTQUEUE_NUM - 3), and the client clamps msize to it.
 */
#define P9_VIRTQUEUE_NUM 128u
/* The 9P client refuses an msize below 4096 (net/9p/client.c, p9_client_create). */
#define P9_MIN_MSIZE 4096u
/* BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST (8) * GRANTS_PER_INDIRECT_FRAME (512). */
#define BLKIF_MAX_INDIRECT_SEGMENTS 4096u
/* XENBUS_MAX_RING_GRANT_ORDER is 4: 1, 2, 4, 8 or 16 ring pages. */
#define XEN_MAX_RING_PAGES 16u
#define XEN_MAX_RING_PAGE_ORDER 4u /* XENBUS_MAX_RING_PAGE_ORDER */

struct checker {
	struct rs_dom *dom;
	int errors;
};

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* Report "WHERE: elem attr="value": why". */
static void bad(struct checker *ck, xmlNodePtr e, const char *attr, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void bad(struct checker *ck, xmlNodePtr e, const char *attr, const char *fmt, ...)
{
	char where[512], why[512];
	xmlChar *val = attr ? xmlGetProp(e, (const xmlChar *)attr) : NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	rs_dom_where(ck->dom, e, attr, where);
	if (attr)
		rs_diag_add(ck->dom->diag, "%s: <%s> %s=\"%s\": %s", where, (const char *)e->name,
			    attr, val ? (char *)val : "", why);
	else
		rs_diag_add(ck->dom->diag, "%s: <%s>: %s", where, (const char *)e->name, why);
	xmlFree(val);
	ck->errors++;
}

/* The attribute's text, or NULL when absent; the caller must not keep it. */
static const char *text(xmlNodePtr e, const char *attr)
{
	static xmlChar *last;

	xmlFree(last);
	last = e ? xmlGetProp(e, (const xmlChar *)attr) : NULL;
	return (const char *)last;
}

static bool has(xmlNodePtr e, const char *attr)
{
	return e && xmlHasProp(e, (const xmlChar *)attr);
}

static uint64_t get_uint(struct checker *ck, xmlNodePtr e, const char *attr, uint64_t min,
			 uint64_t max)
{
	const char *why;
	uint64_t v = 0;

	if (rs_parse_uint(text(e, attr), &v, &why))
		bad(ck, e, attr, "%s", why);
	else if (v < min || v > max)
		bad(ck, e, attr, "out of range; allowed: %llu to %llu", (unsigned long long)min,
		    (unsigned long long)max);
	return v;
}

static uint64_t get_size(struct checker *ck, xmlNodePtr e, const char *attr, uint64_t min,
			 uint64_t max)
{
	char lo[32], hi[32];
	const char *why;
	uint64_t v = 0;

	if (rs_parse_size(text(e, attr), &v, &why))
		bad(ck, e, attr, "%s", why);
	else if (v < min || v > max)
		bad(ck, e, attr, "out of range; allowed: %s to %s", rs_format_size(min, lo),
		    rs_format_size(max, hi));
	return v;
}

static uint64_t get_duration(struct checker *ck, xmlNodePtr e, const char *attr,
			     uint64_t clock_hz, uint64_t max_cycles)
{
	const char *why;
	uint64_t v = 0;

	if (!clock_hz) /* the clock itself is wrong and already reported */
		return 0;
	if (rs_parse_duration(text(e, attr), clock_hz, &v, &why))
		bad(ck, e, attr, "%s", why);
	else if (v > max_cycles && max_cycles == RS_MAX_RUN_CYCLES)
		bad(ck, e, attr, "longer than simulated time can hold; at most %llu cycles "
		    "(about %.0f days at the platform clock)", (unsigned long long)max_cycles,
		    (double)max_cycles / (double)clock_hz / 86400.0);
	else if (v > max_cycles)
		bad(ck, e, attr, "too long; at most %llu cycles", (unsigned long long)max_cycles);
	return v;
}

static double get_real(struct checker *ck, xmlNodePtr e, const char *attr, double min,
		       double max)
{
	const char *why;
	double v = 0;

	if (rs_parse_real(text(e, attr), &v, &why))
		bad(ck, e, attr, "%s", why);
	else if (v < min || v > max)
		bad(ck, e, attr, "out of range; allowed: %g to %g", min, max);
	return v;
}

static bool get_bool(xmlNodePtr e, const char *attr)
{
	const char *t = text(e, attr);

	/* The schema allows only true, false, 1 and 0. */
	return t && (!strcmp(t, "true") || !strcmp(t, "1"));
}

static bool text_is(xmlNodePtr e, const char *attr, const char *want)
{
	const char *t = text(e, attr);

	return t && !strcmp(t, want);
}

static void check_platform(struct checker *ck, xmlNodePtr e, struct rs_platform *p)
{
	int errors = ck->errors;
	const char *why;

	p->page_size = (uint32_t)get_size(ck, e, "page-size", 0, UINT32_MAX);
	if (ck->errors == errors && p->page_size != RS_PAGE_4K && p->page_size != RS_PAGE_16K &&
	    p->page_size != RS_PAGE_64K)
		bad(ck, e, "page-size", "not a supported page size; allowed: 4KiB, 16KiB, 64KiB");
	if (ck->errors != errors)
		p->page_size = 0; /* checks that depend on it are skipped */
	if (rs_parse_freq(text(e, "clock"), &p->clock_hz, &why)) {
		bad(ck, e, "clock", "%s", why);
		p->clock_hz = 0;
	} else if (p->clock_hz < 1000000 || p->clock_hz > 100000000000ull) {
		bad(ck, e, "clock", "out of range; allowed: 1MHz to 100GHz");
		p->clock_hz = 0;
	}
	p->memory_bytes = get_size(ck, e, "memory", 16ull << 20, 64ull << 30);
	if (p->page_size && p->memory_bytes && p->memory_bytes % p->page_size)
		bad(ck, e, "memory", "not a whole number of %u-byte pages", p->page_size);
	p->vcpus = (uint32_t)get_uint(ck, e, "vcpus", 1, 256);
	p->fragmentation = get_real(ck, e, "fragmentation", 0.0, 0.9);
	p->dma_latency_cycles = get_duration(ck, e, "dma-latency", p->clock_hz, 1000000);
	p->bus_width_bytes = (uint32_t)get_size(ck, e, "bus-width", 1, 256);
	if (!is_pow2(p->bus_width_bytes))
		bad(ck, e, "bus-width", "must be a power of two from 1B to 256B");
	p->gup_max_pages = (uint32_t)get_uint(ck, e, "gup-max-pages", 0, 1u << 20);
	if (has(e, "max-cycles"))
		p->max_cycles = get_uint(ck, e, "max-cycles", 1, RS_MAX_RUN_CYCLES);
}

static void check_costs(struct checker *ck, xmlNodePtr costs, uint64_t *cycles)
{
	for (int i = 0; i < RS_COST_COUNT; i++)
		cycles[i] = rs_cost_describe(i)->default_cycles;
	for (xmlNodePtr c = costs->children; c; c = c->next) {
		int idx;

		if (!rs_xml_is(c, "cost"))
			continue;
		idx = rs_cost_lookup(text(c, "name"));
		if (idx < 0) {
			bad(ck, c, "name", "unknown cost; allowed: %s", rs_cost_names());
			continue;
		}
		cycles[idx] = get_uint(ck, c, "cycles", 0, 1000000000);
	}
	/* Write the whole table into the document: the as-run XML reproduces the run. */
	for (int i = 0; i < RS_COST_COUNT; i++) {
		xmlNodePtr c;
		char buf[32];

		for (c = costs->children; c; c = c->next)
			if (rs_xml_is(c, "cost") && text_is(c, "name", rs_cost_describe(i)->name))
				break;
		if (c)
			continue;
		c = xmlNewChild(costs, NULL, (const xmlChar *)"cost", NULL);
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)cycles[i]);
		xmlSetProp(c, (const xmlChar *)"name", (const xmlChar *)rs_cost_describe(i)->name);
		xmlSetProp(c, (const xmlChar *)"cycles", (const xmlChar *)buf);
	}
}

static void check_virtio9p(struct checker *ck, xmlNodePtr e, const struct rs_platform *p,
			   struct rs_virtio9p *v)
{
	uint64_t maxsize = (uint64_t)p->page_size * (P9_VIRTQUEUE_NUM - 3);
	char where[512];
	const char *why;

	v->present = true;
	v->queue_size = (uint32_t)get_uint(ck, e, "queue-size", 1, 32768);
	if (v->queue_size && !is_pow2(v->queue_size))
		bad(ck, e, "queue-size", "not a power of two; allowed: 1, 2, 4, ... 32768");
	if (rs_parse_size(text(e, "msize"), &v->msize, &why))
		bad(ck, e, "msize", "%s; allowed: 4096B to 4294967295B", why);
	else if (v->msize < P9_MIN_MSIZE)
		bad(ck, e, "msize", "below the 9P client's minimum of 4096 bytes; allowed: "
		    "4096B to 4294967295B");
	else if (v->msize > UINT32_MAX)
		bad(ck, e, "msize", "more than 9P's 32-bit msize field holds; allowed: 4096B "
		    "to 4294967295B");
	else if (p->page_size && v->msize > maxsize)
		fprintf(stderr, "%s: note: <virtio-9p> msize=%llu exceeds the virtio transport's "
			"maxsize %llu at %u-byte pages; the client clamps it\n",
			rs_dom_where(ck->dom, e, "msize", where), (unsigned long long)v->msize,
			(unsigned long long)maxsize, p->page_size);
	v->indirect = get_bool(e, "indirect-descriptors");
	v->engine = text_is(e, "engine", "rtl") ? RS_ENGINE_RTL : RS_ENGINE_SYSTEMC;
	v->server_block_size = (uint32_t)get_size(ck, e, "server-block-size", 512, 1u << 20);
	v->workers = (uint32_t)get_uint(ck, e, "workers", 1, 1024);
	v->event_idx = get_bool(e, "event-idx");
	v->server_cycles = get_duration(ck, e, "server-time", p->clock_hz, 1000000000);
	v->server_cycles_per_kib = get_duration(ck, e, "server-time-per-KiB", p->clock_hz,
						1000000000);
	v->server_spread = get_real(ck, e, "server-time-spread", 0, 0.99);
	v->strict_framing = get_bool(e, "strict-framing");
}

/* A rate: a size per second ("1GiB/s"), in bytes per second. */
static uint64_t get_rate(struct checker *ck, xmlNodePtr e, const char *attr, uint64_t min,
			 uint64_t max)
{
	const char *t = text(e, attr), *why;
	size_t n = strlen(t);
	char buf[64];
	uint64_t v = 0;

	if (n < 3 || n >= sizeof(buf) || strcmp(t + n - 2, "/s")) {
		bad(ck, e, attr, "not a rate; allowed: a size per second, e.g. 1GiB/s or 150MiB/s");
		return 0;
	}
	memcpy(buf, t, n - 2);
	buf[n - 2] = 0;
	if (rs_parse_size(buf, &v, &why)) {
		bad(ck, e, attr, "%s, per second", why);
		return 0;
	}
	if (v < min || v > max) {
		char lo[32], hi[32];

		bad(ck, e, attr, "out of range; allowed: %s/s to %s/s", rs_format_size(min, lo),
		    rs_format_size(max, hi));
	}
	return v;
}

static void check_xenblk(struct checker *ck, xmlNodePtr e, const struct rs_platform *p,
			 struct rs_xenblk *x)
{
	x->present = true;
	x->ring_pages = (uint32_t)get_uint(ck, e, "ring-pages", 1, XEN_MAX_RING_PAGES);
	if (x->ring_pages && !is_pow2(x->ring_pages))
		bad(ck, e, "ring-pages", "not a power of two; allowed: 1, 2, 4, 8, 16");
	/* The backend's max-ring-page-order: blkback caps it at XENBUS_MAX_RING_PAGE_ORDER. */
	x->backend_has_max_ring_page_order = !text_is(e, "max-ring-page-order", "none");
	if (x->backend_has_max_ring_page_order) {
		const char *why;
		uint64_t v = 0;

		if (rs_parse_uint(text(e, "max-ring-page-order"), &v, &why) ||
		    v > XEN_MAX_RING_PAGE_ORDER)
			bad(ck, e, "max-ring-page-order", "allowed: 0 to 4, or none (the backend "
			    "does not publish the key: a one-page ring)");
		x->max_ring_page_order = (uint32_t)v;
	}
	x->max_indirect_segments = (uint32_t)get_uint(ck, e, "max-indirect-segments", 0,
						      BLKIF_MAX_INDIRECT_SEGMENTS);
	x->persistent_grants = get_bool(e, "persistent-grants");
	x->grant_frames = (uint32_t)get_uint(ck, e, "grant-frames", 1, 1024);
	x->front_max_indirect_segments = (uint32_t)get_uint(ck, e, "front-max-indirect-segments",
							    0, BLKIF_MAX_INDIRECT_SEGMENTS);
	x->disk_latency_cycles = get_duration(ck, e, "disk-latency", p->clock_hz, 1ull << 40);
	x->disk_seek_cycles = get_duration(ck, e, "disk-seek", p->clock_hz, 1ull << 40);
	x->disk_channels = (uint32_t)get_uint(ck, e, "disk-channels", 1, 1024);
	x->disk_bandwidth_bytes = get_rate(ck, e, "disk-bandwidth", 1024, 1ull << 40);
	x->disk_flush = text_is(e, "disk-flush", "barrier") ? RS_FLUSH_BARRIER :
		text_is(e, "disk-flush", "none") ? RS_FLUSH_NONE : RS_FLUSH_CACHE;
}

/* Sizes of block I/O are whole 512-byte sectors. */
static void check_sector_multiple(struct checker *ck, xmlNodePtr e, const char *attr,
				  const struct rs_job *j, uint64_t v)
{
	if (j->device == RS_DEV_BLK && v % 512)
		bad(ck, e, attr, "block I/O moves whole 512-byte sectors; use a multiple of 512B");
}

static void check_align(struct checker *ck, xmlNodePtr e, const char *attr, uint64_t align)
{
	if (!is_pow2(align))
		bad(ck, e, attr, "not a power of two");
}

static void check_size_dist(struct checker *ck, xmlNodePtr job, struct rs_job *j)
{
	const uint64_t max_block = 1ull << 30;
	xmlNodePtr dist = rs_xml_child(job, "block-size");
	struct rs_size_dist *d = &j->size;
	xmlNodePtr e;

	if (has(job, "block-size") == (dist != NULL)) {
		bad(ck, job, NULL, "give either a block-size attribute or a <block-size> "
		    "distribution, exactly one");
		return;
	}
	if (!dist) {
		d->kind = RS_SIZE_FIXED;
		d->fixed = d->min = d->max = get_size(ck, job, "block-size", 1, max_block);
		check_sector_multiple(ck, job, "block-size", j, d->fixed);
		return;
	}
	if ((e = rs_xml_child(dist, "uniform")) || (e = rs_xml_child(dist, "lognormal"))) {
		d->kind = rs_xml_is(e, "uniform") ? RS_SIZE_UNIFORM : RS_SIZE_LOGNORMAL;
		d->min = get_size(ck, e, "min", 1, max_block);
		d->max = get_size(ck, e, "max", 1, max_block);
		d->align = get_size(ck, e, "align", 1, max_block);
		check_align(ck, e, "align", d->align);
		check_sector_multiple(ck, e, "align", j, d->align);
		if (d->min > d->max)
			bad(ck, e, "min", "larger than max");
		else if (d->align && d->min % d->align)
			bad(ck, e, "min", "not a multiple of align");
		else if (d->align && d->max % d->align)
			bad(ck, e, "max", "not a multiple of align");
		if (d->kind == RS_SIZE_LOGNORMAL) {
			d->median = (double)get_size(ck, e, "median", 1, max_block);
			d->sigma = get_real(ck, e, "sigma", 0.001, 10.0);
			if (d->median < (double)d->min || d->median > (double)d->max)
				bad(ck, e, "median", "outside min..max");
		}
		return;
	}
	e = rs_xml_child(dist, "choice");
	for (xmlNodePtr o = e->children; o; o = o->next)
		d->n_options += rs_xml_is(o, "option");
	d->kind = RS_SIZE_CHOICE;
	d->option_size = calloc(d->n_options, sizeof(*d->option_size));
	d->option_weight = calloc(d->n_options, sizeof(*d->option_weight));
	if (!d->option_size || !d->option_weight) {
		bad(ck, e, NULL, "out of memory");
		return;
	}
	d->min = UINT64_MAX;
	size_t i = 0;
	for (xmlNodePtr o = e->children; o; o = o->next) {
		if (!rs_xml_is(o, "option"))
			continue;
		d->option_size[i] = get_size(ck, o, "size", 1, max_block);
		check_sector_multiple(ck, o, "size", j, d->option_size[i]);
		d->option_weight[i] = get_real(ck, o, "weight", 1e-9, 1e9);
		d->min = d->option_size[i] < d->min ? d->option_size[i] : d->min;
		d->max = d->option_size[i] > d->max ? d->option_size[i] : d->max;
		i++;
	}
}

static void check_offset(struct checker *ck, xmlNodePtr e, const struct rs_platform *p,
			 struct rs_job *j)
{
	j->offset_align = (uint32_t)get_size(ck, e, "offset-align", 1, RS_PAGE_64K);
	check_align(ck, e, "offset-align", j->offset_align);
	if (p->page_size && j->offset_align > p->page_size)
		bad(ck, e, "offset-align", "larger than the page size (%u)", p->page_size);
	j->offset_random = text_is(e, "page-offset", "random");
	if (!j->offset_random) {
		j->page_offset = (uint32_t)get_size(ck, e, "page-offset", 0, RS_PAGE_64K);
		if (p->page_size && j->page_offset >= p->page_size)
			bad(ck, e, "page-offset", "must be below the page size (%u) or 'random'",
			    p->page_size);
	}
	if (j->device != RS_DEV_BLK)
		return;
	if (j->io == RS_IO_BUFFERED && (j->offset_random || j->page_offset))
		bad(ck, e, "page-offset", "buffered I/O uses whole page-cache pages; use 0");
	else if (j->offset_random && j->offset_align % 512)
		bad(ck, e, "offset-align", "direct I/O buffers are sector aligned; use a "
		    "multiple of 512B");
	else if (!j->offset_random && j->page_offset % 512)
		bad(ck, e, "page-offset", "direct I/O buffers are sector aligned; use a "
		    "multiple of 512B");
}

static void check_job(struct checker *ck, xmlNodePtr e, const struct rs_scenario *s,
		      struct rs_job *j)
{
	j->line = (int)xmlGetLineNo(e);
	j->name = strdup(text(e, "name"));
	/* A job name is one component of --set job.NAME.ATTR and of jobs.NAME.* metrics. */
	if (j->name && strchr(j->name, '.'))
		bad(ck, e, "name", "a job name cannot contain '.'; use letters, digits, '_' "
		    "and '-'");
	/* ... and of selfcheck.littles_law_error.NAME, beside that check's own .max. */
	else if (j->name && !strcmp(j->name, "max"))
		bad(ck, e, "name", "'max' is taken by selfcheck.littles_law_error.max; choose "
		    "another job name");
	j->device = text_is(e, "device", "9p") ? RS_DEV_9P : RS_DEV_BLK;
	j->op = text_is(e, "op", "read") ? RS_OP_READ :
		text_is(e, "op", "write") ? RS_OP_WRITE :
		text_is(e, "op", "flush") ? RS_OP_FLUSH : RS_OP_READDIR;
	if (j->device == RS_DEV_BLK) {
		if (j->op == RS_OP_READDIR)
			bad(ck, e, "op", "readdir is a 9p operation; allowed for blk: read, write, "
			    "flush");
		if (has(e, "buffer"))
			bad(ck, e, "buffer", "a 9p attribute; blk jobs take io=\"direct|buffered\"");
		j->io = text_is(e, "io", "buffered") ? RS_IO_BUFFERED : RS_IO_DIRECT;
		if (!has(e, "io"))
			xmlSetProp(e, (const xmlChar *)"io", (const xmlChar *)"direct");
	} else {
		if (j->op == RS_OP_FLUSH)
			bad(ck, e, "op", "flush is a blk operation; allowed for 9p: read, write, "
			    "readdir");
		if (has(e, "io"))
			bad(ck, e, "io", "a blk attribute; 9p jobs take buffer=\"user|kernel|vmalloc\"");
		/* p9_client_readdir always reads into a kmalloc'd buffer. */
		if (j->op == RS_OP_READDIR && has(e, "buffer") && !text_is(e, "buffer", "kernel"))
			bad(ck, e, "buffer", "readdir always uses a kernel buffer");
		j->buffer = (j->op == RS_OP_READDIR || text_is(e, "buffer", "kernel")) ?
			RS_BUF_KERNEL : text_is(e, "buffer", "vmalloc") ? RS_BUF_VMALLOC :
			RS_BUF_USER;
		if (!has(e, "buffer"))
			xmlSetProp(e, (const xmlChar *)"buffer", (const xmlChar *)
				   (j->buffer == RS_BUF_KERNEL ? "kernel" : "user"));
	}
	if (j->op == RS_OP_FLUSH) {
		/* A flush moves no data: no size to draw. */
		if (has(e, "block-size") || rs_xml_child(e, "block-size"))
			bad(ck, e, "block-size", "a flush moves no data; allowed: no block-size");
		j->size.kind = RS_SIZE_FIXED;
		j->size.fixed = j->size.min = j->size.max = 0;
	} else {
		check_size_dist(ck, e, j);
	}
	j->fsync_every = get_uint(ck, e, "fsync-every", 0, 1000000000);
	if (j->fsync_every && (j->device != RS_DEV_BLK || j->op != RS_OP_WRITE))
		bad(ck, e, "fsync-every", "only for blk write jobs; allowed: 0 elsewhere");
	j->count = get_uint(ck, e, "count", 1, 1000000000);
	j->depth = (uint32_t)get_uint(ck, e, "depth", 1, 4096);
	check_offset(ck, e, &s->platform, j);
	j->think_cycles = get_duration(ck, e, "think-time", s->platform.clock_hz,
				       RS_MAX_RUN_CYCLES);
	j->think_exponential = text_is(e, "think", "exponential");
	if (has(e, "signal-at")) {
		j->signal_at = get_duration(ck, e, "signal-at", s->platform.clock_hz,
					    RS_MAX_RUN_CYCLES);
		if (!j->signal_at && s->platform.clock_hz)
			bad(ck, e, "signal-at", "must be after cycle 0");
	}
	if (has(e, "signal-every")) {
		j->signal_every = get_duration(ck, e, "signal-every", s->platform.clock_hz,
					       RS_MAX_RUN_CYCLES);
		if (!j->signal_every && s->platform.clock_hz)
			bad(ck, e, "signal-every", "must be at least one cycle");
	}
}

static void check_expect(struct checker *ck, xmlNodePtr e, struct rs_expect *x)
{
	static const char *const ops[] = { "eq", "ne", "lt", "le", "gt", "ge" };
	int found = 0;

	x->line = (int)xmlGetLineNo(e);
	if (has(e, "metric") == has(e, "finding")) {
		bad(ck, e, NULL, "give either metric=\"PATH\" or finding=\"KIND\"");
		return;
	}
	if (has(e, "metric"))
		x->metric = strdup(text(e, "metric"));
	else
		x->finding = strdup(text(e, "finding"));
	for (int i = 0; i < 6; i++) {
		if (!has(e, ops[i]))
			continue;
		found++;
		x->cmp = (enum rs_cmp)i;
		x->value = get_real(ck, e, ops[i], -1e300, 1e300);
	}
	if (has(e, "count")) {
		if (!x->finding)
			bad(ck, e, "count", "count goes with finding=\"KIND\"");
		found++;
		x->cmp = RS_CMP_EQ;
		x->value = get_real(ck, e, "count", 0, 1e18);
	}
	if (has(e, "within") || has(e, "of")) {
		char t[64], num[64];
		size_t len;

		/* copied: text() reuses its buffer on the next call */
		snprintf(t, sizeof(t), "%s", has(e, "within") ? text(e, "within") : "");
		len = strlen(t);
		if (!has(e, "within") || !has(e, "of") || !x->metric) {
			bad(ck, e, NULL, "within=\"TOLERANCE\" and of=\"VALUE\" go together, "
			    "with metric=\"PATH\"");
			return;
		}
		found++;
		x->within = true;
		x->value = get_real(ck, e, "of", -1e300, 1e300);
		x->tolerance_pct = len && t[len - 1] == '%';
		snprintf(num, sizeof(num), "%.*s", (int)(len - x->tolerance_pct), t);
		if (rs_parse_real(num, &x->tolerance, &(const char *){ NULL }) ||
		    x->tolerance < 0)
			bad(ck, e, "within", "not a tolerance; write a percentage (5%%) or an "
			    "absolute difference (100)");
		if (x->tolerance_pct)
			x->tolerance /= 100;
	}
	if (found != 1)
		bad(ck, e, NULL, "give exactly one of eq, ne, lt, le, gt, ge, within+of%s",
		    x->finding ? ", count" : "");
}

/*
 * Every guest thread holds a buffer for the largest request it can draw (see
 * sim/engine/guest_workload.cpp); they must fit in half of what other tenants leave free.
 */
static void check_buffer_memory(struct checker *ck, xmlNodePtr workload,
				const struct rs_scenario *s)
{
	const struct rs_platform *p = &s->platform;
	double need = 0, room;
	char a[32], b[32];

	if (ck->errors || !p->page_size)
		return;
	for (size_t i = 0; i < s->n_jobs; i++)
		need += (double)s->jobs[i].depth * (double)(s->jobs[i].size.max + p->page_size);
	room = (double)p->memory_bytes * (1.0 - p->fragmentation) / 2;
	if (need > room)
		bad(ck, workload, NULL, "the jobs' buffers (depth x largest block, summed) need "
		    "%s, more than half the memory other tenants leave free (%s); raise "
		    "platform memory or lower depth or block sizes",
		    rs_format_size((uint64_t)need, a), rs_format_size((uint64_t)room, b));
}

/*
 * <dut ATTR>: a DUT spec (scenario/dut_names.h), names kept and paths made absolute (a
 * compare's runs load it from wherever they run). Whether a file builds or an object holds
 * a usable DUT is sim/dutbuild's and the loader's call, at the start of the run.
 */
static char *check_dut(struct checker *ck, xmlNodePtr e, const char *attr)
{
	const char *v = e && has(e, attr) ? text(e, attr) : "seed";
	char why[1024];
	char *spec = rs_dut_spec_check(attr, v, why, sizeof(why));

	if (!spec)
		bad(ck, e, attr, "%s", why);
	return spec;
}

static size_t count_children(xmlNodePtr parent, const char *name)
{
	size_t n = 0;

	for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
		n += rs_xml_is(c, name);
	return n;
}

int rs_dom_check(struct rs_dom *dom, struct rs_scenario *s)
{
	struct checker ck = { .dom = dom };
	xmlNodePtr root = xmlDocGetRootElement(dom->doc), e;
	xmlNodePtr workload = rs_xml_child(root, "workload");
	bool threads_reported = false;
	uint64_t threads = 0;
	size_t i;

	s->name = strdup(text(root, "name"));
	if (rs_parse_uint(text(root, "seed"), &s->seed, &(const char *){ NULL }))
		bad(&ck, root, "seed", "not a whole number from 0 to 18446744073709551615");
	check_platform(&ck, rs_xml_child(root, "platform"), &s->platform);
	check_costs(&ck, rs_xml_child(root, "costs"), s->costs);
	e = rs_xml_child(root, "dut");
	s->dut.virtio9p = check_dut(&ck, e, "virtio-9p");
	s->dut.xenblk = check_dut(&ck, e, "xen-blk");
	if ((e = rs_xml_child(root, "virtio-9p")))
		check_virtio9p(&ck, e, &s->platform, &s->virtio9p);
	if ((e = rs_xml_child(root, "xen-blk")))
		check_xenblk(&ck, e, &s->platform, &s->xenblk);
	e = rs_xml_child(root, "record");
	i = (size_t)ck.errors;
	s->sample_period_cycles = get_duration(&ck, e, "sample-period", s->platform.clock_hz,
					       RS_MAX_RUN_CYCLES);
	if (!s->sample_period_cycles && s->platform.clock_hz && (size_t)ck.errors == i)
		bad(&ck, e, "sample-period", "must be at least one cycle");
	s->idle_span_cycles = get_duration(&ck, e, "idle-span", s->platform.clock_hz,
					   RS_MAX_RUN_CYCLES);

	s->n_jobs = count_children(workload, "job");
	s->jobs = calloc(s->n_jobs, sizeof(*s->jobs));
	s->n_expects = count_children(root, "expect");
	s->expects = calloc(s->n_expects ? s->n_expects : 1, sizeof(*s->expects));
	if (!s->name || !s->jobs || !s->expects) {
		rs_diag_add(dom->diag, "%s: out of memory", dom->file);
		return -1;
	}
	i = 0;
	for (e = workload->children; e; e = e->next)
		if (rs_xml_is(e, "job")) {
			check_job(&ck, e, s, &s->jobs[i]);
			threads += s->jobs[i++].depth;
			if (threads > RS_MAX_GUEST_THREADS && !threads_reported) {
				bad(&ck, e, "depth", "the jobs' depths add up to %llu here; a "
				    "scenario has at most %d guest threads (every job's depth, "
				    "summed)", (unsigned long long)threads, RS_MAX_GUEST_THREADS);
				threads_reported = true;
			}
		}
	check_buffer_memory(&ck, workload, s);
	i = 0;
	for (e = root->children; e; e = e->next)
		if (rs_xml_is(e, "expect"))
			check_expect(&ck, e, &s->expects[i++]);
	text(NULL, NULL); /* free the last attribute text */
	return ck.errors ? -1 : 0;
}
