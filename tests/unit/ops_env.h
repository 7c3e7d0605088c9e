/* A CPU on 1 MiB of RAM for instruction-handler unit tests: 64-bit mode
 * with identity-mapped 4-KiB pages (one page left not present), or flat
 * 32-bit protected mode. Instructions are built as struct insn directly,
 * so these tests do not depend on the decoder. */
#ifndef TESTS_UNIT_OPS_ENV_H
#define TESTS_UNIT_OPS_ENV_H

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/mem.h"
#include "cpu/state.h"

#define ENV_RAM 0x100000u
#define ENV_PT 0x1000u        /* PML4, PDPT, PD, PT at 0x1000..0x4fff */
#define ENV_HOLE 0x80000u     /* a linear page that is not present */
#define ENV_RIP 0x10000u

static uint8_t *env_ram;

static uint8_t *env_ram_page(void *ctx, uint64_t pa)
{
	(void)ctx;
	return pa < ENV_RAM ? env_ram + (pa & ~0xfffull) : NULL;
}

static inline uint64_t env_mmio_read(void *ctx, uint64_t pa,
				     unsigned size)
{
	(void)ctx, (void)pa, (void)size;
	return ~0ull;
}

static inline void env_mmio_write(void *ctx, uint64_t pa, unsigned size,
				  uint64_t v)
{
	(void)ctx, (void)pa, (void)size, (void)v;
}

static inline uint32_t env_port_in(void *ctx, uint16_t port, unsigned size)
{
	(void)ctx, (void)port, (void)size;
	return ~0u;
}

static inline void env_port_out(void *ctx, uint16_t port, unsigned size,
				uint32_t v)
{
	(void)ctx, (void)port, (void)size, (void)v;
}

static inline int env_intr_ack(void *ctx)
{
	(void)ctx;
	return -1;
}

static inline void env_shutdown(void *ctx, const char *why)
{
	(void)ctx, (void)why;
}

static const struct bus_ops env_bus_ops = {
	env_ram_page, env_mmio_read, env_mmio_write, env_port_in,
	env_port_out, env_intr_ack, env_shutdown,
};
static const struct bus env_bus = { &env_bus_ops, NULL };

static inline void env_put64(uint64_t pa, uint64_t v)
{
	memcpy(env_ram + pa, &v, 8);
}

static inline uint64_t env_get(uint64_t pa, unsigned size)
{
	uint64_t v = 0;
	memcpy(&v, env_ram + pa, size);
	return v;
}

static inline void env_set(uint64_t pa, unsigned size, uint64_t v)
{
	memcpy(env_ram + pa, &v, size);
}

static struct cpu *env_cpu(bool long_mode)
{
	static struct code_cache *cc;
	static struct cpu *c;
	if (!env_ram) {
		env_ram = aligned_alloc(4096, ENV_RAM);
		cc = code_cache_create(ENV_RAM);
		c = cpu_create(&env_bus, cc, NULL, 0);
	}
	memset(env_ram, 0, ENV_RAM);
	cpu_reset(c);
	cpu_enter_flat_protected_mode(c);
	if (long_mode) {
		env_put64(ENV_PT, (ENV_PT + 0x1000) | 7);
		env_put64(ENV_PT + 0x1000, (ENV_PT + 0x2000) | 7);
		env_put64(ENV_PT + 0x2000, (ENV_PT + 0x3000) | 7);
		for (uint64_t k = 0; k < 256; k++)
			if (k * 4096 != ENV_HOLE)
				env_put64(ENV_PT + 0x3000 + 8 * k,
					  (k * 4096) | 7);
		c->cr3 = ENV_PT;
		c->cr4 |= 1u << 5;
		c->efer |= (1u << 8) | (1u << 10);
		c->cr0 |= 0x80000001u;
		c->seg[SEG_CS].attr = (c->seg[SEG_CS].attr & ~SEG_ATTR_DB) |
				      SEG_ATTR_L;
		tlb_flush_all(c);
	}
	c->rip = c->next_rip = ENV_RIP;
	return c;
}

/* A register-form instruction of opsize bytes: reg and rm operands. */
static inline struct insn env_reg(unsigned opsize, unsigned reg, unsigned rm)
{
	struct insn i;
	memset(&i, 0, sizeof(i));
	i.len = 3;
	i.opsize = (uint8_t)opsize;
	i.addrsize = 8;
	i.seg = SEG_DS;
	i.mod = 3;
	i.reg = (uint8_t)reg;
	i.rm = (uint8_t)rm;
	i.base = i.index = INSN_REG_NONE;
	return i;
}

/* A memory-form instruction: [base + disp]. */
static inline struct insn env_mem(unsigned opsize, unsigned reg, unsigned base,
			   int64_t disp)
{
	struct insn i = env_reg(opsize, reg, 0);
	i.mod = disp ? 2 : 0;
	i.base = (uint8_t)base;
	i.disp = disp;
	return i;
}

static inline unsigned env_widx(unsigned size)
{
	return size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
}

/* Runs the form's handler for i; returns the fault vector or -1. */
static inline int env_exec(struct cpu *c, const struct insn_impl *impl,
		    struct insn *i)
{
	jmp_buf env;
	i->fn = impl->fn[env_widx(i->opsize)][i->mod != 3];
	if (!i->fn)
		return EXC_UD;
	c->next_rip = c->rip + i->len;
	c->fault_env = &env;
	if (setjmp(env)) {
		c->fault_env = NULL;
		c->next_rip = c->rip;
		return c->fault.vector;
	}
	i->fn(c, i);
	c->fault_env = NULL;
	return -1;
}

#endif
