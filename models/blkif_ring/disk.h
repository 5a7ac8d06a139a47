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
	// Fixed time of one request, overlapping with other requests' (device queue depth): about
	// 10 us at 1 GHz, an NVMe SSD's 4 KiB access.
	uint64_t latency_cycles = 10000;
	// Transfer time per KiB, serialised over all requests: 1000 cycles per KiB is ~1 GB/s at
	// 1 GHz, an NVMe-class device's sequential bandwidth. Rounded up per request.
	uint64_t cycles_per_kib = 1000;
};

/**
 * check_config() - Return: "" when @cfg is usable, else one sentence naming the bad field
 * (capacity zero or past 2^55 sectors, so byte addresses fit 64 bits).
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
};

// An NVMe-class disk. Timing: a request's data streams at the disk's bandwidth, one request's
// after another's (the transfer pipe is shared), and it completes latency_cycles after its
// transfer ends, so many requests in flight overlap their latencies as a deep device queue
// does: complete = max(now, pipe free) + ceil(bytes * cycles_per_kib / 1024) + latency. A bare
// flush transfers nothing and completes a latency after the pipe drains.
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
	uint64_t m_pipe_free = 0; // cycle at which the transfer pipe is next free
	std::unordered_map<uint64_t, sector_bytes> m_overlay; // sector -> what was written
};

} // namespace blkif

#endif
