#include "testutil.h"

#include <string.h>

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int half = -1;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\n' || *s == '\t')
			continue;
		int v = hexval((unsigned char)*s);
		assert_true(v >= 0);
		if (half < 0) {
			half = v;
			continue;
		}
		assert_true(n < cap);
		out[n++] = (uint8_t)(half << 4 | v);
		half = -1;
	}
	assert_int_equal(half, -1);
	return n;
}

size_t update_msg(const char *withdrawn, const char *attrs, const char *nlri, uint8_t *out,
		  size_t cap)
{
	assert_true(cap >= 23);
	memset(out, 0xff, 16);
	out[18] = 2;
	size_t off = 19;
	size_t w = hex(withdrawn, out + off + 2, cap - off - 2);
	out[off] = (uint8_t)(w >> 8), out[off + 1] = (uint8_t)w;
	off += 2 + w;
	assert_true(cap - off >= 2);
	size_t a = hex(attrs, out + off + 2, cap - off - 2);
	out[off] = (uint8_t)(a >> 8), out[off + 1] = (uint8_t)a;
	off += 2 + a;
	off += hex(nlri, out + off, cap - off);
	out[16] = (uint8_t)(off >> 8), out[17] = (uint8_t)off;
	return off;
}
