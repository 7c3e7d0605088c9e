/* Saving and restoring x87 and SSE state: the FXSAVE image byte by byte
 * (SDM Vol. 1 table 10-2, Vol. 2A FXSAVE), FXRSTOR, LDMXCSR/STMXCSR, and
 * the XSAVE feature set (Vol. 1 chapter 13): XSETBV/XGETBV rules, the
 * requested-feature bitmap, XSTATE_BV and XCOMP_BV, the init and
 * modified optimizations, the compacted format and the header checks of
 * XRSTOR and XRSTORS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cpu/msr.h"
#include "cpu/regs.h"
#include "tests/unit/env.h"

#define AREA 0x40000u  /* 64-byte aligned save area */
#define D32(a) (uint8_t)(a), (uint8_t)((a) >> 8), (uint8_t)((a) >> 16), \
	(uint8_t)((a) >> 24)
/* 0F AE /r and 0F C7 /r with a [disp32] operand in 32-bit code, and the
 * [disp32] SIB form for 64-bit code. */
#define AE(reg, a) 0x0f, 0xae, (uint8_t)((reg) << 3 | 5), D32(a)
#define C7(reg, a) 0x0f, 0xc7, (uint8_t)((reg) << 3 | 5), D32(a)
#define AE64(reg, a) 0x0f, 0xae, (uint8_t)((reg) << 3 | 4), 0x25, D32(a)
#define X87(op, reg, a) op, (uint8_t)((reg) << 3 | 5), D32(a)

/* The default model with SSE and SSE2 advertised, so that the SSE
 * rules (LDMXCSR, CR4.OSXMMEXCPT) can be checked whatever the default
 * says today. */
static struct cpu_model sse_model;

static int setup(void **state)
{
	(void)state;
	sse_model = *model_default();
	for (unsigned k = 0; k < sse_model.n_cpuid; k++)
		if (sse_model.cpuid[k].leaf == 1)
			sse_model.cpuid[k].edx |= 3u << 25;
	env_open(ENV_RAM, &sse_model, ENV_PT);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	env_close(env_cur);
	return 0;
}

static struct cpu *cpu32(void)
{
	struct cpu *c = env_cpu(ENV_FLAT32);
	c->cr0 |= CR0_NE | CR0_MP;
	c->cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_OSXSAVE;
	return c;
}

static void fill(uint64_t pa, unsigned len, uint8_t v)
{
	memset(env_ptr(pa), v, len);
}

static void set_xmm(struct cpu *c)
{
	for (unsigned r = 0; r < 16; r++) {
		c->v[r].q[0] = 0x1111111111111111ull * (r + 1);
		c->v[r].q[1] = ~c->v[r].q[0];
	}
}

/* FNINIT, FLD1, FLDPI from an FADD [AREA+0x400] at 0x7000, FS 0x28. */
static void x87_state(struct cpu *c)
{
	env_set(AREA + 0x400, 4, 0);
	assert_int_equal(ENV_RUN(c, 0xdb, 0xe3), -1);
	assert_int_equal(ENV_RUN(c, 0xd9, 0xe8), -1);
	assert_int_equal(ENV_RUN(c, 0xd9, 0xeb), -1);
	c->rip = 0x7000;
	c->seg[SEG_FS].sel = 0x28;
	assert_int_equal(ENV_RUN(c, 0x64, X87(0xd8, 0, AREA + 0x400)), -1);
}

