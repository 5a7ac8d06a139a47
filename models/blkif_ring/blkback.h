// SPDX-License-Identifier: GPL-2.0-only
// The backend of one Xen PV block device, as xen-blkback of Linux 3.14 to 4.4 runs it (one
// ring, one kthread): on the frontend's event channel it reads req_prod from the shared ring,
// takes each new request (direct, or indirect with its segment pages), checks it, maps its
// grants through the hypervisor's grant table (reusing persistent grants when both ends
// advertise feature-persistent), and submits it to the disk; when the disk completes, the data
// moves between the granted frames and the disk, the grants are unmapped (or kept), and the
// response is pushed with the RING_PUSH_RESPONSES_AND_CHECK_NOTIFY rule, raising the
// frontend's event channel only when its rsp_event asks for it. Every ring, grant-table and
// data access is a TLM transaction on the DMA bus, so guest memory checks it and charges it.
//
// A frontend that sends a malformed request gets BLKIF_RSP_ERROR (or BLKIF_RSP_EOPNOTSUPP)
// and a finding, and the backend goes on with the next request; one that breaks the ring
// itself (more requests than slots, a ring that cannot be mapped or read) gets a finding and a
// halted backend (blkback's "Halting ring processing"), never a crash.
#ifndef RS_BLKIF_RING_BLKBACK_H
#define RS_BLKIF_RING_BLKBACK_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "blkif_ring/blkif.h"
#include "blkif_ring/disk.h"
#include "blkif_ring/grant_table.h"
#include "common/dma_if.h"
#include "common/finding.h"

