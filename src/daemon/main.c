/* anycastd: the node agent.
 *
 *   anycastd -c FILE        run in the foreground
 *   anycastd -n -c FILE     check FILE and print it normalised
 *
 * Exit codes: 0 ok, 1 configuration error, 2 usage, 3 runtime failure.
 */
#include <errno.h>
#include <event2/event.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon/closer.h"
#include "daemon/control.h"
#include "daemon/metrics_http.h"
#include "daemon/daemon.h"
#include "daemon/lifecycle.h"
#include "daemon/peer.h"
#include "daemon/services.h"
#include "lib/log.h"
#include "sys/sock.h"

#ifndef ANYCASTD_VERSION
#define ANYCASTD_VERSION "0.1.0-dev"
#endif

enum { EXIT_CONFIG = 1, EXIT_USAGE = 2, EXIT_RUNTIME = 3 };

#define CONF_FILE_MAX (64u << 20)
#define SHUTDOWN_MAX_WAIT 3 /* seconds for Cease and withdrawals to drain */

monotime_t daemon_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return MONOTIME_S(ts.tv_sec) + ts.tv_nsec;
}

void daemon_ev_at(struct event *e, monotime_t when)
{
	monotime_t now = daemon_now(), d = when > now ? when - now : 0;
	struct timeval tv = {.tv_sec = d / 1000000000, .tv_usec = (d % 1000000000) / 1000};
	event_add(e, &tv);
}

void daemon_ev_free(struct event **e)
{
	if (*e)
		event_free(*e);
	*e = NULL;
}

/* Reads and parses a config file.  On failure returns NULL with the reason
 * in why (FILE:LINE:COL: REASON for a bad file). */
static struct conf *conf_load(const char *path, char *why, size_t cap)
{
	struct conf *c = NULL;
	struct conf_error err;
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(why, cap, "%s: %s", path, strerror(errno));
		return NULL;
	}
	char *buf = malloc(CONF_FILE_MAX);
	size_t n = buf ? fread(buf, 1, CONF_FILE_MAX, f) : 0;
	bool bad = !buf || ferror(f) || n == CONF_FILE_MAX;
	fclose(f);
	if (bad) {
		snprintf(why, cap, "%s: cannot read (or larger than %u MiB)", path, CONF_FILE_MAX >> 20);
		free(buf);
		return NULL;
	}
	if (conf_parse(buf, n, path, &c, &err) < 0)
		conf_error_format(&err, why, cap);
	free(buf);
	return c;
}

/* The services' wanted routes changed: every peer's Adj-RIB-Out follows. */
static void routes_changed(struct daemon *d)
{
	for (size_t i = 0; i < d->n_peers; i++)
		if (d->peers[i])
			peer_routes_changed(d->peers[i]);
}

/* ---- listeners ---- */

static struct peer *peer_by_addr(struct daemon *d, const struct addr *a)
{
	for (size_t i = 0; i < d->n_peers; i++)
		if (addr_equal(&peer_conf(d->peers[i])->address, a))
			return d->peers[i];
	return NULL;
}

static void on_accept(evutil_socket_t lfd, short what, void *arg)
{
	(void)what;
	struct daemon *d = arg;
	struct addr a;
	uint16_t port;
	int fd = sock_accept(lfd, &a, &port);
	if (fd < 0)
		return;
	char s[ADDR_STRLEN];
	addr_format(&a, s, sizeof s);
	struct peer *p = d->stopping ? NULL : peer_by_addr(d, &a);
	if (!p) {
		log_info("listen", "connection from an unknown address refused", "from=%s", s);
		close(fd);
		return;
	}
	if (peer_conf(p)->tcp_ao.enabled && sock_ao_active(fd) != 1) {
		/* The listener's key makes the kernel sign and check; a connection
		 * without TCP-AO means it could not: never an unauthenticated session. */
		log_error("listen", "connection without TCP-AO from a TCP-AO peer refused",
			  "peer=%s from=%s error=\"%s\"", peer_conf(p)->name, s, sock_ao_strerror(errno));
		close(fd);
		return;
	}
	log_debug("listen", "connection accepted", "peer=%s from=%s", peer_conf(p)->name, s);
	peer_incoming(p, fd);
}

