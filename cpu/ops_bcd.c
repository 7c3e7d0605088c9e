/* Decimal arithmetic adjustments DAA DAS AAA AAS AAM AAD (SDM Vol. 2A,
 * Operation sections). They are invalid in 64-bit mode; the decoder
 * raises that #UD. */
#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/flags.h"

static bool bcd_parity(uint64_t v)
{
	return !__builtin_parity((unsigned)v & 0xff);
}

/* SF ZF PF from an 8-bit result; CF AF OF given. */
static void bcd_set(struct cpu *c, uint64_t al, bool cf, bool af, bool of)
{
	al &= 0xff;
	flags_set_arith(c, (cf ? FLAG_CF : 0) | (af ? FLAG_AF : 0) |
			   (of ? FLAG_OF : 0) | (al == 0 ? FLAG_ZF : 0) |
			   (al & 0x80 ? FLAG_SF : 0) |
			   (bcd_parity(al) ? FLAG_PF : 0));
}

/* The flags the SDM leaves undefined, as the modelled vendor sets them.
 * Measured on AMD Zen 4 by tests/diff/alu_diff.c in a 32-bit code
 * segment:
 *   DAA/DAS: OF is the overflow of the 8-bit additions (subtractions) of
 *            6 and 60h they perform, in sequence;
 *   AAA/AAS: flags of the 16-bit AX +/- 106h (or of AX unchanged when
 *            there is nothing to adjust): SF ZF from 16 bits, PF from
 *            the low byte, OF the 16-bit overflow; CF = AF = adjusted;
 *   AAM: CF = AF = OF = 0; AAD: CF AF OF from the 8-bit addition
 *        AL + AH * imm8. */
static void bcd_aaa_flags(struct cpu *c, unsigned ax, unsigned d,
			  unsigned r, bool sub, bool adjust)
{
	unsigned ov = sub ? (ax ^ d) & (ax ^ r) : ~(ax ^ d) & (ax ^ r);
	flags_set_arith(c, (adjust ? FLAG_CF | FLAG_AF : 0) |
			   (ov & 0x8000 ? FLAG_OF : 0) |
			   (r == 0 ? FLAG_ZF : 0) |
			   (r & 0x8000 ? FLAG_SF : 0) |
			   (bcd_parity(r) ? FLAG_PF : 0));
}

static void bcd_daa(struct cpu *c, const struct insn *i)
{
	(void)i;
	unsigned al = reg_read(c, REG_RAX, 1), old_al = al;
	bool old_cf = flag_cf(c), cf = false, af = false, of = false;
	if ((al & 0xf) > 9 || flag_af(c)) {
		unsigned r = al + 6;
		of |= (~al & r & 0x80) != 0;
		cf = old_cf || r > 0xff;
		al = r & 0xff;
		af = true;
	}
	if (old_al > 0x99 || old_cf) {
		unsigned r = al + 0x60;
		of |= (~al & r & 0x80) != 0;
		al = r & 0xff;
		cf = true;
	}
	reg_write(c, REG_RAX, 1, al);
	bcd_set(c, al, cf, af, of);
}

static void bcd_das(struct cpu *c, const struct insn *i)
{
	(void)i;
	unsigned al = reg_read(c, REG_RAX, 1), old_al = al;
	bool old_cf = flag_cf(c), cf = false, af = false, of = false;
	if ((al & 0xf) > 9 || flag_af(c)) {
		unsigned r = al - 6;
		of |= (al & ~r & 0x80) != 0;
		cf = old_cf || al < 6;
		al = r & 0xff;
		af = true;
	}
	if (old_al > 0x99 || old_cf) {
		unsigned r = al - 0x60;
		of |= (al & ~r & 0x80) != 0;
		al = r & 0xff;
		cf = true;
	}
	reg_write(c, REG_RAX, 1, al);
	bcd_set(c, al, cf, af, of);
}

/* AAA: AX += 106h when adjusting; AAS: AX -= 6, then AH -= 1, i.e. AX -=
 * 106h (SDM Vol. 2A AAA, AAS). AL keeps only its low nibble. */
static void bcd_aaa_aas(struct cpu *c, bool sub)
{
	unsigned ax = reg_read(c, REG_RAX, 2);
	bool adjust = (ax & 0xf) > 9 || flag_af(c);
	unsigned d = adjust ? 0x106 : 0;
	unsigned full = (sub ? ax - d : ax + d) & 0xffff;
	reg_write(c, REG_RAX, 2, (full & 0xff00) | (full & 0x0f));
	bcd_aaa_flags(c, ax, d, full, sub, adjust);
}

static void bcd_aaa(struct cpu *c, const struct insn *i)
{
	(void)i;
	bcd_aaa_aas(c, false);
}

static void bcd_aas(struct cpu *c, const struct insn *i)
{
	(void)i;
	bcd_aaa_aas(c, true);
}

/* AAM imm8: AH = AL / imm8, AL = AL mod imm8; #DE for 0. */
static void bcd_aam(struct cpu *c, const struct insn *i)
{
	unsigned base = i->imm & 0xff;
	unsigned al = reg_read(c, REG_RAX, 1);
	if (base == 0)
		cpu_raise(c, EXC_DE, "AAM: divisor (imm8) is 0");
	unsigned r = al % base;
	reg_write(c, REG_RAX, 2, (al / base) << 8 | r);
	bcd_set(c, r, false, false, false);
}

/* AAD imm8: AL = AL + AH * imm8, AH = 0. */
static void bcd_aad(struct cpu *c, const struct insn *i)
{
	unsigned base = i->imm & 0xff;
	unsigned al = reg_read(c, REG_RAX, 1);
	unsigned t = (reg_read(c, INSN_REG_AH, 1) * base) & 0xff;
	unsigned r = (al + t) & 0xff;
	reg_write(c, REG_RAX, 2, r);
	uint64_t carries = lf_add_carries(al, t, r);
	bcd_set(c, r, (carries >> 7) & 1, (carries >> 3) & 1,
		((carries >> 7) ^ (carries >> 6)) & 1);
}

IMPL_ANY(DAA, bcd_daa)
IMPL_ANY(DAS, bcd_das)
IMPL_ANY(AAA, bcd_aaa)
IMPL_ANY(AAS, bcd_aas)
IMPL_ANY(AAM_Ib, bcd_aam)
IMPL_ANY(AAD_Ib, bcd_aad)
