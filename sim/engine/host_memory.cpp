// SPDX-License-Identifier: GPL-2.0-only
// What a run will hold in host memory, worked out from the scenario before anything is
// elaborated, so a run the host cannot hold is refused at load time instead of being
// killed by the OOM killer half-way. Guest memory itself is sparse (gmm::phys_mem): only
// what the run touches is backed, and what the workload touches is known up front.
#include "engine/engine.h"

#include <cstdio>
#include <cstring>

#include <linux/mm.h>

#include "guest_mm/page_meta.h"

namespace {

// The binary, SystemC, libxml2 and the recorder's buffers: a 10-request run's peak RSS.
constexpr uint64_t k_base_bytes = 32ull << 20;
// Per guest thread, what its stack's touched part and its bookkeeping come to.
constexpr uint64_t k_thread_bytes = 32ull << 10;
// Per guest frame, whatever the run touches: the frame's metadata (gmm::mem_map), kshim's
// struct page, the buddy allocator's links, order and free flag (4 + 4 + 1 + 1 bytes), the
// bit of phys_mem's touched map. Measured: 43 B at 4 KiB pages, from peak RSS at 1 GiB and
// 64 GiB of guest memory (32 MiB and 711 MiB).
constexpr uint64_t k_frame_bytes = sizeof(gmm::page_meta) + sizeof(struct page) + 10 + 1;

uint64_t round_up(uint64_t v, uint64_t to)
{
	return (v + to - 1) / to * to;
}

// MemAvailable of /proc/meminfo, in bytes; 0 when it cannot be read.
uint64_t host_available()
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	unsigned long long kib = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
			break;
	fclose(f);
	return kib * 1024;
}

} // namespace

extern "C" void rs_engine_host_memory(const struct rs_scenario *s, struct rs_host_memory *m)
{
	const uint64_t page = s->platform.page_size;

	memset(m, 0, sizeof(*m));
	m->metadata = s->platform.memory_bytes / page * k_frame_bytes;
	for (size_t i = 0; i < s->n_jobs; i++) {
		const struct rs_job *j = &s->jobs[i];
		// Every guest thread's buffer for the largest request it can draw: user pages
		// faulted in up front, or a kernel buffer or page-cache pages per request.
		uint64_t buffer = round_up(j->size.max + page, page);

		// A 9p tag keeps its two message buffers (tc, rc) of msize for reuse.
		if (j->device == RS_DEV_9P)
			buffer += 2 * round_up(s->virtio9p.msize, page);
		m->buffers += j->depth * buffer;
		m->threads += j->depth * k_thread_bytes;
	}
	m->needed = k_base_bytes + m->metadata + m->buffers + m->threads;
	m->available = host_available();
}
