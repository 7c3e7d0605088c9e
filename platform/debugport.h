/* The test-kernel ports QEMU users know: a debug console at 0xe9 (bytes
 * written appear on a host stream; reads return 0xe9 so a guest can detect
 * it) and an isa-debug-exit device at 0xf4 (iobase=0xf4, iosize=4): a
 * write of v ends the run with exit status (v << 1) | 1. */
#ifndef PLATFORM_DEBUGPORT_H
#define PLATFORM_DEBUGPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "platform/iomap.h"

#define DEBUGCON_PORT 0xe9
#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_LEN 4

struct debugport;

/* console receives port 0xe9 output (NULL discards it; not owned).
 * on_exit is called with the exit status when the guest writes the exit
 * port; the machine ends the run from there. */
struct debugport *debugport_create(struct iomap *io, FILE *console,
				   void (*on_exit)(void *ctx, int status),
				   void *ctx, char *err, size_t errlen);
void debugport_destroy(struct debugport *d);

#endif
