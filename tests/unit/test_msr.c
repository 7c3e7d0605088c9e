/* The MSR table and RDMSR/WRMSR/RDTSC/RDTSCP/RDRAND/RDSEED/RDPID against
 * the SDM: which MSRs exist, their reset values, the write rules of
 * IA32_EFER, the base-address MSRs, the TSC pair, IA32_PAT, the MTRRs,
 * IA32_FEATURE_CONTROL's lock, IA32_MISC_ENABLE and IA32_APIC_BASE, and
 * #GP(0) with a reason for every refused access; and the instructions
 * that work from MSRs: SYSCALL/SYSRET, SYSENTER/SYSEXIT, SWAPGS and
 * RD/WR FS/GS BASE. Instructions are decoded from their bytes (SDM Vol. 2
 * opcode tables). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cpu/decode.h"
#include "cpu/msr.h"
#include "tests/unit/env.h"
#include "cpu/regs.h"

#define RDMSR 0x0f, 0x32
#define WRMSR 0x0f, 0x30

static int rdmsr(struct cpu *c, uint32_t index, uint64_t *val)
{
	c->gpr[REG_RCX] = index;
	c->gpr[REG_RAX] = c->gpr[REG_RDX] = 0xdeadbeefdeadbeefull;
	int v = ENV_RUN(c, RDMSR);
	if (v < 0)
		*val = (c->gpr[REG_RDX] << 32) | c->gpr[REG_RAX];
	return v;
}

static int wrmsr(struct cpu *c, uint32_t index, uint64_t val)
{
	c->gpr[REG_RCX] = index;
	c->gpr[REG_RAX] = 0xffffffff00000000ull | (uint32_t)val;
	c->gpr[REG_RDX] = 0xffffffff00000000ull | (val >> 32);
	return ENV_RUN(c, WRMSR);
}

static uint64_t rd(struct cpu *c, uint32_t index)
{
	uint64_t v = 0;
	assert_int_equal(rdmsr(c, index, &v), -1);
	return v;
}


static void assert_gp0(struct cpu *c, int vector, const char *needle)
{
	env_expect(c, vector, EXC_GP, needle);
}

static void test_table_sorted_and_named(void **state)
{
	(void)state;
	assert_true(msr_count() >= 40);
	for (unsigned n = 1; n < msr_count(); n++)
		assert_true(msr_at(n - 1)->index < msr_at(n)->index);
	for (unsigned n = 0; n < msr_count(); n++) {
		const struct msr_desc *d = msr_at(n);
		assert_ptr_equal(msr_find(d->index), d);
		assert_ptr_equal(msr_find_by_name(d->name), d);
	}
	assert_int_equal(msr_find_by_name("ia32_efer")->index, 0xc0000080);
	assert_int_equal(msr_find_by_name("MSR_PLATFORM_INFO")->index, 0xce);
	assert_int_equal(msr_find_by_name("IA32_FEATURE_CONTROL")->index, 0x3a);
	assert_int_equal(msr_find_by_name("IA32_PAT")->index, 0x277);
	assert_null(msr_find_by_name("IA32_NO_SUCH_MSR"));
	assert_null(msr_find(0x12345678));
	/* The numbers of SDM Vol. 4 table 2-2. */
	assert_int_equal(MSR_IA32_SYSENTER_EIP, 0x176);
	assert_int_equal(MSR_IA32_KERNEL_GS_BASE, 0xc0000102);
	assert_int_equal(MSR_IA32_MTRR_FIX4K_F8000, 0x26f);
}

/* SDM Vol. 3A table 9-1: values after RESET. */
static void test_reset_values(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_FLAT32);
	cpu_reset(c);
	assert_int_equal(rd(c, 0x277), 0x0007040600070406ull);  /* PAT */
	assert_int_equal(rd(c, 0xc0000080), 0);                   /* EFER */
	assert_int_equal(rd(c, 0x2ff), 0);                        /* MTRRdefType */
	assert_int_equal(rd(c, 0x3a), 0);                         /* FEATURE_CONTROL */
	assert_int_equal(rd(c, 0x1b), 0xfee00900ull);             /* BSP, enabled */
	assert_int_equal(rd(c, 0xfe), 0x508);                     /* 8 var, FIX, WC */
	/* RDMSR zero-extends EAX and EDX in 64-bit mode. */
	c = env_cpu(ENV_LONG64);
	c->pat = 0x0106040600070406ull;
	assert_int_equal(rdmsr(c, 0x277, &(uint64_t){ 0 }), -1);
	assert_int_equal(c->gpr[REG_RAX], 0x00070406);
	assert_int_equal(c->gpr[REG_RDX], 0x01060406);
}

