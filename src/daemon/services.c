/* Services at run time: check timers and probes feed health/check, which
 * feeds service/service; announcement changes become routes for the peers.
 * Service addresses are watched (and, with manage, added and removed)
 * through sys/addr_watch. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "daemon/services.h"
#include "health/check.h"
#include "health/probe.h"
#include "lib/log.h"
#include "sys/addr_watch.h"

#define MAINT_POLL MONOTIME_S(1) /* maintenance files are polled this often */

struct svc_rt;

struct check_rt {
	struct svc_rt *svc;
	const struct probe_spec *spec; /* in the running conf */
	struct check_state st;
	struct probe_run *run;
	struct probe_watch *watch;
	struct event *timer;
	struct probe_result last;
	monotime_t last_at;
	uint64_t runs;
	struct metrics_histogram durations;
};

struct svc_rt {
	struct services *all;
	const struct conf_service *cfg; /* in the running conf */
	struct service svc;
	struct check_rt *checks;
	size_t n_checks;
	struct event *timer;
	bool maint;      /* maintenance file present */
	bool admin_drain, admin_disable; /* anycastctl */
	bool addr_added; /* manage: our addresses are on the interface */
};

struct services {
	struct daemon *d;
	void (*changed)(struct daemon *d);
	struct svc_rt **svcs;
	size_t n;
	bool drain_all;
	bool dirty; /* routes need rebuilding */
	struct addr_watch *aw;
	struct ribout_route *routes;
	size_t n_routes;
	struct svc_event ring[SERVICES_EVENTS_MAX];
	size_t ring_next, ring_count;
};

static void event_record(struct services *s, const struct svc_rt *r, enum service_state from)
{
	struct svc_event *e = &s->ring[s->ring_next];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	e->wall_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	e->at = daemon_now();
	snprintf(e->service, sizeof e->service, "%s", r->cfg->name);
	e->from = from;
	e->to = r->svc.state;
	e->announce = r->svc.announce;
	snprintf(e->cause, sizeof e->cause, "%s", r->svc.cause ? r->svc.cause : "");
	s->ring_next = (s->ring_next + 1) % SERVICES_EVENTS_MAX;
	if (s->ring_count < SERVICES_EVENTS_MAX)
		s->ring_count++;
}

const struct svc_event *services_event(const struct services *s, size_t i)
{
	if (i >= s->ring_count)
		return NULL;
	return &s->ring[(s->ring_next + SERVICES_EVENTS_MAX - 1 - i) % SERVICES_EVENTS_MAX];
}

static void svc_eval(struct svc_rt *r);

/* ---- routes ---- */

static void routes_rebuild(struct services *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->svcs[i]->svc.announce != ANNOUNCE_NONE)
			n += s->svcs[i]->cfg->n_prefixes;
	struct ribout_route *r = malloc((n ? n : 1) * sizeof *r);
	if (!r) {
		log_error("service", "out of memory building routes", NULL);
		return;
	}
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct svc_rt *rt = s->svcs[i];
		if (rt->svc.announce == ANNOUNCE_NONE)
			continue;
		for (size_t j = 0; j < rt->cfg->n_prefixes; j++)
			r[k++] = (struct ribout_route){rt->cfg->prefixes[j], services_attr_index(i, rt->svc.announce)};
	}
	free(s->routes);
	s->routes = r;
	s->n_routes = k;
	s->dirty = false;
}

const struct ribout_route *services_routes(const struct services *s, size_t *n)
{
	*n = s->n_routes;
	return s->routes;
}

size_t services_count(const struct services *s) { return s->n; }

/* ---- service addresses ---- */

static bool addresses_present(const struct svc_rt *r)
{
	const struct conf_service_address *a = &r->cfg->address;
	if (!a->interface[0] || a->manage)
		return true;
	if (!r->all->aw)
		return false;
	for (size_t i = 0; i < r->cfg->n_prefixes; i++)
		if (!addr_watch_present(r->all->aw, a->interface, &r->cfg->prefixes[i]))
			return false;
	return true;
}

