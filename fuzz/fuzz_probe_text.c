/* Probe text judgements: HTTP bodies, TCP banners, pid files, excerpts
 * for the logs.  The first byte picks the function and a split point. */
#include <stdio.h>

#include "fuzz.h"
#include "health/probe_check.h"

static void check_printable(const char *s, size_t cap)
{
	FUZZ_CHECK(strlen(s) < cap);
	for (; *s; s++)
		FUZZ_CHECK(*s >= 0x20 && *s < 0x7f);
}

/* The obvious search, as an oracle for probe_expect_found. */
static bool naive_find(const uint8_t *p, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(p + i, needle, n))
			return true;
	return n == 0;
}

static void fuzz_pid(const uint8_t *p, size_t n)
{
	long v = probe_pid_parse((const char *)p, n);
	FUZZ_CHECK(v >= -1 && v <= 4194304);
	if (v < 0)
		return;
	/* Whatever parsed holds the digits of v and nothing but white space. */
	char digits[16];
	snprintf(digits, sizeof digits, "%ld", v);
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		i++;
	while (i < n && p[i] == '0' && n - i > 1 && p[i + 1] >= '0' && p[i + 1] <= '9')
		i++; /* leading zeros */
	FUZZ_CHECK(n - i >= strlen(digits) && !memcmp(p + i, digits, strlen(digits)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	uint8_t sel = data[0], split = data[1];
	const uint8_t *p = data + 2;
	size_t n = size - 2;
	/* The expectation: a NUL-free prefix of at most `split` bytes. */
	char expect[256];
	size_t en = 0;
	while (en < n && en < split && p[en] && en < sizeof expect - 1) {
		expect[en] = (char)p[en];
		en++;
	}
	expect[en] = '\0';
	const uint8_t *body = p + en;
	size_t bn = n - en;
	char d[160];
	switch (sel & 3) {
	case 0:
		fuzz_pid(p, n);
		break;
	case 1: {
		int want = 100 + (sel >> 2);
		bool ok = probe_http_judge(want + (split & 1), want, body, bn, expect, d, sizeof d);
		FUZZ_CHECK(ok == (!(split & 1) && naive_find(body, bn, expect)));
		check_printable(d, sizeof d);
		break;
	}
	case 2:
		FUZZ_CHECK(probe_expect_found(body, bn, expect) == naive_find(body, bn, expect));
		break;
	default: {
		size_t cap = (size_t)(sel >> 2) + 1;
		char *out = malloc(cap);
		if (!out)
			abort();
		probe_excerpt(p, n, out, cap);
		check_printable(out, cap);
		free(out);
		break;
	}
	}
	return 0;
}
