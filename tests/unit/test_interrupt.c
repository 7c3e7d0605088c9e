/* Event delivery, far transfers, IRET and task switches against the SDM
 * (Vol. 3A 6.12-6.15, 5.8, 7.3, 20.1, 20.3; Vol. 2A INT n, IRET, CALL,
 * RET): stack frames byte for byte, error codes with the EXT and IDT
 * bits, the double-fault and shutdown rules, IST and alignment in IA-32e
 * mode, virtual-8086 mode with and without VME, call gates with
 * parameters, returns to outer levels and task linking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "tests/unit/env.h"
#include "cpu/interrupt.h"
#include "cpu/seg.h"

#define IDT 0x21000u
#define TSS_A 0x2a000u
#define TSS_B 0x2b000u
#define STACK0 0x30000u
#define STACK3 0x40000u

enum {
	S_CODE0 = 0x08, S_DATA0 = 0x10, S_CODE3 = 0x18, S_DATA3 = 0x20,
	S_TSS_A = 0x28, S_TSS_B = 0x30, S_CALLGATE = 0x38, S_NP = 0x40,
	S_TASKGATE = 0x48, S_CODE64_0 = 0x50, S_CODE64_3 = 0x58,
	S_TSS64 = 0x60, /* 16 bytes */
	S_GDT_END = 0x70,
};

/* Gate access bytes (SDM Vol. 3A figures 5-8, 6-2). */
enum {
	G_INT0 = 0x8e, G_INT3 = 0xee, G_TRAP0 = 0x8f, G_INT_NP = 0x0e,
	G_TASK0 = 0x85, G_CALL3 = 0xec,
};

static void put_idt32(int vector, uint64_t g)
{
	env_set(IDT + 8 * (unsigned)vector, 8, g);
}

/* A 16-byte IA-32e gate: offset bits 63:32 are zero here. */
static void put_idt64(int vector, uint16_t sel, uint32_t off,
		      unsigned access, unsigned ist)
{
	env_set(IDT + 16 * (unsigned)vector, 8,
		env_gate(sel, off, access, ist));
	env_set(IDT + 16 * (unsigned)vector + 8, 8, 0);
}

/* TSS A: ring-0 stack STACK0:S_DATA0, I/O map base 0x100 so that the
 * interrupt redirection bitmap is at 0xe0..0xff (all clear). */
static void setup_tss_a(void)
{
	env_set(TSS_A + 4, 4, STACK0);
	env_set(TSS_A + 8, 2, S_DATA0);
	env_set(TSS_A + 0x66, 2, 0x100);
}

/* TSS B: a ring-0 task at 0x08:0x3000 with its own stack. */
static void setup_tss_b(void)
{
	env_set(TSS_B + 0x20, 4, 0x3000);       /* EIP */
	env_set(TSS_B + 0x24, 4, 0x2);          /* EFLAGS */
	env_set(TSS_B + 0x28, 4, 0xb0b0);       /* EAX */
	env_set(TSS_B + 0x38, 4, 0x38000);      /* ESP */
	for (int s = 0; s < 6; s++)
		env_set(TSS_B + 0x48 + 4 * s, 2, s == SEG_CS ? S_CODE0 : S_DATA0);
}

/* A CPU in mode at CPL cpl on the stack of that level, CS from code0 or
 * code3, flat code descriptors of flags (D or L) and flat 32-bit data
 * descriptors for both levels in the GDT, the IDT at IDT. */
static struct cpu *ring_cpu(enum env_mode mode, int cpl, uint16_t code0,
			    uint16_t code3, unsigned flags, uint16_t idt_limit)
{
	struct cpu *c = env_cpu(mode);
	env_gdt_put(code0, env_desc(0, 0xfffff, 0x9b, flags));
	env_gdt_put(S_DATA0, env_desc(0, 0xfffff, 0x93, 0xc));
	env_gdt_put(code3, env_desc(0, 0xfffff, 0xfb, flags));
	env_gdt_put(S_DATA3, env_desc(0, 0xfffff, 0xf3, 0xc));
	env_gdt_load(c, S_GDT_END);
	c->idtr.base = IDT;
	c->idtr.limit = idt_limit;
	env_seg_load(c, SEG_CS, cpl ? code3 | 3 : code0);
	env_seg_load(c, SEG_SS, cpl ? S_DATA3 | 3 : S_DATA0);
	c->gpr[REG_RSP] = cpl ? STACK3 : STACK0;
	c->rip = c->next_rip = 0x4000;
	return c;
}

