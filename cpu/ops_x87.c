/* x87 escapes (D8-DF) and WAIT: the CR0.EM/MP/TS rules, the opcode
 * tables that pick each x87 instruction by escape byte and ModRM (SDM
 * Vol. 2D A.5, tables ), the pending-exception check of the
 * waiting instructions and the instruction and data pointers.
 *
 * The undocumented aliases that Intel and AMD processors execute are
 * included: FSTP1 (D9 D8+i), FCOM2 (DC D0+i), FCOMP3 (DC D8+i), FXCH4
 * (DD C8+i), FCOMP5 (DE D0+i), FXCH7 (DF C8+i), FSTP8 (DF D0+i), FSTP9
 * (DF D8+i), FFREEP (DF C0+i), and the 8087/287 leftovers FNENI, FNDISI
 * and FNSETPM (DB E0, E1, E4) as no-ops. */
#include "cpu/x87_ops.h"

#include "cpu/msr.h"
#include "cpu/regs.h"

enum {
	X87F_NOWAIT = 1u << 0,  /* no pending-exception check (FN...) */
	X87F_CONTROL = 1u << 1, /* leaves FOP, FIP and FDP alone */
};

struct x87_entry {
	x87_fn fn;
	uint8_t flags;
};

#define CTL (X87F_CONTROL)
#define NOWAIT (X87F_CONTROL | X87F_NOWAIT)

/* Memory forms by escape (D8-DF) and ModRM.reg; NULL is #UD. */
static const struct x87_entry x87_mem[8][8] = {
	[0] = { { x87_arith_mem }, { x87_arith_mem }, { x87_arith_mem },
		{ x87_arith_mem }, { x87_arith_mem }, { x87_arith_mem },
		{ x87_arith_mem }, { x87_arith_mem } },
	[1] = { [0] = { x87_fld_mem }, [2] = { x87_fst_mem },
		[3] = { x87_fst_mem }, [4] = { x87_fldenv, CTL },
		[5] = { x87_fldcw, CTL }, [6] = { x87_fnstenv, NOWAIT },
		[7] = { x87_fnstcw, NOWAIT } },
	[2] = { { x87_arith_mem }, { x87_arith_mem }, { x87_arith_mem },
		{ x87_arith_mem }, { x87_arith_mem }, { x87_arith_mem },
		{ x87_arith_mem }, { x87_arith_mem } },
	[3] = { [0] = { x87_fild }, [1] = { x87_fist }, [2] = { x87_fist },
		[3] = { x87_fist }, [5] = { x87_fld_mem },
		[7] = { x87_fst_mem } },
	[4] = { { x87_arith_mem }, { x87_arith_mem }, { x87_arith_mem },
		{ x87_arith_mem }, { x87_arith_mem }, { x87_arith_mem },
		{ x87_arith_mem }, { x87_arith_mem } },
	[5] = { [0] = { x87_fld_mem }, [1] = { x87_fist },
		[2] = { x87_fst_mem }, [3] = { x87_fst_mem },
		[4] = { x87_frstor, CTL }, [6] = { x87_fnsave, NOWAIT },
		[7] = { x87_fnstsw, NOWAIT } },
	[6] = { { x87_arith_mem }, { x87_arith_mem }, { x87_arith_mem },
		{ x87_arith_mem }, { x87_arith_mem }, { x87_arith_mem },
		{ x87_arith_mem }, { x87_arith_mem } },
	[7] = { [0] = { x87_fild }, [1] = { x87_fist }, [2] = { x87_fist },
		[3] = { x87_fist }, [4] = { x87_fbld }, [5] = { x87_fild },
		[6] = { x87_fbstp }, [7] = { x87_fist } },
};

/* Register forms by escape and ModRM bits 5:0 (reg, rm). */
#define X87_IDX(esc, reg, rm) (((esc) << 6) | ((reg) << 3) | (rm))
#define ROW(esc, reg, fn, fl)                                              \
	[X87_IDX(esc, reg, 0)... X87_IDX(esc, reg, 7)] = { fn, fl }
