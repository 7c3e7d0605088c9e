/* Direct Linux boot, as QEMU's -kernel and Firecracker do it: the Linux/
 * x86 boot protocol (Documentation/arch/x86/boot.rst, version 2.06 and
 * later) for a bzImage, and the same 64-bit entry for an x86-64 ELF
 * vmlinux. The loader writes boot_params (the "zero page",
 * Documentation/arch/x86/zero-page.rst) with the e820 map, the command
 * line and the initrd, and a few instructions that take the CPU from
 * flat 32-bit protected mode to the kernel's entry:
 *   - a bzImage whose xloadflags has XLF_KERNEL_64, and a vmlinux, are
 *     entered in 64-bit mode at the 64-bit entry point (load address +
 *     0x200 for a bzImage), with the first 4 GiB identity-mapped by
 *     2-MiB pages, which covers the kernel's init_size, boot_params and
 *     the command line as the protocol requires;
 *   - other bzImages are entered in 32-bit protected mode at the load
 *     address (the 32-bit boot protocol).
 * Either way a GDT with __BOOT_CS (0x10, flat code) and __BOOT_DS (0x18,
 * flat data) is loaded, CS = 0x10, DS = ES = SS = 0x18, interrupts are
 * off and RSI holds boot_params; EBX, EBP and EDI are 0. The entry code
 * runs on the CPU like any other, so a log at debug level shows it. */
#ifndef PLATFORM_LINUXBOOT_H
#define PLATFORM_LINUXBOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "platform/firmware.h"
#include "platform/ram.h"

/* Setup header fields (boot.rst, "The Real-Mode Kernel Header"): offsets
 * in the image and in boot_params alike. */
#define LH_SETUP_SECTS 0x1f1
#define LH_SYSSIZE 0x1f4
#define LH_VID_MODE 0x1fa
#define LH_BOOT_FLAG 0x1fe
#define LH_JUMP 0x200
#define LH_HEADER 0x202
#define LH_VERSION 0x206
#define LH_TYPE_OF_LOADER 0x210
#define LH_LOADFLAGS 0x211
#define LH_CODE32_START 0x214
#define LH_RAMDISK_IMAGE 0x218
#define LH_RAMDISK_SIZE 0x21c
#define LH_HEAP_END_PTR 0x224
#define LH_CMD_LINE_PTR 0x228
#define LH_INITRD_ADDR_MAX 0x22c
#define LH_KERNEL_ALIGNMENT 0x230
#define LH_RELOCATABLE_KERNEL 0x234
#define LH_XLOADFLAGS 0x236
#define LH_CMDLINE_SIZE 0x238
#define LH_HARDWARE_SUBARCH 0x23c
#define LH_PREF_ADDRESS 0x258
#define LH_INIT_SIZE 0x260

/* boot_params fields outside the setup header (zero-page.rst). */
#define BP_ACPI_RSDP_ADDR 0x070
#define BP_EXT_RAMDISK_IMAGE 0x0c0
#define BP_EXT_RAMDISK_SIZE 0x0c4
#define BP_EXT_CMD_LINE_PTR 0x0c8
#define BP_E820_ENTRIES 0x1e8
#define BP_SENTINEL 0x1ef
#define BP_E820_TABLE 0x2d0      /* entries: addr 8, size 8, type 4 */
#define BP_E820_ENTRY_SIZE 20
#define BP_E820_MAX 128
#define BP_SIZE 0x1000

#define LINUX_BOOT_FLAG 0xaa55
#define LINUX_HDRS 0x53726448u   /* "HdrS" */
#define LINUX_MIN_VERSION 0x0206
#define LINUX_LOADED_HIGH 0x01   /* loadflags */
#define LINUX_CAN_USE_HEAP 0x80
#define LINUX_XLF_KERNEL_64 0x0001  /* xloadflags: 64-bit entry at +0x200 */
#define LINUX_TYPE_OF_LOADER 0xff   /* "undefined": no assigned ID */
#define LINUX_VID_MODE_NORMAL 0xffff
/* heap_end_ptr as for the usual layout, setup code and heap filling a
 * 64-KiB real-mode segment (boot.rst, "Sample Boot Configuration"); no
 * real-mode code runs here, but the kernel sees consistent fields. */