static void addresses_manage(struct svc_rt *r, bool add)
{
	const struct conf_service_address *a = &r->cfg->address;
	if (!a->interface[0] || !a->manage || !r->all->aw || r->addr_added == add)
		return;
	for (size_t i = 0; i < r->cfg->n_prefixes; i++) {
		char p[PREFIX_STRLEN];
		prefix_format(&r->cfg->prefixes[i], p, sizeof p);
		int rc = add ? addr_watch_add(r->all->aw, a->interface, &r->cfg->prefixes[i])
			     : addr_watch_del(r->all->aw, a->interface, &r->cfg->prefixes[i]);
		if (rc < 0)
			log_error("service", add ? "cannot add the service address" : "cannot remove the service address",
				  "service=%s interface=%s prefix=%s error=\"%s\"", r->cfg->name, a->interface, p,
				  strerror(errno));
	}
	r->addr_added = add;
}

/* ---- checks ---- */

static void check_schedule(struct check_rt *c)
{
	monotime_t dl = check_next_deadline(&c->st);
	if (c->run) {
		/* the run reports by its timeout; only staleness may come first */
		if (c->st.status != CHECK_UP)
			return;
		dl = (c->st.last_result ? c->st.last_result : c->st.since) + check_max_age(&c->st.p);
	}
	daemon_ev_at(c->timer, dl);
}

static void on_gone(void *arg)
{
	struct check_rt *c = arg;
	probe_watch_stop(c->watch);
	c->watch = NULL;
	snprintf(c->last.detail, sizeof c->last.detail, "watched process exited");
	if (check_hard_fail(&c->st, daemon_now())) {
		log_warn("check", "check down", "service=%s check=%s reason=\"watched process exited\"",
			 c->svc->cfg->name, c->spec->name);
		svc_eval(c->svc);
	}
	check_schedule(c);
}

static void on_probe_done(void *arg, const struct probe_result *res)
{
	struct check_rt *c = arg;
	c->run = NULL;
	c->last = *res;
	monotime_t now = daemon_now();
	c->last_at = now;
	c->runs++;
	metrics_histogram_observe(&c->durations, (double)res->duration / 1e9);
	enum check_status before = c->st.status;
	if (check_result(&c->st, res->ok, now)) {
		char q[200];
		log_msg(c->st.status == CHECK_UP ? LOG_INFO : LOG_WARN, "check",
			c->st.status == CHECK_UP ? "check up" : "check down",
			"service=%s check=%s from=%s detail=%s duration_ms=%lld", c->svc->cfg->name, c->spec->name,
			check_status_name(before), log_quote(res->detail, q, sizeof q),
			(long long)monotime_to_ms(res->duration));
		svc_eval(c->svc);
	}
	if (res->ok && c->spec->type == PROBE_PROCESS && !c->watch)
		c->watch = probe_watch_start(c->svc->all->d->base, c->spec, on_gone, c);
	check_schedule(c);
}

static void on_check_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct check_rt *c = arg;
	monotime_t now = daemon_now();
	if (check_tick(&c->st, now)) {
		log_warn("check", "check down", "service=%s check=%s reason=\"no result within max-age\"",
			 c->svc->cfg->name, c->spec->name);
		svc_eval(c->svc);
	}
	if (!c->run && now >= c->st.next_run) {
		c->run = probe_start(c->svc->all->d->base, c->spec, c->st.p.timeout, on_probe_done, c);
		if (!c->run)
			log_error("check", "cannot start probe (out of memory)", "service=%s check=%s",
				  c->svc->cfg->name, c->spec->name);
	}
	check_schedule(c);
}

