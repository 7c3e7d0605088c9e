/* The firmware's part of low memory: BIOS data area words, the EBDA's
 * size byte, the ACPI tables at E0000 and the MP table at F0000. */
#include "platform/firmware.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/acpi.h"
#include "platform/e820.h"
#include "platform/le.h"
#include "platform/mptable.h"
#include "util/log.h"

static int firmware_write(struct ram *ram, struct code_cache *cc,
			  uint64_t pa, const uint8_t *src, size_t len)
{
	uint8_t *dst = ram_ptr(ram, pa, len);

	if (!dst)
		return -1;
	memcpy(dst, src, len);
	if (cc)
		code_cache_note_write(cc, pa, len);
	return 0;
}

int firmware_install(struct ram *ram, struct code_cache *cc,
		     const struct firmware_config *cfg,
		     struct firmware_info *info, char *err, size_t errlen)
{
	const struct cpu_model *model = cfg->model ? cfg->model :
					model_default();
	struct mptable_config mpc = { .ncpus = cfg->ncpus };
	struct acpi_config ac = { .ncpus = cfg->ncpus };
	struct acpi_tables tables;
	uint8_t *acpi, *mp, bda[4];
	uint8_t ebda_kib = (uint8_t)((FIRMWARE_BASE_MEMORY_END - E820_EBDA) >>
				     10);
	uint32_t id[4];
	int rc = -1;

	memset(info, 0, sizeof(*info));
	acpi = calloc(1, FIRMWARE_ACPI_SIZE);
	mp = calloc(1, FIRMWARE_MP_SIZE);
	if (!acpi || !mp) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	model_cpuid(model, 1, 0, id);
	mpc.cpu_signature = id[CPUID_EAX];
	mpc.cpu_features = id[CPUID_EDX];

	if (acpi_build(&ac, FIRMWARE_ACPI_BASE, acpi, FIRMWARE_ACPI_SIZE,
		       &tables) != 0) {
		snprintf(err, errlen, "the ACPI tables for %u CPUs do not fit "
			 "in the BIOS area", cfg->ncpus);
		goto out;
	}
	info->mp_size = mptable_build(&mpc, FIRMWARE_MP_BASE, mp,
				      FIRMWARE_MP_SIZE);
	if (info->mp_size == 0) {
		snprintf(err, errlen, "the MP table for %u CPUs does not fit "
			 "in the BIOS area", cfg->ncpus);
		goto out;
	}
	info->rsdp = tables.rsdp;
	info->acpi_size = tables.size;
	info->mp_floating = FIRMWARE_MP_BASE;

	/* The EBDA runs from E820_EBDA to 640 KiB; its first byte is its
	 * size in KiB. Base memory is what lies below it. */
	le16_put(bda, (uint16_t)(E820_EBDA >> 4));
	le16_put(bda + 2, (uint16_t)(E820_EBDA >> 10));
	if (firmware_write(ram, cc, FIRMWARE_BDA_EBDA_SEG, bda, 2) != 0 ||
	    firmware_write(ram, cc, FIRMWARE_BDA_BASE_KIB, bda + 2, 2) != 0 ||
	    firmware_write(ram, cc, E820_EBDA, &ebda_kib, 1) != 0 ||
	    firmware_write(ram, cc, FIRMWARE_ACPI_BASE, acpi,
			   tables.size) != 0 ||
	    firmware_write(ram, cc, FIRMWARE_MP_BASE, mp, info->mp_size) != 0) {
		snprintf(err, errlen, "the firmware tables need RAM up to "
			 "1 MiB");
		goto out;
	}
	log_debug("firmware", "ACPI RSDP at 0x%llx (%zu bytes of tables), MP "
		  "floating pointer at 0x%llx (%zu bytes), %u CPU(s)",
		  (unsigned long long)info->rsdp, info->acpi_size,
		  (unsigned long long)info->mp_floating, info->mp_size,
		  cfg->ncpus);
	rc = 0;
out:
	free(acpi);
	free(mp);
	return rc;
}
