/* Near control transfers: JMP, Jcc, CALL, RET, LOOP/LOOPE/LOOPNE, JrCXZ
 * (SDM Vol. 2A CALL/Jcc/JMP/LOOP, Vol. 2B RET; near forms only). The
 * target is checked before any state changes, so a #GP leaves rSP and rCX
 * as they were. */
#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/flags.h"
#include "cpu/regs.h"


/* The target truncated to the operand size, after the SDM's check: in
 * 64-bit mode it must be canonical, elsewhere within the CS limit;
 * either failure is #GP(0). */
static inline __attribute__((always_inline)) uint64_t
br_target(struct cpu *c, uint64_t target, unsigned size, const char *what)
{
	target &= size_mask(size);
	if (cpu_code_size(c) == 8) {
		unsigned bits = (c->cr4 & CR4_LA57) ? 57 : 48;
		unsigned sh = 64 - bits;
		if ((uint64_t)((int64_t)(target << sh) >> sh) != target)
			cpu_gp0(c, "%s: target 0x%llx is not canonical", what,
				(unsigned long long)target);
	} else if (target > c->seg[SEG_CS].limit) {
		cpu_gp0(c, "%s: target 0x%llx is beyond the CS limit 0x%x",
			what, (unsigned long long)target,
			c->seg[SEG_CS].limit);
	}
	return target;
}

/* JMP/Jcc rel: the displacement is relative to the next instruction. */
EXEC_INLINE void jmp_rel(struct cpu *c, const struct insn *i, unsigned size,
			 bool mem, bool cond)
{
	(void)mem;
	if (cond && !flags_cond(c, i->opcode & 0xf))
		return;
	c->next_rip = br_target(c, c->next_rip + i->imm, size,
				cond ? "Jcc" : "JMP");
}

EXEC_INLINE void jmp_e(struct cpu *c, const struct insn *i, unsigned size,
		       bool mem)
{
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	c->next_rip = br_target(c, rm_read(c, i, size, mem, ea), size, "JMP");
}

IMPL_V_NM(JMP_Jb, jmp_rel, false)
IMPL_V_NM(JMP_Jz, jmp_rel, false)
IMPL_V_NM(Jcc_Jb, jmp_rel, true)
IMPL_V_NM(Jcc_Jz, jmp_rel, true)
IMPL_V_RM(JMP_Ev, jmp_e)

/* CALL: the target is checked, then the return address pushed. */
EXEC_INLINE void call_rel(struct cpu *c, const struct insn *i, unsigned size,
			  bool mem)
{
	(void)mem;
	uint64_t t = br_target(c, c->next_rip + i->imm, size, "CALL");
	stack_push(c, size, c->next_rip & size_mask(size));
	c->next_rip = t;
}

EXEC_INLINE void call_e(struct cpu *c, const struct insn *i, unsigned size,
			bool mem)
{
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	uint64_t t = br_target(c, rm_read(c, i, size, mem, ea), size, "CALL");
	stack_push(c, size, c->next_rip & size_mask(size));
	c->next_rip = t;
}

IMPL_V_NM(CALL_Jz, call_rel)
IMPL_V_RM(CALL_Ev, call_e)

/* RET [imm16]: the return address is read and checked before rSP moves;
 * imm16 more bytes are released after the pop. */
EXEC_INLINE void ret(struct cpu *c, const struct insn *i, unsigned size,
		     bool mem, bool has_imm)
{
	(void)mem;
	uint64_t t = br_target(c, stack_peek(c, size, 0), size, "RET");
	stack_adjust(c, size + (has_imm ? (i->imm & 0xffff) : 0));
	c->next_rip = t;
}

IMPL_V_NM(RET, ret, false)
IMPL_V_NM(RET_Iw, ret, true)

enum loop_kind { LOOP_PLAIN, LOOP_E, LOOP_NE, LOOP_JCXZ };

/* LOOPcc decrement rCX at the address size; JrCXZ only tests it. */
EXEC_INLINE void loop(struct cpu *c, const struct insn *i, unsigned size,
		      bool mem, enum loop_kind k)
{
	(void)mem;
	unsigned as = i->addrsize;
	uint64_t cnt = reg_read(c, REG_RCX, as);
	bool taken;
	if (k == LOOP_JCXZ) {
		taken = cnt == 0;
	} else {
		cnt = (cnt - 1) & size_mask(as);
		taken = cnt != 0;
		if (k == LOOP_E)
			taken = taken && flag_zf(c);
		else if (k == LOOP_NE)
			taken = taken && !flag_zf(c);
	}
	uint64_t t = taken ? br_target(c, c->next_rip + i->imm, size,
				       k == LOOP_JCXZ ? "JrCXZ" : "LOOP")
			   : c->next_rip;
	if (k != LOOP_JCXZ)
		reg_write(c, REG_RCX, as, cnt);
	c->next_rip = t;
}

IMPL_V_NM(LOOP_Jb, loop, LOOP_PLAIN)
IMPL_V_NM(LOOPE_Jb, loop, LOOP_E)
IMPL_V_NM(LOOPNE_Jb, loop, LOOP_NE)
IMPL_V_NM(JrCXZ_Jb, loop, LOOP_JCXZ)
