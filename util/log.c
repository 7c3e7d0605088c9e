/* Leveled log output to stderr. */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Warnings and errors are shown unless the user asks for less or more. */
enum log_level log_threshold = LOG_WARN;

static const char *const log_names[] = {
	[LOG_ERROR] = "error",
	[LOG_WARN] = "warn",
	[LOG_INFO] = "info",
	[LOG_DEBUG] = "debug",
	[LOG_TRACE] = "trace",
};

void log_set_level(enum log_level level)
{
	if (level > LOG_TRACE)
		level = LOG_TRACE;
	log_threshold = level;
}

enum log_level log_get_level(void)
{
	return log_threshold;
}

const char *log_level_name(enum log_level level)
{
	return level <= LOG_TRACE ? log_names[level] : "?";
}

bool log_parse_level(const char *s, enum log_level *out)
{
	for (unsigned i = 0; i <= LOG_TRACE; i++) {
		if (strcmp(s, log_names[i]) == 0) {
			*out = (enum log_level)i;
			return true;
		}
	}
	/* "warning" is what people type as often as "warn". */
	if (strcmp(s, "warning") == 0) {
		*out = LOG_WARN;
		return true;
	}
	if (s[0] >= '0' && s[0] <= '4' && s[1] == '\0') {
		*out = (enum log_level)(s[0] - '0');
		return true;
	}
	return false;
}

void log_msg(enum log_level level, const char *module, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	/* One fputs per line so that lines from different sources are never
	 * interleaved mid-line. */
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	while (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	fprintf(stderr, "vmxsim: %s: %s: %s\n", module, log_level_name(level),
		line);
}
