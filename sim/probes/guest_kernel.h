// SPDX-License-Identifier: GPL-2.0-only
// The guest kernel of one run as the simulator sees it: kshim's host with its probes wired
// to the recorder. A sleep on one of a ring's wait queues is a ring stall (recorded with its
// ring, cause, length and request); pins and unpins move pinned-pages levels (guest-wide and
// per device); the number of guest threads stalled now is a signal for --vcd. Devices and the
// workload hold this.
#ifndef RS_PROBES_GUEST_KERNEL_H
#define RS_PROBES_GUEST_KERNEL_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/cycles.h"
#include "common/finding.h"
#include "probes/probe_signal.h"
#include "guest_mm/guest_memory.h"
#include "kshim/host.h"
#include "results/recorder.h"
#include "scenario/scenario.h"

namespace rs_engine {

using rs_kshim::guest_ctx;
using rs_models::cycles;
using rs_models::now_cycles;

class guest_kernel : public rs_kshim::kshim_host {
public:
	guest_kernel(const rs_scenario &s, gmm::guest_memory &mem, rs_recorder *rec,
		     rs_models::finding_sink_if &findings);
	~guest_kernel() override;

	rs_recorder *rec() { return m_rec; }

	/**
	 * add_ring_stall() - a sleep on wait queue @wq_name is a stall of @ring for @cause
	 * @cycles: takes each stall's length; @count: counts them
	 */
	void add_ring_stall(const std::string &wq_name, const char *ring, const char *cause,
			    rs_stat *cycles, uint64_t *count);

	/**
	 * add_stall_watch() - a sleep on wait queue @wq_name counts as a stalled thread (the
	 * threads_stalled signal) only; the device records the stall itself.
	 */
	void add_stall_watch(const std::string &wq_name);

	/**
	 * add_pinned_level() - @lv follows the pages pinned for requests of @device
	 * @device: rs_device_name() of the device whose requests' pins count ("9p")
	 * @peak: if not NULL, takes the largest such count
	 *
	 * Pins by the threads of other devices' jobs leave @lv alone; the guest-wide count is
	 * memory.pinned_pages (summary and series), registered by the constructor.
	 */
	void add_pinned_level(const char *device, rs_level *lv, uint64_t *peak);

	/**
	 * read_mismatch() - the bytes a read returned are not the file's or the disk's: a
	 * "read_mismatch" finding (data corruption) for the calling thread's request
	 * @device: "9p" or "blk"
	 * @bad: bytes that differ, > 0
	 * @len: bytes read
	 * @offset: file or disk offset of the read
	 */
	void read_mismatch(const char *device, uint64_t bad, uint64_t len, uint64_t offset);

	/** stalled() - guest threads stalled on a ring now (a signal for --vcd). */
	const probe_signal &stalled() const { return m_stalled; }

	/** row_of() - the requests.csv row of the request @c serves, or NULL. */
	static rs_request_row *row_of(const guest_ctx &c)
	{
		return static_cast<rs_request_row *>(c.request_data);
	}

private:
	class ring_stall;
	class pinned_level;

	rs_recorder *m_rec;
	probe_signal m_stalled{ "threads_stalled" };
	std::vector<std::unique_ptr<ring_stall>> m_stalls;
	std::unique_ptr<pinned_level> m_pinned;
};

} // namespace rs_engine

#endif
