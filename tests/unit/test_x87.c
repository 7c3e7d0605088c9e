/* The x87 unit's state rules: FNINIT, the control and status words,
 * the FNSTENV/FLDENV and FNSAVE/FRSTOR images in their four layouts
 * (SDM Vol. 1 8.1.10, figures 8-9 to 8-12), the tag word, stack faults,
 * the instruction and data pointers, the CR0.EM/MP/TS rules (Vol. 3A
 * table 2-2) and pending-exception delivery: #MF with CR0.NE = 1, FERR#
 * and IGNNE# with CR0.NE = 0 (Vol. 1 8.7, appendix D). The arithmetic
 * itself is compared with the host CPU in tests/diff/x87_diff.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cpu/regs.h"
#include "tests/unit/env.h"

#define BUF 0x3000u   /* a memory operand */
#define D32(a) (uint8_t)(a), (uint8_t)((a) >> 8), (uint8_t)((a) >> 16), \
	(uint8_t)((a) >> 24)
/* An x87 memory form with a [disp32] operand in 32-bit code. */
#define MEM(op, reg, a) op, (uint8_t)((reg) << 3 | 5), D32(a)

static struct cpu *cpu32(void)
{
	struct cpu *c = env_cpu(ENV_FLAT32);
	c->cr0 |= CR0_NE | CR0_MP;
	return c;
}

static uint16_t fsw(struct cpu *c)
{
	assert_int_equal(ENV_RUN(c, MEM(0xdd, 7, BUF + 0x800)), -1);
	return (uint16_t)env_get(BUF + 0x800, 2);
}

static uint16_t fcw(struct cpu *c)
{
	assert_int_equal(ENV_RUN(c, MEM(0xd9, 7, BUF + 0x800)), -1);
	return (uint16_t)env_get(BUF + 0x800, 2);
}

static void fldcw(struct cpu *c, uint16_t v)
{
	env_set(BUF + 0x800, 2, v);
	assert_int_equal(ENV_RUN(c, MEM(0xd9, 5, BUF + 0x800)), -1);
}

/* The tag word as FNSTENV reports it. */
static uint16_t ftw(struct cpu *c)
{
	assert_int_equal(ENV_RUN(c, MEM(0xd9, 6, BUF + 0x900)), -1);
	uint16_t t = (uint16_t)env_get(BUF + 0x908, 2);
	/* FNSTENV masked every exception; put the control word back. */
	env_set(BUF + 0x800, 2, env_get(BUF + 0x900, 2));
	assert_int_equal(ENV_RUN(c, MEM(0xd9, 5, BUF + 0x800)), -1);
	return t;
}

static void test_finit(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	/* RESET: FCW 0040H, FTW 5555H (SDM Vol. 3A table 9-1). */
	assert_int_equal(fcw(c), 0x0040);
	assert_int_equal(ENV_RUN(c, 0xdb, 0xe3), -1);        /* FNINIT */
	assert_int_equal(ENV_RUN(c, 0xd9, 0xe8), -1);        /* FLD1 */
	assert_int_equal(ENV_RUN(c, 0xdb, 0xe3), -1);
	assert_int_equal(fcw(c), 0x037f);
	assert_int_equal(fsw(c), 0);
	assert_int_equal(ftw(c), 0xffff);
	/* FNINIT clears the pointers and the opcode but not the registers
	 * (SDM Vol. 2A FINIT). */
	assert_int_equal(ENV_RUN(c, MEM(0xd9, 6, BUF)), -1);
	for (unsigned k = 12; k < 24; k += 4)
		assert_int_equal(env_get(BUF + k, 4) & 0x07ffffff, 0);
	assert_int_equal(c->x87.r[7].sign_exp, 0x3fff);
	assert_int_equal(c->x87.r[7].signif, 1ull << 63);
}

/* FCW bit 6 reads as 1, bits 7 and 15:13 as 0. */
static void test_control_word(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	fldcw(c, 0x0000);
	assert_int_equal(fcw(c), 0x0040);
	fldcw(c, 0xffff);
	assert_int_equal(fcw(c), 0x1f7f);
}

/* FNSTENV, 32-bit protected layout (figure 8-9): the reserved upper
 * halves read FFFFH, the opcode sits in bits 26:16 beside FCS; FNSTENV
 * then masks every exception. */