static void checks_stop(struct svc_rt *r)
{
	for (size_t i = 0; i < r->n_checks; i++) {
		probe_cancel(r->checks[i].run);
		probe_watch_stop(r->checks[i].watch);
		daemon_ev_free(&r->checks[i].timer);
	}
	free(r->checks);
	r->checks = NULL;
	r->n_checks = 0;
}

static int checks_start(struct svc_rt *r)
{
	monotime_t now = daemon_now();
	if (!r->cfg->n_checks)
		return 0;
	r->checks = calloc(r->cfg->n_checks, sizeof *r->checks);
	if (!r->checks)
		return -1;
	r->n_checks = r->cfg->n_checks;
	for (size_t i = 0; i < r->n_checks; i++) {
		struct check_rt *c = &r->checks[i];
		c->svc = r;
		c->spec = &r->cfg->checks[i];
		check_init(&c->st, &c->spec->params, now, (uint64_t)now ^ ((uint64_t)(uintptr_t)c << 8));
		if (!(c->timer = evtimer_new(r->all->d->base, on_check_timer, c)))
			return -1;
		check_schedule(c);
	}
	return 0;
}

/* ---- the service ---- */

static void svc_schedule(struct svc_rt *r)
{
	monotime_t now = daemon_now();
	monotime_t dl = service_next_deadline(&r->svc, now);
	if (r->cfg->maintenance_file[0] && (!dl || dl > now + MAINT_POLL))
		dl = now + MAINT_POLL;
	if (dl)
		daemon_ev_at(r->timer, dl);
	else
		event_del(r->timer);
}

static void svc_eval(struct svc_rt *r)
{
	struct services *s = r->all;
	monotime_t now = daemon_now();
	struct service_input in = {.n_checks = (unsigned)r->n_checks, .address_ok = addresses_present(r),
				   .drain = s->drain_all || r->maint || r->admin_drain,
				   .disable = r->admin_disable};
	for (size_t i = 0; i < r->n_checks; i++) {
		const struct check_state *c = &r->checks[i].st;
		in.n_up += c->status == CHECK_UP;
		in.n_unknown += c->status == CHECK_UNKNOWN;
		in.n_dep_down += c->status == CHECK_DOWN && r->cfg->checks[i].dependency;
		in.stale |= c->stale;
	}
	enum service_state before = r->svc.state;
	enum service_announce ann_before = r->svc.announce;
	if (service_update(&r->svc, &in, now)) {
		/* fail-static is an alarm: a failure is being ignored on purpose */
		log_msg(r->svc.state == SVC_FAIL_STATIC                                 ? LOG_ERROR
			: r->svc.announce == ANNOUNCE_NONE && ann_before != ANNOUNCE_NONE ? LOG_WARN
											 : LOG_INFO,
			"service", "state change", "service=%s from=%s to=%s announce=%s cause=\"%s\"", r->cfg->name,
			service_state_name(before), service_state_name(r->svc.state),
			service_announce_name(r->svc.announce), r->svc.cause);
		event_record(s, r, before);
		if (r->svc.reset_checks) {
			r->svc.reset_checks = false;
			for (size_t i = 0; i < r->n_checks; i++) {
				/* a run started before the undrain is no fresh evidence */
				probe_cancel(r->checks[i].run);
				r->checks[i].run = NULL;
				check_reset(&r->checks[i].st, now);
				check_schedule(&r->checks[i]);
			}
		}
		if (r->svc.announce != ann_before) {
			if (r->svc.announce != ANNOUNCE_NONE)
				addresses_manage(r, true); /* before the first announcement */
			routes_rebuild(s);
			s->changed(s->d);
			if (r->svc.announce == ANNOUNCE_NONE)
				addresses_manage(r, false); /* after the withdrawal went out */
		}
	}
	svc_schedule(r);
}

