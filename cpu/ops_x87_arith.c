/* x87 arithmetic, comparisons and the register-only instructions: FADD
 * to FDIVR in every form, FCOM/FUCOM/FCOMI and their popping forms,
 * FCMOVcc, FXCH, FFREE, the D9 E0-FF group (FCHS to FCOS) and the
 * constants (SDM Vol. 2 instruction pages, Vol. 1 8.3, 8.5). Values come
 * from cpu/fp.h; this file applies the stack, tag and status-word rules
 * and the masked and unmasked responses. */
#include "cpu/x87_ops.h"

#include "cpu/flags.h"
#include "cpu/mem.h"

/* ModRM.reg of the arithmetic group, as D8 orders it. */
enum { OP_ADD, OP_MUL, OP_COM, OP_COMP, OP_SUB, OP_SUBR, OP_DIV, OP_DIVR };

static struct f80 arith(struct fp_env *env, unsigned op, struct f80 a,
			struct f80 b)
{
	switch (op) {
	case OP_ADD: return fp_f80_add(env, a, b);
	case OP_MUL: return fp_f80_mul(env, a, b);
	case OP_SUB: return fp_f80_sub(env, a, b);
	case OP_SUBR: return fp_f80_sub(env, b, a);
	case OP_DIV: return fp_f80_div(env, a, b);
	default: return fp_f80_div(env, b, a);
	}
}

/* The flags a memory operand's widening raised count only if the
 * operation gets that far: a NaN or unsupported ST(0) is dealt with
 * first (SDM Vol. 1 8.5: invalid operands before denormal ones), and so
 * is a zero divisor (divides_by_a: ST(0) = operand / ST(0)). Sets
 * env's flags to what counts; returns false if an unmasked denormal
 * exception stops the instruction there. */
static bool operand_flags(struct cpu *c, struct fp_env *env, struct f80 a,
			  unsigned pre_flags, bool divides_by_a)
{
	enum fp_class k = fp_f80_class(a);
	if (k == FP_CLASS_QNAN || k == FP_CLASS_SNAN ||
	    k == FP_CLASS_UNSUPPORTED)
		pre_flags = 0;
	/* Division by zero comes before a denormal operand (SDM Vol. 1
	 * 8.5, priorities 3 and 4). */
	if (divides_by_a && k == FP_CLASS_ZERO)
		pre_flags = 0;
	env->flags = (uint8_t)pre_flags;
	return !x87_unmasked(c, pre_flags & FP_X_DE);
}

/* DEST = DEST op SRC with DEST = ST(dst); a is DEST's value, b SRC's,
 * pre_flags what widening a memory operand raised. Pops afterwards if
 * pop. An empty operand register is a stack underflow whose masked
 * response writes the QNaN indefinite. */
static void arith_to(struct cpu *c, unsigned op, unsigned dst, bool empty,
		     struct f80 a, struct f80 b, unsigned pre_flags, bool pop)
{
	if (empty) {
		if (x87_stack_fault(c, false)) {
			x87_write(c, dst, fp_f80_default_nan());
			if (pop)
				x87_pop(c);
		}
		return;
	}
	struct fp_env env = x87_env(c);
	struct f80 st0 = dst == 0 ? a : b;
	if (!operand_flags(c, &env, st0, pre_flags, dst == 0 && op == OP_DIVR)) {
		x87_status(c, env.flags, false);
		return;
	}
	struct f80 r = arith(&env, op, a, b);
	if (x87_may_write(c, env.flags)) {
		x87_write(c, dst, r);
		if (pop)
			x87_pop(c);
	}
	x87_status(c, env.flags, env.c1);
}

/* ---- comparisons ---- */

/* FSW condition codes of a relation (SDM Vol. 2A FCOM table). */
static uint16_t rel_cc(enum fp_rel rel)
{
	switch (rel) {
	case FP_REL_GT: return 0;
	case FP_REL_LT: return FSW_C0;
	case FP_REL_EQ: return FSW_C3;
	default: return FSW_C3 | FSW_C2 | FSW_C0;
	}
}

/* Compares ST(0) with b and pops pops times. Masked stack underflow and
 * masked invalid operands give "unordered"; an unmasked exception
 * before the comparison leaves the condition codes and the stack. */
