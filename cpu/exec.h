/* Helpers every instruction handler uses: operand access by width,
 * effective addresses and the stack. */
#ifndef CPU_EXEC_H
#define CPU_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/mem_fast.h"
#include "cpu/state.h"

static inline uint64_t size_mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

/* Register read/write with x86 width rules: 8- and 16-bit writes merge,
 * 32-bit writes zero-extend, 8-bit numbers 16..19 are AH..BH. */
static inline uint64_t reg_read(const struct cpu *c, unsigned r, unsigned size)
{
	switch (size) {
	case 1:
		if (r >= INSN_REG_AH)
			return (c->gpr[r - INSN_REG_AH] >> 8) & 0xff;
		return c->gpr[r] & 0xff;
	case 2: return c->gpr[r] & 0xffff;
	case 4: return c->gpr[r] & 0xffffffffu;
	default: return c->gpr[r];
	}
}

static inline void reg_write(struct cpu *c, unsigned r, unsigned size,
			     uint64_t v)
{
	switch (size) {
	case 1:
		if (r >= INSN_REG_AH) {
			uint64_t *g = &c->gpr[r - INSN_REG_AH];
			*g = (*g & ~0xff00ull) | ((v & 0xff) << 8);
		} else {
			c->gpr[r] = (c->gpr[r] & ~0xffull) | (v & 0xff);
		}
		break;
	case 2: c->gpr[r] = (c->gpr[r] & ~0xffffull) | (v & 0xffff); break;
	case 4: c->gpr[r] = v & 0xffffffffu; break;
	default: c->gpr[r] = v; break;
	}
}

/* Effective address of the memory operand, truncated to the address
 * size (SDM Vol. 1 3.7.5). */
static inline uint64_t insn_ea(const struct cpu *c, const struct insn *i)
{
	uint64_t ea = (uint64_t)i->disp;
	if (i->base != INSN_REG_NONE)
		ea += c->gpr[i->base];
	if (i->index != INSN_REG_NONE)
		ea += c->gpr[i->index] << i->scale;
	if (i->rip_rel)
		ea += c->next_rip;
	return ea & size_mask(i->addrsize);
}

/* Makes the current instruction run again (a REP string instruction
 * after a burst of iterations): RIP stays, and the CPU leaves its block so
 * that interrupts can be taken between bursts. RF = 1 while it is in
 * progress: an event taken between iterations pushes RF = 1 and the
 * instruction breakpoint is not checked again when it goes on (SDM Vol.
 * 3B 18.3.1.1). */
static inline void insn_repeat(struct cpu *c)
{
	c->next_rip = c->rip;
	c->rflags |= FLAG_RF;
	c->attention |= ATTN_REPEAT;
}

/* Each iteration of a repeated string instruction after the first in a
 * call (n > 0) counts as an instruction, and the call itself as one when
 * it returns: virtual time and the slice's budget follow the work done,
 * as they would on hardware, where a long REP takes long. */
static inline void insn_repeat_tick(struct cpu *c, unsigned n)
{
	if (n)
		c->icount++;
}

/* Iterations for one call: at most burst, and no more than the slice's
 * budget has left, so that a slice still ends where a timer is due. */
static inline unsigned insn_repeat_burst(const struct cpu *c, unsigned burst)
{
	if (c->icount_limit > c->icount && c->icount_limit - c->icount < burst)
		return (unsigned)(c->icount_limit - c->icount);
	return burst;
}

/* Stack width in bytes for implicit stack accesses: 8 in 64-bit mode,
 * else SS.B selects 4 or 2. */
unsigned stack_width(const struct cpu *c);
/* Push or pop size bytes (2, 4 or 8). Push writes before RSP changes, so
 * a fault leaves both unchanged. */
void stack_push(struct cpu *c, unsigned size, uint64_t v);
uint64_t stack_pop(struct cpu *c, unsigned size);
/* Read the value size bytes at offset bytes above the stack top without
 * popping (for instructions that must check before committing). */
uint64_t stack_peek(struct cpu *c, unsigned size, unsigned offset);
/* Adds delta to the stack pointer at the stack width. */
void stack_adjust(struct cpu *c, int64_t delta);

