/* The instructions that read the CPU model and its counters: RDMSR,
 * WRMSR, RDTSC, RDTSCP, RDRAND, RDSEED, RDPID and CPUID (SDM Vol. 2),
 * and CPUID as one CPU answers it. */
#include "cpu/msr.h"

#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/flags.h"
#include "cpu/paging.h"
#include "cpu/regs.h"

#define APIC_BASE_EN (1ull << 11)
#define MISC_LIMIT_CPUID (1ull << 22)
#define MISC_XD_DISABLE (1ull << 34)

/* ---- CPUID as this CPU answers it ---- */

static uint32_t max_leaf(const struct cpu_model *m, uint32_t base)
{
	uint32_t out[4];
	model_cpuid(m, base, 0, out);
	/* An extended maximum below 0x80000000 means there are none. */
	if (base && out[CPUID_EAX] < base)
		return 0;
	return out[CPUID_EAX];
}

void cpuid_read(struct cpu *c, uint32_t leaf, uint32_t subleaf,
		uint32_t out[4])
{
	const struct cpu_model *m = &c->model;
	uint32_t maxb = max_leaf(m, 0), maxe = max_leaf(m, 0x80000000u);
	/* IA32_MISC_ENABLE.LIMIT_CPUID: CPUID.0 reports at most 2 (SDM
	 * Vol. 4 table 2-2), so leaves above it are out of range. */
	if ((c->misc_enable & MISC_LIMIT_CPUID) && maxb > 2)
		maxb = 2;
	/* Out-of-range leaves return the highest basic leaf (SDM Vol. 2A,
	 * CPUID); resolve that here so that the per-CPU fields below
	 * follow the leaf actually returned. */
	bool valid = leaf < 0x80000000u ? leaf <= maxb : leaf <= maxe;
	if (!valid)
		leaf = maxb;
	model_cpuid(m, leaf, subleaf, out);

	switch (leaf) {
	case 0x0:
		out[CPUID_EAX] = maxb;
		break;
	case 0x1:
		out[CPUID_EBX] = (out[CPUID_EBX] & 0x00ffffffu) |
				 (c->apic_id & 0xffu) << 24;
		out[CPUID_ECX] &= ~(1u << 27);
		if (c->cr4 & CR4_OSXSAVE)
			out[CPUID_ECX] |= 1u << 27;
		/* The APIC flag reads 0 while the APIC is disabled in
		 * IA32_APIC_BASE (SDM Vol. 3A 10.4.3). */
		if (!(c->apic_base & APIC_BASE_EN))
			out[CPUID_EDX] &= ~(1u << 9);
		break;
	case 0x7:
		if (subleaf == 0) {
			out[CPUID_ECX] &= ~(1u << 4);
			if (c->cr4 & CR4_PKE)
				out[CPUID_ECX] |= 1u << 4;
		}
		break;
	case 0xb:
		/* ECX[7:0] echoes the sub-leaf, EDX is the x2APIC ID, for
		 * every sub-leaf (SDM Vol. 2A table 3-8, leaf 0BH). */
		out[CPUID_ECX] = (out[CPUID_ECX] & ~0xffu) | (subleaf & 0xffu);
		out[CPUID_EDX] = c->apic_id;
		break;
	case 0x80000001:
		if (c->misc_enable & MISC_XD_DISABLE)
			out[CPUID_EDX] &= ~(1u << 20);
		break;
	default:
		break;
	}
}

bool cpuid_has(struct cpu *c, enum model_feature f)
{
	if (f == FEAT_NX && (c->misc_enable & MISC_XD_DISABLE))
		return false;
	return model_has(&c->model, f);
}

/* ---- RDMSR, WRMSR ---- */

static void msr_check_cpl(struct cpu *c, const char *what)
{
	/* SDM Vol. 2B RDMSR/WRMSR: #GP(0) if CPL != 0, which includes
	 * virtual-8086 mode (CPL 3). */
	if (c->cpl != 0)
		cpu_gp0(c, "%s at CPL %d: the instruction requires CPL 0%s", what,
			c->cpl, (c->rflags & FLAG_VM) ? " (virtual-8086 mode)" : "");
}

static void rdmsr(struct cpu *c, const struct insn *i)
{
	(void)i;
	msr_check_cpl(c, "RDMSR");
	uint32_t index = (uint32_t)c->gpr[REG_RCX];
	uint64_t v;
	char why[256];
	if (!msr_read(c, index, &v, why, sizeof(why)))
		cpu_gp0(c, "RDMSR: %s", why);
	reg_write(c, REG_RAX, 4, v);
	reg_write(c, REG_RDX, 4, v >> 32);
}

static void wrmsr(struct cpu *c, const struct insn *i)
{
	(void)i;
	msr_check_cpl(c, "WRMSR");
	uint32_t index = (uint32_t)c->gpr[REG_RCX];
	uint64_t v = (c->gpr[REG_RDX] << 32) | (uint32_t)c->gpr[REG_RAX];
	char why[256];
	if (!msr_write(c, index, v, why, sizeof(why)))
		cpu_gp0(c, "WRMSR: %s", why);
}

