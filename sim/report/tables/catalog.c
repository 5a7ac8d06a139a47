// SPDX-License-Identifier: GPL-2.0-only
/*
 * catalog: every metric summary.json has (DESIGN.md's results contract and what
 * the engine records), in words and with its unit. The tables list metrics in this order
 * within a group; a metric missing here still gets a unit from its name.
 */
#include <string.h>

#include "report/tables/view.h"

#define C RS_KIND_COUNT
#define L RS_KIND_LEVEL
#define CY RS_KIND_CYCLES
#define B RS_KIND_BYTES
#define PG RS_KIND_PAGES
#define RT RS_KIND_RATE

static const char sg_note[] =
	"scatterlist entries equal ring descriptors on this transport (one descriptor per "
	"entry, no indirect table)";
static const char pin_note[] =
	"pinned memory is counted three ways (the 9p transport's pins as a level and as a peak "
	"counter, and guest memory's own peak of every pin); they agree when only 9p pins";
static const char stall_note[] =
	"every -ENOSPC started one wait for ring space";
static const char irq_note[] =
	"every interrupt the virtio device raised reached the guest before the run ended";
static const char pgrant_note[] =
	"the backend's peak of persistent grants equals the frontend's";

static const struct rs_metric_def catalog[] = {
	/* Per job, then per device: what a reader of one workload wants first. */
	{ "jobs.*.latency_cycles", "latency", NULL, CY, RS_GROUP_JOB, 0, 0, NULL, NULL, NULL },
	{ "jobs.*.throughput.bytes_per_second", "throughput", NULL, RT, RS_GROUP_JOB, 0, 0,
	  NULL, NULL, NULL },
	/* Where the latency of a completed request went; the five add up to it. */
	{ "jobs.*.phases.build_cycles",
	  "latency, mean: the guest's build in the DUT, to the ring", NULL, CY, RS_GROUP_JOB, 0,
	  0, NULL, NULL, NULL },
	{ "jobs.*.phases.wait_cycles",
	  "latency, mean: waiting for ring space, pins, grants or tags", NULL, CY, RS_GROUP_JOB,
	  0, 0, NULL, NULL, NULL },
	{ "jobs.*.phases.ring_cycles", "latency, mean: on the ring, until the device takes it",
	  NULL, CY, RS_GROUP_JOB, 0, 0, NULL, NULL, NULL },
	{ "jobs.*.phases.device_cycles", "latency, mean: the device's service, to its response",
	  NULL, CY, RS_GROUP_JOB, 0, 0, NULL, NULL, NULL },
	{ "jobs.*.phases.completion_cycles", "latency, mean: the completion, from the device's "
	  "response until the thread sees it", NULL, CY, RS_GROUP_JOB, 0, 0, NULL, NULL, NULL },
	{ "jobs.*.phases.requests", "requests split into phases (those that reached a ring)",
	  "requests", C, RS_GROUP_JOB, 0, 0, NULL, NULL, NULL },
	{ "jobs.*.requests.completed", "requests completed", "requests", C, RS_GROUP_JOB, 0, 0,
	  NULL, NULL, NULL },
	{ "jobs.*.bytes", "bytes moved", NULL, B, RS_GROUP_JOB, 0, 0, NULL, NULL, NULL },
	{ "jobs.*.throughput.requests_per_second", "throughput in requests", "requests/s", C,
	  RS_GROUP_JOB, 0, 0, NULL, NULL, NULL },
	{ "jobs.*.requests.ended", "requests ended (any status)", "requests", C, RS_GROUP_JOB,
	  0, 0, NULL, NULL, NULL },
	{ "jobs.*.span_cycles", "steady window (first submit to end of last request)", NULL, CY,
	  RS_GROUP_JOB, RS_MF_NORANK, 0, NULL, NULL, NULL },
	{ "jobs.*.in_flight_mean", "requests in flight, mean over the steady window", "requests",
	  L, RS_GROUP_JOB, 0, 0, NULL, NULL, NULL },
	{ "jobs.*.residence_cycles", "time in the system, all ended requests", NULL, CY,
	  RS_GROUP_JOB, RS_MF_NORANK, 0, NULL, NULL, NULL },
	{ "devices.*.latency_cycles", "latency", NULL, CY, RS_GROUP_DEVICE, 0, 0, NULL, NULL,
	  NULL },
	{ "devices.*.throughput.bytes_per_second", "throughput", NULL, RT, RS_GROUP_DEVICE, 0,
	  0, NULL, NULL, NULL },
	{ "devices.*.requests.completed", "requests completed", "requests", C, RS_GROUP_DEVICE,
	  0, 0, NULL, NULL, NULL },
	{ "devices.*.bytes", "bytes moved", NULL, B, RS_GROUP_DEVICE, 0, 0, NULL, NULL, NULL },
	{ "devices.*.span_cycles", "steady window (first submit to end of last request)", NULL, CY,
	  RS_GROUP_DEVICE, RS_MF_NORANK, 0, NULL, NULL, NULL },

	{ "virtio.descriptors_per_request", "ring descriptors per workload request", "descriptors",
	  C, RS_GROUP_VIRTIO, 0, 0, NULL, NULL, NULL },
	{ "virtio.sg_entries_per_request", "scatterlist entries per workload request",
	  "sg entries", C, RS_GROUP_VIRTIO, 0, 0, "virtio.descriptors_per_request", sg_note,
	  NULL },
	{ "virtio.enospc", "ring stalls (-ENOSPC)", "stalls", C, RS_GROUP_VIRTIO, 0, 0, NULL,
	  NULL, NULL },
	{ "virtio.stalls", "guest threads that waited for ring space", "waits", C, RS_GROUP_VIRTIO,
	  0, 0, "virtio.enospc", stall_note, NULL },
	{ "virtio.stall_cycles", "time waiting for ring space", NULL, CY, RS_GROUP_VIRTIO,
	  RS_MF_SUM, 0, NULL, NULL, NULL },
	{ "virtio.ring_occupancy", "ring occupancy", "descriptors in use", L, RS_GROUP_VIRTIO,
	  RS_MF_LEVEL, 0, NULL, NULL, NULL },
	{ "virtio.pinned_pages", "pinned memory (zero-copy buffers)", NULL, PG,
	  RS_GROUP_VIRTIO, RS_MF_LEVEL, 0, NULL, NULL, NULL },
	{ "virtio.pinned_pages_max", "pinned memory, peak (9p pin counter)", NULL, PG,
	  RS_GROUP_VIRTIO, 0, 0, "virtio.pinned_pages.max", pin_note, NULL },
	{ "virtio.pin_waits", "waits at the pin limit", "waits", C, RS_GROUP_VIRTIO, 0, 0, NULL,
	  NULL, NULL },
	{ "virtio.pin_wait_cycles", "time waiting at the pin limit", NULL, CY, RS_GROUP_VIRTIO,
	  RS_MF_SUM, 0, NULL, NULL, NULL },
	{ "virtio.requests", "9P RPCs of workload requests on the ring", "requests", C,
	  RS_GROUP_VIRTIO, 0, 0, NULL, NULL, NULL },
	{ "virtio.mount.rpcs", "9P RPCs of the mount (attach, walk, open, clunk)", "requests", C,
	  RS_GROUP_VIRTIO, RS_MF_NORANK, 0, NULL, NULL, NULL },
	{ "virtio.mount.descriptors", "ring descriptors of the mount's RPCs", "descriptors", C,
	  RS_GROUP_VIRTIO, RS_MF_NORANK, 0, NULL, NULL, NULL },
	{ "virtio.kicks", "doorbell kicks", "kicks", C, RS_GROUP_VIRTIO, 0, 0, NULL, NULL, NULL },
	{ "virtio.pdus_in_service", "9P PDUs in service at the device", "PDUs", L,
	  RS_GROUP_VIRTIO, 0, 0, NULL, NULL, NULL },
	{ "virtio.out_of_order", "completions out of order (mean: fraction)", "completions", C,
	  RS_GROUP_VIRTIO, 0, 0, NULL, NULL, NULL },
	{ "virtio.out_of_order_completions", "completions out of order", "completions", C,
	  RS_GROUP_VIRTIO, 0, 0, NULL, NULL, NULL },
	{ "virtio.notifications_per_request", "notifications per request (mean)",
	  "notifications", C, RS_GROUP_VIRTIO, 0, 0, NULL, NULL, NULL },
	{ "virtio.interrupts_raised", "interrupts raised by the device", "interrupts", C,
	  RS_GROUP_VIRTIO, 0, 0, "virtio.interrupts", irq_note, NULL },
	{ "virtio.interrupts", "interrupts", "interrupts", C, RS_GROUP_VIRTIO, 0, 0, NULL, NULL,
	  NULL },

	{ "blkif.grants_reserved_per_request", "grants reserved per request", "grants", C,
	  RS_GROUP_BLKIF, 0, 0, NULL, NULL, NULL },
	{ "blkif.grants_per_request", "grants used per request", "grants", C, RS_GROUP_BLKIF, 0,
	  0, NULL, NULL, NULL },
	{ "blkif.ring_full", "ring stalls (ring full)", "stalls", C, RS_GROUP_BLKIF, 0, 0, NULL,
	  NULL, NULL },
	{ "blkif.stall_cycles", "time stalled on a full ring", NULL, CY, RS_GROUP_BLKIF,
	  RS_MF_SUM, 0, NULL, NULL, NULL },
	{ "blkif.grant_exhausted", "grant reservations that failed", "failures", C, RS_GROUP_BLKIF,
	  0, 0, NULL, NULL, NULL },
	{ "blkif.grant_wait_cycles", "time waiting for grants", NULL, CY, RS_GROUP_BLKIF,
	  RS_MF_SUM, 0, NULL, NULL, NULL },
	{ "blkif.tag_waits", "requests that waited for a tag", "requests", C, RS_GROUP_BLKIF, 0,
	  0, NULL, NULL, NULL },
	{ "blkif.tag_resleeps", "tag waits slept again (woken, beaten to the tag)", "sleeps", C,
	  RS_GROUP_BLKIF, 0, 0, NULL, NULL, NULL },
	{ "blkif.tag_wait_cycles", "time waiting for a request tag, per waiting request", NULL,
	  CY, RS_GROUP_BLKIF, RS_MF_SUM, 0, NULL, NULL, NULL },
	{ "blkif.ring_occupancy", "ring occupancy", "requests in flight", L, RS_GROUP_BLKIF,
	  RS_MF_LEVEL, 0, NULL, NULL, NULL },
	{ "blkif.grants_in_use", "grants in use (valid table entries)", "grants", L, RS_GROUP_BLKIF, RS_MF_LEVEL, 0,
	  NULL, NULL, NULL },
	{ "blkif.indirect_requests", "indirect requests", "requests", C, RS_GROUP_BLKIF, 0, 0,
	  NULL, NULL, NULL },
	{ "blkif.indirect_frames", "indirect descriptor frames", "frames", C, RS_GROUP_BLKIF, 0,
	  0, NULL, NULL, NULL },
	{ "blkif.persistent_grants", "persistent grants held", "grants", L, RS_GROUP_BLKIF,
	  RS_MF_LEVEL, 0, NULL, NULL, NULL },
	{ "blkif.backend_persistent_grants_max", "persistent grants, backend peak", "grants", C,
	  RS_GROUP_BLKIF, 0, 0, "blkif.persistent_grants.max", pgrant_note, NULL },
	{ "blkif.writeback_pages", "page-cache pages written back", "pages", C, RS_GROUP_BLKIF,
	  0, 0, NULL, NULL, NULL },
	{ "blkif.writeback_requests", "requests the write-back became (after merging)",
	  "requests", C, RS_GROUP_BLKIF, 0, 0, NULL, NULL, NULL },
	{ "blkif.writeback_partial_page_reads", "pages read before a partial buffered write",
	  "pages", C, RS_GROUP_BLKIF, 0, 0, NULL, NULL, NULL },
	{ "blkif.backend_flushes", "flush and barrier requests the backend served", "requests",
	  C, RS_GROUP_BLKIF, 0, 0, NULL, NULL, NULL },
	{ "blkif.backend_barriers", "of those, write barriers", "requests", C, RS_GROUP_BLKIF, 0,
	  0, NULL, NULL, NULL },
	{ "blkif.fsyncs", "fsyncs (flush jobs, fsync-every)", "fsyncs", C, RS_GROUP_BLKIF, 0, 0,
	  NULL, NULL, NULL },
	{ "blkif.disk_seeks", "disk requests that seeked", "requests", C, RS_GROUP_BLKIF, 0, 0,
	  NULL, NULL, NULL },
	{ "blkif.disk_queued", "disk requests that found every channel busy", "requests", C,
	  RS_GROUP_BLKIF, 0, 0, NULL, NULL, NULL },
	{ "blkif.disk_flushes", "cache flushes the disk served", "flushes", C, RS_GROUP_BLKIF, 0,
	  0, NULL, NULL, NULL },
	{ "blkif.grant_maps", "grant maps", "maps", C, RS_GROUP_BLKIF, 0, 0, NULL, NULL, NULL },
	{ "blkif.grant_unmaps", "grant unmaps", "unmaps", C, RS_GROUP_BLKIF, 0, 0, NULL, NULL,
	  NULL },
	{ "blkif.copy_bytes", "bytes the backend copied", NULL, B, RS_GROUP_BLKIF, 0, 0, NULL,
	  NULL, NULL },
	{ "blkif.stale_bytes_exposed", "stale bytes exposed to the backend", NULL, B,
	  RS_GROUP_BLKIF, 0, 0, NULL, NULL, NULL },
	{ "blkif.requests", "requests on the ring", "requests", C, RS_GROUP_BLKIF, 0, 0, NULL,
	  NULL, NULL },
	{ "blkif.backend_requests", "requests the backend served", "requests", C,
	  RS_GROUP_BLKIF, 0, 0, NULL, NULL, NULL },
	{ "blkif.backend_errors", "backend errors", "errors", C, RS_GROUP_BLKIF, 0, 0, NULL,
	  NULL, NULL },
	{ "blkif.ring_slots", "ring slots negotiated (BLK_RING_SIZE)", "slots", C,
	  RS_GROUP_BLKIF, 0, 0, NULL, NULL, NULL },

	{ "memory.pinned_pages", "pinned memory, guest-wide (9p and block direct I/O)", NULL, PG,
	  RS_GROUP_MEMORY, RS_MF_LEVEL, 0, NULL, NULL, NULL },
	{ "memory.pinned_pages_max", "pinned memory, peak (guest memory)", NULL, PG,
	  RS_GROUP_MEMORY, 0, 0, "virtio.pinned_pages.max", pin_note, NULL },
	{ "blkif.persistent_pool_bytes", "persistent grant pool", NULL, B, RS_GROUP_MEMORY, 0, 0,
	  NULL, NULL, NULL },
	{ "blkif.persistent_waste_bytes", "persistent grant pool no grant covered", NULL, B,
	  RS_GROUP_MEMORY, 0, 0, NULL, NULL, NULL },
	{ "blkif.persistent_unused_bytes", "persistent grant pool pages never granted", NULL, B,
	  RS_GROUP_MEMORY, 0, 0, NULL, NULL, NULL },
	{ "blkif.persistent_uncovered_bytes", "persistent pool pages used, part never granted",
	  NULL, B, RS_GROUP_MEMORY, 0, 0, NULL, NULL, NULL },
	{ "memory.allocated_pages_max", "allocated memory, peak", NULL, PG, RS_GROUP_MEMORY, 0,
	  0, NULL, NULL, NULL },
	{ "memory.tenant_pages", "memory other tenants hold (fragmentation)", NULL, PG,
	  RS_GROUP_MEMORY, 0, 0, NULL, NULL, NULL },
	{ "memory.buffer_phys_runs", "physically contiguous runs per buffer", "runs", C,
	  RS_GROUP_MEMORY, 0, 0, NULL, NULL, NULL },
	{ "memory.dma_transactions", "DMA transactions", "transactions", C, RS_GROUP_MEMORY, 0,
	  0, NULL, NULL, NULL },
	{ "memory.dma_bytes", "bytes moved by DMA", NULL, B, RS_GROUP_MEMORY, 0, 0, NULL, NULL,
	  NULL },

	{ "integrity.mismatches", "data mismatches", "mismatches", C, RS_GROUP_INTEGRITY, 0, 0,
	  NULL, NULL, NULL },
	{ "integrity.checked_bytes", "bytes checked end to end", NULL, B, RS_GROUP_INTEGRITY, 0,
	  0, NULL, NULL, NULL },
	{ "findings_total", "findings, all kinds", "findings", C, RS_GROUP_INTEGRITY,
	  RS_MF_NORANK, 0, NULL, NULL, NULL },
	{ "findings_by_kind.*", "findings", "findings", C, RS_GROUP_INTEGRITY, RS_MF_NORANK, 0,
	  NULL, NULL, NULL },

	/* Both rings together, and the run itself. */
	{ "latency_cycles", "latency, all jobs", NULL, CY, RS_GROUP_RUN, 0, 0, NULL, NULL, NULL },
	{ "throughput.bytes_per_second", "throughput, all jobs (over their steady window)", NULL,
	  RT, RS_GROUP_RUN, 0, 0, NULL, NULL, NULL },
	{ "requests.span_cycles", "steady window, all jobs", NULL, CY, RS_GROUP_RUN,
	  RS_MF_NORANK, 0, NULL, NULL, NULL },
	{ "selfcheck.littles_law_error.max", "Little's law self-check, largest error of a job",
	  "relative error", C, RS_GROUP_RUN, RS_MF_NORANK, 0, NULL, NULL, NULL },
	{ "selfcheck.littles_law_error.*",
	  "Little's law self-check of one job: in flight / (throughput x time in system) - 1",
	  "relative error", C, RS_GROUP_RUN, RS_MF_NORANK, 0, NULL, NULL, NULL },
	{ "requests.completed", "requests completed, all jobs", "requests", C, RS_GROUP_RUN, 0,
	  0, NULL, NULL, NULL },
	{ "requests.generated", "requests submitted, all jobs", "requests", C, RS_GROUP_RUN, 0,
	  0, NULL, NULL, NULL },
	{ "requests.bytes", "bytes moved, all jobs", NULL, B, RS_GROUP_RUN, 0, 0, NULL, NULL,
	  NULL },
	{ "requests.signals", "requests a signal interrupted", "requests", C, RS_GROUP_RUN, 0,
	  0, NULL, NULL, NULL },
	{ "simulated_cycles", "simulated time", NULL, CY, RS_GROUP_RUN, 0, 0, NULL, NULL, NULL },
	{ "cpu.vcpu_waits", "waits for a free vCPU", "waits", C, RS_GROUP_RUN, 0, 0, NULL, NULL,
	  NULL },
	{ "cpu.vcpu_wait_cycles", "time waiting for a free vCPU", NULL, CY, RS_GROUP_RUN, 0, 0,
	  NULL, NULL, NULL },
	{ "host_seconds", "host time (wall clock, varies)", "s", C, RS_GROUP_RUN, RS_MF_NORANK,
	  0, NULL, NULL, NULL },
	{ "host_max_rss_kib", "host memory, peak RSS", NULL, B, RS_GROUP_RUN, RS_MF_NORANK, 1024,
	  NULL, NULL, NULL },
	{ "page_size", "page size", NULL, B, RS_GROUP_RUN, RS_MF_CONFIG, 0, NULL, NULL,
	  "platform.page-size" },
	{ "clock_hz", "clock", "Hz", C, RS_GROUP_RUN, RS_MF_CONFIG, 0, NULL, NULL,
	  "platform.clock" },
	{ "seed", "seed", "", C, RS_GROUP_RUN, RS_MF_CONFIG, 0, NULL, NULL, "seed" },
};

