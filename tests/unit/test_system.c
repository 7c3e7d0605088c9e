/* System instructions against the SDM: MOV CR/DR with every #GP rule of
 * their pseudocode, IA-32e mode activation and deactivation, the PDPTE
 * load of PAE paging, LMSW/SMSW/CLTS, HLT, the CLI/STI decision tables
 * and STI's interrupt shadow, PUSHF/POPF privilege rules, INVLPG and
 * INVPCID, STAC/CLAC, RDPKRU/WRPKRU, RDPMC, the #UD instructions, and
 * port I/O with the TSS I/O permission bitmap (SYSCALL, SYSENTER and the
 * segment-base instructions are in test_msr.c, with their MSRs). Instructions are decoded from
 * their bytes (SDM Vol. 2 opcode tables); faults are checked by vector,
 * error code and the rule their reason names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cpu/decode.h"
#include "cpu/msr.h"
#include "cpu/seg.h"
#include "tests/unit/env.h"
#include "cpu/regs.h"



#define MOV_CR0_RAX 0x0f, 0x22, 0xc0
#define MOV_CR3_RAX 0x0f, 0x22, 0xd8
#define MOV_CR4_RAX 0x0f, 0x22, 0xe0
#define MOV_RAX_CR0 0x0f, 0x20, 0xc0

static void set_iopl(struct cpu *c, unsigned iopl)
{
	c->rflags = (c->rflags & ~(uint64_t)FLAG_IOPL) | ((uint64_t)iopl << 12);
}

/* ---- control registers ---- */

static void test_mov_cr_numbers_and_cpl(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	env_expect(c, ENV_RUN(c, 0x0f, 0x22, 0xc8), EXC_UD, NULL);  /* MOV CR1, RAX */
	env_expect(c, ENV_RUN(c, 0x0f, 0x20, 0xe8), EXC_UD, NULL);  /* MOV RAX, CR5 */
	env_expect(c, ENV_RUN(c, 0x44, 0x0f, 0x22, 0xc8), EXC_UD, NULL); /* CR9 */
	c->gpr[REG_RAX] = 0;
	env_expect(c, ENV_RUN(c, MOV_RAX_CR0), -1, NULL);
	assert_int_equal(c->gpr[REG_RAX], c->cr0);
	env_set_cpl(c, 3);
	env_expect(c, ENV_RUN(c, MOV_RAX_CR0), EXC_GP, "CPL 3");
	env_expect(c, ENV_RUN(c, MOV_CR3_RAX), EXC_GP, "CPL 3");
	/* In 32-bit code the operand is 32 bits. */
	c = env_cpu(ENV_FLAT32);
	c->gpr[REG_RAX] = ~0ull;
	env_expect(c, ENV_RUN(c, MOV_RAX_CR0), -1, NULL);
	assert_int_equal(c->gpr[REG_RAX], c->cr0);
}

struct cr_case {
	bool long_mode;
	uint64_t cr4;       /* CR4 before, or 0 for the environment's */
	unsigned cr;
	uint64_t val;
	int vector;
	const char *why;
	uint64_t result;    /* the register afterwards, when accepted */
};

/* Each rule of SDM Vol. 2B MOV (Control Registers) and Vol. 3A 2.5. A
 * refused write leaves the register as it was. */
static const struct cr_case cr_cases[] = {
	/* CR0 */
	{ false, 0, 0, 0x80000010, EXC_GP, "PG (bit 31) with PE (bit 0) = 0", 0 },
	{ false, 0, 0, 0x20000011, EXC_GP, "NW (bit 29) with CD (bit 30) = 0", 0 },
	{ false, 0, 0, 0x60000011, -1, NULL, 0x60000011 },
	{ false, 0, 0, 0x00000041, -1, NULL, 0x11 },   /* bit 6 ignored, ET 1 */
	{ false, 0, 0, 0x00050033, -1, NULL, 0x50033 },
	{ true, 0, 0, 0x180000011ull, EXC_GP, "bits 63:32", 0 },
	{ true, 0, 0, 0x00000011, EXC_GP, "64-bit mode", 0 },
	/* CR4: features the model lacks are reserved bits. */
	{ true, 0, 4, CR4_PAE | (1u << 13), EXC_GP, "bit 13 (VMXE) is reserved: CPUID.0x1.0:ECX.VMX[bit 5] is 0", 0 },
	{ true, 0, 4, CR4_PAE | (1u << 9), -1, NULL, CR4_PAE | (1u << 9) },
	{ true, 0, 4, CR4_PAE | (1u << 18), -1, NULL, CR4_PAE | (1u << 18) },
	{ true, 0, 4, CR4_PAE | (1u << 10), -1, NULL, CR4_PAE | (1u << 10) },
	{ true, 0, 4, CR4_PAE | (1u << 11), EXC_GP, "UMIP", 0 },
	{ true, 0, 4, CR4_PAE | (1u << 3), -1, NULL, CR4_PAE | (1u << 3) },
	{ true, 0, 4, CR4_PAE | (1u << 23), EXC_GP, "CET", 0 },
	{ true, 0, 4, CR4_PAE | (1u << 15), EXC_GP, "bit 15 is reserved", 0 },
	{ true, 0, 4, CR4_PAE | (1ull << 32), EXC_GP, "bit 32 is reserved", 0 },
	{ true, 0, 4, CR4_PAE | (1u << 12), EXC_GP, "LA57", 0 },
	{ true, 0, 4, 0, EXC_GP, "clearing CR4.PAE in IA-32e mode", 0 },
	/* TSD PSE PAE PGE PCE FSGSBASE PCIDE SMEP SMAP PKE */
	{ true, 0, 4, 0x7301b4, -1, NULL, 0x7301b4 },
	{ false, 0, 4, 1u << 17, EXC_GP, "only in IA-32e mode", 0 },
	{ false, 0, 4, 0x3001b4, -1, NULL, 0x3001b4 },
	/* CR3 in IA-32e mode: bits above MAXPHYADDR (46); bit 63 means
	 * "no flush" only with CR4.PCIDE = 1 (SDM Vol. 3A 4.10.4.1). */
	{ true, 0, 3, 0x400000000000ull, EXC_GP, "bit 46 is reserved", 0 },
	{ true, 0, 3, 0x8000000000001000ull, EXC_GP, "bit 63", 0 },
	{ true, CR4_PAE | (1u << 17), 3, 0x8000000000001005ull, -1, NULL, 0x1005 },
	{ true, 0, 3, 0x3ffffffff000ull, -1, NULL, 0x3ffffffff000ull },
	/* CR8: the task priority, bits 63:4 reserved. */
	{ true, 0, 8, 0x10, EXC_GP, "bits 63:4", 0 },
	{ true, 0, 8, 0xf, -1, NULL, 0xf },
	{ true, 0, 2, 0xdead0000beef0000ull, -1, NULL, 0xdead0000beef0000ull },
};

