/* /metrics: see metrics_http.h. */
#include <event2/buffer.h>
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp/fsm.h"
#include "daemon/metrics_http.h"
#include "daemon/peer.h"
#include "daemon/services.h"

#ifndef ANYCASTD_VERSION
#define ANYCASTD_VERSION "0.1.0-dev"
#endif

struct metrics_http {
	struct daemon *d;
	struct evhttp *http;
};

#define L(...) metrics_labels(lb, sizeof lb, __VA_ARGS__, (const char *)NULL)

static const char *const msg_types[6] = {NULL, "open", "update", "notification", "keepalive", "route_refresh"};

static void write_peers(struct daemon *d, struct metrics_out *o, monotime_t now)
{
	char lb[512];
	struct peer_info *pi = calloc(d->n_peers ? d->n_peers : 1, sizeof *pi);
	if (!pi)
		return;
	for (size_t i = 0; i < d->n_peers; i++)
		peer_info(d->peers[i], &pi[i]);
	metrics_family(o, "anycastd_peer_up", METRICS_GAUGE, "1 while the BGP session is Established.");
	for (size_t i = 0; i < d->n_peers; i++) {
		L("peer", pi[i].cfg->name);
		metrics_sample(o, "anycastd_peer_up", lb, pi[i].established);
	}
	metrics_family(o, "anycastd_peer_state", METRICS_GAUGE, "The BGP FSM state of the session (1 for the current one).");
	for (size_t i = 0; i < d->n_peers; i++)
		for (int st = BGP_ST_IDLE; st <= BGP_ST_ESTABLISHED; st++) {
			L("peer", pi[i].cfg->name, "state", bgp_state_name((enum bgp_state)st));
			metrics_sample(o, "anycastd_peer_state", lb, !strcmp(pi[i].state, bgp_state_name((enum bgp_state)st)));
		}
	metrics_family(o, "anycastd_peer_uptime_seconds", METRICS_GAUGE, "Time since the session was established (0 when it is not).");
	for (size_t i = 0; i < d->n_peers; i++) {
		L("peer", pi[i].cfg->name);
		metrics_sample(o, "anycastd_peer_uptime_seconds", lb,
			       pi[i].established ? (double)(now - pi[i].established_at) / 1e9 : 0);
	}
	metrics_family(o, "anycastd_peer_established_total", METRICS_COUNTER, "Sessions established since start.");
	for (size_t i = 0; i < d->n_peers; i++) {
		L("peer", pi[i].cfg->name);
		metrics_sample(o, "anycastd_peer_established_total", lb, (double)pi[i].established_count);
	}
	static const char *const dir_name[2] = {"anycastd_peer_messages_received_total", "anycastd_peer_messages_sent_total"};
	static const char *const dir_help[2] = {"BGP messages received, by type.", "BGP messages sent, by type."};
	for (int dir = 0; dir < 2; dir++) {
		metrics_family(o, dir_name[dir], METRICS_COUNTER, dir_help[dir]);
		for (size_t i = 0; i < d->n_peers; i++)
			for (int t = 1; t <= 5; t++) {
				L("peer", pi[i].cfg->name, "type", msg_types[t]);
				metrics_sample(o, dir_name[dir], lb, (double)(dir ? pi[i].msgs_out[t] : pi[i].msgs_in[t]));
			}
	}
	metrics_family(o, "anycastd_peer_update_errors_total", METRICS_COUNTER,
		       "Received UPDATEs with RFC 7606 errors (ignored: received routes are never used).");
	for (size_t i = 0; i < d->n_peers; i++) {
		L("peer", pi[i].cfg->name);
		metrics_sample(o, "anycastd_peer_update_errors_total", lb, (double)pi[i].update_problems);
	}
	metrics_family(o, "anycastd_peer_prefixes_announced", METRICS_GAUGE, "Prefixes announced on the session now.");
	for (size_t i = 0; i < d->n_peers; i++) {
		L("peer", pi[i].cfg->name);
		metrics_sample(o, "anycastd_peer_prefixes_announced", lb, (double)pi[i].prefixes_sent);
	}
	free(pi);
}

