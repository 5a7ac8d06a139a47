// SPDX-License-Identifier: GPL-2.0-only
// User address spaces: lazy faults, get_user_pages_fast() with partial pins and errors,
// reference and pin counts, munmap() of pinned pages, copy to and from user memory.
#include <cerrno>
#include <cstring>
#include <vector>

#include <gsl/gsl_errno.h>

#include "guest_mm/address_space.h"
#include "test_support.h"

using gmm::address_space;
using gmm::NO_PFN;
using gmm::page_kind;
using rs_test::gmm_parts;

namespace {

constexpr uint64_t PS = 4096;
constexpr uint64_t BASE = address_space::USER_BASE;

void t_pin_mmap_layout(void)
{
	gmm_parts g(64, PS, 3);
	address_space as(g.pages);
	CU_ASSERT(as.mmap(3 * PS) == BASE);
	CU_ASSERT(as.mmap(1) == BASE + 4 * PS);        // 3 pages + 1 guard page
	CU_ASSERT(as.mmap(PS + 1) == BASE + 6 * PS);   // 1 page + guard
	CU_ASSERT(as.mmap(0) == 0);
	CU_ASSERT(as.nr_vmas() == 3);
	CU_ASSERT(g.alloc.nr_allocated() == 0);        // nothing faulted in yet
	CU_ASSERT(as.follow_page(BASE) == NO_PFN);
}

void t_pin_gup_partial_vma_end(void)
{
	// A fresh 64-frame allocator hands out order-0 frames 0, 1, 2 in that order.
	gmm_parts g(64, PS, 3);
	address_space as(g.pages);
	uint64_t va = as.mmap(3 * PS);
	uint64_t pfns[5] = {NO_PFN, NO_PFN, NO_PFN, NO_PFN, NO_PFN};
	CU_ASSERT(as.get_user_pages_fast(va, 5, 1, pfns, 11) == 3);
	CU_ASSERT(pfns[0] == 0 && pfns[1] == 1 && pfns[2] == 2);
	CU_ASSERT(pfns[3] == NO_PFN); // untouched past the pinned count
	for (int i = 0; i < 3; i++) {
		const gmm::page_meta &m = g.pages.page(pfns[i]);
		CU_ASSERT(m.kind == page_kind::user);
		CU_ASSERT(m.refcount == 2); // the mapping's and the pin's
		CU_ASSERT(m.pincount == 1);
		CU_ASSERT(m.owner == 11);
	}
	CU_ASSERT(g.pages.pinned_pages() == 3);
	CU_ASSERT(as.rss() == 3 && as.nr_faults() == 3);
	CU_ASSERT(as.follow_page(va + 2 * PS + 5) == 2);
}

void t_pin_gup_unaligned_start(void)
{
	gmm_parts g(64, PS, 3);
	address_space as(g.pages);
	uint64_t va = as.mmap(4 * PS);
	uint64_t pfns[2];
	// Starts inside page 1: pins pages 1 and 2 of the mapping (faulted first: pfns 0, 1).
	CU_ASSERT(as.get_user_pages_fast(va + PS + 100, 2, 0, pfns) == 2);
	CU_ASSERT(as.follow_page(va) == NO_PFN);
	CU_ASSERT(as.follow_page(va + PS) == pfns[0] && as.follow_page(va + 2 * PS) == pfns[1]);
	CU_ASSERT(pfns[0] == 0 && pfns[1] == 1);
	CU_ASSERT(as.get_user_pages_fast(va, 0, 0, pfns) == 0);
}

void t_pin_gup_efault_bad(void)
{
	gmm_parts g(64, PS, 3);
	address_space as(g.pages);
	uint64_t va = as.mmap(3 * PS);
	uint64_t pfns[4];
	CU_ASSERT(as.get_user_pages_fast(0x1000, 1, 1, pfns) == -EFAULT);
	CU_ASSERT(as.get_user_pages_fast(va + 3 * PS, 1, 1, pfns) == -EFAULT); // guard page
	CU_ASSERT(as.get_user_pages_fast(va - PS, 4, 1, pfns) == -EFAULT);     // starts below
	CU_ASSERT(g.alloc.nr_allocated() == 0 && g.pages.pinned_pages() == 0);
}

void t_pin_gup_fault_fail_partial_bad(void)
{
	gmm_parts g(64, PS, 3);
	address_space as(g.pages);
	uint64_t va = as.mmap(4 * PS);
	uint64_t pfns[4];
	as.fail_faults_after(2);
	CU_ASSERT(as.get_user_pages_fast(va, 4, 1, pfns) == 2); // third fault fails
	CU_ASSERT(g.pages.pinned_pages() == 2 && as.rss() == 2);
	// One-shot: pages 0 and 1 are present, pages 2 and 3 fault in now.
	CU_ASSERT(as.get_user_pages_fast(va, 4, 1, pfns) == 4);
	CU_ASSERT(g.pages.page(pfns[0]).pincount == 2 && g.pages.page(pfns[0]).refcount == 3);
	CU_ASSERT(g.pages.page(pfns[3]).pincount == 1 && g.pages.page(pfns[3]).refcount == 2);
	CU_ASSERT(g.pages.pinned_pages() == 4);
}

void t_pin_gup_enomem_bad(void)
{
	gmm_parts g(64, PS, 3);
	address_space as(g.pages);
	uint64_t va = as.mmap(2 * PS);
	uint64_t pfns[2];
	as.fail_faults_after(0);
	CU_ASSERT(as.get_user_pages_fast(va, 2, 1, pfns) == -ENOMEM);
	CU_ASSERT(g.alloc.nr_allocated() == 0 && g.pages.pinned_pages() == 0);
	// Memory exhausted for real: 62 of 64 frames taken, a 4-page gup pins 2.
	for (int i = 0; i < 7; i++)
		CU_ASSERT(g.pages.alloc_pages(3, page_kind::kernel, -1) != NO_PFN);
	CU_ASSERT(g.pages.alloc_pages(2, page_kind::kernel, -1) != NO_PFN);
	CU_ASSERT(g.pages.alloc_pages(1, page_kind::kernel, -1) != NO_PFN);
	uint64_t vb = as.mmap(4 * PS);
	uint64_t more[4];
	CU_ASSERT(as.get_user_pages_fast(vb, 4, 1, more) == 2);
	CU_ASSERT(g.alloc.nr_free() == 0);
	uint64_t vc = as.mmap(PS);
	CU_ASSERT(as.get_user_pages_fast(vc, 1, 1, more) == -ENOMEM);
}

void t_pin_put_page_refcounts(void)
{
	gmm_parts g(64, PS, 3);
	address_space as(g.pages);
	uint64_t va = as.mmap(PS);
	uint64_t p1, p2;
	CU_ASSERT(as.get_user_pages_fast(va, 1, 1, &p1) == 1);
	CU_ASSERT(as.get_user_pages_fast(va, 1, 1, &p2) == 1);
	CU_ASSERT(p1 == p2);
	CU_ASSERT(g.pages.page(p1).pincount == 2 && g.pages.page(p1).refcount == 3);
	CU_ASSERT(g.pages.pinned_pages() == 1);
	CU_ASSERT(as.put_page(p1) == 0);
	CU_ASSERT(g.pages.page(p1).pincount == 1 && g.pages.page(p1).refcount == 2);
	CU_ASSERT(as.put_page(p1) == 0);
	CU_ASSERT(g.pages.page(p1).pincount == 0 && g.pages.page(p1).refcount == 1);
	CU_ASSERT(g.pages.pinned_pages() == 0 && g.pages.pinned_pages_max() == 1);
	CU_ASSERT(g.pages.page(p1).kind == page_kind::user); // still mapped
	CU_ASSERT(g.alloc.nr_allocated() == 1);
	CU_ASSERT(as.munmap(va) == 0);
	CU_ASSERT(g.alloc.nr_allocated() == 0);
	CU_ASSERT(g.sink.findings.empty());
}

void t_pin_munmap_while_pinned(void)
{
	gmm_parts g(64, PS, 3);
	address_space as(g.pages);
	uint64_t va = as.mmap(2 * PS);
	uint64_t pfns[2];
	CU_ASSERT(as.get_user_pages_fast(va, 2, 1, pfns, 4) == 2);
	CU_ASSERT(as.munmap(va) == 0);
	CU_ASSERT(as.nr_vmas() == 0 && as.rss() == 0);
	// The pins keep both pages allocated after the mapping is gone.
	CU_ASSERT(g.alloc.nr_allocated() == 2);
	CU_ASSERT(g.pages.page(pfns[0]).kind == page_kind::user);
	CU_ASSERT(g.pages.page(pfns[0]).refcount == 1 && g.pages.page(pfns[0]).pincount == 1);
	CU_ASSERT(!g.alloc.is_free(pfns[0]) && !g.alloc.is_free(pfns[1]));
	CU_ASSERT(as.put_page(pfns[0]) == 0);
	CU_ASSERT(g.alloc.is_free(pfns[0]) && !g.alloc.is_free(pfns[1]));
	CU_ASSERT(g.pages.page(pfns[0]).kind == page_kind::free);
	CU_ASSERT(as.put_page(pfns[1]) == 0);
	CU_ASSERT(g.alloc.nr_allocated() == 0 && g.pages.pinned_pages() == 0);
	CU_ASSERT(g.alloc.check());
	CU_ASSERT(g.sink.findings.empty());
}

void t_pin_munmap_unpinned_frees(void)
{
	gmm_parts g(64, PS, 3);
	address_space as(g.pages);
	uint64_t va = as.mmap(3 * PS);
	uint8_t buf[PS];
	memset(buf, 0x5a, sizeof(buf));
	CU_ASSERT(as.copy_to_user(va, buf, PS) == 0);
	CU_ASSERT(as.copy_to_user(va + 2 * PS, buf, PS) == 0);
	CU_ASSERT(as.rss() == 2 && g.alloc.nr_allocated() == 2);
	CU_ASSERT(g.bytes.host_bytes() == 2 * PS);
	CU_ASSERT(as.munmap(va) == 0);
	CU_ASSERT(g.alloc.nr_allocated() == 0);
	CU_ASSERT(g.bytes.host_bytes() == 0);
}

void t_pin_munmap_bad(void)
{
	gmm_parts g(64, PS, 3);
	address_space as(g.pages);
	uint64_t va = as.mmap(2 * PS);
	CU_ASSERT(as.munmap(va + PS) == -EINVAL);
	CU_ASSERT(as.munmap(0x1000) == -EINVAL);
	CU_ASSERT(as.nr_vmas() == 1);
	CU_ASSERT(as.munmap(va) == 0);
	CU_ASSERT(as.munmap(va) == -EINVAL);
}

void t_pin_put_page_bad(void)
{
	gmm_parts g(64, PS, 3);
	address_space as(g.pages);
	CU_ASSERT(as.put_page(5) == -EINVAL);  // a free page
	CU_ASSERT(as.put_page(64) == -EINVAL); // beyond memory
	CU_ASSERT(g.sink.count("bad_put_page") == 2);
	const rs_models::finding *f = g.sink.first("bad_put_page");
	CU_ASSERT(f && f->where == "guest_mm pfn 0x5");
	CU_ASSERT(g.alloc.nr_allocated() == 0 && g.alloc.check());
}

void t_pin_copy_user_roundtrip(void)
{
	gmm_parts g(64, PS, 3);
	address_space as(g.pages);
	uint64_t va = as.mmap(2 * PS);
	uint8_t in[100], out[100];
	for (int i = 0; i < 100; i++)
		in[i] = static_cast<uint8_t>(i + 1);
	// 50 bytes at the end of page 0 and 50 at the start of page 1.
	CU_ASSERT(as.copy_to_user(va + PS - 50, in, 100) == 0);
	CU_ASSERT(as.copy_from_user(va + PS - 50, out, 100) == 0);
	CU_ASSERT(memcmp(in, out, 100) == 0);
	uint64_t p0 = as.follow_page(va), p1 = as.follow_page(va + PS);
	CU_ASSERT(p0 == 0 && p1 == 1);
	uint8_t b;
	CU_ASSERT(g.bytes.read(p0 * PS + PS - 50, &b, 1) == 0 && b == 1);
	CU_ASSERT(g.bytes.read(p1 * PS + 49, &b, 1) == 0 && b == 100);
	CU_ASSERT(g.bytes.read(p1 * PS + 50, &b, 1) == 0 && b == 0);
}

void t_pin_copy_user_short_bad(void)
{
	gmm_parts g(64, PS, 3);
	address_space as(g.pages);
	uint64_t va = as.mmap(PS);
	uint8_t buf[300] = {};
	// 200 of the 300 bytes fit before the guard page.
	CU_ASSERT(as.copy_to_user(va + PS - 200, buf, 300) == 100);
	CU_ASSERT(as.copy_from_user(va + PS - 200, buf, 300) == 100);
	CU_ASSERT(as.copy_to_user(0x1000, buf, 300) == 300);
	uint64_t vb = as.mmap(PS);
	as.fail_faults_after(0);
	CU_ASSERT(as.copy_to_user(vb, buf, 10) == 10);
}

void t_pin_exit_mmap(void)
{
	gmm_parts g(64, PS, 3);
	address_space as(g.pages);
	uint64_t a = as.mmap(2 * PS), b = as.mmap(PS);
	uint64_t pfn;
	uint8_t x = 1;
	CU_ASSERT(as.copy_to_user(a, &x, 1) == 0);
	CU_ASSERT(as.get_user_pages_fast(b, 1, 1, &pfn) == 1);
	as.exit_mmap();
	CU_ASSERT(as.nr_vmas() == 0);
	CU_ASSERT(g.alloc.nr_allocated() == 1); // the pinned one
	CU_ASSERT(as.put_page(pfn) == 0);
	CU_ASSERT(g.alloc.nr_allocated() == 0);
}

} // namespace

