// SPDX-License-Identifier: GPL-2.0-only
#include "blkif_ring/disk.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "common/content.h"

namespace blkif {

std::string check_config(const disk_config &cfg)
{
	if (cfg.capacity_sectors == 0 || cfg.capacity_sectors > (1ull << 55))
		return "capacity_sectors " + std::to_string(cfg.capacity_sectors) +
		       " is not between 1 and 2^55";
	return "";
}

content_disk::content_disk(const disk_config &cfg) : m_cfg(cfg)
{
	std::string err = check_config(cfg);
	if (!err.empty())
		throw std::invalid_argument("content_disk: " + err);
}

uint64_t content_disk::submit(const disk_request &r, uint64_t now)
{
	uint64_t xfer = (r.bytes * m_cfg.cycles_per_kib + 1023) / 1024;
	uint64_t start = std::max(now, m_pipe_free);
	m_pipe_free = start + xfer;
	m_stats.busy_cycles += xfer;
	if (r.bytes)
		(r.write ? m_stats.writes : m_stats.reads)++;
	if (r.flush)
		m_stats.flushes++;
	return m_pipe_free + m_cfg.latency_cycles;
}

void content_disk::read(uint64_t addr, uint8_t *buf, size_t len)
{
	rs_models::content_fill(m_cfg.stream, addr, buf, len);
	m_stats.bytes_read += len;
	if (m_overlay.empty())
		return;
	uint64_t end = addr + len;
	for (uint64_t s = addr / 512; s * 512 < end; s++) {
		auto it = m_overlay.find(s);
		if (it == m_overlay.end())
			continue;
		uint64_t lo = std::max(addr, s * 512), hi = std::min(end, (s + 1) * 512);
		memcpy(buf + (lo - addr), it->second.data() + (lo - s * 512), hi - lo);
	}
}

uint64_t content_disk::write(uint64_t addr, const uint8_t *buf, size_t len)
{
	uint64_t bad = rs_models::content_mismatches(m_cfg.stream, addr, buf, len);
	m_stats.bytes_written += len;
	m_stats.integrity_checked += len;
	m_stats.integrity_mismatches += bad;
	if (!bad && m_overlay.empty())
		return 0;
	// Sector by sector: keep what differs from the content model, drop what now matches.
	uint64_t end = addr + len;
	for (uint64_t s = addr / 512; s * 512 < end; s++) {
		sector_bytes now;
		auto it = m_overlay.find(s);
		if (it != m_overlay.end())
			now = it->second;
		else
			rs_models::content_fill(m_cfg.stream, s * 512, now.data(), now.size());
		uint64_t lo = std::max(addr, s * 512), hi = std::min(end, (s + 1) * 512);
		memcpy(now.data() + (lo - s * 512), buf + (lo - addr), hi - lo);
		if (rs_models::content_mismatches(m_cfg.stream, s * 512, now.data(), now.size()))
			m_overlay[s] = now;
		else if (it != m_overlay.end())
			m_overlay.erase(it);
	}
	return bad;
}

} // namespace blkif
