// SPDX-License-Identifier: GPL-2.0-only
// The content model: what every byte of a file or disk holds, as a pure function of
// (stream, byte offset). Writers fill buffers from it, backends check what arrives against
// it, readers check what they get back, so any byte in any place can be verified without
// keeping a copy of the data.
#ifndef RS_MODELS_COMMON_CONTENT_H
#define RS_MODELS_COMMON_CONTENT_H

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace rs_models {

// The 8 bytes of word @word of @stream (splitmix64 of the pair: cheap and well mixed).
inline uint64_t content_word(uint64_t stream, uint64_t word)
{
	uint64_t z = stream * 0x9e3779b97f4a7c15ull + word + 0x632be59bd9b4e019ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

// The byte at @offset of @stream.
inline uint8_t content_byte(uint64_t stream, uint64_t offset)
{
	return static_cast<uint8_t>(content_word(stream, offset >> 3) >> ((offset & 7) * 8));
}

// Word @word of @stream as it lies in memory: byte 0 (the least significant) first.
inline uint64_t content_word_in_memory(uint64_t stream, uint64_t word)
{
	uint64_t w = content_word(stream, word);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

// Fill @buf with bytes [@offset, @offset + @len) of @stream, a word at a time where aligned.
// The whole words of content_fill() and content_mismatches() (content.cpp: vectorized
// where the host CPU can, the same words whatever it is). content_words_diff() is the OR of
// every word's difference: zero when all @n words match.
void content_words_fill(uint64_t stream, uint64_t word, uint8_t *buf, size_t n);
uint64_t content_words_diff(uint64_t stream, uint64_t word, const uint8_t *buf, size_t n);

inline void content_fill(uint64_t stream, uint64_t offset, uint8_t *buf, size_t len)
{
	size_t i = 0;

	for (; i < len && ((offset + i) & 7); i++)
		buf[i] = content_byte(stream, offset + i);
	if (i + 8 <= len) {
		size_t n = (len - i) / 8;

		content_words_fill(stream, (offset + i) >> 3, buf + i, n);
		i += 8 * n;
	}
	for (; i < len; i++)
		buf[i] = content_byte(stream, offset + i);
}

// Return: how many bytes of @buf differ from [@offset, @offset + @len) of @stream.
inline uint64_t content_mismatches(uint64_t stream, uint64_t offset, const uint8_t *buf,
				   size_t len)
{
	uint64_t bad = 0;
	size_t i = 0;

	for (; i < len && ((offset + i) & 7); i++)
		bad += buf[i] != content_byte(stream, offset + i);
	// All whole words at once; word by word only when some differ (rarely).
	if (i + 8 <= len && !content_words_diff(stream, (offset + i) >> 3, buf + i, (len - i) / 8))
		i += 8 * ((len - i) / 8);
	for (; i + 8 <= len; i += 8) {
		uint64_t got, diff;

		memcpy(&got, buf + i, 8);
		diff = got ^ content_word_in_memory(stream, (offset + i) >> 3);
		for (; diff; diff >>= 8)
			bad += (diff & 0xff) != 0;
	}
	for (; i < len; i++)
		bad += buf[i] != content_byte(stream, offset + i);
	return bad;
}

} // namespace rs_models

#endif