static void compare(struct cpu *c, bool empty, struct f80 b,
		    unsigned pre_flags, bool signalling, unsigned pops)
{
	if (empty) {
		if (x87_stack_fault(c, false)) {
			x87_cc(c, FSW_C3 | FSW_C2 | FSW_C0,
			       FSW_C3 | FSW_C2 | FSW_C0);
			while (pops--)
				x87_pop(c);
		}
		return;
	}
	struct fp_env env = x87_env(c);
	if (!operand_flags(c, &env, x87_st(c, 0), pre_flags, false)) {
		x87_status(c, env.flags, false);
		return;
	}
	enum fp_rel rel = fp_f80_compare(&env, x87_st(c, 0), b, signalling);
	if (x87_may_write(c, env.flags)) {
		x87_cc(c, FSW_C3 | FSW_C2 | FSW_C0, rel_cc(rel));
		while (pops--)
			x87_pop(c);
	}
	x87_status(c, env.flags, false);
}

/* Reads the memory operand of D8/DA/DC/DE /r and widens it: m32fp,
 * m32int, m64fp, m16int. */
static struct f80 mem_operand(struct cpu *c, const struct insn *i,
			      struct fp_env *env)
{
	uint64_t ea = insn_ea(c, i);
	switch (i->opcode & 7) {
	case 0: return fp_f32_to_f80_operand(env, mem_read32(c, i->seg, ea));
	case 2: return fp_int_to_f80((int32_t)mem_read32(c, i->seg, ea));
	case 4: return fp_f64_to_f80_operand(env, mem_read64(c, i->seg, ea));
	default: return fp_int_to_f80((int16_t)mem_read16(c, i->seg, ea));
	}
}

void x87_arith_mem(struct cpu *c, const struct insn *i)
{
	/* Widened with every exception masked, so that b is the exact
	 * value whatever happens to its DE (operand_flags()). */
	struct fp_env env = x87_env(c);
	env.masks = FP_X_ALL;
	struct f80 b = mem_operand(c, i, &env);
	unsigned op = x87_reg(i);
	bool empty = x87_empty(c, 0);
	/* The operand's conversion flags (DE, and nothing else: a SNaN
	 * stays signalling) count only when the operation happens. */
	if (op == OP_COM || op == OP_COMP)
		compare(c, empty, b, env.flags, true, op == OP_COMP);
	else
		arith_to(c, op, 0, empty, x87_st(c, 0), b, env.flags, false);
}

void x87_arith_st0(struct cpu *c, const struct insn *i)
{
	unsigned s = x87_rm(i);
	arith_to(c, x87_reg(i), 0, x87_empty(c, 0) || x87_empty(c, s),
		 x87_st(c, 0), x87_st(c, s), 0, false);
}

/* DC and DE: ST(i) = ST(i) op ST(0); /4../7 are FSUBR FSUB FDIVR FDIV
 * (the reverse of D8's order). */
static void arith_rev(struct cpu *c, const struct insn *i, bool pop)
{
	unsigned s = x87_rm(i), op = x87_reg(i);
	if (op >= OP_SUB)
		op ^= 1;
	arith_to(c, op, s, x87_empty(c, 0) || x87_empty(c, s), x87_st(c, s),
		 x87_st(c, 0), 0, pop);
}

void x87_arith_sti(struct cpu *c, const struct insn *i)
{
	arith_rev(c, i, false);
}

void x87_arith_pop(struct cpu *c, const struct insn *i)
{
	arith_rev(c, i, true);
}

/* FCOM ST(i) (D8 D0, DC D0), FCOMP ST(i) (D8 D8, DC D8, DE D0). */
void x87_fcom_sti(struct cpu *c, const struct insn *i)
{
	unsigned s = x87_rm(i);
	bool pop = x87_reg(i) == OP_COMP || (i->opcode & 7) == 6;
	compare(c, x87_empty(c, 0) || x87_empty(c, s), x87_st(c, s), 0, true,
		pop);
}

void x87_fcompp(struct cpu *c, const struct insn *i)
{
	(void)i;
	compare(c, x87_empty(c, 0) || x87_empty(c, 1), x87_st(c, 1), 0, true, 2);
}

/* FUCOM ST(i) (DD E0), FUCOMP ST(i) (DD E8). */
void x87_fucom(struct cpu *c, const struct insn *i)
{
	unsigned s = x87_rm(i);
	compare(c, x87_empty(c, 0) || x87_empty(c, s), x87_st(c, s), 0, false,
		x87_reg(i) == 5);
}

