/* conf/announce: a service's attributes for one peer, per state. */
#include <string.h>

#include "conf/conf.h"
#include "testutil.h"

static struct conf_peer peer(uint32_t remote_as)
{
	struct conf_peer p;
	memset(&p, 0, sizeof p);
	p.remote_as = remote_as;
	return p;
}

static void ebgp_prepends_and_next_hop_self(void **state)
{
	(void)state;
	struct conf_attrs ca = {.prepend = 2, .has_med = true, .med = 10, .n_communities = 1,
				.communities = {64600u << 16 | 100}};
	struct conf_peer p = peer(64501);
	struct addr local;
	struct bgp_route_attrs out;
	addr_parse("198.51.100.2", &local);
	conf_route_attrs(&ca, ANNOUNCE_UP, &p, 64600, &local, &out);
	assert_int_equal(out.origin, BGP_ORIGIN_IGP);
	assert_int_equal(out.as_path_len, 3);
	assert_int_equal(out.as_path[2], 64600);
	assert_true(addr_equal(&out.next_hop_v4, &local));
	assert_int_equal(out.next_hop_v6.family, ADDR_NONE);
	assert_true(out.has_med && out.med == 10);
	assert_int_equal(out.n_communities, 1);
	/* A configured next hop wins over the session's address. */
	addr_parse("2001:db8::9", &p.next_hop.v6);
	addr_parse("192.0.2.9", &p.next_hop.v4);
	conf_route_attrs(&ca, ANNOUNCE_UP, &p, 64600, &local, &out);
	assert_true(addr_equal(&out.next_hop_v4, &p.next_hop.v4));
	assert_true(addr_equal(&out.next_hop_v6, &p.next_hop.v6));
}

static void draining_adds_graceful_shutdown(void **state)
{
	(void)state;
	struct conf_attrs ca = {.n_communities = 1, .communities = {64600u << 16 | 666}};
	struct conf_peer e = peer(64501), i = peer(64600);
	struct addr local;
	struct bgp_route_attrs out;
	addr_parse("2001:db8:ffff::1", &local);
	conf_route_attrs(&ca, ANNOUNCE_DRAINING, &e, 64600, &local, &out);
	assert_int_equal(out.n_communities, 2);
	assert_int_equal(out.communities[1], BGP_COMM_GRACEFUL_SHUTDOWN);
	assert_false(out.has_local_pref); /* eBGP: LOCAL_PREF is never sent */
	assert_true(addr_equal(&out.next_hop_v6, &local));
	/* iBGP: empty path (no prepend), LOCAL_PREF 0 unless configured. */
	ca.prepend = 3;
	conf_route_attrs(&ca, ANNOUNCE_DRAINING, &i, 64600, &local, &out);
	assert_int_equal(out.as_path_len, 0);
	assert_true(out.has_local_pref && out.local_pref == 0);
	ca.has_local_pref = true;
	ca.local_pref = 50;
	conf_route_attrs(&ca, ANNOUNCE_DRAINING, &i, 64600, &local, &out);
	assert_int_equal(out.local_pref, 50);
	/* Not draining: no GRACEFUL_SHUTDOWN. */
	conf_route_attrs(&ca, ANNOUNCE_UP, &i, 64600, &local, &out);
	assert_int_equal(out.n_communities, 1);
}

static void prefix_membership(void **state)
{
	(void)state;
	struct prefix ps[2], a, b;
	prefix_parse("192.0.2.0/24", &ps[0]);
	prefix_parse("203.0.113.53/32", &ps[1]);
	struct conf_service svc = {.prefixes = ps, .n_prefixes = 2};
	struct conf c = {.services = &svc, .n_services = 1};
	prefix_parse("203.0.113.53/32", &a);
	prefix_parse("203.0.113.0/24", &b);
	assert_true(conf_has_prefix(&c, &a));
	assert_false(conf_has_prefix(&c, &b));
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(ebgp_prepends_and_next_hop_self),
	cmocka_unit_test(draining_adds_graceful_shutdown),
	cmocka_unit_test(prefix_membership),
};

TEST_MAIN(tests)
