/* TCP sockets for BGP: non-blocking connect and listen, TCP-MD5 (RFC 2385),
 * TCP-AO (RFC 5925), GTSM (RFC 5082) and TTL, addresses.  Functions return
 * -1 with errno set. */
#ifndef ANYCASTD_SYS_SOCK_H
#define ANYCASTD_SYS_SOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "lib/addr.h"

/* One TCP-AO master key tuple (RFC 5925 §3.1); the kernel derives the
 * traffic keys (RFC 5926) and signs every segment with a 12-byte MAC. */
struct sock_ao {
	const char *key; /* NULL or "" for none */
	uint8_t send_id, recv_id;
	bool cmac; /* AES-128-CMAC-96; else HMAC-SHA-1-96 */
};

struct sock_opts {
	const char *md5_key; /* NULL or "" for none */
	struct sock_ao ao;   /* ao.key NULL or "" for none; never with md5_key */
	bool gtsm;           /* send TTL 255, accept only TTL 255 */
	uint8_t ttl;         /* outgoing TTL/hop limit when !gtsm; 0 = system default */
};

/* Fills a sockaddr from an address and port; returns its length. */
socklen_t sock_addr_to_sa(const struct addr *a, uint16_t port, struct sockaddr_storage *ss);
/* Reads address and port back (IPv4-mapped IPv6 becomes IPv4). */
void sock_sa_to_addr(const struct sockaddr_storage *ss, struct addr *a, uint16_t *port);

/* Starts a non-blocking connection to peer:port, bound to local if given
 * (family ADDR_NONE: any), with the options applied before the SYN.
 * Returns the fd; completion is signalled by writability (sock_error). */
int sock_connect(const struct addr *peer, uint16_t port, const struct addr *local,
		 const struct sock_opts *o);
/* The pending error of a connecting socket (0 when connected). */
int sock_error(int fd);
/* Applies TTL/GTSM options to a connected or listening socket. */
int sock_set_ttl(int fd, uint8_t family, const struct sock_opts *o);
/* Installs (or with key NULL/"" removes) the TCP-MD5 key for peer on fd
 * (a listening socket takes one key per peer). */
int sock_set_md5(int fd, const struct addr *peer, const char *key);
/* Installs (or with ao NULL or ao->key "" removes) the TCP-AO key for peer
 * on fd.  Fails with ENOPROTOOPT when the kernel has no TCP-AO (before
 * Linux 6.7, or built without CONFIG_TCP_AO): callers must then refuse the
 * peer, never fall back to an unauthenticated session. */
int sock_set_ao(int fd, const struct addr *peer, const struct sock_ao *ao);
/* 1 when the connected socket fd is protected by TCP-AO, 0 when not (or
 * when the kernel has no TCP-AO): an accepted connection from a TCP-AO peer
 * is used only when this says 1. */
int sock_ao_active(int fd);
/* The sentence that explains a TCP-AO setsockopt failure to an operator. */
const char *sock_ao_strerror(int err);
/* A non-blocking listening socket on [addr]:port (family ADDR_V4 or
 * ADDR_V6; IPv6 sockets are v6-only). */
int sock_listen(uint8_t family, uint16_t port);
/* Accepts one connection (non-blocking); fills the peer's address. */
int sock_accept(int lfd, struct addr *peer, uint16_t *port);
int sock_local_addr(int fd, struct addr *a);
int sock_set_nonblock(int fd);

#endif
