// SPDX-License-Identifier: GPL-2.0-only
// What the guest workload sees of a device: a file system or disk it enters exactly where
// the kernel would (9p: p9_client_read/write/readdir; blk: the block layer), from the
// calling guest thread.
#ifndef RS_DEVICES_IO_DEVICE_H
#define RS_DEVICES_IO_DEVICE_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include <systemc>

#include "results/recorder.h"
#include "workload/workload.h"

namespace rs_engine {

class io_device {
public:
	virtual ~io_device() = default;

	// Up (mounted, probed) and ready for requests; guest threads wait for it.
	virtual bool ready() const = 0;
	virtual const sc_core::sc_event &ready_event() const = 0;
	// Bringing it up failed: requests end at once with status "device_down".
	virtual bool failed() const = 0;

	/**
	 * submit() - serve one workload request, from the calling guest thread
	 * @job: index of the job in the scenario
	 * @io: what the workload drew
	 * @buf: the buffer: a user address (as the DUT's char __user *) or a kernel pointer
	 * @pfns: the buffer's frames (page-cache pages for buffered block I/O)
	 * @row: its requests.csv row; the device fills the device fields and the status
	 *
	 * Return: bytes moved (0 on failure, with row.status saying why).
	 * Context: guest thread; waits in simulated time.
	 */
	virtual uint64_t submit(size_t job, const rs_io &io, char *buf,
				const std::vector<uint64_t> &pfns, rs_request_row &row) = 0;

	/**
	 * content_of() - where the bytes of @io live in the device's content model
	 * (rs_models::content): a writer fills its buffer from there, a reader is checked
	 * against it.
	 */
	virtual void content_of(size_t job, const rs_io &io, uint64_t &stream,
				uint64_t &offset) const = 0;

	// Called once every guest thread is done: tear down (unmount) in the device's time.
	virtual void shutdown() = 0;
	virtual bool down() const = 0;
	virtual const sc_core::sc_event &down_event() const = 0;
};

} // namespace rs_engine

#endif
