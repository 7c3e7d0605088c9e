/* Data movement and conversion: MOV, MOVZX/MOVSX/MOVSXD, LEA, XCHG,
 * CMOVcc, SETcc, BSWAP, MOVBE, CMPXCHG/CMPXCHG8B/16B, XADD, CBW/CWD
 * families, flag instructions, XLAT, SALC, fences, cache-line flush and
 * prefetch hints (SDM Vol. 2A-2C). */
#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/flags.h"

/* The moffs operand of MOV A0-A3 is an address-size offset. */
static uint64_t data_moffs(const struct insn *i)
{
	return (uint64_t)i->disp & size_mask(i->addrsize);
}

/* MOV E, G and MOV G, E */
EXEC_INLINE void mov_eg(struct cpu *c, const struct insn *i, unsigned size,
			bool mem)
{
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	rm_write(c, i, size, mem, ea, reg_read(c, i->reg, size));
}

EXEC_INLINE void mov_ge(struct cpu *c, const struct insn *i, unsigned size,
			bool mem)
{
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	reg_write(c, i->reg, size, rm_read(c, i, size, mem, ea));
}

EXEC_INLINE void mov_ei(struct cpu *c, const struct insn *i, unsigned size,
			bool mem)
{
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	rm_write(c, i, size, mem, ea, i->imm & size_mask(size));
}

EXEC_INLINE void mov_zi(struct cpu *c, const struct insn *i, unsigned size,
			bool mem)
{
	(void)mem;
	reg_write(c, i->rm, size, i->imm);
}

EXEC_INLINE void mov_a_moffs(struct cpu *c, const struct insn *i,
			     unsigned size, bool mem)
{
	(void)mem;
	reg_write(c, REG_RAX, size, memf_read(c, i->seg, data_moffs(i), size));
}

EXEC_INLINE void mov_moffs_a(struct cpu *c, const struct insn *i,
			     unsigned size, bool mem)
{
	(void)mem;
	memf_write(c, i->seg, data_moffs(i), size,
		   reg_read(c, REG_RAX, size));
}

IMPL_B_RM(MOV_EbGb, mov_eg)
IMPL_V_RM(MOV_EvGv, mov_eg)
IMPL_B_RM(MOV_GbEb, mov_ge)
IMPL_V_RM(MOV_GvEv, mov_ge)
IMPL_B_NM(MOV_ALOb, mov_a_moffs)
IMPL_V_NM(MOV_rAXOv, mov_a_moffs)
IMPL_B_NM(MOV_ObAL, mov_moffs_a)
IMPL_V_NM(MOV_OvrAX, mov_moffs_a)
IMPL_B_NM(MOV_ZbIb, mov_zi)
IMPL_V_NM(MOV_ZvIv, mov_zi)
IMPL_B_RM(MOV_EbIb, mov_ei)
IMPL_V_RM(MOV_EvIz, mov_ei)

/* MOVZX / MOVSX / MOVSXD G, E: the source has its own size. MOVSXD with
 * a 16- or 32-bit operand size copies without extension. */
EXEC_INLINE void movx(struct cpu *c, const struct insn *i, unsigned size,
		      bool mem, unsigned src_size, bool sign)
{
	if (src_size > size)
		src_size = size;
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	uint64_t v = rm_read(c, i, src_size, mem, ea);
	if (sign)
		v = lf_sext(v, src_size * 8);
	reg_write(c, i->reg, size, v);
}

IMPL_V_RM(MOVZX_GvEb, movx, 1, false)
IMPL_V_RM(MOVZX_GvEw, movx, 2, false)
IMPL_V_RM(MOVSX_GvEb, movx, 1, true)
IMPL_V_RM(MOVSX_GvEw, movx, 2, true)
IMPL_V_RM(MOVSXD_GvEd, movx, 4, true)

/* LEA: the address-size effective address, truncated or zero-extended
 * to the operand size (SDM Vol. 2A LEA, table 3-54). */
EXEC_INLINE void lea(struct cpu *c, const struct insn *i, unsigned size,
		     bool mem)
{
	(void)mem;
	reg_write(c, i->reg, size, insn_ea(c, i));
}

IMPL_V_M(LEA_GvM, lea)

/* XCHG E, G. With a memory operand the exchange is locked whether or not
 * LOCK is given (SDM Vol. 2C XCHG); one CPU runs at a time, so the read
 * and the write here are already indivisible. */
EXEC_INLINE void xchg_eg(struct cpu *c, const struct insn *i, unsigned size,
			 bool mem)
{
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	uint64_t e = rm_read(c, i, size, mem, ea);
	uint64_t g = reg_read(c, i->reg, size);
	rm_write(c, i, size, mem, ea, g);
	reg_write(c, i->reg, size, e);
}

