/* The 8254 programmable interval timer (Intel 8254 datasheet, order
 * 231164) as the PC wires it, and the system control port B at 0x61
 * that holds counter 2's gate and shows its output.
 *
 * The three counters count a 1.193182 MHz clock derived from the
 * machine's virtual clock (platform/clock.h): tick k is at k / 1193182 s
 * of virtual time. Counter 0's OUT drives ISA line 0 (PC_IRQ_PIT) through
 * a timer on that clock; counters 0 and 1 have their gates tied high;
 * counter 2's gate is port 0x61 bit 0 and its OUT is bit 5 there.
 * Counter 1 (the refresh timer) is connected to nothing. */
#ifndef PLATFORM_PIT_H
#define PLATFORM_PIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/clock.h"
#include "platform/iomap.h"
#include "platform/irq.h"

#define PIT_HZ 1193182u

struct pit;

/* Registers ports 0x40-0x43 and 0x61. Counter 0's OUT goes to line
 * irq_line of irqs. Every counter starts unprogrammed (no count, OUT
 * high), as at power-on. */
struct pit *pit_create(struct iomap *io, struct clock *clk,
		       struct irq_bus *irqs, unsigned irq_line, char *err,
		       size_t errlen);
void pit_destroy(struct pit *p);

/* The OUT pin of counter i (0-2) now. */
bool pit_out(struct pit *p, unsigned i);

#endif
