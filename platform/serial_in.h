/* The host side of a UART's receive line: bytes read from a host file
 * descriptor (the simulator's standard input for -serial stdio) go to
 * the UART one character time apart, only while the UART asserts RTS and
 * has room (platform/uart.h), so none is lost to an overrun.
 *
 * Delivery runs on virtual time. A regular file is read as fast as the
 * line takes it, so the same file gives the same run. Interactive input
 * (a terminal or a pipe) is polled every SERIAL_IN_POLL_NS of virtual
 * time while the guest runs, and while every CPU waits the machine waits
 * for it in host time (serial_in_idle), so an idle guest's clock follows
 * the wall clock instead of racing ahead. At end of file the line goes
 * quiet, and a guest waiting for nothing else ends as it would without
 * input. */
#ifndef PLATFORM_SERIAL_IN_H
#define PLATFORM_SERIAL_IN_H

#include <stddef.h>
#include <stdint.h>

#include "platform/clock.h"
#include "platform/uart.h"

/* Virtual time between looks at interactive input: 1 ms. */
#define SERIAL_IN_POLL_NS 1000000ull

struct serial_in;

/* Feeds fd (not owned) to u on clk. */
struct serial_in *serial_in_create(int fd, struct uart *u, struct clock *clk,
				   char *err, size_t errlen);
void serial_in_destroy(struct serial_in *s);

/* Every CPU waits and the next timer is gap_ns of virtual time away:
 * waits that long in host time at most (capped at 100 ms) for
 * interactive input, and schedules its delivery if some came. */
void serial_in_idle(struct serial_in *s, uint64_t gap_ns);

#endif
