/* Leveled log lines on stderr, each tagged with the module that wrote it:
 *   "vmxsim: uart: debug: LCR = 0x03"
 * Messages below the current level cost one compare. */
#ifndef UTIL_LOG_H
#define UTIL_LOG_H

#include <stdbool.h>

enum log_level {
	LOG_ERROR,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
	LOG_TRACE,
};

/* The current level; read it through log_enabled(). */
extern enum log_level log_threshold;

void log_set_level(enum log_level level);
enum log_level log_get_level(void);

static inline bool log_enabled(enum log_level level)
{
	return level <= log_threshold;
}

/* Parses a level by name ("error", "warn", "info", "debug", "trace") or
 * number (0-4). Returns false if s is neither. */
bool log_parse_level(const char *s, enum log_level *out);
const char *log_level_name(enum log_level level);

/* Writes one line; a trailing newline in fmt is not needed. */
void log_msg(enum log_level level, const char *module, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define LOG_AT(level, module, ...)                               \
	do {                                                     \
		if (log_enabled(level))                          \
			log_msg((level), (module), __VA_ARGS__); \
	} while (0)

#define log_error(module, ...) LOG_AT(LOG_ERROR, module, __VA_ARGS__)
#define log_warn(module, ...) LOG_AT(LOG_WARN, module, __VA_ARGS__)
#define log_info(module, ...) LOG_AT(LOG_INFO, module, __VA_ARGS__)
#define log_debug(module, ...) LOG_AT(LOG_DEBUG, module, __VA_ARGS__)
#define log_trace(module, ...) LOG_AT(LOG_TRACE, module, __VA_ARGS__)

#endif
