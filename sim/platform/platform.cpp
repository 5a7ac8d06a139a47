// SPDX-License-Identifier: GPL-2.0-only
#include "platform/platform.h"

#include <string>

#include <linux/mm.h>

#include "common/cycles.h"

namespace rs_setup {

p9srv::config p9_server_config(const rs_scenario &s)
{
	p9srv::config cfg;

	cfg.clock_period = rs_models::cycles(1);
	cfg.f_bsize = s.virtio9p.server_block_size;
	cfg.service_cycles = s.virtio9p.server_cycles;
	cfg.cycles_per_kib = s.virtio9p.server_cycles_per_kib;
	cfg.service_spread = s.virtio9p.server_spread;
	cfg.seed = s.seed ^ 0x9e3779b97f4a7c15ull; // the server's own stream of the run
	cfg.strict_framing = s.virtio9p.strict_framing;
	for (size_t j = 0; j < s.n_jobs; j++) {
		const rs_job &job = s.jobs[j];

		if (job.device != RS_DEV_9P)
			continue;
		if (job.op == RS_OP_READDIR) {
			cfg.dirs.push_back({ std::string("dir-") + job.name, 1000 });
		} else {
			// A reader's file holds everything it will read; a writer's starts empty.
			uint64_t size = job.op == RS_OP_READ ? job.count * job.size.max : 0;

			cfg.files.push_back({ std::string("file-") + job.name, size, j });
		}
	}
	return cfg;
}

bool pin_user_buffer(const char *buf, uint64_t bytes, bool write, std::vector<struct page *> &pages,
		     unsigned &offset)
{
	const uint64_t page = PAGE_SIZE;
	const uintptr_t va = reinterpret_cast<uintptr_t>(buf);

	offset = static_cast<unsigned>(va & (page - 1));
	const int nr = static_cast<int>((offset + bytes + page - 1) / page);
	pages.resize(nr);
	int got = get_user_pages_fast(va & ~(page - 1), nr, !write, pages.data());
	if (got < nr) {
		for (int i = 0; i < got; i++)
			put_page(pages[i]);
		return false;
	}
	return true;
}

} // namespace rs_setup
