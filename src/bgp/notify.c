#include <stdio.h>
#include <string.h>

#include "bgp/notify.h"

static bool notify_has_comm(uint8_t code, uint8_t subcode)
{
	return code == BGP_ERR_CEASE &&
	       (subcode == BGP_CEASE_ADMIN_SHUTDOWN || subcode == BGP_CEASE_ADMIN_RESET);
}

bool bgp_notification_decode(const uint8_t *msg, size_t len, struct bgp_notification *out)
{
	memset(out, 0, sizeof *out);
	if (len < BGP_NOTIFICATION_MIN_LEN)
		return false;
	out->code = msg[BGP_HEADER_LEN];
	out->subcode = msg[BGP_HEADER_LEN + 1];
	out->data = (struct buf_view){msg + BGP_NOTIFICATION_MIN_LEN, len - BGP_NOTIFICATION_MIN_LEN};
	if (notify_has_comm(out->code, out->subcode) && out->data.len > 0) {
		size_t clen = out->data.p[0];
		size_t avail = out->data.len - 1;
		out->has_comm = true;
		/* RFC 9003 §2: an overrunning length is an invalid communication;
		 * keep what is there, bounded, for the log. */
		out->comm = (struct buf_view){out->data.p + 1, clen <= avail ? clen : avail};
		out->comm_valid = clen <= avail && bgp_utf8_valid(out->comm.p, out->comm.len);
	}
	return true;
}

bool bgp_notification_encode(uint8_t code, uint8_t subcode, const void *data, size_t len,
			     struct buf_writer *w)
{
	size_t start = bgp_header_start(w, BGP_NOTIFICATION);
	buf_put_u8(w, code);
	buf_put_u8(w, subcode);
	buf_put_bytes(w, data, len);
	bgp_header_finish(w, start);
	return buf_wok(w);
}

/* Length of the longest prefix of s, at most max octets, that does not cut
 * a UTF-8 sequence in two. */
static size_t utf8_cut(const uint8_t *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	size_t k = max;
	while (k > 0 && (s[k] & 0xc0) == 0x80)
		k--;
	return k;
}

bool bgp_notification_encode_shutdown(uint8_t subcode, const char *text, struct buf_writer *w)
{
	uint8_t data[1 + BGP_SHUTDOWN_COMM_MAX];
	size_t n = text ? strlen(text) : 0;
	n = utf8_cut((const uint8_t *)text, n, BGP_SHUTDOWN_COMM_MAX);
	data[0] = (uint8_t)n;
	if (n)
		memcpy(data + 1, text, n);
	return bgp_notification_encode(BGP_ERR_CEASE, subcode, data, 1 + n, w);
}

bool bgp_utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint8_t c = s[i];
		size_t k;
		uint32_t cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			k = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if (n - i - 1 < k)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += k + 1;
	}
	return true;
}

size_t bgp_escape(const uint8_t *s, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	if (cap == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char tmp[5];
		size_t tl;
		uint8_t c = s[i];
		if (c == '\\' || c == '"') {
			tmp[0] = '\\', tmp[1] = (char)c, tl = 2;
		} else if (c >= 0x20 && c < 0x7f) {
			tmp[0] = (char)c, tl = 1;
		} else {
			snprintf(tmp, sizeof tmp, "\\x%02x", c);
			tl = 4;
		}
		if (o + tl >= cap)
			break;
		memcpy(out + o, tmp, tl);
		o += tl;
	}
	out[o] = '\0';
	return o;
}

void bgp_notification_describe(const struct bgp_notification *n, char *out, size_t cap)
{
	char name[96], esc[4 * BGP_SHUTDOWN_COMM_MAX + 1];
	bgp_error_name(n->code, n->subcode, name, sizeof name);
	if (n->has_comm) {
		bgp_escape(n->comm.p, n->comm.len, esc, sizeof esc);
		snprintf(out, cap, "%s comm=\"%s\"%s", name, esc,
			 n->comm_valid ? "" : " (invalid shutdown communication)");
	} else {
		snprintf(out, cap, "%s data_len=%zu", name, n->data.len);
	}
}

bool bgp_keepalive_encode(struct buf_writer *w)
{
	size_t start = bgp_header_start(w, BGP_KEEPALIVE);
	bgp_header_finish(w, start);
	return buf_wok(w);
}

bool bgp_route_refresh_decode(const uint8_t *msg, size_t len, struct bgp_route_refresh *out,
			      struct bgp_error *err)
{
	memset(out, 0, sizeof *out);
	if (len < BGP_ROUTE_REFRESH_LEN) {
		bgp_error_set_u16(err, BGP_ERR_HEADER, BGP_HDR_BAD_LENGTH, (uint16_t)len,
				  "ROUTE-REFRESH too short");
		return false;
	}
	out->afi = buf_load_u16(msg + BGP_HEADER_LEN);
	out->subtype = msg[BGP_HEADER_LEN + 2];
	out->safi = msg[BGP_HEADER_LEN + 3];
	out->extra = len - BGP_ROUTE_REFRESH_LEN;
	if ((out->subtype == BGP_RR_BORR || out->subtype == BGP_RR_EORR) && out->extra) {
		/* RFC 7313 §5: data = the complete message. */
		bgp_error_set(err, BGP_ERR_ROUTE_REFRESH, BGP_RR_INVALID_LENGTH, msg, len,
			      "BoRR/EoRR length is not 23");
		return false;
	}
	return true;
}

bool bgp_route_refresh_encode(uint16_t afi, uint8_t safi, uint8_t subtype, struct buf_writer *w)
{
	size_t start = bgp_header_start(w, BGP_ROUTE_REFRESH);
	buf_put_u16(w, afi);
	buf_put_u8(w, subtype);
	buf_put_u8(w, safi);
	bgp_header_finish(w, start);
	return buf_wok(w);
}
