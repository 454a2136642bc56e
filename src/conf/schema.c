/* The configuration schema: one key table per mapping level, the handlers
 * that store each key, and the checks that need the whole document
 * (multihop needs local-as; prefixes must be unique across services).
 * Services are in service.c, their attributes in attrs.c, their checks in
 * check.c.  docs/configuration.md describes the keys; keep the two in step. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/parser.h"
#include "conf/schema.h"
#include "lib/buf.h"
#include "lib/log.h"
#include "lib/sort.h"

/* ---- top level ---- */

static int top_router_id(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf *c = obj;
	const char *s;
	struct addr a;
	char q[200];
	if (conf_string(p, v, "an IPv4 address", &s) < 0)
		return -1;
	conf_quote(s, v->data.scalar.length, q, sizeof q);
	if (!addr_parse(s, &a) || a.family != ADDR_V4)
		return conf_fail(p, conf_mark_of(v), "expected an IPv4 address, got '%s'", q);
	c->router_id = buf_load_u32(a.b);
	if (c->router_id == 0)
		return conf_fail(p, conf_mark_of(v), "the router-id must not be 0.0.0.0");
	return 0;
}

static int top_local_as(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf *c = obj;
	return conf_asn(p, v, &c->local_as);
}

static int socket_path(struct conf_parser *p, const yaml_event_t *v, char *out)
{
	const char *s;
	char q[200];
	if (conf_string(p, v, "an absolute path", &s) < 0)
		return -1;
	size_t len = v->data.scalar.length;
	conf_quote(s, len, q, sizeof q);
	if (s[0] != '/')
		return conf_fail(p, conf_mark_of(v), "expected an absolute path, got '%s'", q);
	if (len > CONF_SOCKET_MAX)
		return conf_fail(p, conf_mark_of(v),
				 "the path is %zu bytes long; a socket path holds at most %d", len,
				 CONF_SOCKET_MAX);
	memcpy(out, s, len + 1);
	return 0;
}

static int top_control_socket(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf *c = obj;
	return socket_path(p, v, c->control_socket);
}

static int top_control_socket_readonly(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf *c = obj;
	p->readonly_mark = conf_mark_of(v);
	return socket_path(p, v, c->control_socket_readonly);
}

static int top_control_socket_mode(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf *c = obj;
	const char *s;
	char q[200];
	if (conf_string(p, v, "octal permission bits such as \"0660\"", &s) < 0)
		return -1;
	size_t len = v->data.scalar.length;
	conf_quote(s, len, q, sizeof q);
	unsigned mode = 0;
	bool ok = len >= 1 && len <= 4 && strspn(s, "01234567") == len;
	for (size_t i = 0; ok && i < len; i++)
		mode = mode * 8 + (unsigned)(s[i] - '0');
	if (!ok || mode > 0777)
		return conf_fail(p, conf_mark_of(v),
				 "expected octal permission bits 0000..0777 such as \"0660\", got '%s'", q);
	if (!(mode & 0200))
		return conf_fail(p, conf_mark_of(v),
				 "mode %04o leaves the owner unable to connect (needs 0200 at least)", mode);
	c->control_socket_mode = mode;
	return 0;
}

static int top_control_socket_group(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf *c = obj;
	return conf_account_name(p, v, "group name", CONF_ACCOUNT_MAX, c->control_socket_group);
}

static int top_user(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf *c = obj;
	return conf_account_name(p, v, "user name", CONF_ACCOUNT_MAX, c->user);
}

static int top_group(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf *c = obj;
	return conf_account_name(p, v, "group name", CONF_ACCOUNT_MAX, c->group);
}

static int top_log_level(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf *c = obj;
	const char *s;
	char q[200];
	if (conf_string(p, v, "debug, info, warn or error", &s) < 0)
		return -1;
	int l = strlen(s) == v->data.scalar.length ? log_level_parse(s) : -1;
	if (l < 0) {
		conf_quote(s, v->data.scalar.length, q, sizeof q);
		return conf_fail(p, conf_mark_of(v), "expected debug, info, warn or error, got '%s'", q);
	}
	c->log_level = l;
	return 0;
}

