/* The PC's two cascaded 8259A programmable interrupt controllers (Intel
 * 8259A datasheet, order 231468), with the edge/level control registers
 * (ELCR) the PIIX south bridges add at 0x4d0/0x4d1.
 *
 * The master answers at 0x20/0x21 and drives the CPU's INTR; the slave
 * answers at 0xa0/0xa1 and its INT output is the master's IR2. The sixteen
 * ISA lines come in through pic_irq_sink(): lines 0-7 are the master's
 * IR0-IR7 (line 2 is not wired: the master's IR2 is the cascade), lines
 * 8-15 the slave's IR0-IR7.
 *
 * The INT output of each chip is a latch: it rises when the priority
 * resolver finds a request that may interrupt and falls only with the
 * interrupt acknowledge (or a poll, or ICW1). A request withdrawn before
 * the acknowledge therefore gives the default IR7 vector without an ISR
 * bit, as the datasheet describes ("Edge and level triggered modes"). */
#ifndef PLATFORM_PIC_H
#define PLATFORM_PIC_H

#include <stdbool.h>
#include <stddef.h>

#include "platform/iomap.h"
#include "platform/irq.h"

struct pic;

/* Registers the ports 0x20-0x21, 0xa0-0xa1 and 0x4d0-0x4d1. The chips
 * start uninitialised, as after power-on: every register 0, edge mode,
 * and no interrupt until a guest's ICW1-ICW4 sequence has programmed
 * them. */
struct pic *pic_create(struct iomap *io, char *err, size_t errlen);
void pic_destroy(struct pic *p);

/* The sink for the ISA lines 0-15 (others are ignored). */
struct irq_sink pic_irq_sink(struct pic *p);
void pic_set_irq(struct pic *p, unsigned line, bool level);

/* Where the master's INT goes: fn is called with the new level every time
 * it changes (and once at once with the current level). The CPU side
 * connects it to INTR, or to a local APIC's LINT0. */
void pic_set_output(struct pic *p, void (*fn)(void *opaque, bool level),
		    void *opaque);

/* The master's INT output. */
bool pic_has_interrupt(const struct pic *p);

/* The INTA cycle: the vector of the highest-priority request, through
 * the slave when the master picks its cascade input; the default IR7
 * vector (base + 7, no ISR bit set) of the chip that finds no request.
 * Always returns a vector (0-255). */
int pic_acknowledge(struct pic *p);

#endif
