// SPDX-License-Identifier: GPL-2.0-only
// The content model: word values pinned against an independent splitmix64 computation,
// bulk fill equal to byte-by-byte at every alignment, and exact mismatch counts.
#include <cstdint>
#include <vector>

#include "common/content.h"
#include "test_support.h"

namespace {

using rs_models::content_byte;
using rs_models::content_fill;
using rs_models::content_mismatches;
using rs_models::content_word;

// Worked out in Python from the formula in content.h (64-bit wrap-around arithmetic).
void t_word_values(void)
{
	CU_ASSERT_EQUAL(content_word(0, 0), 0x6db6ca64564daeaaull);
	CU_ASSERT_EQUAL(content_word(7, 3), 0x7ddfe57692d111eeull);
	// Bytes are the word's, least significant first: offsets 24..28 of stream 7, and the
	// tail of word 2 before them.
	const uint8_t want[] = {0xcf, 0x6d, 0x42, 0xee, 0x11, 0xd1, 0x92, 0x76};
	for (unsigned i = 0; i < 8; i++)
		CU_ASSERT_EQUAL(content_byte(7, 21 + i), want[i]);
}

// Every start alignment and length 0..40 (head, whole words, tail): fill == byte by byte,
// and nothing past the end is written.
void t_fill_matches_bytes(void)
{
	for (uint64_t off = 1000; off < 1008; off++) {
		for (size_t len = 0; len <= 40; len++) {
			std::vector<uint8_t> buf(len + 1, 0x5a);
			content_fill(3, off, buf.data(), len);
			for (size_t i = 0; i < len; i++)
				CU_ASSERT_EQUAL(buf[i], content_byte(3, off + i));
			CU_ASSERT_EQUAL(buf[len], 0x5a);
			CU_ASSERT_EQUAL(content_mismatches(3, off, buf.data(), len), 0u);
		}
	}
}

// Flipped bytes in the unaligned head, in one word (two of them), in the next, and in the
// tail are each counted once.
void t_mismatch_count(void)
{
	const uint64_t off = 4093; // head 3 bytes, then words from 4096
	std::vector<uint8_t> buf(30);
	content_fill(9, off, buf.data(), buf.size());
	const size_t flips[] = {1, 5, 6, 19, 28};
	size_t n = 0;

	for (size_t at : flips) {
		buf[at] ^= 0x80;
		n++;
		CU_ASSERT_EQUAL(content_mismatches(9, off, buf.data(), buf.size()), n);
	}
	// The same byte flipped back counts no more.
	buf[5] ^= 0x80;
	CU_ASSERT_EQUAL(content_mismatches(9, off, buf.data(), buf.size()), n - 1);
	// Against another stream nearly every byte differs.
	CU_ASSERT(content_mismatches(10, off, buf.data(), buf.size()) > 20);
}

const rs_test::test_entry tests[] = {
	{"word values", t_word_values},
	{"fill matches bytes", t_fill_matches_bytes},
	{"mismatch count", t_mismatch_count},
	{nullptr, nullptr},
};

} // namespace

int main()
{
	return rs_test::run_suite("content model", tests);
}
