/* The 8259A pair (Intel 8259A datasheet, 231468) and the PIIX ELCR. See
 * platform/pic.h for the wiring. Section names below are the datasheet's.
 *
 * Readings chosen where the datasheet leaves room:
 *   - IRR follows the "priority cell": in edge mode a bit is the input
 *     level ANDed with an edge-sense latch set by a rising edge and
 *     cleared by the acknowledge and by ICW1; in level mode it is the
 *     input level. A request that goes away before INTA is gone.
 *   - INT is latched (see pic.h) and also cleared by ICW1, which resets
 *     the control logic.
 *   - Special mask mode: an in-service level that is masked no longer
 *     blocks lower levels; one that is not masked still does ("when a
 *     mask bit is set in OCW1, it inhibits further interrupts at that
 *     level and enables interrupts from all other levels (lower as well
 *     as higher) that are not masked").
 *   - Special fully nested mode (master only): a slave input in service
 *     does not block a new request on that same input; it still blocks
 *     lower levels.
 *   - ICW1 keeps the ISR, the vector base until ICW2 rewrites it, and the
 *     rotate-in-AEOI flip-flop, none of which its list of effects names.
 *   - A chip in MCS-80/85 mode (ICW4 bit 0 = 0) answers as in 8086 mode:
 *     an x86 CPU reads the vector in its second INTA cycle either way.
 *   - No slave answering a cascade input leaves the data bus floating:
 *     vector 0xff.
 *   - Until its first initialisation sequence completes, a chip raises
 *     no INT: the datasheet defines nothing before ICW1, and no firmware
 *     programs the pair before a directly booted kernel does. */
#include "platform/pic.h"

#include <stdlib.h>

#include "platform/pc_layout.h"
#include "util/log.h"

#define ICW1_IC4 0x01   /* ICW4 needed */
#define ICW1_SNGL 0x02  /* single: no ICW3 */
#define ICW1_LTIM 0x08  /* level triggered */
#define ICW1_SEL 0x10   /* D4 = 1 on A0 = 0 selects ICW1 */
#define OCW3_SEL 0x08   /* D4 = 0, D3 = 1 on A0 = 0 selects OCW3 */
#define OCW3_RIS 0x01
#define OCW3_RR 0x02
#define OCW3_P 0x04
#define OCW3_SMM 0x20
#define OCW3_ESMM 0x40
#define ICW4_UPM 0x01   /* 8086 mode */
#define ICW4_AEOI 0x02
#define ICW4_MS 0x04    /* buffered master */
#define ICW4_BUF 0x08
#define ICW4_SFNM 0x10

/* Where the chip is in the initialisation sequence. */
enum pic_init {
	PIC_READY,
	PIC_WANT_ICW2,
	PIC_WANT_ICW3,
	PIC_WANT_ICW4,
};

struct pic_chip {
	struct pic *pic;
	const char *name;
	bool sp;           /* SP/EN pin high: master when not buffered */
	uint8_t elcr_mask; /* ELCR bits the PIIX implements */

	uint8_t pins;      /* IR input levels */
	uint8_t edge;      /* edge-sense latches */
	uint8_t isr, imr, elcr;
	uint8_t icw1, icw2, icw4;
	uint8_t cascade;   /* ICW3 as a master: inputs with a slave */
	uint8_t slave_id;  /* ICW3 as a slave */
	enum pic_init init;
	bool initialized;  /* an ICW sequence has completed */
	uint8_t lowest;    /* IR with the lowest priority */
	bool read_isr;     /* OCW3: status read of ISR, else IRR */
	bool poll;         /* OCW3: the next read is a poll */
	bool smm;          /* special mask mode */
	bool rotate_aeoi;
	bool intr;         /* INT output latch */
};

struct pic {
	struct pic_chip chip[2];  /* master, slave */
	void (*output)(void *opaque, bool level);
	void *output_opaque;
	bool output_level;
};

#define MASTER 0
#define SLAVE 1

static uint8_t chip_irr(const struct pic_chip *c)
{
	uint8_t level = (c->icw1 & ICW1_LTIM) ? 0xff : c->elcr;

	return c->pins & (level | c->edge);
}

