// SPDX-License-Identifier: GPL-2.0-only
// The checks and the flag protocol follow Xen 4.x common/grant_table.c (map_grant_ref,
// _set_status_v1, __gnttab_unmap_common): the shared entry is only looked at when a grant
// gets its first mapping, or its first writable one; later maps only count pins.
#include "blkif_ring/grant_table.h"

#include "common/text.h"

#include <stdexcept>

namespace blkif {

using rs_models::hex;
using rs_models::num;
using rs_models::power_of_two;

std::string check_config(const grant_config &cfg)
{
	if (cfg.clock_period == sc_core::SC_ZERO_TIME)
		return "clock_period is zero: the engine must set the platform clock";
	if (cfg.max_frames == 0 || cfg.max_frames > (1u << 20))
		return "max_frames " + num(cfg.max_frames) + " is not between 1 and 1048576";
	return "";
}

grant_table::grant_table(const std::string &name, const grant_config &cfg,
			 rs_models::finding_sink_if &sink)
	: m_name(name), m_cfg(cfg), m_sink(sink)
{
	std::string err = check_config(cfg);
	if (!err.empty())
		throw std::invalid_argument("grant_table " + name + ": " + err);
}

int grant_table::add_frame(uint32_t index, uint64_t gpa)
{
	if (index >= m_cfg.max_frames || gpa % XEN_PAGE_SIZE)
		return GNTST_general_error;
	if (m_frames.size() <= index)
		m_frames.resize(index + 1, NO_FRAME);
	m_frames[index] = gpa;
	return GNTST_okay;
}

uint32_t grant_table::nr_frames() const
{
	return static_cast<uint32_t>(m_frames.size());
}

uint64_t grant_table::frame_gpa(uint32_t index) const
{
	return index < m_frames.size() ? m_frames[index] : NO_FRAME;
}

uint64_t grant_table::entry_pa(grant_ref_t gref) const
{
	uint64_t frame = frame_gpa(static_cast<uint32_t>(gref / GREFS_PER_GRANT_FRAME));
	return frame == NO_FRAME ? NO_FRAME : frame + grant_entry_off(gref);
}

uint32_t grant_table::mapped(grant_ref_t gref) const
{
	auto it = m_act.find(gref);
	return it == m_act.end() ? 0 : it->second.readers + it->second.writers;
}

map_result grant_table::map(rs_models::dma_if &dma, grant_ref_t gref, domid_t domid, bool write,
			    int64_t request)
{
	map_result r;
	uint64_t pa = entry_pa(gref);
	if (pa == NO_FRAME) {
		r = refuse(GNTST_bad_gntref, "grant_out_of_range", gref, request,
			   "a backend of domain " + num(domid) + " mapped gref " + num(gref) +
				   " but the guest's table has " + num(nr_frames()) +
				   " frame(s) set up (" + num(uint64_t(nr_frames()) * GREFS_PER_GRANT_FRAME) +
				   " entries)");
		wait_cycles(m_cfg.map_cycles);
		return r;
	}

	active &act = m_act[gref];
	bool first = act.readers + act.writers == 0;
	if (!first && act.domid != domid) {
		r = refuse(GNTST_general_error, "grant_not_permitted", gref, request,
			   "domain " + num(domid) + " mapped gref " + num(gref) +
				   ", which domain " + num(act.domid) + " holds mapped");
	} else if (first || (write && act.writers == 0)) {
		grant_entry_v1 e;
		if (!dma.dma_read(pa, &e, sizeof(e))) {
			r = refuse(GNTST_general_error, "grant_dma_error", gref, request,
				   "reading grant entry " + num(gref) + " at pa " + hex(pa) +
					   " failed");
		} else if ((e.flags & GTF_type_mask) != GTF_permit_access || e.domid != domid) {
			r = refuse(GNTST_general_error, "grant_not_permitted", gref, request,
				   "domain " + num(domid) + " mapped gref " + num(gref) +
					   " whose entry has flags " + hex(e.flags) + " and domid " +
					   num(e.domid) + " (needs GTF_permit_access for domain " +
					   num(domid) + ")");
		} else if (write && (e.flags & GTF_readonly)) {
			r = refuse(GNTST_general_error, "grant_readonly_write", gref, request,
				   "domain " + num(domid) + " mapped gref " + num(gref) +
					   " writable, but the guest granted it GTF_readonly");
		} else {
			uint16_t flags = static_cast<uint16_t>(e.flags | GTF_reading |
							       (write ? GTF_writing : 0));
			if (!dma.dma_write(pa + offsetof(grant_entry_v1, flags), &flags,
					   sizeof(flags))) {
				r = refuse(GNTST_general_error, "grant_dma_error", gref, request,
					   "setting the flags of grant entry " + num(gref) +
						   " at pa " + hex(pa) + " failed");
			} else {
				act.domid = domid;
				act.frame = e.frame;
				r.status = GNTST_okay;
			}
		}
	} else {
		r.status = GNTST_okay;
	}

	if (r.ok()) {
		(write ? act.writers : act.readers)++;
		r.gpa = static_cast<uint64_t>(act.frame) << XEN_PAGE_SHIFT;
		r.handle = new_handle(gref, write);
		m_maps++;
		m_active++;
		if (m_active > m_active_max)
			m_active_max = m_active;
	} else if (act.readers + act.writers == 0) {
		m_act.erase(gref);
	}
	wait_cycles(m_cfg.map_cycles);
	return r;
}

int16_t grant_table::unmap(rs_models::dma_if &dma, uint32_t handle)
{
	if (handle >= m_track.size() || !m_track[handle].in_use)
		return GNTST_bad_handle;
	maptrack &t = m_track[handle];
	t.in_use = false;
	m_free_handles.push_back(handle);
	grant_ref_t gref = t.gref;
	active &act = m_act[gref];
	(t.write ? act.writers : act.readers)--;

	uint16_t clear = 0;
	if (act.writers == 0)
		clear |= GTF_writing;
	if (act.readers + act.writers == 0)
		clear |= GTF_reading;
	// Xen clears the bits atomically in the shared entry, whatever else it holds. When the
	// guest took its table frame away meanwhile there is nothing left to clear.
	uint64_t pa = entry_pa(gref);
	if (pa != NO_FRAME) {
		uint64_t fpa = pa + offsetof(grant_entry_v1, flags);
		uint16_t flags;
		if (dma.dma_read(fpa, &flags, sizeof(flags)) && (flags & clear)) {
			flags = static_cast<uint16_t>(flags & ~clear);
			dma.dma_write(fpa, &flags, sizeof(flags));
		}
	}
	if (act.readers + act.writers == 0)
		m_act.erase(gref);
	m_unmaps++;
	m_active--;
	wait_cycles(m_cfg.unmap_cycles);
	return GNTST_okay;
}

uint32_t grant_table::new_handle(grant_ref_t gref, bool write)
{
	uint32_t h;
	if (!m_free_handles.empty()) {
		h = m_free_handles.back();
		m_free_handles.pop_back();
	} else {
		h = static_cast<uint32_t>(m_track.size());
		m_track.emplace_back();
	}
	m_track[h] = maptrack{gref, write, true};
	return h;
}

map_result grant_table::refuse(int16_t status, const char *kind, grant_ref_t gref,
			       int64_t request, const std::string &detail)
{
	m_refusals++;
	rs_models::finding f;
	f.kind = kind;
	f.where = "grant_table " + m_name + " gref " + num(gref);
	f.detail = detail + "; the map fails with GNTST " + std::to_string(status);
	f.cycle = now_cycles();
	f.request = request;
	m_sink.report(f);
	map_result r;
	r.status = status;
	return r;
}

void grant_table::wait_cycles(uint64_t n) const
{
	if (n)
		sc_core::wait(m_cfg.clock_period * static_cast<double>(n));
}

uint64_t grant_table::now_cycles() const
{
	return sc_core::sc_time_stamp().value() / m_cfg.clock_period.value();
}

} // namespace blkif
