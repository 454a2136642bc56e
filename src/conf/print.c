/* conf_print: the normal form of a config as YAML.  Every value is written
 * so that conf_parse() reads back exactly the same value. */
#include <string.h>
#include <strings.h>

#include "conf/printer.h"
#include "lib/log.h"

/* Plain (unquoted) is kept for the simple strings people write: names and
 * paths that no YAML reader could take for a number, boolean or null. */
static bool plain_ok(const char *s)
{
	static const char *const words[] = {"y", "n", "yes", "no", "on", "off", "true", "false",
					    "null"};
	char c = s[0];
	if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '/'))
		return false;
	if (strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./-") !=
	    strlen(s))
		return false;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcasecmp(s, words[i]) == 0)
			return false;
	return true;
}

/* Decodes one UTF-8 character at s[0..n); returns its length (1 for an
 * invalid byte, with *cp = 0xFFFFFFFF). */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned len = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3
				     : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	*cp = 0xFFFFFFFFu;
	if (len == 0 || len > n)
		return 1;
	uint32_t v = len == 1 ? s[0] : s[0] & (0x7f >> len);
	for (unsigned i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 1;
		v = (v << 6) | (s[i] & 0x3f);
	}
	*cp = v;
	return len;
}

/* Characters YAML readers take as printable inside a double-quoted scalar
 * and that are no line break: everything else is escaped. */
static bool dq_literal(uint32_t cp)
{
	if (cp == '"' || cp == '\\')
		return false;
	return (cp >= 0x20 && cp < 0x7f) || (cp >= 0xa0 && cp < 0xd800 && cp != 0x2028 && cp != 0x2029) ||
	       (cp >= 0xe000 && cp < 0xfffe && cp != 0xfeff) || (cp >= 0x10000 && cp <= 0x10ffff);
}

void conf_put_quoted(struct strbuf *o, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);
	strbuf_printf(o, "\"");
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = utf8_next(u + i, n - i, &cp);
		if (cp == 0xFFFFFFFFu)
			strbuf_printf(o, "\\x%02x", u[i]);
		else if (dq_literal(cp))
			strbuf_printf(o, "%.*s", (int)len, s + i);
		else if (cp == '"' || cp == '\\')
			strbuf_printf(o, "\\%c", (char)cp);
		else if (cp == '\t' || cp == '\n' || cp == '\r')
			strbuf_printf(o, "\\%c", cp == '\t' ? 't' : cp == '\n' ? 'n' : 'r');
		else if (cp < 0x100)
			strbuf_printf(o, "\\x%02x", (unsigned)cp);
		else if (cp < 0x10000)
			strbuf_printf(o, "\\u%04x", (unsigned)cp);
		else
			strbuf_printf(o, "\\U%08x", (unsigned)cp);
		i += len;
	}
	strbuf_printf(o, "\"");
}

void conf_put_scalar(struct strbuf *o, const char *s)
{
	if (plain_ok(s))
		strbuf_printf(o, "%s", s);
	else
		conf_put_quoted(o, s);
}

void conf_put_string(struct strbuf *o, const char *key, const char *s, const char *indent)
{
	strbuf_printf(o, "%s%s: ", indent, key);
	conf_put_scalar(o, s);
	strbuf_printf(o, "\n");
}

/* IPv6 text may begin with ':' (which YAML readers differ on) or end with
 * ':' (which would make it a key): quote those. */
void conf_put_text(struct strbuf *o, const char *s)
{
	size_t n = strlen(s);
	strbuf_printf(o, n && (s[0] == ':' || s[n - 1] == ':') ? "\"%s\"" : "%s", s);
}

static void put_addr(struct strbuf *o, const char *key, const struct addr *a, const char *indent)
{
	char t[ADDR_STRLEN];
	addr_format(a, t, sizeof t);
	strbuf_printf(o, "%s%s: ", indent, key);
	conf_put_text(o, t);
	strbuf_printf(o, "\n");
}