/* The legacy layout, 32-bit format, byte by byte. */
static void test_fxsave_layout(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	x87_state(c);
	set_xmm(c);
	c->mxcsr = 0x1fa0;
	fill(AREA, 512, 0xaa);
	assert_int_equal(ENV_RUN(c, AE(0, AREA)), -1);
	assert_int_equal(env_get(AREA + 0, 2), 0x037f);      /* FCW */
	assert_int_equal(env_get(AREA + 2, 2), 0x3000);      /* TOP 6 */
	assert_int_equal(env_get(AREA + 4, 1), 0xc0);        /* R6, R7 */
	assert_int_equal(env_get(AREA + 5, 1), 0);
	assert_int_equal(env_get(AREA + 6, 2), 0x005);       /* D8 /0 mod 0 rm 5 */
	assert_int_equal(env_get(AREA + 8, 4), 0x7000);
	assert_int_equal(env_get(AREA + 12, 4), 0x10);       /* FCS */
	assert_int_equal(env_get(AREA + 16, 4), AREA + 0x400);
	assert_int_equal(env_get(AREA + 20, 4), 0x28);       /* FDS */
	assert_int_equal(env_get(AREA + 24, 4), 0x1fa0);
	assert_int_equal(env_get(AREA + 28, 4), 0xffff);     /* MXCSR_MASK */
	/* ST0 = pi (+ 0), ST1 = 1.0, in stack order. */
	assert_int_equal(env_get(AREA + 32, 8), 0xc90fdaa22168c235ull);
	assert_int_equal(env_get(AREA + 40, 8), 0x4000);
	assert_int_equal(env_get(AREA + 48, 8), 1ull << 63);
	assert_int_equal(env_get(AREA + 56, 8), 0x3fff);
	for (unsigned r = 0; r < 8; r++) {
		assert_int_equal(env_get(AREA + 160 + 16 * r, 8), c->v[r].q[0]);
		assert_int_equal(env_get(AREA + 168 + 16 * r, 8), c->v[r].q[1]);
	}
	/* XMM8-15 are not saved outside 64-bit mode; 464-511 are the
	 * software's. */
	for (unsigned k = 288; k < 512; k++)
		assert_int_equal(env_get(AREA + k, 1), 0xaa);
}

/* REX.W (FXSAVE64): 64-bit FIP and FDP, no selectors; all 16 XMM
 * registers in 64-bit mode. */
static void test_fxsave64(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	c->cr4 |= CR4_OSFXSR;
	c->cr0 |= CR0_NE;
	assert_int_equal(ENV_RUN(c, 0xdb, 0xe3), -1);
	c->rip = 0x12345;
	assert_int_equal(ENV_RUN(c, 0xd9, 0xe8), -1);
	set_xmm(c);
	fill(AREA, 512, 0xaa);
	assert_int_equal(ENV_RUN(c, 0x48, AE64(0, AREA)), -1);
	assert_int_equal(env_get(AREA + 8, 8), 0x12345);
	assert_int_equal(env_get(AREA + 16, 8), 0);
	assert_int_equal(env_get(AREA + 400, 8), c->v[15].q[0]);
	for (unsigned k = 464; k < 512; k++)
		assert_int_equal(env_get(AREA + k, 1), 0xaa);
	/* Without REX.W, the 32-bit layout: FCS beside FIP. */
	assert_int_equal(ENV_RUN(c, AE64(0, AREA)), -1);
	assert_int_equal(env_get(AREA + 8, 4), 0x12345);
	assert_int_equal(env_get(AREA + 12, 2), c->seg[SEG_CS].sel);
}

static void test_fxsave_faults(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	env_expect(c, ENV_RUN(c, AE(0, AREA + 8)), EXC_GP, "16-byte aligned");
	c->cr0 |= CR0_EM;
	env_expect(c, ENV_RUN(c, AE(0, AREA)), EXC_UD, "CR0.EM = 1");
	c->cr0 = (c->cr0 & ~CR0_EM) | CR0_TS;
	env_expect(c, ENV_RUN(c, AE(1, AREA)), EXC_NM, "CR0.TS = 1");
	c->cr0 &= ~CR0_TS;
	/* CR4.OSFXSR = 0: MXCSR and the XMM registers are left out. */
	c->cr4 &= ~CR4_OSFXSR;
	fill(AREA, 512, 0xaa);
	assert_int_equal(ENV_RUN(c, AE(0, AREA)), -1);
	assert_int_equal(env_get(AREA + 24, 4), 0xaaaaaaaa);
	assert_int_equal(env_get(AREA + 160, 4), 0xaaaaaaaa);
	assert_int_equal(env_get(AREA + 0, 2), 0x0040);
}

/* FXRSTOR: the abridged tags and the registers rebuild the full tag
 * word; a reserved MXCSR bit is #GP(0) and nothing changes. */