/* Flat 32-bit protected mode at CPL cpl, TR = TSS A (busy), IDT at IDT. */
static struct cpu *prot_cpu(int cpl)
{
	struct cpu *c = ring_cpu(ENV_FLAT32, cpl, S_CODE0, S_CODE3, 0xc, 0x7ff);
	env_gdt_put(S_TSS_A, env_desc(TSS_A, 0x107, 0x8b, 0));
	env_gdt_put(S_TSS_B, env_desc(TSS_B, 0x67, 0x89, 0));
	env_gdt_put(S_CALLGATE, env_gate(S_CODE0, 0x2000, G_CALL3, 2));
	env_gdt_put(S_NP, env_desc(0, 0xfffff, 0x1b, 0xc));
	env_gdt_put(S_TASKGATE, env_gate(S_TSS_B, 0, 0xe5, 0));
	setup_tss_a();
	setup_tss_b();
	c->seg[SEG_TR] = env_gdt_cache(S_TSS_A);
	return c;
}

/* IA-32e mode at CPL cpl with a 64-bit TSS whose RSP0 is STACK0 and
 * IST1 is 0x3f008 (not 16-byte aligned). */
static struct cpu *long_cpu(int cpl)
{
	struct cpu *c = ring_cpu(ENV_LONG64, cpl, S_CODE64_0, S_CODE64_3, 0xa,
				 0xfff);
	env_gdt_put(S_TSS64, env_desc(TSS_A, 0x67, 0x8b, 0));
	env_set(ENV_GDT + S_TSS64 + 8, 8, 0);
	env_set(TSS_A + 4, 8, STACK0 + 8);
	env_set(TSS_A + 0x24, 8, 0x3f008);
	c->seg[SEG_TR] = env_gdt_cache(S_TSS64);
	c->seg[SEG_TR].base = TSS_A;
	return c;
}

/* Delivers an event as the run loop does; returns the vector of a fault
 * raised during delivery, or -1. */
static int deliver(struct cpu *c, int vector, enum intr_kind kind,
		   bool has_err, uint32_t err)
{
	return ENV_CATCH(c, intr_deliver(c, vector, kind, has_err, err));
}

/* A fault raised by the instruction at c->rip, delivered as the run loop
 * does after the unwind. */
static void fault(struct cpu *c, int vector, bool has_err, uint32_t err)
{
	c->fault.vector = vector;
	c->fault.has_error_code = has_err;
	c->fault.error_code = err;
	snprintf(c->fault.reason, sizeof(c->fault.reason), "test");
	c->delivering = 0;
	intr_deliver_fault(c);
}

static uint32_t stk32(const struct cpu *c, unsigned k)
{
	return (uint32_t)env_get((uint32_t)c->gpr[REG_RSP] + 4 * k, 4);
}

static uint64_t stk64(const struct cpu *c, unsigned k)
{
	return env_get(c->gpr[REG_RSP] + 8 * k, 8);
}

static struct insn no_modrm(unsigned opsize, unsigned len)
{
	struct insn i = env_insn(opsize, len);
	i.addrsize = 4;
	return i;
}

static void test_real_mode_int_n(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_REAL);
	c->idtr.base = 0;
	c->idtr.limit = 0x3ff;
	c->seg[SEG_SS].base = 0;
	c->gpr[REG_RSP] = 0x1000;
	c->seg[SEG_CS].sel = 0x0100;
	c->seg[SEG_CS].base = 0x1000;
	seg_refresh_mode(c);
	c->rflags |= FLAG_IF | FLAG_TF;
	env_set(0x21 * 4, 4, 0x12345678);
	c->rip = 0x100;
	struct insn i = no_modrm(2, 2);
	i.imm = 0x21;
	assert_int_equal(env_exec(c, &impl_INT_Ib, &i), -1);
	assert_int_equal(c->gpr[REG_RSP], 0x0ffa);
	assert_int_equal(env_get(0xffa, 2), 0x102);      /* IP after INT */
	assert_int_equal(env_get(0xffc, 2), 0x0100);     /* CS */
	assert_true(env_get(0xffe, 2) & FLAG_IF);        /* FLAGS before */
	assert_int_equal(c->seg[SEG_CS].sel, 0x1234);
	assert_int_equal(c->seg[SEG_CS].base, 0x12340);
	assert_int_equal(c->next_rip, 0x5678);
	assert_false(c->rflags & (FLAG_IF | FLAG_TF));
}