static uint64_t *cr_field(struct cpu *c, unsigned cr)
{
	switch (cr) {
	case 0: return &c->cr0;
	case 2: return &c->cr2;
	case 3: return &c->cr3;
	case 4: return &c->cr4;
	default: return &c->cr8;
	}
}

static void test_cr_write_rules(void **state)
{
	(void)state;
	for (size_t n = 0; n < sizeof(cr_cases) / sizeof(cr_cases[0]); n++) {
		const struct cr_case *k = &cr_cases[n];
		struct cpu *c = env_cpu(k->long_mode ? ENV_LONG64 : ENV_FLAT32);
		if (k->cr4)
			c->cr4 = k->cr4;
		uint64_t before = *cr_field(c, k->cr);
		/* MOV CRn, RAX: 0F 22 /r with ModRM 11 n 000; CR8 needs
		 * REX.R. */
		c->gpr[REG_RAX] = k->val;
		uint8_t b[4] = { 0x44, 0x0f, 0x22,
				 (uint8_t)(0xc0 | (k->cr & 7) << 3) };
		int v = k->cr == 8 ? env_run(c, b, 4) : env_run(c, b + 1, 3);
		if (v != k->vector)
			fail_msg("case %zu: MOV CR%u = 0x%llx: vector %d, reason \"%s\"",
				 n, k->cr, (unsigned long long)k->val, v,
				 v >= 0 ? c->fault.reason : "");
		env_expect(c, v, k->vector, k->why);
		uint64_t after = *cr_field(c, k->cr);
		if (v >= 0)
			assert_int_equal(after, before);
		else
			assert_int_equal(after, k->result);
	}
}

/* SDM Vol. 3A 9.8.5: PG with LME = 1 activates IA-32e mode (LMA = 1)
 * and needs PAE with CS.L = 0; 64-bit mode cannot clear PG, and leaving
 * from compatibility mode clears LMA. */
static void test_ia32e_activation(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_FLAT32);
	c->gpr[REG_RAX] = CR0_PG | CR0_ET | CR0_PE;
	c->efer = EFER_LME;
	env_expect(c, ENV_RUN(c, MOV_CR0_RAX), EXC_GP, "requires CR4.PAE = 1");
	assert_int_equal(c->efer, EFER_LME);
	assert_int_equal(c->cr0 & CR0_PG, 0);
	c->cr4 = CR4_PAE;
	c->seg[SEG_CS].attr |= SEG_ATTR_L;
	env_expect(c, ENV_RUN(c, MOV_CR0_RAX), EXC_GP, "CS.L = 0");
	c->seg[SEG_CS].attr &= ~SEG_ATTR_L;
	c->cr3 = ENV_PT;
	env_expect(c, ENV_RUN(c, MOV_CR0_RAX), -1, NULL);
	assert_int_equal(c->efer, EFER_LME | EFER_LMA);
	assert_int_equal(c->cr0 & CR0_PG, CR0_PG);
	assert_int_equal(cpu_code_size(c), 4);   /* compatibility mode */
	/* LME cannot change now, nor PAE be cleared. */
	c->gpr[REG_RCX] = 0xc0000080;
	c->gpr[REG_RAX] = 0;
	c->gpr[REG_RDX] = 0;
	env_expect(c, ENV_RUN(c, 0x0f, 0x30), EXC_GP, "LME cannot change");

	/* 64-bit mode cannot clear PG. */
	c = env_cpu(ENV_LONG64);
	c->gpr[REG_RAX] = CR0_ET | CR0_PE;
	env_expect(c, ENV_RUN(c, MOV_CR0_RAX), EXC_GP, "64-bit mode");
	/* Compatibility mode can; PCIDE must be 0 first. */
	c->seg[SEG_CS].attr = (c->seg[SEG_CS].attr & ~SEG_ATTR_L) | SEG_ATTR_DB;
	c->cr4 |= 1u << 17;
	env_expect(c, ENV_RUN(c, MOV_CR0_RAX), EXC_GP, "CR4.PCIDE = 1");
	c->cr4 &= ~(1ull << 17);
	env_expect(c, ENV_RUN(c, MOV_CR0_RAX), -1, NULL);
	assert_int_equal(c->efer, EFER_LME);
	assert_int_equal(c->cr0, CR0_ET | CR0_PE);
	assert_int_equal(cpu_code_size(c), 4);
	/* Setting CR4.PCIDE needs IA-32e mode and CR3[11:0] = 0. */
	c = env_cpu(ENV_LONG64);
	c->cr3 = ENV_PT | 0x5;
	c->gpr[REG_RAX] = c->cr4 | (1u << 17);
	env_expect(c, ENV_RUN(c, MOV_CR4_RAX), EXC_GP, "CR3[11:0] = 0x005");
}

/* SDM Vol. 3A 4.4.1: with PAE paging, MOV to CR0 that sets PG and MOV
 * to CR3 load the four PDPTEs, and a present PDPTE with a reserved bit
 * is #GP(0) with nothing changed. */
