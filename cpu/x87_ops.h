/* What the x87 instruction files share: the handler signature of the
 * opcode tables in cpu/ops_x87.c, the handlers the other files define,
 * and the common steps of an instruction (stack faults, the exception
 * flags and C1, the masked responses). Private to cpu/ops_x87*.c. */
#ifndef CPU_X87_OPS_H
#define CPU_X87_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/x87.h"

/* An x87 handler: everything it needs is in the decoded instruction
 * (opcode D8-DF, ModRM, the memory operand). */
typedef void (*x87_fn)(struct cpu *c, const struct insn *i);

/* ModRM fields. */
static inline unsigned x87_reg(const struct insn *i)
{
	return (i->modrm >> 3) & 7;
}

static inline unsigned x87_rm(const struct insn *i)
{
	return i->modrm & 7;
}

/* The exception flags an operation raised with its mask clear. */
static inline unsigned x87_unmasked(const struct cpu *c, unsigned flags)
{
	return flags & ~c->x87.fcw & FP_X_ALL;
}

/* Whether an operation that raised flags may deliver its result: not
 * after an unmasked invalid-operation, denormal or divide-by-zero
 * exception (SDM Vol. 1 8.5: the operands and TOP stay as they were). */
static inline bool x87_may_write(const struct cpu *c, unsigned flags)
{
	return !x87_unmasked(c, flags & (FP_X_IE | FP_X_DE | FP_X_ZE));
}

/* Ends an instruction's status update: the flags raised join the sticky
 * exception flags, C1 takes c1, ES and B follow. */
static inline void x87_status(struct cpu *c, unsigned flags, bool c1)
{
	uint16_t fsw = (uint16_t)(c->x87.fsw | (flags & FP_X_ALL));
	fsw = (uint16_t)((fsw & ~FSW_C1) | (c1 ? FSW_C1 : 0));
	c->x87.fsw = fsw;
	x87_sync_es(c);
}

/* Sets the condition codes in mask to cc. */
static inline void x87_cc(struct cpu *c, uint16_t mask, uint16_t cc)
{
	c->x87.fsw = (uint16_t)((c->x87.fsw & ~mask) | (cc & mask));
}

/* A stack fault (SDM Vol. 1 8.5.1.1): IE and SF, C1 = 1 for overflow, 0
 * for underflow. Returns true if IE is masked, when the caller applies
 * the masked response (the QNaN indefinite as the result). */
static inline bool x87_stack_fault(struct cpu *c, bool overflow)
{
	c->x87.fsw |= FSW_SF;
	x87_status(c, FP_X_IE, overflow);
	return (c->x87.fcw & FP_X_IE) != 0;
}

/* True (after the stack fault) if a push would overwrite a register
 * that is not empty: ST(7) is the slot that becomes ST(0). */
static inline bool x87_push_overflows(const struct cpu *c)
{
	return !x87_empty(c, 7);
}

/* ---- handlers (cpu/ops_x87_arith.c) ---- */
void x87_arith_mem(struct cpu *c, const struct insn *i);  /* D8 DA DC DE mem */
void x87_arith_st0(struct cpu *c, const struct insn *i);  /* D8 reg */
void x87_arith_sti(struct cpu *c, const struct insn *i);  /* DC reg */
void x87_arith_pop(struct cpu *c, const struct insn *i);  /* DE reg */
void x87_fcom_sti(struct cpu *c, const struct insn *i);   /* FCOM(P) ST(i) */
void x87_fcompp(struct cpu *c, const struct insn *i);
void x87_fucom(struct cpu *c, const struct insn *i);      /* FUCOM(P) */
void x87_fucompp(struct cpu *c, const struct insn *i);
void x87_fcomi(struct cpu *c, const struct insn *i);      /* F(U)COMI(P) */
void x87_fcmov(struct cpu *c, const struct insn *i);
void x87_fxch(struct cpu *c, const struct insn *i);
void x87_ffree(struct cpu *c, const struct insn *i);
void x87_ffreep(struct cpu *c, const struct insn *i);
void x87_fnop(struct cpu *c, const struct insn *i);
void x87_d9_e0(struct cpu *c, const struct insn *i);      /* FCHS..FXAM */
void x87_d9_e8(struct cpu *c, const struct insn *i);      /* FLD1..FLDZ */
void x87_d9_f0(struct cpu *c, const struct insn *i);      /* F2XM1.. */

/* ---- handlers (cpu/ops_x87_ldst.c) ---- */
void x87_fld_mem(struct cpu *c, const struct insn *i);    /* FLD m32/64/80 */
void x87_fld_sti(struct cpu *c, const struct insn *i);
void x87_fild(struct cpu *c, const struct insn *i);
void x87_fbld(struct cpu *c, const struct insn *i);
void x87_fst_mem(struct cpu *c, const struct insn *i);    /* FST(P) m32/64/80 */
void x87_fst_sti(struct cpu *c, const struct insn *i);    /* FST(P) ST(i) */
void x87_fist(struct cpu *c, const struct insn *i);       /* FIST(P), FISTTP */
void x87_fbstp(struct cpu *c, const struct insn *i);

/* ---- handlers (cpu/ops_x87_env.c) ---- */
void x87_fldcw(struct cpu *c, const struct insn *i);
void x87_fnstcw(struct cpu *c, const struct insn *i);
void x87_fnstsw(struct cpu *c, const struct insn *i);     /* m2byte, AX */
void x87_fldenv(struct cpu *c, const struct insn *i);
void x87_fnstenv(struct cpu *c, const struct insn *i);
void x87_frstor(struct cpu *c, const struct insn *i);
void x87_fnsave(struct cpu *c, const struct insn *i);
void x87_db_e0(struct cpu *c, const struct insn *i);      /* FNENI..FNSETPM */

#endif
