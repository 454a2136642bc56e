/* OPEN message, capabilities (RFC 5492) and session negotiation.
 *
 * Decoding borrows from the message bytes: every buf_view in a decoded
 * struct bgp_open points into the buffer that was decoded and is valid only
 * as long as it is.  Encoding reads the same struct, so a caller builds its
 * own OPEN by filling one in.
 */
#ifndef ANYCASTD_BGP_OPEN_H
#define ANYCASTD_BGP_OPEN_H

#include "bgp/bgp.h"

/* Capability codes (IANA). */
enum bgp_cap_code {
	BGP_CAP_MP = 1,             /* RFC 4760 */
	BGP_CAP_ROUTE_REFRESH = 2,  /* RFC 2918 */
	BGP_CAP_EXT_MESSAGE = 6,    /* RFC 8654 */
	BGP_CAP_GRACEFUL = 64,      /* RFC 4724 */
	BGP_CAP_AS4 = 65,           /* RFC 6793 */
	BGP_CAP_ENHANCED_RR = 70,   /* RFC 7313 */
	BGP_CAP_LLGR = 71,          /* RFC 9494 */
	BGP_CAP_FQDN = 73,          /* draft-walton-bgp-hostname-capability */
	BGP_CAP_SOFTWARE_VER = 75,  /* draft-ietf-idr-software-version */
};

#define BGP_OPT_PARAM_CAPABILITIES 2
#define BGP_MAX_OTHER_FAMILIES 32
#define BGP_MAX_GR_FAMILIES 63 /* all a 255-octet capability can hold */
#define BGP_MAX_UNKNOWN_CAPS 32

struct bgp_afi_safi {
	uint16_t afi;
	uint8_t safi;
};

struct bgp_gr_family {
	uint16_t afi;
	uint8_t safi;
	uint8_t flags;
};

struct bgp_cap_raw {
	uint8_t code;
	struct buf_view val; /* borrowed */
};

struct bgp_caps {
	bool any;                /* at least one capability was present */
	unsigned families;       /* BGP_FAM_* from MP capabilities */
	uint8_t n_other_families; /* MP capabilities for other AFI/SAFIs */
	bool other_families_overflow; /* more than BGP_MAX_OTHER_FAMILIES: the rest not kept */
	struct bgp_afi_safi other_families[BGP_MAX_OTHER_FAMILIES];
	bool as4;
	uint32_t as4_asn;
	bool route_refresh;
	bool enhanced_rr;
	bool ext_message;
	bool graceful_restart;
	uint8_t gr_flags;  /* the 4 high bits of the first two octets */
	uint16_t gr_time;  /* 12 bits, seconds */
	uint8_t n_gr_families;
	struct bgp_gr_family gr_families[BGP_MAX_GR_FAMILIES];
	bool fqdn;
	struct buf_view fqdn_host;   /* borrowed; not NUL-terminated */
	struct buf_view fqdn_domain; /* borrowed */
	bool software_version;
	struct buf_view software;    /* borrowed */
	/* Informational capabilities (GR, FQDN, software version) that were
	 * malformed: ignored rather than fatal, counted here. */
	uint8_t n_ignored_malformed;
	uint8_t n_unknown;
	bool unknown_overflow; /* more than BGP_MAX_UNKNOWN_CAPS: the rest not kept */
	struct bgp_cap_raw unknown[BGP_MAX_UNKNOWN_CAPS];
};

struct bgp_open {
	uint8_t version;
	uint16_t my_as;    /* the 2-octet field; AS_TRANS when the real AS is 4-octet */
	uint16_t hold_time;
	uint32_t bgp_id;   /* host order */
	bool ext_params;   /* RFC 9072 extended optional parameters were used */
	struct bgp_caps caps;
};

/* Decodes a complete OPEN (header included, already framed).  Checks only
 * what needs no configuration: version, hold time 1 or 2, BGP ID 0, AS 0,
 * AS_TRANS in the 4-octet capability, parameter and capability syntax.
 * Returns true, or false with err set to the NOTIFICATION to send. */
bool bgp_open_decode(const uint8_t *msg, size_t len, struct bgp_open *out, struct bgp_error *err);

/* Encodes an OPEN into w; uses RFC 9072 extended parameters only when the
 * capabilities do not fit in 255 octets or o->ext_params is set.  The
 * 2-octet my_as field is written as given.  Returns false if w overflowed
 * or a capability value does not fit its length field. */
bool bgp_open_encode(const struct bgp_open *o, struct buf_writer *w);

/* The AS the peer claims: the 4-octet capability's value if present. */
uint32_t bgp_open_asn(const struct bgp_open *o);

/* Local policy for negotiation. */
struct bgp_neg_policy {
	uint32_t local_as;
	uint32_t local_id;
	uint32_t peer_as;        /* expected; 0 accepts any */
	uint16_t min_hold_time;  /* offers below this (0 included) are refused; >= 3 */
	uint16_t max_hold_time;  /* offers above this are refused; 0 = no limit */
};

/* What both sides agreed on. */
struct bgp_session_params {
	bool as4;
	bool ext_message;
	size_t max_msg_len;      /* 4096 or 65535 */
	unsigned families;       /* BGP_FAM_* enabled on the session */
	bool route_refresh;
	bool enhanced_rr;
	bool ibgp;
	uint32_t peer_as;
	uint32_t peer_id;
	uint16_t hold_time;      /* seconds; never 0 here */
	uint16_t keepalive;      /* seconds: hold_time / 3 */
	bool enforce_first_as;   /* check the leftmost AS of eBGP AS_PATHs */
};

/* Negotiates a session from our OPEN and the peer's (a pure function of
 * both plus policy).  Returns true, or false with err set: Bad Peer AS,
 * Bad BGP Identifier (iBGP peer with our ID), Unacceptable Hold Time. */
bool bgp_open_negotiate(const struct bgp_open *local, const struct bgp_open *remote,
			const struct bgp_neg_policy *pol, struct bgp_session_params *out,
			struct bgp_error *err);

/* Session parameters that hold before any OPEN: 2-octet ASNs, 4096 bytes,
 * IPv4 only.  Used by tests and tools that decode captures. */
void bgp_session_params_default(struct bgp_session_params *p);

#endif