static void test_unknown_msr_and_cpl(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	uint64_t v;
	assert_gp0(c, rdmsr(c, 0x12345678, &v), "MSR 0x12345678");
	assert_gp0(c, wrmsr(c, 0xc0000104, 0), "MSR 0xc0000104");
	assert_int_equal(c->rip, ENV_RIP);
	c->cpl = 3;
	c->seg[SEG_SS].attr |= SEG_ATTR_DPL;
	assert_gp0(c, rdmsr(c, 0x10, &v), "CPL 3");
	assert_gp0(c, wrmsr(c, 0x277, 0x0007040600070406ull), "CPL 3");
}

/* An MSR whose CPUID flag is clear does not exist. */
static void test_unavailable_msr(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	for (unsigned n = 0; n < c->model.n_cpuid; n++)
		if (c->model.cpuid[n].leaf == 1)
			c->model.cpuid[n].edx &= ~(1u << 16); /* PAT */
	uint64_t v;
	assert_gp0(c, rdmsr(c, 0x277, &v), "IA32_PAT (0x277) does not exist");
	assert_gp0(c, wrmsr(c, 0x277, 0), "PAT[bit 16]");
	c->model = *model_default();
}

struct write_case {
	uint32_t index;
	uint64_t value;
	bool ok;
	const char *why;   /* part of the #GP reason */
};

/* Writes whose outcome the SDM fixes; each refused one leaves the MSR as
 * it was. Runs in 64-bit mode, paging on, EFER = LME | LMA. */
static const struct write_case write_cases[] = {
	/* IA32_EFER: SCE, LME, LMA, NXE; AMD's SVME (12) is reserved. */
	{ 0xc0000080, (1u << 8) | (1u << 10) | (1u << 11) | 1, true, NULL },
	{ 0xc0000080, (1u << 8) | (1u << 10) | (1u << 1), false, "bit 1 is reserved" },
	{ 0xc0000080, (1u << 8) | (1u << 10) | (1u << 12), false, "bit 12 is reserved" },
	{ 0xc0000080, (1u << 10), false, "LME cannot change" },
	/* Base-address MSRs must be canonical (48 bits here). */
	{ 0xc0000082, 0xffff800000001000ull, true, NULL },
	{ 0xc0000082, 0x0000800000000000ull, false, "not canonical" },
	{ 0xc0000083, 0x0001000000000000ull, false, "not canonical" },
	{ 0xc0000100, 0x00007fffffffffffull, true, NULL },
	{ 0xc0000100, 0x8000000000000000ull, false, "not canonical" },
	{ 0xc0000101, 0xffff800000000000ull, true, NULL },
	{ 0xc0000102, 0x0000900000000000ull, false, "not canonical" },
	{ 0x175, 0xffff800000000000ull, true, NULL },
	{ 0x176, 0x00f0000000000000ull, false, "not canonical" },
	{ 0xc0000081, 0x0023001000000000ull, true, NULL },  /* STAR: any */
	{ 0xc0000084, 0x47700, true, NULL },
	{ 0xc0000084, 1ull << 32, false, "63:32" },         /* FMASK */
	{ 0xc0000103, 0xffffffffull, true, NULL },
	{ 0xc0000103, 1ull << 32, false, "63:32" },         /* TSC_AUX */
	/* IA32_PAT: types 2 and 3 and bits 7:3 of an entry are reserved
	 * (SDM Vol. 3A 11.12.2). */
	{ 0x277, 0x0007010600070406ull, true, NULL },
	{ 0x277, 0x0007040600070402ull, false, "PA0 = 2" },
	{ 0x277, 0x0007040600030406ull, false, "PA2 = 3" },
	{ 0x277, 0x0807040600070406ull, false, "PA7 = 0x8" },
	/* MTRRs (SDM Vol. 3A 11.11): types 0 1 4 5 6; reserved fields. */
	{ 0x2ff, 0xc06, true, NULL },
	{ 0x2ff, 0x1006, false, "bit 12 is reserved" },
	{ 0x2ff, 0xc02, false, "type 2" },
	{ 0x250, 0x0606060606060606ull, true, NULL },
	{ 0x26f, 0x0506040100000606ull, true, NULL },
	{ 0x258, 0x0000000700000000ull, false, "byte 4 = 0x7" },
	{ 0x200, 0x00003fff00000006ull, true, NULL },
	{ 0x200, 0x0000000000000106ull, false, "bit 8 is reserved" },
	{ 0x202, 0x0000400000000006ull, false, "bit 46 is reserved" },
	{ 0x204, 0x0000000000000003ull, false, "type 3" },
	{ 0x201, 0x00003ffff0000800ull, true, NULL },
	{ 0x201, 0x00003ffff0000801ull, false, "bit 0 is reserved" },
	{ 0x210, 0, false, "MSR 0x210" },        /* beyond 8 ranges */
	{ 0xfe, 0x508, false, "read-only" },     /* MTRRCAP */
	/* IA32_FEATURE_CONTROL: no VMX or SMX in this model. */
	{ 0x3a, 1u << 2, false, "bit 2 (enable VMX outside SMX operation)" },
	{ 0x3a, 1u << 1, false, "bit 1" },
	/* IA32_MISC_ENABLE (SDM Vol. 4 2.22). */
	{ 0x1a0, 0x1801 | (1u << 22), true, NULL },
	{ 0x1a0, 0x1001, false, "bit 11 is read-only" },
	{ 0x1a0, 0x1809, false, "bit 3 is reserved" },
	{ 0x1a0, 0x1801 | (1ull << 34), false, "XD" },  /* NXE = 1 */
	/* IA32_APIC_BASE (SDM Vol. 3A 10.4.4, 10.12.5.1): xAPIC to x2APIC
	 * mode is allowed, EXTD without EN is not; bit 9 and bits above
	 * MAXPHYADDR are reserved. */
	{ 0x1b, 0xfed00900ull, true, NULL },
	{ 0x1b, 0xfee00d00ull, true, NULL },
	{ 0x1b, 0xfee00500ull, false, "EXTD = 1 with EN = 0" },
	{ 0x1b, 0xfee00b00ull, false, "bit 9 is reserved" },
	{ 0x1b, 0x40000fee00900ull, false, "bit 50 is reserved" },
	{ 0x1d9, 0, true, NULL },                 /* DEBUGCTL */
	{ 0x1d9, 2, false, "BTF" },
	{ 0xce, 0, false, "read-only" },          /* PLATFORM_INFO */
	{ 0x17, 0, false, "read-only" },          /* PLATFORM_ID */
	{ 0x8b, 0, true, NULL },                  /* BIOS_SIGN_ID */
};