static bool chip_is_master(const struct pic_chip *c)
{
	if (c->icw4 & ICW4_BUF)
		return c->icw4 & ICW4_MS;
	return c->sp;
}

/* A master input with a slave behind it (ICW3, cascade mode). */
static bool chip_cascades(const struct pic_chip *c, int ir)
{
	return !(c->icw1 & ICW1_SNGL) && chip_is_master(c) &&
	       (c->cascade & (1u << ir));
}

/* The level the priority resolver grants, or -1 ("Interrupt
 * sequence", "Fully nested mode", "Special mask mode", "Special fully
 * nested mode"). */
static int chip_resolve(const struct pic_chip *c)
{
	uint8_t req = chip_irr(c) & ~c->imr;
	uint8_t blocking = c->smm ? c->isr & ~c->imr : c->isr;

	if (!req || !c->initialized)
		return -1;
	for (unsigned k = 0; k < 8; k++) {
		int ir = (c->lowest + 1 + k) & 7;
		uint8_t bit = 1u << ir;
		bool in_service = blocking & bit;

		if ((req & bit) && (!in_service ||
				    ((c->icw4 & ICW4_SFNM) && chip_cascades(c, ir))))
			return ir;
		if (in_service)
			return -1;
	}
	return -1;
}

/* The in-service level of highest priority, or -1. */
static int chip_highest_isr(const struct pic_chip *c)
{
	for (unsigned k = 0; k < 8; k++) {
		int ir = (c->lowest + 1 + k) & 7;

		if (c->isr & (1u << ir))
			return ir;
	}
	return -1;
}

static uint8_t chip_vector(const struct pic_chip *c, int ir)
{
	return (uint8_t)((c->icw2 & 0xf8) | ir);
}

/* The first INTA (or poll) for level ir: ISR set, IRR (edge) cleared. */
static void chip_ack(struct pic_chip *c, int ir)
{
	c->isr |= (uint8_t)(1u << ir);
	c->edge &= (uint8_t)~(1u << ir);
}

/* End of the INTA sequence in AEOI mode ("Automatic end of interrupt"),
 * with rotation when the rotate-in-AEOI flip-flop is set. */
static void chip_end_ack(struct pic_chip *c, int ir)
{
	if (!(c->icw4 & ICW4_AEOI))
		return;
	c->isr &= (uint8_t)~(1u << ir);
	if (c->rotate_aeoi)
		c->lowest = (uint8_t)ir;
}

static void chip_set_pin(struct pic_chip *c, int ir, bool level)
{
	uint8_t bit = 1u << ir;

	if (level && !(c->pins & bit))
		c->edge |= bit;
	if (level)
		c->pins |= bit;
	else
		c->pins &= (uint8_t)~bit;
}

/* Must run after anything that may change a chip's resolution: INT
 * rises when a request may interrupt; the slave's INT is the master's
 * IR2 input. */
static void pic_update(struct pic *p)
{
	struct pic_chip *s = &p->chip[SLAVE], *m = &p->chip[MASTER];

	if (!s->intr && chip_resolve(s) >= 0)
		s->intr = true;
	chip_set_pin(m, PC_IRQ_CASCADE, s->intr);
	if (!m->intr && chip_resolve(m) >= 0)
		m->intr = true;
	if (m->intr != p->output_level) {
		p->output_level = m->intr;
		log_trace("pic", "INT %s", m->intr ? "raised" : "lowered");
		if (p->output)
			p->output(p->output_opaque, m->intr);
	}
}

void pic_set_irq(struct pic *p, unsigned line, bool level)
{
	if (line >= 16 || line == PC_IRQ_CASCADE)
		return;
	chip_set_pin(&p->chip[line >> 3], (int)(line & 7), level);
	pic_update(p);
}

static void pic_sink_set_line(void *opaque, unsigned line, bool level)
{
	pic_set_irq(opaque, line, level);
}

struct irq_sink pic_irq_sink(struct pic *p)
{
	return (struct irq_sink){ .set_line = pic_sink_set_line, .opaque = p };
}

void pic_set_output(struct pic *p, void (*fn)(void *opaque, bool level),
		    void *opaque)
{
	p->output = fn;
	p->output_opaque = opaque;
	if (fn)
		fn(opaque, p->output_level);
}

