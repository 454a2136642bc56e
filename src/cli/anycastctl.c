/* anycastctl: the operator's command line for a running anycastd.
 *
 *   anycastctl [-s SOCKET] [--json] [-t SECONDS] COMMAND [ARGS]
 *
 * Exit codes: 0 ok, 1 the daemon refused the request, 2 usage, 3 cannot
 * reach the daemon (or it answered nonsense). */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "conf/conf.h"
#include "ctl/ctl.h"
#include "lib/log.h"

#ifndef ANYCASTD_VERSION
#define ANYCASTD_VERSION "0.1.0-dev"
#endif

enum { EXIT_REFUSED = 1, EXIT_USAGE = 2, EXIT_UNREACHABLE = 3 };

struct opts {
	const char *socket;
	bool json;
	double timeout; /* seconds, per request */
	bool wait;
	double wait_timeout;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: anycastctl [-s SOCKET] [--json] [-t SECONDS] COMMAND [ARGS]\n"
		   "  -s, --socket PATH   control socket (default %s)\n"
		   "  -j, --json          print the daemon's answer as JSON\n"
		   "  -t, --timeout SECS  how long to wait for an answer (default 5)\n"
		   "commands:\n",
		CONF_DEFAULT_CONTROL_SOCKET);
	static const char *const syn[CTL_N_COMMANDS] = {
		[CTL_STATUS] = "status", [CTL_PEERS] = "peers", [CTL_SERVICES] = "services",
		[CTL_EVENTS] = "events [-n N]", [CTL_DRAIN] = "drain SERVICE|--all [--wait]",
		[CTL_UNDRAIN] = "undrain SERVICE|--all", [CTL_DISABLE] = "disable SERVICE|--all [--wait]",
		[CTL_ENABLE] = "enable SERVICE|--all", [CTL_CHECK] = "check SERVICE",
		[CTL_RELOAD] = "reload [--force]", [CTL_LOG_LEVEL] = "log-level [debug|info|warn|error]",
		[CTL_VERSION] = "version",
	};
	for (int i = 0; i < CTL_N_COMMANDS; i++)
		fprintf(f, "  %-34s %s\n", syn[i], ctl_commands[i].help);
	fprintf(f, "exit codes: 0 ok, 1 refused by the daemon, 2 usage, 3 cannot reach the daemon\n");
}

/* ---- talking to the daemon ---- */

static int sock_open(const struct opts *o)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(o->socket) >= sizeof sa.sun_path) {
		fprintf(stderr, "anycastctl: socket path too long: %s\n", o->socket);
		return -1;
	}
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", o->socket);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		if (e == ENOENT)
			fprintf(stderr, "anycastctl: cannot reach anycastd: %s does not exist (is anycastd running? "
					"is this its control-socket?)\n", o->socket);
		else if (e == EACCES || e == EPERM)
			fprintf(stderr, "anycastctl: cannot reach anycastd: permission denied on %s (run as root or "
					"as a member of its control-socket-group)\n", o->socket);
		else if (e == ECONNREFUSED)
			fprintf(stderr, "anycastctl: cannot reach anycastd: nobody is listening on %s (anycastd is "
					"not running; the socket is stale)\n", o->socket);
		else
			fprintf(stderr, "anycastctl: cannot reach anycastd at %s: %s\n", o->socket, strerror(e));
		return -1;
	}
	return fd;
}

/* Sends one request and reads the answer line.  Returns 1 ok (*data set),
 * 0 refused (message printed), -1 unreachable (message printed). */
