/* Adj-RIB-Out of one peer: what should be announced (desired) against what
 * was sent, turned into as few UPDATEs as possible.  Pure.
 *
 * Routes name their attributes by an attribute-set index into a table the
 * caller owns (struct bgp_route_attrs); the encoded attribute blocks are
 * cached per set and family while the session parameters stay the same.
 * Withdrawals go out before announcements, so a change of attributes never
 * leaves a stale route behind.
 */
#ifndef ANYCASTD_RIB_RIBOUT_H
#define ANYCASTD_RIB_RIBOUT_H

#include "bgp/open.h"
#include "bgp/update.h"

struct ribout_route {
	struct prefix pfx;
	uint32_t attrs; /* index into the attribute table */
};

struct ribout;

/* Returns NULL on allocation failure.  Free with ribout_free (NULL-safe). */
struct ribout *ribout_new(void);
void ribout_free(struct ribout *r);

/* Replaces the desired routes (copied; duplicates of a prefix keep the
 * first) and the attribute table (borrowed: must stay valid and unchanged
 * until the next ribout_set).  Returns 0, or -1 on allocation failure with
 * the previous state kept. */
int ribout_set(struct ribout *r, const struct ribout_route *routes, size_t n,
	       const struct bgp_route_attrs *table, size_t n_table);

/* The session went down (forget what was sent) or came up with these
 * parameters; only families in sess->families are ever sent. */
void ribout_session_down(struct ribout *r);
void ribout_session_up(struct ribout *r, const struct bgp_session_params *sess);
/* Route refresh: send every route of these families (BGP_FAM_*) again. */
void ribout_resend(struct ribout *r, unsigned families);

/* True while something is left to send. */
bool ribout_pending(const struct ribout *r);

/* Writes the next UPDATE into out (cap at least the session's maximum
 * message size) and counts it as sent.  Returns its length, 0 when nothing
 * is pending, or (size_t)-1 if a run of routes cannot be encoded (their
 * attributes are refused, or cap is too small): the run is skipped until the
 * next change and *bad names its first prefix. */
size_t ribout_next(struct ribout *r, uint8_t *out, size_t cap, struct prefix *bad);

/* Number of routes announced (exact when nothing is pending) and desired. */
size_t ribout_sent_count(const struct ribout *r);
size_t ribout_desired_count(const struct ribout *r);

#endif
