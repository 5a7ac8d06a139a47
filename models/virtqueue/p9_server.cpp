// SPDX-License-Identifier: GPL-2.0-only
// Error numbers follow QEMU hw/9pfs/9p.c: an unknown fid is EINVAL in read/write/readdir and
// ENOENT in walk/lopen/getattr/clunk; an illegal walk name is ENOENT; Tversion below
// P9_MIN_MSIZE is EMSGSIZE; an operation QEMU has no handler for is EOPNOTSUPP
// (v9fs_op_not_supp). A request that cannot be parsed (QEMU: "Failed to decode VirtFS
// request", a device error) gets Rlerror(EINVAL) here, so the client sees an answer and the
// run goes on with a finding.
#include "virtqueue/p9_server.h"

#include <algorithm>
#include <cstring>

#include "common/content.h"
#include "common/text.h"

namespace p9srv {

using rs_models::num;

namespace {

// A handler's verdict: the body ended before its fields did.
constexpr uint32_t MALFORMED = 0xffffffffu;

// Valid 9P2000.L (and legacy 9P2000) requests this model does not serve: they get
// EOPNOTSUPP and a "p9_unsupported" finding rather than "p9_bad_message".
bool known_unserved(uint8_t type)
{
	switch (type) {
	case P9_TSTATFS: case P9_TLCREATE: case P9_TSYMLINK: case P9_TMKNOD: case P9_TRENAME:
	case P9_TREADLINK: case P9_TSETATTR: case P9_TXATTRWALK: case P9_TXATTRCREATE:
	case P9_TFSYNC: case P9_TLOCK: case P9_TGETLOCK: case P9_TLINK: case P9_TMKDIR:
	case P9_TRENAMEAT: case P9_TUNLINKAT: case P9_TAUTH: case P9_TREMOVE:
	case 112: case 114: case 124: case 126: // Topen, Tcreate, Tstat, Twstat (9P2000)
		return true;
	default:
		return false;
	}
}

// How many bytes the request in @b needs in all, once its header is in (@limit: msize):
// size[4], except the 3.x zero-copy Twrite whose size covers only the 23-byte header and
// whose count bytes of payload follow. Return b.size() to stop reading (malformed; judged
// after the gather) and @limit while the header is still incomplete.
uint64_t wanted(const std::vector<uint8_t> &b, uint64_t limit)
{
	if (b.size() < P9_HDRSZ)
		return limit;
	uint64_t size = get_le32(b.data());
	if (size < P9_HDRSZ || size > limit)
		return b.size();
	if (b[4] == P9_TWRITE && size == P9_RWHDRSZ) {
		if (b.size() < P9_RWHDRSZ)
			return P9_RWHDRSZ;
		uint64_t all = P9_RWHDRSZ + static_cast<uint64_t>(get_le32(b.data() + 19));
		return all > limit ? b.size() : all;
	}
	return size;
}

} // namespace

struct p9_server::reply {
	std::vector<uint8_t> head;
	// The content tail after head: bytes [offset, offset + data_len) of stream.
	uint64_t stream = 0;
	uint64_t offset = 0;
	uint64_t data_len = 0;

	uint64_t size() const { return head.size() + data_len; }

