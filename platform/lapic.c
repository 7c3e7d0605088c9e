/* The local APIC: registers (one implementation behind the xAPIC page
 * and the x2APIC MSRs), priorities, IRR/ISR/TMR and EOI, the LVTs and
 * the local pins, and the ICR that sends IPIs (see platform/lapic.h for
 * the choices made). The timer is in platform/lapic_timer.c. */
#include "platform/lapic.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "platform/apicbus.h"
#include "platform/lapic_priv.h"
#include "util/log.h"

#define LAPIC_DEFAULT_BASE 0xfee00000ull
#define LAPIC_VERSION_VALUE 0x15u

static const unsigned lvt_offset[LVT_COUNT] = {
	LAPIC_LVT_TIMER, LAPIC_LVT_THERMAL, LAPIC_LVT_PMC, LAPIC_LVT_LINT0,
	LAPIC_LVT_LINT1, LAPIC_LVT_ERROR, LAPIC_LVT_CMCI,
};

/* Writable bits of each LVT (SDM figure 10-8): vector, delivery mode
 * where the entry has one, polarity and trigger for the LINT pins, mask,
 * timer mode. Delivery status (and remote IRR) are read-only. */
#define LVT_RW_FIXED_ONLY (APIC_VECTOR | APIC_MASKED)
#define LVT_RW_MODE (APIC_VECTOR | 0x700u | APIC_MASKED)
#define LVT_RW_LINT (LVT_RW_MODE | APIC_POLARITY_LOW | APIC_TRIGGER_LEVEL)

enum reg_status {
	REG_OK,
	REG_ABSENT,      /* no such register in this mode */
	REG_READ_ONLY,
	REG_WRITE_ONLY,
	REG_RESERVED,    /* x2APIC: a reserved bit set (SDM 10.12.1.3) */
};


/* ---- the 256-bit registers ---- */

static bool bit_test(const uint32_t *r, unsigned v)
{
	return (r[v >> 5] >> (v & 31)) & 1;
}

static void bit_set(uint32_t *r, unsigned v)
{
	r[v >> 5] |= 1u << (v & 31);
}

static void bit_clear(uint32_t *r, unsigned v)
{
	r[v >> 5] &= ~(1u << (v & 31));
}

/* The highest vector set, or -1. */
static int highest(const uint32_t *r)
{
	for (int i = 7; i >= 0; i--)
		if (r[i])
			return i * 32 + 31 - __builtin_clz(r[i]);
	return -1;
}

/* ---- state ---- */

bool lapic_hw_enabled(const struct lapic *l)
{
	return l->base & LAPIC_BASE_EN;
}

bool lapic_x2apic_mode(const struct lapic *l)
{
	return (l->base & (LAPIC_BASE_EN | LAPIC_BASE_EXTD)) ==
	       (LAPIC_BASE_EN | LAPIC_BASE_EXTD);
}

bool lapic_sw_enabled(const struct lapic *l)
{
	return l->svr & LAPIC_SVR_ENABLE;
}

static unsigned lvt_mode(uint32_t lvt)
{
	return (lvt >> APIC_DM_SHIFT) & 7;
}

/* SDM 10.12.10.2: in x2APIC mode the LDR is derived from the x2APIC ID:
 * cluster ID in bits 31:16, one bit of 16 in bits 15:0. */
static uint32_t x2apic_ldr(const struct lapic *l)
{
	unsigned id = l->cfg.apic_id;
	return (id >> 4) << 16 | 1u << (id & 15);
}

/* SDM 10.8.3.1: PPR = TPR if TPR[7:4] >= ISRV[7:4], else ISRV[7:4]:0. */
static uint32_t ppr(const struct lapic *l)
{
	int isrv = highest(l->isr);
	unsigned isr_class = isrv < 0 ? 0 : (unsigned)isrv >> 4;
	if ((l->tpr >> 4) >= isr_class)
		return l->tpr;
	return isr_class << 4;
}

/* The P6 rule for the arbitration priority (SDM 10.8.3.1, figure
 * 10-15): TPR if TPR[7:4] >= IRRV[7:4] and TPR[7:4] > ISRV[7:4], else
 * the highest of the three classes. */
