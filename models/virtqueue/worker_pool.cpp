// SPDX-License-Identifier: GPL-2.0-only
#include "virtqueue/worker_pool.h"

#include <string>

namespace vq {

// One worker: a module of its own, since a module's SC_THREADs need distinct names.
class worker_pool::thread : public sc_core::sc_module {
public:
	SC_HAS_PROCESS(thread);
	thread(sc_core::sc_module_name name, worker_pool &pool) : sc_module(name), m_pool(pool)
	{
		SC_THREAD(run);
	}

private:
	void run() { m_pool.work(); }
	worker_pool &m_pool;
};

worker_pool::worker_pool(sc_core::sc_module_name name, uint32_t workers, backend_if &backend,
			 dma_if &dma, sc_core::sc_time clock, std::function<void()> on_done)
	: sc_module(name), m_backend(backend), m_dma(dma), m_clock(clock),
	  m_on_done(std::move(on_done))
{
	for (uint32_t w = 0; w < workers; w++)
		m_threads.emplace_back(new thread(("worker_" + std::to_string(w)).c_str(), *this));
}

worker_pool::~worker_pool() = default;

void worker_pool::submit(uint16_t head, std::vector<segment> chain)
{
	pdu p;
	p.seq = m_next_seq++;
	p.head = head;
	p.chain = std::move(chain);
	p.popped_cycle = now_cycle();
	m_popped.insert(p.seq);
	m_queue.push_back(std::move(p));
	m_work.notify();
}

void worker_pool::work()
{
	for (;;) {
		while (m_queue.empty())
			wait(m_work);
		pdu p = std::move(m_queue.front());
		m_queue.pop_front();
		m_in_service++;
		if (m_in_service > m_in_service_max)
			m_in_service_max = m_in_service;
		if (m_obs.service)
			m_obs.service(m_in_service);
		p.len = m_backend.serve(p.head, p.chain, m_dma);
		m_served++;
		m_in_service--;
		if (m_obs.service)
			m_obs.service(m_in_service);
		p.done_cycle = now_cycle();
		if (m_obs.served)
			m_obs.served(p.head, p.popped_cycle, p.done_cycle);
		m_done.push_back(std::move(p));
		if (m_on_done)
			m_on_done();
	}
}

uint64_t worker_pool::now_cycle() const
{
	return static_cast<uint64_t>(sc_core::sc_time_stamp() / m_clock);
}

size_t worker_pool::offered() const
{
	size_t k = SIZE_MAX;
	for (size_t i = 0; i < m_done.size(); i++)
		if (k == SIZE_MAX || m_done[i].done_cycle < m_done[k].done_cycle ||
		    (m_done[i].done_cycle == m_done[k].done_cycle && m_done[i].seq < m_done[k].seq))
			k = i;
	return k;
}

const pdu *worker_pool::offer() const
{
	size_t k = offered();
	return k == SIZE_MAX ? nullptr : &m_done[k];
}

pdu worker_pool::take(uint64_t seq, bool &out_of_order)
{
	size_t k = 0;
	while (m_done[k].seq != seq)
		k++;
	pdu p = std::move(m_done[k]);
	m_done.erase(m_done.begin() + static_cast<std::ptrdiff_t>(k));
	out_of_order = p.seq != *m_popped.begin();
	m_popped.erase(p.seq);
	return p;
}

} // namespace vq