static int request(const struct opts *o, const struct ctl_request *r, json_t **data, char *code, size_t codecap)
{
	int rc = -1, fd = sock_open(o);
	char *line = ctl_request_encode(r), *in = NULL;
	size_t len = 0, cap = 0;
	if (fd < 0 || !line)
		goto out;
	size_t off = 0, n = strlen(line);
	while (off < n) {
		ssize_t w = write(fd, line + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fprintf(stderr, "anycastctl: writing to %s: %s\n", o->socket, strerror(errno));
			goto out;
		}
		off += (size_t)w;
	}
	double deadline = now_s() + o->timeout;
	for (;;) {
		if (len + 65536 > cap) {
			char *b = cap + 65536 > CTL_RESPONSE_MAX ? NULL : realloc(in, cap + 65536 + 1);
			if (!b) {
				fprintf(stderr, "anycastctl: answer larger than %u bytes\n", CTL_RESPONSE_MAX);
				goto out;
			}
			in = b;
			cap += 65536;
		}
		int left = (int)((deadline - now_s()) * 1000);
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (left <= 0 || poll(&p, 1, left) == 0) {
			fprintf(stderr, "anycastctl: no answer from anycastd within %.1f s\n", o->timeout);
			goto out;
		}
		ssize_t k = read(fd, in + len, cap - len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			fprintf(stderr, "anycastctl: anycastd closed the connection without an answer\n");
			goto out;
		}
		len += (size_t)k;
		if (memchr(in + len - (size_t)k, '\n', (size_t)k))
			break;
	}
	char err[600];
	int pr = ctl_response_parse(in, len, data, err, sizeof err, code, codecap);
	if (pr < 0)
		fprintf(stderr, "anycastctl: %s\n", err);
	else if (pr == 0)
		fprintf(stderr, "anycastctl: %s\n", err);
	rc = pr;
out:
	if (fd >= 0)
		close(fd);
	free(line);
	free(in);
	return rc;
}

/* ---- human output ---- */

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}
static double num(json_t *o, const char *k) { return json_number_value(json_object_get(o, k)); }

static void duration(double s, char *out, size_t cap)
{
	long t = (long)s;
	if (s < 60)
		snprintf(out, cap, "%.1fs", s);
	else if (t < 3600)
		snprintf(out, cap, "%ldm%02lds", t / 60, t % 60);
	else if (t < 86400)
		snprintf(out, cap, "%ldh%02ldm", t / 3600, t % 3600 / 60);
	else
		snprintf(out, cap, "%ldd%02ldh", t / 86400, t % 86400 / 3600);
}

static void join(json_t *a, char *out, size_t cap)
{
	size_t i, o = 0;
	json_t *v;
	out[0] = '\0';
	json_array_foreach(a, i, v) {
		int w = snprintf(out + o, cap - o, "%s%s", i ? " " : "", json_string_value(v) ? json_string_value(v) : "");
		if (w < 0 || (size_t)w >= cap - o)
			break;
		o += (size_t)w;
	}
	if (!out[0])
		snprintf(out, cap, "-");
}

static void print_peers(json_t *peers)
{
	size_t i;
	json_t *p;
	printf("%-16s %-26s %-10s %-4s %-11s %9s %8s  %s\n", "PEER", "ADDRESS", "AS", "TYPE", "STATE", "UPTIME",
	       "PREFIXES", "LAST ERROR");
	json_array_foreach(peers, i, p) {
		char up[32];
		duration(num(p, "uptime"), up, sizeof up);
		printf("%-16s %-26s %-10.0f %-4s %-11s %9s %8.0f  %s\n", str(p, "name"), str(p, "address"),
		       num(p, "remote_as"), str(p, "type"), str(p, "state"),
		       strcmp(str(p, "state"), "Established") ? "-" : up, num(p, "prefixes_announced"),
		       str(p, "last_error")[0] ? str(p, "last_error") : "-");
	}
	if (!json_array_size(peers))
		printf("(no peers configured)\n");
}

static void print_services(json_t *svcs)
{
	size_t i;
	json_t *s;
	printf("%-16s %-11s %-9s %-8s %-30s %-14s %s\n", "SERVICE", "STATE", "ANNOUNCE", "FOR", "PREFIXES",
	       "TO PEERS", "CAUSE");
	json_array_foreach(svcs, i, s) {
		char pf[512], to[256], f[32];
		join(json_object_get(s, "prefixes"), pf, sizeof pf);
		join(json_object_get(s, "announced_to"), to, sizeof to);
		duration(num(s, "state_for"), f, sizeof f);
		printf("%-16s %-11s %-9s %-8s %-30s %-14s %s\n", str(s, "name"), str(s, "state"), str(s, "announce"), f,
		       pf, to, str(s, "cause"));
	}
	if (!json_array_size(svcs))
		printf("(no services configured)\n");
}

