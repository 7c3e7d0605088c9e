/* Interrupt lines between devices and interrupt controllers. A device
 * raises or lowers a numbered line of the board; every controller
 * attached to the board sees the change (on a PC, the ISA lines go to
 * both the 8259 pair and the I/O APIC). */
#ifndef PLATFORM_IRQ_H
#define PLATFORM_IRQ_H

#include <stdbool.h>

#define IRQ_LINES 24

/* A controller's input: set_line(opaque, line, level). */
struct irq_sink {
	void (*set_line)(void *opaque, unsigned line, bool level);
	void *opaque;
};

#define IRQ_MAX_SINKS 4

struct irq_bus {
	struct irq_sink sinks[IRQ_MAX_SINKS];
	unsigned nsinks;
	bool level[IRQ_LINES];
};

/* Attaches a controller; returns false when there is no room. */
bool irq_bus_attach(struct irq_bus *b, struct irq_sink sink);
/* Sets a line's level and tells every controller (edge-triggered devices
 * pulse: raise then lower). */
void irq_set(struct irq_bus *b, unsigned line, bool level);

#endif
