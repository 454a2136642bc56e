/* conf/: parsing every key and default, every rejection with its exact
 * message and position, the printed normal form, durations, conf_diff. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "testutil.h"

#define BASE "router-id: 198.51.100.2\nlocal-as: 64600\n"
#define PEER "peers:\n  - name: r1\n    address: 198.51.100.1\n    remote-as: 64501\n"

/* What the normal form writes after the prefixes of a service with every
 * other key at its default. */
#define SVC_DEFAULTS                                                                     \
	"    require: all\n"                                                             \
	"    on-failure: withdraw\n"                                                     \
	"    drain-time: 30s\n"                                                          \
	"    fail-static-time: 5m\n"                                                     \
	"    damping:\n"                                                                 \
	"      enabled: true\n"                                                          \
	"      penalty: 1000\n"                                                          \
	"      suppress: 1500\n"                                                         \
	"      reuse: 750\n"                                                             \
	"      half-life: 15m\n"                                                         \
	"      max-suppress: 60m\n"                                                      \
	"    attributes:\n"                                                              \
	"      up:\n"                                                                    \
	"        communities: []\n"                                                      \
	"        large-communities: []\n"                                                \
	"        prepend: 0\n"                                                           \
	"      degraded:\n"                                                              \
	"        communities: []\n"                                                      \
	"        large-communities: []\n"                                                \
	"        prepend: 0\n"                                                           \
	"      draining:\n"                                                              \
	"        communities: []\n"                                                      \
	"        large-communities: []\n"                                                \
	"        prepend: 0\n"                                                           \
	"    checks: []\n"

static struct conf *parse_ok(const char *yaml)
{
	struct conf *c = NULL;
	struct conf_error e;
	char msg[512];
	if (conf_parse(yaml, strlen(yaml), "t.yaml", &c, &e) < 0)
		fail_msg("unexpected error: %s", conf_error_format(&e, msg, sizeof msg));
	assert_non_null(c);
	return c;
}

/* Parses yaml expecting exactly the error want; prints what differs.
 * Returns true when it matched. */
static bool check_error(const char *yaml, const char *want)
{
	struct conf *c = (struct conf *)1;
	struct conf_error e;
	char msg[512];
	if (conf_parse(yaml, strlen(yaml), "t.yaml", &c, &e) == 0) {
		conf_free(c);
		print_message("accepted, want: %s\n--- input:\n%s\n", want, yaml);
		return false;
	}
	conf_error_format(&e, msg, sizeof msg);
	if (c != NULL || strcmp(msg, want) != 0) {
		print_message("got:  %s\nwant: %s\n--- input:\n%s\n", msg, want, yaml);
		return false;
	}
	return true;
}

static void expect_error(const char *yaml, const char *want)
{
	if (!check_error(yaml, want))
		fail();
}

static char *print(const struct conf *c)
{
	static char buf[1 << 16];
	struct strbuf sb;
	strbuf_init(&sb, buf, sizeof buf);
	conf_print(c, &sb);
	assert_false(sb.truncated);
	return buf;
}

static void every_key(void **state)
{
	(void)state;
	struct conf *c = parse_ok(
		"router-id: 198.51.100.2\n"
		"local-as: 4200000000\n"
		"control-socket: /tmp/x.sock\n"
		"peers:\n"
		"  - name: r1\n"
		"    address: 198.51.100.1\n"
		"    remote-as: 64501\n"
		"    local-address: 198.51.100.2\n"
		"    port: 1179\n"
		"    passive: true\n"
		"    hold-time: 9s\n"
		"    password: \"secret\"\n"
		"    ttl-security: true\n"
		"    next-hop: {ipv4: 192.0.2.1, ipv6: 2001:db8::1}\n"
		"  - name: r2.v6_x-\n"
		"    address: 2001:db8::2\n"
		"    remote-as: 64502\n"
		"    multihop: 2\n"
		"    next-hop: self\n"
		"services:\n"
		"  - name: dns\n"
		"    prefixes: [203.0.113.53/32, \"2001:db8:53::53/128\", 203.0.113.0/25]\n");
	assert_int_equal(c->router_id, 0xc6336402);
	assert_int_equal(c->local_as, 4200000000u);
	assert_string_equal(c->control_socket, "/tmp/x.sock");
	assert_int_equal(c->n_peers, 2);
	const struct conf_peer *p = &c->peers[0];
	char a[ADDR_STRLEN];
	assert_string_equal(p->name, "r1");
	addr_format(&p->address, a, sizeof a);
	assert_string_equal(a, "198.51.100.1");
	assert_int_equal(p->remote_as, 64501);
	addr_format(&p->local_address, a, sizeof a);
	assert_string_equal(a, "198.51.100.2");
	assert_int_equal(p->port, 1179);
	assert_true(p->passive);
	assert_int_equal(p->hold_time, 9);
	assert_string_equal(p->password, "secret");
	assert_true(p->ttl_security);
	assert_int_equal(p->multihop, 0);
	addr_format(&p->next_hop.v4, a, sizeof a);
	assert_string_equal(a, "192.0.2.1");
	addr_format(&p->next_hop.v6, a, sizeof a);
	assert_string_equal(a, "2001:db8::1");
	p = &c->peers[1];
	assert_string_equal(p->name, "r2.v6_x-");
	assert_int_equal(p->address.family, ADDR_V6);
	assert_int_equal(p->multihop, 2);
	assert_int_equal(p->next_hop.v4.family, ADDR_NONE);
	assert_int_equal(p->next_hop.v6.family, ADDR_NONE);
	assert_int_equal(c->n_services, 1);
	assert_string_equal(c->services[0].name, "dns");
	assert_int_equal(c->services[0].n_prefixes, 3);
	/* sorted: IPv4 by address then length, IPv6 after */
	char t[PREFIX_STRLEN];
	prefix_format(&c->services[0].prefixes[0], t, sizeof t);
	assert_string_equal(t, "203.0.113.0/25");
	prefix_format(&c->services[0].prefixes[1], t, sizeof t);
	assert_string_equal(t, "203.0.113.53/32");
	prefix_format(&c->services[0].prefixes[2], t, sizeof t);
	assert_string_equal(t, "2001:db8:53::53/128");
	conf_free(c);
}