#define ONE(esc, reg, rm, fn, fl) [X87_IDX(esc, reg, rm)] = { fn, fl }

static const struct x87_entry x87_regs[512] = {
	/* D8: FADD FMUL FCOM FCOMP FSUB FSUBR FDIV FDIVR ST(0), ST(i) */
	ROW(0, 0, x87_arith_st0, 0), ROW(0, 1, x87_arith_st0, 0),
	ROW(0, 2, x87_fcom_sti, 0), ROW(0, 3, x87_fcom_sti, 0),
	ROW(0, 4, x87_arith_st0, 0), ROW(0, 5, x87_arith_st0, 0),
	ROW(0, 6, x87_arith_st0, 0), ROW(0, 7, x87_arith_st0, 0),
	/* D9 */
	ROW(1, 0, x87_fld_sti, 0), ROW(1, 1, x87_fxch, 0),
	ONE(1, 2, 0, x87_fnop, 0), ROW(1, 3, x87_fst_sti, 0),
	ONE(1, 4, 0, x87_d9_e0, 0), ONE(1, 4, 1, x87_d9_e0, 0),
	ONE(1, 4, 4, x87_d9_e0, 0), ONE(1, 4, 5, x87_d9_e0, 0),
	ONE(1, 5, 0, x87_d9_e8, 0), ONE(1, 5, 1, x87_d9_e8, 0),
	ONE(1, 5, 2, x87_d9_e8, 0), ONE(1, 5, 3, x87_d9_e8, 0),
	ONE(1, 5, 4, x87_d9_e8, 0), ONE(1, 5, 5, x87_d9_e8, 0),
	ONE(1, 5, 6, x87_d9_e8, 0),
	ROW(1, 6, x87_d9_f0, 0), ROW(1, 7, x87_d9_f0, 0),
	/* DA: FCMOVB FCMOVE FCMOVBE FCMOVU, FUCOMPP */
	ROW(2, 0, x87_fcmov, 0), ROW(2, 1, x87_fcmov, 0),
	ROW(2, 2, x87_fcmov, 0), ROW(2, 3, x87_fcmov, 0),
	ONE(2, 5, 1, x87_fucompp, 0),
	/* DB: FCMOVNB FCMOVNE FCMOVNBE FCMOVNU, FNENI..FNSETPM, FUCOMI,
	 * FCOMI */
	ROW(3, 0, x87_fcmov, 0), ROW(3, 1, x87_fcmov, 0),
	ROW(3, 2, x87_fcmov, 0), ROW(3, 3, x87_fcmov, 0),
	ONE(3, 4, 0, x87_db_e0, NOWAIT), ONE(3, 4, 1, x87_db_e0, NOWAIT),
	ONE(3, 4, 2, x87_db_e0, NOWAIT), ONE(3, 4, 3, x87_db_e0, NOWAIT),
	ONE(3, 4, 4, x87_db_e0, NOWAIT),
	ROW(3, 5, x87_fcomi, 0), ROW(3, 6, x87_fcomi, 0),
	/* DC: FADD FMUL FCOM2 FCOMP3 FSUBR FSUB FDIVR FDIV ST(i), ST(0) */
	ROW(4, 0, x87_arith_sti, 0), ROW(4, 1, x87_arith_sti, 0),
	ROW(4, 2, x87_fcom_sti, 0), ROW(4, 3, x87_fcom_sti, 0),
	ROW(4, 4, x87_arith_sti, 0), ROW(4, 5, x87_arith_sti, 0),
	ROW(4, 6, x87_arith_sti, 0), ROW(4, 7, x87_arith_sti, 0),
	/* DD: FFREE FXCH4 FST FSTP FUCOM FUCOMP */
	ROW(5, 0, x87_ffree, 0), ROW(5, 1, x87_fxch, 0),
	ROW(5, 2, x87_fst_sti, 0), ROW(5, 3, x87_fst_sti, 0),
	ROW(5, 4, x87_fucom, 0), ROW(5, 5, x87_fucom, 0),
	/* DE: FADDP FMULP FCOMP5 FCOMPP FSUBRP FSUBP FDIVRP FDIVP */
	ROW(6, 0, x87_arith_pop, 0), ROW(6, 1, x87_arith_pop, 0),
	ROW(6, 2, x87_fcom_sti, 0), ONE(6, 3, 1, x87_fcompp, 0),
	ROW(6, 4, x87_arith_pop, 0), ROW(6, 5, x87_arith_pop, 0),
	ROW(6, 6, x87_arith_pop, 0), ROW(6, 7, x87_arith_pop, 0),
	/* DF: FFREEP FXCH7 FSTP8 FSTP9 FNSTSW AX FUCOMIP FCOMIP */
	ROW(7, 0, x87_ffreep, 0), ROW(7, 1, x87_fxch, 0),
	ROW(7, 2, x87_fst_sti, 0), ROW(7, 3, x87_fst_sti, 0),
	ONE(7, 4, 0, x87_fnstsw, NOWAIT),
	ROW(7, 5, x87_fcomi, 0), ROW(7, 6, x87_fcomi, 0),
};

