/* Adj-RIB-Out: desired vs. sent, as sorted arrays.  A "plan" (withdrawals,
 * then announcements grouped by family and attribute set) is computed when
 * either side changes and consumed message by message; what was consumed is
 * folded back into `sent` when the plan ends or is replaced. */
#include <stdlib.h>
#include <string.h>

#include "rib/ribout.h"
#include "lib/sort.h"

struct ribout {
	struct ribout_route *desired; /* sorted by prefix, unique */
	size_t n_desired;
	struct ribout_route *sent; /* sorted by prefix */
	size_t n_sent;
	const struct bgp_route_attrs *table;
	size_t n_table;
	bool up;
	struct bgp_session_params sess;
	unsigned eor_due; /* BGP_FAM_* still owed an End-of-RIB */
	/* the plan */
	struct prefix *wd;
	size_t n_wd, i_wd;
	size_t wd_run_end; /* end of the current one-family run of wd; 0 = unknown */
	struct prefix *ann_pfx; /* sorted by family, attrs, prefix */
	uint32_t *ann_attrs;    /* parallel to ann_pfx */
	size_t n_ann, i_ann;
	size_t ann_run_end; /* end of the current run (family, attrs) of ann; 0 = unknown */
	/* encoded attribute blocks, [attrs * 2 + (family == v6)] */
	uint8_t **blk;
	size_t *blk_len;
};

static unsigned fam_of(const struct prefix *p)
{
	return p->addr.family == ADDR_V6 ? BGP_FAM_IPV6 : BGP_FAM_IPV4;
}

static int cmp_route_pfx(const void *a, const void *b)
{
	return prefix_cmp(&((const struct ribout_route *)a)->pfx, &((const struct ribout_route *)b)->pfx);
}

/* Orders announcements so that each run shares family and attributes. */
static int cmp_route_group(const void *a, const void *b)
{
	const struct ribout_route *x = a, *y = b;
	unsigned fx = fam_of(&x->pfx), fy = fam_of(&y->pfx);
	if (fx != fy)
		return fx < fy ? -1 : 1;
	if (x->attrs != y->attrs)
		return x->attrs < y->attrs ? -1 : 1;
	return prefix_cmp(&x->pfx, &y->pfx);
}

struct ribout *ribout_new(void)
{
	return calloc(1, sizeof(struct ribout));
}

static void blk_clear(struct ribout *r)
{
	if (r->blk)
		for (size_t i = 0; i < 2 * r->n_table; i++)
			free(r->blk[i]);
	free(r->blk);
	free(r->blk_len);
	r->blk = NULL;
	r->blk_len = NULL;
}

static void plan_clear(struct ribout *r)
{
	free(r->wd);
	free(r->ann_pfx);
	free(r->ann_attrs);
	r->wd = NULL;
	r->ann_pfx = NULL;
	r->ann_attrs = NULL;
	r->n_wd = r->i_wd = r->n_ann = r->i_ann = 0;
	r->ann_run_end = r->wd_run_end = 0;
}

void ribout_free(struct ribout *r)
{
	if (!r)
		return;
	blk_clear(r);
	plan_clear(r);
	free(r->desired);
	free(r->sent);
	free(r);
}

/* Folds the consumed part of the plan into `sent`.  Returns -1 on
 * allocation failure (sent unchanged). */
static int plan_fold(struct ribout *r)
{
	size_t na = r->i_ann;
	struct ribout_route *ann = malloc((na ? na : 1) * sizeof *ann);
	struct ribout_route *next = malloc((r->n_sent + na ? r->n_sent + na : 1) * sizeof *next);
	if (!ann || !next) {
		free(ann);
		free(next);
		return -1;
	}
	for (size_t i = 0; i < na; i++)
		ann[i] = (struct ribout_route){r->ann_pfx[i], r->ann_attrs[i]};
	sort_if_needed(ann, na, sizeof *ann, cmp_route_pfx);
	/* Merge sent (minus withdrawn; both sorted) with the announcements,
	 * an announcement replacing what was sent for its prefix. */
	size_t n = 0, w = 0, a = 0;
	for (size_t i = 0; i < r->n_sent; i++) {
		const struct prefix *p = &r->sent[i].pfx;
		while (w < r->i_wd && prefix_cmp(&r->wd[w], p) < 0)
			w++;
		if (w < r->i_wd && prefix_equal(&r->wd[w], p))
			continue;
		while (a < na && prefix_cmp(&ann[a].pfx, p) < 0)
			next[n++] = ann[a++];
		if (a < na && prefix_equal(&ann[a].pfx, p))
			next[n++] = ann[a++];
		else
			next[n++] = r->sent[i];
	}
	while (a < na)
		next[n++] = ann[a++];
	free(ann);
	free(r->sent);
	r->sent = next;
	r->n_sent = n;
	plan_clear(r);
	return 0;
}

