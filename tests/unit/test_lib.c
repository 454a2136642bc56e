/* lib/: bounded reader/writer, addresses and prefixes, strbuf. */
#include <string.h>

#include "lib/addr.h"
#include "lib/buf.h"
#include "lib/strbuf.h"
#include "testutil.h"

static void reader_reads_in_bounds(void **state)
{
	(void)state;
	const uint8_t d[] = {1, 2, 3, 4, 5, 6, 7};
	struct buf_reader r;
	buf_reader_init(&r, d, sizeof d);
	assert_int_equal(buf_get_u8(&r), 1);
	assert_int_equal(buf_get_u16(&r), 0x0203);
	assert_int_equal(buf_get_u32(&r), 0x04050607);
	assert_true(buf_ok(&r));
	assert_int_equal(buf_left(&r), 0);
}

static void reader_error_is_sticky(void **state)
{
	(void)state;
	const uint8_t d[] = {1, 2, 3};
	struct buf_reader r;
	uint8_t out[4] = {9, 9, 9, 9};
	buf_reader_init(&r, d, sizeof d);
	assert_int_equal(buf_get_u32(&r), 0);
	assert_false(buf_ok(&r));
	/* Once failed, even reads that would fit return zero. */
	assert_int_equal(buf_get_u8(&r), 0);
	assert_null(buf_get_ptr(&r, 1));
	buf_get_bytes(&r, out, sizeof out);
	assert_memory_equal(out, "\0\0\0\0", 4);
	assert_int_equal(buf_left(&r), 0);
}

static void reader_sub_and_skip(void **state)
{
	(void)state;
	const uint8_t d[] = {1, 2, 3, 4};
	struct buf_reader r, sub;
	buf_reader_init(&r, d, sizeof d);
	buf_get_sub(&r, 2, &sub);
	assert_int_equal(buf_get_u16(&sub), 0x0102);
	assert_int_equal(buf_get_u8(&sub), 0);
	assert_false(buf_ok(&sub));
	assert_true(buf_ok(&r)); /* the child's error stays in the child */
	buf_skip(&r, 1);
	assert_int_equal(buf_get_u8(&r), 4);
	buf_get_sub(&r, 1, &sub);
	assert_false(buf_ok(&r));
	assert_false(buf_ok(&sub));
	buf_reader_init(&r, d, sizeof d);
	buf_skip(&r, 5);
	assert_false(buf_ok(&r));
}

static void writer_overflow_writes_nothing(void **state)
{
	(void)state;
	uint8_t b[5] = {0};
	struct buf_writer w;
	buf_writer_init(&w, b, sizeof b);
	buf_put_u32(&w, 0x01020304);
	assert_true(buf_wok(&w));
	buf_put_u16(&w, 0xaaaa);
	assert_false(buf_wok(&w));
	assert_int_equal(w.len, 4);
	buf_put_u8(&w, 0xbb); /* sticky: no write after an error */
	assert_int_equal(b[4], 0);
	assert_int_equal(buf_room(&w), 0);
}

static void writer_patch(void **state)
{
	(void)state;
	uint8_t b[8];
	struct buf_writer w;
	buf_writer_init(&w, b, sizeof b);
	buf_put_u16(&w, 0);
	buf_put_u8(&w, 7);
	buf_patch_u16(&w, 0, 0x1234);
	buf_patch_u8(&w, 2, 9);
	assert_true(buf_wok(&w));
	assert_memory_equal(b, "\x12\x34\x09", 3);
	buf_patch_u16(&w, 2, 1); /* would go past what was written */
	assert_false(buf_wok(&w));
	buf_writer_init(&w, b, sizeof b);
	buf_patch_u8(&w, 0, 1);
	assert_false(buf_wok(&w));
}

static void addr_parse_and_format(void **state)
{
	(void)state;
	struct addr a;
	char s[ADDR_STRLEN];
	assert_true(addr_parse("192.0.2.1", &a));
	assert_int_equal(a.family, ADDR_V4);
	addr_format(&a, s, sizeof s);
	assert_string_equal(s, "192.0.2.1");
	assert_true(addr_parse("2001:db8::53", &a));
	assert_int_equal(a.family, ADDR_V6);
	addr_format(&a, s, sizeof s);
	assert_string_equal(s, "2001:db8::53");
	assert_false(addr_parse("192.0.2", &a));
	assert_false(addr_parse("", &a));
	assert_false(addr_parse("2001:db8:::1", &a));
	assert_int_equal(a.family, ADDR_NONE);
	struct addr none = {0};
	addr_format(&none, s, sizeof s);
	assert_string_equal(s, "-");
	struct addr v;
	addr_v4(&v, 0xc6336401);
	addr_format(&v, s, sizeof s);
	assert_string_equal(s, "198.51.100.1");
}

