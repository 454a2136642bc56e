/* Control protocol codec (src/ctl): requests, answers, every refusal. */
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"
#include "lib/log.h"
#include "testutil.h"

static struct ctl_request parse_ok(const char *s)
{
	struct ctl_request r;
	char err[200] = "";
	int rc = ctl_request_parse(s, strlen(s), &r, err, sizeof err);
	if (rc != 0)
		fail_msg("%s: %s", s, err);
	return r;
}

static void requests(void **state)
{
	(void)state;
	struct ctl_request r = parse_ok("{\"command\":\"status\"}\n");
	assert_int_equal(r.cmd, CTL_STATUS);
	r = parse_ok("{\"command\":\"drain\",\"service\":\"dns-1.a_b\",\"version\":1}");
	assert_int_equal(r.cmd, CTL_DRAIN);
	assert_string_equal(r.service, "dns-1.a_b");
	assert_false(r.all);
	r = parse_ok("{\"all\":true,\"command\":\"undrain\"}");
	assert_int_equal(r.cmd, CTL_UNDRAIN);
	assert_true(r.all);
	r = parse_ok("{\"command\":\"events\"}");
	assert_int_equal(r.count, CTL_EVENTS_DEFAULT);
	r = parse_ok("{\"command\":\"events\",\"count\":256}");
	assert_int_equal(r.count, 256);
	r = parse_ok("{\"command\":\"reload\",\"force\":true}");
	assert_true(r.force);
	r = parse_ok("{\"command\":\"log-level\"}");
	assert_int_equal(r.level, -1);
	r = parse_ok("{\"command\":\"log-level\",\"level\":\"warn\"}");
	assert_int_equal(r.level, LOG_WARN);
}

static void refusals(void **state)
{
	(void)state;
	static const struct {
		const char *in, *err;
	} t[] = {
		{"", "not JSON: '[' or '{' expected near end of file (column 0)"},
		{"status", "not JSON: '[' or '{' expected near 'status' (column 6)"},
		{"[\"status\"]", "the request must be a JSON object"},
		{"{}", "\"command\" (a string) is missing"},
		{"{\"command\":1}", "\"command\" (a string) is missing"},
		{"{\"command\":\"frobnicate\"}", "unknown command \"frobnicate\""},
		{"{\"command\":\"fr\\u0001b\"}", "unknown command \"fr?b\""},
		{"{\"command\":\"status\",\"version\":2}", "unsupported protocol version (this daemon speaks 1)"},
		{"{\"command\":\"drain\"}", "drain needs \"service\" or \"all\": true"},
		{"{\"command\":\"check\"}", "check needs \"service\""},
		{"{\"command\":\"check\",\"all\":true}", "unknown argument \"all\" for check"},
		{"{\"command\":\"drain\",\"service\":\"a\",\"all\":true}", "give \"service\" or \"all\", not both"},
		{"{\"command\":\"drain\",\"service\":\"a b\"}", "\"service\" must be a service name"},
		{"{\"command\":\"drain\",\"service\":\"\"}", "\"service\" must be a service name"},
		{"{\"command\":\"drain\",\"service\":7}", "\"service\" must be a service name"},
		{"{\"command\":\"drain\",\"all\":\"yes\"}", "\"all\" must be true or false"},
		{"{\"command\":\"events\",\"count\":0}", "\"count\" must be a number from 1 to 256"},
		{"{\"command\":\"events\",\"count\":257}", "\"count\" must be a number from 1 to 256"},
		{"{\"command\":\"log-level\",\"level\":\"loud\"}", "\"level\" must be debug, info, warn or error"},
		{"{\"command\":\"status\",\"service\":\"dns\"}", "unknown argument \"service\" for status"},
		{"{\"command\":\"status\",\"command\":\"peers\"}",
		 "not JSON: duplicate object key near '\"command\"' (column 29)"},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		struct ctl_request r;
		char err[200] = "";
		assert_int_equal(ctl_request_parse(t[i].in, strlen(t[i].in), &r, err, sizeof err), -1);
		assert_string_equal(err, t[i].err);
	}
	/* a long service name, and an oversized request */
	char big[CTL_REQUEST_MAX + 10];
	memset(big, ' ', sizeof big);
	memcpy(big, "{\"command\":\"status\"}", 20);
	struct ctl_request r;
	char err[200];
	assert_int_equal(ctl_request_parse(big, sizeof big, &r, err, sizeof err), -1);
	assert_string_equal(err, "request longer than 4096 bytes");
}

static void encode_round_trip(void **state)
{
	(void)state;
	for (int c = 0; c < CTL_N_COMMANDS; c++) {
		struct ctl_request r = {.cmd = (enum ctl_command)c, .count = 7, .level = LOG_ERROR, .force = true};
		if (ctl_commands[c].args & CTL_ARG_SERVICE)
			strcpy(r.service, "web");
		char *line = ctl_request_encode(&r);
		assert_non_null(line);
		assert_int_equal(line[strlen(line) - 1], '\n');
		struct ctl_request b = parse_ok(line);
		assert_int_equal(b.cmd, c);
		assert_string_equal(b.service, r.service);
		if (ctl_commands[c].args & CTL_ARG_LEVEL)
			assert_int_equal(b.level, LOG_ERROR);
		if (ctl_commands[c].args & CTL_ARG_FORCE)
			assert_true(b.force);
		free(line);
		assert_int_equal(ctl_command_lookup(ctl_commands[c].name), c);
	}
	assert_int_equal(ctl_command_lookup("nope"), -1);
}

static void responses(void **state)
{
	(void)state;
	char err[100], code[32];
	json_t *d;
	char *ok = ctl_response_ok(json_pack("{s:i}", "x", 5));
	assert_string_equal(ok, "{\"ok\":true,\"data\":{\"x\":5}}\n");
	assert_int_equal(ctl_response_parse(ok, strlen(ok), &d, err, sizeof err, code, sizeof code), 1);
	assert_int_equal(json_integer_value(json_object_get(d, "x")), 5);
	json_decref(d);
	free(ok);
	char *no = ctl_response_error("unknown-service", "no service named '%s'", "x\"y");
	assert_string_equal(no, "{\"ok\":false,\"error\":\"no service named 'x\\\"y'\",\"code\":\"unknown-service\"}\n");
	assert_int_equal(ctl_response_parse(no, strlen(no), &d, err, sizeof err, code, sizeof code), 0);
	assert_null(d);
	assert_string_equal(err, "no service named 'x\"y'");
	assert_string_equal(code, "unknown-service");
	free(no);
	static const char *const bad[] = {"", "{}", "{\"ok\":1}", "{\"ok\":true}", "{\"ok\":true,\"data\":[]}", "[]"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(ctl_response_parse(bad[i], strlen(bad[i]), &d, err, sizeof err, code, sizeof code), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(requests),
		cmocka_unit_test(refusals),
		cmocka_unit_test(encode_round_trip),
		cmocka_unit_test(responses),
	};
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
