/* The 8254 (Intel 8254 datasheet, 231164) and port 0x61. Section names
 * below are the datasheet's.
 *
 * A counter's counting element (CE) and OUT are not stepped clock by
 * clock: each counter holds a "segment", the rule its CE and OUT follow
 * from a start tick on (held, counting down once, or one of the periodic
 * waveforms of modes 2 and 3), and every write, gate change or delayed
 * load starts a new segment. A count written during tick T is loaded by
 * the CLK pulse of tick T + 1 ("loaded on the next CLK pulse"); until
 * then the CE and OUT keep the values they had ("pre" values).
 *
 * Readings chosen where the datasheet leaves room:
 *   - After a control word the CE is undefined until the first count is
 *     loaded: it keeps its old value, except in the clock between the
 *     count's write and its load, where it reads as that count. Software
 *     that reads right after writing (Linux's quick PIT calibration)
 *     relies on an ISA read taking longer than that clock. The count
 *     latch and status latch are dropped.
 *   - Mode 3 with an odd count follows the datasheet's words: N - 1 is
 *     loaded and counted down by two; OUT falls one CLK after the count
 *     expires in the high half and rises when it expires in the low half
 *     (high (N + 1) / 2 clocks, low (N - 1) / 2).
 *   - A new count written in mode 3 takes effect at the end of the
 *     current half-cycle, starting the half that follows with it.
 *   - A count of 1 in modes 2 and 3 (which the datasheet calls illegal)
 *     gives OUT low in mode 2 and high in mode 3.
 *   - BCD counts with digits above 9 are taken digit by digit.
 *   - Port 0x61 bit 4 (refresh toggle) flips every 18 PIT clocks
 *     (15.09 us), the refresh period firmware programs into counter 1 on
 *     every PC; counter 1 itself starts unprogrammed, as no firmware
 *     runs before a directly booted kernel. */
#include "platform/pit.h"

#include <stdlib.h>

#include "platform/pc_layout.h"
#include "util/log.h"

#define PIT_CONTROL 3
#define PORT61_GATE2 0x01      /* timer counter 2 gate (RW) */
#define PORT61_SPEAKER 0x02    /* speaker data enable (RW) */
#define PORT61_RW 0x0f         /* bits 3:0 are read/write */
#define PORT61_REFRESH 0x10    /* refresh cycle toggle (RO) */
#define PORT61_OUT2 0x20       /* timer counter 2 OUT (RO) */
#define REFRESH_TICKS 18

enum pit_seg {
	SEG_HOLD,   /* CE and OUT stay as they are */
	SEG_DOWN,   /* CE counts down by one, wrapping; OUT changes at the
		       terminal count if it is still ahead */
	SEG_RATE,   /* mode 2 with count n from origin */
	SEG_SQUARE, /* mode 3 with count n; a high half starts at origin */
};

struct pit_counter {
	struct pit *pit;
	unsigned index;

	/* Programming (control word). */
	uint8_t mode;       /* M2 M1 M0 as written */
	uint8_t rw;         /* RW1 RW0: 1 LSB, 2 MSB, 3 LSB then MSB */
	bool bcd;
	bool gate;

	/* Count register and the byte flip-flops. */
	uint16_t cr;
	bool cr_valid;      /* a whole count was written since the control word */
	bool write_msb;     /* rw 3: the next write is the MSB */
	bool read_msb;      /* rw 3: the next live read is the MSB */
	bool null_count;
	uint64_t null_clear_at; /* tick the written count is loaded */

	/* Latches. */
	bool ol_valid;
	uint16_t ol;
	bool ol_msb;        /* rw 3: the next latched read is the MSB */
	bool status_valid;
	uint8_t status;

	/* The segment. */
	enum pit_seg kind;
	uint64_t start;     /* first tick the segment rules */
	uint64_t origin;    /* SEG_RATE / SEG_SQUARE phase origin */
	uint32_t ce0;       /* SEG_HOLD / SEG_DOWN: CE at start */
	uint32_t n;         /* SEG_RATE / SEG_SQUARE: the count */
	bool out0;          /* SEG_HOLD / SEG_DOWN: OUT at start */
	bool term_pending;  /* SEG_DOWN: the terminal count is still ahead */
	uint32_t pre_ce;    /* CE and OUT before start */
	bool pre_out;
	bool pending;       /* modes 2, 3: a new count waits for pending_at */
	uint64_t pending_at;
	bool pending_low;   /* mode 3: the new count starts a low half */
	bool ce_undefined;  /* no count loaded since the control word */
};

