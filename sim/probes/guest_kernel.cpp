// SPDX-License-Identifier: GPL-2.0-only
#include "probes/guest_kernel.h"

#include <cstring>
#include <new>

#include <linux/kshim.h>

#include "results/stats.h"

namespace rs_engine {

// The scenario's cost table is kshim's, entry for entry.
#define SAME_COST(name) (static_cast<int>(RS_COST_##name) == static_cast<int>(KSHIM_COST_##name))
static_assert(SAME_COST(SYSCALL) && SAME_COST(PAGE_FAULT) && SAME_COST(MEMCPY_PER_KIB) &&
	      SAME_COST(KMALLOC) && SAME_COST(KFREE) && SAME_COST(PAGE_PIN) &&
	      SAME_COST(PAGE_UNPIN) && SAME_COST(SPIN_LOCK) && SAME_COST(SG_ENTRY) &&
	      SAME_COST(DESC_WRITE) && SAME_COST(KICK) && SAME_COST(WAKE_UP) &&
	      SAME_COST(CONTEXT_SWITCH) && SAME_COST(IRQ_ENTRY) && SAME_COST(PDU_MARSHAL) &&
	      SAME_COST(GRANT_CLAIM) && SAME_COST(GRANT_ACCESS) && SAME_COST(GRANT_END) &&
	      SAME_COST(EVENT_NOTIFY) && SAME_COST(COUNT),
	      "kshim_cost mirrors rs_cost");
#undef SAME_COST

class guest_kernel::ring_stall : public rs_kshim::wait_probe {
public:
	ring_stall(guest_kernel &k, const char *ring, const char *cause, rs_stat *cycles,
		   uint64_t *count)
		: m_k(k), m_ring(ring), m_cause(cause), m_cycles(cycles), m_count(count)
	{
	}

	void asleep(guest_ctx &) override { m_k.m_stalled.add(1); }

	void awake(guest_ctx &c, uint64_t since, uint64_t now) override
	{
		m_k.m_stalled.add(-1);
		if (!m_cycles)
			return; // the device records this stall itself
		rs_recorder_stall(m_k.m_rec, m_ring, m_cause, since, now, c.request);
		rs_stat_add(m_cycles, static_cast<double>(now - since));
		(*m_count)++;
		if (rs_request_row *row = row_of(c))
			row->stall_cycles += now - since;
	}

private:
	guest_kernel &m_k;
	const char *m_ring, *m_cause;
	rs_stat *m_cycles;
	uint64_t *m_count;
};

// Pinned pages twice over: guest-wide (memory.pinned_pages), and those pinned by threads
// serving a request of one device (virtio.pinned_pages: the 9p transport's zero-copy pins,
// not blkfront's direct-I/O ones beside them). Every pin and unpin moves both, at its cycle.
class guest_kernel::pinned_level : public rs_kshim::pin_probe {
public:
	explicit pinned_level(rs_level *all) : m_all(all) {}

	void add_device(const char *device, rs_level *lv, uint64_t *peak)
	{
		m_devices.push_back({ device, lv, peak, 0 });
	}

	void pinned_changed(guest_ctx &c, uint64_t pages, int64_t delta) override
	{
		const rs_request_row *row = row_of(c);

		rs_level_set(m_all, now_cycles(), static_cast<double>(pages));
		for (auto &d : m_devices) {
			if (!row || !row->device || strcmp(row->device, d.name))
				continue;
			d.pinned = static_cast<uint64_t>(static_cast<int64_t>(d.pinned) + delta);
			rs_level_set(d.level, now_cycles(), static_cast<double>(d.pinned));
			if (d.peak && d.pinned > *d.peak)
				*d.peak = d.pinned;
		}
	}

private:
	struct dev_pins {
		const char *name;
		rs_level *level;
		uint64_t *peak;
		uint64_t pinned;
	};
	rs_level *m_all;
	std::vector<dev_pins> m_devices;
};

guest_kernel::guest_kernel(const rs_scenario &s, gmm::guest_memory &mem, rs_recorder *rec,
			   rs_models::finding_sink_if &findings)
	: kshim_host(mem, s.costs, findings, s.platform.vcpus), m_rec(rec)
{
	rs_level *all = rs_recorder_level(rec, "memory.pinned_pages",
					  RS_LEVEL_SUMMARY | RS_LEVEL_SERIES);

	if (!all)
		throw std::bad_alloc();
	m_pinned = std::make_unique<pinned_level>(all);
	watch_pins(m_pinned.get());
}

guest_kernel::~guest_kernel() = default;

void guest_kernel::add_ring_stall(const std::string &wq_name, const char *ring,
				  const char *cause, rs_stat *cycles, uint64_t *count)
{
	m_stalls.push_back(std::make_unique<ring_stall>(*this, ring, cause, cycles, count));
	watch_wait_queue(wq_name, m_stalls.back().get());
}

void guest_kernel::add_stall_watch(const std::string &wq_name)
{
	m_stalls.push_back(std::make_unique<ring_stall>(*this, "", "", nullptr, nullptr));
	watch_wait_queue(wq_name, m_stalls.back().get());
}

void guest_kernel::add_pinned_level(const char *device, rs_level *lv, uint64_t *peak)
{
	m_pinned->add_device(device, lv, peak);
}

void guest_kernel::read_mismatch(const char *device, uint64_t bad, uint64_t len,
				 uint64_t offset)
{
	std::string detail = std::to_string(bad) + " of " + std::to_string(len) +
			     " bytes read at offset " + std::to_string(offset) +
			     " differ from what the backing store holds";

	rs_recorder_finding(m_rec, RS_FINDING_ERROR, "read_mismatch", device, detail.c_str(),
			    now_cycles(), ctx().request);
}

} // namespace rs_engine