EXEC_INLINE void xchg_za(struct cpu *c, const struct insn *i, unsigned size,
			 bool mem)
{
	(void)mem;
	uint64_t a = reg_read(c, REG_RAX, size);
	uint64_t z = reg_read(c, i->rm, size);
	reg_write(c, REG_RAX, size, z);
	reg_write(c, i->rm, size, a);
}

IMPL_B_RM(XCHG_EbGb, xchg_eg)
IMPL_V_RM(XCHG_EvGv, xchg_eg)
IMPL_V_NM(XCHG_ZvrAX, xchg_za)

/* NOP, PAUSE and the multi-byte NOP Ev (which accesses no memory). */
static void data_nop(struct cpu *c, const struct insn *i)
{
	(void)c;
	(void)i;
}

IMPL_ANY(NOP, data_nop)
IMPL_ANY(PAUSE, data_nop)
IMPL_ANY(NOP_Ev, data_nop)

/* CBW/CWDE/CDQE: rAX = sign-extended lower half; CWD/CDQ/CQO: rDX = the
 * sign of rAX. */
EXEC_INLINE void cbw(struct cpu *c, const struct insn *i, unsigned size,
		     bool mem)
{
	(void)i;
	(void)mem;
	reg_write(c, REG_RAX, size,
		  lf_sext(reg_read(c, REG_RAX, size / 2), size * 4));
}

EXEC_INLINE void cwd(struct cpu *c, const struct insn *i, unsigned size,
		     bool mem)
{
	(void)i;
	(void)mem;
	bool neg = (reg_read(c, REG_RAX, size) >> (size * 8 - 1)) & 1;
	reg_write(c, REG_RDX, size, neg ? ~0ull : 0);
}

IMPL_V_NM(CBW, cbw)
IMPL_V_NM(CWD, cwd)

/* CMOVcc: the source is read whatever the condition. A 32-bit CMOV in
 * 64-bit mode zero-extends the destination even when the condition is
 * false (SDM Vol. 2A CMOVcc). */
EXEC_INLINE void cmov(struct cpu *c, const struct insn *i, unsigned size,
		      bool mem)
{
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	uint64_t v = rm_read(c, i, size, mem, ea);
	if (flags_cond(c, i->opcode & 0xf))
		reg_write(c, i->reg, size, v);
	else if (size == 4)
		reg_write(c, i->reg, 4, reg_read(c, i->reg, 4));
}

EXEC_INLINE void setcc(struct cpu *c, const struct insn *i, unsigned size,
		       bool mem)
{
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	rm_write(c, i, size, mem, ea, flags_cond(c, i->opcode & 0xf));
}

IMPL_V_RM(CMOVcc_GvEv, cmov)
IMPL_B_RM(SETcc_Eb, setcc)

/* Byte swap of size bytes (MOVBE swaps 2, 4 or 8). */
static uint64_t data_bswap(uint64_t v, unsigned size)
{
	switch (size) {
	case 2: return __builtin_bswap16((uint16_t)v);
	case 4: return __builtin_bswap32((uint32_t)v);
	default: return __builtin_bswap64(v);
	}
}

/* BSWAP of a 16-bit register is undefined (SDM Vol. 2A BSWAP); the
 * modelled vendor (AMD Zen 4, measured by tests/diff/alu_diff.c) clears
 * the low 16 bits. */
EXEC_INLINE void bswap_z(struct cpu *c, const struct insn *i, unsigned size,
			 bool mem)
{
	(void)mem;
	uint64_t v = size == 2 ? 0 : data_bswap(reg_read(c, i->rm, size), size);
	reg_write(c, i->rm, size, v);
}

IMPL_V_NM(BSWAP_Zv, bswap_z)

EXEC_INLINE void movbe_gm(struct cpu *c, const struct insn *i, unsigned size,
			  bool mem)
{
	(void)mem;
	uint64_t v = memf_read(c, i->seg, insn_ea(c, i), size);
	reg_write(c, i->reg, size, data_bswap(v, size));
}

EXEC_INLINE void movbe_mg(struct cpu *c, const struct insn *i, unsigned size,
			  bool mem)
{
	(void)mem;
	memf_write(c, i->seg, insn_ea(c, i), size,
		   data_bswap(reg_read(c, i->reg, size), size));
}

IMPL_V_M(MOVBE_GvMv, movbe_gm)
IMPL_V_M(MOVBE_MvGv, movbe_mg)