static void prefix_parse_rules(void **state)
{
	(void)state;
	struct prefix p;
	char s[PREFIX_STRLEN];
	assert_true(prefix_parse("203.0.113.0/24", &p));
	assert_int_equal(p.len, 24);
	assert_true(prefix_is_canonical(&p));
	prefix_format(&p, s, sizeof s);
	assert_string_equal(s, "203.0.113.0/24");
	assert_true(prefix_parse("203.0.113.53", &p));
	assert_int_equal(p.len, 32);
	assert_true(prefix_parse("2001:db8:53::53/128", &p));
	assert_int_equal(p.len, 128);
	assert_true(prefix_parse("203.0.113.1/24", &p));
	assert_false(prefix_is_canonical(&p));
	prefix_mask(&p);
	prefix_format(&p, s, sizeof s);
	assert_string_equal(s, "203.0.113.0/24");
	assert_false(prefix_parse("203.0.113.0/33", &p));
	assert_false(prefix_parse("2001:db8::/129", &p));
	assert_false(prefix_parse("203.0.113.0/", &p));
	assert_false(prefix_parse("203.0.113.0/024", &p));
	assert_false(prefix_parse("203.0.113.0/2x", &p));
	assert_false(prefix_parse("/24", &p));
	assert_false(prefix_parse("2001:db8:0000:0000:0000:0000:0000:0000:1/64", &p));
	assert_true(prefix_parse("0.0.0.0/0", &p));
	assert_int_equal(p.len, 0);
}

static void prefix_mask_and_order(void **state)
{
	(void)state;
	struct prefix a, b, c;
	assert_true(prefix_parse("10.255.255.255/9", &a));
	prefix_mask(&a);
	char s[PREFIX_STRLEN];
	prefix_format(&a, s, sizeof s);
	assert_string_equal(s, "10.128.0.0/9");
	assert_true(prefix_parse("10.0.0.0/8", &b));
	assert_true(prefix_parse("2001:db8::/32", &c));
	assert_true(prefix_cmp(&b, &a) < 0);
	assert_true(prefix_cmp(&a, &c) < 0); /* IPv4 before IPv6 */
	assert_int_equal(prefix_cmp(&a, &a), 0);
	assert_true(prefix_equal(&a, &a));
	assert_false(prefix_equal(&a, &b));
	struct prefix d = b;
	d.len = 9;
	assert_true(prefix_cmp(&b, &d) < 0);
}

static void strbuf_truncates(void **state)
{
	(void)state;
	char b[8];
	struct strbuf s;
	strbuf_init(&s, b, sizeof b);
	strbuf_printf(&s, "%s", "abc");
	assert_false(s.truncated);
	strbuf_printf(&s, "%d", 123456);
	assert_true(s.truncated);
	assert_string_equal(b, "abc1234");
	strbuf_printf(&s, "x");
	assert_string_equal(b, "abc1234");
	strbuf_init(&s, b, 0);
	assert_true(s.truncated);
}

static struct prefix P(const char *s)
{
	struct prefix p;
	assert_true(prefix_parse(s, &p));
	return p;
}

static void prefix_covering_and_special_use(void **state)
{
	(void)state;
	struct prefix a = P("203.0.113.0/24"), b = P("203.0.113.53/32"), c = P("203.0.112.0/23");
	assert_true(prefix_covers(&a, &b));
	assert_false(prefix_covers(&b, &a));
	assert_true(prefix_covers(&c, &a));
	assert_true(prefix_covers(&a, &a));
	struct prefix d = P("203.0.114.0/24"), v6 = P("2001:db8::/32"), v6b = P("2001:db8:53::53/128");
	assert_false(prefix_covers(&a, &d));
	assert_false(prefix_covers(&c, &d));
	assert_true(prefix_covers(&v6, &v6b));
	assert_false(prefix_covers(&v6, &a));
	struct prefix all = P("0.0.0.0/0");
	assert_true(prefix_covers(&all, &b));
	static const char *const never[] = {"127.0.0.1/32", "169.254.1.0/24", "224.0.0.5/32", "240.0.0.0/4",
					    "255.255.255.255/32", "0.0.0.0/8", "::1/128", "::/128", "fe80::/64",
					    "ff02::1/128", "::ffff:192.0.2.1/128", "192.0.0.0/2"};
	for (size_t i = 0; i < sizeof never / sizeof *never; i++) {
		struct prefix p = P(never[i]);
		assert_non_null(prefix_special_use(&p));
	}
	static const char *const fine[] = {"10.53.0.53/32", "192.168.1.0/24", "203.0.113.53/32", "2001:db8::/32",
					   "fd00::53/128", "100.64.0.0/10", "1.1.1.1/32", "::2/128"};
	for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
		struct prefix p = P(fine[i]);
		assert_null(prefix_special_use(&p));
	}
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(prefix_covering_and_special_use),
	cmocka_unit_test(reader_reads_in_bounds),
	cmocka_unit_test(reader_error_is_sticky),
	cmocka_unit_test(reader_sub_and_skip),
	cmocka_unit_test(writer_overflow_writes_nothing),
	cmocka_unit_test(writer_patch),
	cmocka_unit_test(addr_parse_and_format),
	cmocka_unit_test(prefix_parse_rules),
	cmocka_unit_test(prefix_mask_and_order),
	cmocka_unit_test(strbuf_truncates),
};

TEST_MAIN(tests)
