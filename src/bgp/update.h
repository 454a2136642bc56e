/* UPDATE messages: path attributes, NLRI, RFC 7606 verdicts, and the packing
 * encoder that announces many prefixes with one attribute set.
 *
 * Decoding borrows: views point into the decoded message.  NLRI are
 * validated completely by the decoder, so iterating them cannot fail.
 */
#ifndef ANYCASTD_BGP_UPDATE_H
#define ANYCASTD_BGP_UPDATE_H

#include "bgp/bgp.h"
#include "bgp/open.h"

enum bgp_attr_type {
	BGP_ATTR_ORIGIN = 1,
	BGP_ATTR_AS_PATH = 2,
	BGP_ATTR_NEXT_HOP = 3,
	BGP_ATTR_MED = 4,
	BGP_ATTR_LOCAL_PREF = 5,
	BGP_ATTR_ATOMIC_AGGREGATE = 6,
	BGP_ATTR_AGGREGATOR = 7,
	BGP_ATTR_COMMUNITIES = 8,
	BGP_ATTR_ORIGINATOR_ID = 9,
	BGP_ATTR_CLUSTER_LIST = 10,
	BGP_ATTR_MP_REACH = 14,
	BGP_ATTR_MP_UNREACH = 15,
	BGP_ATTR_EXT_COMMUNITIES = 16,
	BGP_ATTR_AS4_PATH = 17,
	BGP_ATTR_AS4_AGGREGATOR = 18,
	BGP_ATTR_IPV6_EXT_COMMUNITIES = 25,
	BGP_ATTR_LARGE_COMMUNITIES = 32,
	BGP_ATTR_OTC = 35,
};

#define BGP_ATTR_FLAG_OPTIONAL 0x80
#define BGP_ATTR_FLAG_TRANSITIVE 0x40
#define BGP_ATTR_FLAG_PARTIAL 0x20
#define BGP_ATTR_FLAG_EXTLEN 0x10

enum bgp_origin { BGP_ORIGIN_IGP = 0, BGP_ORIGIN_EGP = 1, BGP_ORIGIN_INCOMPLETE = 2 };

enum bgp_as_seg_type {
	BGP_AS_SET = 1,
	BGP_AS_SEQUENCE = 2,
	BGP_AS_CONFED_SEQUENCE = 3,
	BGP_AS_CONFED_SET = 4,
};

#define BGP_COMM_GRACEFUL_SHUTDOWN 0xffff0000u /* RFC 8326 */
#define BGP_COMM_ACCEPT_OWN 0xffff0001u
#define BGP_COMM_BLACKHOLE 0xffff029au
#define BGP_COMM_NO_EXPORT 0xffffff01u
#define BGP_COMM_NO_ADVERTISE 0xffffff02u
#define BGP_COMM_NO_EXPORT_SUBCONFED 0xffffff03u
#define BGP_COMM_NOPEER 0xffffff04u

/* RFC 7606 error handling approaches, weakest first, so the strongest of
 * several errors is the maximum. */
enum bgp_verdict {
	BGP_VERDICT_OK = 0,
	BGP_VERDICT_ATTR_DISCARD = 1,
	BGP_VERDICT_TREAT_AS_WITHDRAW = 2,
	BGP_VERDICT_SESSION_RESET = 3,
};

const char *bgp_verdict_name(enum bgp_verdict v);

/* A validated run of NLRI of one family (wire form: length + prefix bytes). */
struct bgp_nlri {
	uint8_t family; /* ADDR_V4 / ADDR_V6 */
	uint32_t count;
	struct buf_view raw; /* borrowed */
};

struct bgp_nlri_iter {
	struct buf_reader r;
	uint8_t family;
};

void bgp_nlri_iter_init(struct bgp_nlri_iter *it, const struct bgp_nlri *n);
/* Returns false at the end. */
bool bgp_nlri_next(struct bgp_nlri_iter *it, struct prefix *out);

/* An attribute kept as received: unknown types, and known ones we only
 * validate (ORIGINATOR_ID, CLUSTER_LIST, extended communities, OTC, ...). */
struct bgp_attr_raw {
	uint8_t flags;
	uint8_t type;
	struct buf_view val; /* borrowed */
};

#define BGP_MAX_RAW_ATTRS 48

struct bgp_mp_reach {
	uint16_t afi;
	uint8_t safi;
	uint8_t nh_len;
	struct addr nh;          /* global (or IPv4) next hop */
	struct addr nh_ll;       /* IPv6 link-local, when nh_len is 32 */
	struct buf_view nh_raw;  /* for families we do not parse */
	bool parsed;             /* AFI/SAFI is one we speak and NLRI were validated */
	struct bgp_nlri nlri;    /* when parsed */
	struct buf_view raw_nlri; /* when !parsed */
};

struct bgp_mp_unreach {
	uint16_t afi;
	uint8_t safi;
	bool parsed;
	struct bgp_nlri nlri;
	struct buf_view raw_nlri;
};

/* Path attributes after RFC 7606 handling: discarded attributes are absent. */
struct bgp_attrs {
	uint8_t seen[32];  /* bit per type: present after error handling */
	uint8_t flags[256]; /* received flags of each present attribute */
	uint8_t origin;
	struct buf_view as_path;  /* wire form */
	bool as_path_4;           /* as_path uses 4-octet ASNs (session as4) */
	struct buf_view as4_path; /* 4-octet wire form (2-octet sessions only) */
	struct addr next_hop;
	uint32_t med;
	uint32_t local_pref;
	uint32_t aggregator_as;
	struct addr aggregator_id;
	uint32_t as4_aggregator_as;
	struct addr as4_aggregator_id;
	struct buf_view communities;       /* n × 4 octets */
	struct buf_view large_communities; /* n × 12 octets */
	struct bgp_mp_reach mp_reach;
	struct bgp_mp_unreach mp_unreach;
	uint8_t n_raw;
	bool raw_overflow; /* more than BGP_MAX_RAW_ATTRS kept-as-received attributes */
	struct bgp_attr_raw raw[BGP_MAX_RAW_ATTRS];
};