static uint32_t apr(const struct lapic *l)
{
	int irrv = highest(l->irr), isrv = highest(l->isr);
	unsigned tc = l->tpr >> 4;
	unsigned ic = irrv < 0 ? 0 : (unsigned)irrv >> 4;
	unsigned sc = isrv < 0 ? 0 : (unsigned)isrv >> 4;
	if (tc >= ic && tc > sc)
		return l->tpr;
	unsigned m = tc > ic ? tc : ic;
	return (m > sc ? m : sc) << 4;
}

/* The vector the CPU would take now, or -1: the highest IRR vector whose
 * class is above the PPR's (10.8.3.1). */
static int deliverable(const struct lapic *l)
{
	int v = highest(l->irr);
	if (v < 0 || ((unsigned)v >> 4) <= (ppr(l) >> 4))
		return -1;
	return v;
}

static bool pic_output(const struct lapic *l)
{
	if (l->extint.pending)
		return l->extint.pending(l->extint.opaque);
	return l->lint[0];
}

/* An interrupt the 8259 supplies: LINT0 as the INTR pin while the APIC
 * is globally disabled (10.4.3), LINT0 programmed as ExtINT (always
 * level-sensitive, 10.5.1), or an ExtINT message. */
static bool extint_pending(const struct lapic *l)
{
	if (!lapic_hw_enabled(l))
		return pic_output(l);
	if (l->extint_msg)
		return true;
	uint32_t lvt0 = l->lvt[LVT_LINT0];
	return !(lvt0 & APIC_MASKED) && lvt_mode(lvt0) == APIC_DM_EXTINT &&
	       pic_output(l);
}

/* The CPU's INTR input follows the APIC's state. */
static void update_intr(struct lapic *l)
{
	cpu_set_intr(l->cpu, extint_pending(l) || deliverable(l) >= 0);
}

/* An error the APIC detected: the ESR records it and the error LVT
 * fires (10.5.3). */
static void lapic_error(struct lapic *l, uint32_t bit)
{
	bool fresh = !(l->esr_new & bit);
	l->esr_new |= bit;
	if (fresh)
		lapic_lvt_deliver(l, LVT_ERROR);
}

const char *lapic_accept(struct lapic *l, uint8_t vector, bool level)
{
	if (!lapic_sw_enabled(l))
		return "ignored: the APIC is software-disabled (SVR bit 8 = 0) "
		       "and accepts only NMI, SMI, INIT and STARTUP (SDM Vol. 3A "
		       "10.4.7.2)";
	if (vector < 16) {
		lapic_error(l, LAPIC_ESR_RECV_ILLEGAL_VECTOR);
		return "ignored: vectors 0-15 are illegal; the receiver sets "
		       "Received Illegal Vector in its ESR (SDM Vol. 3A 10.5.3)";
	}
	bool merged = bit_test(l->irr, vector);
	bit_set(l->irr, vector);
	if (level)
		bit_set(l->tmr, vector);
	else
		bit_clear(l->tmr, vector);
	update_intr(l);
	return merged ? "delivered: the vector was already pending in IRR, "
			"so the two are one (SDM Vol. 3A 10.8.4)" :
			"delivered: set in IRR";
}

void lapic_accept_extint(struct lapic *l)
{
	l->extint_msg = true;
	update_intr(l);
}

/* LINT pin n (0 or 1) against its LVT entry. old is the pin's previous
 * level, for edges. A level-triggered fixed interrupt is delivered while
 * the pin is asserted and remote IRR is clear; LINT1 is always
 * edge-sensitive (10.5.1). ExtINT is level-sensitive and read at INTA. */
