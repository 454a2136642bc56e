/* health/probe_check: the pure judgements behind the probes. */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "health/probe_check.h"
#include "testutil.h"

/* Query: ID 0xbeef, RD off, one question example.com. A IN, an OPT record
 * (UDP 1232) as the DNS probe sends it. */
#define Q_HDR "beef 0000 0001 0000 0000 0001"
#define Q_NAME "07 6578616d706c65 03 636f6d 00"
#define Q_QUESTION Q_NAME " 0001 0001"
#define OPT_RR "00 0029 04d0 00000000 0000"
#define QUERY Q_HDR Q_QUESTION OPT_RR

static size_t query(uint8_t *q, size_t cap) { return hex(QUERY, q, cap); }

static void check(const char *reply_hex, struct probe_dns_reply *out)
{
	uint8_t q[512], a[1024];
	size_t qn = query(q, sizeof q), an = hex(reply_hex, a, sizeof a);
	probe_dns_reply_check(q, qn, a, an, out);
}

static void dns_match_answer(void **state)
{
	(void)state;
	struct probe_dns_reply r;
	/* Answer with a compressed owner name (pointer to offset 12), and OPT. */
	check("beef 8400 0001 0001 0000 0001" Q_QUESTION
	      "c00c 0001 0001 00000e10 0004 c0000201" OPT_RR, &r);
	assert_int_equal(r.verdict, PROBE_DNS_MATCH);
	assert_int_equal(r.rcode, 0);
	assert_int_equal(r.ancount, 1);
	assert_true(r.aa);
	assert_true(r.edns);
	char d[160];
	probe_dns_describe(&r, d, sizeof d);
	assert_string_equal(d, "rcode NOERROR, 1 answer, aa");
}

static void dns_question_case_insensitive(void **state)
{
	(void)state;
	struct probe_dns_reply r;
	/* eXaMpLe.CoM (DNS 0x20), NXDOMAIN with an SOA in authority. */
	check("beef 8403 0001 0000 0001 0000"
	      "07 6558614d704c65 03 436f4d 00 0001 0001"
	      "c00c 0006 0001 00000e10 0016 c00c c00c 00000001 00000002 00000003 00000004 00000005",
	      &r);
	assert_int_equal(r.verdict, PROBE_DNS_MATCH);
	assert_int_equal(r.rcode, 3);
	assert_int_equal(r.nscount, 1);
	assert_true(probe_dns_rcode_ok(r.rcode, 3));
	assert_false(probe_dns_rcode_ok(r.rcode, 0));
	assert_true(probe_dns_rcode_ok(r.rcode, -1));
	char d[160];
	probe_dns_describe(&r, d, sizeof d);
	assert_string_equal(d, "rcode NXDOMAIN, 0 answers, aa");
}

static void dns_foreign_replies(void **state)
{
	(void)state;
	struct probe_dns_reply r;
	/* Wrong ID. */
	check("beee 8000 0001 0000 0000 0000" Q_QUESTION, &r);
	assert_int_equal(r.verdict, PROBE_DNS_FOREIGN);
	/* QR clear: a query, not a reply (e.g. our own packet looped back). */
	check(Q_HDR Q_QUESTION OPT_RR, &r);
	assert_int_equal(r.verdict, PROBE_DNS_FOREIGN);
	/* Other opcode (NOTIFY). */
	check("beef a000 0001 0000 0000 0000" Q_QUESTION, &r);
	assert_int_equal(r.verdict, PROBE_DNS_FOREIGN);
	/* Other name, other type, other class, no question. */
	check("beef 8000 0001 0000 0000 0000 07 6578616d706c66 03 636f6d 00 0001 0001", &r);
	assert_int_equal(r.verdict, PROBE_DNS_FOREIGN);
	check("beef 8000 0001 0000 0000 0000" Q_NAME "001c 0001", &r);
	assert_int_equal(r.verdict, PROBE_DNS_FOREIGN);
	check("beef 8000 0001 0000 0000 0000" Q_NAME "0001 0003", &r);
	assert_int_equal(r.verdict, PROBE_DNS_FOREIGN);
	check("beef 8000 0000 0000 0000 0000", &r);
	assert_int_equal(r.verdict, PROBE_DNS_FOREIGN);
	/* Compressed question name: refused rather than followed. */
	check("beef 8000 0001 0000 0000 0000 c000 0001 0001", &r);
	assert_int_equal(r.verdict, PROBE_DNS_FOREIGN);
	/* Short of a header; empty. */
	check("beef 80", &r);
	assert_int_equal(r.verdict, PROBE_DNS_FOREIGN);
	check("", &r);
	assert_int_equal(r.verdict, PROBE_DNS_FOREIGN);
	/* Name prefix only ("example." vs "example.com."). */
	check("beef 8000 0001 0000 0000 0000 07 6578616d706c65 00 0001 0001", &r);
	assert_int_equal(r.verdict, PROBE_DNS_FOREIGN);
}

