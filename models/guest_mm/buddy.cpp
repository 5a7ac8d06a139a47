// SPDX-License-Identifier: GPL-2.0-only
#include "guest_mm/buddy.h"

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cmath>
#include <cstring>

#include <gsl/gsl_randist.h>

namespace gmm {

buddy::buddy(uint64_t nr_frames, unsigned max_order)
	: m_max_order(max_order), m_next(nr_frames, NIL), m_prev(nr_frames, NIL),
	  m_order(nr_frames, -1), m_free(nr_frames, 1), m_head(max_order + 1, NIL),
	  m_tail(max_order + 1, NIL), m_nr_blocks(max_order + 1, 0), m_nr_free(nr_frames)
{
	assert(nr_frames < NIL && max_order <= 30);
	uint64_t pfn = 0;
	while (pfn < nr_frames) {
		unsigned o = max_order;
		while (o > 0 && ((pfn & ((1ull << o) - 1)) || pfn + (1ull << o) > nr_frames))
			o--;
		push_tail(o, static_cast<uint32_t>(pfn));
		pfn += 1ull << o;
	}
}

void buddy::push_head(unsigned order, uint32_t pfn)
{
	m_prev[pfn] = NIL;
	m_next[pfn] = m_head[order];
	if (m_head[order] != NIL)
		m_prev[m_head[order]] = pfn;
	else
		m_tail[order] = pfn;
	m_head[order] = pfn;
	m_order[pfn] = static_cast<int8_t>(order);
	m_nr_blocks[order]++;
}

void buddy::push_tail(unsigned order, uint32_t pfn)
{
	m_next[pfn] = NIL;
	m_prev[pfn] = m_tail[order];
	if (m_tail[order] != NIL)
		m_next[m_tail[order]] = pfn;
	else
		m_head[order] = pfn;
	m_tail[order] = pfn;
	m_order[pfn] = static_cast<int8_t>(order);
	m_nr_blocks[order]++;
}

void buddy::remove(unsigned order, uint32_t pfn)
{
	assert(m_order[pfn] == static_cast<int8_t>(order));
	uint32_t n = m_next[pfn], p = m_prev[pfn];
	if (p != NIL)
		m_next[p] = n;
	else
		m_head[order] = n;
	if (n != NIL)
		m_prev[n] = p;
	else
		m_tail[order] = p;
	m_next[pfn] = m_prev[pfn] = NIL;
	m_order[pfn] = -1;
	m_nr_blocks[order]--;
}

void buddy::mark(uint64_t pfn, uint64_t count, bool is_free)
{
	std::memset(&m_free[pfn], is_free ? 1 : 0, count);
}

uint64_t buddy::alloc_pages(unsigned order)
{
	if (order > m_max_order)
		return NO_PFN;
	unsigned o = order;
	while (o <= m_max_order && m_head[o] == NIL)
		o++;
	if (o > m_max_order)
		return NO_PFN;
	uint32_t pfn = m_head[o];
	remove(o, pfn);
	// expand(): keep the lower half, put the upper half back one order down.
	while (o > order) {
		o--;
		push_head(o, pfn + (1u << o));
	}
	uint64_t count = 1ull << order;
	mark(pfn, count, false);
	m_nr_free -= count;
	m_max_allocated = std::max(m_max_allocated, nr_allocated());
	return pfn;
}

int buddy::free_pages(uint64_t pfn, unsigned order)
{
	if (order > m_max_order || pfn >= nr_frames())
		return -EINVAL;
	uint64_t count = 1ull << order;
	if ((pfn & (count - 1)) || count > nr_frames() - pfn)
		return -EINVAL;
	for (uint64_t i = 0; i < count; i++)
		if (m_free[pfn + i])
			return -EINVAL;
	mark(pfn, count, true);
	m_nr_free += count;
	while (order < m_max_order) {
		uint64_t b = pfn ^ (1ull << order);
		if (b >= nr_frames() || m_order[b] != static_cast<int8_t>(order))
			break;
		remove(order, static_cast<uint32_t>(b));
		pfn = std::min(pfn, b);
		order++;
	}
	push_head(order, static_cast<uint32_t>(pfn));
	return 0;
}

int buddy::precondition(double fraction, gsl_rng *rng, std::vector<uint64_t> *kept)
{
	if (!(fraction >= 0.0 && fraction <= 1.0))
		return -EINVAL;
	if (nr_allocated() != 0)
		return -EBUSY;
	uint64_t n = nr_frames();
	std::vector<uint32_t> perm(n);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t pfn = alloc_pages(0);
		assert(pfn != NO_PFN); // n order-0 allocations from n free frames
		perm[i] = static_cast<uint32_t>(pfn);
	}
	if (n > 1)
		gsl_ran_shuffle(rng, perm.data(), n, sizeof(perm[0]));
	uint64_t keep = static_cast<uint64_t>(std::llround(fraction * static_cast<double>(n)));
	keep = std::min(keep, n);
	if (kept)
		kept->assign(perm.begin(), perm.begin() + keep);
	for (uint64_t i = keep; i < n; i++) {
		int rc = free_pages(perm[i], 0);
		assert(rc == 0);
		(void)rc;
	}
	m_max_allocated = nr_allocated();
	return 0;
}