namespace blkif {

// The checked configuration of one backend. The engine builds it from the scenario
// (xen-blk/@max-indirect-segments, @persistent-grants, platform/@clock, ...) and validates it
// with check_config(); the model trusts it.
struct backend_config {
	// max-ring-page-order the backend advertises, as pages: the frontend may use 1..this (a
	// power of two). 16: blkback's default is the cap, XENBUS_MAX_RING_PAGE_ORDER 4
	// (kernel-facts B.1).
	uint32_t max_ring_pages = XENBUS_MAX_RING_PAGES;
	// feature-max-indirect-segments: MAX_INDIRECT_SEGMENTS (256) as blkback 3.11+ advertises
	// it; 0 models a backend without indirect support (an INDIRECT request is then an unknown
	// operation to it). At most 8 x 512 = 4096.
	uint32_t max_indirect_segments = MAX_INDIRECT_SEGMENTS;
	// feature-persistent. Used only when the frontend also asks for it (frontend_info).
	bool persistent = true;
	// xen_blkif_max_pgrants: 1056 = (32 + 1) x 32, one ring's worth of blkfront's default
	// grants (kernel-facts B.1, B.6). At least 1 when persistent.
	uint32_t max_pgrants = 1056;
	// LRU_INTERVAL: 100 ms between purges of the persistent-grant cache, in cycles (100 ms at
	// 1 GHz). At least 1.
	uint64_t lru_interval_cycles = 100000000;
	// LRU_PERCENT_CLEAN: share of max_pgrants a purge removes (5 %). 0..100.
	uint32_t lru_percent_clean = 5;
	// Event channel, frontend -> backend: from notify_remote_via_irq() to blkback's kthread
	// running (the upcall in dom0 plus a wake-up and a context switch). The guest pays its own
	// hypercall (cost table "event-notify"). ~1 us at 1 GHz, an estimate.
	uint32_t kick_latency_cycles = 1000;
	// Event channel, backend -> frontend: from the backend's notify to the guest's handler
	// starting (the upcall injection). The guest's handler cost is charged separately (cost
	// table "irq-entry"). ~1 us at 1 GHz, an estimate.
	uint32_t irq_latency_cycles = 1000;
	// blkback's CPU work per request besides its memory accesses: pending_req allocation, the
	// checks, bio allocation and submission. ~1 us at 1 GHz, an estimate.
	uint32_t request_cycles = 1000;
	// After a request it had to fail, blkback backs off with msleep(1) before it looks at the
	// ring again: 1 ms at 1 GHz.
	uint64_t error_backoff_cycles = 1000000;
	// The backend's domain: the frontend's grant entries must name it (dom0).
	domid_t backend_domid = 0;
	// platform/@clock. Zero here on purpose (see gmm::config). Must be set.
	sc_core::sc_time clock_period = sc_core::SC_ZERO_TIME;
};

/**
 * check_config() - validate a backend configuration
 * @cfg: the configuration
 *
 * Return: "" when @cfg is usable, else one sentence naming the bad field.
 */
std::string check_config(const backend_config &cfg);

// What the frontend wrote to xenstore before going to Initialised (talk_to_blkback): the
// ring's grant references in page order ("ring-ref", or "ring-ref0".. with ring-page-order)
// and whether it wants persistent grants.
struct frontend_info {
	std::vector<grant_ref_t> ring_grefs; // 1..max_ring_pages, a power of two
	bool feature_persistent = true;
	domid_t domid = 1; // the frontend's domain, for findings
};

struct backend_stats {
	uint64_t requests = 0;        // taken off the ring
	uint64_t responses = 0;       // put on the ring
	uint64_t reads = 0;           // submitted READ requests (direct or indirect)
	uint64_t writes = 0;          // submitted WRITE requests
	uint64_t flushes = 0;         // submitted FLUSH_DISKCACHE and WRITE_BARRIER requests
	uint64_t barriers = 0;        // of those, WRITE_BARRIER
	uint64_t errors = 0;          // BLKIF_RSP_ERROR responses
	uint64_t unsupported = 0;     // BLKIF_RSP_EOPNOTSUPP responses
	uint64_t segments = 0;        // data segments of submitted requests
	uint64_t indirect_requests = 0;
	uint64_t indirect_frames = 0; // indirect pages read
	uint64_t grant_maps = 0;      // data and indirect grants mapped (the ring's not counted)
	uint64_t grant_unmaps = 0;    // data and indirect grants unmapped
	uint64_t pgrant_hits = 0;     // grants served from the persistent cache, no map
	uint64_t pgrants = 0;         // persistent grants in the cache now
	uint64_t pgrants_max = 0;     // ... at most
	uint64_t pgrants_purged = 0;  // removed by the LRU purge
	uint64_t read_bytes = 0;      // data written into guest memory (READ)
	uint64_t write_bytes = 0;     // data read from guest memory and given to the disk (WRITE)
	uint64_t kicks = 0;           // event channel notifications from the frontend
	uint64_t irqs_raised = 0;     // notifications to the frontend
	uint64_t irqs_suppressed = 0; // responses pushed without one (rsp_event not in range)
	uint64_t irqs_seen = 0;       // delivered to the guest
	uint64_t in_flight = 0;       // requests at the disk now
	uint64_t in_flight_max = 0;
	// XB-5: bytes of granted frames that lie in no segment of the request using them and
	// are not zero (someone else wrote them), which the backend could read while mapped
	uint64_t stale_bytes_exposed = 0;
	uint64_t stale_requests = 0;  // requests that exposed any
};

class blkback : public sc_core::sc_module, public rs_models::dma_if {
public:
	// Every guest memory access of this backend, the grant table's included: bind to the DMA
	// bus (or guest memory).
	tlm_utils::simple_initiator_socket<blkback> dma;

	SC_HAS_PROCESS(blkback);

	/**
	 * blkback() - build one backend, not connected
	 * @name: module name; findings name it "blkback <full name>"
	 * @cfg: checked with check_config()
	 * @gnttab: the frontend guest's grant table, for the whole life of this module
	 * @disk: serves the requests, for the whole life of this module
	 * @sink: receives every finding, for the whole life of this module
	 *
	 * Context: elaboration. Throws std::invalid_argument when @cfg fails check_config().
	 */
	blkback(sc_core::sc_module_name name, const backend_config &cfg, grant_table &gnttab,
		disk_if &disk, rs_models::finding_sink_if &sink);

