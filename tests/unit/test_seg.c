/* Segment-register loads and descriptor-table instructions against the
 * SDM's rules (Vol. 2 MOV, POP, LDS, LGDT, SGDT, LLDT, LTR, LAR, LSL,
 * VERR, VERW, ARPL; Vol. 3A 3.4-3.5, 5.5-5.6, 20.1-20.2): null selectors,
 * the #GP/#SS/#NP error codes, privilege and type rules, the accessed and
 * busy bits, real-mode and virtual-8086 loads, and precise faults. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/env.h"
#include "cpu/seg.h"

#define DATA 0x28000u

/* Access bytes and flag nibbles of descriptors (SDM Vol. 3A 3.4.5). */
enum {
	A_CODE0 = 0x9b, A_DATA0 = 0x93, A_CODE3 = 0xfb, A_DATA3 = 0xf3,
	A_DATA0_NP = 0x13, A_RODATA0 = 0x91, A_XCODE0 = 0x99,
	A_CONF_R0 = 0x9f, A_LDT = 0x82, A_TSS32 = 0x89, A_DATA0_UNACC = 0x92,
	F_32 = 0xc, F_64 = 0xa,
};

enum {
	S_CODE0 = 0x08, S_DATA0 = 0x10, S_CODE3 = 0x18, S_DATA3 = 0x20,
	S_DATA0_NP = 0x28, S_RODATA0 = 0x30, S_XCODE0 = 0x38,
	S_CONF_R0 = 0x40, S_LDT = 0x48, S_TSS = 0x50, S_UNACC = 0x58,
	S_TSS64 = 0x60, /* 16 bytes */
	S_GDT_END = 0x70,
};

/* A protected-mode CPU at CPL cpl with the GDT above. */
static struct cpu *prot_cpu(int cpl)
{
	struct cpu *c = env_cpu(ENV_FLAT32);
	env_gdt_put(S_CODE0, env_desc(0, 0xfffff, A_CODE0, F_32));
	env_gdt_put(S_DATA0, env_desc(0, 0xfffff, A_DATA0, F_32));
	env_gdt_put(S_CODE3, env_desc(0, 0xfffff, A_CODE3, F_32));
	env_gdt_put(S_DATA3, env_desc(0, 0xfffff, A_DATA3, F_32));
	env_gdt_put(S_DATA0_NP, env_desc(0, 0xfffff, A_DATA0_NP, F_32));
	env_gdt_put(S_RODATA0, env_desc(0x1000, 0xffff, A_RODATA0, 0));
	env_gdt_put(S_XCODE0, env_desc(0, 0xffff, A_XCODE0, 0));
	env_gdt_put(S_CONF_R0, env_desc(0, 0xffff, A_CONF_R0, 0));
	env_gdt_put(S_LDT, env_desc(0x29000, 0xff, A_LDT, 0));
	env_gdt_put(S_TSS, env_desc(0x2a000, 0x67, A_TSS32, 0));
	env_gdt_put(S_UNACC, env_desc(0x5000, 0x123, A_DATA0_UNACC, 0));
	env_gdt_load(c, S_GDT_END);
	env_seg_load(c, SEG_CS, cpl ? S_CODE3 | 3 : S_CODE0);
	env_seg_load(c, SEG_SS, cpl ? S_DATA3 | 3 : S_DATA0);
	c->gpr[REG_RSP] = 0x30000;
	return c;
}

static struct insn reg_form(unsigned opsize, unsigned reg, unsigned rm)
{
	struct insn i = env_reg(opsize, reg, rm);
	i.addrsize = 4;
	return i;
}

static struct insn mem_form(unsigned opsize, unsigned reg, uint32_t addr)
{
	struct insn i = env_mem(opsize, reg, INSN_REG_NONE, addr);
	i.mod = 0;
	i.addrsize = 4;
	return i;
}

/* MOV sreg, ax with AX = sel. */
static int mov_sreg(struct cpu *c, int sreg, uint16_t sel)
{
	struct insn i = reg_form(2, (unsigned)sreg, REG_RAX);
	c->gpr[REG_RAX] = sel;
	return env_exec(c, &impl_MOV_SwEw, &i);
}

