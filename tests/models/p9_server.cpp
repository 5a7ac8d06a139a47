// SPDX-License-Identifier: GPL-2.0-only
// The 9P2000.L server driven directly, the way the device engine drives it: requests
// hand-built in a fake guest memory (a host byte array; segments are offsets in it), replies
// read back and compared byte for byte with values worked out by hand in the comments.
// The last test runs the server in an SC_THREAD under sc_start() and checks its service time
// to the cycle.
#include <cstring>
#include <string>
#include <vector>

#include <systemc>

#include "common/content.h"
#include "common/sanitizer_stack.h"
#include "test_support.h"
#include "virtqueue/p9_server.h"

using namespace p9srv;
using sc_core::SC_NS;
using sc_core::sc_time;

namespace {

// Guest memory as a host array, 0xaa where nothing was written. Each transaction waits
// @wait_cycles (only ever non-zero under sc_start), so timing shows one per buffer.
class fake_dma : public vq::dma_if {
public:
	std::vector<uint8_t> mem = std::vector<uint8_t>(1u << 20, 0xaa);
	unsigned reads = 0, writes = 0;
	uint64_t wait_cycles = 0;
	sc_time first_write_at = sc_core::SC_ZERO_TIME; // when write number 0 began

	bool dma_read(uint64_t pa, void *buf, size_t len) override
	{
		if (pa > mem.size() || len > mem.size() - pa)
			return false;
		memcpy(buf, mem.data() + pa, len);
		reads++;
		charge();
		return true;
	}

	bool dma_write(uint64_t pa, const void *buf, size_t len) override
	{
		if (pa > mem.size() || len > mem.size() - pa)
			return false;
		if (writes++ == 0)
			first_write_at = sc_core::sc_time_stamp();
		memcpy(mem.data() + pa, buf, len);
		charge();
		return true;
	}

