/* Running probes: asynchronous, on a libevent base, never blocking it.
 * One call runs one probe once and reports exactly once through the
 * callback (unless cancelled first), at the latest after the timeout.
 * The `process` type also watches continuously: see probe_watch_*. */
#ifndef ANYCASTD_HEALTH_PROBE_H
#define ANYCASTD_HEALTH_PROBE_H

#include <event2/event.h>

#include "health/probe_spec.h"

struct probe_result {
	bool ok;
	monotime_t duration;
	char detail[160]; /* why it failed, or what it saw ("rcode NOERROR, 1 answer") */
};

typedef void (*probe_done_fn)(void *arg, const struct probe_result *r);

struct probe_run;

/* Starts one run of spec (borrowed until done or cancelled) with the given
 * timeout.  done is called from the event loop, never from inside this
 * call.  Returns NULL only when out of memory. */
struct probe_run *probe_start(struct event_base *base, const struct probe_spec *spec, monotime_t timeout,
			      probe_done_fn done, void *arg);

/* Stops a run before it reported; kills what it started (an exec check's
 * whole process group).  The callback is not called.  NULL is a no-op. */
void probe_cancel(struct probe_run *r);

/* Process checks: watch the process named by spec through a pidfd; `gone`
 * is called as soon as it exits (no polling), from the loop, at most once;
 * it may call probe_watch_stop.  Returns NULL if there is no such process
 * now (the run reports why).  For a `unit` the MainPID is looked up in the
 * background (`systemctl show`, bounded by the spec's timeout or 5 s):
 * the watch is returned at once and a failed look-up calls `gone`.  NULL
 * also when systemctl is not installed.  Stop frees the watch; NULL is a
 * no-op. */
struct probe_watch;
typedef void (*probe_gone_fn)(void *arg);
struct probe_watch *probe_watch_start(struct event_base *base, const struct probe_spec *spec,
				      probe_gone_fn gone, void *arg);
void probe_watch_stop(struct probe_watch *w);

/* Global set-up and tear-down (libcurl).  Cleanup also reaps, waiting,
 * the killed children not yet reaped by the loop (they were sent SIGKILL),
 * so call it before event_base_free.  Children are noticed through pidfds:
 * nobody else in the process may wait for all children (waitpid(-1)) or
 * set SIGCHLD to SIG_IGN. */
int probe_global_init(void);
void probe_global_cleanup(void);

#endif
