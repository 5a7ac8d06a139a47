// SPDX-License-Identifier: GPL-2.0-only
// kmalloc: size classes, where objects land in slabs (and so whether a buffer straddles a
// page boundary), slabs going back to the page allocator, large allocations, bad kfree.
#include <cerrno>
#include <cstring>
#include <vector>

#include <gsl/gsl_errno.h>

#include "guest_mm/direct_map.h"
#include "test_support.h"

using gmm::KERNEL_BASE;
using gmm::NO_PFN;
using gmm::page_kind;
using gmm::virt_to_phys;
using rs_test::gmm_parts;

namespace {

void t_kmalloc_class_rounding(void)
{
	gmm_parts g(256, 4096, 10);
	struct {
		size_t ask, want;
	} cases[] = {
		{1, 8}, {8, 8}, {9, 16}, {17, 32}, {33, 64}, {64, 64}, {65, 96}, {96, 96},
		{97, 128}, {129, 192}, {193, 256}, {257, 512}, {1000, 1024}, {2049, 4096},
		{4096, 4096}, {4097, 8192}, {8192, 8192},
		{8193, 16384}, // beyond KMALLOC_MAX_CACHE_SIZE: get_order(8193) = 2, four pages
	};
	for (const auto &c : cases) {
		uint64_t kva = g.heap.kmalloc(c.ask, -1);
		CU_ASSERT(kva >= KERNEL_BASE);
		CU_ASSERT(g.heap.ksize(kva) == c.want);
		if (g.heap.ksize(kva) != c.want)
			fprintf(stderr, "\n    kmalloc(%zu): ksize %zu, want %zu", c.ask, g.heap.ksize(kva), c.want);
	}
	CU_ASSERT(g.heap.objects().size() == sizeof(cases) / sizeof(cases[0]));
}

void t_kmalloc_class_rounding_64k(void)
{
	gmm_parts g(64, 65536, 10);
	CU_ASSERT(g.heap.ksize(g.heap.kmalloc(4128, -1)) == 8192);
	CU_ASSERT(g.heap.ksize(g.heap.kmalloc(65536, -1)) == 65536);
	CU_ASSERT(g.heap.ksize(g.heap.kmalloc(65537, -1)) == 131072);     // kmalloc-128k, 2 pages
	CU_ASSERT(g.heap.ksize(g.heap.kmalloc(131073, -1)) == 4 * 65536); // large: order 2
	CU_ASSERT(gmm::kernel_heap::get_order(131073, 65536) == 2);
	CU_ASSERT(gmm::kernel_heap::get_order(4097, 4096) == 1);
	CU_ASSERT(gmm::kernel_heap::get_order(4096, 4096) == 0);
	CU_ASSERT(g.heap.class_size(g.heap.nr_classes() - 1) == 131072);
}

void t_kmalloc_straddle_4k(void)
{
	// 4 KiB pages, fresh allocator. kmalloc(64) takes an order-0 slab at pfn 0 (splitting
	// 0..255 leaves 1 on the order-0 list, 2 on the order-1 list, ...). kmalloc(4096 + 32)
	// is kmalloc-8192: an order-1 slab, the head of the order-1 list, pfn 2: pa 0x2000.
	gmm_parts g(256, 4096, 10);
	uint64_t small = g.heap.kmalloc(64, -1);
	CU_ASSERT(small == KERNEL_BASE);
	uint64_t kva = g.heap.kmalloc(4096 + 32, 3);
	CU_ASSERT(kva == KERNEL_BASE + 0x2000);
	uint64_t pa = virt_to_phys(kva);
	CU_ASSERT(pa % 8192 == 0); // naturally aligned
	// A 4096-byte payload 32 bytes in crosses from pfn 2 into pfn 3.
	CU_ASSERT((pa + 32) / 4096 == 2);
	CU_ASSERT((pa + 32 + 4096 - 1) / 4096 == 3);
	CU_ASSERT(g.pages.page(2).kind == page_kind::slab);
	CU_ASSERT(g.pages.page(3).kind == page_kind::slab);
	CU_ASSERT(g.heap.virt_to_pfn(kva) == 2);
	CU_ASSERT(g.heap.find(kva) && g.heap.find(kva)->owner == 3);
	CU_ASSERT(g.alloc.nr_allocated() == 3);
	// The bytes really are one contiguous buffer across the boundary.
	std::vector<uint8_t> in(4096), out(4096);
	for (size_t i = 0; i < in.size(); i++)
		in[i] = static_cast<uint8_t>(i * 7 + 1);
	CU_ASSERT(g.bytes.write(pa + 32, in.data(), in.size()) == 0);
	CU_ASSERT(g.bytes.read(pa + 32, out.data(), out.size()) == 0);
	CU_ASSERT(in == out);
	uint8_t last;
	CU_ASSERT(g.bytes.read(3 * 4096 + 31, &last, 1) == 0 && last == in[4095]);
	CU_ASSERT(g.bytes.host_bytes() == 2 * 4096);
}

void t_kmalloc_no_straddle_64k(void)
{
	// 64 KiB pages: kmalloc-8192 lives in order-0 slabs of 8 objects; kmalloc(64) took pfn 0,
	// so the kmalloc-8192 slab is pfn 1 (pa 0x10000), objects at 0x10000, 0x12000, ...
	gmm_parts g(64, 65536, 10);
	CU_ASSERT(g.heap.kmalloc(64, -1) == KERNEL_BASE);
	uint64_t a = g.heap.kmalloc(4096 + 32, -1);
	uint64_t b = g.heap.kmalloc(4096 + 32, -1);
	CU_ASSERT(a == KERNEL_BASE + 0x10000);
	CU_ASSERT(b == KERNEL_BASE + 0x12000);
	uint64_t pa = virt_to_phys(a);
	CU_ASSERT((pa + 32) / 65536 == (pa + 32 + 4096 - 1) / 65536);
	CU_ASSERT(g.alloc.nr_allocated() == 2);
}

void t_kmalloc_slab_fill_and_return(void)
{
	// kmalloc-64 on 4 KiB pages: 64 objects per order-0 slab, handed out in address order.
	gmm_parts g(256, 4096, 10);
	std::vector<uint64_t> objs;
	for (int i = 0; i < 64; i++)
		objs.push_back(g.heap.kmalloc(64, -1));
	for (int i = 0; i < 64; i++)
		CU_ASSERT(objs[i] == KERNEL_BASE + 64u * i);
	CU_ASSERT(g.alloc.nr_allocated() == 1 && g.heap.nr_slabs() == 1);
	objs.push_back(g.heap.kmalloc(64, -1)); // 65th: a second slab, pfn 1
	CU_ASSERT(objs.back() == KERNEL_BASE + 4096);
	CU_ASSERT(g.alloc.nr_allocated() == 2 && g.heap.nr_slabs() == 2);
	for (uint64_t kva : objs)
		CU_ASSERT(g.heap.kfree(kva) == 0);
	CU_ASSERT(g.alloc.nr_allocated() == 0);
	CU_ASSERT(g.heap.nr_slabs() == 0);
	CU_ASSERT(g.heap.objects().empty());
	CU_ASSERT(g.pages.nr_pages(page_kind::slab) == 0);
	CU_ASSERT(g.alloc.nr_free_blocks(8) == 1); // merged back into the one 256-page block
	CU_ASSERT(g.alloc.check());
	CU_ASSERT(g.sink.findings.empty());
}

void t_kmalloc_reuse_lifo(void)
{
	gmm_parts g(256, 4096, 10);
	uint64_t a = g.heap.kmalloc(32, -1);
	uint64_t b = g.heap.kmalloc(32, -1);
	uint64_t c = g.heap.kmalloc(32, -1);
	CU_ASSERT(b == a + 32 && c == b + 32);
	CU_ASSERT(g.heap.kfree(b) == 0);
	CU_ASSERT(g.heap.kfree(a) == 0);
	CU_ASSERT(g.heap.kmalloc(32, -1) == a); // last freed, first reused
	CU_ASSERT(g.heap.kmalloc(32, -1) == b);
	CU_ASSERT(g.heap.kmalloc(32, -1) == c + 32);
}

void t_kmalloc_kfree_returns_slab(void)
{
	gmm_parts g(256, 4096, 10);
	uint64_t kva = g.heap.kmalloc(100, 9);
	CU_ASSERT(g.heap.ksize(kva) == 128);
	CU_ASSERT(g.alloc.nr_allocated() == 1);
	uint8_t pattern[100];
	memset(pattern, 0xab, sizeof(pattern));
	CU_ASSERT(g.bytes.write(virt_to_phys(kva), pattern, sizeof(pattern)) == 0);
	CU_ASSERT(g.bytes.host_bytes() == 4096);
	CU_ASSERT(g.heap.kfree(kva, 9) == 0);
	CU_ASSERT(g.alloc.nr_allocated() == 0);
	CU_ASSERT(g.bytes.host_bytes() == 0); // the slab page's bytes were discarded
	CU_ASSERT(g.pages.page(0).kind == page_kind::free);
	// kzalloc from the fresh slab reads zeros where the old bytes were.
	uint64_t z = g.heap.kzalloc(100, -1);
	uint8_t back[100];
	CU_ASSERT(g.bytes.read(virt_to_phys(z), back, sizeof(back)) == 0);
	CU_ASSERT(back[0] == 0 && back[99] == 0);
}

void t_kmalloc_large_pages(void)
{
	gmm_parts g(256, 4096, 10);
	uint64_t kva = g.heap.kmalloc(3 * 4096, 4); // get_order(12288) = 2: pfns 0..3
	CU_ASSERT(kva == KERNEL_BASE);
	CU_ASSERT(g.heap.ksize(kva) == 4 * 4096);
	CU_ASSERT(g.alloc.nr_allocated() == 4);
	CU_ASSERT(g.pages.page(0).kind == page_kind::kernel && g.pages.page(3).kind == page_kind::kernel);
	CU_ASSERT(g.pages.page(3).owner == 4);
	CU_ASSERT(g.heap.nr_slabs() == 0);
	CU_ASSERT(g.heap.kfree(kva) == 0);
	CU_ASSERT(g.alloc.nr_allocated() == 0);
	CU_ASSERT(g.alloc.check());
}

void t_kmalloc_zero_size(void)
{
	gmm_parts g(256, 4096, 10);
	CU_ASSERT(g.heap.kmalloc(0, -1) == gmm::ZERO_SIZE_PTR);
	CU_ASSERT(g.heap.kfree(gmm::ZERO_SIZE_PTR) == 0);
	CU_ASSERT(g.heap.kfree(0) == 0);
	CU_ASSERT(g.alloc.nr_allocated() == 0);
	CU_ASSERT(g.sink.findings.empty());
}

void t_kmalloc_exhaustion_bad(void)
{
	gmm_parts g(256, 4096, 10);
	CU_ASSERT(g.heap.kmalloc(512 * 4096, -1) == 0);  // order 9: larger than all memory
	CU_ASSERT(g.heap.kmalloc(4096ull << 11, -1) == 0); // order 11: beyond max order
	uint64_t all = g.pages.alloc_pages(8, page_kind::kernel, -1);
	CU_ASSERT(all == 0);
	CU_ASSERT(g.heap.kmalloc(8, -1) == 0);
	CU_ASSERT(g.heap.kmalloc(8192, -1) == 0);
	CU_ASSERT(g.heap.objects().empty() && g.heap.nr_slabs() == 0);
	CU_ASSERT(g.sink.findings.empty());
}

void t_kmalloc_kfree_bad(void)
{
	gmm_parts g(256, 4096, 10);
	uint64_t kva = g.heap.kmalloc(64, 2);
	CU_ASSERT(g.heap.kfree(kva + 8, 2) == -EINVAL); // interior pointer
	CU_ASSERT(g.heap.find(kva) != nullptr);          // still live
	CU_ASSERT(g.heap.kfree(0x10000000) == -EINVAL);  // a user address
	CU_ASSERT(g.heap.kfree(kva, 2) == 0);
	CU_ASSERT(g.heap.kfree(kva, 2) == -EINVAL);      // double free
	CU_ASSERT(g.sink.count("bad_kfree") == 3);
	const rs_models::finding *f = g.sink.first("bad_kfree");
	CU_ASSERT(f && f->request == 2);
	CU_ASSERT(f && f->where == "guest_mm kmalloc 0xffff800000000008");
	CU_ASSERT(g.alloc.nr_allocated() == 0);
	CU_ASSERT(g.alloc.check());
}

void t_kmalloc_owner_tracking(void)
{
	gmm_parts g(256, 4096, 10);
	uint64_t a = g.heap.kmalloc(200, -1);
	uint64_t b = g.heap.kmalloc(200, 17);
	uint64_t c = g.heap.kmalloc(20000, 18);
	CU_ASSERT(g.heap.find(a)->owner == -1);
	CU_ASSERT(g.heap.find(b)->owner == 17 && g.heap.find(b)->size == 200);
	CU_ASSERT(g.heap.find(c)->owner == 18 && g.heap.find(c)->cls == -1);
	CU_ASSERT(g.heap.objects().size() == 3);
	CU_ASSERT(g.heap.kfree(b) == 0);
	CU_ASSERT(g.heap.find(b) == nullptr);
	CU_ASSERT(g.heap.objects().size() == 2);
}

} // namespace