/* Computes the plan from desired and sent. */
static int plan_make(struct ribout *r)
{
	size_t nd = r->n_desired, ns = r->n_sent;
	struct prefix *wd = malloc((ns ? ns : 1) * sizeof *wd);
	struct ribout_route *ann = malloc((nd ? nd : 1) * sizeof *ann);
	if (!wd || !ann) {
		free(wd);
		free(ann);
		return -1;
	}
	size_t nw = 0, na = 0, i = 0, j = 0;
	unsigned fams = r->up ? r->sess.families : 0;
	while (i < nd || j < ns) {
		int c = i == nd ? 1 : j == ns ? -1 : prefix_cmp(&r->desired[i].pfx, &r->sent[j].pfx);
		if (c < 0) {
			if (fams & fam_of(&r->desired[i].pfx))
				ann[na++] = r->desired[i];
			i++;
		} else if (c > 0) {
			wd[nw++] = r->sent[j++].pfx;
		} else {
			if (r->desired[i].attrs != r->sent[j].attrs && (fams & fam_of(&r->desired[i].pfx)))
				ann[na++] = r->desired[i];
			i++, j++;
		}
	}
	sort_if_needed(ann, na, sizeof *ann, cmp_route_group);
	struct prefix *ap = malloc((na ? na : 1) * sizeof *ap);
	uint32_t *aa = malloc((na ? na : 1) * sizeof *aa);
	if (!ap || !aa) {
		free(ap);
		free(aa);
		free(wd);
		free(ann);
		return -1;
	}
	for (size_t k = 0; k < na; k++) {
		ap[k] = ann[k].pfx;
		aa[k] = ann[k].attrs;
	}
	free(ann);
	plan_clear(r);
	r->wd = wd;
	r->n_wd = nw;
	r->ann_pfx = ap;
	r->ann_attrs = aa;
	r->n_ann = na;
	r->ann_run_end = r->wd_run_end = 0;
	return 0;
}

static int replan(struct ribout *r)
{
	if ((r->i_wd || r->i_ann) && plan_fold(r) < 0)
		return -1;
	if (!r->up) {
		plan_clear(r);
		return 0;
	}
	return plan_make(r);
}

int ribout_set(struct ribout *r, const struct ribout_route *routes, size_t n,
	       const struct bgp_route_attrs *table, size_t n_table)
{
	struct ribout_route *d = malloc((n ? n : 1) * sizeof *d);
	if (!d)
		return -1;
	if (n)
		memcpy(d, routes, n * sizeof *d);
	sort_if_needed(d, n, sizeof *d, cmp_route_pfx);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!k || !prefix_equal(&d[k - 1].pfx, &d[i].pfx))
			d[k++] = d[i];
	if ((r->i_wd || r->i_ann) && plan_fold(r) < 0) {
		free(d);
		return -1;
	}
	blk_clear(r);
	free(r->desired);
	r->desired = d;
	r->n_desired = k;
	r->table = table;
	r->n_table = n_table;
	return replan(r);
}

void ribout_session_down(struct ribout *r)
{
	r->up = false;
	plan_clear(r);
	free(r->sent);
	r->sent = NULL;
	r->n_sent = 0;
	r->eor_due = 0;
}

void ribout_session_up(struct ribout *r, const struct bgp_session_params *sess)
{
	ribout_session_down(r);
	blk_clear(r);
	r->up = true;
	r->sess = *sess;
	r->eor_due = sess->families & (BGP_FAM_IPV4 | BGP_FAM_IPV6);
	replan(r);
}

void ribout_resend(struct ribout *r, unsigned families)
{
	if (!r->up)
		return;
	plan_fold(r);
	/* Forget having sent the requested families: the plan sends them again. */
	size_t k = 0;
	for (size_t i = 0; i < r->n_sent; i++)
		if (!(fam_of(&r->sent[i].pfx) & families))
			r->sent[k++] = r->sent[i];
	r->n_sent = k;
	replan(r);
}

bool ribout_pending(const struct ribout *r)
{
	return r->up && (r->i_wd < r->n_wd || r->i_ann < r->n_ann || r->eor_due);
}