static void defaults_are_explicit(void **state)
{
	(void)state;
	struct conf *c = parse_ok(BASE PEER "services:\n  - name: web\n    prefixes: [192.0.2.80]\n");
	const struct conf_peer *p = &c->peers[0];
	assert_string_equal(c->control_socket, CONF_DEFAULT_CONTROL_SOCKET);
	assert_int_equal(p->local_address.family, ADDR_NONE);
	assert_int_equal(p->port, 179);
	assert_false(p->passive);
	assert_int_equal(p->hold_time, 90);
	assert_string_equal(p->password, "");
	assert_false(p->ttl_security);
	assert_int_equal(p->multihop, 0);
	assert_string_equal(print(c), "router-id: 198.51.100.2\n"
				      "local-as: 64600\n"
				      "control-socket: /run/anycastd/anycastd.sock\n"
				      "control-socket-mode: \"0660\"\n"
				      "log-level: info\n"
				      "peers:\n"
				      "  - name: r1\n"
				      "    address: 198.51.100.1\n"
				      "    remote-as: 64501\n"
				      "    port: 179\n"
				      "    passive: false\n"
				      "    hold-time: 90s\n"
				      "    ttl-security: false\n"
				      "    next-hop: self\n"
				      "services:\n"
				      "  - name: web\n"
				      "    prefixes:\n"
				      "      - 192.0.2.80/32\n" SVC_DEFAULTS);
	conf_free(c);
	c = parse_ok(BASE);
	assert_int_equal(c->n_peers, 0);
	assert_int_equal(c->n_services, 0);
	assert_string_equal(print(c), "router-id: 198.51.100.2\n"
				      "local-as: 64600\n"
				      "control-socket: /run/anycastd/anycastd.sock\n"
				      "control-socket-mode: \"0660\"\n"
				      "log-level: info\n"
				      "peers: []\n"
				      "services: []\n");
	conf_free(c);
}

static void accepted_forms(void **state)
{
	(void)state;
	/* flow style, quoted strings, BOM, CRLF, explicit document markers,
	 * hold-time in other units, next-hop per family with self, iBGP */
	struct conf *c = parse_ok("\xef\xbb\xbf---\r\n{\"router-id\": '1.2.3.4', local-as: 1,\r\n"
				  " peers: [{name: a, address: '::1', remote-as: 1, hold-time: 2m,\r\n"
				  "  next-hop: {ipv4: self, ipv6: 2001:db8::9}}],\r\n"
				  " services: []}\r\n...\r\n");
	assert_int_equal(c->router_id, 0x01020304);
	assert_int_equal(c->peers[0].hold_time, 120);
	assert_int_equal(c->peers[0].remote_as, c->local_as);
	assert_int_equal(c->peers[0].next_hop.v4.family, ADDR_NONE);
	assert_int_equal(c->peers[0].next_hop.v6.family, ADDR_V6);
	conf_free(c);
	/* router-id may be any non-zero value, even one that looks multicast */
	c = parse_ok("router-id: 255.255.255.255\nlocal-as: 4294967295\n");
	assert_int_equal(c->router_id, 0xffffffffu);
	conf_free(c);
	c = parse_ok(BASE "peers:\n  - name: a\n    address: 192.0.2.1\n    remote-as: 1\n"
		     "    hold-time: 65535000ms\n    port: 65535\n    multihop: 255\n"
		     "    next-hop: {}\n");
	assert_int_equal(c->peers[0].hold_time, 65535);
	assert_int_equal(c->peers[0].multihop, 255);
	assert_int_equal(c->peers[0].next_hop.v4.family, ADDR_NONE);
	conf_free(c);
	/* a password of 80 bytes, with characters that need quoting */
	c = parse_ok(BASE PEER "    password: \"a\\\"b\\\\c\\td\\u00e9\\x01"
			       "6789012345678901234567890123456789012345678901234567890123456789"
			       "012345\"\n");
	assert_int_equal(strlen(c->peers[0].password), 80);
	assert_memory_equal(c->peers[0].password, "a\"b\\c\td\xc3\xa9\x01" "6789", 13);
	conf_free(c);
}

static void not_nul_terminated(void **state)
{
	(void)state;
	const char text[] = BASE "local-as: 5\n";
	struct conf *c = NULL;
	/* only the first two lines: the duplicate key is beyond len */
	assert_int_equal(conf_parse(text, strlen(BASE), NULL, &c, NULL), 0);
	assert_int_equal(c->local_as, 64600);
	conf_free(c);
	struct conf_error e;
	char msg[200];
	assert_int_equal(conf_parse(NULL, 0, NULL, &c, &e), -1);
	assert_null(c);
	assert_string_equal(conf_error_format(&e, msg, sizeof msg), "-:1:1: configuration is empty");
	assert_int_equal(conf_parse(text, sizeof text - 1, "f", &c, NULL), -1);
	/* the output is cut at the capacity */
	conf_error_format(&e, msg, 6);
	assert_string_equal(msg, "-:1:1");
}

struct bad {
	const char *yaml;
	const char *error;
};

