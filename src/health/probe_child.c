/* Children for exec checks and systemd look-ups: fork+exec without a
 * shell in a process group of their own, exit noticed through a pidfd
 * (no SIGCHLD handler, no blocking wait), the group killed with SIGKILL
 * when the caller gives up.  See probe_impl.h. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys/priv.h"
#include "health/probe_impl.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

#define GROUPS_MAX 256
#define PATH_DEFAULT "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct probe_child {
	struct event_base *base;
	pid_t pid;
	int pidfd, out_fd;
	struct event *ev_exit, *ev_out;
	bool reaped;
	uint8_t out[PROBE_CHILD_OUT_MAX];
	size_t out_len;
	probe_child_exit_fn fn;
	void *arg;
	struct probe_child *next; /* in `reaping` once given up on */
};

/* Children killed but not yet reaped: the loop reaps them (pidfd readable). */
static struct probe_child *reaping;

/* What the child becomes, all worked out before fork: after fork only
 * async-signal-safe calls are allowed (libcurl may run threads). */
struct child_plan {
	char path[PROBE_STR_MAX * 2];
	char *const *argv;
	bool switch_user;
	uid_t uid;
	gid_t gid;
	gid_t groups[GROUPS_MAX];
	int ngroups;
	int devnull, out_w;
};

int probe_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

pid_t probe_child_pid(const struct probe_child *c) { return c->pid; }

/* argv[0] as given when it has a slash, else the first executable of that
 * name in PATH (execvp is not async-signal-safe, so look here). */
static int plan_path(struct child_plan *p, const char *name, char *err, size_t errcap)
{
	if (strchr(name, '/')) {
		snprintf(p->path, sizeof p->path, "%s", name);
		return 0;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = PATH_DEFAULT;
	for (const char *s = path; *s;) {
		size_t n = strcspn(s, ":");
		int w = snprintf(p->path, sizeof p->path, "%.*s/%s", (int)n, n ? s : ".", name);
		if (w > 0 && (size_t)w < sizeof p->path && access(p->path, X_OK) == 0)
			return 0;
		s += n + (s[n] == ':');
	}
	snprintf(err, errcap, "%s: not found in PATH", name);
	return -1;
}

static int plan_user(struct child_plan *p, const char *user, char *err, size_t errcap)
{
	if (!user || !*user)
		return 0;
	if (!priv_can_switch_user()) {
		snprintf(err, errcap, "user %s: switching users needs root or CAP_SETUID+CAP_SETGID (running as uid %u)",
			 user, (unsigned)geteuid());
		return -1;
	}
	char buf[4096];
	struct passwd pw, *pwp = NULL;
	int e = getpwnam_r(user, &pw, buf, sizeof buf, &pwp);
	if (e || !pwp) {
		snprintf(err, errcap, "user %s: %s", user, e ? strerror(e) : "no such user");
		return -1;
	}
	p->switch_user = true;
	p->uid = pw.pw_uid;
	p->gid = pw.pw_gid;
	p->ngroups = GROUPS_MAX;
	if (getgrouplist(user, pw.pw_gid, p->groups, &p->ngroups) < 0) {
		snprintf(err, errcap, "user %s: more than %d groups", user, GROUPS_MAX);
		return -1;
	}
	return 0;
}

/* Async-signal-safe: writes "anycastd: exec PATH: errno N\n" to fd 2. */
static void child_say(const char *what, const char *path, int err)
{
	char num[16];
	int i = (int)sizeof num;
	unsigned v = (unsigned)err;
	num[--i] = '\n';
	do {
		num[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i > 0);
	const char *parts[] = {"anycastd: ", what, " ", path, ": errno ", NULL};
	for (int k = 0; parts[k]; k++)
		if (write(2, parts[k], strlen(parts[k])) < 0)
			return;
	if (write(2, num + i, sizeof num - (size_t)i) < 0)
		return;
}

static void __attribute__((noreturn)) child_exec(const struct child_plan *p)
{
	/* Own group, so that a timeout can kill everything it started. */
	setpgid(0, 0);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Ignored signals stay ignored across exec (SIGPIPE in the daemon). */
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	for (int s = 1; s < NSIG; s++)
		sigaction(s, &dfl, NULL);
	if (dup2(p->devnull, 0) < 0 || dup2(p->out_w, 1) < 0 || dup2(p->out_w, 2) < 0)
		_exit(126);
	close_range(3, ~0U, 0);
	if (p->switch_user) {
		if (setgroups((size_t)p->ngroups, p->groups) < 0 || setgid(p->gid) < 0 ||
		    setuid(p->uid) < 0) {
			child_say("switching user for", p->path, errno);
			_exit(126);
		}
	}
	execv(p->path, p->argv);
	child_say("exec", p->path, errno);
	_exit(127);
}

static void child_free_now(struct probe_child *c)
{
	if (c->ev_exit)
		event_free(c->ev_exit);
	if (c->ev_out)
		event_free(c->ev_out);
	if (c->pidfd >= 0)
		close(c->pidfd);
	if (c->out_fd >= 0)
		close(c->out_fd);
	free(c);
}

/* Takes what the child wrote so far, keeping the first bytes and
 * discarding the rest so that it never blocks on a full pipe. */
static void drain_output(struct probe_child *c)
{
	uint8_t scratch[4096];
	while (c->out_fd >= 0) {
		ssize_t n = read(c->out_fd, scratch, sizeof scratch);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0 || errno != EAGAIN) {
				event_del(c->ev_out);
				close(c->out_fd);
				c->out_fd = -1;
			}
			return;
		}
		size_t keep = sizeof c->out - c->out_len;
		if (keep > (size_t)n)
			keep = (size_t)n;
		memcpy(c->out + c->out_len, scratch, keep);
		c->out_len += keep;
	}
}