static void test_write_rules(void **state)
{
	(void)state;
	for (size_t n = 0; n < sizeof(write_cases) / sizeof(write_cases[0]); n++) {
		const struct write_case *w = &write_cases[n];
		struct cpu *c = env_cpu(ENV_LONG64);
		c->efer |= 1u << 11;    /* NXE, for the XD-disable case */
		uint64_t before = 0, after = 0;
		bool exists = rdmsr(c, w->index, &before) < 0;
		int v = wrmsr(c, w->index, w->value);
		if (w->ok) {
			if (v != -1)
				fail_msg("WRMSR 0x%x = 0x%llx: %s", w->index,
					 (unsigned long long)w->value, c->fault.reason);
			continue;
		}
		if (v != EXC_GP || !strstr(c->fault.reason, w->why))
			fail_msg("WRMSR 0x%x = 0x%llx: vector %d, reason \"%s\", expected #GP with \"%s\"",
				 w->index, (unsigned long long)w->value, v,
				 c->fault.reason, w->why);
		assert_gp0(c, v, NULL);
		if (exists) {
			assert_int_equal(rdmsr(c, w->index, &after), -1);
			assert_int_equal(after, before);
		}
	}
}

/* SDM Vol. 3A 2.2.1: LMA is read-only; LME may change while paging is
 * off; NXE and SCE as written. */
static void test_efer(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_FLAT32);
	assert_int_equal(wrmsr(c, 0xc0000080, 1u << 10), -1);
	assert_int_equal(c->efer, 0);
	assert_int_equal(wrmsr(c, 0xc0000080, (1u << 8) | (1u << 11) | 1), -1);
	assert_int_equal(rd(c, 0xc0000080), (1u << 8) | (1u << 11) | 1);
	assert_int_equal(wrmsr(c, 0xc0000080, 0), -1);
	assert_int_equal(c->efer, 0);
	/* With IA32_MISC_ENABLE.XD_DISABLE, NXE is reserved. */
	c->misc_enable |= 1ull << 34;
	assert_gp0(c, wrmsr(c, 0xc0000080, 1u << 11), "XD_DISABLE");
}

