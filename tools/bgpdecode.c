/* bgpdecode: decode BGP messages written as hex and print them.
 *
 *   bgpdecode [--session SPEC] [--roundtrip] [--expect] [FILE...]
 *
 * Input: hex digits, whitespace ignored, lines starting with '#' are
 * comments, except directives:
 *   # session: as4|as2 ebgp|ibgp peer-as=N ext-msg no-first-as
 *   # expect: ok | notify C/S | verdict NAME [C/S] | comm-invalid
 * Messages follow one another as in a TCP stream.
 *
 * --roundtrip  re-encode every message canonically and require the same bytes
 * --expect     compare the outcome of the first message with `# expect:`
 * Exit: 0 ok, 1 mismatch, 2 usage or unreadable input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp/notify.h"
#include "bgp/print.h"
#include "bgp/update.h"

#define MAX_INPUT (1u << 22)

struct input {
	uint8_t *bytes;
	size_t len;
	char session[256];
	char expect[256];
};

static void trim(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
}

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

static int read_input(FILE *f, const char *name, struct input *in)
{
	char line[8192];
	int half = -1;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#') {
			trim(line);
			if (!strncmp(line, "# session:", 10))
				snprintf(in->session, sizeof in->session, "%.200s", line + 10);
			else if (!strncmp(line, "# expect:", 9))
				snprintf(in->expect, sizeof in->expect, "%.200s", line + 10);
			continue;
		}
		for (char *p = line; *p; p++) {
			if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
				continue;
			int v = hexval((unsigned char)*p);
			if (v < 0 || in->len >= MAX_INPUT) {
				fprintf(stderr, "%s: not hex: '%c'\n", name, *p);
				return -1;
			}
			if (half < 0) {
				half = v;
			} else {
				in->bytes[in->len++] = (uint8_t)(half << 4 | v);
				half = -1;
			}
		}
	}
	if (half >= 0) {
		fprintf(stderr, "%s: odd number of hex digits\n", name);
		return -1;
	}
	return 0;
}

static int parse_session(const char *spec, struct bgp_session_params *s)
{
	char buf[256], *save = NULL;
	bgp_session_params_default(s);
	s->as4 = true;
	s->families = BGP_FAM_IPV4 | BGP_FAM_IPV6;
	s->peer_as = 64501;
	s->enforce_first_as = true;
	snprintf(buf, sizeof buf, "%s", spec);
	for (char *t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (!strcmp(t, "as4"))
			s->as4 = true;
		else if (!strcmp(t, "as2"))
			s->as4 = false;
		else if (!strcmp(t, "ibgp"))
			s->ibgp = true, s->enforce_first_as = false;
		else if (!strcmp(t, "ebgp"))
			s->ibgp = false;
		else if (!strcmp(t, "ext-msg"))
			s->ext_message = true, s->max_msg_len = BGP_EXT_MAX_LEN;
		else if (!strcmp(t, "no-first-as"))
			s->enforce_first_as = false;
		else if (!strncmp(t, "peer-as=", 8))
			s->peer_as = (uint32_t)strtoul(t + 8, NULL, 10);
		else {
			fprintf(stderr, "unknown session word '%s'\n", t);
			return -1;
		}
	}
	return 0;
}

/* Re-encodes one message; returns the encoded length or 0 if the type has
 * no encoder for this content. */
static size_t reencode(const uint8_t *msg, size_t len, uint8_t type,
		       const struct bgp_session_params *s, uint8_t *out, size_t cap)
{
	struct buf_writer w;
	struct bgp_error err;
	buf_writer_init(&w, out, cap);
	switch (type) {
	case BGP_OPEN: {
		struct bgp_open o;
		if (!bgp_open_decode(msg, len, &o, &err) || !bgp_open_encode(&o, &w))
			return 0;
		break;
	}
	case BGP_UPDATE: {
		struct bgp_update *u = malloc(sizeof *u);
		bool ok = u && bgp_update_decode(msg, len, s, u) == BGP_VERDICT_OK &&
			  bgp_update_encode(u, s, &w);
		free(u);
		if (!ok)
			return 0;
		break;
	}
	case BGP_NOTIFICATION: {
		struct bgp_notification n;
		bgp_notification_decode(msg, len, &n);
		bgp_notification_encode(n.code, n.subcode, n.data.p, n.data.len, &w);
		break;
	}
	case BGP_KEEPALIVE:
		bgp_keepalive_encode(&w);
		break;
	case BGP_ROUTE_REFRESH: {
		struct bgp_route_refresh rr;
		if (!bgp_route_refresh_decode(msg, len, &rr, &err) || rr.extra)
			return 0;
		bgp_route_refresh_encode(rr.afi, rr.safi, rr.subtype, &w);
		break;
	}
	default:
		return 0;
	}
	return buf_wok(&w) ? w.len : 0;
}

