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
	       a->multihop == b->multihop && next_hop_equal(&a->next_hop, &b->next_hop);
}

static bool service_equal(const struct conf_service *a, const struct conf_service *b)
{
	if (strcmp(a->name, b->name) != 0 || a->n_prefixes != b->n_prefixes)
		return false;
	for (size_t i = 0; i < a->n_prefixes; i++)
		if (!prefix_equal(&a->prefixes[i], &b->prefixes[i]))
			return false;
	return true;
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

/* Pairs old and new items by name (names are unique on each side) and
 * fills both entry arrays; returns the counts through the pointers. */
static void match(struct side *o, struct side *n, bool (*equal)(const void *, const void *),
		  bool force_change, size_t *added, size_t *removed, size_t *changed,
		  size_t *unchanged)
{
	for (size_t i = 0; i < o->n; i++)
		o->e[i] = (struct conf_diff_entry){CONF_REMOVED, SIZE_MAX};
	for (size_t j = 0; j < n->n; j++) {
		n->e[j] = (struct conf_diff_entry){CONF_ADDED, SIZE_MAX};
		for (size_t i = 0; i < o->n; i++) {
			if (strcmp(item(o, i), item(n, j)) != 0)
				continue;
			bool same = !force_change && equal(item(o, i), item(n, j));
			enum conf_change c = same ? CONF_UNCHANGED : CONF_CHANGED;
			o->e[i] = (struct conf_diff_entry){c, j};
			n->e[j] = (struct conf_diff_entry){c, i};
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

static bool peer_equal_v(const void *a, const void *b) { return peer_equal(a, b); }
static bool service_equal_v(const void *a, const void *b) { return service_equal(a, b); }

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
	d->control_socket = strcmp(old->control_socket, new->control_socket) != 0;
	struct side op = {old->peers, old->n_peers, sizeof *old->peers, d->old_peers};
	struct side np = {new->peers, new->n_peers, sizeof *new->peers, d->new_peers};
	match(&op, &np, peer_equal_v, d->restart_all, &d->peers_added, &d->peers_removed,
	      &d->peers_changed, &d->peers_unchanged);
	struct side os = {old->services, old->n_services, sizeof *old->services, d->old_services};
	struct side ns = {new->services, new->n_services, sizeof *new->services, d->new_services};
	match(&os, &ns, service_equal_v, false, &d->services_added, &d->services_removed,
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
