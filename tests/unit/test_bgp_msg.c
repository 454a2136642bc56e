/* bgp/: framing, NOTIFICATION with shutdown communication, KEEPALIVE,
 * ROUTE-REFRESH, names. */
#include <string.h>

#include "bgp/notify.h"
#include "testutil.h"

#define MARKER "ffffffffffffffffffffffffffffffff"

static enum bgp_frame_result frame_hex(const char *h, size_t max, uint8_t *type, size_t *len,
				       struct bgp_error *err)
{
	uint8_t b[BGP_EXT_MAX_LEN + 32];
	size_t n = hex(h, b, sizeof b);
	return bgp_frame(b, n, max, type, len, err);
}

static void frame_needs_a_whole_header(void **state)
{
	(void)state;
	uint8_t b[19];
	uint8_t type;
	size_t len;
	struct bgp_error err = {0};
	memset(b, 0xff, sizeof b);
	for (size_t n = 0; n < BGP_HEADER_LEN; n++)
		assert_int_equal(bgp_frame(b, n, BGP_MAX_LEN, &type, &len, &err), BGP_FRAME_NEED_MORE);
	/* A valid header whose body has not arrived yet. */
	assert_int_equal(frame_hex(MARKER "0020 02 0000", BGP_MAX_LEN, &type, &len, &err),
			 BGP_FRAME_NEED_MORE);
}

static void frame_keepalive_ok(void **state)
{
	(void)state;
	uint8_t type;
	size_t len;
	struct bgp_error err = {0};
	assert_int_equal(frame_hex(MARKER "0013 04" MARKER "00", BGP_MAX_LEN, &type, &len, &err),
			 BGP_FRAME_OK);
	assert_int_equal(type, BGP_KEEPALIVE);
	assert_int_equal(len, 19);
}

static void expect_frame_error(const char *h, size_t max, uint8_t sub, const char *data)
{
	uint8_t type, d[8];
	size_t len;
	struct bgp_error err = {0};
	assert_int_equal(frame_hex(h, max, &type, &len, &err), BGP_FRAME_ERROR);
	assert_int_equal(err.code, BGP_ERR_HEADER);
	assert_int_equal(err.subcode, sub);
	size_t dn = hex(data, d, sizeof d);
	assert_int_equal(err.data_len, dn);
	assert_memory_equal(err.data, d, dn);
	assert_non_null(err.reason);
}

static void frame_header_errors(void **state)
{
	(void)state;
	expect_frame_error("ffffffffffffffffffffffffffffff7f 0013 04", BGP_MAX_LEN, BGP_HDR_NOT_SYNC, "");
	expect_frame_error(MARKER "0012 04", BGP_MAX_LEN, BGP_HDR_BAD_LENGTH, "0012");
	expect_frame_error(MARKER "0014 04 00", BGP_MAX_LEN, BGP_HDR_BAD_LENGTH, "0014");
	expect_frame_error(MARKER "001c 01", BGP_MAX_LEN, BGP_HDR_BAD_LENGTH, "001c");
	expect_frame_error(MARKER "0016 02", BGP_MAX_LEN, BGP_HDR_BAD_LENGTH, "0016");
	expect_frame_error(MARKER "0014 03", BGP_MAX_LEN, BGP_HDR_BAD_LENGTH, "0014");
	expect_frame_error(MARKER "0016 05", BGP_MAX_LEN, BGP_HDR_BAD_LENGTH, "0016");
	expect_frame_error(MARKER "1001 02", BGP_MAX_LEN, BGP_HDR_BAD_LENGTH, "1001");
	expect_frame_error(MARKER "ffff 02", BGP_MAX_LEN, BGP_HDR_BAD_LENGTH, "ffff");
	expect_frame_error(MARKER "0013 00", BGP_MAX_LEN, BGP_HDR_BAD_TYPE, "00");
	expect_frame_error(MARKER "0013 06", BGP_MAX_LEN, BGP_HDR_BAD_TYPE, "06");
	expect_frame_error(MARKER "0013 ff", BGP_MAX_LEN, BGP_HDR_BAD_TYPE, "ff");
	/* RFC 8654: OPEN and KEEPALIVE stay at 4096 even when extended. */
	expect_frame_error(MARKER "1001 01", BGP_EXT_MAX_LEN, BGP_HDR_BAD_LENGTH, "1001");
	expect_frame_error(MARKER "1001 04", BGP_EXT_MAX_LEN, BGP_HDR_BAD_LENGTH, "1001");
}