std::vector<uint64_t> buddy::free_list(unsigned order) const
{
	std::vector<uint64_t> out;
	if (order > m_max_order)
		return out;
	for (uint32_t p = m_head[order]; p != NIL; p = m_next[p])
		out.push_back(p);
	return out;
}

bool buddy::check(std::string *why) const
{
	auto fail = [why](const std::string &msg) {
		if (why)
			*why = msg;
		return false;
	};
	uint64_t n = nr_frames();
	std::vector<uint8_t> covered(n, 0);
	uint64_t free_total = 0;
	for (unsigned o = 0; o <= m_max_order; o++) {
		uint64_t blocks = 0;
		uint64_t size = 1ull << o;
		uint32_t prev = NIL;
		for (uint32_t p = m_head[o]; p != NIL; prev = p, p = m_next[p]) {
			std::string at = "order " + std::to_string(o) + " block " + std::to_string(p);
			if (++blocks > n)
				return fail("free list of order " + std::to_string(o) + " loops");
			if (m_prev[p] != prev)
				return fail(at + ": broken prev link");
			if (m_order[p] != static_cast<int8_t>(o))
				return fail(at + ": head marked with another order");
			if ((p & (size - 1)) || size > n - p)
				return fail(at + ": misaligned or past the end");
			for (uint64_t i = p; i < p + size; i++) {
				if (covered[i])
					return fail(at + ": overlaps another free block");
				covered[i] = 1;
			}
			if (o < m_max_order) {
				uint64_t b = p ^ size;
				if (b < n && m_order[b] == static_cast<int8_t>(o))
					return fail(at + ": free buddy " + std::to_string(b) + " not merged");
			}
		}
		if (m_tail[o] != prev)
			return fail("order " + std::to_string(o) + ": tail is not the last block");
		if (blocks != m_nr_blocks[o])
			return fail("order " + std::to_string(o) + ": block counter " +
				    std::to_string(m_nr_blocks[o]) + ", list holds " + std::to_string(blocks));
		free_total += blocks * size;
	}
	uint64_t heads = 0, listed = 0;
	for (unsigned o = 0; o <= m_max_order; o++)
		listed += m_nr_blocks[o];
	for (uint64_t i = 0; i < n; i++) {
		heads += m_order[i] >= 0;
		if (covered[i] != m_free[i])
			return fail("frame " + std::to_string(i) + (m_free[i] ? " marked free outside any free block"
									   : " inside a free block but marked allocated"));
		if (m_order[i] >= 0 && !covered[i])
			return fail("frame " + std::to_string(i) + " marked as a free block head but on no list");
	}
	if (heads != listed)
		return fail(std::to_string(heads) + " frames marked as free block heads, lists hold " +
			    std::to_string(listed) + " blocks");
	if (free_total != m_nr_free)
		return fail("free counter " + std::to_string(m_nr_free) + ", lists hold " +
			    std::to_string(free_total));
	return true;
}

} // namespace gmm