static void test_null_selector_rules(void **state)
{
	(void)state;
	struct cpu *c = prot_cpu(0);
	/* DS, ES, FS, GS accept a null selector and become unusable. */
	assert_int_equal(mov_sreg(c, SEG_DS, 0x0003), -1);
	assert_true(c->seg[SEG_DS].attr & SEG_ATTR_UNUSABLE);
	assert_int_equal(c->seg[SEG_DS].sel, 3);
	/* SS does not, outside 64-bit mode: #GP(0). */
	assert_int_equal(mov_sreg(c, SEG_SS, 0), EXC_GP);
	assert_int_equal(c->fault.error_code, 0);
	assert_non_null(strstr(c->fault.reason, "null selector"));
	assert_int_equal(c->seg[SEG_SS].sel, S_DATA0);
}

static void test_null_ss_in_64bit_mode(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	env_gdt_load(c, S_GDT_END);
	/* At CPL 0 with RPL 0 the load succeeds; RPL 1 != CPL fails. */
	assert_int_equal(mov_sreg(c, SEG_SS, 0), -1);
	assert_true(c->seg[SEG_SS].attr & SEG_ATTR_UNUSABLE);
	assert_int_equal(c->cpl, 0);
	assert_int_equal(mov_sreg(c, SEG_SS, 1), EXC_GP);
	assert_int_equal(c->fault.error_code, 0);
}

/* One row per rule: register, selector, CPL, expected vector and error
 * code (SDM Vol. 2B MOV, protected-mode exceptions). */
struct load_case {
	int sreg;
	uint16_t sel;
	int cpl;
	int vector;
	uint32_t err;
};

static const struct load_case load_cases[] = {
	{ SEG_DS, S_GDT_END, 0, EXC_GP, S_GDT_END },        /* beyond limit */
	{ SEG_DS, 0x0c, 0, EXC_GP, 0x0c },                  /* LDT unusable */
	{ SEG_DS, S_DATA0, 3, EXC_GP, S_DATA0 },            /* DPL 0 < CPL 3 */
	{ SEG_DS, S_DATA0 | 3, 0, EXC_GP, S_DATA0 },        /* DPL 0 < RPL 3 */
	{ SEG_DS, S_DATA0_NP, 0, EXC_NP, S_DATA0_NP },      /* not present */
	{ SEG_DS, S_XCODE0, 0, EXC_GP, S_XCODE0 },          /* execute-only */
	{ SEG_DS, S_LDT, 0, EXC_GP, S_LDT },                /* system */
	{ SEG_DS, S_CONF_R0 | 3, 3, -1, 0 },                /* conforming */
	{ SEG_DS, S_DATA3 | 3, 3, -1, 0 },
	{ SEG_SS, S_DATA0, 0, -1, 0 },
	{ SEG_SS, S_DATA0 | 3, 0, EXC_GP, S_DATA0 },        /* RPL != CPL */
	{ SEG_SS, S_DATA3, 0, EXC_GP, S_DATA3 },            /* DPL != CPL */
	{ SEG_SS, S_RODATA0, 0, EXC_GP, S_RODATA0 },        /* read-only */
	{ SEG_SS, S_CODE0, 0, EXC_GP, S_CODE0 },            /* code */
	{ SEG_SS, S_DATA0_NP, 0, EXC_SS, S_DATA0_NP },      /* not present */
};

static void test_protected_mode_load_rules(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(load_cases) / sizeof(load_cases[0]); k++) {
		const struct load_case *t = &load_cases[k];
		struct cpu *c = prot_cpu(t->cpl);
		struct seg before = c->seg[t->sreg];
		int v = mov_sreg(c, t->sreg, t->sel);
		if (v != t->vector)
			fail_msg("case %zu: sel 0x%x vector %d, want %d (%s)", k,
				 t->sel, v, t->vector, c->fault.reason);
		if (v >= 0) {
			assert_int_equal(c->fault.error_code, t->err);
			assert_memory_equal(&before, &c->seg[t->sreg],
					    sizeof(before));
		} else {
			assert_int_equal(c->seg[t->sreg].sel, t->sel);
		}
	}
}

