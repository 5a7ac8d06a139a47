// SPDX-License-Identifier: GPL-2.0-only
#include "guest_mm/mem_map.h"

#include <algorithm>
#include <cassert>
#include <cerrno>

namespace gmm {

mem_map::mem_map(buddy &alloc, phys_mem &pages, reporter &report)
	: m_alloc(alloc), m_bytes(pages), m_report(report), m_pages(alloc.nr_frames())
{
	assert(alloc.nr_frames() == pages.nr_frames() && alloc.nr_allocated() == 0);
	m_nr_kind[static_cast<unsigned>(page_kind::free)] = m_pages.size();
}

void mem_map::set_kind(uint64_t pfn, page_kind kind)
{
	m_nr_kind[static_cast<unsigned>(m_pages[pfn].kind)]--;
	m_nr_kind[static_cast<unsigned>(kind)]++;
	m_pages[pfn].kind = kind;
}

uint64_t mem_map::alloc_pages(unsigned order, page_kind kind, int64_t owner)
{
	assert(kind != page_kind::free);
	uint64_t pfn = m_alloc.alloc_pages(order);
	if (pfn == NO_PFN)
		return NO_PFN;
	for (uint64_t p = pfn; p < pfn + (1ull << order); p++) {
		page_meta &m = m_pages[p];
		assert(m.kind == page_kind::free && m.refcount == 0 && m.pincount == 0);
		set_kind(p, kind);
		m.refcount = 1;
		m.owner = owner;
	}
	return pfn;
}

int mem_map::free_pages(uint64_t pfn, unsigned order)
{
	uint64_t count = 1ull << std::min(order, 63u);
	bool ok = order <= m_alloc.max_order() && pfn < nr_frames() && !(pfn & (count - 1)) &&
		  count <= nr_frames() - pfn;
	for (uint64_t p = pfn; ok && p < pfn + count; p++)
		ok = m_pages[p].kind != page_kind::free;
	if (!ok) {
		m_report.report("bad_free_pages", pfn_where(pfn),
				"free of an order-" + std::to_string(order) +
					" block that is misaligned, out of range or (partly) free already");
		return -EINVAL;
	}
	uint64_t pinned = 0;
	int64_t pin_owner = -1;
	for (uint64_t p = pfn; p < pfn + count; p++) {
		page_meta &m = m_pages[p];
		if (m.pincount) {
			if (!pinned++)
				pin_owner = m.owner;
			m.pincount = 0;
			m_pinned--;
		}
		set_kind(p, page_kind::free);
		m.refcount = 0;
		m.owner = -1;
		m_bytes.discard(p);
	}
	if (pinned)
		m_report.report("free_pinned", pfn_where(pfn),
				std::to_string(pinned) + " page(s) of an order-" + std::to_string(order) +
					" block freed while still pinned; the device may still write them",
				pin_owner);
	int rc = m_alloc.free_pages(pfn, order);
	assert(rc == 0); // the metadata said every frame was allocated
	return rc;
}

int mem_map::precondition(double fraction, gsl_rng *rng)
{
	std::vector<uint64_t> kept;
	int rc = m_alloc.precondition(fraction, rng, &kept);
	if (rc)
		return rc;
	for (uint64_t pfn : kept) {
		set_kind(pfn, page_kind::tenant);
		m_pages[pfn].refcount = 1;
	}
	return 0;
}

bool mem_map::valid_page(uint64_t pfn, const char *what, const char *kind)
{
	if (pfn < nr_frames() && m_pages[pfn].kind != page_kind::free && m_pages[pfn].refcount)
		return true;
	m_report.report(kind, pfn_where(pfn),
			std::string(what) + " on a page that is " +
				(pfn < nr_frames() ? "free" : "beyond guest memory"));
	return false;
}

int mem_map::get_page(uint64_t pfn)
{
	if (!valid_page(pfn, "get_page", "bad_get_page"))
		return -EINVAL;
	m_pages[pfn].refcount++;
	return 0;
}

int mem_map::pin_page(uint64_t pfn, int64_t request)
{
	if (!valid_page(pfn, "pin", "bad_get_page"))
		return -EINVAL;
	page_meta &m = m_pages[pfn];
	m.refcount++;
	if (m.pincount++ == 0) {
		m_pinned++;
		m_pinned_max = std::max(m_pinned_max, m_pinned);
	}
	if (request >= 0)
		m.owner = request;
	return 0;
}

void mem_map::unpin_one(uint64_t pfn)
{
	page_meta &m = m_pages[pfn];
	if (m.pincount && --m.pincount == 0)
		m_pinned--;
}

int mem_map::release(uint64_t pfn, bool unpin)
{
	if (!valid_page(pfn, unpin ? "put_page" : "unmap", "bad_put_page"))
		return -EINVAL;
	if (unpin)
		unpin_one(pfn);
	if (--m_pages[pfn].refcount == 0)
		return free_pages(pfn, 0);
	return 0;
}

int mem_map::put_page(uint64_t pfn)
{
	return release(pfn, true);
}

int mem_map::drop_ref(uint64_t pfn)
{
	return release(pfn, false);
}

} // namespace gmm