#define LINUX_HEAP_END_PTR 0xfe00
#define LINUX_ENTRY64_OFFSET 0x200
/* Defaults for fields an older header or a vmlinux does not have. */
#define LINUX_DEFAULT_LOAD 0x100000ull
#define LINUX_VMLINUX_INITRD_MAX 0x7fffffffu
#define LINUX_VMLINUX_CMDLINE_SIZE 2047       /* COMMAND_LINE_SIZE - 1 */

/* The 32-bit protocol's selectors. */
#define LINUX_BOOT_CS 0x10
#define LINUX_BOOT_DS 0x18

/* Where the loader puts things. boot_params and the command line are in
 * low RAM, below anything a kernel loads at (1 MiB and up); the GDT,
 * the entry code and the page tables are in the firmware area, which the
 * e820 map reserves, so the kernel never reuses them while it still runs
 * on them. */
#define LINUXBOOT_PARAMS 0x7000ull
#define LINUXBOOT_CMDLINE 0x20000ull
#define LINUXBOOT_CMDLINE_END 0x80000ull
#define LINUXBOOT_GDT FIRMWARE_LOADER_BASE           /* 4 descriptors */
#define LINUXBOOT_GDTR (FIRMWARE_LOADER_BASE + 0x20) /* LGDT operand */
#define LINUXBOOT_ENTRY (FIRMWARE_LOADER_BASE + 0x40)
#define LINUXBOOT_PML4 (FIRMWARE_LOADER_BASE + 0x1000)
#define LINUXBOOT_PDPT (FIRMWARE_LOADER_BASE + 0x2000)
#define LINUXBOOT_PD (FIRMWARE_LOADER_BASE + 0x3000)  /* 4 pages: 4 GiB */
#define LINUXBOOT_INITRD_ALIGN 0x1000ull

struct linuxboot_config {
	const char *kernel;  /* file names, for messages */
	const char *initrd;  /* NULL for none */
	const char *append;  /* the command line, or NULL */
	uint64_t rsdp;       /* ACPI RSDP for boot_params; 0 for none */
};

/* What was loaded where. */
struct linuxboot_boot {
	bool vmlinux;           /* an ELF vmlinux, not a bzImage */
	bool long_mode;         /* entered at the 64-bit entry point */
	uint16_t version;       /* boot protocol version; 0 for a vmlinux */
	uint64_t entry;         /* the kernel's entry point */
	uint64_t params;        /* boot_params */
	uint64_t cmdline;
	uint64_t kernel_start;  /* load address */
	uint64_t kernel_end;    /* + what it needs while booting (init_size) */
	uint64_t initrd_start;
	uint64_t initrd_size;   /* 0 without an initrd */
};

/* True if the image has the setup header's "HdrS" signature. */
bool linuxboot_is_bzimage(const uint8_t *data, size_t size);

/* True if the image is an x86-64 ELF executable (booted as a vmlinux
 * when it has no multiboot header). */
bool linuxboot_is_vmlinux(const uint8_t *data, size_t size);

/* Loads a bzImage or vmlinux (kernel, ksize) and the initrd (initrd,
 * isize; NULL for none) into RAM with boot_params, the command line and
 * the entry code, telling cc (may be NULL) of every write. Returns 0,
 * or -1 with a one-line message in err. */
int linuxboot_load(struct ram *ram, struct code_cache *cc,
		   const struct linuxboot_config *cfg, const uint8_t *kernel,
		   size_t ksize, const uint8_t *initrd, size_t isize,
		   struct linuxboot_boot *boot, char *err, size_t errlen);

/* Starts CPU c (the bootstrap processor, after reset) at the entry
 * code in flat 32-bit protected mode, RSI = boot_params. */
void linuxboot_enter(struct cpu *c, const struct linuxboot_boot *boot);

#endif
