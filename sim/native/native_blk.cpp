// SPDX-License-Identifier: GPL-2.0-only
// The Xen block device of the native replay: the guest's grant table and blkfront booted as
// xenblk.cpp boots them (dut_ops.h, the built-in seed), the DUT's block layer per request,
// and an instant backend: it reads each request off the shared ring, finds each segment's
// frame in the guest's grant entry, fills reads with the disk's content (the content model,
// rs_models::content_fill) straight into the granted frame, copies writes out of it, and
// responds OKAY. What blkback models besides (grant map and unmap hypercalls, persistent
// grant bookkeeping, the disk's queue, notification suppression) it does not do.
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "platform/platform.h" // before the DUT's headers: its 9P macros clash

#include <linux/blkdev.h>
#include <linux/mm.h>

#include "blkif_ring/blkif.h"
#include "blkif_ring/disk.h"
#include "common/content.h"
#include "dut_ops.h"
#include "kshim/host.h"
#include "kshim/xen_hooks.h"
#include "native/native_dev.h"
#include "xen-blkfront.h"

namespace rs_native {

namespace {

// xenblk.cpp's disk layout: each block job its own 64 GiB area.
constexpr uint64_t JOB_AREA_SECTORS = 1ull << 27;
constexpr unsigned SECTOR = 512;

class native_blk : public native_dev, public rs_kshim::xen_hooks_if {
public:
	native_blk(const rs_scenario &s, gmm::guest_memory &mem) : m_s(s), m_mem(mem)
	{
		if (s.dut.xenblk && strcmp(s.dut.xenblk, "seed"))
			throw std::runtime_error("the native replay runs the built-in seed DUT only");
		m_dut = &rs_dut_blk_ops;
		rs_kshim::set_xen_hooks(this);

		blkfront_config fcfg{};
		for (unsigned p = s.xenblk.ring_pages; p > 1; p >>= 1)
			fcfg.front_max_ring_page_order++;
		fcfg.backend_has_max_ring_page_order = s.xenblk.backend_has_max_ring_page_order;
		fcfg.backend_max_ring_page_order = s.xenblk.max_ring_page_order;
		fcfg.backend_domid = 0;
		fcfg.feature_persistent = s.xenblk.persistent_grants;
		fcfg.backend_max_indirect_segments = s.xenblk.max_indirect_segments;
		fcfg.front_max_indirect_segments = s.xenblk.front_max_indirect_segments;
		fcfg.feature_flush_cache = s.xenblk.disk_flush == RS_FLUSH_CACHE;
		fcfg.feature_barrier = s.xenblk.disk_flush != RS_FLUSH_NONE;
		if (m_dut->gnttab_init(s.xenblk.grant_frames))
			throw std::runtime_error("the guest's grant table could not be set up");
		if (m_dut->probe_and_connect(&fcfg, &m_gd) || !m_gd)
			throw std::runtime_error("xen-blkfront failed to connect");
		unsigned nr;
		const int *refs = m_dut->ring_refs(&nr);
		for (unsigned i = 0; i < nr; i++)
			m_ring.push_back(static_cast<uint8_t *>(
				m_mem.memory().host_ptr(grant_gpa(static_cast<uint32_t>(refs[i])))));
		m_slots = m_dut->ring_size();
	}
	~native_blk() override { rs_kshim::set_xen_hooks(nullptr); }

	void content_of(size_t job, const rs_io &io, uint64_t &stream,
			uint64_t &offset) const override
	{
		stream = blkif::disk_config().stream;
		offset = JOB_AREA_SECTORS * job * SECTOR + io.file_offset;
	}