static void test_fnstenv_protected32(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	assert_int_equal(ENV_RUN(c, 0xdb, 0xe3), -1);
	fldcw(c, 0x0272);
	env_set(BUF + 0x40, 4, 0x40400000u);               /* 3.0f */
	c->rip = 0x12340;
	assert_int_equal(ENV_RUN(c, MEM(0xd9, 0, BUF + 0x40)), -1);  /* FLD */
	assert_int_equal(ENV_RUN(c, MEM(0xd9, 6, BUF)), -1);
	assert_int_equal(env_get(BUF + 0, 4), 0xffff0272);
	assert_int_equal(env_get(BUF + 4, 4), 0xffff3800);  /* TOP = 7 */
	assert_int_equal(env_get(BUF + 8, 4), 0xffff3fff);  /* R7 valid */
	assert_int_equal(env_get(BUF + 12, 4), 0x12340);
	assert_int_equal(env_get(BUF + 16, 4), 0x01050010); /* FOP 105, CS */
	assert_int_equal(env_get(BUF + 20, 4), BUF + 0x40);
	assert_int_equal(env_get(BUF + 24, 4), 0xffff0018);
	assert_int_equal(fcw(c), 0x027f);
}

/* 16-bit protected layout (figure 8-10): 14 bytes, no opcode. */
static void test_fnstenv_protected16(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	assert_int_equal(ENV_RUN(c, 0xdb, 0xe3), -1);
	c->rip = 0x5678;
	assert_int_equal(ENV_RUN(c, 0xd9, 0xee), -1);      /* FLDZ */
	env_set(BUF + 14, 2, 0xaaaa);
	assert_int_equal(ENV_RUN(c, 0x66, MEM(0xd9, 6, BUF)), -1);
	static const uint16_t want[7] = { 0x037f, 0x3800, 0x7fff, 0x5678,
					  0x0010, 0, 0 };
	for (unsigned k = 0; k < 7; k++)
		assert_int_equal(env_get(BUF + 2 * k, 2), want[k]);
	assert_int_equal(env_get(BUF + 14, 2), 0xaaaa);
}

/* Real-address mode layouts (figures 8-11, 8-12): 20-bit linear
 * pointers with the opcode beside bits 19:16 of the instruction's. */
static void test_fnstenv_real(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_REAL);
	c->seg[SEG_CS].attr &= ~SEG_ATTR_DB;
	c->seg[SEG_CS].sel = 0x1234;
	c->seg[SEG_CS].base = 0x12340;
	c->seg[SEG_DS].sel = 0x0100;
	c->seg[SEG_DS].base = 0x1000;
	c->rip = 0x0010;
	/* FLD dword [0x2000] (16-bit addressing: ModRM 06 disp16). */
	env_set(0x3000, 4, 0x3f800000u);
	assert_int_equal(ENV_RUN(c, 0xd9, 0x06, 0x00, 0x20), -1);
	/* FNSTENV [0x2100] with 32-bit operand size. */
	assert_int_equal(ENV_RUN(c, 0x66, 0xd9, 0x36, 0x00, 0x21), -1);
	uint64_t e = 0x1000 + 0x2100;
	uint32_t ip = 0x12340 + 0x10, dp = 0x1000 + 0x2000;
	assert_int_equal(env_get(e + 12, 4), 0xffff0000u | (ip & 0xffff));
	assert_int_equal(env_get(e + 16, 4), (ip >> 16) << 12 | 0x106);
	assert_int_equal(env_get(e + 20, 4), 0xffff0000u | (dp & 0xffff));
	assert_int_equal(env_get(e + 24, 4), (dp >> 16) << 12);
	/* FNSTENV [0x2200], 16-bit. */
	assert_int_equal(ENV_RUN(c, 0xd9, 0x36, 0x00, 0x22), -1);
	e = 0x1000 + 0x2200;
	assert_int_equal(env_get(e + 6, 2), ip & 0xffff);
	assert_int_equal(env_get(e + 8, 2), (ip >> 16) << 12 | 0x106);
	assert_int_equal(env_get(e + 10, 2), dp & 0xffff);
	assert_int_equal(env_get(e + 12, 2), (dp >> 16) << 12);
}

/* FNSAVE stores the registers in stack order after the environment,
 * then initializes the unit; FRSTOR brings all back, and the tags of
 * registers that are not empty follow their contents. */
