/* decode → encode → decode for UPDATEs (byte 0: session, rest: body).  An
 * UPDATE that decodes cleanly re-encodes to a message that decodes cleanly
 * to the same content (printed text, attribute flags aside: the encoder
 * normalises them), and encoding is a fixpoint from then on. */
#include "bgp/print.h"
#include "bgp/update.h"
#include "fuzz.h"

/* Printed form without the "flags=0xNN " tokens. */
static void text_of(const uint8_t *m, size_t n, const struct bgp_session_params *s, char *out,
		    size_t cap)
{
	struct strbuf sb;
	strbuf_init(&sb, out, cap);
	bgp_msg_print(m, n, s, &sb);
	char *w = out;
	for (const char *r = out; *r;) {
		if (!strncmp(r, "flags=0x", 8) && r[8] && r[9] && r[10] == ' ') {
			r += 11;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
	/* The message length differs when the input was not canonical. */
	char *nl = strchr(out, '\n');
	if (nl)
		memmove(out, nl + 1, strlen(nl + 1) + 1);
}

static size_t reencode(const uint8_t *m, size_t len, const struct bgp_session_params *s,
		       struct bgp_update *u, uint8_t *out, size_t cap)
{
	struct buf_writer w;
	if (bgp_update_decode(m, len, s, u) != BGP_VERDICT_OK)
		return 0;
	buf_writer_init(&w, out, cap);
	bool ok = bgp_update_encode(u, s, &w);
	FUZZ_CHECK(ok || u->attrs.raw_overflow);
	return ok ? w.len : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct bgp_session_params s;
	fuzz_session(data[0], &s);
	size_t len;
	if (size - 1 + BGP_HEADER_LEN > s.max_msg_len)
		return 0; /* framing refuses it before any decoding */
	uint8_t *m = fuzz_wrap(BGP_UPDATE, data + 1, size - 1, &len);
	if (!m)
		return 0;
	static struct bgp_update u;
	static uint8_t e1[BGP_EXT_MAX_LEN], e2[BGP_EXT_MAX_LEN];
	static char t0[1 << 20], t1[1 << 20];
	size_t n1 = reencode(m, len, &s, &u, e1, sizeof e1);
	if (n1) {
		/* Canonical form never grows: extended lengths only where needed. */
		FUZZ_CHECK(n1 <= len);
		size_t n2 = reencode(e1, n1, &s, &u, e2, sizeof e2);
		FUZZ_CHECK(n2 == n1 && memcmp(e1, e2, n1) == 0);
		text_of(m, len, &s, t0, sizeof t0);
		text_of(e1, n1, &s, t1, sizeof t1);
		FUZZ_CHECK(strcmp(t0, t1) == 0);
	}
	free(m);
	return 0;
}
