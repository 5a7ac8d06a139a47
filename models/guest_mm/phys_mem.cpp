// SPDX-License-Identifier: GPL-2.0-only
#include "guest_mm/phys_mem.h"

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstring>

namespace gmm {

phys_mem::phys_mem(uint64_t nr_frames, uint32_t page_size)
	: m_page_size(page_size), m_page_shift(0), m_frames(nr_frames)
{
	assert(page_size != 0 && (page_size & (page_size - 1)) == 0);
	while ((1u << m_page_shift) != page_size)
		m_page_shift++;
}

bool phys_mem::in_range(uint64_t pa, size_t len) const
{
	uint64_t size = size_bytes();
	return pa <= size && len <= size - pa;
}

uint8_t *phys_mem::frame(uint64_t pfn)
{
	std::unique_ptr<uint8_t[]> &f = m_frames[pfn];
	if (!f) {
		f = std::make_unique<uint8_t[]>(m_page_size); // value-initialised: zeros
		m_host_bytes += m_page_size;
		m_host_bytes_max = std::max(m_host_bytes_max, m_host_bytes);
	}
	return f.get();
}

int phys_mem::read(uint64_t pa, void *dst, size_t len) const
{
	if (!in_range(pa, len))
		return -EFAULT;
	uint8_t *out = static_cast<uint8_t *>(dst);
	while (len) {
		uint64_t pfn = pa >> m_page_shift;
		size_t off = pa & (m_page_size - 1);
		size_t n = std::min<size_t>(len, m_page_size - off);
		if (m_frames[pfn])
			std::memcpy(out, m_frames[pfn].get() + off, n);
		else
			std::memset(out, 0, n);
		out += n;
		pa += n;
		len -= n;
	}
	return 0;
}

int phys_mem::write(uint64_t pa, const void *src, size_t len)
{
	if (!in_range(pa, len))
		return -EFAULT;
	const uint8_t *in = static_cast<const uint8_t *>(src);
	while (len) {
		uint64_t pfn = pa >> m_page_shift;
		size_t off = pa & (m_page_size - 1);
		size_t n = std::min<size_t>(len, m_page_size - off);
		std::memcpy(frame(pfn) + off, in, n);
		in += n;
		pa += n;
		len -= n;
	}
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
		else if (m_frames[pfn])
			std::memset(m_frames[pfn].get() + off, 0, n);
		pa += n;
		len -= n;
	}
	return 0;
}

void phys_mem::discard(uint64_t pfn)
{
	if (pfn >= m_frames.size() || !m_frames[pfn])
		return;
	m_frames[pfn].reset();
	m_host_bytes -= m_page_size;
}

} // namespace gmm