static void test_fnsave_frstor(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	assert_int_equal(ENV_RUN(c, 0xdb, 0xe3), -1);
	assert_int_equal(ENV_RUN(c, 0xd9, 0xe8), -1);      /* FLD1 */
	assert_int_equal(ENV_RUN(c, 0xd9, 0xee), -1);      /* FLDZ */
	assert_int_equal(ENV_RUN(c, MEM(0xdd, 6, BUF)), -1);
	assert_int_equal(env_get(BUF + 8, 4), 0xffff1fff); /* R6 zero, R7 valid */
	assert_int_equal(env_get(BUF + 28, 8), 0);          /* ST0 = +0 */
	assert_int_equal(env_get(BUF + 36, 2), 0);
	assert_int_equal(env_get(BUF + 38, 8), 1ull << 63); /* ST1 = 1.0 */
	assert_int_equal(env_get(BUF + 46, 2), 0x3fff);
	assert_int_equal(fcw(c), 0x037f);
	assert_int_equal(fsw(c), 0);
	assert_int_equal(ftw(c), 0xffff);
	/* A loaded tag word that says "valid" for the zero and "special"
	 * for 1.0 is corrected from the contents. */
	env_set(BUF + 8, 2, 0x8fff);
	assert_int_equal(ENV_RUN(c, MEM(0xdd, 4, BUF)), -1);
	assert_int_equal(fsw(c), 0x3000);
	assert_int_equal(ftw(c), 0x1fff);
}

/* Stack overflow and underflow (SDM Vol. 1 8.5.1.1): IE and SF with C1 =
 * 1 or 0; masked, the QNaN indefinite is the result; unmasked, ES is set
 * and the stack stays. */
static void test_stack_faults(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	assert_int_equal(ENV_RUN(c, 0xdb, 0xe3), -1);
	for (unsigned k = 0; k < 8; k++)
		assert_int_equal(ENV_RUN(c, 0xd9, 0xe8), -1);
	assert_int_equal(fsw(c), 0);
	assert_int_equal(ENV_RUN(c, 0xd9, 0xe8), -1);      /* overflow */
	assert_int_equal(fsw(c), 0x3800 | 0x0200 | 0x41);
	assert_int_equal(c->x87.r[7].sign_exp, 0xffff);
	assert_int_equal(c->x87.r[7].signif, 0xc000000000000000ull);

	assert_int_equal(ENV_RUN(c, 0xdb, 0xe3), -1);
	fldcw(c, 0x037e);                                   /* IE unmasked */
	assert_int_equal(ENV_RUN(c, 0xd8, 0xc1), -1);      /* FADD: empty */
	assert_int_equal(fsw(c), 0x8000 | 0x80 | 0x41);
	assert_int_equal(ftw(c), 0xffff);
}

/* An unmasked exception is reported at the next waiting x87
 * instruction or WAIT, not at the non-waiting ones (SDM Vol. 1 8.6,
 * 8.7.1), as #MF with CR0.NE = 1; the state is left for the handler. */
static void test_pending_mf(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	assert_int_equal(ENV_RUN(c, 0xdb, 0xe3), -1);
	fldcw(c, 0x037b);                                   /* ZE unmasked */
	assert_int_equal(ENV_RUN(c, 0xd9, 0xe8), -1);      /* FLD1 */
	assert_int_equal(ENV_RUN(c, 0xd9, 0xee), -1);      /* FLDZ */
	assert_int_equal(ENV_RUN(c, 0xde, 0xf9), -1);      /* FDIVP */
	assert_int_equal(ENV_RUN(c, 0xdf, 0xe0), -1);      /* FNSTSW AX */
	assert_int_equal(c->gpr[REG_RAX] & 0xffff, 0xb084);
	uint64_t rip = c->rip;
	env_expect(c, ENV_RUN(c, 0xd9, 0xe8), EXC_MF, "CR0.NE = 1");
	assert_int_equal(c->rip, rip);
	env_expect(c, ENV_RUN(c, 0x9b), EXC_MF, NULL);      /* WAIT */
	env_expect(c, ENV_RUN(c, MEM(0xd9, 5, BUF)), EXC_MF, NULL); /* FLDCW */
	assert_int_equal(ENV_RUN(c, 0xdb, 0xe2), -1);      /* FNCLEX */
	assert_int_equal(ENV_RUN(c, 0x9b), -1);
	assert_int_equal(fsw(c) & 0x80ff, 0);
	/* FLDCW that unmasks a flag already set makes it pending. */
	fldcw(c, 0x037f);
	assert_int_equal(ENV_RUN(c, 0xd9, 0xe8), -1);
	assert_int_equal(ENV_RUN(c, 0xd9, 0xee), -1);
	assert_int_equal(ENV_RUN(c, 0xde, 0xf9), -1);
	assert_int_equal(fsw(c) & 0x80ff, 0x04);
	fldcw(c, 0x037b);
	assert_int_equal(fsw(c) & 0x80ff, 0x8084);
	env_expect(c, ENV_RUN(c, 0x9b), EXC_MF, NULL);
}