static void test_real_mode_ivt_limit_double_and_triple_fault(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_REAL);
	c->idtr.base = 0;
	c->idtr.limit = 0x33;        /* vector 8 fits, vector 13 does not */
	c->gpr[REG_RSP] = 0x1000;
	env_set(8 * 4, 4, 0x00400010);
	/* INT 0x20 beyond the limit: #GP, which is beyond too: #DF. */
	assert_int_equal(deliver(c, 0x20, INTR_EXTERNAL, false, 0), EXC_GP);
	intr_deliver_fault(c);
	assert_false(c->shut_down);
	assert_int_equal(c->fault.vector, EXC_DF);
	assert_int_equal(c->seg[SEG_CS].sel, 0x40);
	assert_int_equal(c->next_rip, 0x10);
	/* With #DF beyond the limit as well the CPU shuts down. */
	c->idtr.limit = 0x1f;
	fault(c, EXC_GP, true, 0);
	assert_true(c->shut_down);
	assert_non_null(strstr(c->shutdown_reason, "triple fault"));
}

static void test_fault_from_ring3_switches_to_tss_stack(void **state)
{
	(void)state;
	struct cpu *c = prot_cpu(3);
	put_idt32(EXC_GP, env_gate(S_CODE0, 0x1000, G_INT0, 0));
	c->rflags |= FLAG_IF;
	fault(c, EXC_GP, true, 0x1234);
	assert_int_equal(c->cpl, 0);
	assert_int_equal(c->seg[SEG_CS].sel, S_CODE0);
	assert_int_equal(c->seg[SEG_SS].sel, S_DATA0);
	assert_int_equal(c->next_rip, 0x1000);
	assert_int_equal(c->gpr[REG_RSP], STACK0 - 24);
	assert_int_equal(stk32(c, 0), 0x1234);            /* error code */
	assert_int_equal(stk32(c, 1), 0x4000);            /* faulting EIP */
	assert_int_equal(stk32(c, 2), S_CODE3 | 3);
	assert_true(stk32(c, 3) & FLAG_RF);               /* fault: RF = 1 */
	assert_true(stk32(c, 3) & FLAG_IF);
	assert_int_equal(stk32(c, 4), STACK3);
	assert_int_equal(stk32(c, 5), S_DATA3 | 3);
	assert_false(c->rflags & FLAG_IF);                /* interrupt gate */
}

static void test_trap_gate_same_level_keeps_if(void **state)
{
	(void)state;
	struct cpu *c = prot_cpu(0);
	put_idt32(0x30, env_gate(S_CODE0, 0x1100, G_TRAP0, 0));
	c->rflags |= FLAG_IF;
	assert_int_equal(deliver(c, 0x30, INTR_EXTERNAL, false, 0), -1);
	assert_int_equal(c->gpr[REG_RSP], STACK0 - 12);
	assert_int_equal(stk32(c, 0), 0x4000);
	assert_true(c->rflags & FLAG_IF);
}

static void test_software_int_checks_gate_dpl(void **state)
{
	(void)state;
	struct cpu *c = prot_cpu(3);
	put_idt32(0x80, env_gate(S_CODE0, 0x1000, G_INT0, 0));
	struct insn i = no_modrm(4, 2);
	i.imm = 0x80;
	/* #GP(IDT entry) without EXT: vector * 8 + 2. */
	assert_int_equal(env_exec(c, &impl_INT_Ib, &i), EXC_GP);
	assert_int_equal(c->fault.error_code, 0x80 * 8 + 2);
	put_idt32(0x80, env_gate(S_CODE0, 0x1000, G_INT3, 0));
	assert_int_equal(env_exec(c, &impl_INT_Ib, &i), -1);
	assert_int_equal(stk32(c, 0), 0x4002);            /* next EIP */
	assert_false(stk32(c, 2) & FLAG_RF);
	/* An external interrupt does not check the gate DPL. */
	c = prot_cpu(3);
	put_idt32(0x80, env_gate(S_CODE0, 0x1000, G_INT0, 0));
	assert_int_equal(deliver(c, 0x80, INTR_EXTERNAL, false, 0), -1);
	assert_int_equal(c->cpl, 0);
}

