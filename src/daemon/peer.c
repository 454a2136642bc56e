/* Session glue: FSM <-> socket <-> timers <-> Adj-RIB-Out. */
#include <errno.h>
#include <event2/buffer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bgp/fsm.h"
#include "bgp/notify.h"
#include "bgp/open.h"
#include "bgp/update.h"
#include "daemon/closer.h"
#include "daemon/peer.h"
#include "daemon/services.h"
#include "lib/log.h"
#include "sys/sock.h"

#define IN_CAP (2 * BGP_EXT_MAX_LEN)
#define OUT_LOW_WATER (64 * 1024) /* refill from the RIB below this */
#define LINGER_MAX MONOTIME_S(3)  /* flushing before close, at most */

struct peer {
	struct daemon *d;
	struct conf_peer cfg;
	struct bgp_fsm fsm;
	int fd;
	bool connecting;
	bool linger; /* flush the output before closing (graceful shutdown) */
	int pending_fd; /* the peer's connection held during a collision */
	unsigned gen;   /* bumped whenever fd changes */
	struct event *ev_read, *ev_write, *ev_timer;
	uint8_t *in;
	size_t in_len;
	struct evbuffer *out;
	bool send_blocked;
	struct bgp_open local_open;
	struct bgp_session_params sess;
	struct addr local_addr;
	struct ribout *rib;
	struct bgp_route_attrs *attrs; /* per service and announcement state */
	size_t n_attrs;
	struct bgp_update *upd; /* scratch for received UPDATEs */
	char shutdown_text[BGP_SHUTDOWN_COMM_MAX + 1];
	uint64_t update_problems;
	uint64_t msgs_in[6], msgs_out[6]; /* by message type */
	monotime_t state_since;
	unsigned long established_count;
	char last_error[160];
	char families[32];
	unsigned refresh_families; /* asked for by ROUTE-REFRESH, not yet resent */
};

static void peer_act(struct peer *p, unsigned act);

static const char *pn(const struct peer *p) { return p->cfg.name; }

static void peer_step(struct peer *p, enum bgp_fsm_event ev)
{
	enum bgp_state before = p->fsm.state;
	unsigned act = bgp_fsm_step(&p->fsm, ev, daemon_now());
	if (p->fsm.state != before)
		p->state_since = daemon_now();
	if (p->fsm.state != before)
		log_info("session", "state change", "peer=%s from=%s to=%s reason=\"%s\"", pn(p),
			 bgp_state_name(before), bgp_state_name(p->fsm.state), p->fsm.reason);
	peer_act(p, act);
}

static void peer_schedule(struct peer *p)
{
	monotime_t dl = bgp_fsm_next_deadline(&p->fsm);
	if (!dl) {
		event_del(p->ev_timer);
		return;
	}
	daemon_ev_at(p->ev_timer, dl);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct peer *p = arg;
	peer_step(p, BGP_EV_TIMERS);
	peer_schedule(p);
}

/* ---- output ---- */

static void peer_flush(struct peer *p)
{
	if (p->fd < 0 || p->connecting)
		return;
	size_t before = evbuffer_get_length(p->out);
	while (evbuffer_get_length(p->out) > 0) {
		int n = evbuffer_write(p->out, p->fd);
		if (n <= 0)
			break;
	}
	size_t left = evbuffer_get_length(p->out);
	if (left < before && p->send_blocked) {
		p->send_blocked = false;
		bgp_fsm_step(&p->fsm, BGP_EV_SEND_DRAINED, daemon_now());
	}
	if (left > 0) {
		event_add(p->ev_write, NULL);
		if (!p->send_blocked) {
			p->send_blocked = true;
			bgp_fsm_step(&p->fsm, BGP_EV_SEND_BLOCKED, daemon_now());
		}
	} else if (p->fsm.state == BGP_ST_ESTABLISHED && ribout_pending(p->rib)) {
		event_add(p->ev_write, NULL); /* on_write refills from the RIB */
	} else {
		event_del(p->ev_write);
	}
	peer_schedule(p);
}