static void lint_eval(struct lapic *l, unsigned pin, bool old)
{
	enum lvt_index n = pin ? LVT_LINT1 : LVT_LINT0;
	uint32_t lvt = l->lvt[n];
	unsigned mode = lvt_mode(lvt);
	bool low = lvt & APIC_POLARITY_LOW;
	bool now = l->lint[pin] != low, before = old != low;

	if (mode == APIC_DM_EXTINT) {
		update_intr(l);
		return;
	}
	if (mode == APIC_DM_FIXED && pin == 0 && (lvt & APIC_TRIGGER_LEVEL)) {
		if (now && !(lvt & (APIC_REMOTE_IRR | APIC_MASKED)) &&
		    lapic_sw_enabled(l)) {
			l->lvt[n] |= APIC_REMOTE_IRR;
			lapic_accept(l, lvt & APIC_VECTOR, true);
		}
		return;
	}
	if (now && !before)
		lapic_lvt_deliver(l, n);
}

/* A local interrupt from LVT entry n (10.5.1): fixed (the timer and
 * error entries have no delivery mode), NMI, SMI, INIT; ExtINT is read
 * at INTA. Masked entries deliver nothing. */
void lapic_lvt_deliver(struct lapic *l, enum lvt_index n)
{
	uint32_t lvt = l->lvt[n];
	if (lvt & APIC_MASKED)
		return;
	unsigned mode = (n == LVT_TIMER || n == LVT_ERROR) ? APIC_DM_FIXED :
			lvt_mode(lvt);
	switch (mode) {
	case APIC_DM_FIXED:
		lapic_accept(l, lvt & APIC_VECTOR, false);
		break;
	case APIC_DM_NMI:
		cpu_raise_nmi(l->cpu);
		break;
	case APIC_DM_INIT:
		lapic_init(l);
		cpu_init_signal(l->cpu);
		break;
	case APIC_DM_SMI:
		log_debug("apic", "CPU %u: SMI from LVT 0x%03x dropped: SMM is "
			  "not simulated", l->cfg.apic_id, lvt_offset[n]);
		break;
	default:
		break;
	}
}

/* ---- reset ---- */

static void reset_registers(struct lapic *l)
{
	l->tpr = l->ldr = 0;
	l->dfr = 0xffffffffu;
	l->svr = 0xff;
	l->esr = l->esr_new = 0;
	l->icr = 0;
	memset(l->irr, 0, sizeof(l->irr));
	memset(l->isr, 0, sizeof(l->isr));
	memset(l->tmr, 0, sizeof(l->tmr));
	for (unsigned n = 0; n < LVT_COUNT; n++)
		l->lvt[n] = APIC_MASKED;
	lapic_timer_reset(l);
	l->extint_msg = false;
}

void lapic_reset(struct lapic *l, bool bsp)
{
	l->base = LAPIC_DEFAULT_BASE | LAPIC_BASE_EN | (bsp ? LAPIC_BASE_BSP : 0);
	l->id = l->cfg.apic_id << 24;
	reset_registers(l);
	update_intr(l);
}

void lapic_init(struct lapic *l)
{
	reset_registers(l);
	update_intr(l);
}

/* SDM 10.4.3 and 10.12.5.1: disabling the APIC loses its state but for
 * the ID; entering x2APIC mode keeps it, the x2APIC ID and LDR being the
 * ones derived from the initial APIC ID. */
void lapic_set_base(struct lapic *l, uint64_t val)
{
	uint64_t old = l->base;
	l->base = val;
	if ((old & LAPIC_BASE_EN) && !(val & LAPIC_BASE_EN)) {
		reset_registers(l);
		l->id = l->cfg.apic_id << 24;
	}
	update_intr(l);
}

uint64_t lapic_base(const struct lapic *l)
{
	return l->base;
}

bool lapic_claims(const struct lapic *l, uint64_t pa)
{
	return (l->base & (LAPIC_BASE_EN | LAPIC_BASE_EXTD)) == LAPIC_BASE_EN &&
	       (pa & ~0xfffull) == (l->base & LAPIC_BASE_ADDR_MASK);
}

/* ---- sending IPIs (10.6) ---- */

/* Sends m, unless it is a fixed interrupt with a vector below 16: those
 * are illegal, and the sender notes it in its ESR instead (10.5.3). */