static void put_next_hop(struct strbuf *o, const struct conf_next_hop *nh)
{
	if (!nh->v4.family && !nh->v6.family) {
		strbuf_printf(o, "    next-hop: self\n");
		return;
	}
	strbuf_printf(o, "    next-hop:\n");
	if (nh->v4.family)
		put_addr(o, "ipv4", &nh->v4, "      ");
	else
		strbuf_printf(o, "      ipv4: self\n");
	if (nh->v6.family)
		put_addr(o, "ipv6", &nh->v6, "      ");
	else
		strbuf_printf(o, "      ipv6: self\n");
}

static void put_peer(struct strbuf *o, const struct conf_peer *p)
{
	char d[CONF_DURATION_STRLEN];
	conf_put_string(o, "name", p->name, "  - ");
	put_addr(o, "address", &p->address, "    ");
	strbuf_printf(o, "    remote-as: %u\n", p->remote_as);
	if (p->local_address.family)
		put_addr(o, "local-address", &p->local_address, "    ");
	strbuf_printf(o, "    port: %u\n", p->port);
	strbuf_printf(o, "    passive: %s\n", p->passive ? "true" : "false");
	conf_duration_format((int64_t)p->hold_time * 1000, d, sizeof d);
	strbuf_printf(o, "    hold-time: %s\n", d);
	if (p->password[0]) {
		strbuf_printf(o, "    password: ");
		conf_put_quoted(o, p->password);
		strbuf_printf(o, "\n");
	}
	if (p->tcp_ao.enabled) {
		strbuf_printf(o, "    tcp-ao:\n      password: ");
		conf_put_quoted(o, p->tcp_ao.password);
		strbuf_printf(o, "\n      send-id: %u\n      recv-id: %u\n      algorithm: %s\n", p->tcp_ao.send_id,
			      p->tcp_ao.recv_id, p->tcp_ao.alg == CONF_AO_AES128_CMAC ? "aes-128-cmac" : "hmac-sha1");
	}
	strbuf_printf(o, "    ttl-security: %s\n", p->ttl_security ? "true" : "false");
	if (p->multihop)
		strbuf_printf(o, "    multihop: %u\n", p->multihop);
	put_next_hop(o, &p->next_hop);
}

void conf_print(const struct conf *c, struct strbuf *out)
{
	struct addr id;
	addr_v4(&id, c->router_id);
	put_addr(out, "router-id", &id, "");
	strbuf_printf(out, "local-as: %u\n", c->local_as);
	conf_put_string(out, "control-socket", c->control_socket, "");
	strbuf_printf(out, "control-socket-mode: \"%04o\"\n", c->control_socket_mode);
	if (c->control_socket_group[0])
		conf_put_string(out, "control-socket-group", c->control_socket_group, "");
	if (c->control_socket_readonly[0])
		conf_put_string(out, "control-socket-readonly", c->control_socket_readonly, "");
	if (c->user[0])
		conf_put_string(out, "user", c->user, "");
	if (c->group[0])
		conf_put_string(out, "group", c->group, "");
	strbuf_printf(out, "log-level: %s\n", log_level_name(c->log_level));
	if (c->metrics) {
		char ep[CONF_ENDPOINT_STRLEN];
		conf_endpoint_format(&c->metrics_addr, c->metrics_port, ep, sizeof ep);
		conf_put_string(out, "metrics-listen", ep, "");
	}
	if (c->n_allowed) {
		strbuf_printf(out, "allowed-prefixes:\n");
		for (size_t i = 0; i < c->n_allowed; i++) {
			char a[PREFIX_STRLEN];
			prefix_format(&c->allowed[i], a, sizeof a);
			strbuf_printf(out, "  - ");
			conf_put_text(out, a);
			strbuf_printf(out, "\n");
		}
	}
	strbuf_printf(out, "peers:%s\n", c->n_peers ? "" : " []");
	for (size_t i = 0; i < c->n_peers && !out->truncated; i++)
		put_peer(out, &c->peers[i]);
	strbuf_printf(out, "services:%s\n", c->n_services ? "" : " []");
	for (size_t i = 0; i < c->n_services && !out->truncated; i++)
		conf_put_service(out, &c->services[i]);
}
