// SPDX-License-Identifier: GPL-2.0-only
// The Xen PV block device of a run: the guest's grant table (dut/guest/grant-table.c) and
// its hypervisor side, the frontend (dut/xen-blkfront.c) probed and connected at boot, the
// backend and disk models, the event-channel interrupt thread, and the submit path a guest
// thread takes for a block I/O (direct: pin the user pages like the DIO code; buffered:
// page-cache pages), through the block layer into blkif_queue_rq.
#ifndef RS_DEVICES_XENBLK_H
#define RS_DEVICES_XENBLK_H

#include <map>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <systemc>

#include "blkif_ring/blkback.h"
#include "blkif_ring/disk.h"
#include "blkif_ring/grant_table.h"
#include "common/dma_bus.h"
#include "devices/io_device.h"
#include "probes/guest_kernel.h"
#include "probes/probe_signal.h"
#include "kshim/xen_hooks.h"

struct blkfront_config;
struct gendisk;
struct request;
struct rs_dut_blk_ops;

namespace rs_engine {

class xenblk : public sc_core::sc_module, public io_device, public rs_kshim::xen_hooks_if {
public:
	SC_HAS_PROCESS(xenblk);

	/**
	 * xenblk() - boot the guest's grant table and blkfront, connect blkback
	 * Context: elaboration. Throws std::runtime_error when the frontend cannot be set up.
	 */
	xenblk(sc_core::sc_module_name name, const rs_scenario &s, guest_kernel &host, rs_models::dma_bus &bus,
	       rs_models::finding_sink_if &sink);
	~xenblk() override;

	bool ready() const override { return true; }
	const sc_core::sc_event &ready_event() const override { return m_never; }
	bool failed() const override { return m_failed; }
	uint64_t submit(size_t job, const rs_io &io, char *buf, const std::vector<uint64_t> &pfns,
			rs_request_row &row) override;
	void content_of(size_t job, const rs_io &io, uint64_t &stream,
			uint64_t &offset) const override;
	/** shutdown() - write back every dirty page (the flusher thread), then come down. */
	void shutdown() override;
	bool down() const override { return m_down; }
	const sc_core::sc_event &down_event() const override { return m_down_ev; }

	/** trace() - the ring's occupancy and the grants in use into a VCD file. */
	void trace(sc_core::sc_trace_file *tf) const;

	/** collect() - backend, grant table and disk totals into the recorder, at the end. */
	void collect();

	// rs_kshim::xen_hooks_if: the frontend's Xen calls and probes.
	void queued(struct request *req, unsigned num_sg, unsigned num_grant, unsigned max_grefs,
		    unsigned indirect_frames) override;
	void grants_exhausted() override;
	void ring_full() override;
	void ring_changed(unsigned in_use) override;
	void copied(unsigned bytes) override;
	void tag_waited(uint64_t since, unsigned sleeps) override;
	void granted(int delta, unsigned long frame) override;
	void notify_backend() override;
	int bind_irq(int (*handler)(int, void *), void *dev_id) override;
	void add_grant_frame(unsigned idx, void *kva) override;
	unsigned max_grant_frames() const override { return m_s.xenblk.grant_frames; }

private:
	struct connect_args {
		const struct blkfront_config *cfg;
		struct gendisk **disk;
		const struct rs_dut_blk_ops *dut;
	};
	static int connect(void *arg); // blkfront_probe_and_connect() for boot_call()
	void irq_thread();
	void writeback_thread();
	uint64_t buffered_write(size_t job, const rs_io &io, const std::vector<uint64_t> &pfns,
				rs_request_row &row);
	int writeback(bool all, uint64_t lo, uint64_t hi);
	int fsync(size_t job, bool dirty);
	uint64_t sector_base(size_t job) const;
	void end_stall(const char *cause, uint64_t &since, rs_stat *len, int64_t request);
	void served(const blkif::blkback::served_request &r);
	void sample_driver();
	void set_free_grefs();

	const rs_scenario &m_s;
	const struct rs_dut_blk_ops *m_dut; // the DUT boundary: every call into the driver
	guest_kernel &m_host;
	std::unique_ptr<blkif::grant_table> m_gnttab;
	std::unique_ptr<blkif::content_disk> m_disk;
	std::unique_ptr<blkif::blkback> m_back;
	struct gendisk *m_gd = nullptr;
	int (*m_irq_handler)(int, void *) = nullptr;
	void *m_irq_dev = nullptr;
	unsigned m_irq_pending = 0;
	bool m_down = false;
	bool m_failed = false; // the frontend never connected
	sc_core::sc_event m_never, m_down_ev, m_irq_ev;
	std::map<int64_t, rs_request_row *> m_rows; // requests in flight, by workload id
	// Which workload request queued each ring slot (its RING_IDX: the frontend queues one
	// request per kshim_blkif_queued, in ring order from 0), until blkback answers it.
	std::unordered_map<RING_IDX, int64_t> m_slot_owner;
	RING_IDX m_slots_queued = 0;
	// The block device's page cache for buffered writes: disk page index -> frame. A page
	// is one block (bd_set_size makes the block size the page size), written back whole.
	struct cache_page {
		uint64_t pfn;
		bool dirty;
	};
	std::map<uint64_t, cache_page> m_cache;
	uint64_t m_dirty = 0;                  // dirty pages now
	uint64_t m_dirty_background = 0;       // pages: the flusher starts (dirty_background_ratio)
	uint64_t m_dirty_limit = 0;            // pages: writers wait (dirty_ratio)
	bool m_wb_busy = false, m_wb_final = false, m_wb_kicked = false;
	sc_core::sc_event m_wb_kick, m_wb_done;
	uint64_t *m_wb_pages, *m_wb_requests, *m_wb_rmw, *m_fsyncs;
	std::vector<uint64_t> m_writes; // writes per job, for fsync-every
	uint64_t m_ring_full_since = 0, m_grant_wait_since = 0; // 0: not stalled

	rs_stat *m_grants, *m_reserved, *m_stall, *m_grant_wait, *m_tag_wait;
	uint64_t *m_tag_waits, *m_tag_resleeps;
	rs_level *m_occupancy, *m_persistent, *m_grants_in_use;
	rs_level *m_free_grefs = nullptr; // with --trace only
	uint64_t *m_indirect_requests, *m_indirect_frames, *m_ring_full, *m_exhausted,
		*m_copy_bytes, *m_checked, *m_mismatches, *m_requests;
	unsigned m_base_free_grants = 0;
	int64_t m_granted = 0; // valid entries in the guest's grant table
	// The grant ledger: every 4 KiB frame the guest ever granted in this run.
	std::unordered_set<uint64_t> m_ledger;
	probe_signal m_sig_in_use{ "ring_in_use" }, m_sig_grants{ "grants_in_use" };
};

} // namespace rs_engine

#endif
