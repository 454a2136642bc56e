#include "sys/sock.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

socklen_t sock_addr_to_sa(const struct addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (a->family == ADDR_V6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, a->b, 16);
		return sizeof *s6;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	memcpy(&s4->sin_addr, a->b, 4);
	return sizeof *s4;
}

void sock_sa_to_addr(const struct sockaddr_storage *ss, struct addr *a, uint16_t *port)
{
	*a = (struct addr){0};
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
		static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		if (!memcmp(s6->sin6_addr.s6_addr, mapped, 12)) {
			a->family = ADDR_V4;
			memcpy(a->b, s6->sin6_addr.s6_addr + 12, 4);
		} else {
			a->family = ADDR_V6;
			memcpy(a->b, s6->sin6_addr.s6_addr, 16);
		}
		if (port)
			*port = ntohs(s6->sin6_port);
	} else if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
		a->family = ADDR_V4;
		memcpy(a->b, &s4->sin_addr, 4);
		if (port)
			*port = ntohs(s4->sin_port);
	}
}

int sock_set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

int sock_set_md5(int fd, const struct addr *peer, const char *key)
{
	struct tcp_md5sig sig;
	memset(&sig, 0, sizeof sig);
	sock_addr_to_sa(peer, 0, (struct sockaddr_storage *)&sig.tcpm_addr);
	size_t n = key ? strlen(key) : 0;
	if (n > TCP_MD5SIG_MAXKEYLEN) {
		errno = EINVAL;
		return -1;
	}
	sig.tcpm_keylen = (uint16_t)n;
	memcpy(sig.tcpm_key, key ? key : "", n);
	return setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof sig);
}

/* The TCP-AO socket options of Linux >= 6.7 (include/uapi/linux/tcp.h);
 * spelled out here because Debian 12's headers predate them.  The kernel
 * checks the sizes, so a layout mismatch fails with EINVAL, never silently. */
enum { SOCK_TCP_AO_ADD_KEY = 38, SOCK_TCP_AO_DEL_KEY = 39, SOCK_TCP_AO_INFO = 40, SOCK_TCP_AO_GET_KEYS = 41 };
enum { SOCK_AO_MAXKEYLEN = 80, SOCK_AO_MACLEN = 12 };
struct sock_ao_add {
	struct sockaddr_storage addr;
	char alg_name[64];
	int32_t ifindex;
	uint32_t flags; /* bit 0 set_current, bit 1 set_rnext */
	uint16_t reserved2;
	uint8_t prefix, sndid, rcvid, maclen, keyflags, keylen;
	uint8_t key[SOCK_AO_MAXKEYLEN];
} __attribute__((aligned(8)));
struct sock_ao_del {
	struct sockaddr_storage addr;
	int32_t ifindex;
	uint32_t flags;
	uint16_t reserved2;
	uint8_t prefix, sndid, rcvid, current_key, rnext, keyflags;
} __attribute__((aligned(8)));
struct sock_ao_info {
	uint32_t flags;
	uint16_t reserved2;
	uint8_t current_key, rnext;
	uint64_t pkt_good, pkt_bad, pkt_key_not_found, pkt_ao_required, pkt_dropped_icmp;
} __attribute__((aligned(8)));

int sock_set_ao(int fd, const struct addr *peer, const struct sock_ao *ao)
{
	uint8_t plen = peer->family == ADDR_V6 ? 128 : 32;
	if (!ao || !ao->key || !*ao->key) {
		struct sock_ao_del del;
		memset(&del, 0, sizeof del);
		sock_addr_to_sa(peer, 0, &del.addr);
		del.prefix = plen;
		del.sndid = ao ? ao->send_id : 1;
		del.rcvid = ao ? ao->recv_id : 1;
		return setsockopt(fd, IPPROTO_TCP, SOCK_TCP_AO_DEL_KEY, &del, sizeof del);
	}
	size_t n = strlen(ao->key);
	if (n > SOCK_AO_MAXKEYLEN) {
		errno = EINVAL;
		return -1;
	}
	struct sock_ao_add add;
	memset(&add, 0, sizeof add);
	sock_addr_to_sa(peer, 0, &add.addr);
	snprintf(add.alg_name, sizeof add.alg_name, "%s", ao->cmac ? "cmac(aes128)" : "hmac(sha1)");
	add.flags = 1u; /* the only key: current at once */
	add.prefix = plen;
	add.sndid = ao->send_id;
	add.rcvid = ao->recv_id;
	add.maclen = SOCK_AO_MACLEN;
	add.keylen = (uint8_t)n;
	memcpy(add.key, ao->key, n);
	int rc = setsockopt(fd, IPPROTO_TCP, SOCK_TCP_AO_ADD_KEY, &add, sizeof add);
	int e = errno;
	memset(&add, 0, sizeof add); /* no copy of the key left on the stack */
	errno = e;
	return rc;
}

