/* Integer instruction handlers against the SDM's own examples and rules:
 * flags of ADD/ADC/INC, #DE of DIV/IDIV/AAM with their reasons, shift
 * counts, BT with bit offsets outside the operand, BSF with a zero
 * source, CMOV zero-extension, CMPXCHG/CMPXCHG16B, the BCD adjustments.
 * The host-CPU comparison of every form is tests/diff/alu_diff.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/env.h"

static uint64_t arith(const struct cpu *c)
{
	return flags_arith(c);
}

static void test_add_flags(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = env_reg(1, REG_RCX, REG_RAX); /* add al, cl */
	c->gpr[REG_RAX] = 0x7f;
	c->gpr[REG_RCX] = 0x01;
	assert_int_equal(env_exec(c, &impl_ADD_EbGb, &i), -1);
	assert_int_equal(c->gpr[REG_RAX], 0x80);
	assert_int_equal(arith(c), FLAG_OF | FLAG_SF | FLAG_AF);
	/* 0xff + 1 = 0 with CF, ZF, AF, PF; no overflow. */
	c->gpr[REG_RAX] = 0xff;
	assert_int_equal(env_exec(c, &impl_ADD_EbGb, &i), -1);
	assert_int_equal(arith(c), FLAG_CF | FLAG_ZF | FLAG_AF | FLAG_PF);
}

static void test_adc_sbb_use_carry(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = env_reg(8, REG_RCX, REG_RAX);
	c->gpr[REG_RAX] = ~0ull;
	c->gpr[REG_RCX] = 0;
	flags_set_arith(c, FLAG_CF);
	assert_int_equal(env_exec(c, &impl_ADC_EvGv, &i), -1);
	assert_int_equal(c->gpr[REG_RAX], 0);
	assert_true(flag_cf(c) && flag_zf(c));
	flags_set_arith(c, FLAG_CF);
	assert_int_equal(env_exec(c, &impl_SBB_EvGv, &i), -1);
	assert_int_equal(c->gpr[REG_RAX], ~0ull);
	assert_true(flag_cf(c) && flag_sf(c));
}

static void test_inc_keeps_cf_and_32bit_zero_extends(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = env_reg(4, 0, REG_RBX);
	c->gpr[REG_RBX] = 0xdeadbeef7fffffffull;
	flags_set_arith(c, FLAG_CF);
	assert_int_equal(env_exec(c, &impl_INC_Ev, &i), -1);
	assert_int_equal(c->gpr[REG_RBX], 0x80000000u);
	assert_true(flag_cf(c) && flag_of(c) && flag_sf(c));
}

static void test_div_by_zero_faults_with_reason(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = env_reg(8, 6, REG_RCX);
	c->gpr[REG_RAX] = 5;
	c->gpr[REG_RDX] = 0;
	c->gpr[REG_RCX] = 0;
	assert_int_equal(env_exec(c, &impl_DIV_Ev, &i), EXC_DE);
	assert_string_equal(c->fault.reason, "DIV: divisor is 0");
	assert_int_equal(c->gpr[REG_RAX], 5);
}

static void test_idiv_overflow_and_most_negative_quotient(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = env_reg(8, 7, REG_RCX);
	c->gpr[REG_RAX] = 0x8000000000000000ull;
	c->gpr[REG_RDX] = ~0ull;
	c->gpr[REG_RCX] = ~0ull; /* -2^63 / -1 = 2^63 does not fit */
	assert_int_equal(env_exec(c, &impl_IDIV_Ev, &i), EXC_DE);
	assert_non_null(strstr(c->fault.reason, "does not fit in 64 bits"));
	assert_int_equal(c->gpr[REG_RDX], ~0ull);
	/* -256 / 2 = -128 fits in 8 bits (SDM IDIV: temp < 80H is the
	 * signed test). */
	struct insn b = env_reg(1, 7, REG_RCX);
	c->gpr[REG_RAX] = 0xff00;
	c->gpr[REG_RCX] = 2;
	assert_int_equal(env_exec(c, &impl_IDIV_Eb, &b), -1);
	assert_int_equal(c->gpr[REG_RAX] & 0xffff, 0x0080);
}

static void test_mul_sets_cf_of_from_upper_half(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = env_reg(2, 4, REG_RCX);
	c->gpr[REG_RAX] = 0x100;
	c->gpr[REG_RCX] = 0x100;
	assert_int_equal(env_exec(c, &impl_MUL_Ev, &i), -1);
	assert_int_equal(c->gpr[REG_RAX] & 0xffff, 0);
	assert_int_equal(c->gpr[REG_RDX] & 0xffff, 1);
	assert_true(flag_cf(c) && flag_of(c));
}