#define P0 BASE PEER
static const struct bad bad_cases[] = {
	/* documents */
	{"", "t.yaml:1:1: configuration is empty"},
	{"# nothing here\n\n", "t.yaml:1:1: configuration is empty"},
	{"---\n", "t.yaml:1:1: configuration is empty"},
	{"~\n", "t.yaml:1:1: configuration is empty"},
	{"- a\n", "t.yaml:1:1: expected a mapping at the top level, got a list"},
	{"hello\n", "t.yaml:1:1: expected a mapping at the top level, got 'hello'"},
	{BASE "---\nlocal-as: 1\n", "t.yaml:3:1: only one YAML document is allowed"},
	{BASE "peers: [\n", "t.yaml:4:1: syntax error: did not find expected node content "
			    "(while parsing a flow node at 4:1)"},
	{BASE "peers: []\n services: []\n",
	 "t.yaml:4:2: syntax error: did not find expected key (while parsing a block mapping at 1:1)"},
	{BASE "\tpeers: []\n", "t.yaml:3:1: syntax error: found a tab character that violates "
			       "indentation (while scanning a plain scalar at 2:11)"},
	{BASE "control-socket: \"abc\n", "t.yaml:4:1: syntax error: found unexpected end of "
					 "stream (while scanning a quoted scalar at 3:17)"},
	{BASE "peers: a: b\n", "t.yaml:3:9: syntax error: mapping values are not allowed in this "
				"context"},
	/* syntax errors come before errors in the content */
	{BASE "x: 1\npeers: [\n", "t.yaml:5:1: syntax error: did not find expected node content "
				  "(while parsing a flow node at 5:1)"},
	{BASE "peers: []\n\xff\n", "t.yaml:4:1: invalid text: invalid leading UTF-8 octet (#xFF)"},
	{"router-id: 1.2.3.4\nlocal-as: \x01\n",
	 "t.yaml:2:11: invalid text: control characters are not allowed (#x1)"},
	/* YAML's line breaks: CR LF, LS (U+2028) */
	{"router-id: 1.2.3.4\r\n# a\r\n  \xff\n",
	 "t.yaml:3:3: invalid text: invalid leading UTF-8 octet (#xFF)"},
	{"router-id: 1.2.3.4\n# a\xe2\x80\xa8" "b\n  \xff\n",
	 "t.yaml:4:3: invalid text: invalid leading UTF-8 octet (#xFF)"},
	{"\xff\xfer\0", "t.yaml:1:1: invalid text: invalid leading UTF-8 octet (#xFF)"},
	{BASE "peers: &p []\n", "t.yaml:3:8: YAML anchors are not supported (&p)"},
	{BASE "peers: *p\n", "t.yaml:3:8: YAML aliases are not supported (*p)"},
	{BASE "peers: !!seq []\n",
	 "t.yaml:3:8: YAML tags are not supported (!!seq)"},
	{BASE "? [a]\n: 1\n", "t.yaml:3:3: expected a key, got a list"},
	{BASE "{: 1}\n", "t.yaml:4:1: syntax error: could not find expected ':' (while scanning "
			  "a simple key at 3:1)"},
	{BASE "? \n: 1\n", "t.yaml:3:2: expected a key, got an empty value"},
	/* keys */
	{BASE "peer: []\n", "t.yaml:3:1: unknown key 'peer' (did you mean 'peers'?)"},
	{BASE "colour: red\n", "t.yaml:3:1: unknown key 'colour'"},
	{BASE "local-as: 1\n", "t.yaml:3:1: duplicate key 'local-as' (first at line 2)"},
	{"local-as: 1\n", "t.yaml:1:1: missing required key 'router-id'"},
	{"router-id: 1.2.3.4\n", "t.yaml:1:1: missing required key 'local-as'"},
	{P0 "    hold-tme: 9s\n",
	 "t.yaml:7:5: peers[0]: unknown key 'hold-tme' (did you mean 'hold-time'?)"},
	{P0 "    hold-tiem: 9s\n",
	 "t.yaml:7:5: peers[0]: unknown key 'hold-tiem' (did you mean 'hold-time'?)"},
	{P0 "    remote-as: 1\n", "t.yaml:7:5: peers[0]: duplicate key 'remote-as' (first at line 6)"},
	{BASE "peers:\n  - name: r1\n    address: 198.51.100.1\n",
	 "t.yaml:4:5: peers[0]: missing required key 'remote-as'"},
	{BASE "peers: [{name: r1, remote-as: 1}]\n",
	 "t.yaml:3:9: peers[0]: missing required key 'address'"},
	{P0 "    next-hop: {ipv4: self, ipv5: self}\n",
	 "t.yaml:7:28: peers[0].next-hop: unknown key 'ipv5' (did you mean 'ipv4'?)"},
	{BASE "services: [{name: a, prefixes: [10.0.0.0/8], prefix: []}]\n",
	 "t.yaml:3:46: services[0]: unknown key 'prefix' (did you mean 'prefixes'?)"},
	{BASE "services: [{prefixes: [10.0.0.0/8]}]\n",
	 "t.yaml:3:12: services[0]: missing required key 'name'"},
	{BASE "services: [{name: a}]\n",
	 "t.yaml:3:12: services[0]: missing required key 'prefixes'"},
	/* types */
	{BASE "peers:\n", "t.yaml:3:7: peers: expected a list, got an empty value (write [] for none)"},
	{BASE "peers: {}\n", "t.yaml:3:8: peers: expected a list, got a mapping"},
	{BASE "services: dns\n", "t.yaml:3:11: services: expected a list, got 'dns'"},
	{BASE "peers: [r1]\n", "t.yaml:3:9: peers[0]: expected a mapping (one peer), got 'r1'"},
	{BASE "services: [[]]\n",
	 "t.yaml:3:12: services[0]: expected a mapping (one service), got a list"},
	{"router-id: [1.2.3.4]\nlocal-as: 1\n",
	 "t.yaml:1:12: router-id: expected an IPv4 address, got a list"},
	{"router-id:\nlocal-as: 1\n",
	 "t.yaml:1:11: router-id: expected an IPv4 address, got an empty value"},
	{P0 "    name: {}\n", "t.yaml:7:5: peers[0]: duplicate key 'name' (first at line 4)"},
	{P0 "    passive: yes\n", "t.yaml:7:14: peers[0].passive: expected true or false, got 'yes'"},
	{P0 "    passive: \"true\"\n",
	 "t.yaml:7:14: peers[0].passive: expected true or false, got 'true'"},
	{P0 "    ttl-security: 1\n",
	 "t.yaml:7:19: peers[0].ttl-security: expected true or false, got '1'"},
	{P0 "    port: \"179\"\n",
	 "t.yaml:7:11: peers[0].port: expected a number in 1..65535, got the quoted string '179'"},
	{P0 "    port: [179]\n", "t.yaml:7:11: peers[0].port: expected a number in 1..65535, got a list"},
	{P0 "    password: [a]\n", "t.yaml:7:15: peers[0].password: expected a password, got a list"},
	{P0 "    hold-time: {}\n",
	 "t.yaml:7:16: peers[0].hold-time: expected a duration such as 250ms, 90s or 5m, got a mapping"},
	{P0 "    next-hop: [self]\n",
	 "t.yaml:7:15: peers[0].next-hop: expected self or a mapping with ipv4 and/or ipv6, got a list"},
	{P0 "    next-hop: other\n", "t.yaml:7:15: peers[0].next-hop: expected self or a mapping "
				      "with ipv4 and/or ipv6, got 'other'"},
	{P0 "    next-hop: {ipv6: []}\n",
	 "t.yaml:7:22: peers[0].next-hop.ipv6: expected self or an IPv6 address, got a list"},
	{BASE "services: [{name: a, prefixes: 10.0.0.0/8}]\n",
	 "t.yaml:3:32: services[0].prefixes: expected a list, got '10.0.0.0/8'"},
	{BASE "services: [{name: a, prefixes: [[10.0.0.0/8]]}]\n",
	 "t.yaml:3:33: services[0].prefixes[0]: expected a prefix, got a list"},
	/* values */
	{"router-id: 0.0.0.0\nlocal-as: 1\n", "t.yaml:1:12: router-id: the router-id must not be 0.0.0.0"},
	{"router-id: 2001:db8::1\nlocal-as: 1\n",
	 "t.yaml:1:12: router-id: expected an IPv4 address, got '2001:db8::1'"},
	{"router-id: 1.2.3\nlocal-as: 1\n", "t.yaml:1:12: router-id: expected an IPv4 address, got '1.2.3'"},
	{"router-id: 1.2.3.4\nlocal-as: 0\n", "t.yaml:2:11: local-as: 0 is out of range (1..4294967295)"},
	{"router-id: 1.2.3.4\nlocal-as: 4294967296\n",
	 "t.yaml:2:11: local-as: 4294967296 is out of range (1..4294967295)"},
	{"router-id: 1.2.3.4\nlocal-as: 99999999999999999999999\n",
	 "t.yaml:2:11: local-as: 99999999999999999999999 is out of range (1..4294967295)"},
	{"router-id: 1.2.3.4\nlocal-as: 23456\n",
	 "t.yaml:2:11: local-as: 23456 is AS_TRANS (RFC 6793) and cannot be used as an AS number"},
	{"router-id: 1.2.3.4\nlocal-as: -1\n",
	 "t.yaml:2:11: local-as: expected a number in 1..4294967295, got '-1'"},
	{"router-id: 1.2.3.4\nlocal-as: 1.5\n",
	 "t.yaml:2:11: local-as: expected a number in 1..4294967295, got '1.5'"},
	{"router-id: 1.2.3.4\nlocal-as: 0x10\n",
	 "t.yaml:2:11: local-as: expected a number in 1..4294967295, got '0x10'"},
	{"router-id: 1.2.3.4\nlocal-as: 010\n", "t.yaml:2:11: local-as: leading zeros are not allowed in '010'"},
	{BASE "control-socket: run/x.sock\n",
	 "t.yaml:3:17: control-socket: expected an absolute path, got 'run/x.sock'"},
	{BASE "control-socket: \"/a\\0b\"\n", "t.yaml:3:17: control-socket: NUL characters are not allowed"},
	{BASE "control-socket: /0123456789012345678901234567890123456789012345678901234567890123456789"
	      "0123456789012345678901234567890123456\n",
	 "t.yaml:3:17: control-socket: the path is 108 bytes long; a socket path holds at most 107"},
	{BASE "peers: [{name: '', address: 192.0.2.1, remote-as: 1}]\n",
	 "t.yaml:3:16: peers[0].name: expected a name, got ''"},
	{BASE "peers: [{name: a b, address: 192.0.2.1, remote-as: 1}]\n",
	 "t.yaml:3:16: peers[0].name: invalid name 'a b' (letters, digits, '_', '.' and '-' only)"},
	{BASE "peers: [{name: a\\x01, address: 192.0.2.1, remote-as: 1}]\n",
	 "t.yaml:3:16: peers[0].name: invalid name 'a\\x5cx01' (letters, digits, '_', '.' and '-' only)"},
	{BASE "peers: [{name: 0123456789012345678901234567890123456789012345678901234567890123, "
	      "address: 192.0.2.1, remote-as: 1}]\n",
	 "t.yaml:3:16: peers[0].name: name '0123456789012345678901234567890123456789...' is longer "
	 "than 63 characters"},
	{BASE "peers: [{name: a, address: 192.0.2.300, remote-as: 1}]\n",
	 "t.yaml:3:28: peers[0].address: expected an IPv4 or IPv6 address, got '192.0.2.300'"},
	{BASE "peers: [{name: a, address: 0.0.0.0, remote-as: 1}]\n",
	 "t.yaml:3:28: peers[0].address: the unspecified address 0.0.0.0 is not allowed"},
	{BASE "peers: [{name: a, address: '::', remote-as: 1}]\n",
	 "t.yaml:3:28: peers[0].address: the unspecified address :: is not allowed"},
	{BASE "peers: [{name: a, address: 224.0.0.5, remote-as: 1}]\n",
	 "t.yaml:3:28: peers[0].address: the multicast address 224.0.0.5 is not allowed"},
	{BASE "peers: [{name: a, address: 'ff02::5', remote-as: 1}]\n",
	 "t.yaml:3:28: peers[0].address: the multicast address ff02::5 is not allowed"},
	{BASE "peers: [{name: a, address: 'fe80::1%eth0', remote-as: 1}]\n",
	 "t.yaml:3:28: peers[0].address: expected an IPv4 or IPv6 address, got 'fe80::1%eth0'"},
	{BASE "peers: [{name: a, address: 192.0.2.1, remote-as: 23456}]\n",
	 "t.yaml:3:50: peers[0].remote-as: 23456 is AS_TRANS (RFC 6793) and cannot be used as an AS "
	 "number"},
	{P0 "    local-address: 2001:db8::2\n", "t.yaml:7:20: peers[0].local-address: 2001:db8::2 is "
					     "not of the same address family as address 198.51.100.1"},
	{P0 "    port: 0\n", "t.yaml:7:11: peers[0].port: 0 is out of range (1..65535)"},
	{P0 "    port: 65536\n", "t.yaml:7:11: peers[0].port: 65536 is out of range (1..65535)"},
	{P0 "    hold-time: 9x\n", "t.yaml:7:16: peers[0].hold-time: invalid duration '9x' "
				 "(expected digits and a unit: ms, s or m)"},
	{P0 "    hold-time: -1s\n", "t.yaml:7:16: peers[0].hold-time: invalid duration '-1s' "
				  "(expected digits and a unit: ms, s or m)"},
	{P0 "    hold-time: 90\n", "t.yaml:7:16: peers[0].hold-time: invalid duration '90' "
				 "(expected digits and a unit: ms, s or m)"},
	{P0 "    hold-time: 1h\n", "t.yaml:7:16: peers[0].hold-time: invalid duration '1h' "
				 "(expected digits and a unit: ms, s or m)"},
	{P0 "    hold-time: 9 s\n", "t.yaml:7:16: peers[0].hold-time: invalid duration '9 s' "
				  "(expected digits and a unit: ms, s or m)"},
	{P0 "    hold-time: 99999999999999999999999s\n",
	 "t.yaml:7:16: peers[0].hold-time: duration '99999999999999999999999s' is too large "
	 "(at most 2147483647ms)"},
	{P0 "    hold-time: 0s\n", "t.yaml:7:16: peers[0].hold-time: a hold-time of 0 is refused: "
				 "the session would never notice a dead peer"},
	{P0 "    hold-time: 2s\n", "t.yaml:7:16: peers[0].hold-time: '2s' is out of range (3s..65535s)"},
	{P0 "    hold-time: 65536s\n",
	 "t.yaml:7:16: peers[0].hold-time: '65536s' is out of range (3s..65535s)"},
	{P0 "    hold-time: 9500ms\n",
	 "t.yaml:7:16: peers[0].hold-time: '9500ms' is not a whole number of seconds"},
	{P0 "    password: \"\"\n", "t.yaml:7:15: peers[0].password: expected a password, got ''"},
	{P0 "    password: 012345678901234567890123456789012345678901234567890123456789"
	    "012345678901234567890\n",
	 "t.yaml:7:15: peers[0].password: the password is 81 bytes long; TCP-MD5 allows at most 80"},
	{P0 "    password: \"a\\0b\"\n", "t.yaml:7:15: peers[0].password: NUL characters are not allowed"},
	{P0 "    multihop: 0\n", "t.yaml:7:15: peers[0].multihop: 0 is out of range (1..255)"},
	{P0 "    multihop: 256\n", "t.yaml:7:15: peers[0].multihop: 256 is out of range (1..255)"},
	{P0 "    multihop: 2\n    ttl-security: true\n",
	 "t.yaml:8:19: peers[0].ttl-security: ttl-security and multihop cannot be used together"},
	{P0 "    ttl-security: true\n    multihop: 2\n",
	 "t.yaml:8:15: peers[0].multihop: ttl-security and multihop cannot be used together"},
	{P0 "    multihop: 2\n    remote-as: 64600\n",
	 "t.yaml:8:5: peers[0]: duplicate key 'remote-as' (first at line 6)"},
	{"peers: [{name: a, address: 192.0.2.1, remote-as: 7, multihop: 2}]\n"
	 "router-id: 1.2.3.4\nlocal-as: 7\n",
	 "t.yaml:1:63: peers[0].multihop: multihop is for eBGP only (remote-as is local-as 7)"},
	{P0 "    next-hop: {ipv4: 2001:db8::1}\n",
	 "t.yaml:7:22: peers[0].next-hop.ipv4: expected an IPv4 address, got '2001:db8::1'"},
	{P0 "    next-hop: {ipv6: 192.0.2.1}\n",
	 "t.yaml:7:22: peers[0].next-hop.ipv6: expected an IPv6 address, got '192.0.2.1'"},
	{P0 "    next-hop: {ipv4: 0.0.0.0}\n",
	 "t.yaml:7:22: peers[0].next-hop.ipv4: the unspecified address 0.0.0.0 is not allowed"},
	{P0 "    next-hop: {ipv4: self, ipv4: self}\n",
	 "t.yaml:7:28: peers[0].next-hop: duplicate key 'ipv4' (first at line 7)"},
	{P0 "  - name: r1\n    address: 198.51.100.9\n    remote-as: 1\n",
	 "t.yaml:7:11: peers[1].name: duplicate peer name 'r1' (first at line 4)"},
	{P0 "  - name: r2\n    address: 198.51.100.1\n    remote-as: 1\n",
	 "t.yaml:8:14: peers[1].address: duplicate peer address 198.51.100.1 (peer 'r1' at line 5)"},
	{P0 "  - name: r2\n    address: 2001:db8::1\n    remote-as: 1\n"
	    "  - name: r3\n    address: 2001:db8:0::1\n    remote-as: 1\n",
	 "t.yaml:11:14: peers[2].address: duplicate peer address 2001:db8::1 (peer 'r2' at line 8)"},
	/* services and prefixes */
	{BASE "services: [{name: a, prefixes: [203.0.113.1/24]}]\n",
	 "t.yaml:3:33: services[0].prefixes[0]: host bits set in 203.0.113.1/24 (did you mean "
	 "203.0.113.0/24?)"},
	{BASE "services: [{name: a, prefixes: ['2001:db8::1/32']}]\n",
	 "t.yaml:3:33: services[0].prefixes[0]: host bits set in 2001:db8::1/32 (did you mean "
	 "2001:db8::/32?)"},
	{BASE "services: [{name: a, prefixes: [0.0.0.0/0]}]\n",
	 "t.yaml:3:33: services[0].prefixes[0]: the default route 0.0.0.0/0 is not allowed"},
	{BASE "services: [{name: a, prefixes: ['::/0']}]\n",
	 "t.yaml:3:33: services[0].prefixes[0]: the default route ::/0 is not allowed"},
	{BASE "services: [{name: a, prefixes: [10.0.0.0/33]}]\n",
	 "t.yaml:3:33: services[0].prefixes[0]: expected a prefix such as 203.0.113.0/24, got "
	 "'10.0.0.0/33'"},
	{BASE "services: [{name: a, prefixes: [dns]}]\n",
	 "t.yaml:3:33: services[0].prefixes[0]: expected a prefix such as 203.0.113.0/24, got 'dns'"},
	{BASE "services: [{name: a, prefixes: []}]\n",
	 "t.yaml:3:32: services[0].prefixes: a service needs at least one prefix"},
	{BASE "services:\n  - name: a\n    prefixes:\n      - 10.0.0.0/8\n      - 10.1.0.0/16\n"
	      "      - 10.0.0.0/8\n",
	 "t.yaml:8:9: services[0].prefixes[2]: duplicate prefix 10.0.0.0/8 (first at line 6)"},
	{BASE "services:\n  - name: a\n    prefixes: [10.0.0.0/8, 2001:db8::/32]\n"
	      "  - name: b\n    prefixes: [10.1.0.0/16, '2001:db8:0::/32', 10.0.0.0/8]\n",
	 "t.yaml:7:29: services[1].prefixes[1]: prefix 2001:db8::/32 is already in service 'a' "
	 "(line 5)"},
	{BASE "services:\n  - name: a\n    prefixes: [10.0.0.0/8]\n  - name: a\n    prefixes: [10.1.0.0/16]\n",
	 "t.yaml:6:11: services[1].name: duplicate service name 'a' (first at line 4)"},
};