/* CMPXCHG E, G: flags as CMP rAX, E. Equal: E = G. Not equal: rAX = E,
 * and a memory destination is written back with its own value (the
 * processor never produces a locked read without a write, SDM Vol. 2A
 * CMPXCHG). */
EXEC_INLINE void cmpxchg(struct cpu *c, const struct insn *i, unsigned size,
			 bool mem)
{
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	uint64_t e = rm_read(c, i, size, mem, ea);
	uint64_t a = reg_read(c, REG_RAX, size);
	uint64_t r = (a - e) & size_mask(size);
	if (a == e) {
		rm_write(c, i, size, mem, ea, reg_read(c, i->reg, size));
	} else {
		if (mem)
			memf_write(c, i->seg, ea, size, e);
		reg_write(c, REG_RAX, size, e);
	}
	lf_arith(c, size * 8, lf_sub_carries(a, e, r), r);
}

IMPL_B_RM(CMPXCHG_EbGb, cmpxchg)
IMPL_V_RM(CMPXCHG_EvGv, cmpxchg)

/* ZF is the only flag CMPXCHG8B/16B change. */
static void data_set_zf(struct cpu *c, bool zf)
{
	uint64_t f = flags_arith(c) & ~(uint64_t)FLAG_ZF;
	flags_set_arith(c, f | (zf ? FLAG_ZF : 0));
}

/* CMPXCHG8B m64: EDX:EAX against m64; equal: m64 = ECX:EBX; else
 * EDX:EAX = m64. The memory operand is written either way. */
EXEC_INLINE void cmpxchg8b(struct cpu *c, const struct insn *i, unsigned size,
			   bool mem)
{
	(void)size;
	(void)mem;
	uint64_t ea = insn_ea(c, i);
	uint64_t m = mem_read64(c, i->seg, ea);
	uint64_t cmp = reg_read(c, REG_RDX, 4) << 32 | reg_read(c, REG_RAX, 4);
	bool eq = m == cmp;
	uint64_t nv = reg_read(c, REG_RCX, 4) << 32 | reg_read(c, REG_RBX, 4);
	mem_write64(c, i->seg, ea, eq ? nv : m);
	if (!eq) {
		reg_write(c, REG_RAX, 4, m);
		reg_write(c, REG_RDX, 4, m >> 32);
	}
	data_set_zf(c, eq);
}

/* CMPXCHG16B m128: #GP(0) unless 16-byte aligned (SDM Vol. 2A
 * CMPXCHG8B/CMPXCHG16B). */
EXEC_INLINE void cmpxchg16b(struct cpu *c, const struct insn *i,
			    unsigned size, bool mem)
{
	(void)size;
	(void)mem;
	uint64_t ea = insn_ea(c, i);
	uint64_t ea_hi = (ea + 8) & size_mask(i->addrsize);
	uint64_t la = seg_linear(c, i->seg, ea, 16, ACC_WRITE);
	if (la & 15)
		cpu_gp0(c, "CMPXCHG16B: memory operand at 0x%llx is not "
			   "16-byte aligned", (unsigned long long)la);
	uint64_t lo = mem_read64(c, i->seg, ea);
	uint64_t hi = mem_read64(c, i->seg, ea_hi);
	bool eq = lo == c->gpr[REG_RAX] && hi == c->gpr[REG_RDX];
	mem_probe_write(c, i->seg, ea, 8);
	mem_probe_write(c, i->seg, ea_hi, 8);
	mem_write64(c, i->seg, ea, eq ? c->gpr[REG_RBX] : lo);
	mem_write64(c, i->seg, ea_hi, eq ? c->gpr[REG_RCX] : hi);
	if (!eq) {
		c->gpr[REG_RAX] = lo;
		c->gpr[REG_RDX] = hi;
	}
	data_set_zf(c, eq);
}

EXEC_FN(CMPXCHG8B_Mq, 2, 1, cmpxchg8b)
EXEC_FN(CMPXCHG8B_Mq, 4, 1, cmpxchg8b)
EXEC_FN(CMPXCHG16B_Mdq, 8, 1, cmpxchg16b)
const struct insn_impl impl_CMPXCHG8B_Mq = { { { 0, 0 },
	{ 0, CMPXCHG8B_Mq_2_1 }, { 0, CMPXCHG8B_Mq_4_1 } } };
const struct insn_impl impl_CMPXCHG16B_Mdq = { { [3] = { 0,
	CMPXCHG16B_Mdq_8_1 } } };

/* XADD E, G: TEMP = E + G; G = E; E = TEMP (so E wins when both name the
 * same register). */