/* TCP-MD5 and TCP-AO keys live on the listening sockets too, one per peer
 * address; install false removes them (a peer removed or changed by a reload). */
static void listen_keys(struct daemon *d, const struct conf *c, bool install)
{
	for (int i = 0; i < 2; i++) {
		if (d->lfd[i] < 0)
			continue;
		for (size_t j = 0; j < c->n_peers; j++) {
			const struct conf_peer *p = &c->peers[j];
			if (p->address.family != (i ? ADDR_V6 : ADDR_V4))
				continue;
			if (p->tcp_ao.enabled) {
				struct sock_ao ao = {.key = install ? p->tcp_ao.password : NULL,
						     .send_id = p->tcp_ao.send_id,
						     .recv_id = p->tcp_ao.recv_id,
						     .cmac = p->tcp_ao.alg == CONF_AO_AES128_CMAC};
				if (sock_set_ao(d->lfd[i], &p->address, &ao) < 0 && install)
					log_error("listen", "cannot set the TCP-AO key: the peer's connections will be refused",
						  "peer=%s error=\"%s\"", p->name, sock_ao_strerror(errno));
				continue;
			}
			if (!p->password[0])
				continue;
			if (sock_set_md5(d->lfd[i], &p->address, install ? p->password : NULL) < 0 && install)
				log_error("listen", "cannot set the TCP-MD5 key", "peer=%s error=\"%s\"", p->name,
					  strerror(errno));
		}
	}
}

static int listen_start(struct daemon *d)
{
	bool need = false;
	for (size_t i = 0; i < d->conf->n_peers; i++)
		need |= d->conf->peers[i].passive;
	for (int i = 0; i < 2; i++) {
		uint8_t fam = i ? ADDR_V6 : ADDR_V4;
		d->lfd[i] = sock_listen(fam, BGP_PORT);
		if (d->lfd[i] < 0) {
			/* Routers usually connect out too; without a listener we still
			 * connect to them.  Passive peers make it fatal. */
			log_msg(need ? LOG_ERROR : LOG_WARN, "listen", "cannot listen on the BGP port",
				"family=ipv%d port=%d error=\"%s\"", i ? 6 : 4, BGP_PORT, strerror(errno));
			if (need && errno != EAFNOSUPPORT)
				return -1;
			continue;
		}
		d->lev[i] = event_new(d->base, d->lfd[i], EV_READ | EV_PERSIST, on_accept, d);
		event_add(d->lev[i], NULL);
	}
	return 0;
}

/* ---- peers and reload ---- */

static int peers_create(struct daemon *d)
{
	d->peers = calloc(d->conf->n_peers ? d->conf->n_peers : 1, sizeof *d->peers);
	if (!d->peers)
		return -1;
	for (size_t i = 0; i < d->conf->n_peers; i++) {
		if (!(d->peers[i] = peer_new(d, &d->conf->peers[i])))
			return -1;
		d->n_peers++;
	}
	return 0;
}

/* Would the new configuration take away every route we announce now?
 * (No prefix announced now is in it, or every peer that has our routes
 * goes.)  design.md guarantee 5: that needs an explicit override. */
static bool withdraws_everything(const struct daemon *d, const struct conf *nc, const struct conf_diff *diff)
{
	bool any_peer = false, peer_kept = false, prefix_kept = false;
	for (size_t i = 0; i < d->n_peers; i++) {
		if (!peer_announcing(d->peers[i]))
			continue;
		any_peer = true;
		peer_kept |= diff->old_peers[i].change != CONF_REMOVED;
	}
	if (!any_peer)
		return false;
	size_t n;
	const struct ribout_route *r = services_routes(d->services, &n);
	for (size_t i = 0; i < n && !prefix_kept; i++)
		prefix_kept = conf_has_prefix(nc, &r[i].pfx);
	return n > 0 && (!peer_kept || !prefix_kept);
}

