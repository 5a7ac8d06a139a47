// SPDX-License-Identifier: GPL-2.0-only
#include "guest_mm/phys_mem.h"

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstring>
#include <new>

#include <sys/mman.h>

namespace gmm {

phys_mem::phys_mem(uint64_t nr_frames, uint32_t page_size)
	: m_page_size(page_size), m_page_shift(0), m_base(nullptr), m_touched(nr_frames)
{
	assert(page_size != 0 && (page_size & (page_size - 1)) == 0);
	while ((1u << m_page_shift) != page_size)
		m_page_shift++;
	void *p = mmap(nullptr, nr_frames * page_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		throw std::bad_alloc();
	m_base = static_cast<uint8_t *>(p);
}

phys_mem::~phys_mem()
{
	munmap(m_base, size_bytes());
}

bool phys_mem::in_range(uint64_t pa, size_t len) const
{
	uint64_t size = size_bytes();
	return pa <= size && len <= size - pa;
}

void phys_mem::touch(uint64_t pfn)
{
	if (m_touched[pfn])
		return;
	m_touched[pfn] = true;
	m_host_bytes += m_page_size;
	m_host_bytes_max = std::max(m_host_bytes_max, m_host_bytes);
}

int phys_mem::read(uint64_t pa, void *dst, size_t len) const
{
	if (!in_range(pa, len))
		return -EFAULT;
	std::memcpy(dst, m_base + pa, len);
	return 0;
}

int phys_mem::write(uint64_t pa, const void *src, size_t len)
{
	if (!in_range(pa, len))
		return -EFAULT;
	std::memcpy(m_base + pa, src, len);
	for (uint64_t pfn = pa >> m_page_shift; len && pfn <= (pa + len - 1) >> m_page_shift; pfn++)
		touch(pfn);
	return 0;
}

int phys_mem::zero(uint64_t pa, size_t len)
{
	if (!in_range(pa, len))
		return -EFAULT;
	while (len) {
		uint64_t pfn = pa >> m_page_shift;
		size_t off = pa & (m_page_size - 1);
		size_t n = std::min<size_t>(len, m_page_size - off);
		if (n == m_page_size)
			discard(pfn);
		else
			std::memset(m_base + pa, 0, n);
		pa += n;
		len -= n;
	}
	return 0;
}

void phys_mem::discard(uint64_t pfn)
{
	if (pfn >= m_touched.size())
		return;
	// Whether or not it went through write(): DUT code may have written it directly.
	madvise(m_base + (pfn << m_page_shift), m_page_size, MADV_DONTNEED);
	if (m_touched[pfn]) {
		m_touched[pfn] = false;
		m_host_bytes -= m_page_size;
	}
}

} // namespace gmm
