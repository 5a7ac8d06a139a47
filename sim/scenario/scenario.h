/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scenario: one checked, immutable scenario. Loading goes in two layers: libxml2 parses and
 * validates the document against scenarios/scenario.xsd (which also fills in defaults),
 * then check.c turns the DOM into this struct, checking meaning and ranges.
 * Models and the engine only ever see this struct.
 */
#ifndef RS_SCENARIO_H
#define RS_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario/costs.h"
#include "diag/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

enum rs_device { RS_DEV_9P, RS_DEV_BLK };
enum rs_op { RS_OP_READ, RS_OP_WRITE, RS_OP_READDIR, RS_OP_FLUSH };
enum rs_disk_flush { RS_FLUSH_CACHE, RS_FLUSH_BARRIER, RS_FLUSH_NONE };
/* A 9p job's buffer: user pages, a kmalloc'd kernel buffer, or a vmalloc'd one (kernel_read
 * into a module image, 9P-B6); the last two take the transport's kern_buf path. */
enum rs_buffer { RS_BUF_USER, RS_BUF_KERNEL, RS_BUF_VMALLOC };
enum rs_io_mode { RS_IO_DIRECT, RS_IO_BUFFERED };
enum rs_engine_kind { RS_ENGINE_SYSTEMC, RS_ENGINE_RTL };
enum rs_size_kind { RS_SIZE_FIXED, RS_SIZE_UNIFORM, RS_SIZE_CHOICE, RS_SIZE_LOGNORMAL };
enum rs_cmp { RS_CMP_EQ, RS_CMP_NE, RS_CMP_LT, RS_CMP_LE, RS_CMP_GT, RS_CMP_GE };

/* Page sizes a guest may have (arm64 and ppc64 kernels offer all three). */
#define RS_PAGE_4K 4096u
#define RS_PAGE_16K 16384u
#define RS_PAGE_64K 65536u

/*
 * The most cycles a run can simulate, and so the longest any duration may be. SystemC's
 * time is a 64-bit count of its resolution, 1 ps (which ringsim keeps), and one cycle is
 * one ns (models/common/cycles.h): it holds UINT64_MAX / 1000 cycles. A run ends with
 * status time_limit at half of that, so a wait of at most this many cycles, started
 * anywhere in a run, ends inside the range: no time can overflow. About 106 days at 1 GHz.
 */
#define RS_MAX_RUN_CYCLES (UINT64_MAX / 1000 / 2)

/*
 * What one run can elaborate: jobs per scenario, and guest threads (every job's depth,
 * summed), each a SystemC thread with a 256 KiB stack the DUT's frames run on.
 */
#define RS_MAX_JOBS 1024
#define RS_MAX_GUEST_THREADS 16384

struct rs_size_dist {
	enum rs_size_kind kind;
	uint64_t fixed;          /* RS_SIZE_FIXED */
	uint64_t min, max, align; /* uniform and lognormal: the drawn size is clamped and aligned */
	double median, sigma;    /* lognormal, median in bytes */
	size_t n_options;        /* choice */
	uint64_t *option_size;
	double *option_weight;
};

struct rs_job {
	char *name;
	int line;
	enum rs_device device;
	enum rs_op op;
	struct rs_size_dist size;
	uint64_t count;
	uint32_t depth;
	enum rs_buffer buffer;   /* 9p */
	enum rs_io_mode io;           /* blk */
	bool offset_random;
	uint32_t page_offset;    /* fixed offset in the first page, when !offset_random */
	uint32_t offset_align;   /* random offsets are multiples of this */
	uint64_t think_cycles;
	bool think_exponential;  /* exponential with mean think_cycles, else fixed */
	uint64_t signal_at;      /* cycle of a one-off signal, 0 for none */
	uint64_t signal_every;   /* period of signals, 0 for none */
	uint64_t fsync_every;    /* blk writes: fsync after every Nth, 0 for never */
};

struct rs_platform {
	uint32_t page_size;
	uint64_t clock_hz;
	uint64_t memory_bytes;
	uint32_t vcpus;          /* kshim's scheduler: threads spend costs on this many vCPUs */
	double fragmentation;
	uint64_t dma_latency_cycles;
	uint32_t bus_width_bytes;
	uint32_t gup_max_pages;  /* fault injection: pages get_user_pages_fast pins at most, 0: all */
	uint64_t max_cycles;     /* the run ends with status time_limit there; 0: no limit */
};

