/* sd_notify wrappers; see sdnotify.h. */
#include "sys/sdnotify.h"

#include <stdarg.h>
#include <stdio.h>
#include <systemd/sd-daemon.h>
#include <time.h>

void sdnotify_ready(void) { (void)sd_notify(0, "READY=1"); }

void sdnotify_reloading(void)
{
	/* MONOTONIC_USEC is what Type=notify-reload (systemd 253) wants; older
	 * managers ignore it. */
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	(void)sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
			 (unsigned long long)ts.tv_sec * 1000000ull + (unsigned long long)ts.tv_nsec / 1000);
}

void sdnotify_stopping(void) { (void)sd_notify(0, "STOPPING=1"); }

void sdnotify_status(const char *fmt, ...)
{
	char text[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	/* A newline would start another assignment (READY=1...) */
	for (char *p = text; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	(void)sd_notifyf(0, "STATUS=%s", text);
}

uint64_t sdnotify_watchdog_usec(void)
{
	uint64_t usec = 0;
	/* Leaves the environment as it is: unsetting it races with threads
	 * (libcurl's resolver) reading it; children ignore a WATCHDOG_PID
	 * that is not theirs. */
	return sd_watchdog_enabled(0, &usec) > 0 ? usec : 0;
}

void sdnotify_watchdog(void) { (void)sd_notify(0, "WATCHDOG=1"); }
