// SPDX-License-Identifier: GPL-2.0-only
// kshim: pages, kmalloc, user pages and scatterlist bounds, served by models/guest_mm.
// No exception may cross into the C caller: every entry catches everything.
#include <cstring>
#include <exception>

#include <linux/mm.h>
#include <linux/scatterlist.h>

#include "kshim/host.h"

using rs_kshim::kshim_host;

namespace {

constexpr uintptr_t ZERO_SIZE_PTR = 16; // include/linux/slab.h

uint64_t pa_of(const void *kva)
{
	return reinterpret_cast<uintptr_t>(kva) - kshim_direct_map;
}

void internal_error(const char *what, const std::exception *e)
{
	kshim_host &h = kshim_host::current();

	h.report(rs_models::finding::severity::error, "internal_error", what,
		 e ? e->what() : "unknown exception");
}

} // namespace

extern "C" void *kmalloc(size_t size, gfp_t flags)
{
	(void)flags;
	try {
		kshim_host &h = kshim_host::current();

		h.charge(KSHIM_COST_KMALLOC, 1);
		if (!size)
			return reinterpret_cast<void *>(ZERO_SIZE_PTR);
		uint64_t kva = h.mem().kheap().kmalloc(size, h.ctx().request);
		if (!kva)
			return nullptr;
		return h.mem().memory().host_ptr(gmm::virt_to_phys(kva));
	} catch (const std::exception &e) {
		internal_error("kmalloc", &e);
	} catch (...) {
		internal_error("kmalloc", nullptr);
	}
	return nullptr;
}

extern "C" void kfree(const void *kva)
{
	try {
		kshim_host &h = kshim_host::current();

		if (reinterpret_cast<uintptr_t>(kva) <= ZERO_SIZE_PTR)
			return;
		h.charge(KSHIM_COST_KFREE, 1);
		h.mem().kheap().kfree(gmm::phys_to_virt(pa_of(kva)), h.ctx().request);
	} catch (const std::exception &e) {
		internal_error("kfree", &e);
	} catch (...) {
		internal_error("kfree", nullptr);
	}
}

extern "C" int get_user_pages_fast(unsigned long start, int nr_pages, int write,
				   struct page **pages)
{
	try {
		kshim_host &h = kshim_host::current();
		rs_kshim::guest_ctx &c = h.ctx();

		if (!c.as)
			return -EFAULT;
		std::vector<uint64_t> pfns(nr_pages > 0 ? nr_pages : 0);
		uint64_t faults = c.as->nr_faults(), pinned = h.mem().pinned_pages();
		uint32_t most = h.mem().cfg().gup_max_pages; // fault injection: a partial pin
		long want = most && nr_pages > 0 && uint32_t(nr_pages) > most ? long(most) : nr_pages;
		long n = c.as->get_user_pages_fast(start, want, write, pfns.data(), c.request);

		h.charge(KSHIM_COST_PAGE_FAULT, c.as->nr_faults() - faults);
		for (long i = 0; i < n; i++)
			pages[i] = pfn_to_page(pfns[i]);
		if (n > 0) {
			h.pinned_changed(static_cast<int64_t>(h.mem().pinned_pages() - pinned));
			h.charge(KSHIM_COST_PAGE_PIN, n);
		}
		return static_cast<int>(n);
	} catch (const std::exception &e) {
		internal_error("get_user_pages_fast", &e);
	} catch (...) {
		internal_error("get_user_pages_fast", nullptr);
	}
	return -ENOMEM;
}

extern "C" void put_page(struct page *page)
{
	try {
		kshim_host &h = kshim_host::current();
		uint64_t pinned;

		h.charge(KSHIM_COST_PAGE_UNPIN, 1);
		pinned = h.mem().pinned_pages();
		h.mem().pages().put_page(page_to_pfn(page));
		h.pinned_changed(static_cast<int64_t>(h.mem().pinned_pages() - pinned));
	} catch (const std::exception &e) {
		internal_error("put_page", &e);
	} catch (...) {
		internal_error("put_page", nullptr);
	}
}

extern "C" unsigned long nr_free_buffer_pages(void)
{
	return kshim_host::current().mem().allocator().nr_free();
}

static void charge_copy(kshim_host &h, unsigned long n)
{
	h.charge(KSHIM_COST_MEMCPY_PER_KIB, (n + 1023) / 1024);
}

extern "C" unsigned long copy_to_user(void *to, const void *from_kva, unsigned long n)
{
	try {
		kshim_host &h = kshim_host::current();
		rs_kshim::guest_ctx &c = h.ctx();

		charge_copy(h, n);
		return c.as ? c.as->copy_to_user(reinterpret_cast<uintptr_t>(to), from_kva, n) : n;
	} catch (...) {
		internal_error("copy_to_user", nullptr);
	}
	return n;
}

extern "C" unsigned long copy_from_user(void *to_kva, const void *from, unsigned long n)
{
	try {
		kshim_host &h = kshim_host::current();
		rs_kshim::guest_ctx &c = h.ctx();

		charge_copy(h, n);
		return c.as ? c.as->copy_from_user(reinterpret_cast<uintptr_t>(from), to_kva, n) : n;
	} catch (...) {
		internal_error("copy_from_user", nullptr);
	}
	return n;
}

extern "C" void kshim_sg_register(const struct scatterlist *sg, size_t nelem, const char *name)
{
	kshim_host::current().sg_arrays().push_back({ sg, nelem, name });
}

