// SPDX-License-Identifier: GPL-2.0-only
// The hooks -finstrument-functions puts at the entry and the return of every function of the
// driver's own files (dut/sources.cmake): to the probe watching, if one is (probes.h). Like
// kasan.cpp, this goes into every program that links the DUT as an object.
#include "kshim/probes.h"

namespace rs_kshim {

static func_probe *watching;

void watch_functions(func_probe *p)
{
	watching = p;
}

} // namespace rs_kshim

extern "C" {

__attribute__((no_instrument_function)) void __cyg_profile_func_enter(void *fn, void *site)
{
	(void)site;
	if (rs_kshim::watching)
		rs_kshim::watching->entered(fn);
}

__attribute__((no_instrument_function)) void __cyg_profile_func_exit(void *fn, void *site)
{
	(void)site;
	if (rs_kshim::watching)
		rs_kshim::watching->returned(fn);
}

} // extern "C"
