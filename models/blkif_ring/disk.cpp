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
	if (cfg.channels == 0 || cfg.channels > 1024)
		return "channels " + std::to_string(cfg.channels) + " is not between 1 and 1024";
	if (cfg.bandwidth_bytes == 0 || cfg.bandwidth_cycles == 0)
		return "bandwidth " + std::to_string(cfg.bandwidth_bytes) + " bytes per " +
		       std::to_string(cfg.bandwidth_cycles) + " cycles is not positive";
	return "";
}

content_disk::content_disk(const disk_config &cfg) : m_cfg(cfg)
{
	std::string err = check_config(cfg);
	if (!err.empty())
		throw std::invalid_argument("content_disk: " + err);
	m_channels.resize(cfg.channels);
}

// Cycle sums that stop at the top instead of wrapping: a disk slow enough to need more
// than a run can simulate just never finishes inside it.
static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

uint64_t content_disk::submit(const disk_request &r, uint64_t now)
{
	unsigned __int128 num = (unsigned __int128)r.bytes * m_cfg.bandwidth_cycles;
	unsigned __int128 x = (num + m_cfg.bandwidth_bytes - 1) / m_cfg.bandwidth_bytes;
	uint64_t xfer = x > UINT64_MAX ? UINT64_MAX : (uint64_t)x;
	uint64_t done = now;

	if (r.bytes) {
		channel *c = &m_channels[0];

		for (channel &ch : m_channels)
			if (ch.free < c->free)
				c = &ch;
		if (c->free > now)
			m_stats.queued++;
		uint64_t start = std::max(now, c->free);
		uint64_t access = m_cfg.latency_cycles;
		if (m_cfg.seek_cycles && c->head != r.sector) {
			access = sat_add(access, m_cfg.seek_cycles);
			m_stats.seeks++;
		}
		uint64_t xfer_start = std::max(sat_add(start, access), m_link_free);
		m_link_free = sat_add(xfer_start, xfer);
		done = m_link_free;
		c->free = done;
		c->head = r.sector + r.bytes / 512;
		m_stats.busy_cycles = sat_add(m_stats.busy_cycles, xfer);
		m_stats.access_cycles = sat_add(m_stats.access_cycles, access);
		(r.write ? m_stats.writes : m_stats.reads)++;
	}
	if (r.flush) {
		// The cache flush: after all that came before (every channel, the link) and this.
		uint64_t all = std::max(done, m_link_free);
		for (const channel &ch : m_channels)
			all = std::max(all, ch.free);
		done = sat_add(all, m_cfg.latency_cycles);
		m_stats.flushes++;
	}
	return done;
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