static void test_fxrstor(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	x87_state(c);
	set_xmm(c);
	assert_int_equal(ENV_RUN(c, AE(0, AREA)), -1);
	struct x87_state saved = c->x87;
	assert_int_equal(ENV_RUN(c, 0xdb, 0xe3), -1);
	memset(c->v, 0, sizeof(c->v));
	c->mxcsr = 0;
	assert_int_equal(ENV_RUN(c, AE(1, AREA)), -1);
	assert_memory_equal(&c->x87, &saved, sizeof(saved));
	assert_int_equal(c->mxcsr, 0x1f80);
	assert_int_equal(c->v[7].q[1], ~(0x1111111111111111ull * 8));
	assert_int_equal(c->v[8].q[0], 0);
	/* Abridged FTW 0x01 with ST0 = R6 = pi... now R0 holds +0: tag
	 * zero; the others empty. */
	env_set(AREA + 4, 1, 0x01);
	env_set(AREA + 2, 2, 0);                             /* TOP 0 */
	env_set(AREA + 32, 8, 0);
	env_set(AREA + 40, 2, 0);
	assert_int_equal(ENV_RUN(c, AE(1, AREA)), -1);
	assert_int_equal(c->x87.ftw, 0xfffd);
	env_set(AREA + 24, 4, 0x10000);
	struct x87_state before = c->x87;
	env_expect(c, ENV_RUN(c, AE(1, AREA)), EXC_GP, "reserved");
	assert_memory_equal(&c->x87, &before, sizeof(before));
}

static void test_mxcsr(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	env_set(AREA, 4, 0xffff);
	assert_int_equal(ENV_RUN(c, AE(2, AREA)), -1);
	assert_int_equal(c->mxcsr, 0xffff);
	assert_int_equal(ENV_RUN(c, AE(3, AREA + 4)), -1);
	assert_int_equal(env_get(AREA + 4, 4), 0xffff);
	env_set(AREA, 4, 0x10000);
	env_expect(c, ENV_RUN(c, AE(2, AREA)), EXC_GP, "reserved");
	assert_int_equal(c->mxcsr, 0xffff);
	c->cr4 &= ~CR4_OSFXSR;
	env_expect(c, ENV_RUN(c, AE(3, AREA)), EXC_UD, "CR4.OSFXSR = 0");
	c->cr4 |= CR4_OSFXSR;
	c->cr0 |= CR0_EM;
	env_expect(c, ENV_RUN(c, AE(3, AREA)), EXC_UD, "CR0.EM = 1");
	c->cr0 = (c->cr0 & ~CR0_EM) | CR0_TS;
	env_expect(c, ENV_RUN(c, AE(3, AREA)), EXC_NM, NULL);
}

static int xsetbv(struct cpu *c, uint32_t ecx, uint64_t v)
{
	c->gpr[REG_RCX] = ecx;
	c->gpr[REG_RAX] = (uint32_t)v;
	c->gpr[REG_RDX] = v >> 32;
	return ENV_RUN(c, 0x0f, 0x01, 0xd1);
}

static uint64_t xgetbv(struct cpu *c, uint32_t ecx)
{
	c->gpr[REG_RCX] = ecx;
	assert_int_equal(ENV_RUN(c, 0x0f, 0x01, 0xd0), -1);
	return (c->gpr[REG_RDX] << 32) | (uint32_t)c->gpr[REG_RAX];
}

/* SDM Vol. 2C XSETBV, Vol. 1 13.3. */
static void test_xsetbv_xgetbv(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	assert_int_equal(xgetbv(c, 0), 1);                   /* RESET */
	env_expect(c, xsetbv(c, 0, 0), EXC_GP, "bit 0 (x87) must be 1");
	env_expect(c, xsetbv(c, 0, 2), EXC_GP, "bit 0");
	env_expect(c, xsetbv(c, 0, 7), EXC_GP, "does not support");
	env_expect(c, xsetbv(c, 0, 5), EXC_GP, "does not support");
	env_expect(c, xsetbv(c, 1, 3), EXC_GP, "ECX = 0x1");
	assert_int_equal(xsetbv(c, 0, 3), -1);
	assert_int_equal(xgetbv(c, 0), 3);
	/* XGETBV with ECX = 1: XCR0 AND XINUSE. */
	x87_state(c);
	memset(c->v, 0, sizeof(c->v));
	assert_int_equal(xgetbv(c, 1), 1);
	c->v[3].b[5] = 1;
	assert_int_equal(xgetbv(c, 1), 3);
	c->gpr[REG_RCX] = 2;
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xd0), EXC_GP, NULL);
	env_set_cpl(c, 3);
	env_expect(c, xsetbv(c, 0, 3), EXC_GP, "CPL 3");
	assert_int_equal(xgetbv(c, 0), 3);
	env_set_cpl(c, 0);
	c->cr4 &= ~CR4_OSXSAVE;
	env_expect(c, xsetbv(c, 0, 3), EXC_UD, "CR4.OSXSAVE = 0");
	c->gpr[REG_RCX] = 0;
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xd0), EXC_UD, NULL);
}

