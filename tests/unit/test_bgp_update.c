/* bgp/update: our announcements, packing, withdrawals, End-of-RIB, AS4
 * merging, verdict arithmetic, canonical re-encoding. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp/update.h"
#include "testutil.h"

#define MARKER "ffffffffffffffffffffffffffffffff"

static struct bgp_update upd; /* a few KB: kept off the stack */

static void session(struct bgp_session_params *s, bool as4, bool ibgp)
{
	bgp_session_params_default(s);
	s->as4 = as4;
	s->ibgp = ibgp;
	s->families = BGP_FAM_IPV4 | BGP_FAM_IPV6;
	s->peer_as = ibgp ? 64600 : 64600; /* as the router sees us */
	s->enforce_first_as = !ibgp;
}

static void route(struct bgp_route_attrs *ra, uint32_t as, unsigned prepend)
{
	memset(ra, 0, sizeof *ra);
	ra->origin = BGP_ORIGIN_IGP;
	for (unsigned i = 0; i <= prepend && as; i++)
		ra->as_path[ra->as_path_len++] = as;
	addr_parse("198.51.100.2", &ra->next_hop_v4);
	addr_parse("2001:db8::2", &ra->next_hop_v6);
}

static struct prefix pfx(const char *s)
{
	struct prefix p;
	assert_true(prefix_parse(s, &p));
	return p;
}

static void announce_ipv4_bytes(void **state)
{
	(void)state;
	struct bgp_session_params s;
	struct bgp_route_attrs ra;
	uint8_t attrs[512], msg[4096], want[256];
	session(&s, true, false);
	route(&ra, 64600, 1);
	ra.has_med = true;
	ra.med = 10;
	ra.communities[ra.n_communities++] = BGP_COMM_GRACEFUL_SHUTDOWN;
	ra.large[ra.n_large++] = (struct bgp_large_community){64600, 1, 2};
	size_t alen = bgp_attrs_encode(&ra, BGP_FAM_IPV4, &s, attrs, sizeof attrs);
	assert_true(alen > 0);
	struct prefix p[2] = {pfx("203.0.113.0/24"), pfx("192.0.2.53/32")};
	size_t used;
	size_t n = bgp_update_pack_announce(&s, BGP_FAM_IPV4, attrs, alen, &ra, p, 2, &used, msg, sizeof msg);
	assert_int_equal(used, 2);
	size_t wn = hex(MARKER "0055 02 0000 0035"
			       "40 01 01 00"
			       "40 02 0a 02 02 0000fc58 0000fc58"
			       "40 03 04 c6336402"
			       "80 04 04 0000000a"
			       "c0 08 04 ffff0000"
			       "c0 20 0c 0000fc58 00000001 00000002"
			       "18 cb0071 20 c0000235",
			want, sizeof want);
	assert_int_equal(n, wn);
	assert_memory_equal(msg, want, wn);
	/* And it decodes cleanly under the receiving router's view. */
	assert_int_equal(bgp_update_decode(msg, n, &s, &upd), BGP_VERDICT_OK);
	assert_int_equal(upd.nlri.count, 2);
	assert_int_equal(upd.attrs.med, 10);
	/* LOCAL_PREF is only ever sent to iBGP peers. */
	ra.has_local_pref = true;
	ra.local_pref = 0;
	assert_int_equal(bgp_attrs_encode(&ra, BGP_FAM_IPV4, &s, attrs, sizeof attrs), alen);
	session(&s, true, true);
	assert_int_equal(bgp_attrs_encode(&ra, BGP_FAM_IPV4, &s, attrs, sizeof attrs), alen + 7);
	/* ... and always there on iBGP: 100 when not set (RFC 4271 §5.1.5). */
	ra.has_local_pref = false;
	size_t ilen = bgp_attrs_encode(&ra, BGP_FAM_IPV4, &s, attrs, sizeof attrs);
	assert_int_equal(ilen, alen + 7);
	uint8_t lp[] = {0x40, 5, 4, 0, 0, 0, 100};
	assert_non_null(memmem(attrs, ilen, lp, sizeof lp));
}

