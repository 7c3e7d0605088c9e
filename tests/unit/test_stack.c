/* Stack handlers and cpu/stack.c against the SDM: stack-pointer width,
 * precise faults, POP with an rSP-based destination, PUSHA/POPA, ENTER
 * with nesting levels, LEAVE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/env.h"

static void test_push_pop_round_trip(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = env_reg(8, 0, REG_RBX);
	c->gpr[REG_RSP] = 0x20000;
	c->gpr[REG_RBX] = 0x1122334455667788ull;
	assert_int_equal(env_exec(c, &impl_PUSH_Zv, &i), -1);
	assert_int_equal(c->gpr[REG_RSP], 0x1fff8);
	assert_int_equal(env_get(0x1fff8, 8), 0x1122334455667788ull);
	i.rm = REG_RCX;
	assert_int_equal(env_exec(c, &impl_POP_Zv, &i), -1);
	assert_int_equal(c->gpr[REG_RCX], 0x1122334455667788ull);
	assert_int_equal(c->gpr[REG_RSP], 0x20000);
}

static void test_push_fault_leaves_rsp(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = env_reg(8, 0, REG_RBX);
	c->gpr[REG_RSP] = ENV_HOLE + 0x1000 + 4; /* 8 bytes straddle */
	assert_int_equal(env_exec(c, &impl_PUSH_Zv, &i), EXC_PF);
	assert_int_equal(c->gpr[REG_RSP], ENV_HOLE + 0x1000 + 4);
	assert_int_equal(env_get(ENV_HOLE + 0x1000, 4), 0);
}

/* A 16-bit stack (SS.B = 0) wraps SP within 64 KiB and keeps the upper
 * half of ESP (SDM Vol. 1 6.2.3). */
static void test_16bit_stack_wraps(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_FLAT32);
	c->seg[SEG_SS].attr &= ~SEG_ATTR_DB;
	c->seg[SEG_SS].limit = 0xffff;
	struct insn i = env_reg(2, 0, REG_RBX);
	i.addrsize = 4;
	c->gpr[REG_RSP] = 0x12340000;
	c->gpr[REG_RBX] = 0xbeef;
	assert_int_equal(stack_width(c), 2);
	assert_int_equal(env_exec(c, &impl_PUSH_Zv, &i), -1);
	assert_int_equal(c->gpr[REG_RSP], 0x1234fffe);
	assert_int_equal(env_get(0xfffe, 2), 0xbeef);
}

/* POP [rsp + 8]: the address uses rSP after the increment (SDM POP). */
static void test_pop_to_rsp_based_memory(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = env_mem(8, 0, REG_RSP, 8);
	c->gpr[REG_RSP] = 0x20000;
	env_set(0x20000, 8, 0xabcdef);
	assert_int_equal(env_exec(c, &impl_POP_Ev, &i), -1);
	assert_int_equal(c->gpr[REG_RSP], 0x20008);
	assert_int_equal(env_get(0x20010, 8), 0xabcdef);
	/* A faulting store leaves rSP alone. */
	i.disp = ENV_HOLE - 0x20010;
	assert_int_equal(env_exec(c, &impl_POP_Ev, &i), EXC_PF);
	assert_int_equal(c->gpr[REG_RSP], 0x20008);
}

static void test_pusha_popa(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_FLAT32);
	struct insn i = env_reg(4, 0, 0);
	for (unsigned r = 0; r < 8; r++)
		c->gpr[r] = 0x100 + r;
	c->gpr[REG_RSP] = 0x20000;
	assert_int_equal(env_exec(c, &impl_PUSHA, &i), -1);
	assert_int_equal(c->gpr[REG_RSP], 0x20000 - 32);
	assert_int_equal(env_get(0x20000 - 4, 4), 0x100);        /* EAX */
	assert_int_equal(env_get(0x20000 - 20, 4), 0x20000);     /* ESP */
	assert_int_equal(env_get(0x20000 - 32, 4), 0x107);       /* EDI */
	for (unsigned r = 0; r < 8; r++)
		if (r != REG_RSP)
			c->gpr[r] = 0;
	env_set(0x20000 - 20, 4, 0x5555);  /* the saved ESP is skipped */
	assert_int_equal(env_exec(c, &impl_POPA, &i), -1);
	assert_int_equal(c->gpr[REG_RSP], 0x20000);
	for (unsigned r = 0; r < 8; r++)
		if (r != REG_RSP)
			assert_int_equal(c->gpr[r], 0x100 + r);
}

/* ENTER 16, 3 (SDM ENTER): push rBP, copy two frame pointers from the
 * enclosing frame, push the new frame pointer, reserve 16 bytes. */
static void test_enter_nesting_and_leave(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = env_reg(8, 0, 0);
	i.imm = 16;
	i.imm2 = 3;
	c->gpr[REG_RSP] = 0x20000;
	c->gpr[REG_RBP] = 0x21000;
	env_set(0x21000 - 8, 8, 0xaaaa);
	env_set(0x21000 - 16, 8, 0xbbbb);
	assert_int_equal(env_exec(c, &impl_ENTER_IwIb, &i), -1);
	uint64_t frame = 0x20000 - 8;
	assert_int_equal(env_get(0x20000 - 8, 8), 0x21000);
	assert_int_equal(env_get(0x20000 - 16, 8), 0xaaaa);
	assert_int_equal(env_get(0x20000 - 24, 8), 0xbbbb);
	assert_int_equal(env_get(0x20000 - 32, 8), frame);
	assert_int_equal(c->gpr[REG_RBP], frame);
	assert_int_equal(c->gpr[REG_RSP], 0x20000 - 32 - 16);
	assert_int_equal(env_exec(c, &impl_LEAVE, &i), -1);
	assert_int_equal(c->gpr[REG_RSP], 0x20000);
	assert_int_equal(c->gpr[REG_RBP], 0x21000);
}

static void test_enter_fault_changes_nothing(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = env_reg(8, 0, 0);
	i.imm2 = 2;
	c->gpr[REG_RSP] = ENV_HOLE + 0x1008; /* the second push faults */
	c->gpr[REG_RBP] = 0x21000;
	assert_int_equal(env_exec(c, &impl_ENTER_IwIb, &i), EXC_PF);
	assert_int_equal(c->gpr[REG_RSP], ENV_HOLE + 0x1008);
	assert_int_equal(c->gpr[REG_RBP], 0x21000);
	assert_int_equal(env_get(ENV_HOLE + 0x1000, 8), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_push_pop_round_trip),
		cmocka_unit_test(test_push_fault_leaves_rsp),
		cmocka_unit_test(test_16bit_stack_wraps),
		cmocka_unit_test(test_pop_to_rsp_based_memory),
		cmocka_unit_test(test_pusha_popa),
		cmocka_unit_test(test_enter_nesting_and_leave),
		cmocka_unit_test(test_enter_fault_changes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