static void test_pae_pdpte_load(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_FLAT32);
	const uint64_t pdpt = 0x6000;
	env_set(pdpt, 8, 0x7000 | 1);
	env_set(pdpt + 8, 8, 0x8000 | 1 | (1u << 5));  /* bit 5 reserved */
	c->cr4 = CR4_PAE;
	c->cr3 = pdpt;
	c->gpr[REG_RAX] = CR0_PG | CR0_ET | CR0_PE;
	env_expect(c, ENV_RUN(c, MOV_CR0_RAX), EXC_GP, "PDPTE1");
	assert_int_equal(c->cr0 & CR0_PG, 0);
	assert_int_equal(c->pdpte[0], 0);
	env_set(pdpt + 8, 8, 0x8000 | 1);
	env_expect(c, ENV_RUN(c, MOV_CR0_RAX), -1, NULL);
	assert_int_equal(c->pdpte[0], 0x7001);
	assert_int_equal(c->pdpte[1], 0x8001);
	assert_int_equal(c->efer & EFER_LMA, 0);
	/* MOV CR3 to a bad PDPT changes nothing. */
	env_set(0x9000 + 24, 8, 1 | (1ull << 50));
	c->gpr[REG_RAX] = 0x9000;
	env_expect(c, ENV_RUN(c, MOV_CR3_RAX), EXC_GP, "PDPTE3");
	assert_int_equal(c->cr3, pdpt);
	assert_int_equal(c->pdpte[0], 0x7001);
	env_set(0x9000 + 24, 8, 0);
	env_expect(c, ENV_RUN(c, MOV_CR3_RAX), -1, NULL);
	assert_int_equal(c->cr3, 0x9000);
	assert_int_equal(c->pdpte[0], 0);
}

/* SDM Vol. 2A LMSW: loads CR0[3:0], can set PE, cannot clear it; CLTS
 * clears TS; SMSW stores CR0 (16 bits to memory). */
static void test_lmsw_smsw_clts(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_FLAT32);
	c->gpr[REG_RAX] = 0xfff0 | 0xe;            /* LMSW AX: 0F 01 /6 */
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xf0), -1, NULL);
	assert_int_equal(c->cr0 & 0xf, 0xf);
	c->gpr[REG_RAX] = 0;
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xf0), -1, NULL);
	assert_int_equal(c->cr0 & 0xf, CR0_PE);    /* PE stays */
	c->cr0 |= CR0_TS;
	env_expect(c, ENV_RUN(c, 0x0f, 0x06), -1, NULL);   /* CLTS */
	assert_int_equal(c->cr0 & CR0_TS, 0);
	c->gpr[REG_RAX] = ~0ull;                   /* SMSW EAX: 0F 01 /4 */
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xe0), -1, NULL);
	assert_int_equal(c->gpr[REG_RAX], c->cr0);
	env_set(0x20000, 4, 0xaaaaaaaa);           /* SMSW [EBX] */
	c->gpr[REG_RBX] = 0x20000;
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0x23), -1, NULL);
	assert_int_equal(env_get(0x20000, 4), 0xaaaa0000 | (c->cr0 & 0xffff));
	env_set_cpl(c, 3);
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xe0), -1, NULL);  /* SMSW is not */
	env_expect(c, ENV_RUN(c, 0x0f, 0x06), EXC_GP, "CLTS at CPL 3");
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xf0), EXC_GP, "LMSW at CPL 3");
	/* From real mode LMSW enters protected mode. */
	cpu_reset(c);
	c->gpr[REG_RAX] = 1;
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xf0), -1, NULL);
	assert_int_equal(c->cr0 & CR0_PE, CR0_PE);
	assert_int_equal(c->cpl, 0);
}

/* ---- debug registers (SDM Vol. 2B MOV DR, Vol. 3B 17.2) ---- */

static void test_debug_registers(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	c->gpr[REG_RAX] = 1ull << 32;
	env_expect(c, ENV_RUN(c, 0x0f, 0x23, 0xf8), EXC_GP, "bits 63:32");  /* DR7 */
	c->gpr[REG_RAX] = 0x000f0003;
	env_expect(c, ENV_RUN(c, 0x0f, 0x23, 0xf8), -1, NULL);
	assert_int_equal(c->dr[7], 0x000f0403);
	c->gpr[REG_RAX] = 0;
	env_expect(c, ENV_RUN(c, 0x0f, 0x23, 0xf0), -1, NULL);              /* DR6 */
	assert_int_equal(c->dr[6], 0xffff0ff0);
	/* With CR4.DE = 0, DR4 and DR5 are DR6 and DR7. */
	c->gpr[REG_RAX] = 0x4001;
	env_expect(c, ENV_RUN(c, 0x0f, 0x23, 0xe0), -1, NULL);              /* DR4 */
	assert_int_equal(c->dr[6], 0xffff4ff1);
	env_expect(c, ENV_RUN(c, 0x0f, 0x21, 0xe8), -1, NULL);              /* RAX, DR5 */
	assert_int_equal(c->gpr[REG_RAX], 0x000f0403);
	c->gpr[REG_RAX] = 0xffff800000001234ull;
	env_expect(c, ENV_RUN(c, 0x0f, 0x23, 0xc8), -1, NULL);              /* DR1 */
	assert_int_equal(c->dr[1], 0xffff800000001234ull);
	c->cr4 |= 1u << 3;
	env_expect(c, ENV_RUN(c, 0x0f, 0x21, 0xe0), EXC_UD, "CR4.DE = 1");
	c->cr4 &= ~(1ull << 3);
	env_expect(c, ENV_RUN(c, 0x44, 0x0f, 0x21, 0xc0), EXC_UD, NULL);    /* DR8 */
	/* General detect: #DB before the access, DR6.BD set, GD cleared. */
	c->dr[7] |= 1u << 13;
	c->dr[6] = 0xffff0ff0;
	c->gpr[REG_RAX] = 0x55;
	env_expect(c, ENV_RUN(c, 0x0f, 0x21, 0xc0), EXC_DB, "DR7.GD");
	assert_false(c->fault.has_error_code);
	assert_int_equal(c->gpr[REG_RAX], 0x55);
	assert_int_equal(c->dr[6], 0xffff0ff0 | (1u << 13));
	assert_int_equal(c->dr[7] & (1u << 13), 0);
	env_set_cpl(c, 3);
	env_expect(c, ENV_RUN(c, 0x0f, 0x21, 0xc0), EXC_GP, "CPL 3");
}