static void print_status(json_t *d)
{
	char up[32];
	duration(num(d, "uptime"), up, sizeof up);
	printf("anycastd %s  router-id %s  AS %.0f  up %s%s\n\n", str(d, "version"), str(d, "router_id"),
	       num(d, "local_as"), up, json_is_true(json_object_get(d, "stopping")) ? "  (shutting down)" : "");
	print_peers(json_object_get(d, "peers"));
	printf("\n");
	print_services(json_object_get(d, "services"));
}

static void print_peer_detail(json_t *peers)
{
	print_peers(peers);
	size_t i;
	json_t *p;
	printf("\n%-16s %-9s %-44s %s\n", "PEER", "", "OPEN/UPDATE/NOTIFICATION/KEEPALIVE/REFRESH", "UPDATE ERRORS");
	json_array_foreach(peers, i, p) {
		for (int dir = 0; dir < 2; dir++) {
			json_t *m = json_object_get(p, dir ? "messages_out" : "messages_in");
			char c[128];
			snprintf(c, sizeof c, "%.0f/%.0f/%.0f/%.0f/%.0f", num(m, "open"), num(m, "update"),
				 num(m, "notification"), num(m, "keepalive"), num(m, "route_refresh"));
			printf("%-16s %-9s %-44s %s\n", dir ? "" : str(p, "name"), dir ? "sent" : "received", c,
			       dir ? "" : (snprintf(c, sizeof c, "%.0f", num(p, "update_errors")), c));
		}
	}
}

static void print_service_detail(json_t *svcs)
{
	print_services(svcs);
	size_t i, j;
	json_t *s, *c;
	json_array_foreach(svcs, i, s) {
		json_t *checks = json_object_get(s, "checks");
		json_t *dm = json_object_get(s, "damping");
		printf("\n%s: %s%s%s, damping penalty %.0f%s, %.0f transitions\n", str(s, "name"), str(s, "state"),
		       json_is_true(json_object_get(s, "drained")) ? ", drained by anycastctl" : "",
		       json_is_true(json_object_get(s, "maintenance")) ? ", maintenance file present" : "",
		       num(dm, "penalty"), json_is_true(json_object_get(dm, "suppressed")) ? " (suppressed)" : "",
		       num(s, "transitions"));
		if (!json_array_size(checks)) {
			printf("  (no checks: announced while anycastd runs)\n");
			continue;
		}
		printf("  %-14s %-8s %-8s %-5s %9s %8s %8s %8s  %s\n", "CHECK", "TYPE", "STATUS", "LAST", "DURATION",
		       "AGE", "PASSES", "FAILS", "DETAIL");
		json_array_foreach(checks, j, c) {
			json_t *last = json_object_get(c, "last");
			char dur[32] = "-", age[32] = "-";
			if (json_is_object(last)) {
				snprintf(dur, sizeof dur, "%.1fms", num(last, "duration_ms"));
				duration(num(last, "age"), age, sizeof age);
			}
			printf("  %-14s %-8s %-8s %-5s %9s %8s %8.0f %8.0f  %s%s\n", str(c, "name"), str(c, "type"),
			       str(c, "status"),
			       !json_is_object(last) ? "-" : json_is_true(json_object_get(last, "ok")) ? "pass" : "FAIL",
			       dur, age, num(c, "passes"), num(c, "failures"),
			       json_is_object(last) ? str(last, "detail") : "",
			       json_is_true(json_object_get(c, "running")) ? " (running)" : "");
		}
	}
}

