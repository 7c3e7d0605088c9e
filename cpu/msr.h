/* System registers that software reaches outside ordinary operands: the
 * model-specific registers (one table, cpu/msr.def), CPUID as one CPU
 * answers it, the checked control-register writes, and the I/O
 * permission check. Private to cpu/ and vmx/; the CLI and Lua reach MSRs
 * by name through msr_find_by_name(), msr_read() and msr_write(). */
#ifndef CPU_MSR_H
#define CPU_MSR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/model.h"
#include "cpu/state.h"

/* MSR numbers by their SDM names: MSR_IA32_EFER = 0xc0000080, ... */
enum msr_index {
#define MSR_FIELD(name, index, feature, field, check) MSR_##name = index,
#define MSR_FUNC(name, index, feature, read, write) MSR_##name = index,
#include "cpu/msr.def"
#undef MSR_FIELD
#undef MSR_FUNC
};

/* msr_desc.feature of an MSR every model has. */
#define MSR_ANY (-1)

struct msr_desc;

/* Checks (and may adjust) a value WRMSR is about to store in an
 * MSR_FIELD row. Returns false with the rule in why to refuse it. */
typedef bool (*msr_check_fn)(struct cpu *c, const struct msr_desc *d,
			     uint64_t *val, char *why, size_t whylen);
typedef bool (*msr_read_fn)(struct cpu *c, const struct msr_desc *d,
			    uint64_t *val, char *why, size_t whylen);
typedef bool (*msr_write_fn)(struct cpu *c, const struct msr_desc *d,
			     uint64_t val, char *why, size_t whylen);

struct msr_desc {
	const char *name;       /* "IA32_EFER" */
	uint32_t index;
	int feature;            /* enum model_feature, or MSR_ANY */
	size_t field;           /* MSR_FIELD: offset in struct cpu */
	msr_check_fn check;     /* MSR_FIELD */
	msr_read_fn read;       /* MSR_FUNC */
	msr_write_fn write;     /* MSR_FUNC */
};

/* The table, for listings ("info msr"), in index order. */
unsigned msr_count(void);
const struct msr_desc *msr_at(unsigned n);

/* The row of an MSR number, or NULL. */
const struct msr_desc *msr_find(uint32_t index);
/* The row of an MSR name, case-insensitive, with or without the "MSR_"
 * prefix ("IA32_EFER", "msr_platform_info"), or NULL. */
const struct msr_desc *msr_find_by_name(const char *name);

/* RDMSR and WRMSR without the privilege check: returns true, or false
 * with a reason in why (naming the MSR, the value and the rule) when the
 * instruction would raise #GP(0): an unknown or unavailable MSR, a
 * reserved bit, a locked register. A failed write changes nothing. VM
 * entry's MSR-load lists, the CLI and Lua use these too. */
bool msr_read(struct cpu *c, uint32_t index, uint64_t *val, char *why,
	      size_t whylen);
bool msr_write(struct cpu *c, uint32_t index, uint64_t val, char *why,
	       size_t whylen);

/* The time-stamp counter as RDTSC reads it: retired instructions
 * converted to TSC ticks at the model's rates, plus the offset that
 * writes to IA32_TSC and IA32_TSC_ADJUST leave. */
uint64_t msr_tsc(const struct cpu *c);

/* True if v is canonical for the largest linear-address width the model
 * supports (CPUID.80000008H:EAX[15:8]); WRMSR to the base-address MSRs
 * and WRFSBASE/WRGSBASE check this. */
bool msr_canonical(const struct cpu *c, uint64_t v);

/* CPUID as this CPU returns it (cpu/ops_msr.c): the model's leaves plus
 * what depends on the CPU's state: the APIC ID (leaf 1 EBX[31:24], leaf
 * 0xB EDX), OSXSAVE and OSPKE (copies of CR4.OSXSAVE and CR4.PKE), the
 * APIC flag (IA32_APIC_BASE.EN), and IA32_MISC_ENABLE's CPUID limit and
 * XD-disable bits. */
void cpuid_read(struct cpu *c, uint32_t leaf, uint32_t subleaf,
		uint32_t out[4]);
/* True if this CPU supports feature f now: the model's flag, except NX
 * while IA32_MISC_ENABLE.XD_DISABLE = 1. The bits that mirror CR4 and
 * the CPUID limit of IA32_MISC_ENABLE change what CPUID reports, not
 * what the CPU supports, and do not count here. */
bool cpuid_has(struct cpu *c, enum model_feature f);

/* Control registers (cpu/ops_system.c). cr_write() is MOV to CRn (0, 2,
 * 3, 4 or 8) with every check of SDM Vol. 2B MOV (Control Registers)
 * and Vol. 3A 2.5, 4.1: it raises #GP(0) with the rule, or commits the
 * value and what follows from it (IA32_EFER.LMA, TLB invalidation, the
 * PDPTE registers, the CPL and mode). what names the instruction for
 * reasons ("MOV CR0", "LMSW", "CLTS", a task switch). */
void cr_write(struct cpu *c, unsigned cr, uint64_t val, const char *what);
/* The CR4 bits this CPU lets software set (from CPUID). */
uint64_t cr4_supported(struct cpu *c);

/* I/O permission (cpu/ops_io.c): if CR0.PE = 1 and CPL > IOPL or
 * EFLAGS.VM = 1, every bit of the I/O permission bitmap in the TSS that
 * covers ports port .. port + size - 1 must be 0; otherwise, or if the
 * bitmap lies beyond the TSS limit or TR is not a 32-bit (or 64-bit)
 * TSS, raises #GP(0) naming the port (SDM Vol. 1 19.5.2). */
void io_check_permission(struct cpu *c, uint16_t port, unsigned size);

#endif
