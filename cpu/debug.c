/* Debug breakpoints and traps (SDM Vol. 3B 18.2, 18.3): the matching
 * rules of DR0-DR3 and DR7, the traps an instruction leaves pending, and
 * their delivery as one #DB. See cpu/debug.h for how the run loop, the
 * memory paths and the TLB use this.
 *
 * Where the SDM leaves a choice:
 *   - B0-B3 "may or may not be set" for a breakpoint whose L and G flags
 *     are both clear (18.2.3); here they never are: a handler sees exactly
 *     the enabled breakpoints that matched, the only ones 18.2.3 tells it
 *     to look at.
 *   - "Certain debug exceptions may clear bits 0-3" of DR6 (18.2.3): a
 *     #DB that reports breakpoint matches replaces B0-B3 with them; one
 *     that reports none (single-step, BD, BT alone) leaves B0-B3 as they
 *     were. BD, BS and BT are only ever set by the processor.
 *   - An unaligned DRn is taken with its low bits cleared to a multiple
 *     of LEN, the mask 18.2.5 says the processor applies.
 *   - An I/O breakpoint matches a DRn holding the port number itself;
 *     a DRn above 0xFFFF never matches.
 *   - Matches made while delivering a #DB for debug traps (pushing its own
 *     frame onto a watched stack) are not reported: they would report
 *     themselves again on every delivery. */
#include "cpu/debug.h"

#include <stdio.h>

#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/flags.h"
#include "cpu/interrupt.h"
#include "cpu/mem.h"
#include "util/log.h"
#include "cpu/regs.h"


/* Iterations of a repeated string instruction per call on the debug
 * path, as many as the handlers run per burst on the fast path. */
#define DEBUG_STRING_BURST 4096

static bool bp_enabled(uint64_t dr7, unsigned n)
{
	return (dr7 >> (2 * n)) & 3;
}

static unsigned bp_rw(uint64_t dr7, unsigned n)
{
	return (dr7 >> (16 + 4 * n)) & 3;
}

static unsigned bp_len(uint64_t dr7, unsigned n)
{
	return debug_len_bytes((unsigned)(dr7 >> (18 + 4 * n)));
}

unsigned debug_len_bytes(unsigned len_field)
{
	static const unsigned bytes[4] = { 1, 2, 8, 4 };
	return bytes[len_field & 3];
}

/* First byte of breakpoint n's range: DRn aligned down to LEN. */
static uint64_t bp_start(const uint64_t dr[8], unsigned n)
{
	return dr[n] & ~(uint64_t)(bp_len(dr[7], n) - 1);
}

/* Whether bytes a .. a + size - 1 (not wrapping) meet breakpoint n's
 * range. */
static bool bp_overlaps(const uint64_t dr[8], unsigned n, uint64_t a,
			unsigned size)
{
	uint64_t start = bp_start(dr, n);
	return a <= start + (bp_len(dr[7], n) - 1) && start <= a + (size - 1);
}

unsigned debug_match_insn(const uint64_t dr[8], uint64_t la)
{
	unsigned hits = 0;
	for (unsigned n = 0; n < 4; n++)
		if (bp_enabled(dr[7], n) && bp_rw(dr[7], n) == DEBUG_RW_EXEC &&
		    dr[n] == la)
			hits |= 1u << n;
	return hits;
}

unsigned debug_match_data(const uint64_t dr[8], uint64_t la, unsigned size,
			  bool write)
{
	unsigned hits = 0;
	for (unsigned n = 0; n < 4; n++) {
		unsigned rw = bp_rw(dr[7], n);
		if (!bp_enabled(dr[7], n) ||
		    !(rw == DEBUG_RW_ACCESS || (rw == DEBUG_RW_WRITE && write)))
			continue;
		if (bp_overlaps(dr, n, la, size))
			hits |= 1u << n;
	}
	return hits;
}

unsigned debug_match_io(const uint64_t dr[8], uint64_t cr4, uint16_t port,
			unsigned size)
{
	unsigned hits = 0;
	if (!(cr4 & CR4_DE))
		return 0;
	for (unsigned n = 0; n < 4; n++)
		if (bp_enabled(dr[7], n) && bp_rw(dr[7], n) == DEBUG_RW_IO &&
		    bp_overlaps(dr, n, port, size))
			hits |= 1u << n;
	return hits;
}

unsigned debug_page_watch(const uint64_t dr[8], uint64_t page)
{
	unsigned watch = 0;
	for (unsigned n = 0; n < 4; n++) {
		unsigned rw = bp_rw(dr[7], n);
		if (!bp_enabled(dr[7], n) || !(rw & 1))
			continue;
		/* A range is at most 8 bytes and aligned to its length, so
		 * it lies in one page. */
		if ((bp_start(dr, n) & ~0xfffull) == page)
			watch |= rw == DEBUG_RW_ACCESS ?
				 DEBUG_WATCH_READ | DEBUG_WATCH_WRITE :
				 DEBUG_WATCH_WRITE;
	}
	return watch;
}