static void print_events(json_t *d)
{
	size_t i;
	json_t *e, *ev = json_object_get(d, "events");
	printf("%-23s %-16s %-24s %-9s %s\n", "TIME (UTC)", "SERVICE", "TRANSITION", "ANNOUNCE", "CAUSE");
	for (i = json_array_size(ev); i-- > 0;) {
		e = json_array_get(ev, i);
		time_t t = (time_t)(num(e, "time_ms") / 1000);
		struct tm tm;
		char ts[40], tr[64];
		gmtime_r(&t, &tm);
		strftime(ts, sizeof ts, "%Y-%m-%d %H:%M:%S", &tm);
		snprintf(ts + strlen(ts), sizeof ts - strlen(ts), ".%03d", (int)((long long)num(e, "time_ms") % 1000));
		snprintf(tr, sizeof tr, "%s -> %s", str(e, "from"), str(e, "to"));
		printf("%-23s %-16s %-24s %-9s %s\n", ts, str(e, "service"), tr, str(e, "announce"), str(e, "cause"));
	}
	if (!json_array_size(ev))
		printf("(no events yet)\n");
}

static void print_human(const struct ctl_request *r, json_t *d)
{
	size_t i;
	json_t *s;
	switch (r->cmd) {
	case CTL_STATUS:
		print_status(d);
		break;
	case CTL_PEERS:
		print_peer_detail(json_object_get(d, "peers"));
		break;
	case CTL_SERVICES:
		print_service_detail(json_object_get(d, "services"));
		break;
	case CTL_EVENTS:
		print_events(d);
		break;
	case CTL_DRAIN:
	case CTL_UNDRAIN:
	case CTL_DISABLE:
	case CTL_ENABLE:
		json_array_foreach(json_object_get(d, "services"), i, s)
			printf("%s: %s, announce %s (%s)\n", str(s, "name"), str(s, "state"), str(s, "announce"),
			       str(s, "cause"));
		break;
	case CTL_CHECK: {
		json_t *one = json_array();
		json_array_append(one, json_object_get(d, "service"));
		print_service_detail(one);
		json_decref(one);
		printf("\n(checks started now; run `anycastctl services` for their results)\n");
		break;
	}
	case CTL_RELOAD:
		printf("%s\n", str(d, "result"));
		break;
	case CTL_LOG_LEVEL:
		printf("log level: %s\n", str(d, "level"));
		break;
	case CTL_VERSION:
		printf("anycastctl %s\nanycastd %s (control protocol %.0f)\n", ANYCASTD_VERSION, str(d, "version"),
		       num(d, "protocol"));
		break;
	case CTL_N_COMMANDS:
		break;
	}
}

/* drain/disable --wait: until every targeted service is withdrawn. */
static int wait_withdrawn(const struct opts *o, const struct ctl_request *r)
{
	double start = now_s(), deadline = start + o->wait_timeout;
	struct ctl_request q = {.cmd = CTL_STATUS};
	for (;;) {
		json_t *d = NULL;
		char code[64];
		int rc = request(o, &q, &d, code, sizeof code);
		if (rc < 0)
			return EXIT_UNREACHABLE;
		if (rc == 0)
			return EXIT_REFUSED;
		size_t i, pending = 0;
		json_t *s;
		json_array_foreach(json_object_get(d, "services"), i, s)
			if ((r->all || !strcmp(str(s, "name"), r->service)) && json_is_true(json_object_get(s, "announced")))
				pending++;
		json_decref(d);
		if (!pending) {
			if (!o->json)
				printf("withdrawn after %.1f s\n", now_s() - start);
			return 0;
		}
		if (now_s() >= deadline) {
			fprintf(stderr, "anycastctl: still announced after %.0f s (--wait-timeout)\n", o->wait_timeout);
			return EXIT_REFUSED;
		}
		usleep(100000);
	}
}

