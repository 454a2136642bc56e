/* NOTIFICATION (RFC 4271 §4.5) with the shutdown communication of RFC 9003,
 * KEEPALIVE, and ROUTE-REFRESH (RFC 2918, RFC 7313). */
#ifndef ANYCASTD_BGP_NOTIFY_H
#define ANYCASTD_BGP_NOTIFY_H

#include "bgp/bgp.h"

#define BGP_SHUTDOWN_COMM_MAX 255 /* RFC 9003 */

struct bgp_notification {
	uint8_t code;
	uint8_t subcode;
	struct buf_view data; /* borrowed from the decoded message */
	/* Cease/Administrative Shutdown or Reset carrying a communication: */
	bool has_comm;
	bool comm_valid;      /* length fits and the text is UTF-8 */
	struct buf_view comm; /* borrowed; may be invalid UTF-8 when !comm_valid */
};

/* Decodes a complete NOTIFICATION (header included, framed).  Never fails
 * on the data field: a communication whose length byte overruns or whose
 * text is not UTF-8 is reported through comm_valid and still bounded.
 * Returns false only if len is below the minimum. */
bool bgp_notification_decode(const uint8_t *msg, size_t len, struct bgp_notification *out);

/* Encodes a NOTIFICATION with raw data. */
bool bgp_notification_encode(uint8_t code, uint8_t subcode, const void *data, size_t len,
			     struct buf_writer *w);
/* Encodes Cease/<subcode> with an RFC 9003 shutdown communication.  The
 * text is cut at a UTF-8 character boundary to fit 255 octets. */
bool bgp_notification_encode_shutdown(uint8_t subcode, const char *text, struct buf_writer *w);

/* True if s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
bool bgp_utf8_valid(const uint8_t *s, size_t n);
/* Writes s as printable ASCII for logs: printable ASCII as is, backslash
 * and quote escaped, everything else as \xNN.  Always NUL-terminates;
 * truncates to cap.  Returns the number of characters written. */
size_t bgp_escape(const uint8_t *s, size_t n, char *out, size_t cap);
/* One line describing the notification, e.g.
 * `Cease/Administrative Shutdown comm="maintenance"`. */
void bgp_notification_describe(const struct bgp_notification *n, char *out, size_t cap);

bool bgp_keepalive_encode(struct buf_writer *w);

enum bgp_rr_subtype {
	BGP_RR_REQUEST = 0,
	BGP_RR_BORR = 1, /* RFC 7313 beginning of route refresh */
	BGP_RR_EORR = 2, /* end of route refresh */
};

struct bgp_route_refresh {
	uint16_t afi;
	uint8_t subtype;
	uint8_t safi;
	size_t extra; /* ORF octets after the fixed part (ignored: ORF is never negotiated) */
};

/* Decodes a ROUTE-REFRESH.  A BoRR/EoRR whose length is not 23 gives
 * ROUTE-REFRESH Message Error/Invalid Message Length (RFC 7313 §5). */
bool bgp_route_refresh_decode(const uint8_t *msg, size_t len, struct bgp_route_refresh *out,
			      struct bgp_error *err);
bool bgp_route_refresh_encode(uint16_t afi, uint8_t safi, uint8_t subtype, struct buf_writer *w);

#endif
