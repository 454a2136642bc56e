/* conf_diff: what a reload changes, peer by peer and service by service,
 * matched by name.  See conf.h for what counts as changed. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

static bool next_hop_equal(const struct conf_next_hop *a, const struct conf_next_hop *b)
{
	return addr_equal(&a->v4, &b->v4) && addr_equal(&a->v6, &b->v6);
}

/* Every setting of a peer shapes its session: compared one by one rather
 * than with memcmp, so that padding and bytes after the strings' NULs
 * cannot matter. */
static bool peer_equal(const struct conf_peer *a, const struct conf_peer *b)
{
	return strcmp(a->name, b->name) == 0 && addr_equal(&a->address, &b->address) &&
	       a->remote_as == b->remote_as && addr_equal(&a->local_address, &b->local_address) &&
	       a->port == b->port && a->passive == b->passive && a->hold_time == b->hold_time &&
	       strcmp(a->password, b->password) == 0 && a->ttl_security == b->ttl_security &&
	       a->tcp_ao.enabled == b->tcp_ao.enabled && strcmp(a->tcp_ao.password, b->tcp_ao.password) == 0 &&
	       a->tcp_ao.send_id == b->tcp_ao.send_id && a->tcp_ao.recv_id == b->tcp_ao.recv_id &&
	       a->tcp_ao.alg == b->tcp_ao.alg &&
	       a->multihop == b->multihop && next_hop_equal(&a->next_hop, &b->next_hop);
}

static bool prefixes_equal(const struct conf_service *a, const struct conf_service *b)
{
	if (a->n_prefixes != b->n_prefixes)
		return false;
	for (size_t i = 0; i < a->n_prefixes; i++)
		if (!prefix_equal(&a->prefixes[i], &b->prefixes[i]))
			return false;
	return true;
}

static bool params_equal(const struct check_params *a, const struct check_params *b)
{
	return a->rise == b->rise && a->fall == b->fall && a->interval == b->interval &&
	       a->fast_interval == b->fast_interval && a->timeout == b->timeout &&
	       a->max_age == b->max_age && a->jitter_pct == b->jitter_pct;
}

static bool exec_equal(const struct probe_exec *a, const struct probe_exec *b)
{
	if (a->argc != b->argc || strcmp(a->user, b->user) != 0)
		return false;
	for (unsigned i = 0; i < a->argc && i < PROBE_ARGV_MAX; i++)
		if (strcmp(a->argv[i], b->argv[i]) != 0)
			return false;
	return true;
}

static bool probe_equal(const struct probe_spec *a, const struct probe_spec *b)
{
	if (a->type != b->type || strcmp(a->name, b->name) != 0 || !params_equal(&a->params, &b->params) ||
	    a->dependency != b->dependency)
		return false;
	const struct probe_dns *d = &a->u.dns, *e = &b->u.dns;
	const struct probe_http *h = &a->u.http, *i = &b->u.http;
	const struct probe_tcp *t = &a->u.tcp, *u = &b->u.tcp;
	switch (a->type) {
	case PROBE_DNS:
		return addr_equal(&d->server, &e->server) && d->port == e->port &&
		       strcmp(d->qname, e->qname) == 0 && d->qtype == e->qtype &&
		       d->expect_rcode == e->expect_rcode;
	case PROBE_HTTP:
		return strcmp(h->url, i->url) == 0 && h->expect_status == i->expect_status &&
		       strcmp(h->expect_body, i->expect_body) == 0 && strcmp(h->host, i->host) == 0 &&
		       h->verify_tls == i->verify_tls;
	case PROBE_TCP:
		return addr_equal(&t->addr, &u->addr) && t->port == u->port &&
		       strcmp(t->send, u->send) == 0 && strcmp(t->expect, u->expect) == 0;
	case PROBE_EXEC:
		return exec_equal(&a->u.exec, &b->u.exec);
	case PROBE_PROCESS:
		return strcmp(a->u.process.pidfile, b->u.process.pidfile) == 0 &&
		       strcmp(a->u.process.unit, b->u.process.unit) == 0;
	}
	return false;
}

static bool checks_equal(const struct conf_service *a, const struct conf_service *b)
{
	if (a->n_checks != b->n_checks)
		return false;
	for (size_t i = 0; i < a->n_checks; i++)
		if (!probe_equal(&a->checks[i], &b->checks[i]))
			return false;
	return true;
}

static bool attrs_equal(const struct conf_attrs *a, const struct conf_attrs *b)
{
	if (a->n_communities != b->n_communities || a->n_large != b->n_large ||
	    a->has_med != b->has_med || (a->has_med && a->med != b->med) ||
	    a->prepend != b->prepend || a->has_local_pref != b->has_local_pref ||
	    (a->has_local_pref && a->local_pref != b->local_pref))
		return false;
	for (size_t i = 0; i < a->n_communities; i++)
		if (a->communities[i] != b->communities[i])
			return false;
	for (size_t i = 0; i < a->n_large; i++)
		if (a->large[i].global != b->large[i].global ||
		    a->large[i].local1 != b->large[i].local1 ||
		    a->large[i].local2 != b->large[i].local2)
			return false;
	return true;
}

static bool service_params_equal(const struct service_params *a, const struct service_params *b)
{
	const struct damp_params *d = &a->damp, *e = &b->damp;
	return a->require == b->require && a->degrade == b->degrade &&
	       a->drain_time == b->drain_time && a->fail_static_time == b->fail_static_time &&
	       d->enabled == e->enabled &&
	       d->penalty == e->penalty && d->suppress == e->suppress && d->reuse == e->reuse &&
	       d->half_life == e->half_life && d->max_suppress == e->max_suppress;
}

