/* rib/ribout: desired vs. sent, grouping, withdraw-before-announce, EoR. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rib/ribout.h"
#include "testutil.h"

static struct bgp_update upd;
static uint8_t msg[BGP_EXT_MAX_LEN];

static void sess_params(struct bgp_session_params *s, unsigned fams)
{
	bgp_session_params_default(s);
	s->as4 = true;
	s->families = fams;
	s->peer_as = 64600; /* as the receiving router checks it */
	s->enforce_first_as = true;
}

static void attrs_table(struct bgp_route_attrs *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		memset(&t[i], 0, sizeof t[i]);
		t[i].as_path[t[i].as_path_len++] = 64600;
		t[i].has_med = true;
		t[i].med = (uint32_t)i;
		addr_parse("198.51.100.2", &t[i].next_hop_v4);
		addr_parse("2001:db8::2", &t[i].next_hop_v6);
	}
}

static struct ribout_route rt(const char *p, uint32_t attrs)
{
	struct ribout_route r = {.attrs = attrs};
	assert_true(prefix_parse(p, &r.pfx));
	return r;
}

/* Drains the ribout, decoding every message; returns the count of
 * messages and fills the counters. */
struct seen {
	size_t msgs, announced, withdrawn, eor_v4, eor_v6, errors;
	uint32_t last_med;
	bool withdraw_after_announce;
};

static void drain(struct ribout *r, const struct bgp_session_params *s, struct seen *sn)
{
	memset(sn, 0, sizeof *sn);
	for (int guard = 0; guard < 100000; guard++) {
		struct prefix bad;
		size_t n = ribout_next(r, msg, sizeof msg, &bad);
		if (n == 0)
			break;
		if (n == (size_t)-1) {
			sn->errors++;
			continue;
		}
		sn->msgs++;
		assert_true(n <= s->max_msg_len);
		assert_int_equal(bgp_update_decode(msg, n, s, &upd), BGP_VERDICT_OK);
		size_t w = upd.withdrawn.count + upd.attrs.mp_unreach.nlri.count;
		size_t a = upd.nlri.count + upd.attrs.mp_reach.nlri.count;
		if (w && sn->announced)
			sn->withdraw_after_announce = true;
		sn->withdrawn += w;
		sn->announced += a;
		if (a)
			sn->last_med = upd.attrs.med;
		if (upd.eor)
			upd.eor_family == BGP_FAM_IPV6 ? sn->eor_v6++ : sn->eor_v4++;
	}
	assert_false(ribout_pending(r));
}

static void initial_announce_then_eor(void **state)
{
	(void)state;
	struct bgp_route_attrs t[2];
	struct bgp_session_params s;
	struct seen sn;
	attrs_table(t, 2);
	sess_params(&s, BGP_FAM_IPV4 | BGP_FAM_IPV6);
	struct ribout *r = ribout_new();
	assert_non_null(r);
	struct ribout_route routes[] = {rt("203.0.113.53/32", 0), rt("2001:db8:53::53/128", 0),
					rt("192.0.2.0/24", 1), rt("203.0.113.53/32", 1) /* dup: first wins */};
	assert_int_equal(ribout_set(r, routes, 4, t, 2), 0);
	assert_int_equal(ribout_desired_count(r), 3);
	assert_false(ribout_pending(r)); /* session down: nothing to send */
	assert_int_equal(ribout_next(r, msg, sizeof msg, NULL), 0);
	ribout_session_up(r, &s);
	assert_true(ribout_pending(r));
	drain(r, &s, &sn);
	/* v4 attrs 0, v4 attrs 1, v6 attrs 0, then the two End-of-RIBs. */
	assert_int_equal(sn.msgs, 5);
	assert_int_equal(sn.announced, 3);
	assert_int_equal(sn.eor_v4, 1);
	assert_int_equal(sn.eor_v6, 1);
	assert_int_equal(ribout_sent_count(r), 3);
	ribout_free(r);
}

