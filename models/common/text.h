// SPDX-License-Identifier: GPL-2.0-only
// Small helpers the models use to word their findings and configuration errors.
#ifndef RS_MODELS_COMMON_TEXT_H
#define RS_MODELS_COMMON_TEXT_H

#include <cstdint>
#include <string>

namespace rs_models {

inline std::string num(uint64_t v)
{
	return std::to_string(v);
}

// "0x1a2": addresses and frame numbers in findings.
inline std::string hex(uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	std::string s;

	do {
		s.insert(s.begin(), digits[v & 0xf]);
		v >>= 4;
	} while (v);
	return "0x" + s;
}

inline bool power_of_two(uint64_t v)
{
	return v && !(v & (v - 1));
}

} // namespace rs_models

#endif