static void send_fixed_checked(struct lapic *l, const struct apic_msg *m)
{
	if (m->mode == APIC_DM_FIXED && m->vector < 16) {
		lapic_error(l, LAPIC_ESR_SEND_ILLEGAL_VECTOR);
		apicbus_report(l->bus, m, APIC_TO_NONE, false,
			       "not sent: vectors 0-15 are illegal; the sender "
			       "sets Send Illegal Vector in its ESR (SDM Vol. 3A "
			       "10.5.3)");
		return;
	}
	apicbus_send(l->bus, m);
}

static void send_icr(struct lapic *l, bool x2)
{
	uint32_t lo = (uint32_t)l->icr;
	struct apic_msg m = {
		.vector = lo & APIC_VECTOR,
		.mode = (lo >> APIC_DM_SHIFT) & 7,
		.shorthand = (lo >> APIC_SHORTHAND_SHIFT) & 3,
		.logical = lo & APIC_DEST_LOGICAL,
		.x2 = x2,
		.dest = x2 ? (uint32_t)(l->icr >> 32) : (uint32_t)(l->icr >> 56),
		.from = (int)l->cfg.apic_id,
	};
	/* The level and trigger flags mean something only for INIT level
	 * de-assert; every other IPI is edge-triggered (table 10-3). */
	m.deassert = m.mode == APIC_DM_INIT && !(lo & APIC_LEVEL_ASSERT) &&
		     (lo & APIC_TRIGGER_LEVEL);
	if (m.mode == APIC_DM_LOWEST) {
		lapic_error(l, LAPIC_ESR_REDIRECTIBLE_IPI);
		apicbus_report(l->bus, &m, APIC_TO_NONE, false,
			       "not sent: this processor does not send "
			       "lowest-priority IPIs; the sender sets "
			       "Redirectible IPI in its ESR (SDM Vol. 3A 10.5.3, "
			       "10.12.9)");
		return;
	}
	send_fixed_checked(l, &m);
}

static void self_ipi(struct lapic *l, uint8_t vector)
{
	struct apic_msg m = {
		.vector = vector, .mode = APIC_DM_FIXED,
		.shorthand = APIC_SH_SELF, .x2 = true,
		.from = (int)l->cfg.apic_id,
	};
	send_fixed_checked(l, &m);
}

/* ---- EOI (10.8.5) ---- */

static void eoi(struct lapic *l)
{
	int v = highest(l->isr);
	if (v < 0)
		return;
	bit_clear(l->isr, (unsigned)v);
	if (bit_test(l->tmr, (unsigned)v)) {
		/* A level-triggered interrupt: the I/O APIC hears of it
		 * unless the broadcast is suppressed (10.8.5). */
		if (!(l->svr & LAPIC_SVR_SUPPRESS_EOI))
			apicbus_eoi(l->bus, (uint8_t)v);
		uint32_t *lint0 = &l->lvt[LVT_LINT0];
		if ((*lint0 & APIC_REMOTE_IRR) &&
		    (*lint0 & APIC_VECTOR) == (unsigned)v) {
			*lint0 &= ~APIC_REMOTE_IRR;
			lint_eval(l, 0, l->lint[0]);
		}
	}
	update_intr(l);
}

/* ---- registers ---- */

static uint32_t version(const struct lapic *l)
{
	return LAPIC_VERSION_VALUE | (LVT_COUNT - 1) << 16 |
	       (l->cfg.eoi_suppression ? 1u << 24 : 0);
}

static int lvt_of(unsigned reg)
{
	for (unsigned n = 0; n < LVT_COUNT; n++)
		if (lvt_offset[n] == reg)
			return (int)n;
	return -1;
}

static uint32_t lvt_writable(const struct lapic *l, enum lvt_index n)
{
	switch (n) {
	case LVT_TIMER:
		return LVT_RW_FIXED_ONLY | LAPIC_TIMER_PERIODIC |
		       (l->cfg.tsc_deadline ? LAPIC_TIMER_TSC_DEADLINE : 0);
	case LVT_ERROR:
		return LVT_RW_FIXED_ONLY;
	case LVT_LINT0:
	case LVT_LINT1:
		return LVT_RW_LINT;
	default:
		return LVT_RW_MODE;
	}
}

