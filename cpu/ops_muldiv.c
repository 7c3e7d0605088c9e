/* Multiply and divide: MUL IMUL DIV IDIV (SDM Vol. 2A/2B). Products and
 * dividends are held in 128 bits so that one body serves every width. */
#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/flags.h"

typedef unsigned __int128 u128;
typedef __int128 s128;

/* The flags the SDM leaves undefined, as the modelled vendor's CPUs set
 * them. Measured on AMD Zen 4 by tests/diff/alu_diff.c:
 *   MUL/IMUL: SF ZF AF PF keep their old values;
 *   DIV/IDIV: CF and OF keep their old values, SF = ZF = PF = 0, AF = 1.
 * Another vendor's rules go here. */
static void muldiv_mul_flags(struct cpu *c, bool overflow)
{
	flags_set_cf_of(c, overflow, overflow);
}

static void muldiv_div_flags(struct cpu *c)
{
	uint64_t keep = flags_arith(c) & (FLAG_CF | FLAG_OF);
	flags_set_arith(c, keep | FLAG_AF);
}

/* Writes the double-width result to AX (8-bit) or rDX:rAX. */
static void muldiv_write_pair(struct cpu *c, unsigned size, uint64_t lo,
			      uint64_t hi)
{
	if (size == 1) {
		reg_write(c, REG_RAX, 2, (lo & 0xff) | (hi & 0xff) << 8);
		return;
	}
	reg_write(c, REG_RAX, size, lo);
	reg_write(c, REG_RDX, size, hi);
}

/* The double-width dividend AX or rDX:rAX. */
static u128 muldiv_read_pair(const struct cpu *c, unsigned size)
{
	if (size == 1)
		return reg_read(c, REG_RAX, 2);
	return (u128)reg_read(c, REG_RDX, size) << (size * 8) |
	       reg_read(c, REG_RAX, size);
}

static s128 muldiv_sext(u128 v, unsigned bits)
{
	unsigned sh = 128 - bits;
	return (s128)(v << sh) >> sh;
}

/* MUL / IMUL with one operand: rDX:rAX = rAX * E. CF = OF = the upper
 * half is significant (SDM Vol. 2A IMUL, MUL). */
EXEC_INLINE void muldiv_mul1(struct cpu *c, const struct insn *i,
			     unsigned size, bool mem, bool sign)
{
	unsigned bits = size * 8;
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	uint64_t src = rm_read(c, i, size, mem, ea);
	uint64_t a = reg_read(c, REG_RAX, size);
	u128 p;
	bool ovf;
	if (sign) {
		s128 sp = muldiv_sext(a, bits) * muldiv_sext(src, bits);
		p = (u128)sp;
		ovf = muldiv_sext(p, bits) != sp;
	} else {
		p = (u128)a * src;
		ovf = (p >> bits) != 0;
	}
	uint64_t lo = (uint64_t)p & size_mask(size);
	uint64_t hi = (uint64_t)(p >> bits) & size_mask(size);
	muldiv_write_pair(c, size, lo, hi);
	muldiv_mul_flags(c, ovf);
}

IMPL_B_RM(MUL_Eb, muldiv_mul1, false)
IMPL_V_RM(MUL_Ev, muldiv_mul1, false)
IMPL_B_RM(IMUL_Eb, muldiv_mul1, true)
IMPL_V_RM(IMUL_Ev, muldiv_mul1, true)

/* IMUL G, E[, imm]: the product truncated to the operand size. */
EXEC_INLINE void muldiv_imul2(struct cpu *c, const struct insn *i,
			      unsigned size, bool mem, bool has_imm)
{
	unsigned bits = size * 8;
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	uint64_t src = rm_read(c, i, size, mem, ea);
	uint64_t other = has_imm ? i->imm : reg_read(c, i->reg, size);
	s128 sp = muldiv_sext(src, bits) * muldiv_sext(other, bits);
	reg_write(c, i->reg, size, (uint64_t)sp & size_mask(size));
	muldiv_mul_flags(c, muldiv_sext((u128)sp, bits) != sp);
}

IMPL_V_RM(IMUL_GvEv, muldiv_imul2, false)
IMPL_V_RM(IMUL_GvEvIz, muldiv_imul2, true)
IMPL_V_RM(IMUL_GvEvIb, muldiv_imul2, true)

/* DIV / IDIV: rAX = quotient, rDX (AH) = remainder; #DE for a zero
 * divisor or a quotient that does not fit (SDM Vol. 2A DIV, IDIV). The
 * signed case divides magnitudes so that no C division overflows. */
EXEC_INLINE void muldiv_div(struct cpu *c, const struct insn *i,
			    unsigned size, bool mem, bool sign)
{
	unsigned bits = size * 8;
	const char *name = sign ? "IDIV" : "DIV";
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	uint64_t src = rm_read(c, i, size, mem, ea);
	if (src == 0)
		cpu_raise(c, EXC_DE, "%s: divisor is 0", name);
	u128 dividend = muldiv_read_pair(c, size);
	uint64_t q, r;
	if (sign) {
		s128 n = muldiv_sext(dividend, 2 * bits);
		s128 d = muldiv_sext(src, bits);
		u128 un = n < 0 ? -(u128)n : (u128)n;
		u128 ud = d < 0 ? -(u128)d : (u128)d;
		u128 uq = un / ud, ur = un % ud;
		bool qneg = (n < 0) != (d < 0);
		u128 limit = (u128)1 << (bits - 1); /* |q| <= limit if q < 0 */
		if (qneg ? uq > limit : uq >= limit)
			cpu_raise(c, EXC_DE,
				  "IDIV: quotient %s0x%llx does not fit in %u "
				  "bits", qneg ? "-" : "",
				  (unsigned long long)uq, bits);
		q = (uint64_t)(qneg ? -uq : uq);
		r = (uint64_t)(n < 0 ? -ur : ur);
	} else {
		u128 uq = dividend / src;
		if (uq >> bits)
			cpu_raise(c, EXC_DE,
				  "DIV: quotient 0x%llx%016llx does not fit in "
				  "%u bits",
				  (unsigned long long)(uint64_t)(uq >> 64),
				  (unsigned long long)(uint64_t)uq, bits);
		q = (uint64_t)uq;
		r = (uint64_t)(dividend % src);
	}
	muldiv_write_pair(c, size, q & size_mask(size), r & size_mask(size));
	muldiv_div_flags(c);
}

IMPL_B_RM(DIV_Eb, muldiv_div, false)
IMPL_V_RM(DIV_Ev, muldiv_div, false)
IMPL_B_RM(IDIV_Eb, muldiv_div, true)
IMPL_V_RM(IDIV_Ev, muldiv_div, true)