static void on_control_reopen(evutil_socket_t fd, short what, void *arg);

static int reload_apply(struct daemon *d, bool force, char *why, size_t cap);

int daemon_reload(struct daemon *d, bool force, char *why, size_t cap)
{
	log_info("config", "reloading", "file=%s force=%s", d->conf_path, force ? "yes" : "no");
	lifecycle_reloading();
	int rc = reload_apply(d, force, why, cap);
	lifecycle_ready(d); /* systemd wants READY=1 after RELOADING=1, whatever the outcome */
	return rc;
}

static int reload_apply(struct daemon *d, bool force, char *why, size_t cap)
{
	char q[700];
	struct conf *nc = conf_load(d->conf_path, why, cap);
	struct conf_diff diff = {0};
	if (!nc) {
		log_error("config", "reload failed, keeping the running configuration", "file=%s error=%s",
			  d->conf_path, log_quote(why, q, sizeof q));
		return -1;
	}
	struct peer **np = calloc(nc->n_peers ? nc->n_peers : 1, sizeof *np);
	if (!np || conf_diff(d->conf, nc, &diff) < 0) {
		snprintf(why, cap, "out of memory, keeping the running configuration");
		log_error("config", "out of memory, keeping the running configuration", NULL);
		free(np);
		conf_free(nc);
		return -1;
	}
	if (!force && withdraws_everything(d, nc, &diff)) {
		snprintf(why, cap, "refused: the new configuration would withdraw every announced prefix; "
				   "running configuration kept (reload --force, or SIGUSR1, to apply it anyway)");
		log_error("config",
			  "reload refused: it would withdraw every announced prefix; running configuration kept",
			  "file=%s hint=\"if this is intended, reload with SIGUSR1 or anycastctl reload --force\"",
			  d->conf_path);
		conf_diff_clear(&diff);
		free(np);
		conf_free(nc);
		return -1;
	}
	/* Peers kept as they are move over; the others stop and start anew. */
	for (size_t i = 0; i < d->n_peers; i++) {
		const struct conf_diff_entry *e = &diff.old_peers[i];
		if (e->change == CONF_UNCHANGED) {
			np[e->other] = d->peers[i];
			continue;
		}
		peer_stop(d->peers[i], e->change == CONF_REMOVED ? BGP_CEASE_PEER_DECONF : BGP_CEASE_OTHER_CONFIG,
			  "configuration changed");
		peer_free(d->peers[i]);
	}
	struct conf *old = d->conf;
	d->conf = nc;
	free(d->peers);
	d->peers = np;
	d->n_peers = nc->n_peers;
	for (size_t i = 0; i < nc->n_peers; i++)
		if (!np[i] && (np[i] = peer_new(d, &nc->peers[i])))
			peer_start(np[i]);
	if (services_apply(d->services, &diff) < 0)
		log_error("config", "out of memory applying services", NULL);
	routes_changed(d);
	listen_keys(d, old, false);
	listen_keys(d, nc, true);
	if (!d->debug)
		log_set_level((enum log_level)nc->log_level);
	if (diff.control_socket) {
		/* Not now: a control request may be what is reloading. */
		struct timeval now_tv = {0, 0};
		event_base_once(d->base, -1, EV_TIMEOUT, on_control_reopen, d, &now_tv);
	}
	if (diff.metrics)
		daemon_metrics_reopen(d);
	if (diff.account)
		log_warn("config", "user/group changed: applied at the next restart", NULL);
	lifecycle_reload_check(d, nc);
	log_info("config", "reloaded", "peers_added=%zu peers_removed=%zu peers_changed=%zu services_changed=%zu",
		 diff.peers_added, diff.peers_removed, diff.peers_changed,
		 diff.services_added + diff.services_removed + diff.services_changed);
	snprintf(why, cap, "reloaded: %zu peers added, %zu removed, %zu changed; %zu services added, %zu removed, "
			   "%zu changed",
		 diff.peers_added, diff.peers_removed, diff.peers_changed, diff.services_added,
		 diff.services_removed, diff.services_changed);
	conf_diff_clear(&diff);
	conf_free(old);
	return 0;
}

