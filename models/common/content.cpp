// SPDX-License-Identifier: GPL-2.0-only
// The content model's whole words, where host time goes on large requests (every byte a
// server sends is generated here, every byte a guest reads is checked here). Unrolled and
// vectorized (-O3), in one build per x86 vector width the compiler picks from at load time
// (target_clones: an ifunc): the words are the same integers whatever the CPU.
#include "common/content.h"

namespace rs_models {

#if defined(__x86_64__) && !defined(__clang__)
#define RS_CONTENT_CLONES __attribute__((target_clones("arch=skylake-avx512", "avx2", "default")))
#else
#define RS_CONTENT_CLONES
#endif

RS_CONTENT_CLONES
void content_words_fill(uint64_t stream, uint64_t word, uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t w = content_word_in_memory(stream, word + i);

		memcpy(buf + 8 * i, &w, 8);
	}
}

RS_CONTENT_CLONES
uint64_t content_words_diff(uint64_t stream, uint64_t word, const uint8_t *buf, size_t n)
{
	uint64_t diff = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t got;

		memcpy(&got, buf + 8 * i, 8);
		diff |= got ^ content_word_in_memory(stream, word + i);
	}
	return diff;
}

} // namespace rs_models
