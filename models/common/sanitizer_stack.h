// SPDX-License-Identifier: GPL-2.0-only
// SystemC switches its coroutine stacks with AddressSanitizer's fiber annotations
// (libsystemc refers to __sanitizer_start/finish_switch_fiber weakly), but the switch back
// to the main context when sc_start() returns leaves ASan believing the thread still runs
// on the last coroutine's stack. LeakSanitizer then scans the wrong range at exit and, as
// ASLR places the stacks, faults ("Tracer caught signal 11"). Call this after sc_start():
// it tells ASan the thread is on its own stack again. Nothing in other builds.
#ifndef RS_MODELS_COMMON_SANITIZER_STACK_H
#define RS_MODELS_COMMON_SANITIZER_STACK_H

#if defined(__SANITIZE_ADDRESS__)
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>
#endif

namespace rs_models {

inline void back_on_thread_stack()
{
#if defined(__SANITIZE_ADDRESS__)
	pthread_attr_t attr;
	void *addr = nullptr, *fake = nullptr;
	size_t size = 0;

	if (pthread_getattr_np(pthread_self(), &attr))
		return;
	pthread_attr_getstack(&attr, &addr, &size);
	pthread_attr_destroy(&attr);
	__sanitizer_start_switch_fiber(&fake, addr, size);
	__sanitizer_finish_switch_fiber(fake, nullptr, nullptr);
#endif
}

} // namespace rs_models

#endif