/* ---- recording ---- */

static void pend(struct cpu *c, uint32_t bits)
{
	c->db_pending |= bits;
	c->attention |= ATTN_TRAP;
}

/* Records a breakpoint match of an access; the first one of an
 * instruction is kept for the log line. */
static void pend_hit(struct cpu *c, unsigned hits, uint64_t addr,
		     unsigned size, bool write, bool io)
{
	if (!(c->db_pending & DR6_B_MASK)) {
		c->db_hit_addr = addr;
		c->db_hit_size = (uint8_t)size;
		c->db_hit_write = write;
		c->db_hit_io = io;
	}
	pend(c, hits);
}

void debug_data_access(struct cpu *c, uint64_t la, unsigned size,
		       bool write)
{
	unsigned hits = debug_match_data(c->dr, la, size, write);
	if (hits)
		pend_hit(c, hits, la, size, write, false);
}

void debug_io_access(struct cpu *c, uint16_t port, unsigned size)
{
	unsigned hits = debug_match_io(c->dr, c->cr4, port, size);
	if (hits)
		pend_hit(c, hits, port, size, false, true);
}

void debug_task_trap(struct cpu *c)
{
	pend(c, DR6_BT);
}

/* What the TLB's exclusion depends on for breakpoint n of dr7: zero
 * unless it is an enabled data breakpoint, else its R/W and LEN. */
static unsigned watch_key(uint64_t dr7, unsigned n)
{
	if (!bp_enabled(dr7, n) || !(bp_rw(dr7, n) & 1))
		return 0;
	return 0x10 | (unsigned)((dr7 >> (16 + 4 * n)) & 0xf);
}

void debug_dr_written(struct cpu *c, unsigned n, uint64_t old)
{
	bool flush = false;
	if (n == 7) {
		for (unsigned k = 0; k < 4; k++)
			if (watch_key(old, k) != watch_key(c->dr[7], k))
				flush = true;
	} else if (n < 4) {
		flush = watch_key(c->dr[7], n) != 0;
	}
	if (flush)
		tlb_flush_all(c);
}

bool debug_watching(const struct cpu *c)
{
	for (unsigned n = 0; n < 4; n++) {
		unsigned rw = bp_rw(c->dr[7], n);
		if (bp_enabled(c->dr[7], n) &&
		    ((rw & 1) || (rw == DEBUG_RW_IO && (c->cr4 & CR4_DE))))
			return true;
	}
	return false;
}

/* ---- the run loop's debug path ---- */

/* "DR0 DR2" for DR6 B0-B3 bits. */
static void bp_names(char *buf, size_t len, uint32_t bits)
{
	size_t at = 0;
	buf[0] = 0;
	for (unsigned n = 0; n < 4 && at < len; n++)
		if ((bits >> n) & 1)
			at += (size_t)snprintf(buf + at, len - at, "%sDR%u",
					       at ? " " : "", n);
}

void debug_check_insn(struct cpu *c, uint64_t la)
{
	unsigned hits = debug_match_insn(c->dr, la);
	if (!hits)
		return;
	char names[32];
	bp_names(names, sizeof(names), hits);
	c->dr[6] = (c->dr[6] & ~(uint64_t)DR6_B_MASK) | hits;
	cpu_raise(c, EXC_DB, "instruction breakpoint %s at linear address 0x%llx with RFLAGS.RF = 0",
		  names, (unsigned long long)la);
}

bool debug_is_rep_string(const struct insn *i)
{
	if (!(i->prefixes & (PFX_REP | PFX_REPNE)))
		return false;
	switch (i->id) {
	case INSN_MOVS_YbXb: case INSN_MOVS_YvXv:
	case INSN_CMPS_XbYb: case INSN_CMPS_XvYv:
	case INSN_STOS_YbAL: case INSN_STOS_YvrAX:
	case INSN_LODS_ALXb: case INSN_LODS_rAXXv:
	case INSN_SCAS_ALYb: case INSN_SCAS_rAXYv:
	case INSN_INS_YbDX: case INSN_INS_YzDX:
	case INSN_OUTS_DXXb: case INSN_OUTS_DXXz:
		return true;
	default:
		return false;
	}
}

static bool is_compare_string(const struct insn *i)
{
	switch (i->id) {
	case INSN_CMPS_XbYb: case INSN_CMPS_XvYv:
	case INSN_SCAS_ALYb: case INSN_SCAS_rAXYv:
		return true;
	default:
		return false;
	}
}

/* The handler without its repeat prefix does exactly one iteration;
 * the count and the termination conditions are those of SDM Vol. 2B
 * REP/REPE/REPNE, as the handlers apply them on the fast path. */