static void announce_ipv6_mp_reach_first(void **state)
{
	(void)state;
	struct bgp_session_params s;
	struct bgp_route_attrs ra;
	uint8_t attrs[512], msg[4096];
	session(&s, true, false);
	route(&ra, 64600, 0);
	addr_parse("fe80::2", &ra.next_hop_v6_ll);
	size_t alen = bgp_attrs_encode(&ra, BGP_FAM_IPV6, &s, attrs, sizeof attrs);
	struct prefix p[1] = {pfx("2001:db8:53::53/128")};
	size_t used;
	size_t n = bgp_update_pack_announce(&s, BGP_FAM_IPV6, attrs, alen, &ra, p, 1, &used, msg, sizeof msg);
	assert_true(n > 0);
	assert_int_equal(msg[23], BGP_ATTR_FLAG_OPTIONAL); /* RFC 7606 §5.1: first attribute */
	assert_int_equal(msg[24], BGP_ATTR_MP_REACH);
	assert_int_equal(bgp_update_decode(msg, n, &s, &upd), BGP_VERDICT_OK);
	assert_false(bgp_attr_has(&upd.attrs, BGP_ATTR_NEXT_HOP));
	assert_true(upd.attrs.mp_reach.parsed);
	assert_int_equal(upd.attrs.mp_reach.nh_len, 32);
	assert_true(addr_equal(&upd.attrs.mp_reach.nh, &ra.next_hop_v6));
	assert_true(addr_equal(&upd.attrs.mp_reach.nh_ll, &ra.next_hop_v6_ll));
	struct bgp_nlri_iter it;
	struct prefix got;
	bgp_nlri_iter_init(&it, &upd.attrs.mp_reach.nlri);
	assert_true(bgp_nlri_next(&it, &got));
	assert_true(prefix_equal(&got, &p[0]));
	assert_false(bgp_nlri_next(&it, &got));
}

static void two_octet_session_gets_as4_path(void **state)
{
	(void)state;
	struct bgp_session_params s;
	struct bgp_route_attrs ra;
	uint8_t attrs[512], msg[4096], merged[64];
	session(&s, false, false);
	s.peer_as = 4200000000u;
	route(&ra, 4200000000u, 2);
	size_t alen = bgp_attrs_encode(&ra, BGP_FAM_IPV4, &s, attrs, sizeof attrs);
	struct prefix p = pfx("203.0.113.0/24");
	size_t used;
	size_t n = bgp_update_pack_announce(&s, BGP_FAM_IPV4, attrs, alen, &ra, &p, 1, &used, msg, sizeof msg);
	assert_int_equal(bgp_update_decode(msg, n, &s, &upd), BGP_VERDICT_OK);
	assert_false(upd.attrs.as_path_4);
	assert_int_equal(buf_load_u16(upd.attrs.as_path.p + 2), BGP_AS_TRANS);
	assert_true(bgp_attr_has(&upd.attrs, BGP_ATTR_AS4_PATH));
	size_t m = bgp_aspath_merged(&upd.attrs, merged, sizeof merged);
	uint8_t want[32];
	size_t wn = hex("02 03 fa56ea00 fa56ea00 fa56ea00", want, sizeof want);
	assert_int_equal(m, wn);
	assert_memory_equal(merged, want, wn);
	assert_int_equal(bgp_aspath_merged(&upd.attrs, merged, 4), (size_t)-1);
	/* No AS4_PATH when every ASN fits in two octets. */
	route(&ra, 64600, 0);
	s.peer_as = 64600;
	alen = bgp_attrs_encode(&ra, BGP_FAM_IPV4, &s, attrs, sizeof attrs);
	n = bgp_update_pack_announce(&s, BGP_FAM_IPV4, attrs, alen, &ra, &p, 1, &used, msg, sizeof msg);
	assert_int_equal(bgp_update_decode(msg, n, &s, &upd), BGP_VERDICT_OK);
	assert_false(bgp_attr_has(&upd.attrs, BGP_ATTR_AS4_PATH));
}