/* ---- HLT, CLI, STI ---- */

static void test_hlt(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	c->halted = false;
	env_set_cpl(c, 3);
	env_expect(c, ENV_RUN(c, 0xf4), EXC_GP, "HLT at CPL 3");
	assert_false(c->halted);
	env_set_cpl(c, 0);
	env_expect(c, ENV_RUN(c, 0xf4), -1, NULL);
	assert_true(c->halted);
	c->halted = false;
}

enum { REAL, PROT, VM86 };
enum { RES_IF, RES_VIF, RES_GP };

struct if_case {
	int mode;
	unsigned iopl;
	int cpl;
	bool pvi, vme, vip;
	bool sti;
	int result;
};

/* The decision tables of SDM Vol. 2A CLI and Vol. 2B STI. */
static const struct if_case if_cases[] = {
	{ REAL, 0, 0, false, false, false, false, RES_IF },
	{ REAL, 0, 0, false, false, false, true, RES_IF },
	{ PROT, 0, 0, false, false, false, false, RES_IF },
	{ PROT, 3, 3, false, false, false, true, RES_IF },
	{ PROT, 1, 2, true, false, false, false, RES_GP },
	{ PROT, 0, 3, false, false, false, false, RES_GP },
	{ PROT, 0, 3, false, false, false, true, RES_GP },
	{ PROT, 0, 3, true, false, false, false, RES_VIF },
	{ PROT, 0, 3, true, false, false, true, RES_VIF },
	{ PROT, 0, 3, true, false, true, false, RES_VIF },
	{ PROT, 0, 3, true, false, true, true, RES_GP },
	{ VM86, 3, 3, false, false, false, false, RES_IF },
	{ VM86, 3, 3, false, false, false, true, RES_IF },
	{ VM86, 0, 3, false, false, false, true, RES_GP },
	{ VM86, 2, 3, false, false, false, false, RES_GP },
	{ VM86, 0, 3, false, true, false, false, RES_VIF },
	{ VM86, 0, 3, false, true, false, true, RES_VIF },
	{ VM86, 0, 3, false, true, true, true, RES_GP },
	{ VM86, 0, 3, false, true, true, false, RES_VIF },
};

static void test_cli_sti_tables(void **state)
{
	(void)state;
	for (size_t n = 0; n < sizeof(if_cases) / sizeof(if_cases[0]); n++) {
		const struct if_case *k = &if_cases[n];
		struct cpu *c = env_cpu(ENV_FLAT32);
		if (k->mode == REAL)
			cpu_reset(c);
		env_set_cpl(c, k->cpl);
		set_iopl(c, k->iopl);
		if (k->mode == VM86)
			c->rflags |= FLAG_VM;
		c->cr4 = (k->pvi ? 2u : 0) | (k->vme ? 1u : 0);
		if (k->vip)
			c->rflags |= FLAG_VIP;
		/* CLI starts with IF = VIF = 1, STI with both 0. */
		if (k->sti)
			c->rflags &= ~(uint64_t)(FLAG_IF | FLAG_VIF);
		else
			c->rflags |= FLAG_IF | FLAG_VIF;
		uint64_t before = c->rflags;
		int v = k->sti ? ENV_RUN(c, 0xfb) : ENV_RUN(c, 0xfa);
		uint64_t changed = c->rflags ^ before;
		if (k->result == RES_GP) {
			if (v != EXC_GP)
				fail_msg("case %zu: vector %d, expected #GP", n, v);
			env_expect(c, v, EXC_GP, k->sti ? "STI" : "CLI");
			assert_int_equal(changed, 0);
		} else {
			if (v != -1)
				fail_msg("case %zu: %s", n, c->fault.reason);
			assert_int_equal(changed, k->result == RES_IF ? FLAG_IF : FLAG_VIF);
		}
	}
}

/* SDM Vol. 2B STI: interrupts stay blocked until the next instruction
 * has run, only if STI set IF. */
static void test_sti_shadow(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	c->rflags &= ~(uint64_t)FLAG_IF;
	c->attention = 0;
	c->icount = 1000;
	c->shadow_icount = 0;
	env_expect(c, ENV_RUN(c, 0xfb), -1, NULL);
	assert_true(c->rflags & FLAG_IF);
	assert_int_equal(c->shadow_icount, 1001);
	assert_true(c->attention & ATTN_SHADOW);
	c->attention = 0;
	c->shadow_icount = 0;
	env_expect(c, ENV_RUN(c, 0xfb), -1, NULL);
	assert_int_equal(c->shadow_icount, 0);
	assert_false(c->attention & ATTN_SHADOW);
}

/* ---- PUSHF and POPF (SDM Vol. 2B) ---- */

