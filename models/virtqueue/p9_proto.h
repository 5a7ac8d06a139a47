// SPDX-License-Identifier: GPL-2.0-only
// The 9P2000.L wire format as the Linux client of the seed's era (3.1) and QEMU's virtio-9p
// speak it: message types, fixed sizes, and little-endian readers and writers. Shared by the
// server model and its tests; the DUT keeps its own copy in dut/guest/net/9p/9p.h (models
// never include DUT headers).
//
// Sources: Linux include/net/9p/9p.h (enum p9_msg_t, P9_*HDRSZ, P9_ZC_HDR_SZ, P9_NOTAG,
// P9_NOFID, P9_MAXWELEM, p9_qid_t, P9_GETATTR_BASIC), net/9p/protocol.c (the format strings
// quoted beside each message), QEMU hw/9pfs/9p.c and 9p.h (P9_MIN_MSIZE, get_iounit),
// /work/shared/reference/kernel-facts.md A.1, A.4, A.5.
#ifndef RS_VIRTQUEUE_P9_PROTO_H
#define RS_VIRTQUEUE_P9_PROTO_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace p9srv {

// Message types, include/net/9p/9p.h enum p9_msg_t. A reply is its request's type + 1.
enum msg_type : uint8_t {
	P9_TLERROR = 6, // never sent; Rlerror answers any failed request
	P9_RLERROR = 7,
	P9_TSTATFS = 8,
	P9_TLOPEN = 12,
	P9_RLOPEN = 13,
	P9_TLCREATE = 14,
	P9_TSYMLINK = 16,
	P9_TMKNOD = 18,
	P9_TRENAME = 20,
	P9_TREADLINK = 22,
	P9_TGETATTR = 24,
	P9_RGETATTR = 25,
	P9_TSETATTR = 26,
	P9_TXATTRWALK = 30,
	P9_TXATTRCREATE = 32,
	P9_TREADDIR = 40,
	P9_RREADDIR = 41,
	P9_TFSYNC = 50,
	P9_TLOCK = 52,
	P9_TGETLOCK = 54,
	P9_TLINK = 70,
	P9_TMKDIR = 72,
	P9_TRENAMEAT = 74,
	P9_TUNLINKAT = 76,
	P9_TVERSION = 100,
	P9_RVERSION = 101,
	P9_TAUTH = 102,
	P9_TATTACH = 104,
	P9_RATTACH = 105,
	P9_TFLUSH = 108,
	P9_RFLUSH = 109,
	P9_TWALK = 110,
	P9_RWALK = 111,
	P9_TREAD = 116,
	P9_RREAD = 117,
	P9_TWRITE = 118,
	P9_RWRITE = 119,
	P9_TCLUNK = 120,
	P9_RCLUNK = 121,
	P9_TREMOVE = 122,
};

// size[4] type[1] tag[2] (9p.h P9_HDRSZ).
constexpr uint32_t P9_HDRSZ = 7;
// Room the client reserves for the Twrite/Rread header when it sizes a payload: rsize =
// msize - P9_IOHDRSZ (9p.h; the real header is 23 bytes, see P9_RWHDRSZ).
constexpr uint32_t P9_IOHDRSZ = 24;
// The same for readdir (9p.h).
constexpr uint32_t P9_READDIRHDRSZ = 24;
// Capacity of the tc/rc buffers of a zero-copy request and the in-header length of a
// zero-copy TWRITE (9p.h, added by abfa034e; kernel-facts A.1).
constexpr uint32_t P9_ZC_HDR_SZ = 4096;
// Tread/Twrite/Treaddir header: size[4] type[1] tag[2] fid[4] offset[8] count[4]
// (protocol.c "dqd" after the 7-byte header; kernel-facts A.1).
constexpr uint32_t P9_RWHDRSZ = P9_HDRSZ + 4 + 8 + 4;
// Rread/Rreaddir header: size[4] type[1] tag[2] count[4]; the in_hdr_len of a zero-copy
// TREAD/TREADDIR (kernel-facts A.1).
constexpr uint32_t P9_RRHDRSZ = P9_HDRSZ + 4;
// Rlerror: size[4] type[1] tag[2] ecode[4] (kernel-facts A.5: fits the 11-byte in-header).
constexpr uint32_t P9_RLERRORSZ = P9_HDRSZ + 4;
static_assert(P9_RWHDRSZ == 23, "Tread/Twrite header is 23 bytes (kernel-facts A.1)");
static_assert(P9_RRHDRSZ == 11, "Rread/Rreaddir header is 11 bytes (kernel-facts A.1)");
static_assert(P9_RLERRORSZ == P9_RRHDRSZ, "Rlerror fits the zero-copy in-header");

// Smallest msize the server accepts in Tversion (QEMU 9p.h P9_MIN_MSIZE, since 5.0; the
// Linux client refuses below 4096 too, kernel-facts A.1).
constexpr uint32_t P9_MIN_MSIZE = 4096;

constexpr uint16_t P9_NOTAG = 0xffff;     // 9p.h: (u16)(~0), the tag of Tversion
constexpr uint32_t P9_NOFID = 0xffffffff; // 9p.h: (u32)(~0), afid of an attach without auth
constexpr unsigned P9_MAXWELEM = 16;      // 9p.h: most names in one Twalk

// qid: type[1] version[4] path[8] (9p.h struct p9_qid).
constexpr uint32_t P9_QIDSZ = 13;
constexpr uint8_t P9_QTDIR = 0x80;
constexpr uint8_t P9_QTFILE = 0x00;

struct qid {
	uint8_t type = P9_QTFILE;
	uint32_t version = 0;
	uint64_t path = 0;
};