static void test_load_sets_accessed_bit_and_cache(void **state)
{
	(void)state;
	struct cpu *c = prot_cpu(0);
	assert_int_equal(mov_sreg(c, SEG_ES, S_UNACC), -1);
	/* Type 2 became 3 in the GDT and in the cache. */
	assert_int_equal(env_get(ENV_GDT + S_UNACC + 5, 1), 0x93);
	assert_int_equal(c->seg[SEG_ES].base, 0x5000);
	assert_int_equal(c->seg[SEG_ES].limit, 0x123);
	assert_int_equal(c->seg[SEG_ES].attr, 0x93);
	/* G = 1 expands the limit to bytes. */
	assert_int_equal(mov_sreg(c, SEG_FS, S_DATA0), -1);
	assert_int_equal(c->seg[SEG_FS].limit, 0xffffffffu);
}

static void test_real_and_vm86_loads(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_REAL);
	c->seg[SEG_DS].limit = 0xffffffff;   /* "unreal" limit stays */
	assert_int_equal(mov_sreg(c, SEG_DS, 0x1234), -1);
	assert_int_equal(c->seg[SEG_DS].base, 0x12340);
	assert_int_equal(c->seg[SEG_DS].limit, 0xffffffffu);

	c = prot_cpu(0);
	c->rflags |= FLAG_VM;
	seg_refresh_mode(c);
	assert_int_equal(c->cpl, 3);
	assert_int_equal(mov_sreg(c, SEG_ES, 0xb800), -1);
	assert_int_equal(c->seg[SEG_ES].base, 0xb8000);
	assert_int_equal(c->seg[SEG_ES].limit, 0xffff);
	assert_int_equal(c->seg[SEG_ES].attr, 0xf3);
}

static void test_mov_ss_sets_interrupt_shadow(void **state)
{
	(void)state;
	struct cpu *c = prot_cpu(0);
	c->icount = 100;
	assert_int_equal(mov_sreg(c, SEG_SS, S_DATA0), -1);
	assert_int_equal(c->shadow_icount, 101);
	assert_true(c->attention & ATTN_SHADOW);
	c->attention = 0;
	assert_int_equal(mov_sreg(c, SEG_DS, S_DATA0), -1);
	assert_false(c->attention & ATTN_SHADOW);
}

static void test_pop_sreg_is_precise(void **state)
{
	(void)state;
	struct cpu *c = prot_cpu(0);
	struct insn i = reg_form(4, SEG_DS, 0);
	env_set(0x30000 - 4, 4, S_DATA0_NP);
	c->gpr[REG_RSP] = 0x30000 - 4;
	assert_int_equal(env_exec(c, &impl_POP_Sw, &i), EXC_NP);
	assert_int_equal(c->gpr[REG_RSP], 0x30000 - 4);
	env_set(0x30000 - 4, 4, S_UNACC);
	assert_int_equal(env_exec(c, &impl_POP_Sw, &i), -1);
	assert_int_equal(c->gpr[REG_RSP], 0x30000);
	assert_int_equal(c->seg[SEG_DS].sel, S_UNACC);
}

static void test_push_sreg_stores_16_bits(void **state)
{
	(void)state;
	struct cpu *c = prot_cpu(0);
	struct insn i = reg_form(4, SEG_SS, 0);
	env_set(0x30000 - 4, 4, 0xaaaaaaaa);
	assert_int_equal(env_exec(c, &impl_PUSH_Sw, &i), -1);
	assert_int_equal(c->gpr[REG_RSP], 0x30000 - 4);
	assert_int_equal(env_get(0x30000 - 4, 4), 0xaaaa0000u | S_DATA0);
}

