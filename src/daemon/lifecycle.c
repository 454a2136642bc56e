#include "daemon/lifecycle.h"

#include <errno.h>
#include <event2/event.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon/control.h"
#include "daemon/services.h"
#include "lib/log.h"
#include "sys/priv.h"
#include "sys/sdnotify.h"

struct daemon_caps lifecycle_needs_of(const struct conf *c)
{
	struct daemon_caps n = {0};
	for (size_t i = 0; i < c->n_peers; i++)
		n.net_bind |= c->peers[i].passive;
	for (size_t i = 0; i < c->n_services; i++) {
		const struct conf_service *s = &c->services[i];
		n.net_admin |= s->address.interface[0] && s->address.manage;
		for (size_t j = 0; j < s->n_checks; j++)
			n.setuid_checks |= s->checks[j].type == PROBE_EXEC && s->checks[j].u.exec.user[0];
	}
	return n;
}

int lifecycle_drop(struct daemon *d)
{
	const struct conf *c = d->conf;
	struct daemon_caps n = lifecycle_needs_of(c);
	struct priv_plan plan;
	char err[300], q[400], creds[400];
	if (priv_plan_for(c->user, c->group, n.net_admin, n.net_bind, n.setuid_checks, &plan, err, sizeof err) < 0) {
		log_error("main", "cannot plan the privilege drop", "error=%s", log_quote(err, q, sizeof q));
		return -1;
	}
	if (plan.set_user && geteuid() == 0) {
		control_chown(d->ctl, plan.uid);
		control_chown(d->ctl_ro, plan.uid);
	}
	int rc = priv_drop(&plan, err, sizeof err);
	if (rc < 0) {
		log_error("main", "cannot drop privileges", "error=%s", log_quote(err, q, sizeof q));
		return -1;
	}
	d->caps_kept = n;
	if (rc == 1) {
		d->caps_kept = (struct daemon_caps){true, true, true};
		log_info("main", "privileges unchanged", "reason=%s", log_quote(err, q, sizeof q));
		return 0;
	}
	priv_describe(creds, sizeof creds);
	if (err[0])
		log_warn("main", "privileges dropped, with a warning", "warning=%s %s", log_quote(err, q, sizeof q),
			 creds);
	else
		log_info("main", "privileges dropped", "%s", creds);
	return 0;
}

void lifecycle_reload_check(const struct daemon *d, const struct conf *nc)
{
	struct daemon_caps n = lifecycle_needs_of(nc), k = d->caps_kept;
	const char *what = n.net_admin && !k.net_admin ? "CAP_NET_ADMIN (address: {manage: true})"
			   : n.net_bind && !k.net_bind  ? "CAP_NET_BIND_SERVICE (passive peers)"
			   : n.setuid_checks && !k.setuid_checks ? "CAP_SETUID/CAP_SETGID (exec checks with user:)"
								  : NULL;
	if (what)
		log_warn("config", "the new configuration needs a capability dropped at start-up: restart to apply",
			 "capability=\"%s\"", what);
}

static void on_watchdog(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	sdnotify_watchdog();
}

void lifecycle_ready(struct daemon *d)
{
	sdnotify_ready();
	sdnotify_status("%zu peers, %zu services", d->n_peers, services_count(d->services));
	uint64_t us = sdnotify_watchdog_usec();
	if (!us || d->watchdog)
		return;
	d->watchdog = event_new(d->base, -1, EV_PERSIST, on_watchdog, d);
	if (!d->watchdog)
		return;
	struct timeval tv = {(time_t)(us / 2 / 1000000), (suseconds_t)(us / 2 % 1000000)};
	event_add(d->watchdog, &tv);
	sdnotify_watchdog();
	log_info("main", "systemd watchdog on", "ping_ms=%llu", (unsigned long long)(us / 2000));
}

void lifecycle_reloading(void)
{
	sdnotify_reloading();
}

void lifecycle_stopping(const char *why)
{
	sdnotify_stopping();
	sdnotify_status("stopping: %s", why);
}

void lifecycle_clear(struct daemon *d)
{
	daemon_ev_free(&d->watchdog);
}