struct pit {
	struct clock *clk;
	struct irq_bus *irqs;
	unsigned irq_line;
	struct pit_counter ctr[3];
	uint8_t port61;     /* bits 3:0 */
	bool irq_level;
	struct timer timer; /* counter 0's next OUT change */
	uint64_t timer_tick; /* the tick it is armed for */
};

/* --- Time. --- */

static uint64_t pit_tick(const struct pit *p)
{
	return (uint64_t)((unsigned __int128)clock_now_ns(p->clk) * PIT_HZ /
			  1000000000u);
}

/* The virtual time of tick t (the first nanosecond at which it has
 * happened). */
static uint64_t pit_tick_ns(uint64_t t)
{
	return (uint64_t)(((unsigned __int128)t * 1000000000u + PIT_HZ - 1) /
			  PIT_HZ);
}

/* --- Counts. --- */

/* Modes 6 and 7 are modes 2 and 3 (M2 is a don't-care for them). */
static unsigned ctr_mode(const struct pit_counter *c)
{
	return c->mode > 5 ? c->mode - 4u : c->mode;
}

static uint32_t ctr_modulus(const struct pit_counter *c)
{
	return c->bcd ? 10000u : 65536u;
}

/* The number of clocks a count stands for: 0 is the largest. */
static uint32_t ctr_count(const struct pit_counter *c, uint16_t v)
{
	uint32_t n = v;

	if (c->bcd)
		n = (v >> 12 & 15) * 1000u + (v >> 8 & 15) * 100u +
		    (v >> 4 & 15) * 10u + (v & 15);
	return n ? n : ctr_modulus(c);
}

/* The CE as the read logic presents it. */
static uint16_t ctr_encode(const struct pit_counter *c, uint32_t v)
{
	v %= ctr_modulus(c);
	if (!c->bcd)
		return (uint16_t)v;
	return (uint16_t)((v / 1000) << 12 | (v / 100 % 10) << 8 |
			  (v / 10 % 10) << 4 | v % 10);
}

/* --- Segments. --- */

static uint32_t square_high_len(uint32_t n)
{
	return (n + 1) / 2;
}

/* CE (as a count, not encoded) and OUT at tick t. */
static void ctr_eval(const struct pit_counter *c, uint64_t t, uint32_t *ce,
		     bool *out)
{
	uint32_t m = ctr_modulus(c);

	if (t < c->start) {
		*ce = c->pre_ce;
		*out = c->pre_out;
		return;
	}
	switch (c->kind) {
	case SEG_HOLD:
		*ce = c->ce0;
		*out = c->out0;
		return;
	case SEG_DOWN: {
		uint64_t d = t - c->start;
		uint32_t left = c->ce0 % m ? c->ce0 % m : m;

		*ce = (uint32_t)((c->ce0 % m + m - d % m) % m);
		*out = c->out0;
		if (!c->term_pending)
			return;
		switch (ctr_mode(c)) {
		case 0:
		case 1:
			if (d >= left)
				*out = true;
			break;
		default: /* modes 4, 5: strobe low for one clock */
			*out = d != left;
			break;
		}
		return;
	}
	case SEG_RATE: {
		uint32_t r = (uint32_t)((t - c->origin) % c->n);

		*ce = c->n - r;
		*out = r != c->n - 1;
		return;
	}
	case SEG_SQUARE: {
		uint32_t e = (uint32_t)((t - c->origin) % c->n);
		uint32_t hl = square_high_len(c->n);
		uint32_t w = e < hl ? e : e - hl;

		*out = e < hl;
		*ce = (c->n & 1) ? c->n - 1 - 2 * w : c->n - 2 * w;
		return;
	}
	}
}

