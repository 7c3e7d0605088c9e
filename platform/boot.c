/* Kernel dispatch: read the file once, recognise it, hand it to its
 * loader. */
#include "platform/boot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/loader.h"

static int boot_linux(struct ram *ram, struct code_cache *cc,
		      const struct boot_config *cfg, const uint8_t *kernel,
		      size_t ksize, struct boot *boot, char *err,
		      size_t errlen)
{
	struct linuxboot_config lc = {
		.kernel = cfg->kernel,
		.initrd = cfg->initrd,
		.append = cfg->append,
		.rsdp = boot->firmware.rsdp,
	};
	uint8_t *initrd = NULL;
	size_t isize = 0;
	int rc;

	if (cfg->initrd && loader_read_file("initrd", cfg->initrd, ram,
					    &initrd, &isize, err, errlen) != 0)
		return -1;
	rc = linuxboot_load(ram, cc, &lc, kernel, ksize, initrd, isize,
			    &boot->linuxboot, err, errlen);
	free(initrd);
	return rc;
}

int boot_load(struct ram *ram, struct code_cache *cc,
	      const struct boot_config *cfg, struct boot *boot, char *err,
	      size_t errlen)
{
	struct firmware_config fc = {
		.ncpus = cfg->ncpus,
		.model = cfg->model,
	};
	struct multiboot_config mc = {
		.kernel = cfg->kernel,
		.append = cfg->append,
		.initrd = cfg->initrd,
		.loader_name = "vmxsim",
	};
	uint8_t *data = NULL;
	size_t size = 0;
	int rc = -1;

	memset(boot, 0, sizeof(*boot));
	if (loader_read_file("kernel", cfg->kernel, NULL, &data, &size, err,
			     errlen) != 0)
		return -1;
	/* The firmware first: a kernel that asks to be loaded over it
	 * gets what it asked for. */
	if (firmware_install(ram, cc, &fc, &boot->firmware, err, errlen) != 0)
		goto out;
	if (multiboot_probe(data, size)) {
		boot->kind = BOOT_MULTIBOOT;
		rc = multiboot_load(ram, cc, &mc, data, size, &boot->multiboot,
				    err, errlen);
	} else if (linuxboot_is_bzimage(data, size) ||
		   linuxboot_is_vmlinux(data, size)) {
		boot->kind = BOOT_LINUX;
		rc = boot_linux(ram, cc, cfg, data, size, boot, err, errlen);
	} else {
		snprintf(err, errlen, "kernel '%s' is not a multiboot kernel, "
			 "a Linux bzImage or an x86-64 ELF vmlinux (no "
			 "multiboot header in its first 8 KiB, no \"HdrS\" "
			 "setup header)", cfg->kernel);
	}
out:
	free(data);
	return rc;
}

void boot_enter(struct cpu *bsp, const struct boot *boot)
{
	if (boot->kind == BOOT_MULTIBOOT)
		multiboot_enter(bsp, &boot->multiboot);
	else
		linuxboot_enter(bsp, &boot->linuxboot);
}
