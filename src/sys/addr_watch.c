#include "sys/addr_watch.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* MNL_SOCKET_BUFFER_SIZE is computed at run time; dumps fit in this. */
#define NL_BUF 32768

struct addr_entry {
	unsigned ifindex;
	struct addr a;
};

struct addr_watch {
	struct mnl_socket *events;  /* notifications */
	struct mnl_socket *request; /* dumps and changes */
	unsigned request_port;
	unsigned seq;
	struct event *ev;
	addr_watch_fn changed;
	void *arg;
	struct addr_entry *tab;
	size_t n, cap;
};

struct dump_ctx {
	struct addr_entry *tab;
	size_t n, cap;
	bool oom;
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);
	if (mnl_attr_type_valid(attr, IFA_MAX) < 0)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *c = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_MAX + 1] = {0};
	if (nlh->nlmsg_type != RTM_NEWADDR || (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof *ifa, attr_cb, tb);
	/* IFA_LOCAL is the address itself on point-to-point links. */
	const struct nlattr *at = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	size_t want = ifa->ifa_family == AF_INET ? 4 : 16;
	if (!at || mnl_attr_get_payload_len(at) < want)
		return MNL_CB_OK;
	if (c->n == c->cap) {
		size_t ncap = c->cap ? 2 * c->cap : 64;
		struct addr_entry *t = realloc(c->tab, ncap * sizeof *t);
		if (!t) {
			c->oom = true;
			return MNL_CB_ERROR;
		}
		c->tab = t;
		c->cap = ncap;
	}
	struct addr_entry *e = &c->tab[c->n++];
	memset(e, 0, sizeof *e);
	e->ifindex = ifa->ifa_index;
	e->a.family = ifa->ifa_family == AF_INET ? ADDR_V4 : ADDR_V6;
	memcpy(e->a.b, mnl_attr_get_payload(at), want);
	return MNL_CB_OK;
}

/* Runs one request on the request socket and feeds the answers to cb. */
static int request(struct addr_watch *w, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[NL_BUF];
	nlh->nlmsg_seq = ++w->seq;
	if (mnl_socket_sendto(w->request, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(w->request, buf, sizeof buf);
		if (n < 0)
			return -1;
		int r = mnl_cb_run(buf, (size_t)n, w->seq, w->request_port, cb, data);
		if (r <= MNL_CB_STOP)
			return r;
	}
}

static int reload(struct addr_watch *w)
{
	char buf[NL_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	struct rtgenmsg *rt = mnl_nlmsg_put_extra_header(nlh, sizeof *rt);
	rt->rtgen_family = AF_UNSPEC;
	struct dump_ctx c = {0};
	if (request(w, nlh, addr_cb, &c) < 0 || c.oom) {
		free(c.tab);
		return -1;
	}
	free(w->tab);
	w->tab = c.tab;
	w->n = c.n;
	w->cap = c.cap;
	return 0;
}

static void on_event(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct addr_watch *w = arg;
	char buf[NL_BUF];
	/* Drain the notifications; the table is simply reloaded. */
	while (mnl_socket_recvfrom(w->events, buf, sizeof buf) > 0)
		;
	reload(w);
	w->changed(w->arg);
}

struct addr_watch *addr_watch_new(struct event_base *base, addr_watch_fn changed, void *arg)
{
	struct addr_watch *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->changed = changed;
	w->arg = arg;
	w->seq = (unsigned)time(NULL);
	w->events = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	w->request = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!w->events || !w->request)
		goto fail;
	if (mnl_socket_bind(w->events, RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_bind(w->request, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	w->request_port = mnl_socket_get_portid(w->request);
	if (reload(w) < 0)
		goto fail;
	w->ev = event_new(base, mnl_socket_get_fd(w->events), EV_READ | EV_PERSIST, on_event, w);
	if (!w->ev || event_add(w->ev, NULL) < 0)
		goto fail;
	return w;
fail:;
	int e = errno;
	addr_watch_free(w);
	errno = e;
	return NULL;
}

void addr_watch_free(struct addr_watch *w)
{
	if (!w)
		return;
	if (w->ev)
		event_free(w->ev);
	if (w->events)
		mnl_socket_close(w->events);
	if (w->request)
		mnl_socket_close(w->request);
	free(w->tab);
	free(w);
}

bool addr_watch_present(const struct addr_watch *w, const char *ifname, const struct prefix *p)
{
	unsigned idx = if_nametoindex(ifname);
	if (!idx)
		return false;
	for (size_t i = 0; i < w->n; i++) {
		if (w->tab[i].ifindex != idx || w->tab[i].a.family != p->addr.family)
			continue;
		struct prefix q = {.addr = w->tab[i].a, .len = p->len};
		prefix_mask(&q);
		if (prefix_equal(&q, p))
			return true;
	}
	return false;
}

static int ack_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh, (void)data;
	return MNL_CB_OK;
}

static int change(struct addr_watch *w, int type, const char *ifname, const struct prefix *p)
{
	char buf[NL_BUF];
	unsigned idx = if_nametoindex(ifname);
	if (!idx)
		return -1;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof *ifa);
	bool v6 = p->addr.family == ADDR_V6;
	ifa->ifa_family = v6 ? AF_INET6 : AF_INET;
	ifa->ifa_prefixlen = p->len;
	ifa->ifa_index = idx;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_flags = v6 ? IFA_F_NODAD : 0;
	mnl_attr_put(nlh, IFA_LOCAL, v6 ? 16 : 4, p->addr.b);
	mnl_attr_put(nlh, IFA_ADDRESS, v6 ? 16 : 4, p->addr.b);
	int r = request(w, nlh, ack_cb, NULL);
	if (r < 0 && ((type == RTM_NEWADDR && errno == EEXIST) ||
		      (type == RTM_DELADDR && (errno == EADDRNOTAVAIL || errno == ENOENT))))
		r = 0;
	return r < 0 ? -1 : 0;
}

int addr_watch_add(struct addr_watch *w, const char *ifname, const struct prefix *p)
{
	return change(w, RTM_NEWADDR, ifname, p);
}

int addr_watch_del(struct addr_watch *w, const char *ifname, const struct prefix *p)
{
	return change(w, RTM_DELADDR, ifname, p);
}