static void frame_extended_message(void **state)
{
	(void)state;
	static uint8_t b[BGP_EXT_MAX_LEN];
	uint8_t type;
	size_t len;
	struct bgp_error err = {0};
	memset(b, 0, sizeof b);
	memset(b, 0xff, 16);
	b[16] = 0xff, b[17] = 0xff, b[18] = BGP_UPDATE;
	assert_int_equal(bgp_frame(b, sizeof b, BGP_EXT_MAX_LEN, &type, &len, &err), BGP_FRAME_OK);
	assert_int_equal(len, 65535);
	assert_int_equal(bgp_frame(b, sizeof b, BGP_MAX_LEN, &type, &len, &err), BGP_FRAME_ERROR);
	/* A max below 4096 is treated as 4096. */
	b[16] = 0x10, b[17] = 0x00;
	assert_int_equal(bgp_frame(b, sizeof b, 100, &type, &len, &err), BGP_FRAME_OK);
}

static void header_writer(void **state)
{
	(void)state;
	uint8_t b[32], want[32];
	struct buf_writer w;
	buf_writer_init(&w, b, sizeof b);
	assert_true(bgp_keepalive_encode(&w));
	assert_int_equal(w.len, hex(MARKER "0013 04", want, sizeof want));
	assert_memory_equal(b, want, w.len);
	buf_writer_init(&w, b, 10);
	assert_false(bgp_keepalive_encode(&w));
	/* A message over 65535 octets cannot have its length written. */
	static uint8_t big[70000];
	buf_writer_init(&w, big, sizeof big);
	size_t start = bgp_header_start(&w, BGP_UPDATE);
	w.len = 66000;
	bgp_header_finish(&w, start);
	assert_false(buf_wok(&w));
}

static void notification_plain(void **state)
{
	(void)state;
	uint8_t b[64], want[64];
	struct buf_writer w;
	struct bgp_notification n;
	buf_writer_init(&w, b, sizeof b);
	assert_true(bgp_notification_encode(BGP_ERR_HEADER, BGP_HDR_BAD_LENGTH, "\x10\x01", 2, &w));
	size_t wn = hex(MARKER "0017 03 01 02 1001", want, sizeof want);
	assert_int_equal(w.len, wn);
	assert_memory_equal(b, want, wn);
	assert_true(bgp_notification_decode(b, w.len, &n));
	assert_int_equal(n.code, 1);
	assert_int_equal(n.subcode, 2);
	assert_int_equal(n.data.len, 2);
	assert_false(n.has_comm);
	char d[256];
	bgp_notification_describe(&n, d, sizeof d);
	assert_string_equal(d, "Message Header Error/Bad Message Length data_len=2");
	assert_false(bgp_notification_decode(b, 20, &n));
}