static int top_metrics_listen(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf *c = obj;
	if (conf_endpoint(p, v, true, &c->metrics_addr, &c->metrics_port) < 0)
		return -1;
	if (c->metrics_port == 0)
		return conf_fail(p, conf_mark_of(v), "the metrics port must not be 0");
	c->metrics = true;
	return 0;
}

static int allowed_item(struct conf_parser *p, const yaml_event_t *v, size_t index, void *obj)
{
	struct conf *c = obj;
	const char *s;
	struct prefix pfx;
	char q[200];
	(void)index;
	if (conf_string(p, v, "a prefix", &s) < 0)
		return -1;
	if (!prefix_parse(s, &pfx) || !prefix_is_canonical(&pfx)) {
		conf_quote(s, v->data.scalar.length, q, sizeof q);
		return conf_fail(p, conf_mark_of(v), "expected a prefix such as 203.0.113.0/24 (no host bits), got '%s'",
				 q);
	}
	struct prefix *n = realloc(c->allowed, (c->n_allowed + 1) * sizeof *n);
	if (!n)
		return conf_fail(p, conf_mark_of(v), "out of memory");
	c->allowed = n;
	c->allowed[c->n_allowed++] = pfx;
	return 0;
}

static int top_allowed_prefixes(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf *c = obj;
	if (conf_list(p, v, allowed_item, obj) < 0)
		return -1;
	if (c->n_allowed == 0)
		return conf_fail(p, conf_mark_of(v), "an empty allow-list would allow nothing; leave the key out");
	return 0;
}

/* ---- next-hop ---- */

static bool is_self(const yaml_event_t *v)
{
	return v->type == YAML_SCALAR_EVENT && v->data.scalar.length == 4 &&
	       memcmp(v->data.scalar.value, "self", 4) == 0;
}

static int nh_family(struct conf_parser *p, const yaml_event_t *v, uint8_t family, struct addr *a)
{
	if (is_self(v)) {
		*a = (struct addr){0};
		return 0;
	}
	if (v->type != YAML_SCALAR_EVENT)
		return conf_want(p, v, family == ADDR_V4 ? "self or an IPv4 address"
							 : "self or an IPv6 address");
	return conf_address(p, v, family, a);
}

static int nh_ipv4(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_next_hop *nh = obj;
	return nh_family(p, v, ADDR_V4, &nh->v4);
}

static int nh_ipv6(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_next_hop *nh = obj;
	return nh_family(p, v, ADDR_V6, &nh->v6);
}

static const struct conf_key next_hop_keys[] = {
	{"ipv4", nh_ipv4, false},
	{"ipv6", nh_ipv6, false},
};

/* ---- peers ---- */

static int peer_name(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_peer *peer = obj;
	return conf_name(p, v, peer->name);
}

static int peer_address(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_peer *peer = obj;
	return conf_address(p, v, ADDR_NONE, &peer->address);
}

static int peer_remote_as(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_peer *peer = obj;
	return conf_asn(p, v, &peer->remote_as);
}

static int peer_local_address(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_peer *peer = obj;
	return conf_address(p, v, ADDR_NONE, &peer->local_address);
}

static int peer_port(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_peer *peer = obj;
	uint64_t n;
	if (conf_uint(p, v, 1, 65535, &n) < 0)
		return -1;
	peer->port = (uint16_t)n;
	return 0;
}

static int peer_passive(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_peer *peer = obj;
	return conf_bool(p, v, &peer->passive);
}

