/* The 8042 keyboard controller of a PC/AT with PS/2 ports (IBM PC/AT
 * technical reference, "Keyboard controller"; IBM PS/2 hardware interface
 * technical reference, "Keyboard/auxiliary device controller"), at ports
 * 0x60 (data) and 0x64 (status/command), with a keyboard and a mouse
 * attached that answer resets and identify themselves. There is no host
 * input yet: the devices never send scan codes or movement.
 *
 * Its output port carries the A20 gate (bit 1) and the system reset line
 * (bit 0, active low); the machine reacts through the callbacks. IRQ 1
 * and IRQ 12 follow the output buffer as the output port's bits 4 and 5
 * do. */
#ifndef PLATFORM_I8042_H
#define PLATFORM_I8042_H

#include <stdbool.h>
#include <stddef.h>

#include "platform/iomap.h"
#include "platform/irq.h"

struct i8042;

struct i8042_config {
	struct iomap *io;
	struct irq_bus *irqs;       /* lines PC_IRQ_KBD and PC_IRQ_MOUSE */
	/* The output port's A20 bit changed. */
	void (*set_a20)(void *ctx, bool enabled);
	/* The output port's reset line was driven low. */
	void (*reset)(void *ctx, const char *why);
	void *ctx;
};

/* The controller as firmware leaves it: self-test passed (SYS set),
 * keyboard interrupt and translation on, both ports enabled, A20 on. */
struct i8042 *i8042_create(const struct i8042_config *cfg, char *err,
			   size_t errlen);
void i8042_destroy(struct i8042 *k);

#endif