	// xenblk::submit() for direct I/O and buffered reads.
	uint64_t submit(size_t j, const rs_io &io, char *buf, const std::vector<uint64_t> &pfns,
			bool *ok) override
	{
		const rs_job &job = m_s.jobs[j];
		const int write = job.op == RS_OP_WRITE;
		const uint64_t page = PAGE_SIZE;
		std::vector<struct page *> pages;
		unsigned offset = 0, nr_requests = 0;
		rs_kshim::guest_ctx &c = rs_kshim::kshim_host::current().ctx();

		*ok = false;
		if (job.io == RS_IO_DIRECT) {
			if (!rs_setup::pin_user_buffer(buf, io.bytes, write, pages, offset))
				return 0;
		} else {
			for (uint64_t pfn : pfns)
				pages.push_back(pfn_to_page(pfn));
		}
		int err = m_dut->submit_io(m_gd->queue, write,
					   JOB_AREA_SECTORS * j + io.file_offset / SECTOR,
					   pages.data(), static_cast<unsigned>(pages.size()), offset,
					   static_cast<unsigned>(io.bytes), &nr_requests);
		if (job.io == RS_IO_DIRECT)
			for (struct page *p : pages)
				put_page(p);
		if (err)
			return 0;
		if (!write) {
			std::vector<uint8_t> got(io.bytes);
			uint64_t stream, addr;

			content_of(j, io, stream, addr);
			if (job.io == RS_IO_DIRECT)
				c.as->copy_from_user(reinterpret_cast<uintptr_t>(buf), got.data(),
						     io.bytes);
			else
				for (size_t i = 0; i < pfns.size(); i++)
					memcpy(got.data() + i * page,
					       m_mem.memory().host_ptr(pfns[i] * page),
					       std::min<uint64_t>(page, io.bytes - i * page));
			if (rs_models::content_mismatches(stream, addr, got.data(), io.bytes))
				return io.bytes;
		}
		*ok = true;
		return io.bytes;
	}

	bool serve() override
	{
		RING_IDX prod;
		bool any = false;

		ring_io(false, BLKIF_SRING_OFF_REQ_PROD, &prod, sizeof(prod));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		while (m_req_cons != prod) {
			uint8_t req[BLKIF_SLOT_SIZE];
			blkif_response rsp{};

			ring_io(false, blkif_slot_off(m_req_cons, m_slots), req, sizeof(req));
			m_req_cons++;
			memcpy(&rsp.id, req + BLKIF_REQ_OFF_ID, sizeof(rsp.id));
			rsp.operation = req[0];
			rsp.status = BLKIF_RSP_OKAY;
			if (req[0] == BLKIF_OP_READ || req[0] == BLKIF_OP_WRITE)
				rw(req, req[0], req[BLKIF_REQ_OFF_NR_SEGMENTS], false);
			else if (req[0] == BLKIF_OP_INDIRECT)
				rsp.operation = req[BLKIF_REQ_OFF_INDIRECT_OP],
				rw(req, rsp.operation, load<uint16_t>(req, BLKIF_REQ_OFF_INDIRECT_NR_SEGS),
				   true);
			ring_io(true, blkif_slot_off(m_rsp_prod, m_slots), &rsp, sizeof(rsp));
			m_rsp_prod++;
			any = true;
		}
		if (!any)
			return false;
		__atomic_thread_fence(__ATOMIC_RELEASE);
		ring_io(true, BLKIF_SRING_OFF_RSP_PROD, &m_rsp_prod, sizeof(m_rsp_prod));
		RING_IDX ev = m_req_cons + 1; // RING_FINAL_CHECK_FOR_REQUESTS
		ring_io(true, BLKIF_SRING_OFF_REQ_EVENT, &ev, sizeof(ev));
		if (m_irq)
			m_irq(1, m_irq_dev);
		return true;
	}

