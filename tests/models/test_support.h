// SPDX-License-Identifier: GPL-2.0-only
// Shared by the model tests: a finding sink that keeps what it gets, the guest memory parts
// without the SystemC module, and a CUnit runner.
#ifndef RS_TESTS_MODELS_TEST_SUPPORT_H
#define RS_TESTS_MODELS_TEST_SUPPORT_H

#include <string>
#include <vector>

#include <CUnit/Basic.h>

#include "common/finding.h"
#include "guest_mm/buddy.h"
#include "guest_mm/kmalloc.h"
#include "guest_mm/mem_map.h"
#include "guest_mm/phys_mem.h"
#include "guest_mm/report.h"

namespace rs_test {

// Collects findings in a vector, in the order reported.
class test_sink : public rs_models::finding_sink_if {
public:
	void report(const rs_models::finding &f) override { findings.push_back(f); }

	size_t count(const std::string &kind) const
	{
		size_t n = 0;
		for (const rs_models::finding &f : findings)
			n += f.kind == kind;
		return n;
	}

	// The first finding of @kind, or NULL.
	const rs_models::finding *first(const std::string &kind) const
	{
		for (const rs_models::finding &f : findings)
			if (f.kind == kind)
				return &f;
		return nullptr;
	}

	std::vector<rs_models::finding> findings;
};

// The guest memory parts, wired as guest_memory wires them, with a zero clock (cycle 0).
struct gmm_parts {
	gmm_parts(uint64_t nr_frames, uint32_t page_size, unsigned max_order)
		: rep(sink, sc_core::SC_ZERO_TIME), bytes(nr_frames, page_size),
		  alloc(nr_frames, max_order), pages(alloc, bytes, rep), heap(pages)
	{
	}

	test_sink sink;
	gmm::reporter rep;
	gmm::phys_mem bytes;
	gmm::buddy alloc;
	gmm::mem_map pages;
	gmm::kernel_heap heap;
};

struct test_entry {
	const char *name;
	CU_TestFunc fn;
};

// Runs one suite verbosely. Return: 0 when every assertion held, 1 otherwise, 2 when CUnit
// itself failed.
inline int run_suite(const char *suite, const test_entry *tests)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	CU_pSuite s = CU_add_suite(suite, nullptr, nullptr);
	if (!s) {
		CU_cleanup_registry();
		return 2;
	}
	for (const test_entry *t = tests; t->name; t++) {
		if (!CU_add_test(s, t->name, t->fn)) {
			CU_cleanup_registry();
			return 2;
		}
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned failures = CU_get_number_of_failures();
	bool error = CU_get_error() != CUE_SUCCESS;
	CU_cleanup_registry();
	return error ? 2 : failures ? 1 : 0;
}

} // namespace rs_test

#endif
