/* dns checks: one query (built by ldns: random ID, RD off, EDNS0) over a
 * connected UDP socket, again over TCP if the reply is truncated; the
 * reply must carry our ID and question and the expected rcode.  Replies
 * that are not ours are ignored, not failures (spoofing, stale packets). */
#include <errno.h>
#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "health/probe_check.h"
#include "health/probe_impl.h"
#include "lib/buf.h"
#include "sys/sock.h"

#define EDNS_UDP_SIZE 1232 /* DNS flag day 2020: no fragmentation */
#define UDP_IN_MAX 65535
#define TCP_IN_MAX (2 + 65535)

struct dns_state {
	int fd;
	struct event *ev_r, *ev_w;
	bool tcp, connected;
	uint8_t *query; /* 2-octet length (TCP framing), then the message */
	size_t qlen;    /* of the message */
	size_t sent;    /* TCP: octets of the framed query written */
	uint8_t *in;
	size_t in_len;
	unsigned foreign; /* replies ignored */
	char server[ADDR_STRLEN + 8];
};

static void dns_event(evutil_socket_t fd, short what, void *arg);

static int dns_build_query(struct probe_run *r, struct dns_state *s)
{
	const struct probe_dns *d = &r->spec->u.dns;
	uint8_t *wire = NULL;
	size_t len = 0;
	uint16_t id;
	if (getrandom(&id, sizeof id, GRND_NONBLOCK) != sizeof id)
		id = (uint16_t)(probe_now() ^ (probe_now() >> 16));
	ldns_rdf *name = ldns_dname_new_frm_str(d->qname);
	if (!name) {
		probe_report(r, false, "bad query name \"%.64s\"", d->qname);
		return -1;
	}
	ldns_pkt *pkt = ldns_pkt_query_new(name, (ldns_rr_type)(d->qtype ? d->qtype : LDNS_RR_TYPE_A),
					   LDNS_RR_CLASS_IN, 0); /* flags 0: RD off */
	if (!pkt) {
		ldns_rdf_deep_free(name);
		goto fail;
	}
	ldns_pkt_set_id(pkt, id);
	ldns_pkt_set_edns_udp_size(pkt, EDNS_UDP_SIZE);
	ldns_status st = ldns_pkt2wire(&wire, pkt, &len);
	ldns_pkt_free(pkt);
	if (st != LDNS_STATUS_OK || len > 65535)
		goto fail;
	s->query = malloc(2 + len);
	if (!s->query)
		goto fail;
	s->query[0] = (uint8_t)(len >> 8);
	s->query[1] = (uint8_t)len;
	memcpy(s->query + 2, wire, len);
	s->qlen = len;
	free(wire);
	return 0;
fail:
	free(wire);
	probe_report(r, false, "cannot build the query");
	return -1;
}

