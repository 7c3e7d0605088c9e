/* The I/O APIC (82093AA datasheet; version 20H adds the EOI register of
 * later chipsets): 24 redirection entries that turn input pins into
 * messages on the APIC bus, edge- or level-triggered, with remote IRR
 * cleared by the local APICs' EOI broadcast. */
#ifndef PLATFORM_IOAPIC_H
#define PLATFORM_IOAPIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/irq.h"

struct apic_bus;
struct iomap;
struct ioapic;

#define IOAPIC_PINS 24
#define IOAPIC_VERSION_82093AA 0x11
#define IOAPIC_VERSION_EOI 0x20   /* has the EOI register */

/* Memory-mapped registers (82093AA 3.0) and the EOI register. */
#define IOAPIC_IOREGSEL 0x00
#define IOAPIC_IOWIN 0x10
#define IOAPIC_EOIR 0x40
#define IOAPIC_MMIO_SIZE 0x1000

/* Indirect registers. */
#define IOAPIC_REG_ID 0x00
#define IOAPIC_REG_VER 0x01
#define IOAPIC_REG_ARB 0x02
#define IOAPIC_REG_REDTBL 0x10    /* entry n: 0x10 + 2n (low), + 1 (high) */

/* An I/O APIC at base with the given version and ID, sending to bus.
 * Returns NULL with a message in err if the range cannot be registered. */
struct ioapic *ioapic_create(struct iomap *io, uint64_t base, uint8_t version,
			     uint8_t id, struct apic_bus *bus, char *err,
			     size_t errlen);
void ioapic_destroy(struct ioapic *io);

/* RESET: every entry masked, edge, fixed, vector 0. */
void ioapic_reset(struct ioapic *io);

/* Input pin at the given electrical level (polarity applies). */
void ioapic_set_pin(struct ioapic *io, unsigned pin, bool level);
/* The board's interrupt lines through the PC's routing (PC_GSI_OF_IRQ in
 * platform/pc_layout.h). */
struct irq_sink ioapic_isa_sink(struct ioapic *io);

/* An EOI for vector from a local APIC (broadcast) or the EOI register. */
void ioapic_eoi(struct ioapic *io, uint8_t vector);

bool ioapic_has_eoi_register(const struct ioapic *io);
uint64_t ioapic_redirection(const struct ioapic *io, unsigned pin);

#endif