static void test_fs_gs_base_msrs(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	assert_int_equal(wrmsr(c, 0xc0000100, 0x12345000), -1);
	assert_int_equal(c->seg[SEG_FS].base, 0x12345000);
	c->seg[SEG_GS].base = 0xffff888000000000ull;
	assert_int_equal(rd(c, 0xc0000101), 0xffff888000000000ull);
	assert_int_equal(wrmsr(c, 0xc0000102, 0x7000), -1);
	assert_int_equal(c->kernel_gs_base, 0x7000);
}

/* SDM Vol. 3A 23.7: once locked, IA32_FEATURE_CONTROL refuses writes
 * until reset. */
static void test_feature_control_lock(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	assert_int_equal(wrmsr(c, 0x3a, 0), -1);
	assert_int_equal(wrmsr(c, 0x3a, 1), -1);
	assert_int_equal(rd(c, 0x3a), 1);
	assert_gp0(c, wrmsr(c, 0x3a, 1), "locked");
	assert_gp0(c, wrmsr(c, 0x3a, 0), "locked");
	assert_int_equal(rd(c, 0x3a), 1);
	cpu_reset(c);
	assert_int_equal(c->feature_control, 0);
}

/* SDM Vol. 3B 17.17: the TSC counts from the clock; a write sets it and
 * moves IA32_TSC_ADJUST by the same amount, and the other way round. */
static void test_tsc_and_adjust(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	uint64_t t0 = rd(c, 0x10), a0 = rd(c, 0x3b);
	c->icount += 1000;
	uint64_t per = c->model.tsc_hz / c->model.insns_per_sec;
	assert_int_equal(rd(c, 0x10), t0 + 1000 * per);
	assert_int_equal(wrmsr(c, 0x10, 1000000), -1);
	assert_int_equal(rd(c, 0x10), 1000000);
	int64_t adj = (int64_t)rd(c, 0x3b);
	assert_int_equal(adj - (int64_t)a0,
			 (int64_t)(1000000 - (t0 + 1000 * per)));
	assert_int_equal(wrmsr(c, 0x3b, (uint64_t)(adj + 500)), -1);
	assert_int_equal(rd(c, 0x10), 1000500);
	/* RDTSC: EDX:EAX, upper halves cleared. */
	c->gpr[REG_RAX] = c->gpr[REG_RDX] = ~0ull;
	assert_int_equal(ENV_RUN(c, 0x0f, 0x31), -1);
	assert_int_equal(c->gpr[REG_RAX], 1000500);
	assert_int_equal(c->gpr[REG_RDX], 0);
	/* RDTSCP adds IA32_TSC_AUX in ECX. */
	assert_int_equal(wrmsr(c, 0xc0000103, 0x1234), -1);
	assert_int_equal(ENV_RUN(c, 0x0f, 0x01, 0xf9), -1);
	assert_int_equal(c->gpr[REG_RCX], 0x1234);
	/* RDPID (F3 0F C7 /7) in 64-bit mode: a 64-bit register. */
	c->gpr[REG_RAX] = ~0ull;
	assert_int_equal(ENV_RUN(c, 0xf3, 0x0f, 0xc7, 0xf8), -1);
	assert_int_equal(c->gpr[REG_RAX], 0x1234);
}

/* SDM Vol. 2B RDTSC: CR4.TSD = 1 restricts it to CPL 0. */
static void test_rdtsc_tsd(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	c->cr4 |= 1u << 2;
	assert_int_equal(ENV_RUN(c, 0x0f, 0x31), -1);
	c->cpl = 3;
	c->seg[SEG_SS].attr |= SEG_ATTR_DPL;
	assert_gp0(c, ENV_RUN(c, 0x0f, 0x31), "CR4.TSD = 1");
	assert_gp0(c, ENV_RUN(c, 0x0f, 0x01, 0xf9), "CR4.TSD = 1");
	c->cr4 &= ~(1u << 2);
	assert_int_equal(ENV_RUN(c, 0x0f, 0x31), -1);
	/* RDPID is not affected by TSD. */
	c->cr4 |= 1u << 2;
	assert_int_equal(ENV_RUN(c, 0xf3, 0x0f, 0xc7, 0xf8), -1);
}