static void check_packing(const struct bgp_session_params *s, unsigned fam, bool withdraw,
			  const struct prefix *p, size_t n, size_t want_msgs)
{
	struct bgp_route_attrs ra;
	static uint8_t attrs[512], msg[BGP_EXT_MAX_LEN];
	route(&ra, s->ibgp ? 0 : 64600, 0);
	size_t alen = bgp_attrs_encode(&ra, fam, s, attrs, sizeof attrs);
	assert_true(alen > 0);
	size_t done = 0, msgs = 0, seen = 0;
	while (done < n) {
		size_t used;
		size_t len = withdraw ? bgp_update_pack_withdraw(s, fam, p + done, n - done, &used, msg, sizeof msg)
				      : bgp_update_pack_announce(s, fam, attrs, alen, &ra, p + done, n - done, &used,
								 msg, sizeof msg);
		assert_true(len > 0 && len <= s->max_msg_len);
		/* Full: one more prefix would not have fitted. */
		if (done + used < n)
			assert_true(len + 1 + (p[done + used].len + 7u) / 8u > s->max_msg_len);
		assert_int_equal(bgp_update_decode(msg, len, s, &upd), BGP_VERDICT_OK);
		const struct bgp_nlri *nl = fam == BGP_FAM_IPV4 ? (withdraw ? &upd.withdrawn : &upd.nlri)
							       : (withdraw ? &upd.attrs.mp_unreach.nlri
									   : &upd.attrs.mp_reach.nlri);
		struct bgp_nlri_iter it;
		struct prefix got;
		bgp_nlri_iter_init(&it, nl);
		while (bgp_nlri_next(&it, &got))
			assert_true(prefix_equal(&got, &p[seen++]));
		done += used;
		assert_int_equal(seen, done);
		msgs++;
	}
	assert_int_equal(msgs, want_msgs);
}

static void packing_fills_messages(void **state)
{
	(void)state;
	struct bgp_session_params s;
	size_t n = 5000;
	struct prefix *p = calloc(n, sizeof *p);
	assert_non_null(p);
	for (size_t i = 0; i < n; i++) {
		char buf[32];
		snprintf(buf, sizeof buf, "10.%zu.%zu.0/24", i / 256, i % 256);
		p[i] = pfx(buf);
	}
	session(&s, true, false);
	/* 4096 - 23 header/lengths - 23 attrs = 4050 octets of /24s at 4 each. */
	check_packing(&s, BGP_FAM_IPV4, false, p, n, (n + 1011) / 1012);
	/* Withdrawals: 4096 - 23 = 4073 → 1018 per message. */
	check_packing(&s, BGP_FAM_IPV4, true, p, n, (n + 1017) / 1018);
	s.ext_message = true;
	s.max_msg_len = BGP_EXT_MAX_LEN;
	check_packing(&s, BGP_FAM_IPV4, false, p, n, 1);
	for (size_t i = 0; i < n; i++) {
		char buf[48];
		snprintf(buf, sizeof buf, "2001:db8:%zx::/48", i);
		p[i] = pfx(buf);
	}
	session(&s, true, true);
	/* iBGP, IPv6 /48: 7 octets each. */
	check_packing(&s, BGP_FAM_IPV6, false, p, n, 9);
	check_packing(&s, BGP_FAM_IPV6, true, p, n, 9);
	free(p);
}

static void packing_edges(void **state)
{
	(void)state;
	struct bgp_session_params s;
	struct bgp_route_attrs ra;
	uint8_t attrs[512], msg[4096];
	size_t used = 99;
	session(&s, true, false);
	route(&ra, 64600, 0);
	size_t alen = bgp_attrs_encode(&ra, BGP_FAM_IPV4, &s, attrs, sizeof attrs);
	struct prefix p[2] = {pfx("0.0.0.0/0"), pfx("203.0.113.0/24")};
	/* A default route takes one octet. */
	size_t n = bgp_update_pack_announce(&s, BGP_FAM_IPV4, attrs, alen, &ra, p, 1, &used, msg, sizeof msg);
	assert_int_equal(n, 23 + alen + 1);
	assert_int_equal(bgp_update_pack_announce(&s, BGP_FAM_IPV4, attrs, alen, &ra, p, 0, &used, msg, sizeof msg), 0);
	assert_int_equal(used, 0);
	/* Room for exactly one prefix. */
	n = bgp_update_pack_announce(&s, BGP_FAM_IPV4, attrs, alen, &ra, p + 1, 2 - 1, &used, msg, 23 + alen + 4);
	assert_int_equal(used, 1);
	assert_int_equal(bgp_update_pack_announce(&s, BGP_FAM_IPV4, attrs, alen, &ra, p + 1, 1, &used, msg, 23 + alen + 3), 0);
	assert_int_equal(bgp_update_pack_announce(&s, BGP_FAM_IPV4, attrs, alen, &ra, p, 1, &used, msg, 10), 0);
	assert_int_equal(bgp_update_pack_withdraw(&s, BGP_FAM_IPV4, p, 1, &used, msg, 23), 0);
	assert_int_equal(bgp_update_pack_withdraw(&s, BGP_FAM_IPV6, p, 0, &used, msg, sizeof msg), 0);
	assert_int_equal(used, 0);
}