int main()
{
	gsl_set_error_handler_off();
	static const rs_test::test_entry tests[] = {
		{"t_pin_mmap_layout", t_pin_mmap_layout},
		{"t_pin_gup_partial_vma_end", t_pin_gup_partial_vma_end},
		{"t_pin_gup_unaligned_start", t_pin_gup_unaligned_start},
		{"t_pin_gup_efault_bad", t_pin_gup_efault_bad},
		{"t_pin_gup_fault_fail_partial_bad", t_pin_gup_fault_fail_partial_bad},
		{"t_pin_gup_enomem_bad", t_pin_gup_enomem_bad},
		{"t_pin_put_page_refcounts", t_pin_put_page_refcounts},
		{"t_pin_munmap_while_pinned", t_pin_munmap_while_pinned},
		{"t_pin_munmap_unpinned_frees", t_pin_munmap_unpinned_frees},
		{"t_pin_munmap_bad", t_pin_munmap_bad},
		{"t_pin_put_page_bad", t_pin_put_page_bad},
		{"t_pin_copy_user_roundtrip", t_pin_copy_user_roundtrip},
		{"t_pin_copy_user_short_bad", t_pin_copy_user_short_bad},
		{"t_pin_exit_mmap", t_pin_exit_mmap},
		{nullptr, nullptr},
	};
	return rs_test::run_suite("guest_mm_pin", tests);
}