/* The first tick after t at which OUT may change, or UINT64_MAX. */
static uint64_t ctr_next_change(const struct pit_counter *c, uint64_t t)
{
	if (t < c->start)
		return c->start;
	switch (c->kind) {
	case SEG_HOLD:
		return UINT64_MAX;
	case SEG_DOWN: {
		uint32_t m = ctr_modulus(c);
		uint64_t term = c->start + (c->ce0 % m ? c->ce0 % m : m);

		if (!c->term_pending || t > term)
			return UINT64_MAX;
		if (t < term)
			return term;
		return ctr_mode(c) >= 4 ? term + 1 : UINT64_MAX;
	}
	case SEG_RATE: {
		uint32_t r = (uint32_t)((t - c->origin) % c->n);

		if (c->n < 2)
			return UINT64_MAX;
		return r < c->n - 1 ? t + (c->n - 1 - r) : t + 1;
	}
	case SEG_SQUARE: {
		uint32_t e = (uint32_t)((t - c->origin) % c->n);
		uint32_t hl = square_high_len(c->n);

		if (c->n < 2)
			return UINT64_MAX;
		return e < hl ? t + (hl - e) : t + (c->n - e);
	}
	}
	return UINT64_MAX;
}

/* Starts a segment at tick start, the CE and OUT before it being those
 * the old segment gives at tick now. */
static void ctr_begin(struct pit_counter *c, uint64_t now, uint64_t start,
		      enum pit_seg kind)
{
	ctr_eval(c, now, &c->pre_ce, &c->pre_out);
	c->kind = kind;
	c->start = start;
	c->origin = start;
	c->pending = false;
}

static void ctr_hold(struct pit_counter *c, uint64_t now, uint32_t ce,
		     bool out)
{
	ctr_begin(c, now, now, SEG_HOLD);
	c->ce0 = ce;
	c->out0 = out;
	c->term_pending = false;
}

/* Loads count n at tick at into the waveform of mode 2 or 3. */
static void ctr_begin_periodic(struct pit_counter *c, uint64_t now,
			       uint64_t at, uint32_t n, bool low_half)
{
	ctr_begin(c, now, at, ctr_mode(c) == 2 ? SEG_RATE : SEG_SQUARE);
	c->n = n;
	if (low_half)
		c->origin = at - square_high_len(n);
}

/* Applies a delayed load of modes 2 and 3 once its tick has come. */
static void ctr_sync(struct pit_counter *c, uint64_t now)
{
	if (!c->pending || now < c->pending_at)
		return;
	ctr_begin_periodic(c, c->pending_at - 1, c->pending_at,
			   ctr_count(c, c->cr), c->pending_low);
	c->null_count = false;
}

/* The end of the period (mode 2) or half-cycle (mode 3) running at
 * tick now: the next reload. */
static void ctr_next_reload(const struct pit_counter *c, uint64_t now,
			    uint64_t *at, bool *low_half)
{
	uint64_t e = now - c->origin;

	if (c->kind == SEG_RATE) {
		*at = c->origin + (e / c->n + 1) * c->n;
		*low_half = false;
		return;
	}
	uint64_t base = c->origin + e / c->n * c->n;
	uint32_t hl = square_high_len(c->n);

	if (e % c->n < hl) {
		*at = base + hl;
		*low_half = true;
	} else {
		*at = base + c->n;
		*low_half = false;
	}
}

/* --- Counter 0's interrupt line. --- */

static void pit_set_line(struct pit *p, bool level)
{
	if (level == p->irq_level)
		return;
	p->irq_level = level;
	if (p->irqs)
		irq_set(p->irqs, p->irq_line, level);
}

/* Sets the line to OUT now and arms the timer for the next change. */
static void pit_update_irq(struct pit *p)
{
	struct pit_counter *c = &p->ctr[0];
	uint64_t now = pit_tick(p);
	uint64_t next;
	uint32_t ce;
	bool out;

	ctr_sync(c, now);
	ctr_eval(c, now, &ce, &out);
	pit_set_line(p, out);
	next = ctr_next_change(c, now);
	if (c->pending && c->pending_at < next)
		next = c->pending_at;
	if (next == UINT64_MAX) {
		timer_disarm(&p->timer);
		return;
	}
	p->timer_tick = next;
	timer_arm(&p->timer, pit_tick_ns(next));
}

/* A timer that fires late still shows the line the level OUT had at
 * its tick, so that a short pulse (mode 2's one clock low) is an edge
 * the controllers see. */
