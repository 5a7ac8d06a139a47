// SPDX-License-Identifier: GPL-2.0-only
#include "dut_fixture.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <unistd.h>

#include <jansson.h>
#include <systemc>

#include "common/sanitizer_stack.h"
#include "common/cycles.h"
#include "common/dma_bus.h"
#include "probes/finding_bridge.h"
#include "probes/guest_kernel.h"
#include "kshim/kernel_worker.h"
#include "kshim/xen_hooks.h"
#include "guest_mm/guest_memory.h"
#include "results/results_dir.h"
#include "scenario/scenario.h"

using namespace sc_core;
using rs_models::cycles;

namespace {

struct fixture {
	rs_scenario s{};
	char dir[64] = "/tmp/rs_dut_test.XXXXXX";
	rs_recorder *rec = nullptr;
	std::unique_ptr<rs_engine::finding_bridge> bridge;
	std::unique_ptr<gmm::guest_memory> mem;
	std::unique_ptr<rs_models::dma_bus> bus; // no device: guest memory's socket needs a peer
	std::unique_ptr<rs_engine::guest_kernel> host;
	gmm::address_space *as = nullptr;
	rs_kshim::guest_ctx *thread_ctx = nullptr;
	std::unique_ptr<rs_kshim::kernel_worker> worker;
};

fixture *fx;

} // namespace

extern "C" int fx_setup(unsigned page_size, uint64_t memory)
{
	return fx_setup_cpus(page_size, memory, 4);
}

extern "C" int fx_setup_cpus(unsigned page_size, uint64_t memory, unsigned vcpus)
{
	char err[256];

	setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
	sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);
	fx = new fixture();
	fx->s.platform.page_size = page_size;
	fx->s.platform.memory_bytes = memory;
	fx->s.platform.vcpus = vcpus;
	fx->s.platform.clock_hz = 1000000000;
	for (int i = 0; i < RS_COST_COUNT; i++)
		fx->s.costs[i] = rs_cost_describe(static_cast<rs_cost>(i))->default_cycles;
	if (!mkdtemp(fx->dir) || !(fx->rec = rs_recorder_open(fx->dir, RS_RECORD_ALL, err, sizeof(err))))
		return -1;
	gmm::config cfg;
	cfg.memory_bytes = memory;
	cfg.page_size = page_size;
	cfg.clock_period = cycles(1);
	fx->bridge = std::make_unique<rs_engine::finding_bridge>(fx->rec);
	fx->mem = std::make_unique<gmm::guest_memory>("mem", cfg, *fx->bridge);
	fx->bus = std::make_unique<rs_models::dma_bus>("bus");
	fx->bus->memory.bind(fx->mem->dma);
	fx->host = std::make_unique<rs_engine::guest_kernel>(fx->s, *fx->mem, fx->rec, *fx->bridge);
	fx->as = &fx->mem->new_address_space();
	return 0;
}

extern "C" void fx_kworker_setup(void)
{
	fx->worker = std::make_unique<rs_kshim::kernel_worker>("kworker", *fx->host);
}

extern "C" void fx_teardown(void)
{
	if (!fx)
		return;
	fx->worker.reset();
	fx->host.reset();
	rs_recorder_close(fx->rec);
	rs_remove_tree(fx->dir);
	delete fx;
	fx = nullptr;
}

extern "C" int fx_run(void (*fn)(void *), void *arg)
{
	bool *done = new bool(false);

	sc_spawn([fn, arg, done] {
		rs_kshim::guest_ctx &c = fx->host->ctx();

		c.as = fx->as;
		c.request = 0;
		fx->thread_ctx = &c;
		fn(arg);
		*done = true;
		fx->host->exit_thread();
	});
	sc_start();
	rs_models::back_on_thread_stack();
	bool ok = *done;
	if (ok)
		delete done; // a parked thread still refers to it
	return ok;
}