static void test_lds_faults_before_writing_register(void **state)
{
	(void)state;
	struct cpu *c = prot_cpu(0);
	env_set(DATA, 4, 0x11223344);
	env_set(DATA + 4, 2, S_DATA0_NP);
	c->gpr[REG_RBX] = 0x55;
	struct insn i = mem_form(4, REG_RBX, DATA);
	assert_int_equal(env_exec(c, &impl_LDS_GvMp, &i), EXC_NP);
	assert_int_equal(c->gpr[REG_RBX], 0x55);
	env_set(DATA + 4, 2, S_UNACC);
	assert_int_equal(env_exec(c, &impl_LSS_GvMp, &i), -1);
	assert_int_equal(c->gpr[REG_RBX], 0x11223344);
	assert_int_equal(c->seg[SEG_SS].sel, S_UNACC);
	assert_false(c->attention & ATTN_SHADOW);  /* LSS does not */
}

static void test_lgdt_sgdt_widths_and_privilege(void **state)
{
	(void)state;
	struct cpu *c = prot_cpu(0);
	env_set(DATA, 2, 0x3ff);
	env_set(DATA + 2, 4, 0xaabbccdd);
	struct insn i = mem_form(2, 0, DATA);
	assert_int_equal(env_exec(c, &impl_LGDT_Ms, &i), -1);
	assert_int_equal(c->gdtr.limit, 0x3ff);
	assert_int_equal(c->gdtr.base, 0xbbccdd);   /* 24 bits */
	i.opsize = 4;
	assert_int_equal(env_exec(c, &impl_LIDT_Ms, &i), -1);
	assert_int_equal(c->idtr.base, 0xaabbccdd);
	/* SGDT stores the full 32-bit base at every operand size. */
	c->gdtr.base = 0x12345678;
	i = mem_form(2, 0, DATA + 0x10);
	assert_int_equal(env_exec(c, &impl_SGDT_Ms, &i), -1);
	assert_int_equal(env_get(DATA + 0x10, 2), 0x3ff);
	assert_int_equal(env_get(DATA + 0x12, 4), 0x12345678);

	c = prot_cpu(3);
	i = mem_form(4, 0, DATA);
	assert_int_equal(env_exec(c, &impl_LGDT_Ms, &i), EXC_GP);
	assert_int_equal(c->fault.error_code, 0);
	/* SGDT at CPL 3 is allowed unless CR4.UMIP = 1. */
	assert_int_equal(env_exec(c, &impl_SGDT_Ms, &i), -1);
	c->cr4 |= 1u << 11;
	assert_int_equal(env_exec(c, &impl_SGDT_Ms, &i), EXC_GP);
}

static void test_lgdt_64bit_loads_8_byte_base(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	env_set(DATA, 2, 0x7f);
	env_set(DATA + 2, 8, 0xffff800000001000ull);
	struct insn i = env_mem(8, 0, INSN_REG_NONE, DATA);
	assert_int_equal(env_exec(c, &impl_LGDT_Ms, &i), -1);
	assert_int_equal(c->gdtr.base, 0xffff800000001000ull);
	env_set(DATA + 2, 8, 0x0000800000001000ull);  /* not canonical */
	assert_int_equal(env_exec(c, &impl_LIDT_Ms, &i), EXC_GP);
}