void x87_fucompp(struct cpu *c, const struct insn *i)
{
	(void)i;
	compare(c, x87_empty(c, 0) || x87_empty(c, 1), x87_st(c, 1), 0, false,
		2);
}

/* FUCOMI (DB E8), FCOMI (DB F0), FUCOMIP (DF E8), FCOMIP (DF F0): the
 * relation in ZF, PF, CF; OF, SF, AF cleared (SDM Vol. 2A FCOMI). */
void x87_fcomi(struct cpu *c, const struct insn *i)
{
	unsigned s = x87_rm(i);
	bool signalling = x87_reg(i) == 6, pop = (i->opcode & 7) == 7;
	static const uint64_t rel_flags[] = {
		[FP_REL_GT] = 0, [FP_REL_LT] = FLAG_CF, [FP_REL_EQ] = FLAG_ZF,
		[FP_REL_UN] = FLAG_ZF | FLAG_PF | FLAG_CF,
	};
	if (x87_empty(c, 0) || x87_empty(c, s)) {
		if (x87_stack_fault(c, false)) {
			flags_set_arith(c, rel_flags[FP_REL_UN]);
			if (pop)
				x87_pop(c);
		}
		return;
	}
	struct fp_env env = x87_env(c);
	enum fp_rel rel = fp_f80_compare(&env, x87_st(c, 0), x87_st(c, s),
					 signalling);
	if (x87_may_write(c, env.flags)) {
		flags_set_arith(c, rel_flags[rel]);
		if (pop)
			x87_pop(c);
	}
	x87_status(c, env.flags, false);
}

/* FCMOVcc (DA C0-DF, DB C0-DF): B E BE U and their negations. */
void x87_fcmov(struct cpu *c, const struct insn *i)
{
	unsigned s = x87_rm(i);
	bool cond;
	switch (x87_reg(i)) {
	case 0: cond = flag_cf(c); break;
	case 1: cond = flag_zf(c); break;
	case 2: cond = flag_cf(c) || flag_zf(c); break;
	default: cond = flag_pf(c); break;
	}
	if ((i->opcode & 7) == 3)
		cond = !cond;
	/* The masked response of a stack underflow writes the QNaN
	 * indefinite whatever the condition. */
	if (x87_empty(c, 0) || x87_empty(c, s)) {
		if (x87_stack_fault(c, false))
			x87_write(c, 0, fp_f80_default_nan());
		return;
	}
	/* C1 is defined only for a stack underflow (SDM Vol. 2A FCMOVcc)
	 * and keeps its value otherwise, as processors do. */
	if (cond)
		x87_write(c, 0, x87_st(c, s));
}

/* FXCH: an empty register takes part as the QNaN indefinite when IE is
 * masked (SDM Vol. 2A FXCH). */
void x87_fxch(struct cpu *c, const struct insn *i)
{
	unsigned s = x87_rm(i);
	struct f80 a = x87_st(c, 0), b = x87_st(c, s);
	if (x87_empty(c, 0) || x87_empty(c, s)) {
		if (!x87_stack_fault(c, false))
			return;
		if (x87_empty(c, 0))
			a = fp_f80_default_nan();
		if (x87_empty(c, s))
			b = fp_f80_default_nan();
		x87_write(c, 0, b);
		x87_write(c, s, a);
		return;
	}
	x87_write(c, 0, b);
	x87_write(c, s, a);
	x87_status(c, 0, false);
}

void x87_ffree(struct cpu *c, const struct insn *i)
{
	x87_set_tag(c, x87_phys(c, x87_rm(i)), X87_TAG_EMPTY);
}

void x87_ffreep(struct cpu *c, const struct insn *i)
{
	x87_ffree(c, i);
	x87_pop(c);
}

void x87_fnop(struct cpu *c, const struct insn *i)
{
	(void)c, (void)i;
}

/* ---- D9 E0-E5: FCHS FABS FTST FXAM ---- */

