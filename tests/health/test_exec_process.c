/* exec and process probes against real children. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe_test.h"

#define MS(x) MONOTIME_MS(x)
#define MARK "31.4159" /* in the sleeps of hanging checks, to find leftovers */

static void exec_spec(struct probe_spec *s, const char *name, const char *user, ...)
{
	spec_init(s, PROBE_EXEC, name);
	va_list ap;
	va_start(ap, user);
	const char *a;
	while ((a = va_arg(ap, const char *)) && s->u.exec.argc < PROBE_ARGV_MAX)
		s->u.exec.argv[s->u.exec.argc++] = (char *)a;
	va_end(ap);
	snprintf(s->u.exec.user, sizeof s->u.exec.user, "%s", user ? user : "");
}

void test_exec_basic(void **state)
{
	(void)state;
	struct probe_spec s;
	struct probe_result r;
	exec_spec(&s, "true", NULL, "/bin/true", NULL);
	r = expect_run(&s, MS(2000), true, "exit 0");
	exec_spec(&s, "false", NULL, "false", NULL); /* found in PATH */
	r = expect_run(&s, MS(2000), false, "exit 1");
	exec_spec(&s, "output", NULL, "/bin/sh", "-c", "echo 'disk \"full\"'; echo more >&2; exit 3",
		  NULL);
	r = expect_run(&s, MS(2000), false, "exit 3: disk \\\"full\\\"\\nmore");
	exec_spec(&s, "missing", NULL, "/nonexistent/check", NULL);
	r = expect_run(&s, MS(2000), false, "exit 127: anycastd: exec /nonexistent/check");
	exec_spec(&s, "nopath", NULL, "no-such-check-anywhere", NULL);
	r = expect_run(&s, MS(2000), false, "not found in PATH");
	exec_spec(&s, "signal", NULL, "/bin/sh", "-c", "kill -SEGV $$", NULL);
	r = expect_run(&s, MS(2000), false, "signal 11 (SEGV)");
	exec_spec(&s, "empty", NULL, NULL);
	r = expect_run(&s, MS(2000), false, "no command");
	/* stdin is /dev/null: cat ends at once instead of waiting. */
	exec_spec(&s, "stdin", NULL, "/bin/cat", NULL);
	r = expect_run(&s, MS(2000), true, "exit 0");
	/* A big output neither blocks the child nor grows the detail. */
	exec_spec(&s, "chatty", NULL, "/bin/sh", "-c", "yes | head -c 1000000; exit 0", NULL);
	r = expect_run(&s, MS(5000), true, "exit 0: y\\ny");
	assert_true(strlen(r.detail) < sizeof r.detail);
}

void test_exec_user_and_fds(void **state)
{
	(void)state;
	struct probe_spec s;
	/* An fd of ours without CLOEXEC must not reach the check. */
	int fd = open("/dev/null", O_RDONLY);
	assert_true(dup2(fd, 50) == 50);
	close(fd);
	exec_spec(&s, "fds", NULL, "/bin/sh", "-c", "test ! -e /proc/self/fd/50", NULL);
	expect_run(&s, MS(2000), true, "exit 0");
	close(50);
	/* Its own process group. */
	exec_spec(&s, "pgrp", NULL, "/bin/sh", "-c",
		  "read -r pid comm state ppid pgrp rest </proc/self/stat && test $pid = $pgrp", NULL);
	expect_run(&s, MS(2000), true, "exit 0");
	exec_spec(&s, "nouser", "no-such-user-anycastd", "/bin/true", NULL);
	expect_run(&s, MS(2000), false, "no such user");
	if (geteuid() != 0) {
		exec_spec(&s, "user", "nobody", "/bin/true", NULL);
		expect_run(&s, MS(2000), false, "needs root");
		return;
	}
	exec_spec(&s, "user", "nobody", "/bin/sh", "-c",
		  "test \"$(id -u)\" = \"$(id -u nobody)\" && test \"$(id -G)\" = \"$(id -G nobody)\"",
		  NULL);
	expect_run(&s, MS(2000), true, "exit 0");
}

/* A hanging check fails at the timeout, not later, and takes its whole
 * group with it: children that ignore SIGTERM and grandchildren too. */
