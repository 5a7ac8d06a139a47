// SPDX-License-Identifier: GPL-2.0-only
// kshim: vmalloc areas and CONFIG_DEBUG_VIRTUAL's check of virt_to_page(). An area is
// order-0 guest pages, taken one by one (physically scattered), and a page-aligned view in
// the simulator's own memory at an address outside the direct map: what virt_to_page()
// makes of that address is not a page of the area (9P-B6). The view is the CPU's: loads and
// stores of kernel code go there; kshim_vmalloc_sync() copies it into the pages, which is
// what a device reached through the right pages would see. No exception crosses into C.
#include <cstdio>
#include <algorithm>
#include <cstring>
#include <map>
#include <sys/mman.h>
#include <vector>

#include <linux/mm.h>
#include <linux/vmalloc.h>

#include "kshim/host.h"

using rs_kshim::kshim_host;

namespace {

// The kernel's VMALLOC_START on x86-64, for findings: an area's address is printed as this
// plus its offset in the arena.
constexpr uint64_t VMALLOC_START = 0xffffc90000000000ull;
// The arena: reserved right after guest memory in the host's address space, 1 GiB past its
// end (so that virt_to_page() of a vmalloc address is a frame past the end of memory, the
// same one every run), 1 GiB long.
constexpr uint64_t ARENA_GAP = 1ull << 30, ARENA_SIZE = 1ull << 30;

struct area {
	unsigned long size; // bytes of the view, a whole number of pages
	std::vector<uint64_t> pfns;
};

struct arena {
	uint8_t *base = nullptr;
	std::map<uintptr_t, area> areas; // by the view's address
};

arena &the_arena()
{
	static arena a;
	return a;
}

std::map<uintptr_t, area> &areas()
{
	return the_arena().areas;
}

// Map the arena at its fixed place, or anywhere when that is taken (then addresses, and the
// findings that print them, differ between runs).
uint8_t *arena_base()
{
	arena &a = the_arena();

	if (!a.base) {
		void *want = reinterpret_cast<void *>(kshim_direct_map + kshim_direct_map_size +
						      ARENA_GAP);
		int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
		void *p = mmap(want, ARENA_SIZE, PROT_READ | PROT_WRITE, flags | MAP_FIXED_NOREPLACE,
			       -1, 0);

		if (p == MAP_FAILED)
			p = mmap(nullptr, ARENA_SIZE, PROT_READ | PROT_WRITE, flags, -1, 0);
		if (p != MAP_FAILED)
			a.base = static_cast<uint8_t *>(p);
	}
	return a.base;
}

// The lowest free range of @bytes plus a guard page (the kernel's vmalloc guard), or NULL.
uint8_t *arena_alloc(unsigned long bytes)
{
	uint8_t *base = arena_base();
	uintptr_t at;

	if (!base)
		return nullptr;
	at = reinterpret_cast<uintptr_t>(base);
	for (const auto &a : areas()) {
		if (a.first >= at + bytes + PAGE_SIZE)
			break;
		at = a.first + a.second.size + PAGE_SIZE;
	}
	if (at + bytes + PAGE_SIZE > reinterpret_cast<uintptr_t>(base) + ARENA_SIZE)
		return nullptr;
	return reinterpret_cast<uint8_t *>(at);
}

// The area holding @addr, or end().
std::map<uintptr_t, area>::iterator area_of(const void *addr)
{
	auto &a = areas();
	uintptr_t p = reinterpret_cast<uintptr_t>(addr);
	auto it = a.upper_bound(p);

	if (it == a.begin())
		return a.end();
	--it;
	return p < it->first + it->second.size ? it : a.end();
}

} // namespace

