// SPDX-License-Identifier: GPL-2.0-only
// libsystemc.so refers to sc_main, so every program linking SystemC must define one. The
// model tests are ordinary CUnit programs with their own main() (the DMA test calls
// sc_core::sc_start() itself); this sc_main only satisfies the linker and is never called.
#include <systemc>

int sc_main(int, char *[])
{
	return 2;
}
