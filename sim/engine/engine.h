/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * engine: elaborates the SystemC design for one scenario and runs it to the end. SystemC
 * elaborates once per process: call rs_engine_run() at most once per process.
 */
#ifndef RS_ENGINE_H
#define RS_ENGINE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "results/recorder.h"
#include "scenario/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How a run ended (summary.json "status", before expectations are evaluated). */
enum rs_run_status {
	RS_RUN_OK,
	RS_RUN_DUT_BUG,     /* the DUT hit a BUG_ON (the run stopped there), or a finding of
			     * a data-corruption kind (results/findings.h) was recorded */
	RS_RUN_DUT_CRASH,   /* the DUT's code faulted (SIGSEGV, SIGBUS, SIGFPE, SIGILL): the
			     * run stopped there; rs_run_info.crash says where */
	RS_RUN_DEADLOCK,    /* guest threads still waiting and nothing left to happen */
	RS_RUN_INTERRUPTED, /* SIGINT/SIGTERM: no results are kept */
	RS_RUN_TIME_LIMIT,  /* stopped at a limit (rs_engine_set_limits()); results up to
			     * then are kept */
};

#define RS_CRASH_FRAMES 32

/* One frame of a DUT crash's backtrace, innermost first; an inlined call is a frame of its
 * own, at the same offset as the frame it was inlined into. */
struct rs_crash_frame {
	char function[256];  /* "" when unknown */
	char file[1024];     /* the source file as compiled, "" when unknown */
	unsigned line;       /* 0 when unknown */
	char object[1024];   /* the executable or shared object */
	uint64_t offset;     /* in @object, what addr2line -e OBJECT takes: the PC for the
			      * faulting frame, a return address - 1 for a caller */
	bool in_dut;         /* @object is a loaded DUT object */
};

/* A DUT's fault (status dut_crash). */
struct rs_crash {
	int signal;             /* 0: none; SIGSEGV, SIGBUS, SIGFPE, SIGILL */
	const char *signal_name; /* "SIGSEGV" */
	const char *code_name;  /* si_code: "SEGV_MAPERR", "FPE_INTDIV", ... or "" */
	uint64_t address;       /* si_addr, a host address: what a SIGSEGV or SIGBUS was about,
				 * the faulting instruction of a SIGFPE or SIGILL */
	bool stack_overflow;    /* at the faulting thread's stack pointer: its stack is full */
	uint64_t cycle;
	int64_t request;        /* the request the faulting thread served, or -1 */
	char thread[128];       /* its SystemC process, "" at boot */
	unsigned later;         /* DUT faults in other threads before the run ended */
	size_t n_frames;
	struct rs_crash_frame frames[RS_CRASH_FRAMES];
	int dut_frame;          /* the frame the finding cites: the innermost in a DUT object
				 * that is not a kernel header's inline, or -1 */
};

struct rs_run_info {
	enum rs_run_status status;
	uint64_t simulated_cycles;
	uint64_t requests_submitted;
	uint64_t requests_completed;
	uint64_t bytes_completed;
	struct rs_crash crash;  /* status dut_crash */
};

/**
 * rs_engine_run() - run one scenario
 * @s: the checked scenario
 * @rec: where every measurement goes
 * @stop: set asynchronously (signal handler) to end the run early
 * @progress: show progress on stderr about twice a second of host time
 * @vcd: write a VCD waveform of the model-level signals to this file, or NULL
 * @info: how the run ended
 * @err: on failure, what went wrong inside the simulator
 * @err_size: size of @err
 *
 * Return: 0 when the simulation ran (whatever @info->status says), -1 on an internal
 * error with @err set. Never throws, never exits.
 * Context: once per process.
 */
int rs_engine_run(const struct rs_scenario *s, struct rs_recorder *rec,
		  const volatile sig_atomic_t *stop, bool progress, const char *vcd,
		  struct rs_run_info *info,
		  char *err, size_t err_size);

const char *rs_run_status_name(enum rs_run_status st);

/**
 * rs_engine_set_limits() - end the run with status time_limit once @max_cycles have been
 * simulated or @max_host_seconds of host time have passed since elaboration (0: no limit)
 * Context: before rs_engine_run().
 */
void rs_engine_set_limits(uint64_t max_cycles, double max_host_seconds);

struct rs_trace;

/**
 * rs_engine_set_trace() - feed @trace (trace/trace_event.h; NULL: none) with the run's threads,
 * its requests, the DUT's functions, kicks and interrupts; the caller opens and closes it,
 * and gives it to the recorder for the stalls and counters (rs_recorder_set_trace())
 * Context: before rs_engine_run().
 */
void rs_engine_set_trace(struct rs_trace *trace);

/* What a run of a scenario will hold in host memory, about; see rs_engine_host_memory(). */
struct rs_host_memory {
	uint64_t needed;    /* all of it: the parts below and the process's own base */
	uint64_t buffers;   /* the guest buffers the workload touches */
	uint64_t metadata;  /* per guest frame, touched or not */
	uint64_t threads;   /* the guest threads' stacks */
	uint64_t available; /* what the host has available now (MemAvailable), 0: unknown */
};

/**
 * rs_engine_host_memory() - what a run of @s will hold in host memory (within a few tens
 * of percent: the workload's buffers, the guest frames' metadata, the threads), and what
 * the host has available
 */
void rs_engine_host_memory(const struct rs_scenario *s, struct rs_host_memory *m);

/**
 * rs_engine_check_dut() - load the DUTs @s names (<dut>) and check them against the DUT
 * boundary (dut/dut_ops.h): ABI version and every entry point
 * Return: 0, or -1 with @err naming the object and what it lacks.
 */
int rs_engine_check_dut(const struct rs_scenario *s, char *err, size_t err_size);

struct rs_pcap;

/**
 * rs_engine_set_pcap() - --pcap: every 9P message of the next run into @pcap
 * (trace/pcap.h; NULL: none), which the caller closes after rs_engine_run()
 * Context: before rs_engine_run().
 */
void rs_engine_set_pcap(struct rs_pcap *pcap);

/**
 * rs_engine_set_dut_coverage() - --dut-coverage: every DUT this process loads from now on,
 * the seed included, is compiled instrumented for gcov (sim/dutbuild)
 * Context: before rs_engine_check_dut() and rs_engine_run().
 */
void rs_engine_set_dut_coverage(bool on);

/**
 * rs_engine_dump_dut_coverage() - the gcov data of the instrumented DUT objects of @s's
 * devices, into @dir/HASH/ per object with what sim/coverage needs to read it
 * Return: the number of objects, or -1 with @err set.
 * Context: after rs_engine_run(@s).
 */
int rs_engine_dump_dut_coverage(const struct rs_scenario *s, const char *dir, char *err,
				size_t err_size);

/** rs_engine_systemc_version() - the SystemC library linked in, e.g. "2.3.4". */
const char *rs_engine_systemc_version(void);

/** rs_engine_verilator_version() - the Verilator that built the RTL engine. */
const char *rs_engine_verilator_version(void);

#ifdef __cplusplus
}
#endif

#endif