/* Exit once every session is closed and the peers have read our Ceases
 * (the lingering sockets are done), bounded by the exit timer. */
void daemon_peer_closed(struct daemon *d)
{
	if (!d->stopping)
		return;
	for (size_t i = 0; i < d->n_peers; i++)
		if (d->peers[i] && !peer_closed(d->peers[i]))
			return;
	if (closer_pending() > 0)
		return;
	event_base_loopbreak(d->base);
}

static void on_closer_idle(void *arg) { daemon_peer_closed(arg); }

static void control_readonly_reopen(struct daemon *d)
{
	char why[300];
	const char *path = d->conf->control_socket_readonly;
	if (d->ctl_ro && path[0] && control_same_path(d->ctl_ro, path))
		return;
	struct control *n = NULL;
	if (path[0] && !(n = control_open_readonly(d, path, why, sizeof why))) {
		log_error("control", "cannot open the read-only control socket", "path=%s error=\"%s\"", path, why);
		return;
	}
	control_close(d->ctl_ro);
	d->ctl_ro = n;
	if (n)
		log_info("control", "read-only control socket ready", "path=%s", path);
}

void daemon_control_reopen(struct daemon *d)
{
	char why[300];
	const struct conf *c = d->conf;
	control_readonly_reopen(d);
	/* Same path: the socket stays, its mode and group change.  A new
	 * path: the new socket first, the old one closed only once it works. */
	if (d->ctl && control_same_path(d->ctl, c->control_socket)) {
		if (control_set_access(d->ctl, c->control_socket_mode, c->control_socket_group, why, sizeof why) < 0)
			log_error("control", "cannot change the control socket's access", "path=%s error=\"%s\"",
				  c->control_socket, why);
		else
			log_info("control", "control socket access changed", "path=%s mode=%04o group=%s",
				 c->control_socket, c->control_socket_mode,
				 c->control_socket_group[0] ? c->control_socket_group : "-");
		return;
	}
	struct control *n =
		control_open(d, c->control_socket, c->control_socket_mode, c->control_socket_group, why, sizeof why);
	if (!n) {
		log_error("control", "cannot open the new control socket, keeping the old one",
			  "path=%s error=\"%s\"", c->control_socket, why);
		return;
	}
	control_close(d->ctl);
	d->ctl = n;
	log_info("control", "control socket moved", "path=%s", c->control_socket);
}

static void on_control_reopen(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	daemon_control_reopen(arg);
}

void daemon_metrics_reopen(struct daemon *d)
{
	char why[300], ep[CONF_ENDPOINT_STRLEN];
	const struct conf *c = d->conf;
	struct metrics_http *n = NULL;
	if (c->metrics) {
		conf_endpoint_format(&c->metrics_addr, c->metrics_port, ep, sizeof ep);
		n = metrics_http_open(d, &c->metrics_addr, c->metrics_port, why, sizeof why);
		if (!n) {
			log_error("metrics", d->metrics ? "cannot serve metrics there, keeping the old listener"
							: "cannot serve metrics",
				  "listen=%s error=\"%s\"", ep, why);
			return;
		}
		log_info("metrics", "serving /metrics", "listen=%s", ep);
	}
	metrics_http_close(d->metrics);
	d->metrics = n;
}

static void on_exit_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct daemon *d = arg;
	log_warn("main", "shutdown: output not drained in time, closing", NULL);
	event_base_loopbreak(d->base);
}