static void rejections(void **state)
{
	(void)state;
	size_t failed = 0;
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++)
		failed += !check_error(bad_cases[i].yaml, bad_cases[i].error);
	assert_int_equal(failed, 0);
}

static void error_with_binary_length(void **state)
{
	(void)state;
	/* a NUL inside the text is a control character */
	static const char t[] = "router-id: 1.2.3.4\n\0local-as: 1\n";
	struct conf *c;
	struct conf_error e;
	char msg[200];
	assert_int_equal(conf_parse(t, sizeof t - 1, "t.yaml", &c, &e), -1);
	assert_string_equal(conf_error_format(&e, msg, sizeof msg),
			    "t.yaml:2:1: invalid text: control characters are not allowed (#x0)");
}

static void reprint(const char *yaml, const char *want)
{
	struct conf *c = parse_ok(yaml);
	char *first = strdup(print(c));
	assert_non_null(first);
	if (want)
		assert_string_equal(first, want);
	conf_free(c);
	c = parse_ok(first);
	assert_string_equal(print(c), first);
	conf_free(c);
	free(first);
}

static void print_is_idempotent(void **state)
{
	(void)state;
	reprint(BASE PEER "    local-address: 198.51.100.2\n    port: 1790\n    passive: true\n"
			  "    hold-time: 3000ms\n    password: \"p\\\"w\\\\d \\t\\n\\u2028\\x7f\\u00e9\"\n"
			  "    multihop: 3\n    next-hop: {ipv6: 2001:db8::5}\n",
		"router-id: 198.51.100.2\n"
		"local-as: 64600\n"
		"control-socket: /run/anycastd/anycastd.sock\n"
		"control-socket-mode: \"0660\"\n"
		"log-level: info\n"
		"peers:\n"
		"  - name: r1\n"
		"    address: 198.51.100.1\n"
		"    remote-as: 64501\n"
		"    local-address: 198.51.100.2\n"
		"    port: 1790\n"
		"    passive: true\n"
		"    hold-time: 3s\n"
		"    password: \"p\\\"w\\\\d \\t\\n\\u2028\\x7f\xc3\xa9\"\n"
		"    ttl-security: false\n"
		"    multihop: 3\n"
		"    next-hop:\n"
		"      ipv4: self\n"
		"      ipv6: 2001:db8::5\n"
		"services: []\n");
	/* names and paths that must be quoted; IPv6 beginning with ':' */
	reprint(BASE "control-socket: \"/run/any castd/#x.sock\"\n"
		     "peers: [{name: 'true', address: '::1', remote-as: 1, hold-time: 180s},\n"
		     "        {name: '-', address: '::2', remote-as: 1, hold-time: 120000ms},\n"
		     "        {name: '1', address: '2001:db8::', remote-as: 1, hold-time: 90s}]\n"
		     "services: [{name: .x, prefixes: ['::3/128', '2001:DB8::/48', 10.0.0.0/8]},\n"
		     "           {name: 'Null', prefixes: ['::2']}]\n",
		"router-id: 198.51.100.2\n"
		"local-as: 64600\n"
		"control-socket: \"/run/any castd/#x.sock\"\n"
		"control-socket-mode: \"0660\"\n"
		"log-level: info\n"
		"peers:\n"
		"  - name: \"true\"\n"
		"    address: \"::1\"\n"
		"    remote-as: 1\n"
		"    port: 179\n"
		"    passive: false\n"
		"    hold-time: 3m\n"
		"    ttl-security: false\n"
		"    next-hop: self\n"
		"  - name: \"-\"\n"
		"    address: \"::2\"\n"
		"    remote-as: 1\n"
		"    port: 179\n"
		"    passive: false\n"
		"    hold-time: 2m\n"
		"    ttl-security: false\n"
		"    next-hop: self\n"
		"  - name: \"1\"\n"
		"    address: \"2001:db8::\"\n"
		"    remote-as: 1\n"
		"    port: 179\n"
		"    passive: false\n"
		"    hold-time: 90s\n"
		"    ttl-security: false\n"
		"    next-hop: self\n"
		"services:\n"
		"  - name: \".x\"\n"
		"    prefixes:\n"
		"      - 10.0.0.0/8\n"
		"      - \"::3/128\"\n"
		"      - 2001:db8::/48\n" SVC_DEFAULTS
		"  - name: \"Null\"\n"
		"    prefixes:\n"
		"      - \"::2/128\"\n" SVC_DEFAULTS);
}