IMPL_ANY(RDMSR, rdmsr)
IMPL_ANY(WRMSR, wrmsr)

/* ---- time-stamp counter ---- */

/* SDM Vol. 2B RDTSC: allowed if CR4.TSD = 0, or at CPL 0, or in
 * real-address mode (where the CPL is 0). */
static void tsc_check(struct cpu *c, const char *what)
{
	if ((c->cr4 & CR4_TSD) && c->cpl != 0)
		cpu_gp0(c, "%s at CPL %d with CR4.TSD = 1", what, c->cpl);
}

static void rdtsc(struct cpu *c, const struct insn *i)
{
	(void)i;
	tsc_check(c, "RDTSC");
	uint64_t t = msr_tsc(c);
	reg_write(c, REG_RAX, 4, t);
	reg_write(c, REG_RDX, 4, t >> 32);
}

static void rdtscp(struct cpu *c, const struct insn *i)
{
	(void)i;
	if (!cpuid_has(c, FEAT_RDTSCP))
		cpu_ud(c, "RDTSCP: %s is 0 in this CPU model",
		       model_feature_name(FEAT_RDTSCP));
	tsc_check(c, "RDTSCP");
	uint64_t t = msr_tsc(c);
	reg_write(c, REG_RAX, 4, t);
	reg_write(c, REG_RDX, 4, t >> 32);
	reg_write(c, REG_RCX, 4, c->tsc_aux);
}

IMPL_ANY(RDTSC, rdtsc)
IMPL_ANY(RDTSCP, rdtscp)

/* ---- random numbers ---- */

/* A deterministic generator (splitmix64) over c->rand_state, which the
 * machine seeds: the same run gives the same numbers (DESIGN principle
 * 2). The APIC ID is mixed in so that CPUs seeded alike still differ. */
static uint64_t rand_next(struct cpu *c)
{
	uint64_t z = (c->rand_state += 0x9e3779b97f4a7c15ull);
	z ^= (uint64_t)c->apic_id * 0xd1b54a32d192ed03ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* SDM Vol. 2B RDRAND/RDSEED: the destination gets a random value and
 * CF = 1 (a value is always available here); OF SF ZF AF PF = 0. */
EXEC_INLINE void rand_insn(struct cpu *c, const struct insn *i, unsigned size,
			   bool mem, enum model_feature f, const char *what)
{
	(void)mem;
	if (!cpuid_has(c, f))
		cpu_ud(c, "%s: %s is 0 in this CPU model", what,
		       model_feature_name(f));
	reg_write(c, i->rm, size, rand_next(c) & size_mask(size));
	flags_set_arith(c, FLAG_CF);
}

EXEC_V_FNS(RDRAND_Rv, 0, rand_insn, FEAT_RDRAND, "RDRAND")
EXEC_V_FNS(RDSEED_Rv, 0, rand_insn, FEAT_RDSEED, "RDSEED")
/* Register forms only: a memory operand is #UD. */
const struct insn_impl impl_RDRAND_Rv = { { { 0, 0 }, { RDRAND_Rv_2_0, 0 },
	{ RDRAND_Rv_4_0, 0 }, { RDRAND_Rv_8_0, 0 } } };
const struct insn_impl impl_RDSEED_Rv = { { { 0, 0 }, { RDSEED_Rv_2_0, 0 },
	{ RDSEED_Rv_4_0, 0 }, { RDSEED_Rv_8_0, 0 } } };

/* SDM Vol. 2B RDPID: IA32_TSC_AUX into a 64-bit register in 64-bit
 * mode, a 32-bit one elsewhere; the operand-size prefixes do not
 * matter. */
static void rdpid(struct cpu *c, const struct insn *i)
{
	if (!cpuid_has(c, FEAT_RDPID))
		cpu_ud(c, "RDPID: %s is 0 in this CPU model",
		       model_feature_name(FEAT_RDPID));
	reg_write(c, i->rm, cpu_code_size(c) == 8 ? 8 : 4, c->tsc_aux);
}

const struct insn_impl impl_RDPID_Ry = { { { 0, 0 }, { rdpid, 0 },
	{ rdpid, 0 }, { rdpid, 0 } } };

/* ---- CPUID ---- */

static void cpuid(struct cpu *c, const struct insn *i)
{
	(void)i;
	uint32_t out[4];
	cpuid_read(c, (uint32_t)c->gpr[REG_RAX], (uint32_t)c->gpr[REG_RCX],
		   out);
	reg_write(c, REG_RAX, 4, out[CPUID_EAX]);
	reg_write(c, REG_RBX, 4, out[CPUID_EBX]);
	reg_write(c, REG_RCX, 4, out[CPUID_ECX]);
	reg_write(c, REG_RDX, 4, out[CPUID_EDX]);
}

IMPL_ANY(CPUID, cpuid)
