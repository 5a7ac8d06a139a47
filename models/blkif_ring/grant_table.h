// SPDX-License-Identifier: GPL-2.0-only
// The hypervisor's side of one guest's v1 grant table (Xen's common/grant_table.c, map and
// unmap of GNTMAP_host_map grants). The guest owns the table: its kernel allocates the frames
// in guest memory and writes entries through its direct map, telling Xen where each frame is
// (GNTTABOP_setup_table, gnttab_expand) with add_frame(). Xen reads an entry when a backend
// maps the grant, checks it, and sets GTF_reading (and GTF_writing) in the guest's copy, which
// is how the guest's gnttab_query_foreign_access() sees that the backend still holds it; the
// flags go when the last mapping does. Every entry access is a DMA on the caller's path, and
// each map or unmap charges its hypercall cost to the calling thread.
//
// A backend asking for what the guest did not grant gets Xen's status code and a finding,
// never a crash.
#ifndef RS_BLKIF_RING_GRANT_TABLE_H
#define RS_BLKIF_RING_GRANT_TABLE_H

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include <systemc>

#include "blkif_ring/blkif.h"
#include "common/dma_if.h"
#include "common/finding.h"

namespace blkif {

// The checked configuration of one table. The engine builds it from the scenario
// (xen-blk/@grant-frames, platform/@clock) and validates it with check_config().
struct grant_config {
	// Frames the guest may give the table (Xen's max_grant_frames; the guest learns it from
	// GNTTABOP_query_size). 32: Xen 4.x's default (kernel-facts B.5). 1..2^20.
	uint32_t max_frames = XEN_DEFAULT_MAX_GRANT_FRAMES;
	// One GNTTABOP_map_grant_ref, per grant, on top of the entry's read and flag update in
	// guest memory: hypercall entry and exit, the p2m/page-table update of the backend's
	// mapping. An estimate (~0.5 us at 1 GHz), not a measurement.
	uint32_t map_cycles = 500;
	// One GNTTABOP_unmap_grant_ref, per grant: the same, plus the TLB flush that makes
	// unmapping dearer than mapping on real hosts; kept equal to map_cycles until measured.
	uint32_t unmap_cycles = 500;
	// platform/@clock. Zero here on purpose (see gmm::config): only the engine may fix
	// SystemC's time resolution. Must be set.
	sc_core::sc_time clock_period = sc_core::SC_ZERO_TIME;
};

/**
 * check_config() - validate a grant table configuration
 * @cfg: the configuration
 *
 * Return: "" when @cfg is usable, else one sentence naming the bad field.
 */
std::string check_config(const grant_config &cfg);

// What a map returns: Xen's status, and on success where the frame is and how to unmap it.
struct map_result {
	int16_t status = GNTST_general_error; // GNTST_okay or a GNTST_* error
	uint64_t gpa = 0;                      // frame * 4096: the granted 4 KiB frame
	uint32_t handle = 0;                   // for unmap(); meaningless on error
	bool ok() const { return status == GNTST_okay; }
};

class grant_table {
public:
	/**
	 * grant_table() - the table of one guest, no frames yet
	 * @name: names the table in findings ("grant_table NAME gref N")
	 * @cfg: validated with check_config()
	 * @sink: receives every finding, for the whole life of this object
	 *
	 * Context: any. Throws std::invalid_argument when @cfg fails check_config().
	 */
	grant_table(const std::string &name, const grant_config &cfg,
		    rs_models::finding_sink_if &sink);

	/**
	 * add_frame() - GNTTABOP_setup_table / expansion: frame @index of the table is at @gpa
	 * @index: 0..max_frames-1; entries index * 512 .. index * 512 + 511 live there
	 * @gpa: guest physical address of the 4 KiB frame, 4096-aligned
	 *
	 * Setting a frame again moves it (the guest re-ran setup_table). No simulated time.
	 * Context: any.
	 * Return: GNTST_okay; GNTST_general_error when @index is beyond max_frames or @gpa is not
	 * 4096-aligned (nothing changes).
	 */
	int add_frame(uint32_t index, uint64_t gpa);