static void notification_shutdown_communication(void **state)
{
	(void)state;
	uint8_t b[512];
	struct buf_writer w;
	struct bgp_notification n;
	char d[1200];
	buf_writer_init(&w, b, sizeof b);
	assert_true(bgp_notification_encode_shutdown(BGP_CEASE_ADMIN_SHUTDOWN, "drain \"dns\" \xc3\xa9t\xc3\xa9", &w));
	assert_true(bgp_notification_decode(b, w.len, &n));
	assert_true(n.has_comm && n.comm_valid);
	assert_int_equal(n.comm.len, 17);
	bgp_notification_describe(&n, d, sizeof d);
	assert_string_equal(d, "Cease/Administrative Shutdown comm=\"drain \\\"dns\\\" \\xc3\\xa9t\\xc3\\xa9\"");
	/* Empty communication and NULL text. */
	buf_writer_init(&w, b, sizeof b);
	assert_true(bgp_notification_encode_shutdown(BGP_CEASE_ADMIN_RESET, NULL, &w));
	assert_int_equal(w.len, 22);
	assert_true(bgp_notification_decode(b, w.len, &n));
	assert_true(n.has_comm && n.comm_valid && n.comm.len == 0);
}

static void notification_shutdown_cut_at_utf8_boundary(void **state)
{
	(void)state;
	char text[400];
	uint8_t b[512];
	struct buf_writer w;
	struct bgp_notification n;
	/* 254 ASCII octets then a 2-octet character: it must not be cut. */
	memset(text, 'a', 254);
	memcpy(text + 254, "\xc3\xa9zz", 5);
	buf_writer_init(&w, b, sizeof b);
	assert_true(bgp_notification_encode_shutdown(BGP_CEASE_ADMIN_SHUTDOWN, text, &w));
	assert_true(bgp_notification_decode(b, w.len, &n));
	assert_int_equal(n.comm.len, 254);
	assert_true(n.comm_valid);
}

static void notification_bad_communication(void **state)
{
	(void)state;
	uint8_t b[64];
	struct bgp_notification n;
	char d[256];
	/* Length byte 255 with 3 octets present (robustness.md §2.3). */
	size_t len = hex(MARKER "0019 03 06 02 ff 616263", b, sizeof b);
	assert_true(bgp_notification_decode(b, len, &n));
	assert_true(n.has_comm);
	assert_false(n.comm_valid);
	assert_int_equal(n.comm.len, 3);
	bgp_notification_describe(&n, d, sizeof d);
	assert_string_equal(d, "Cease/Administrative Shutdown comm=\"abc\" (invalid shutdown communication)");
	/* Invalid UTF-8 is escaped, never printed raw. */
	len = hex(MARKER "0018 03 06 02 02 c328", b, sizeof b);
	assert_true(bgp_notification_decode(b, len, &n));
	assert_false(n.comm_valid);
	bgp_notification_describe(&n, d, sizeof d);
	assert_string_equal(d, "Cease/Administrative Shutdown comm=\"\\xc3(\" (invalid shutdown communication)");
	/* Cease without data: no communication. */
	len = hex(MARKER "0015 03 06 02", b, sizeof b);
	assert_true(bgp_notification_decode(b, len, &n));
	assert_false(n.has_comm);
}