	void reset_counts()
	{
		reads = writes = 0;
	}

private:
	void charge()
	{
		if (wait_cycles)
			sc_core::wait(sc_time(static_cast<double>(wait_cycles), SC_NS));
	}
};

// Where requests and replies live in the fake memory.
constexpr uint64_t OUT = 0x1000;  // request (tc->sdata)
constexpr uint64_t OUT2 = 0x8000; // zero-copy Twrite payload pages
constexpr uint64_t OUT3 = 0xa000;
constexpr uint64_t IN = 0x20000;  // reply header, or the whole reply (rc->sdata)
constexpr uint64_t IN2 = 0x40000; // zero-copy data pages
constexpr uint64_t IN3 = 0x50000;
constexpr uint64_t IN4 = 0x60000;

constexpr uint64_t DATA_STREAM = 7;
constexpr uint64_t SMALL_STREAM = 9;
constexpr uint64_t DATA_SIZE = 1u << 20;

// Root: "data" (1 MiB, stream 7), "small" (10000 bytes, stream 9), directory "d" with 5
// entries. qid paths (p9_fs.cpp): kind << 56 | idx << 24 | sub, kinds root 0, file 1, dir 2,
// entry 3.
config make_config(uint64_t service, uint64_t per_kib)
{
	config c;
	c.clock_period = sc_time(1, SC_NS);
	c.service_cycles = service;
	c.cycles_per_kib = per_kib;
	c.files = {{"data", DATA_SIZE, DATA_STREAM}, {"small", 10000, SMALL_STREAM}};
	c.dirs = {{"d", 5}};
	return c;
}

struct rig {
	explicit rig(uint64_t service = 0, uint64_t per_kib = 0)
		: srv("t", make_config(service, per_kib), sink)
	{
	}
	explicit rig(const config &c) : srv("t", c, sink) {}
	rs_test::test_sink sink;
	fake_dma dma;
	p9_server srv;
};

std::vector<uint8_t> msg; // the request being built

writer begin(uint8_t type, uint16_t tag)
{
	writer w(msg);
	w.begin(type, tag);
	return w;
}

vq::segment rd(uint64_t a, uint32_t l)
{
	return vq::segment{a, l, false};
}

vq::segment wr(uint64_t a, uint32_t l)
{
	return vq::segment{a, l, true};
}

// Put msg at OUT and serve it: one driver-readable segment of msg.size() bytes (or @out_len),
// then @more driver-readable ones, then the writable ones @in. Return: the used length.
uint32_t rpc(rig &r, const std::vector<vq::segment> &in, uint32_t out_len = 0,
	     const std::vector<vq::segment> &more = {})
{
	memcpy(r.dma.mem.data() + OUT, msg.data(), msg.size());
	std::vector<vq::segment> chain{
		rd(OUT, out_len ? out_len : static_cast<uint32_t>(msg.size()))};
	chain.insert(chain.end(), more.begin(), more.end());
	chain.insert(chain.end(), in.begin(), in.end());
	return r.srv.serve(3, chain, r.dma);
}

bool bytes_are(rig &r, uint64_t a, const std::vector<uint8_t> &want)
{
	return memcmp(r.dma.mem.data() + a, want.data(), want.size()) == 0;
}

uint32_t le32_at(rig &r, uint64_t a)
{
	return get_le32(r.dma.mem.data() + a);
}

uint64_t le64_at(rig &r, uint64_t a)
{
	return get_le64(r.dma.mem.data() + a);
}

// Return: true when [a, a + len) holds bytes [off, off + len) of @stream.
bool content_at(rig &r, uint64_t a, uint64_t stream, uint64_t off, size_t len)
{
	return rs_models::content_mismatches(stream, off, r.dma.mem.data() + a, len) == 0;
}

// Rlerror with @tag and @ecode: size 11, type 7, tag, ecode.
std::vector<uint8_t> rlerror(uint16_t tag, uint8_t ecode)
{
	return {11, 0, 0, 0, 7, static_cast<uint8_t>(tag), static_cast<uint8_t>(tag >> 8),
		ecode, 0, 0, 0};
}

// Tversion: 7 + msize 4 + "9P2000.L" (2 + 8) = 21 bytes; Rversion the same 21.
uint32_t version(rig &r, uint32_t msize, const char *v = "9P2000.L")
{
	writer w = begin(P9_TVERSION, P9_NOTAG);
	w.u32(msize);
	w.str(v);
	w.finish();
	return rpc(r, {wr(IN, 8192)});
}

// Tattach fid 1: 7 + fid 4 + afid 4 + "u" 3 + "" 2 + n_uname 4 = 24 bytes; Rattach 7 + 13.
uint32_t attach(rig &r)
{
	writer w = begin(P9_TATTACH, 1);
	w.u32(1);
	w.u32(P9_NOFID);
	w.str("u");
	w.str("");
	w.u32(0);
	w.finish();
	return rpc(r, {wr(IN, 8192)});
}

uint32_t walk(rig &r, uint32_t fid, uint32_t newfid, const std::vector<std::string> &names)
{
	writer w = begin(P9_TWALK, 2);
	w.u32(fid);
	w.u32(newfid);
	w.u16(static_cast<uint16_t>(names.size()));
	for (const std::string &n : names)
		w.str(n);
	w.finish();
	return rpc(r, {wr(IN, 8192)});
}

// Tlopen: 7 + fid 4 + flags 4 = 15 bytes; Rlopen 7 + qid 13 + iounit 4 = 24.
uint32_t lopen(rig &r, uint32_t fid, uint32_t flags)
{
	writer w = begin(P9_TLOPEN, 3);
	w.u32(fid);
	w.u32(flags);
	w.finish();
	return rpc(r, {wr(IN, 8192)});
}

uint32_t clunk(rig &r, uint32_t fid)
{
	writer w = begin(P9_TCLUNK, 4);
	w.u32(fid);
	w.finish();
	return rpc(r, {wr(IN, 8192)});
}

// Tversion(@msize), Tattach fid 1, Twalk 1 -> @fid [@name], Tlopen @fid @flags.
void session(rig &r, uint32_t msize, uint32_t fid, const char *name, uint32_t flags)
{
	CU_ASSERT(version(r, msize) == 21);
	CU_ASSERT(attach(r) == 20);
	CU_ASSERT(walk(r, 1, fid, {name}) == 22); // 7 + nwqid 2 + one qid 13
	CU_ASSERT(lopen(r, fid, flags) == 24);
}

// Tread/Treaddir: 7 + fid 4 + offset 8 + count 4 = 23 bytes.
void build_rw(uint8_t type, uint16_t tag, uint32_t fid, uint64_t off, uint32_t count)
{
	writer w = begin(type, tag);
	w.u32(fid);
	w.u64(off);
	w.u32(count);
	w.finish();
}

void t_p9_version_msize(void)
{
	rig r;
	// msize 512000 = 0x0007d000.
	CU_ASSERT(version(r, 512000) == 21);
	CU_ASSERT(bytes_are(r, IN, {21, 0, 0, 0, 101, 0xff, 0xff, 0x00, 0xd0, 0x07, 0x00, 8, 0,
				    '9', 'P', '2', '0', '0', '0', '.', 'L'}));
	CU_ASSERT(r.srv.msize() == 512000);
	// The server grants at most max_msize 8192000 = 0x007d0000.
	CU_ASSERT(version(r, 10000000) == 21);
	CU_ASSERT(bytes_are(r, IN + 7, {0x00, 0x00, 0x7d, 0x00}));
	CU_ASSERT(r.srv.msize() == 8192000);
	// Another dialect: "unknown" (7 + 4 + 2 + 7 = 20 bytes), msize kept.
	CU_ASSERT(version(r, 8192, "9P2000.u") == 20);
	CU_ASSERT(bytes_are(r, IN, {20, 0, 0, 0, 101, 0xff, 0xff, 0x00, 0x20, 0x00, 0x00, 7, 0,
				    'u', 'n', 'k', 'n', 'o', 'w', 'n'}));
	CU_ASSERT(r.srv.msize() == 8192000);
	// Below 4096: Rlerror(EMSGSIZE 90), like QEMU.
	CU_ASSERT(version(r, 1000) == 11);
	CU_ASSERT(bytes_are(r, IN, rlerror(P9_NOTAG, 90)));
	CU_ASSERT(r.srv.statistics().messages[P9_TVERSION] == 4);
	CU_ASSERT(r.sink.findings.empty());
}

void t_p9_attach_walk_lopen_iounit(void)
{
	rig r;
	CU_ASSERT(version(r, 512000) == 21);
	CU_ASSERT(attach(r) == 20);
	// Rattach: size 20, type 105, tag 1, root qid: type 0x80 (QTDIR), version 0, path 0.
	CU_ASSERT(bytes_are(r, IN, {20, 0, 0, 0, 105, 1, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				    0, 0}));
	CU_ASSERT(walk(r, 1, 2, {"data"}) == 22);
	// Rwalk: size 22, type 111, tag 2, nwqid 1, qid of file 0: type 0, path 1 << 56.
	CU_ASSERT(bytes_are(r, IN, {22, 0, 0, 0, 111, 2, 0, 1, 0, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
				    0, 0, 0, 1}));
	CU_ASSERT(lopen(r, 2, P9_DOTL_RDWR) == 24);
	// iounit = 4096 * floor((512000 - 24) / 4096) = 4096 * floor(124.99) = 4096 * 124
	// = 507904 = 0x0007c000, at bytes 20..23 of Rlopen (7 + qid 13).
	CU_ASSERT(bytes_are(r, IN, {24, 0, 0, 0, 13, 3, 0}));
	CU_ASSERT(le32_at(r, IN + 20) == 507904);
	CU_ASSERT(bytes_are(r, IN + 20, {0x00, 0xc0, 0x07, 0x00}));
	// Opening twice: EINVAL (22).
	CU_ASSERT(lopen(r, 2, P9_DOTL_RDWR) == 11);
	CU_ASSERT(bytes_are(r, IN, rlerror(3, 22)));

	// msize 8192: iounit = 4096 * floor((8192 - 24) / 4096) = 4096 * floor(1.99) = 4096.
	// A new Tversion drops every fid, so fids 1 and 2 are free again.
	CU_ASSERT(version(r, 8192) == 21);
	CU_ASSERT(r.srv.live_fids() == 0);
	CU_ASSERT(attach(r) == 20);
	CU_ASSERT(walk(r, 1, 2, {"data"}) == 22);
	CU_ASSERT(lopen(r, 2, P9_DOTL_RDONLY) == 24);
	CU_ASSERT(le32_at(r, IN + 20) == 4096);
	CU_ASSERT(r.srv.live_fids() == 2);

	// The formula alone: f_bsize 8192 at msize 4100 gives 8192 * floor(4076 / 8192) = 0,
	// so the fallback msize - 24 = 4076.
	CU_ASSERT(p9_server::iounit(512000, 4096) == 507904);
	CU_ASSERT(p9_server::iounit(8192, 4096) == 4096);
	CU_ASSERT(p9_server::iounit(4100, 8192) == 4076);
	CU_ASSERT(r.sink.findings.empty());
}

void t_p9_walk_partial_and_missing(void)
{
	rig r;
	CU_ASSERT(version(r, 512000) == 21);
	CU_ASSERT(attach(r) == 20);
	// First element missing: Rlerror(ENOENT 2).
	CU_ASSERT(walk(r, 1, 5, {"nope"}) == 11);
	CU_ASSERT(bytes_are(r, IN, rlerror(2, 2)));
	// Second element missing: Rwalk with the one qid walked (22 bytes), newfid not made.
	CU_ASSERT(walk(r, 1, 5, {"d", "nope"}) == 22);
	CU_ASSERT(r.srv.live_fids() == 1);
	// Into the directory: 7 + 2 + 2 * 13 = 35 bytes; second qid is entry 4 of dir 0:
	// path 3 << 56 | 0 << 24 | 4.
	CU_ASSERT(walk(r, 1, 5, {"d", "e0000004"}) == 35);
	CU_ASSERT(r.dma.mem[IN + 9] == 0x80);
	CU_ASSERT(le64_at(r, IN + 9 + 5) == (2ull << 56));
	CU_ASSERT(r.dma.mem[IN + 22] == 0x00);
	CU_ASSERT(le64_at(r, IN + 22 + 5) == ((3ull << 56) | 4));
	CU_ASSERT(r.srv.live_fids() == 2);
	// Entries are read-only: Tlopen for writing gives EACCES (13).
	CU_ASSERT(lopen(r, 5, P9_DOTL_WRONLY) == 11);
	CU_ASSERT(bytes_are(r, IN, rlerror(3, 13)));
	// A name past the last entry (5 entries: e0000000..e0000004) does not exist.
	CU_ASSERT(walk(r, 1, 6, {"d", "e0000005"}) == 22);
	CU_ASSERT(r.sink.findings.empty());
}

void t_p9_read_zc_layout(void)
{
	rig r;
	session(r, 512000, 2, "data", P9_DOTL_RDWR);
	// Zero-copy TREAD of 8292 bytes at the odd file offset 12345: an 11-byte header buffer,
	// then user pages of 4096, 4096 and 100 bytes (kernel-facts A.4).
	build_rw(P9_TREAD, 5, 2, 12345, 8292);
	memset(r.dma.mem.data() + IN, 0xaa, 64); // the session's replies were written there
	r.dma.reset_counts();
	uint32_t used = rpc(r, {wr(IN, 11), wr(IN2, 4096), wr(IN3, 4096), wr(IN4, 100)});
	// 11 + 8292 = 8303 = 0x206f; count 8292 = 0x2064.
	CU_ASSERT(used == 8303);
	CU_ASSERT(bytes_are(r, IN, {0x6f, 0x20, 0, 0, 117, 5, 0, 0x64, 0x20, 0, 0}));
	CU_ASSERT(r.dma.mem[IN + 11] == 0xaa);
	CU_ASSERT(content_at(r, IN2, DATA_STREAM, 12345, 4096));
	CU_ASSERT(content_at(r, IN3, DATA_STREAM, 12345 + 4096, 4096));
	CU_ASSERT(content_at(r, IN4, DATA_STREAM, 12345 + 8192, 100));
	CU_ASSERT(r.dma.mem[IN4 + 100] == 0xaa);
	CU_ASSERT(r.dma.reads == 1);  // the 23-byte request
	CU_ASSERT(r.dma.writes == 4); // one per writable buffer
	CU_ASSERT(r.srv.statistics().read_bytes == 8292);
	CU_ASSERT(r.srv.statistics().messages[P9_TREAD] == 1);
	CU_ASSERT(r.sink.findings.empty());
}

void t_p9_read_inline(void)
{
	rig r;
	session(r, 8192, 2, "small", P9_DOTL_RDONLY);
	// Copying TREAD: rsize = msize - 24 = 8168 = 0x1fe8 into one msize buffer; the reply is
	// 11 + 8168 = 8179 = 0x1ff3 bytes.
	build_rw(P9_TREAD, 6, 2, 0, 8168);
	r.dma.reset_counts();
	CU_ASSERT(rpc(r, {wr(IN, 8192)}) == 8179);
	CU_ASSERT(bytes_are(r, IN, {0xf3, 0x1f, 0, 0, 117, 6, 0, 0xe8, 0x1f, 0, 0}));
	CU_ASSERT(content_at(r, IN + 11, SMALL_STREAM, 0, 8168));
	CU_ASSERT(r.dma.mem[IN + 8179] == 0xaa);
	CU_ASSERT(r.dma.writes == 1);
	// Opened read-only: Twrite gives EBADF (9).
	writer w = begin(P9_TWRITE, 7);
	w.u32(2);
	w.u64(0);
	w.u32(1);
	w.u8(rs_models::content_byte(SMALL_STREAM, 0));
	w.finish();
	CU_ASSERT(rpc(r, {wr(IN, 8192)}) == 11);
	CU_ASSERT(bytes_are(r, IN, rlerror(7, 9)));
	CU_ASSERT(r.sink.findings.empty());
}

void t_p9_read_eof(void)
{
	rig r;
	session(r, 512000, 2, "small", P9_DOTL_RDONLY);
	// "small" holds 10000 bytes. At offset 10000: count 0, an 11-byte Rread.
	build_rw(P9_TREAD, 8, 2, 10000, 4096);
	CU_ASSERT(rpc(r, {wr(IN, 11), wr(IN2, 4096)}) == 11);
	CU_ASSERT(bytes_are(r, IN, {11, 0, 0, 0, 117, 8, 0, 0, 0, 0, 0}));
	CU_ASSERT(r.dma.mem[IN2] == 0xaa);
	// Past the end: the same.
	build_rw(P9_TREAD, 8, 2, 20000, 4096);
	CU_ASSERT(rpc(r, {wr(IN, 11), wr(IN2, 4096)}) == 11);
	CU_ASSERT(le32_at(r, IN + 7) == 0);
	// At 9990: the last 10 bytes; 11 + 10 = 21.
	build_rw(P9_TREAD, 8, 2, 9990, 4096);
	CU_ASSERT(rpc(r, {wr(IN, 11), wr(IN2, 4096)}) == 21);
	CU_ASSERT(bytes_are(r, IN, {21, 0, 0, 0, 117, 8, 0, 10, 0, 0, 0}));
	CU_ASSERT(content_at(r, IN2, SMALL_STREAM, 9990, 10));
	CU_ASSERT(r.dma.mem[IN2 + 10] == 0xaa);
	CU_ASSERT(r.srv.statistics().read_bytes == 10);
	CU_ASSERT(r.sink.findings.empty());
}

// Zero-copy TWRITE of 6000 bytes at offset 9000 of "small" (fid 3): the 23-byte header
// whose size[4] covers only itself, then the payload in buffers of 4000 and 2000 bytes; the
// reply room is P9_ZC_HDR_SZ 4096 split over two buffers (kernel-facts A.4). @flip: file
// offset whose byte is corrupted, or 0 for none.
uint32_t zc_write(rig &r, uint64_t flip)
{
	build_rw(P9_TWRITE, 9, 3, 9000, 6000);
	CU_ASSERT(msg.size() == 23 && get_le32(msg.data()) == 23);
	rs_models::content_fill(SMALL_STREAM, 9000, r.dma.mem.data() + OUT2, 4000);
	rs_models::content_fill(SMALL_STREAM, 13000, r.dma.mem.data() + OUT3, 2000);
	if (flip)
		r.dma.mem[flip < 13000 ? OUT2 + (flip - 9000) : OUT3 + (flip - 13000)] ^= 0xff;
	return rpc(r, {wr(IN, 4000), wr(IN2, 96)}, 0, {rd(OUT2, 4000), rd(OUT3, 2000)});
}

void t_p9_write_zc(void)
{
	rig r;
	session(r, 512000, 3, "small", P9_DOTL_RDWR);
	r.dma.reset_counts();
	// Rwrite: size 11, type 119, tag 9, count 6000 = 0x1770.
	CU_ASSERT(zc_write(r, 0) == 11);
	CU_ASSERT(bytes_are(r, IN, {11, 0, 0, 0, 119, 9, 0, 0x70, 0x17, 0, 0}));
	CU_ASSERT(r.dma.reads == 3);
	CU_ASSERT(r.dma.writes == 1);
	const stats &s = r.srv.statistics();
	CU_ASSERT(s.zc_writes == 1 && s.inline_writes == 0);
	CU_ASSERT(s.integrity_checked == 6000 && s.integrity_mismatches == 0);
	CU_ASSERT(s.write_bytes == 6000);
	// 9000 + 6000 = 15000: the file grew from 10000.
	CU_ASSERT(r.srv.tree().file_size(1) == 15000);
	// Reading back across the old end: min(4096, 15000 - 14000) = 1000 bytes.
	build_rw(P9_TREAD, 10, 3, 14000, 4096);
	CU_ASSERT(rpc(r, {wr(IN, 11), wr(IN2, 4096)}) == 1011);
	CU_ASSERT(content_at(r, IN2, SMALL_STREAM, 14000, 1000));
	CU_ASSERT(r.sink.findings.empty());
}

void t_p9_write_zc_mismatch_bad(void)
{
	rig r;
	session(r, 512000, 3, "small", P9_DOTL_RDWR);
	// File offset 10500 lands in the first payload buffer at 1500.
	CU_ASSERT(zc_write(r, 10500) == 11);
	CU_ASSERT(bytes_are(r, IN, {11, 0, 0, 0, 119, 9, 0, 0x70, 0x17, 0, 0}));
	const stats &s = r.srv.statistics();
	CU_ASSERT(s.integrity_checked == 6000 && s.integrity_mismatches == 1);
	CU_ASSERT(r.sink.count("p9_write_mismatch") == 1);
	const rs_models::finding *f = r.sink.first("p9_write_mismatch");
	CU_ASSERT_FATAL(f != nullptr);
	CU_ASSERT(f->detail.find("first at file offset 10500") != std::string::npos);
	CU_ASSERT(f->where == "p9_server t head 3 tag 9");
}

// 9P-B5: a server that frames by size[4] refuses the zero-copy Twrite, whose size[4] = 23
// covers the header alone while 23 + 4000 + 2000 = 6023 bytes are offered; the mount's
// messages and an inline Twrite (size 123 = its bytes) pass.
void t_p9_strict_framing_bad(void)
{
	config c = make_config(0, 0);
	c.strict_framing = true;
	rig r(c);
	session(r, 512000, 3, "small", P9_DOTL_RDWR);
	CU_ASSERT(r.sink.findings.empty());
	CU_ASSERT(zc_write(r, 0) == 11);
	CU_ASSERT(bytes_are(r, IN, rlerror(9, 22)));
	CU_ASSERT(r.sink.count("p9_size_mismatch") == 1);
	const rs_models::finding *f = r.sink.first("p9_size_mismatch");
	CU_ASSERT_FATAL(f != nullptr);
	CU_ASSERT(f->detail.find("size[4] says 23 bytes but the driver-readable buffers hold "
				 "6023") != std::string::npos);
	CU_ASSERT(r.srv.statistics().zc_writes == 0);
	CU_ASSERT(r.srv.tree().file_size(1) == 10000);
	writer w = begin(P9_TWRITE, 11);
	w.u32(3);
	w.u64(0);
	w.u32(100);
	for (uint64_t i = 0; i < 100; i++)
		w.u8(rs_models::content_byte(SMALL_STREAM, i));
	w.finish();
	CU_ASSERT(rpc(r, {wr(IN, 4096)}) == 11);
	CU_ASSERT(bytes_are(r, IN, {11, 0, 0, 0, 119, 11, 0, 100, 0, 0, 0}));
	CU_ASSERT(r.sink.count("p9_size_mismatch") == 1);
}

void t_p9_write_inline(void)
{
	rig r;
	session(r, 512000, 3, "small", P9_DOTL_WRONLY);
	// Copying TWRITE: 100 payload bytes inside the message, size 23 + 100 = 123.
	writer w = begin(P9_TWRITE, 11);
	w.u32(3);
	w.u64(0);
	w.u32(100);
	for (uint64_t i = 0; i < 100; i++)
		w.u8(rs_models::content_byte(SMALL_STREAM, i));
	w.finish();
	CU_ASSERT(get_le32(msg.data()) == 123);
	CU_ASSERT(rpc(r, {wr(IN, 4096)}) == 11);
	CU_ASSERT(bytes_are(r, IN, {11, 0, 0, 0, 119, 11, 0, 100, 0, 0, 0}));
	const stats &s = r.srv.statistics();
	CU_ASSERT(s.inline_writes == 1 && s.zc_writes == 0);
	CU_ASSERT(s.integrity_checked == 100 && s.integrity_mismatches == 0);
	CU_ASSERT(r.srv.tree().file_size(1) == 10000);
	// Opened write-only: Tread gives EBADF (9).
	build_rw(P9_TREAD, 12, 3, 0, 10);
	CU_ASSERT(rpc(r, {wr(IN, 4096)}) == 11);
	CU_ASSERT(bytes_are(r, IN, rlerror(12, 9)));
	CU_ASSERT(r.sink.findings.empty());
}

void t_p9_readdir_count_limits(void)
{
	rig r;
	session(r, 512000, 4, "d", P9_DOTL_RDONLY);
	CU_ASSERT(le32_at(r, IN + 20) == 0); // a directory's iounit is 0, as QEMU answers
	// Dirents are 24 + strlen(name): "." 25, ".." 26, "e0000000".. 32 each. count 100 takes
	// 25 + 26 + 32 = 83; one more would make 115 > 100. Reply 11 + 83 = 94, zero-copy layout.
	build_rw(P9_TREADDIR, 13, 4, 0, 100);
	CU_ASSERT(rpc(r, {wr(IN, 11), wr(IN2, 100)}) == 94);
	CU_ASSERT(bytes_are(r, IN, {94, 0, 0, 0, 41, 13, 0, 83, 0, 0, 0}));
	// ".": qid of "d" (dir 0: 0x80, path 2 << 56), next offset 1, DT_DIR 4.
	CU_ASSERT(bytes_are(r, IN2, {0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0,
				     0, 0, 4, 1, 0, '.'}));
	// "..": the root (path 0), next offset 2.
	CU_ASSERT(bytes_are(r, IN2 + 25, {0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
					  0, 0, 0, 0, 4, 2, 0, '.', '.'}));
	// "e0000000": entry 0 of dir 0 (path 3 << 56), next offset 3, DT_REG 8.
	CU_ASSERT(bytes_are(r, IN2 + 51, {0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0,
					  0, 0, 0, 0, 8, 8, 0, 'e', '0', '0', '0', '0', '0',
					  '0', '0'}));
	CU_ASSERT(r.dma.mem[IN2 + 83] == 0xaa);
	// Resume at cookie 3 with count 64: exactly e0000001 and e0000002; 11 + 64 = 75.
	build_rw(P9_TREADDIR, 14, 4, 3, 64);
	CU_ASSERT(rpc(r, {wr(IN, 11), wr(IN2, 4096)}) == 75);
	CU_ASSERT(le32_at(r, IN + 7) == 64);
	CU_ASSERT(memcmp(r.dma.mem.data() + IN2 + 24, "e0000001", 8) == 0);
	CU_ASSERT(le64_at(r, IN2 + 13) == 4);
	CU_ASSERT(memcmp(r.dma.mem.data() + IN2 + 32 + 24, "e0000002", 8) == 0);
	CU_ASSERT(le64_at(r, IN2 + 32 + 13) == 5);
	// Cookie 5: e0000003 and e0000004, the last two of 7 (2 + 5 entries).
	build_rw(P9_TREADDIR, 15, 4, 5, 8000);
	CU_ASSERT(rpc(r, {wr(IN, 11), wr(IN2, 8000)}) == 75);
	CU_ASSERT(memcmp(r.dma.mem.data() + IN2 + 32 + 24, "e0000004", 8) == 0);
	// Cookie 7: the end, count 0. Count 10 fits no entry: count 0 too.
	build_rw(P9_TREADDIR, 16, 4, 7, 8000);
	CU_ASSERT(rpc(r, {wr(IN, 11), wr(IN2, 8000)}) == 11);
	build_rw(P9_TREADDIR, 16, 4, 0, 10);
	CU_ASSERT(rpc(r, {wr(IN, 11), wr(IN2, 8000)}) == 11);
	CU_ASSERT(le32_at(r, IN + 7) == 0);
	CU_ASSERT(r.srv.statistics().readdir_entries == 3 + 2 + 2);
	CU_ASSERT(r.sink.findings.empty());
}

void t_p9_getattr_clunk(void)
{
	rig r;
	session(r, 512000, 2, "data", P9_DOTL_RDONLY);
	writer w = begin(P9_TGETATTR, 17);
	w.u32(2);
	w.u64(P9_GETATTR_BASIC);
	w.finish();
	// Rgetattr: 7 + 153 = 160. valid at 7, qid at 15, mode at 28, uid 32, gid 36, nlink 40,
	// rdev 48, size 56, blksize 64, blocks 72.
	CU_ASSERT(rpc(r, {wr(IN, 8192)}) == 160);
	CU_ASSERT(le64_at(r, IN + 7) == 0x7ff);
	CU_ASSERT(le32_at(r, IN + 28) == 0100644);
	CU_ASSERT(le64_at(r, IN + 40) == 1);
	CU_ASSERT(le64_at(r, IN + 56) == DATA_SIZE);
	CU_ASSERT(le64_at(r, IN + 64) == 4096);
	CU_ASSERT(le64_at(r, IN + 72) == DATA_SIZE / 512);
	// Rclunk: 7 bytes; again: ENOENT (2).
	CU_ASSERT(clunk(r, 2) == 7);
	CU_ASSERT(bytes_are(r, IN, {7, 0, 0, 0, 121, 4, 0}));
	CU_ASSERT(r.srv.live_fids() == 1);
	CU_ASSERT(clunk(r, 2) == 11);
	CU_ASSERT(bytes_are(r, IN, rlerror(4, 2)));
	// A read on the clunked fid: EINVAL (22).
	build_rw(P9_TREAD, 18, 2, 0, 10);
	CU_ASSERT(rpc(r, {wr(IN, 8192)}) == 11);
	CU_ASSERT(bytes_are(r, IN, rlerror(18, 22)));
	CU_ASSERT(r.sink.findings.empty());
}

void t_p9_size_beyond_segments_bad(void)
{
	rig r;
	session(r, 512000, 2, "data", P9_DOTL_RDONLY);
	// A Tread whose size field says 40 bytes, in a 23-byte buffer.
	build_rw(P9_TREAD, 19, 2, 0, 4096);
	put_le32(msg.data(), 40);
	CU_ASSERT(rpc(r, {wr(IN, 11), wr(IN2, 4096)}) == 11);
	CU_ASSERT(bytes_are(r, IN, rlerror(19, 22)));
	CU_ASSERT(r.dma.mem[IN2] == 0xaa);
	CU_ASSERT(r.sink.count("p9_bad_message") == 1);
	const rs_models::finding *f = r.sink.first("p9_bad_message");
	CU_ASSERT_FATAL(f != nullptr);
	CU_ASSERT(f->detail.find("size field says 40 bytes") != std::string::npos);
	const stats &s = r.srv.statistics();
	CU_ASSERT(s.bad_messages == 1 && s.errors == 1 && s.read_bytes == 0);
	// A zero-copy Twrite whose payload buffers hold less than count: 100 of 6000.
	build_rw(P9_TWRITE, 20, 2, 0, 6000);
	CU_ASSERT(rpc(r, {wr(IN, 4096)}, 0, {rd(OUT2, 100)}) == 11);
	CU_ASSERT(bytes_are(r, IN, rlerror(20, 22)));
	CU_ASSERT(r.sink.count("p9_bad_message") == 2);
	CU_ASSERT(r.srv.statistics().integrity_checked == 0);
}

void t_p9_unknown_type_bad(void)
{
	rig r;
	CU_ASSERT(version(r, 512000) == 21);
	// Type 200 is no 9P message: Rlerror(EOPNOTSUPP 95), "p9_bad_message".
	begin(200, 21).finish();
	CU_ASSERT(rpc(r, {wr(IN, 4096)}) == 11);
	CU_ASSERT(bytes_are(r, IN, rlerror(21, 95)));
	CU_ASSERT(r.sink.count("p9_bad_message") == 1);
	// Tstatfs is real but not modelled: EOPNOTSUPP and "p9_unsupported" instead.
	writer statfs = begin(P9_TSTATFS, 22);
	statfs.u32(1);
	statfs.finish();
	CU_ASSERT(rpc(r, {wr(IN, 4096)}) == 11);
	CU_ASSERT(bytes_are(r, IN, rlerror(22, 95)));
	CU_ASSERT(r.sink.count("p9_unsupported") == 1);
	CU_ASSERT(r.sink.count("p9_bad_message") == 1);
	// A Tclunk cut short: size 9, the fid needs 4 bytes after the header: EINVAL.
	writer cut = begin(P9_TCLUNK, 23);
	cut.u16(1);
	cut.finish();
	CU_ASSERT(rpc(r, {wr(IN, 4096)}) == 11);
	CU_ASSERT(bytes_are(r, IN, rlerror(23, 22)));
	CU_ASSERT(r.sink.count("p9_bad_message") == 2);
	// Fewer than 7 bytes: nothing to take a tag from, Rlerror with NOTAG.
	msg = {5, 0, 0, 0, 120};
	CU_ASSERT(rpc(r, {wr(IN, 4096)}) == 11);
	CU_ASSERT(bytes_are(r, IN, rlerror(P9_NOTAG, 22)));
	CU_ASSERT(r.sink.count("p9_bad_message") == 3);
	CU_ASSERT(r.srv.statistics().unsupported == 1);
	CU_ASSERT(r.srv.statistics().bad_messages == 3);
}

void t_p9_reply_truncated_bad(void)
{
	rig r;
	session(r, 512000, 2, "data", P9_DOTL_RDONLY);
	// Tread count 8192 into 11 + 4096 writable bytes: the 8203-byte reply (0x200b) is cut
	// to 4107; its header still says count 8192 (0x2000).
	build_rw(P9_TREAD, 24, 2, 0, 8192);
	CU_ASSERT(rpc(r, {wr(IN, 11), wr(IN2, 4096)}) == 4107);
	CU_ASSERT(bytes_are(r, IN, {0x0b, 0x20, 0, 0, 117, 24, 0, 0x00, 0x20, 0, 0}));
	CU_ASSERT(content_at(r, IN2, DATA_STREAM, 0, 4096));
	CU_ASSERT(r.sink.count("p9_reply_truncated") == 1);
	const rs_models::finding *f = r.sink.first("p9_reply_truncated");
	CU_ASSERT_FATAL(f != nullptr);
	CU_ASSERT(f->detail.find("8203 bytes does not fit the 4107 writable bytes") !=
		  std::string::npos);
	CU_ASSERT(r.srv.statistics().truncated_replies == 1);
	// No writable buffer at all: nothing written.
	build_rw(P9_TREAD, 25, 2, 0, 10);
	CU_ASSERT(rpc(r, {}) == 0);
	CU_ASSERT(r.sink.count("p9_reply_truncated") == 2);
}

// What the tap sees: each message as the server read or wrote it.
struct recording_tap : public p9_tap_if {
	struct seen {
		bool reply;
		std::vector<uint8_t> bytes;
		uint64_t cycle;
	};
	std::vector<seen> msgs;
	void message(bool reply, const uint8_t *bytes, size_t len, uint64_t cycle) override
	{
		msgs.push_back({reply, std::vector<uint8_t>(bytes, bytes + len), cycle});
	}
};

// The zero-copy Twrite as read: its 23-byte header (size[4] 23) and the 6000 payload bytes
// of the next two buffers, in order; the Rwrite as written. A reply cut to the writable
// buffers is cut in the tap too: 4107 bytes of an Rread whose size[4] says 8203.
void t_p9_tap(void)
{
	rig r;
	recording_tap tap;
	session(r, 512000, 3, "small", P9_DOTL_RDWR);
	r.srv.set_tap(&tap);
	CU_ASSERT(zc_write(r, 0) == 11);
	CU_ASSERT_FATAL(tap.msgs.size() == 2);
	const std::vector<uint8_t> &t = tap.msgs[0].bytes;
	CU_ASSERT(!tap.msgs[0].reply && tap.msgs[1].reply);
	CU_ASSERT_FATAL(t.size() == 23 + 6000);
	CU_ASSERT(memcmp(t.data(), msg.data(), 23) == 0);
	CU_ASSERT(memcmp(t.data() + 23, r.dma.mem.data() + OUT2, 4000) == 0);
	CU_ASSERT(memcmp(t.data() + 4023, r.dma.mem.data() + OUT3, 2000) == 0);
	CU_ASSERT(tap.msgs[1].bytes ==
		  std::vector<uint8_t>({11, 0, 0, 0, 119, 9, 0, 0x70, 0x17, 0, 0}));
	CU_ASSERT(tap.msgs[0].cycle == 0 && tap.msgs[1].cycle == 0); // no sc_start here

	build_rw(P9_TREAD, 24, 3, 0, 8192);
	CU_ASSERT(rpc(r, {wr(IN, 11), wr(IN2, 4096)}) == 4107);
	CU_ASSERT_FATAL(tap.msgs.size() == 4);
	CU_ASSERT(tap.msgs[2].bytes == msg);
	const std::vector<uint8_t> &rr = tap.msgs[3].bytes;
	CU_ASSERT_FATAL(rr.size() == 4107);
	CU_ASSERT(get_le32(rr.data()) == 8203 && rr[4] == P9_RREAD);
	CU_ASSERT(memcmp(rr.data(), r.dma.mem.data() + IN, 11) == 0);
	CU_ASSERT(memcmp(rr.data() + 11, r.dma.mem.data() + IN2, 4096) == 0);
	r.srv.set_tap(nullptr);
	CU_ASSERT(rpc(r, {wr(IN, 11), wr(IN2, 4096)}) == 4107);
	CU_ASSERT(tap.msgs.size() == 4);
}

void t_p9_config_check(void)
{
	config c = make_config(2000, 50);
	CU_ASSERT(check_config(c).empty());
	config z = c;
	z.clock_period = sc_core::SC_ZERO_TIME;
	CU_ASSERT(check_config(z) == "clock_period is zero");
	z = c;
	z.max_msize = 4095;
	CU_ASSERT(!check_config(z).empty());
	z = c;
	z.files.push_back({"d", 1, 1}); // same name as the directory
	CU_ASSERT(check_config(z) == "name used twice: d");
	z = c;
	z.files.push_back({"a/b", 1, 1});
	CU_ASSERT(!check_config(z).empty());
	z = c;
	z.dirs.push_back({"big", MAX_DIR_ENTRIES + 1});
	CU_ASSERT(!check_config(z).empty());
}

// Timing: the server in the device engine's place, an SC_THREAD, with service 2000 cycles,
// 50 cycles per KiB, and 10 cycles per DMA transaction in the fake memory.
struct timing_run {
	rig r{2000, 50};
	std::vector<sc_time> after; // sc_time_stamp() after each request
	sc_time tread_first_write;
	bool done = false;
};

timing_run *g_timing;

SC_MODULE(engine_stub)
{
	SC_CTOR(engine_stub)
	{
		SC_THREAD(run);
	}

	void run()
	{
		rig &r = g_timing->r;
		r.dma.wait_cycles = 10;
		std::vector<sc_time> &t = g_timing->after;
		version(r, 8192);
		t.push_back(sc_core::sc_time_stamp());
		attach(r);
		t.push_back(sc_core::sc_time_stamp());
		walk(r, 1, 2, {"data"});
		t.push_back(sc_core::sc_time_stamp());
		lopen(r, 2, P9_DOTL_RDONLY);
		t.push_back(sc_core::sc_time_stamp());
		build_rw(P9_TREAD, 5, 2, 12345, 8292);
		r.dma.reset_counts();
		rpc(r, {wr(IN, 11), wr(IN2, 4096), wr(IN3, 4096), wr(IN4, 100)});
		t.push_back(sc_core::sc_time_stamp());
		g_timing->tread_first_write = r.dma.first_write_at;
		g_timing->done = true;
	}
};

void t_p9_service_time(void)
{
	sc_core::sc_start();
	rs_models::back_on_thread_stack();
	CU_ASSERT_FATAL(g_timing->done);
	const std::vector<sc_time> &t = g_timing->after;
	CU_ASSERT_FATAL(t.size() == 5);
	// Each request: 10 (DMA read) + 2000 + ceil((request + reply) * 50 / 1024) + 10 per
	// writable buffer written.
	// Tversion 21 + Rversion 21 = 42: ceil(2100 / 1024) = 3; 10 + 2003 + 10 = 2023.
	CU_ASSERT(t[0] == sc_time(2023, SC_NS));
	// Tattach 24 + Rattach 20 = 44: ceil(2200 / 1024) = 3; 2023 more: 4046.
	CU_ASSERT(t[1] == sc_time(4046, SC_NS));
	// Twalk 23 + Rwalk 22 = 45: ceil(2250 / 1024) = 3; 2023 more: 6069.
	CU_ASSERT(t[2] == sc_time(6069, SC_NS));
	// Tlopen 15 + Rlopen 24 = 39: ceil(1950 / 1024) = 2; 2022 more: 8091.
	CU_ASSERT(t[3] == sc_time(8091, SC_NS));
	// Tread 23 + Rread 8303 = 8326: ceil(416300 / 1024) = ceil(406.5) = 407; the request
	// read ends at 8101, the service time at 8101 + 2407 = 10508 when the first reply write
	// starts; four writes of 10: 10548.
	CU_ASSERT(g_timing->tread_first_write == sc_time(10508, SC_NS));
	CU_ASSERT(t[4] == sc_time(10548, SC_NS));
	// busy = 2003 + 2003 + 2003 + 2002 + 2407.
	CU_ASSERT(g_timing->r.srv.statistics().busy_cycles == 10418);
	CU_ASSERT(content_at(g_timing->r, IN4, DATA_STREAM, 12345 + 8192, 100));
}

// The spread: none by default (the formula's time exactly); with 0.5, draws of 2000 cycles
// lie in [1000, 3000], average about 2000 (uniform: the mean of 4000 draws is within 2000 x
// 0.5 / sqrt(3 x 4000) ~ 9 of it, 6 sigma is 55), vary, and repeat for the same seed.
void t_p9_service_spread(void)
{
	rs_test::test_sink sink;
	config c = make_config(2000, 50);
	p9_server none("none", c, sink);
	for (int i = 0; i < 10; i++)
		CU_ASSERT_EQUAL(none.draw_service(2000), 2000);
	c.service_spread = 0.5;
	c.seed = 42;
	p9_server a("a", c, sink), b("b", c, sink);
	c.seed = 43;
	p9_server other("other", c, sink);
	uint64_t lo = UINT64_MAX, hi = 0, sum = 0;
	bool same = true, differs = false;
	for (int i = 0; i < 4000; i++) {
		uint64_t x = a.draw_service(2000);
		same = same && b.draw_service(2000) == x;
		differs = differs || other.draw_service(2000) != x;
		lo = std::min(lo, x);
		hi = std::max(hi, x);
		sum += x;
	}
	CU_ASSERT(same);
	CU_ASSERT(differs);
	CU_ASSERT(lo >= 1000 && hi <= 3000);
	CU_ASSERT(lo < 1100 && hi > 2900); // the draws fill the range
	CU_ASSERT(sum / 4000 > 2000 - 55 && sum / 4000 < 2000 + 55);
	CU_ASSERT_EQUAL(a.draw_service(0), 0);
	c.service_spread = 1.0;
	CU_ASSERT(check_config(c).find("service_spread") != std::string::npos);
	c.service_spread = -0.1;
	CU_ASSERT(check_config(c).find("service_spread") != std::string::npos);
}

} // namespace

