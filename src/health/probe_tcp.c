/* tcp checks: non-blocking connect, optional send, optional expected
 * substring within the first bytes of the reply. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "health/probe_check.h"
#include "health/probe_impl.h"
#include "sys/sock.h"

#define TCP_IN_MAX 4096 /* the expected text must come within this many bytes */

struct tcp_state {
	int fd;
	struct event *ev_r, *ev_w;
	bool connected;
	size_t sent;
	uint8_t in[TCP_IN_MAX];
	size_t in_len;
	char target[ADDR_STRLEN + 8];
};

static void tcp_event(evutil_socket_t fd, short what, void *arg);

static void tcp_wait(struct probe_run *r, short what)
{
	struct tcp_state *s = r->impl;
	event_del(what == EV_READ ? s->ev_w : s->ev_r);
	event_add(what == EV_READ ? s->ev_r : s->ev_w, NULL);
}

static void tcp_fail_errno(struct probe_run *r, const char *doing, int e)
{
	struct tcp_state *s = r->impl;
	probe_report(r, false, "%s %s: %s", doing, s->target, strerror(e));
}

/* After the send: done, or wait for the expected text. */
static void tcp_after_send(struct probe_run *r)
{
	const struct probe_tcp *t = &r->spec->u.tcp;
	struct tcp_state *s = r->impl;
	if (!t->expect[0]) {
		probe_report(r, true, "connected to %s%s", s->target, t->send[0] ? ", sent" : "");
		return;
	}
	probe_phase(r, "waiting for \"%.64s\" from %s (%zu bytes so far)", t->expect, s->target,
		    s->in_len);
	tcp_wait(r, EV_READ);
}

static void tcp_send(struct probe_run *r)
{
	const struct probe_tcp *t = &r->spec->u.tcp;
	struct tcp_state *s = r->impl;
	size_t len = strlen(t->send);
	while (s->sent < len) {
		ssize_t n = send(s->fd, t->send + s->sent, len - s->sent, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			tcp_wait(r, EV_WRITE);
			return;
		}
		if (n < 0) {
			tcp_fail_errno(r, "send to", errno);
			return;
		}
		s->sent += (size_t)n;
	}
	tcp_after_send(r);
}

static void tcp_read(struct probe_run *r)
{
	const struct probe_tcp *t = &r->spec->u.tcp;
	struct tcp_state *s = r->impl;
	ssize_t n = recv(s->fd, s->in + s->in_len, sizeof s->in - s->in_len, 0);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n < 0) {
		tcp_fail_errno(r, "receive from", errno);
		return;
	}
	s->in_len += (size_t)n;
	if (probe_expect_found(s->in, s->in_len, t->expect)) {
		probe_report(r, true, "\"%.64s\" from %s within %zu bytes", t->expect, s->target,
			     s->in_len);
		return;
	}
	if (n == 0 || s->in_len == sizeof s->in) {
		char ex[80];
		probe_excerpt(s->in, s->in_len, ex, sizeof ex);
		probe_report(r, false, "%s: \"%.32s\" not in %s%zu bytes: \"%s\"", s->target, t->expect,
			     n == 0 ? "reply closed after " : "first ", s->in_len, ex);
		return;
	}
	probe_phase(r, "waiting for \"%.64s\" from %s (%zu bytes so far)", t->expect, s->target,
		    s->in_len);
}

static void tcp_event(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	struct probe_run *r = arg;
	struct tcp_state *s = r->impl;
	if (!s->connected) {
		int e = sock_error(s->fd);
		if (e) {
			tcp_fail_errno(r, "connect to", e);
			return;
		}
		s->connected = true;
		tcp_send(r);
		return;
	}
	if (what & EV_WRITE)
		tcp_send(r);
	else
		tcp_read(r);
}

static void tcp_start(struct probe_run *r)
{
	const struct probe_tcp *t = &r->spec->u.tcp;
	struct tcp_state *s = calloc(1, sizeof *s);
	if (!s) {
		probe_report(r, false, "out of memory");
		return;
	}
	s->fd = -1;
	r->impl = s;
	probe_addr_port(&t->addr, t->port, s->target, sizeof s->target);
	struct sockaddr_storage ss;
	socklen_t sl = sock_addr_to_sa(&t->addr, t->port, &ss);
	s->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		tcp_fail_errno(r, "socket for", errno);
		return;
	}
	s->ev_r = event_new(r->base, s->fd, EV_READ | EV_PERSIST, tcp_event, r);
	s->ev_w = event_new(r->base, s->fd, EV_WRITE | EV_PERSIST, tcp_event, r);
	if (!s->ev_r || !s->ev_w) {
		tcp_fail_errno(r, "events for", ENOMEM);
		return;
	}
	if (connect(s->fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS) {
		tcp_fail_errno(r, "connect to", errno);
		return;
	}
	probe_phase(r, "connecting to %s", s->target);
	tcp_wait(r, EV_WRITE);
}

static void tcp_stop(struct probe_run *r)
{
	struct tcp_state *s = r->impl;
	if (!s)
		return;
	if (s->ev_r)
		event_free(s->ev_r);
	if (s->ev_w)
		event_free(s->ev_w);
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

const struct probe_ops probe_tcp_ops = {tcp_start, tcp_stop};
