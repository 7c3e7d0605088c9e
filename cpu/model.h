/* A CPU model is data: CPUID leaves, MSR reset values and timing. Presets
 * are built in; any value can be overridden before boot. */
#ifndef CPU_MODEL_H
#define CPU_MODEL_H

#include <stdbool.h>
#include <stdint.h>

struct cpuid_leaf {
	uint32_t leaf, subleaf;
	bool has_subleaves;  /* ECX selects the sub-leaf */
	uint32_t eax, ebx, ecx, edx;
};

#define MODEL_MAX_CPUID 48

struct cpu_model {
	char name[32];
	unsigned n_cpuid;
	struct cpuid_leaf cpuid[MODEL_MAX_CPUID];
	/* Virtual time: retired instructions per second of guest time, and
	 * the TSC frequency derived from the same clock. */
	uint64_t insns_per_sec;
	uint64_t tsc_hz;
	/* MSR values at reset that the model chooses. */
	uint64_t misc_enable;
	uint64_t feature_control;
	uint64_t mtrr_cap;
	/* The microcode revision IA32_BIOS_SIGN_ID reports in bits 63:32
	 * (SDM Vol. 3A 9.11.7.1). Linux keeps the TSC-deadline timer off
	 * on some models below a revision (its deadline errata list). */
	uint32_t microcode;
};

/* The built-in default model. */
const struct cpu_model *model_default(void);

/* Finds a preset by name; NULL if there is none. */
const struct cpu_model *model_find(const char *name);

/* CPUID lookup with the SDM's rules for out-of-range leaves
 * (SDM Vol. 2A, CPUID: an invalid leaf returns the highest basic leaf). */
void model_cpuid(const struct cpu_model *m, uint32_t leaf, uint32_t subleaf,
		 uint32_t out[4]);

/* CPUID output registers, in the order of out[] above. */
enum { CPUID_EAX, CPUID_EBX, CPUID_ECX, CPUID_EDX };

/* Feature flags the simulator tests, advertised or not:
 * X(name, leaf, subleaf, register, bit) (SDM Vol. 2A, CPUID tables 3-8
 * to 3-11). A check that depends on a feature names it in its reason
 * with model_feature_name(). */
#define MODEL_FEATURES(X)                                                 \
	X(FPU, 0x1, 0, EDX, 0) X(VME, 0x1, 0, EDX, 1)                     \
	X(DE, 0x1, 0, EDX, 2) X(PSE, 0x1, 0, EDX, 3)                      \
	X(TSC, 0x1, 0, EDX, 4) X(MSR, 0x1, 0, EDX, 5)                     \
	X(PAE, 0x1, 0, EDX, 6) X(MCE, 0x1, 0, EDX, 7)                     \
	X(CX8, 0x1, 0, EDX, 8) X(APIC, 0x1, 0, EDX, 9)                    \
	X(SEP, 0x1, 0, EDX, 11) X(MTRR, 0x1, 0, EDX, 12)                  \
	X(PGE, 0x1, 0, EDX, 13) X(MCA, 0x1, 0, EDX, 14)                   \
	X(CMOV, 0x1, 0, EDX, 15) X(PAT, 0x1, 0, EDX, 16)                  \
	X(PSE36, 0x1, 0, EDX, 17) X(CLFSH, 0x1, 0, EDX, 19)               \
	X(MMX, 0x1, 0, EDX, 23) X(FXSR, 0x1, 0, EDX, 24)                  \
	X(SSE, 0x1, 0, EDX, 25) X(SSE2, 0x1, 0, EDX, 26)                  \
	X(HTT, 0x1, 0, EDX, 28)                                           \
	X(SSE3, 0x1, 0, ECX, 0) X(MONITOR, 0x1, 0, ECX, 3)                \
	X(SSSE3, 0x1, 0, ECX, 9) X(SSE4_1, 0x1, 0, ECX, 19)               \
	X(SSE4_2, 0x1, 0, ECX, 20)                                        \
	X(VMX, 0x1, 0, ECX, 5) X(SMX, 0x1, 0, ECX, 6)                     \
	X(CX16, 0x1, 0, ECX, 13) X(PDCM, 0x1, 0, ECX, 15)                 \
	X(PCID, 0x1, 0, ECX, 17) X(X2APIC, 0x1, 0, ECX, 21)               \
	X(MOVBE, 0x1, 0, ECX, 22) X(POPCNT, 0x1, 0, ECX, 23)              \
	X(TSC_DEADLINE, 0x1, 0, ECX, 24) X(XSAVE, 0x1, 0, ECX, 26)        \
	X(OSXSAVE, 0x1, 0, ECX, 27) X(RDRAND, 0x1, 0, ECX, 30)            \
	X(ARAT, 0x6, 0, EAX, 2)                                           \
	X(XSAVEOPT, 0xd, 1, EAX, 0) X(XSAVEC, 0xd, 1, EAX, 1)             \
	X(XGETBV_ECX1, 0xd, 1, EAX, 2) X(XSAVES, 0xd, 1, EAX, 3)          \
	X(FSGSBASE, 0x7, 0, EBX, 0) X(TSC_ADJUST, 0x7, 0, EBX, 1)         \
	X(SMEP, 0x7, 0, EBX, 7) X(INVPCID, 0x7, 0, EBX, 10)               \
	X(RDSEED, 0x7, 0, EBX, 18) X(SMAP, 0x7, 0, EBX, 20)               \
	X(UMIP, 0x7, 0, ECX, 2) X(PKU, 0x7, 0, ECX, 3)                    \
	X(OSPKE, 0x7, 0, ECX, 4) X(CET_SS, 0x7, 0, ECX, 7)                \
	X(LA57, 0x7, 0, ECX, 16) X(RDPID, 0x7, 0, ECX, 22)                \
	X(KL, 0x7, 0, ECX, 23) X(PKS, 0x7, 0, ECX, 31)                    \
	X(LAHF_LM, 0x80000001, 0, ECX, 0) X(ABM, 0x80000001, 0, ECX, 5)   \
	X(SYSCALL, 0x80000001, 0, EDX, 11) X(NX, 0x80000001, 0, EDX, 20)  \
	X(FFXSR, 0x80000001, 0, EDX, 25) X(PAGE1GB, 0x80000001, 0, EDX, 26) \
	X(RDTSCP, 0x80000001, 0, EDX, 27) X(LM, 0x80000001, 0, EDX, 29)   \
	X(INVTSC, 0x80000007, 0, EDX, 8)

enum model_feature {
#define MODEL_FEATURE_ENUM(name, leaf, subleaf, reg, bit) FEAT_##name,
	MODEL_FEATURES(MODEL_FEATURE_ENUM)
#undef MODEL_FEATURE_ENUM
	FEAT_COUNT
};

/* True if the model's CPUID data sets feature f. */
bool model_has(const struct cpu_model *m, enum model_feature f);

/* Where f lives, e.g. "CPUID.0x7.0:EBX.SMAP[bit 20]". */
const char *model_feature_name(enum model_feature f);

#endif
