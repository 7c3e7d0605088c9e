/* Shifts and rotates: ROL ROR RCL RCR SHL SHR SAR, SHLD SHRD (SDM Vol. 2B
 * "RCL/RCR/ROL/ROR", "SAL/SAR/SHL/SHR", "SHLD", "SHRD"). The count is
 * masked to 5 bits (6 for 64-bit operands); a masked count of 0 changes
 * neither the operand nor the flags. */
#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/flags.h"

typedef unsigned __int128 u128;

enum shift_op { SH_ROL, SH_ROR, SH_RCL, SH_RCR, SH_SHL, SH_SHR, SH_SAR };
enum shift_count { CNT_ONE, CNT_CL, CNT_IMM };

/* Flags the SDM leaves undefined, as the modelled vendor sets them.
 * Measured on AMD Zen 4 by tests/diff/alu_diff.c: for a nonzero count
 * SHL/SHR/SAR/SHLD/SHRD set AF = 1, and OF follows the count-1 formula
 * for every count (SHL/SHLD: MSB(result) XOR CF; SHR/SAR/SHRD and the
 * rotates right: XOR of the two top result bits; ROL/RCL: MSB(result)
 * XOR CF). Rotates leave AF alone. */
static bool shift_undef_af(void)
{
	return true;
}

static inline bool shift_msb(uint64_t v, unsigned bits)
{
	return (v >> (bits - 1)) & 1;
}

/* Sets all six flags of a shift result. */
static void shift_set_flags(struct cpu *c, unsigned bits, uint64_t r,
			    bool cf, bool of)
{
	uint64_t f = (cf ? FLAG_CF : 0) | (of ? FLAG_OF : 0) |
		     (shift_undef_af() ? FLAG_AF : 0) |
		     (r == 0 ? FLAG_ZF : 0) |
		     (shift_msb(r, bits) ? FLAG_SF : 0) |
		     (__builtin_parity((unsigned)r & 0xff) ? 0 : FLAG_PF);
	flags_set_arith(c, f);
}

/* A masked count of 0 changes no flags and no value, but a 32-bit
 * register operand is still written, so its upper half is cleared (as
 * the host does). */
EXEC_INLINE void shift_count_zero(struct cpu *c, const struct insn *i,
				  unsigned size, bool mem, uint64_t a)
{
	if (!mem && size == 4)
		reg_write(c, i->rm, 4, a);
}

EXEC_INLINE unsigned shift_count(struct cpu *c, const struct insn *i,
				 unsigned size, enum shift_count how)
{
	unsigned n = how == CNT_ONE ? 1
		     : how == CNT_CL ? (unsigned)c->gpr[REG_RCX]
				     : (unsigned)i->imm;
	return n & (size == 8 ? 0x3f : 0x1f);
}

EXEC_INLINE void shift_e(struct cpu *c, const struct insn *i, unsigned size,
			 bool mem, enum shift_op op, enum shift_count how)
{
	unsigned bits = size * 8;
	uint64_t mask = size_mask(size);
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	uint64_t a = rm_read(c, i, size, mem, ea);
	unsigned n = shift_count(c, i, size, how);
	uint64_t r;
	bool cf, of;

	if (n == 0) {
		shift_count_zero(c, i, size, mem, a);
		return;
	}
	switch (op) {
	case SH_ROL:
	case SH_ROR: {
		unsigned k = n % bits;
		if (op == SH_ROR)
			k = (bits - k) % bits;
		r = k ? ((a << k) | (a >> (bits - k))) & mask : a;
		if (op == SH_ROL) {
			cf = r & 1;
			of = shift_msb(r, bits) ^ cf;
		} else {
			cf = shift_msb(r, bits);
			of = cf ^ shift_msb(r, bits - 1);
		}
		rm_write(c, i, size, mem, ea, r);
		flags_set_cf_of(c, cf, of);
		return;
	}
	case SH_RCL:
	case SH_RCR: {
		/* Rotate the bits+1 wide value CF:operand; 8- and 16-bit
		 * counts are taken modulo 9 and 17. */
		unsigned w = bits + 1, k = n % w;
		u128 v = (u128)flag_cf(c) << bits | a;
		u128 wmask = ((u128)1 << w) - 1;
		if (op == SH_RCR)
			k = (w - k) % w;
		if (k)
			v = ((v << k) | (v >> (w - k))) & wmask;
		r = (uint64_t)v & mask;
		cf = (v >> bits) & 1;
		if (op == SH_RCL)
			of = shift_msb(r, bits) ^ cf;
		else
			of = shift_msb(r, bits) ^ shift_msb(r, bits - 1);
		rm_write(c, i, size, mem, ea, r);
		flags_set_cf_of(c, cf, of);
		return;
	}
	case SH_SHL:
		/* Counts up to 31 may exceed an 8- or 16-bit operand: every
		 * bit is shifted out and CF is the last one (0 past it). */
		r = (a << n) & mask;
		cf = n <= bits ? (a >> (bits - n)) & 1 : 0;
		of = shift_msb(r, bits) ^ cf;
		break;
	case SH_SHR:
		r = a >> n;
		cf = (a >> (n - 1)) & 1;
		of = shift_msb(r, bits) ^ shift_msb(r, bits - 1);
		break;
	default: { /* SAR */
		int64_t s = (int64_t)lf_sext(a, bits);
		r = (uint64_t)(s >> n) & mask;
		cf = (s >> (n - 1)) & 1;
		of = false;
		break;
	}
	}
	rm_write(c, i, size, mem, ea, r);
	shift_set_flags(c, bits, r, cf, of);
}