// How far past an array's end a write still counts as overrunning it (not some other object).
static constexpr size_t OVERRUN_REACH = 64;

static bool in_guest_memory(kshim_host &h, const struct scatterlist *sg)
{
	uintptr_t a = reinterpret_cast<uintptr_t>(sg);

	return a >= kshim_direct_map &&
	       a + sizeof(*sg) <= kshim_direct_map + h.mem().memory().size_bytes();
}

/*
 * An entry outside guest memory: an index computed from a registered array that wrapped
 * (sg_init_table(sgl, 0) marks sgl[UINT_MAX]). The kernel faults on it ("unable to handle
 * kernel paging request"): the write as a finding, then the oops. The array named is the
 * registered one closest below the entry, the latest registered of equal bases.
 */
[[noreturn]] static void wild_write(kshim_host &h, const struct scatterlist *sg)
{
	const kshim_host::sg_array *from = nullptr;
	const uintptr_t at = reinterpret_cast<uintptr_t>(sg);
	char detail[200];

	for (const auto &a : h.sg_arrays()) {
		uintptr_t base = reinterpret_cast<uintptr_t>(a.base);

		if (base <= at && (!from || base >= reinterpret_cast<uintptr_t>(from->base)))
			from = &a;
	}
	if (from)
		snprintf(detail, sizeof(detail), "write to %s[%zu], past its %zu entries and "
			 "outside guest memory: the kernel oopses", from->name,
			 static_cast<size_t>((at - reinterpret_cast<uintptr_t>(from->base)) /
					     sizeof(*sg)), from->nelem);
	else
		snprintf(detail, sizeof(detail), "scatterlist write outside guest memory: the "
			 "kernel oopses");
	h.report(rs_models::finding::severity::error, "out_of_bounds_write",
		 from ? from->name : "scatterlist", detail);
	h.report(rs_models::finding::severity::bug, "dut_bug", from ? from->name : "scatterlist",
		 "oops: unable to handle kernel paging request");
	h.die(from ? from->name : "scatterlist");
}

extern "C" bool kshim_sg_ok(const struct scatterlist *sg)
{
	kshim_host &h = kshim_host::current();

	const auto &arrays = h.sg_arrays();
	bool inside = false;

	// Arrays may sit back to back in memory: an entry of any of them is fine.
	for (const auto &a : arrays)
		inside = inside || (sg >= a.base && sg < a.base + a.nelem);
	for (const auto &a : arrays) {
		if (inside)
			break;
		if (sg >= a.base + a.nelem && sg < a.base + a.nelem + OVERRUN_REACH) {
			char detail[160];

			snprintf(detail, sizeof(detail), "write to %s[%zu], past its %zu entries "
				 "(skipped; the kernel would corrupt what follows)", a.name,
				 static_cast<size_t>(sg - a.base), a.nelem);
			h.report(rs_models::finding::severity::error, "out_of_bounds_write",
				 a.name, detail);
			return false;
		}
	}
	if (!inside && !in_guest_memory(h, sg))
		wild_write(h, sg);
	h.charge(KSHIM_COST_SG_ENTRY, 1);
	return true;
}

extern "C" void *kzalloc(size_t size, gfp_t flags)
{
	void *p = kmalloc(size, flags);

	if (p && reinterpret_cast<uintptr_t>(p) > ZERO_SIZE_PTR)
		memset(p, 0, size);
	return p;
}

extern "C" struct page *alloc_page(gfp_t flags)
{
	try {
		kshim_host &h = kshim_host::current();
		uint64_t pfn;

		h.charge(KSHIM_COST_KMALLOC, 1);
		pfn = h.mem().pages().alloc_pages(0, gmm::page_kind::kernel, h.ctx().request);
		if (pfn == gmm::NO_PFN)
			return nullptr;
		if (flags & __GFP_ZERO)
			h.mem().memory().zero(pfn << PAGE_SHIFT, PAGE_SIZE);
		return pfn_to_page(pfn);
	} catch (...) {
		internal_error("alloc_page", nullptr);
	}
	return nullptr;
}

extern "C" void __free_page(struct page *page)
{
	try {
		kshim_host &h = kshim_host::current();

		h.charge(KSHIM_COST_KFREE, 1);
		h.mem().pages().free_pages(page_to_pfn(page), 0);
	} catch (...) {
		internal_error("__free_page", nullptr);
	}
}

extern "C" void *kshim_get_free_pages_exact(size_t size)
{
	try {
		kshim_host &h = kshim_host::current();
		unsigned order = 0;
		uint64_t pfn;

		while ((uint64_t(PAGE_SIZE) << order) < size)
			order++;
		h.charge(KSHIM_COST_KMALLOC, 1);
		pfn = h.mem().pages().alloc_pages(order, gmm::page_kind::kernel, -1);
		if (pfn == gmm::NO_PFN)
			return nullptr;
		h.mem().memory().zero(pfn << PAGE_SHIFT, uint64_t(PAGE_SIZE) << order);
		return phys_to_virt(pfn << PAGE_SHIFT);
	} catch (...) {
		internal_error("get_free_pages", nullptr);
	}
	return nullptr;
}

extern "C" void kmemleak_not_leak(const void *kva)
{
	kshim_host &h = kshim_host::current();

	if (reinterpret_cast<uintptr_t>(kva) > ZERO_SIZE_PTR)
		h.mem().kheap().not_leak(gmm::phys_to_virt(pa_of(kva)));
}