int sock_ao_active(int fd)
{
	struct sock_ao_info info;
	socklen_t len = sizeof info;
	memset(&info, 0, sizeof info);
	return getsockopt(fd, IPPROTO_TCP, SOCK_TCP_AO_INFO, &info, &len) == 0;
}

const char *sock_ao_strerror(int err)
{
	switch (err) {
	case ENOPROTOOPT:
		return "this kernel has no TCP-AO (needs Linux >= 6.7 built with CONFIG_TCP_AO)";
	case ENOENT:
	case EINVAL:
		return "the kernel refused the TCP-AO key (algorithm not available in its crypto API, or a bad key)";
	case EKEYREJECTED:
		return "the kernel refused the TCP-AO key (it collides with a TCP-MD5 key for the same peer)";
	default:
		return strerror(err);
	}
}

int sock_set_ttl(int fd, uint8_t family, const struct sock_opts *o)
{
	int ttl = o->gtsm ? 255 : o->ttl;
	bool v6 = family == ADDR_V6;
	if (ttl > 0) {
		if (v6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof ttl)
		       : setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl))
			return -1;
	}
	if (o->gtsm) {
		/* RFC 5082: directly connected peers arrive with TTL 255. */
		int min = 255;
		if (v6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, &min, sizeof min)
		       : setsockopt(fd, IPPROTO_IP, IP_MINTTL, &min, sizeof min))
			return -1;
	}
	return 0;
}

int sock_connect(const struct addr *peer, uint16_t port, const struct addr *local,
		 const struct sock_opts *o)
{
	struct sockaddr_storage ss;
	int fd = socket(peer->family == ADDR_V6 ? AF_INET6 : AF_INET,
			SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (local && local->family != ADDR_NONE) {
		socklen_t sl = sock_addr_to_sa(local, 0, &ss);
		if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
			goto fail;
	}
	if (o->md5_key && *o->md5_key && sock_set_md5(fd, peer, o->md5_key) < 0)
		goto fail;
	if (o->ao.key && *o->ao.key && sock_set_ao(fd, peer, &o->ao) < 0)
		goto fail;
	if (sock_set_ttl(fd, peer->family, o) < 0)
		goto fail;
	socklen_t sl = sock_addr_to_sa(peer, port, &ss);
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS)
		goto fail;
	return fd;
fail:;
	int e = errno;
	close(fd);
	errno = e;
	return -1;
}

int sock_error(int fd)
{
	int err = 0;
	socklen_t len = sizeof err;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return errno;
	return err;
}

int sock_listen(uint8_t family, uint16_t port)
{
	struct sockaddr_storage ss;
	struct addr any = {.family = family};
	int fd = socket(family == ADDR_V6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (family == ADDR_V6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) < 0)
		goto fail;
	socklen_t sl = sock_addr_to_sa(&any, port, &ss);
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 64) < 0)
		goto fail;
	return fd;
fail:;
	int e = errno;
	close(fd);
	errno = e;
	return -1;
}

int sock_accept(int lfd, struct addr *peer, uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	int fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return -1;
	sock_sa_to_addr(&ss, peer, port);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

int sock_local_addr(int fd, struct addr *a)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
		return -1;
	sock_sa_to_addr(&ss, a, NULL);
	return 0;
}