static void shutdown_all(struct daemon *d, const char *why)
{
	if (d->stopping)
		return;
	d->stopping = true;
	log_info("main", "shutting down: withdrawing routes, then Cease", "signal=\"%s\"", why);
	for (size_t i = 0; i < d->n_peers; i++)
		peer_shutdown(d->peers[i], "anycastd shutting down");
	struct timeval tv = {SHUTDOWN_MAX_WAIT, 0};
	d->exit_timer = evtimer_new(d->base, on_exit_timer, d);
	event_add(d->exit_timer, &tv);
	daemon_peer_closed(d);
}

static void on_drain_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct daemon *d = arg;
	if (services_all_withdrawn(d->services) || daemon_now() >= d->drain_deadline) {
		shutdown_all(d, "SIGTERM (drained)");
		return;
	}
	struct timeval tv = {0, 100000};
	event_add(d->drain_timer, &tv);
}

/* SIGTERM: drain every service (GRACEFUL_SHUTDOWN for its drain-time, then
 * withdraw), then Cease and exit.  A second SIGTERM, or SIGINT, does not
 * wait. */
static void drain_then_exit(struct daemon *d)
{
	if (d->draining || services_all_withdrawn(d->services)) {
		shutdown_all(d, "SIGTERM");
		return;
	}
	monotime_t longest = 0;
	for (size_t i = 0; i < d->conf->n_services; i++)
		if (d->conf->services[i].params.drain_time > longest)
			longest = d->conf->services[i].params.drain_time;
	d->draining = true;
	d->drain_deadline = daemon_now() + longest + MONOTIME_S(1);
	log_info("main", "SIGTERM: draining services before exit", "drain_ms=%lld",
		 (long long)monotime_to_ms(longest));
	services_drain_all(d->services, true);
	d->drain_timer = evtimer_new(d->base, on_drain_timer, d);
	struct timeval tv = {0, 100000};
	event_add(d->drain_timer, &tv);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	struct daemon *d = arg;
	if (sig == SIGHUP || sig == SIGUSR1) {
		char why[600];
		daemon_reload(d, sig == SIGUSR1, why, sizeof why);
	}
	else if (sig == SIGTERM) {
		lifecycle_stopping("SIGTERM: draining");
		drain_then_exit(d);
	} else {
		lifecycle_stopping("SIGINT");
		shutdown_all(d, "SIGINT");
	}
}

