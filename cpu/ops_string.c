/* String instructions MOVS CMPS STOS LODS SCAS with REP/REPE/REPNE (SDM
 * Vol. 2B "REP/REPE/REPZ/REPNE/REPNZ", Vol. 1 7.3.9). The address size
 * picks SI/ESI/RSI, DI/EDI/RDI and CX/ECX/RCX; the source segment may be
 * overridden, the destination is always ES.
 *
 * A repeated instruction is interruptible: the registers are brought up to
 * date after every iteration, so a fault in iteration k leaves the state
 * of k-1 completed iterations with rIP still at the instruction, ready to
 * restart. To keep the run loop responsive at most STRING_BURST
 * iterations run per call; then next_rip is set back to the instruction
 * so that it continues from where it stopped. */
#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/flags.h"

#define STRING_BURST 4096

enum str_op { STR_MOVS, STR_CMPS, STR_STOS, STR_LODS, STR_SCAS };

static bool str_uses_src(enum str_op op)
{
	return op == STR_MOVS || op == STR_CMPS || op == STR_LODS;
}

static bool str_uses_dst(enum str_op op)
{
	return op != STR_LODS;
}

/* One iteration; returns nothing, updates rSI/rDI and, for CMPS/SCAS,
 * the flags after its accesses have succeeded. */
EXEC_INLINE void str_step(struct cpu *c, const struct insn *i, unsigned size,
			  enum str_op op)
{
	unsigned as = i->addrsize;
	uint64_t d = (c->rflags & FLAG_DF) ? -(uint64_t)size : size;
	uint64_t si = reg_read(c, REG_RSI, as);
	uint64_t di = reg_read(c, REG_RDI, as);
	uint64_t a = 0, b = 0;

	switch (op) {
	case STR_MOVS:
		a = memf_read(c, i->seg, si, size);
		memf_write(c, SEG_ES, di, size, a);
		break;
	case STR_CMPS:
		a = memf_read(c, i->seg, si, size);
		b = memf_read(c, SEG_ES, di, size);
		break;
	case STR_STOS:
		memf_write(c, SEG_ES, di, size, reg_read(c, REG_RAX, size));
		break;
	case STR_LODS:
		reg_write(c, REG_RAX, size, memf_read(c, i->seg, si, size));
		break;
	case STR_SCAS:
		a = reg_read(c, REG_RAX, size);
		b = memf_read(c, SEG_ES, di, size);
		break;
	}
	if (str_uses_src(op))
		reg_write(c, REG_RSI, as, si + d);
	if (str_uses_dst(op))
		reg_write(c, REG_RDI, as, di + d);
	if (op == STR_CMPS || op == STR_SCAS) {
		uint64_t r = (a - b) & size_mask(size);
		lf_arith(c, size * 8, lf_sub_carries(a, b, r), r);
	}
}

EXEC_INLINE void str_insn(struct cpu *c, const struct insn *i, unsigned size,
			  bool mem, enum str_op op)
{
	(void)mem;
	bool cmp = op == STR_CMPS || op == STR_SCAS;
	if (!(i->prefixes & (PFX_REP | PFX_REPNE))) {
		str_step(c, i, size, op);
		return;
	}
	/* F2 repeats while ZF = 0 and F3 while ZF = 1 for CMPS/SCAS; for
	 * the others either prefix is a plain REP. */
	bool until_zf = (i->prefixes & PFX_REPNE) != 0;
	unsigned as = i->addrsize;
	uint64_t cnt = reg_read(c, REG_RCX, as);
	unsigned burst = insn_repeat_burst(c, STRING_BURST);
	for (unsigned n = 0; n < burst; n++) {
		if (cnt == 0)
			return;
		insn_repeat_tick(c, n);
		str_step(c, i, size, op);
		cnt = (cnt - 1) & size_mask(as);
		reg_write(c, REG_RCX, as, cnt);
		if (cmp && flag_zf(c) == until_zf)
			return;
	}
	if (cnt != 0)
		insn_repeat(c);
}

#define STRING_FORMS(B, V, op)                                             \
	IMPL_B_NM(B, str_insn, op)                                         \
	IMPL_V_NM(V, str_insn, op)

STRING_FORMS(MOVS_YbXb, MOVS_YvXv, STR_MOVS)
STRING_FORMS(CMPS_XbYb, CMPS_XvYv, STR_CMPS)
STRING_FORMS(STOS_YbAL, STOS_YvrAX, STR_STOS)
STRING_FORMS(LODS_ALXb, LODS_rAXXv, STR_LODS)
STRING_FORMS(SCAS_ALYb, SCAS_rAXYv, STR_SCAS)
