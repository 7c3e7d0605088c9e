/* The Intel MultiProcessor Specification 1.4 tables: the floating
 * pointer structure and the MP configuration table, for kernels that
 * find CPUs and interrupt routing the pre-ACPI way. */
#ifndef PLATFORM_MPTABLE_H
#define PLATFORM_MPTABLE_H

#include <stddef.h>
#include <stdint.h>

#include "platform/ioapic.h"

#define MPTABLE_FLOATING_SIZE 16
#define MPTABLE_HEADER_SIZE 44

/* Floating pointer fields (MP spec 4.1). */
#define MPF_PHYSPTR 4
#define MPF_LENGTH 8        /* in 16-byte paragraphs */
#define MPF_SPEC_REV 9
#define MPF_CHECKSUM 10
#define MPF_FEATURE1 11     /* 0: a configuration table is present */
#define MPF_FEATURE2 12     /* bit 7 IMCRP: PIC mode with an IMCR */
#define MPTABLE_SPEC_REV 4  /* version 1.4 */

/* Configuration table header fields (4.2). */
#define MPC_LENGTH 4
#define MPC_SPEC_REV 6
#define MPC_CHECKSUM 7
#define MPC_OEM_ID 8
#define MPC_PRODUCT_ID 16
#define MPC_ENTRY_COUNT 34
#define MPC_LAPIC_ADDR 36

/* Entry types and sizes (4.3). */
#define MP_ENTRY_PROCESSOR 0  /* 20 bytes */
#define MP_ENTRY_BUS 1        /* 8 */
#define MP_ENTRY_IOAPIC 2     /* 8 */
#define MP_ENTRY_IOINT 3      /* 8 */
#define MP_ENTRY_LINT 4       /* 8 */
#define MP_CPU_EN (1u << 0)
#define MP_CPU_BP (1u << 1)
#define MP_IOAPIC_EN (1u << 0)
#define MP_INT 0              /* interrupt types (table 4-9) */
#define MP_NMI 1
#define MP_EXTINT 3
#define MP_FLAGS_CONFORMS 0x0
#define MP_FLAGS_HIGH_LEVEL 0xd  /* PO = 01 active high, EL = 11 level */
#define MP_ALL_LAPICS 0xff

/* The APIC versions the entries state, which must be what the devices'
 * version registers read (an OS compares them): the local APIC's
 * (platform/lapic.c) and the 82093AA's the machine builds. */
#define MPTABLE_LAPIC_VERSION 0x15
#define MPTABLE_IOAPIC_VERSION IOAPIC_VERSION_82093AA
#define MPTABLE_ISA_BUS 0

struct mptable_config {
	unsigned ncpus;           /* processors with APIC IDs 0 .. ncpus-1 */
	uint32_t cpu_signature;   /* CPUID.1:EAX */
	uint32_t cpu_features;    /* CPUID.1:EDX */
};

/* Writes the floating pointer at base (16-byte aligned) and the
 * configuration table right after it into buf (zeroed by the caller).
 * Returns the bytes used, or 0 if len is too small. */
size_t mptable_build(const struct mptable_config *cfg, uint64_t base,
		     uint8_t *buf, size_t len);

#endif
