/* Booting a kernel given with -kernel: the firmware tables every guest
 * gets (ACPI, MP, BIOS data area), then the kernel by its kind, in the
 * order QEMU tries them: multiboot (a multiboot header in the first
 * 8 KiB), a Linux bzImage (the "HdrS" setup header), an x86-64 ELF
 * vmlinux. Anything else is refused. */
#ifndef PLATFORM_BOOT_H
#define PLATFORM_BOOT_H

#include <stddef.h>

#include "cpu/cpu.h"
#include "cpu/model.h"
#include "platform/firmware.h"
#include "platform/linuxboot.h"
#include "platform/multiboot.h"
#include "platform/ram.h"

struct boot_config {
	const char *kernel;    /* kernel file */
	const char *append;    /* command line, or NULL */
	/* For multiboot, the module list (QEMU syntax); for Linux, the
	 * initrd file. NULL for none. */
	const char *initrd;
	unsigned ncpus;        /* CPUs the firmware tables describe */
	const struct cpu_model *model;  /* NULL: the default model */
};

enum boot_kind {
	BOOT_MULTIBOOT,
	BOOT_LINUX,
};

struct boot {
	enum boot_kind kind;
	struct firmware_info firmware;
	struct multiboot_boot multiboot;  /* when kind is BOOT_MULTIBOOT */
	struct linuxboot_boot linuxboot;     /* when kind is BOOT_LINUX */
};

/* Writes the firmware tables and loads the kernel (and its initrd or
 * modules) into RAM, telling cc (may be NULL) of every write. Returns 0,
 * or -1 with a one-line message in err. */
int boot_load(struct ram *ram, struct code_cache *cc,
	      const struct boot_config *cfg, struct boot *boot, char *err,
	      size_t errlen);

/* Puts the bootstrap processor in the state the kernel's protocol
 * gives it. */
void boot_enter(struct cpu *bsp, const struct boot *boot);

#endif
