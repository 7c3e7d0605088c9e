/* PCI configuration mechanism #1 (PCI Local Bus Specification 3.0,
 * 3.2.2.3.2): CONFIG_ADDRESS at 0xcf8 (dword accesses only) and
 * CONFIG_DATA at 0xcfc-0xcff (byte, word and dword accesses). The bus
 * holds one device, the host bridge at 00:00.0; every other function
 * reads all ones and ignores writes.
 *
 * The host bridge is an Intel 82441FX (vendor 8086, device 1237, the
 * i440FX PMC), the one QEMU's default PC has, so that guests written for
 * that machine find what they expect.
 *
 * A byte access to 0xcf9 is not CONFIG_ADDRESS but the south bridge's
 * reset control register, which shares the dword: it goes to the
 * callbacks given. */
#ifndef PLATFORM_PCI_H
#define PLATFORM_PCI_H

#include <stddef.h>
#include <stdint.h>

#include "platform/iomap.h"

struct pci;

struct pci_config {
	struct iomap *io;
	uint8_t (*rc_read)(void *opaque);
	void (*rc_write)(void *opaque, uint8_t val);
	void *rc_opaque;
};

struct pci *pci_create(const struct pci_config *cfg, char *err,
		       size_t errlen);
void pci_destroy(struct pci *p);

/* Configuration space access as CONFIG_DATA does it (size 1, 2 or 4,
 * reg aligned to it), for the command line and tests. */
uint32_t pci_config_read(struct pci *p, unsigned bus, unsigned dev,
			 unsigned fn, unsigned reg, unsigned size);
void pci_config_write(struct pci *p, unsigned bus, unsigned dev, unsigned fn,
		      unsigned reg, unsigned size, uint32_t val);

#endif