	// Bytes [@pos, @pos + @len) of the reply into @buf.
	void copy(uint64_t pos, uint8_t *buf, uint64_t len) const
	{
		uint64_t h = head.size();
		if (pos < h) {
			uint64_t n = std::min(len, h - pos);
			memcpy(buf, head.data() + pos, n);
			pos += n;
			buf += n;
			len -= n;
		}
		if (len)
			rs_models::content_fill(stream, offset + (pos - h), buf, len);
	}
};

std::string check_config(const config &cfg)
{
	if (cfg.clock_period == sc_core::SC_ZERO_TIME)
		return "clock_period is zero";
	if (cfg.max_msize < P9_MIN_MSIZE)
		return "max_msize " + num(cfg.max_msize) + " is below the 9P minimum of 4096";
	if (cfg.f_bsize == 0)
		return "f_bsize is zero";
	if (!(cfg.service_spread >= 0 && cfg.service_spread < 1))
		return "service_spread " + std::to_string(cfg.service_spread) +
		       " is not in [0, 1)";
	std::string why = fs_tree::check_tree(cfg.files, cfg.dirs);
	return why;
}

p9_server::p9_server(const std::string &name, const config &cfg,
		     rs_models::finding_sink_if &sink)
	: m_name(name), m_cfg(cfg), m_sink(sink), m_tree(cfg.files, cfg.dirs),
	  m_msize(cfg.max_msize), m_rng(cfg.seed)
{
}

uint32_t p9_server::iounit(uint32_t msize, uint32_t f_bsize)
{
	uint32_t room = msize - P9_IOHDRSZ;
	uint32_t iou = f_bsize * (room / f_bsize);
	return iou ? iou : room;
}

uint64_t p9_server::service_cycles(uint64_t bytes) const
{
	return m_cfg.service_cycles + (bytes * m_cfg.cycles_per_kib + 1023) / 1024;
}

// splitmix64 (Steele, Lea, Flood 2014): small, fast, and enough for a uniform draw.
uint64_t p9_server::draw_service(uint64_t cycles)
{
	if (m_cfg.service_spread <= 0 || !cycles)
		return cycles;
	m_rng += 0x9e3779b97f4a7c15ull;
	uint64_t z = m_rng;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	double u = static_cast<double>(z >> 11) * (1.0 / 9007199254740992.0); // [0, 1)
	double f = 1.0 - m_cfg.service_spread + 2.0 * m_cfg.service_spread * u;
	return static_cast<uint64_t>(static_cast<double>(cycles) * f + 0.5);
}

uint64_t p9_server::now_cycle() const
{
	if (m_cfg.clock_period == sc_core::SC_ZERO_TIME)
		return 0;
	return sc_core::sc_time_stamp().value() / m_cfg.clock_period.value();
}

void p9_server::finding(const std::string &kind, const context &c, const std::string &detail)
{
	rs_models::finding f;
	f.kind = kind;
	f.where = "p9_server " + m_name + " head " + num(c.head) + " tag " + num(c.tag);
	f.detail = detail;
	f.cycle = now_cycle();
	m_sink.report(f);
}

p9_server::fid_state *p9_server::get_fid(uint32_t fid)
{
	auto it = m_fids.find(fid);
	return it == m_fids.end() ? nullptr : &it->second;
}

uint32_t p9_server::serve(uint16_t head, const std::vector<vq::segment> &chain,
			  vq::dma_if &dma)
{
	std::vector<const vq::segment *> out, in;
	uint64_t in_space = 0, out_space = 0;

	for (const vq::segment &s : chain) {
		if (s.device_writable) {
			in.push_back(&s);
			in_space += s.len;
		} else {
			out.push_back(&s);
			out_space += s.len;
		}
	}
	m_stats.requests++;

	bool dma_ok = true;
	std::vector<uint8_t> req = gather(out, dma, &dma_ok);
	m_stats.request_bytes += req.size();
	if (m_tap && !req.empty())
		m_tap->message(false, req.data(), req.size(), now_cycle());

	context c{head, P9_NOTAG, 0};
	if (req.size() >= P9_HDRSZ) {
		c.type = req[4];
		c.tag = get_le16(req.data() + 5);
		m_stats.messages[c.type]++;
	}
	reply r;
	uint32_t err;
	if (dma_ok && m_cfg.strict_framing && req.size() >= 4 &&
	    get_le32(req.data()) != out_space) {
		m_stats.bad_messages++;
		err = P9_EINVAL;
		finding("p9_size_mismatch", c, "message type " + num(c.type) + ": size[4] says " +
			num(get_le32(req.data())) + " bytes but the driver-readable buffers hold " +
			num(out_space) + "; a server that frames by size[4] answers Rlerror(" +
			num(err) + ")");
	} else if (dma_ok) {
		err = dispatch(req, r, c);
	} else {
		m_stats.dma_errors++;
		err = P9_EIO; // guest memory reports the bad address itself
	}
	if (err) {
		m_stats.errors++;
		r = reply();
		writer w(r.head);
		w.begin(P9_RLERROR, c.tag);
		w.u32(err);
		w.finish();
	}

	uint64_t reply_len = r.size();
	uint64_t out_len = std::min<uint64_t>({reply_len, in_space, UINT32_MAX});
	uint64_t cycles = draw_service(service_cycles(req.size() + out_len));
	if (cycles) {
		m_stats.busy_cycles += cycles;
		sc_core::wait(m_cfg.clock_period * static_cast<double>(cycles));
	}
	if (m_tap) {
		std::vector<uint8_t> sent;
		sent.reserve(out_len);
		scatter(r, out_len, in, dma, &sent);
		if (!sent.empty())
			m_tap->message(true, sent.data(), sent.size(), now_cycle());
	} else {
		scatter(r, out_len, in, dma, nullptr);
	}
	if (reply_len > out_len) {
		std::string type = num(r.head[4]);
		m_stats.truncated_replies++;
		finding("p9_reply_truncated", c, "reply type " + type + " of " + num(reply_len) +
			" bytes does not fit the " + num(in_space) + " writable bytes of the " +
			"chain; only " + num(out_len) + " written (QEMU fails the device: " +
			"\"VirtFS reply type " + type + " needs " + num(reply_len) + " bytes\")");
	}
	m_stats.reply_bytes += out_len;
	return static_cast<uint32_t>(out_len);
}

std::vector<uint8_t> p9_server::gather(const std::vector<const vq::segment *> &out,
				       vq::dma_if &dma, bool *dma_ok)
{
	// The first buffer whole (up to msize), then only what the header asks for.
	const uint64_t limit = m_msize;
	std::vector<uint8_t> req;
	uint64_t want = limit;

	for (const vq::segment *s : out) {
		if (req.size() >= want)
			break;
		uint64_t take = std::min<uint64_t>(s->len, want - req.size());
		if (!take)
			continue;
		size_t at = req.size();
		req.resize(at + take);
		if (!dma.dma_read(s->addr, req.data() + at, take)) {
			req.resize(at);
			*dma_ok = false;
			break;
		}
		want = wanted(req, limit);
	}
	return req;
}

uint32_t p9_server::dispatch(const std::vector<uint8_t> &req, reply &r, const context &c)
{
	const uint64_t limit = m_msize;
	uint64_t size = req.size() >= 4 ? get_le32(req.data()) : 0;
	uint32_t err = 0;
	std::string bad;

	if (req.size() < P9_HDRSZ) {
		bad = "request of " + num(req.size()) + " bytes is shorter than the 7-byte header";
	} else if (size < P9_HDRSZ) {
		bad = "size field " + num(size) + " is smaller than the 7-byte header";
	} else if (size > limit) {
		bad = "size field " + num(size) + " exceeds msize " + num(limit);
	} else if (req.size() < size) {
		bad = "size field says " + num(size) + " bytes but the driver-readable buffers " +
		      "hold " + num(req.size());
	} else {
		reader body(req.data() + P9_HDRSZ, size - P9_HDRSZ);
		switch (c.type) {
		case P9_TVERSION: err = do_version(body, r, c); break;
		case P9_TATTACH: err = do_attach(body, r, c); break;
		case P9_TWALK: err = do_walk(body, r, c); break;
		case P9_TLOPEN: err = do_lopen(body, r, c); break;
		case P9_TGETATTR: err = do_getattr(body, r, c); break;
		case P9_TREAD: err = do_read(body, r, c); break;
		case P9_TWRITE: err = write_layout(req, size, body, r, c, &bad); break;
		case P9_TREADDIR: err = do_readdir(body, r, c); break;
		case P9_TCLUNK: err = do_clunk(body, r, c); break;
		case P9_TFLUSH: err = do_flush(body, r, c); break;
		default:
			err = P9_EOPNOTSUPP;
			if (known_unserved(c.type)) {
				m_stats.unsupported++;
				finding("p9_unsupported", c, "9P request type " + num(c.type) +
					" is not modelled; answered Rlerror(EOPNOTSUPP)");
			} else {
				bad = "unknown 9P message type " + num(c.type);
			}
			break;
		}
		if (err == MALFORMED)
			bad = "message type " + num(c.type) + " of " + num(size) +
			      " bytes ends before its fields do";
	}
	if (!bad.empty()) {
		m_stats.bad_messages++;
		if (err == 0 || err == MALFORMED)
			err = P9_EINVAL;
		finding("p9_bad_message", c, bad + "; answered Rlerror(" + num(err) + ")");
	}
	return err;
}

uint32_t p9_server::write_layout(const std::vector<uint8_t> &req, uint64_t size, reader &body,
				 reply &r, const context &c, std::string *bad)
{
	if (size < P9_RWHDRSZ)
		return MALFORMED;
	const uint8_t *payload = req.data() + P9_RWHDRSZ;
	uint32_t count = get_le32(req.data() + 19);
	uint64_t all = P9_RWHDRSZ + static_cast<uint64_t>(count);

	if (size == P9_RWHDRSZ && count > 0) {
		// 3.x zero copy: the payload follows the header in the next buffers.
		uint64_t have = req.size() - P9_RWHDRSZ;
		if (all > m_msize) {
			*bad = "zero-copy Twrite count " + num(count) + " exceeds msize " +
			       num(m_msize);
			return 0;
		}
		if (have < count) {
			*bad = "zero-copy Twrite count " + num(count) + " but the driver-" +
			       "readable buffers hold " + num(have) + " bytes after the header";
			return 0;
		}
		m_stats.zc_writes++;
		return do_write(body, r, c, payload, count);
	}
	if (size == all) {
		m_stats.inline_writes++;
		return do_write(body, r, c, payload, count);
	}
	*bad = "Twrite size " + num(size) + " is neither the 23-byte header nor header plus " +
	       "count " + num(count);
	return 0;
}

void p9_server::scatter(const reply &r, uint64_t len,
			const std::vector<const vq::segment *> &in, vq::dma_if &dma,
			std::vector<uint8_t> *copy)
{
	uint64_t done = 0;
	std::vector<uint8_t> buf;

	for (const vq::segment *s : in) {
		if (done >= len)
			break;
		uint64_t take = std::min<uint64_t>(s->len, len - done);
		if (!take)
			continue;
		buf.resize(take);
		r.copy(done, buf.data(), take);
		if (!dma.dma_write(s->addr, buf.data(), take))
			m_stats.dma_errors++;
		if (copy)
			copy->insert(copy->end(), buf.begin(), buf.end());
		done += take;
	}
}

uint32_t p9_server::do_version(reader &in, reply &r, const context &c)
{
	uint32_t client = in.u32();
	std::string version = in.str();
	if (!in.ok())
		return MALFORMED;
	m_fids.clear(); // a new session clunks every fid (QEMU virtfs_reset)
	uint32_t msize = std::min(client, m_cfg.max_msize);
	writer w(r.head);
	if (version != "9P2000.L") {
		// Report the version as unknown and keep the old msize: no session (9P version(5)).
		w.begin(P9_RVERSION, c.tag);
		w.u32(msize);
		w.str("unknown");
		w.finish();
		return 0;
	}
	if (msize < P9_MIN_MSIZE)
		return P9_EMSGSIZE;
	m_msize = msize;
	w.begin(P9_RVERSION, c.tag);
	w.u32(msize);
	w.str(version);
	w.finish();
	return 0;
}

uint32_t p9_server::do_attach(reader &in, reply &r, const context &c)
{
	uint32_t fid = in.u32();
	in.u32(); // afid: no authentication, like QEMU
	in.str(); // uname
	in.str(); // aname: one export
	in.u32(); // n_uname
	if (!in.ok())
		return MALFORMED;
	if (get_fid(fid))
		return P9_EINVAL;
	m_fids[fid] = fid_state{fs_tree::root(), false, 0};
	writer w(r.head);
	w.begin(P9_RATTACH, c.tag);
	w.q(m_tree.qid_of(fs_tree::root()));
	w.finish();
	return 0;
}

uint32_t p9_server::do_walk(reader &in, reply &r, const context &c)
{
	uint32_t fid = in.u32();
	uint32_t newfid = in.u32();
	uint16_t nwname = in.u16();
	if (!in.ok())
		return MALFORMED;
	if (nwname > P9_MAXWELEM)
		return P9_EINVAL;
	std::vector<std::string> names(nwname);
	for (std::string &n : names)
		n = in.str();
	if (!in.ok())
		return MALFORMED;
	for (const std::string &n : names)
		if (n.empty() || n.find('/') != std::string::npos)
			return P9_ENOENT;
	fid_state *f = get_fid(fid);
	if (!f)
		return P9_ENOENT;

	node cur = f->n;
	std::vector<qid> qids;
	uint32_t err = 0;
	for (const std::string &n : names) {
		node next;
		if ((err = m_tree.lookup(cur, n, &next)) != 0)
			break;
		qids.push_back(m_tree.qid_of(next));
		cur = next;
	}
	if (err && qids.empty())
		return err;
	if (!err) {
		// The whole path walked: only now does newfid change (9P walk(5)).
		if (fid == newfid) {
			if (f->open)
				return P9_EINVAL;
			f->n = cur;
		} else {
			if (get_fid(newfid))
				return P9_EINVAL;
			m_fids[newfid] = fid_state{cur, false, 0};
		}
	}
	writer w(r.head);
	w.begin(P9_RWALK, c.tag);
	w.u16(static_cast<uint16_t>(qids.size()));
	for (const qid &q : qids)
		w.q(q);
	w.finish();
	return 0;
}

uint32_t p9_server::do_lopen(reader &in, reply &r, const context &c)
{
	uint32_t fid = in.u32();
	uint32_t flags = in.u32();
	if (!in.ok())
		return MALFORMED;
	fid_state *f = get_fid(fid);
	if (!f)
		return P9_ENOENT;
	if (f->open)
		return P9_EINVAL;
	uint32_t iou = 0; // QEMU answers 0 for a directory
	if (!fs_tree::is_dir(f->n)) {
		bool wr = (flags & P9_DOTL_ACCMODE) != P9_DOTL_RDONLY;
		if (wr && !m_tree.writable(f->n))
			return P9_EACCES;
		if (wr && (flags & P9_DOTL_TRUNC))
			m_tree.truncate(f->n);
		iou = iounit(m_msize, m_cfg.f_bsize);
	}
	f->open = true;
	f->flags = flags;
	writer w(r.head);
	w.begin(P9_RLOPEN, c.tag);
	w.q(m_tree.qid_of(f->n));
	w.u32(iou);
	w.finish();
	return 0;
}

uint32_t p9_server::do_getattr(reader &in, reply &r, const context &c)
{
	uint32_t fid = in.u32();
	in.u64(); // request_mask: BASIC is all there is, like QEMU
	if (!in.ok())
		return MALFORMED;
	fid_state *f = get_fid(fid);
	if (!f)
		return P9_ENOENT;
	uint64_t size = m_tree.size(f->n);
	writer w(r.head);
	w.begin(P9_RGETATTR, c.tag);
	w.u64(P9_GETATTR_BASIC);
	w.q(m_tree.qid_of(f->n));
	w.u32(m_tree.mode(f->n));
	w.u32(0); // uid
	w.u32(0); // gid
	w.u64(fs_tree::is_dir(f->n) ? 2 : 1); // nlink
	w.u64(0);                             // rdev
	w.u64(size);
	w.u64(m_cfg.f_bsize);      // blksize
	w.u64((size + 511) / 512); // blocks of 512 bytes
	for (int i = 0; i < 10; i++)
		w.u64(0); // atime, mtime, ctime, btime (sec, nsec), gen, data_version
	w.finish();
	return 0;
}

uint32_t p9_server::do_read(reader &in, reply &r, const context &c)
{
	uint32_t fid = in.u32();
	uint64_t off = in.u64();
	uint32_t count = in.u32();
	if (!in.ok())
		return MALFORMED;
	fid_state *f = get_fid(fid);
	if (!f || !f->open)
		return P9_EINVAL;
	if (fs_tree::is_dir(f->n))
		return P9_EOPNOTSUPP; // 9P2000.L reads directories with Treaddir only
	if ((f->flags & P9_DOTL_ACCMODE) == P9_DOTL_WRONLY)
		return P9_EBADF;
	uint64_t size = m_tree.size(f->n);
	// QEMU reads count bytes or up to the end of the file; it does not clamp to iounit.
	uint32_t n = off >= size ? 0 : static_cast<uint32_t>(std::min<uint64_t>(count, size - off));
	writer w(r.head);
	w.begin(P9_RREAD, c.tag);
	w.u32(n);
	w.finish(n);
	r.stream = m_tree.stream(f->n);
	r.offset = off;
	r.data_len = n;
	m_stats.read_bytes += n;
	return 0;
}

uint32_t p9_server::do_write(reader &in, reply &r, const context &c, const uint8_t *payload,
			     uint32_t count)
{
	uint32_t fid = in.u32();
	uint64_t off = in.u64();
	in.u32(); // count: the caller has it
	if (!in.ok())
		return MALFORMED;
	fid_state *f = get_fid(fid);
	if (!f || !f->open || !m_tree.writable(f->n))
		return P9_EINVAL;
	if ((f->flags & P9_DOTL_ACCMODE) == P9_DOTL_RDONLY)
		return P9_EBADF;
	if (off > UINT64_MAX - count)
		return P9_EINVAL;

	uint64_t stream = m_tree.stream(f->n);
	uint64_t bad = rs_models::content_mismatches(stream, off, payload, count);
	m_stats.integrity_checked += count;
	m_stats.integrity_mismatches += bad;
	if (bad && m_mismatch_reports < MISMATCH_REPORT_CAP) {
		m_mismatch_reports++;
		uint32_t first = 0;
		while (payload[first] == rs_models::content_byte(stream, off + first))
			first++;
		finding("p9_write_mismatch", c, "Twrite of " + num(count) + " bytes at offset " +
			num(off) + ": " + num(bad) + " bytes differ from the content model, the " +
			"first at file offset " + num(off + first));
	}
	m_tree.extend(f->n, off + count);
	m_stats.write_bytes += count;
	writer w(r.head);
	w.begin(P9_RWRITE, c.tag);
	w.u32(count);
	w.finish();
	return 0;
}

uint32_t p9_server::do_readdir(reader &in, reply &r, const context &c)
{
	uint32_t fid = in.u32();
	uint64_t off = in.u64();
	uint32_t count = in.u32();
	if (!in.ok())
		return MALFORMED;
	fid_state *f = get_fid(fid);
	if (!f || !f->open || !fs_tree::is_dir(f->n))
		return P9_EINVAL;
	// QEMU clamps count to what an Rreaddir of msize can carry.
	uint32_t max = std::min(count, m_msize - P9_RRHDRSZ);
	writer w(r.head);
	w.begin(P9_RREADDIR, c.tag);
	w.u32(0); // count, patched below
	uint64_t nr = m_tree.nr_dirents(f->n);
	uint32_t used = 0;
	for (uint64_t i = off; i < nr; i++) {
		dirent_rec d = m_tree.dirent(f->n, i);
		if (used + d.wire_size() > max)
			break;
		w.q(d.q);
		w.u64(d.next_offset);
		w.u8(d.type);
		w.str(d.name);
		used += d.wire_size();
		m_stats.readdir_entries++;
	}
	put_le32(r.head.data() + P9_HDRSZ, used);
	w.finish();
	return 0;
}

uint32_t p9_server::do_clunk(reader &in, reply &r, const context &c)
{
	uint32_t fid = in.u32();
	if (!in.ok())
		return MALFORMED;
	if (!m_fids.erase(fid))
		return P9_ENOENT;
	writer w(r.head);
	w.begin(P9_RCLUNK, c.tag);
	w.finish();
	return 0;
}

uint32_t p9_server::do_flush(reader &in, reply &r, const context &c)
{
	in.u16(); // oldtag: every request is answered before the next is taken, nothing to cancel
	if (!in.ok())
		return MALFORMED;
	writer w(r.head);
	w.begin(P9_RFLUSH, c.tag);
	w.finish();
	return 0;
}

} // namespace p9srv
