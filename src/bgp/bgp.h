/* BGP-4 wire constants, the error value and message framing (RFC 4271 §4.1,
 * §6.1; RFC 8654).  Pure: bytes in, values out; no I/O, no clock, no globals.
 *
 * Codecs never act on errors: they return a struct bgp_error naming the
 * NOTIFICATION RFC 4271 asks for, and the session layer decides what to do.
 */
#ifndef ANYCASTD_BGP_BGP_H
#define ANYCASTD_BGP_BGP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/buf.h"

#define BGP_HEADER_LEN 19
#define BGP_MARKER_LEN 16
#define BGP_MAX_LEN 4096
#define BGP_EXT_MAX_LEN 65535 /* RFC 8654 */
#define BGP_VERSION 4
#define BGP_PORT 179
#define BGP_AS_TRANS 23456u

enum bgp_msg_type {
	BGP_OPEN = 1,
	BGP_UPDATE = 2,
	BGP_NOTIFICATION = 3,
	BGP_KEEPALIVE = 4,
	BGP_ROUTE_REFRESH = 5,
};

/* Minimum message lengths, header included (RFC 4271 §4, RFC 2918). */
#define BGP_OPEN_MIN_LEN 29
#define BGP_UPDATE_MIN_LEN 23
#define BGP_NOTIFICATION_MIN_LEN 21
#define BGP_KEEPALIVE_LEN 19
#define BGP_ROUTE_REFRESH_LEN 23

/* NOTIFICATION error codes and subcodes (RFC 4271 §4.5, RFC 4486, RFC 7313). */
enum bgp_err_code {
	BGP_ERR_HEADER = 1,
	BGP_ERR_OPEN = 2,
	BGP_ERR_UPDATE = 3,
	BGP_ERR_HOLD = 4,
	BGP_ERR_FSM = 5,
	BGP_ERR_CEASE = 6,
	BGP_ERR_ROUTE_REFRESH = 7,
	BGP_ERR_SEND_HOLD = 8, /* RFC 9687 */
};

enum {
	BGP_HDR_NOT_SYNC = 1,
	BGP_HDR_BAD_LENGTH = 2,
	BGP_HDR_BAD_TYPE = 3,
};

enum {
	BGP_OPEN_UNSPECIFIC = 0,
	BGP_OPEN_BAD_VERSION = 1,
	BGP_OPEN_BAD_PEER_AS = 2,
	BGP_OPEN_BAD_BGP_ID = 3,
	BGP_OPEN_UNSUPP_PARAM = 4,
	BGP_OPEN_BAD_HOLD = 6,
	BGP_OPEN_UNSUPP_CAPA = 7,
	BGP_OPEN_ROLE_MISMATCH = 11,
};

enum {
	BGP_UPD_MALFORMED_ATTR_LIST = 1,
	BGP_UPD_UNRECOGNIZED_WELLKNOWN = 2,
	BGP_UPD_MISSING_WELLKNOWN = 3,
	BGP_UPD_ATTR_FLAGS = 4,
	BGP_UPD_ATTR_LENGTH = 5,
	BGP_UPD_INVALID_ORIGIN = 6,
	BGP_UPD_INVALID_NEXTHOP = 8,
	BGP_UPD_OPTIONAL_ATTR = 9,
	BGP_UPD_INVALID_NETWORK = 10,
	BGP_UPD_MALFORMED_AS_PATH = 11,
};

enum {
	BGP_CEASE_MAX_PREFIX = 1,
	BGP_CEASE_ADMIN_SHUTDOWN = 2,
	BGP_CEASE_PEER_DECONF = 3,
	BGP_CEASE_ADMIN_RESET = 4,
	BGP_CEASE_CONN_REJECTED = 5,
	BGP_CEASE_OTHER_CONFIG = 6,
	BGP_CEASE_COLLISION = 7,
	BGP_CEASE_OUT_OF_RESOURCES = 8,
	BGP_CEASE_HARD_RESET = 9,
	BGP_CEASE_BFD_DOWN = 10,
};

enum {
	BGP_RR_INVALID_LENGTH = 1,
};

/* Address families we speak (AFI/SAFI unicast only). */
#define BGP_AFI_IPV4 1
#define BGP_AFI_IPV6 2
#define BGP_SAFI_UNICAST 1

enum bgp_family {
	BGP_FAM_IPV4 = 1 << 0,
	BGP_FAM_IPV6 = 1 << 1,
};

/* Maps AFI 1/2 + SAFI 1 to BGP_FAM_*, anything else to 0. */
unsigned bgp_family_of(uint16_t afi, uint8_t safi);

#define BGP_ERROR_DATA_MAX 255

/* A NOTIFICATION to send (code 0 means "no error").  reason is a static
 * string for logs.  Data longer than BGP_ERROR_DATA_MAX is truncated:
 * it is diagnostic only. */
struct bgp_error {
	uint8_t code;
	uint8_t subcode;
	uint16_t data_len;
	uint8_t data[BGP_ERROR_DATA_MAX];
	const char *reason;
};

/* Fills err; data may be NULL when len is 0. */
void bgp_error_set(struct bgp_error *err, uint8_t code, uint8_t subcode, const void *data,
		   size_t len, const char *reason);
/* Sets a 2-octet data field (lengths and versions). */
void bgp_error_set_u16(struct bgp_error *err, uint8_t code, uint8_t subcode, uint16_t v,
		       const char *reason);

enum bgp_frame_result {
	BGP_FRAME_NEED_MORE = 0, /* fewer bytes than a header, or than the message */
	BGP_FRAME_OK = 1,
	BGP_FRAME_ERROR = 2, /* err holds the NOTIFICATION to send */
};

/* Looks at the start of a received byte stream.  On BGP_FRAME_OK, *type and
 * *msg_len (header included) describe the first message, which is complete
 * in buf.  max_len is 4096, or 65535 after RFC 8654 was negotiated; OPEN and
 * KEEPALIVE stay limited to 4096 regardless.  Header errors are reported as
 * soon as the header is complete, before the body arrives. */
enum bgp_frame_result bgp_frame(const uint8_t *buf, size_t len, size_t max_len, uint8_t *type,
				size_t *msg_len, struct bgp_error *err);

/* Writes a header (marker, length placeholder, type) into w; returns the
 * offset at which bgp_header_finish() patches the length. */
size_t bgp_header_start(struct buf_writer *w, uint8_t type);
void bgp_header_finish(struct buf_writer *w, size_t start);

/* Message names for logs: "OPEN", ..., "type-7". Returns a static string
 * or writes into scratch (at least 16 bytes). */
const char *bgp_msg_type_name(uint8_t type, char *scratch, size_t cap);
/* Human text of an error code/subcode, e.g. "Cease/Administrative Shutdown". */
void bgp_error_name(uint8_t code, uint8_t subcode, char *out, size_t cap);

#endif
