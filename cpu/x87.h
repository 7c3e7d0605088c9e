/* The x87 unit's state rules, shared by the x87 instructions
 * (cpu/ops_x87*.c), the state-saving instructions (cpu/ops_xsave.c) and
 * MMX: the register stack and its tags, the status and control words,
 * exception signalling (#MF, FERR#) and the initial configurations.
 * Private to cpu/. SDM Vol. 1 chapter 8. */
#ifndef CPU_X87_H
#define CPU_X87_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/fp.h"
#include "cpu/state.h"

/* FSW bits (SDM Vol. 1 figure 8-4); the exception flags are FP_X_*. */
#define FSW_SF 0x0040u
#define FSW_ES 0x0080u
#define FSW_C0 0x0100u
#define FSW_C1 0x0200u
#define FSW_C2 0x0400u
#define FSW_TOP 0x3800u
#define FSW_TOP_SHIFT 11
#define FSW_C3 0x4000u
#define FSW_B 0x8000u
#define FSW_CC (FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3)

/* FCW: masks in bits 5:0 (FP_X_*), PC 9:8, RC 11:10, X 12. Bit 6 reads
 * as 1 and bits 7, 15:13 as 0 whatever is loaded. */
#define FCW_WRITABLE 0x1f3fu
#define FCW_ONE 0x0040u
#define FCW_INIT 0x037fu

/* Tags (SDM Vol. 1 figure 8-7). */
enum { X87_TAG_VALID, X87_TAG_ZERO, X87_TAG_SPECIAL, X87_TAG_EMPTY };

static inline unsigned x87_top(const struct cpu *c)
{
	return (c->x87.fsw & FSW_TOP) >> FSW_TOP_SHIFT;
}

static inline void x87_set_top(struct cpu *c, unsigned top)
{
	c->x87.fsw = (uint16_t)((c->x87.fsw & ~FSW_TOP) |
				((top & 7) << FSW_TOP_SHIFT));
}

/* Physical register number of ST(i). */
static inline unsigned x87_phys(const struct cpu *c, unsigned i)
{
	return (x87_top(c) + i) & 7;
}

static inline unsigned x87_tag(const struct cpu *c, unsigned phys)
{
	return (c->x87.ftw >> (2 * phys)) & 3;
}

static inline bool x87_empty(const struct cpu *c, unsigned i)
{
	return x87_tag(c, x87_phys(c, i)) == X87_TAG_EMPTY;
}

static inline struct f80 x87_st(const struct cpu *c, unsigned i)
{
	return c->x87.r[x87_phys(c, i)];
}

/* The tag a register holding v has (valid, zero or special); the full
 * tag word is kept consistent with the registers this way, as FNSTENV
 * and FNSAVE report it (they derive it from the contents). */
unsigned x87_tag_of(struct f80 v);

static inline void x87_set_tag(struct cpu *c, unsigned phys, unsigned tag)
{
	c->x87.ftw = (uint16_t)((c->x87.ftw & ~(3u << (2 * phys))) |
				(tag << (2 * phys)));
}

/* ST(i) = v, tagged from its contents. */
static inline void x87_write(struct cpu *c, unsigned i, struct f80 v)
{
	unsigned p = x87_phys(c, i);
	c->x87.r[p] = v;
	x87_set_tag(c, p, x87_tag_of(v));
}

/* TOP - 1 and ST(0) = v. */
static inline void x87_push(struct cpu *c, struct f80 v)
{
	x87_set_top(c, x87_top(c) - 1);
	x87_write(c, 0, v);
}

/* ST(0) tagged empty, then TOP + 1. */
static inline void x87_pop(struct cpu *c)
{
	x87_set_tag(c, x87_phys(c, 0), X87_TAG_EMPTY);
	x87_set_top(c, x87_top(c) + 1);
}

/* The abridged tag byte of FXSAVE (1 = not empty, by physical register)
 * and the full tag word FXRSTOR rebuilds from it and the registers. */
uint8_t x87_abridged_tags(const struct cpu *c);
uint16_t x87_full_tags(const struct cpu *c, uint8_t abridged);
/* The full tag word recomputed from the registers for every register
 * that is not empty (what FLDENV and FRSTOR keep of a loaded one). */
uint16_t x87_retag(const struct cpu *c, uint16_t ftw);

/* FCW as it reads after a load of v. */
static inline uint16_t x87_fcw_value(uint16_t v)
{
	return (uint16_t)((v & FCW_WRITABLE) | FCW_ONE);
}

/* Recomputes FSW.ES and FSW.B (B mirrors ES): set exactly while an
 * exception flag is set whose mask is clear, whatever was loaded; and
 * drives FERR# to match (see x87_update_ferr()). Call after any change
 * of FSW or FCW. */
void x87_sync_es(struct cpu *c);

/* FERR# follows FSW.ES while CR0.NE = 0 (SDM Vol. 1 D.2.2: asserted when
 * an instruction completes with an unmasked exception, deasserted when
 * the flags are cleared); with CR0.NE = 1 it stays deasserted. Tells the
 * bus when the level changes. */
void x87_update_ferr(struct cpu *c);

/* FNINIT: FCW 037FH, FSW 0, all tags empty, pointers and opcode 0; the
 * registers keep their contents (SDM Vol. 2A FINIT). */
void x87_finit(struct cpu *c);

/* The XSAVE initial configuration of x87 state (SDM Vol. 1 13.6): as
 * FNINIT, and every register +0.0. */
void x87_init_config(struct cpu *c);
bool x87_is_init_config(const struct cpu *c);

/* Before a waiting x87 instruction, WAIT or an MMX instruction (SDM
 * Vol. 1 9.5.3 puts MMX under the same rule): with an
 * unmasked exception pending (FSW.ES = 1), raises #MF when CR0.NE = 1;
 * with CR0.NE = 0 and IGNNE# deasserted the processor freezes before the
 * instruction until an interrupt arrives (SDM Vol. 1 D.2.2), which this
 * models as a halt with RIP at the instruction; with IGNNE# asserted the
 * error is ignored. Returns true if the instruction may go on. */
bool x87_check_pending(struct cpu *c, const char *what);

/* The environment for an arithmetic instruction from FCW. */
static inline struct fp_env x87_env(const struct cpu *c)
{
	return fp_env_from_fcw(c->x87.fcw);
}

#endif
