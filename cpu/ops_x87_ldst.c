/* x87 loads and stores: FLD, FILD, FBLD, FST(P), FIST(P), FISTTP and
 * FBSTP in their memory and register forms (SDM Vol. 2 instruction
 * pages). A store checks that its memory operand is writable before the
 * status word changes, so that a #PF or #GP leaves the unit as it was. */
#include "cpu/x87_ops.h"

#include "cpu/mem.h"

static uint64_t off_at(const struct insn *i, uint64_t ea, unsigned k)
{
	return (ea + k) & size_mask(i->addrsize);
}

static struct f80 read_f80(struct cpu *c, const struct insn *i, uint64_t ea)
{
	uint64_t lo = mem_read64(c, i->seg, ea);
	uint16_t hi = mem_read16(c, i->seg, off_at(i, ea, 8));
	return (struct f80){ lo, hi };
}

static void probe_store(struct cpu *c, const struct insn *i, uint64_t ea,
			unsigned size)
{
	if (size == 10) {
		mem_probe_write(c, i->seg, ea, 8);
		mem_probe_write(c, i->seg, off_at(i, ea, 8), 2);
	} else {
		mem_probe_write(c, i->seg, ea, size);
	}
}

static void write_bytes10(struct cpu *c, const struct insn *i, uint64_t ea,
			  uint64_t lo, uint16_t hi)
{
	mem_write64(c, i->seg, ea, lo);
	mem_write16(c, i->seg, off_at(i, ea, 8), hi);
}

/* Pushes v, or handles the stack overflow a push would cause. */
static void push_checked(struct cpu *c, struct f80 v, unsigned flags)
{
	if (!x87_unmasked(c, flags & FP_X_IE))
		x87_push(c, v);
	x87_status(c, flags, false);
}

/* FLD m32fp (D9 /0), m64fp (DD /0), m80fp (DB /5). */
void x87_fld_mem(struct cpu *c, const struct insn *i)
{
	uint64_t ea = insn_ea(c, i);
	unsigned esc = i->opcode & 7;
	uint64_t raw = 0;
	struct f80 v80 = { 0, 0 };
	if (esc == 1)
		raw = mem_read32(c, i->seg, ea);
	else if (esc == 5)
		raw = mem_read64(c, i->seg, ea);
	else
		v80 = read_f80(c, i, ea);
	if (x87_push_overflows(c)) {
		if (x87_stack_fault(c, true))
			x87_push(c, fp_f80_default_nan());
		return;
	}
	/* A denormal source is loaded even when DE is unmasked (the value
	 * is exact; only an invalid SNaN stops the load). */
	struct fp_env env = x87_env(c);
	env.masks |= FP_X_DE;
	if (esc == 1)
		v80 = fp_f32_to_f80(&env, (uint32_t)raw);
	else if (esc == 5)
		v80 = fp_f64_to_f80(&env, raw);
	push_checked(c, v80, env.flags);
}

/* FLD ST(i) (D9 C0+i): ST(i) is read before the push. */
void x87_fld_sti(struct cpu *c, const struct insn *i)
{
	unsigned s = x87_rm(i);
	/* An empty source is found before a full destination. */
	if (x87_empty(c, s)) {
		if (x87_stack_fault(c, false))
			x87_push(c, fp_f80_default_nan());
		return;
	}
	if (x87_push_overflows(c)) {
		if (x87_stack_fault(c, true))
			x87_push(c, fp_f80_default_nan());
		return;
	}
	push_checked(c, x87_st(c, s), 0);
}

/* FILD m16int (DF /0), m32int (DB /0), m64int (DF /5): exact. */
void x87_fild(struct cpu *c, const struct insn *i)
{
	uint64_t ea = insn_ea(c, i);
	int64_t v;
	if ((i->opcode & 7) == 3)
		v = (int32_t)mem_read32(c, i->seg, ea);
	else if (x87_reg(i) == 5)
		v = (int64_t)mem_read64(c, i->seg, ea);
	else
		v = (int16_t)mem_read16(c, i->seg, ea);
	if (x87_push_overflows(c)) {
		if (x87_stack_fault(c, true))
			x87_push(c, fp_f80_default_nan());
		return;
	}
	push_checked(c, fp_int_to_f80(v), 0);
}

/* FBLD m80bcd (DF /4). */
void x87_fbld(struct cpu *c, const struct insn *i)
{
	uint64_t ea = insn_ea(c, i);
	struct f80 raw = read_f80(c, i, ea);
	uint8_t bcd[10];
	for (unsigned k = 0; k < 8; k++)
		bcd[k] = (uint8_t)(raw.signif >> (8 * k));
	bcd[8] = (uint8_t)raw.sign_exp;
	bcd[9] = (uint8_t)(raw.sign_exp >> 8);
	if (x87_push_overflows(c)) {
		if (x87_stack_fault(c, true))
			x87_push(c, fp_f80_default_nan());
		return;
	}
	push_checked(c, fp_bcd_to_f80(bcd), 0);
}