static void test_ext_bit_and_contributory_double_fault(void **state)
{
	(void)state;
	struct cpu *c = prot_cpu(0);
	put_idt32(0x30, env_gate(S_CODE0, 0x1000, G_INT_NP, 0));
	/* An external interrupt through a not-present gate: #NP with
	 * IDT = 1 and EXT = 1. */
	assert_int_equal(deliver(c, 0x30, INTR_EXTERNAL, false, 0), EXC_NP);
	assert_int_equal(c->fault.error_code, 0x30 * 8 + 3);
	assert_non_null(strstr(c->fault.reason, "not present"));
	/* #GP whose gate is not present gives #NP during #GP: #DF(0). */
	put_idt32(EXC_GP, env_gate(S_CODE0, 0x1000, G_INT_NP, 0));
	put_idt32(EXC_DF, env_gate(S_CODE0, 0x1800, G_INT0, 0));
	fault(c, EXC_GP, true, 0);
	assert_false(c->shut_down);
	assert_int_equal(c->fault.vector, EXC_DF);
	assert_non_null(strstr(c->fault.reason, "double fault"));
	assert_int_equal(c->next_rip, 0x1800);
	assert_int_equal(stk32(c, 0), 0);                 /* #DF error code */
	/* A benign first event is handled serially: #NP during #BP. */
	c = prot_cpu(0);
	put_idt32(EXC_BP, env_gate(S_CODE0, 0x1000, G_INT_NP, 0));
	put_idt32(EXC_NP, env_gate(S_CODE0, 0x1900, G_INT0, 0));
	struct insn i = no_modrm(4, 1);
	assert_int_equal(env_exec(c, &impl_INT3, &i), EXC_NP);
	assert_int_equal(c->fault.error_code, EXC_BP * 8 + 2); /* no EXT */
	c->delivering = 1;
	c->first_vector = EXC_BP;
	intr_deliver_fault(c);
	assert_int_equal(c->next_rip, 0x1900);
}

static void test_page_fault_sets_cr2_and_pf_during_pf_is_df(void **state)
{
	(void)state;
	struct cpu *c = prot_cpu(0);
	put_idt32(EXC_PF, env_gate(S_CODE0, 0x1000, G_INT0, 0));
	c->fault.cr2 = 0xdead000;
	fault(c, EXC_PF, true, 2);
	assert_int_equal(c->cr2, 0xdead000);
	assert_int_equal(stk32(c, 0), 2);
	/* Delivering #PF faults with #PF again: #DF. */
	c = prot_cpu(0);
	put_idt32(EXC_DF, env_gate(S_CODE0, 0x1800, G_INT0, 0));
	c->delivering = 1;
	c->first_vector = EXC_PF;
	c->fault.vector = EXC_PF;
	c->fault.has_error_code = true;
	intr_deliver_fault(c);
	assert_int_equal(c->fault.vector, EXC_DF);
	assert_int_equal(c->next_rip, 0x1800);
}

static void test_ia32e_ist_alignment_and_null_ss(void **state)
{
	(void)state;
	struct cpu *c = long_cpu(3);
	put_idt64(0x40, S_CODE64_0, 0x1000, G_INT0, 1);
	c->gpr[REG_RSP] = STACK3 - 8;
	assert_int_equal(deliver(c, 0x40, INTR_EXTERNAL, false, 0), -1);
	/* IST1 = 0x3f008 aligned down to 0x3f000, five qwords pushed. */
	assert_int_equal(c->gpr[REG_RSP], 0x3f000 - 40);
	assert_int_equal(stk64(c, 0), 0x4000);
	assert_int_equal(stk64(c, 1), S_CODE64_3 | 3);
	assert_int_equal(stk64(c, 3), STACK3 - 8);
	assert_int_equal(stk64(c, 4), S_DATA3 | 3);
	assert_int_equal(c->seg[SEG_SS].sel, 0);          /* NULL, RPL 0 */
	assert_true(c->seg[SEG_SS].attr & SEG_ATTR_UNUSABLE);
	assert_int_equal(c->cpl, 0);

	/* Same level without IST: SS:RSP pushed anyway, RSP aligned. */
	c = long_cpu(0);
	put_idt64(EXC_GP, S_CODE64_0, 0x1100, G_INT0, 0);
	c->gpr[REG_RSP] = STACK0 - 4;
	fault(c, EXC_GP, true, 0x10);
	assert_int_equal(c->gpr[REG_RSP], STACK0 - 16 - 48);
	assert_int_equal(stk64(c, 0), 0x10);
	assert_int_equal(stk64(c, 4), STACK0 - 4);
	assert_int_equal(stk64(c, 5), S_DATA0);
	/* A 16-bit interrupt gate (type 6) is not valid in IA-32e mode:
	 * #GP(IDT entry) with EXT. */
	put_idt64(0x41, S_CODE64_0, 0x1000, 0x86, 0);
	assert_int_equal(deliver(c, 0x41, INTR_EXTERNAL, false, 0), EXC_GP);
	assert_int_equal(c->fault.error_code, 0x41 * 8 + 3);
}