static void outcome(const uint8_t *msg, size_t len, const struct bgp_session_params *s, char *out,
		    size_t cap)
{
	uint8_t type;
	size_t mlen;
	struct bgp_error err = {0};
	enum bgp_frame_result fr = bgp_frame(msg, len, s->max_msg_len, &type, &mlen, &err);
	if (fr == BGP_FRAME_NEED_MORE) {
		snprintf(out, cap, "incomplete");
		return;
	}
	if (fr == BGP_FRAME_ERROR) {
		snprintf(out, cap, "notify %u/%u", err.code, err.subcode);
		return;
	}
	snprintf(out, cap, "ok");
	if (type == BGP_OPEN) {
		struct bgp_open o;
		if (!bgp_open_decode(msg, mlen, &o, &err))
			snprintf(out, cap, "notify %u/%u", err.code, err.subcode);
	} else if (type == BGP_UPDATE) {
		struct bgp_update *u = malloc(sizeof *u);
		if (!u)
			abort();
		enum bgp_verdict v = bgp_update_decode(msg, mlen, s, u);
		if (v == BGP_VERDICT_SESSION_RESET)
			snprintf(out, cap, "verdict %s %u/%u", bgp_verdict_name(v), u->error.code, u->error.subcode);
		else if (v != BGP_VERDICT_OK)
			snprintf(out, cap, "verdict %s", bgp_verdict_name(v));
		free(u);
	} else if (type == BGP_NOTIFICATION) {
		struct bgp_notification n;
		bgp_notification_decode(msg, mlen, &n);
		if (n.has_comm && !n.comm_valid)
			snprintf(out, cap, "comm-invalid");
	} else if (type == BGP_ROUTE_REFRESH) {
		struct bgp_route_refresh rr;
		if (!bgp_route_refresh_decode(msg, mlen, &rr, &err))
			snprintf(out, cap, "notify %u/%u", err.code, err.subcode);
	}
}

static int process(const char *name, struct input *in, const char *session_opt, bool roundtrip,
		   bool expect)
{
	struct bgp_session_params s;
	static char text[1 << 22];
	static uint8_t enc[BGP_EXT_MAX_LEN];
	struct strbuf sb;
	int rc = 0;
	if (parse_session(session_opt ? session_opt : in->session, &s) < 0)
		return 2;
	if (expect) {
		char got[128];
		outcome(in->bytes, in->len, &s, got, sizeof got);
		if (strcmp(got, in->expect) != 0) {
			printf("%s: expected '%s', got '%s'\n", name, in->expect, got);
			return 1;
		}
		return 0;
	}
	size_t off = 0;
	while (off < in->len) {
		strbuf_init(&sb, text, sizeof text);
		size_t n = bgp_msg_print(in->bytes + off, in->len - off, &s, &sb);
		fputs(text, stdout);
		if (n == 0)
			break;
		if (roundtrip) {
			size_t m = reencode(in->bytes + off, n, in->bytes[off + 18], &s, enc, sizeof enc);
			if (m != n || memcmp(enc, in->bytes + off, n) != 0) {
				printf("%s: re-encoding at offset %zu differs (%zu vs %zu octets)\n", name, off, m, n);
				rc = 1;
			}
		}
		off += n;
	}
	return rc;
}

int main(int argc, char **argv)
{
	const char *session = NULL;
	bool roundtrip = false, expect = false;
	int i = 1, rc = 0;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--session") && i + 1 < argc)
			session = argv[++i];
		else if (!strcmp(argv[i], "--roundtrip"))
			roundtrip = true;
		else if (!strcmp(argv[i], "--expect"))
			expect = true;
		else {
			fprintf(stderr, "usage: bgpdecode [--session SPEC] [--roundtrip] [--expect] [FILE...]\n");
			return 2;
		}
	}
	struct input in;
	in.bytes = malloc(MAX_INPUT);
	if (!in.bytes)
		return 2;
	do {
		const char *name = i < argc ? argv[i] : "-";
		FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
		if (!f) {
			perror(name);
			rc = 2;
			break;
		}
		in.len = 0;
		in.session[0] = in.expect[0] = '\0';
		int r = read_input(f, name, &in);
		if (f != stdin)
			fclose(f);
		if (r < 0) {
			rc = 2;
			break;
		}
		int p = process(name, &in, session, roundtrip, expect);
		if (p > rc)
			rc = p;
	} while (++i < argc);
	free(in.bytes);
	return rc;
}