static void print_truncates(void **state)
{
	(void)state;
	struct conf *c = parse_ok(BASE PEER);
	char b[40];
	struct strbuf sb;
	strbuf_init(&sb, b, sizeof b);
	conf_print(c, &sb);
	assert_true(sb.truncated);
	assert_int_equal(strlen(b), sizeof b - 1);
	conf_free(c);
}

static void durations(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		enum conf_duration_status st;
		int64_t ms;
		const char *out;
	} cases[] = {
		{"0ms", CONF_DURATION_OK, 0, "0s"},
		{"0s", CONF_DURATION_OK, 0, "0s"},
		{"0m", CONF_DURATION_OK, 0, "0s"},
		{"1ms", CONF_DURATION_OK, 1, "1ms"},
		{"1500ms", CONF_DURATION_OK, 1500, "1500ms"},
		{"2000ms", CONF_DURATION_OK, 2000, "2s"},
		{"60s", CONF_DURATION_OK, 60000, "1m"},
		{"90s", CONF_DURATION_OK, 90000, "90s"},
		{"120000ms", CONF_DURATION_OK, 120000, "2m"},
		{"35791m", CONF_DURATION_OK, 2147460000, "35791m"},
		{"2147483s", CONF_DURATION_OK, 2147483000, "2147483s"},
		{"2147483647ms", CONF_DURATION_OK, 2147483647, "2147483647ms"},
		{"2147483648ms", CONF_DURATION_RANGE, 0, NULL},
		{"2147484s", CONF_DURATION_RANGE, 0, NULL},
		{"35792m", CONF_DURATION_RANGE, 0, NULL},
		{"999999999999999999999999999m", CONF_DURATION_RANGE, 0, NULL},
		{"", CONF_DURATION_SYNTAX, 0, NULL},
		{"s", CONF_DURATION_SYNTAX, 0, NULL},
		{"10", CONF_DURATION_SYNTAX, 0, NULL},
		{"10S", CONF_DURATION_SYNTAX, 0, NULL},
		{"10 s", CONF_DURATION_SYNTAX, 0, NULL},
		{"10sec", CONF_DURATION_SYNTAX, 0, NULL},
		{"-1s", CONF_DURATION_SYNTAX, 0, NULL},
		{"+1s", CONF_DURATION_SYNTAX, 0, NULL},
		{"1.5s", CONF_DURATION_SYNTAX, 0, NULL},
		{"01s", CONF_DURATION_SYNTAX, 0, NULL},
		{"1m30s", CONF_DURATION_SYNTAX, 0, NULL},
		{"1h", CONF_DURATION_SYNTAX, 0, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t ms = -1;
		char t[CONF_DURATION_STRLEN];
		if (conf_duration_parse(cases[i].in, &ms) != cases[i].st)
			fail_msg("%s: status %d", cases[i].in, conf_duration_parse(cases[i].in, &ms));
		if (cases[i].st != CONF_DURATION_OK)
			continue;
		assert_int_equal(ms, cases[i].ms);
		conf_duration_format(ms, t, sizeof t);
		assert_string_equal(t, cases[i].out);
	}
	char t[CONF_DURATION_STRLEN];
	conf_duration_format(INT64_MAX, t, sizeof t);
	assert_string_equal(t, "9223372036854775807ms");
}