static void test_pushf_popf_protected(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	c->gpr[REG_RSP] = 0x20000;
	c->rflags |= FLAG_RF | FLAG_IF;
	flags_set_arith(c, FLAG_CF | FLAG_ZF);
	env_expect(c, ENV_RUN(c, 0x9c), -1, NULL);             /* PUSHFQ */
	assert_int_equal(c->gpr[REG_RSP], 0x1fff8);
	assert_int_equal(env_get(0x1fff8, 8), 0x2 | FLAG_IF | FLAG_CF | FLAG_ZF);
	/* CPL 3, IOPL 0: IF and IOPL stay, AC, ID and OSZAPC follow. */
	env_set_cpl(c, 3);
	env_set(0x1fff8, 8, 0x2 | FLAG_IOPL | FLAG_AC | FLAG_ID | FLAG_OF | FLAG_DF);
	env_expect(c, ENV_RUN(c, 0x9d), -1, NULL);             /* POPFQ */
	assert_int_equal(c->gpr[REG_RSP], 0x20000);
	assert_int_equal(flags_read(c), 0x2 | FLAG_IF | FLAG_AC | FLAG_ID | FLAG_OF | FLAG_DF);
	/* CPL 0: IOPL and IF change; RF is cleared; VM, VIF, VIP stay 0. */
	env_set_cpl(c, 0);
	c->rflags |= FLAG_RF;
	c->gpr[REG_RSP] = 0x1fff8;
	env_set(0x1fff8, 8, 0x2 | FLAG_IOPL | FLAG_VM | FLAG_VIF | FLAG_VIP | FLAG_RF);
	env_expect(c, ENV_RUN(c, 0x9d), -1, NULL);
	assert_int_equal(flags_read(c), 0x2 | FLAG_IOPL);
	/* CPL 3 with IOPL 3 may change IF, not IOPL. */
	env_set_cpl(c, 3);
	c->gpr[REG_RSP] = 0x1fff8;
	env_set(0x1fff8, 8, 0x2 | FLAG_IF);
	env_expect(c, ENV_RUN(c, 0x9d), -1, NULL);
	assert_int_equal(flags_read(c), 0x2 | FLAG_IF | FLAG_IOPL);
	/* 16-bit POPF (66 9D) leaves bits 31:16 alone. */
	env_set_cpl(c, 0);
	c->rflags |= FLAG_AC;
	c->gpr[REG_RSP] = 0x1fffe;
	env_set(0x1fffe, 2, 0x2 | FLAG_CF);
	env_expect(c, ENV_RUN(c, 0x66, 0x9d), -1, NULL);
	assert_int_equal(flags_read(c), 0x2 | FLAG_CF | FLAG_AC);
	assert_int_equal(c->gpr[REG_RSP], 0x20000);
	/* 32-bit code: PUSHFD image has VM and RF clear. */
	c = env_cpu(ENV_FLAT32);
	c->gpr[REG_RSP] = 0x20000;
	c->rflags |= FLAG_RF;
	env_expect(c, ENV_RUN(c, 0x9c), -1, NULL);
	assert_int_equal(env_get(0x1fffc, 4) & (FLAG_RF | FLAG_VM), 0);
	assert_int_equal(c->gpr[REG_RSP], 0x1fffc);
}

/* Virtual-8086 mode (SDM Vol. 3A 20.2.7, 20.3.3): IOPL < 3 makes PUSHF
 * and POPF fault unless CR4.VME and a 16-bit operand, where IF is
 * virtualized through VIF. */
static void test_pushf_popf_vm86(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_FLAT32);
	c->rflags |= FLAG_VM;
	env_set_cpl(c, 3);
	set_iopl(c, 0);
	c->seg[SEG_CS].attr &= ~SEG_ATTR_DB;
	c->seg[SEG_SS].attr &= ~SEG_ATTR_DB;
	c->gpr[REG_RSP] = 0x8000;
	env_expect(c, ENV_RUN(c, 0x9c), EXC_GP, "CR4.VME = 0");
	env_expect(c, ENV_RUN(c, 0x9d), EXC_GP, "CR4.VME = 0");
	assert_int_equal(c->gpr[REG_RSP], 0x8000);
	c->cr4 = 1;                                  /* VME */
	env_expect(c, ENV_RUN(c, 0x66, 0x9c), EXC_GP, "PUSHFD");
	c->rflags = (c->rflags & ~(uint64_t)FLAG_IF) | FLAG_VIF;
	env_expect(c, ENV_RUN(c, 0x9c), -1, NULL);
	assert_int_equal(env_get(0x7ffe, 2), 0x2 | FLAG_IF | FLAG_IOPL);
	/* POPF: the image's IF goes to VIF; IF and IOPL stay. */
	env_set(0x7ffe, 2, 0x2 | FLAG_CF);
	env_expect(c, ENV_RUN(c, 0x9d), -1, NULL);
	assert_false(c->rflags & FLAG_VIF);
	assert_false(c->rflags & FLAG_IF);
	assert_int_equal(c->gpr[REG_RSP], 0x8000);
	c->gpr[REG_RSP] = 0x7ffe;
	env_set(0x7ffe, 2, 0x2 | FLAG_IF | FLAG_IOPL);
	env_expect(c, ENV_RUN(c, 0x9d), -1, NULL);
	assert_true(c->rflags & FLAG_VIF);
	assert_false(c->rflags & FLAG_IF);
	assert_int_equal((c->rflags >> 12) & 3, 0);
	/* VIP with IF in the image, or TF in the image: #GP, nothing
	 * popped. */
	c->gpr[REG_RSP] = 0x7ffe;
	c->rflags |= FLAG_VIP;
	env_expect(c, ENV_RUN(c, 0x9d), EXC_GP, "VIP = 1");
	env_set(0x7ffe, 2, 0x2 | FLAG_TF);
	c->rflags &= ~(uint64_t)FLAG_VIP;
	env_expect(c, ENV_RUN(c, 0x9d), EXC_GP, "TF");
	assert_int_equal(c->gpr[REG_RSP], 0x7ffe);
	/* IOPL 3: POPF may change IF but never VM or IOPL. */
	set_iopl(c, 3);
	c->cr4 = 0;
	env_set(0x7ffe, 2, 0x2 | FLAG_IF);
	env_expect(c, ENV_RUN(c, 0x9d), -1, NULL);
	assert_true(c->rflags & FLAG_IF);
	assert_true(c->rflags & FLAG_VM);
	assert_int_equal((c->rflags >> 12) & 3, 3);
}

/* ---- TLB maintenance ---- */

static void test_invlpg(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	const uint64_t la = 0x40000, pte = ENV_PT + 0x3000 + 8 * 0x40;
	env_set(0x40000, 4, 0x1111);
	env_set(0x41000, 4, 0x2222);
	assert_int_equal(mem_read32(c, SEG_DS, la), 0x1111);
	env_set(pte, 8, 0x41000 | 7);
	c->gpr[REG_RAX] = la;
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0x38), -1, NULL);  /* INVLPG [rax] */
	assert_int_equal(mem_read32(c, SEG_DS, la), 0x2222);
	/* A non-canonical address is a no-op, not a fault. */
	c->gpr[REG_RAX] = 0x0000800000000000ull;
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0x38), -1, NULL);
	env_set_cpl(c, 3);
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0x38), EXC_GP, "INVLPG at CPL 3");
}

