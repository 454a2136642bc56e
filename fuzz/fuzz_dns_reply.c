/* DNS probe replies: the first byte picks one of the queries the probe
 * could have sent, the rest is the reply judged against it. */
#include "fuzz.h"
#include "health/probe_check.h"

struct fuzz_query {
	const uint8_t *p;
	size_t len;
};

/* example.com. A with EDNS0 (UDP 1232), as the probe sends it. */
static const uint8_t q_a[] = {0xbe, 0xef, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 7, 'e', 'x', 'a', 'm', 'p',
			      'l',  'e',  3, 'c', 'o', 'm', 0, 0, 1, 0, 1, 0, 0, 0x29, 0x04, 0xd0,
			      0,    0,    0, 0, 0, 0};
/* The root, NS, no EDNS. */
static const uint8_t q_root[] = {0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1};
/* a.b. TXT, ID 0. */
static const uint8_t q_txt[] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 1, 'b', 0, 0, 16, 0, 1};

static const struct fuzz_query queries[] = {
	{q_a, sizeof q_a},
	{q_root, sizeof q_root},
	{q_txt, sizeof q_txt},
};

static void check_printable(const char *s, size_t cap)
{
	FUZZ_CHECK(strlen(s) < cap);
	for (; *s; s++)
		FUZZ_CHECK(*s >= 0x20 && *s < 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const struct fuzz_query *q = &queries[data[0] % (sizeof queries / sizeof queries[0])];
	const uint8_t *reply = data + 1;
	size_t n = size - 1;
	struct probe_dns_reply r, again;
	probe_dns_reply_check(q->p, q->len, reply, n, &r);
	probe_dns_reply_check(q->p, q->len, reply, n, &again);
	FUZZ_CHECK(memcmp(&r, &again, sizeof r) == 0);
	if (r.verdict != PROBE_DNS_FOREIGN) {
		/* Only a reply carrying our ID, as a response, is ever ours. */
		FUZZ_CHECK(n >= 12);
		FUZZ_CHECK(reply[0] == q->p[0] && reply[1] == q->p[1]);
		FUZZ_CHECK(reply[2] & 0x80);
		FUZZ_CHECK(r.rcode >= 0 && r.rcode < 4096);
		FUZZ_CHECK((r.verdict == PROBE_DNS_TRUNCATED) == r.tc);
	}
	char d[160];
	probe_dns_describe(&r, d, sizeof d);
	check_printable(d, sizeof d);
	char small[8];
	probe_dns_describe(&r, small, sizeof small);
	FUZZ_CHECK(strlen(small) < sizeof small);
	return 0;
}
