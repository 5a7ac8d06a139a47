// SPDX-License-Identifier: GPL-2.0-only
// The guest kernel's worker thread: runs what schedule_work() queued (blkfront's queue
// restart after a grant free callback, for one), one item at a time, in simulated time.
#ifndef RS_KSHIM_KERNEL_WORKER_H
#define RS_KSHIM_KERNEL_WORKER_H

#include <systemc>

#include <linux/workqueue.h>

#include "kshim/host.h"

namespace rs_kshim {

class kernel_worker : public sc_core::sc_module {
public:
	SC_HAS_PROCESS(kernel_worker);

	kernel_worker(sc_core::sc_module_name name, kshim_host &host)
		: sc_module(name), m_host(host)
	{
		SC_THREAD(run);
	}

private:
	void run()
	{
		auto &q = m_host.work_queue();

		for (;;) {
			while (q.empty())
				wait(m_host.work_event());
			struct work_struct *w = q.front();

			q.erase(q.begin());
			w->pending = 0;
			m_host.charge(KSHIM_COST_CONTEXT_SWITCH, 1);
			w->func(w);
		}
	}

	kshim_host &m_host;
};

} // namespace rs_kshim

#endif