static void dns_truncated(void **state)
{
	(void)state;
	struct probe_dns_reply r;
	/* TC with the question and a record cut short: retry over TCP. */
	check("beef 8600 0001 0005 0000 0000" Q_QUESTION "c00c 0010 00", &r);
	assert_int_equal(r.verdict, PROBE_DNS_TRUNCATED);
	assert_true(r.tc);
	/* TC without a question (allowed by some servers). */
	check("beef 8200 0000 0000 0000 0000", &r);
	assert_int_equal(r.verdict, PROBE_DNS_TRUNCATED);
}

static void dns_malformed(void **state)
{
	(void)state;
	struct probe_dns_reply r;
	/* Claims an answer that is not there. */
	check("beef 8000 0001 0001 0000 0000" Q_QUESTION, &r);
	assert_int_equal(r.verdict, PROBE_DNS_MALFORMED);
	/* rdlength beyond the end. */
	check("beef 8000 0001 0001 0000 0000" Q_QUESTION "c00c 0001 0001 00000e10 0008 c0000201",
	      &r);
	assert_int_equal(r.verdict, PROBE_DNS_MALFORMED);
	/* Label type 0x40. */
	check("beef 8000 0001 0001 0000 0000" Q_QUESTION "41 00 0001 0001 00000000 0000", &r);
	assert_int_equal(r.verdict, PROBE_DNS_MALFORMED);
	/* Two OPT records; an OPT in the answer section. */
	check("beef 8000 0001 0000 0000 0002" Q_QUESTION OPT_RR OPT_RR, &r);
	assert_int_equal(r.verdict, PROBE_DNS_MALFORMED);
	check("beef 8000 0001 0001 0000 0000" Q_QUESTION OPT_RR, &r);
	assert_int_equal(r.verdict, PROBE_DNS_MALFORMED);
	/* A name longer than 255 octets in a record. */
	char big[2048] = "beef 8000 0001 0001 0000 0000" Q_QUESTION;
	for (int i = 0; i < 5; i++)
		strcat(big, " 3f" /* 63 */ " 000000000000000000000000000000000000000000000000000000000000"
			    "000000000000000000000000000000000000000000000000000000000000000000");
	strcat(big, "00 0001 0001 00000000 0000");
	check(big, &r);
	assert_int_equal(r.verdict, PROBE_DNS_MALFORMED);
	/* Trailing bytes after the records are ignored. */
	check("beef 8000 0001 0000 0000 0000" Q_QUESTION "deadbeef", &r);
	assert_int_equal(r.verdict, PROBE_DNS_MATCH);
}

static void dns_extended_rcode(void **state)
{
	(void)state;
	struct probe_dns_reply r;
	/* BADVERS = 16: header rcode 0, OPT extended rcode 1. */
	check("beef 8000 0001 0000 0000 0001" Q_QUESTION "00 0029 04d0 01000000 0000", &r);
	assert_int_equal(r.verdict, PROBE_DNS_MATCH);
	assert_int_equal(r.rcode, 16);
	char d[160];
	probe_dns_describe(&r, d, sizeof d);
	assert_string_equal(d, "rcode BADVERS, 0 answers");
	/* Unnamed: printed as a number. */
	check("beef 8000 0001 0000 0000 0001" Q_QUESTION "00 0029 04d0 ff000000 0000", &r);
	assert_int_equal(r.rcode, 0xff0);
	probe_dns_describe(&r, d, sizeof d);
	assert_string_equal(d, "rcode 4080, 0 answers");
}

static void dns_rcode_names(void **state)
{
	(void)state;
	assert_string_equal(probe_dns_rcode_name(0), "NOERROR");
	assert_string_equal(probe_dns_rcode_name(5), "REFUSED");
	assert_null(probe_dns_rcode_name(12));
	assert_null(probe_dns_rcode_name(-1));
	assert_null(probe_dns_rcode_name(4096));
	assert_int_equal(probe_dns_rcode_parse("nxdomain"), 3);
	assert_int_equal(probe_dns_rcode_parse("SERVFAIL"), 2);
	assert_int_equal(probe_dns_rcode_parse("NOPE"), -1);
	assert_int_equal(probe_dns_rcode_parse(""), -1);
}

