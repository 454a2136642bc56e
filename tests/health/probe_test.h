/* Shared by the probe integration tests in tests/health/. */
#ifndef ANYCASTD_TESTS_PROBE_TEST_H
#define ANYCASTD_TESTS_PROBE_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cmocka.h>
#include <event2/event.h>

#include "health/probe.h"

struct ctx {
	struct event_base *base;
	char dir[64]; /* scratch directory, removed at the end */
	bool in_ns;   /* private network, PID and mount namespaces */
	bool quiet;   /* run_probe prints nothing */
};
extern struct ctx T;

/* A timeout reported on time: libevent's timers follow the coarse
 * monotonic clock (a few ms) unless EVENT_BASE_FLAG_PRECISE_TIMER. */
#define ON_TIME(d, t) ((d) >= (t) - MONOTIME_MS(5) && (d) < (t) + MONOTIME_MS(100))

monotime_t now_ns(void);
/* Runs the loop for d, or until *flag (at most limit). */
void loop_for(monotime_t d);
void loop_until(bool *flag, monotime_t limit);
/* One run to its end; asserts it reports exactly once and not from inside
 * probe_start; prints "# name ok|FAIL ms detail". */
struct probe_result run_probe(const struct probe_spec *spec, monotime_t timeout);
/* run_probe, then asserts the verdict and that detail contains needle
 * (NULL: anything). */
struct probe_result expect_run(const struct probe_spec *spec, monotime_t timeout, bool ok,
			       const char *needle);
/* Cancels a run at once and another after `after`: no callback, no fd left. */
void cancel_check(const struct probe_spec *spec, monotime_t after);

int count_fds(void);
/* Our children, zombies included. */
int count_children(void);
/* Processes anywhere whose command line contains needle. */
int count_procs_with(const char *needle);
uint16_t free_port(int type);
/* fork+exec in a process group of its own, output appended to log. */
pid_t spawn(char *const argv[], const char *log);
/* SIGCONT+SIGKILL to the group, then reaps the leader. */
void kill_group(pid_t pid);
void write_file(const char *path, const char *text);
void tmp_path(char *out, size_t cap, const char *name);
void spec_init(struct probe_spec *s, enum probe_type type, const char *name);

void test_exec_basic(void **state);
void test_exec_user_and_fds(void **state);
void test_exec_hangs(void **state);
void test_exec_cycles(void **state);
void test_process(void **state);
void test_process_watch_latency(void **state);
void test_process_unit(void **state);
void test_tcp(void **state);
void test_dns(void **state);
void test_http(void **state);
void test_https(void **state);
void test_cancel(void **state);

#endif
