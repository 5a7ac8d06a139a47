// SPDX-License-Identifier: GPL-2.0-only
// kshim: KASAN for the DUT. dut/ is compiled as a CONFIG_KASAN kernel with outline checks
// (-fsanitize=kernel-address, every load and store a call), and these are the calls: each
// access to the kmalloc heap must stay inside a live object's requested bytes
// (gmm::kernel_heap::check_access). A read past an object, such as p9_release_pages()
// reading pages[nr_pages] (9P-B7), is an "out_of_bounds_read" warning: the kernel reads a
// word nobody gave it, and goes on. A write there is data corruption ("out_of_bounds_write").
// No exception may cross into the C caller.
#include <cstdio>

#include <linux/mm.h>

#include "kshim/host.h"

using rs_kshim::kshim_host;

namespace {

// The finding of a bad access (rare): kept out of check(), whose frame stays small.
__attribute__((noinline, cold)) void report(uint64_t kva, size_t len, bool write,
					    gmm::kernel_heap::access a, uint64_t obj, size_t size)
{
	try {
		char where[64], detail[224];

		if (a == gmm::kernel_heap::access::past_object) {
			snprintf(where, sizeof(where), "kmalloc object 0x%llx",
				 static_cast<unsigned long long>(obj));
			snprintf(detail, sizeof(detail), "%s of %zu bytes at offset %llu of a %zu-byte "
				 "kmalloc object, past its end (KASAN: slab-out-of-bounds)",
				 write ? "write" : "read", len,
				 static_cast<unsigned long long>(kva - obj), size);
		} else {
			snprintf(where, sizeof(where), "kmalloc 0x%llx",
				 static_cast<unsigned long long>(kva));
			snprintf(detail, sizeof(detail), "%s of %zu bytes in a slab slot no live "
				 "object holds (KASAN: slab-out-of-bounds or use-after-free)",
				 write ? "write" : "read", len);
		}
		kshim_host::current().report(write ? rs_models::finding::severity::error :
						     rs_models::finding::severity::warn,
					     write ? "out_of_bounds_write" : "out_of_bounds_read",
					     where, detail);
	} catch (...) {
	}
}

// Every load and store of the DUT: only the direct map's heap bytes are checked (the guest
// memory's host mapping is kshim_direct_map .. + kshim_direct_map_size).
inline void check(uintptr_t addr, size_t len, bool write)
{
	const uint64_t pa = addr - kshim_direct_map;

	if (addr < kshim_direct_map || pa >= kshim_direct_map_size || !len || !kshim_host::exists())
		return;
	uint64_t obj = 0;
	size_t size = 0;
	const uint64_t kva = gmm::phys_to_virt(pa);
	auto a = kshim_host::current().mem().kheap().check_access(kva, len, obj, size);
	if (a != gmm::kernel_heap::access::ok)
		report(kva, len, write, a, obj, size);
}

} // namespace

#define KSHIM_KASAN(n)                                                                        \
	extern "C" void __asan_load##n##_noabort(uintptr_t addr) { check(addr, n, false); }    \
	extern "C" void __asan_store##n##_noabort(uintptr_t addr) { check(addr, n, true); }

KSHIM_KASAN(1)
KSHIM_KASAN(2)
KSHIM_KASAN(4)
KSHIM_KASAN(8)
KSHIM_KASAN(16)

extern "C" void __asan_loadN_noabort(uintptr_t addr, size_t len)
{
	check(addr, len, false);
}

extern "C" void __asan_storeN_noabort(uintptr_t addr, size_t len)
{
	check(addr, len, true);
}

// Called before a noreturn call (kshim_bug parks the thread). In a sanitizer build
// libasan's own must serve it: it unpoisons the stack for the rest of the program.
#ifndef __SANITIZE_ADDRESS__
extern "C" void __asan_handle_no_return(void)
{
}
#endif