static void write_services(struct daemon *d, struct metrics_out *o)
{
	char lb[512];
	size_t n = services_count(d->services);
	struct service_info si;
	metrics_family(o, "anycastd_service_state", METRICS_GAUGE, "The service's state (1 for the current one).");
	for (size_t i = 0; i < n; i++) {
		services_info(d->services, i, &si);
		for (int st = SVC_STARTING; st < SVC_STATE_COUNT; st++) {
			L("service", si.cfg->name, "state", service_state_name((enum service_state)st));
			metrics_sample(o, "anycastd_service_state", lb, si.svc->state == (enum service_state)st);
		}
	}
	metrics_family(o, "anycastd_service_announced", METRICS_GAUGE, "1 while the service's prefixes are announced (in any state).");
	metrics_family(o, "anycastd_service_draining", METRICS_GAUGE,
		       "1 while the service is announced with GRACEFUL_SHUTDOWN before its withdrawal.");
	metrics_family(o, "anycastd_service_drain_requested", METRICS_GAUGE,
		       "1 while a drain is asked for (anycastctl, maintenance file or SIGTERM).");
	metrics_family(o, "anycastd_service_prefixes", METRICS_GAUGE, "Prefixes configured for the service.");
	metrics_family(o, "anycastd_service_transitions_total", METRICS_COUNTER, "State transitions of the service since start.");
	metrics_family(o, "anycastd_service_damping_penalty", METRICS_GAUGE, "Flap damping penalty now (RFC 2439 arithmetic).");
	for (size_t i = 0; i < n; i++) {
		services_info(d->services, i, &si);
		L("service", si.cfg->name);
		metrics_sample(o, "anycastd_service_announced", lb, si.svc->announce != ANNOUNCE_NONE);
		metrics_sample(o, "anycastd_service_draining", lb, si.svc->announce == ANNOUNCE_DRAINING);
		metrics_sample(o, "anycastd_service_drain_requested", lb,
			       si.admin_drain || si.maintenance || si.drain_all || si.admin_disable);
		metrics_sample(o, "anycastd_service_prefixes", lb, (double)si.cfg->n_prefixes);
		metrics_sample(o, "anycastd_service_transitions_total", lb, (double)si.svc->transitions);
		metrics_sample(o, "anycastd_service_damping_penalty", lb, (double)(long long)si.penalty);
	}
}

static void write_checks(struct daemon *d, struct metrics_out *o)
{
	static const struct {
		const char *name, *help;
		enum metrics_type t;
	} fam[] = {
		{"anycastd_check_up", "1 while the check is up (passed rise times, fresh).", METRICS_GAUGE},
		{"anycastd_check_last_ok", "1 when the check's last run passed.", METRICS_GAUGE},
		{"anycastd_check_runs_total", "Runs of the check that reported a result.", METRICS_COUNTER},
		{"anycastd_check_passes_total", "Runs that passed.", METRICS_COUNTER},
		{"anycastd_check_failures_total", "Runs that failed (timeouts included).", METRICS_COUNTER},
	};
	char lb[512];
	size_t n = services_count(d->services);
	for (size_t f = 0; f < sizeof fam / sizeof *fam; f++) {
		metrics_family(o, fam[f].name, fam[f].t, fam[f].help);
		for (size_t i = 0; i < n; i++) {
			struct service_info si;
			services_info(d->services, i, &si);
			for (size_t j = 0; j < si.cfg->n_checks; j++) {
				struct check_info ci;
				services_check_info(d->services, i, j, &ci);
				L("service", si.cfg->name, "check", ci.spec->name);
				double v = f == 0   ? ci.st->status == CHECK_UP
					   : f == 1 ? (ci.runs > 0 && ci.last->ok)
					   : f == 2 ? (double)ci.runs
					   : f == 3 ? (double)ci.st->passes
						    : (double)ci.st->failures;
				metrics_sample(o, fam[f].name, lb, v);
			}
		}
	}
	metrics_family(o, "anycastd_check_duration_seconds", METRICS_HISTOGRAM, "How long check runs took.");
	for (size_t i = 0; i < n; i++) {
		struct service_info si;
		services_info(d->services, i, &si);
		for (size_t j = 0; j < si.cfg->n_checks; j++) {
			struct check_info ci;
			services_check_info(d->services, i, j, &ci);
			L("service", si.cfg->name, "check", ci.spec->name);
			metrics_histogram_write(o, "anycastd_check_duration_seconds", lb, ci.durations);
		}
	}
}

