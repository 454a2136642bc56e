/* Inside conf/: the key handlers one schema file hands to another.  Each
 * is a conf_value_fn (see parser.h).  Not for use outside src/conf/. */
#ifndef ANYCASTD_CONF_SCHEMA_H
#define ANYCASTD_CONF_SCHEMA_H

#include "conf/parser.h"

/* services: (service.c); obj is the struct conf. */
int conf_top_services(struct conf_parser *p, const yaml_event_t *v, void *obj);

/* services[i].attributes: (attrs.c); obj is the struct conf_service. */
int conf_service_attributes(struct conf_parser *p, const yaml_event_t *v, void *obj);

/* services[i].checks: (check.c); obj is the struct conf_service.  Fills
 * svc->checks, names the unnamed ones, refuses duplicate names. */
int conf_service_checks(struct conf_parser *p, const yaml_event_t *v, void *obj);

/* ADDRESS:PORT (need_port) or also a bare ADDRESS (check.c); the address
 * must be usable (addr_usable).  Port left as it was for a bare address. */
int conf_endpoint(struct conf_parser *p, const yaml_event_t *v, bool need_port, struct addr *a,
		  uint16_t *port);

/* A user or group name: letters, digits, '_', '.', '-' (not first), at
 * most max bytes, copied into out[max + 1] (check.c). */
int conf_account_name(struct conf_parser *p, const yaml_event_t *v, const char *what, size_t max,
		      char *out);

#endif