static void test_ltr_marks_busy_and_lldt(void **state)
{
	(void)state;
	struct cpu *c = prot_cpu(0);
	struct insn i = reg_form(2, 0, REG_RAX);
	c->gpr[REG_RAX] = S_TSS;
	assert_int_equal(env_exec(c, &impl_LTR_Ew, &i), -1);
	assert_int_equal(env_get(ENV_GDT + S_TSS + 5, 1), 0x8b);
	assert_int_equal(c->seg[SEG_TR].base, 0x2a000);
	assert_int_equal(c->seg[SEG_TR].sel, S_TSS);
	/* A busy TSS cannot be loaded again. */
	assert_int_equal(env_exec(c, &impl_LTR_Ew, &i), EXC_GP);
	assert_int_equal(c->fault.error_code, S_TSS);
	c->gpr[REG_RAX] = 0;
	assert_int_equal(env_exec(c, &impl_LTR_Ew, &i), EXC_GP);
	assert_int_equal(c->fault.error_code, 0);
	c->gpr[REG_RAX] = S_DATA0;
	assert_int_equal(env_exec(c, &impl_LTR_Ew, &i), EXC_GP);
	assert_int_equal(c->fault.error_code, S_DATA0);

	c->gpr[REG_RAX] = S_LDT;
	assert_int_equal(env_exec(c, &impl_LLDT_Ew, &i), -1);
	assert_int_equal(c->seg[SEG_LDTR].base, 0x29000);
	c->gpr[REG_RAX] = S_TSS;
	assert_int_equal(env_exec(c, &impl_LLDT_Ew, &i), EXC_GP);
	c->gpr[REG_RAX] = 0;
	assert_int_equal(env_exec(c, &impl_LLDT_Ew, &i), -1);
	assert_true(c->seg[SEG_LDTR].attr & SEG_ATTR_UNUSABLE);

	/* Real mode does not know them; CPL 3 may not use them. */
	c = prot_cpu(3);
	c->gpr[REG_RAX] = S_LDT;
	assert_int_equal(env_exec(c, &impl_LLDT_Ew, &i), EXC_GP);
	c->cr0 &= ~1ull;
	seg_refresh_mode(c);
	assert_int_equal(env_exec(c, &impl_LTR_Ew, &i), EXC_UD);
	assert_int_equal(env_exec(c, &impl_SLDT_Ev, &i), EXC_UD);
	assert_int_equal(env_exec(c, &impl_LAR_GvEw, &i), EXC_UD);
	assert_int_equal(env_exec(c, &impl_ARPL_EwGw, &i), EXC_UD);
}

static void test_ltr_64bit_descriptor_is_16_bytes(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	env_gdt_load(c, S_GDT_END);
	env_gdt_put(S_TSS64, env_desc(0x2b000, 0x67, A_TSS32, 0));
	env_set(ENV_GDT + S_TSS64 + 8, 8, 0xffff8000u);
	struct insn i = env_reg(2, 0, REG_RAX);
	c->gpr[REG_RAX] = S_TSS64;
	assert_int_equal(env_exec(c, &impl_LTR_Ew, &i), -1);
	assert_int_equal(c->seg[SEG_TR].base, 0xffff80000002b000ull);
	/* A 16-bit TSS type is not valid in IA-32e mode. */
	env_gdt_put(S_TSS, env_desc(0x2a000, 0x67, 0x81, 0));
	env_set(ENV_GDT + S_TSS + 8, 8, 0);
	c->gpr[REG_RAX] = S_TSS;
	assert_int_equal(env_exec(c, &impl_LTR_Ew, &i), EXC_GP);
}