static enum reg_status reg_read(const struct lapic *l, unsigned reg, bool x2,
				uint64_t *val)
{
	*val = 0;
	if (reg >= LAPIC_ISR && reg < LAPIC_ESR) {
		unsigned i = (reg - LAPIC_ISR) >> 4;
		const uint32_t *r = i < 8 ? l->isr : i < 16 ? l->tmr : l->irr;
		*val = r[i & 7];
		return REG_OK;
	}
	int n = lvt_of(reg);
	if (n >= 0) {
		*val = l->lvt[n];
		return REG_OK;
	}
	switch (reg) {
	case LAPIC_ID:
		*val = x2 ? l->cfg.apic_id : l->id;
		return REG_OK;
	case LAPIC_VERSION:
		*val = version(l);
		return REG_OK;
	case LAPIC_TPR:
		*val = l->tpr;
		return REG_OK;
	case LAPIC_APR:
		if (x2)
			return REG_ABSENT;
		*val = apr(l);
		return REG_OK;
	case LAPIC_PPR:
		*val = ppr(l);
		return REG_OK;
	case LAPIC_EOI:
		return x2 ? REG_WRITE_ONLY : REG_OK;
	case LAPIC_RRD:
		return x2 ? REG_ABSENT : REG_OK;
	case LAPIC_LDR:
		*val = x2 ? x2apic_ldr(l) : l->ldr;
		return REG_OK;
	case LAPIC_DFR:
		if (x2)
			return REG_ABSENT;
		*val = l->dfr | 0x0fffffffu;
		return REG_OK;
	case LAPIC_SVR:
		*val = l->svr;
		return REG_OK;
	case LAPIC_ESR:
		*val = l->esr;
		return REG_OK;
	case LAPIC_ICR_LO:
		/* Delivery status reads 0: every IPI is delivered at once. */
		*val = x2 ? l->icr : (uint32_t)l->icr;
		return REG_OK;
	case LAPIC_ICR_HI:
		if (x2)
			return REG_ABSENT;
		*val = (uint32_t)(l->icr >> 32);
		return REG_OK;
	case LAPIC_TIMER_ICR:
		*val = l->timer_icr;
		return REG_OK;
	case LAPIC_TIMER_CCR:
		*val = lapic_timer_current(l);
		return REG_OK;
	case LAPIC_TIMER_DCR:
		*val = l->timer_dcr;
		return REG_OK;
	case LAPIC_SELF_IPI:
		return x2 ? REG_WRITE_ONLY : REG_ABSENT;
	default:
		return REG_ABSENT;
	}
}

/* In x2APIC mode a reserved bit set raises #GP (10.12.1.3); in xAPIC
 * mode reserved bits are dropped. Returns false for #GP. */
static bool rsvd(bool x2, uint64_t val, uint64_t ok, char *why,
		 size_t whylen)
{
	if (!x2 || !(val & ~ok))
		return true;
	snprintf(why, whylen, "bit %d is reserved (writable bits: 0x%" PRIx64 ")",
		 __builtin_ctzll(val & ~ok), ok);
	return false;
}

static void write_lvt(struct lapic *l, enum lvt_index n, uint32_t val)
{
	uint32_t old = l->lvt[n];
	uint32_t keep = old & (APIC_DELIVERY_STATUS | APIC_REMOTE_IRR);
	val &= lvt_writable(l, n);
	/* A software-disabled APIC keeps every LVT masked (10.4.7.2). */
	if (!lapic_sw_enabled(l))
		val |= APIC_MASKED;
	l->lvt[n] = val | keep;
	if (n == LVT_TIMER && ((old ^ val) & LAPIC_TIMER_MODE)) {
		/* "A write to the LVT Timer Register that changes the timer
		 * mode disarms the local APIC timer" (10.5.4.1). */
		lapic_timer_stop(l);
	}
	if (n == LVT_LINT0 || n == LVT_LINT1) {
		unsigned pin = n == LVT_LINT1;
		if (!(val & APIC_TRIGGER_LEVEL))
			l->lvt[n] &= ~APIC_REMOTE_IRR;
		/* A level-sensitive entry looks at the pin as it is now. */
		lint_eval(l, pin, l->lint[pin]);
	}
	update_intr(l);
}

