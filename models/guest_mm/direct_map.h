// SPDX-License-Identifier: GPL-2.0-only
// The kernel's direct map: all of guest physical memory at one fixed virtual offset, so
// virt_to_phys() is a subtraction (x86-64 __pa() for direct-map addresses).
#ifndef RS_GUEST_MM_DIRECT_MAP_H
#define RS_GUEST_MM_DIRECT_MAP_H

#include <cstdint>

namespace gmm {

// Start of the direct map: the bottom of x86-64's kernel half with 4-level paging. Real
// kernels put PAGE_OFFSET a little higher (0xffff888000000000); the exact value only has to
// be canonical, kernel-half and far from user addresses.
constexpr uint64_t KERNEL_BASE = 0xffff800000000000ull;

// What kmalloc(0) returns (include/linux/slab.h): not NULL, but faults on any access.
constexpr uint64_t ZERO_SIZE_PTR = 16;

/** virt_to_phys() - Return: the physical address of direct-map address @kva. */
constexpr uint64_t virt_to_phys(uint64_t kva) { return kva - KERNEL_BASE; }

/** phys_to_virt() - Return: the direct-map address of physical address @pa. */
constexpr uint64_t phys_to_virt(uint64_t pa) { return pa + KERNEL_BASE; }

/** is_direct_map() - Return: true when @kva lies in the direct map of @memory_bytes. */
constexpr bool is_direct_map(uint64_t kva, uint64_t memory_bytes)
{
	return kva >= KERNEL_BASE && kva - KERNEL_BASE < memory_bytes;
}

/** virt_to_pfn() - Return: the frame of direct-map address @kva with pages of @page_size. */
constexpr uint64_t virt_to_pfn(uint64_t kva, uint32_t page_size)
{
	return virt_to_phys(kva) / page_size;
}

} // namespace gmm

#endif