static void peer_send(struct peer *p, const uint8_t *msg, size_t len)
{
	if (len >= BGP_HEADER_LEN && msg[18] >= 1 && msg[18] <= 5)
		p->msgs_out[msg[18]]++;
	evbuffer_add(p->out, msg, len);
}

/* Moves routes from the RIB into the output while it is short. */
static void peer_fill(struct peer *p, bool all)
{
	static uint8_t msg[BGP_EXT_MAX_LEN];
	if (p->fsm.state != BGP_ST_ESTABLISHED)
		return;
	while ((all || evbuffer_get_length(p->out) < OUT_LOW_WATER) && ribout_pending(p->rib)) {
		struct prefix bad;
		size_t n = ribout_next(p->rib, msg, sizeof msg, &bad);
		if (n == 0)
			break;
		if (n == (size_t)-1) {
			char b[PREFIX_STRLEN];
			prefix_format(&bad, b, sizeof b);
			log_error("rib", "cannot encode route, skipped", "peer=%s prefix=%s", pn(p), b);
			continue;
		}
		peer_send(p, msg, n);
	}
	peer_flush(p);
}

/* ---- connection lifecycle ---- */

static void on_read(evutil_socket_t fd, short what, void *arg);
static void on_write(evutil_socket_t fd, short what, void *arg);

static void conn_attach(struct peer *p, int fd, bool connecting)
{
	p->fd = fd;
	p->connecting = connecting;
	p->gen++;
	p->in_len = 0;
	p->send_blocked = false;
	evbuffer_drain(p->out, evbuffer_get_length(p->out));
	daemon_ev_free(&p->ev_read);
	daemon_ev_free(&p->ev_write);
	p->ev_read = event_new(p->d->base, fd, EV_READ | EV_PERSIST, on_read, p);
	p->ev_write = event_new(p->d->base, fd, EV_WRITE | EV_PERSIST, on_write, p);
	if (connecting)
		event_add(p->ev_write, NULL);
	else
		event_add(p->ev_read, NULL);
	if (!connecting)
		sock_local_addr(fd, &p->local_addr);
}

static void conn_close(struct peer *p)
{
	if (p->fd < 0)
		return;
	/* Best effort: a NOTIFICATION queued just now should get out. */
	if (!p->connecting)
		evbuffer_write(p->out, p->fd);
	daemon_ev_free(&p->ev_read);
	daemon_ev_free(&p->ev_write);
	if (p->connecting)
		close(p->fd);
	else
		closer_add(p->d->base, p->fd); /* no RST over our NOTIFICATION */
	p->fd = -1;
	p->connecting = false;
	p->linger = false;
	p->gen++;
	p->in_len = 0;
	evbuffer_drain(p->out, evbuffer_get_length(p->out));
	if (p->send_blocked) {
		p->send_blocked = false;
		bgp_fsm_step(&p->fsm, BGP_EV_SEND_DRAINED, daemon_now());
	}
	if (p->d->stopping)
		daemon_peer_closed(p->d);
}

static void reject_fd(int fd, uint8_t subcode)
{
	uint8_t b[64];
	struct buf_writer w;
	buf_writer_init(&w, b, sizeof b);
	bgp_notification_encode(BGP_ERR_CEASE, subcode, NULL, 0, &w);
	if (write(fd, b, w.len) < 0) {
		/* nothing to do: the connection is going away anyway */
	}
	close(fd);
}

static void send_open(struct peer *p)
{
	const struct conf *c = p->d->conf;
	struct bgp_open *o = &p->local_open;
	uint8_t b[BGP_MAX_LEN];
	struct buf_writer w;
	memset(o, 0, sizeof *o);
	o->version = BGP_VERSION;
	o->my_as = c->local_as > 0xffff ? BGP_AS_TRANS : (uint16_t)c->local_as;
	o->hold_time = p->cfg.hold_time;
	o->bgp_id = c->router_id;
	o->caps.as4 = true;
	o->caps.as4_asn = c->local_as;
	o->caps.route_refresh = true;
	/* A family is offered when we have a next hop for it. */
	if (p->local_addr.family == ADDR_V4 || p->cfg.next_hop.v4.family == ADDR_V4)
		o->caps.families |= BGP_FAM_IPV4;
	if (p->local_addr.family == ADDR_V6 || p->cfg.next_hop.v6.family == ADDR_V6)
		o->caps.families |= BGP_FAM_IPV6;
	buf_writer_init(&w, b, sizeof b);
	if (bgp_open_encode(o, &w))
		peer_send(p, b, w.len);
}