void x87_d9_e0(struct cpu *c, const struct insn *i)
{
	unsigned rm = x87_rm(i);
	if (rm == 5) {
		uint16_t cc = fp_f80_xam(x87_st(c, 0), x87_empty(c, 0));
		x87_cc(c, FSW_CC, cc);
		return;
	}
	if (rm == 4) {
		compare(c, x87_empty(c, 0), (struct f80){ 0, 0 }, 0, true, 0);
		return;
	}
	if (x87_empty(c, 0)) {
		if (x87_stack_fault(c, false))
			x87_write(c, 0, fp_f80_default_nan());
		return;
	}
	struct f80 v = x87_st(c, 0);
	x87_write(c, 0, rm == 0 ? fp_f80_chs(v) : fp_f80_abs(v));
	x87_status(c, 0, false);
}

/* ---- D9 E8-EE: FLD1 FLDL2T FLDL2E FLDPI FLDLG2 FLDLN2 FLDZ ---- */

void x87_d9_e8(struct cpu *c, const struct insn *i)
{
	static const enum fp_const k[] = { 0, FP_CONST_L2T, FP_CONST_L2E,
		FP_CONST_PI, FP_CONST_LG2, FP_CONST_LN2, 0 };
	unsigned rm = x87_rm(i);
	if (x87_push_overflows(c)) {
		if (x87_stack_fault(c, true))
			x87_push(c, fp_f80_default_nan());
		return;
	}
	struct fp_env env = x87_env(c);
	struct f80 v;
	if (rm == 0)
		v = (struct f80){ 1ull << 63, 0x3fff };
	else if (rm == 6)
		v = (struct f80){ 0, 0 };
	else
		v = fp_f80_const(&env, k[rm]);
	x87_push(c, v);
	x87_status(c, 0, false);
}

/* ---- D9 F0-FF ---- */

enum { F_2XM1, F_YL2X, F_PTAN, F_PATAN, F_XTRACT, F_PREM1, F_DECSTP,
       F_INCSTP, F_PREM, F_YL2XP1, F_SQRT, F_SINCOS, F_RNDINT, F_SCALE,
       F_SIN, F_COS };

/* ST(0) = f(ST(0)). */
static void unary(struct cpu *c, unsigned f)
{
	/* FSIN, FCOS: C2 = 1 only for an operand out of range; every other
	 * outcome, a stack fault included, clears it. */
	if (f == F_SIN || f == F_COS)
		x87_cc(c, FSW_C2, 0);
	if (x87_empty(c, 0)) {
		if (x87_stack_fault(c, false))
			x87_write(c, 0, fp_f80_default_nan());
		return;
	}
	struct fp_env env = x87_env(c);
	struct f80 a = x87_st(c, 0), r;
	bool in_range = true;
	switch (f) {
	case F_2XM1: r = fp_f80_f2xm1(&env, a); break;
	case F_SQRT: r = fp_f80_sqrt(&env, a); break;
	case F_RNDINT: r = fp_f80_round_int(&env, a); break;
	case F_SIN: in_range = fp_f80_sin(&env, a, &r); break;
	default: in_range = fp_f80_cos(&env, a, &r); break;
	}
	if (f == F_SIN || f == F_COS) {
		/* C2 = 1: the operand is out of range and stays (SDM Vol.
		 * 2A FSIN). */
		x87_cc(c, FSW_C2, in_range ? 0 : FSW_C2);
		if (!in_range) {
			x87_status(c, env.flags, false);
			return;
		}
	}
	if (x87_may_write(c, env.flags))
		x87_write(c, 0, r);
	x87_status(c, env.flags, env.c1);
}

/* ST(0) = f(ST(0), ST(1)): FPREM, FPREM1, FSCALE. */
static void with_st1(struct cpu *c, unsigned f)
{
	/* FPREM, FPREM1: C2 = 1 only for an incomplete reduction; when no
	 * remainder is computed (stack fault, NaN result) C2 and C1 are 0
	 * and C0, C3 keep their values. */
	if (f != F_SCALE)
		x87_cc(c, FSW_C2, 0);
	if (x87_empty(c, 0) || x87_empty(c, 1)) {
		if (x87_stack_fault(c, false))
			x87_write(c, 0, fp_f80_default_nan());
		return;
	}
	struct fp_env env = x87_env(c);
	struct f80 a = x87_st(c, 0), b = x87_st(c, 1), r;
	uint16_t cc = 0;
	if (f == F_SCALE)
		r = fp_f80_scale(&env, a, b);
	else
		r = fp_f80_prem(&env, a, b, f == F_PREM1, &cc);
	if (!x87_may_write(c, env.flags)) {
		x87_status(c, env.flags, false);
		return;
	}
	x87_write(c, 0, r);
	if (f == F_SCALE) {
		x87_status(c, env.flags, env.c1);
		return;
	}
	enum fp_class k = fp_f80_class(r);
	if (k == FP_CLASS_QNAN || k == FP_CLASS_SNAN) {
		x87_status(c, env.flags, false);
		return;
	}
	x87_cc(c, FSW_C0 | FSW_C2 | FSW_C3, cc);
	x87_status(c, env.flags, (cc & FSW_C1) != 0);
}

