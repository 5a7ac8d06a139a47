// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of sim/compare/procpool.c with real /bin/sh children: exit statuses, the time
 * limit's SIGKILL, and a stop: the signal forwarded, a child that ignores it killed after
 * the grace period, the children never started, each killed child's OUT.tmp-PID removed.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cunit_main.h"
#include "compare/procpool.h"
#include "results/results_dir.h"

static char base[64];
static volatile sig_atomic_t stop;

static void setup(void)
{
	snprintf(base, sizeof(base), "/tmp/rs_test_procpool.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
	stop = 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A child `/bin/sh -c SCRIPT OUT`: in the script $0 is OUT, $$ the child's pid. */
struct child {
	char *argv[5];
	char out[128], log[128];
};

static void child(struct child *c, struct rs_proc *p, const char *name, const char *script)
{
	snprintf(c->out, sizeof(c->out), "%s/%s", base, name);
	snprintf(c->log, sizeof(c->log), "%s/%s.log", base, name);
	c->argv[0] = "/bin/sh";
	c->argv[1] = "-c";
	c->argv[2] = (char *)script;
	c->argv[3] = c->out;
	c->argv[4] = NULL;
	memset(p, 0, sizeof(*p));
	p->argv = c->argv;
	p->log = c->log;
	p->out = c->out;
}

/* How many OUT.tmp-* directories are left under base (the shell's glob counts them). */
static int leftovers(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "set -- %s/*.tmp-*; [ -e \"$1\" ] && exit $#; exit 0", base);
	return WEXITSTATUS(system(cmd));
}

static void set_stop(size_t done, size_t total, void *arg)
{
	(void)done;
	(void)total;
	(void)arg;
	stop = SIGTERM;
}

static void t_procpool_exit_status(void)
{
	struct child c[2];
	struct rs_proc p[2];

	setup();
	child(&c[0], &p[0], "a", "echo said; exit 3");
	child(&c[1], &p[1], "b", "kill -s KILL $$");
	CU_ASSERT_EQUAL(rs_procs_run(p, 2, 2, &stop, NULL, NULL), 0);
	CU_ASSERT_EQUAL(p[0].status, 3);
	CU_ASSERT_EQUAL(p[1].status, 128 + SIGKILL);
	CU_ASSERT_EQUAL(access(c[0].log, R_OK), 0);
	rs_remove_tree(base);
}

static void t_procpool_timeout_kills(void)
{
	struct child c;
	struct rs_proc p;
	double t0 = now();

	setup();
	child(&c, &p, "slow", "mkdir \"$0.tmp-$$\"; exec sleep 30");
	p.timeout = 0.5;
	CU_ASSERT_EQUAL(rs_procs_run(&p, 1, 1, NULL, NULL, NULL), 0);
	CU_ASSERT_EQUAL(p.status, RS_PROC_TIMED_OUT);
	CU_ASSERT(now() - t0 < 5);
	CU_ASSERT_EQUAL(leftovers(), 0);
	rs_remove_tree(base);
}

/* The second child's end sets the flag: the first is stopped, the third never starts. */
static void t_procpool_stop_forwards(void)
{
	struct child c[3];
	struct rs_proc p[3];
	double t0;

	setup();
	child(&c[0], &p[0], "long", "mkdir \"$0.tmp-$$\"; exec sleep 30");
	child(&c[1], &p[1], "short", "sleep 0.3");
	child(&c[2], &p[2], "later", "exit 0");
	t0 = now();
	CU_ASSERT_EQUAL(rs_procs_run(p, 3, 2, &stop, set_stop, NULL), RS_PROCS_STOPPED);
	CU_ASSERT(now() - t0 < 1.5); /* sleep obeys SIGTERM: no grace period spent */
	CU_ASSERT_EQUAL(p[0].status, RS_PROC_STOPPED);
	CU_ASSERT_EQUAL(p[1].status, 0);
	CU_ASSERT_EQUAL(p[2].status, RS_PROC_NOT_STARTED);
	CU_ASSERT_EQUAL(access(c[2].log, F_OK), -1);
	CU_ASSERT_EQUAL(leftovers(), 0);
	rs_remove_tree(base);
}

/* A child that ignores the forwarded signal is killed once the grace period is over. */
static void t_procpool_stop_kills_stubborn(void)
{
	struct child c[2];
	struct rs_proc p[2];
	double t0, took;

	setup();
	child(&c[0], &p[0], "stubborn",
	      "mkdir \"$0.tmp-$$\"; trap '' TERM; while :; do sleep 0.05; done");
	child(&c[1], &p[1], "short", "sleep 0.3");
	t0 = now();
	CU_ASSERT_EQUAL(rs_procs_run(p, 2, 2, &stop, set_stop, NULL), RS_PROCS_STOPPED);
	took = now() - t0;
	CU_ASSERT(took >= RS_PROCS_GRACE_SECONDS);
	CU_ASSERT(took < RS_PROCS_GRACE_SECONDS + 2);
	CU_ASSERT_EQUAL(p[0].status, RS_PROC_STOPPED);
	CU_ASSERT_EQUAL(leftovers(), 0);
	rs_remove_tree(base);
}

/* A flag already set: nothing starts. */
static void t_procpool_stopped_before(void)
{
	struct child c;
	struct rs_proc p;

	setup();
	child(&c, &p, "never", "exit 0");
	stop = SIGINT;
	CU_ASSERT_EQUAL(rs_procs_run(&p, 1, 1, &stop, NULL, NULL), RS_PROCS_STOPPED);
	CU_ASSERT_EQUAL(p.status, RS_PROC_NOT_STARTED);
	CU_ASSERT_EQUAL(access(c.log, F_OK), -1);
	rs_remove_tree(base);
}

static void rs_test_register(CU_pSuite suite)
{
	RS_TEST(t_procpool_exit_status);
	RS_TEST(t_procpool_timeout_kills);
	RS_TEST(t_procpool_stop_forwards);
	RS_TEST(t_procpool_stop_kills_stubborn);
	RS_TEST(t_procpool_stopped_before);
}