	/**
	 * connect() - the frontend switched to Initialised (blkback's connect_ring)
	 * @fe: its ring references and features
	 *
	 * The backend maps the ring pages (writable, through the grant table) in its own thread
	 * at once, then serves kicks; kicks that came earlier are served after the mapping. The
	 * ring starts empty (req_cons = rsp_prod_pvt = 0), as after the frontend's
	 * SHARED_RING_INIT. A ring the backend cannot map halts it ("blkif_ring_map_failed").
	 * Context: elaboration, a process, or between sc_start() calls; never waits.
	 * Return: 0; -EINVAL with a "blkif_bad_ring" finding when the page count is not a power of
	 * two in 1..max_ring_pages; -EALREADY when already connected.
	 */
	int connect(const frontend_info &fe);

	/**
	 * kick() - the frontend's notify_remote_via_irq() on the device's event channel
	 *
	 * The backend notices it kick_latency_cycles later. A kick noticed while the backend is
	 * busy makes it look at the ring again when done (blkif->waiting_reqs).
	 * Context: after elaboration, from a process or between sc_start() calls; never waits.
	 */
	void kick();

	/**
	 * set_irq_handler() - what happens when the frontend's event channel fires
	 * @handler: called irq_latency_cycles after the backend notified, once per notification
	 *
	 * Context: elaboration or between sc_start() calls. @handler runs in an SC_METHOD: it
	 * must not wait.
	 */
	void set_irq_handler(std::function<void()> handler) { m_irq_handler = std::move(handler); }

	// A request from the ring to its response (ringsim's phases and --trace).
	struct served_request {
		RING_IDX slot;      // its ring index (req_cons when it was taken)
		uint64_t id;        // the frontend's id
		uint8_t operation;  // what the response carries
		int16_t status;
		uint64_t consumed;  // the cycle the backend had read it off the ring
		uint64_t responded; // the cycle its response was published (rsp_event read)
	};

	/**
	 * set_served() - call @served for every request taken off the ring, when its response
	 * is made (an error response too). @served must not wait.
	 */
	void set_served(std::function<void(const served_request &)> served)
	{
		m_served = std::move(served);
	}

	// Notified (immediately) at each notification the guest sees, after the handler ran.
	const sc_core::sc_event &irq_event() const { return m_irq_seen; }

	// rs_models::dma_if: one b_transport each, then wait() out its delay.
	// Context: an SC_THREAD.
	bool dma_read(uint64_t pa, void *buf, size_t len) override;
	bool dma_write(uint64_t pa, const void *buf, size_t len) override;

	const backend_config &cfg() const { return m_cfg; }
	bool connected() const { return m_mapped; } // the ring is mapped
	uint32_t ring_size() const { return m_ring_size; } // slots; 0 before connect()
	bool persistent_in_use() const { return m_use_persistent; }
	// The back ring's private indices (free-running).
	RING_IDX req_cons() const { return m_req_cons; }
	RING_IDX rsp_prod_pvt() const { return m_rsp_prod_pvt; }
	// Set when the ring itself broke; the backend serves nothing more.
	bool broken() const { return m_broken; }
	const backend_stats &statistics() const { return m_stats; }

private:
	// One grant a request uses: a data segment or an indirect page.
	struct grant_use {
		grant_ref_t gref = 0;
		uint8_t first_sect = 0;
		uint8_t last_sect = 0;
		uint64_t gpa = 0;        // the 4 KiB frame, once mapped
		uint32_t handle = 0;     // grant_table handle when mapped here
		bool mapped = false;     // mapped for this request only: unmap when done
		bool persistent = false; // served by the persistent cache entry of gref
	};
	// A request between dispatch and response (blkback's pending_req).
	// A request as the backend took it off the ring.
	struct taken {
		RING_IDX slot;
		uint64_t cycle;
	};
	struct pending {
		taken from{};
		uint64_t id = 0;
		uint8_t operation = 0; // what the response carries
		int16_t status = BLKIF_RSP_OKAY;
		bool submitted = false; // went to the disk: has grants and maybe data
		bool to_guest = false;  // READ: data moves disk -> guest
		uint64_t sector = 0;
		std::vector<grant_use> segs;
	};
	struct pgrant {
		uint64_t gpa = 0;
		uint32_t handle = 0;
		bool active = false;     // PERSISTENT_GNT_ACTIVE: a request in flight uses it
		bool was_active = false; // PERSISTENT_GNT_WAS_ACTIVE: used since the last purge
	};
	enum class outcome { submitted, failed, unsupported };

