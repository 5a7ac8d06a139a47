// SPDX-License-Identifier: GPL-2.0-only
// The content disk: completion cycles from latency and a shared transfer pipe, reads that
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
	c.cycles_per_kib = 64; // 4 KiB in 256 cycles
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
	// One 4 KiB read at 100: transfer 256, then the latency.
	CU_ASSERT_EQUAL(d.submit(rq(false, 0, 4096), 100), 100u + 256 + 1000);
	// Two more at 200: their transfers queue behind the first (pipe free at 356), their
	// latencies overlap.
	CU_ASSERT_EQUAL(d.submit(rq(true, 8, 4096), 200), 356u + 256 + 1000);
	CU_ASSERT_EQUAL(d.submit(rq(false, 16, 512), 200), 612u + 32 + 1000);
	// A bare flush waits for the pipe to drain, then a latency.
	CU_ASSERT_EQUAL(d.submit(rq(true, 0, 0, true), 300), 644u + 1000);
	// Later, with the pipe idle: a partial KiB is rounded up (600 B -> ceil(600*64/1024) = 38).
	CU_ASSERT_EQUAL(d.submit(rq(false, 0, 600), 10000), 10000u + 38 + 1000);
	const blkif::disk_stats &s = d.statistics();
	CU_ASSERT(s.reads == 3 && s.writes == 1 && s.flushes == 1);
	CU_ASSERT_EQUAL(s.busy_cycles, 256u + 256 + 32 + 38);
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
	blkif::disk_config def; // the documented defaults: 8 GiB, 10 us, ~1 GB/s at 1 GHz
	CU_ASSERT_EQUAL(blkif::check_config(def), "");
	CU_ASSERT_EQUAL(def.capacity_sectors * 512, 8ull << 30);
	CU_ASSERT_EQUAL(def.latency_cycles, 10000u);
	CU_ASSERT_EQUAL(def.cycles_per_kib, 1000u);
}

} // namespace

int main()
{
	gsl_set_error_handler_off();
	static const rs_test::test_entry tests[] = {
		{"t_disk_timing", t_disk_timing},
		{"t_disk_read_content", t_disk_read_content},
		{"t_disk_write_integrity", t_disk_write_integrity},
		{"t_disk_config_check_bad", t_disk_config_check_bad},
		{nullptr, nullptr},
	};
	return rs_test::run_suite("blkif_disk", tests);
}
