// SPDX-License-Identifier: GPL-2.0-only
// The 9P2000.L server behind the virtio-9p queue, like QEMU's virtio-9p device with a local
// file system: it gathers each request out of the chain's driver-readable buffers, serves it
// from a small file tree whose contents are the content model (p9_fs.h), charges its service
// time, and scatters the reply across the chain's writable buffers in order.
//
// Request layouts it accepts (kernel-facts A.4, A.5):
//   - everything inline: the size[4] field covers the whole message;
//   - the zero-copy TWRITE of the 3.x kernels: size[4] covers only the 23-byte header and the
//     count bytes of payload follow in the next driver-readable buffers.
// Reply layout: the reply bytes go out in order, so a zero-copy TREAD (11-byte header buffer,
// then the user pages) gets its Rread header in the first buffer and the data in the rest,
// and a copying TREAD gets the whole reply in its one msize buffer.
#ifndef RS_VIRTQUEUE_P9_SERVER_H
#define RS_VIRTQUEUE_P9_SERVER_H

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include <systemc>

#include "common/finding.h"
#include "virtqueue/backend.h"
#include "virtqueue/p9_fs.h"
#include "virtqueue/p9_proto.h"
#include "virtqueue/p9_tap.h"

namespace p9srv {

// The checked configuration of one server. The engine builds it from the scenario and
// validates it with check_config(); the server trusts it.
struct config {
	// platform/@clock. Zero here on purpose, as in gmm::config: building a non-zero sc_time
	// fixes SystemC's time resolution, which only the engine may do. The engine always sets
	// it (one cycle, 1 SC_NS in ringsim).
	sc_core::sc_time clock_period = sc_core::SC_ZERO_TIME;
	// Largest msize the server grants in Rversion (msize = min(client's, this)). 8 192 000 =
	// 64 KiB x 125, the transport maxsize of the seed's client on 64 KiB pages (kernel-facts
	// A.1), so the seed's client is never clamped; 4 186 112 reproduces QEMU's later
	// virtqueue limit (A.6). At least P9_MIN_MSIZE.
	uint32_t max_msize = 8192000;
	// f_bsize of the exported file system: Rlopen's iounit is f_bsize * floor((msize - 24)
	// / f_bsize) like QEMU's get_iounit(). 4096: ext4/xfs default block size.
	uint32_t f_bsize = 4096;
	// Frame by size[4], as a server other than QEMU may: a message whose size[4] is not the
	// number of bytes in the driver-readable buffers gets Rlerror(EINVAL) and a
	// "p9_size_mismatch" finding (the 3.x zero-copy Twrite, 9P-B5). QEMU frames by the
	// descriptors and tolerates it: false.
	bool strict_framing = false;
	// Fixed cost of one message on the host: virtqueue pop, coroutine dispatch, one file
	// system call and the push/notify. About 2 us of QEMU work at 1 GHz (an estimate, not a
	// measurement).
	uint64_t service_cycles = 2000;
	// Cost per KiB moved through the server (request bytes read plus reply bytes written),
	// rounded up per message: 50 cycles per KiB is ~20 GB/s at 1 GHz, a host page-cache copy
	// (an estimate, not a measurement).
	uint64_t cycles_per_kib = 50;
	// How much one message's service time varies: each is drawn uniformly from [1 -
	// spread, 1 + spread] times the formula's, from a stream seeded with @seed (so a run
	// stays deterministic). QEMU's per-PDU time varies with host thread scheduling and the
	// page cache, which is what lets equal requests finish out of order; 0 (the default)
	// serves equal requests in equal time. 0 <= spread < 1.
	double service_spread = 0;
	uint64_t seed = 1;
	// The tree under the attach root (p9_fs.h).
	std::vector<file_spec> files;
	std::vector<dir_spec> dirs;
};

/**
 * check_config() - validate a configuration before building a server
 * @cfg: the configuration
 *
 * Return: "" when @cfg is usable, else one sentence naming the bad field: clock_period zero,
 * max_msize below P9_MIN_MSIZE, f_bsize zero, or a bad tree (fs_tree::check_tree()).
 */
std::string check_config(const config &cfg);

// Number of Twrite payloads that may each report a "p9_write_mismatch" finding; the counts
// in stats go on.
constexpr unsigned MISMATCH_REPORT_CAP = 16;

struct stats {
	// Requests received, by their type byte (T-messages, and whatever else arrived).
	std::array<uint64_t, 256> messages{};
	uint64_t requests = 0;      // chains served
	uint64_t request_bytes = 0; // read from driver-readable buffers
	uint64_t reply_bytes = 0;   // written into writable buffers
	uint64_t read_bytes = 0;    // file data returned by Tread
	uint64_t write_bytes = 0;   // file data accepted by Twrite
	// Every Twrite byte is compared with the content model of its file at its offset.
	uint64_t integrity_checked = 0;
	uint64_t integrity_mismatches = 0;
	// Twrite layouts seen: size[4] covering only the 23-byte header with the payload after it
	// (3.x zero copy), or covering header and payload (inline; also the zero-copy form of
	// kernels since the 2018 size fix, which differs only in where the buffers split).
	uint64_t zc_writes = 0;
	uint64_t inline_writes = 0;
	uint64_t readdir_entries = 0;
	uint64_t errors = 0;            // Rlerror replies, for any reason
	uint64_t bad_messages = 0;      // malformed or unknown ("p9_bad_message")
	uint64_t unsupported = 0;       // valid 9P2000.L requests not modelled ("p9_unsupported")
	uint64_t truncated_replies = 0; // "p9_reply_truncated"
	uint64_t dma_errors = 0;        // dma_read/dma_write refused by guest memory
	uint64_t busy_cycles = 0;       // service time charged
};

class p9_server : public vq::backend_if {
public:
	/**
	 * p9_server() - build a server with its file tree
	 * @name: names the server in findings ("where": "p9_server NAME head H tag T")
	 * @cfg: validated with check_config()
	 * @sink: receives every finding, for the whole life of this object
	 *
	 * Context: elaboration or any time before the first serve().
	 */
	p9_server(const std::string &name, const config &cfg, rs_models::finding_sink_if &sink);

