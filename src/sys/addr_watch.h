/* Local addresses through rtnetlink (libmnl): which addresses are
 * configured on which interface, kept current from the kernel's address
 * notifications, and adding/removing a service address on an interface.
 * A service prefix counts as present when an address equal to its
 * network address with the same prefix length, or a host address inside
 * it (/32, /128), is configured on the interface. */
#ifndef ANYCASTD_SYS_ADDR_WATCH_H
#define ANYCASTD_SYS_ADDR_WATCH_H

#include <event2/event.h>
#include <stdbool.h>

#include "lib/addr.h"

struct addr_watch;

typedef void (*addr_watch_fn)(void *arg);

/* Opens the netlink socket, subscribes to IPv4/IPv6 address changes, loads
 * the current addresses, and calls changed() after every change.
 * NULL on failure (errno set). */
struct addr_watch *addr_watch_new(struct event_base *base, addr_watch_fn changed, void *arg);
void addr_watch_free(struct addr_watch *w);

/* Is p's address configured on ifname?  (From the cached table.) */
bool addr_watch_present(const struct addr_watch *w, const char *ifname, const struct prefix *p);

/* Adds or removes p (as a host address, /32 or /128, with scope host on
 * the loopback) on ifname; synchronous netlink request with ACK.
 * Returns 0 or -1 with errno (EEXIST on add and ENOENT/EADDRNOTAVAIL on
 * delete count as success). */
int addr_watch_add(struct addr_watch *w, const char *ifname, const struct prefix *p);
int addr_watch_del(struct addr_watch *w, const char *ifname, const struct prefix *p);

#endif