#define N_CATALOG (sizeof(catalog) / sizeof(catalog[0]))

/* @pat against @key: '*' matches one name (no '.'), anything else itself. */
static bool match(const char *pat, const char *key)
{
	for (; *pat; pat++) {
		if (*pat == '*') {
			if (!*key || *key == '.')
				return false;
			while (*key && *key != '.')
				key++;
			continue;
		}
		if (*pat != *key++)
			return false;
	}
	return !*key;
}

static enum rs_group group_of(const char *key)
{
	static const struct { const char *prefix; enum rs_group g; } groups[] = {
		{ "jobs.", RS_GROUP_JOB }, { "devices.", RS_GROUP_DEVICE },
		{ "virtio.", RS_GROUP_VIRTIO }, { "blkif.", RS_GROUP_BLKIF },
		{ "memory.", RS_GROUP_MEMORY }, { "integrity.", RS_GROUP_INTEGRITY },
	};

	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (!strncmp(key, groups[i].prefix, strlen(groups[i].prefix)))
			return groups[i].g;
	return RS_GROUP_RUN;
}

const struct rs_metric_def *rs_catalog_find(const char *key, struct rs_metric_def *fallback)
{
	const char *last = strrchr(key, '.');

	for (size_t i = 0; i < N_CATALOG; i++)
		if (match(catalog[i].key, key))
			return &catalog[i];
	memset(fallback, 0, sizeof(*fallback));
	fallback->key = key;
	fallback->label = last ? last + 1 : key;
	fallback->group = group_of(key);
	/* A new metric still gets a unit: the recorder names them by what they count. */
	if (strstr(key, "bytes_per_second")) {
		fallback->kind = RT;
	} else if (strstr(key, "_cycles")) {
		fallback->kind = CY;
	} else if (strstr(key, "_bytes")) {
		fallback->kind = B;
	} else if (strstr(key, "_pages")) {
		fallback->kind = PG;
	} else {
		fallback->kind = C;
		fallback->unit = "count";
	}
	return fallback;
}

size_t rs_catalog_order(const struct rs_metric_def *def)
{
	if (def >= catalog && def < catalog + N_CATALOG)
		return (size_t)(def - catalog);
	return N_CATALOG;
}

const char *rs_kind_unit(const struct rs_metric_def *def)
{
	switch (def->kind) {
	case RS_KIND_CYCLES: return "cycles";
	case RS_KIND_BYTES: return "bytes";
	case RS_KIND_PAGES: return "bytes (pages)";
	case RS_KIND_RATE: return "MiB/s";
	case RS_KIND_RATIO: return "×";
	default: return def->unit ? def->unit : "count";
	}
}

const char *rs_group_name(enum rs_group g)
{
	static const char *const names[RS_GROUP_N] = {
		[RS_GROUP_JOB] = "job", [RS_GROUP_DEVICE] = "device",
		[RS_GROUP_VIRTIO] = "virtio ring (9p)", [RS_GROUP_BLKIF] = "blkif ring (Xen block)",
		[RS_GROUP_MEMORY] = "memory", [RS_GROUP_INTEGRITY] = "integrity and findings",
		[RS_GROUP_RUN] = "all jobs and the run",
	};

	return (unsigned)g < RS_GROUP_N ? names[g] : "other";
}