/* SDM Vol. 2B RDRAND/RDSEED: a value with CF = 1 and the other
 * arithmetic flags 0. The generator is deterministic: the same seed gives
 * the same numbers. */
static void test_rdrand_rdseed(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	uint64_t vals[3];
	for (int pass = 0; pass < 2; pass++) {
		c->rand_state = 42;
		flags_set_arith(c, FLAG_ZF | FLAG_OF | FLAG_SF);
		c->gpr[REG_RAX] = 0;
		assert_int_equal(ENV_RUN(c, 0x48, 0x0f, 0xc7, 0xf0), -1); /* RDRAND rax */
		assert_int_equal(flags_read(c) & FLAGS_ARITH, FLAG_CF);
		uint64_t a = c->gpr[REG_RAX];
		c->gpr[REG_RBX] = ~0ull;
		assert_int_equal(ENV_RUN(c, 0x0f, 0xc7, 0xf3), -1);       /* RDRAND ebx */
		assert_int_equal(c->gpr[REG_RBX] >> 32, 0);
		c->gpr[REG_RCX] = ~0ull;
		assert_int_equal(ENV_RUN(c, 0x66, 0x0f, 0xc7, 0xf9), -1); /* RDSEED cx */
		assert_int_equal(c->gpr[REG_RCX] >> 16, 0xffffffffffffull);
		assert_int_equal(flags_read(c) & FLAGS_ARITH, FLAG_CF);
		if (pass == 0) {
			vals[0] = a;
			vals[1] = c->gpr[REG_RBX];
			vals[2] = c->gpr[REG_RCX] & 0xffff;
		} else {
			assert_int_equal(a, vals[0]);
			assert_int_equal(c->gpr[REG_RBX], vals[1]);
			assert_int_equal(c->gpr[REG_RCX] & 0xffff, vals[2]);
		}
	}
	assert_int_not_equal(vals[0] & 0xffffffff, vals[1]);
}

/* msr_read() and msr_write(), for VM entry, the CLI and Lua: a refusal
 * is a return value with the reason, never a raised fault. */
static void test_msr_api_reasons(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	char why[256];
	uint64_t v;
	assert_false(msr_read(c, 0x4d0, &v, why, sizeof(why)));
	assert_non_null(strstr(why, "MSR 0x4d0 is not implemented"));
	assert_false(msr_write(c, MSR_IA32_PAT, 2, why, sizeof(why)));
	assert_non_null(strstr(why, "IA32_PAT (0x277) = 0x2"));
	assert_true(msr_write(c, MSR_IA32_STAR, 5, why, sizeof(why)));
	assert_true(msr_read(c, MSR_IA32_STAR, &v, why, sizeof(why)));
	assert_int_equal(v, 5);
}

/* ---- SYSCALL, SYSRET, SYSENTER, SYSEXIT, SWAPGS, FS/GS bases ---- */

