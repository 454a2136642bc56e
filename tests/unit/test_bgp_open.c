/* bgp/open: OPEN encode/decode, capabilities, negotiation. */
#include <stdio.h>
#include <string.h>

#include "bgp/open.h"
#include "testutil.h"

#define MARKER "ffffffffffffffffffffffffffffffff"

static void our_open(struct bgp_open *o, uint32_t as, uint16_t hold, uint32_t id)
{
	memset(o, 0, sizeof *o);
	o->version = 4;
	o->my_as = as > 0xffff ? BGP_AS_TRANS : (uint16_t)as;
	o->hold_time = hold;
	o->bgp_id = id;
	o->caps.families = BGP_FAM_IPV4 | BGP_FAM_IPV6;
	o->caps.route_refresh = true;
	o->caps.as4 = true;
	o->caps.as4_asn = as;
}

static void encode_typical(void **state)
{
	(void)state;
	struct bgp_open o;
	uint8_t b[256], want[256];
	struct buf_writer w;
	our_open(&o, 4200000000u, 9, 0xc6336402);
	buf_writer_init(&w, b, sizeof b);
	assert_true(bgp_open_encode(&o, &w));
	size_t n = hex(MARKER "0033 01 04 5ba0 0009 c6336402 16 02 14"
			      "01040001 0001 01040002 0001 0200 4104 fa56ea00",
		       want, sizeof want);
	assert_int_equal(w.len, n);
	assert_memory_equal(b, want, n);
	struct bgp_open d;
	struct bgp_error err = {0};
	assert_true(bgp_open_decode(b, w.len, &d, &err));
	assert_int_equal(bgp_open_asn(&d), 4200000000u);
	assert_int_equal(d.my_as, BGP_AS_TRANS);
	assert_int_equal(d.hold_time, 9);
	assert_int_equal(d.caps.families, BGP_FAM_IPV4 | BGP_FAM_IPV6);
	assert_true(d.caps.route_refresh);
	assert_false(d.caps.graceful_restart); /* never unless asked for */
	/* Too small a buffer fails cleanly. */
	buf_writer_init(&w, b, 40);
	assert_false(bgp_open_encode(&o, &w));
}

static void all_capabilities_roundtrip(void **state)
{
	(void)state;
	struct bgp_open o, d;
	uint8_t b[4096], b2[4096];
	struct buf_writer w;
	struct bgp_error err = {0};
	our_open(&o, 64600, 90, 1);
	o.caps.other_families[o.caps.n_other_families++] = (struct bgp_afi_safi){25, 70};
	o.caps.enhanced_rr = o.caps.ext_message = true;
	o.caps.graceful_restart = true;
	o.caps.gr_flags = 0x8;
	o.caps.gr_time = 120;
	o.caps.gr_families[o.caps.n_gr_families++] = (struct bgp_gr_family){1, 1, 0x80};
	o.caps.fqdn = true;
	o.caps.fqdn_host = (struct buf_view){(const uint8_t *)"site1", 5};
	o.caps.fqdn_domain = (struct buf_view){(const uint8_t *)"example.net", 11};
	o.caps.software_version = true;
	o.caps.software = (struct buf_view){(const uint8_t *)"anycastd/0.1", 12};
	o.caps.unknown[o.caps.n_unknown++] = (struct bgp_cap_raw){128, {NULL, 0}};
	buf_writer_init(&w, b, sizeof b);
	assert_true(bgp_open_encode(&o, &w));
	assert_true(bgp_open_decode(b, w.len, &d, &err));
	assert_int_equal(d.caps.n_other_families, 1);
	assert_int_equal(d.caps.other_families[0].afi, 25);
	assert_true(d.caps.enhanced_rr && d.caps.ext_message);
	assert_true(d.caps.graceful_restart);
	assert_int_equal(d.caps.gr_flags, 8);
	assert_int_equal(d.caps.gr_time, 120);
	assert_int_equal(d.caps.n_gr_families, 1);
	assert_int_equal(d.caps.gr_families[0].flags, 0x80);
	assert_memory_equal(d.caps.fqdn_host.p, "site1", 5);
	assert_memory_equal(d.caps.fqdn_domain.p, "example.net", 11);
	assert_memory_equal(d.caps.software.p, "anycastd/0.1", 12);
	assert_int_equal(d.caps.n_unknown, 1);
	assert_int_equal(d.caps.unknown[0].code, 128);
	assert_false(d.ext_params);
	/* Decode → encode gives the same bytes. */
	struct buf_writer w2;
	buf_writer_init(&w2, b2, sizeof b2);
	assert_true(bgp_open_encode(&d, &w2));
	assert_int_equal(w2.len, w.len);
	assert_memory_equal(b2, b, w.len);
}