static enum reg_status reg_write(struct lapic *l, unsigned reg, bool x2,
				 uint64_t val, char *why, size_t whylen)
{
	if (x2 && reg != LAPIC_ICR_LO && (val >> 32)) {
		snprintf(why, whylen, "bits 63:32 are reserved");
		return REG_RESERVED;
	}
	int n = lvt_of(reg);
	if (n >= 0) {
		if (!rsvd(x2, val, lvt_writable(l, (enum lvt_index)n) |
			  APIC_DELIVERY_STATUS |
			  ((n == LVT_LINT0 || n == LVT_LINT1) ? APIC_REMOTE_IRR : 0),
			  why, whylen))
			return REG_RESERVED;
		write_lvt(l, (enum lvt_index)n, (uint32_t)val);
		return REG_OK;
	}
	switch (reg) {
	case LAPIC_ID:
		if (x2)
			return REG_READ_ONLY;
		l->id = (uint32_t)val & 0xff000000u;
		return REG_OK;
	case LAPIC_TPR:
		if (!rsvd(x2, val, 0xff, why, whylen))
			return REG_RESERVED;
		l->tpr = (uint32_t)val & 0xff;
		update_intr(l);
		return REG_OK;
	case LAPIC_EOI:
		if (x2 && val) {
			snprintf(why, whylen, "a write of a non-zero value to "
				 "the EOI register raises #GP");
			return REG_RESERVED;
		}
		eoi(l);
		return REG_OK;
	case LAPIC_LDR:
		if (x2)
			return REG_READ_ONLY;
		l->ldr = (uint32_t)val & 0xff000000u;
		return REG_OK;
	case LAPIC_DFR:
		if (x2)
			return REG_ABSENT;
		l->dfr = (uint32_t)val | 0x0fffffffu;
		return REG_OK;
	case LAPIC_SVR: {
		uint32_t ok = 0xff | LAPIC_SVR_ENABLE | LAPIC_SVR_FOCUS_DISABLE |
			      (l->cfg.eoi_suppression ? LAPIC_SVR_SUPPRESS_EOI : 0);
		if (!rsvd(x2, val, ok, why, whylen))
			return REG_RESERVED;
		l->svr = (uint32_t)val & ok;
		if (!lapic_sw_enabled(l))
			for (unsigned i = 0; i < LVT_COUNT; i++)
				l->lvt[i] |= APIC_MASKED;
		update_intr(l);
		return REG_OK;
	}
	case LAPIC_ESR:
		if (x2 && val) {
			snprintf(why, whylen, "a write of a non-zero value to "
				 "the ESR raises #GP");
			return REG_RESERVED;
		}
		/* The write moves the errors found since the last write
		 * into the readable register (10.5.3). */
		l->esr = l->esr_new;
		l->esr_new = 0;
		return REG_OK;
	case LAPIC_ICR_LO:
		if (x2) {
			/* Bit 12 (delivery status) is ignored (10.12.9). */
			if (!rsvd(x2, val, 0xffffffff000cdfffull, why, whylen))
				return REG_RESERVED;
			l->icr = val & ~(uint64_t)APIC_DELIVERY_STATUS;
		} else {
			l->icr = (l->icr & 0xffffffff00000000ull) |
				 ((uint32_t)val & 0x000cdfffu &
				  ~APIC_DELIVERY_STATUS);
		}
		send_icr(l, x2);
		return REG_OK;
	case LAPIC_ICR_HI:
		if (x2)
			return REG_ABSENT;
		l->icr = (uint32_t)l->icr | (uint64_t)(val & 0xff000000u) << 32;
		return REG_OK;
	case LAPIC_TIMER_ICR:
		lapic_timer_write_icr(l, (uint32_t)val);
		return REG_OK;
	case LAPIC_TIMER_DCR:
		if (!rsvd(x2, val, LAPIC_TIMER_DCR_BITS, why, whylen))
			return REG_RESERVED;
		lapic_timer_write_dcr(l, (uint32_t)val);
		return REG_OK;
	case LAPIC_SELF_IPI:
		if (!x2)
			return REG_ABSENT;
		if (!rsvd(x2, val, 0xff, why, whylen))
			return REG_RESERVED;
		self_ipi(l, (uint8_t)val);
		return REG_OK;
	case LAPIC_VERSION: case LAPIC_APR: case LAPIC_PPR: case LAPIC_RRD:
	case LAPIC_TIMER_CCR:
		if (x2 && (reg == LAPIC_APR || reg == LAPIC_RRD))
			return REG_ABSENT;
		return REG_READ_ONLY;
	default:
		if (reg >= LAPIC_ISR && reg < LAPIC_ESR)
			return REG_READ_ONLY;
		return REG_ABSENT;
	}
}