static void pit_timer_fire(void *opaque)
{
	struct pit *p = opaque;
	struct pit_counter *c = &p->ctr[0];
	uint32_t ce;
	bool out;

	if (pit_tick(p) > p->timer_tick) {
		ctr_sync(c, p->timer_tick);
		ctr_eval(c, p->timer_tick, &ce, &out);
		pit_set_line(p, out);
	}
	pit_update_irq(p);
}

bool pit_out(struct pit *p, unsigned i)
{
	struct pit_counter *c = &p->ctr[i % 3];
	uint64_t now = pit_tick(p);
	uint32_t ce;
	bool out;

	ctr_sync(c, now);
	ctr_eval(c, now, &ce, &out);
	return out;
}

/* --- Programming. --- */

static void ctr_latch_count(struct pit_counter *c, uint64_t now)
{
	uint32_t ce;
	bool out;

	/* "Counter latch command": a second latch before the count is
	 * read is ignored. */
	if (c->ol_valid)
		return;
	ctr_eval(c, now, &ce, &out);
	c->ol = ctr_encode(c, ce);
	c->ol_valid = true;
	c->ol_msb = false;
}

static void ctr_latch_status(struct pit_counter *c, uint64_t now)
{
	uint32_t ce;
	bool out;
	bool null = c->null_count && now < c->null_clear_at;

	if (c->status_valid)
		return;
	ctr_eval(c, now, &ce, &out);
	c->status = (uint8_t)((out ? 0x80 : 0) | (null ? 0x40 : 0) |
			      c->rw << 4 | c->mode << 1 | (c->bcd ? 1 : 0));
	c->status_valid = true;
}

/* "Write operations": a control word resets the counter's logic. */
static void ctr_control(struct pit_counter *c, uint64_t now, uint8_t cw)
{
	uint32_t ce;
	bool out;

	ctr_eval(c, now, &ce, &out);
	c->rw = cw >> 4 & 3;
	c->mode = cw >> 1 & 7;
	c->bcd = cw & 1;
	c->cr_valid = false;
	c->write_msb = false;
	c->read_msb = false;
	c->ol_valid = false;
	c->status_valid = false;
	c->null_count = true;
	c->null_clear_at = UINT64_MAX;
	c->ce_undefined = true;
	/* OUT's initial state: low in mode 0, high in the others. */
	ctr_hold(c, now, ce, ctr_mode(c) != 0);
	log_trace("pit", "counter %u: mode %u, rw %u, %s", c->index, c->mode,
		  c->rw, c->bcd ? "BCD" : "binary");
}

/* A whole count is in CR: what each mode does with it. */
static void ctr_count_written(struct pit_counter *c, uint64_t now)
{
	uint32_t n = ctr_count(c, c->cr);
	unsigned mode = ctr_mode(c);

	c->cr_valid = true;
	c->null_count = true;
	c->null_clear_at = UINT64_MAX;
	log_trace("pit", "counter %u: count 0x%04x", c->index, c->cr);
	switch (mode) {
	case 0:
	case 4:
		/* Loaded by the next CLK pulse; counting waits for the gate.
		 * Mode 0's OUT goes low at once. */
		ctr_begin(c, now, now + 1, c->gate ? SEG_DOWN : SEG_HOLD);
		if (mode == 0)
			c->pre_out = false;
		c->ce0 = n;
		c->out0 = mode != 0;
		c->term_pending = true;
		c->null_clear_at = now + 1;
		break;
	case 1:
	case 5:
		/* Waits for a trigger. */
		break;
	default: /* 2, 3 */
		if ((c->kind == SEG_RATE || c->kind == SEG_SQUARE) &&
		    now >= c->start) {
			/* "Writing a new count while counting does not affect
			 * the current counting sequence." */
			ctr_next_reload(c, now, &c->pending_at, &c->pending_low);
			c->pending = true;
			c->null_clear_at = c->pending_at;
		} else if (c->gate) {
			ctr_begin_periodic(c, now, now + 1, n, false);
			c->null_clear_at = now + 1;
		} else {
			ctr_begin(c, now, now + 1, SEG_HOLD);
			c->ce0 = n;
			c->out0 = true;
			c->term_pending = false;
			c->null_clear_at = now + 1;
		}
		break;
	}
	if (mode != 1 && mode != 5 && c->ce_undefined && now < c->start) {
		c->pre_ce = n;
		c->ce_undefined = false;
	}
}