extern "C" void *vmalloc(unsigned long size)
{
	try {
		kshim_host &h = kshim_host::current();
		const unsigned long page = PAGE_SIZE;
		unsigned long bytes = (size + page - 1) / page * page;
		area ar{ bytes, {} };

		if (!size)
			return nullptr;
		for (unsigned long off = 0; off < bytes; off += page) {
			h.charge(KSHIM_COST_KMALLOC, 1);
			uint64_t pfn = h.mem().pages().alloc_pages(0, gmm::page_kind::kernel,
								   h.ctx().request);
			if (pfn == gmm::NO_PFN) {
				for (uint64_t p : ar.pfns)
					h.mem().pages().free_pages(p, 0);
				return nullptr;
			}
			ar.pfns.push_back(pfn);
		}
		uint8_t *view = arena_alloc(bytes);
		if (!view) {
			for (uint64_t p : ar.pfns)
				h.mem().pages().free_pages(p, 0);
			return nullptr;
		}
		memset(view, 0, bytes); // fresh or MADV_DONTNEED'd: zero already; kept explicit
		areas().emplace(reinterpret_cast<uintptr_t>(view), std::move(ar));
		return view;
	} catch (...) {
		kshim_host::current().report(rs_models::finding::severity::error, "internal_error",
					     "vmalloc", "exception");
	}
	return nullptr;
}

extern "C" void vfree(const void *addr)
{
	try {
		auto it = area_of(addr);

		if (!addr || it == areas().end())
			return;
		kshim_host &h = kshim_host::current();
		for (uint64_t p : it->second.pfns) {
			h.charge(KSHIM_COST_KFREE, 1);
			h.mem().pages().free_pages(p, 0);
		}
		// Give the view's memory back to the host; the range stays reserved.
		madvise(reinterpret_cast<void *>(it->first), it->second.size, MADV_DONTNEED);
		areas().erase(it);
	} catch (...) {
		kshim_host::current().report(rs_models::finding::severity::error, "internal_error",
					     "vfree", "exception");
	}
}

extern "C" struct page *vmalloc_to_page(const void *addr)
{
	auto it = area_of(addr);

	if (it == areas().end())
		return nullptr;
	uintptr_t off = reinterpret_cast<uintptr_t>(addr) - it->first;
	return pfn_to_page(it->second.pfns[off / PAGE_SIZE]);
}

extern "C" void kshim_vmalloc_sync(const void *addr, unsigned long len)
{
	auto it = area_of(addr);

	if (it == areas().end())
		return;
	kshim_host &h = kshim_host::current();
	uintptr_t off = reinterpret_cast<uintptr_t>(addr) - it->first;
	const uint8_t *view = reinterpret_cast<const uint8_t *>(it->first);

	len = std::min<unsigned long>(len, it->second.size - off);
	while (len) {
		unsigned long in = off % PAGE_SIZE, n = std::min<unsigned long>(len, PAGE_SIZE - in);

		h.mem().memory().write(it->second.pfns[off / PAGE_SIZE] * PAGE_SIZE + in,
				       view + off, n);
		off += n;
		len -= n;
	}
}

extern "C" void kshim_bad_virt(const void *kva)
{
	if (!kshim_host::exists())
		return;
	char where[64], detail[200];
	bool vm = area_of(kva) != areas().end();

	// A vmalloc address as the kernel would print it; any other as its distance from the
	// direct map (both the same every run).
	if (vm)
		snprintf(where, sizeof(where), "virt_to_page(0x%llx)", static_cast<unsigned long long>(
			 VMALLOC_START + (reinterpret_cast<uintptr_t>(kva) -
					  reinterpret_cast<uintptr_t>(arena_base()))));
	else
		snprintf(where, sizeof(where), "virt_to_page(direct map + 0x%llx)",
			 static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(kva) -
							 kshim_direct_map));
	snprintf(detail, sizeof(detail), "virt_to_page() of %s, not a direct-map address: the "
		 "page it gives is not the buffer's (CONFIG_DEBUG_VIRTUAL warns here)",
		 vm ? "a vmalloc address" : "an address");
	kshim_host::current().report(rs_models::finding::severity::warn, "bad_virt_to_page",
				     where, detail);
}