static void expect_substring(void **state)
{
	(void)state;
	const uint8_t banner[] = "SSH-2.0-OpenSSH\r\n";
	assert_true(probe_expect_found(banner, sizeof banner - 1, "SSH-2.0"));
	assert_true(probe_expect_found(banner, sizeof banner - 1, ""));
	assert_true(probe_expect_found(NULL, 0, ""));
	assert_false(probe_expect_found(banner, sizeof banner - 1, "SSH-1"));
	assert_false(probe_expect_found(banner, 3, "SSH-"));
	/* Binary-safe: a NUL before the match. */
	const uint8_t bin[] = {0, 'o', 'k'};
	assert_true(probe_expect_found(bin, 3, "ok"));
}

static void http_judge(void **state)
{
	(void)state;
	char d[160];
	const uint8_t ok[] = "ok\n";
	assert_true(probe_http_judge(200, 200, ok, 3, "ok", d, sizeof d));
	assert_string_equal(d, "status 200, 3 bytes");
	assert_true(probe_http_judge(204, 204, NULL, 0, "", d, sizeof d));
	assert_false(probe_http_judge(503, 200, ok, 3, "", d, sizeof d));
	assert_string_equal(d, "status 503, expected 200; body \"ok\\n\"");
	assert_false(probe_http_judge(200, 200, ok, 3, "healthy", d, sizeof d));
	assert_string_equal(d, "status 200 but \"healthy\" not in body (3 bytes) \"ok\\n\"");
	/* A long body is cut in the detail, which always fits. */
	uint8_t big[4096];
	memset(big, 0xff, sizeof big);
	assert_false(probe_http_judge(500, 200, big, sizeof big, "", d, 40));
	assert_true(strlen(d) < 40);
}

static void excerpt_escapes(void **state)
{
	(void)state;
	char o[32];
	probe_excerpt((const uint8_t *)"a\"b\\c\n\x01", 7, o, sizeof o);
	assert_string_equal(o, "a\\\"b\\\\c\\n\\x01");
	probe_excerpt((const uint8_t *)"0123456789abcdef", 16, o, 12);
	assert_string_equal(o, "01234567...");
	probe_excerpt((const uint8_t *)"\xff\xff\xff", 3, o, 10);
	assert_string_equal(o, "\\xff...");
	probe_excerpt((const uint8_t *)"abc", 3, o, 1);
	assert_string_equal(o, "");
	probe_excerpt(NULL, 0, o, sizeof o);
	assert_string_equal(o, "");
}

static void pid_parse(void **state)
{
	(void)state;
	assert_int_equal(probe_pid_parse("1234\n", 5), 1234);
	assert_int_equal(probe_pid_parse("  42 \r\n", 7), 42);
	assert_int_equal(probe_pid_parse("0\n", 2), 0);
	assert_int_equal(probe_pid_parse("4194304", 7), 4194304);
	assert_int_equal(probe_pid_parse("4194305", 7), -1);
	assert_int_equal(probe_pid_parse("99999999999999999999999", 23), -1);
	assert_int_equal(probe_pid_parse("", 0), -1);
	assert_int_equal(probe_pid_parse("\n", 1), -1);
	assert_int_equal(probe_pid_parse("-1", 2), -1);
	assert_int_equal(probe_pid_parse("12 34", 5), -1);
	assert_int_equal(probe_pid_parse("12abc", 5), -1);
	assert_int_equal(probe_pid_parse("12\0", 3), -1);
	/* Only len bytes are read. */
	assert_int_equal(probe_pid_parse("123456", 3), 123);
}

static void exit_describe(void **state)
{
	(void)state;
	char d[64];
	probe_exit_describe(CLD_EXITED, 0, d, sizeof d);
	assert_string_equal(d, "exit 0");
	probe_exit_describe(CLD_EXITED, 127, d, sizeof d);
	assert_string_equal(d, "exit 127");
	probe_exit_describe(CLD_KILLED, SIGKILL, d, sizeof d);
	assert_string_equal(d, "killed by signal 9 (KILL)");
	probe_exit_describe(CLD_DUMPED, SIGSEGV, d, sizeof d);
	assert_string_equal(d, "dumped core on signal 11 (SEGV)");
	probe_exit_describe(CLD_KILLED, 999, d, sizeof d);
	assert_string_equal(d, "killed by signal 999 (?)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dns_match_answer),
		cmocka_unit_test(dns_question_case_insensitive),
		cmocka_unit_test(dns_foreign_replies),
		cmocka_unit_test(dns_truncated),
		cmocka_unit_test(dns_malformed),
		cmocka_unit_test(dns_extended_rcode),
		cmocka_unit_test(dns_rcode_names),
		cmocka_unit_test(expect_substring),
		cmocka_unit_test(http_judge),
		cmocka_unit_test(excerpt_escapes),
		cmocka_unit_test(pid_parse),
		cmocka_unit_test(exit_describe),
	};
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