static void rfbm(struct cpu *c, uint64_t m)
{
	c->gpr[REG_RAX] = (uint32_t)m;
	c->gpr[REG_RDX] = m >> 32;
}

/* XSAVE with a partial RFBM: only the requested components are written;
 * XSTATE_BV[i] = XINUSE[i] for them, the other bits and the rest of the
 * header stay (SDM Vol. 1 13.7). */
static void test_xsave_rfbm(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	assert_int_equal(xsetbv(c, 0, 3), -1);
	x87_state(c);
	set_xmm(c);
	fill(AREA, 576, 0xaa);
	env_set(AREA + 512, 8, 0xf0);
	rfbm(c, 1);
	env_expect(c, ENV_RUN(c, AE(4, AREA + 32)), EXC_GP, "64-byte aligned");
	assert_int_equal(ENV_RUN(c, AE(4, AREA)), -1);
	assert_int_equal(env_get(AREA, 2), 0x037f);
	assert_int_equal(env_get(AREA + 24, 4), 0xaaaaaaaa); /* no MXCSR */
	assert_int_equal(env_get(AREA + 160, 4), 0xaaaaaaaa);
	assert_int_equal(env_get(AREA + 512, 8), 0xf1);
	assert_int_equal(env_get(AREA + 520, 8), 0xaaaaaaaaaaaaaaaaull);
	/* SSE only: MXCSR and XMM, not the x87 bytes; an XMM state that
	 * is all zeros is written but XSTATE_BV[1] = 0. */
	fill(AREA, 512, 0xbb);
	memset(c->v, 0, sizeof(c->v));
	rfbm(c, ~0ull);                                      /* & XCR0 */
	c->xcr0 = 3;
	rfbm(c, 2);
	assert_int_equal(ENV_RUN(c, AE(4, AREA)), -1);
	assert_int_equal(env_get(AREA, 2), 0xbbbb);
	assert_int_equal(env_get(AREA + 24, 4), 0x1f80);
	assert_int_equal(env_get(AREA + 160, 8), 0);
	assert_int_equal(env_get(AREA + 512, 8), 0xf1);
	/* XCR0 limits RFBM. */
	assert_int_equal(xsetbv(c, 0, 1), -1);
	fill(AREA, 512, 0xcc);
	rfbm(c, 3);
	assert_int_equal(ENV_RUN(c, AE(4, AREA)), -1);
	assert_int_equal(env_get(AREA + 24, 4), 0xcccccccc);
	assert_int_equal(env_get(AREA, 2), 0x037f);
}

/* The init optimization (XSAVEOPT, XSAVEC): a component in its initial
 * configuration is not written and its XSTATE_BV bit is 0. */