static int ferr_level = -1;
static unsigned ferr_calls;

static void ferr_cb(void *ctx, bool level)
{
	(void)ctx;
	ferr_level = level;
	ferr_calls++;
}

/* CR0.NE = 0 (SDM Vol. 1 D.2.2): FERR# goes with the unmasked
 * exception; the next waiting instruction stops the processor before it
 * until an interrupt, unless IGNNE# is asserted; clearing the flags
 * deasserts FERR#. */
static void test_ferr_ignne(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	struct bus_ops ops = env_bus_ops;
	ops.ferr = ferr_cb;
	env_cur->bus.ops = &ops;
	c->cr0 &= ~CR0_NE;
	ferr_level = -1;
	ferr_calls = 0;
	assert_int_equal(ENV_RUN(c, 0xdb, 0xe3), -1);
	fldcw(c, 0x037b);
	assert_int_equal(ENV_RUN(c, 0xd9, 0xe8), -1);
	assert_int_equal(ENV_RUN(c, 0xd9, 0xee), -1);
	assert_int_equal(ferr_calls, 0);
	assert_int_equal(ENV_RUN(c, 0xde, 0xf9), -1);
	assert_int_equal(ferr_level, 1);
	assert_int_equal(ferr_calls, 1);
	uint64_t rip = c->rip;
	assert_int_equal(ENV_RUN(c, 0xd9, 0xe8), -1);      /* frozen */
	assert_true(c->halted);
	assert_int_equal(c->rip, rip);
	c->halted = false;
	cpu_set_ignne(c, true);
	assert_int_equal(ENV_RUN(c, 0xd9, 0xe8), -1);      /* ignored */
	assert_false(c->halted);
	assert_int_equal(c->rip, rip + 2);
	cpu_set_ignne(c, false);
	assert_int_equal(ENV_RUN(c, 0xdb, 0xe2), -1);      /* FNCLEX */
	assert_int_equal(ferr_level, 0);
	assert_int_equal(ferr_calls, 2);
	env_cur->bus.ops = &env_bus_ops;
}

/* SDM Vol. 3A table 2-2: EM or TS make x87 instructions #NM (even an
 * undefined opcode, which is #UD otherwise); WAIT only with MP and TS. */
static void test_cr0_rules(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	c->cr0 |= CR0_EM;
	env_expect(c, ENV_RUN(c, 0xd9, 0xe8), EXC_NM, "CR0.EM = 1");
	assert_int_equal(ENV_RUN(c, 0x9b), -1);
	c->cr0 = (c->cr0 & ~CR0_EM) | CR0_TS;
	env_expect(c, ENV_RUN(c, 0xd9, 0xe8), EXC_NM, "CR0.TS = 1");
	env_expect(c, ENV_RUN(c, 0xd9, 0xd1), EXC_NM, NULL);
	env_expect(c, ENV_RUN(c, 0x9b), EXC_NM, "CR0.MP = 1");
	c->cr0 &= ~CR0_MP;
	assert_int_equal(ENV_RUN(c, 0x9b), -1);
	c->cr0 &= ~CR0_TS;
	env_expect(c, ENV_RUN(c, 0xd9, 0xd1), EXC_UD, "reserved");
	env_expect(c, ENV_RUN(c, MEM(0xdd, 5, BUF)), EXC_UD, "reserved");
}

/* FIP, FCS, FOP, FDP and FDS name the last non-control instruction and
 * its memory operand (SDM Vol. 1 8.1.8, 8.1.9); control instructions
 * leave them. */