static void utf8_validation(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		bool ok;
	} cases[] = {
		{"plain", true},
		{"\xc3\xa9", true},
		{"\xe2\x82\xac", true},
		{"\xf0\x9f\x98\x80", true},
		{"\xc0\xaf", false},         /* overlong */
		{"\xe0\x80\xaf", false},     /* overlong */
		{"\xed\xa0\x80", false},     /* surrogate */
		{"\xf4\x90\x80\x80", false}, /* above U+10FFFF */
		{"\xc3", false},             /* truncated */
		{"\x80", false},             /* lone continuation */
		{"\xf8\x88\x80\x80\x80", false},
		{"\xc3\x28", false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		assert_int_equal(bgp_utf8_valid((const uint8_t *)cases[i].s, strlen(cases[i].s)), cases[i].ok);
}

static void escape_is_bounded(void **state)
{
	(void)state;
	char out[8];
	assert_int_equal(bgp_escape((const uint8_t *)"\x01\x02\x03", 3, out, sizeof out), 4);
	assert_string_equal(out, "\\x01");
	assert_int_equal(bgp_escape((const uint8_t *)"ab", 2, out, 0), 0);
	assert_int_equal(bgp_escape((const uint8_t *)"a\\b", 3, out, sizeof out), 4);
	assert_string_equal(out, "a\\\\b");
}

static void route_refresh(void **state)
{
	(void)state;
	uint8_t b[64], want[64];
	struct buf_writer w;
	struct bgp_route_refresh rr;
	struct bgp_error err = {0};
	buf_writer_init(&w, b, sizeof b);
	assert_true(bgp_route_refresh_encode(BGP_AFI_IPV6, BGP_SAFI_UNICAST, BGP_RR_REQUEST, &w));
	size_t wn = hex(MARKER "0017 05 0002 00 01", want, sizeof want);
	assert_int_equal(w.len, wn);
	assert_memory_equal(b, want, wn);
	assert_true(bgp_route_refresh_decode(b, w.len, &rr, &err));
	assert_int_equal(rr.afi, 2);
	assert_int_equal(rr.safi, 1);
	assert_int_equal(rr.subtype, 0);
	/* ORF octets on a plain request are ignored (ORF never negotiated). */
	size_t n = hex(MARKER "001b 05 0001 00 01 01020304", b, sizeof b);
	assert_true(bgp_route_refresh_decode(b, n, &rr, &err));
	assert_int_equal(rr.extra, 4);
	/* BoRR/EoRR must be exactly 23 octets (RFC 7313 §5). */
	n = hex(MARKER "0018 05 0001 01 01 00", b, sizeof b);
	assert_false(bgp_route_refresh_decode(b, n, &rr, &err));
	assert_int_equal(err.code, BGP_ERR_ROUTE_REFRESH);
	assert_int_equal(err.subcode, BGP_RR_INVALID_LENGTH);
	assert_int_equal(err.data_len, n);
	assert_false(bgp_route_refresh_decode(b, 22, &rr, &err));
	assert_int_equal(err.code, BGP_ERR_HEADER);
}

static void names(void **state)
{
	(void)state;
	char s[128];
	bgp_error_name(6, 2, s, sizeof s);
	assert_string_equal(s, "Cease/Administrative Shutdown");
	bgp_error_name(3, 99, s, sizeof s);
	assert_string_equal(s, "UPDATE Message Error/subcode 99");
	bgp_error_name(4, 0, s, sizeof s);
	assert_string_equal(s, "Hold Timer Expired/subcode 0");
	bgp_error_name(42, 1, s, sizeof s);
	assert_string_equal(s, "code 42/subcode 1");
	assert_string_equal(bgp_msg_type_name(2, s, sizeof s), "UPDATE");
	assert_string_equal(bgp_msg_type_name(9, s, sizeof s), "type-9");
	assert_int_equal(bgp_family_of(1, 1), BGP_FAM_IPV4);
	assert_int_equal(bgp_family_of(2, 1), BGP_FAM_IPV6);
	assert_int_equal(bgp_family_of(2, 128), 0);
	assert_int_equal(bgp_family_of(25, 70), 0);
	struct bgp_error err;
	uint8_t big[300] = {0};
	bgp_error_set(&err, 3, 1, big, sizeof big, "x");
	assert_int_equal(err.data_len, BGP_ERROR_DATA_MAX);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(frame_needs_a_whole_header),
	cmocka_unit_test(frame_keepalive_ok),
	cmocka_unit_test(frame_header_errors),
	cmocka_unit_test(frame_extended_message),
	cmocka_unit_test(header_writer),
	cmocka_unit_test(notification_plain),
	cmocka_unit_test(notification_shutdown_communication),
	cmocka_unit_test(notification_shutdown_cut_at_utf8_boundary),
	cmocka_unit_test(notification_bad_communication),
	cmocka_unit_test(utf8_validation),
	cmocka_unit_test(escape_is_bounded),
	cmocka_unit_test(route_refresh),
	cmocka_unit_test(names),
};

TEST_MAIN(tests)