/* COMMAND [ARGS] → request.  Returns 0, or prints why and returns -1. */
static int parse_command(int argc, char **argv, struct ctl_request *r, struct opts *o)
{
	int cmd = ctl_command_lookup(argv[0]);
	if (cmd < 0) {
		fprintf(stderr, "anycastctl: unknown command '%s' (anycastctl --help lists them)\n", argv[0]);
		return -1;
	}
	*r = (struct ctl_request){.cmd = (enum ctl_command)cmd, .count = CTL_EVENTS_DEFAULT, .level = -1};
	unsigned a = ctl_commands[cmd].args;
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if ((a & CTL_ARG_ALL) && !strcmp(s, "--all"))
			r->all = true;
		else if ((cmd == CTL_DRAIN || cmd == CTL_DISABLE) && !strcmp(s, "--wait"))
			o->wait = true;
		else if ((cmd == CTL_DRAIN || cmd == CTL_DISABLE) && !strcmp(s, "--wait-timeout") && i + 1 < argc)
			o->wait_timeout = atof(argv[++i]);
		else if ((a & CTL_ARG_FORCE) && !strcmp(s, "--force"))
			r->force = true;
		else if ((a & CTL_ARG_COUNT) && !strcmp(s, "-n") && i + 1 < argc) {
			long n = strtol(argv[++i], NULL, 10);
			if (n < 1 || n > CTL_EVENTS_MAX) {
				fprintf(stderr, "anycastctl: -n takes 1..%d\n", CTL_EVENTS_MAX);
				return -1;
			}
			r->count = (unsigned)n;
		} else if ((a & CTL_ARG_LEVEL) && r->level < 0 && s[0] != '-') {
			if ((r->level = log_level_parse(s)) < 0) {
				fprintf(stderr, "anycastctl: log level must be debug, info, warn or error\n");
				return -1;
			}
		} else if ((a & CTL_ARG_SERVICE) && !r->service[0] && s[0] != '-') {
			if (strlen(s) > CTL_SERVICE_MAX) {
				fprintf(stderr, "anycastctl: service name too long\n");
				return -1;
			}
			snprintf(r->service, sizeof r->service, "%s", s);
		} else {
			fprintf(stderr, "anycastctl: %s: unexpected argument '%s'\n", argv[0], s);
			return -1;
		}
	}
	if ((a & CTL_ARG_SERVICE) && !r->service[0] && !r->all) {
		fprintf(stderr, "anycastctl: %s needs a SERVICE%s\n", argv[0], a & CTL_ARG_ALL ? " or --all" : "");
		return -1;
	}
	if (r->all && r->service[0]) {
		fprintf(stderr, "anycastctl: %s: give a SERVICE or --all, not both\n", argv[0]);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{"socket", required_argument, NULL, 's'}, {"json", no_argument, NULL, 'j'},
		{"timeout", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},      {NULL, 0, NULL, 0},
	};
	struct opts o = {.socket = CONF_DEFAULT_CONTROL_SOCKET, .timeout = 5, .wait_timeout = 600};
	int c;
	/* "+": options end at the command (its own arguments may start with -). */
	while ((c = getopt_long(argc, argv, "+s:jt:hV", lopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o.socket = optarg;
			break;
		case 'j':
			o.json = true;
			break;
		case 't':
			o.timeout = atof(optarg);
			if (o.timeout <= 0 || o.timeout > 3600) {
				fprintf(stderr, "anycastctl: -t takes seconds, 0 < t <= 3600\n");
				return EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("anycastctl %s\n", ANYCASTD_VERSION);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	struct ctl_request r;
	if (parse_command(argc - optind, argv + optind, &r, &o) < 0)
		return EXIT_USAGE;
	json_t *d = NULL;
	char code[64];
	int rc = request(&o, &r, &d, code, sizeof code);
	if (rc < 0)
		return EXIT_UNREACHABLE;
	if (rc == 0)
		return EXIT_REFUSED;
	if (o.json) {
		json_dumpf(d, stdout, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(9));
		printf("\n");
	} else {
		print_human(&r, d);
	}
	json_decref(d);
	fflush(stdout);
	if (o.wait)
		return wait_withdrawn(&o, &r);
	return 0;
}
