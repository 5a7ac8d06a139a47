// SPDX-License-Identifier: GPL-2.0-only
// Buddy page allocator: exact split and merge on a small memory worked out by hand,
// exhaustion, preconditioning, and the invariants after random alloc/free sequences.
#include <cerrno>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "guest_mm/buddy.h"
#include "guest_mm/guest_memory.h"
#include "test_support.h"

using gmm::buddy;
using gmm::NO_PFN;

namespace {

struct rng_holder {
	explicit rng_holder(unsigned long seed) : r(gsl_rng_alloc(gsl_rng_mt19937)) { gsl_rng_set(r, seed); }
	~rng_holder() { gsl_rng_free(r); }
	gsl_rng *r;
};

bool list_is(const buddy &b, unsigned order, const std::vector<uint64_t> &want)
{
	return b.free_list(order) == want;
}

bool checked(const buddy &b)
{
	std::string why;
	bool ok = b.check(&why);
	if (!ok)
		fprintf(stderr, "\n    buddy::check: %s\n", why.c_str());
	return ok;
}

// 64 frames, max order 3: eight order-3 blocks 0, 8, ..., 56, in ascending order.
// Then: alloc(0) -> 0 (leaves 4 on order 2, 2 on order 1, 1 on order 0), alloc(0) -> 1,
// alloc(1) -> 2, alloc(0) -> 4 (splits 4: 6 to order 1, 5 to order 0), alloc(2) -> 8
// (splits 8: 12 to order 2).
void split_sequence(buddy &b, uint64_t got[5])
{
	got[0] = b.alloc_pages(0);
	got[1] = b.alloc_pages(0);
	got[2] = b.alloc_pages(1);
	got[3] = b.alloc_pages(0);
	got[4] = b.alloc_pages(2);
}

void t_buddy_initial_blocks(void)
{
	buddy b(64, 3);
	CU_ASSERT(list_is(b, 3, {0, 8, 16, 24, 32, 40, 48, 56}));
	CU_ASSERT(b.nr_free_blocks(0) == 0 && b.nr_free_blocks(1) == 0 && b.nr_free_blocks(2) == 0);
	CU_ASSERT(b.nr_free() == 64 && b.nr_allocated() == 0);
	CU_ASSERT(checked(b));
}

void t_buddy_odd_size_tail(void)
{
	// 70 frames: 0..63 as eight order-3 blocks, then 64..67 (order 2), 68..69 (order 1).
	buddy b(70, 3);
	CU_ASSERT(b.nr_free_blocks(3) == 8);
	CU_ASSERT(list_is(b, 2, {64}));
	CU_ASSERT(list_is(b, 1, {68}));
	CU_ASSERT(b.nr_free_blocks(0) == 0);
	CU_ASSERT(checked(b));
	// Freeing 68 with its would-be buddy 70 beyond the end must not merge past the end.
	CU_ASSERT(b.alloc_pages(1) == 68);
	CU_ASSERT(b.free_pages(68, 1) == 0);
	CU_ASSERT(list_is(b, 1, {68}));
	CU_ASSERT(checked(b));
}

void t_buddy_split_exact(void)
{
	buddy b(64, 3);
	uint64_t got[5];
	split_sequence(b, got);
	CU_ASSERT(got[0] == 0);
	CU_ASSERT(got[1] == 1);
	CU_ASSERT(got[2] == 2);
	CU_ASSERT(got[3] == 4);
	CU_ASSERT(got[4] == 8);
	CU_ASSERT(list_is(b, 0, {5}));
	CU_ASSERT(list_is(b, 1, {6}));
	CU_ASSERT(list_is(b, 2, {12}));
	CU_ASSERT(list_is(b, 3, {16, 24, 32, 40, 48, 56}));
	CU_ASSERT(b.nr_allocated() == 9);
	CU_ASSERT(b.nr_free() == 55);
	CU_ASSERT(b.max_allocated() == 9);
	CU_ASSERT(!b.is_free(0) && !b.is_free(3) && b.is_free(5) && !b.is_free(11) && b.is_free(12));
	CU_ASSERT(checked(b));
}

void t_buddy_merge_exact(void)
{
	buddy b(64, 3);
	uint64_t got[5];
	split_sequence(b, got);
	// 1: buddy 0 is allocated, no merge.
	CU_ASSERT(b.free_pages(1, 0) == 0);
	CU_ASSERT(list_is(b, 0, {1, 5}));
	// 0: merges with 1 into 0/order 1; its buddy 2 is allocated.
	CU_ASSERT(b.free_pages(0, 0) == 0);
	CU_ASSERT(list_is(b, 0, {5}));
	CU_ASSERT(list_is(b, 1, {0, 6}));
	// 4: merges with 5 (order 0), then with 6 (order 1) into 4/order 2; buddy 0 is order 1.
	CU_ASSERT(b.free_pages(4, 0) == 0);
	CU_ASSERT(b.nr_free_blocks(0) == 0);
	CU_ASSERT(list_is(b, 1, {0}));
	CU_ASSERT(list_is(b, 2, {4, 12}));
	// 2/order 1: merges with 0 into 0/order 2, then with 4 into 0/order 3.
	CU_ASSERT(b.free_pages(2, 1) == 0);
	CU_ASSERT(b.nr_free_blocks(1) == 0);
	CU_ASSERT(list_is(b, 2, {12}));
	CU_ASSERT(list_is(b, 3, {0, 16, 24, 32, 40, 48, 56}));
	// 8/order 2: merges with 12 into 8/order 3, at the head.
	CU_ASSERT(b.free_pages(8, 2) == 0);
	CU_ASSERT(list_is(b, 3, {8, 0, 16, 24, 32, 40, 48, 56}));
	CU_ASSERT(b.nr_free() == 64 && b.nr_allocated() == 0 && b.max_allocated() == 9);
	CU_ASSERT(checked(b));
}

void t_buddy_exhaustion_bad(void)
{
	buddy b(64, 3);
	for (uint64_t i = 0; i < 8; i++)
		CU_ASSERT(b.alloc_pages(3) == i * 8);
	CU_ASSERT(b.alloc_pages(0) == NO_PFN);
	CU_ASSERT(b.alloc_pages(3) == NO_PFN);
	CU_ASSERT(b.nr_free() == 0);
	CU_ASSERT(checked(b));
	// Free everything: back to eight order-3 blocks.
	for (uint64_t i = 0; i < 8; i++)
		CU_ASSERT(b.free_pages(i * 8, 3) == 0);
	CU_ASSERT(b.nr_free_blocks(3) == 8 && b.nr_free() == 64);
	CU_ASSERT(checked(b));
}

void t_buddy_order_too_big_bad(void)
{
	buddy b(64, 3);
	CU_ASSERT(b.alloc_pages(4) == NO_PFN);
	CU_ASSERT(b.nr_free() == 64);
}

void t_buddy_bad_free_bad(void)
{
	buddy b(64, 3);
	CU_ASSERT(b.free_pages(0, 0) == -EINVAL);  // already free
	CU_ASSERT(b.alloc_pages(1) == 0);
	CU_ASSERT(b.free_pages(1, 1) == -EINVAL);  // misaligned
	CU_ASSERT(b.free_pages(64, 0) == -EINVAL); // beyond the end
	CU_ASSERT(b.free_pages(0, 4) == -EINVAL);  // order beyond max
	CU_ASSERT(b.free_pages(0, 2) == -EINVAL);  // 2..3 are free: partly free block
	CU_ASSERT(b.free_pages(0, 1) == 0);
	CU_ASSERT(b.free_pages(0, 1) == -EINVAL);  // double free
	CU_ASSERT(b.nr_free() == 64);
	CU_ASSERT(checked(b));
}

void t_buddy_free_all_merges(void)
{
	// Allocate every frame as order 0 and free in an interleaved order: all must merge.
	buddy b(64, 3);
	std::vector<uint64_t> pfns;
	for (int i = 0; i < 64; i++)
		pfns.push_back(b.alloc_pages(0));
	CU_ASSERT(b.alloc_pages(0) == NO_PFN);
	for (int i = 0; i < 64; i += 2)
		CU_ASSERT(b.free_pages(pfns[i], 0) == 0);
	CU_ASSERT(b.nr_free_blocks(0) == 32); // every even frame alone: odd buddies allocated
	for (int i = 1; i < 64; i += 2)
		CU_ASSERT(b.free_pages(pfns[i], 0) == 0);
	CU_ASSERT(b.nr_free_blocks(3) == 8);
	CU_ASSERT(b.nr_free_blocks(0) + b.nr_free_blocks(1) + b.nr_free_blocks(2) == 0);
	CU_ASSERT(checked(b));
}

void t_buddy_precondition_zero(void)
{
	rng_holder rng(1);
	buddy b(4096, 10);
	std::vector<uint64_t> kept;
	CU_ASSERT(b.precondition(0.0, rng.r, &kept) == 0);
	CU_ASSERT(kept.empty());
	CU_ASSERT(b.nr_free_blocks(10) == 4);
	for (unsigned o = 0; o < 10; o++)
		CU_ASSERT(b.nr_free_blocks(o) == 0);
	CU_ASSERT(b.nr_allocated() == 0 && b.max_allocated() == 0);
	CU_ASSERT(checked(b));
}

void t_buddy_precondition_half(void)
{
	rng_holder rng(7);
	buddy small(64, 3);
	CU_ASSERT(small.precondition(0.5, rng.r, nullptr) == 0);
	CU_ASSERT(small.nr_allocated() == 32);
	CU_ASSERT(checked(small));

	buddy b(4096, 10);
	std::vector<uint64_t> kept;
	CU_ASSERT(b.precondition(0.5, rng.r, &kept) == 0);
	CU_ASSERT(kept.size() == 2048);
	CU_ASSERT(b.nr_allocated() == 2048 && b.max_allocated() == 2048);
	for (uint64_t pfn : kept)
		CU_ASSERT(!b.is_free(pfn));
	CU_ASSERT(checked(b));
	// Half the frames held at random: the next 16 order-0 allocations are scattered.
	std::vector<uint64_t> got;
	for (int i = 0; i < 16; i++)
		got.push_back(b.alloc_pages(0));
	int adjacent = 0;
	for (int i = 1; i < 16; i++)
		adjacent += got[i] == got[i - 1] + 1;
	CU_ASSERT(got[15] != got[0] + 15);
	CU_ASSERT(adjacent < 15);
	CU_ASSERT(checked(b));
}

void t_buddy_precondition_full(void)
{
	rng_holder rng(3);
	buddy b(64, 3);
	CU_ASSERT(b.precondition(1.0, rng.r, nullptr) == 0);
	CU_ASSERT(b.nr_free() == 0);
	CU_ASSERT(b.alloc_pages(0) == NO_PFN);
	CU_ASSERT(checked(b));
}

void t_buddy_precondition_deterministic(void)
{
	rng_holder r1(11), r2(11), r3(12);
	buddy a(1024, 10), b(1024, 10), c(1024, 10);
	std::vector<uint64_t> ka, kb, kc;
	CU_ASSERT(a.precondition(0.3, r1.r, &ka) == 0);
	CU_ASSERT(b.precondition(0.3, r2.r, &kb) == 0);
	CU_ASSERT(c.precondition(0.3, r3.r, &kc) == 0);
	CU_ASSERT(ka.size() == 307); // round(0.3 * 1024) = round(307.2)
	CU_ASSERT(ka == kb);
	CU_ASSERT(ka != kc);
	bool same = true;
	for (unsigned o = 0; o <= 10; o++)
		same = same && a.free_list(o) == b.free_list(o);
	CU_ASSERT(same);
}

void t_buddy_precondition_busy_bad(void)
{
	rng_holder rng(1);
	buddy b(64, 3);
	CU_ASSERT(b.alloc_pages(0) == 0);
	CU_ASSERT(b.precondition(0.5, rng.r, nullptr) == -EBUSY);
	CU_ASSERT(b.nr_allocated() == 1);
	buddy c(64, 3);
	CU_ASSERT(c.precondition(1.5, rng.r, nullptr) == -EINVAL);
	CU_ASSERT(c.precondition(-0.1, rng.r, nullptr) == -EINVAL);
	CU_ASSERT(c.nr_allocated() == 0);
}

void t_buddy_random_sequences(void)
{
	// Random alloc/free on 256 frames, orders 0..4, checking the invariants at every step
	// and that live blocks stay allocated and disjoint.
	rng_holder rng(2024);
	buddy b(256, 4);
	struct blk {
		uint64_t pfn;
		unsigned order;
	};
	std::vector<blk> live;
	std::vector<int> owner(256, -1);
	uint64_t live_pages = 0;
	bool ok = true;
	for (int step = 0; step < 3000 && ok; step++) {
		if (live.empty() || gsl_rng_uniform(rng.r) < 0.55) {
			unsigned order = static_cast<unsigned>(gsl_rng_uniform_int(rng.r, 5));
			uint64_t pfn = b.alloc_pages(order);
			if (pfn == NO_PFN)
				continue;
			ok = ok && (pfn % (1u << order)) == 0;
			for (uint64_t p = pfn; p < pfn + (1u << order); p++) {
				ok = ok && owner[p] < 0;
				owner[p] = step;
			}
			live.push_back({pfn, order});
			live_pages += 1u << order;
		} else {
			size_t i = gsl_rng_uniform_int(rng.r, live.size());
			blk x = live[i];
			live[i] = live.back();
			live.pop_back();
			ok = ok && b.free_pages(x.pfn, x.order) == 0;
			for (uint64_t p = x.pfn; p < x.pfn + (1u << x.order); p++)
				owner[p] = -1;
			live_pages -= 1u << x.order;
		}
		ok = ok && b.nr_allocated() == live_pages && checked(b);
		for (uint64_t p = 0; ok && p < 256; p++)
			ok = (owner[p] >= 0) != b.is_free(p);
	}
	CU_ASSERT(ok);
	for (const blk &x : live)
		CU_ASSERT(b.free_pages(x.pfn, x.order) == 0);
	CU_ASSERT(b.nr_free_blocks(4) == 16 && b.nr_free() == 256);
	CU_ASSERT(checked(b));
}

void t_guest_memory_precondition_2g(void)
{
	// 2 GiB of 4 KiB pages (524288 frames), 30% held by other tenants, holding no frame
	// bytes yet. (Its speed is measured by scripts/bench.sh, not asserted here: timed
	// assertions flake on shared machines.)
	rs_test::test_sink sink;
	gmm::config cfg;
	cfg.memory_bytes = 2ull << 30;
	cfg.page_size = 4096;
	cfg.fragmentation = 0.3;
	cfg.seed = 5;
	cfg.clock_period = sc_core::sc_time(1, sc_core::SC_NS);
	auto gm = std::make_unique<gmm::guest_memory>("gm2g", cfg, sink);
	CU_ASSERT(gm->tenant_pages() == 157286); // round(0.3 * 524288) = round(157286.4)
	CU_ASSERT(gm->pages_allocated() == 157286);
	CU_ASSERT(gm->host_bytes() == 0);
	CU_ASSERT(gm->free_blocks(10) < 512); // no longer all max-order blocks
	CU_ASSERT(sink.findings.empty());
}

} // namespace