static void extended_parameters_when_large(void **state)
{
	(void)state;
	static uint8_t val[200];
	struct bgp_open o, d;
	uint8_t b[4096];
	struct buf_writer w;
	struct bgp_error err = {0};
	our_open(&o, 64600, 90, 1);
	memset(val, 0xab, sizeof val);
	o.caps.unknown[o.caps.n_unknown++] = (struct bgp_cap_raw){200, {val, 200}};
	o.caps.unknown[o.caps.n_unknown++] = (struct bgp_cap_raw){201, {val, 100}};
	buf_writer_init(&w, b, sizeof b);
	assert_true(bgp_open_encode(&o, &w));
	assert_int_equal(b[28], 255); /* RFC 9072 marker */
	assert_int_equal(b[29], 255);
	assert_true(bgp_open_decode(b, w.len, &d, &err));
	assert_true(d.ext_params);
	assert_int_equal(d.caps.n_unknown, 2);
	assert_int_equal(d.caps.unknown[1].val.len, 100);
	/* A capability value over 255 octets cannot be encoded. */
	static uint8_t huge[300];
	o.caps.unknown[0].val = (struct buf_view){huge, sizeof huge};
	buf_writer_init(&w, b, sizeof b);
	assert_false(bgp_open_encode(&o, &w));
	/* Nor a FQDN too long for its capability. */
	our_open(&o, 64600, 90, 1);
	o.caps.fqdn = true;
	o.caps.fqdn_host = (struct buf_view){val, 200};
	o.caps.fqdn_domain = (struct buf_view){val, 100};
	buf_writer_init(&w, b, sizeof b);
	assert_false(bgp_open_encode(&o, &w));
}

static void expect_open_error(const char *h, uint8_t code, uint8_t sub)
{
	uint8_t b[512];
	struct bgp_open o;
	struct bgp_error err = {0};
	size_t n = hex(h, b, sizeof b);
	assert_false(bgp_open_decode(b, n, &o, &err));
	assert_int_equal(err.code, code);
	assert_int_equal(err.subcode, sub);
	assert_non_null(err.reason);
}

static void decode_errors(void **state)
{
	(void)state;
	/* Version 3 → 2/1 with data = 4. */
	uint8_t b[64];
	struct bgp_open o;
	struct bgp_error err = {0};
	size_t n = hex(MARKER "001d 01 03 fbf5 005a c6336401 00", b, sizeof b);
	assert_false(bgp_open_decode(b, n, &o, &err));
	assert_int_equal(err.subcode, BGP_OPEN_BAD_VERSION);
	assert_int_equal(err.data_len, 2);
	assert_memory_equal(err.data, "\x00\x04", 2);
	expect_open_error(MARKER "001d 01 04 fbf5 0001 c6336401 00", 2, BGP_OPEN_BAD_HOLD);
	expect_open_error(MARKER "001d 01 04 fbf5 0002 c6336401 00", 2, BGP_OPEN_BAD_HOLD);
	expect_open_error(MARKER "001d 01 04 fbf5 005a 00000000 00", 2, BGP_OPEN_BAD_BGP_ID);
	expect_open_error(MARKER "001d 01 04 0000 005a c6336401 00", 2, BGP_OPEN_BAD_PEER_AS);
	expect_open_error(MARKER "0025 01 04 5ba0 005a c6336401 08 02 06 4104 00000000", 2, BGP_OPEN_BAD_PEER_AS);
	expect_open_error(MARKER "0025 01 04 5ba0 005a c6336401 08 02 06 4104 00005ba0", 2, BGP_OPEN_BAD_PEER_AS);
	expect_open_error(MARKER "0021 01 04 fbf5 005a c6336401 04 01 02 0000", 2, BGP_OPEN_UNSUPP_PARAM);
	/* Parameter length and message disagree, both ways. */
	expect_open_error(MARKER "001f 01 04 fbf5 005a c6336401 01 02 00", 2, BGP_OPEN_UNSPECIFIC);
	expect_open_error(MARKER "001f 01 04 fbf5 005a c6336401 03 02 00", 2, BGP_OPEN_UNSPECIFIC);
	/* Parameter overruns the block. */
	expect_open_error(MARKER "001f 01 04 fbf5 005a c6336401 02 02 05", 2, BGP_OPEN_UNSPECIFIC);
	/* The Forescout OPENs (CVE-2022-43681, CVE-2022-40302). */
	expect_open_error(MARKER "001d 01 04 dead 00de adbeef6b ff", 2, BGP_OPEN_UNSPECIFIC);
	expect_open_error(MARKER "0022 01 04 dead 0005 c0a83901 ff ff 0002 0001", 2, BGP_OPEN_UNSPECIFIC);
	/* Capability overruns its parameter. */
	expect_open_error(MARKER "0021 01 04 fbf5 005a c6336401 04 02 02 4104", 2, BGP_OPEN_UNSPECIFIC);
	/* Session-shaping capabilities with a wrong length. */
	expect_open_error(MARKER "001f 01 04 fbf5 005a c6336401 02 02 00 0100", 2, BGP_OPEN_UNSPECIFIC);
	expect_open_error(MARKER "0022 01 04 fbf5 005a c6336401 05 02 03 0100 00", 2, BGP_OPEN_UNSPECIFIC);
	expect_open_error(MARKER "0022 01 04 fbf5 005a c6336401 05 02 03 0201 00", 2, BGP_OPEN_UNSPECIFIC);
	expect_open_error(MARKER "0022 01 04 fbf5 005a c6336401 05 02 03 4101 00", 2, BGP_OPEN_UNSPECIFIC);
	expect_open_error(MARKER "0022 01 04 fbf5 005a c6336401 05 02 03 0601 00", 2, BGP_OPEN_UNSPECIFIC);
	expect_open_error(MARKER "0022 01 04 fbf5 005a c6336401 05 02 03 4601 00", 2, BGP_OPEN_UNSPECIFIC);
	expect_open_error(MARKER "001c 01 04 fbf5 005a c6336401", 1, BGP_HDR_BAD_LENGTH);
}

