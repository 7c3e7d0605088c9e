/* pc-testdev (see platform/testdev.h), after QEMU's hw/misc/pc-testdev.c
 * as its users see it. */
#include "platform/testdev.h"

#include <stdlib.h>
#include <string.h>

#include "platform/pc_layout.h"

#define TESTDEV_IRQ_LINES 24

/* A window onto the scratch register: which of its bytes the window's
 * first port is. */
struct testdev_window {
	struct testdev *t;
	unsigned first;
};

struct testdev {
	struct irq_bus *irqs;
	uint32_t scratch;
	struct testdev_window win[3];
	uint8_t ram[TESTDEV_RAM_SIZE];
};

static uint32_t byte_mask(unsigned size)
{
	return size >= 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

static uint64_t scratch_read(void *opaque, uint64_t offset, unsigned size)
{
	const struct testdev_window *w = opaque;
	unsigned sh = (w->first + (unsigned)offset) * 8;

	return (w->t->scratch >> sh) & byte_mask(size);
}

static void scratch_write(void *opaque, uint64_t offset, unsigned size,
			  uint64_t val)
{
	struct testdev_window *w = opaque;
	unsigned sh = (w->first + (unsigned)offset) * 8;
	uint32_t m = byte_mask(size) << sh;

	w->t->scratch = (w->t->scratch & ~m) | (((uint32_t)val << sh) & m);
}

static void flush_write(void *opaque, uint64_t offset, unsigned size,
			uint64_t val)
{
	/* QEMU drops its host mapping of the page; the guest sees nothing
	 * of it, and there is no host mapping to drop here. */
	(void)opaque;
	(void)offset;
	(void)size;
	(void)val;
}

static void irq_write(void *opaque, uint64_t offset, unsigned size,
		      uint64_t val)
{
	struct testdev *t = opaque;

	(void)size;
	if (t->irqs)
		irq_set(t->irqs, (unsigned)offset, (val & 0xff) != 0);
}

static uint64_t ram_read(void *opaque, uint64_t offset, unsigned size)
{
	struct testdev *t = opaque;
	uint64_t v = 0;

	memcpy(&v, t->ram + offset, size);
	return v;
}

static void ram_write(void *opaque, uint64_t offset, unsigned size,
		      uint64_t val)
{
	struct testdev *t = opaque;

	memcpy(t->ram + offset, &val, size);
}

static const struct iomap_ops scratch_ops = {
	.read = scratch_read,
	.write = scratch_write,
};
static const struct iomap_ops flush_ops = { .write = flush_write };
static const struct iomap_ops irq_ops = { .write = irq_write };
static const struct iomap_ops ram_ops = { .read = ram_read, .write = ram_write };

struct testdev *testdev_create(struct iomap *io, struct irq_bus *irqs,
			       char *err, size_t errlen)
{
	struct testdev *t = calloc(1, sizeof(*t));
	const unsigned any = IOMAP_SIZE_1 | IOMAP_SIZE_2 | IOMAP_SIZE_4;

	if (!t) {
		snprintf(err, errlen, "pc-testdev: out of memory");
		return NULL;
	}
	t->irqs = irqs;
	t->win[0] = (struct testdev_window){ t, 0 };
	t->win[1] = (struct testdev_window){ t, 0 };
	t->win[2] = (struct testdev_window){ t, 2 };
	if (iomap_register(io, IOMAP_PORT, PC_PORT_TESTDEV, 4, any,
			   "pc-testdev", &scratch_ops, &t->win[0], err,
			   errlen) != 0 ||
	    iomap_register(io, IOMAP_PORT, PC_PORT_TESTDEV + 4, 4, IOMAP_SIZE_4,
			   "pc-testdev-flush-page", &flush_ops, t, err,
			   errlen) != 0 ||
	    iomap_register(io, IOMAP_PORT, PC_PORT_TESTDEV + 8, 1, IOMAP_SIZE_1,
			   "pc-testdev-byte", &scratch_ops, &t->win[1], err,
			   errlen) != 0 ||
	    iomap_register(io, IOMAP_PORT, PC_PORT_TESTDEV + 10, 2,
			   IOMAP_SIZE_1, "pc-testdev-byte", &scratch_ops,
			   &t->win[2], err, errlen) != 0 ||
	    iomap_register(io, IOMAP_PORT, PC_PORT_TESTDEV_IRQ,
			   TESTDEV_IRQ_LINES, IOMAP_SIZE_1, "pc-testdev-irq",
			   &irq_ops, t, err, errlen) != 0 ||
	    iomap_register(io, IOMAP_MMIO, PC_TESTDEV_RAM, TESTDEV_RAM_SIZE,
			   any | IOMAP_SIZE_8, "pc-testdev-ram", &ram_ops, t,
			   err, errlen) != 0) {
		free(t);
		return NULL;
	}
	return t;
}

void testdev_destroy(struct testdev *t)
{
	free(t);
}