/* FST m32fp (D9 /2), FSTP m32fp (D9 /3), FST m64fp (DD /2), FSTP
 * m64fp (DD /3), FSTP m80fp (DB /7). An unmasked exception stores
 * nothing and keeps the stack (SDM Vol. 1 8.5.4, 8.5.5 for memory
 * destinations). */
void x87_fst_mem(struct cpu *c, const struct insn *i)
{
	uint64_t ea = insn_ea(c, i);
	unsigned esc = i->opcode & 7;
	unsigned size = esc == 1 ? 4 : esc == 5 ? 8 : 10;
	bool pop = x87_reg(i) != 2;
	probe_store(c, i, ea, size);
	struct fp_env env = x87_env(c);
	uint64_t v;
	struct f80 st0 = x87_st(c, 0);
	if (x87_empty(c, 0)) {
		if (!x87_stack_fault(c, false))
			return;
		env.flags = 0;
		env.c1 = false;
		st0 = fp_f80_default_nan();
		v = size == 4 ? FP_F32_DEFAULT_NAN : FP_F64_DEFAULT_NAN;
	} else if (size == 4) {
		v = fp_f80_to_f32(&env, st0);
	} else if (size == 8) {
		v = fp_f80_to_f64(&env, st0);
	} else {
		v = 0;
	}
	if (x87_unmasked(c, env.flags & (FP_X_IE | FP_X_DE | FP_X_OE |
					 FP_X_UE))) {
		x87_status(c, env.flags, false);
		return;
	}
	if (size == 10)
		write_bytes10(c, i, ea, st0.signif, st0.sign_exp);
	else
		mem_write(c, i->seg, ea, size, v);
	if (pop)
		x87_pop(c);
	x87_status(c, env.flags, env.c1);
}

/* FST ST(i) (DD D0+i), FSTP ST(i) (DD D8+i and the aliases DF D0+i,
 * DF D8+i, D9 D8+i). The undocumented D9 D8+i with an empty ST(0) only
 * pops, with no stack fault, as the processors this was checked on
 * do. */
void x87_fst_sti(struct cpu *c, const struct insn *i)
{
	unsigned s = x87_rm(i);
	bool pop = !((i->opcode & 7) == 5 && x87_reg(i) == 2);
	if ((i->opcode & 7) == 1 && x87_empty(c, 0)) {
		x87_pop(c);
		x87_status(c, 0, false);
		return;
	}
	if (x87_empty(c, 0)) {
		if (x87_stack_fault(c, false)) {
			x87_write(c, s, fp_f80_default_nan());
			if (pop)
				x87_pop(c);
		}
		return;
	}
	x87_write(c, s, x87_st(c, 0));
	if (pop)
		x87_pop(c);
	x87_status(c, 0, false);
}

/* FIST/FISTP/FISTTP: DB /1 /2 /3 (m32int), DD /1 (FISTTP m64int), DF /1
 * /2 /3 (m16int), DF /7 (FISTP m64int). */
void x87_fist(struct cpu *c, const struct insn *i)
{
	uint64_t ea = insn_ea(c, i);
	unsigned esc = i->opcode & 7, reg = x87_reg(i);
	unsigned bits = esc == 3 ? 32 : esc == 5 || reg == 7 ? 64 : 16;
	bool pop = reg != 2;
	probe_store(c, i, ea, bits / 8);
	struct fp_env env = x87_env(c);
	uint64_t v;
	if (x87_empty(c, 0)) {
		if (!x87_stack_fault(c, false))
			return;
		mem_write(c, i->seg, ea, bits / 8, 1ull << (bits - 1));
		if (pop)
			x87_pop(c);
		return;
	}
	v = fp_f80_to_int(&env, x87_st(c, 0), bits, reg == 1);
	if (!x87_unmasked(c, env.flags & FP_X_IE)) {
		mem_write(c, i->seg, ea, bits / 8, v);
		if (pop)
			x87_pop(c);
	}
	x87_status(c, env.flags, env.c1);
}

/* FBSTP m80bcd (DF /6). */
void x87_fbstp(struct cpu *c, const struct insn *i)
{
	uint64_t ea = insn_ea(c, i);
	probe_store(c, i, ea, 10);
	struct fp_env env = x87_env(c);
	uint8_t bcd[10] = { [7] = 0xc0, [8] = 0xff, [9] = 0xff };
	if (x87_empty(c, 0)) {
		if (!x87_stack_fault(c, false))
			return;
	} else {
		fp_f80_to_bcd(&env, x87_st(c, 0), bcd);
		if (x87_unmasked(c, env.flags & FP_X_IE)) {
			x87_status(c, env.flags, false);
			return;
		}
	}
	uint64_t lo = 0;
	for (unsigned k = 0; k < 8; k++)
		lo |= (uint64_t)bcd[k] << (8 * k);
	write_bytes10(c, i, ea, lo, (uint16_t)(bcd[8] | bcd[9] << 8));
	x87_pop(c);
	x87_status(c, env.flags, env.c1);
}