	/**
	 * map() - GNTTABOP_map_grant_ref (GNTMAP_host_map) of one grant
	 * @dma: the path to guest memory (the calling backend's)
	 * @gref: the grant reference
	 * @domid: the mapping domain; the entry must name it
	 * @write: a writable mapping (no GNTMAP_readonly)
	 * @request: request id for findings, -1 for none
	 *
	 * When the grant has no mapping yet (or no writable one and @write), reads the entry
	 * (8 bytes) and checks it like Xen's _set_status_v1: type GTF_permit_access, domid ==
	 * @domid, and not GTF_readonly for a write map; then sets GTF_reading (and GTF_writing for
	 * @write) in the guest's entry (a 2-byte write). Otherwise only the mapping count grows.
	 * Then waits map_cycles, whatever the outcome (the hypercall ran).
	 * Refusals, each with a finding: "grant_out_of_range" (GNTST_bad_gntref: no frame holds
	 * @gref), "grant_not_permitted" (GNTST_general_error: wrong type or domid),
	 * "grant_readonly_write" (GNTST_general_error), "grant_dma_error" (GNTST_general_error:
	 * guest memory refused the entry access).
	 * Context: an SC_THREAD (it waits), unless the costs and @dma charge no time.
	 * Return: the status, the frame's guest physical address and a handle for unmap().
	 */
	map_result map(rs_models::dma_if &dma, grant_ref_t gref, domid_t domid, bool write,
		       int64_t request = -1);

	/**
	 * unmap() - GNTTABOP_unmap_grant_ref of one mapping
	 * @dma: the path to guest memory
	 * @handle: what map() returned
	 *
	 * Ends the mapping; when it was the grant's last writable one GTF_writing is cleared, when
	 * it was the last one GTF_reading too (a 2-byte read and write of the guest's flags, which
	 * keeps whatever else the guest set). Then waits unmap_cycles.
	 * Context: an SC_THREAD, as map().
	 * Return: GNTST_okay, or GNTST_bad_handle for a handle that maps nothing (a backend bug:
	 * no finding, nothing changes, no time).
	 */
	int16_t unmap(rs_models::dma_if &dma, uint32_t handle);

	/** mapped() - Return: mappings of @gref now (0 when none). */
	uint32_t mapped(grant_ref_t gref) const;

	const grant_config &cfg() const { return m_cfg; }
	uint32_t nr_frames() const; // highest frame index set up, plus one
	// gpa of frame @index, or UINT64_MAX when the guest has not set it up.
	uint64_t frame_gpa(uint32_t index) const;

	// Statistics.
	uint64_t maps() const { return m_maps; }       // successful maps
	uint64_t unmaps() const { return m_unmaps; }   // successful unmaps
	uint64_t active_maps() const { return m_active; } // mappings now
	uint64_t active_maps_max() const { return m_active_max; }
	uint64_t refusals() const { return m_refusals; } // maps refused (each with a finding)

	static constexpr uint64_t NO_FRAME = UINT64_MAX;

private:
	struct active {
		uint32_t readers = 0; // read-only mappings
		uint32_t writers = 0; // writable mappings
		domid_t domid = 0;
		uint32_t frame = 0;
	};
	struct maptrack {
		grant_ref_t gref = 0;
		bool write = false;
		bool in_use = false;
	};

	map_result refuse(int16_t status, const char *kind, grant_ref_t gref, int64_t request,
			  const std::string &detail);
	uint64_t entry_pa(grant_ref_t gref) const; // NO_FRAME when out of range
	uint32_t new_handle(grant_ref_t gref, bool write);
	void wait_cycles(uint64_t n) const;
	uint64_t now_cycles() const;

	std::string m_name;
	grant_config m_cfg;
	rs_models::finding_sink_if &m_sink;
	std::vector<uint64_t> m_frames; // gpa per frame index, NO_FRAME when unset
	std::unordered_map<grant_ref_t, active> m_act;
	std::vector<maptrack> m_track;
	std::vector<uint32_t> m_free_handles;
	uint64_t m_maps = 0;
	uint64_t m_unmaps = 0;
	uint64_t m_active = 0;
	uint64_t m_active_max = 0;
	uint64_t m_refusals = 0;
};

} // namespace blkif

#endif