static int peer_hold_time(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_peer *peer = obj;
	int64_t ms;
	char q[200];
	if (conf_duration(p, v, &ms) < 0)
		return -1;
	conf_quote((const char *)v->data.scalar.value, v->data.scalar.length, q, sizeof q);
	if (ms % 1000)
		return conf_fail(p, conf_mark_of(v), "'%s' is not a whole number of seconds", q);
	if (ms == 0)
		return conf_fail(p, conf_mark_of(v),
				 "a hold-time of 0 is refused: the session would never notice a "
				 "dead peer");
	if (ms < CONF_MIN_HOLD_TIME * 1000 || ms > 65535 * 1000)
		return conf_fail(p, conf_mark_of(v), "'%s' is out of range (%ds..65535s)", q,
				 CONF_MIN_HOLD_TIME);
	peer->hold_time = (uint16_t)(ms / 1000);
	return 0;
}

static int peer_password(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_peer *peer = obj;
	const char *s;
	if (conf_string(p, v, "a password", &s) < 0)
		return -1;
	size_t len = v->data.scalar.length;
	if (len > CONF_PASSWORD_MAX)
		return conf_fail(p, conf_mark_of(v),
				 "the password is %zu bytes long; TCP-MD5 allows at most %d", len,
				 CONF_PASSWORD_MAX);
	memcpy(peer->password, s, len + 1);
	return 0;
}

static int ao_password(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_tcp_ao *ao = obj;
	if (conf_string_copy(p, v, "a password", CONF_PASSWORD_MAX, ao->password) < 0)
		return -1;
	if (!ao->password[0])
		return conf_fail(p, conf_mark_of(v), "the TCP-AO password must not be empty");
	return 0;
}

static int ao_id(struct conf_parser *p, const yaml_event_t *v, uint8_t *out)
{
	uint64_t n;
	if (conf_uint(p, v, 0, 255, &n) < 0)
		return -1;
	*out = (uint8_t)n;
	return 0;
}
static int ao_send_id(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	return ao_id(p, v, &((struct conf_tcp_ao *)obj)->send_id);
}
static int ao_recv_id(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	return ao_id(p, v, &((struct conf_tcp_ao *)obj)->recv_id);
}

static int ao_algorithm(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_tcp_ao *ao = obj;
	const char *s;
	char q[200];
	if (conf_string(p, v, "hmac-sha1 or aes-128-cmac", &s) < 0)
		return -1;
	if (!strcmp(s, "hmac-sha1"))
		ao->alg = CONF_AO_HMAC_SHA1;
	else if (!strcmp(s, "aes-128-cmac"))
		ao->alg = CONF_AO_AES128_CMAC;
	else {
		conf_quote(s, v->data.scalar.length, q, sizeof q);
		return conf_fail(p, conf_mark_of(v), "expected hmac-sha1 or aes-128-cmac (RFC 5926), got '%s'", q);
	}
	return 0;
}

enum { AK_PASSWORD, AK_SEND_ID, AK_RECV_ID, AK_ALGORITHM, AK_COUNT };
static const struct conf_key ao_keys[AK_COUNT] = {
	[AK_PASSWORD] = {"password", ao_password, true},
	[AK_SEND_ID] = {"send-id", ao_send_id, false},
	[AK_RECV_ID] = {"recv-id", ao_recv_id, false},
	[AK_ALGORITHM] = {"algorithm", ao_algorithm, false},
};

static int peer_tcp_ao(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_peer *peer = obj;
	struct conf_seen seen[AK_COUNT];
	struct conf_tcp_ao *ao = &peer->tcp_ao;
	*ao = (struct conf_tcp_ao){.enabled = true, .send_id = 1, .recv_id = 1};
	if (conf_map(p, v, ao_keys, AK_COUNT, seen, ao) < 0)
		return -1;
	if (seen[AK_SEND_ID].value.line && !seen[AK_RECV_ID].value.line)
		ao->recv_id = ao->send_id;
	return 0;
}

static int peer_ttl_security(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_peer *peer = obj;
	return conf_bool(p, v, &peer->ttl_security);
}

static int peer_multihop(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_peer *peer = obj;
	uint64_t n;
	if (conf_uint(p, v, 1, 255, &n) < 0)
		return -1;
	peer->multihop = (uint8_t)n;
	return 0;
}