void test_exec_hangs(void **state)
{
	(void)state;
	struct probe_spec s;
	struct probe_result r;
	int fds = count_fds(), kids = count_children();
	exec_spec(&s, "hang", NULL, "/bin/sleep", MARK, NULL);
	r = expect_run(&s, MS(150), false, "timeout after 150 ms: /bin/sleep (pid");
	assert_true(ON_TIME(r.duration, MS(150)));
	exec_spec(&s, "noterm", NULL, "/bin/sh", "-c", "trap '' TERM; sleep " MARK, NULL);
	r = expect_run(&s, MS(150), false, "timeout");
	exec_spec(&s, "forks", NULL, "/bin/sh", "-c",
		  "trap '' TERM; sleep " MARK " & sleep " MARK " & (trap '' TERM; sleep " MARK ") & wait",
		  NULL);
	r = expect_run(&s, MS(150), false, "timeout");
	/* A check that passes but leaves a child behind: the child goes too. */
	exec_spec(&s, "leaves", NULL, "/bin/sh", "-c", "sleep " MARK " & exit 0", NULL);
	r = expect_run(&s, MS(1000), true, "exit 0");
	loop_for(MS(100));
	assert_int_equal(count_procs_with(MARK), 0);
	assert_int_equal(count_children(), kids);
	assert_int_equal(count_fds(), fds);
}

struct cycles {
	struct probe_spec spec;
	unsigned started, done, timeouts, bad, total;
	monotime_t deadline;
};

static void on_cycle(void *arg, const struct probe_result *r);

static void cycle_start(struct cycles *c)
{
	c->started++;
	assert_non_null(probe_start(T.base, &c->spec, MS(50), on_cycle, c));
}

static void on_cycle(void *arg, const struct probe_result *r)
{
	struct cycles *c = arg;
	c->done++;
	if (!r->ok && strstr(r->detail, "timeout after 50 ms"))
		c->timeouts++;
	else
		c->bad++;
	if (c->started < c->total && now_ns() < c->deadline)
		cycle_start(c);
}

/* The 1,000 cycles of a hanging, forking, SIGTERM-ignoring check:
 * no zombies, no leftover processes, no fd growth. */
void test_exec_cycles(void **state)
{
	(void)state;
	struct cycles c = {.total = 1000};
	exec_spec(&c.spec, "cycle", NULL, "/bin/sh", "-c",
		  "trap '' TERM; sleep " MARK " & sleep " MARK " & wait", NULL);
	int fds = count_fds(), kids = count_children();
	monotime_t t0 = now_ns();
	c.deadline = t0 + MONOTIME_S(120);
	for (int i = 0; i < 10; i++)
		cycle_start(&c);
	while (c.done < c.started && now_ns() < c.deadline + MONOTIME_S(5))
		event_base_loop(T.base, EVLOOP_ONCE);
	monotime_t t1 = now_ns();
	/* Killed children not reaped at once are reaped by the loop. */
	for (int i = 0; i < 100 && count_children() > kids; i++)
		loop_for(MS(10));
	monotime_t t2 = now_ns();
	/* Killed grandchildren die (and are reaped by init) on their own time. */
	int left;
	for (int i = 0; i < 200 && (left = count_procs_with(MARK)) > 0; i++)
		loop_for(MS(10));
	printf("# exec cycles: %u runs in %.2f s (%u timeouts, %u other), reaped all %.1f ms later; "
	       "fds %d -> %d, children %d -> %d, leftover processes %d\n",
	       c.done, (double)(t1 - t0) / 1e9, c.timeouts, c.bad, (double)(t2 - t1) / 1e6, fds,
	       count_fds(), kids, count_children(), left);
	assert_int_equal(c.done, c.total);
	assert_int_equal(c.timeouts, c.total);
	assert_int_equal(count_fds(), fds);
	assert_int_equal(count_children(), kids);
	assert_int_equal(left, 0);
}

/* ---- process ---- */

/* A small process (not a fork of this big sanitized one, whose exit
 * takes the kernel longer to tear down). */