/* ---- the xAPIC page ---- */

uint64_t lapic_mmio_read(struct lapic *l, uint64_t offset, unsigned size)
{
	unsigned reg = (unsigned)offset & 0xff0, byte = (unsigned)offset & 0xf;
	uint64_t v;
	if (reg_read(l, reg, false, &v) == REG_ABSENT) {
		lapic_error(l, LAPIC_ESR_ILLEGAL_REGISTER);
		v = 0;
	}
	/* Bytes beyond the 32-bit register read 0. */
	v = byte < 4 ? (v & 0xffffffffu) >> (8 * byte) : 0;
	return size >= 8 ? v : v & ((1ull << (8 * size)) - 1);
}

void lapic_mmio_write(struct lapic *l, uint64_t offset, unsigned size,
		      uint64_t val)
{
	char why[128];
	if (size != 4 || (offset & 0xf)) {
		log_debug("apic", "CPU %u: %u-byte store to APIC offset 0x%03x "
			  "dropped: registers take aligned 32-bit stores (SDM "
			  "Vol. 3A 10.4.1)", l->cfg.apic_id, size,
			  (unsigned)offset);
		return;
	}
	if (reg_write(l, (unsigned)offset, false, (uint32_t)val, why,
		      sizeof(why)) == REG_ABSENT)
		lapic_error(l, LAPIC_ESR_ILLEGAL_REGISTER);
}

/* ---- the MSRs ---- */

static const char *status_text(enum reg_status s, bool write)
{
	switch (s) {
	case REG_READ_ONLY: return "the register is read-only in x2APIC mode";
	case REG_WRITE_ONLY: return "the register is write-only";
	case REG_ABSENT: return "the register does not exist in x2APIC mode";
	default: return write ? "the value is not allowed" : "cannot be read";
	}
}

bool lapic_msr_read(struct lapic *l, uint32_t index, uint64_t *val,
		    char *why, size_t whylen)
{
	if (index == LAPIC_MSR_TSC_DEADLINE) {
		*val = lapic_timer_read_deadline(l);
		return true;
	}
	if (!lapic_x2apic_mode(l) || index < 0x800 || index > 0x8ff) {
		snprintf(why, whylen, "the local APIC is not in x2APIC mode "
			 "(IA32_APIC_BASE = 0x%" PRIx64 "): the x2APIC MSRs raise "
			 "#GP (SDM Vol. 3A 10.12.2)", l->base);
		return false;
	}
	enum reg_status s = reg_read(l, (index - 0x800) << 4, true, val);
	if (s == REG_OK)
		return true;
	snprintf(why, whylen, "%s", status_text(s, false));
	return false;
}

bool lapic_msr_write(struct lapic *l, uint32_t index, uint64_t val,
		     char *why, size_t whylen)
{
	if (index == LAPIC_MSR_TSC_DEADLINE) {
		lapic_timer_write_deadline(l, val);
		return true;
	}
	if (!lapic_x2apic_mode(l) || index < 0x800 || index > 0x8ff) {
		snprintf(why, whylen, "the local APIC is not in x2APIC mode "
			 "(IA32_APIC_BASE = 0x%" PRIx64 "): the x2APIC MSRs raise "
			 "#GP (SDM Vol. 3A 10.12.2)", l->base);
		return false;
	}
	char rule[128] = "";
	enum reg_status s = reg_write(l, (index - 0x800) << 4, true, val, rule,
				      sizeof(rule));
	if (s == REG_OK)
		return true;
	snprintf(why, whylen, "%s", s == REG_RESERVED ? rule :
		 status_text(s, true));
	return false;
}