static int peer_next_hop(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	struct conf_peer *peer = obj;
	struct conf_seen seen[CONF_ARRAY_LEN(next_hop_keys)];
	if (is_self(v)) {
		peer->next_hop = (struct conf_next_hop){0};
		return 0;
	}
	if (v->type != YAML_MAPPING_START_EVENT)
		return conf_want(p, v, "self or a mapping with ipv4 and/or ipv6");
	return conf_map(p, v, next_hop_keys, CONF_ARRAY_LEN(next_hop_keys), seen, &peer->next_hop);
}

enum {
	PK_NAME,
	PK_ADDRESS,
	PK_REMOTE_AS,
	PK_LOCAL_ADDRESS,
	PK_PORT,
	PK_PASSIVE,
	PK_HOLD_TIME,
	PK_PASSWORD,
	PK_TCP_AO,
	PK_TTL_SECURITY,
	PK_MULTIHOP,
	PK_NEXT_HOP,
	PK_COUNT
};

static const struct conf_key peer_keys[PK_COUNT] = {
	[PK_NAME] = {"name", peer_name, true},
	[PK_ADDRESS] = {"address", peer_address, true},
	[PK_REMOTE_AS] = {"remote-as", peer_remote_as, true},
	[PK_LOCAL_ADDRESS] = {"local-address", peer_local_address, false},
	[PK_PORT] = {"port", peer_port, false},
	[PK_PASSIVE] = {"passive", peer_passive, false},
	[PK_HOLD_TIME] = {"hold-time", peer_hold_time, false},
	[PK_PASSWORD] = {"password", peer_password, false},
	[PK_TCP_AO] = {"tcp-ao", peer_tcp_ao, false},
	[PK_TTL_SECURITY] = {"ttl-security", peer_ttl_security, false},
	[PK_MULTIHOP] = {"multihop", peer_multihop, false},
	[PK_NEXT_HOP] = {"next-hop", peer_next_hop, false},
};

/* Checks between the keys of one peer and against the peers before it. */
static int peer_check(struct conf_parser *p, const struct conf_seen *seen)
{
	const struct conf *c = p->conf;
	const struct conf_peer *peer = &c->peers[c->n_peers - 1];
	char msg[300], a[ADDR_STRLEN], b[ADDR_STRLEN];
	if (peer->local_address.family && peer->local_address.family != peer->address.family) {
		addr_format(&peer->local_address, a, sizeof a);
		addr_format(&peer->address, b, sizeof b);
		snprintf(msg, sizeof msg, "%s is not of the same address family as address %s", a, b);
		return conf_fail_key(p, "local-address", seen[PK_LOCAL_ADDRESS].value, msg);
	}
	if (peer->password[0] && peer->tcp_ao.enabled) {
		bool ao_last = conf_mark_before(seen[PK_PASSWORD].key, seen[PK_TCP_AO].key);
		snprintf(msg, sizeof msg, "password (TCP-MD5) and tcp-ao cannot be used together");
		return conf_fail_key(p, ao_last ? "tcp-ao" : "password",
				     ao_last ? seen[PK_TCP_AO].key : seen[PK_PASSWORD].value, msg);
	}
	if (peer->ttl_security && peer->multihop) {
		bool mh_last = conf_mark_before(seen[PK_TTL_SECURITY].key, seen[PK_MULTIHOP].key);
		snprintf(msg, sizeof msg, "ttl-security and multihop cannot be used together");
		return conf_fail_key(p, mh_last ? "multihop" : "ttl-security",
				seen[mh_last ? PK_MULTIHOP : PK_TTL_SECURITY].value, msg);
	}
	for (size_t i = 0; i + 1 < c->n_peers; i++) {
		if (strcmp(c->peers[i].name, peer->name) == 0) {
			snprintf(msg, sizeof msg, "duplicate peer name '%s' (first at line %u)",
				 peer->name, p->peer_marks[i].name.line);
			return conf_fail_key(p, "name", seen[PK_NAME].value, msg);
		}
		if (addr_equal(&c->peers[i].address, &peer->address)) {
			addr_format(&peer->address, a, sizeof a);
			snprintf(msg, sizeof msg, "duplicate peer address %s (peer '%s' at line %u)",
				 a, c->peers[i].name, p->peer_marks[i].address.line);
			return conf_fail_key(p, "address", seen[PK_ADDRESS].value, msg);
		}
	}
	return 0;
}

