/* QEMU's firmware configuration device (QEMU docs/specs/fw_cfg.rst) at
 * its x86 ports: the 16-bit selector at 0x510 and the 8-bit data port at
 * 0x511, without the DMA interface (the ID item says so). Items:
 *   0x0000 signature "QEMU"
 *   0x0001 ID: 1 (traditional interface only), 32 bits
 *   0x0003 RAM size in bytes, 64 bits
 *   0x0005 number of CPUs, 16 bits
 *   0x000f maximum number of CPUs, 16 bits
 *   0x0011 the end of RAM (one past the highest RAM address), 64 bits:
 *          the "maximum RAM" kvm-unit-tests reads there
 *   0x0019 the file directory, empty
 * Numbers are little-endian except in the file directory. Other keys
 * read as zeros; writes to the data port are ignored. */
#ifndef PLATFORM_FWCFG_H
#define PLATFORM_FWCFG_H

#include <stddef.h>
#include <stdint.h>

#include "platform/iomap.h"

#define FWCFG_SIGNATURE 0x0000
#define FWCFG_ID 0x0001
#define FWCFG_RAM_SIZE 0x0003
#define FWCFG_NB_CPUS 0x0005
#define FWCFG_MAX_CPUS 0x000f
#define FWCFG_MAX_RAM 0x0011
#define FWCFG_FILE_DIR 0x0019

struct fwcfg;

struct fwcfg_config {
	struct iomap *io;
	uint64_t ram_size;
	uint64_t ram_end;
	unsigned ncpus;
	unsigned max_cpus;
};

struct fwcfg *fwcfg_create(const struct fwcfg_config *cfg, char *err,
			   size_t errlen);
void fwcfg_destroy(struct fwcfg *f);

#endif