static void test_pointers(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	assert_int_equal(ENV_RUN(c, 0xdb, 0xe3), -1);
	env_set(BUF + 0x10, 4, 0x40000000u);
	c->rip = 0x4000;
	/* FADD dword [BUF+0x10] with an FS override. */
	assert_int_equal(ENV_RUN(c, 0xd9, 0xe8), -1);
	c->rip = 0x5000;
	c->seg[SEG_FS].sel = 0x28;
	assert_int_equal(ENV_RUN(c, 0x64, MEM(0xd8, 0, BUF + 0x10)), -1);
	fldcw(c, 0x037f);
	assert_int_equal(ENV_RUN(c, MEM(0xd9, 6, BUF)), -1);
	assert_int_equal(env_get(BUF + 12, 4), 0x5000);
	assert_int_equal(env_get(BUF + 16, 4), 0x00050010);
	assert_int_equal(env_get(BUF + 20, 4), BUF + 0x10);
	assert_int_equal(env_get(BUF + 24, 2), 0x28);
	/* 1.0 + 2.0 */
	assert_int_equal(c->x87.r[7].signif, 0xc000000000000000ull);
	assert_int_equal(c->x87.r[7].sign_exp, 0x4000);
	/* A register form leaves FDP. */
	c->rip = 0x6000;
	assert_int_equal(ENV_RUN(c, 0xd9, 0xe0), -1);      /* FCHS */
	assert_int_equal(ENV_RUN(c, MEM(0xd9, 6, BUF)), -1);
	assert_int_equal(env_get(BUF + 12, 4), 0x6000);
	assert_int_equal(env_get(BUF + 16, 4), 0x01e00010);
	assert_int_equal(env_get(BUF + 20, 4), BUF + 0x10);
}

/* Rounding control applies to FIST (SDM Vol. 1 4.8.4): 2.5 rounds to 2
 * (nearest even), 3 (up), 2 (down, toward zero). */
static void test_rounding(void **state)
{
	(void)state;
	struct cpu *c = cpu32();
	static const struct { uint16_t cw; int16_t want; } k[] = {
		{ 0x037f, 2 }, { 0x0b7f, 3 }, { 0x077f, 2 }, { 0x0f7f, 2 },
	};
	env_set(BUF + 0x20, 4, 0x40200000u);               /* 2.5f */
	for (unsigned n = 0; n < 4; n++) {
		assert_int_equal(ENV_RUN(c, 0xdb, 0xe3), -1);
		fldcw(c, k[n].cw);
		assert_int_equal(ENV_RUN(c, MEM(0xd9, 0, BUF + 0x20)), -1);
		assert_int_equal(ENV_RUN(c, MEM(0xdf, 3, BUF + 0x30)), -1);
		assert_int_equal((int16_t)env_get(BUF + 0x30, 2), k[n].want);
		assert_int_equal(fsw(c) & 0x20, 0x20);          /* PE */
	}
}

/* Without CPUID.1:EDX.FPU the escapes are #UD (after the #NM rules). */
static void test_no_fpu(void **state)
{
	(void)state;
	struct cpu_model m = *model_default();
	for (unsigned k = 0; k < m.n_cpuid; k++)
		if (m.cpuid[k].leaf == 1)
			m.cpuid[k].edx &= ~1u;
	if (env_cur)
		env_close(env_cur);
	struct env *e = env_open(ENV_RAM, &m, ENV_PT);
	struct cpu *c = env_cpu(ENV_FLAT32);
	env_expect(c, ENV_RUN(c, 0xd9, 0xe8), EXC_UD, "FPU");
	c->cr0 |= CR0_TS;
	env_expect(c, ENV_RUN(c, 0xd9, 0xe8), EXC_NM, NULL);
	env_close(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finit),
		cmocka_unit_test(test_control_word),
		cmocka_unit_test(test_fnstenv_protected32),
		cmocka_unit_test(test_fnstenv_protected16),
		cmocka_unit_test(test_fnstenv_real),
		cmocka_unit_test(test_fnsave_frstor),
		cmocka_unit_test(test_stack_faults),
		cmocka_unit_test(test_pending_mf),
		cmocka_unit_test(test_ferr_ignne),
		cmocka_unit_test(test_cr0_rules),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_rounding),
		cmocka_unit_test(test_no_fpu),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