static void informational_capabilities_tolerated(void **state)
{
	(void)state;
	uint8_t b[512];
	struct bgp_open o;
	struct bgp_error err = {0};
	/* GR of odd length, FQDN and software version with overrunning inner
	 * lengths: ignored and counted, the session is not refused. */
	size_t n = hex(MARKER "0030 01 04 fbf5 005a c6336401 13 02 11"
			      "4003 000000 4903 05 6162 4b03 09 6162 0000",
		       b, sizeof b);
	assert_true(bgp_open_decode(b, n, &o, &err));
	assert_int_equal(o.caps.n_ignored_malformed, 3);
	assert_false(o.caps.graceful_restart || o.caps.fqdn || o.caps.software_version);
	assert_int_equal(o.caps.n_unknown, 1); /* code 0, empty */
	/* A 255-octet software version that is well-formed (CVE-2023-41361). */
	static char h[2 * 600];
	size_t off = (size_t)sprintf(h, MARKER "0124 01 04 fbf5 005a c6336401 ff ff 0104 02 0101 4bff fe");
	for (int i = 0; i < 254; i++)
		off += (size_t)sprintf(h + off, "41");
	n = hex(h, b, sizeof b);
	assert_int_equal(n, 0x124);
	assert_true(bgp_open_decode(b, n, &o, &err));
	assert_true(o.caps.software_version);
	assert_int_equal(o.caps.software.len, 254);
	/* Duplicates: the first 4-octet AS wins; families accumulate. */
	n = hex(MARKER "0037 01 04 5ba0 005a c6336401 1a 02 18"
		       "4104 00010000 4104 00020000 01040001 0001 01040001 0001",
		b, sizeof b);
	assert_true(bgp_open_decode(b, n, &o, &err));
	assert_int_equal(bgp_open_asn(&o), 65536);
	assert_int_equal(o.caps.families, BGP_FAM_IPV4);
}

static void unknown_capabilities_bounded(void **state)
{
	(void)state;
	uint8_t b[512];
	char h[2000];
	struct bgp_open o;
	struct bgp_error err = {0};
	/* 40 unknown empty capabilities: 32 kept, the rest noted. */
	size_t off = (size_t)sprintf(h, MARKER "%04x 01 04 fbf5 005a c6336401 %02x 02 %02x", 29 + 82, 82, 80);
	for (int i = 0; i < 40; i++)
		off += (size_t)sprintf(h + off, "%02x00", 100 + i);
	size_t n = hex(h, b, sizeof b);
	assert_true(bgp_open_decode(b, n, &o, &err));
	assert_int_equal(o.caps.n_unknown, BGP_MAX_UNKNOWN_CAPS);
	assert_true(o.caps.unknown_overflow);
	/* 40 other families: 32 kept, the rest noted. */
	off = (size_t)sprintf(h, MARKER "%04x 01 04 fbf5 005a c6336401 %02x 02 %02x", 29 + 242, 242, 240);
	for (int i = 0; i < 40; i++)
		off += (size_t)sprintf(h + off, "0104 0019 00%02x", 70 + i);
	n = hex(h, b, sizeof b);
	assert_true(bgp_open_decode(b, n, &o, &err));
	assert_int_equal(o.caps.n_other_families, BGP_MAX_OTHER_FAMILIES);
	assert_true(o.caps.other_families_overflow);
	/* RFC 9072 §2: the type octet decides, whatever the length octet says. */
	n = hex(MARKER "0025 01 04 fbf5 005a c6336401 01 ff 0005 02 0002 0200", b, sizeof b);
	assert_true(bgp_open_decode(b, n, &o, &err));
	assert_true(o.ext_params && o.caps.route_refresh);
	expect_open_error(MARKER "001f 01 04 fbf5 005a c6336401 01 ff 00", 2, BGP_OPEN_UNSPECIFIC);
}