static void ctr_write(struct pit_counter *c, uint64_t now, uint8_t v)
{
	uint32_t ce;
	bool out;

	switch (c->rw) {
	case 1:
		c->cr = v;
		break;
	case 2:
		c->cr = (uint16_t)(v << 8);
		break;
	case 3:
		if (!c->write_msb) {
			c->cr = (uint16_t)((c->cr & 0xff00) | v);
			c->write_msb = true;
			/* Mode 0: "writing the first byte disables counting;
			 * OUT is set low immediately". */
			if (ctr_mode(c) == 0) {
				ctr_eval(c, now, &ce, &out);
				ctr_hold(c, now, ce, false);
			}
			return;
		}
		c->cr = (uint16_t)((c->cr & 0x00ff) | v << 8);
		c->write_msb = false;
		break;
	default:
		return; /* no control word yet */
	}
	ctr_count_written(c, now);
}

static uint8_t ctr_read(struct pit_counter *c, uint64_t now)
{
	uint16_t v;
	uint32_t ce;
	bool out;

	if (c->status_valid) {
		c->status_valid = false;
		return c->status;
	}
	if (c->ol_valid) {
		v = c->ol;
		if (c->rw == 3 && !c->ol_msb) {
			c->ol_msb = true;
			return (uint8_t)v;
		}
		c->ol_valid = false;
		return (uint8_t)(c->rw == 1 ? v : v >> 8);
	}
	ctr_eval(c, now, &ce, &out);
	v = ctr_encode(c, ce);
	switch (c->rw) {
	case 1:
		return (uint8_t)v;
	case 2:
		return (uint8_t)(v >> 8);
	case 3:
		c->read_msb = !c->read_msb;
		return (uint8_t)(c->read_msb ? v : v >> 8);
	default:
		return 0xff; /* never programmed: the bus floats */
	}
}

/* "GATE" (table 7). */
static void ctr_set_gate(struct pit_counter *c, uint64_t now, bool gate)
{
	unsigned mode = ctr_mode(c);
	uint32_t ce;
	bool out;

	if (gate == c->gate)
		return;
	c->gate = gate;
	if (!c->rw)
		return;
	ctr_eval(c, now, &ce, &out);
	switch (mode) {
	case 0:
	case 4:
		/* Low disables counting; high enables it again. */
		if (!c->cr_valid)
			break;
		if (now < c->start) {
			c->kind = gate ? SEG_DOWN : SEG_HOLD;
		} else {
			bool term = c->term_pending;
			uint32_t m = ctr_modulus(c);

			if (c->kind == SEG_DOWN && term) {
				uint64_t d = now - c->start;
				uint32_t left = c->ce0 % m ? c->ce0 % m : m;

				term = d < left;
			}
			ctr_begin(c, now, now, gate ? SEG_DOWN : SEG_HOLD);
			c->ce0 = ce;
			c->out0 = (mode == 0) ? out : true;
			c->term_pending = term;
		}
		break;
	case 1:
	case 5:
		/* A trigger loads CR on the next CLK pulse; mode 1's OUT
		 * goes low with it. */
		if (!gate || !c->cr_valid)
			break;
		ctr_begin(c, now, now + 1, SEG_DOWN);
		c->ce0 = ctr_count(c, c->cr);
		c->out0 = mode == 5;
		c->term_pending = true;
		c->null_clear_at = now + 1;
		if (c->ce_undefined) {
			c->pre_ce = c->ce0;
			c->ce_undefined = false;
		}
		break;
	default: /* 2, 3 */
		if (!c->cr_valid)
			break;
		if (gate) {
			/* A trigger reloads the count on the next CLK pulse. */
			ctr_begin_periodic(c, now, now + 1, ctr_count(c, c->cr),
					   false);
			if (c->null_count)
				c->null_clear_at = now + 1;
		} else {
			/* Counting stops and OUT goes high at once. */
			uint32_t held = now < c->start ? c->ce0 : ce;

			if (now < c->start && c->kind != SEG_HOLD)
				held = c->n;
			if (c->pending)
				c->null_clear_at = UINT64_MAX;
			ctr_begin(c, now, now, SEG_HOLD);
			c->ce0 = held;
			c->out0 = true;
			c->term_pending = false;
		}
		break;
	}
}

