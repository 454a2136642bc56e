/* process checks: the process named by a pid file, or a systemd unit's
 * MainPID, through a pidfd.  A run asks "is it alive now"; a watch calls
 * `gone` the moment the process exits (pidfd readable: no polling).
 *
 * A unit's MainPID comes from `systemctl show` run as an asynchronous
 * child (the loop never waits on D-Bus); without systemd that child
 * fails and so does the check, saying why.  A pid file names a pid at one
 * moment: a stale file whose pid was reused passes, as with every pid file
 * user; units do not have that problem. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "health/probe_check.h"
#include "health/probe_impl.h"

#define PIDFILE_MAX 64 /* bytes read; a pid and white space fit easily */
#define UNIT_TIMEOUT MONOTIME_S(5) /* a watch's look-up, when the spec sets none */

/* ---- finding the pid ---- */

static long read_pidfile(const char *path, char *err, size_t cap)
{
	char buf[PIDFILE_MAX + 1];
	ssize_t n = -1;
	struct stat st;
	/* O_NONBLOCK: a FIFO put there must not hang the loop. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	n = read(fd, buf, sizeof buf);
	if (n < 0)
		goto fail;
	close(fd);
	long pid = n <= PIDFILE_MAX ? probe_pid_parse(buf, (size_t)n) : -1;
	if (pid <= 0) {
		char ex[48];
		probe_excerpt((const uint8_t *)buf, (size_t)n, ex, sizeof ex);
		snprintf(err, cap, "pid file %.64s: no pid in \"%s\"", path, ex);
		return -1;
	}
	return pid;
fail:
	snprintf(err, cap, "pid file %.64s: %s", path, errno == EINVAL ? "not a regular file" : strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* A pidfd for pid if the process is alive now, else -1 and why. */
static int pid_alive(long pid, char *err, size_t cap)
{
	int fd = probe_pidfd_open((pid_t)pid);
	if (fd < 0) {
		snprintf(err, cap, "pid %ld %s", pid, errno == ESRCH ? "is not running" : strerror(errno));
		return -1;
	}
	struct pollfd p = {.fd = fd, .events = POLLIN};
	if (poll(&p, 1, 0) > 0) {
		snprintf(err, cap, "pid %ld has exited", pid);
		close(fd);
		return -1;
	}
	return fd;
}

/* `systemctl show -p MainPID --value -- UNIT` as a child. */
typedef void (*unit_done_fn)(void *arg, long pid, const char *err);

struct unit_lookup {
	struct probe_child *child;
	char *argv[8];
	char unit[PROBE_STR_MAX];
	unit_done_fn fn;
	void *arg;
};

static void unit_exited(void *arg, int code, int status, const uint8_t *out, size_t len)
{
	struct unit_lookup *u = arg;
	char err[256], how[48], ex[96];
	long pid = -1;
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		len--;
	probe_excerpt(out, len, ex, sizeof ex);
	if (code != CLD_EXITED || status != 0) {
		probe_exit_describe(code, status, how, sizeof how);
		snprintf(err, sizeof err, "systemctl show %.48s: %s: %s", u->unit, how, ex);
	} else if ((pid = probe_pid_parse((const char *)out, len)) < 0) {
		snprintf(err, sizeof err, "systemctl show %.48s: unexpected \"%s\"", u->unit, ex);
	} else if (pid == 0) {
		snprintf(err, sizeof err, "unit %.64s has no main process", u->unit);
	}
	u->fn(u->arg, pid, pid > 0 ? NULL : err);
}

static struct unit_lookup *unit_lookup_start(struct event_base *base, const char *unit, unit_done_fn fn,
					     void *arg, char *err, size_t cap)
{
	struct unit_lookup *u = calloc(1, sizeof *u);
	if (!u) {
		snprintf(err, cap, "out of memory");
		return NULL;
	}
	snprintf(u->unit, sizeof u->unit, "%s", unit);
	u->fn = fn;
	u->arg = arg;
	char *argv[] = {"systemctl", "show", "--property=MainPID", "--value", "--", u->unit, NULL};
	memcpy(u->argv, argv, sizeof argv);
	char why[128];
	u->child = probe_child_spawn(base, u->argv, NULL, unit_exited, u, why, sizeof why);
	if (!u->child) {
		snprintf(err, cap, "unit %.48s: needs systemd: %.100s", unit, why);
		free(u);
		return NULL;
	}
	return u;
}

static void unit_lookup_free(struct unit_lookup *u)
{
	if (!u)
		return;
	probe_child_free(u->child);
	free(u);
}

/* ---- one run: alive now? ---- */

static void report_alive(struct probe_run *r, long pid, const char *from)
{
	char err[128];
	int fd = pid_alive(pid, err, sizeof err);
	if (fd < 0) {
		probe_report(r, false, "%s (%.64s)", err, from);
		return;
	}
	close(fd);
	probe_report(r, true, "pid %ld alive (%.64s)", pid, from);
}

static void run_unit_done(void *arg, long pid, const char *err)
{
	struct probe_run *r = arg;
	if (err)
		probe_report(r, false, "%s", err);
	else
		report_alive(r, pid, r->spec->u.process.unit);
}

static void process_start(struct probe_run *r)
{
	const struct probe_process *p = &r->spec->u.process;
	char err[256];
	if (p->pidfile[0]) {
		long pid = read_pidfile(p->pidfile, err, sizeof err);
		if (pid < 0)
			probe_report(r, false, "%s", err);
		else
			report_alive(r, pid, p->pidfile);
		return;
	}
	if (!p->unit[0]) {
		probe_report(r, false, "neither a pid file nor a unit");
		return;
	}
	r->impl = unit_lookup_start(r->base, p->unit, run_unit_done, r, err, sizeof err);
	if (!r->impl) {
		probe_report(r, false, "%s", err);
		return;
	}
	probe_phase(r, "systemctl show %.64s did not answer (killed)", p->unit);
}

static void process_stop(struct probe_run *r) { unit_lookup_free(r->impl); }

const struct probe_ops probe_process_ops = {process_start, process_stop};

/* ---- watching ---- */

struct probe_watch {
	struct event_base *base;
	probe_gone_fn gone;
	void *arg;
	int pidfd;
	struct event *ev_gone, *ev_timeout;
	struct unit_lookup *lookup;
	bool fired;
};

/* Calls `gone` once; the callback may stop (free) the watch. */
static void watch_fire(struct probe_watch *w)
{
	if (w->fired)
		return;
	w->fired = true;
	w->gone(w->arg);
}

static void on_gone(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	watch_fire(arg);
}

static int watch_arm(struct probe_watch *w, long pid)
{
	char err[128];
	w->pidfd = pid_alive(pid, err, sizeof err);
	if (w->pidfd < 0)
		return -1;
	w->ev_gone = event_new(w->base, w->pidfd, EV_READ, on_gone, w);
	if (!w->ev_gone || event_add(w->ev_gone, NULL) < 0)
		return -1;
	return 0;
}

static void watch_unit_done(void *arg, long pid, const char *err)
{
	struct probe_watch *w = arg;
	unit_lookup_free(w->lookup);
	w->lookup = NULL;
	event_del(w->ev_timeout);
	if (err || watch_arm(w, pid) < 0)
		watch_fire(w);
}

static void on_watch_timeout(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct probe_watch *w = arg;
	unit_lookup_free(w->lookup);
	w->lookup = NULL;
	watch_fire(w);
}

struct probe_watch *probe_watch_start(struct event_base *base, const struct probe_spec *spec,
				      probe_gone_fn gone, void *arg)
{
	const struct probe_process *p = &spec->u.process;
	char err[256];
	struct probe_watch *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	*w = (struct probe_watch){.base = base, .gone = gone, .arg = arg, .pidfd = -1};
	if (spec->type != PROBE_PROCESS)
		goto fail;
	if (p->pidfile[0]) {
		long pid = read_pidfile(p->pidfile, err, sizeof err);
		if (pid < 0 || watch_arm(w, pid) < 0)
			goto fail;
		return w;
	}
	if (!p->unit[0])
		goto fail;
	w->ev_timeout = evtimer_new(base, on_watch_timeout, w);
	if (!w->ev_timeout)
		goto fail;
	struct timeval tv = probe_tv(spec->params.timeout > 0 ? spec->params.timeout : UNIT_TIMEOUT);
	evtimer_add(w->ev_timeout, &tv);
	w->lookup = unit_lookup_start(base, p->unit, watch_unit_done, w, err, sizeof err);
	if (!w->lookup)
		goto fail;
	return w;
fail:
	probe_watch_stop(w);
	return NULL;
}

void probe_watch_stop(struct probe_watch *w)
{
	if (!w)
		return;
	unit_lookup_free(w->lookup);
	if (w->ev_gone)
		event_free(w->ev_gone);
	if (w->ev_timeout)
		event_free(w->ev_timeout);
	if (w->pidfd >= 0)
		close(w->pidfd);
	free(w);
}
