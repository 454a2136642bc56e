/* The contract between probe.c (one run: its timeout, reporting exactly
 * once, cancelling) and the probe types in probe_*.c.  Used only by those
 * files and nothing outside src/health/probe*.c.
 *
 * A type's start() begins the work and returns; whatever happens later,
 * the type calls probe_report() once it knows.  probe_report() calls the
 * type's stop() at once, which must release everything the type holds
 * (fds, events, children) even if start() got only part of the way, so a
 * type must not touch its state after calling probe_report(). */
#ifndef ANYCASTD_HEALTH_PROBE_IMPL_H
#define ANYCASTD_HEALTH_PROBE_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "health/probe.h"

struct probe_ops {
	void (*start)(struct probe_run *r);
	void (*stop)(struct probe_run *r); /* frees r->impl (may be NULL) */
};

struct probe_run {
	struct event_base *base;
	const struct probe_spec *spec; /* borrowed */
	const struct probe_ops *ops;
	probe_done_fn done;
	void *arg;
	monotime_t started, timeout;
	struct event *ev_timeout, *ev_report;
	bool reported;
	char phase[128]; /* what the run was doing, for the timeout detail */
	struct probe_result res;
	void *impl; /* the type's state, owned */
};

extern const struct probe_ops probe_dns_ops, probe_http_ops, probe_tcp_ops, probe_exec_ops,
	probe_process_ops;

/* Records the result (detail formatted like printf, cut to fit) unless one
 * was recorded already, releases the type's state through stop(), and
 * schedules the callback on the loop. */
void probe_report(struct probe_run *r, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sets r->phase (printf-like). */
void probe_phase(struct probe_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* CLOCK_MONOTONIC now.  I/O code reads the clock itself; pure code is
 * handed `now`. */
monotime_t probe_now(void);

/* Fills a timeval from a duration (negative: zero). */
struct timeval probe_tv(monotime_t d);

/* "127.0.0.1:53" / "[2001:db8::1]:53" into out (at least ADDR_STRLEN + 8). */
void probe_addr_port(const struct addr *a, uint16_t port, char *out, size_t cap);

/* ---- children (probe_child.c), shared by exec and process-by-unit ---- */

#define PROBE_CHILD_OUT_MAX 512 /* of stdout and stderr kept for the detail */

struct probe_child;

/* Called once when the child exited and was reaped: code and status as
 * in siginfo_t (CLD_EXITED and the exit status, or CLD_KILLED/CLD_DUMPED
 * and the signal; code 0 when the status was lost to someone else's
 * wait), with the first bytes of its output.  The callback may free the
 * child (and normally does). */
typedef void (*probe_child_exit_fn)(void *arg, int code, int status, const uint8_t *out,
				    size_t len);

/* Runs argv (argv[0] a path, or a name looked up in PATH; no shell) in a
 * new process group, stdin from /dev/null, stdout and stderr into a pipe
 * of which the first PROBE_CHILD_OUT_MAX bytes are kept, no other fds,
 * default signal dispositions; as `user` (NULL or "" for ours: only root
 * can switch).  The exit is noticed through a pidfd, without SIGCHLD.
 * Returns NULL with the reason in err on failure. */
struct probe_child *probe_child_spawn(struct event_base *base, char *const argv[], const char *user,
				      probe_child_exit_fn fn, void *arg, char *err, size_t errcap);

/* The child's pid (its process group id too). */
pid_t probe_child_pid(const struct probe_child *c);

/* Kills the child's whole process group with SIGKILL if it is still
 * running and frees the child; the callback is not called.  A child that
 * is not dead yet is reaped later by the loop (its pidfd becoming
 * readable), never by blocking.  NULL is a no-op. */
void probe_child_free(struct probe_child *c);

/* Reaps, blocking, the children still being reaped after being killed
 * (they were sent SIGKILL, so this is short), and frees their events:
 * call before the event base is freed. */
void probe_child_reap_all(void);

/* pidfd_open(2) through syscall(2) (no libc wrapper needed); -1 and errno. */
int probe_pidfd_open(pid_t pid);

#endif