extern "C" void fx_call_after(uint64_t n, void (*fn)(void *), void *arg)
{
	sc_spawn([n, fn, arg] {
		wait(cycles(n));
		fn(arg);
		fx->host->exit_thread();
	});
}

extern "C" size_t fx_findings(const char *kind)
{
	json_t *j = static_cast<json_t *>(rs_recorder_metrics_json(fx->rec, 0));
	json_t *list = json_object_get(j, "findings");
	size_t n = 0;

	for (size_t i = 0; i < json_array_size(list); i++) {
		const char *k = json_string_value(json_object_get(json_array_get(list, i), "kind"));

		n += !kind || (k && !strcmp(k, kind));
	}
	json_decref(j);
	return n;
}

extern "C" int fx_finding_detail(const char *kind, char *buf, size_t size)
{
	json_t *j = static_cast<json_t *>(rs_recorder_metrics_json(fx->rec, 0));
	json_t *list = json_object_get(j, "findings");
	int found = 0;

	for (size_t i = 0; i < json_array_size(list) && !found; i++) {
		json_t *f = json_array_get(list, i);
		const char *k = json_string_value(json_object_get(f, "kind"));
		const char *d = json_string_value(json_object_get(f, "detail"));

		if (k && !strcmp(k, kind)) {
			snprintf(buf, size, "%s", d ? d : "");
			found = 1;
		}
	}
	json_decref(j);
	return found;
}

extern "C" int fx_boot(int (*fn)(void *), void *arg, int *ret)
{
	return fx->host->boot_call(fn, arg, ret);
}

extern "C" void fx_irq_context(void)
{
	fx->host->on_irq_vcpu();
}

extern "C" int fx_dut_bug(void)
{
	return fx->host->dut_bug();
}

extern "C" char *fx_user_buffer(size_t len)
{
	return reinterpret_cast<char *>(fx->as->mmap(len));
}

extern "C" unsigned fx_pincount(unsigned long pfn)
{
	return fx->mem->pages().page(pfn).pincount;
}

extern "C" size_t fx_kmalloc_live(void)
{
	return fx->mem->kheap().objects().size();
}

extern "C" void fx_deliver_signal(void)
{
	fx->host->deliver_signal(*fx->thread_ctx);
}

extern "C" u64 fx_cycle(void)
{
	return rs_models::now_cycles();
}

namespace {

// No backend: grant frames and event channels go nowhere; the probes are recorded.
class xen_standin : public rs_kshim::xen_hooks_if {
public:
	explicit xen_standin(fx_blkif *rec) : m_rec(rec) {}
	void add_grant_frame(unsigned, void *) override {}
	unsigned max_grant_frames() const override { return 32; }
	void notify_backend() override { m_rec->notifies++; }
	int bind_irq(int (*)(int, void *), void *) override { return 1; }
	void queued(struct request *, unsigned num_sg, unsigned num_grant, unsigned max_grefs,
		    unsigned indirect_frames) override
	{
		m_rec->queued++;
		m_rec->num_sg = num_sg;
		m_rec->num_grant = num_grant;
		m_rec->max_grefs = max_grefs;
		m_rec->indirect_frames = indirect_frames;
	}
	void grants_exhausted() override { m_rec->exhausted++; }
	void ring_full() override { m_rec->ring_full++; }
	void ring_changed(unsigned) override {}
	void copied(unsigned bytes) override { m_rec->copied += bytes; }
	void tag_waited(uint64_t since, unsigned sleeps) override
	{
		m_rec->tag_waits++;
		m_rec->tag_sleeps += sleeps;
		m_rec->tag_wait_cycles += rs_models::now_cycles() - since;
	}

private:
	fx_blkif *m_rec;
};

} // namespace

extern "C" void fx_xen_setup(struct fx_blkif *rec)
{
	static std::unique_ptr<xen_standin> standin;

	standin = std::make_unique<xen_standin>(rec);
	rs_kshim::set_xen_hooks(standin.get());
}
