/* Pure judgements for the probes; see probe_check.h. */
#include "health/probe_check.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>

#include "lib/buf.h"
#include "lib/strbuf.h"

#define DNS_HEADER_LEN 12
#define DNS_NAME_MAX 255
#define DNS_TYPE_OPT 41
#define DNS_FLAG_QR 0x8000
#define DNS_FLAG_AA 0x0400
#define DNS_FLAG_TC 0x0200
#define DNS_OPCODE(f) (((f) >> 11) & 0xf)
#define PID_LIMIT 4194304L /* PID_MAX_LIMIT on 64-bit Linux */

/* ---- DNS ---- */

struct dns_question {
	const uint8_t *name; /* uncompressed wire name, borrowed */
	size_t name_len;
	uint16_t qtype, qclass;
};

/* Skips one name, compressed or not, without following pointers (a pointer
 * ends the name).  Sets the reader's error on a bad label or length. */
static void dns_skip_name(struct buf_reader *r)
{
	size_t total = 0;
	while (buf_ok(r)) {
		uint8_t l = buf_get_u8(r);
		if (l == 0)
			return;
		if ((l & 0xc0) == 0xc0) {
			buf_skip(r, 1);
			return;
		}
		/* 0x40 and 0x80 label types are obsolete or unassigned. */
		total += (size_t)l + 1;
		if ((l & 0xc0) || total > DNS_NAME_MAX) {
			buf_skip(r, buf_left(r) + 1); /* sets the error */
			return;
		}
		buf_skip(r, l);
	}
}

/* Reads a question whose name must not be compressed: the question is the
 * first name in a message, so a pointer there can only point into the
 * header, which no sane server sends. */
static bool dns_get_question(struct buf_reader *r, struct dns_question *q)
{
	size_t start = r->off;
	size_t total = 0;
	for (;;) {
		uint8_t l = buf_get_u8(r);
		if (!buf_ok(r) || (l & 0xc0))
			return false;
		total += (size_t)l + 1;
		if (total > DNS_NAME_MAX)
			return false;
		if (l == 0)
			break;
		buf_skip(r, l);
	}
	q->name = r->p + start;
	q->name_len = r->off - start;
	q->qtype = buf_get_u16(r);
	q->qclass = buf_get_u16(r);
	return buf_ok(r);
}

/* Label lengths are compared exactly, label bytes without ASCII case:
 * resolvers and servers may echo the name in mixed case (DNS 0x20). */
static bool dns_question_equal(const struct dns_question *a, const struct dns_question *b)
{
	if (a->name_len != b->name_len || a->qtype != b->qtype || a->qclass != b->qclass)
		return false;
	size_t i = 0;
	while (i < a->name_len) {
		uint8_t l = a->name[i];
		if (b->name[i] != l)
			return false;
		i++;
		if (l && strncasecmp((const char *)a->name + i, (const char *)b->name + i, l))
			return false;
		i += l;
	}
	return true;
}

/* Walks the answer, authority and additional records, picking up the
 * EDNS extended rcode from the OPT record.  False when they do not parse. */
static bool dns_walk_records(struct buf_reader *r, struct probe_dns_reply *out)
{
	unsigned total = (unsigned)out->ancount + out->nscount + out->arcount;
	unsigned first_additional = (unsigned)out->ancount + out->nscount;
	for (unsigned i = 0; i < total; i++) {
		dns_skip_name(r);
		uint16_t type = buf_get_u16(r);
		buf_skip(r, 2); /* class (the OPT record's UDP size) */
		uint32_t ttl = buf_get_u32(r);
		uint16_t rdlen = buf_get_u16(r);
		buf_skip(r, rdlen);
		if (!buf_ok(r))
			return false;
		if (type == DNS_TYPE_OPT) {
			/* RFC 6891 6.1.1: only one, only in the additional section. */
			if (out->edns || i < first_additional)
				return false;
			out->edns = true;
			out->rcode |= (int)(ttl >> 24) << 4;
		}
	}
	return true;
}

void probe_dns_reply_check(const uint8_t *query, size_t qlen, const uint8_t *reply, size_t rlen,
			   struct probe_dns_reply *out)
{
	*out = (struct probe_dns_reply){.verdict = PROBE_DNS_FOREIGN};
	struct buf_reader q, a;
	buf_reader_init(&q, query, qlen);
	buf_reader_init(&a, reply, rlen);
	uint16_t qid = buf_get_u16(&q), qflags = buf_get_u16(&q), qdcount = buf_get_u16(&q);
	buf_skip(&q, 6);
	uint16_t id = buf_get_u16(&a), flags = buf_get_u16(&a), qd = buf_get_u16(&a);
	out->ancount = buf_get_u16(&a);
	out->nscount = buf_get_u16(&a);
	out->arcount = buf_get_u16(&a);
	if (!buf_ok(&q) || !buf_ok(&a) || qdcount != 1)
		return;
	if (id != qid || !(flags & DNS_FLAG_QR) || DNS_OPCODE(flags) != DNS_OPCODE(qflags))
		return;
	out->aa = flags & DNS_FLAG_AA;
	out->tc = flags & DNS_FLAG_TC;
	out->rcode = flags & 0xf;
	/* Some servers leave the question out of a truncated reply. */
	if (out->tc && qd == 0) {
		out->verdict = PROBE_DNS_TRUNCATED;
		return;
	}
	struct dns_question mine, theirs;
	if (qd != 1 || !dns_get_question(&q, &mine) || !dns_get_question(&a, &theirs) ||
	    !dns_question_equal(&mine, &theirs))
		return;
	if (out->tc) {
		out->verdict = PROBE_DNS_TRUNCATED;
		return;
	}
	out->verdict = dns_walk_records(&a, out) ? PROBE_DNS_MATCH : PROBE_DNS_MALFORMED;
}