static int peer_item(struct conf_parser *p, const yaml_event_t *v, size_t index, void *obj)
{
	struct conf *c = obj;
	struct conf_seen seen[PK_COUNT];
	(void)index;
	if (v->type != YAML_MAPPING_START_EVENT)
		return conf_want(p, v, "a mapping (one peer)");
	size_t cap = p->cap_peers;
	if (conf_grow(p, v, (void **)&c->peers, &p->cap_peers, c->n_peers, sizeof *c->peers) < 0 ||
	    conf_grow(p, v, (void **)&p->peer_marks, &cap, c->n_peers, sizeof *p->peer_marks) < 0)
		return -1;
	struct conf_peer *peer = &c->peers[c->n_peers++];
	*peer = (struct conf_peer){.port = CONF_DEFAULT_PORT, .hold_time = CONF_DEFAULT_HOLD_TIME};
	if (conf_map(p, v, peer_keys, PK_COUNT, seen, peer) < 0)
		return -1;
	p->peer_marks[c->n_peers - 1] = (struct conf_peer_marks){
		.name = seen[PK_NAME].value,
		.address = seen[PK_ADDRESS].value,
		.multihop = seen[PK_MULTIHOP].value,
	};
	return peer_check(p, seen);
}

static int top_peers(struct conf_parser *p, const yaml_event_t *v, void *obj)
{
	return conf_list(p, v, peer_item, obj);
}

static const struct conf_key top_keys[] = {
	{"router-id", top_router_id, true},
	{"local-as", top_local_as, true},
	{"control-socket", top_control_socket, false},
	{"control-socket-mode", top_control_socket_mode, false},
	{"control-socket-group", top_control_socket_group, false},
	{"control-socket-readonly", top_control_socket_readonly, false},
	{"user", top_user, false},
	{"group", top_group, false},
	{"log-level", top_log_level, false},
	{"metrics-listen", top_metrics_listen, false},
	{"allowed-prefixes", top_allowed_prefixes, false},
	{"peers", top_peers, false},
	{"services", conf_top_services, false},
};

/* ---- checks on the whole document ---- */

/* multihop needs local-as, which may come after the peers. */
/* With an allow-list, every service prefix must lie inside it: a typo
 * (or someone else's space) is refused before it reaches a router. */
static int check_allowed(struct conf_parser *p)
{
	const struct conf *c = p->conf;
	const struct conf_prefix_ref *bad = NULL;
	if (!c->n_allowed)
		return 0;
	for (size_t i = 0; i < p->n_prefixes; i++) {
		bool ok = false;
		for (size_t j = 0; j < c->n_allowed && !ok; j++)
			ok = prefix_covers(&c->allowed[j], &p->prefixes[i].prefix);
		if (!ok && (!bad || conf_mark_before(p->prefixes[i].at, bad->at)))
			bad = &p->prefixes[i];
	}
	if (!bad)
		return 0;
	char a[PREFIX_STRLEN];
	prefix_format(&bad->prefix, a, sizeof a);
	conf_path_key(p, "services");
	conf_path_index(p, bad->service);
	conf_path_key(p, "prefixes");
	conf_path_index(p, bad->index);
	return conf_fail(p, bad->at, "%s is outside allowed-prefixes", a);
}

/* The read-only socket needs a path of its own. */
static int check_sockets(struct conf_parser *p)
{
	const struct conf *c = p->conf;
	if (c->control_socket_readonly[0] && !strcmp(c->control_socket_readonly, c->control_socket))
		return conf_fail_nopath(p, p->readonly_mark,
					"control-socket-readonly: the same path as control-socket");
	return 0;
}