	void run();
	void complete_loop();
	void count_exposed(const pending &p);
	void doorbell();
	void deliver_irq();

	bool map_ring();
	bool do_block_io_op();
	bool do_block_io_pass();
	outcome dispatch(const blkif_request &req, const taken &t);
	outcome dispatch_rw(const blkif_request &req, bool indirect, const taken &t);
	bool parse_indirect(const blkif_request &req, unsigned nseg, pending &p, RING_IDX slot);
	bool check_segment(const blkif_request_segment &s, unsigned i, uint64_t id, RING_IDX slot);
	bool map_grants(std::vector<grant_use> &pages, bool ro, uint64_t id, RING_IDX slot);
	void unmap_grants(std::vector<grant_use> &pages);
	void purge_persistent_gnt();
	outcome respond_now(uint64_t id, uint8_t op, int16_t status, const taken &t);
	void finish(pending &p);
	bool move_data(pending &p);
	bool make_response(uint64_t id, uint8_t op, int16_t status);

	bool read_req_prod(RING_IDX &prod);
	bool ring_access(bool write, uint64_t off, void *buf, size_t len, const char *what);
	bool transact(tlm::tlm_command cmd, uint64_t pa, void *buf, size_t len);
	void wait_cycles(uint64_t n);
	uint64_t now_cycles() const;
	void request_finding(const std::string &kind, RING_IDX slot, uint64_t id,
			     const std::string &detail);
	bool fail(const std::string &kind, const std::string &detail);

	backend_config m_cfg;
	grant_table &m_gnttab;
	disk_if &m_disk;
	rs_models::finding_sink_if &m_sink;

	sc_core::sc_event_queue m_kick_q; // each kick, kick_latency later
	sc_core::sc_event_queue m_irq_q;  // each notification, irq_latency later
	sc_core::sc_event m_wake;         // connect or doorbell
	sc_core::sc_event m_queued;       // something entered m_done
	sc_core::sc_event m_idle;         // nothing in flight at the disk
	sc_core::sc_event m_irq_seen;
	bool m_doorbell = false;          // latched until the backend looks at the ring
	std::function<void()> m_irq_handler;
	std::function<void(const served_request &)> m_served;

	frontend_info m_fe;
	bool m_connect_pending = false;
	bool m_mapped = false;
	bool m_broken = false;
	bool m_use_persistent = false;
	uint32_t m_ring_size = 0;
	std::vector<uint64_t> m_ring_gpa; // per ring page

	RING_IDX m_req_cons = 0;
	RING_IDX m_rsp_prod_pvt = 0;
	RING_IDX m_rsp_prod = 0; // last value pushed to sring->rsp_prod

	// Requests waiting for their response, by (ready cycle, arrival order).
	std::map<std::pair<uint64_t, uint64_t>, pending> m_done;
	uint64_t m_seq = 0;

	// The persistent-grant tree, ordered by gref like blkback's rb-tree.
	std::map<grant_ref_t, pgrant> m_pgrants;
	uint64_t m_pgrants_in_use = 0;
	bool m_overflow_max_grants = false;
	uint64_t m_next_lru = 0;

	backend_stats m_stats;
};

} // namespace blkif

#endif
