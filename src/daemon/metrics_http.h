/* /metrics over HTTP (libevent's evhttp): the daemon's state in the
 * Prometheus text format, gathered at each scrape.  Names and labels are
 * documented in docs/operations.md ("Metrics"). */
#ifndef ANYCASTD_DAEMON_METRICS_HTTP_H
#define ANYCASTD_DAEMON_METRICS_HTTP_H

#include <stddef.h>

#include "daemon/daemon.h"
#include "metrics/metrics.h"

/* Listens on addr:port.  NULL with the reason in why. */
struct metrics_http *metrics_http_open(struct daemon *d, const struct addr *addr, uint16_t port, char *why,
				       size_t cap);
void metrics_http_close(struct metrics_http *m); /* NULL-safe */

/* Writes every metric of d to o (also used by tests through the socket). */
void metrics_write_all(struct daemon *d, struct metrics_out *o);

#endif
