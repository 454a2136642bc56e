/* Control requests → answers: the JSON documented in docs/operations.md
 * ("anycastctl and the control socket").  Field names are a contract:
 * add, never rename. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"
#include "daemon/control.h"
#include "daemon/peer.h"
#include "daemon/services.h"
#include "lib/log.h"

#ifndef ANYCASTD_VERSION
#define ANYCASTD_VERSION "0.1.0-dev"
#endif

static double secs(monotime_t d) { return d > 0 ? (double)d / 1e9 : 0.0; }
static double round_ms(double s) { return (double)(long long)(s * 1000.0 + 0.5) / 1000.0; }

static json_t *prefixes_json(const struct conf_service *cs)
{
	json_t *a = json_array();
	for (size_t i = 0; i < cs->n_prefixes; i++) {
		char p[PREFIX_STRLEN];
		prefix_format(&cs->prefixes[i], p, sizeof p);
		json_array_append_new(a, json_string(p));
	}
	return a;
}

static json_t *msgs_json(const uint64_t m[6])
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I}", "open", (json_int_t)m[1], "update", (json_int_t)m[2],
			 "notification", (json_int_t)m[3], "keepalive", (json_int_t)m[4], "route_refresh",
			 (json_int_t)m[5]);
}

static json_t *peer_json(const struct daemon *d, const struct peer *p, monotime_t now)
{
	struct peer_info pi;
	char a[ADDR_STRLEN];
	peer_info(p, &pi);
	addr_format(&pi.cfg->address, a, sizeof a);
	json_t *o = json_pack("{s:s,s:s,s:I,s:s,s:s,s:f,s:f,s:i,s:s,s:s,s:I,s:I,s:I}", "name", pi.cfg->name,
			      "address", a, "remote_as", (json_int_t)pi.cfg->remote_as, "type",
			      pi.cfg->remote_as == d->conf->local_as ? "ibgp" : "ebgp", "state", pi.state,
			      "uptime", pi.established ? round_ms(secs(now - pi.established_at)) : 0.0,
			      "state_for", round_ms(secs(now - pi.state_since)), "hold_time", pi.hold_time,
			      "families", pi.families, "last_error", pi.last_error, "established_count",
			      (json_int_t)pi.established_count, "prefixes_announced", (json_int_t)pi.prefixes_sent,
			      "update_errors", (json_int_t)pi.update_problems);
	if (o) {
		json_object_set_new(o, "messages_in", msgs_json(pi.msgs_in));
		json_object_set_new(o, "messages_out", msgs_json(pi.msgs_out));
	}
	return o;
}

static json_t *check_json(const struct check_info *ci, monotime_t now)
{
	const struct probe_spec *sp = ci->spec;
	json_t *o = json_pack("{s:s,s:s,s:s,s:b,s:I,s:I,s:I,s:i,s:i,s:f,s:f}", "name", sp->name, "type",
			      conf_probe_type_name(sp->type), "status", check_status_name(ci->st->status),
			      "running", ci->running, "runs", (json_int_t)ci->runs, "passes",
			      (json_int_t)ci->st->passes, "failures", (json_int_t)ci->st->failures, "rise",
			      sp->params.rise, "fall", sp->params.fall, "interval",
			      secs(sp->params.interval), "timeout", secs(sp->params.timeout));
	if (!o)
		return NULL;
	if (ci->runs > 0)
		json_object_set_new(o, "last",
				    json_pack("{s:b,s:s,s:f,s:f}", "ok", ci->last->ok, "detail", ci->last->detail,
					      "duration_ms", (double)ci->last->duration / 1e6, "age",
					      round_ms(secs(now - ci->last_at))));
	else
		json_object_set_new(o, "last", json_null());
	return o;
}

static json_t *announced_to(const struct daemon *d, const struct service_info *si)
{
	json_t *a = json_array();
	if (si->svc->announce == ANNOUNCE_NONE)
		return a;
	for (size_t i = 0; i < d->n_peers; i++) {
		struct peer_info pi;
		peer_info(d->peers[i], &pi);
		if (pi.established && pi.prefixes_sent > 0)
			json_array_append_new(a, json_string(pi.cfg->name));
	}
	return a;
}

static json_t *service_json(const struct daemon *d, size_t i, bool checks, monotime_t now)
{
	struct service_info si;
	services_info(d->services, i, &si);
	const struct service *sv = si.svc;
	json_t *o = json_pack("{s:s,s:s,s:s,s:b,s:o,s:f,s:s,s:b,s:b,s:b,s:b,s:I,s:o}", "name", si.cfg->name,
			      "state", service_state_name(sv->state), "announce",
			      service_announce_name(sv->announce), "announced", sv->announce != ANNOUNCE_NONE,
			      "prefixes", prefixes_json(si.cfg), "state_for", round_ms(secs(now - sv->since)),
			      "cause", sv->cause ? sv->cause : "", "maintenance", si.maintenance, "drained",
			      si.admin_drain, "disabled", si.admin_disable, "address_ok", si.address_ok,
			      "transitions", (json_int_t)sv->transitions, "announced_to", announced_to(d, &si));
	if (!o)
		return NULL;
	json_object_set_new(o, "damping",
			    json_pack("{s:b,s:f,s:b}", "enabled", sv->p.damp.enabled, "penalty",
				      (double)(long long)si.penalty, "suppressed", sv->state == SVC_SUPPRESSED));
	if (checks) {
		json_t *a = json_array();
		for (size_t j = 0; j < si.cfg->n_checks; j++) {
			struct check_info ci;
			services_check_info(d->services, i, j, &ci);
			json_array_append_new(a, check_json(&ci, now));
		}
		json_object_set_new(o, "checks", a);
	}
	return o;
}

static json_t *peers_array(const struct daemon *d, monotime_t now)
{
	json_t *a = json_array();
	for (size_t i = 0; i < d->n_peers; i++)
		json_array_append_new(a, peer_json(d, d->peers[i], now));
	return a;
}

static json_t *services_array(const struct daemon *d, bool checks, monotime_t now)
{
	json_t *a = json_array();
	for (size_t i = 0; i < services_count(d->services); i++)
		json_array_append_new(a, service_json(d, i, checks, now));
	return a;
}

static json_t *status_json(const struct daemon *d, monotime_t now)
{
	char id[ADDR_STRLEN];
	struct addr rid;
	addr_v4(&rid, d->conf->router_id);
	addr_format(&rid, id, sizeof id);
	return json_pack("{s:s,s:s,s:I,s:f,s:b,s:o,s:o}", "version", ANYCASTD_VERSION, "router_id", id,
			 "local_as", (json_int_t)d->conf->local_as, "uptime", round_ms(secs(now - d->started)),
			 "stopping", d->stopping || d->draining, "peers", peers_array(d, now), "services",
			 services_array(d, false, now));
}

static json_t *events_json(const struct daemon *d, unsigned count, monotime_t now)
{
	json_t *a = json_array();
	const struct svc_event *e;
	for (size_t i = 0; i < count && (e = services_event(d->services, i)) != NULL; i++)
		json_array_append_new(a, json_pack("{s:I,s:f,s:s,s:s,s:s,s:s,s:s}", "time_ms", (json_int_t)e->wall_ms,
						   "ago", round_ms(secs(now - e->at)), "service", e->service,
						   "from", service_state_name(e->from), "to",
						   service_state_name(e->to), "announce",
						   service_announce_name(e->announce), "cause", e->cause));
	return json_pack("{s:o}", "events", a);
}

/* drain/undrain/disable/enable of one service or all. */
static char *admin(struct daemon *d, const struct ctl_request *r)
{
	static const enum services_admin what[] = {
		[CTL_DRAIN] = SERVICES_DRAIN,
		[CTL_UNDRAIN] = SERVICES_UNDRAIN,
		[CTL_DISABLE] = SERVICES_DISABLE,
		[CTL_ENABLE] = SERVICES_ENABLE,
	};
	size_t n = services_count(d->services), first = 0, last = n;
	if (!r->all) {
		int i = services_find(d->services, r->service);
		if (i < 0)
			return ctl_response_error("unknown-service", "no service named '%s'", r->service);
		first = (size_t)i;
		last = first + 1;
	}
	if (d->stopping)
		return ctl_response_error("stopping", "anycastd is shutting down");
	json_t *a = json_array();
	monotime_t now = daemon_now();
	for (size_t i = first; i < last; i++) {
		services_admin(d->services, i, what[r->cmd]);
		json_array_append_new(a, service_json(d, i, false, now));
	}
	return ctl_response_ok(json_pack("{s:o}", "services", a));
}

