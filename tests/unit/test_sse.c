/* MMX and SSE availability and exception rules, from the SDM (Vol. 3A
 * 2.5 and 13.1, Vol. 2A 2.4 exception types, Vol. 1 9.5 and 11.5): what
 * the host CPU cannot show a user-mode test (CR0.EM, CR0.TS, CR4.OSFXSR,
 * CR4.OSXMMEXCPT = 0). Each case runs real encodings in 64-bit mode. */
#include "tests/unit/env.h"

#include "cpu/regs.h"

#define MXCSR_DEFAULT 0x1f80u

static struct cpu *sse_cpu(void)
{
	struct cpu *c = env_cpu(ENV_LONG64);
	c->cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	c->mxcsr = MXCSR_DEFAULT;
	return c;
}

/* addps xmm1, xmm2; paddb mm1, mm2 */
#define ADDPS 0x0f, 0x58, 0xca
#define PADDB_MM 0x0f, 0xfc, 0xca

static void test_sse_needs_osfxsr_and_no_em(void **state)
{
	(void)state;
	struct cpu *c = sse_cpu();
	c->cr4 &= ~CR4_OSFXSR;
	assert_int_equal(ENV_RUN(c, ADDPS), EXC_UD);
	assert_non_null(strstr(c->fault.reason, "OSFXSR"));
	c->cr4 |= CR4_OSFXSR;
	c->cr0 |= CR0_EM;
	assert_int_equal(ENV_RUN(c, ADDPS), EXC_UD);
	c->cr0 &= ~CR0_EM;
	c->cr0 |= CR0_TS;
	assert_int_equal(ENV_RUN(c, ADDPS), EXC_NM);
	c->cr0 &= ~CR0_TS;
	assert_int_equal(ENV_RUN(c, ADDPS), -1);
}

/* MMX: #UD with EM (OSFXSR does not matter), #NM with TS, #MF with an
 * unmasked x87 exception pending. */
static void test_mmx_rules(void **state)
{
	(void)state;
	struct cpu *c = sse_cpu();
	c->cr4 &= ~CR4_OSFXSR;
	c->x87.fsw = 0x3800; /* TOP = 7 */
	c->x87.ftw = 0xffff;
	assert_int_equal(ENV_RUN(c, PADDB_MM), -1);
	/* The transition to MMX: TOP = 0, all tags valid, exponent ones. */
	assert_int_equal(c->x87.fsw & 0x3800, 0);
	assert_int_equal(c->x87.ftw, 0);
	assert_int_equal(c->x87.r[1].sign_exp, 0xffff);
	c->cr0 |= CR0_EM;
	assert_int_equal(ENV_RUN(c, PADDB_MM), EXC_UD);
	c->cr0 &= ~CR0_EM;
	c->cr0 |= CR0_TS;
	assert_int_equal(ENV_RUN(c, PADDB_MM), EXC_NM);
	c->cr0 &= ~CR0_TS;
	c->x87.fsw = 0x8081;
	assert_int_equal(ENV_RUN(c, PADDB_MM), EXC_MF);
	/* EMMS empties every tag. */
	c->x87.fsw = 0;
	assert_int_equal(ENV_RUN(c, 0x0f, 0x77), -1);
	assert_int_equal(c->x87.ftw, 0xffff);
}

/* An unmasked SIMD exception is #XM with CR4.OSXMMEXCPT = 1 and #UD
 * without; the flag is set and the destination unchanged either way. */
static void test_xm_or_ud(void **state)
{
	(void)state;
	struct cpu *c = sse_cpu();
	c->mxcsr = MXCSR_DEFAULT & ~(1u << 9); /* ZE unmasked */
	c->v[1].d[0] = 0x3f800000; /* 1.0 / 0.0 */
	c->v[2].d[0] = 0;
	assert_int_equal(ENV_RUN(c, 0xf3, 0x0f, 0x5e, 0xca), EXC_XM);
	assert_int_equal(c->mxcsr & 0x3f, 1u << 2);
	assert_int_equal(c->v[1].d[0], 0x3f800000);
	c->cr4 &= ~CR4_OSXMMEXCPT;
	c->mxcsr &= ~0x3fu;
	assert_int_equal(ENV_RUN(c, 0xf3, 0x0f, 0x5e, 0xca), EXC_UD);
	assert_int_equal(c->mxcsr & 0x3f, 1u << 2);
	/* Masked: infinity, ZE recorded. */
	c->mxcsr = MXCSR_DEFAULT;
	assert_int_equal(ENV_RUN(c, 0xf3, 0x0f, 0x5e, 0xca), -1);
	assert_int_equal(c->v[1].d[0], 0x7f800000);
	assert_int_equal(c->mxcsr, MXCSR_DEFAULT | (1u << 2));
}

/* movaps xmm0, [rax] faults on a misaligned operand; movups does not. */
static void test_alignment(void **state)
{
	(void)state;
	struct cpu *c = sse_cpu();
	c->gpr[REG_RAX] = 0x3008;
	assert_int_equal(ENV_RUN(c, 0x0f, 0x28, 0x00), EXC_GP);
	assert_int_equal(ENV_RUN(c, 0x0f, 0x10, 0x00), -1);
	c->gpr[REG_RAX] = 0x3010;
	assert_int_equal(ENV_RUN(c, 0x0f, 0x28, 0x00), -1);
}

/* A register form of a memory-only instruction is #UD, with a reason. */
static void test_memory_only(void **state)
{
	(void)state;
	struct cpu *c = sse_cpu();
	assert_int_equal(ENV_RUN(c, 0x0f, 0x2b, 0xc1), EXC_UD); /* movntps */
	assert_non_null(strstr(c->fault.reason, "register operand"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sse_needs_osfxsr_and_no_em),
		cmocka_unit_test(test_mmx_rules),
		cmocka_unit_test(test_xm_or_ud),
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_memory_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
