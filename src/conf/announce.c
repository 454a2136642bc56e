/* From configuration to what is announced: a service's attribute set for
 * one peer, and prefix membership.  Pure. */
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

static int cmp_prefix(const void *a, const void *b)
{
	return prefix_cmp(a, b);
}

bool conf_has_prefix(const struct conf *c, const struct prefix *p)
{
	for (size_t i = 0; i < c->n_services; i++)
		if (bsearch(p, c->services[i].prefixes, c->services[i].n_prefixes, sizeof *p, cmp_prefix))
			return true;
	return false;
}

void conf_route_attrs(const struct conf_attrs *ca, enum service_announce a, const struct conf_peer *peer,
		      uint32_t local_as, const struct addr *local_addr, struct bgp_route_attrs *out)
{
	bool ebgp = peer->remote_as != local_as;
	memset(out, 0, sizeof *out);
	out->origin = BGP_ORIGIN_IGP;
	if (ebgp)
		for (unsigned i = 0; i <= ca->prepend && i < BGP_MAX_AS_PATH; i++)
			out->as_path[out->as_path_len++] = local_as;
	out->next_hop_v4 = peer->next_hop.v4;
	out->next_hop_v6 = peer->next_hop.v6;
	if (out->next_hop_v4.family != ADDR_V4 && local_addr->family == ADDR_V4)
		out->next_hop_v4 = *local_addr;
	if (out->next_hop_v6.family != ADDR_V6 && local_addr->family == ADDR_V6)
		out->next_hop_v6 = *local_addr;
	out->has_med = ca->has_med;
	out->med = ca->med;
	out->has_local_pref = ca->has_local_pref;
	out->local_pref = ca->local_pref;
	memcpy(out->communities, ca->communities, ca->n_communities * sizeof *ca->communities);
	out->n_communities = ca->n_communities;
	memcpy(out->large, ca->large, ca->n_large * sizeof *ca->large);
	out->n_large = ca->n_large;
	if (a == ANNOUNCE_DRAINING) {
		/* RFC 8326: routers lower the preference of routes with it; on
		 * iBGP we lower LOCAL_PREF ourselves unless configured. */
		if (out->n_communities < BGP_MAX_COMMUNITIES)
			out->communities[out->n_communities++] = BGP_COMM_GRACEFUL_SHUTDOWN;
		if (!ebgp && !ca->has_local_pref) {
			out->has_local_pref = true;
			out->local_pref = 0;
		}
	}
}

