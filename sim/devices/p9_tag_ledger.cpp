// SPDX-License-Identifier: GPL-2.0-only
#include "devices/p9_tag_ledger.h"

#include <cstring>

namespace rs_engine {

p9_tag_ledger::p9_tag_ledger(uint8_t *ring, unsigned num, const uint8_t *guest_base,
			     uint64_t mem_bytes)
	: m_ring(ring), m_num(num), m_base(guest_base), m_mem_bytes(mem_bytes)
{
}

// The T-message's tag: size[4] type[1] tag[2] at the start of the chain's first buffer
// (the first entry of an indirect table).
bool p9_tag_ledger::tag_of(uint16_t head, uint16_t &tag) const
{
	vring_desc d;

	if (head >= m_num)
		return false;
	memcpy(&d, m_ring + uint64_t(head) * sizeof(d), sizeof(d));
	if (d.flags & VRING_DESC_F_INDIRECT) {
		if (d.len < sizeof(d) || d.addr > m_mem_bytes - sizeof(d))
			return false;
		memcpy(&d, m_base + d.addr, sizeof(d));
	}
	if (d.len < 7 || d.addr > m_mem_bytes - 7)
		return false;
	memcpy(&tag, m_base + d.addr + 5, sizeof(tag));
	return true;
}

void p9_tag_ledger::added(int64_t request)
{
	const uint8_t *avail = m_ring + vring_avail_off(m_num);
	uint16_t idx, head;
	uint16_t tag;

	// virtqueue_kick() publishes every chain added since the last kick at once.
	memcpy(&idx, avail + 2, sizeof(idx));
	if (idx != m_avail_seen) {
		m_avail_seen = idx;
		m_unpublished = 0;
	}
	memcpy(&head, avail + 4 + 2 * ((idx + m_unpublished) % m_num), sizeof(head));
	m_unpublished++;
	if (tag_of(head, tag))
		m_posted[head] = { tag, request };
	else
		m_posted.erase(head);
}

bool p9_tag_ledger::consumed(uint16_t &head, uint16_t &tag, int64_t &request)
{
	const uint8_t *used = m_ring + vring_used_off(m_num, VIRTIO_PCI_VRING_ALIGN);
	vring_used_elem e;

	memcpy(&e, used + 4 + sizeof(e) * (m_consumed % m_num), sizeof(e));
	m_consumed++;
	auto it = m_posted.find(static_cast<uint16_t>(e.id));
	if (it == m_posted.end())
		return false;
	head = it->first;
	tag = it->second.tag;
	request = it->second.request;
	m_posted.erase(it);
	return true;
}

bool p9_tag_ledger::posted(uint16_t head, uint16_t &tag, int64_t &request) const
{
	auto it = m_posted.find(head);

	if (it == m_posted.end())
		return false;
	tag = it->second.tag;
	request = it->second.request;
	return true;
}

} // namespace rs_engine