static struct cpu *vm86_cpu(int iopl, bool vme)
{
	struct cpu *c = prot_cpu(0);
	c->rflags |= FLAG_VM | ((uint64_t)iopl << 12) | FLAG_IF;
	if (vme)
		c->cr4 |= 1;
	for (int s = SEG_ES; s <= SEG_GS; s++)
		c->seg[s] = seg_cache_vm86(0x0200);
	seg_refresh_mode(c);
	c->gpr[REG_RSP] = 0x100;
	c->rip = 0x50;
	return c;
}

static void test_vm86_int_n_methods(void **state)
{
	(void)state;
	struct insn i = no_modrm(2, 2);
	i.imm = 0x21;
	/* VME = 0, IOPL < 3: #GP(0) to the monitor (method 2). */
	struct cpu *c = vm86_cpu(0, false);
	assert_int_equal(env_exec(c, &impl_INT_Ib, &i), EXC_GP);
	assert_int_equal(c->fault.error_code, 0);
	/* VME = 1, IOPL < 3, bit clear: redirected through the IVT at
	 * linear 0 with IOPL 3 and IF = VIF in the image (method 6). */
	c = vm86_cpu(0, true);
	c->rflags &= ~(uint64_t)FLAG_VIF;
	env_set(0x21 * 4, 4, 0x03000040);
	assert_int_equal(env_exec(c, &impl_INT_Ib, &i), -1);
	assert_int_equal(c->seg[SEG_CS].sel, 0x0300);
	assert_int_equal(c->next_rip, 0x40);
	uint16_t image = (uint16_t)env_get(0x2000 + 0xfa + 4, 2);
	assert_int_equal(image & FLAG_IOPL, FLAG_IOPL);
	assert_false(image & FLAG_IF);
	assert_int_equal(env_get(0x2000 + 0xfa, 2), 0x52);
	assert_true(c->rflags & FLAG_VM);
	/* Bit set, IOPL < 3: #GP(0) (method 3). */
	c = vm86_cpu(0, true);
	env_set(TSS_A + 0xe0 + 4, 1, 0x02);
	assert_int_equal(env_exec(c, &impl_INT_Ib, &i), EXC_GP);
}

static void test_vm86_to_ring0_pushes_segments(void **state)
{
	(void)state;
	struct cpu *c = vm86_cpu(3, false);
	put_idt32(0x21, env_gate(S_CODE0, 0x1000, G_INT3, 0));
	struct insn i = no_modrm(2, 2);
	i.imm = 0x21;
	assert_int_equal(env_exec(c, &impl_INT_Ib, &i), -1);
	assert_false(c->rflags & FLAG_VM);
	assert_int_equal(c->cpl, 0);
	assert_int_equal(c->gpr[REG_RSP], STACK0 - 36);
	assert_int_equal(stk32(c, 0), 0x52);
	assert_int_equal(stk32(c, 1), 0x0200);
	assert_true(stk32(c, 2) & FLAG_VM);
	assert_int_equal(stk32(c, 3), 0x100);
	for (unsigned k = 4; k < 9; k++)
		assert_int_equal(stk32(c, k), 0x0200);  /* SS ES DS FS GS */
	for (int s = SEG_ES; s <= SEG_GS; s++)
		if (s != SEG_CS && s != SEG_SS)
			assert_int_equal(c->seg[s].sel, 0);

	/* IRET back from CPL 0 with VM = 1 in the image. */
	struct insn r = no_modrm(4, 1);
	assert_int_equal(env_exec(c, &impl_IRET, &r), -1);
	assert_true(c->rflags & FLAG_VM);
	assert_int_equal(c->cpl, 3);
	assert_int_equal(c->next_rip, 0x52);
	assert_int_equal(c->gpr[REG_RSP], 0x100);
	assert_int_equal(c->seg[SEG_DS].base, 0x2000);
	assert_int_equal(c->seg[SEG_SS].attr, 0xf3);
}