/* A new socket of the given type towards the server, with its events. */
static int dns_open(struct probe_run *r, struct dns_state *s, int type)
{
	const struct probe_dns *d = &r->spec->u.dns;
	struct sockaddr_storage ss;
	socklen_t sl = sock_addr_to_sa(&d->server, d->port ? d->port : 53, &ss);
	s->fd = socket(ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		goto fail;
	s->ev_r = event_new(r->base, s->fd, EV_READ | EV_PERSIST, dns_event, r);
	s->ev_w = event_new(r->base, s->fd, EV_WRITE | EV_PERSIST, dns_event, r);
	if (!s->ev_r || !s->ev_w) {
		errno = ENOMEM;
		goto fail;
	}
	if (connect(s->fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS)
		goto fail;
	return 0;
fail:
	probe_report(r, false, "%s %s: %s", type == SOCK_STREAM ? "tcp" : "udp", s->server,
		     strerror(errno));
	return -1;
}

static void dns_close(struct dns_state *s)
{
	if (s->ev_r)
		event_free(s->ev_r);
	if (s->ev_w)
		event_free(s->ev_w);
	if (s->fd >= 0)
		close(s->fd);
	s->ev_r = s->ev_w = NULL;
	s->fd = -1;
}

static void dns_start_tcp(struct probe_run *r, struct dns_state *s)
{
	dns_close(s);
	s->tcp = true;
	s->in_len = 0;
	if (dns_open(r, s, SOCK_STREAM) < 0)
		return;
	probe_phase(r, "reply truncated, no reply from %s over tcp", s->server);
	event_add(s->ev_w, NULL);
}

/* Judges one complete message; false when it was not ours (keep waiting). */
static bool dns_judge(struct probe_run *r, struct dns_state *s, const uint8_t *m, size_t len)
{
	const struct probe_dns *d = &r->spec->u.dns;
	struct probe_dns_reply rep;
	probe_dns_reply_check(s->query + 2, s->qlen, m, len, &rep);
	const char *via = s->tcp ? " (tcp)" : "";
	switch (rep.verdict) {
	case PROBE_DNS_FOREIGN:
		s->foreign++;
		return false;
	case PROBE_DNS_TRUNCATED:
		if (!s->tcp) {
			dns_start_tcp(r, s);
			return true;
		}
		break; /* TC over TCP: the header is all we need */
	case PROBE_DNS_MALFORMED:
		probe_report(r, false, "malformed reply from %s%s", s->server, via);
		return true;
	case PROBE_DNS_MATCH:
		break;
	}
	char desc[96];
	probe_dns_describe(&rep, desc, sizeof desc);
	if (probe_dns_rcode_ok(rep.rcode, d->expect_rcode)) {
		probe_report(r, true, "%s%s", desc, via);
		return true;
	}
	const char *want = probe_dns_rcode_name(d->expect_rcode);
	if (want)
		probe_report(r, false, "%s, expected %s%s", desc, want, via);
	else
		probe_report(r, false, "%s, expected rcode %d%s", desc, d->expect_rcode, via);
	return true;
}

static void dns_udp_read(struct probe_run *r, struct dns_state *s)
{
	for (;;) {
		ssize_t n = recv(s->fd, s->in, UDP_IN_MAX, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) {
			/* ICMP port unreachable shows up here on a connected socket. */
			probe_report(r, false, "udp %s: %s", s->server, strerror(errno));
			return;
		}
		if (dns_judge(r, s, s->in, (size_t)n))
			return;
	}
	probe_phase(r, "no reply from %s over udp (%u foreign)", s->server, s->foreign);
}

static void dns_tcp_write(struct probe_run *r, struct dns_state *s)
{
	if (!s->connected) {
		int e = sock_error(s->fd);
		if (e) {
			probe_report(r, false, "tcp %s: %s", s->server, strerror(e));
			return;
		}
		s->connected = true;
	}
	while (s->sent < s->qlen + 2) {
		ssize_t n = send(s->fd, s->query + s->sent, s->qlen + 2 - s->sent, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0) {
			probe_report(r, false, "tcp %s: %s", s->server, strerror(errno));
			return;
		}
		s->sent += (size_t)n;
	}
	event_del(s->ev_w);
	event_add(s->ev_r, NULL);
}

static void dns_tcp_read(struct probe_run *r, struct dns_state *s)
{
	ssize_t n = recv(s->fd, s->in + s->in_len, TCP_IN_MAX - s->in_len, 0);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		probe_report(r, false, "tcp %s: %s after %zu bytes", s->server,
			     n ? strerror(errno) : "closed", s->in_len);
		return;
	}
	s->in_len += (size_t)n;
	if (s->in_len < 2)
		return;
	size_t want = 2 + (size_t)buf_load_u16(s->in);
	if (s->in_len < want)
		return;
	/* Our own connection carries nothing else: not ours is a failure. */
	if (!dns_judge(r, s, s->in + 2, want - 2))
		probe_report(r, false, "tcp %s: reply does not match the query", s->server);
}

static void dns_event(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	struct probe_run *r = arg;
	struct dns_state *s = r->impl;
	if (!s->tcp)
		dns_udp_read(r, s);
	else if (what & EV_WRITE)
		dns_tcp_write(r, s);
	else
		dns_tcp_read(r, s);
}

static void dns_start(struct probe_run *r)
{
	struct dns_state *s = calloc(1, sizeof *s);
	if (!s) {
		probe_report(r, false, "out of memory");
		return;
	}
	s->fd = -1;
	r->impl = s;
	const struct probe_dns *d = &r->spec->u.dns;
	probe_addr_port(&d->server, d->port ? d->port : 53, s->server, sizeof s->server);
	s->in = malloc(TCP_IN_MAX);
	if (!s->in) {
		probe_report(r, false, "out of memory");
		return;
	}
	if (dns_build_query(r, s) < 0 || dns_open(r, s, SOCK_DGRAM) < 0)
		return;
	if (send(s->fd, s->query + 2, s->qlen, 0) != (ssize_t)s->qlen) {
		probe_report(r, false, "udp %s: %s", s->server, strerror(errno));
		return;
	}
	probe_phase(r, "no reply from %s over udp", s->server);
	event_add(s->ev_r, NULL);
}

static void dns_stop(struct probe_run *r)
{
	struct dns_state *s = r->impl;
	if (!s)
		return;
	dns_close(s);
	free(s->query);
	free(s->in);
	free(s);
}

const struct probe_ops probe_dns_ops = {dns_start, dns_stop};
