/* The built-in CPU models as data, and CPUID lookup over a model's leaves
 * with the SDM's rule for leaves out of range. What one CPU returns on
 * top of this (APIC ID, bits that mirror CR4) is cpuid_read() in
 * cpu/ops_msr.c. */
#include "cpu/model.h"

#include <string.h>

/* Feature flags of the default model, by register (SDM Vol. 2A CPUID). */
#define BIT(n) (1u << (n))
#define L1_EDX (BIT(0) /* FPU */ | BIT(1) /* VME */ | BIT(2) /* DE */ |  \
		BIT(3) /* PSE */ |                                          \
		BIT(4) /* TSC */ | BIT(5) /* MSR */ |                       \
		BIT(6) /* PAE */ | BIT(8) /* CX8 */ | BIT(9) /* APIC */ |  \
		BIT(11) /* SEP */ | BIT(12) /* MTRR */ | BIT(13) /* PGE */ | \
		BIT(15) /* CMOV */ | BIT(16) /* PAT */ |                    \
		BIT(17) /* PSE-36 */ | BIT(19) /* CLFSH */ |                \
		BIT(23) /* MMX */ | BIT(24) /* FXSR */ | BIT(25) /* SSE */ | \
		BIT(26) /* SSE2 */)
#define L1_ECX (BIT(0) /* SSE3 */ | BIT(9) /* SSSE3 */ |                  \
		BIT(13) /* CX16 */ | BIT(17) /* PCID */ |                   \
		BIT(19) /* SSE4.1 */ | BIT(20) /* SSE4.2 */ |               \
		BIT(21) /* x2APIC */ | BIT(22) /* MOVBE */ |                \
		BIT(23) /* POPCNT */ | BIT(24) /* TSC-deadline */ |         \
		BIT(26) /* XSAVE */ | BIT(30) /* RDRAND */)
#define L7_EBX (BIT(0) /* FSGSBASE */ | BIT(1) /* TSC_ADJUST */ |          \
		BIT(7) /* SMEP */ | BIT(10) /* INVPCID */ |                 \
		BIT(18) /* RDSEED */ | BIT(20) /* SMAP */)
#define L7_ECX (BIT(3) /* PKU */ | BIT(22) /* RDPID */)
#define X1_ECX (BIT(0) /* LAHF/SAHF in 64-bit mode */ | BIT(5) /* LZCNT */)
#define X1_EDX (BIT(11) /* SYSCALL */ | BIT(20) /* NX */ |                \
		BIT(26) /* 1-GByte pages */ | BIT(27) /* RDTSCP */ |        \
		BIT(29) /* LM */)

#define XCR0_X87 BIT(0)
#define XCR0_SSE BIT(1)
#define XSAVE_AREA 576u

/* Family 6, model 0x9e, stepping 10: a Core of the Kaby Lake / Coffee
 * Lake generation, as Linux would identify it. */
#define SIGNATURE 0x000906eau

static const struct cpuid_leaf default_leaves[] = {
	/* Maximum basic leaf, "GenuineIntel" in EBX EDX ECX. */
	{ 0x0, 0, false, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69 },
	/* EBX: CLFLUSH line size 8 * 8 bytes; the initial APIC ID (bits
	 * 31:24) and OSXSAVE are filled in per CPU. */
	{ 0x1, 0, false, SIGNATURE, 8u << 8, L1_ECX, L1_EDX },
	/* ARAT: the LAPIC timer runs in every C-state (there are none). */
	{ 0x6, 0, false, BIT(2), 0, 0, 0 },
	{ 0x7, 0, true, 0, L7_EBX, L7_ECX, 0 },
	/* x2APIC topology: one thread per core (SMT shift 0), and the
	 * package level spans the 8-bit xAPIC ID space. EDX (the x2APIC
	 * ID) is filled in per CPU. */
	{ 0xb, 0, true, 0, 1, 1u << 8 | 0, 0 },
	{ 0xb, 1, true, 8, 1, 2u << 8 | 1, 0 },
	/* XSAVE (SDM Vol. 1 13.2): XCR0 may enable x87 and SSE state, both
	 * in the 512-byte legacy region, so every area is 576 bytes with
	 * the header. Sub-leaf 1: XSAVEOPT, XSAVEC, XGETBV with ECX = 1,
	 * XSAVES/XRSTORS with IA32_XSS (no supervisor component). */
	{ 0xd, 0, true, XCR0_X87 | XCR0_SSE, XSAVE_AREA, XSAVE_AREA, 0 },
	{ 0xd, 1, true, BIT(0) | BIT(1) | BIT(2) | BIT(3), XSAVE_AREA, 0, 0 },
	{ 0x80000000, 0, false, 0x80000008, 0, 0, 0 },
	{ 0x80000001, 0, false, 0, 0, X1_ECX, X1_EDX },
	/* Leaves 0x80000002-4, the brand string, are built from BRAND. */
	{ 0x80000007, 0, false, 0, 0, 0, BIT(8) /* invariant TSC */ },
	/* 46 physical, 48 linear address bits. */
	{ 0x80000008, 0, false, 48u << 8 | 46, 0, 0, 0 },
};