static void attrs_refused(void **state)
{
	(void)state;
	struct bgp_session_params s;
	struct bgp_route_attrs ra;
	uint8_t attrs[512];
	session(&s, true, false);
	route(&ra, 64600, 0);
	ra.as_path[ra.as_path_len++] = 0; /* RFC 7607 */
	assert_int_equal(bgp_attrs_encode(&ra, BGP_FAM_IPV4, &s, attrs, sizeof attrs), 0);
	route(&ra, 64600, 0);
	addr_parse("0.0.0.0", &ra.next_hop_v4);
	assert_int_equal(bgp_attrs_encode(&ra, BGP_FAM_IPV4, &s, attrs, sizeof attrs), 0);
	addr_parse("224.0.0.1", &ra.next_hop_v4);
	assert_int_equal(bgp_attrs_encode(&ra, BGP_FAM_IPV4, &s, attrs, sizeof attrs), 0);
	ra.next_hop_v4.family = ADDR_NONE;
	assert_int_equal(bgp_attrs_encode(&ra, BGP_FAM_IPV4, &s, attrs, sizeof attrs), 0);
	route(&ra, 64600, 0);
	ra.next_hop_v6.family = ADDR_NONE;
	assert_int_equal(bgp_attrs_encode(&ra, BGP_FAM_IPV6, &s, attrs, sizeof attrs), 0);
	route(&ra, 64600, 0);
	addr_parse("192.0.2.1", &ra.next_hop_v6_ll);
	assert_int_equal(bgp_attrs_encode(&ra, BGP_FAM_IPV6, &s, attrs, sizeof attrs), 0);
	route(&ra, 64600, 0);
	ra.origin = 3;
	assert_int_equal(bgp_attrs_encode(&ra, BGP_FAM_IPV4, &s, attrs, sizeof attrs), 0);
	route(&ra, 64600, 0);
	ra.n_communities = BGP_MAX_COMMUNITIES + 1;
	assert_int_equal(bgp_attrs_encode(&ra, BGP_FAM_IPV4, &s, attrs, sizeof attrs), 0);
	route(&ra, 64600, 0);
	assert_int_equal(bgp_attrs_encode(&ra, 0, &s, attrs, sizeof attrs), 0);
	assert_int_equal(bgp_attrs_encode(&ra, BGP_FAM_IPV4, &s, attrs, 10), 0);
	/* 64 communities need the extended length (256 octets). */
	for (unsigned i = 0; i < BGP_MAX_COMMUNITIES; i++)
		ra.communities[ra.n_communities++] = 64600u << 16 | i;
	size_t alen = bgp_attrs_encode(&ra, BGP_FAM_IPV4, &s, attrs, sizeof attrs);
	assert_true(alen > 256);
	assert_int_equal(attrs[alen - 260], 0xd0);
}

static void withdraw_and_eor(void **state)
{
	(void)state;
	struct bgp_session_params s;
	uint8_t msg[256], want[64];
	session(&s, true, false);
	size_t n = bgp_update_encode_eor(BGP_FAM_IPV4, msg, sizeof msg);
	size_t wn = hex(MARKER "0017 02 0000 0000", want, sizeof want);
	assert_int_equal(n, wn);
	assert_memory_equal(msg, want, wn);
	assert_int_equal(bgp_update_decode(msg, n, &s, &upd), BGP_VERDICT_OK);
	assert_true(upd.eor);
	assert_int_equal(upd.eor_family, BGP_FAM_IPV4);
	n = bgp_update_encode_eor(BGP_FAM_IPV6, msg, sizeof msg);
	wn = hex(MARKER "001d 02 0000 0006 800f03 000201", want, sizeof want);
	assert_int_equal(n, wn);
	assert_memory_equal(msg, want, wn);
	assert_int_equal(bgp_update_decode(msg, n, &s, &upd), BGP_VERDICT_OK);
	assert_true(upd.eor);
	assert_int_equal(upd.eor_family, BGP_FAM_IPV6);
	assert_int_equal(bgp_update_encode_eor(BGP_FAM_IPV6, msg, 20), 0);
	struct prefix p = pfx("203.0.113.0/24");
	size_t used;
	n = bgp_update_pack_withdraw(&s, BGP_FAM_IPV4, &p, 1, &used, msg, sizeof msg);
	wn = hex(MARKER "001b 02 0004 18cb0071 0000", want, sizeof want);
	assert_int_equal(n, wn);
	assert_memory_equal(msg, want, wn);
	assert_int_equal(bgp_update_decode(msg, n, &s, &upd), BGP_VERDICT_OK);
	assert_false(upd.eor);
	assert_int_equal(upd.withdrawn.count, 1);
}