struct rs_virtio9p {
	bool present;
	uint32_t queue_size;
	uint64_t msize;          /* as asked for; the client clamps it to the transport's maxsize */
	bool indirect;
	enum rs_engine_kind engine;
	uint32_t server_block_size; /* f_bsize of the server's file system */
	uint32_t workers;           /* PDUs in service at once (QEMU's thread pool: 64) */
	bool event_idx;             /* VIRTIO_RING_F_EVENT_IDX negotiated */
	uint64_t server_cycles;     /* the server's time per message */
	uint64_t server_cycles_per_kib; /* and per KiB moved */
	double server_spread;       /* each PDU's time drawn from [1 - this, 1 + this] x */
	bool strict_framing;     /* the server frames by size[4]: refuses a message whose size
				  * differs from the bytes the driver offered (9P-B5) */
};

/* <dut>: which driver under test each device runs ("seed", or a DUT object's path). */
struct rs_dut_choice {
	char *virtio9p;
	char *xenblk;
};

struct rs_xenblk {
	bool present;
	uint32_t ring_pages;            /* the frontend's max_ring_page_order, as 1 << order */
	bool backend_has_max_ring_page_order; /* false: max-ring-page-order="none" */
	uint32_t max_ring_page_order;   /* the backend's; ring = 1 << min(front, this) pages */
	uint32_t max_indirect_segments;
	bool persistent_grants;
	uint32_t grant_frames;
	uint32_t front_max_indirect_segments;
	uint64_t disk_latency_cycles;  /* per request, on a channel */
	uint64_t disk_seek_cycles;     /* added unless sequential on that channel */
	uint32_t disk_channels;        /* requests the disk serves at once */
	uint64_t disk_bandwidth_bytes; /* per second: per platform.clock_hz cycles */
	enum rs_disk_flush disk_flush; /* what the backend advertises */
};

struct rs_expect {
	char *metric;            /* a summary.json path, or NULL for a finding count */
	char *finding;           /* a finding kind, or NULL */
	enum rs_cmp cmp;
	double value;
	bool within;             /* |actual - value| <= tolerance (cmp unused) */
	double tolerance;        /* absolute, or a fraction of |value| when tolerance_pct */
	bool tolerance_pct;
	int line;
};

struct rs_scenario {
	char *file;              /* as given on the command line; "<quickstart>" for the built-in */
	char *name;
	uint64_t seed;
	struct rs_platform platform;
	uint64_t costs[RS_COST_COUNT];
	struct rs_virtio9p virtio9p;
	struct rs_xenblk xenblk;
	struct rs_dut_choice dut;
	uint64_t sample_period_cycles;
	uint64_t idle_span_cycles; /* timeseries rows stop after this long without a change */
	size_t n_jobs;
	struct rs_job *jobs;
	size_t n_expects;
	struct rs_expect *expects;
	char *as_run_xml;        /* the document with defaults and overrides applied */
};

/**
 * rs_scenario_load() - load, validate and check a scenario
 * @file: path, used in messages
 * @text: the document, or NULL to read @file
 * @len: length of @text
 * @sets: "PATH=VALUE" overrides from --set, applied before validation
 * @n_sets: how many
 * @diag: receives every "FILE:LINE: message" found
 *
 * Return: a new scenario, or NULL when @diag holds at least one error.
 * Context: process context; not thread-safe (libxml2 error handlers are global).
 */
struct rs_scenario *rs_scenario_load(const char *file, const char *text, size_t len,
				     char *const *sets, size_t n_sets, struct rs_diag *diag);

/** rs_scenario_free() - free a scenario from rs_scenario_load(); NULL is fine. */
void rs_scenario_free(struct rs_scenario *s);

const char *rs_device_name(enum rs_device d);
const char *rs_op_name(enum rs_op op);

/** rs_scenario_has_device() - whether any job uses @d. */
bool rs_scenario_has_device(const struct rs_scenario *s, enum rs_device d);

/* One PATH of rs_scenario_paths(), with its value (NULL when the attribute is unset). */
typedef void (*rs_path_fn)(void *arg, const char *path, const char *value);

/**
 * rs_scenario_paths() - every --set / --vary PATH of @s, with the value @s runs with
 * @s: a loaded scenario
 * @fn: called once per path, in the schema's order: scenario.*, platform.*, virtio-9p.*,
 *      xen-blk.*, record.*, job.NAME.* per job, cost.NAME.cycles
 * @arg: passed to @fn
 * Return: 0, or -1 without memory.
 */
int rs_scenario_paths(const struct rs_scenario *s, rs_path_fn fn, void *arg);

#ifdef __cplusplus
}
#endif

#endif
