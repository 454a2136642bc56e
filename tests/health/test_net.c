/* tcp, dns and http(s) probes against real servers on the loopback. */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe_test.h"

#define MS(x) MONOTIME_MS(x)

static struct addr loopback4(void)
{
	struct addr a;
	addr_v4(&a, 0x7f000001);
	return a;
}

/* ---- an in-process TCP server ---- */

enum tsrv_mode { TSRV_SILENT, TSRV_BANNER_CLOSE, TSRV_PONG };

struct tsrv {
	int lfd;
	uint16_t port;
	enum tsrv_mode mode;
	struct event *ev;
	int conns[64];
	struct event *cev[64];
	unsigned n;
};

static void tsrv_on_data(evutil_socket_t fd, short what, void *arg)
{
	(void)what, (void)arg;
	char b[256];
	ssize_t n = read(fd, b, sizeof b - 1);
	if (n <= 0)
		return;
	b[n] = '\0';
	if (strstr(b, "PING") && write(fd, "+PONG\r\n", 7) < 0)
		return;
}

static void tsrv_on_accept(evutil_socket_t fd, short what, void *arg)
{
	(void)what;
	struct tsrv *s = arg;
	int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (c < 0)
		return;
	if (s->mode == TSRV_BANNER_CLOSE) {
		if (write(c, "220 mail ESMTP ready\r\n", 22) < 0) {
			/* the probe went away: nothing to do */
		}
		close(c);
		return;
	}
	assert_true(s->n < 64);
	s->conns[s->n] = c;
	s->cev[s->n] = NULL;
	if (s->mode == TSRV_PONG) {
		s->cev[s->n] = event_new(T.base, c, EV_READ | EV_PERSIST, tsrv_on_data, s);
		event_add(s->cev[s->n], NULL);
	}
	s->n++;
}

