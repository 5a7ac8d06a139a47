// SPDX-License-Identifier: GPL-2.0-only
// End-to-end checks of what a read left in a guest buffer, a chunk at a time: the bytes are
// compared with the content model where they lie, and no host copy of a whole request is
// made, so a 1 GiB read costs 64 KiB of host memory to check.
#ifndef RS_DEVICES_CONTENT_CHECK_H
#define RS_DEVICES_CONTENT_CHECK_H

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "common/content.h"

namespace rs_engine {

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
	static uint8_t chunk[64 * 1024];
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