	/**
	 * serve() - process one 9P request chain
	 * @head: descriptor index of the chain's head (named in findings)
	 * @chain: driver-readable buffers, then writable ones
	 * @dma: guest memory access; each buffer read or written is one dma_read()/dma_write()
	 *
	 * Reads the request (the first driver-readable buffer whole, up to msize, the next ones
	 * only as far as the message needs), waits config.service_cycles + ceil((request bytes +
	 * reply bytes) * cycles_per_kib / 1024) cycles, then writes the reply. A malformed request
	 * gets Rlerror(EINVAL) (or EMSGSIZE/EOPNOTSUPP, see the .cpp) and a "p9_bad_message"
	 * finding; a reply longer than the writable buffers is cut to fit and reported as
	 * "p9_reply_truncated". Never throws for anything the guest can send.
	 * Context: a worker of the engine's pool (an SC_THREAD; several serve at once) when the
	 * charge is non-zero (it calls sc_core::wait()); with zero costs any context. State
	 * changes happen before the wait, so concurrent requests see each other in the order
	 * their requests were read.
	 * Return: bytes written into the writable buffers.
	 */
	uint32_t serve(uint16_t head, const std::vector<vq::segment> &chain,
		       vq::dma_if &dma) override;

	/**
	 * set_tap() - every message from now on to @tap too (NULL: none, the default)
	 * Context: before the first serve(); @tap outlives the server's use of it.
	 */
	void set_tap(p9_tap_if *tap) { m_tap = tap; }