#define DIFF_OLD                                                                         \
	"router-id: 1.2.3.4\nlocal-as: 64600\n"                                          \
	"peers:\n"                                                                       \
	"  - {name: same, address: 192.0.2.1, remote-as: 1}\n"                           \
	"  - {name: gone, address: 192.0.2.2, remote-as: 2}\n"                           \
	"  - {name: hold, address: 192.0.2.3, remote-as: 3}\n"                           \
	"  - {name: nh, address: 192.0.2.4, remote-as: 4}\n"                             \
	"services:\n"                                                                    \
	"  - {name: dns, prefixes: [203.0.113.53/32, '2001:db8:53::53/128']}\n"          \
	"  - {name: web, prefixes: [203.0.113.80/32]}\n"                                 \
	"  - {name: ntp, prefixes: [203.0.113.123/32]}\n"

static void diff_cases(void **state)
{
	(void)state;
	struct conf *o = parse_ok(DIFF_OLD);
	/* reordered, one peer added, one removed, two changed; dns has the
	 * same set in another order, web changed, ntp removed, mail added */
	struct conf *n = parse_ok(
		"router-id: 1.2.3.4\nlocal-as: 64600\ncontrol-socket: /tmp/a.sock\n"
		"peers:\n"
		"  - {name: new, address: 192.0.2.2, remote-as: 2}\n"
		"  - {name: nh, address: 192.0.2.4, remote-as: 4, next-hop: {ipv4: 192.0.2.9}}\n"
		"  - {name: hold, address: 192.0.2.3, remote-as: 3, hold-time: 9s}\n"
		"  - {name: same, address: 192.0.2.1, remote-as: 1, port: 179, hold-time: 90000ms}\n"
		"services:\n"
		"  - {name: mail, prefixes: [203.0.113.25/32]}\n"
		"  - {name: web, prefixes: [203.0.113.80/32, 203.0.113.81/32]}\n"
		"  - {name: dns, prefixes: ['2001:db8:53::53/128', 203.0.113.53/32]}\n");
	struct conf_diff d;
	assert_int_equal(conf_diff(o, n, &d), 0);
	assert_false(d.restart_all);
	assert_true(d.control_socket);
	assert_int_equal(d.old_peers[0].change, CONF_UNCHANGED);
	assert_int_equal(d.old_peers[0].other, 3);
	assert_int_equal(d.old_peers[1].change, CONF_REMOVED);
	assert_int_equal(d.old_peers[1].other, SIZE_MAX);
	assert_int_equal(d.old_peers[2].change, CONF_CHANGED);
	assert_int_equal(d.old_peers[2].other, 2);
	assert_int_equal(d.old_peers[3].change, CONF_CHANGED);
	assert_int_equal(d.new_peers[0].change, CONF_ADDED);
	assert_int_equal(d.new_peers[0].other, SIZE_MAX);
	assert_int_equal(d.new_peers[1].change, CONF_CHANGED);
	assert_int_equal(d.new_peers[1].other, 3);
	assert_int_equal(d.new_peers[3].change, CONF_UNCHANGED);
	assert_int_equal(d.new_peers[3].other, 0);
	assert_int_equal(d.peers_added, 1);
	assert_int_equal(d.peers_removed, 1);
	assert_int_equal(d.peers_changed, 2);
	assert_int_equal(d.peers_unchanged, 1);
	assert_int_equal(d.old_services[0].change, CONF_UNCHANGED);
	assert_int_equal(d.old_services[0].other, 2);
	assert_int_equal(d.old_services[1].change, CONF_CHANGED);
	assert_int_equal(d.old_services[2].change, CONF_REMOVED);
	assert_int_equal(d.new_services[0].change, CONF_ADDED);
	assert_int_equal(d.new_services[1].change, CONF_CHANGED);
	assert_int_equal(d.new_services[1].other, 1);
	assert_int_equal(d.services_added, 1);
	assert_int_equal(d.services_removed, 1);
	assert_int_equal(d.services_changed, 1);
	assert_int_equal(d.services_unchanged, 1);
	assert_string_equal(conf_change_name(d.old_peers[2].change), "changed");
	conf_diff_clear(&d);
	assert_null(d.old_peers);
	conf_diff_clear(&d); /* twice is fine */
	conf_free(n);

	/* every peer setting counts as changed */
	static const char *const tweaks[] = {
		"address: 192.0.2.99, remote-as: 1",
		"address: 192.0.2.1, remote-as: 99",
		"address: 192.0.2.1, remote-as: 1, local-address: 192.0.2.200",
		"address: 192.0.2.1, remote-as: 1, port: 1179",
		"address: 192.0.2.1, remote-as: 1, passive: true",
		"address: 192.0.2.1, remote-as: 1, hold-time: 30s",
		"address: 192.0.2.1, remote-as: 1, password: x",
		"address: 192.0.2.1, remote-as: 1, ttl-security: true",
		"address: 192.0.2.1, remote-as: 1, multihop: 2",
		"address: 192.0.2.1, remote-as: 1, next-hop: {ipv6: 2001:db8::1}",
	};
	for (size_t i = 0; i < sizeof tweaks / sizeof tweaks[0]; i++) {
		char y[2048];
		snprintf(y, sizeof y, "router-id: 1.2.3.4\nlocal-as: 64600\npeers:\n"
				      "  - {name: same, %s}\n",
			 tweaks[i]);
		n = parse_ok(y);
		assert_int_equal(conf_diff(o, n, &d), 0);
		if (d.new_peers[0].change != CONF_CHANGED)
			fail_msg("%s: not seen as changed", tweaks[i]);
		assert_int_equal(d.services_removed, 3);
		conf_diff_clear(&d);
		conf_free(n);
	}

	/* a new router-id or local-as restarts everything */
	static const char *const globals[] = {"router-id: 1.2.3.5\nlocal-as: 64600\n",
					      "router-id: 1.2.3.4\nlocal-as: 64601\n"};
	for (size_t i = 0; i < 2; i++) {
		char y[2048];
		snprintf(y, sizeof y, "%s%s", globals[i], strstr(DIFF_OLD, "peers:"));
		n = parse_ok(y);
		assert_int_equal(conf_diff(o, n, &d), 0);
		assert_true(d.restart_all);
		assert_false(d.control_socket);
		assert_int_equal(d.peers_changed, 4);
		assert_int_equal(d.peers_unchanged, 0);
		assert_int_equal(d.services_unchanged, 3);
		conf_diff_clear(&d);
		conf_free(n);
	}

	/* identical, and from/to nothing */
	n = parse_ok(DIFF_OLD);
	assert_int_equal(conf_diff(o, n, &d), 0);
	assert_int_equal(d.peers_unchanged, 4);
	assert_int_equal(d.services_unchanged, 3);
	assert_false(d.restart_all || d.control_socket);
	conf_diff_clear(&d);
	conf_free(n);
	n = parse_ok("router-id: 1.2.3.4\nlocal-as: 64600\n");
	assert_int_equal(conf_diff(n, o, &d), 0);
	assert_int_equal(d.peers_added, 4);
	assert_int_equal(d.services_added, 3);
	conf_diff_clear(&d);
	conf_free(n);
	conf_free(o);
}