#define SHIFT_FORMS(OP, op)                                                \
	IMPL_B_RM(OP##_Eb1, shift_e, op, CNT_ONE)                          \
	IMPL_V_RM(OP##_Ev1, shift_e, op, CNT_ONE)                          \
	IMPL_B_RM(OP##_EbCL, shift_e, op, CNT_CL)                          \
	IMPL_V_RM(OP##_EvCL, shift_e, op, CNT_CL)                          \
	IMPL_B_RM(OP##_EbIb, shift_e, op, CNT_IMM)                         \
	IMPL_V_RM(OP##_EvIb, shift_e, op, CNT_IMM)

SHIFT_FORMS(ROL, SH_ROL)
SHIFT_FORMS(ROR, SH_ROR)
SHIFT_FORMS(RCL, SH_RCL)
SHIFT_FORMS(RCR, SH_RCR)
SHIFT_FORMS(SHL, SH_SHL)
SHIFT_FORMS(SHR, SH_SHR)
SHIFT_FORMS(SAR, SH_SAR)

/* SHLD / SHRD E, G, count: E shifted with bits coming in from G. A 16-bit
 * operand with a count above 16 has an undefined result (SDM Vol. 2B
 * SHLD); the modelled vendor (AMD Zen 4, measured by tests/diff/
 * alu_diff.c) shifts the 48-bit pattern E:G:G for SHLD and G:G:E for
 * SHRD (high to low), i.e. G alone keeps rotating in, and sets CF = 0
 * and, for SHLD, OF = 0. At a count of exactly 16, SHLD sets OF = CF. */
EXEC_INLINE void shift_double(struct cpu *c, const struct insn *i,
			      unsigned size, bool mem, bool left,
			      enum shift_count how)
{
	unsigned bits = size * 8;
	uint64_t mask = size_mask(size);
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	uint64_t a = rm_read(c, i, size, mem, ea);
	uint64_t b = reg_read(c, i->reg, size);
	unsigned n = shift_count(c, i, size, how);
	uint64_t r;
	bool cf, of;

	if (n == 0) {
		shift_count_zero(c, i, size, mem, a);
		return;
	}
	/* For 32- and 64-bit operands the count stays below the width, so
	 * the third part never shows; for 64-bit it would not fit. */
	u128 x;
	if (bits == 64)
		x = left ? (u128)a << 64 | b : (u128)b << 64 | a;
	else if (left)
		x = (u128)a << (2 * bits) | (u128)b << bits | b;
	else
		x = (u128)b << (2 * bits) | (u128)b << bits | a;
	if (left) {
		unsigned top = bits == 64 ? 64 : 2 * bits; /* a's low bit */
		r = (uint64_t)(x >> (top - n)) & mask;
		cf = (x >> (top + bits - n)) & 1;
		of = shift_msb(r, bits) ^ cf;
	} else {
		r = (uint64_t)(x >> n) & mask;
		cf = (x >> (n - 1)) & 1;
		of = shift_msb(r, bits) ^ shift_msb(r, bits - 1);
	}
	if (n >= bits) {
		/* Only a 16-bit operand gets here (measured, see above):
		 * past 16, CF = 0 and SHLD's OF = 0; at 16, SHLD's OF = CF. */
		if (n > bits)
			cf = false;
		if (left)
			of = cf;
	}
	rm_write(c, i, size, mem, ea, r);
	shift_set_flags(c, bits, r, cf, of);
}

IMPL_V_RM(SHLD_EvGvIb, shift_double, true, CNT_IMM)
IMPL_V_RM(SHLD_EvGvCL, shift_double, true, CNT_CL)
IMPL_V_RM(SHRD_EvGvIb, shift_double, false, CNT_IMM)
IMPL_V_RM(SHRD_EvGvCL, shift_double, false, CNT_CL)