struct invpcid_case {
	uint64_t type, lo, hi;
	uint64_t cr4_extra;
	int vector;
	const char *why;
};

/* SDM Vol. 2A INVPCID exceptions. */
static const struct invpcid_case invpcid_cases[] = {
	{ 4, 0, 0, 0, EXC_GP, "type 4" },
	{ 0, 0, 0x0000800000000000ull, 0, EXC_GP, "not canonical" },
	{ 2, 0x1000, 0, 0, EXC_GP, "bits 63:12" },
	{ 1, 5, 0, 0, EXC_GP, "PCID 5 with CR4.PCIDE = 0" },
	{ 0, 5, 0x1000, 0, EXC_GP, "PCID 5 with CR4.PCIDE = 0" },
	{ 0, 5, 0x1000, 1u << 17, -1, NULL },
	{ 1, 0, 0, 0, -1, NULL },
	{ 2, 0, 0, 0, -1, NULL },
	{ 3, 0, 0, 0, -1, NULL },
};

static void test_invpcid(void **state)
{
	(void)state;
	for (size_t n = 0; n < sizeof(invpcid_cases) / sizeof(invpcid_cases[0]); n++) {
		const struct invpcid_case *k = &invpcid_cases[n];
		struct cpu *c = env_cpu(ENV_LONG64);
		c->cr4 |= k->cr4_extra;
		env_set(0x20000, 8, k->lo);
		env_set(0x20008, 8, k->hi);
		c->gpr[REG_RAX] = k->type;
		c->gpr[REG_RBX] = 0x20000;
		/* INVPCID rax, [rbx]: 66 0F 38 82 /r */
		int v = ENV_RUN(c, 0x66, 0x0f, 0x38, 0x82, 0x03);
		if (v != k->vector)
			fail_msg("case %zu: vector %d (%s)", n, v, c->fault.reason);
		env_expect(c, v, k->vector, k->why);
	}
	struct cpu *c = env_cpu(ENV_LONG64);
	env_set_cpl(c, 3);
	c->gpr[REG_RAX] = 2;
	c->gpr[REG_RBX] = 0x20000;
	env_expect(c, ENV_RUN(c, 0x66, 0x0f, 0x38, 0x82, 0x03), EXC_GP, "CPL 3");
	env_expect(c, ENV_RUN(c, 0x0f, 0x09), EXC_GP, "WBINVD at CPL 3");
	env_expect(c, ENV_RUN(c, 0x0f, 0x08), EXC_GP, "INVD at CPL 3");
	env_set_cpl(c, 0);
	env_expect(c, ENV_RUN(c, 0x0f, 0x09), -1, NULL);
	env_expect(c, ENV_RUN(c, 0x0f, 0x08), -1, NULL);
}

/* ---- SMAP, protection keys, counters, #UD ---- */

static void test_stac_clac_pkru(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xcb), -1, NULL);       /* STAC */
	assert_true(c->rflags & FLAG_AC);
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xca), -1, NULL);       /* CLAC */
	assert_false(c->rflags & FLAG_AC);
	env_set_cpl(c, 3);
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xcb), EXC_UD, "CPL 3");
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xca), EXC_UD, "CPL 3");

	/* RDPKRU/WRPKRU (SDM Vol. 2B): CR4.PKE, then ECX (and EDX) = 0. */
	c->gpr[REG_RCX] = c->gpr[REG_RDX] = 0;
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xee), EXC_UD, "CR4.PKE = 0");
	env_set_cpl(c, 0);
	c->gpr[REG_RAX] = c->cr4 | (1u << 22);
	env_expect(c, ENV_RUN(c, MOV_CR4_RAX), -1, NULL);
	env_set_cpl(c, 3);
	c->gpr[REG_RAX] = 0x55;
	c->gpr[REG_RCX] = 1;
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xef), EXC_GP, "ECX = 0x1");
	c->gpr[REG_RCX] = 0;
	c->gpr[REG_RDX] = 1;
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xef), EXC_GP, "EDX = 0x1");
	c->gpr[REG_RDX] = 0;
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xef), -1, NULL);
	assert_int_equal(c->pkru, 0x55);
	c->gpr[REG_RAX] = c->gpr[REG_RDX] = ~0ull;
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xee), -1, NULL);
	assert_int_equal(c->gpr[REG_RAX], 0x55);
	assert_int_equal(c->gpr[REG_RDX], 0);
	c->pkru = 0;
}

static void test_rdpmc_and_ud(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	c->gpr[REG_RCX] = 0;
	env_expect(c, ENV_RUN(c, 0x0f, 0x33), EXC_GP, "counter 0x0 does not exist");
	env_set_cpl(c, 3);
	env_expect(c, ENV_RUN(c, 0x0f, 0x33), EXC_GP, "CR4.PCE = 0");
	c->cr4 |= 1u << 8;
	env_expect(c, ENV_RUN(c, 0x0f, 0x33), EXC_GP, "does not exist");
	env_set_cpl(c, 0);
	env_expect(c, ENV_RUN(c, 0x0f, 0x0b), EXC_UD, "UD2");
	env_expect(c, ENV_RUN(c, 0x0f, 0xb9, 0xc0), EXC_UD, "UD1");
	env_expect(c, ENV_RUN(c, 0x0f, 0xff, 0xc0), EXC_UD, "UD0");
	env_expect(c, ENV_RUN(c, 0x0f, 0xaa), EXC_UD, "RSM");
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xc8), EXC_UD, "MONITOR");
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xc9), EXC_UD, "MWAIT");
	assert_false(c->fault.has_error_code);
	assert_int_equal(c->rip, ENV_RIP);
}

/* ---- port I/O ---- */

struct io_rec {
	uint16_t port;
	unsigned size;
	uint32_t val;
	bool out;
};