bool pic_has_interrupt(const struct pic *p)
{
	return p->chip[MASTER].intr;
}

/* The slave's part of an INTA cycle the master passed to cascade input
 * ir. */
static int pic_slave_ack(struct pic *p, int ir)
{
	struct pic_chip *s = &p->chip[SLAVE];
	int sir;

	if (chip_is_master(s) || (s->icw1 & ICW1_SNGL) || s->slave_id != ir)
		return 0xff;
	s->intr = false;
	sir = chip_resolve(s);
	if (sir < 0)
		return chip_vector(s, 7);
	chip_ack(s, sir);
	chip_end_ack(s, sir);
	return chip_vector(s, sir);
}

int pic_acknowledge(struct pic *p)
{
	struct pic_chip *m = &p->chip[MASTER];
	int ir, vector;

	m->intr = false;
	ir = chip_resolve(m);
	if (ir < 0) {
		vector = chip_vector(m, 7);
		log_trace("pic", "INTA: no request, default IR7 vector 0x%02x",
			  vector);
	} else {
		chip_ack(m, ir);
		if (chip_cascades(m, ir))
			vector = pic_slave_ack(p, ir);
		else
			vector = chip_vector(m, ir);
		chip_end_ack(m, ir);
		log_trace("pic", "INTA: IR%d, vector 0x%02x", ir, vector);
	}
	pic_update(p);
	return vector;
}

/* "Poll command": the read acts as INTA and returns I (bit 7) and the
 * level. */
static uint8_t chip_poll(struct pic *p, struct pic_chip *c)
{
	int ir;

	c->poll = false;
	c->intr = false;
	ir = chip_resolve(c);
	if (ir >= 0) {
		chip_ack(c, ir);
		chip_end_ack(c, ir);
	}
	pic_update(p);
	return ir >= 0 ? (uint8_t)(0x80 | ir) : 0;
}

static void chip_icw1(struct pic_chip *c, uint8_t v)
{
	/* "Initialization command words": a-f. */
	c->icw1 = v;
	c->init = PIC_WANT_ICW2;
	c->edge = 0;
	c->imr = 0;
	c->lowest = 7;
	c->slave_id = 7;
	c->cascade = 0;
	c->smm = false;
	c->read_isr = false;
	c->poll = false;
	c->intr = false;
	if (!(v & ICW1_IC4))
		c->icw4 = 0;
}

static void chip_ocw2(struct pic_chip *c, uint8_t v)
{
	int l = v & 7;
	int top = chip_highest_isr(c);

	switch (v >> 5) {
	case 0: /* rotate in AEOI mode (clear) */
		c->rotate_aeoi = false;
		break;
	case 1: /* non-specific EOI */
		if (top >= 0)
			c->isr &= (uint8_t)~(1u << top);
		break;
	case 2: /* no operation */
		break;
	case 3: /* specific EOI */
		c->isr &= (uint8_t)~(1u << l);
		break;
	case 4: /* rotate in AEOI mode (set) */
		c->rotate_aeoi = true;
		break;
	case 5: /* rotate on non-specific EOI */
		if (top >= 0) {
			c->isr &= (uint8_t)~(1u << top);
			c->lowest = (uint8_t)top;
		}
		break;
	case 6: /* set priority */
		c->lowest = (uint8_t)l;
		break;
	case 7: /* rotate on specific EOI */
		c->isr &= (uint8_t)~(1u << l);
		c->lowest = (uint8_t)l;
		break;
	}
}

static void chip_ocw3(struct pic_chip *c, uint8_t v)
{
	if (v & OCW3_ESMM)
		c->smm = v & OCW3_SMM;
	if (v & OCW3_P)
		c->poll = true;
	if (v & OCW3_RR)
		c->read_isr = v & OCW3_RIS;
}

