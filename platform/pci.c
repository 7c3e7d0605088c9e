/* Configuration mechanism #1 and the 82441FX host bridge (see
 * platform/pci.h). Header values are the 82441FX datasheet's defaults
 * (Intel 290549, "PCI configuration registers").
 *
 * Readings chosen where the datasheets leave room:
 *   - Of the header only the command register's PERR# and SERR# enables
 *     (bits 6 and 8) are writable; memory and bus-master enable read 1.
 *     The status register has nothing to clear.
 *   - The chipset registers at 0x40-0xff (PAM, DRAM row boundaries,
 *     SMRAM, ...) read back what was written and change nothing.
 *   - CONFIG_ADDRESS keeps its enable bit and bits 23:2; bits 30:24 and
 *     1:0 read 0. Byte and word accesses to 0xcf8-0xcfb other than the
 *     byte at 0xcf9 reach nothing. */
#include "platform/pci.h"

#include <stdlib.h>
#include <string.h>

#include "platform/pc_layout.h"
#include "util/log.h"

#define CONFADD_ENABLE 0x80000000u
#define CONFADD_MASK 0x80fffffcu
#define CFG_SIZE 256
#define CFG_CHIPSET 0x40

struct pci {
	struct pci_config cfg;
	uint32_t confadd;
	uint8_t host[CFG_SIZE];
	uint8_t host_wmask[CFG_SIZE];
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void host_bridge_init(struct pci *p)
{
	uint8_t *c = p->host;

	put16(c + 0x00, 0x8086);   /* VID */
	put16(c + 0x02, 0x1237);   /* DID */
	put16(c + 0x04, 0x0006);   /* PCICMD: MAE, BME */
	put16(c + 0x06, 0x0280);   /* PCISTS: fast back-to-back, medium DEVSEL */
	c[0x08] = 0x02;            /* RID */
	c[0x0b] = 0x06;            /* CLASSC: bridge, host (060000) */
	put16(p->host_wmask + 0x04, 0x0140);
	memset(p->host_wmask + CFG_CHIPSET, 0xff, CFG_SIZE - CFG_CHIPSET);
}

uint32_t pci_config_read(struct pci *p, unsigned bus, unsigned dev,
			 unsigned fn, unsigned reg, unsigned size)
{
	uint32_t v = 0;

	if (bus || dev || fn || reg + size > CFG_SIZE)
		return size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)p->host[reg + i] << (i * 8);
	return v;
}

void pci_config_write(struct pci *p, unsigned bus, unsigned dev, unsigned fn,
		      unsigned reg, unsigned size, uint32_t val)
{
	if (bus || dev || fn || reg + size > CFG_SIZE)
		return;
	for (unsigned i = 0; i < size; i++) {
		uint8_t m = p->host_wmask[reg + i];
		uint8_t b = (uint8_t)(val >> (i * 8));

		p->host[reg + i] = (uint8_t)((p->host[reg + i] & ~m) | (b & m));
	}
}

static uint64_t confadd_read(void *opaque, uint64_t offset, unsigned size)
{
	struct pci *p = opaque;

	if (size == 4)
		return p->confadd;
	if (size == 1 && offset == 1 && p->cfg.rc_read)
		return p->cfg.rc_read(p->cfg.rc_opaque);
	return size == 2 ? 0xffff : 0xff;
}

static void confadd_write(void *opaque, uint64_t offset, unsigned size,
			  uint64_t val)
{
	struct pci *p = opaque;

	if (size == 4)
		p->confadd = (uint32_t)val & CONFADD_MASK;
	else if (size == 1 && offset == 1 && p->cfg.rc_write)
		p->cfg.rc_write(p->cfg.rc_opaque, (uint8_t)val);
}

/* CONFIG_DATA: byte n of the dword CONFIG_ADDRESS selects is at
 * 0xcfc + n. */
static uint64_t confdata_read(void *opaque, uint64_t offset, unsigned size)
{
	struct pci *p = opaque;
	uint32_t a = p->confadd;

	if (!(a & CONFADD_ENABLE))
		return size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
	return pci_config_read(p, a >> 16 & 0xff, a >> 11 & 0x1f, a >> 8 & 7,
			       (a & 0xfc) + (unsigned)offset, size);
}

static void confdata_write(void *opaque, uint64_t offset, unsigned size,
			   uint64_t val)
{
	struct pci *p = opaque;
	uint32_t a = p->confadd;

	if (!(a & CONFADD_ENABLE))
		return;
	pci_config_write(p, a >> 16 & 0xff, a >> 11 & 0x1f, a >> 8 & 7,
			 (a & 0xfc) + (unsigned)offset, size, (uint32_t)val);
}

static const struct iomap_ops confadd_ops = {
	.read = confadd_read,
	.write = confadd_write,
};

static const struct iomap_ops confdata_ops = {
	.read = confdata_read,
	.write = confdata_write,
};

struct pci *pci_create(const struct pci_config *cfg, char *err,
		       size_t errlen)
{
	struct pci *p = calloc(1, sizeof(*p));
	const unsigned any = IOMAP_SIZE_1 | IOMAP_SIZE_2 | IOMAP_SIZE_4;

	if (!p) {
		snprintf(err, errlen, "pci: out of memory");
		return NULL;
	}
	p->cfg = *cfg;
	host_bridge_init(p);
	if (iomap_register(cfg->io, IOMAP_PORT, PC_PORT_PCI_ADDR, 4, any,
			   "pci-config-address+reset", &confadd_ops, p, err,
			   errlen) != 0 ||
	    iomap_register(cfg->io, IOMAP_PORT, PC_PORT_PCI_DATA, 4, any,
			   "pci-config-data", &confdata_ops, p, err,
			   errlen) != 0) {
		free(p);
		return NULL;
	}
	return p;
}

void pci_destroy(struct pci *p)
{
	free(p);
}