static pid_t sleeper(void)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl("/bin/sleep", "sleep", "1000", (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void pidfile_spec(struct probe_spec *s, const char *name, const char *path)
{
	spec_init(s, PROBE_PROCESS, name);
	snprintf(s->u.process.pidfile, sizeof s->u.process.pidfile, "%s", path);
}

void test_process(void **state)
{
	(void)state;
	struct probe_spec s;
	char path[128], text[32];
	tmp_path(path, sizeof path, "svc.pid");
	pid_t pid = sleeper();
	snprintf(text, sizeof text, "%d\n", (int)pid);
	write_file(path, text);
	pidfile_spec(&s, "process", path);
	expect_run(&s, MS(500), true, "alive");
	kill(pid, SIGKILL);
	/* A zombie is not alive. */
	usleep(20000);
	expect_run(&s, MS(500), false, "has exited");
	assert_null(probe_watch_start(T.base, &s, NULL, NULL));
	waitpid(pid, NULL, 0);
	expect_run(&s, MS(500), false, "is not running");
	write_file(path, "garbage\n");
	expect_run(&s, MS(500), false, "no pid in \"garbage\\n\"");
	write_file(path, "0\n");
	expect_run(&s, MS(500), false, "no pid");
	pidfile_spec(&s, "process", "/nonexistent/x.pid");
	expect_run(&s, MS(500), false, "No such file");
	/* A FIFO in place of the pid file must not hang anything. */
	tmp_path(path, sizeof path, "fifo.pid");
	assert_int_equal(mkfifo(path, 0600), 0);
	pidfile_spec(&s, "process", path);
	expect_run(&s, MS(500), false, "not a regular file");
	spec_init(&s, PROBE_PROCESS, "process");
	expect_run(&s, MS(500), false, "neither");
}

static void on_gone(void *arg)
{
	monotime_t *t = arg;
	*t = now_ns();
}

static int cmp_mono(const void *a, const void *b)
{
	monotime_t x = *(const monotime_t *)a, y = *(const monotime_t *)b;
	return (x > y) - (x < y);
}

/* The watched process dies: `gone` comes within milliseconds. */
void test_process_watch_latency(void **state)
{
	(void)state;
	enum { N = 25 };
	monotime_t lat[N];
	char path[128], text[32];
	tmp_path(path, sizeof path, "watch.pid");
	struct probe_spec s;
	pidfile_spec(&s, "watch", path);
	int fds = count_fds();
	for (int i = 0; i < N; i++) {
		pid_t pid = sleeper();
		snprintf(text, sizeof text, "%d", (int)pid);
		write_file(path, text);
		monotime_t gone = 0;
		struct probe_watch *w = probe_watch_start(T.base, &s, on_gone, &gone);
		assert_non_null(w);
		loop_for(MS(5));
		assert_int_equal(gone, 0);
		monotime_t t0 = now_ns();
		kill(pid, i % 2 ? SIGKILL : SIGTERM);
		bool done = false;
		while (!gone && now_ns() < t0 + MONOTIME_S(2))
			event_base_loop(T.base, EVLOOP_ONCE);
		(void)done;
		assert_true(gone > 0);
		lat[i] = gone - t0;
		probe_watch_stop(w);
		waitpid(pid, NULL, 0);
	}
	qsort(lat, N, sizeof lat[0], cmp_mono);
	printf("# process exit to gone callback over %d kills: min %.3f ms, median %.3f ms, max %.3f ms\n",
	       N, (double)lat[0] / 1e6, (double)lat[N / 2] / 1e6, (double)lat[N - 1] / 1e6);
	assert_true(lat[N - 1] < MS(50));
	assert_int_equal(count_fds(), fds);
}

/* Units: without systemd (as here, or in CI containers) the check fails,
 * saying why; with systemd an unknown unit has no main process. */
void test_process_unit(void **state)
{
	(void)state;
	struct probe_spec s;
	struct probe_result r;
	spec_init(&s, PROBE_PROCESS, "unit");
	snprintf(s.u.process.unit, sizeof s.u.process.unit, "anycastd-no-such-unit.service");
	r = expect_run(&s, MS(3000), false, NULL);
	assert_true(strstr(r.detail, "systemctl") || strstr(r.detail, "no main process"));
	char *path = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	setenv("PATH", "/nonexistent", 1);
	r = expect_run(&s, MS(3000), false, "needs systemd: systemctl: not found in PATH");
	assert_null(probe_watch_start(T.base, &s, on_gone, NULL));
	setenv("PATH", path, 1);
	free(path);
	/* A watch by unit resolves in the background; failing, it calls gone. */
	monotime_t gone = 0;
	int fds = count_fds();
	struct probe_watch *w = probe_watch_start(T.base, &s, on_gone, &gone);
	assert_non_null(w);
	monotime_t t0 = now_ns();
	while (!gone && now_ns() < t0 + MONOTIME_S(5))
		event_base_loop(T.base, EVLOOP_ONCE);
	assert_true(gone > 0);
	printf("# unit watch without the unit: gone after %.1f ms\n", (double)(gone - t0) / 1e6);
	probe_watch_stop(w);
	loop_for(MS(20));
	assert_int_equal(count_fds(), fds);
}
