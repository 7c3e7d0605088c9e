/* String instructions: REP counts and direction, REPE/REPNE termination,
 * address-size registers, and the interruptible REP (bounded bursts, a
 * precise and restartable fault in the middle). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/env.h"

static struct insn str_insn(unsigned size, unsigned prefixes)
{
	struct insn i = env_insn(size, 2);
	i.prefixes = (uint8_t)prefixes;
	return i;
}

static void test_rep_movsb_forward_and_backward(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = str_insn(1, PFX_REP);
	memcpy(env_ptr(0x20000), "abcdef", 6);
	c->gpr[REG_RSI] = 0x20000;
	c->gpr[REG_RDI] = 0x21000;
	c->gpr[REG_RCX] = 6;
	assert_int_equal(env_exec(c, &impl_MOVS_YbXb, &i), -1);
	assert_memory_equal(env_ptr(0x21000), "abcdef", 6);
	assert_int_equal(c->gpr[REG_RCX], 0);
	assert_int_equal(c->gpr[REG_RSI], 0x20006);
	assert_int_equal(c->gpr[REG_RDI], 0x21006);
	assert_int_equal(c->next_rip, ENV_RIP + 2);
	c->rflags |= FLAG_DF;
	struct insn q = str_insn(8, PFX_REP);
	c->gpr[REG_RSI] = 0x20008;
	c->gpr[REG_RDI] = 0x22008;
	c->gpr[REG_RCX] = 2;
	assert_int_equal(env_exec(c, &impl_MOVS_YvXv, &q), -1);
	assert_int_equal(c->gpr[REG_RSI], 0x1fff8);
	assert_int_equal(c->gpr[REG_RDI], 0x21ff8);
}

static void test_rep_count_zero_does_nothing(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = str_insn(4, PFX_REP);
	c->gpr[REG_RDI] = ENV_HOLE; /* would fault if touched */
	c->gpr[REG_RCX] = 0;
	assert_int_equal(env_exec(c, &impl_STOS_YvrAX, &i), -1);
	assert_int_equal(c->gpr[REG_RDI], ENV_HOLE);
}

static void test_repe_cmpsb_stops_at_difference(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = str_insn(1, PFX_REP);
	memcpy(env_ptr(0x20000), "same-x", 6);
	memcpy(env_ptr(0x21000), "same-y", 6);
	c->gpr[REG_RSI] = 0x20000;
	c->gpr[REG_RDI] = 0x21000;
	c->gpr[REG_RCX] = 100;
	assert_int_equal(env_exec(c, &impl_CMPS_XbYb, &i), -1);
	assert_int_equal(c->gpr[REG_RCX], 94);
	assert_int_equal(c->gpr[REG_RSI], 0x20006);
	assert_false(flag_zf(c));
	assert_true(flag_cf(c)); /* 'x' < 'y' */
}

static void test_repne_scasb_finds_byte(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = str_insn(1, PFX_REPNE);
	memcpy(env_ptr(0x20000), "hello\0", 6);
	c->gpr[REG_RAX] = 0;
	c->gpr[REG_RDI] = 0x20000;
	c->gpr[REG_RCX] = ~0ull;
	assert_int_equal(env_exec(c, &impl_SCAS_ALYb, &i), -1);
	assert_int_equal(c->gpr[REG_RDI], 0x20006);
	assert_int_equal(c->gpr[REG_RCX], ~0ull - 6);
	assert_true(flag_zf(c));
}

/* With a 32-bit address size ESI/EDI/ECX are used and written as 32-bit
 * registers (zero-extended in 64-bit mode). */
static void test_address_size_32(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = str_insn(1, PFX_REP);
	i.addrsize = 4;
	c->gpr[REG_RAX] = 0x5a;
	c->gpr[REG_RDI] = 0xffffffff00020000ull;
	c->gpr[REG_RCX] = 0xffffffff00000003ull;
	assert_int_equal(env_exec(c, &impl_STOS_YbAL, &i), -1);
	assert_int_equal(c->gpr[REG_RDI], 0x20003);
	assert_int_equal(c->gpr[REG_RCX], 0);
	assert_int_equal(env_get(0x20000, 3), 0x5a5a5a);
}

static void test_long_rep_runs_in_bursts(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = str_insn(1, PFX_REP);
	c->gpr[REG_RAX] = 1;
	c->gpr[REG_RDI] = 0x20000;
	c->gpr[REG_RCX] = 10000;
	assert_int_equal(env_exec(c, &impl_STOS_YbAL, &i), -1);
	assert_int_equal(c->next_rip, ENV_RIP);
	assert_true(c->gpr[REG_RCX] > 0 && c->gpr[REG_RCX] < 10000);
	unsigned calls = 1;
	while (c->next_rip == ENV_RIP && calls < 10) {
		assert_int_equal(env_exec(c, &impl_STOS_YbAL, &i), -1);
		calls++;
	}
	assert_int_equal(c->next_rip, ENV_RIP + 2);
	assert_int_equal(c->gpr[REG_RCX], 0);
	assert_int_equal(c->gpr[REG_RDI], 0x20000 + 10000);
	assert_int_equal(env_get(0x20000 + 9999, 1), 1);
}

/* A fault in iteration k leaves k-1 iterations done, the registers
 * describing them, and rIP at the instruction: a restart finishes it. */
static void test_fault_mid_rep_is_precise(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = str_insn(1, PFX_REP);
	memset(env_ptr(0x20000), 7, 16);
	c->gpr[REG_RSI] = 0x20000;
	c->gpr[REG_RDI] = ENV_HOLE - 5;
	c->gpr[REG_RCX] = 16;
	assert_int_equal(env_exec(c, &impl_MOVS_YbXb, &i), EXC_PF);
	assert_int_equal(c->gpr[REG_RCX], 11);
	assert_int_equal(c->gpr[REG_RSI], 0x20005);
	assert_int_equal(c->gpr[REG_RDI], ENV_HOLE);
	assert_int_equal(env_get(ENV_HOLE - 5, 5), 0x0707070707ull);
	assert_int_equal(c->next_rip, ENV_RIP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rep_movsb_forward_and_backward),
		cmocka_unit_test(test_rep_count_zero_does_nothing),
		cmocka_unit_test(test_repe_cmpsb_stops_at_difference),
		cmocka_unit_test(test_repne_scasb_finds_byte),
		cmocka_unit_test(test_address_size_32),
		cmocka_unit_test(test_long_rep_runs_in_bursts),
		cmocka_unit_test(test_fault_mid_rep_is_precise),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