static void test_call_gate_copies_parameters_and_retf_returns(void **state)
{
	(void)state;
	struct cpu *c = prot_cpu(3);
	c->gpr[REG_RSP] = STACK3 - 8;
	env_set(STACK3 - 8, 4, 0x11111111);
	env_set(STACK3 - 4, 4, 0x22222222);
	struct insn i = no_modrm(4, 7);
	i.imm2 = S_CALLGATE | 3;
	assert_int_equal(env_exec(c, &impl_CALLF_Ap, &i), -1);
	assert_int_equal(c->cpl, 0);
	assert_int_equal(c->next_rip, 0x2000);
	assert_int_equal(c->gpr[REG_RSP], STACK0 - 24);
	assert_int_equal(stk32(c, 0), 0x4007);
	assert_int_equal(stk32(c, 1), S_CODE3 | 3);
	assert_int_equal(stk32(c, 2), 0x11111111);
	assert_int_equal(stk32(c, 3), 0x22222222);
	assert_int_equal(stk32(c, 4), STACK3 - 8);
	assert_int_equal(stk32(c, 5), S_DATA3 | 3);

	/* RETF 8 back to CPL 3: DS with a DPL-0 segment becomes null. */
	env_seg_load(c, SEG_DS, S_DATA0);
	c->rip = 0x2000;
	struct insn r = no_modrm(4, 3);
	r.imm = 8;
	assert_int_equal(env_exec(c, &impl_RETF_Iw, &r), -1);
	assert_int_equal(c->cpl, 3);
	assert_int_equal(c->next_rip, 0x4007);
	assert_int_equal(c->gpr[REG_RSP], STACK3);
	assert_int_equal(c->seg[SEG_DS].sel, 0);
	assert_true(c->seg[SEG_DS].attr & SEG_ATTR_UNUSABLE);
}

/* Far JMP rules: row = selector, CPL, vector, error code. */
static void test_far_jmp_checks(void **state)
{
	(void)state;
	static const struct {
		uint16_t sel;
		int cpl, vector;
		uint32_t err;
	} rows[] = {
		{ 0, 0, EXC_GP, 0 },
		{ S_CODE0, 3, EXC_GP, S_CODE0 },            /* DPL != CPL */
		{ S_CODE3 | 3, 0, EXC_GP, S_CODE3 },        /* RPL > CPL */
		{ S_NP, 0, EXC_NP, S_NP },
		{ S_DATA0, 0, EXC_GP, S_DATA0 },
		{ S_CALLGATE, 0, -1, 0 },                  /* to 0x08:0x2000 */
		{ S_CODE0, 0, -1, 0 },
	};
	for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
		struct cpu *c = prot_cpu(rows[k].cpl);
		struct insn i = no_modrm(4, 7);
		i.imm = 0x1234;
		i.imm2 = rows[k].sel;
		int v = env_exec(c, &impl_JMPF_Ap, &i);
		if (v != rows[k].vector)
			fail_msg("row %zu: vector %d, want %d (%s)", k, v,
				 rows[k].vector, c->fault.reason);
		if (v >= 0) {
			assert_int_equal(c->fault.error_code, rows[k].err);
			assert_int_equal(c->seg[SEG_CS].sel,
					 rows[k].cpl ? (S_CODE3 | 3) : S_CODE0);
		}
	}
	/* An EIP beyond the limit is #GP(0) and changes nothing. */
	struct cpu *c = prot_cpu(0);
	env_gdt_put(S_NP, env_desc(0, 0xfff, 0x9b, 0x4));
	struct insn i = no_modrm(4, 7);
	i.imm = 0x1000;
	i.imm2 = S_NP;
	assert_int_equal(env_exec(c, &impl_JMPF_Ap, &i), EXC_GP);
	assert_int_equal(c->fault.error_code, 0);
	assert_int_equal(c->seg[SEG_CS].sel, S_CODE0);
}

