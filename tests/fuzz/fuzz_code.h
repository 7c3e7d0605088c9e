/* Code for the execution fuzzer's guests: an emitter of x86 machine
 * code for 16-, 32- and 64-bit mode, and "chains" of short device-minded
 * snippets (port and MMIO accesses to every device, MSR and control
 * register changes, timers, IPIs, far transfers through random
 * selectors, VMX, self-modifying stores) that random bytes follow. */
#ifndef TESTS_FUZZ_FUZZ_CODE_H
#define TESTS_FUZZ_FUZZ_CODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tests/fuzz/fuzz_guest.h"
#include "tests/fuzz/fuzz_rng.h"

/* Random code, chains and stacks lie from here to the end of RAM. */
#define FUZZ_CODE_BASE 0x10000u

struct emit {
	uint8_t *ram;
	uint64_t size;
	uint64_t pc;        /* physical address of the next byte */
	int bits;           /* 16, 32 or 64 */
	struct rng *r;
	const struct fuzz_plan *p;
};

static inline void e8(struct emit *e, unsigned b)
{
	if (e->pc < e->size)
		e->ram[e->pc] = (uint8_t)b;
	e->pc++;
}

static inline void e16(struct emit *e, unsigned v)
{
	e8(e, v & 0xff);
	e8(e, (v >> 8) & 0xff);
}

static inline void e32(struct emit *e, uint32_t v)
{
	e16(e, v & 0xffff);
	e16(e, v >> 16);
}

static inline void ebytes(struct emit *e, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		e8(e, (uint8_t)s[i]);
}

#define EMIT(e, s) ebytes(e, s, sizeof(s) - 1)

/* 32-bit operand size: a 66 prefix in 16-bit code. */
static inline void o32(struct emit *e)
{
	if (e->bits == 16)
		e8(e, 0x66);
}

enum { R_EAX, R_ECX, R_EDX, R_EBX, R_ESP, R_EBP, R_ESI, R_EDI };

/* MOV r32, imm32 (zero-extends in 64-bit mode). */
static inline void mov_imm(struct emit *e, int reg, uint32_t v)
{
	o32(e);
	e8(e, 0xb8 + reg);
	e32(e, v);
}

/* OUT DX / IN DX at an access size of 1, 2 or 4. */
static inline void io_dx(struct emit *e, bool in, unsigned size)
{
	if (size == 2 && e->bits != 16)
		e8(e, 0x66);
	if (size == 4 && e->bits == 16)
		e8(e, 0x66);
	e8(e, (in ? 0xec : 0xee) | (size > 1));
}

/* MOV EAX, CRn / MOV CRn, EAX; CR8 only in 64-bit mode (REX.R). */
static inline void mov_cr(struct emit *e, bool to_cr, unsigned cr)
{
	if (cr == 8)
		e8(e, 0x44);
	e8(e, 0x0f);
	e8(e, to_cr ? 0x22 : 0x20);
	e8(e, 0xc0 | (cr & 7) << 3);
}

/* An ALU op on EAX with imm32: 0x05 add, 0x0d or, 0x25 and, 0x35 xor. */
static inline void alu_eax(struct emit *e, unsigned op, uint32_t v)
{
	o32(e);
	e8(e, op);
	e32(e, v);
}

/* A store or load of size bytes at [EBX] (RBX), 32- and 64-bit code. */
static inline void mem_ebx(struct emit *e, bool load, unsigned size)
{
	if (size == 2)
		e8(e, 0x66);
	if (size == 8)
		e8(e, 0x48);
	e8(e, (size == 1 ? 0x88 : 0x89) | (load ? 2 : 0));
	e8(e, 0x03);
}

/* Plants a chain of a few snippets for code of bits (16, 32, 64) at pc
 * in ram; random bytes take over after it. Returns the address after
 * the chain. */
uint64_t fuzz_code_chain(uint8_t *ram, const struct fuzz_plan *p,
			 struct rng *r, uint64_t pc, int bits);

#endif
