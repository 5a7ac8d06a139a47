// SPDX-License-Identifier: GPL-2.0-only
// A guest buffer filled from the content model (a writer's data), or checked against it (what
// a read left there), a chunk at a time: no host copy of a whole request is made, so a 1 GiB
// request costs 64 KiB of host memory to fill or check.
#ifndef RS_DEVICES_CONTENT_CHUNKS_H
#define RS_DEVICES_CONTENT_CHUNKS_H

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "common/content.h"

namespace rs_engine {

// Sized for the largest page (64 KiB), so a chunk never straddles one.
constexpr size_t k_content_chunk = 64 * 1024;

/**
 * content_fill_chunks() - bytes [@offset, @offset + @len) of content stream @stream, handed
 * to @put(at, bytes, n) at most @chunk_size (and k_content_chunk) at a time
 *
 * Context: never waits (the chunk is shared).
 */
template <typename Put>
void content_fill_chunks(uint64_t stream, uint64_t offset, uint64_t len, uint64_t chunk_size,
			 Put put)
{
	static uint8_t chunk[k_content_chunk];

	chunk_size = std::min<uint64_t>(chunk_size, sizeof(chunk));
	for (uint64_t at = 0; at < len; at += chunk_size) {
		size_t n = static_cast<size_t>(std::min(chunk_size, len - at));

		rs_models::content_fill(stream, offset + at, chunk, n);
		put(at, chunk, n);
	}
}

/**
 * content_check() - how many bytes of a buffer differ from the content model
 * @stream: content stream (rs_models::content_byte)
 * @offset: where the buffer's first byte lies in @stream
 * @len: buffer length
 * @get: get(at, chunk, n) copies the buffer's bytes [at, at + n) into @chunk; @at is a
 *       multiple of 64 KiB, so of any page size
 *
 * Context: never waits (the chunk is shared).
 */
template <typename Get>
uint64_t content_check(uint64_t stream, uint64_t offset, uint64_t len, Get get)
{
	static uint8_t chunk[k_content_chunk];
	uint64_t bad = 0;

	for (uint64_t at = 0; at < len; at += sizeof(chunk)) {
		size_t n = static_cast<size_t>(std::min<uint64_t>(sizeof(chunk), len - at));

		get(at, chunk, n);
		bad += rs_models::content_mismatches(stream, offset + at, chunk, n);
	}
	return bad;
}

} // namespace rs_engine

#endif