static void chip_write_data(struct pic_chip *c, uint8_t v)
{
	switch (c->init) {
	case PIC_WANT_ICW2:
		c->icw2 = v;
		if (!(c->icw1 & ICW1_SNGL))
			c->init = PIC_WANT_ICW3;
		else if (c->icw1 & ICW1_IC4)
			c->init = PIC_WANT_ICW4;
		else
			c->init = PIC_READY;
		break;
	case PIC_WANT_ICW3:
		/* Read as a mask by a master and as an ID by a slave; which
		 * one the chip is may depend on ICW4 (buffered mode). */
		c->cascade = v;
		c->slave_id = v & 7;
		c->init = (c->icw1 & ICW1_IC4) ? PIC_WANT_ICW4 : PIC_READY;
		break;
	case PIC_WANT_ICW4:
		c->icw4 = v;
		c->init = PIC_READY;
		break;
	case PIC_READY:
		c->imr = v; /* OCW1 */
		return;
	}
	if (c->init == PIC_READY)
		c->initialized = true;
}

static uint64_t pic_port_read(void *opaque, uint64_t offset, unsigned size)
{
	struct pic_chip *c = opaque;
	uint8_t v;

	(void)size;
	if (offset == 1)
		v = c->imr;
	else if (c->poll)
		v = chip_poll(c->pic, c);
	else
		v = c->read_isr ? c->isr : chip_irr(c);
	log_trace("pic", "%s: read 0x%02x from port %u", c->name, v,
		  (unsigned)offset);
	return v;
}

static void pic_port_write(void *opaque, uint64_t offset, unsigned size,
			   uint64_t val)
{
	struct pic_chip *c = opaque;
	uint8_t v = (uint8_t)val;

	(void)size;
	log_trace("pic", "%s: write 0x%02x to port %u", c->name, v,
		  (unsigned)offset);
	if (offset == 1)
		chip_write_data(c, v);
	else if (v & ICW1_SEL)
		chip_icw1(c, v);
	else if (v & OCW3_SEL)
		chip_ocw3(c, v);
	else
		chip_ocw2(c, v);
	pic_update(c->pic);
}

static uint64_t elcr_read(void *opaque, uint64_t offset, unsigned size)
{
	struct pic *p = opaque;

	(void)size;
	return p->chip[offset].elcr;
}

static void elcr_write(void *opaque, uint64_t offset, unsigned size,
		       uint64_t val)
{
	struct pic *p = opaque;
	struct pic_chip *c = &p->chip[offset];

	(void)size;
	c->elcr = (uint8_t)val & c->elcr_mask;
	pic_update(p);
}

static const struct iomap_ops pic_port_ops = {
	.read = pic_port_read,
	.write = pic_port_write,
};

static const struct iomap_ops elcr_ops = {
	.read = elcr_read,
	.write = elcr_write,
};

struct pic *pic_create(struct iomap *io, char *err, size_t errlen)
{
	struct pic *p = calloc(1, sizeof(*p));

	if (!p) {
		snprintf(err, errlen, "pic: out of memory");
		return NULL;
	}
	/* PIIX ELCR1 bits 2:0 (IRQ0-2) and ELCR2 bits 0 and 5 (IRQ8, IRQ13)
	 * are reserved: those lines are edge triggered only. */
	p->chip[MASTER] = (struct pic_chip){ .pic = p, .name = "pic-master",
					     .sp = true, .elcr_mask = 0xf8,
					     .lowest = 7 };
	p->chip[SLAVE] = (struct pic_chip){ .pic = p, .name = "pic-slave",
					    .elcr_mask = 0xde, .lowest = 7 };
	if (iomap_register(io, IOMAP_PORT, PC_PORT_PIC_MASTER, 2, IOMAP_SIZE_1,
			   "pic-master", &pic_port_ops, &p->chip[MASTER], err,
			   errlen) != 0 ||
	    iomap_register(io, IOMAP_PORT, PC_PORT_PIC_SLAVE, 2, IOMAP_SIZE_1,
			   "pic-slave", &pic_port_ops, &p->chip[SLAVE], err,
			   errlen) != 0 ||
	    iomap_register(io, IOMAP_PORT, PC_PORT_ELCR, 2, IOMAP_SIZE_1,
			   "elcr", &elcr_ops, p, err, errlen) != 0) {
		free(p);
		return NULL;
	}
	return p;
}

void pic_destroy(struct pic *p)
{
	free(p);
}