size_t ribout_sent_count(const struct ribout *r)
{
	return r->n_sent + r->i_ann - r->i_wd;
}

size_t ribout_desired_count(const struct ribout *r)
{
	return r->n_desired;
}

/* The attribute block of a set for a family, encoded once per session. */
static const uint8_t *attrs_block(struct ribout *r, uint32_t idx, unsigned fam, size_t *len)
{
	if (idx >= r->n_table)
		return NULL;
	if (!r->blk) {
		r->blk = calloc(2 * r->n_table, sizeof *r->blk);
		r->blk_len = calloc(2 * r->n_table, sizeof *r->blk_len);
		if (!r->blk || !r->blk_len) {
			blk_clear(r);
			return NULL;
		}
	}
	size_t k = 2 * idx + (fam == BGP_FAM_IPV6);
	if (!r->blk[k]) {
		uint8_t tmp[BGP_MAX_LEN];
		size_t n = bgp_attrs_encode(&r->table[idx], fam, &r->sess, tmp, sizeof tmp);
		if (!n || !(r->blk[k] = malloc(n)))
			return NULL;
		memcpy(r->blk[k], tmp, n);
		r->blk_len[k] = n;
	}
	*len = r->blk_len[k];
	return r->blk[k];
}

static size_t next_withdraw(struct ribout *r, uint8_t *out, size_t cap)
{
	unsigned fam = fam_of(&r->wd[r->i_wd]);
	size_t run = r->wd_run_end;
	if (run <= r->i_wd) {
		run = r->i_wd;
		while (run < r->n_wd && fam_of(&r->wd[run]) == fam)
			run++;
		r->wd_run_end = run;
	}
	size_t used;
	size_t len = bgp_update_pack_withdraw(&r->sess, fam, r->wd + r->i_wd, run - r->i_wd, &used, out, cap);
	if (len == 0) /* cap below one message: the caller's bug; skip rather than spin */
		used = run - r->i_wd;
	r->i_wd += used;
	return len ? len : (size_t)-1;
}

/* Drops the unconsumed run [i_ann, end) from the plan. */
static void plan_drop(struct ribout *r, size_t end)
{
	size_t k = end - r->i_ann;
	memmove(r->ann_pfx + r->i_ann, r->ann_pfx + end, (r->n_ann - end) * sizeof *r->ann_pfx);
	memmove(r->ann_attrs + r->i_ann, r->ann_attrs + end, (r->n_ann - end) * sizeof *r->ann_attrs);
	r->n_ann -= k;
	r->ann_run_end = 0;
}

static size_t next_announce(struct ribout *r, uint8_t *out, size_t cap, struct prefix *bad)
{
	size_t i = r->i_ann, run = r->ann_run_end;
	uint32_t attrs = r->ann_attrs[i];
	unsigned fam = fam_of(&r->ann_pfx[i]);
	if (run <= i) { /* find the end of this run once, not once per message */
		run = i;
		while (run < r->n_ann && r->ann_attrs[run] == attrs && fam_of(&r->ann_pfx[run]) == fam)
			run++;
		r->ann_run_end = run;
	}
	size_t alen;
	const uint8_t *blk = attrs_block(r, attrs, fam, &alen);
	if (!blk) {
		*bad = r->ann_pfx[i];
		plan_drop(r, run);
		return (size_t)-1;
	}
	size_t used;
	size_t len = bgp_update_pack_announce(&r->sess, fam, blk, alen, &r->table[attrs], r->ann_pfx + i,
					      run - i, &used, out, cap);
	if (len == 0) { /* not even one prefix fits: never loop on it */
		*bad = r->ann_pfx[i];
		plan_drop(r, run);
		return (size_t)-1;
	}
	r->i_ann += used;
	return len;
}

static size_t next_eor(struct ribout *r, uint8_t *out, size_t cap)
{
	unsigned fam = r->eor_due & BGP_FAM_IPV4 ? BGP_FAM_IPV4 : BGP_FAM_IPV6;
	r->eor_due &= ~fam;
	return bgp_update_encode_eor(fam, out, cap);
}

size_t ribout_next(struct ribout *r, uint8_t *out, size_t cap, struct prefix *bad)
{
	if (!r->up)
		return 0;
	if (r->i_wd < r->n_wd)
		return next_withdraw(r, out, cap);
	if (r->i_ann < r->n_ann)
		return next_announce(r, out, cap, bad);
	if (r->i_wd || r->i_ann)
		plan_fold(r);
	if (r->eor_due)
		return next_eor(r, out, cap);
	return 0;
}