#define BRAND "vmxsim virtual CPU"

/* Leaves 0x80000002-0x80000004 hold the brand string, 48 bytes with a
 * NUL terminator, in EAX EBX ECX EDX order (SDM Vol. 2A, CPUID). */
static void add_brand(struct cpu_model *m, const char *brand)
{
	char s[48] = { 0 };
	strncpy(s, brand, sizeof(s) - 1);
	for (unsigned n = 0; n < 3; n++) {
		struct cpuid_leaf *l = &m->cpuid[m->n_cpuid++];
		uint32_t r[4];
		memcpy(r, s + 16 * n, 16);
		*l = (struct cpuid_leaf){ 0x80000002u + n, 0, false,
					  r[0], r[1], r[2], r[3] };
	}
}

static struct cpu_model default_model;

static void build_default(struct cpu_model *m)
{
	memset(m, 0, sizeof(*m));
	strcpy(m->name, "default");
	for (size_t n = 0; n < sizeof(default_leaves) / sizeof(default_leaves[0]); n++)
		m->cpuid[m->n_cpuid++] = default_leaves[n];
	add_brand(m, BRAND);
	m->insns_per_sec = 1000000000ull;
	m->tsc_hz = 2000000000ull;
	/* IA32_MISC_ENABLE: fast strings (bit 0), BTS unavailable (11),
	 * PEBS unavailable (12) (SDM Vol. 4 table 2-2). */
	m->misc_enable = BIT(0) | BIT(11) | BIT(12);
	/* IA32_FEATURE_CONTROL is 0 at reset: firmware or the OS locks it. */
	m->feature_control = 0;
	/* IA32_MTRRCAP: 8 variable ranges, fixed ranges, write-combining. */
	m->mtrr_cap = 8 | BIT(8) | BIT(10);
	/* A production revision for 906EAH, above the one Linux needs for
	 * the TSC-deadline timer on this model (52H). */
	m->microcode = 0xf4;
}

const struct cpu_model *model_default(void)
{
	if (!default_model.n_cpuid)
		build_default(&default_model);
	return &default_model;
}

const struct cpu_model *model_find(const char *name)
{
	if (name && strcmp(name, "default") == 0)
		return model_default();
	return NULL;
}

static const struct cpuid_leaf *find_leaf(const struct cpu_model *m,
					  uint32_t leaf, uint32_t subleaf)
{
	for (unsigned n = 0; n < m->n_cpuid && n < MODEL_MAX_CPUID; n++) {
		const struct cpuid_leaf *l = &m->cpuid[n];
		if (l->leaf == leaf && (!l->has_subleaves || l->subleaf == subleaf))
			return l;
	}
	return NULL;
}

static uint32_t max_leaf(const struct cpu_model *m, uint32_t base)
{
	const struct cpuid_leaf *l = find_leaf(m, base, 0);
	return l ? l->eax : 0;
}

/* True if leaf is within the basic or extended range the model reports. */
static bool leaf_valid(const struct cpu_model *m, uint32_t leaf)
{
	if (leaf < 0x80000000u)
		return leaf <= max_leaf(m, 0);
	return leaf <= max_leaf(m, 0x80000000u);
}

void model_cpuid(const struct cpu_model *m, uint32_t leaf, uint32_t subleaf,
		 uint32_t out[4])
{
	/* SDM Vol. 2A, CPUID: "If a value entered for CPUID.EAX is higher
	 * than the maximum input value for basic or extended function for
	 * that processor then the data for the highest basic information
	 * leaf is returned." A leaf in range that the model does not list
	 * reads as zeros. */
	if (!leaf_valid(m, leaf))
		leaf = max_leaf(m, 0);
	const struct cpuid_leaf *l = find_leaf(m, leaf, subleaf);
	out[CPUID_EAX] = l ? l->eax : 0;
	out[CPUID_EBX] = l ? l->ebx : 0;
	out[CPUID_ECX] = l ? l->ecx : 0;
	out[CPUID_EDX] = l ? l->edx : 0;
}

static const struct {
	uint32_t leaf, subleaf;
	uint8_t reg, bit;
	const char *name;
} features[FEAT_COUNT] = {
#define FEATURE_ROW(name, leaf, subleaf, reg, bit)                        \
	{ leaf, subleaf, CPUID_##reg, bit,                                 \
	  "CPUID." #leaf "." #subleaf ":" #reg "." #name "[bit " #bit "]" },
	MODEL_FEATURES(FEATURE_ROW)
#undef FEATURE_ROW
};

bool model_has(const struct cpu_model *m, enum model_feature f)
{
	if ((unsigned)f >= FEAT_COUNT || !leaf_valid(m, features[f].leaf))
		return false;
	uint32_t out[4];
	model_cpuid(m, features[f].leaf, features[f].subleaf, out);
	return (out[features[f].reg] >> features[f].bit) & 1;
}

const char *model_feature_name(enum model_feature f)
{
	if ((unsigned)f >= FEAT_COUNT)
		return "CPUID(unknown feature)";
	return features[f].name;
}