/* SDM Vol. 3A table 2-2: EM = 1 or TS = 1 makes every x87 instruction
 * #NM, before an undefined x87 opcode is found to be #UD (Vol. 3A
 * 22.18.6.6: such opcodes are not checked for pending errors either). */
static void esc_x87(struct cpu *c, const struct insn *i)
{
	if (c->cr0 & CR0_EM)
		cpu_raise(c, EXC_NM, "x87 instruction (%02X %02X) with CR0.EM = 1",
			  i->opcode, i->modrm);
	if (c->cr0 & CR0_TS)
		cpu_raise(c, EXC_NM, "x87 instruction (%02X %02X) with CR0.TS = 1",
			  i->opcode, i->modrm);
	if (!cpuid_has(c, FEAT_FPU))
		cpu_ud(c, "x87 instruction (%02X %02X): %s = 0 in this CPU model",
		       i->opcode, i->modrm, model_feature_name(FEAT_FPU));
	unsigned esc = i->opcode & 7;
	const struct x87_entry *e = i->mod == 3 ?
		&x87_regs[X87_IDX(esc, 0, 0) | (i->modrm & 0x3f)] :
		&x87_mem[esc][x87_reg(i)];
	if (!e->fn) {
		if (i->mod == 3)
			cpu_ud(c, "%02X %02X is a reserved x87 opcode", i->opcode,
			       i->modrm);
		cpu_ud(c, "%02X /%u with a memory operand is a reserved x87 opcode",
		       i->opcode, x87_reg(i));
	}
	if (!(e->flags & X87F_NOWAIT) && !x87_check_pending(c, "x87 instruction"))
		return;
	e->fn(c, i);
	if (e->flags & X87F_CONTROL)
		return;
	/* SDM Vol. 1 8.1.8, 8.1.9: the last non-control instruction's
	 * opcode (low 3 bits of the escape, then ModRM), its address
	 * (prefixes included) and its memory operand's address. */
	struct x87_state *x = &c->x87;
	x->fop = (uint16_t)(esc << 8 | i->modrm);
	x->fip = c->rip;
	x->fcs = c->seg[SEG_CS].sel;
	if (i->mod != 3) {
		x->fdp = insn_ea(c, i);
		x->fds = c->seg[i->seg].sel;
	}
}

/* WAIT checks TS only together with MP (table 2-2), then delivers a
 * pending unmasked exception. */
static void wait_fpu(struct cpu *c, const struct insn *i)
{
	(void)i;
	if ((c->cr0 & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS))
		cpu_raise(c, EXC_NM, "WAIT with CR0.MP = 1 and CR0.TS = 1");
	x87_check_pending(c, "WAIT");
}

IMPL_ANY(ESC_X87, esc_x87)
IMPL_ANY(WAIT, wait_fpu)