static void test_shift_count_zero_keeps_flags(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = env_reg(8, 4, REG_RAX); /* shl rax, cl */
	c->gpr[REG_RAX] = 0x1234;
	c->gpr[REG_RCX] = 0x40; /* masked to 0 for 64-bit */
	flags_set_arith(c, FLAG_CF | FLAG_ZF | FLAG_OF);
	assert_int_equal(env_exec(c, &impl_SHL_EvCL, &i), -1);
	assert_int_equal(c->gpr[REG_RAX], 0x1234);
	assert_int_equal(arith(c), FLAG_CF | FLAG_ZF | FLAG_OF);
}

static void test_rcl_8bit_count_is_mod_9(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = env_reg(1, 2, REG_RAX); /* rcl al, cl */
	c->gpr[REG_RAX] = 0x81;
	c->gpr[REG_RCX] = 9; /* a full turn through CF: unchanged */
	flags_set_arith(c, FLAG_CF);
	assert_int_equal(env_exec(c, &impl_RCL_EbCL, &i), -1);
	assert_int_equal(c->gpr[REG_RAX], 0x81);
	assert_true(flag_cf(c));
	c->gpr[REG_RCX] = 10; /* = 1: 1:10000001 -> 1:00000011 */
	assert_int_equal(env_exec(c, &impl_RCL_EbCL, &i), -1);
	assert_int_equal(c->gpr[REG_RAX], 0x03);
	assert_true(flag_cf(c));
}

static void test_bts_register_offset_reaches_outside_operand(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	/* bts dword [rbx], ecx with ecx = -1: bit 31 of the dword at
	 * rbx - 4 (SDM BT: offset DIV 32 dwords from the base). */
	struct insn i = env_mem(4, REG_RCX, REG_RBX, 0);
	c->gpr[REG_RBX] = 0x20000;
	c->gpr[REG_RCX] = 0xffffffff;
	assert_int_equal(env_exec(c, &impl_BTS_EvGv, &i), -1);
	assert_int_equal(env_get(0x1fffc, 4), 0x80000000u);
	assert_false(flag_cf(c));
	c->gpr[REG_RCX] = 67; /* dword 2, bit 3 */
	assert_int_equal(env_exec(c, &impl_BTS_EvGv, &i), -1);
	assert_int_equal(env_get(0x20008, 4), 8);
}

static void test_bsf_zero_source_keeps_destination(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = env_reg(4, REG_RDX, REG_RCX);
	c->gpr[REG_RDX] = 0x1122334455667788ull;
	c->gpr[REG_RCX] = 0;
	assert_int_equal(env_exec(c, &impl_BSF_GvEv, &i), -1);
	assert_int_equal(c->gpr[REG_RDX], 0x1122334455667788ull);
	assert_true(flag_zf(c));
	c->gpr[REG_RCX] = 0x80;
	assert_int_equal(env_exec(c, &impl_BSR_GvEv, &i), -1);
	assert_int_equal(c->gpr[REG_RDX], 7);
	assert_false(flag_zf(c));
}

static void test_cmov32_false_zero_extends(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = env_reg(4, REG_RAX, REG_RCX);
	i.opcode = 0x44; /* cmove */
	c->gpr[REG_RAX] = 0xffffffff00000001ull;
	c->gpr[REG_RCX] = 7;
	flags_set_arith(c, 0);
	assert_int_equal(env_exec(c, &impl_CMOVcc_GvEv, &i), -1);
	assert_int_equal(c->gpr[REG_RAX], 1);
}

static void test_cmpxchg_failure_loads_accumulator(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = env_mem(4, REG_RCX, REG_RBX, 0);
	c->gpr[REG_RBX] = 0x30000;
	env_set(0x30000, 4, 0x55);
	c->gpr[REG_RAX] = 0x66;
	c->gpr[REG_RCX] = 0x77;
	assert_int_equal(env_exec(c, &impl_CMPXCHG_EvGv, &i), -1);
	assert_int_equal(c->gpr[REG_RAX], 0x55);
	assert_int_equal(env_get(0x30000, 4), 0x55);
	assert_false(flag_zf(c));
	assert_int_equal(env_exec(c, &impl_CMPXCHG_EvGv, &i), -1);
	assert_int_equal(env_get(0x30000, 4), 0x77);
	assert_true(flag_zf(c));
}