/* Takes over an accepted connection.  During a collision the FSM is
 * already in OpenSent and our OPEN goes out here. */
static void adopt(struct peer *p, int fd)
{
	bool collision = p->fsm.state == BGP_ST_OPENSENT;
	conn_attach(p, fd, false);
	if (p->cfg.ttl_security) {
		/* Set after the handshake: the listener is shared by all peers. */
		struct sock_opts o = {.gtsm = true};
		sock_set_ttl(fd, p->local_addr.family, &o);
	}
	if (collision) {
		send_open(p);
		peer_flush(p);
	} else {
		peer_step(p, BGP_EV_TCP_UP);
	}
}

static void resolve_collision(struct peer *p)
{
	int fd = p->pending_fd;
	if (fd < 0 || p->fsm.state != BGP_ST_OPENCONFIRM)
		return;
	p->pending_fd = -1;
	if (!bgp_fsm_collision_keep_incoming(p->d->conf->router_id, p->sess.peer_id)) {
		log_info("session", "connection collision: kept ours", "peer=%s", pn(p));
		reject_fd(fd, BGP_CEASE_COLLISION);
		return;
	}
	log_info("session", "connection collision: kept the peer's", "peer=%s", pn(p));
	p->pending_fd = fd; /* adopted by the CLOSE action */
	peer_step(p, BGP_EV_COLLISION_DUMP);
}

/* The attribute table for this peer's session (next hop from the local
 * address), one set per service and announcement state. */
static int build_attrs(struct peer *p)
{
	const struct services *sv = p->d->services;
	size_t n = 3 * services_count(sv);
	if (n != p->n_attrs) {
		struct bgp_route_attrs *t = realloc(p->attrs, (n ? n : 1) * sizeof *t);
		if (!t)
			return -1;
		p->attrs = t;
		p->n_attrs = n;
	}
	services_peer_attrs(sv, &p->cfg, p->d->conf->local_as, &p->local_addr, p->attrs);
	return 0;
}

static void routes_to_rib(struct peer *p)
{
	size_t n;
	const struct ribout_route *r = services_routes(p->d->services, &n);
	if (build_attrs(p) < 0 || ribout_set(p->rib, r, n, p->attrs, p->n_attrs) < 0)
		log_error("rib", "out of memory updating routes", "peer=%s", pn(p));
}

static void established(struct peer *p)
{
	char fam[32];
	snprintf(fam, sizeof fam, "%s%s%s", p->sess.families & BGP_FAM_IPV4 ? "ipv4" : "",
		 p->sess.families == (BGP_FAM_IPV4 | BGP_FAM_IPV6) ? "," : "",
		 p->sess.families & BGP_FAM_IPV6 ? "ipv6" : "");
	log_info("session", "session established", "peer=%s hold=%u as4=%s families=%s", pn(p),
		 p->sess.hold_time, p->sess.as4 ? "yes" : "no", fam[0] ? fam : "none");
	snprintf(p->families, sizeof p->families, "%s", fam);
	p->established_count++;
	routes_to_rib(p);
	ribout_session_up(p->rib, &p->sess);
	peer_fill(p, false);
}

