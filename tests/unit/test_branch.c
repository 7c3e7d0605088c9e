/* Near branches: conditions, target truncation to the operand size, the
 * #GP(0) checks (canonical in 64-bit mode, CS limit elsewhere) made
 * before any state changes, CALL/RET stack use, LOOP's count register. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/env.h"

static struct insn br(unsigned opsize, int64_t rel)
{
	struct insn i = env_insn(opsize, 2);
	i.imm = (uint64_t)rel;
	return i;
}

static void test_jcc_taken_and_not(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = br(8, 0x10);
	i.opcode = 0x74; /* je */
	flags_set_arith(c, FLAG_ZF);
	assert_int_equal(env_exec(c, &impl_Jcc_Jb, &i), -1);
	assert_int_equal(c->next_rip, ENV_RIP + 2 + 0x10);
	flags_set_arith(c, 0);
	assert_int_equal(env_exec(c, &impl_Jcc_Jb, &i), -1);
	assert_int_equal(c->next_rip, ENV_RIP + 2);
}

static void test_noncanonical_target_is_gp(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = env_reg(8, 4, REG_RAX);
	c->gpr[REG_RAX] = 0x0000800000000000ull;
	assert_int_equal(env_exec(c, &impl_JMP_Ev, &i), EXC_GP);
	assert_int_equal(c->fault.error_code, 0);
	assert_non_null(strstr(c->fault.reason, "not canonical"));
	/* CALL checks before pushing: rSP is unchanged. */
	c->gpr[REG_RSP] = 0x20000;
	assert_int_equal(env_exec(c, &impl_CALL_Ev, &i), EXC_GP);
	assert_int_equal(c->gpr[REG_RSP], 0x20000);
}

static void test_cs_limit_and_16bit_truncation(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_FLAT32);
	c->seg[SEG_CS].limit = 0xffff;
	struct insn i = br(4, 0x10000);
	assert_int_equal(env_exec(c, &impl_JMP_Jz, &i), EXC_GP);
	assert_non_null(strstr(c->fault.reason, "CS limit"));
	/* A 16-bit operand size wraps the target to 16 bits. */
	struct insn w = br(2, 0x10000 - ENV_RIP - 2 + 0x30);
	assert_int_equal(env_exec(c, &impl_JMP_Jz, &w), -1);
	assert_int_equal(c->next_rip, 0x30);
}

static void test_call_ret_imm(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn call = br(8, 0x100);
	call.len = 5;
	c->gpr[REG_RSP] = 0x20000;
	assert_int_equal(env_exec(c, &impl_CALL_Jz, &call), -1);
	assert_int_equal(c->next_rip, ENV_RIP + 5 + 0x100);
	assert_int_equal(env_get(0x1fff8, 8), ENV_RIP + 5);
	struct insn ret = br(8, 0);
	ret.imm = 0x18;
	assert_int_equal(env_exec(c, &impl_RET_Iw, &ret), -1);
	assert_int_equal(c->next_rip, ENV_RIP + 5);
	assert_int_equal(c->gpr[REG_RSP], 0x20000 + 0x18);
}

static void test_ret_to_noncanonical_keeps_rsp(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn ret = br(8, 0);
	c->gpr[REG_RSP] = 0x20000;
	env_set(0x20000, 8, 0x8000000000000000ull);
	assert_int_equal(env_exec(c, &impl_RET, &ret), EXC_GP);
	assert_int_equal(c->gpr[REG_RSP], 0x20000);
}

static void test_loop_uses_address_size(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = br(8, -4);
	i.addrsize = 4;
	c->gpr[REG_RCX] = 0x100000001ull; /* ECX = 1: decrements to 0 */
	assert_int_equal(env_exec(c, &impl_LOOP_Jb, &i), -1);
	assert_int_equal(c->next_rip, ENV_RIP + 2);
	assert_int_equal(c->gpr[REG_RCX], 0);
	c->gpr[REG_RCX] = 2;
	flags_set_arith(c, 0);
	assert_int_equal(env_exec(c, &impl_LOOPE_Jb, &i), -1);
	assert_int_equal(c->next_rip, ENV_RIP + 2); /* ZF = 0 ends it */
	assert_int_equal(c->gpr[REG_RCX], 1);
	i.addrsize = 8;
	c->gpr[REG_RCX] = 0;
	assert_int_equal(env_exec(c, &impl_JrCXZ_Jb, &i), -1);
	assert_int_equal(c->next_rip, ENV_RIP + 2 - 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jcc_taken_and_not),
		cmocka_unit_test(test_noncanonical_target_is_gp),
		cmocka_unit_test(test_cs_limit_and_16bit_truncation),
		cmocka_unit_test(test_call_ret_imm),
		cmocka_unit_test(test_ret_to_noncanonical_keeps_rsp),
		cmocka_unit_test(test_loop_uses_address_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
