/* Inside conf/: the pieces of conf_print() shared between print.c and
 * print_service.c.  Not for use outside src/conf/. */
#ifndef ANYCASTD_CONF_PRINTER_H
#define ANYCASTD_CONF_PRINTER_H

#include "conf/conf.h"

/* s as a YAML double-quoted scalar, escaped so that any reader gets s back. */
void conf_put_quoted(struct strbuf *o, const char *s);
/* s plain when no YAML reader could take it for anything but that string
 * (names, paths), else quoted. */
void conf_put_scalar(struct strbuf *o, const char *s);
/* "INDENTkey: s\n" with s as conf_put_scalar writes it. */
void conf_put_string(struct strbuf *o, const char *key, const char *s, const char *indent);
/* Address or prefix text, quoted when it begins or ends with ':'. */
void conf_put_text(struct strbuf *o, const char *s);

/* One entry of services: ("  - name: ..."). */
void conf_put_service(struct strbuf *o, const struct conf_service *s);

#endif