static void free_null(void **state)
{
	(void)state;
	conf_free(NULL);
	struct conf_diff d = {0};
	conf_diff_clear(&d);
	assert_string_equal(conf_change_name(CONF_UNCHANGED), "unchanged");
	assert_string_equal(conf_change_name(CONF_ADDED), "added");
	assert_string_equal(conf_change_name(CONF_REMOVED), "removed");
}

static void many_prefixes(void **state)
{
	(void)state;
	/* 20000 prefixes, duplicates found by sorting, not by comparing pairs */
	size_t cap = 64 + 20000 * 24;
	char *y = malloc(cap);
	assert_non_null(y);
	struct strbuf sb;
	strbuf_init(&sb, y, cap);
	strbuf_printf(&sb, BASE "services:\n  - name: big\n    prefixes:\n");
	for (unsigned i = 0; i < 20000; i++)
		strbuf_printf(&sb, "      - 10.%u.%u.0/24\n", (19999 - i) >> 8, (19999 - i) & 0xff);
	assert_false(sb.truncated);
	struct conf *c = parse_ok(y);
	assert_int_equal(c->services[0].n_prefixes, 20000);
	for (size_t i = 1; i < 20000; i++)
		assert_true(prefix_cmp(&c->services[0].prefixes[i - 1], &c->services[0].prefixes[i]) < 0);
	conf_free(c);
	strbuf_printf(&sb, "      - 10.0.7.0/24\n");
	expect_error(y, "t.yaml:20006:9: services[0].prefixes[20000]: duplicate prefix 10.0.7.0/24 "
			"(first at line 19998)");
	free(y);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(every_key),
	cmocka_unit_test(defaults_are_explicit),
	cmocka_unit_test(accepted_forms),
	cmocka_unit_test(not_nul_terminated),
	cmocka_unit_test(rejections),
	cmocka_unit_test(error_with_binary_length),
	cmocka_unit_test(print_is_idempotent),
	cmocka_unit_test(print_truncates),
	cmocka_unit_test(durations),
	cmocka_unit_test(diff_cases),
	cmocka_unit_test(free_null),
	cmocka_unit_test(many_prefixes),
};

TEST_MAIN(tests)