static void test_init_optimization(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	assert_int_equal(xsetbv(c, 0, 3), -1);
	x87_state(c);
	/* XRSTOR with XSTATE_BV = 0 puts both components in their
	 * initial configuration. */
	fill(AREA, 576, 0);
	env_set(AREA + 24, 4, 0x1f80);
	rfbm(c, 3);
	assert_int_equal(ENV_RUN(c, AE(5, AREA)), -1);
	assert_int_equal(c->x87.fcw, 0x037f);
	assert_int_equal(c->x87.ftw, 0xffff);
	assert_int_equal(c->x87.r[6].sign_exp, 0);
	assert_int_equal(xgetbv(c, 1), 0);
	rfbm(c, 3);
	fill(AREA + 0x400, 576, 0xdd);
	env_set(AREA + 0x400 + 512, 8, 3);
	assert_int_equal(ENV_RUN(c, AE(6, AREA + 0x400)), -1);  /* XSAVEOPT */
	assert_int_equal(env_get(AREA + 0x400, 2), 0xdddd);
	assert_int_equal(env_get(AREA + 0x400 + 160, 2), 0xdddd);
	assert_int_equal(env_get(AREA + 0x400 + 24, 4), 0x1f80); /* MXCSR always */
	assert_int_equal(env_get(AREA + 0x400 + 512, 8), 0);
	/* XSAVEC: XSTATE_BV = RFBM & XINUSE, XCOMP_BV = bit 63 | RFBM. */
	fill(AREA + 0x400, 576, 0xdd);
	assert_int_equal(ENV_RUN(c, C7(4, AREA + 0x400)), -1);
	assert_int_equal(env_get(AREA + 0x400 + 512, 8), 0);
	assert_int_equal(env_get(AREA + 0x400 + 520, 8), 0x8000000000000003ull);
	assert_int_equal(env_get(AREA + 0x400 + 528, 8), 0xddddddddddddddddull);
	assert_int_equal(env_get(AREA + 0x400 + 24, 4), 0xdddddddd);
	/* MXCSR other than 1F80H makes XSAVEC save SSE state. */
	c->mxcsr = 0x1f81;
	assert_int_equal(ENV_RUN(c, C7(4, AREA + 0x400)), -1);
	assert_int_equal(env_get(AREA + 0x400 + 512, 8), 2);
	assert_int_equal(env_get(AREA + 0x400 + 24, 4), 0x1f81);
	assert_int_equal(env_get(AREA + 0x400 + 160, 8), 0);
}

/* The modified optimization (SDM Vol. 1 13.6, 13.9): after XRSTOR from
 * an area, XSAVEOPT to the same area at the same CPL skips what was not
 * modified since. */
static void test_modified_optimization(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	assert_int_equal(xsetbv(c, 0, 3), -1);
	x87_state(c);
	set_xmm(c);
	rfbm(c, 3);
	assert_int_equal(ENV_RUN(c, AE(4, AREA)), -1);       /* XSAVE */
	assert_int_equal(env_get(AREA + 512, 8), 3);
	assert_int_equal(ENV_RUN(c, AE(5, AREA)), -1);       /* XRSTOR */
	env_set(AREA + 0, 2, 0x1234);                        /* scribble */
	env_set(AREA + 160, 2, 0x1234);
	assert_int_equal(ENV_RUN(c, AE(6, AREA)), -1);       /* XSAVEOPT */
	assert_int_equal(env_get(AREA + 0, 2), 0x1234);
	assert_int_equal(env_get(AREA + 160, 2), 0x1234);
	/* A modified component is written again. */
	c->v[0].b[0] ^= 0xff;
	assert_int_equal(ENV_RUN(c, AE(6, AREA)), -1);
	assert_int_equal(env_get(AREA + 0, 2), 0x1234);
	assert_int_equal(env_get(AREA + 160, 1), c->v[0].b[0]);
	/* Another address, or XSAVE, do not use the optimization. */
	fill(AREA + 0x400, 576, 0);
	assert_int_equal(ENV_RUN(c, AE(6, AREA + 0x400)), -1);
	assert_int_equal(env_get(AREA + 0x400, 2), 0x037f);
	assert_int_equal(ENV_RUN(c, AE(4, AREA)), -1);
	assert_int_equal(env_get(AREA + 0, 2), 0x037f);
}

/* XRSTOR's header checks (SDM Vol. 1 13.8.1, 13.8.2): #GP(0) and no
 * state change. */
