/* Logging: one logfmt line per event on stderr (journald keeps it as is):
 *   level=info comp=session peer=r1 msg="session established" state=Established
 * The level threshold is the only state. */
#ifndef ANYCASTD_LIB_LOG_H
#define ANYCASTD_LIB_LOG_H

enum log_level {
	LOG_DEBUG = 0,
	LOG_INFO = 1,
	LOG_WARN = 2,
	LOG_ERROR = 3,
};

void log_set_level(enum log_level l);
enum log_level log_get_level(void);
/* Parses "debug", "info", "warn", "error"; returns -1 on anything else. */
int log_level_parse(const char *s);
/* "debug", "info", "warn", "error"; "?" for anything else. */
const char *log_level_name(int l);

/* Writes `level=L comp=C msg="MSG"` followed by the formatted key=value
 * pairs in kv (may be NULL).  msg is quoted and escaped here; values in kv
 * are the caller's to quote (use log_quote for untrusted text). */
void log_msg(enum log_level l, const char *comp, const char *msg, const char *kv, ...)
	__attribute__((format(printf, 4, 5)));

/* Writes s as a logfmt quoted value (with the quotes) into out: control
 * characters, quotes, backslashes and non-ASCII escaped; cut at cap. */
const char *log_quote(const char *s, char *out, unsigned long cap);

#define log_debug(comp, msg, ...) \
	do { if (log_get_level() <= LOG_DEBUG) log_msg(LOG_DEBUG, comp, msg, __VA_ARGS__); } while (0)
#define log_info(comp, msg, ...) log_msg(LOG_INFO, comp, msg, __VA_ARGS__)
#define log_warn(comp, msg, ...) log_msg(LOG_WARN, comp, msg, __VA_ARGS__)
#define log_error(comp, msg, ...) log_msg(LOG_ERROR, comp, msg, __VA_ARGS__)

#endif