static void on_svc_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct svc_rt *r = arg;
	if (r->cfg->maintenance_file[0]) {
		struct stat st;
		bool present = stat(r->cfg->maintenance_file, &st) == 0;
		if (present != r->maint)
			log_info("service", present ? "maintenance file appeared" : "maintenance file removed",
				 "service=%s file=%s", r->cfg->name, r->cfg->maintenance_file);
		r->maint = present;
	}
	svc_eval(r);
}

static void svc_free(struct svc_rt *r)
{
	if (!r)
		return;
	checks_stop(r);
	daemon_ev_free(&r->timer);
	free(r);
}

static struct svc_rt *svc_new(struct services *s, const struct conf_service *cfg)
{
	struct svc_rt *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->all = s;
	r->cfg = cfg;
	service_init(&r->svc, &cfg->params, daemon_now());
	if (!(r->timer = evtimer_new(s->d->base, on_svc_timer, r)) || checks_start(r) < 0) {
		svc_free(r);
		return NULL;
	}
	return r;
}

/* Points a kept service at its entry in the new configuration. */
static int svc_repoint(struct svc_rt *r, const struct conf_service *cfg, unsigned what)
{
	r->cfg = cfg;
	if (what & CONF_SVC_PARAMS)
		r->svc.p = cfg->params;
	if (what & CONF_SVC_CHECKS) {
		checks_stop(r);
		service_restart(&r->svc, daemon_now(), "checks changed by reload");
		return checks_start(r);
	}
	for (size_t i = 0; i < r->n_checks; i++)
		r->checks[i].spec = &cfg->checks[i];
	return 0;
}

static void on_addr_change(void *arg)
{
	struct services *s = arg;
	for (size_t i = 0; i < s->n; i++)
		if (s->svcs[i]->cfg->address.interface[0])
			svc_eval(s->svcs[i]);
}

struct services *services_new(struct daemon *d, void (*changed)(struct daemon *d))
{
	struct services *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->d = d;
	s->changed = changed;
	if (probe_global_init() < 0) {
		free(s);
		return NULL;
	}
	return s;
}

void services_free(struct services *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		addresses_manage(s->svcs[i], false);
		svc_free(s->svcs[i]);
	}
	free(s->svcs);
	free(s->routes);
	addr_watch_free(s->aw);
	probe_global_cleanup();
	free(s);
}

static bool needs_addresses(const struct conf *c)
{
	for (size_t i = 0; i < c->n_services; i++)
		if (c->services[i].address.interface[0])
			return true;
	return false;
}

int services_apply(struct services *s, const struct conf_diff *diff)
{
	const struct conf *c = s->d->conf;
	struct svc_rt **nv = calloc(c->n_services ? c->n_services : 1, sizeof *nv);
	if (!nv)
		return -1;
	if (needs_addresses(c) && !s->aw && !(s->aw = addr_watch_new(s->d->base, on_addr_change, s)))
		log_error("service", "cannot watch addresses (netlink)", "error=\"%s\"", strerror(errno));
	struct svc_rt **gone = calloc(s->n ? s->n : 1, sizeof *gone);
	size_t n_gone = 0;
	if (!gone) {
		free(nv);
		return -1;
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct conf_diff_entry *e = diff ? &diff->old_services[i] : NULL;
		if (e && e->change != CONF_REMOVED)
			nv[e->other] = s->svcs[i];
		else
			gone[n_gone++] = s->svcs[i];
	}
	for (size_t i = 0; i < c->n_services; i++) {
		const struct conf_diff_entry *e = diff ? &diff->new_services[i] : NULL;
		if (nv[i]) {
			if (svc_repoint(nv[i], &c->services[i], e && e->change == CONF_CHANGED ? e->what : 0) < 0)
				goto fail;
		} else if (!(nv[i] = svc_new(s, &c->services[i]))) {
			goto fail;
		}
	}
	free(s->svcs);
	s->svcs = nv;
	s->n = c->n_services;
	routes_rebuild(s);
	s->changed(s->d);
	/* Removed services' routes are withdrawn now: their addresses may go. */
	for (size_t i = 0; i < n_gone; i++) {
		addresses_manage(gone[i], false);
		svc_free(gone[i]);
	}
	free(gone);
	for (size_t i = 0; i < s->n; i++)
		svc_eval(s->svcs[i]);
	return 0;
fail:
	/* Kept services may be referenced from both arrays: free each once. */
	for (size_t i = 0; i < c->n_services; i++) {
		bool kept = false;
		for (size_t j = 0; j < s->n; j++)
			kept |= s->svcs[j] == nv[i];
		if (!kept)
			svc_free(nv[i]);
	}
	free(nv);
	free(gone);
	return -1;
}