static void changes_withdraw_first(void **state)
{
	(void)state;
	struct bgp_route_attrs t[2];
	struct bgp_session_params s;
	struct seen sn;
	attrs_table(t, 2);
	sess_params(&s, BGP_FAM_IPV4 | BGP_FAM_IPV6);
	struct ribout *r = ribout_new();
	struct ribout_route a[] = {rt("203.0.113.53/32", 0), rt("192.0.2.0/24", 0), rt("2001:db8:53::53/128", 0)};
	ribout_set(r, a, 3, t, 2);
	ribout_session_up(r, &s);
	drain(r, &s, &sn);
	/* Drop one prefix of each family, change the attributes of another. */
	struct ribout_route b[] = {rt("203.0.113.53/32", 1)};
	assert_int_equal(ribout_set(r, b, 1, t, 2), 0);
	drain(r, &s, &sn);
	assert_int_equal(sn.withdrawn, 2);
	assert_int_equal(sn.announced, 1);
	assert_int_equal(sn.last_med, 1);
	assert_false(sn.withdraw_after_announce);
	assert_int_equal(sn.eor_v4 + sn.eor_v6, 0); /* only once per session */
	assert_int_equal(ribout_sent_count(r), 1);
	/* The same set again: nothing to send. */
	assert_int_equal(ribout_set(r, b, 1, t, 2), 0);
	assert_false(ribout_pending(r));
	/* Route refresh: everything again. */
	ribout_resend(r, BGP_FAM_IPV4 | BGP_FAM_IPV6);
	drain(r, &s, &sn);
	assert_int_equal(sn.announced, 1);
	assert_int_equal(sn.withdrawn, 0);
	/* Only the family asked for (RFC 2918). */
	ribout_resend(r, BGP_FAM_IPV6);
	drain(r, &s, &sn);
	assert_int_equal(sn.announced, 0);
	ribout_free(r);
}

static void change_while_sending(void **state)
{
	(void)state;
	struct bgp_route_attrs t[1];
	struct bgp_session_params s;
	struct seen sn;
	attrs_table(t, 1);
	sess_params(&s, BGP_FAM_IPV4);
	struct ribout *r = ribout_new();
	size_t n = 3000;
	struct ribout_route *a = calloc(n, sizeof *a);
	for (size_t i = 0; i < n; i++) {
		char p[32];
		snprintf(p, sizeof p, "10.%zu.%zu.0/24", i / 256, i % 256);
		a[i] = rt(p, 0);
	}
	ribout_set(r, a, n, t, 1);
	ribout_session_up(r, &s);
	/* One message out, then the desired set shrinks to the first 10. */
	size_t len = ribout_next(r, msg, sizeof msg, NULL);
	assert_true(len > 0 && len != (size_t)-1);
	assert_int_equal(bgp_update_decode(msg, len, &s, &upd), BGP_VERDICT_OK);
	size_t first = upd.nlri.count;
	assert_true(first > 10 && first < n);
	ribout_set(r, a, 10, t, 1);
	drain(r, &s, &sn);
	/* What went out beyond the 10 is withdrawn; nothing else is sent. */
	assert_int_equal(sn.withdrawn, first - 10);
	assert_int_equal(sn.announced, 0);
	assert_int_equal(ribout_sent_count(r), 10);
	/* Down and up: the 10 again, and a new End-of-RIB. */
	ribout_session_down(r);
	assert_int_equal(ribout_sent_count(r), 0);
	ribout_session_up(r, &s);
	drain(r, &s, &sn);
	assert_int_equal(sn.announced, 10);
	assert_int_equal(sn.eor_v4, 1);
	free(a);
	ribout_free(r);
}

static void families_and_refusals(void **state)
{
	(void)state;
	struct bgp_route_attrs t[2];
	struct bgp_session_params s;
	struct seen sn;
	attrs_table(t, 2);
	t[1].as_path[0] = 0; /* refused by the encoder */
	sess_params(&s, BGP_FAM_IPV4);
	struct ribout *r = ribout_new();
	struct ribout_route a[] = {rt("203.0.113.53/32", 0), rt("2001:db8:53::53/128", 0), rt("192.0.2.0/24", 1)};
	ribout_set(r, a, 3, t, 2);
	ribout_session_up(r, &s);
	drain(r, &s, &sn);
	assert_int_equal(sn.announced, 1); /* IPv6 not negotiated; attrs 1 refused */
	assert_int_equal(sn.errors, 1);
	assert_int_equal(sn.eor_v4, 1);
	assert_int_equal(sn.eor_v6, 0);
	ribout_free(r);
	ribout_free(NULL);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(initial_announce_then_eor),
	cmocka_unit_test(changes_withdraw_first),
	cmocka_unit_test(change_while_sending),
	cmocka_unit_test(families_and_refusals),
};

TEST_MAIN(tests)
