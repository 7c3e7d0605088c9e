/* Multiboot (version 0.6.96) kernel loader, with QEMU's conventions: the
 * command line starts with the kernel's file name, and modules come from
 * a QEMU-style -initrd list. */
#ifndef PLATFORM_MULTIBOOT_H
#define PLATFORM_MULTIBOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "platform/ram.h"

#define MULTIBOOT_HEADER_MAGIC 0x1badb002u
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2badb002u
#define MULTIBOOT_SEARCH 8192

/* Multiboot header flags (spec 3.1.2). */
#define MB_HDR_PAGE_ALIGN (1u << 0)
#define MB_HDR_MEMORY_INFO (1u << 1)
#define MB_HDR_VIDEO_MODE (1u << 2)
#define MB_HDR_AOUT_KLUDGE (1u << 16)

/* Multiboot information flags (spec 3.3). */
#define MB_INFO_MEMORY (1u << 0)
#define MB_INFO_CMDLINE (1u << 2)
#define MB_INFO_MODS (1u << 3)
#define MB_INFO_MEM_MAP (1u << 6)
#define MB_INFO_BOOT_LOADER_NAME (1u << 9)

/* Memory map types. */
#define MB_MEMORY_AVAILABLE 1
#define MB_MEMORY_RESERVED 2

struct multiboot_config {
	const char *kernel;      /* path of the kernel file */
	const char *append;      /* kernel arguments, or NULL */
	/* Comma-separated module files, each optionally followed by a space
	 * and its arguments; ",," stands for a comma in a name. NULL for
	 * none. */
	const char *initrd;
	const char *loader_name; /* boot_loader_name */
};

/* Where things ended up. */
struct multiboot_boot {
	uint32_t entry;        /* physical entry point */
	uint32_t info;         /* physical address of the information block */
	uint64_t kernel_start; /* lowest and one past highest loaded byte */
	uint64_t kernel_end;
	unsigned nmods;
};

struct code_cache;

/* True if the multiboot magic appears, 32-bit aligned, in the first
 * 8 KiB of the image: the kernel is meant to be booted as multiboot
 * (multiboot_load() then checks the header). */
bool multiboot_probe(const uint8_t *data, size_t size);

/* Loads the kernel image (data, size: the contents of cfg->kernel) and
 * the modules into RAM and writes the information block. Every RAM
 * write is reported to cc (may be NULL). Returns 0, or -1 with a
 * one-line message in err. */
int multiboot_load(struct ram *ram, struct code_cache *cc,
		   const struct multiboot_config *cfg, const uint8_t *data,
		   size_t size, struct multiboot_boot *boot, char *err,
		   size_t errlen);

/* Puts a CPU in the state the spec (3.2) gives the kernel: flat 32-bit
 * protected mode, paging off, IF = 0, EAX = 0x2BADB002, EBX = the
 * information block, EIP = entry. */
void multiboot_enter(struct cpu *c, const struct multiboot_boot *boot);

#endif
