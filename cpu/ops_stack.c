/* Stack instructions: PUSH/POP of registers, memory and immediates,
 * PUSHA/POPA, ENTER, LEAVE (SDM Vol. 2B/2C). Each checks every access
 * before it changes a register, so a fault leaves rSP as it was. */
#include "cpu/exec.h"
#include "cpu/fault.h"

/* rSP + delta at the stack-address size. */
static uint64_t stk_sp(const struct cpu *c, int64_t delta)
{
	return (c->gpr[REG_RSP] + (uint64_t)delta) &
	       size_mask(stack_width(c));
}

EXEC_INLINE void push_z(struct cpu *c, const struct insn *i, unsigned size,
			bool mem)
{
	(void)mem;
	stack_push(c, size, reg_read(c, i->rm, size));
}

/* POP rSP leaves the popped value in rSP: the write follows the
 * increment (SDM Vol. 2B POP). */
EXEC_INLINE void pop_z(struct cpu *c, const struct insn *i, unsigned size,
		       bool mem)
{
	(void)mem;
	uint64_t v = stack_pop(c, size);
	reg_write(c, i->rm, size, v);
}

EXEC_INLINE void push_e(struct cpu *c, const struct insn *i, unsigned size,
			bool mem)
{
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	stack_push(c, size, rm_read(c, i, size, mem, ea));
}

/* POP Ev: a memory operand's address is computed with rSP already
 * incremented (SDM Vol. 2B POP), but rSP is committed only after the
 * store has succeeded. */
EXEC_INLINE void pop_e(struct cpu *c, const struct insn *i, unsigned size,
		       bool mem)
{
	if (!mem) {
		uint64_t v = stack_pop(c, size);
		reg_write(c, i->rm, size, v);
		return;
	}
	uint64_t v = stack_peek(c, size, 0);
	uint64_t old_sp = c->gpr[REG_RSP];
	stack_adjust(c, size);
	uint64_t new_sp = c->gpr[REG_RSP];
	uint64_t ea = insn_ea(c, i);
	c->gpr[REG_RSP] = old_sp;
	memf_write(c, i->seg, ea, size, v);
	c->gpr[REG_RSP] = new_sp;
}

EXEC_INLINE void push_i(struct cpu *c, const struct insn *i, unsigned size,
			bool mem)
{
	(void)mem;
	stack_push(c, size, i->imm & size_mask(size));
}

IMPL_V_NM(PUSH_Zv, push_z)
IMPL_V_NM(POP_Zv, pop_z)
IMPL_V_RM(PUSH_Ev, push_e)
IMPL_V_RM(POP_Ev, pop_e)
IMPL_V_NM(PUSH_Iz, push_i)
IMPL_V_NM(PUSH_Ib, push_i)

/* PUSHA: AX CX DX BX, the original SP, BP SI DI. All eight slots are
 * checked before the first store. */
EXEC_INLINE void pusha(struct cpu *c, const struct insn *i, unsigned size,
		       bool mem)
{
	(void)i;
	(void)mem;
	for (int r = 1; r <= 8; r++)
		mem_probe_write(c, SEG_SS, stk_sp(c, -r * (int)size), size);
	for (int r = 0; r < 8; r++)
		memf_write(c, SEG_SS, stk_sp(c, -(r + 1) * (int)size), size,
			   reg_read(c, r, size));
	stack_adjust(c, -8 * (int)size);
}

/* POPA: DI SI BP, skip SP, BX DX CX AX. Everything is read first. */
EXEC_INLINE void popa(struct cpu *c, const struct insn *i, unsigned size,
		      bool mem)
{
	(void)i;
	(void)mem;
	uint64_t v[8];
	for (int r = 0; r < 8; r++)
		v[r] = stack_peek(c, size, (7 - r) * size);
	for (int r = 0; r < 8; r++)
		if (r != REG_RSP)
			reg_write(c, r, size, v[r]);
	stack_adjust(c, 8 * size);
}

IMPL_V_NM(PUSHA, pusha)
IMPL_V_NM(POPA, popa)

/* ENTER imm16, imm8 (SDM Vol. 2A ENTER): push rBP; for a nesting level
 * L > 0 copy L-1 frame pointers from the enclosing frame, then push the
 * new frame pointer; rBP = the frame; rSP -= imm16. The frame pointers
 * are read first and every store is checked before the first one. */
EXEC_INLINE void enter(struct cpu *c, const struct insn *i, unsigned size,
		       bool mem)
{
	(void)mem;
	unsigned level = i->imm2 & 31;
	uint64_t alloc = i->imm & 0xffff;
	uint64_t m = size_mask(stack_width(c));
	uint64_t val[33];
	unsigned n = 0;
	uint64_t bp = c->gpr[REG_RBP];

	val[n++] = reg_read(c, REG_RBP, size);
	uint64_t frame = stk_sp(c, -(int64_t)size);
	if (level > 0) {
		for (unsigned k = 1; k < level; k++) {
			bp = (bp - size) & m;
			val[n++] = memf_read(c, SEG_SS, bp, size);
		}
		val[n++] = frame;
	}
	for (unsigned k = 0; k < n; k++)
		mem_probe_write(c, SEG_SS, stk_sp(c, -(int64_t)(k + 1) * size),
				size);
	uint64_t sp = (stk_sp(c, -(int64_t)(n * size)) - alloc) & m;
	/* "#PF if a write using the final value of the stack pointer would
	 * cause a page fault" (SDM Vol. 2A ENTER, exceptions). */
	mem_probe_write(c, SEG_SS, sp, size);
	for (unsigned k = 0; k < n; k++)
		memf_write(c, SEG_SS, stk_sp(c, -(int64_t)(k + 1) * size), size,
			   val[k]);
	reg_write(c, REG_RBP, size, frame);
	reg_write(c, REG_RSP, stack_width(c), sp);
}

/* LEAVE: rSP = rBP, then rBP = pop (SDM Vol. 2B LEAVE). */
EXEC_INLINE void leave(struct cpu *c, const struct insn *i, unsigned size,
		       bool mem)
{
	(void)i;
	(void)mem;
	unsigned w = stack_width(c);
	uint64_t sp = c->gpr[REG_RBP] & size_mask(w);
	uint64_t v = memf_read(c, SEG_SS, sp, size);
	reg_write(c, REG_RSP, w, (sp + size) & size_mask(w));
	reg_write(c, REG_RBP, size, v);
}

IMPL_V_NM(ENTER_IwIb, enter)
IMPL_V_NM(LEAVE, leave)
