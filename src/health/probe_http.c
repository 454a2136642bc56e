/* http(s) checks: libcurl's multi interface driven by the libevent loop
 * (CURLMOPT_SOCKETFUNCTION / CURLMOPT_TIMERFUNCTION), one multi handle per
 * run so that a run owns everything it uses.  Status must equal
 * expect_status and the body contain expect_body; no redirects followed,
 * no proxy from the environment, TLS verified unless configured not to. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "health/probe_check.h"
#include "health/probe_impl.h"

#define HTTP_BODY_MAX (64 * 1024) /* kept for the body check; the rest is read and dropped */

/* One socket curl asked us to watch. */
struct http_sock {
	struct event *ev;
	curl_socket_t fd;
	struct http_sock *next;
};

struct http_state {
	struct probe_run *r;
	CURLM *multi;
	CURL *easy;
	bool easy_added;
	struct curl_slist *headers;
	struct event *timer;
	struct http_sock *socks;
	uint8_t *body;
	size_t body_len, body_total;
	char errbuf[CURL_ERROR_SIZE];
};

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct http_state *h = arg;
	size_t len = size * n, keep = HTTP_BODY_MAX - h->body_len;
	if (keep > len)
		keep = len;
	memcpy(h->body + h->body_len, p, keep);
	h->body_len += keep;
	h->body_total += len;
	return len;
}

/* Reads finished transfers; reports (and so frees h) on the first. */
static void http_check_done(struct http_state *h)
{
	int left;
	CURLMsg *m;
	while ((m = curl_multi_info_read(h->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		struct probe_run *r = h->r;
		const struct probe_http *cfg = &r->spec->u.http;
		if (m->data.result != CURLE_OK) {
			probe_report(r, false, "%s", h->errbuf[0] ? h->errbuf : curl_easy_strerror(m->data.result));
			return;
		}
		long status = 0;
		curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &status);
		char detail[sizeof r->res.detail];
		bool ok = probe_http_judge(status, cfg->expect_status, h->body, h->body_len, cfg->expect_body,
					   detail, sizeof detail);
		probe_report(r, ok, "%s", detail);
		return;
	}
}

static void on_sock_event(evutil_socket_t fd, short what, void *arg)
{
	struct http_state *h = arg;
	int flags = ((what & EV_READ) ? CURL_CSELECT_IN : 0) | ((what & EV_WRITE) ? CURL_CSELECT_OUT : 0);
	int running;
	curl_multi_socket_action(h->multi, fd, flags, &running);
	http_check_done(h);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct http_state *h = arg;
	int running;
	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	http_check_done(h);
}

static void sock_forget(struct http_state *h, struct http_sock *s)
{
	for (struct http_sock **pp = &h->socks; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	event_free(s->ev);
	free(s);
}

static int on_curl_socket(CURL *e, curl_socket_t fd, int what, void *arg, void *sockp)
{
	(void)e;
	struct http_state *h = arg;
	struct http_sock *s = sockp;
	if (what == CURL_POLL_REMOVE) {
		if (s)
			sock_forget(h, s);
		curl_multi_assign(h->multi, fd, NULL);
		return 0;
	}
	if (!s) {
		s = calloc(1, sizeof *s);
		if (!s)
			return -1;
		s->fd = fd;
		s->next = h->socks;
		h->socks = s;
		curl_multi_assign(h->multi, fd, s);
	} else {
		event_free(s->ev);
	}
	short kind = EV_PERSIST | ((what & CURL_POLL_IN) ? EV_READ : 0) | ((what & CURL_POLL_OUT) ? EV_WRITE : 0);
	s->ev = event_new(h->r->base, fd, kind, on_sock_event, h);
	if (!s->ev || event_add(s->ev, NULL) < 0)
		return -1;
	return 0;
}

static int on_curl_timer(CURLM *m, long ms, void *arg)
{
	(void)m;
	struct http_state *h = arg;
	if (ms < 0) {
		evtimer_del(h->timer);
		return 0;
	}
	struct timeval tv = probe_tv(MONOTIME_MS(ms));
	return evtimer_add(h->timer, &tv) < 0 ? -1 : 0;
}

static bool http_setopts(struct http_state *h, const struct probe_http *cfg)
{
	CURL *e = h->easy;
	bool ok = true;
	ok &= curl_easy_setopt(e, CURLOPT_URL, cfg->url) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK;
	/* "" disables proxies, those from the environment included. */
	ok &= curl_easy_setopt(e, CURLOPT_PROXY, "") == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)monotime_to_ms(h->r->timeout) + 1) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, cfg->verify_tls ? 1L : 0L) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, cfg->verify_tls ? 2L : 0L) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_USERAGENT, "anycastd-health") == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_WRITEDATA, h) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, h->errbuf) == CURLE_OK;
	if (cfg->host[0]) {
		char line[PROBE_STR_MAX + 8];
		snprintf(line, sizeof line, "Host: %s", cfg->host);
		h->headers = curl_slist_append(NULL, line);
		ok &= h->headers && curl_easy_setopt(e, CURLOPT_HTTPHEADER, h->headers) == CURLE_OK;
	}
	return ok;
}

static void http_start(struct probe_run *r)
{
	struct http_state *h = calloc(1, sizeof *h);
	if (!h) {
		probe_report(r, false, "out of memory");
		return;
	}
	h->r = r;
	r->impl = h;
	h->body = malloc(HTTP_BODY_MAX);
	h->multi = curl_multi_init();
	h->easy = curl_easy_init();
	h->timer = evtimer_new(r->base, on_timer, h);
	if (!h->body || !h->multi || !h->easy || !h->timer) {
		probe_report(r, false, "out of memory");
		return;
	}
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	if (!http_setopts(h, &r->spec->u.http)) {
		probe_report(r, false, "cannot set up the request (url %.100s)", r->spec->u.http.url);
		return;
	}
	/* Adding only asks for a timer: the transfer starts from the loop. */
	if (curl_multi_add_handle(h->multi, h->easy) != CURLM_OK) {
		probe_report(r, false, "cannot start the request");
		return;
	}
	h->easy_added = true;
	probe_phase(r, "no response from %.100s", r->spec->u.http.url);
}

static void http_stop(struct probe_run *r)
{
	struct http_state *h = r->impl;
	if (!h)
		return;
	/* Removing the handle makes curl close its sockets and tell us
	 * (CURL_POLL_REMOVE); whatever it does not tell is freed below. */
	if (h->easy_added)
		curl_multi_remove_handle(h->multi, h->easy);
	if (h->easy)
		curl_easy_cleanup(h->easy);
	if (h->multi)
		curl_multi_cleanup(h->multi);
	while (h->socks)
		sock_forget(h, h->socks);
	if (h->timer)
		event_free(h->timer);
	curl_slist_free_all(h->headers);
	free(h->body);
	free(h);
}

const struct probe_ops probe_http_ops = {http_start, http_stop};