static uint8_t msgbuf[8192];
static size_t msglen;

/* Decodes an UPDATE with the given attributes and NLRI (lengths computed). */
static enum bgp_verdict decode_parts(const char *attrs, const char *nlri,
				     const struct bgp_session_params *s)
{
	msglen = update_msg("", attrs, nlri, msgbuf, sizeof msgbuf);
	return bgp_update_decode(msgbuf, msglen, s, &upd);
}

static void strongest_verdict_wins(void **state)
{
	(void)state;
	struct bgp_session_params s;
	session(&s, true, false);
	s.peer_as = 64501;
	/* ATOMIC_AGGREGATE with length 1 (discard), then COMMUNITIES with
	 * length 3 (treat-as-withdraw), then a bad ORIGIN (treat-as-withdraw). */
	enum bgp_verdict v = decode_parts("40 06 01 00 c0 08 03 000000 40 01 01 07",
				       "18cb0071", &s);
	assert_int_equal(v, BGP_VERDICT_TREAT_AS_WITHDRAW);
	/* Three bad attributes, then the first missing mandatory one (ORIGIN,
	 * dropped as malformed) ends the mandatory check. */
	assert_int_equal(upd.n_problems, 4);
	assert_int_equal(upd.error_attr, BGP_ATTR_COMMUNITIES);
	assert_int_equal(upd.error.subcode, BGP_UPD_OPTIONAL_ATTR);
	/* The first problem of the strongest kind names the error. */
	v = decode_parts("40 06 01 00 80 0e 01 00",
				       "", &s);
	assert_int_equal(v, BGP_VERDICT_SESSION_RESET);
	assert_int_equal(upd.error_attr, BGP_ATTR_MP_REACH);
	assert_int_equal(upd.error.code, BGP_ERR_UPDATE);
	assert_int_equal(upd.error.subcode, BGP_UPD_OPTIONAL_ATTR);
	/* Data of the NOTIFICATION: the whole offending attribute. */
	assert_int_equal(upd.error.data_len, 4);
	assert_memory_equal(upd.error.data, "\x80\x0e\x01\x00", 4);
	assert_string_equal(bgp_verdict_name(BGP_VERDICT_ATTR_DISCARD), "attribute-discard");
	assert_string_equal(bgp_verdict_name((enum bgp_verdict)9), "?");
}

static void mp_reach_flag_conflict_resets(void **state)
{
	(void)state;
	struct bgp_session_params s;
	session(&s, true, true);
	/* RFC 7606 §5.3: MP_REACH with wrong flags is "incorrect". */
	assert_int_equal(decode_parts("40 0e 1c 0002 01 10 20010db8000000000000000000000001 00 30 20010db80001"
				      " 40 01 01 00 40 02 00",
				      "", &s),
			 BGP_VERDICT_SESSION_RESET);
	assert_int_equal(upd.error.code, BGP_ERR_UPDATE);
	assert_int_equal(upd.error.subcode, BGP_UPD_OPTIONAL_ATTR);
}

