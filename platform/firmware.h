/* What a PC BIOS leaves in memory for the OS, written before the kernel
 * is loaded: the BIOS data area words that locate the EBDA and size base
 * memory, the ACPI tables and the MP table. All of it lies in the range
 * the e820 map reserves below 1 MiB. */
#ifndef PLATFORM_FIRMWARE_H
#define PLATFORM_FIRMWARE_H

#include <stddef.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "cpu/model.h"
#include "platform/ram.h"

/* BIOS data area (segment 0x40) words. */
#define FIRMWARE_BDA_EBDA_SEG 0x40e   /* EBDA segment */
#define FIRMWARE_BDA_BASE_KIB 0x413   /* KiB of base memory below the EBDA */
#define FIRMWARE_BASE_MEMORY_END 0xa0000ull  /* 640 KiB: the EBDA ends here */

/* The reserved area's layout. The ACPI tables start on a 16-byte
 * boundary in E0000-FFFFF, where an OS searches for the RSDP (ACPI 6.0
 * 5.2.5.1); the MP floating pointer is in F0000-FFFFF (MP spec 4). */
#define FIRMWARE_ACPI_BASE 0xe0000ull
#define FIRMWARE_ACPI_SIZE 0x10000ull
#define FIRMWARE_MP_BASE 0xf0000ull
#define FIRMWARE_MP_SIZE 0x2000ull   /* room for 255 processor entries */
/* Left to the loaders: the Linux loader's GDT, entry code and page
 * tables, which must outlive the kernel's first steps. */
#define FIRMWARE_LOADER_BASE 0xf2000ull
#define FIRMWARE_LOADER_END 0x100000ull

struct firmware_config {
	unsigned ncpus;
	/* The CPUs' model, for the MP table's signature and features; NULL
	 * for the default model. */
	const struct cpu_model *model;
};

struct firmware_info {
	uint64_t rsdp;        /* physical address of the ACPI RSDP */
	uint64_t mp_floating; /* of the MP floating pointer structure */
	size_t acpi_size;     /* bytes of ACPI tables */
	size_t mp_size;       /* bytes of MP tables */
};

/* Writes the BDA words and the tables into RAM (at least 1 MiB), telling
 * cc (may be NULL). Returns 0, or -1 with a message in err (a machine
 * with more CPUs than the tables' areas hold). */
int firmware_install(struct ram *ram, struct code_cache *cc,
		     const struct firmware_config *cfg,
		     struct firmware_info *info, char *err, size_t errlen);

#endif
