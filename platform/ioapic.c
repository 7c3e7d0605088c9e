/* The I/O APIC: IOREGSEL/IOWIN, ID, version, arbitration ID and the
 * redirection table (82093AA datasheet 3.2), the EOI register of version
 * 20H, and delivery of its pins as APIC bus messages. */
#include "platform/ioapic.h"

#include <stdio.h>
#include <stdlib.h>

#include "platform/apicbus.h"
#include "platform/iomap.h"
#include "platform/pc_layout.h"

/* Redirection entry bits the software writes (datasheet 3.2.4):
 * vector, delivery mode, destination mode, polarity, trigger, mask;
 * delivery status and remote IRR are read-only. */
#define REDIR_LO_WRITABLE 0x0001afffu
#define REDIR_HI_WRITABLE 0xff000000u

struct ioapic {
	struct apic_bus *bus;
	uint8_t version;
	uint8_t reset_id;
	uint32_t id;              /* ID register, ID in bits 27:24 */
	uint32_t regsel;
	uint64_t redir[IOAPIC_PINS];
	bool level[IOAPIC_PINS];  /* electrical level of each pin */
};

static bool asserted(const struct ioapic *io, unsigned pin)
{
	return io->level[pin] != !!(io->redir[pin] & APIC_POLARITY_LOW);
}

static bool level_triggered(uint64_t e)
{
	return e & APIC_TRIGGER_LEVEL;
}

/* Fixed and lowest-priority entries may be level-triggered; NMI, SMI,
 * INIT and ExtINT are edge-triggered whatever the trigger bit says
 * (datasheet 3.2.4, delivery mode). */
static bool uses_remote_irr(uint64_t e)
{
	unsigned mode = (e >> APIC_DM_SHIFT) & 7;
	return level_triggered(e) &&
	       (mode == APIC_DM_FIXED || mode == APIC_DM_LOWEST);
}

static void send(struct ioapic *io, unsigned pin)
{
	uint64_t e = io->redir[pin];
	struct apic_msg m = {
		.dest = (uint32_t)(e >> 56),
		.vector = e & APIC_VECTOR,
		.mode = (e >> APIC_DM_SHIFT) & 7,
		.logical = e & APIC_DEST_LOGICAL,
		.level = uses_remote_irr(e),
		.from = APIC_FROM_IOAPIC,
		.pin = pin,
	};
	unsigned accepted = apicbus_send(io->bus, &m);
	if (m.level && accepted)
		io->redir[pin] |= APIC_REMOTE_IRR;
}

/* A level-triggered pin is delivered while it is asserted, unmasked and
 * remote IRR is clear. */
static void level_check(struct ioapic *io, unsigned pin)
{
	uint64_t e = io->redir[pin];
	if (!uses_remote_irr(e) || (e & (APIC_MASKED | APIC_REMOTE_IRR)) ||
	    !asserted(io, pin))
		return;
	send(io, pin);
}

void ioapic_set_pin(struct ioapic *io, unsigned pin, bool level)
{
	if (pin >= IOAPIC_PINS)
		return;
	bool before = asserted(io, pin);
	io->level[pin] = level;
	bool now = asserted(io, pin);
	uint64_t e = io->redir[pin];
	if (uses_remote_irr(e)) {
		level_check(io, pin);
		return;
	}
	/* An edge on a masked pin is lost (datasheet 3.2.4, mask). */
	if (now && !before && !(e & APIC_MASKED))
		send(io, pin);
}

static void isa_set_line(void *opaque, unsigned line, bool level)
{
	int pin = PC_GSI_OF_IRQ(line);
	if (pin >= 0)
		ioapic_set_pin(opaque, (unsigned)pin, level);
}

struct irq_sink ioapic_isa_sink(struct ioapic *io)
{
	return (struct irq_sink){ isa_set_line, io };
}

void ioapic_eoi(struct ioapic *io, uint8_t vector)
{
	for (unsigned pin = 0; pin < IOAPIC_PINS; pin++) {
		uint64_t e = io->redir[pin];
		if ((e & APIC_VECTOR) != vector || !(e & APIC_REMOTE_IRR))
			continue;
		io->redir[pin] &= ~(uint64_t)APIC_REMOTE_IRR;
		level_check(io, pin);
	}
}

bool ioapic_has_eoi_register(const struct ioapic *io)
{
	return io->version >= IOAPIC_VERSION_EOI;
}

