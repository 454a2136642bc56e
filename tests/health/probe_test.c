/* The probes against real servers: NSD, a Python HTTP(S) server, TCP
 * listeners, real children.  As root the whole test runs in network and
 * PID namespaces of its own (loopback only; every process it starts dies
 * with the namespace, whatever happens); otherwise on 127.0.0.1 with
 * free ports.  TAP output through cmocka; figures as "# ..." lines. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "health/probe.h"
#include "probe_test.h"

struct ctx T;

/* ---- the loop ---- */

struct waiter {
	bool done;
	unsigned calls;
	struct probe_result res;
};

static void on_done(void *arg, const struct probe_result *r)
{
	struct waiter *w = arg;
	w->calls++;
	w->done = true;
	w->res = *r;
}

static void on_stop_loop(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what, (void)arg;
	event_base_loopbreak(T.base);
}

void loop_for(monotime_t d)
{
	struct event *e = evtimer_new(T.base, on_stop_loop, NULL);
	struct timeval tv = {.tv_sec = d / 1000000000, .tv_usec = (d % 1000000000) / 1000};
	evtimer_add(e, &tv);
	event_base_dispatch(T.base);
	event_free(e);
}

void loop_until(bool *flag, monotime_t limit)
{
	monotime_t end = now_ns() + limit;
	while (!*flag && now_ns() < end)
		event_base_loop(T.base, EVLOOP_ONCE);
}

struct probe_result run_probe(const struct probe_spec *spec, monotime_t timeout)
{
	struct waiter w = {0};
	struct probe_run *r = probe_start(T.base, spec, timeout, on_done, &w);
	assert_non_null(r);
	assert_false(w.done); /* never from inside probe_start */
	loop_until(&w.done, timeout + MONOTIME_S(2));
	assert_true(w.done);
	/* Exactly once: nothing more arrives afterwards. */
	loop_for(MONOTIME_MS(2));
	assert_int_equal(w.calls, 1);
	if (!T.quiet)
		printf("# %-6s %-4s %6.1f ms  %s\n", spec->name, w.res.ok ? "ok" : "FAIL",
		       (double)w.res.duration / 1e6, w.res.detail);
	return w.res;
}

struct probe_result expect_run(const struct probe_spec *spec, monotime_t timeout, bool ok,
			       const char *needle)
{
	struct probe_result r = run_probe(spec, timeout);
	if (r.ok != ok)
		fail_msg("%s: expected %s, got \"%s\"", spec->name, ok ? "ok" : "failure", r.detail);
	if (needle && !strstr(r.detail, needle))
		fail_msg("%s: detail \"%s\" lacks \"%s\"", spec->name, r.detail, needle);
	return r;
}

/* Starts a run and cancels it right away, then again after `after`:
 * the callback must never come and nothing may be left open. */
void cancel_check(const struct probe_spec *spec, monotime_t after)
{
	int fds = count_fds();
	struct waiter w = {0};
	struct probe_run *r = probe_start(T.base, spec, MONOTIME_S(5), on_done, &w);
	probe_cancel(r);
	r = probe_start(T.base, spec, MONOTIME_S(5), on_done, &w);
	loop_for(after);
	if (!w.done)
		probe_cancel(r);
	else
		printf("# %s: finished before the cancel\n", spec->name);
	loop_for(MONOTIME_MS(50));
	assert_int_equal(w.calls, w.done ? 1 : 0);
	assert_int_equal(count_fds(), fds);
}

/* ---- processes, files, ports ---- */

monotime_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return MONOTIME_S(ts.tv_sec) + ts.tv_nsec;
}

int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	assert_non_null(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the directory's own fd */
}

int count_children(void)
{
	DIR *d = opendir("/proc/self/task");
	assert_non_null(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char path[300], buf[4096];
		snprintf(path, sizeof path, "/proc/self/task/%s/children", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		size_t len = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[len] = '\0';
		for (char *tok = strtok(buf, " \n"); tok; tok = strtok(NULL, " \n"))
			n++;
	}
	closedir(d);
	return n;
}

int count_procs_with(const char *needle)
{
	DIR *d = opendir("/proc");
	assert_non_null(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		char path[300], buf[4096];
		snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t len = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (len <= 0)
			continue;
		for (ssize_t i = 0; i < len; i++)
			if (!buf[i])
				buf[i] = ' ';
		buf[len] = '\0';
		n += strstr(buf, needle) != NULL;
	}
	closedir(d);
	return n;
}

uint16_t free_port(int type)
{
	int fd = socket(AF_INET, type, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof sa;
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	close(fd);
	return ntohs(sa.sin_port);
}

pid_t spawn(char *const argv[], const char *log)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setpgid(0, 0);
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd < 0 || nul < 0 || dup2(nul, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	return pid;
}

void kill_group(pid_t pid)
{
	kill(-pid, SIGCONT);
	kill(-pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

void tmp_path(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s", T.dir, name);
}

void spec_init(struct probe_spec *s, enum probe_type type, const char *name)
{
	memset(s, 0, sizeof *s);
	s->type = type;
	snprintf(s->name, sizeof s->name, "%s", name);
	s->params.timeout = MONOTIME_MS(500);
}

/* ---- set-up ---- */

/* Brings up lo in the network namespace we just made. */
static int lo_up(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
	int rc = fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 ? -1 : 0;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (rc == 0)
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* As root: new network, PID and mount namespaces.  The first child is
 * the namespace's init: it reaps orphans (what killed checks leave
 * behind) and, when it exits, the kernel kills everything left in the
 * namespace.  /proc is mounted afresh so that it shows only the namespace.
 * Returns in the test process; the others exit with its status. */
static void enter_namespaces(void)
{
	if (geteuid() != 0 || getenv("PROBE_TEST_NO_NS") ||
	    unshare(CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWNS) < 0 || lo_up() < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		printf("# running on the host's loopback (not root, or no namespaces)\n");
		return;
	}
	pid_t init = fork();
	assert_true(init >= 0);
	if (init > 0) {
		int st;
		while (waitpid(init, &st, 0) < 0 && errno == EINTR)
			;
		/* _exit: this process is outside the new /proc, where the
		 * leak checker could not find itself. */
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
	}
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		printf("# /proc not remounted: %s\n", strerror(errno));
	pid_t test = fork();
	if (test > 0) {
		for (;;) {
			int st;
			pid_t p = waitpid(-1, &st, 0);
			if (p == test)
				_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
			if (p < 0 && errno != EINTR)
				_exit(1);
		}
	}
	T.in_ns = true;
	printf("# in new network and PID namespaces (pid %d)\n", (int)getpid());
}

static int group_setup(void **state)
{
	(void)state;
	snprintf(T.dir, sizeof T.dir, "/tmp/anycastd-probe-XXXXXX");
	if (!mkdtemp(T.dir))
		return -1;
	T.base = event_base_new();
	signal(SIGPIPE, SIG_IGN); /* as the daemon does */
	return T.base && probe_global_init() == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	probe_global_cleanup();
	event_base_free(T.base);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", T.dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	enter_namespaces();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_basic),
		cmocka_unit_test(test_exec_user_and_fds),
		cmocka_unit_test(test_exec_hangs),
		cmocka_unit_test(test_exec_cycles),
		cmocka_unit_test(test_process),
		cmocka_unit_test(test_process_watch_latency),
		cmocka_unit_test(test_process_unit),
		cmocka_unit_test(test_tcp),
		cmocka_unit_test(test_dns),
		cmocka_unit_test(test_http),
		cmocka_unit_test(test_https),
		cmocka_unit_test(test_cancel),
	};
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