void debug_run_rep_string(struct cpu *c, const struct insn *i, bool step)
{
	struct insn one = *i;
	unsigned as = i->addrsize;
	bool until_zf = (i->prefixes & PFX_REPNE) != 0;
	one.prefixes &= (uint8_t)~(PFX_REP | PFX_REPNE);
	unsigned burst = insn_repeat_burst(c, DEBUG_STRING_BURST);
	for (unsigned n = 0; n < burst; n++) {
		uint64_t cnt = reg_read(c, REG_RCX, as);
		if (cnt == 0)
			return;
		insn_repeat_tick(c, n);
		one.fn(c, &one);
		cnt = (cnt - 1) & size_mask(as);
		reg_write(c, REG_RCX, as, cnt);
		if (cnt == 0 || (is_compare_string(i) && flag_zf(c) == until_zf))
			return;
		if (step || (c->attention & ATTN_TRAP))
			break;
	}
	c->next_rip = c->rip;
	c->rflags |= FLAG_RF;
}

void debug_discard(struct cpu *c, uint32_t held)
{
	c->db_pending &= ~(uint32_t)DR6_B_MASK;
	c->db_pending |= held & ~DEBUG_HELD_SHADOW;
	if (c->db_pending)
		c->attention |= ATTN_TRAP;
	else
		c->attention &= ~(uint32_t)ATTN_TRAP;
}

uint32_t debug_take_held(struct cpu *c)
{
	uint32_t held = c->db_held;
	c->db_held = 0;
	return c->db_held_icount == c->icount ? held : 0;
}

/* Why a #DB trap reporting bits is delivered, e.g. "data breakpoint
 * DR1 (first hit: 4-byte write at linear 0x1000); single-step (TF)". */
static void trap_reason(const struct cpu *c, uint32_t bits, char *buf,
			size_t len)
{
	size_t at = 0;
	buf[0] = 0;
	if (bits & DR6_B_MASK) {
		char names[32];
		bp_names(names, sizeof(names), bits);
		at += (size_t)snprintf(buf, len, "%s breakpoint %s (first hit: %u-byte %s at %s 0x%llx)",
				       c->db_hit_io ? "I/O" : "data", names,
				       c->db_hit_size,
				       c->db_hit_io ? "access" :
				       c->db_hit_write ? "write" : "read",
				       c->db_hit_io ? "port" : "linear",
				       (unsigned long long)c->db_hit_addr);
	}
	if ((bits & DR6_BS) && at < len)
		at += (size_t)snprintf(buf + at, len - at, "%ssingle-step (TF)",
				       at ? "; " : "");
	if ((bits & DR6_BT) && at < len)
		snprintf(buf + at, len - at, "%stask switch into a TSS with T = 1",
			 at ? "; " : "");
}

/* Sets DR6 for a #DB reporting bits and delivers it as a trap: the saved
 * rIP is c->rip, where execution continues. */
static void deliver_trap(struct cpu *c, uint32_t bits)
{
	if (bits & DR6_B_MASK)
		c->dr[6] = (c->dr[6] & ~(uint64_t)DR6_B_MASK) |
			   (bits & DR6_B_MASK);
	c->dr[6] |= bits & (DR6_BD | DR6_BS | DR6_BT);
	if (log_enabled(LOG_DEBUG)) {
		char why[160];
		trap_reason(c, bits, why, sizeof(why));
		log_msg(LOG_DEBUG, "cpu", "cpu %u: #DB (trap) at %04x:%llx: %s; DR6 = 0x%llx",
			c->apic_id, c->seg[SEG_CS].sel,
			(unsigned long long)c->rip, why,
			(unsigned long long)c->dr[6]);
	}
	c->db_pending = 0;
	c->attention &= ~(uint32_t)ATTN_TRAP;
	c->next_rip = c->rip;
	intr_deliver(c, EXC_DB, INTR_EXCEPTION, false, 0);
	c->db_pending = 0;
	c->attention &= ~(uint32_t)ATTN_TRAP;
}

static bool loads_ss(const struct insn *i)
{
	return (i->id == INSN_MOV_SwEw || i->id == INSN_POP_Sw) &&
	       i->reg == SEG_SS;
}

void debug_end_insn(struct cpu *c, const struct insn *i, uint32_t held,
		    bool tf)
{
	uint32_t bits = c->db_pending | (tf ? DR6_BS : 0) |
			(held & ~DEBUG_HELD_SHADOW);
	c->db_pending = 0;
	c->attention &= ~(uint32_t)ATTN_TRAP;
	/* SDM Vol. 3A 6.8.3: after MOV SS or POP SS, debug exceptions wait
	 * for the boundary after the next instruction. Only the first of a
	 * run of such instructions holds them, as only the first is
	 * guaranteed to hold interrupts. */
	if (loads_ss(i) && !(held & DEBUG_HELD_SHADOW)) {
		c->db_held = bits | DEBUG_HELD_SHADOW;
		c->db_held_icount = c->icount;
		return;
	}
	if (bits)
		deliver_trap(c, bits);
}

void debug_deliver_pending(struct cpu *c)
{
	uint32_t bits = c->db_pending;
	if (bits)
		deliver_trap(c, bits);
	else
		c->attention &= ~(uint32_t)ATTN_TRAP;
}
