/* ACPI tables for the machine (ACPI 6.0): RSDP, XSDT and RSDT, FADT,
 * FACS, DSDT and MADT, generated from its configuration. They describe
 * what the devices implement: the PM1a blocks, PM timer and reset
 * register at the ports of platform/pc_layout.h, SCI on IRQ 9, one local
 * APIC per CPU and the I/O APIC with the PC's interrupt overrides. */
#ifndef PLATFORM_ACPI_H
#define PLATFORM_ACPI_H

#include <stddef.h>
#include <stdint.h>

#define ACPI_RSDP_SIZE 36        /* revision 2 RSDP */
#define ACPI_HEADER_SIZE 36      /* every other table's header */
#define ACPI_FADT_SIZE 276       /* FADT revision 6 */
#define ACPI_FACS_SIZE 64
#define ACPI_OEM_ID "VMXSIM"

/* RSDP fields (ACPI 6.0 5.2.5.3). */
#define ACPI_RSDP_CHECKSUM 8       /* over the first 20 bytes */
#define ACPI_RSDP_OEMID 9
#define ACPI_RSDP_REVISION 15
#define ACPI_RSDP_RSDT 16
#define ACPI_RSDP_LENGTH 20
#define ACPI_RSDP_XSDT 24
#define ACPI_RSDP_EXT_CHECKSUM 32  /* over all 36 */

/* Header fields (5.2.6). */
#define ACPI_HDR_LENGTH 4
#define ACPI_HDR_REVISION 8
#define ACPI_HDR_CHECKSUM 9

/* FADT fields (5.2.9, table 5-34). */
#define FADT_FIRMWARE_CTRL 36
#define FADT_DSDT 40
#define FADT_SCI_INT 46
#define FADT_SMI_CMD 48
#define FADT_PM1A_EVT_BLK 56
#define FADT_PM1A_CNT_BLK 64
#define FADT_PM_TMR_BLK 76
#define FADT_GPE0_BLK 80
#define FADT_PM1_EVT_LEN 88
#define FADT_PM1_CNT_LEN 89
#define FADT_PM_TMR_LEN 91
#define FADT_CENTURY 108
#define FADT_IAPC_BOOT_ARCH 109
#define FADT_FLAGS 112
#define FADT_RESET_REG 116         /* generic address structure */
#define FADT_RESET_VALUE 128
#define FADT_MINOR_VERSION 131
#define FADT_X_FIRMWARE_CTRL 132
#define FADT_X_DSDT 140
#define FADT_X_PM1A_EVT_BLK 148
#define FADT_X_PM1A_CNT_BLK 172
#define FADT_X_PM_TMR_BLK 208

/* FADT flags (table 5-35) and IA-PC boot architecture flags (5-36). */
#define FADT_F_WBINVD (1u << 0)
#define FADT_F_PROC_C1 (1u << 2)
#define FADT_F_PWR_BUTTON (1u << 4)  /* no fixed-feature power button */
#define FADT_F_SLP_BUTTON (1u << 5)  /* no fixed-feature sleep button */
#define FADT_F_TMR_VAL_EXT (1u << 8) /* 32-bit PM timer (clear: 24-bit) */
#define FADT_F_RESET_REG_SUP (1u << 10)
#define FADT_BOOT_LEGACY_DEVICES (1u << 0)
#define FADT_BOOT_8042 (1u << 1)
#define FADT_BOOT_VGA_NOT_PRESENT (1u << 2)

/* Generic address structure (5.2.3.2): space, bit width, bit offset,
 * access size, 64-bit address. */
#define ACPI_GAS_SIZE 12
#define ACPI_GAS_SYSTEM_IO 1

/* The PM1 blocks as FADT describes them: 4-byte event block (status and
 * enable), 2-byte control block, 4-byte timer. */
#define ACPI_PM1_EVT_LEN 4
#define ACPI_PM1_CNT_LEN 2
#define ACPI_PM_TMR_LEN 4
#define ACPI_RESET_VALUE 6  /* to PC_PORT_RESET: full reset (CPU + system) */

/* MADT (5.2.12): local APIC address, flags, then entries. */
#define MADT_LAPIC_ADDR 36
#define MADT_FLAGS 40
#define MADT_ENTRIES 44
#define MADT_PCAT_COMPAT (1u << 0)  /* the 8259 pair is present */
#define MADT_TYPE_LAPIC 0           /* 8 bytes: UID, APIC ID, flags */
#define MADT_TYPE_IOAPIC 1          /* 12: ID, 0, address, GSI base */
#define MADT_TYPE_ISO 2             /* 10: bus, source, GSI, flags */
#define MADT_TYPE_LAPIC_NMI 4       /* 6: UID, flags, LINT# */
#define MADT_LAPIC_ENABLED (1u << 0)
/* MPS INTI flags (table 5-50): polarity bits 1:0, trigger bits 3:2. */
#define MADT_INTI_CONFORMS 0x0
#define MADT_INTI_HIGH_LEVEL 0xd    /* active high, level-triggered */
#define MADT_ALL_PROCESSORS 0xff    /* ACPI processor UID for "all" */

struct acpi_config {
	unsigned ncpus;  /* local APICs with IDs 0 .. ncpus - 1 */
};

/* Where each table went (guest physical addresses). */
struct acpi_tables {
	uint64_t rsdp, xsdt, rsdt, fadt, facs, dsdt, madt;
	size_t size;     /* bytes of the area used */
};

/* Builds every table into buf, which will be placed at guest physical
 * address base (16-byte aligned; the RSDP goes first, at base). The
 * caller zeroes buf. Returns 0, or -1 if len is too small. */
int acpi_build(const struct acpi_config *cfg, uint64_t base, uint8_t *buf,
	       size_t len, struct acpi_tables *out);

/* The byte that makes len bytes sum to 0 (mod 256) when stored in them
 * in place of a 0. */
uint8_t acpi_checksum(const uint8_t *p, size_t len);

#endif