static void test_iret_outer_level_and_nmi_unblocking(void **state)
{
	(void)state;
	struct cpu *c = prot_cpu(0);
	env_seg_load(c, SEG_ES, S_DATA0);
	env_seg_load(c, SEG_FS, S_DATA3 | 3);
	c->nmi_blocked = true;
	c->gpr[REG_RSP] = STACK0 - 20;
	env_set(STACK0 - 20, 4, 0x5000);
	env_set(STACK0 - 16, 4, S_CODE3 | 3);
	env_set(STACK0 - 12, 4, FLAG_IF | (3u << 12) | 2);
	env_set(STACK0 - 8, 4, STACK3);
	env_set(STACK0 - 4, 4, S_DATA3 | 3);
	struct insn r = no_modrm(4, 1);
	assert_int_equal(env_exec(c, &impl_IRET, &r), -1);
	assert_false(c->nmi_blocked);
	assert_int_equal(c->cpl, 3);
	assert_int_equal(c->next_rip, 0x5000);
	assert_int_equal(c->gpr[REG_RSP], STACK3);
	assert_true(c->rflags & FLAG_IF);
	assert_int_equal((c->rflags >> 12) & 3, 3);   /* CPL 0 may set IOPL */
	assert_int_equal(c->seg[SEG_ES].sel, 0);      /* DPL 0 < CPL 3 */
	assert_int_equal(c->seg[SEG_FS].sel, S_DATA3 | 3);

	/* At CPL 3 with IOPL 0, IRET changes neither IF nor IOPL. */
	c = prot_cpu(3);
	c->gpr[REG_RSP] = STACK3 - 12;
	env_set(STACK3 - 12, 4, 0x5000);
	env_set(STACK3 - 8, 4, S_CODE3 | 3);
	env_set(STACK3 - 4, 4, FLAG_IF | (3u << 12) | FLAG_CF | 2);
	assert_int_equal(env_exec(c, &impl_IRET, &r), -1);
	assert_false(c->rflags & FLAG_IF);
	assert_int_equal((c->rflags >> 12) & 3, 0);
	assert_true(flag_cf(c));
	/* A return CS with RPL < CPL: #GP(selector). */
	c = prot_cpu(3);
	c->gpr[REG_RSP] = STACK3 - 12;
	env_set(STACK3 - 8, 4, S_CODE0);
	assert_int_equal(env_exec(c, &impl_IRET, &r), EXC_GP);
	assert_int_equal(c->fault.error_code, S_CODE0);
	assert_non_null(strstr(c->fault.reason, "RPL 0 < CPL 3"));
}

static void test_iretq_pops_ss_rsp_at_same_level(void **state)
{
	(void)state;
	struct cpu *c = long_cpu(0);
	uint64_t sp = STACK0 - 40;
	c->gpr[REG_RSP] = sp;
	env_set(sp, 8, 0x6000);
	env_set(sp + 8, 8, S_CODE64_0);
	env_set(sp + 16, 8, 2);
	env_set(sp + 24, 8, 0x12340);
	env_set(sp + 32, 8, 0);        /* null SS allowed at CPL 0 */
	struct insn r = env_reg(8, 0, 0);
	r.len = 2;
	assert_int_equal(env_exec(c, &impl_IRET, &r), -1);
	assert_int_equal(c->gpr[REG_RSP], 0x12340);
	assert_int_equal(c->next_rip, 0x6000);
	assert_true(c->seg[SEG_SS].attr & SEG_ATTR_UNUSABLE);
	/* NT = 1 in IA-32e mode: #GP(0). */
	c->rflags |= FLAG_NT;
	assert_int_equal(env_exec(c, &impl_IRET, &r), EXC_GP);
}

