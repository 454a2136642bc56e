/* Message framing, the error value, and names for logs. */
#include <stdio.h>
#include <string.h>

#include "bgp/bgp.h"

unsigned bgp_family_of(uint16_t afi, uint8_t safi)
{
	if (safi != BGP_SAFI_UNICAST)
		return 0;
	if (afi == BGP_AFI_IPV4)
		return BGP_FAM_IPV4;
	if (afi == BGP_AFI_IPV6)
		return BGP_FAM_IPV6;
	return 0;
}

void bgp_error_set(struct bgp_error *err, uint8_t code, uint8_t subcode, const void *data,
		   size_t len, const char *reason)
{
	if (len > BGP_ERROR_DATA_MAX)
		len = BGP_ERROR_DATA_MAX;
	err->code = code;
	err->subcode = subcode;
	err->data_len = (uint16_t)len;
	if (len)
		memcpy(err->data, data, len);
	err->reason = reason;
}

void bgp_error_set_u16(struct bgp_error *err, uint8_t code, uint8_t subcode, uint16_t v,
		       const char *reason)
{
	uint8_t d[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	bgp_error_set(err, code, subcode, d, 2, reason);
}

/* Per-type length bounds, header included (RFC 4271 §4, §6.1; RFC 8654 §4
 * keeps OPEN and KEEPALIVE at 4096). */
static const struct {
	uint16_t min;
	bool small_only; /* never above 4096 */
	bool exact;      /* length must equal min */
} bgp_len_rules[] = {
	[BGP_OPEN] = {BGP_OPEN_MIN_LEN, true, false},
	[BGP_UPDATE] = {BGP_UPDATE_MIN_LEN, false, false},
	[BGP_NOTIFICATION] = {BGP_NOTIFICATION_MIN_LEN, false, false},
	[BGP_KEEPALIVE] = {BGP_KEEPALIVE_LEN, true, true},
	[BGP_ROUTE_REFRESH] = {BGP_ROUTE_REFRESH_LEN, false, false},
};

enum bgp_frame_result bgp_frame(const uint8_t *buf, size_t len, size_t max_len, uint8_t *type,
				size_t *msg_len, struct bgp_error *err)
{
	if (len < BGP_HEADER_LEN)
		return BGP_FRAME_NEED_MORE;
	for (size_t i = 0; i < BGP_MARKER_LEN; i++) {
		if (buf[i] != 0xff) {
			bgp_error_set(err, BGP_ERR_HEADER, BGP_HDR_NOT_SYNC, NULL, 0,
				      "marker is not all ones");
			return BGP_FRAME_ERROR;
		}
	}
	uint16_t mlen = buf_load_u16(buf + 16);
	uint8_t t = buf[18];
	if (t < BGP_OPEN || t > BGP_ROUTE_REFRESH) {
		bgp_error_set(err, BGP_ERR_HEADER, BGP_HDR_BAD_TYPE, &t, 1, "unknown message type");
		return BGP_FRAME_ERROR;
	}
	size_t max = bgp_len_rules[t].small_only || max_len < BGP_MAX_LEN ? BGP_MAX_LEN : max_len;
	if (max > BGP_EXT_MAX_LEN)
		max = BGP_EXT_MAX_LEN;
	bool bad = mlen < bgp_len_rules[t].min || mlen > max ||
		   (bgp_len_rules[t].exact && mlen != bgp_len_rules[t].min);
	if (bad) {
		bgp_error_set_u16(err, BGP_ERR_HEADER, BGP_HDR_BAD_LENGTH, mlen,
				  "message length not valid for its type");
		return BGP_FRAME_ERROR;
	}
	if (len < mlen)
		return BGP_FRAME_NEED_MORE;
	*type = t;
	*msg_len = mlen;
	return BGP_FRAME_OK;
}

size_t bgp_header_start(struct buf_writer *w, uint8_t type)
{
	size_t start = w->len;
	static const uint8_t marker[BGP_MARKER_LEN] = {
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	buf_put_bytes(w, marker, sizeof marker);
	buf_put_u16(w, 0);
	buf_put_u8(w, type);
	return start;
}

void bgp_header_finish(struct buf_writer *w, size_t start)
{
	size_t n = w->len - start;
	if (n > BGP_EXT_MAX_LEN) {
		w->err = true;
		return;
	}
	buf_patch_u16(w, start + BGP_MARKER_LEN, (uint16_t)n);
}

static const char *const bgp_type_names[] = {
	[BGP_OPEN] = "OPEN",
	[BGP_UPDATE] = "UPDATE",
	[BGP_NOTIFICATION] = "NOTIFICATION",
	[BGP_KEEPALIVE] = "KEEPALIVE",
	[BGP_ROUTE_REFRESH] = "ROUTE-REFRESH",
};

const char *bgp_msg_type_name(uint8_t type, char *scratch, size_t cap)
{
	if (type >= BGP_OPEN && type <= BGP_ROUTE_REFRESH)
		return bgp_type_names[type];
	snprintf(scratch, cap, "type-%u", type);
	return scratch;
}

static const char *const bgp_code_names[] = {
	[BGP_ERR_HEADER] = "Message Header Error",
	[BGP_ERR_OPEN] = "OPEN Message Error",
	[BGP_ERR_UPDATE] = "UPDATE Message Error",
	[BGP_ERR_HOLD] = "Hold Timer Expired",
	[BGP_ERR_FSM] = "Finite State Machine Error",
	[BGP_ERR_CEASE] = "Cease",
	[BGP_ERR_ROUTE_REFRESH] = "ROUTE-REFRESH Message Error",
	[BGP_ERR_SEND_HOLD] = "Send Hold Timer Expired",
};

static const char *const bgp_hdr_sub[] = {
	[1] = "Connection Not Synchronized", [2] = "Bad Message Length", [3] = "Bad Message Type",
};
static const char *const bgp_open_sub[] = {
	[0] = "Unspecific",
	[1] = "Unsupported Version Number",
	[2] = "Bad Peer AS",
	[3] = "Bad BGP Identifier",
	[4] = "Unsupported Optional Parameter",
	[6] = "Unacceptable Hold Time",
	[7] = "Unsupported Capability",
	[11] = "Role Mismatch",
};
static const char *const bgp_upd_sub[] = {
	[1] = "Malformed Attribute List",
	[2] = "Unrecognized Well-known Attribute",
	[3] = "Missing Well-known Attribute",
	[4] = "Attribute Flags Error",
	[5] = "Attribute Length Error",
	[6] = "Invalid ORIGIN Attribute",
	[8] = "Invalid NEXT_HOP Attribute",
	[9] = "Optional Attribute Error",
	[10] = "Invalid Network Field",
	[11] = "Malformed AS_PATH",
};
static const char *const bgp_fsm_sub[] = {
	[1] = "Unexpected Message in OpenSent",
	[2] = "Unexpected Message in OpenConfirm",
	[3] = "Unexpected Message in Established",
};
static const char *const bgp_cease_sub[] = {
	[1] = "Maximum Number of Prefixes Reached",
	[2] = "Administrative Shutdown",
	[3] = "Peer De-configured",
	[4] = "Administrative Reset",
	[5] = "Connection Rejected",
	[6] = "Other Configuration Change",
	[7] = "Connection Collision Resolution",
	[8] = "Out of Resources",
	[9] = "Hard Reset",
	[10] = "BFD Down",
};
static const char *const bgp_rr_sub[] = {[1] = "Invalid Message Length"};

static const struct {
	const char *const *names;
	size_t n;
} bgp_sub_tables[] = {
	[BGP_ERR_HEADER] = {bgp_hdr_sub, sizeof bgp_hdr_sub / sizeof *bgp_hdr_sub},
	[BGP_ERR_OPEN] = {bgp_open_sub, sizeof bgp_open_sub / sizeof *bgp_open_sub},
	[BGP_ERR_UPDATE] = {bgp_upd_sub, sizeof bgp_upd_sub / sizeof *bgp_upd_sub},
	[BGP_ERR_FSM] = {bgp_fsm_sub, sizeof bgp_fsm_sub / sizeof *bgp_fsm_sub},
	[BGP_ERR_CEASE] = {bgp_cease_sub, sizeof bgp_cease_sub / sizeof *bgp_cease_sub},
	[BGP_ERR_ROUTE_REFRESH] = {bgp_rr_sub, sizeof bgp_rr_sub / sizeof *bgp_rr_sub},
};

void bgp_error_name(uint8_t code, uint8_t subcode, char *out, size_t cap)
{
	const char *c = NULL, *s = NULL;
	if (code < sizeof bgp_code_names / sizeof *bgp_code_names)
		c = bgp_code_names[code];
	if (code < sizeof bgp_sub_tables / sizeof *bgp_sub_tables && bgp_sub_tables[code].names &&
	    subcode < bgp_sub_tables[code].n)
		s = bgp_sub_tables[code].names[subcode];
	if (c && s)
		snprintf(out, cap, "%s/%s", c, s);
	else if (c)
		snprintf(out, cap, "%s/subcode %u", c, subcode);
	else
		snprintf(out, cap, "code %u/subcode %u", code, subcode);
}