static void tsrv_start(struct tsrv *s, enum tsrv_mode mode)
{
	memset(s, 0, sizeof *s);
	s->mode = mode;
	s->port = free_port(SOCK_STREAM);
	s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(s->port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int one = 1;
	setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	assert_int_equal(bind(s->lfd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(s->lfd, 16), 0);
	s->ev = event_new(T.base, s->lfd, EV_READ | EV_PERSIST, tsrv_on_accept, s);
	event_add(s->ev, NULL);
}

static void tsrv_stop(struct tsrv *s)
{
	for (unsigned i = 0; i < s->n; i++) {
		if (s->cev[i])
			event_free(s->cev[i]);
		close(s->conns[i]);
	}
	event_free(s->ev);
	close(s->lfd);
}

static void tcp_spec(struct probe_spec *p, uint16_t port, const char *send, const char *expect)
{
	spec_init(p, PROBE_TCP, "tcp");
	p->u.tcp.addr = loopback4();
	p->u.tcp.port = port;
	snprintf(p->u.tcp.send, sizeof p->u.tcp.send, "%s", send);
	snprintf(p->u.tcp.expect, sizeof p->u.tcp.expect, "%s", expect);
}

void test_tcp(void **state)
{
	(void)state;
	struct probe_spec p;
	struct probe_result r;
	struct tsrv silent, banner, pong;
	int fds = count_fds();
	tsrv_start(&silent, TSRV_SILENT);
	tsrv_start(&banner, TSRV_BANNER_CLOSE);
	tsrv_start(&pong, TSRV_PONG);
	tcp_spec(&p, silent.port, "", "");
	expect_run(&p, MS(500), true, "connected to 127.0.0.1:");
	tcp_spec(&p, free_port(SOCK_STREAM), "", "");
	r = expect_run(&p, MS(500), false, "Connection refused");
	assert_true(r.duration < MS(100));
	tcp_spec(&p, banner.port, "", "ESMTP");
	expect_run(&p, MS(500), true, "\"ESMTP\" from 127.0.0.1:");
	tcp_spec(&p, banner.port, "", "nope");
	expect_run(&p, MS(500), false, "not in reply closed after 22 bytes: \"220 mail ESMTP ready\\r\\n\"");
	tcp_spec(&p, pong.port, "PING\r\n", "PONG");
	expect_run(&p, MS(500), true, "\"PONG\"");
	tcp_spec(&p, pong.port, "PING\r\n", "");
	expect_run(&p, MS(500), true, "sent");
	tcp_spec(&p, silent.port, "hello", "banner");
	r = expect_run(&p, MS(200), false, "timeout after 200 ms: waiting for \"banner\"");
	assert_true(ON_TIME(r.duration, MS(200)));
	/* IPv6, when the loopback has it. */
	int s6 = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in6 sa6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	if (s6 >= 0 && bind(s6, (struct sockaddr *)&sa6, sizeof sa6) == 0 && listen(s6, 4) == 0) {
		socklen_t sl = sizeof sa6;
		getsockname(s6, (struct sockaddr *)&sa6, &sl);
		tcp_spec(&p, ntohs(sa6.sin6_port), "", "");
		addr_parse("::1", &p.u.tcp.addr);
		expect_run(&p, MS(500), true, "connected to [::1]:");
	} else {
		printf("# no IPv6 loopback: skipped [::1]\n");
	}
	if (s6 >= 0)
		close(s6);
	tsrv_stop(&silent);
	tsrv_stop(&banner);
	tsrv_stop(&pong);
	assert_int_equal(count_fds(), fds);
}

/* ---- DNS against NSD ---- */

static void dns_spec(struct probe_spec *p, uint16_t port, const char *qname, uint16_t qtype, int rcode)
{
	spec_init(p, PROBE_DNS, "dns");
	p->u.dns.server = loopback4();
	p->u.dns.port = port;
	snprintf(p->u.dns.qname, sizeof p->u.dns.qname, "%s", qname);
	p->u.dns.qtype = qtype;
	p->u.dns.expect_rcode = rcode;
}

static pid_t nsd_start(uint16_t port)
{
	char conf[128], zone[128], log[128], text[2048];
	tmp_path(conf, sizeof conf, "nsd.conf");
	tmp_path(zone, sizeof zone, "example.com.zone");
	tmp_path(log, sizeof log, "nsd.log");
	snprintf(text, sizeof text,
		 "server:\n\tip-address: 127.0.0.1\n\tport: %u\n\tdo-ip6: no\n\tusername: \"\"\n"
		 "\tchroot: \"\"\n\tzonesdir: \"%s\"\n\tpidfile: \"%s/nsd.pid\"\n\tdatabase: \"\"\n"
		 "\txfrdfile: \"%s/xfrd.state\"\n\tzonelistfile: \"%s/zone.list\"\n"
		 "\tlogfile: \"%s\"\n\tserver-count: 1\n\tverbosity: 0\n"
		 "remote-control:\n\tcontrol-enable: no\n"
		 "zone:\n\tname: example.com\n\tzonefile: example.com.zone\n",
		 port, T.dir, T.dir, T.dir, T.dir, log);
	write_file(conf, text);
	/* Twelve 200-octet TXT strings: over 1232 octets, so truncated over UDP. */
	int n = snprintf(text, sizeof text,
			 "$ORIGIN example.com.\n$TTL 300\n"
			 "@ IN SOA ns.example.com. hostmaster.example.com. 1 3600 600 86400 300\n"
			 "@ IN NS ns.example.com.\nns IN A 192.0.2.53\n@ IN A 192.0.2.1\n");
	for (int i = 0; i < 12; i++) {
		char s[101];
		memset(s, 'a' + i, 100);
		s[100] = '\0';
		n += snprintf(text + n, sizeof text - (size_t)n, "big IN TXT \"%s\"\n", s);
	}
	write_file(zone, text);
	char *argv[] = {"nsd", "-d", "-c", conf, NULL};
	pid_t pid = spawn(argv, log);
	/* Ready when it answers. */
	struct probe_spec p;
	dns_spec(&p, port, "example.com.", 1, 0);
	monotime_t end = now_ns() + MONOTIME_S(10);
	struct probe_result r;
	T.quiet = true;
	do {
		loop_for(MS(50));
		r = run_probe(&p, MS(200));
	} while (!r.ok && now_ns() < end);
	T.quiet = false;
	assert_true(r.ok);
	return pid;
}

void test_dns(void **state)
{
	(void)state;
	struct probe_spec p;
	struct probe_result r;
	int fds = count_fds();
	uint16_t port = free_port(SOCK_DGRAM);
	pid_t nsd = nsd_start(port);
	dns_spec(&p, port, "example.com.", 1, 0);
	expect_run(&p, MS(500), true, "rcode NOERROR, 1 answer, aa");
	dns_spec(&p, port, "ExAmPlE.CoM", 1, 0);
	expect_run(&p, MS(500), true, "rcode NOERROR, 1 answer");
	dns_spec(&p, port, "example.com.", 6, -1); /* SOA, any rcode */
	expect_run(&p, MS(500), true, "rcode NOERROR, 1 answer");
	dns_spec(&p, port, "nx.example.com.", 1, 0);
	expect_run(&p, MS(500), false, "rcode NXDOMAIN, 0 answers, aa, expected NOERROR");
	dns_spec(&p, port, "nx.example.com.", 1, 3);
	expect_run(&p, MS(500), true, "rcode NXDOMAIN");
	dns_spec(&p, port, "nx.example.com.", 1, -1);
	expect_run(&p, MS(500), true, "rcode NXDOMAIN");
	dns_spec(&p, port, "example.org.", 1, 0);
	expect_run(&p, MS(500), false, "rcode REFUSED");
	dns_spec(&p, port, "big.example.com.", 16, 0);
	expect_run(&p, MS(500), true, "rcode NOERROR, 12 answers, aa (tcp)");
	dns_spec(&p, port, "a..b", 1, 0);
	expect_run(&p, MS(500), false, "bad query name");
	/* Hung server (SIGSTOP): a timeout, on time. */
	kill(-nsd, SIGSTOP);
	dns_spec(&p, port, "example.com.", 1, 0);
	r = expect_run(&p, MS(200), false, "timeout after 200 ms: no reply from 127.0.0.1:");
	assert_true(ON_TIME(r.duration, MS(200)));
	dns_spec(&p, port, "big.example.com.", 16, 0);
	cancel_check(&p, MS(20));
	kill(-nsd, SIGCONT);
	dns_spec(&p, port, "example.com.", 1, 0);
	expect_run(&p, MS(1000), true, "NOERROR");
	/* Dead server: refused at once (ICMP port unreachable), once its
	 * processes (killed with the leader) have let go of the socket. */
	kill_group(nsd);
	for (int i = 0; i < 200 && count_procs_with("nsd -d -c"); i++)
		loop_for(MS(10));
	/* Usually refused at once (ICMP port unreachable), but the kernel
	 * rate-limits those ICMP errors: under load the probe may have to time
	 * out instead.  Either way it fails, on time. */
	r = expect_run(&p, MS(500), false, "127.0.0.1:");
	assert_true(r.duration <= MS(600));
	assert_int_equal(count_fds(), fds);
}

/* ---- HTTP(S) against a Python server ---- */

static void http_spec(struct probe_spec *p, const char *url, int status, const char *body)
{
	spec_init(p, PROBE_HTTP, "http");
	snprintf(p->u.http.url, sizeof p->u.http.url, "%s", url);
	p->u.http.expect_status = status;
	snprintf(p->u.http.expect_body, sizeof p->u.http.expect_body, "%s", body);
	p->u.http.verify_tls = true;
}

static pid_t http_server(uint16_t port, const char *cert, const char *key)
{
	char ports[8], log[128];
	snprintf(ports, sizeof ports, "%u", port);
	tmp_path(log, sizeof log, "http.log");
	const char *script = getenv("PROBE_TEST_HTTP_SERVER");
	char *argv[] = {"python3", (char *)(script ? script : "tests/health/http_server.py"), ports,
			(char *)cert, (char *)key, NULL};
	pid_t pid = spawn(argv, log);
	struct probe_spec p;
	tcp_spec(&p, port, "", "");
	monotime_t end = now_ns() + MONOTIME_S(10);
	struct probe_result r;
	T.quiet = true;
	do {
		loop_for(MS(50));
		r = run_probe(&p, MS(200));
	} while (!r.ok && now_ns() < end);
	T.quiet = false;
	assert_true(r.ok);
	return pid;
}

void test_http(void **state)
{
	(void)state;
	struct probe_spec p;
	struct probe_result r;
	char url[128];
	int fds = count_fds();
	uint16_t port = free_port(SOCK_STREAM);
	pid_t srv = http_server(port, NULL, NULL);
#define URL(path) (snprintf(url, sizeof url, "http://127.0.0.1:%u%s", port, path), url)
	http_spec(&p, URL("/health"), 200, "ok");
	expect_run(&p, MS(1000), true, "status 200, 3 bytes");
	http_spec(&p, URL("/health"), 200, "healthy");
	expect_run(&p, MS(1000), false, "status 200 but \"healthy\" not in body");
	http_spec(&p, URL("/fail"), 200, "");
	expect_run(&p, MS(1000), false, "status 503, expected 200; body \"down\\n\"");
	http_spec(&p, URL("/fail"), 503, "down");
	expect_run(&p, MS(1000), true, "status 503");
	http_spec(&p, URL("/nothing"), 200, "");
	expect_run(&p, MS(1000), false, "status 404");
	http_spec(&p, URL("/redirect"), 200, "");
	expect_run(&p, MS(1000), false, "status 302, expected 200"); /* not followed */
	http_spec(&p, URL("/host"), 200, "host=svc.example.net");
	snprintf(p.u.http.host, sizeof p.u.http.host, "svc.example.net");
	expect_run(&p, MS(1000), true, "status 200");
	http_spec(&p, URL("/big"), 200, "xxxx");
	expect_run(&p, MS(3000), true, "status 200, 65536 bytes");
	http_spec(&p, URL("/big"), 200, "tail"); /* beyond the 64 KiB kept */
	expect_run(&p, MS(3000), false, "not in body");
	http_spec(&p, "ftp://127.0.0.1/", 200, "");
	expect_run(&p, MS(1000), false, "");
	http_spec(&p, URL("/slow"), 200, "");
	r = expect_run(&p, MS(300), false, "timeout after 300 ms: no response from http://127.0.0.1:");
	assert_true(ON_TIME(r.duration, MS(300)));
	cancel_check(&p, MS(30));
	/* Proxies in the environment are not used. */
	setenv("http_proxy", "http://127.0.0.1:1/", 1);
	setenv("HTTP_PROXY", "http://127.0.0.1:1/", 1);
	setenv("ALL_PROXY", "http://127.0.0.1:1/", 1);
	http_spec(&p, URL("/health"), 200, "ok");
	expect_run(&p, MS(1000), true, "status 200");
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	unsetenv("ALL_PROXY");
	/* Many runs: nothing accumulates. */
	int before = count_fds();
	monotime_t t0 = now_ns();
	T.quiet = true;
	for (int i = 0; i < 200; i++) {
		struct probe_result x = run_probe(&p, MS(1000));
		assert_true(x.ok);
	}
	T.quiet = false;
	printf("# http: 200 runs in %.2f s, fds %d -> %d\n", (double)(now_ns() - t0) / 1e9, before,
	       count_fds());
	assert_int_equal(count_fds(), before);
	kill_group(srv);
	r = expect_run(&p, MS(1000), false, "onnect");
	assert_true(r.duration < MS(200));
	assert_int_equal(count_fds(), fds);
#undef URL
}

void test_https(void **state)
{
	(void)state;
	char cert[128], key[128], cmd[512], url[128];
	tmp_path(cert, sizeof cert, "cert.pem");
	tmp_path(key, sizeof key, "key.pem");
	snprintf(cmd, sizeof cmd,
		 "openssl req -x509 -newkey rsa:2048 -nodes -keyout %s -out %s -days 2 "
		 "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1",
		 key, cert);
	if (system(cmd) != 0) {
		printf("# no openssl: https skipped\n");
		return;
	}
	uint16_t port = free_port(SOCK_STREAM);
	pid_t srv = http_server(port, cert, key);
	struct probe_spec p;
	snprintf(url, sizeof url, "https://127.0.0.1:%u/health", port);
	http_spec(&p, url, 200, "ok");
	/* Verification is on: a self-signed certificate fails. */
	expect_run(&p, MS(2000), false, "certificate");
	p.u.http.verify_tls = false;
	expect_run(&p, MS(2000), true, "status 200");
	kill_group(srv);
}

/* ---- cancelling leaves nothing ---- */

void test_cancel(void **state)
{
	(void)state;
	struct probe_spec p;
	int kids = count_children();
	/* A UDP socket that never answers. */
	int u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof sa;
	assert_int_equal(bind(u, (struct sockaddr *)&sa, sizeof sa), 0);
	getsockname(u, (struct sockaddr *)&sa, &sl);
	dns_spec(&p, ntohs(sa.sin_port), "example.com.", 1, 0);
	cancel_check(&p, MS(20));
	close(u);
	/* Listening, never accepting: connects, never answers. */
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	sl = sizeof sa;
	sa.sin_port = 0;
	assert_int_equal(bind(l, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(l, 16), 0);
	getsockname(l, (struct sockaddr *)&sa, &sl);
	tcp_spec(&p, ntohs(sa.sin_port), "x", "never");
	cancel_check(&p, MS(20));
	close(l);
	spec_init(&p, PROBE_EXEC, "exec");
	static char *argv[] = {"/bin/sh", "-c", "trap '' TERM; sleep 31.4159 & wait", NULL};
	for (int i = 0; argv[i]; i++)
		p.u.exec.argv[p.u.exec.argc++] = argv[i];
	cancel_check(&p, MS(20));
	loop_for(MS(50));
	assert_int_equal(count_children(), kids);
	assert_int_equal(count_procs_with("31.4159"), 0);
	/* Unknown type: reported as a failure, from the loop. */
	spec_init(&p, (enum probe_type)99, "bogus");
	expect_run(&p, MS(100), false, "unknown probe type 99");
	/* The whole test: nothing left behind. */
	printf("# children %d at the end\n", count_children());
}