// KASAN's rule: a live object's requested bytes only. kmalloc(24) is kmalloc-32 at slot 0 of
// a fresh slab, a second kmalloc(24) at slot 1 (offset 32); slot 2 (offset 64) is free.
void t_kmalloc_check_access(void)
{
	using access = gmm::kernel_heap::access;
	gmm_parts g(256, 4096, 10);
	uint64_t a = g.heap.kmalloc(24, -1), b = g.heap.kmalloc(24, -1), obj = 0;
	uint64_t big = g.heap.kmalloc(5000, -1); // kmalloc-8192
	size_t size = 0;

	CU_ASSERT(b == a + 32);
	CU_ASSERT(g.heap.check_access(a, 8, obj, size) == access::ok);
	CU_ASSERT(g.heap.check_access(a + 16, 8, obj, size) == access::ok);
	CU_ASSERT(g.heap.check_access(a + 24, 8, obj, size) == access::past_object);
	CU_ASSERT(obj == a && size == 24);
	CU_ASSERT(g.heap.check_access(a + 20, 8, obj, size) == access::past_object);
	// exactly at the next slot: b's own bytes
	CU_ASSERT(g.heap.check_access(a + 32, 8, obj, size) == access::ok);
	CU_ASSERT(g.heap.check_access(b + 64 - 32, 8, obj, size) == access::free_slot);
	CU_ASSERT(g.heap.check_access(big + 4999, 1, obj, size) == access::ok);
	CU_ASSERT(g.heap.check_access(big + 5000, 1, obj, size) == access::past_object);
	CU_ASSERT(obj == big && size == 5000);
	// not heap memory: a user address, and a kernel page that is no kmalloc object
	CU_ASSERT(g.heap.check_access(0x1000, 8, obj, size) == access::ok);
	uint64_t pfn = g.pages.alloc_pages(0, page_kind::kernel, -1);
	CU_ASSERT(g.heap.check_access(gmm::phys_to_virt(pfn * 4096 + 8), 8, obj, size) ==
		  access::ok);
	g.heap.kfree(b);
	CU_ASSERT(g.heap.check_access(b, 8, obj, size) == access::free_slot);
}