char *control_handle(struct daemon *d, const char *line, size_t len, bool readonly)
{
	struct ctl_request r;
	char err[300];
	monotime_t now = daemon_now();
	if (ctl_request_parse(line, len, &r, err, sizeof err) < 0) {
		char q[340];
		log_info("control", "bad request", "error=%s", log_quote(err, q, sizeof q));
		return ctl_response_error("bad-request", "%s", err);
	}
	/* log-level changes something too, when given a level */
	if (readonly && ((ctl_commands[r.cmd].args & CTL_MUTATES) || r.cmd == CTL_CHECK ||
			 (r.cmd == CTL_LOG_LEVEL && r.level >= 0)))
		return ctl_response_error("read-only", "%s is refused on the read-only socket",
					  ctl_commands[r.cmd].name);
	if (ctl_commands[r.cmd].args & CTL_MUTATES)
		log_info("control", "request", "command=%s service=%s all=%s", ctl_commands[r.cmd].name,
			 r.service[0] ? r.service : "-", r.all ? "yes" : "no");
	switch (r.cmd) {
	case CTL_STATUS:
		return ctl_response_ok(status_json(d, now));
	case CTL_PEERS:
		return ctl_response_ok(json_pack("{s:o}", "peers", peers_array(d, now)));
	case CTL_SERVICES:
		return ctl_response_ok(json_pack("{s:o}", "services", services_array(d, true, now)));
	case CTL_EVENTS:
		return ctl_response_ok(events_json(d, r.count, now));
	case CTL_DRAIN:
	case CTL_UNDRAIN:
	case CTL_DISABLE:
	case CTL_ENABLE:
		return admin(d, &r);
	case CTL_CHECK: {
		int i = services_find(d->services, r.service);
		if (i < 0)
			return ctl_response_error("unknown-service", "no service named '%s'", r.service);
		services_check_now(d->services, (size_t)i);
		return ctl_response_ok(json_pack("{s:o}", "service", service_json(d, (size_t)i, true, now)));
	}
	case CTL_RELOAD: {
		char why[700];
		if (d->stopping)
			return ctl_response_error("stopping", "anycastd is shutting down");
		if (daemon_reload(d, r.force, why, sizeof why) < 0)
			return ctl_response_error("reload-failed", "%s", why);
		return ctl_response_ok(json_pack("{s:s}", "result", why));
	}
	case CTL_LOG_LEVEL:
		if (r.level >= 0) {
			log_set_level((enum log_level)r.level);
			log_info("control", "log level changed", "level=%s", log_level_name(r.level));
		}
		return ctl_response_ok(json_pack("{s:s}", "level", log_level_name((int)log_get_level())));
	case CTL_VERSION:
		return ctl_response_ok(json_pack("{s:s,s:i}", "version", ANYCASTD_VERSION, "protocol",
						 CTL_PROTOCOL_VERSION));
	case CTL_N_COMMANDS:
		break;
	}
	return ctl_response_error("bad-request", "unknown command");
}
