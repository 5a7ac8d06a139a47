// SPDX-License-Identifier: GPL-2.0-only
#include "guest_mm/kmalloc.h"

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <iterator>

#include "guest_mm/direct_map.h"

namespace gmm {

kernel_heap::kernel_heap(mem_map &pages)
	: m_pages(pages), m_page_size(pages.page_size()), m_heap_frames(pages.nr_frames())
{
	// KMALLOC_MIN_SIZE is 8 on x86-64; 96 and 192 exist because 8..256 in powers of two
	// would waste too much on common sizes (mm/slab_common.c).
	static const uint32_t small[] = {8, 16, 32, 64, 96, 128, 192};
	for (uint32_t s : small)
		m_caches.push_back({s, 0, 0, {}});
	for (uint64_t s = 256; s <= 2ull * m_page_size; s *= 2)
		m_caches.push_back({static_cast<uint32_t>(s), 0, 0, {}});
	for (cache &c : m_caches) {
		// Classes up to a page use order-0 slabs, the two-page class order-1 slabs.
		c.order = c.size > m_page_size ? 1 : 0;
		c.objects = static_cast<uint32_t>((uint64_t(m_page_size) << c.order) / c.size);
	}
}

unsigned kernel_heap::get_order(size_t size, uint32_t page_size)
{
	unsigned order = 0;
	while ((uint64_t(page_size) << order) < size)
		order++;
	return order;
}

uint64_t kernel_heap::virt_to_pfn(uint64_t kva) const
{
	return gmm::virt_to_pfn(kva, m_page_size);
}

int kernel_heap::class_of(size_t size) const
{
	for (unsigned i = 0; i < m_caches.size(); i++)
		if (size <= m_caches[i].size)
			return static_cast<int>(i);
	return -1;
}

uint64_t kernel_heap::alloc_from(unsigned cls)
{
	cache &c = m_caches[cls];
	if (c.partial.empty()) {
		uint64_t pfn = m_pages.alloc_pages(c.order, page_kind::slab, -1);
		if (pfn == NO_PFN)
			return NO_PFN;
		std::fill_n(m_heap_frames.begin() + pfn, 1ull << c.order, HEAP_SLAB);
		slab s{cls, 0, {}};
		// A new slab's freelist runs in address order (no CONFIG_SLAB_FREELIST_RANDOM).
		for (uint32_t i = c.objects; i > 0; i--)
			s.free.push_back(i - 1);
		m_slabs.emplace(pfn, std::move(s));
		c.partial.insert(pfn);
	}
	uint64_t pfn = *c.partial.begin();
	slab &s = m_slabs.at(pfn);
	uint32_t idx = s.free.back();
	s.free.pop_back();
	s.inuse++;
	if (s.free.empty())
		c.partial.erase(pfn);
	return pfn * m_page_size + uint64_t(idx) * c.size;
}

uint64_t kernel_heap::kmalloc(size_t size, int64_t owner)
{
	if (size == 0)
		return ZERO_SIZE_PTR;
	int cls = class_of(size);
	uint64_t pa;
	object o{size, 0, cls, 0, owner};
	if (cls >= 0) {
		pa = alloc_from(static_cast<unsigned>(cls));
		if (pa == NO_PFN)
			return 0;
		o.ksize = m_caches[cls].size;
		o.order = m_caches[cls].order;
	} else {
		o.order = get_order(size, m_page_size);
		if (o.order > m_pages.allocator().max_order())
			return 0;
		uint64_t pfn = m_pages.alloc_pages(o.order, page_kind::kernel, owner);
		if (pfn == NO_PFN)
			return 0;
		pa = pfn * m_page_size;
		o.ksize = size_t(m_page_size) << o.order;
		std::fill_n(m_heap_frames.begin() + pfn, 1ull << o.order, HEAP_LARGE);
	}
	m_objects.emplace(pa, o);
	return phys_to_virt(pa);
}

uint64_t kernel_heap::kzalloc(size_t size, int64_t owner)
{
	uint64_t kva = kmalloc(size, owner);
	if (kva && kva != ZERO_SIZE_PTR)
		m_pages.bytes().zero(virt_to_phys(kva), size);
	return kva;
}

void kernel_heap::free_to(unsigned cls, uint64_t pa)
{
	cache &c = m_caches[cls];
	uint64_t head = (pa / m_page_size) & ~((1ull << c.order) - 1);
	slab &s = m_slabs.at(head);
	assert(s.cls == cls && s.inuse > 0);
	bool was_full = s.free.empty();
	s.free.push_back(static_cast<uint32_t>((pa - head * m_page_size) / c.size));
	s.inuse--;
	if (s.inuse == 0) {
		// SLUB keeps a few empty slabs (min_partial); the model returns them at once so
		// the page counters show what the live objects cost.
		c.partial.erase(head);
		m_slabs.erase(head);
		std::fill_n(m_heap_frames.begin() + head, 1ull << c.order, HEAP_NONE);
		m_pages.free_pages(head, c.order);
	} else if (was_full) {
		c.partial.insert(head);
	}
}

int kernel_heap::kfree(uint64_t kva, int64_t request)
{
	if (kva == 0 || kva == ZERO_SIZE_PTR)
		return 0;
	auto it = kva >= KERNEL_BASE ? m_objects.find(virt_to_phys(kva)) : m_objects.end();
	if (it == m_objects.end()) {
		m_pages.report().report("bad_kfree", "guest_mm kmalloc " + hex(kva),
					"kfree of an address that is not the start of a live kmalloc "
					"object (double free, interior pointer or never allocated)",
					request);
		return -EINVAL;
	}
	uint64_t pa = it->first;
	object o = it->second;
	for (unsigned i = 0; i < HITS; i++)
		if (m_hit[i] == &it->second)
			m_hit[i] = nullptr;
	m_objects.erase(it);
	if (o.cls >= 0)
		free_to(static_cast<unsigned>(o.cls), pa);
	else {
		std::fill_n(m_heap_frames.begin() + pa / m_page_size, 1ull << o.order, HEAP_NONE);
		m_pages.free_pages(pa / m_page_size, o.order);
	}
	return 0;
}

const kernel_heap::object *kernel_heap::find(uint64_t kva) const
{
	if (kva < KERNEL_BASE)
		return nullptr;
	auto it = m_objects.find(virt_to_phys(kva));
	return it == m_objects.end() ? nullptr : &it->second;
}

kernel_heap::access kernel_heap::check_access_slow(uint64_t kva, size_t len, uint64_t &obj,
						   size_t &obj_size) const
{
	if (kva < KERNEL_BASE)
		return access::ok;
	uint64_t pa = virt_to_phys(kva);
	uint64_t pfn = pa / m_page_size;
	if (pfn >= m_pages.nr_frames())
		return access::ok;
	// Objects live only in slab pages and in a large kmalloc's pages: elsewhere (user pages,
	// rings, grant and pool pages) there is nothing to look up.
	const uint8_t held = m_heap_frames[pfn];
	if (held == HEAP_NONE)
		return access::ok;
	// The object whose slot holds @pa: one remembered, else looked up and remembered.
	uint64_t at = 0;
	const object *o = nullptr;
	for (unsigned i = 0; i < HITS && !o; i++)
		if (m_hit[i] && pa - m_hit_pa[i] < m_hit[i]->ksize)
			at = m_hit_pa[i], o = m_hit[i];
	if (!o) {
		auto it = m_objects.upper_bound(pa);
		if (it != m_objects.begin() && pa < std::prev(it)->first + std::prev(it)->second.ksize) {
			--it;
			at = it->first;
			o = &it->second;
			m_hit_pa[m_hit_next] = at;
			m_hit[m_hit_next] = o;
			m_hit_next = (m_hit_next + 1) % HITS;
		}
	}
	if (o) {
		if (pa + len <= at + o->size)
			return access::ok;
		obj = phys_to_virt(at);
		obj_size = o->size;
		return access::past_object;
	}
	return held == HEAP_SLAB ? access::free_slot : access::ok;
}

size_t kernel_heap::ksize(uint64_t kva) const
{
	const object *o = find(kva);
	return o ? o->ksize : 0;
}

int kernel_heap::not_leak(uint64_t kva)
{
	auto it = kva >= KERNEL_BASE ? m_objects.find(virt_to_phys(kva)) : m_objects.end();

	if (it == m_objects.end())
		return -EINVAL;
	it->second.owner = -1;
	return 0;
}

} // namespace gmm
