// SPDX-License-Identifier: GPL-2.0-only
// The disk behind blkback: a small interface (timing plus content) and one implementation,
// an NVMe-class device whose every byte is the content model. Data never lives in the disk:
// a read produces the content model's bytes for their disk address, a write is checked byte
// by byte against them (the guest writes content-model data for the address it targets) and
// then accepted, and a sector written with other bytes keeps them, so reading it back shows
// the corruption again.
#ifndef RS_BLKIF_RING_DISK_H
#define RS_BLKIF_RING_DISK_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace blkif {

// One request as the backend hands it to the disk (after splitting nothing: one per ring
// request, like one plugged batch of bios).
struct disk_request {
	bool write = false;  // data moves guest -> disk
	bool flush = false;  // a cache flush after the data (FLUSH_DISKCACHE, WRITE_BARRIER)
	uint64_t sector = 0; // first 512-byte sector
	uint64_t bytes = 0;  // data bytes, a multiple of 512; 0 for a bare flush
};

class disk_if {
public:
	virtual ~disk_if() = default;

	/** capacity_sectors() - Return: the disk's size in 512-byte sectors. */
	virtual uint64_t capacity_sectors() const = 0;

	/**
	 * submit() - start one request
	 * @r: the request; the backend has checked it lies inside the disk
	 * @now: the cycle it is submitted at
	 *
	 * Context: any; never waits. The disk keeps its own queue state.
	 * Return: the cycle at which it completes (>= @now).
	 */
	virtual uint64_t submit(const disk_request &r, uint64_t now) = 0;

	/** read() - the bytes [@addr, @addr + @len) of the disk into @buf (byte addresses). */
	virtual void read(uint64_t addr, uint8_t *buf, size_t len) = 0;

	/**
	 * write() - accept @len bytes at byte address @addr
	 *
	 * Return: how many of them differ from what the content model says belongs there.
	 */
	virtual uint64_t write(uint64_t addr, const uint8_t *buf, size_t len) = 0;
};

// The checked configuration of a content_disk.
struct disk_config {
	// Disk size in 512-byte sectors: 8 GiB, room for any scenario's working set.
	uint64_t capacity_sectors = 16ull << 20;
	// Content stream of the disk's bytes (rs_models::content_byte(stream, byte address)). One
	// id per disk; the engine keeps them apart from the 9p files' streams.
	uint64_t stream = 0xd15c;
	// The device's timing (scenario xen-blk/@disk-*). A request takes the channel that is
	// free first (waiting in the device's queue while all are busy), holds it for the
	// access time (latency_cycles, plus seek_cycles unless it starts where that channel's
	// last request ended), then moves its data over the device's one link at the
	// bandwidth, transfers one after another. The defaults are an NVMe-class SSD at 1 GHz:
	// 10 us per access, 8 channels, 1 GiB/s, no seek.
	uint64_t latency_cycles = 10000;
	uint64_t seek_cycles = 0;
	uint32_t channels = 8;
	// Bandwidth as a ratio: bandwidth_bytes every bandwidth_cycles (a scenario's bytes per
	// second over its clock in Hz). Transfer time is rounded up per request.
	uint64_t bandwidth_bytes = 1ull << 30;
	uint64_t bandwidth_cycles = 1000000000;
};

/**
 * check_config() - Return: "" when @cfg is usable, else one sentence naming the bad field
 * (capacity zero or past 2^55 sectors, so byte addresses fit 64 bits; no channel; a zero
 * bandwidth).
 */
std::string check_config(const disk_config &cfg);

struct disk_stats {
	uint64_t reads = 0;          // requests moving disk -> guest
	uint64_t writes = 0;         // requests moving guest -> disk
	uint64_t flushes = 0;        // requests with a flush
	uint64_t bytes_read = 0;     // produced by read()
	uint64_t bytes_written = 0;  // accepted by write()
	uint64_t integrity_checked = 0;    // bytes write() compared with the content model
	uint64_t integrity_mismatches = 0; // of those, bytes that differed
	uint64_t busy_cycles = 0;    // transfer time charged (bandwidth)
	uint64_t access_cycles = 0;  // channel time spent on accesses (latency and seeks)
	uint64_t seeks = 0;          // requests that paid seek_cycles
	uint64_t queued = 0;         // requests that found every channel busy
};

// A disk whose bytes are the content model. Timing (see disk_config): for a request at @now,
// on the channel c free first,
//   start = max(now, free[c]); access = latency + (seek unless sector == head[c]);
//   xfer_start = max(start + access, link_free); done = link_free = xfer_start + xfer,
//   xfer = ceil(bytes * bandwidth_cycles / bandwidth_bytes); free[c] = done.
// A flush completes a latency after everything before it (every channel and the link) is
// done; with data, after its own data too.
class content_disk : public disk_if {
public:
	/** content_disk() - Throws std::invalid_argument when @cfg fails check_config(). */
	explicit content_disk(const disk_config &cfg);

	uint64_t capacity_sectors() const override { return m_cfg.capacity_sectors; }
	uint64_t submit(const disk_request &r, uint64_t now) override;
	void read(uint64_t addr, uint8_t *buf, size_t len) override;
	uint64_t write(uint64_t addr, const uint8_t *buf, size_t len) override;

	const disk_config &cfg() const { return m_cfg; }
	const disk_stats &statistics() const { return m_stats; }
	// Sectors now holding bytes other than the content model's.
	uint64_t corrupt_sectors() const { return m_overlay.size(); }

private:
	using sector_bytes = std::array<uint8_t, 512>;

	disk_config m_cfg;
	disk_stats m_stats;
	struct channel {
		uint64_t free = 0;           // cycle it is next free
		uint64_t head = UINT64_MAX;  // sector after its last request (unknown at first)
	};
	std::vector<channel> m_channels;
	uint64_t m_link_free = 0; // cycle at which the link is next free
	std::unordered_map<uint64_t, sector_bytes> m_overlay; // sector -> what was written
};

} // namespace blkif

#endif
