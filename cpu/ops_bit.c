/* Bit instructions: BT BTS BTR BTC, BSF BSR, LZCNT TZCNT POPCNT (SDM Vol.
 * 2A/2B). */
#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/flags.h"

/* Flags the SDM leaves undefined, as the modelled vendor sets them.
 * Measured on AMD Zen 4 by tests/diff/alu_diff.c:
 *   BT/BTS/BTR/BTC: only CF changes;
 *   BSF/BSR: CF OF SF AF = 0, ZF = (source == 0), PF from the bit
 *            index (from 0 when the source is 0);
 *   LZCNT/TZCNT: OF keeps its value, SF AF PF = 0. */
static void bit_test_flags(struct cpu *c, bool bit)
{
	flags_set_cf(c, bit);
}

static void bit_scan_flags(struct cpu *c, uint64_t result, bool zero)
{
	uint64_t f = zero ? FLAG_ZF : 0;
	if (!__builtin_parity((unsigned)result & 0xff))
		f |= FLAG_PF;
	flags_set_arith(c, f);
}

static void bit_count_flags(struct cpu *c, bool cf, bool zf)
{
	uint64_t f = flags_arith(c) & FLAG_OF;
	flags_set_arith(c, f | (cf ? FLAG_CF : 0) | (zf ? FLAG_ZF : 0));
}

enum bt_op { BT_TEST, BT_SET, BT_RESET, BT_COMPLEMENT };

EXEC_INLINE uint64_t bt_apply(enum bt_op op, uint64_t v, uint64_t m)
{
	switch (op) {
	case BT_SET: return v | m;
	case BT_RESET: return v & ~m;
	case BT_COMPLEMENT: return v ^ m;
	default: return v;
	}
}

/* BTx E, G / E, Ib. With a memory operand and a register offset the
 * offset is signed and may address memory outside the operand: the
 * operand-size unit at EA + size * (offset DIV bits) is accessed (SDM
 * Vol. 2A BT, "bit base, bit offset"). An immediate offset is taken
 * modulo the operand size. */
EXEC_INLINE void bt_e(struct cpu *c, const struct insn *i, unsigned size,
		      bool mem, enum bt_op op, bool imm)
{
	unsigned bits = size * 8;
	uint64_t off = imm ? i->imm & 0xff : reg_read(c, i->reg, size);
	uint64_t ea = 0;
	if (mem) {
		ea = insn_ea(c, i);
		if (!imm) {
			int64_t unit = (int64_t)lf_sext(off, bits) >>
				       __builtin_ctz(bits);
			ea = (ea + (uint64_t)unit * size) &
			     size_mask(i->addrsize);
		}
	}
	uint64_t m = 1ull << (off & (bits - 1));
	uint64_t v = rm_read(c, i, size, mem, ea);
	if (op != BT_TEST)
		rm_write(c, i, size, mem, ea, bt_apply(op, v, m));
	bit_test_flags(c, v & m);
}

IMPL_V_RM(BT_EvGv, bt_e, BT_TEST, false)
IMPL_V_RM(BT_EvIb, bt_e, BT_TEST, true)
IMPL_V_RM(BTS_EvGv, bt_e, BT_SET, false)
IMPL_V_RM(BTS_EvIb, bt_e, BT_SET, true)
IMPL_V_RM(BTR_EvGv, bt_e, BT_RESET, false)
IMPL_V_RM(BTR_EvIb, bt_e, BT_RESET, true)
IMPL_V_RM(BTC_EvGv, bt_e, BT_COMPLEMENT, false)
IMPL_V_RM(BTC_EvIb, bt_e, BT_COMPLEMENT, true)

/* BSF / BSR: a zero source leaves the destination unchanged, as AMD
 * documents and Intel CPUs do (a 32-bit destination keeps its upper half
 * as well). */
EXEC_INLINE void bsx(struct cpu *c, const struct insn *i, unsigned size,
		     bool mem, bool reverse)
{
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	uint64_t v = rm_read(c, i, size, mem, ea);
	if (v == 0) {
		bit_scan_flags(c, 0, true);
		return;
	}
	uint64_t r = reverse ? 63u - (unsigned)__builtin_clzll(v)
			     : (unsigned)__builtin_ctzll(v);
	reg_write(c, i->reg, size, r);
	bit_scan_flags(c, r, false);
}

IMPL_V_RM(BSF_GvEv, bsx, false)
IMPL_V_RM(BSR_GvEv, bsx, true)

enum cnt_op { CNT_LZ, CNT_TZ, CNT_POP };

/* LZCNT / TZCNT: CF = (source == 0), ZF = (result == 0). POPCNT: all
 * flags 0 but ZF = (source == 0). */
EXEC_INLINE void bitcount(struct cpu *c, const struct insn *i, unsigned size,
			  bool mem, enum cnt_op op)
{
	unsigned bits = size * 8;
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	uint64_t v = rm_read(c, i, size, mem, ea);
	uint64_t r;
	switch (op) {
	case CNT_LZ:
		r = v ? (unsigned)__builtin_clzll(v) - (64 - bits) : bits;
		break;
	case CNT_TZ:
		r = v ? (unsigned)__builtin_ctzll(v) : bits;
		break;
	default:
		r = (unsigned)__builtin_popcountll(v);
		break;
	}
	reg_write(c, i->reg, size, r);
	if (op == CNT_POP)
		flags_set_arith(c, v == 0 ? FLAG_ZF : 0);
	else
		bit_count_flags(c, v == 0, r == 0);
}

IMPL_V_RM(LZCNT_GvEv, bitcount, CNT_LZ)
IMPL_V_RM(TZCNT_GvEv, bitcount, CNT_TZ)
IMPL_V_RM(POPCNT_GvEv, bitcount, CNT_POP)