static void test_syscall_sysret(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	/* Linux's layout: kernel CS 0x10, user CS32 0x23 (SDM Vol. 3A
	 * 5.8.8: STAR[47:32] for SYSCALL, STAR[63:48] for SYSRET). */
	c->star = 0x0023001000000000ull;
	c->lstar = 0xffffffff81000000ull;
	c->fmask = FLAG_IF | FLAG_TF | FLAG_DF | FLAG_AC;
	env_set_cpl(c, 3);
	c->rflags |= FLAG_IF | FLAG_AC;
	flags_set_arith(c, FLAG_CF);
	env_expect(c, ENV_RUN(c, 0x0f, 0x05), EXC_UD, "IA32_EFER.SCE = 0");
	c->efer |= EFER_SCE;
	uint64_t flags = flags_read(c);
	env_expect(c, ENV_RUN(c, 0x0f, 0x05), -1, NULL);
	assert_int_equal(c->gpr[REG_RCX], ENV_RIP + 2);
	assert_int_equal(c->gpr[REG_R11], flags);
	assert_int_equal(c->rip, 0xffffffff81000000ull);
	assert_int_equal(c->seg[SEG_CS].sel, 0x10);
	assert_int_equal(c->seg[SEG_SS].sel, 0x18);
	assert_int_equal(c->cpl, 0);
	assert_int_equal(cpu_code_size(c), 8);
	assert_int_equal(flags_read(c), 0x2 | FLAG_CF);

	/* SYSRET with a non-canonical RCX faults at CPL 0 (Intel). */
	c->gpr[REG_RCX] = 0x0000800000000000ull;
	c->gpr[REG_R11] = 0x202 | FLAG_RF;
	env_expect(c, ENV_RUN(c, 0x48, 0x0f, 0x07), EXC_GP, "non-canonical RCX");
	assert_int_equal(c->cpl, 0);
	assert_int_equal(c->seg[SEG_CS].sel, 0x10);
	/* SYSRET to 64-bit mode: CS = STAR[63:48] + 16, SS = + 8, RPL 3. */
	c->gpr[REG_RCX] = 0x400000;
	env_expect(c, ENV_RUN(c, 0x48, 0x0f, 0x07), -1, NULL);
	assert_int_equal(c->rip, 0x400000);
	assert_int_equal(c->seg[SEG_CS].sel, 0x33);
	assert_int_equal(c->seg[SEG_SS].sel, 0x2b);
	assert_int_equal(c->cpl, 3);
	assert_int_equal(cpu_code_size(c), 8);
	assert_int_equal(flags_read(c), 0x202);      /* RF cleared */
	env_expect(c, ENV_RUN(c, 0x48, 0x0f, 0x07), EXC_GP, "CPL 3");

	/* SYSRET to compatibility mode: CS = STAR[63:48], EIP = ECX. */
	env_set_cpl(c, 0);
	c->seg[SEG_CS].attr = (c->seg[SEG_CS].attr & ~SEG_ATTR_DB) | SEG_ATTR_L;
	c->gpr[REG_RCX] = 0xffffffff00401000ull;
	env_expect(c, ENV_RUN(c, 0x0f, 0x07), -1, NULL);
	assert_int_equal(c->rip, 0x401000);
	assert_int_equal(c->seg[SEG_CS].sel, 0x23);
	assert_int_equal(cpu_code_size(c), 4);
	/* Intel: no SYSCALL in compatibility mode. */
	env_expect(c, ENV_RUN(c, 0x0f, 0x05), EXC_UD, NULL);
}

static void test_sysenter_sysexit(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_FLAT32);
	env_set_cpl(c, 3);
	c->rflags |= FLAG_IF;
	c->sysenter_cs = 3;
	env_expect(c, ENV_RUN(c, 0x0f, 0x34), EXC_GP, "null selector");
	c->sysenter_cs = 0x8;
	c->sysenter_esp = 0xffffffff00009000ull;
	c->sysenter_eip = 0x12345;
	env_expect(c, ENV_RUN(c, 0x0f, 0x34), -1, NULL);
	assert_int_equal(c->seg[SEG_CS].sel, 0x8);
	assert_int_equal(c->seg[SEG_SS].sel, 0x10);
	assert_int_equal(c->cpl, 0);
	assert_int_equal(c->gpr[REG_RSP], 0x9000);
	assert_int_equal(c->rip, 0x12345);
	assert_false(c->rflags & FLAG_IF);
	assert_int_equal(cpu_code_size(c), 4);
	/* SYSEXIT: CS = SYSENTER_CS + 16, SS = + 24, RPL 3; ESP = ECX,
	 * EIP = EDX (SDM Vol. 2B SYSEXIT). */
	c->gpr[REG_RCX] = 0x7000;
	c->gpr[REG_RDX] = 0x401000;
	env_expect(c, ENV_RUN(c, 0x0f, 0x35), -1, NULL);
	assert_int_equal(c->seg[SEG_CS].sel, 0x1b);
	assert_int_equal(c->seg[SEG_SS].sel, 0x23);
	assert_int_equal(c->cpl, 3);
	assert_int_equal(c->rip, 0x401000);
	assert_int_equal(c->gpr[REG_RSP], 0x7000);
	env_expect(c, ENV_RUN(c, 0x0f, 0x35), EXC_GP, "CPL 3");
	/* Real mode: #GP(0). */
	cpu_reset(c);
	env_expect(c, ENV_RUN(c, 0x0f, 0x34), EXC_GP, "real-address mode");

	/* IA-32e mode: 64-bit SYSENTER; SYSEXIT with REX.W to CS + 32. */
	c = env_cpu(ENV_LONG64);
	c->sysenter_cs = 0x10;
	c->sysenter_esp = 0xffff880000001000ull;
	c->sysenter_eip = 0xffffffff81000000ull;
	env_expect(c, ENV_RUN(c, 0x0f, 0x34), -1, NULL);
	assert_int_equal(c->rip, 0xffffffff81000000ull);
	assert_int_equal(c->gpr[REG_RSP], 0xffff880000001000ull);
	assert_int_equal(cpu_code_size(c), 8);
	c->gpr[REG_RCX] = 0x0000800000000000ull;
	env_expect(c, ENV_RUN(c, 0x48, 0x0f, 0x35), EXC_GP, "non-canonical RCX");
	c->gpr[REG_RCX] = 0x7ffffffff000ull;
	c->gpr[REG_RDX] = 0x400000;
	env_expect(c, ENV_RUN(c, 0x48, 0x0f, 0x35), -1, NULL);
	assert_int_equal(c->seg[SEG_CS].sel, 0x33);
	assert_int_equal(c->seg[SEG_SS].sel, 0x3b);
	assert_int_equal(c->rip, 0x400000);
	assert_int_equal(c->gpr[REG_RSP], 0x7ffffffff000ull);
	assert_int_equal(cpu_code_size(c), 8);
}