	// rs_kshim::xen_hooks_if
	void add_grant_frame(unsigned idx, void *kva) override
	{
		if (m_frames.size() <= idx)
			m_frames.resize(idx + 1);
		m_frames[idx] = static_cast<uint8_t *>(kva);
	}
	unsigned max_grant_frames() const override { return m_s.xenblk.grant_frames; }
	void notify_backend() override {} // the backend looks at the ring when the guest idles
	int bind_irq(int (*handler)(int, void *), void *dev_id) override
	{
		m_irq = handler;
		m_irq_dev = dev_id;
		return 1;
	}
	void queued(struct request *, unsigned, unsigned, unsigned, unsigned) override {}
	void grants_exhausted() override {}
	void ring_full() override {}
	void ring_changed(unsigned) override {}
	void copied(unsigned) override {}
	void tag_waited(uint64_t, unsigned) override {}

private:
	template <typename T> static T load(const uint8_t *p, size_t off)
	{
		T v;

		memcpy(&v, p + off, sizeof(v));
		return v;
	}

	// Guest physical address of the 4 KiB frame grant @gref names.
	uint64_t grant_gpa(uint32_t gref) const
	{
		const uint8_t *e = m_frames.at(gref / GREFS_PER_GRANT_FRAME) + grant_entry_off(gref);

		return uint64_t(load<uint32_t>(e, offsetof(grant_entry_v1, frame))) << XEN_PAGE_SHIFT;
	}

	// Bytes of the shared ring, whose 4 KiB pages lie wherever their grants say.
	void ring_io(bool write, uint64_t off, void *buf, size_t len)
	{
		auto *b = static_cast<uint8_t *>(buf);

		while (len) {
			size_t n = std::min<size_t>(len, XEN_PAGE_SIZE - off % XEN_PAGE_SIZE);
			uint8_t *p = m_ring.at(off / XEN_PAGE_SIZE) + off % XEN_PAGE_SIZE;

			if (write)
				memcpy(p, b, n);
			else
				memcpy(b, p, n);
			b += n, off += n, len -= n;
		}
	}

	// The data of one read or write: segment by segment, the disk's bytes in order.
	void rw(const uint8_t *req, uint8_t op, unsigned nseg, bool indirect)
	{
		uint64_t disk = load<uint64_t>(req, BLKIF_REQ_OFF_SECTOR) * SECTOR;
		const uint64_t stream = blkif::disk_config().stream;

		for (unsigned i = 0; i < nseg; i++) {
			blkif_request_segment seg;

			if (indirect) {
				uint32_t page_gref = load<uint32_t>(
					req, BLKIF_REQ_OFF_INDIRECT_GREFS +
						     4 * (i / SEGS_PER_INDIRECT_FRAME));
				memcpy(&seg, m_mem.memory().host_ptr(grant_gpa(page_gref)) +
					     sizeof(seg) * (i % SEGS_PER_INDIRECT_FRAME),
				       sizeof(seg));
			} else {
				memcpy(&seg, req + BLKIF_REQ_OFF_SEG + sizeof(seg) * i, sizeof(seg));
			}
			uint64_t gpa = grant_gpa(seg.gref) + uint64_t(seg.first_sect) * SECTOR;
			size_t len = size_t(seg.last_sect - seg.first_sect + 1) * SECTOR;
			auto *p = static_cast<uint8_t *>(m_mem.memory().host_ptr(gpa));

			if (op == BLKIF_OP_READ) {
				rs_models::content_fill(stream, disk, p, len);
			} else {
				m_scratch.resize(len);
				memcpy(m_scratch.data(), p, len); // the disk takes the bytes
			}
			disk += len;
		}
	}

	const rs_scenario &m_s;
	gmm::guest_memory &m_mem;
	const struct rs_dut_blk_ops *m_dut;
	struct gendisk *m_gd = nullptr;
	std::vector<uint8_t *> m_frames; // the grant table's frames, by index
	std::vector<uint8_t *> m_ring;   // the shared ring's 4 KiB pages
	uint32_t m_slots = 0;
	RING_IDX m_req_cons = 0, m_rsp_prod = 0;
	int (*m_irq)(int, void *) = nullptr;
	void *m_irq_dev = nullptr;
	std::vector<uint8_t> m_scratch;
};

} // namespace

native_dev *new_native_blk(const rs_scenario &s, gmm::guest_memory &mem)
{
	return new native_blk(s, mem);
}

} // namespace rs_native