/* --- Ports. --- */

static uint64_t pit_port_read(void *opaque, uint64_t offset, unsigned size)
{
	struct pit *p = opaque;
	uint64_t now = pit_tick(p);
	struct pit_counter *c;

	(void)size;
	if (offset == PIT_CONTROL)
		return 0xff; /* "No-operation (3-state)" */
	c = &p->ctr[offset];
	ctr_sync(c, now);
	return ctr_read(c, now);
}

static void pit_port_write(void *opaque, uint64_t offset, unsigned size,
			   uint64_t val)
{
	struct pit *p = opaque;
	uint64_t now = pit_tick(p);
	uint8_t v = (uint8_t)val;

	(void)size;
	for (unsigned i = 0; i < 3; i++)
		ctr_sync(&p->ctr[i], now);
	if (offset != PIT_CONTROL) {
		ctr_write(&p->ctr[offset], now, v);
	} else if ((v >> 6) == 3) {
		/* "Read-back command": D5 = 0 latches counts, D4 = 0
		 * latches status, of the counters D1-D3 select. */
		for (unsigned i = 0; i < 3; i++) {
			if (!(v & (2u << i)))
				continue;
			if (!(v & 0x20))
				ctr_latch_count(&p->ctr[i], now);
			if (!(v & 0x10))
				ctr_latch_status(&p->ctr[i], now);
		}
	} else if ((v & 0x30) == 0) {
		ctr_latch_count(&p->ctr[v >> 6], now);
	} else {
		ctr_control(&p->ctr[v >> 6], now, v);
	}
	pit_update_irq(p);
}

static uint64_t port61_read(void *opaque, uint64_t offset, unsigned size)
{
	struct pit *p = opaque;
	uint64_t now = pit_tick(p);
	uint8_t v = p->port61;

	(void)offset;
	(void)size;
	if ((now / REFRESH_TICKS) & 1)
		v |= PORT61_REFRESH;
	if (pit_out(p, 2))
		v |= PORT61_OUT2;
	return v;
}

static void port61_write(void *opaque, uint64_t offset, unsigned size,
			 uint64_t val)
{
	struct pit *p = opaque;
	uint64_t now = pit_tick(p);
	struct pit_counter *c = &p->ctr[2];

	(void)offset;
	(void)size;
	p->port61 = (uint8_t)val & PORT61_RW;
	ctr_sync(c, now);
	ctr_set_gate(c, now, val & PORT61_GATE2);
}

static const struct iomap_ops pit_ops = {
	.read = pit_port_read,
	.write = pit_port_write,
};

static const struct iomap_ops port61_ops = {
	.read = port61_read,
	.write = port61_write,
};

struct pit *pit_create(struct iomap *io, struct clock *clk,
		       struct irq_bus *irqs, unsigned irq_line, char *err,
		       size_t errlen)
{
	struct pit *p = calloc(1, sizeof(*p));

	if (!p) {
		snprintf(err, errlen, "pit: out of memory");
		return NULL;
	}
	p->clk = clk;
	p->irqs = irqs;
	p->irq_line = irq_line;
	for (unsigned i = 0; i < 3; i++) {
		struct pit_counter *c = &p->ctr[i];

		c->pit = p;
		c->index = i;
		c->gate = i != 2;   /* counter 2's gate is port 0x61 bit 0 */
		c->kind = SEG_HOLD;
		c->out0 = true;
		c->pre_out = true;
	}
	timer_init(&p->timer, clk, pit_timer_fire, p);
	/* The line starts at the level of counter 0's OUT. */
	pit_update_irq(p);
	if (iomap_register(io, IOMAP_PORT, PC_PORT_PIT, 4, IOMAP_SIZE_1, "pit",
			   &pit_ops, p, err, errlen) != 0 ||
	    iomap_register(io, IOMAP_PORT, PC_PORT_SYS_CTRL_B, 1, IOMAP_SIZE_1,
			   "port61", &port61_ops, p, err, errlen) != 0) {
		free(p);
		return NULL;
	}
	return p;
}

void pit_destroy(struct pit *p)
{
	if (!p)
		return;
	timer_disarm(&p->timer);
	free(p);
}