static int run(struct daemon *d)
{
	int rc = EXIT_RUNTIME;
	signal(SIGPIPE, SIG_IGN);
	d->lfd[0] = d->lfd[1] = -1;
	/* Millisecond check intervals want timers that do not fire early. */
	struct event_config *ec = event_config_new();
	if (ec)
		event_config_set_flag(ec, EVENT_BASE_FLAG_PRECISE_TIMER);
	d->base = ec ? event_base_new_with_config(ec) : NULL;
	if (ec)
		event_config_free(ec);
	if (!d->base)
		goto out;
	d->started = daemon_now();
	if (!d->debug)
		log_set_level((enum log_level)d->conf->log_level);
	if (!(d->services = services_new(d, routes_changed)) || peers_create(d) < 0 ||
	    services_apply(d->services, NULL) < 0 || listen_start(d) < 0)
		goto out;
	listen_keys(d, d->conf, true);
	closer_on_idle(on_closer_idle, d);
	{
		char why[300];
		const struct conf *c = d->conf;
		d->ctl = control_open(d, c->control_socket, c->control_socket_mode, c->control_socket_group, why,
				      sizeof why);
		if (!d->ctl) {
			log_error("control", "cannot open the control socket", "path=%s error=\"%s\"",
				  c->control_socket, why);
			errno = 0;
			goto out;
		}
		if (c->control_socket_readonly[0] &&
		    !(d->ctl_ro = control_open_readonly(d, c->control_socket_readonly, why, sizeof why))) {
			log_error("control", "cannot open the read-only control socket", "path=%s error=\"%s\"",
				  c->control_socket_readonly, why);
			errno = 0;
			goto out;
		}
	}
	if (d->conf->metrics) {
		daemon_metrics_reopen(d);
		if (!d->metrics)
			goto out;
	}
	d->sig_hup = evsignal_new(d->base, SIGHUP, on_signal, d);
	d->sig_usr1 = evsignal_new(d->base, SIGUSR1, on_signal, d);
	event_add(d->sig_usr1, NULL);
	d->sig_term = evsignal_new(d->base, SIGTERM, on_signal, d);
	d->sig_int = evsignal_new(d->base, SIGINT, on_signal, d);
	event_add(d->sig_hup, NULL);
	event_add(d->sig_term, NULL);
	event_add(d->sig_int, NULL);
	/* Everything that needs root is open: listeners, control sockets. */
	if (lifecycle_drop(d) < 0) {
		errno = 0;
		goto out;
	}
	log_info("main", "anycastd started", "version=%s peers=%zu services=%zu", ANYCASTD_VERSION, d->n_peers,
		 services_count(d->services));
	lifecycle_ready(d);
	for (size_t i = 0; i < d->n_peers; i++)
		peer_start(d->peers[i]);
	event_base_dispatch(d->base);
	rc = 0;
out:
	control_close(d->ctl);
	d->ctl = NULL;
	control_close(d->ctl_ro);
	d->ctl_ro = NULL;
	metrics_http_close(d->metrics);
	d->metrics = NULL;
	lifecycle_clear(d);
	closer_flush();
	closer_on_idle(NULL, NULL);
	for (size_t i = 0; i < d->n_peers; i++)
		peer_free(d->peers[i]);
	free(d->peers);
	services_free(d->services);
	for (int i = 0; i < 2; i++) {
		if (d->lev[i])
			event_free(d->lev[i]);
		if (d->lfd[i] >= 0)
			close(d->lfd[i]);
	}
	struct event *evs[] = {d->sig_hup, d->sig_usr1, d->sig_term, d->sig_int, d->exit_timer, d->drain_timer};
	for (size_t i = 0; i < sizeof evs / sizeof *evs; i++)
		if (evs[i])
			event_free(evs[i]);
	if (d->base)
		event_base_free(d->base);
	if (rc && errno)
		log_error("main", "cannot run", "error=\"%s\"", strerror(errno));
	else if (rc)
		log_error("main", "cannot run", NULL);
	else
		log_info("main", "stopped", NULL);
	return rc;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: anycastd [-n] -c FILE [-d]\n"
		   "  -c, --config FILE   configuration (YAML; see anycastd.yaml(5))\n"
		   "  -n, --check         check the configuration, print it normalised, exit\n"
		   "  -d, --debug         debug logging\n"
		   "  -V, --version       print the version\n"
		   "  -h, --help          this text\n"
		   "exit codes: 0 ok, 1 configuration error, 2 usage, 3 runtime failure\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'}, {"check", no_argument, NULL, 'n'},
		{"debug", no_argument, NULL, 'd'},        {"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	const char *path = NULL;
	bool check = false;
	int c;
	while ((c = getopt_long(argc, argv, "c:ndVh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 'n':
			check = true;
			break;
		case 'd':
			log_set_level(LOG_DEBUG);
			break;
		case 'V':
			printf("anycastd %s\n", ANYCASTD_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (!path || optind != argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	struct daemon d = {.conf_path = path, .debug = log_get_level() == LOG_DEBUG};
	char why[600];
	if (!(d.conf = conf_load(path, why, sizeof why))) {
		fprintf(stderr, "%s\n", why);
		return EXIT_CONFIG;
	}
	if (check) {
		size_t cap = 1 << 16;
		for (;;) {
			char *buf = malloc(cap);
			struct strbuf sb;
			if (!buf)
				return EXIT_RUNTIME;
			strbuf_init(&sb, buf, cap);
			conf_print(d.conf, &sb);
			if (!sb.truncated) {
				fputs(buf, stdout);
				free(buf);
				break;
			}
			free(buf);
			cap *= 4;
		}
		conf_free(d.conf);
		return 0;
	}
	int rc = run(&d);
	conf_free(d.conf);
	return rc;
}