	const stats &statistics() const { return m_stats; }
	const config &cfg() const { return m_cfg; }
	// msize in force: the last Tversion's, config.max_msize before any.
	uint32_t msize() const { return m_msize; }
	// fids the client holds (attached, walked, not clunked): leaked fids at the end of a run.
	size_t live_fids() const { return m_fids.size(); }
	const fs_tree &tree() const { return m_tree; }

	/**
	 * iounit() - what Rlopen returns for a file, QEMU's get_iounit()
	 * @msize: negotiated msize (>= P9_IOHDRSZ)
	 * @f_bsize: file system block size (> 0)
	 *
	 * Return: f_bsize * floor((msize - P9_IOHDRSZ) / f_bsize), or msize - P9_IOHDRSZ when
	 * that is 0 (QEMU falls back itself; the client would do the same, kernel-facts A.5).
	 */
	static uint32_t iounit(uint32_t msize, uint32_t f_bsize);

	/** service_cycles() - Return: the charge for a message moving @bytes in all. */
	uint64_t service_cycles(uint64_t bytes) const;

	/**
	 * draw_service() - the next message's service time around @cycles: @cycles itself when
	 * service_spread is 0, else the next draw from [1 - spread, 1 + spread] x @cycles
	 * (rounded). Each call advances the stream.
	 */
	uint64_t draw_service(uint64_t cycles);

	struct reply; // a reply being built: header bytes plus an optional content tail

private:
	struct fid_state {
		node n;
		bool open = false;
		uint32_t flags = 0; // Tlopen flags
	};
	struct context {
		uint16_t head;
		uint16_t tag;
		uint8_t type;
	};

	// Read the request out of the driver-readable buffers; false in @dma_ok when guest
	// memory refused one.
	std::vector<uint8_t> gather(const std::vector<const vq::segment *> &out, vq::dma_if &dma,
				    bool *dma_ok);
	// Check the header and run the handler. Return: 0, or the errno for Rlerror.
	uint32_t dispatch(const std::vector<uint8_t> &req, reply &r, const context &c);
	// Tell the zero-copy Twrite (size covers the header only) from the inline one.
	uint32_t write_layout(const std::vector<uint8_t> &req, uint64_t size, reader &body,
			      reply &r, const context &c, std::string *bad);
	// Write the first @len bytes of @r across the writable buffers in order; with @copy,
	// append what was written to it too.
	void scatter(const reply &r, uint64_t len, const std::vector<const vq::segment *> &in,
		     vq::dma_if &dma, std::vector<uint8_t> *copy);

	// Handlers: each builds its reply in @r and returns 0, or an errno for Rlerror, or
	// MALFORMED when the body ended early.
	uint32_t do_version(reader &in, reply &r, const context &c);
	uint32_t do_attach(reader &in, reply &r, const context &c);
	uint32_t do_walk(reader &in, reply &r, const context &c);
	uint32_t do_lopen(reader &in, reply &r, const context &c);
	uint32_t do_getattr(reader &in, reply &r, const context &c);
	uint32_t do_read(reader &in, reply &r, const context &c);
	uint32_t do_write(reader &in, reply &r, const context &c, const uint8_t *payload,
			  uint32_t count);
	uint32_t do_readdir(reader &in, reply &r, const context &c);
	uint32_t do_clunk(reader &in, reply &r, const context &c);
	uint32_t do_flush(reader &in, reply &r, const context &c);

	void finding(const std::string &kind, const context &c, const std::string &detail);
	uint64_t now_cycle() const;
	fid_state *get_fid(uint32_t fid);

	std::string m_name;
	config m_cfg;
	rs_models::finding_sink_if &m_sink;
	fs_tree m_tree;
	uint32_t m_msize;
	std::unordered_map<uint32_t, fid_state> m_fids;
	stats m_stats;
	unsigned m_mismatch_reports = 0;
	uint64_t m_rng; // splitmix64 state, from config.seed
	p9_tap_if *m_tap = nullptr;
};

} // namespace p9srv

#endif
