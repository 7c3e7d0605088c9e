/* Implicit stack accesses: push, pop and peek at the stack-address size
 * (SDM Vol. 1 6.2.3, 6.2.5: SS.B, or 64 bits in 64-bit mode). */
#include "cpu/exec.h"
#include "cpu/mem_fast.h"

unsigned stack_width(const struct cpu *c)
{
	if (cpu_code_size(c) == 8)
		return 8;
	return (c->seg[SEG_SS].attr & SEG_ATTR_DB) ? 4 : 2;
}

/* Writes the stack pointer at the stack width: SP alone for a 16-bit
 * stack, ESP (the upper half is cleared, as a 32-bit register write does)
 * or RSP. */
static void stack_set_sp(struct cpu *c, uint64_t sp)
{
	reg_write(c, REG_RSP, stack_width(c), sp);
}

void stack_push(struct cpu *c, unsigned size, uint64_t v)
{
	uint64_t sp = (c->gpr[REG_RSP] - size) & size_mask(stack_width(c));
	memf_write(c, SEG_SS, sp, size, v);
	stack_set_sp(c, sp);
}

uint64_t stack_pop(struct cpu *c, unsigned size)
{
	uint64_t v = stack_peek(c, size, 0);
	stack_adjust(c, size);
	return v;
}

uint64_t stack_peek(struct cpu *c, unsigned size, unsigned offset)
{
	uint64_t sp = (c->gpr[REG_RSP] + offset) & size_mask(stack_width(c));
	return memf_read(c, SEG_SS, sp, size);
}

void stack_adjust(struct cpu *c, int64_t delta)
{
	stack_set_sp(c, c->gpr[REG_RSP] + (uint64_t)delta);
}