static void send_notification(struct peer *p)
{
	const struct bgp_error *e = &p->fsm.notify;
	uint8_t b[512];
	struct buf_writer w;
	char name[96];
	buf_writer_init(&w, b, sizeof b);
	bool comm = e->code == BGP_ERR_CEASE &&
		    (e->subcode == BGP_CEASE_ADMIN_SHUTDOWN || e->subcode == BGP_CEASE_ADMIN_RESET) &&
		    p->shutdown_text[0];
	if (comm)
		bgp_notification_encode_shutdown(e->subcode, p->shutdown_text, &w);
	else
		bgp_notification_encode(e->code, e->subcode, e->data, e->data_len, &w);
	bgp_error_name(e->code, e->subcode, name, sizeof name);
	log_info("session", "sending NOTIFICATION", "peer=%s error=\"%s\" reason=\"%s\"", pn(p), name,
		 e->reason ? e->reason : "");
	peer_send(p, b, w.len);
}

static void do_connect(struct peer *p)
{
	struct sock_opts o = {.md5_key = p->cfg.password, .gtsm = p->cfg.ttl_security};
	if (p->cfg.tcp_ao.enabled)
		o.ao = (struct sock_ao){.key = p->cfg.tcp_ao.password,
					.send_id = p->cfg.tcp_ao.send_id,
					.recv_id = p->cfg.tcp_ao.recv_id,
					.cmac = p->cfg.tcp_ao.alg == CONF_AO_AES128_CMAC};
	bool ebgp = p->cfg.remote_as != p->d->conf->local_as;
	if (!o.gtsm && ebgp)
		o.ttl = p->cfg.multihop ? p->cfg.multihop : 1;
	int fd = sock_connect(&p->cfg.address, p->cfg.port, &p->cfg.local_address, &o);
	if (fd < 0 && p->cfg.tcp_ao.enabled && errno != EINPROGRESS &&
	    (errno == ENOPROTOOPT || errno == EINVAL || errno == ENOENT || errno == EKEYREJECTED)) {
		/* No SYN left: the socket was closed before connect().  Retried
		 * with the usual back-off, so a kernel upgrade needs no restart. */
		const char *why = sock_ao_strerror(errno);
		log_error("session", "TCP-AO is configured but cannot be used: peer refused, no unauthenticated fallback",
			  "peer=%s error=\"%s\"", pn(p), why);
		snprintf(p->last_error, sizeof p->last_error, "TCP-AO unavailable: %s", why);
		peer_step(p, BGP_EV_TCP_FAIL);
		return;
	}
	if (fd < 0) {
		log_warn("session", "connect failed", "peer=%s error=\"%s\"", pn(p), strerror(errno));
		peer_step(p, BGP_EV_TCP_FAIL);
		return;
	}
	conn_attach(p, fd, true);
}

static void peer_close_action(struct peer *p)
{
	if (p->linger && p->fd >= 0 && evbuffer_get_length(p->out) > 0) {
		/* on_write closes once drained; the daemon's exit timer bounds it */
		event_del(p->ev_read);
		event_add(p->ev_write, NULL);
		return;
	}
	if (p->fsm.reason && !strcmp(p->fsm.reason, "connection attempt timed out") && p->cfg.password[0])
		log_warn("session", "no answer from the peer while a TCP-MD5 password is configured",
			 "peer=%s hint=\"a key mismatch makes both kernels drop the segments silently; "
			 "compare the md5 keys and see TcpExtTCPMD5Failure/TCPMD5Unexpected in nstat\"",
			 pn(p));
	conn_close(p);
	if (p->pending_fd >= 0 && p->fsm.running) {
		int fd = p->pending_fd;
		p->pending_fd = -1;
		adopt(p, fd);
	}
}