static void no_reachable_nlri_escalates(void **state)
{
	(void)state;
	struct bgp_session_params s;
	session(&s, true, false);
	s.peer_as = 64501;
	/* RFC 7606 §5.2: a bad ORIGIN with NLRI is treat-as-withdraw ... */
	assert_int_equal(decode_parts("40 01 01 03 40 02 06 02 01 0000fbf5 40 03 04 c6336401", "18cb0071", &s),
			 BGP_VERDICT_TREAT_AS_WITHDRAW);
	/* ... without any reachable NLRI it is a session reset, 3/6. */
	assert_int_equal(decode_parts("40 01 01 03 40 02 06 02 01 0000fbf5 40 03 04 c6336401", "", &s),
			 BGP_VERDICT_SESSION_RESET);
	assert_int_equal(upd.error.subcode, BGP_UPD_INVALID_ORIGIN);
	/* Attribute discard stays attribute discard. */
	assert_int_equal(decode_parts("40 06 01 00", "", &s), BGP_VERDICT_ATTR_DISCARD);
}

static void as4_merge_rules(void **state)
{
	(void)state;
	struct bgp_session_params s;
	uint8_t merged[128], want[64];
	size_t n, wn;
	session(&s, false, false);
	s.peer_as = 64501;
	/* AS_PATH seq(64501 23456 23456) set(1 2), AS4_PATH seq(4200000000 4200000001) set(3):
	 * AS_PATH counts 4, AS4_PATH 3: keep 1 from AS_PATH, then AS4_PATH. */
	assert_int_equal(decode_parts("40 01 01 00 40 02 0e 02 03 fbf5 5ba0 5ba0 01 02 0001 0002 40 03 04 c6336401 c0 11 10 02 02 fa56ea00 fa56ea01 01 01 00000003",
				       "", &s),
			 BGP_VERDICT_OK);
	n = bgp_aspath_merged(&upd.attrs, merged, sizeof merged);
	wn = hex("02 01 0000fbf5 02 02 fa56ea00 fa56ea01 01 01 00000003", want, sizeof want);
	assert_int_equal(n, wn);
	assert_memory_equal(merged, want, wn);
	/* AS4_PATH longer than AS_PATH: ignored (RFC 6793 §4.2.3). */
	assert_int_equal(decode_parts("40 01 01 00 40 02 04 02 01 fbf5 40 03 04 c6336401 c0 11 0a 02 02 fa56ea00 fa56ea01",
				       "", &s),
			 BGP_VERDICT_OK);
	n = bgp_aspath_merged(&upd.attrs, merged, sizeof merged);
	wn = hex("02 01 0000fbf5", want, sizeof want);
	assert_int_equal(n, wn);
	assert_memory_equal(merged, want, wn);
	/* AGGREGATOR naming a real 2-octet AS: AS4 attributes ignored. */
	assert_int_equal(decode_parts("40 01 01 00 40 02 06 02 02 fbf5 5ba0 40 03 04 c6336401 c0 07 06 fbf5 c0000201 c0 11 06 02 01 fa56ea00 c0 12 08 fa56ea00 c0000202",
				       "", &s),
			 BGP_VERDICT_OK);
	n = bgp_aspath_merged(&upd.attrs, merged, sizeof merged);
	wn = hex("02 02 0000fbf5 00005ba0", want, sizeof want);
	assert_int_equal(n, wn);
	assert_memory_equal(merged, want, wn);
	uint32_t as;
	struct addr id;
	bgp_aggregator_merged(&upd.attrs, &as, &id);
	assert_int_equal(as, 64501);
	/* AGGREGATOR AS_TRANS: AS4_AGGREGATOR and AS4_PATH used. */
	assert_int_equal(decode_parts("40 01 01 00 40 02 06 02 02 fbf5 5ba0 40 03 04 c6336401 c0 07 06 5ba0 c0000201 c0 11 06 02 01 fa56ea00 c0 12 08 fa56ea00 c0000202",
				       "", &s),
			 BGP_VERDICT_OK);
	bgp_aggregator_merged(&upd.attrs, &as, &id);
	assert_int_equal(as, 4200000000u);
	assert_int_equal(id.b[3], 2);
	n = bgp_aspath_merged(&upd.attrs, merged, sizeof merged);
	wn = hex("02 01 0000fbf5 02 01 fa56ea00", want, sizeof want);
	assert_int_equal(n, wn);
	assert_memory_equal(merged, want, wn);
}