static void negotiate(void **state)
{
	(void)state;
	struct bgp_open local, remote;
	struct bgp_neg_policy pol = {.local_as = 64600, .local_id = 1, .peer_as = 64501, .min_hold_time = 3};
	struct bgp_session_params s;
	struct bgp_error err = {0};
	our_open(&local, 64600, 9, 1);
	our_open(&remote, 64501, 90, 2);
	remote.caps.families = BGP_FAM_IPV4;
	remote.caps.ext_message = true;
	assert_true(bgp_open_negotiate(&local, &remote, &pol, &s, &err));
	assert_int_equal(s.hold_time, 9);
	assert_int_equal(s.keepalive, 3);
	assert_int_equal(s.families, BGP_FAM_IPV4);
	assert_true(s.as4);
	assert_false(s.ext_message); /* only one side offered it */
	assert_int_equal(s.max_msg_len, BGP_MAX_LEN);
	assert_true(s.route_refresh);
	assert_false(s.ibgp);
	assert_true(s.enforce_first_as);
	assert_int_equal(s.peer_as, 64501);
	assert_int_equal(s.peer_id, 2);
	local.caps.ext_message = true;
	assert_true(bgp_open_negotiate(&local, &remote, &pol, &s, &err));
	assert_int_equal(s.max_msg_len, BGP_EXT_MAX_LEN);
	/* No MP capability at all means IPv4 unicast only (RFC 4760 §8). */
	remote.caps.families = 0;
	assert_true(bgp_open_negotiate(&local, &remote, &pol, &s, &err));
	assert_int_equal(s.families, BGP_FAM_IPV4);
	remote.caps.other_families[remote.caps.n_other_families++] = (struct bgp_afi_safi){25, 70};
	assert_true(bgp_open_negotiate(&local, &remote, &pol, &s, &err));
	assert_int_equal(s.families, 0);
	/* 2-octet peer. */
	our_open(&remote, 64501, 90, 2);
	remote.caps.as4 = false;
	assert_true(bgp_open_negotiate(&local, &remote, &pol, &s, &err));
	assert_false(s.as4);
	assert_int_equal(s.peer_as, 64501);
}

static void negotiate_refusals(void **state)
{
	(void)state;
	struct bgp_open local, remote;
	struct bgp_neg_policy pol = {.local_as = 64600, .local_id = 1, .peer_as = 64501, .min_hold_time = 3,
				     .max_hold_time = 300};
	struct bgp_session_params s;
	struct bgp_error err = {0};
	our_open(&local, 64600, 9, 1);
	our_open(&remote, 64502, 90, 2);
	assert_false(bgp_open_negotiate(&local, &remote, &pol, &s, &err));
	assert_int_equal(err.subcode, BGP_OPEN_BAD_PEER_AS);
	our_open(&remote, 64501, 0, 2); /* hold 0: no keepalives, fail-open */
	assert_false(bgp_open_negotiate(&local, &remote, &pol, &s, &err));
	assert_int_equal(err.subcode, BGP_OPEN_BAD_HOLD);
	our_open(&remote, 64501, 301, 2);
	assert_false(bgp_open_negotiate(&local, &remote, &pol, &s, &err));
	assert_int_equal(err.subcode, BGP_OPEN_BAD_HOLD);
	pol.min_hold_time = 0; /* never below 3, whatever the policy says */
	our_open(&remote, 64501, 0, 2);
	assert_false(bgp_open_negotiate(&local, &remote, &pol, &s, &err));
	/* iBGP peer with our identifier. */
	pol.peer_as = 0;
	our_open(&remote, 64600, 90, 1);
	assert_false(bgp_open_negotiate(&local, &remote, &pol, &s, &err));
	assert_int_equal(err.subcode, BGP_OPEN_BAD_BGP_ID);
	our_open(&remote, 64600, 90, 3);
	assert_true(bgp_open_negotiate(&local, &remote, &pol, &s, &err));
	assert_true(s.ibgp);
	assert_false(s.enforce_first_as);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(encode_typical),
	cmocka_unit_test(all_capabilities_roundtrip),
	cmocka_unit_test(extended_parameters_when_large),
	cmocka_unit_test(decode_errors),
	cmocka_unit_test(informational_capabilities_tolerated),
	cmocka_unit_test(unknown_capabilities_bounded),
	cmocka_unit_test(negotiate),
	cmocka_unit_test(negotiate_refusals),
};

TEST_MAIN(tests)