void metrics_write_all(struct daemon *d, struct metrics_out *o)
{
	char lb[128];
	monotime_t now = daemon_now();
	metrics_family(o, "anycastd_build_info", METRICS_GAUGE, "The running version (always 1).");
	L("version", ANYCASTD_VERSION);
	metrics_sample(o, "anycastd_build_info", lb, 1);
	metrics_family(o, "anycastd_uptime_seconds", METRICS_GAUGE, "Time since anycastd started.");
	metrics_sample(o, "anycastd_uptime_seconds", NULL, (double)(now - d->started) / 1e9);
	write_peers(d, o, now);
	write_services(d, o);
	write_checks(d, o);
}

static void to_evbuffer(void *arg, const char *s, size_t n) { evbuffer_add(arg, s, n); }

static void on_request(struct evhttp_request *req, void *arg)
{
	struct metrics_http *m = arg;
	const char *uri = evhttp_request_get_uri(req);
	struct evbuffer *b = evbuffer_new();
	if (!b) {
		evhttp_send_error(req, HTTP_INTERNAL, NULL);
		return;
	}
	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET && evhttp_request_get_command(req) != EVHTTP_REQ_HEAD) {
		evhttp_send_error(req, 405, "Method Not Allowed");
	} else if (!strcmp(uri, "/metrics") || !strncmp(uri, "/metrics?", 9)) {
		struct metrics_out o = {to_evbuffer, b};
		metrics_write_all(m->d, &o);
		evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
				  "text/plain; version=0.0.4; charset=utf-8");
		evhttp_send_reply(req, HTTP_OK, "OK", b);
	} else if (!strcmp(uri, "/")) {
		evbuffer_add_printf(b, "anycastd %s: metrics at /metrics\n", ANYCASTD_VERSION);
		evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "text/plain");
		evhttp_send_reply(req, HTTP_OK, "OK", b);
	} else {
		evhttp_send_error(req, HTTP_NOTFOUND, NULL);
	}
	evbuffer_free(b);
}

struct metrics_http *metrics_http_open(struct daemon *d, const struct addr *addr, uint16_t port, char *why,
				       size_t cap)
{
	char a[ADDR_STRLEN];
	addr_format(addr, a, sizeof a);
	struct metrics_http *m = calloc(1, sizeof *m);
	if (!m || !(m->http = evhttp_new(d->base))) {
		snprintf(why, cap, "out of memory");
		free(m);
		return NULL;
	}
	m->d = d;
	evhttp_set_allowed_methods(m->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
	evhttp_set_max_headers_size(m->http, 8192);
	evhttp_set_max_body_size(m->http, 1024);
	evhttp_set_timeout(m->http, 10);
	evhttp_set_gencb(m->http, on_request, m);
	if (evhttp_bind_socket(m->http, a, port) < 0) {
		snprintf(why, cap, "cannot listen on %s port %u for metrics (in use?)", a, port);
		metrics_http_close(m);
		return NULL;
	}
	return m;
}

void metrics_http_close(struct metrics_http *m)
{
	if (!m)
		return;
	if (m->http)
		evhttp_free(m->http);
	free(m);
}