static int check_multihop(struct conf_parser *p)
{
	const struct conf *c = p->conf;
	char msg[200];
	for (size_t i = 0; i < c->n_peers; i++) {
		if (!c->peers[i].multihop || c->peers[i].remote_as != c->local_as)
			continue;
		conf_path_key(p, "peers");
		conf_path_index(p, i);
		snprintf(msg, sizeof msg, "multihop is for eBGP only (remote-as is local-as %u)",
			 c->local_as);
		return conf_fail_key(p, "multihop", p->peer_marks[i].multihop, msg);
	}
	return 0;
}

static bool mark_equal(struct conf_mark a, struct conf_mark b)
{
	return a.line == b.line && a.col == b.col;
}

static int ref_cmp(const void *a, const void *b)
{
	const struct conf_prefix_ref *x = a, *y = b;
	int c = prefix_cmp(&x->prefix, &y->prefix);
	if (c)
		return c;
	return mark_equal(x->at, y->at) ? 0 : conf_mark_before(x->at, y->at) ? -1 : 1;
}

static int pfx_cmp(const void *a, const void *b)
{
	return prefix_cmp(a, b);
}

/* No prefix twice, in one service or across services: sorted, the second
 * of each run of equals is a duplicate; the first such in the file is
 * reported.  Then each service's prefixes are sorted. */
static int check_prefixes(struct conf_parser *p)
{
	struct conf_prefix_ref *r = p->prefixes, *dup = NULL, *first = NULL;
	char msg[300], a[PREFIX_STRLEN];
	if (p->n_prefixes > 1)
		sort_if_needed(r, p->n_prefixes, sizeof *r, ref_cmp);
	for (size_t i = 1; i < p->n_prefixes; i++) {
		if (prefix_cmp(&r[i].prefix, &r[i - 1].prefix) != 0 ||
		    (i >= 2 && prefix_cmp(&r[i - 1].prefix, &r[i - 2].prefix) == 0))
			continue;
		if (!dup || conf_mark_before(r[i].at, dup->at)) {
			dup = &r[i];
			first = &r[i - 1];
		}
	}
	if (dup) {
		const struct conf *c = p->conf;
		prefix_format(&dup->prefix, a, sizeof a);
		if (dup->service == first->service)
			snprintf(msg, sizeof msg, "duplicate prefix %s (first at line %u)", a,
				 first->at.line);
		else
			snprintf(msg, sizeof msg, "prefix %s is already in service '%s' (line %u)", a,
				 c->services[first->service].name, first->at.line);
		conf_path_key(p, "services");
		conf_path_index(p, dup->service);
		conf_path_key(p, "prefixes");
		conf_path_index(p, dup->index);
		return conf_fail(p, dup->at, "%s", msg);
	}
	for (size_t i = 0; i < p->conf->n_services; i++) {
		struct conf_service *svc = &p->conf->services[i];
		sort_if_needed(svc->prefixes, svc->n_prefixes, sizeof *svc->prefixes, pfx_cmp);
	}
	return 0;
}

/* ---- the document ---- */

/* Reads the event of the given type (stream or document start or end). */
static int expect(struct conf_parser *p, yaml_event_type_t type)
{
	yaml_event_t ev;
	if (conf_next(p, &ev) < 0)
		return -1;
	int rc = 0;
	if (ev.type != type && type == YAML_STREAM_END_EVENT)
		rc = conf_fail_nopath(p, conf_mark_of(&ev), "only one YAML document is allowed");
	else if (ev.type != type) /* libyaml does not let this happen */
		rc = conf_fail_nopath(p, conf_mark_of(&ev), "unexpected YAML event");
	yaml_event_delete(&ev);
	return rc;
}

