// SPDX-License-Identifier: GPL-2.0-only
// Which request posted each buffer on the 9p virtqueue, under which 9P tag, read from the
// ring in guest memory (the DUT is not changed), so that virtio9p can tell a reply that
// req_done() will hand to whoever holds its tag now (9P-B1: the tag freed at -ERESTARTSYS
// with the buffers still posted, and allocated again).
#ifndef RS_DEVICES_P9_TAG_LEDGER_H
#define RS_DEVICES_P9_TAG_LEDGER_H

#include <cstdint>
#include <map>

#include "virtqueue/vring.h"

namespace rs_engine {

class p9_tag_ledger {
public:
	/**
	 * p9_tag_ledger() - watch the split ring at @ring (host pointer of its first byte)
	 * @ring: the descriptor table; avail and used follow at the standard offsets
	 * @num: ring size
	 * @guest_base: host pointer of guest physical address 0 (descriptor addresses)
	 * @mem_bytes: size of guest memory, to leave out-of-range addresses alone
	 */
	p9_tag_ledger(uint8_t *ring, unsigned num, const uint8_t *guest_base, uint64_t mem_bytes);

	/**
	 * added() - the driver put a chain into the avail ring (kshim_vring_added)
	 * @request: the workload request whose thread posted it, -1 for none
	 */
	void added(int64_t request);

	/**
	 * consumed() - the driver took the next used entry (kshim_vring_changed from get_buf)
	 * @head: the chain's head descriptor
	 * @tag: the tag of the T-message it carried
	 * @request: the workload request that posted it
	 *
	 * Return: true with the three set when the chain was seen posted, false otherwise.
	 */
	bool consumed(uint16_t &head, uint16_t &tag, int64_t &request);

	/**
	 * posted() - the chain of head @head as the driver posted it, not yet taken back
	 * @tag: the tag of its T-message
	 * @request: the workload request that posted it, -1 for none
	 *
	 * Return: false when the chain was not seen posted.
	 */
	bool posted(uint16_t head, uint16_t &tag, int64_t &request) const;

private:
	struct post {
		uint16_t tag;
		int64_t request;
	};
	bool tag_of(uint16_t head, uint16_t &tag) const;

	uint8_t *m_ring;
	unsigned m_num;
	const uint8_t *m_base;
	uint64_t m_mem_bytes;
	uint16_t m_avail_seen = 0;  // avail->idx when last looked at
	unsigned m_unpublished = 0; // chains added since avail->idx last moved
	uint16_t m_consumed = 0;    // used entries the driver took (its last_used_idx)
	std::map<uint16_t, post> m_posted; // by head descriptor
};

} // namespace rs_engine

#endif