static struct io_rec io_log[64];
static unsigned io_count;
static uint32_t io_next_in;

static uint32_t rec_in(struct env *e, uint16_t port, unsigned size)
{
	(void)e;
	uint32_t v = io_next_in++ & (uint32_t)size_mask(size);
	if (io_count < 64)
		io_log[io_count] = (struct io_rec){ port, size, v, false };
	io_count++;
	return v;
}

static void rec_out(struct env *e, uint16_t port, unsigned size, uint32_t v)
{
	(void)e;
	if (io_count < 64)
		io_log[io_count] = (struct io_rec){ port, size, v, true };
	io_count++;
}

/* A CPU in mode whose port accesses go to the log. */
static struct cpu *io_cpu(enum env_mode mode)
{
	struct cpu *c = env_cpu(mode);
	env_cur->port_in = rec_in;
	env_cur->port_out = rec_out;
	io_count = 0;
	io_next_in = 0x11223344;
	return c;
}

static void assert_io(unsigned n, uint16_t port, unsigned size, uint32_t val,
		      bool out)
{
	assert_true(n < io_count);
	assert_int_equal(io_log[n].port, port);
	assert_int_equal(io_log[n].size, size);
	assert_int_equal(io_log[n].val, val);
	assert_int_equal(io_log[n].out, out);
}

static void test_in_out(void **state)
{
	(void)state;
	struct cpu *c = io_cpu(ENV_FLAT32);
	c->gpr[REG_RAX] = 0xaabbccdd;
	c->gpr[REG_RDX] = 0x103f8;
	env_expect(c, ENV_RUN(c, 0xe6, 0x80), -1, NULL);            /* OUT 80h, AL */
	env_expect(c, ENV_RUN(c, 0xef), -1, NULL);                  /* OUT DX, EAX */
	env_expect(c, ENV_RUN(c, 0x66, 0xef), -1, NULL);            /* OUT DX, AX */
	env_expect(c, ENV_RUN(c, 0xee), -1, NULL);                  /* OUT DX, AL */
	assert_io(0, 0x80, 1, 0xdd, true);
	assert_io(1, 0x3f8, 4, 0xaabbccdd, true);
	assert_io(2, 0x3f8, 2, 0xccdd, true);
	assert_io(3, 0x3f8, 1, 0xdd, true);
	env_expect(c, ENV_RUN(c, 0xe4, 0x60), -1, NULL);            /* IN AL, 60h */
	assert_io(4, 0x60, 1, 0x44, false);
	assert_int_equal(c->gpr[REG_RAX], 0xaabbcc44);
	env_expect(c, ENV_RUN(c, 0x66, 0xed), -1, NULL);            /* IN AX, DX */
	assert_io(5, 0x3f8, 2, 0x3345, false);
	assert_int_equal(c->gpr[REG_RAX], 0xaabb3345);
	/* 64-bit mode: IN EAX zero-extends into RAX; REX.W changes
	 * nothing. */
	c = io_cpu(ENV_LONG64);
	c->gpr[REG_RAX] = ~0ull;
	c->gpr[REG_RDX] = 0xcf8;
	env_expect(c, ENV_RUN(c, 0x48, 0xed), -1, NULL);
	assert_io(0, 0xcf8, 4, 0x11223344, false);
	assert_int_equal(c->gpr[REG_RAX], 0x11223344);
	env_expect(c, ENV_RUN(c, 0xe5, 0x71), -1, NULL);            /* IN EAX, 71h */
	assert_io(1, 0x71, 4, 0x11223345, false);
}

/* A 32-bit TSS at 0x30000 whose I/O map starts at offset 0x68 and
 * denies port 0x61 (SDM Vol. 1 19.5.2). */
static void tss_setup(struct cpu *c, uint32_t limit, unsigned type)
{
	c->seg[SEG_TR] = (struct seg){ .base = 0x30000, .limit = limit,
				       .attr = type | SEG_ATTR_P, .sel = 0x28 };
	memset(env_ptr(0x30000), 0, 0x2100);
	env_set(0x30066, 2, 0x68);
	*env_ptr(0x30068 + 0x61 / 8) |= 1u << (0x61 % 8);
	*env_ptr(0x30068 + 0x2000) = 0xff;
}

static void test_io_permission(void **state)
{
	(void)state;
	struct cpu *c = io_cpu(ENV_FLAT32);
	tss_setup(c, 0x68 + 0x2000, DESC_TSS32_BUSY);
	env_set_cpl(c, 3);
	set_iopl(c, 0);
	env_expect(c, ENV_RUN(c, 0xe4, 0x60), -1, NULL);            /* allowed */
	env_expect(c, ENV_RUN(c, 0xe4, 0x61), EXC_GP, "port 0x61");
	assert_int_equal(io_count, 1);                      /* no access */
	/* Every bit of the access counts: a word at 0x60 covers 0x61. */
	env_expect(c, ENV_RUN(c, 0x66, 0xe5, 0x60), EXC_GP, "bit 97 of the I/O permission bitmap");
	c->gpr[REG_RDX] = 0x5f;
	env_expect(c, ENV_RUN(c, 0xed), EXC_GP, "port 0x5f (4 bytes)");
	c->gpr[REG_RDX] = 0xfff8;
	env_expect(c, ENV_RUN(c, 0xee), -1, NULL);
	/* Bitmap bytes beyond the TSS limit. */
	tss_setup(c, 0x68 + 0x100, DESC_TSS32_BUSY);
	c->gpr[REG_RDX] = 0x800;
	env_expect(c, ENV_RUN(c, 0xee), EXC_GP, "beyond the TSS limit");
	c->gpr[REG_RDX] = 0x7f0;                          /* byte 0xfe */
	env_expect(c, ENV_RUN(c, 0xee), -1, NULL);
	/* IOPL >= CPL skips the bitmap. */
	set_iopl(c, 3);
	env_expect(c, ENV_RUN(c, 0xe4, 0x61), -1, NULL);
	/* Virtual-8086 mode always consults it. */
	tss_setup(c, 0x68 + 0x2000, DESC_TSS32_BUSY);
	c->rflags |= FLAG_VM;
	env_expect(c, ENV_RUN(c, 0xe4, 0x61), EXC_GP, "virtual-8086 mode");
	c->rflags &= ~(uint64_t)FLAG_VM;
	/* A 16-bit TSS has no bitmap. */
	set_iopl(c, 0);
	tss_setup(c, 0x67, DESC_TSS16_BUSY);
	env_expect(c, ENV_RUN(c, 0xe4, 0x60), EXC_GP, "no 32-bit TSS");
	/* The exported check, as other instructions use it. */
	tss_setup(c, 0x68 + 0x2000, DESC_TSS32_BUSY);
	int v = ENV_CATCH(c, io_check_permission(c, 0x60, 1);
			  io_check_permission(c, 0x62, 4);
			  io_check_permission(c, 0x61, 1));
	if (v < 0)
		fail_msg("port 0x61 passed the check");
	env_expect(c, v, EXC_GP, "port 0x61");
}

