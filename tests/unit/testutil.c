#include "testutil.h"

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