static void test_swapgs_fsgsbase(void **state)
{
	(void)state;
	struct cpu *c = env_cpu(ENV_LONG64);
	c->seg[SEG_GS].base = 0x1000;
	c->kernel_gs_base = 0xffff888000000000ull;
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xf8), -1, NULL);
	assert_int_equal(c->seg[SEG_GS].base, 0xffff888000000000ull);
	assert_int_equal(c->kernel_gs_base, 0x1000);
	env_set_cpl(c, 3);
	env_expect(c, ENV_RUN(c, 0x0f, 0x01, 0xf8), EXC_GP, "SWAPGS at CPL 3");

	/* RDFSBASE etc. need CR4.FSGSBASE; they work at any CPL. */
	env_expect(c, ENV_RUN(c, 0xf3, 0x48, 0x0f, 0xae, 0xc0), EXC_UD, "CR4.FSGSBASE = 0");
	c->cr4 |= 1u << 16;
	c->gpr[REG_RAX] = 0x0000800000000000ull;
	env_expect(c, ENV_RUN(c, 0xf3, 0x48, 0x0f, 0xae, 0xd0), EXC_GP, "non-canonical");
	c->gpr[REG_RAX] = 0x00007f0000001000ull;
	env_expect(c, ENV_RUN(c, 0xf3, 0x48, 0x0f, 0xae, 0xd0), -1, NULL);  /* WRFSBASE rax */
	assert_int_equal(c->seg[SEG_FS].base, 0x00007f0000001000ull);
	c->gpr[REG_RAX] = 0xffffffff80001234ull;
	env_expect(c, ENV_RUN(c, 0xf3, 0x0f, 0xae, 0xd8), -1, NULL);        /* WRGSBASE eax */
	assert_int_equal(c->seg[SEG_GS].base, 0x80001234);
	c->gpr[REG_RCX] = ~0ull;
	env_expect(c, ENV_RUN(c, 0xf3, 0x0f, 0xae, 0xc1), -1, NULL);        /* RDFSBASE ecx */
	assert_int_equal(c->gpr[REG_RCX], 0x00001000);
	env_expect(c, ENV_RUN(c, 0xf3, 0x48, 0x0f, 0xae, 0xc9), -1, NULL);  /* RDGSBASE rcx */
	assert_int_equal(c->gpr[REG_RCX], 0x80001234);
	c->cr4 &= ~(1ull << 16);
	c->seg[SEG_FS].base = c->seg[SEG_GS].base = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_sorted_and_named),
		cmocka_unit_test(test_reset_values),
		cmocka_unit_test(test_unknown_msr_and_cpl),
		cmocka_unit_test(test_unavailable_msr),
		cmocka_unit_test(test_write_rules),
		cmocka_unit_test(test_efer),
		cmocka_unit_test(test_fs_gs_base_msrs),
		cmocka_unit_test(test_feature_control_lock),
		cmocka_unit_test(test_tsc_and_adjust),
		cmocka_unit_test(test_rdtsc_tsd),
		cmocka_unit_test(test_rdrand_rdseed),
		cmocka_unit_test(test_msr_api_reasons),
		cmocka_unit_test(test_syscall_sysret),
		cmocka_unit_test(test_sysenter_sysexit),
		cmocka_unit_test(test_swapgs_fsgsbase),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