static inline bool bgp_attr_has(const struct bgp_attrs *a, uint8_t type)
{
	return a->seen[type >> 3] & (1u << (type & 7));
}

struct bgp_update {
	struct bgp_nlri withdrawn; /* IPv4 Withdrawn Routes field */
	struct bgp_nlri nlri;      /* IPv4 NLRI field */
	struct bgp_attrs attrs;
	enum bgp_verdict verdict;
	/* For SESSION_RESET: the NOTIFICATION RFC 4271/7606 asks for.  For the
	 * other verdicts: the first problem (code/subcode name the error the
	 * RFC 4271 of old would have sent; reason says what was wrong). */
	struct bgp_error error;
	uint8_t error_attr;  /* attribute type of the first problem, 0 if none */
	uint16_t n_problems; /* malformed or discarded attributes */
	bool eor;            /* End-of-RIB (RFC 4724 §2) */
	uint8_t eor_family;  /* BGP_FAM_* */
};

/* Decodes a complete UPDATE (header included, framed) under the session's
 * negotiated parameters.  Never fails outright: the verdict says what RFC
 * 7606 requires; on SESSION_RESET the fields after the problem are not
 * valid.  Returns the verdict. */
enum bgp_verdict bgp_update_decode(const uint8_t *msg, size_t len,
				   const struct bgp_session_params *sess, struct bgp_update *out);

/* The AS path the UPDATE stands for, in 4-octet wire form, with AS4_PATH
 * merged into a 2-octet AS_PATH per RFC 6793 §4.2.3.  out needs at most
 * 2 × as_path.len + as4_path.len octets.  Returns the length written, or
 * (size_t)-1 if out is too small. */
size_t bgp_aspath_merged(const struct bgp_attrs *a, uint8_t *out, size_t cap);
/* The aggregator after RFC 6793 merging. */
void bgp_aggregator_merged(const struct bgp_attrs *a, uint32_t *as, struct addr *id);

/* Re-encodes a decoded UPDATE (verdict OK) canonically: MP_REACH and
 * MP_UNREACH first, the others by type code, extended length only where
 * needed.  Output is in the encoding of sess.  Returns false on overflow
 * or if the message would exceed sess->max_msg_len. */
bool bgp_update_encode(const struct bgp_update *u, const struct bgp_session_params *sess,
		       struct buf_writer *w);

/* ---- Building our own announcements ---- */

#define BGP_MAX_COMMUNITIES 64
#define BGP_MAX_LARGE_COMMUNITIES 32
#define BGP_MAX_AS_PATH 64

struct bgp_large_community {
	uint32_t global, local1, local2;
};

/* Attributes of an announcement, as an originator sets them. */
struct bgp_route_attrs {
	uint8_t origin;
	uint8_t as_path_len;  /* a single AS_SEQUENCE; 0 for an empty path (iBGP) */
	uint32_t as_path[BGP_MAX_AS_PATH];
	struct addr next_hop_v4;
	struct addr next_hop_v6;    /* global */
	struct addr next_hop_v6_ll; /* optional link-local (family ADDR_NONE if absent) */
	bool has_med;
	uint32_t med;
	bool has_local_pref; /* iBGP only; 100 when not set */
	uint32_t local_pref;
	uint8_t n_communities;
	uint32_t communities[BGP_MAX_COMMUNITIES];
	uint8_t n_large;
	struct bgp_large_community large[BGP_MAX_LARGE_COMMUNITIES];
};

/* Encodes one attribute block (everything but MP_REACH) for a family, in
 * the session's AS width (AS_TRANS and AS4_PATH on 2-octet sessions).
 * NEXT_HOP is included for IPv4 only.  Returns the length, or 0 on overflow
 * or on attributes a receiver would refuse (AS 0 in the path, a missing,
 * zero, multicast or reserved next hop, too many items). */
size_t bgp_attrs_encode(const struct bgp_route_attrs *ra, unsigned family,
			const struct bgp_session_params *sess, uint8_t *out, size_t cap);

/* Packs as many of pfx[0..n) as fit into one UPDATE announcing them with
 * the attribute block attrs (from bgp_attrs_encode for the same family and
 * session).  IPv6 goes in MP_REACH_NLRI, first.  *used says how many
 * prefixes went in (at least 1 if n > 0 and anything fits).  Returns the
 * message length, 0 if not even one prefix fits in cap. */
size_t bgp_update_pack_announce(const struct bgp_session_params *sess, unsigned family,
				const uint8_t *attrs, size_t attrs_len,
				const struct bgp_route_attrs *ra, const struct prefix *pfx,
				size_t n, size_t *used, uint8_t *out, size_t cap);
/* The same for withdrawals: IPv4 in Withdrawn Routes, IPv6 in
 * MP_UNREACH_NLRI. */
size_t bgp_update_pack_withdraw(const struct bgp_session_params *sess, unsigned family,
				const struct prefix *pfx, size_t n, size_t *used, uint8_t *out,
				size_t cap);
/* End-of-RIB for a family (RFC 4724 §2).  Returns the length or 0. */
size_t bgp_update_encode_eor(unsigned family, uint8_t *out, size_t cap);

#endif