static int parse_root(struct conf_parser *p, const yaml_event_t *root)
{
	struct conf_seen seen[CONF_ARRAY_LEN(top_keys)];
	if (conf_is_null(root))
		return conf_fail_nopath(p, (struct conf_mark){1, 1}, "configuration is empty");
	if (root->type != YAML_MAPPING_START_EVENT)
		return conf_want(p, root, "a mapping at the top level");
	return conf_map(p, root, top_keys, CONF_ARRAY_LEN(top_keys), seen, p->conf);
}

/* A first pass with a parser of its own finds YAML syntax and encoding
 * errors, so that they are reported before any error in the content. */
static int syntax_check(struct conf_parser *p)
{
	yaml_parser_t y;
	yaml_event_t ev;
	int rc = 0;
	if (!yaml_parser_initialize(&y))
		return conf_fail_nopath(p, (struct conf_mark){1, 1}, "out of memory");
	yaml_parser_set_input_string(&y, (const unsigned char *)p->text, p->len);
	yaml_parser_set_encoding(&y, YAML_UTF8_ENCODING);
	for (;;) {
		if (!yaml_parser_parse(&y, &ev)) {
			rc = conf_yaml_fail(p, &y);
			break;
		}
		bool end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (end)
			break;
	}
	yaml_parser_delete(&y);
	return rc;
}

static int parse_stream(struct conf_parser *p)
{
	yaml_event_t ev;
	if (expect(p, YAML_STREAM_START_EVENT) < 0 || conf_next(p, &ev) < 0)
		return -1;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		return conf_fail_nopath(p, (struct conf_mark){1, 1}, "configuration is empty");
	}
	yaml_event_delete(&ev); /* the document start */
	if (conf_next(p, &ev) < 0)
		return -1;
	int rc = parse_root(p, &ev);
	yaml_event_delete(&ev);
	if (rc < 0 || expect(p, YAML_DOCUMENT_END_EVENT) < 0 || expect(p, YAML_STREAM_END_EVENT) < 0)
		return -1;
	return 0;
}

int conf_parse(const char *text, size_t len, const char *filename, struct conf **out,
	       struct conf_error *err)
{
	struct conf_error local;
	struct conf_parser p = {.text = text ? text : "", .len = text ? len : 0};
	bool yaml_ready = false;
	int rc = -1;
	p.err = err ? err : &local;
	*p.err = (struct conf_error){.file = filename ? filename : "-"};
	*out = NULL;
	p.conf = calloc(1, sizeof *p.conf);
	if (!p.conf || !yaml_parser_initialize(&p.yaml)) {
		conf_fail_nopath(&p, (struct conf_mark){1, 1}, "out of memory");
		goto fail;
	}
	yaml_ready = true;
	/* UTF-8 only (libyaml would take UTF-16 too); a byte order mark is
	 * skipped as libyaml does, so columns on line 1 stay the same. */
	if (p.len >= 3 && memcmp(p.text, "\xef\xbb\xbf", 3) == 0) {
		p.text += 3;
		p.len -= 3;
	}
	snprintf(p.conf->control_socket, sizeof p.conf->control_socket, "%s",
		 CONF_DEFAULT_CONTROL_SOCKET);
	p.conf->control_socket_mode = CONF_DEFAULT_CONTROL_SOCKET_MODE;
	p.conf->log_level = LOG_INFO;
	yaml_parser_set_input_string(&p.yaml, (const unsigned char *)p.text, p.len);
	yaml_parser_set_encoding(&p.yaml, YAML_UTF8_ENCODING);
	if (syntax_check(&p) < 0 || parse_stream(&p) < 0 || check_multihop(&p) < 0 || check_prefixes(&p) < 0 ||
	    check_sockets(&p) < 0 || check_allowed(&p) < 0)
		goto fail;
	*out = p.conf;
	p.conf = NULL;
	rc = 0;
fail:
	if (yaml_ready)
		yaml_parser_delete(&p.yaml);
	free(p.peer_marks);
	free(p.service_marks);
	free(p.prefixes);
	free(p.check_marks);
	conf_free(p.conf);
	return rc;
}
