// SPDX-License-Identifier: GPL-2.0-only
// The content disk: completion cycles from access latency, seeks, parallel channels and a
// shared link at the disk's bandwidth, reads that
// are the content model, writes checked byte by byte against it, and corrupt sectors that
// read back as written until good data overwrites them.
#include <cstring>
#include <stdexcept>
#include <vector>

#include <gsl/gsl_errno.h>

#include "blkif_ring/disk.h"
#include "common/content.h"
#include "test_support.h"

namespace {

constexpr uint64_t STREAM = 77;

blkif::disk_config small()
{
	blkif::disk_config c;
	c.capacity_sectors = 1024;
	c.stream = STREAM;
	c.latency_cycles = 1000;
	c.channels = 2;
	c.bandwidth_bytes = 16; // 16 bytes a cycle: 4 KiB in 256 cycles
	c.bandwidth_cycles = 1;
	return c;
}

blkif::disk_request rq(bool write, uint64_t sector, uint64_t bytes, bool flush = false)
{
	blkif::disk_request r;
	r.write = write;
	r.flush = flush;
	r.sector = sector;
	r.bytes = bytes;
	return r;
}

void t_disk_timing(void)
{
	blkif::content_disk d(small());
	// 4 KiB at 100 on channel 0: access 100..1100, transfer 1100..1356.
	CU_ASSERT_EQUAL(d.submit(rq(false, 0, 4096), 100), 1356u);
	// 4 KiB at 200 on channel 1: access 200..1200 overlaps; the link is busy until 1356,
	// so its transfer runs 1356..1612.
	CU_ASSERT_EQUAL(d.submit(rq(true, 8, 4096), 200), 1612u);
	// 512 B at 200: both channels busy; channel 0 is free first, at 1356: access
	// 1356..2356, transfer 32 cycles, 2356..2388.
	CU_ASSERT_EQUAL(d.submit(rq(false, 16, 512), 200), 2388u);
	// A bare flush at 300: after everything before it (2388), then a latency.
	CU_ASSERT_EQUAL(d.submit(rq(true, 0, 0, true), 300), 3388u);
	// Later, all idle: channel 1 (free at 1612, before channel 0's 2388); a partial
	// transfer is rounded up: 600 B -> ceil(600 / 16) = 38.
	CU_ASSERT_EQUAL(d.submit(rq(false, 0, 600), 10000), 10000u + 1000 + 38);
	const blkif::disk_stats &s = d.statistics();
	CU_ASSERT(s.reads == 3 && s.writes == 1 && s.flushes == 1 && s.seeks == 0);
	CU_ASSERT_EQUAL(s.queued, 1u);
	CU_ASSERT_EQUAL(s.busy_cycles, 256u + 256 + 32 + 38);
	CU_ASSERT_EQUAL(s.access_cycles, 4u * 1000);
}

// Depth helps only up to the channels: eight 4 KiB reads at once on 2 channels finish in
// four rounds of latency, the link never the bottleneck (256 < 1000).
void t_disk_channels(void)
{
	blkif::content_disk d(small());
	uint64_t last = 0;
	for (int i = 0; i < 8; i++)
		last = d.submit(rq(false, 64 * i, 4096), 0);
	// Round k (0..3) starts at k * 1256 on both channels: the first's transfer ends at
	// start + 1256, the second's waits for the link, 256 later.
	CU_ASSERT_EQUAL(last, 3u * 1256 + 1000 + 512);
	CU_ASSERT_EQUAL(d.statistics().queued, 6u);
}

// An HDD-like disk: one channel (one head), a seek unless the request starts where the last
// ended, so sequential requests (and merged ones) avoid it.
void t_disk_seek(void)
{
	blkif::disk_config c = small();
	c.channels = 1;
	c.seek_cycles = 5000;
	blkif::content_disk d(c);
	// The head's position is unknown at first: seek. 0 + 1000 + 5000, + 256.
	CU_ASSERT_EQUAL(d.submit(rq(true, 0, 4096), 0), 6256u);
	// Sector 8 follows sector 0's 8 sectors: no seek. 6256 + 1000 + 256.
	CU_ASSERT_EQUAL(d.submit(rq(true, 8, 4096), 0), 7512u);
	// Sector 100: seek again. 7512 + 1000 + 5000 + 256.
	CU_ASSERT_EQUAL(d.submit(rq(true, 100, 4096), 0), 13768u);
	// One 8 KiB request instead of two 4 KiB ones: one access, 512 cycles of transfer.
	CU_ASSERT_EQUAL(d.submit(rq(true, 108, 8192), 20000), 20000u + 1000 + 512);
	CU_ASSERT_EQUAL(d.statistics().seeks, 2u);
}

void t_disk_read_content(void)
{
	blkif::content_disk d(small());
	std::vector<uint8_t> b(1000), want(1000);
	d.read(4096 + 3, b.data(), b.size());
	rs_models::content_fill(STREAM, 4096 + 3, want.data(), want.size());
	CU_ASSERT(b == want);
	CU_ASSERT_EQUAL(d.statistics().bytes_read, 1000u);
}

void t_disk_write_integrity(void)
{
	blkif::content_disk d(small());
	std::vector<uint8_t> b(1024);
	rs_models::content_fill(STREAM, 2048, b.data(), b.size());
	CU_ASSERT_EQUAL(d.write(2048, b.data(), b.size()), 0u);
	CU_ASSERT_EQUAL(d.corrupt_sectors(), 0u);
	b[700] ^= 0xff; // sector 5, byte 188
	CU_ASSERT_EQUAL(d.write(2048, b.data(), b.size()), 1u);
	const blkif::disk_stats &s = d.statistics();
	CU_ASSERT(s.integrity_checked == 2048 && s.integrity_mismatches == 1 &&
		  s.bytes_written == 2048);
	CU_ASSERT_EQUAL(d.corrupt_sectors(), 1u);
	// The disk keeps what was written: reading shows the bad byte, and only it.
	std::vector<uint8_t> r(1024), want(1024);
	d.read(2048, r.data(), r.size());
	CU_ASSERT(r == b);
	rs_models::content_fill(STREAM, 2048, want.data(), want.size());
	CU_ASSERT_EQUAL(rs_models::content_mismatches(STREAM, 2048, r.data(), r.size()), 1u);
	// A partial read across the corrupt sector.
	uint8_t one;
	d.read(2048 + 700, &one, 1);
	CU_ASSERT_EQUAL(one, b[700]);
	// Good data over it heals the sector.
	CU_ASSERT_EQUAL(d.write(2048, want.data(), want.size()), 0u);
	CU_ASSERT_EQUAL(d.corrupt_sectors(), 0u);
	d.read(2048, r.data(), r.size());
	CU_ASSERT(r == want);
}

void t_disk_config_check_bad(void)
{
	blkif::disk_config c = small();
	CU_ASSERT_EQUAL(blkif::check_config(c), "");
	c.capacity_sectors = 0;
	CU_ASSERT(blkif::check_config(c).find("capacity_sectors") != std::string::npos);
	bool threw = false;
	try {
		blkif::content_disk d(c);
	} catch (const std::invalid_argument &) {
		threw = true;
	}
	CU_ASSERT(threw);
	c = small();
	c.channels = 0;
	CU_ASSERT(blkif::check_config(c).find("channels") != std::string::npos);
	c = small();
	c.bandwidth_bytes = 0;
	CU_ASSERT(blkif::check_config(c).find("bandwidth") != std::string::npos);
	blkif::disk_config def; // the documented defaults: 8 GiB, 10 us, 8 channels, 1 GiB/s
	CU_ASSERT_EQUAL(blkif::check_config(def), "");
	CU_ASSERT_EQUAL(def.capacity_sectors * 512, 8ull << 30);
	CU_ASSERT_EQUAL(def.latency_cycles, 10000u);
	CU_ASSERT_EQUAL(def.channels, 8u);
	CU_ASSERT_EQUAL(def.seek_cycles, 0u);
	CU_ASSERT_EQUAL(def.bandwidth_bytes, 1ull << 30);
	CU_ASSERT_EQUAL(def.bandwidth_cycles, 1000000000u);
}

} // namespace

int main()
{
	gsl_set_error_handler_off();
	static const rs_test::test_entry tests[] = {
		{"t_disk_timing", t_disk_timing},
		{"t_disk_channels", t_disk_channels},
		{"t_disk_seek", t_disk_seek},
		{"t_disk_read_content", t_disk_read_content},
		{"t_disk_write_integrity", t_disk_write_integrity},
		{"t_disk_config_check_bad", t_disk_config_check_bad},
		{nullptr, nullptr},
	};
	return rs_test::run_suite("blkif_disk", tests);
}
