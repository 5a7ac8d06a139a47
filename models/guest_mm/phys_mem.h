// SPDX-License-Identifier: GPL-2.0-only
// Guest physical memory with real bytes, held sparsely: one contiguous host mapping of the
// whole guest memory, reserved but not committed (MAP_NORESERVE), so the host OS backs only
// the pages a run touches; a page going back to the allocator is handed back to the OS
// (MADV_DONTNEED) and reads as zeros again. Contiguity lets kernel code in the DUT use
// direct-map pointers into it as the kernel does (host_ptr()).
#ifndef RS_GUEST_MM_PHYS_MEM_H
#define RS_GUEST_MM_PHYS_MEM_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace gmm {

class phys_mem {
public:
	/**
	 * phys_mem() - an all-zero guest physical memory
	 * @nr_frames: number of frames, pfn 0..nr_frames-1
	 * @page_size: bytes per frame, a power of two
	 */
	phys_mem(uint64_t nr_frames, uint32_t page_size);
	~phys_mem();
	phys_mem(const phys_mem &) = delete;
	phys_mem &operator=(const phys_mem &) = delete;

	uint64_t nr_frames() const { return m_touched.size(); }
	uint32_t page_size() const { return m_page_size; }
	uint64_t size_bytes() const { return nr_frames() * m_page_size; }

	/**
	 * host_ptr() - Return: the host address of guest physical address @pa; the bytes of
	 * [@pa, end of memory) are contiguous there. Writes through it are not counted in
	 * host_bytes().
	 */
	uint8_t *host_ptr(uint64_t pa) const { return m_base + pa; }

	/**
	 * read() - copy guest bytes out, across page boundaries
	 * @pa: guest physical address
	 * @dst: host buffer of @len bytes
	 * @len: byte count
	 *
	 * Frames never written read as zeros.
	 * Return: 0, or -EFAULT when [@pa, @pa + @len) leaves guest memory (nothing copied).
	 */
	int read(uint64_t pa, void *dst, size_t len) const;

	/**
	 * write() - copy bytes into guest memory, across page boundaries
	 * @pa: guest physical address
	 * @src: host buffer of @len bytes
	 * @len: byte count
	 *
	 * Return: 0, or -EFAULT when the range leaves guest memory (nothing written).
	 */
	int write(uint64_t pa, const void *src, size_t len);

	/**
	 * zero() - clear guest bytes; frames never written stay without a host buffer
	 * @pa: guest physical address
	 * @len: byte count
	 *
	 * Return: 0, or -EFAULT when the range leaves guest memory.
	 */
	int zero(uint64_t pa, size_t len);

	/**
	 * discard() - drop a frame's bytes; it reads as zeros again
	 * @pfn: frame number; out of range is ignored
	 *
	 * Called when the page goes back to the page allocator.
	 */
	void discard(uint64_t pfn);

	/** touched() - Return: true when @pfn was written through write() since its last discard. */
	bool touched(uint64_t pfn) const { return pfn < m_touched.size() && m_touched[pfn]; }

	/** host_bytes() - Return: bytes of the frames written through write() and not discarded. */
	uint64_t host_bytes() const { return m_host_bytes; }

	/** host_bytes_max() - Return: the most host bytes held at any time. */
	uint64_t host_bytes_max() const { return m_host_bytes_max; }

private:
	bool in_range(uint64_t pa, size_t len) const;
	void touch(uint64_t pfn);

	uint32_t m_page_size;
	unsigned m_page_shift;
	uint8_t *m_base;                  // the whole guest memory, lazily backed by the host
	std::vector<bool> m_touched;      // written through write() since the last discard
	uint64_t m_host_bytes = 0;
	uint64_t m_host_bytes_max = 0;
};

} // namespace gmm

#endif