uint8_t lapic_tpr(const struct lapic *l)
{
	return (uint8_t)l->tpr;
}

void lapic_set_tpr(struct lapic *l, uint8_t tpr)
{
	l->tpr = tpr;
	update_intr(l);
}

/* ---- the CPU's side ---- */

int lapic_acknowledge(struct lapic *l)
{
	if (extint_pending(l)) {
		l->extint_msg = false;
		int v = l->extint.acknowledge ?
			l->extint.acknowledge(l->extint.opaque) : -1;
		update_intr(l);
		return v;
	}
	int v = deliverable(l);
	if (v < 0)
		return -1;
	bit_clear(l->irr, (unsigned)v);
	bit_set(l->isr, (unsigned)v);
	update_intr(l);
	return v;
}

void lapic_set_lint(struct lapic *l, unsigned pin, bool level)
{
	pin &= 1;
	bool old = l->lint[pin];
	l->lint[pin] = level;
	if (!lapic_hw_enabled(l)) {
		if (pin == 1 && level && !old)
			cpu_raise_nmi(l->cpu);
		update_intr(l);
		return;
	}
	lint_eval(l, pin, old);
}

void lapic_set_extint(struct lapic *l, const struct lapic_extint *src)
{
	l->extint = *src;
	update_intr(l);
}

void lapic_extint_changed(struct lapic *l)
{
	update_intr(l);
}

/* ---- the bus's side ---- */

struct cpu *lapic_cpu(const struct lapic *l)
{
	return l->cpu;
}

unsigned lapic_initial_id(const struct lapic *l)
{
	return l->cfg.apic_id;
}

bool lapic_matches(const struct lapic *l, uint32_t dest, bool logical,
		   bool x2)
{
	if (!lapic_hw_enabled(l))
		return false;
	bool rx2 = lapic_x2apic_mode(l);
	uint32_t broadcast = x2 ? 0xffffffffu : 0xffu;
	if (!logical) {
		if (dest == broadcast)
			return true;
		if (rx2)
			return dest == l->cfg.apic_id;
		return dest <= 0xff && dest == l->id >> 24;
	}
	if (rx2) {
		/* x2APIC logical: cluster in 31:16, member bits in 15:0
		 * (10.12.10.2). */
		if (dest == broadcast)
			return true;
		uint32_t ldr = x2apic_ldr(l);
		return (dest >> 16) == (ldr >> 16) && (dest & ldr & 0xffff);
	}
	if (x2) {
		if (dest == 0xffffffffu)
			dest = 0xff;
		else if (dest > 0xff)
			return false;
	}
	/* xAPIC logical (10.6.2.2): flat model, a bit per APIC; cluster
	 * model, cluster in bits 7:4 and member bits in 3:0. */
	uint32_t mine = l->ldr >> 24;
	if ((l->dfr >> 28) == 0xf)
		return (dest & mine) != 0;
	if (dest == 0xff)
		return true;
	return (dest >> 4) == (mine >> 4) && (dest & mine & 0xf);
}

uint32_t lapic_peek(const struct lapic *l, unsigned offset)
{
	uint64_t v;
	reg_read(l, offset & 0xff0, lapic_x2apic_mode(l), &v);
	return (uint32_t)v;
}

/* ---- lifetime ---- */

struct lapic *lapic_create(const struct lapic_config *cfg, struct cpu *cpu,
			   struct apic_bus *bus, struct clock *clk)
{
	struct lapic *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->cfg = *cfg;
	l->cpu = cpu;
	l->bus = bus;
	l->clock = clk;
	lapic_timer_attach(l);
	if (!apicbus_attach(bus, l)) {
		free(l);
		return NULL;
	}
	lapic_reset(l, cpu_is_bsp(cpu));
	return l;
}

void lapic_destroy(struct lapic *l)
{
	if (!l)
		return;
	lapic_timer_detach(l);
	free(l);
}