// One Rreaddir entry: qid[13] offset[8] type[1] name[s] (protocol.c "Qqbs"); QEMU's
// v9fs_readdir_response_size() is the same 24 + strlen(name).
constexpr uint32_t P9_DIRENT_FIXED = P9_QIDSZ + 8 + 1 + 2;
static_assert(P9_DIRENT_FIXED == 24, "dirent without its name is 24 bytes");

// Linux d_type values carried in a dirent (include/linux/fs.h DT_*).
constexpr uint8_t P9_DT_DIR = 4;
constexpr uint8_t P9_DT_REG = 8;

// Tlopen flags are Linux open(2) flags (9p.h P9_DOTL_*: the same values on x86 and arm64).
constexpr uint32_t P9_DOTL_ACCMODE = 03;
constexpr uint32_t P9_DOTL_RDONLY = 00;
constexpr uint32_t P9_DOTL_WRONLY = 01;
constexpr uint32_t P9_DOTL_RDWR = 02;
constexpr uint32_t P9_DOTL_TRUNC = 01000;

// Rgetattr: valid[8] qid[13] mode[4] uid[4] gid[4] nlink[8] rdev[8] size[8] blksize[8]
// blocks[8] atime/mtime/ctime/btime sec+nsec[8 each] gen[8] data_version[8].
constexpr uint64_t P9_GETATTR_BASIC = 0x000007ffull; // 9p.h: mode .. blocks
constexpr uint32_t P9_RGETATTR_BODY = 8 + P9_QIDSZ + 3 * 4 + 15 * 8;
static_assert(P9_RGETATTR_BODY == 153, "Rgetattr body is 153 bytes");

// Linux errno values carried in Rlerror (9P2000.L sends the host's Linux errno).
enum p9_errno : uint32_t {
	P9_ENOENT = 2,
	P9_EIO = 5,
	P9_EBADF = 9,
	P9_EACCES = 13,
	P9_ENOTDIR = 20,
	P9_EINVAL = 22,
	P9_EMSGSIZE = 90,
	P9_EOPNOTSUPP = 95,
};

// Little-endian field access (9P is little-endian on the wire).
inline uint16_t get_le16(const uint8_t *p)
{
	return static_cast<uint16_t>(p[0] | p[1] << 8);
}

inline uint32_t get_le32(const uint8_t *p)
{
	return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
	       static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

inline uint64_t get_le64(const uint8_t *p)
{
	return static_cast<uint64_t>(get_le32(p)) | static_cast<uint64_t>(get_le32(p + 4)) << 32;
}

inline void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = static_cast<uint8_t>(v);
	p[1] = static_cast<uint8_t>(v >> 8);
}

inline void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = static_cast<uint8_t>(v >> (8 * i));
}

inline void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, static_cast<uint32_t>(v));
	put_le32(p + 4, static_cast<uint32_t>(v >> 32));
}

// Reads fields from a message in order; a read past the end sets a sticky failure and
// returns zeros, so a handler parses everything and checks ok() once.
class reader {
public:
	reader(const uint8_t *p, size_t len) : m_p(p), m_len(len) {}

	uint8_t u8() { return take(1) ? m_p[m_pos - 1] : 0; }
	uint16_t u16() { return take(2) ? get_le16(m_p + m_pos - 2) : 0; }
	uint32_t u32() { return take(4) ? get_le32(m_p + m_pos - 4) : 0; }
	uint64_t u64() { return take(8) ? get_le64(m_p + m_pos - 8) : 0; }

	// s: len[2] bytes[len], no NUL.
	std::string str()
	{
		uint16_t n = u16();
		if (!take(n))
			return std::string();
		return std::string(reinterpret_cast<const char *>(m_p + m_pos - n), n);
	}

	bool ok() const { return m_ok; }
	size_t pos() const { return m_pos; }

private:
	bool take(size_t n)
	{
		if (!m_ok || m_len - m_pos < n) {
			m_ok = false;
			return false;
		}
		m_pos += n;
		return true;
	}

	const uint8_t *m_p;
	size_t m_len;
	size_t m_pos = 0;
	bool m_ok = true;
};

// Appends fields to a message; begin() writes the 7-byte header with size 0 and finish()
// patches the size with everything appended since (plus @extra bytes that follow elsewhere).
class writer {
public:
	explicit writer(std::vector<uint8_t> &out) : m_b(out) {}

	void begin(uint8_t type, uint16_t tag)
	{
		m_b.clear();
		u32(0);
		u8(type);
		u16(tag);
	}

	void u8(uint8_t v) { m_b.push_back(v); }
	void u16(uint16_t v) { put(&put_le16, v, 2); }
	void u32(uint32_t v) { put(&put_le32, v, 4); }
	void u64(uint64_t v) { put(&put_le64, v, 8); }

	void str(const std::string &s)
	{
		u16(static_cast<uint16_t>(s.size()));
		m_b.insert(m_b.end(), s.begin(), s.end());
	}

	void q(const qid &v)
	{
		u8(v.type);
		u32(v.version);
		u64(v.path);
	}

	void finish(uint64_t extra = 0)
	{
		put_le32(m_b.data(), static_cast<uint32_t>(m_b.size() + extra));
	}

	size_t size() const { return m_b.size(); }

private:
	template <typename T>
	void put(void (*fn)(uint8_t *, T), T v, size_t n)
	{
		size_t at = m_b.size();
		m_b.resize(at + n);
		fn(m_b.data() + at, v);
	}

	std::vector<uint8_t> &m_b;
};

} // namespace p9srv

#endif