static void test_ins_outs(void **state)
{
	(void)state;
	struct cpu *c = io_cpu(ENV_FLAT32);
	memcpy(env_ptr(0x20000), "hello", 5);
	c->gpr[REG_RSI] = 0x20000;
	c->gpr[REG_RCX] = 5;
	c->gpr[REG_RDX] = 0xe9;
	env_expect(c, ENV_RUN(c, 0xf3, 0x6e), -1, NULL);            /* REP OUTSB */
	assert_int_equal(io_count, 5);
	for (unsigned n = 0; n < 5; n++)
		assert_io(n, 0xe9, 1, (uint8_t)"hello"[n], true);
	assert_int_equal(c->gpr[REG_RSI], 0x20005);
	assert_int_equal(c->gpr[REG_RCX], 0);
	/* REP INSW: words into ES:EDI. */
	io_count = 0;
	c->gpr[REG_RDI] = 0x21000;
	c->gpr[REG_RCX] = 3;
	env_expect(c, ENV_RUN(c, 0xf3, 0x66, 0x6d), -1, NULL);
	assert_int_equal(io_count, 3);
	assert_int_equal(env_get(0x21000, 2), 0x3344);
	assert_int_equal(env_get(0x21002, 2), 0x3345);
	assert_int_equal(env_get(0x21004, 2), 0x3346);
	assert_int_equal(c->gpr[REG_RDI], 0x21006);
	/* DF = 1: INSD moves down. */
	c->rflags |= FLAG_DF;
	env_expect(c, ENV_RUN(c, 0x6d), -1, NULL);
	assert_int_equal(c->gpr[REG_RDI], 0x21002);
	assert_int_equal(env_get(0x21006, 4), 0x11223347);
	c->rflags &= ~(uint64_t)FLAG_DF;
	/* A long REP runs in bursts: rIP stays until RCX reaches 0. */
	io_count = 0;
	c->gpr[REG_RSI] = 0x20000;
	c->gpr[REG_RCX] = 5000;
	uint64_t rip = c->rip;
	env_expect(c, ENV_RUN(c, 0xf3, 0x6e), -1, NULL);
	assert_int_equal(c->rip, rip);
	assert_int_equal(c->gpr[REG_RCX], 5000 - 4096);
	assert_int_equal(c->gpr[REG_RSI], 0x20000 + 4096);
	env_expect(c, ENV_RUN(c, 0xf3, 0x6e), -1, NULL);
	assert_int_equal(c->rip, rip + 2);
	assert_int_equal(c->gpr[REG_RCX], 0);
	assert_int_equal(io_count, 5000);

	/* INS checks the store before it reads the port: a #PF loses no
	 * data and leaves rDI and rCX as they were. */
	c = io_cpu(ENV_LONG64);
	c->gpr[REG_RDI] = ENV_HOLE;
	c->gpr[REG_RCX] = 2;
	c->gpr[REG_RDX] = 0x1f0;
	env_expect(c, ENV_RUN(c, 0xf3, 0x6c), EXC_PF, NULL);
	assert_int_equal(io_count, 0);
	assert_int_equal(c->gpr[REG_RDI], ENV_HOLE);
	assert_int_equal(c->gpr[REG_RCX], 2);
	/* A fault in a later iteration keeps the completed ones. */
	c->gpr[REG_RDI] = ENV_HOLE - 1;
	env_expect(c, ENV_RUN(c, 0xf3, 0x6c), EXC_PF, NULL);
	assert_int_equal(io_count, 1);
	assert_int_equal(c->gpr[REG_RDI], ENV_HOLE);
	assert_int_equal(c->gpr[REG_RCX], 1);
	/* OUTS honours a segment override for its source (FS). */
	io_count = 0;
	c->seg[SEG_FS].base = 0x10000;
	memcpy(env_ptr(0x30000), "x", 1);
	c->gpr[REG_RSI] = 0x20000;
	env_expect(c, ENV_RUN(c, 0x64, 0x6e), -1, NULL);
	assert_io(0, 0x1f0, 1, 'x', true);
	c->seg[SEG_FS].base = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mov_cr_numbers_and_cpl),
		cmocka_unit_test(test_cr_write_rules),
		cmocka_unit_test(test_ia32e_activation),
		cmocka_unit_test(test_pae_pdpte_load),
		cmocka_unit_test(test_lmsw_smsw_clts),
		cmocka_unit_test(test_debug_registers),
		cmocka_unit_test(test_hlt),
		cmocka_unit_test(test_cli_sti_tables),
		cmocka_unit_test(test_sti_shadow),
		cmocka_unit_test(test_pushf_popf_protected),
		cmocka_unit_test(test_pushf_popf_vm86),
		cmocka_unit_test(test_invlpg),
		cmocka_unit_test(test_invpcid),
		cmocka_unit_test(test_stac_clac_pkru),
		cmocka_unit_test(test_rdpmc_and_ud),
		cmocka_unit_test(test_in_out),
		cmocka_unit_test(test_io_permission),
		cmocka_unit_test(test_ins_outs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