static void peer_act(struct peer *p, unsigned act)
{
	if (act & BGP_ACT_SEND_NOTIFICATION)
		send_notification(p);
	if (act & BGP_ACT_DOWN) {
		log_warn("session", "session down", "peer=%s reason=\"%s\"", pn(p), p->fsm.reason);
		snprintf(p->last_error, sizeof p->last_error, "%s", p->fsm.reason ? p->fsm.reason : "");
		ribout_session_down(p->rib);
	}
	if (act & BGP_ACT_CLOSE)
		peer_close_action(p);
	if (act & BGP_ACT_CONNECT)
		do_connect(p);
	if (act & BGP_ACT_SEND_OPEN)
		send_open(p);
	if (act & BGP_ACT_SEND_KEEPALIVE) {
		uint8_t b[BGP_KEEPALIVE_LEN];
		struct buf_writer w;
		buf_writer_init(&w, b, sizeof b);
		bgp_keepalive_encode(&w);
		peer_send(p, b, w.len);
	}
	if (act & BGP_ACT_ESTABLISHED)
		established(p);
	if (act & BGP_ACT_RESEND) {
		ribout_resend(p->rib, p->refresh_families);
		p->refresh_families = 0;
		peer_fill(p, false);
	}
	if (act & (BGP_ACT_SEND_OPEN | BGP_ACT_SEND_KEEPALIVE))
		peer_flush(p);
	peer_schedule(p);
}

/* ---- input ---- */

static void msg_open(struct peer *p, const uint8_t *m, size_t len)
{
	struct bgp_open o;
	if (p->fsm.state != BGP_ST_OPENSENT) {
		peer_step(p, BGP_EV_OPEN);
		return;
	}
	struct bgp_neg_policy pol = {
		.local_as = p->d->conf->local_as,
		.local_id = p->d->conf->router_id,
		.peer_as = p->cfg.remote_as,
		.min_hold_time = 3,
	};
	if (!bgp_open_decode(m, len, &o, &p->fsm.notify) ||
	    !bgp_open_negotiate(&p->local_open, &o, &pol, &p->sess, &p->fsm.notify)) {
		log_warn("session", "OPEN refused", "peer=%s reason=\"%s\"", pn(p), p->fsm.notify.reason);
		peer_step(p, BGP_EV_MSG_ERROR);
		return;
	}
	p->fsm.hold_time = p->sess.hold_time;
	peer_step(p, BGP_EV_OPEN_OK);
	resolve_collision(p);
}

static void msg_update(struct peer *p, const uint8_t *m, size_t len)
{
	if (p->fsm.state == BGP_ST_ESTABLISHED) {
		/* Counted, never stored, never a reason to reset (design.md
		 * guarantee 3; a documented deviation from RFC 7606). */
		enum bgp_verdict v = bgp_update_decode(m, len, &p->sess, p->upd);
		if (v != BGP_VERDICT_OK && (p->update_problems++ < 10 || p->update_problems % 1000 == 0))
			log_warn("update", "malformed UPDATE ignored",
				 "peer=%s verdict=%s attr=%u reason=\"%s\" count=%llu", pn(p), bgp_verdict_name(v),
				 p->upd->error_attr, p->upd->error.reason ? p->upd->error.reason : "",
				 (unsigned long long)p->update_problems);
	}
	peer_step(p, BGP_EV_UPDATE);
}

static void msg_notification(struct peer *p, const uint8_t *m, size_t len)
{
	struct bgp_notification n;
	char desc[1200];
	bgp_notification_decode(m, len, &n);
	bgp_notification_describe(&n, desc, sizeof desc);
	char q[1400];
	log_warn("session", "peer sent NOTIFICATION", "peer=%s notification=%s", pn(p), log_quote(desc, q, sizeof q));
	peer_step(p, BGP_EV_NOTIFICATION);
}

static void msg_route_refresh(struct peer *p, const uint8_t *m, size_t len)
{
	struct bgp_route_refresh rr;
	if (!bgp_route_refresh_decode(m, len, &rr, &p->fsm.notify)) {
		peer_step(p, BGP_EV_MSG_ERROR);
		return;
	}
	unsigned fam = bgp_family_of(rr.afi, rr.safi);
	if (rr.subtype == BGP_RR_REQUEST && (fam & p->sess.families) && p->sess.route_refresh) {
		p->refresh_families |= fam; /* RFC 2918: only the family asked for */
		peer_step(p, BGP_EV_ROUTE_REFRESH);
	}
	else
		peer_step(p, BGP_EV_UPDATE); /* heard from the peer: nothing else to do */
}