int main()
{
	gsl_set_error_handler_off();
	static const rs_test::test_entry tests[] = {
		{"t_kmalloc_class_rounding", t_kmalloc_class_rounding},
		{"t_kmalloc_class_rounding_64k", t_kmalloc_class_rounding_64k},
		{"t_kmalloc_straddle_4k", t_kmalloc_straddle_4k},
		{"t_kmalloc_no_straddle_64k", t_kmalloc_no_straddle_64k},
		{"t_kmalloc_slab_fill_and_return", t_kmalloc_slab_fill_and_return},
		{"t_kmalloc_reuse_lifo", t_kmalloc_reuse_lifo},
		{"t_kmalloc_kfree_returns_slab", t_kmalloc_kfree_returns_slab},
		{"t_kmalloc_large_pages", t_kmalloc_large_pages},
		{"t_kmalloc_zero_size", t_kmalloc_zero_size},
		{"t_kmalloc_exhaustion_bad", t_kmalloc_exhaustion_bad},
		{"t_kmalloc_kfree_bad", t_kmalloc_kfree_bad},
		{"t_kmalloc_owner_tracking", t_kmalloc_owner_tracking},
		{"t_kmalloc_check_access", t_kmalloc_check_access},
		{nullptr, nullptr},
	};
	return rs_test::run_suite("guest_mm_kmalloc", tests);
}