int main()
{
	// Elaborate once before any test: SystemC allows no new modules after sc_start.
	timing_run timing;
	g_timing = &timing;
	engine_stub stub("engine_stub");

	static const rs_test::test_entry tests[] = {
		{"t_p9_version_msize", t_p9_version_msize},
		{"t_p9_attach_walk_lopen_iounit", t_p9_attach_walk_lopen_iounit},
		{"t_p9_walk_partial_and_missing", t_p9_walk_partial_and_missing},
		{"t_p9_read_zc_layout", t_p9_read_zc_layout},
		{"t_p9_read_inline", t_p9_read_inline},
		{"t_p9_read_eof", t_p9_read_eof},
		{"t_p9_write_zc", t_p9_write_zc},
		{"t_p9_strict_framing_bad", t_p9_strict_framing_bad},
		{"t_p9_write_zc_mismatch_bad", t_p9_write_zc_mismatch_bad},
		{"t_p9_write_inline", t_p9_write_inline},
		{"t_p9_readdir_count_limits", t_p9_readdir_count_limits},
		{"t_p9_getattr_clunk", t_p9_getattr_clunk},
		{"t_p9_size_beyond_segments_bad", t_p9_size_beyond_segments_bad},
		{"t_p9_unknown_type_bad", t_p9_unknown_type_bad},
		{"t_p9_reply_truncated_bad", t_p9_reply_truncated_bad},
		{"t_p9_tap", t_p9_tap},
		{"t_p9_config_check", t_p9_config_check},
		{"t_p9_service_time", t_p9_service_time},
		{"t_p9_service_spread", t_p9_service_spread},
		{nullptr, nullptr},
	};
	return rs_test::run_suite("p9_server", tests);
}
