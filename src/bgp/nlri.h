/* NLRI wire form (RFC 4271 §4.3: a length octet and the prefix octets) and
 * the path-attribute header, shared by the UPDATE decoder and encoders. */
#ifndef ANYCASTD_BGP_NLRI_H
#define ANYCASTD_BGP_NLRI_H

#include "bgp/bgp.h"

/* Validates a run of NLRI of a family: every length within the family's
 * width and every prefix inside the run.  On success stores the count and
 * returns true. */
bool bgp_nlri_scan(const uint8_t *p, size_t len, uint8_t family, uint32_t *count);

/* Octets one prefix takes on the wire. */
static inline size_t bgp_nlri_size(const struct prefix *p) { return 1 + (p->len + 7u) / 8u; }

/* Writes one prefix (host bits cleared). */
void bgp_nlri_put(struct buf_writer *w, const struct prefix *p);

/* Writes an attribute header with the extended-length flag set exactly when
 * len > 255 (the flag in `flags` is ignored). */
void bgp_attr_put_header(struct buf_writer *w, uint8_t flags, uint8_t type, size_t len);
/* Header and value. */
void bgp_attr_put(struct buf_writer *w, uint8_t flags, uint8_t type, const void *val, size_t len);

#endif