EXEC_INLINE void xadd(struct cpu *c, const struct insn *i, unsigned size,
		      bool mem)
{
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	uint64_t e = rm_read(c, i, size, mem, ea);
	uint64_t g = reg_read(c, i->reg, size);
	uint64_t r = (e + g) & size_mask(size);
	if (mem)
		memf_write(c, i->seg, ea, size, r);
	reg_write(c, i->reg, size, e);
	if (!mem)
		reg_write(c, i->rm, size, r);
	lf_arith(c, size * 8, lf_add_carries(e, g, r), r);
}

IMPL_B_RM(XADD_EbGb, xadd)
IMPL_V_RM(XADD_EvGv, xadd)

/* LAHF: AH = SF:ZF:0:AF:0:PF:1:CF. SAHF loads SF ZF AF PF CF from AH and
 * keeps OF. */
static void data_lahf(struct cpu *c, const struct insn *i)
{
	(void)i;
	reg_write(c, INSN_REG_AH, 1, (flags_arith(c) & 0xd5) | 2);
}

static void data_sahf(struct cpu *c, const struct insn *i)
{
	(void)i;
	uint64_t ah = reg_read(c, INSN_REG_AH, 1) & 0xd5;
	flags_set_arith(c, (flags_arith(c) & FLAG_OF) | ah);
}

IMPL_ANY(LAHF, data_lahf)
IMPL_ANY(SAHF, data_sahf)

static void data_clc(struct cpu *c, const struct insn *i)
{
	(void)i;
	flags_set_cf(c, false);
}

static void data_stc(struct cpu *c, const struct insn *i)
{
	(void)i;
	flags_set_cf(c, true);
}

static void data_cmc(struct cpu *c, const struct insn *i)
{
	(void)i;
	flags_set_cf(c, !flag_cf(c));
}

static void data_cld(struct cpu *c, const struct insn *i)
{
	(void)i;
	c->rflags &= ~(uint64_t)FLAG_DF;
}

static void data_std(struct cpu *c, const struct insn *i)
{
	(void)i;
	c->rflags |= FLAG_DF;
}

IMPL_ANY(CLC, data_clc)
IMPL_ANY(STC, data_stc)
IMPL_ANY(CMC, data_cmc)
IMPL_ANY(CLD, data_cld)
IMPL_ANY(STD, data_std)

/* XLAT: AL = [seg: rBX + zero-extended AL] at the address size. */
static void data_xlat(struct cpu *c, const struct insn *i)
{
	uint64_t ea = (c->gpr[REG_RBX] + (c->gpr[REG_RAX] & 0xff)) &
		      size_mask(i->addrsize);
	reg_write(c, REG_RAX, 1, mem_read8(c, i->seg, ea));
}

/* SALC (D6, legacy modes only): AL = CF ? FFh : 00h. */
static void data_salc(struct cpu *c, const struct insn *i)
{
	(void)i;
	reg_write(c, REG_RAX, 1, flag_cf(c) ? 0xff : 0);
}

IMPL_ANY(XLAT, data_xlat)
IMPL_ANY(SALC, data_salc)

/* Fences order memory accesses; this CPU performs every access in
 * program order, so they have nothing left to do. */
IMPL_ANY(LFENCE, data_nop)
IMPL_ANY(MFENCE, data_nop)
IMPL_ANY(SFENCE, data_nop)

/* CLFLUSH / CLFLUSHOPT: no cache to flush, but the access is checked as
 * a byte read (SDM Vol. 2A CLFLUSH: "treated as a byte load" for
 * permission checking and faults). */
EXEC_INLINE void clflush(struct cpu *c, const struct insn *i, unsigned size,
			 bool mem)
{
	(void)size;
	(void)mem;
	mem_probe_read(c, i->seg, insn_ea(c, i), 1);
}

/* PREFETCHh is a hint: it never faults and changes no state. */
EXEC_INLINE void prefetch(struct cpu *c, const struct insn *i, unsigned size,
			  bool mem)
{
	(void)c;
	(void)i;
	(void)size;
	(void)mem;
}

EXEC_FN(CLFLUSH_Mb, 0, 1, clflush)
EXEC_FN(CLFLUSHOPT_Mb, 0, 1, clflush)
EXEC_FN(PREFETCH_Mb, 0, 1, prefetch)
#define DATA_M_ANY(id)                                                     \
	const struct insn_impl impl_##id = { { { 0, id##_0_1 },            \
		{ 0, id##_0_1 }, { 0, id##_0_1 }, { 0, id##_0_1 } } };
DATA_M_ANY(CLFLUSH_Mb)
DATA_M_ANY(CLFLUSHOPT_Mb)
DATA_M_ANY(PREFETCH_Mb)
