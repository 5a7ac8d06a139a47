// SPDX-License-Identifier: GPL-2.0-only
// The instant devices of the native replay. Each is what sim/devices' device is to the DUT
// (the same boot calls, the same ops of dut/dut_ops.h per request), minus every model of
// time: the device serves what the guest posted when the guest has nothing left to run,
// all of it at once, by plain memcpy into and out of guest memory, and calls the guest's
// interrupt handler once per pass (whatever the ring's notification suppression says).
#ifndef RS_NATIVE_NATIVE_DEV_H
#define RS_NATIVE_NATIVE_DEV_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include "guest_mm/guest_memory.h"
#include "scenario/scenario.h"
#include "workload/workload.h"

namespace rs_native {

class native_dev {
public:
	virtual ~native_dev() = default;
	/** mount() - what has to happen in a guest thread before requests (9p: attach). */
	virtual bool mount() { return true; }
	virtual void unmount() {}
	/**
	 * submit() - one workload request from the calling guest thread, through the DUT
	 * Return: bytes moved; *@ok false when the request failed or read wrong bytes.
	 */
	virtual uint64_t submit(size_t job, const rs_io &io, char *buf,
				const std::vector<uint64_t> &pfns, bool *ok) = 0;
	/** content_of() - as io_device::content_of(). */
	virtual void content_of(size_t job, const rs_io &io, uint64_t &stream,
				uint64_t &offset) const = 0;
	/** serve() - the device serves everything posted. Return: whether there was any. */
	virtual bool serve() = 0;
};

// Each throws std::runtime_error when the device cannot boot.
native_dev *new_native_9p(const rs_scenario &s, gmm::guest_memory &mem);
native_dev *new_native_blk(const rs_scenario &s, gmm::guest_memory &mem);

} // namespace rs_native

#endif