static void on_output(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	drain_output(arg);
}

/* Non-blocking reap; true when the child is gone (or was reaped by
 * someone else, ECHILD).  Fills si when it is ours to report. */
static bool try_reap(struct probe_child *c, siginfo_t *si)
{
	memset(si, 0, sizeof *si);
	if (waitid((idtype_t)P_PIDFD, (id_t)c->pidfd, si, WEXITED | WNOHANG) < 0)
		return errno == ECHILD;
	return si->si_pid != 0;
}

static void on_exit_ready(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct probe_child *c = arg;
	drain_output(c);
	/* The leader's zombie keeps the group id from being reused until we
	 * reap it, so this reaches only what the check left behind. */
	kill(-c->pid, SIGKILL);
	siginfo_t si;
	if (!try_reap(c, &si)) {
		event_add(c->ev_exit, NULL); /* not really gone yet */
		return;
	}
	c->reaped = true;
	c->fn(c->arg, si.si_pid ? si.si_code : 0, si.si_status, c->out, c->out_len);
}

static void on_reapable(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct probe_child *c = arg;
	siginfo_t si;
	if (!try_reap(c, &si)) {
		event_add(c->ev_exit, NULL);
		return;
	}
	for (struct probe_child **pp = &reaping; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	child_free_now(c);
}

/* Sets up the pipe and /dev/null, forks, and starts watching. */
static int child_start(struct probe_child *c, struct child_plan *p, char *err, size_t errcap)
{
	int pipefd[2] = {-1, -1};
	p->devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (p->devnull < 0 || pipe2(pipefd, O_CLOEXEC) < 0)
		goto fail;
	c->out_fd = pipefd[0];
	p->out_w = pipefd[1];
	if (fcntl(c->out_fd, F_SETFL, O_NONBLOCK) < 0)
		goto fail;
	c->pid = fork();
	if (c->pid < 0)
		goto fail;
	if (c->pid == 0)
		child_exec(p);
	setpgid(c->pid, c->pid); /* also here: killing the group must work at once */
	close(p->devnull);
	close(p->out_w);
	c->pidfd = probe_pidfd_open(c->pid);
	if (c->pidfd < 0) {
		snprintf(err, errcap, "pidfd_open: %s", strerror(errno));
		kill(-c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0); /* killed: returns at once */
		return -1;
	}
	return 0;
fail:
	snprintf(err, errcap, "starting %s: %s", p->path, strerror(errno));
	if (p->devnull >= 0)
		close(p->devnull);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	return -1;
}

struct probe_child *probe_child_spawn(struct event_base *base, char *const argv[], const char *user,
				      probe_child_exit_fn fn, void *arg, char *err, size_t errcap)
{
	struct child_plan *p = calloc(1, sizeof *p);
	struct probe_child *c = calloc(1, sizeof *c);
	if (!p || !c) {
		snprintf(err, errcap, "out of memory");
		goto fail;
	}
	*c = (struct probe_child){.base = base, .pidfd = -1, .out_fd = -1, .fn = fn, .arg = arg};
	p->argv = argv;
	p->devnull = p->out_w = -1;
	if (!argv[0] || plan_path(p, argv[0], err, errcap) < 0 || plan_user(p, user, err, errcap) < 0)
		goto fail;
	if (child_start(c, p, err, errcap) < 0)
		goto fail;
	c->ev_exit = event_new(base, c->pidfd, EV_READ, on_exit_ready, c);
	c->ev_out = event_new(base, c->out_fd, EV_READ | EV_PERSIST, on_output, c);
	if (!c->ev_exit || !c->ev_out || event_add(c->ev_exit, NULL) < 0 ||
	    event_add(c->ev_out, NULL) < 0) {
		snprintf(err, errcap, "out of memory");
		probe_child_free(c);
		c = NULL;
	}
	free(p);
	return c;
fail:
	if (c)
		child_free_now(c); /* a child forked and then given up on was reaped */
	free(p);
	return NULL;
}

void probe_child_free(struct probe_child *c)
{
	if (!c)
		return;
	if (c->reaped || c->pidfd < 0) {
		child_free_now(c);
		return;
	}
	kill(-c->pid, SIGKILL);
	siginfo_t si;
	if (try_reap(c, &si)) {
		child_free_now(c);
		return;
	}
	/* Dying, not dead yet: let the loop reap it when its pidfd says so. */
	if (c->ev_out) {
		event_free(c->ev_out);
		c->ev_out = NULL;
	}
	if (c->out_fd >= 0) {
		close(c->out_fd);
		c->out_fd = -1;
	}
	event_del(c->ev_exit);
	event_assign(c->ev_exit, c->base, c->pidfd, EV_READ, on_reapable, c);
	event_add(c->ev_exit, NULL);
	c->next = reaping;
	reaping = c;
}

void probe_child_reap_all(void)
{
	while (reaping) {
		struct probe_child *c = reaping;
		reaping = c->next;
		siginfo_t si;
		while (waitid((idtype_t)P_PIDFD, (id_t)c->pidfd, &si, WEXITED) < 0 && errno == EINTR)
			;
		child_free_now(c);
	}
}