static void test_lar_lsl_verr_verw(void **state)
{
	(void)state;
	struct cpu *c = prot_cpu(3);
	struct insn i = reg_form(4, REG_RBX, REG_RAX);
	c->gpr[REG_RBX] = 0x77;
	/* DPL 0 data is invisible at CPL 3: ZF = 0, register unchanged. */
	c->gpr[REG_RAX] = S_DATA0;
	assert_int_equal(env_exec(c, &impl_LAR_GvEw, &i), -1);
	assert_false(flag_zf(c));
	assert_int_equal(c->gpr[REG_RBX], 0x77);
	/* DPL 3 data: access rights masked by 00FxFF00H (bits 19:16 are
	 * not defined). */
	c->gpr[REG_RAX] = S_DATA3 | 3;
	assert_int_equal(env_exec(c, &impl_LAR_GvEw, &i), -1);
	assert_true(flag_zf(c));
	assert_int_equal(c->gpr[REG_RBX] & ~0x000f0000ull, 0x00c0f300u);
	assert_int_equal(env_exec(c, &impl_LSL_GvEw, &i), -1);
	assert_true(flag_zf(c));
	assert_int_equal(c->gpr[REG_RBX], 0xffffffffu);
	/* Conforming code needs no privilege; it is readable, not writable. */
	c->gpr[REG_RAX] = S_CONF_R0 | 3;
	assert_int_equal(env_exec(c, &impl_VERR_Ew, &i), -1);
	assert_true(flag_zf(c));
	assert_int_equal(env_exec(c, &impl_VERW_Ew, &i), -1);
	assert_false(flag_zf(c));
	c->gpr[REG_RAX] = S_DATA3 | 3;
	assert_int_equal(env_exec(c, &impl_VERW_Ew, &i), -1);
	assert_true(flag_zf(c));
	/* Null selector and beyond the limit: ZF = 0, no fault. */
	c->gpr[REG_RAX] = 0;
	assert_int_equal(env_exec(c, &impl_VERR_Ew, &i), -1);
	assert_false(flag_zf(c));
	c->gpr[REG_RAX] = 0xfff8;
	assert_int_equal(env_exec(c, &impl_LSL_GvEw, &i), -1);
	assert_false(flag_zf(c));

	/* At CPL 0: LSL of an LDT descriptor works, LSL of a gate does
	 * not; execute-only code fails VERR. */
	c = prot_cpu(0);
	c->gpr[REG_RAX] = S_LDT;
	assert_int_equal(env_exec(c, &impl_LSL_GvEw, &i), -1);
	assert_true(flag_zf(c));
	assert_int_equal(c->gpr[REG_RBX], 0xff);
	c->gpr[REG_RAX] = S_XCODE0;
	assert_int_equal(env_exec(c, &impl_VERR_Ew, &i), -1);
	assert_false(flag_zf(c));
}

static void test_arpl(void **state)
{
	(void)state;
	struct cpu *c = prot_cpu(0);
	struct insn i = reg_form(2, REG_RCX, REG_RAX);
	c->gpr[REG_RAX] = 0x1231;
	c->gpr[REG_RCX] = 0x0003;
	assert_int_equal(env_exec(c, &impl_ARPL_EwGw, &i), -1);
	assert_int_equal(c->gpr[REG_RAX], 0x1233);
	assert_true(flag_zf(c));
	assert_int_equal(env_exec(c, &impl_ARPL_EwGw, &i), -1);
	assert_int_equal(c->gpr[REG_RAX], 0x1233);
	assert_false(flag_zf(c));
}

static void test_mov_from_sreg_zero_extends(void **state)
{
	(void)state;
	struct cpu *c = prot_cpu(0);
	struct insn i = reg_form(4, SEG_SS, REG_RDX);
	c->gpr[REG_RDX] = 0xffffffffffffffffull;
	assert_int_equal(env_exec(c, &impl_MOV_EvSw, &i), -1);
	assert_int_equal(c->gpr[REG_RDX], S_DATA0);
	/* A memory destination is 16 bits whatever the operand size. */
	env_set(DATA, 4, 0xaaaaaaaa);
	i = mem_form(4, SEG_SS, DATA);
	assert_int_equal(env_exec(c, &impl_MOV_EvSw, &i), -1);
	assert_int_equal(env_get(DATA, 4), 0xaaaa0000u | S_DATA0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_selector_rules),
		cmocka_unit_test(test_null_ss_in_64bit_mode),
		cmocka_unit_test(test_protected_mode_load_rules),
		cmocka_unit_test(test_load_sets_accessed_bit_and_cache),
		cmocka_unit_test(test_real_and_vm86_loads),
		cmocka_unit_test(test_mov_ss_sets_interrupt_shadow),
		cmocka_unit_test(test_pop_sreg_is_precise),
		cmocka_unit_test(test_push_sreg_stores_16_bits),
		cmocka_unit_test(test_lds_faults_before_writing_register),
		cmocka_unit_test(test_lgdt_sgdt_widths_and_privilege),
		cmocka_unit_test(test_lgdt_64bit_loads_8_byte_base),
		cmocka_unit_test(test_ltr_marks_busy_and_lldt),
		cmocka_unit_test(test_ltr_64bit_descriptor_is_16_bytes),
		cmocka_unit_test(test_lar_lsl_verr_verw),
		cmocka_unit_test(test_arpl),
		cmocka_unit_test(test_mov_from_sreg_zero_extends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