/* What differs between two services of the same name: CONF_SVC_* bits. */
static unsigned service_what(const struct conf_service *a, const struct conf_service *b)
{
	unsigned what = 0;
	if (!prefixes_equal(a, b))
		what |= CONF_SVC_PREFIXES;
	if (!checks_equal(a, b))
		what |= CONF_SVC_CHECKS;
	if (!attrs_equal(&a->attrs_up, &b->attrs_up) ||
	    !attrs_equal(&a->attrs_degraded, &b->attrs_degraded) ||
	    !attrs_equal(&a->attrs_draining, &b->attrs_draining))
		what |= CONF_SVC_ATTRS;
	if (!service_params_equal(&a->params, &b->params))
		what |= CONF_SVC_PARAMS;
	if (strcmp(a->address.interface, b->address.interface) != 0 ||
	    a->address.manage != b->address.manage)
		what |= CONF_SVC_ADDRESS;
	if (strcmp(a->maintenance_file, b->maintenance_file) != 0)
		what |= CONF_SVC_MAINTENANCE;
	return what;
}

struct side {
	const void *items; /* array of conf_peer or conf_service */
	size_t n;
	size_t size;       /* of one item */
	struct conf_diff_entry *e;
};

/* Both item types begin with their name. */
_Static_assert(offsetof(struct conf_peer, name) == 0, "name first");
_Static_assert(offsetof(struct conf_service, name) == 0, "name first");

static const void *item(const struct side *s, size_t i)
{
	return (const char *)s->items + i * s->size;
}

static unsigned peer_differ(const void *a, const void *b) { return !peer_equal(a, b); }
static unsigned service_differ(const void *a, const void *b) { return service_what(a, b); }

/* Pairs old and new items by name (names are unique on each side) and
 * fills both entry arrays; returns the counts through the pointers.
 * differ() returns what differs in a pair (0: nothing); keep_what stores
 * it in the entries of changed pairs. */
static void match(struct side *o, struct side *n, unsigned (*differ)(const void *, const void *),
		  bool force_change, bool keep_what, size_t *added, size_t *removed, size_t *changed,
		  size_t *unchanged)
{
	for (size_t i = 0; i < o->n; i++)
		o->e[i] = (struct conf_diff_entry){CONF_REMOVED, SIZE_MAX, 0};
	for (size_t j = 0; j < n->n; j++) {
		n->e[j] = (struct conf_diff_entry){CONF_ADDED, SIZE_MAX, 0};
		for (size_t i = 0; i < o->n; i++) {
			if (strcmp(item(o, i), item(n, j)) != 0)
				continue;
			unsigned what = differ(item(o, i), item(n, j));
			bool same = !force_change && what == 0;
			enum conf_change c = same ? CONF_UNCHANGED : CONF_CHANGED;
			what = keep_what ? what : 0;
			o->e[i] = (struct conf_diff_entry){c, j, what};
			n->e[j] = (struct conf_diff_entry){c, i, what};
			break;
		}
	}
	for (size_t i = 0; i < o->n; i++) {
		*removed += o->e[i].change == CONF_REMOVED;
		*changed += o->e[i].change == CONF_CHANGED;
		*unchanged += o->e[i].change == CONF_UNCHANGED;
	}
	for (size_t j = 0; j < n->n; j++)
		*added += n->e[j].change == CONF_ADDED;
}


static struct conf_diff_entry *entries(size_t n)
{
	return calloc(n ? n : 1, sizeof(struct conf_diff_entry));
}

int conf_diff(const struct conf *old, const struct conf *new, struct conf_diff *d)
{
	*d = (struct conf_diff){0};
	d->old_peers = entries(old->n_peers);
	d->new_peers = entries(new->n_peers);
	d->old_services = entries(old->n_services);
	d->new_services = entries(new->n_services);
	if (!d->old_peers || !d->new_peers || !d->old_services || !d->new_services)
		goto fail;
	d->restart_all = old->router_id != new->router_id || old->local_as != new->local_as;
	d->control_socket = strcmp(old->control_socket, new->control_socket) != 0 ||
			    old->control_socket_mode != new->control_socket_mode ||
			    strcmp(old->control_socket_group, new->control_socket_group) != 0 ||
			    strcmp(old->control_socket_readonly, new->control_socket_readonly) != 0;
	d->metrics = old->metrics != new->metrics || old->metrics_port != new->metrics_port ||
		     !addr_equal(&old->metrics_addr, &new->metrics_addr);
	d->account = strcmp(old->user, new->user) != 0 || strcmp(old->group, new->group) != 0;
	struct side op = {old->peers, old->n_peers, sizeof *old->peers, d->old_peers};
	struct side np = {new->peers, new->n_peers, sizeof *new->peers, d->new_peers};
	match(&op, &np, peer_differ, d->restart_all, false, &d->peers_added, &d->peers_removed,
	      &d->peers_changed, &d->peers_unchanged);
	struct side os = {old->services, old->n_services, sizeof *old->services, d->old_services};
	struct side ns = {new->services, new->n_services, sizeof *new->services, d->new_services};
	match(&os, &ns, service_differ, false, true, &d->services_added, &d->services_removed,
	      &d->services_changed, &d->services_unchanged);
	return 0;
fail:
	conf_diff_clear(d);
	return -1;
}

void conf_diff_clear(struct conf_diff *d)
{
	free(d->old_peers);
	free(d->new_peers);
	free(d->old_services);
	free(d->new_services);
	*d = (struct conf_diff){0};
}