static void msg_dispatch(struct peer *p, uint8_t type, const uint8_t *m, size_t len)
{
	if (type >= 1 && type <= 5)
		p->msgs_in[type]++;
	switch (type) {
	case BGP_OPEN:
		msg_open(p, m, len);
		break;
	case BGP_UPDATE:
		msg_update(p, m, len);
		break;
	case BGP_NOTIFICATION:
		msg_notification(p, m, len);
		break;
	case BGP_KEEPALIVE:
		peer_step(p, BGP_EV_KEEPALIVE);
		break;
	case BGP_ROUTE_REFRESH:
		msg_route_refresh(p, m, len);
		break;
	}
}

static void process_input(struct peer *p)
{
	unsigned gen = p->gen;
	size_t off = 0;
	while (p->gen == gen) {
		uint8_t type;
		size_t len;
		size_t max = p->fsm.state == BGP_ST_ESTABLISHED ? p->sess.max_msg_len : BGP_MAX_LEN;
		enum bgp_frame_result r = bgp_frame(p->in + off, p->in_len - off, max, &type, &len, &p->fsm.notify);
		if (r == BGP_FRAME_NEED_MORE)
			break;
		if (r == BGP_FRAME_ERROR) {
			log_warn("session", "framing error", "peer=%s reason=\"%s\"", pn(p), p->fsm.notify.reason);
			peer_step(p, BGP_EV_MSG_ERROR);
			return;
		}
		msg_dispatch(p, type, p->in + off, len);
		off += len;
	}
	if (p->gen != gen)
		return;
	memmove(p->in, p->in + off, p->in_len - off);
	p->in_len -= off;
}

static void on_read(evutil_socket_t fd, short what, void *arg)
{
	(void)what;
	struct peer *p = arg;
	ssize_t n = read(fd, p->in + p->in_len, IN_CAP - p->in_len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		log_warn("session", n == 0 ? "connection closed by the peer" : "read failed", "peer=%s error=\"%s\"",
			 pn(p), n == 0 ? "eof" : strerror(errno));
		peer_step(p, BGP_EV_TCP_FAIL);
		return;
	}
	p->in_len += (size_t)n;
	process_input(p);
}

static void on_write(evutil_socket_t fd, short what, void *arg)
{
	(void)what;
	struct peer *p = arg;
	if (p->connecting) {
		int err = sock_error(fd);
		event_del(p->ev_write);
		if (err) {
			log_warn("session", "connect failed", "peer=%s error=\"%s\"", pn(p), strerror(err));
			peer_step(p, BGP_EV_TCP_FAIL);
			return;
		}
		p->connecting = false;
		sock_local_addr(fd, &p->local_addr);
		event_add(p->ev_read, NULL);
		peer_step(p, BGP_EV_TCP_UP);
		return;
	}
	peer_flush(p);
	if (p->linger && evbuffer_get_length(p->out) == 0) {
		conn_close(p);
		return;
	}
	if (evbuffer_get_length(p->out) < OUT_LOW_WATER)
		peer_fill(p, false);
}

/* ---- public ---- */

struct peer *peer_new(struct daemon *d, const struct conf_peer *cfg)
{
	struct peer *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->d = d;
	p->cfg = *cfg;
	p->fd = p->pending_fd = -1;
	p->in = malloc(IN_CAP);
	p->out = evbuffer_new();
	p->rib = ribout_new();
	p->upd = malloc(sizeof *p->upd);
	p->ev_timer = evtimer_new(d->base, on_timer, p);
	p->state_since = daemon_now();
	if (!p->in || !p->out || !p->rib || !p->upd || !p->ev_timer) {
		peer_free(p);
		return NULL;
	}
	struct bgp_fsm_config fc = {
		.passive = cfg->passive,
		.hold_time = cfg->hold_time,
		.connect_timeout = MONOTIME_S(5),
		.backoff_min = MONOTIME_S(1),
		.backoff_max = MONOTIME_S(60),
	};
	uint64_t seed = (uint64_t)daemon_now() ^ ((uint64_t)(uintptr_t)p << 16);
	bgp_fsm_init(&p->fsm, &fc, seed);
	return p;
}