static void test_xrstor_header(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	assert_int_equal(xsetbv(c, 0, 3), -1);
	x87_state(c);
	set_xmm(c);
	rfbm(c, 3);
	assert_int_equal(ENV_RUN(c, AE(4, AREA)), -1);
	struct x87_state before = c->x87;
	static const struct {
		unsigned off;
		uint64_t v;
		const char *why;
	} bad[] = {
		{ 512, 7, "XCR0" },
		{ 520, 1, "bytes 23:8" },
		{ 528, 1, "bytes 23:8" },
		{ 520, 0x8000000000000004ull, "beyond the enabled" },
		{ 520, 0x8000000000000001ull, "XCOMP_BV" },
		{ 24, 0x20000, "reserved" },
	};
	for (unsigned n = 0; n < sizeof(bad) / sizeof(bad[0]); n++) {
		fill(AREA + 512, 64, 0);
		assert_int_equal(ENV_RUN(c, AE(4, AREA)), -1);
		env_set(AREA + bad[n].off, 8, bad[n].v);
		env_expect(c, ENV_RUN(c, AE(5, AREA)), EXC_GP, bad[n].why);
		assert_memory_equal(&c->x87, &before, sizeof(before));
	}
	/* Compacted: bytes 63:16 must be 0. */
	assert_int_equal(ENV_RUN(c, C7(4, AREA)), -1);
	env_set(AREA + 560, 1, 1);
	env_expect(c, ENV_RUN(c, AE(5, AREA)), EXC_GP, "bytes 63:16");
	env_set(AREA + 560, 1, 0);
	assert_int_equal(ENV_RUN(c, AE(5, AREA)), -1);
	/* The compacted form with XSTATE_BV[1] = 0 sets MXCSR to 1F80H;
	 * the standard form loads it from memory whenever RFBM[1] = 1. */
	c->mxcsr = 0x1f81;
	memset(c->v, 0, sizeof(c->v));
	env_set(AREA + 24, 4, 0x1f82);
	env_set(AREA + 512, 8, 1);
	env_set(AREA + 520, 8, 0x8000000000000003ull);
	assert_int_equal(ENV_RUN(c, AE(5, AREA)), -1);
	assert_int_equal(c->mxcsr, 0x1f80);
	env_set(AREA + 520, 8, 0);
	assert_int_equal(ENV_RUN(c, AE(5, AREA)), -1);
	assert_int_equal(c->mxcsr, 0x1f82);
}

/* XSAVES and XRSTORS: CPL 0, the compacted format only, IA32_XSS. */
static void test_xsaves(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	assert_int_equal(xsetbv(c, 0, 3), -1);
	x87_state(c);
	rfbm(c, 3);
	fill(AREA, 576, 0);
	assert_int_equal(ENV_RUN(c, C7(5, AREA)), -1);
	assert_int_equal(env_get(AREA + 520, 8), 0x8000000000000003ull);
	assert_int_equal(ENV_RUN(c, C7(3, AREA)), -1);
	env_set(AREA + 520, 8, 0);
	env_expect(c, ENV_RUN(c, C7(3, AREA)), EXC_GP, "bit 63");
	env_set_cpl(c, 3);
	env_expect(c, ENV_RUN(c, C7(5, AREA)), EXC_GP, "CPL 0");
	env_expect(c, ENV_RUN(c, C7(3, AREA)), EXC_GP, "CPL 0");
	env_set_cpl(c, 0);
	char why[256];
	uint64_t v;
	assert_true(msr_read(c, 0xda0, &v, why, sizeof(why)));
	assert_int_equal(v, 0);
	assert_false(msr_write(c, 0xda0, 1, why, sizeof(why)));
	assert_true(msr_write(c, 0xda0, 0, why, sizeof(why)));
}

/* #UD while CR4.OSXSAVE = 0, #NM with CR0.TS = 1 (not CR0.EM). */
static void test_xsave_enable(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	c->cr4 &= ~CR4_OSXSAVE;
	env_expect(c, ENV_RUN(c, AE(4, AREA)), EXC_UD, "CR4.OSXSAVE = 0");
	env_expect(c, ENV_RUN(c, AE(5, AREA)), EXC_UD, "CR4.OSXSAVE = 0");
	c->cr4 |= CR4_OSXSAVE;
	c->cr0 |= CR0_TS;
	env_expect(c, ENV_RUN(c, AE(4, AREA)), EXC_NM, "CR0.TS = 1");
	c->cr0 = (c->cr0 & ~CR0_TS) | CR0_EM;
	rfbm(c, 1);
	assert_int_equal(ENV_RUN(c, AE(4, AREA)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fxsave_layout),
		cmocka_unit_test(test_fxsave64),
		cmocka_unit_test(test_fxsave_faults),
		cmocka_unit_test(test_fxrstor),
		cmocka_unit_test(test_mxcsr),
		cmocka_unit_test(test_xsetbv_xgetbv),
		cmocka_unit_test(test_xsave_rfbm),
		cmocka_unit_test(test_init_optimization),
		cmocka_unit_test(test_modified_optimization),
		cmocka_unit_test(test_xrstor_header),
		cmocka_unit_test(test_xsaves),
		cmocka_unit_test(test_xsave_enable),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
