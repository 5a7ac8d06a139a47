// SPDX-License-Identifier: GPL-2.0-only
#include "guest_mm/address_space.h"

#include <algorithm>
#include <cassert>
#include <cerrno>

namespace gmm {

address_space::address_space(mem_map &pages, int64_t owner)
	: m_pages(pages), m_owner(owner), m_page_size(pages.page_size())
{
}

uint64_t address_space::mmap(size_t len)
{
	if (len == 0)
		return 0;
	uint64_t nr = (uint64_t(len) + m_page_size - 1) / m_page_size;
	uint64_t start = m_next_va;
	vma v{start, start + nr * m_page_size, std::vector<uint64_t>(nr, NO_PFN)};
	m_vmas.emplace(start, std::move(v));
	m_next_va = start + (nr + 1) * m_page_size; // one guard page
	return start;
}

address_space::vma *address_space::find_vma(uint64_t va)
{
	auto it = m_vmas.upper_bound(va);
	if (it == m_vmas.begin())
		return nullptr;
	--it;
	return va < it->second.end ? &it->second : nullptr;
}

const address_space::vma *address_space::find_vma(uint64_t va) const
{
	return const_cast<address_space *>(this)->find_vma(va);
}

uint64_t address_space::follow_page(uint64_t va) const
{
	const vma *v = find_vma(va);
	return v ? v->pte[(va - v->start) / m_page_size] : NO_PFN;
}

uint64_t address_space::fault_in(uint64_t va)
{
	vma *v = find_vma(va);
	if (!v)
		return NO_PFN;
	uint64_t &pte = v->pte[(va - v->start) / m_page_size];
	if (pte != NO_PFN)
		return pte;
	if (m_fail_after == 0) {
		m_fail_after = -1;
		return NO_PFN;
	}
	if (m_fail_after > 0)
		m_fail_after--;
	// Anonymous memory: one zeroed order-0 page; its reference is the mapping's.
	uint64_t pfn = m_pages.alloc_pages(0, page_kind::user, m_owner);
	if (pfn == NO_PFN)
		return NO_PFN;
	pte = pfn;
	m_faults++;
	m_rss++;
	return pfn;
}

long address_space::get_user_pages_fast(uint64_t va, long nr_pages, int write, uint64_t *pfns,
					int64_t request)
{
	(void)write; // every mapping is private anonymous read-write: nothing to break
	va -= va % m_page_size;
	long i;
	for (i = 0; i < nr_pages; i++) {
		uint64_t addr = va + uint64_t(i) * m_page_size;
		if (!find_vma(addr))
			return i ? i : -EFAULT;
		uint64_t pfn = fault_in(addr);
		if (pfn == NO_PFN)
			return i ? i : -ENOMEM;
		int rc = m_pages.pin_page(pfn, request);
		assert(rc == 0); // a mapped page is allocated and holds the mapping's reference
		(void)rc;
		pfns[i] = pfn;
	}
	return i;
}

size_t address_space::copy_to_user(uint64_t va, const void *buf, size_t len)
{
	const uint8_t *in = static_cast<const uint8_t *>(buf);
	while (len) {
		uint64_t pfn = fault_in(va);
		if (pfn == NO_PFN)
			break;
		size_t off = va % m_page_size;
		size_t n = std::min<size_t>(len, m_page_size - off);
		m_pages.bytes().write(pfn * m_page_size + off, in, n);
		in += n;
		va += n;
		len -= n;
	}
	return len;
}

size_t address_space::copy_from_user(uint64_t va, void *buf, size_t len)
{
	uint8_t *out = static_cast<uint8_t *>(buf);
	while (len) {
		uint64_t pfn = fault_in(va);
		if (pfn == NO_PFN)
			break;
		size_t off = va % m_page_size;
		size_t n = std::min<size_t>(len, m_page_size - off);
		m_pages.bytes().read(pfn * m_page_size + off, out, n);
		out += n;
		va += n;
		len -= n;
	}
	return len;
}

void address_space::unmap(vma &v)
{
	for (uint64_t &pte : v.pte) {
		if (pte == NO_PFN)
			continue;
		m_pages.drop_ref(pte);
		pte = NO_PFN;
		m_rss--;
	}
}

int address_space::munmap(uint64_t va)
{
	auto it = m_vmas.find(va);
	if (it == m_vmas.end())
		return -EINVAL;
	unmap(it->second);
	m_vmas.erase(it);
	return 0;
}

void address_space::exit_mmap()
{
	for (auto &kv : m_vmas)
		unmap(kv.second);
	m_vmas.clear();
}

} // namespace gmm
