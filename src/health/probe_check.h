/* What the probes conclude from the bytes they received: DNS replies, HTTP
 * responses, TCP banners, pid files, exit statuses.  Pure (no I/O, no
 * allocation, no globals), so that every judgement is unit-tested and
 * fuzzed apart from the sockets and children in probe_*.c. */
#ifndef ANYCASTD_HEALTH_PROBE_CHECK_H
#define ANYCASTD_HEALTH_PROBE_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- DNS ---- */

enum probe_dns_verdict {
	PROBE_DNS_FOREIGN = 0, /* not a reply to our query (ID, QR, opcode or
				  question differ, or too short to tell): ignore it */
	PROBE_DNS_MATCH,       /* our reply, parsed: rcode and counts are valid */
	PROBE_DNS_TRUNCATED,   /* our reply with TC set: ask again over TCP */
	PROBE_DNS_MALFORMED,   /* ID and question match, the sections do not parse */
};

struct probe_dns_reply {
	enum probe_dns_verdict verdict;
	int rcode; /* 4-bit header rcode, widened to 12 bits by an OPT record */
	uint16_t ancount, nscount, arcount;
	bool aa, tc, edns;
};

/* Judges reply against query (the wire form we sent, a single question).
 * The question must match with names compared case-insensitively; names
 * in the sections may be compressed (they are skipped, never followed).
 * Bytes after the last record are ignored.  Fills *out; never reads past
 * either buffer. */
void probe_dns_reply_check(const uint8_t *query, size_t qlen, const uint8_t *reply, size_t rlen,
			   struct probe_dns_reply *out);

/* True when rcode is the expected one; expect -1 accepts any. */
bool probe_dns_rcode_ok(int rcode, int expect);

/* "NOERROR", "NXDOMAIN", ... (RFC 6895 registry, common ones), or NULL. */
const char *probe_dns_rcode_name(int rcode);
/* The value of a name above (case-insensitive), or -1. */
int probe_dns_rcode_parse(const char *name);

/* "rcode NOERROR, 1 answer" / "rcode 23, 0 answers, aa" into out. */
void probe_dns_describe(const struct probe_dns_reply *r, char *out, size_t cap);

/* ---- HTTP and TCP ---- */

/* True when expect ("" for none) occurs in data[0..len); binary-safe. */
bool probe_expect_found(const uint8_t *data, size_t len, const char *expect);

/* Judges an HTTP response: status must equal expect_status and the body
 * (its first len bytes, as much as was kept) must contain expect_body.
 * Writes what was seen or missed into detail.  Returns the verdict. */
bool probe_http_judge(long status, int expect_status, const uint8_t *body, size_t len,
		      const char *expect_body, char *detail, size_t cap);

/* Writes bytes as log-safe text: printable ASCII kept, quotes, backslashes
 * and the rest escaped (\n, \r, \t, \xNN), cut with "..." to fit cap
 * (always NUL-terminated when cap > 0). */
void probe_excerpt(const uint8_t *p, size_t len, char *out, size_t cap);

/* ---- processes ---- */

/* Parses a pid file, or `systemctl show -p MainPID --value`: decimal
 * digits with optional surrounding white space.  Returns the pid (> 0),
 * 0 for "0" (systemd: no main process), -1 for anything else, including
 * values above the kernel's limit (2^22). */
long probe_pid_parse(const char *p, size_t len);

/* Describes how a child ended, from waitid (siginfo_t si_code and si_status):
 * "exit 0", "exit 3", "killed by signal 9 (KILL)", "dumped core on signal 11 (SEGV)". */
void probe_exit_describe(int code, int status, char *out, size_t cap);

#endif