void peer_free(struct peer *p)
{
	if (!p)
		return;
	conn_close(p);
	if (p->pending_fd >= 0)
		close(p->pending_fd);
	daemon_ev_free(&p->ev_timer);
	if (p->out)
		evbuffer_free(p->out);
	ribout_free(p->rib);
	free(p->attrs);
	free(p->upd);
	free(p->in);
	free(p);
}

void peer_start(struct peer *p)
{
	peer_step(p, BGP_EV_START);
}

void peer_stop(struct peer *p, uint8_t cease_subcode, const char *text)
{
	snprintf(p->shutdown_text, sizeof p->shutdown_text, "%s", text ? text : "");
	bool open = p->fsm.state >= BGP_ST_OPENSENT;
	unsigned act = bgp_fsm_step(&p->fsm, BGP_EV_STOP, daemon_now());
	if (open)
		p->fsm.notify.subcode = cease_subcode;
	peer_act(p, act);
	if (p->pending_fd >= 0) {
		close(p->pending_fd);
		p->pending_fd = -1;
	}
}

void peer_shutdown(struct peer *p, const char *text)
{
	if (p->fsm.state == BGP_ST_ESTABLISHED) {
		/* Withdraw first, so routers drop our routes before the Cease. */
		ribout_set(p->rib, NULL, 0, p->attrs, p->n_attrs);
		peer_fill(p, true);
		p->linger = true;
	}
	peer_stop(p, BGP_CEASE_ADMIN_SHUTDOWN, text);
}

void peer_routes_changed(struct peer *p)
{
	routes_to_rib(p);
	peer_fill(p, false);
}

void peer_incoming(struct peer *p, int fd)
{
	if (!p->fsm.running) {
		close(fd);
		return;
	}
	switch (p->fsm.state) {
	case BGP_ST_IDLE:
	case BGP_ST_ACTIVE:
		adopt(p, fd);
		return;
	case BGP_ST_CONNECT:
		/* The peer beat our own attempt: take its connection. */
		conn_close(p);
		p->fsm.state = BGP_ST_ACTIVE;
		adopt(p, fd);
		return;
	case BGP_ST_OPENSENT:
		if (p->pending_fd >= 0)
			close(p->pending_fd);
		p->pending_fd = fd; /* resolved once the peer's OPEN tells its identifier */
		return;
	case BGP_ST_OPENCONFIRM:
		p->pending_fd = fd;
		resolve_collision(p);
		return;
	case BGP_ST_ESTABLISHED:
		log_info("session", "connection from an established peer refused", "peer=%s", pn(p));
		reject_fd(fd, BGP_CEASE_COLLISION);
		return;
	}
}

void peer_info(const struct peer *p, struct peer_info *out)
{
	*out = (struct peer_info){
		.cfg = &p->cfg,
		.state = bgp_state_name(p->fsm.state),
		.established = p->fsm.state == BGP_ST_ESTABLISHED,
		.state_since = p->state_since,
		.established_at = p->fsm.established_at,
		.hold_time = p->fsm.state >= BGP_ST_OPENCONFIRM ? p->fsm.hold_time : 0,
		.families = p->fsm.state == BGP_ST_ESTABLISHED ? p->families : "",
		.last_error = p->last_error,
		.established_count = p->established_count,
		.update_problems = p->update_problems,
		.prefixes_sent = p->fsm.state == BGP_ST_ESTABLISHED ? ribout_sent_count(p->rib) : 0,
		.prefixes_desired = ribout_desired_count(p->rib),
	};
	memcpy(out->msgs_in, p->msgs_in, sizeof p->msgs_in);
	memcpy(out->msgs_out, p->msgs_out, sizeof p->msgs_out);
}

const struct conf_peer *peer_conf(const struct peer *p) { return &p->cfg; }

bool peer_closed(const struct peer *p) { return p->fd < 0; }

bool peer_announcing(const struct peer *p)
{
	return p->fsm.state == BGP_ST_ESTABLISHED && ribout_sent_count(p->rib) > 0;
}