uint64_t ioapic_redirection(const struct ioapic *io, unsigned pin)
{
	return pin < IOAPIC_PINS ? io->redir[pin] : 0;
}

/* ---- registers ---- */

static uint32_t reg_read(const struct ioapic *io, uint32_t reg)
{
	switch (reg) {
	case IOAPIC_REG_ID:
		return io->id;
	case IOAPIC_REG_VER:
		return io->version | (IOAPIC_PINS - 1) << 16;
	case IOAPIC_REG_ARB:
		/* The arbitration ID is loaded from the ID (3.2.3). */
		return io->id;
	}
	if (reg >= IOAPIC_REG_REDTBL && reg < IOAPIC_REG_REDTBL + 2 * IOAPIC_PINS) {
		uint64_t e = io->redir[(reg - IOAPIC_REG_REDTBL) / 2];
		return (reg & 1) ? (uint32_t)(e >> 32) : (uint32_t)e;
	}
	return 0;
}

static void reg_write(struct ioapic *io, uint32_t reg, uint32_t val)
{
	if (reg == IOAPIC_REG_ID) {
		io->id = val & 0x0f000000u;
		return;
	}
	if (reg < IOAPIC_REG_REDTBL || reg >= IOAPIC_REG_REDTBL + 2 * IOAPIC_PINS)
		return;
	unsigned pin = (reg - IOAPIC_REG_REDTBL) / 2;
	uint64_t *e = &io->redir[pin];
	if (reg & 1) {
		*e = (*e & 0xffffffffu) | (uint64_t)(val & REDIR_HI_WRITABLE) << 32;
		return;
	}
	uint64_t ro = *e & (APIC_DELIVERY_STATUS | APIC_REMOTE_IRR);
	*e = (*e & 0xffffffff00000000ull) | (val & REDIR_LO_WRITABLE) | ro;
	if (!uses_remote_irr(*e))
		*e &= ~(uint64_t)APIC_REMOTE_IRR;
	/* Unmasking a level-triggered pin that is asserted delivers it. */
	level_check(io, pin);
}

static uint64_t mmio_read(void *opaque, uint64_t offset, unsigned size)
{
	struct ioapic *io = opaque;
	uint32_t v = 0;
	unsigned reg = (unsigned)offset & ~3u, byte = (unsigned)offset & 3;
	if (reg == IOAPIC_IOREGSEL)
		v = io->regsel;
	else if (reg == IOAPIC_IOWIN)
		v = reg_read(io, io->regsel);
	v >>= 8 * byte;
	return size >= 4 ? v : v & ((1u << (8 * size)) - 1);
}

static void mmio_write(void *opaque, uint64_t offset, unsigned size,
		       uint64_t val)
{
	struct ioapic *io = opaque;
	unsigned reg = (unsigned)offset & ~3u;
	if (reg == IOAPIC_IOREGSEL && (offset & 3) == 0) {
		/* Bits 7:0 select the register; the rest read back 0. */
		io->regsel = (uint32_t)val & 0xff;
	} else if (reg == IOAPIC_IOWIN && size == 4) {
		reg_write(io, io->regsel, (uint32_t)val);
	} else if (reg == IOAPIC_EOIR && ioapic_has_eoi_register(io)) {
		ioapic_eoi(io, (uint8_t)val);
	}
}

static const struct iomap_ops ioapic_ops = {
	.read = mmio_read,
	.write = mmio_write,
};

void ioapic_reset(struct ioapic *io)
{
	io->id = (uint32_t)(io->reset_id & 0xf) << 24;
	io->regsel = 0;
	for (unsigned pin = 0; pin < IOAPIC_PINS; pin++)
		io->redir[pin] = APIC_MASKED;
}

struct ioapic *ioapic_create(struct iomap *iom, uint64_t base, uint8_t version,
			     uint8_t id, struct apic_bus *bus, char *err,
			     size_t errlen)
{
	struct ioapic *io = calloc(1, sizeof(*io));
	if (!io) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	io->bus = bus;
	io->version = version;
	io->reset_id = id;
	ioapic_reset(io);
	if (iomap_register(iom, IOMAP_MMIO, base, IOAPIC_MMIO_SIZE,
			   IOMAP_SIZE_1 | IOMAP_SIZE_2 | IOMAP_SIZE_4, "ioapic",
			   &ioapic_ops, io, err, errlen) != 0) {
		free(io);
		return NULL;
	}
	apicbus_set_ioapic(bus, io);
	return io;
}

void ioapic_destroy(struct ioapic *io)
{
	free(io);
}