bool probe_dns_rcode_ok(int rcode, int expect) { return expect < 0 || rcode == expect; }

static const char *const rcode_names[] = {
	[0] = "NOERROR",  [1] = "FORMERR",  [2] = "SERVFAIL", [3] = "NXDOMAIN",
	[4] = "NOTIMP",   [5] = "REFUSED",  [6] = "YXDOMAIN", [7] = "YXRRSET",
	[8] = "NXRRSET",  [9] = "NOTAUTH",  [10] = "NOTZONE", [11] = "DSOTYPENI",
	[16] = "BADVERS", [23] = "BADCOOKIE",
};

const char *probe_dns_rcode_name(int rcode)
{
	if (rcode < 0 || (size_t)rcode >= sizeof rcode_names / sizeof rcode_names[0])
		return NULL;
	return rcode_names[rcode];
}

int probe_dns_rcode_parse(const char *name)
{
	for (size_t i = 0; i < sizeof rcode_names / sizeof rcode_names[0]; i++)
		if (rcode_names[i] && !strcasecmp(rcode_names[i], name))
			return (int)i;
	return -1;
}

void probe_dns_describe(const struct probe_dns_reply *r, char *out, size_t cap)
{
	struct strbuf s;
	strbuf_init(&s, out, cap);
	const char *name = probe_dns_rcode_name(r->rcode);
	if (name)
		strbuf_printf(&s, "rcode %s", name);
	else
		strbuf_printf(&s, "rcode %d", r->rcode);
	strbuf_printf(&s, ", %u answer%s", r->ancount, r->ancount == 1 ? "" : "s");
	if (r->aa)
		strbuf_printf(&s, ", aa");
}

/* ---- HTTP and TCP ---- */

bool probe_expect_found(const uint8_t *data, size_t len, const char *expect)
{
	size_t n = strlen(expect);
	return n == 0 || (len >= n && memmem(data, len, expect, n) != NULL);
}

bool probe_http_judge(long status, int expect_status, const uint8_t *body, size_t len,
		      const char *expect_body, char *detail, size_t cap)
{
	struct strbuf s;
	strbuf_init(&s, detail, cap);
	if (status != expect_status) {
		char ex[64];
		probe_excerpt(body, len, ex, sizeof ex);
		strbuf_printf(&s, "status %ld, expected %d; body \"%s\"", status, expect_status, ex);
		return false;
	}
	if (!probe_expect_found(body, len, expect_body)) {
		char want[48], ex[64];
		probe_excerpt((const uint8_t *)expect_body, strlen(expect_body), want, sizeof want);
		probe_excerpt(body, len, ex, sizeof ex);
		strbuf_printf(&s, "status %ld but \"%s\" not in body (%zu bytes) \"%s\"", status, want,
			      len, ex);
		return false;
	}
	strbuf_printf(&s, "status %ld, %zu bytes", status, len);
	return true;
}

void probe_excerpt(const uint8_t *p, size_t len, char *out, size_t cap)
{
	if (cap == 0)
		return;
	size_t o = 0;
	const size_t room = cap > 4 ? cap - 4 : 0; /* keep space for "..." and NUL */
	size_t i;
	for (i = 0; i < len; i++) {
		char e[5];
		uint8_t c = p[i];
		if (c == '\n')
			memcpy(e, "\\n", 3);
		else if (c == '\r')
			memcpy(e, "\\r", 3);
		else if (c == '\t')
			memcpy(e, "\\t", 3);
		else if (c == '"' || c == '\\')
			snprintf(e, sizeof e, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			snprintf(e, sizeof e, "\\x%02x", c);
		else
			snprintf(e, sizeof e, "%c", c);
		size_t n = strlen(e);
		if (o + n > room)
			break;
		memcpy(out + o, e, n);
		o += n;
	}
	if (i < len && cap > 4) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o < cap ? o : cap - 1] = '\0';
}

/* ---- processes ---- */

long probe_pid_parse(const char *p, size_t len)
{
	size_t i = 0;
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		i++;
	size_t start = i;
	long v = 0;
	while (i < len && p[i] >= '0' && p[i] <= '9') {
		v = v * 10 + (p[i] - '0');
		if (v > PID_LIMIT)
			return -1;
		i++;
	}
	if (i == start)
		return -1;
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		i++;
	return i == len ? v : -1;
}

void probe_exit_describe(int code, int status, char *out, size_t cap)
{
	struct strbuf s;
	strbuf_init(&s, out, cap);
	if (code == CLD_EXITED) {
		strbuf_printf(&s, "exit %d", status);
		return;
	}
	const char *abbrev = (status > 0 && status < NSIG) ? sigabbrev_np(status) : NULL;
	strbuf_printf(&s, "%s signal %d (%s)", code == CLD_DUMPED ? "dumped core on" : "killed by",
		      status, abbrev ? abbrev : "?");
}