/* The ModRM r/m operand of a handler template: mem is a compile-time
 * constant there (the form was chosen at decode time), so the test folds
 * away; ea is insn_ea() for the memory form. Memory goes through the
 * inline fast paths of cpu/mem_fast.h. */
static inline __attribute__((always_inline)) uint64_t
rm_read(struct cpu *c, const struct insn *i, unsigned size, bool mem,
	uint64_t ea)
{
	return mem ? memf_read(c, i->seg, ea, size) : reg_read(c, i->rm, size);
}

static inline __attribute__((always_inline)) void
rm_write(struct cpu *c, const struct insn *i, unsigned size, bool mem,
	 uint64_t ea, uint64_t v)
{
	if (mem)
		memf_write(c, i->seg, ea, size, v);
	else
		reg_write(c, i->rm, size, v);
}

/* Handler templates. A group file writes one generic body
 *   EXEC_INLINE void gen(struct cpu *c, const struct insn *i,
 *                        unsigned size, bool mem, ...)
 * and instantiates it per width (size 1, 2, 4, 8 bytes) and operand kind
 * into impl_<id> with one IMPL_* line; the extra arguments are passed on
 * as constants. Slots a form does not allow stay NULL (#UD). */
#define EXEC_INLINE static inline __attribute__((always_inline))
#define EXEC_FN(id, size, mem, gen, ...)                                   \
	static void id##_##size##_##mem(struct cpu *c, const struct insn *i) \
	{                                                                  \
		gen(c, i, size, mem, ##__VA_ARGS__);                       \
	}
#define EXEC_V_FNS(id, mem, gen, ...)                                      \
	EXEC_FN(id, 2, mem, gen, ##__VA_ARGS__)                            \
	EXEC_FN(id, 4, mem, gen, ##__VA_ARGS__)                            \
	EXEC_FN(id, 8, mem, gen, ##__VA_ARGS__)

/* 8-bit ModRM forms (Eb): register and memory. */
#define IMPL_B_RM(id, gen, ...)                                            \
	EXEC_FN(id, 1, 0, gen, ##__VA_ARGS__)                              \
	EXEC_FN(id, 1, 1, gen, ##__VA_ARGS__)                              \
	const struct insn_impl impl_##id = { { { id##_1_0, id##_1_1 } } };
/* 16/32/64-bit ModRM forms (Ev): register and memory. */
#define IMPL_V_RM(id, gen, ...)                                            \
	EXEC_V_FNS(id, 0, gen, ##__VA_ARGS__)                              \
	EXEC_V_FNS(id, 1, gen, ##__VA_ARGS__)                              \
	const struct insn_impl impl_##id = { { { 0, 0 },                   \
		{ id##_2_0, id##_2_1 }, { id##_4_0, id##_4_1 },            \
		{ id##_8_0, id##_8_1 } } };
/* 16/32/64-bit forms whose ModRM operand must be memory (M). */
#define IMPL_V_M(id, gen, ...)                                             \
	EXEC_V_FNS(id, 1, gen, ##__VA_ARGS__)                              \
	const struct insn_impl impl_##id = { { { 0, 0 }, { 0, id##_2_1 },  \
		{ 0, id##_4_1 }, { 0, id##_8_1 } } };
/* Forms without a ModRM operand (register in the opcode, implicit
 * operands, immediates, moffs, strings): both columns hold the handler
 * whatever the decoder records in mod. */
#define IMPL_B_NM(id, gen, ...)                                            \
	EXEC_FN(id, 1, 0, gen, ##__VA_ARGS__)                              \
	const struct insn_impl impl_##id = { { { id##_1_0, id##_1_0 } } };
#define IMPL_V_NM(id, gen, ...)                                            \
	EXEC_V_FNS(id, 0, gen, ##__VA_ARGS__)                              \
	const struct insn_impl impl_##id = { { { 0, 0 },                   \
		{ id##_2_0, id##_2_0 }, { id##_4_0, id##_4_0 },            \
		{ id##_8_0, id##_8_0 } } };
/* One handler for every operand size and both columns (no sized
 * operand: CLC, fences). */
#define IMPL_ANY(id, fn)                                                   \
	const struct insn_impl impl_##id = { { { fn, fn }, { fn, fn },     \
		{ fn, fn }, { fn, fn } } };

#endif