static void test_task_switch_call_and_iret_back(void **state)
{
	(void)state;
	struct cpu *c = prot_cpu(0);
	c->gpr[REG_RAX] = 0xa0a0;
	struct insn i = no_modrm(4, 7);
	i.imm2 = S_TSS_B;
	assert_int_equal(env_exec(c, &impl_CALLF_Ap, &i), -1);
	assert_int_equal(c->seg[SEG_TR].sel, S_TSS_B);
	assert_int_equal(env_get(ENV_GDT + S_TSS_B + 5, 1), 0x8b); /* busy */
	assert_int_equal(env_get(ENV_GDT + S_TSS_A + 5, 1), 0x8b); /* nested */
	assert_int_equal(env_get(TSS_B, 2), S_TSS_A);              /* link */
	assert_int_equal(env_get(TSS_A + 0x20, 4), 0x4007);        /* old EIP */
	assert_int_equal(env_get(TSS_A + 0x28, 4), 0xa0a0);        /* old EAX */
	assert_true(c->rflags & FLAG_NT);
	assert_true(c->cr0 & (1u << 3));                           /* CR0.TS */
	assert_int_equal(c->gpr[REG_RAX], 0xb0b0);
	assert_int_equal(c->gpr[REG_RSP], 0x38000);
	assert_int_equal(c->next_rip, 0x3000);

	/* A busy TSS cannot be called again. */
	c->rip = 0x3000;
	assert_int_equal(env_exec(c, &impl_CALLF_Ap, &i), EXC_GP);
	assert_int_equal(c->fault.error_code, S_TSS_B);

	struct insn r = no_modrm(4, 1);
	assert_int_equal(env_exec(c, &impl_IRET, &r), -1);
	assert_int_equal(c->seg[SEG_TR].sel, S_TSS_A);
	assert_int_equal(env_get(ENV_GDT + S_TSS_B + 5, 1), 0x89); /* not busy */
	assert_int_equal(c->gpr[REG_RAX], 0xa0a0);
	assert_int_equal(c->next_rip, 0x4007);
	assert_false(c->rflags & FLAG_NT);
	assert_false(env_get(TSS_B + 0x24, 4) & FLAG_NT);        /* saved */
}

static void test_task_gate_exception_pushes_error_code(void **state)
{
	(void)state;
	struct cpu *c = prot_cpu(0);
	env_set(IDT + 8 * EXC_GP, 8, env_gate(S_TSS_B, 0, G_TASK0, 0));
	fault(c, EXC_GP, true, 0x50);
	assert_int_equal(c->seg[SEG_TR].sel, S_TSS_B);
	assert_int_equal(c->gpr[REG_RSP], 0x38000 - 4);
	assert_int_equal(env_get(0x38000 - 4, 4), 0x50);
	assert_int_equal(c->next_rip, 0x3000);
	/* JMP to a task clears the old busy bit and links nothing. */
	c = prot_cpu(0);
	struct insn i = no_modrm(4, 7);
	i.imm2 = S_TASKGATE;
	assert_int_equal(env_exec(c, &impl_JMPF_Ap, &i), -1);
	assert_int_equal(env_get(ENV_GDT + S_TSS_A + 5, 1), 0x89);
	assert_false(c->rflags & FLAG_NT);
	/* A task whose SS is invalid faults in the new task: #TS(SS). */
	c = prot_cpu(0);
	env_set(TSS_B + 0x50, 2, S_DATA3);
	i.imm2 = S_TSS_B;
	assert_int_equal(env_exec(c, &impl_JMPF_Ap, &i), EXC_TS);
	assert_int_equal(c->fault.error_code, S_DATA3);
	assert_int_equal(c->seg[SEG_TR].sel, S_TSS_B);
	assert_int_equal(c->rip, 0x3000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_mode_int_n),
		cmocka_unit_test(test_real_mode_ivt_limit_double_and_triple_fault),
		cmocka_unit_test(test_fault_from_ring3_switches_to_tss_stack),
		cmocka_unit_test(test_trap_gate_same_level_keeps_if),
		cmocka_unit_test(test_software_int_checks_gate_dpl),
		cmocka_unit_test(test_ext_bit_and_contributory_double_fault),
		cmocka_unit_test(test_page_fault_sets_cr2_and_pf_during_pf_is_df),
		cmocka_unit_test(test_ia32e_ist_alignment_and_null_ss),
		cmocka_unit_test(test_vm86_int_n_methods),
		cmocka_unit_test(test_vm86_to_ring0_pushes_segments),
		cmocka_unit_test(test_call_gate_copies_parameters_and_retf_returns),
		cmocka_unit_test(test_far_jmp_checks),
		cmocka_unit_test(test_iret_outer_level_and_nmi_unblocking),
		cmocka_unit_test(test_iretq_pops_ss_rsp_at_same_level),
		cmocka_unit_test(test_task_switch_call_and_iret_back),
		cmocka_unit_test(test_task_gate_exception_pushes_error_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