int main()
{
	gsl_set_error_handler_off();
	static const rs_test::test_entry tests[] = {
		{"t_buddy_initial_blocks", t_buddy_initial_blocks},
		{"t_buddy_odd_size_tail", t_buddy_odd_size_tail},
		{"t_buddy_split_exact", t_buddy_split_exact},
		{"t_buddy_merge_exact", t_buddy_merge_exact},
		{"t_buddy_exhaustion_bad", t_buddy_exhaustion_bad},
		{"t_buddy_order_too_big_bad", t_buddy_order_too_big_bad},
		{"t_buddy_bad_free_bad", t_buddy_bad_free_bad},
		{"t_buddy_free_all_merges", t_buddy_free_all_merges},
		{"t_buddy_precondition_zero", t_buddy_precondition_zero},
		{"t_buddy_precondition_half", t_buddy_precondition_half},
		{"t_buddy_precondition_full", t_buddy_precondition_full},
		{"t_buddy_precondition_deterministic", t_buddy_precondition_deterministic},
		{"t_buddy_precondition_busy_bad", t_buddy_precondition_busy_bad},
		{"t_buddy_random_sequences", t_buddy_random_sequences},
		{"t_guest_memory_precondition_2g", t_guest_memory_precondition_2g},
		{nullptr, nullptr},
	};
	return rs_test::run_suite("guest_mm_buddy", tests);
}