void services_drain_all(struct services *s, bool on)
{
	s->drain_all = on;
	for (size_t i = 0; i < s->n; i++)
		svc_eval(s->svcs[i]);
}

bool services_all_withdrawn(const struct services *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->svcs[i]->svc.announce != ANNOUNCE_NONE)
			return false;
	return true;
}

void services_peer_attrs(const struct services *s, const struct conf_peer *peer, uint32_t local_as,
			 const struct addr *local_addr, struct bgp_route_attrs *table)
{
	static const enum service_announce states[] = {ANNOUNCE_UP, ANNOUNCE_DEGRADED, ANNOUNCE_DRAINING};
	for (size_t i = 0; i < s->n; i++) {
		const struct conf_service *cs = s->svcs[i]->cfg;
		const struct conf_attrs *ca[] = {&cs->attrs_up, &cs->attrs_degraded, &cs->attrs_draining};
		for (size_t k = 0; k < 3; k++)
			conf_route_attrs(ca[k], states[k], peer, local_as, local_addr,
				       &table[services_attr_index(i, states[k])]);
	}
}

/* ---- anycastctl ---- */

int services_find(const struct services *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->svcs[i]->cfg->name, name))
			return (int)i;
	return -1;
}

void services_info(const struct services *s, size_t i, struct service_info *out)
{
	const struct svc_rt *r = s->svcs[i];
	*out = (struct service_info){
		.cfg = r->cfg,
		.svc = &r->svc,
		.penalty = damp_penalty(&r->svc.damp, &r->svc.p.damp, daemon_now()),
		.maintenance = r->maint,
		.admin_drain = r->admin_drain,
		.admin_disable = r->admin_disable,
		.drain_all = s->drain_all,
		.address_ok = addresses_present(r),
	};
}

void services_check_info(const struct services *s, size_t i, size_t j, struct check_info *out)
{
	const struct check_rt *c = &s->svcs[i]->checks[j];
	*out = (struct check_info){
		.spec = c->spec,
		.st = &c->st,
		.last = &c->last,
		.last_at = c->last_at,
		.running = c->run != NULL,
		.runs = c->runs,
		.durations = &c->durations,
	};
}

void services_admin(struct services *s, size_t i, enum services_admin what)
{
	struct svc_rt *r = s->svcs[i];
	static const char *const names[] = {"drain", "undrain", "disable", "enable"};
	switch (what) {
	case SERVICES_DRAIN:
		r->admin_drain = true;
		break;
	case SERVICES_UNDRAIN:
		r->admin_drain = false;
		break;
	case SERVICES_DISABLE:
		r->admin_disable = true;
		break;
	case SERVICES_ENABLE:
		r->admin_disable = false;
		break;
	}
	log_info("service", "operator request", "service=%s request=%s", r->cfg->name, names[what]);
	svc_eval(r);
}

void services_check_now(struct services *s, size_t i)
{
	struct svc_rt *r = s->svcs[i];
	monotime_t now = daemon_now();
	for (size_t j = 0; j < r->n_checks; j++) {
		struct check_rt *c = &r->checks[j];
		if (c->run)
			continue; /* a run is under way: its result is as fresh */
		c->st.next_run = now;
		daemon_ev_at(c->timer, now);
	}
}