static void canonical_reencode(void **state)
{
	(void)state;
	struct bgp_session_params s;
	static uint8_t out[8192], want[256];
	struct buf_writer w;
	session(&s, true, false);
	s.peer_as = 64501;
	/* Received out of order, with an extended length on a short attribute
	 * and reserved flag bits: re-encoded canonically. */
	assert_int_equal(decode_parts("50 01 0001 00 4f 03 04 c6336401 40 02 06 02 01 0000fbf5 c0 63 03 010203 80 0e 00",
				       "18cb0071", &s),
			 BGP_VERDICT_SESSION_RESET); /* empty MP_REACH: unparseable */
	assert_int_equal(decode_parts("50 01 0001 00 4f 03 04 c6336401 40 02 06 02 01 0000fbf5 c0 63 03 010203",
				       "18cb0071", &s),
			 BGP_VERDICT_OK);
	buf_writer_init(&w, out, sizeof out);
	assert_true(bgp_update_encode(&upd, &s, &w));
	size_t wn = update_msg("",
			       "40 01 01 00"
			       "40 02 06 02 01 0000fbf5"
			       "40 03 04 c6336401"
			       "c0 63 03 010203",
			       "18cb0071", want, sizeof want);
	assert_int_equal(w.len, wn);
	assert_memory_equal(out, want, wn);
	/* Refusals: width mismatch, non-ok verdict, too large. */
	struct bgp_session_params s2 = s;
	s2.as4 = false;
	buf_writer_init(&w, out, sizeof out);
	assert_false(bgp_update_encode(&upd, &s2, &w));
	s2 = s;
	s2.max_msg_len = 40;
	buf_writer_init(&w, out, sizeof out);
	assert_false(bgp_update_encode(&upd, &s2, &w));
	upd.verdict = BGP_VERDICT_ATTR_DISCARD;
	buf_writer_init(&w, out, sizeof out);
	assert_false(bgp_update_encode(&upd, &s, &w));
}

static void foreign_family_kept_opaque(void **state)
{
	(void)state;
	struct bgp_session_params s;
	static uint8_t out[512], in[512];
	struct buf_writer w;
	session(&s, true, true);
	/* MP_REACH for AFI 1 SAFI 128 (VPN): not parsed, kept, re-encoded. */
	size_t n = update_msg("",
			      "80 0e 12 0001 80 0c 0000000000000000c6336401 00 00"
			      "40 01 01 00"
			      "40 02 00",
			      "", in, sizeof in);
	assert_int_equal(bgp_update_decode(in, n, &s, &upd), BGP_VERDICT_OK);
	assert_false(upd.attrs.mp_reach.parsed);
	assert_int_equal(upd.attrs.mp_reach.nh_raw.len, 12);
	buf_writer_init(&w, out, sizeof out);
	assert_true(bgp_update_encode(&upd, &s, &w));
	assert_int_equal(w.len, n);
	assert_memory_equal(out, in, n);
}

static void nlri_iterator_is_safe(void **state)
{
	(void)state;
	/* An unvalidated run (only reachable by misuse) stops, never overreads. */
	const uint8_t bad[] = {24, 10, 0};
	struct bgp_nlri n = {.family = ADDR_V4, .count = 1, .raw = {bad, sizeof bad}};
	struct bgp_nlri_iter it;
	struct prefix p;
	bgp_nlri_iter_init(&it, &n);
	assert_false(bgp_nlri_next(&it, &p));
	const uint8_t toolong[] = {33, 1, 2, 3, 4, 5};
	n.raw = (struct buf_view){toolong, sizeof toolong};
	bgp_nlri_iter_init(&it, &n);
	assert_false(bgp_nlri_next(&it, &p));
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(announce_ipv4_bytes),
	cmocka_unit_test(announce_ipv6_mp_reach_first),
	cmocka_unit_test(two_octet_session_gets_as4_path),
	cmocka_unit_test(packing_fills_messages),
	cmocka_unit_test(packing_edges),
	cmocka_unit_test(attrs_refused),
	cmocka_unit_test(withdraw_and_eor),
	cmocka_unit_test(strongest_verdict_wins),
	cmocka_unit_test(mp_reach_flag_conflict_resets),
	cmocka_unit_test(no_reachable_nlri_escalates),
	cmocka_unit_test(as4_merge_rules),
	cmocka_unit_test(canonical_reencode),
	cmocka_unit_test(foreign_family_kept_opaque),
	cmocka_unit_test(nlri_iterator_is_safe),
};

TEST_MAIN(tests)
