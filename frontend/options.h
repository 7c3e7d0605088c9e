/* The command line, QEMU-style: each option is a row of one table, which
 * also makes the -h text. */
#ifndef FRONTEND_OPTIONS_H
#define FRONTEND_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "platform/machine.h"
#include "util/log.h"

/* Largest -m accepted. */
#define OPTIONS_MAX_RAM (1ull << 40)
/* Largest -quantum accepted (a second of guest time at 1e9 per second). */
#define OPTIONS_MAX_QUANTUM 1000000000ull

struct options {
	struct machine_config machine;
	enum log_level log_level;
	bool icount_report; /* print "instructions: N" on stderr at exit */
	bool info_devices;  /* list the port and MMIO ranges, run nothing */
	bool help;
};

/* Parses argv into o (defaults first). Returns 0, or -1 with a one-line
 * message in err. With -h, o->help is set and nothing else is checked. */
int options_parse(struct options *o, int argc, char *const argv[], char *err,
		  size_t errlen);

/* Parses a -m size as QEMU does: a number with an optional fraction and
 * an optional suffix B, K, M, G or T (either case); no suffix means MiB.
 * A "size=" prefix is allowed. Returns 0, or -1 if s is malformed. */
int options_parse_size(const char *s, uint64_t *bytes);

void options_usage(FILE *f);

#endif
