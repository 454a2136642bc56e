/* One probe run: dispatch to the type, the timeout, reporting exactly once
 * from the loop, cancelling.  See probe.h and probe_impl.h. */
#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "health/probe_impl.h"

#define DEFAULT_TIMEOUT MONOTIME_S(1)

static const struct probe_ops *const ops_by_type[] = {
	[PROBE_DNS] = &probe_dns_ops,
	[PROBE_HTTP] = &probe_http_ops,
	[PROBE_TCP] = &probe_tcp_ops,
	[PROBE_EXEC] = &probe_exec_ops,
	[PROBE_PROCESS] = &probe_process_ops,
};

monotime_t probe_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return MONOTIME_S(ts.tv_sec) + ts.tv_nsec;
}

struct timeval probe_tv(monotime_t d)
{
	if (d < 0)
		d = 0;
	return (struct timeval){.tv_sec = d / 1000000000, .tv_usec = (d % 1000000000) / 1000};
}

void probe_addr_port(const struct addr *a, uint16_t port, char *out, size_t cap)
{
	char s[ADDR_STRLEN];
	addr_format(a, s, sizeof s);
	snprintf(out, cap, a->family == ADDR_V6 ? "[%s]:%u" : "%s:%u", s, port);
}

void probe_phase(struct probe_run *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->phase, sizeof r->phase, fmt, ap);
	va_end(ap);
}

static void run_free(struct probe_run *r)
{
	if (r->ev_timeout)
		event_free(r->ev_timeout);
	if (r->ev_report)
		event_free(r->ev_report);
	free(r);
}

void probe_report(struct probe_run *r, bool ok, const char *fmt, ...)
{
	if (r->reported)
		return;
	r->reported = true;
	r->res.ok = ok;
	r->res.duration = probe_now() - r->started;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->res.detail, sizeof r->res.detail, fmt, ap);
	va_end(ap);
	r->ops->stop(r);
	r->impl = NULL;
	event_del(r->ev_timeout);
	/* The callback runs from the loop: never inside probe_start, and
	 * never with a type's code still on the stack. */
	event_active(r->ev_report, EV_TIMEOUT, 1);
}

static void on_report(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct probe_run *r = arg;
	struct probe_result res = r->res;
	probe_done_fn done = r->done;
	void *done_arg = r->arg;
	/* Freed first, so that the callback may start the next run. */
	run_free(r);
	done(done_arg, &res);
}

static void on_timeout(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct probe_run *r = arg;
	probe_report(r, false, "timeout after %lld ms: %s", (long long)monotime_to_ms(r->timeout),
		     r->phase);
}

static void unknown_start(struct probe_run *r)
{
	probe_report(r, false, "unknown probe type %d", (int)r->spec->type);
}

static void unknown_stop(struct probe_run *r) { (void)r; }

static const struct probe_ops unknown_ops = {unknown_start, unknown_stop};

struct probe_run *probe_start(struct event_base *base, const struct probe_spec *spec, monotime_t timeout,
			      probe_done_fn done, void *arg)
{
	struct probe_run *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->base = base;
	r->spec = spec;
	r->done = done;
	r->arg = arg;
	r->ev_timeout = evtimer_new(base, on_timeout, r);
	r->ev_report = event_new(base, -1, 0, on_report, r);
	if (!r->ev_timeout || !r->ev_report)
		goto fail;
	size_t n = sizeof ops_by_type / sizeof ops_by_type[0];
	unsigned t = (unsigned)spec->type;
	r->ops = t < n && ops_by_type[t] ? ops_by_type[t] : &unknown_ops;
	r->timeout = timeout > 0 ? timeout : spec->params.timeout > 0 ? spec->params.timeout : DEFAULT_TIMEOUT;
	r->started = probe_now();
	snprintf(r->phase, sizeof r->phase, "no result");
	struct timeval tv = probe_tv(r->timeout);
	if (event_add(r->ev_timeout, &tv) < 0)
		goto fail;
	r->ops->start(r);
	return r;
fail:
	run_free(r);
	return NULL;
}

void probe_cancel(struct probe_run *r)
{
	if (!r)
		return;
	if (!r->reported)
		r->ops->stop(r);
	run_free(r);
}

int probe_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void probe_global_cleanup(void)
{
	probe_child_reap_all();
	curl_global_cleanup();
}