/* ST(1) = f(ST(0), ST(1)), then pop: FYL2X, FYL2XP1, FPATAN. */
static void to_st1_pop(struct cpu *c, unsigned f)
{
	if (x87_empty(c, 0) || x87_empty(c, 1)) {
		if (x87_stack_fault(c, false)) {
			x87_write(c, 1, fp_f80_default_nan());
			x87_pop(c);
		}
		return;
	}
	struct fp_env env = x87_env(c);
	struct f80 a = x87_st(c, 0), b = x87_st(c, 1), r;
	if (f == F_YL2X)
		r = fp_f80_fyl2x(&env, a, b);
	else if (f == F_YL2XP1)
		r = fp_f80_fyl2xp1(&env, a, b);
	else
		r = fp_f80_atan(&env, a, b);
	if (x87_may_write(c, env.flags)) {
		x87_write(c, 1, r);
		x87_pop(c);
	}
	x87_status(c, env.flags, env.c1);
}

/* ST(0) = first, then push second: FPTAN (tan, 1.0), FSINCOS (sin,
 * cos), FXTRACT (exponent, significand). */
static void push_pair(struct cpu *c, unsigned f)
{
	if (f != F_XTRACT)
		x87_cc(c, FSW_C2, 0);
	if (x87_empty(c, 0)) {
		if (x87_stack_fault(c, false)) {
			x87_write(c, 0, fp_f80_default_nan());
			x87_push(c, fp_f80_default_nan());
		}
		return;
	}
	if (x87_push_overflows(c)) {
		if (x87_stack_fault(c, true)) {
			x87_write(c, 0, fp_f80_default_nan());
			x87_push(c, fp_f80_default_nan());
		}
		return;
	}
	struct fp_env env = x87_env(c);
	struct f80 a = x87_st(c, 0), first, second;
	bool in_range = true;
	if (f == F_PTAN) {
		/* A NaN result is pushed in place of 1.0 as well. */
		in_range = fp_f80_tan(&env, a, &first);
		enum fp_class k = fp_f80_class(first);
		second = k == FP_CLASS_QNAN || k == FP_CLASS_SNAN ? first :
			 (struct f80){ 1ull << 63, 0x3fff };
	} else if (f == F_SINCOS) {
		in_range = fp_f80_sincos(&env, a, &first, &second);
	} else {
		first = fp_f80_xtract(&env, a, &second);
	}
	if (f != F_XTRACT) {
		x87_cc(c, FSW_C2, in_range ? 0 : FSW_C2);
		if (!in_range) {
			x87_status(c, env.flags, false);
			return;
		}
	}
	if (x87_may_write(c, env.flags)) {
		x87_write(c, 0, first);
		x87_push(c, second);
	}
	x87_status(c, env.flags, env.c1);
}

void x87_d9_f0(struct cpu *c, const struct insn *i)
{
	unsigned f = (i->modrm >> 3 & 1) << 3 | x87_rm(i);
	switch (f) {
	case F_2XM1: case F_SQRT: case F_RNDINT: case F_SIN: case F_COS:
		unary(c, f);
		break;
	case F_PREM: case F_PREM1: case F_SCALE:
		with_st1(c, f);
		break;
	case F_YL2X: case F_YL2XP1: case F_PATAN:
		to_st1_pop(c, f);
		break;
	case F_PTAN: case F_SINCOS: case F_XTRACT:
		push_pair(c, f);
		break;
	case F_DECSTP:
		x87_set_top(c, x87_top(c) - 1);
		x87_status(c, 0, false);
		break;
	default: /* F_INCSTP */
		x87_set_top(c, x87_top(c) + 1);
		x87_status(c, 0, false);
		break;
	}
}