static void test_cmpxchg16b_needs_alignment(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = env_mem(8, 1, REG_RSI, 0);
	c->gpr[REG_RSI] = 0x30008;
	env_set(0x30008, 8, 1);
	assert_int_equal(env_exec(c, &impl_CMPXCHG16B_Mdq, &i), EXC_GP);
	assert_int_equal(c->fault.error_code, 0);
	assert_non_null(strstr(c->fault.reason, "16-byte aligned"));
	c->gpr[REG_RSI] = 0x30010;
	env_set(0x30010, 8, 5);
	env_set(0x30018, 8, 6);
	c->gpr[REG_RAX] = 5;
	c->gpr[REG_RDX] = 6;
	c->gpr[REG_RBX] = 7;
	c->gpr[REG_RCX] = 8;
	assert_int_equal(env_exec(c, &impl_CMPXCHG16B_Mdq, &i), -1);
	assert_int_equal(env_get(0x30010, 8), 7);
	assert_int_equal(env_get(0x30018, 8), 8);
	assert_true(flag_zf(c));
}

static void test_xchg_with_unmapped_memory_changes_nothing(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	struct insn i = env_mem(8, REG_RCX, REG_RBX, 0);
	c->gpr[REG_RBX] = ENV_HOLE + 8;
	c->gpr[REG_RCX] = 42;
	assert_int_equal(env_exec(c, &impl_XCHG_EvGv, &i), EXC_PF);
	assert_int_equal(c->gpr[REG_RCX], 42);
}

/* SDM Vol. 1 7.3.8.1 / DAA example: 79h + 35h = AEh, DAA gives 14h with
 * CF = 1; DAS example: 35h - 47h = EEh (CF, AF), DAS gives 88h, CF = 1. */
static void test_daa_das_examples(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_FLAT32);
	struct insn i = env_reg(4, 0, 0);
	c->gpr[REG_RAX] = 0xae;
	flags_set_arith(c, 0);
	assert_int_equal(env_exec(c, &impl_DAA, &i), -1);
	assert_int_equal(c->gpr[REG_RAX] & 0xff, 0x14);
	assert_true(flag_cf(c));
	c->gpr[REG_RAX] = 0xee;
	flags_set_arith(c, FLAG_CF | FLAG_AF);
	assert_int_equal(env_exec(c, &impl_DAS, &i), -1);
	assert_int_equal(c->gpr[REG_RAX] & 0xff, 0x88);
	assert_true(flag_cf(c));
}

static void test_aam_zero_and_aad(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_FLAT32);
	struct insn i = env_reg(4, 0, 0);
	c->gpr[REG_RAX] = 0x1234;
	i.imm = 0;
	assert_int_equal(env_exec(c, &impl_AAM_Ib, &i), EXC_DE);
	assert_string_equal(c->fault.reason, "AAM: divisor (imm8) is 0");
	assert_int_equal(c->gpr[REG_RAX], 0x1234);
	i.imm = 10;
	c->gpr[REG_RAX] = 0x0307; /* unpacked 37 */
	assert_int_equal(env_exec(c, &impl_AAD_Ib, &i), -1);
	assert_int_equal(c->gpr[REG_RAX], 37);
	assert_int_equal(env_exec(c, &impl_AAM_Ib, &i), -1);
	assert_int_equal(c->gpr[REG_RAX], 0x0307);
}

static void test_widths_a_form_does_not_allow_are_ud(void **state)
{
	(void)state;
	assert_null(impl_ADD_EbGb.fn[1][0]);
	assert_null(impl_ADD_EvGv.fn[0][0]);
	assert_null(impl_LEA_GvM.fn[2][0]);
	assert_non_null(impl_LEA_GvM.fn[2][1]);
	assert_null(impl_CMPXCHG16B_Mdq.fn[2][1]);
	assert_null(impl_MOVBE_GvMv.fn[3][0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_flags),
		cmocka_unit_test(test_adc_sbb_use_carry),
		cmocka_unit_test(test_inc_keeps_cf_and_32bit_zero_extends),
		cmocka_unit_test(test_div_by_zero_faults_with_reason),
		cmocka_unit_test(test_idiv_overflow_and_most_negative_quotient),
		cmocka_unit_test(test_mul_sets_cf_of_from_upper_half),
		cmocka_unit_test(test_shift_count_zero_keeps_flags),
		cmocka_unit_test(test_rcl_8bit_count_is_mod_9),
		cmocka_unit_test(test_bts_register_offset_reaches_outside_operand),
		cmocka_unit_test(test_bsf_zero_source_keeps_destination),
		cmocka_unit_test(test_cmov32_false_zero_extends),
		cmocka_unit_test(test_cmpxchg_failure_loads_accumulator),
		cmocka_unit_test(test_cmpxchg16b_needs_alignment),
		cmocka_unit_test(test_xchg_with_unmapped_memory_changes_nothing),
		cmocka_unit_test(test_daa_das_examples),
		cmocka_unit_test(test_aam_zero_and_aad),
		cmocka_unit_test(test_widths_a_form_does_not_allow_are_ud),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
