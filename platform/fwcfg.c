/* fw_cfg at 0x510/0x511 (see platform/fwcfg.h). Selecting an item sets
 * the data offset to 0; each data read returns the next byte, or 0 past
 * the item's end. Bit 14 (write) and bit 15 (architecture-specific) of
 * the selector are part of the key: 0x8000-0xffff select x86 items, of
 * which there are none here; bit 14 only says whether data writes would
 * be taken, and they never are. */
#include "platform/fwcfg.h"

#include <stdlib.h>
#include <string.h>

#include "platform/pc_layout.h"
#include "util/log.h"

#define KEY_WRITE 0x4000
#define KEY_ARCH 0x8000
#define ITEMS 0x20

struct fwcfg_item {
	uint8_t data[8];
	unsigned len;
};

struct fwcfg {
	struct fwcfg_item item[ITEMS];
	uint16_t key;
	unsigned offset;
};

static void put_le(struct fwcfg_item *it, uint64_t v, unsigned len)
{
	for (unsigned i = 0; i < len; i++)
		it->data[i] = (uint8_t)(v >> (i * 8));
	it->len = len;
}

static const struct fwcfg_item *fwcfg_current(const struct fwcfg *f)
{
	uint16_t k = f->key & (uint16_t)~KEY_WRITE;

	if (k & KEY_ARCH || k >= ITEMS)
		return NULL;
	return &f->item[k];
}

/* Offset 0 (0x510) is the selector, offset 1 (0x511) the data port. */
static uint64_t fwcfg_read(void *opaque, uint64_t offset, unsigned size)
{
	struct fwcfg *f = opaque;
	const struct fwcfg_item *it;

	if (offset != 1 || size != 1)
		return size == 2 ? 0xffff : 0xff;
	it = fwcfg_current(f);
	if (!it || f->offset >= it->len)
		return 0;
	return it->data[f->offset++];
}

static void fwcfg_write(void *opaque, uint64_t offset, unsigned size,
			uint64_t val)
{
	struct fwcfg *f = opaque;

	if (offset != 0 || size != 2)
		return;
	f->key = (uint16_t)val;
	f->offset = 0;
}

static const struct iomap_ops fwcfg_ops = {
	.read = fwcfg_read,
	.write = fwcfg_write,
};

struct fwcfg *fwcfg_create(const struct fwcfg_config *cfg, char *err,
			   size_t errlen)
{
	struct fwcfg *f = calloc(1, sizeof(*f));

	if (!f) {
		snprintf(err, errlen, "fw_cfg: out of memory");
		return NULL;
	}
	memcpy(f->item[FWCFG_SIGNATURE].data, "QEMU", 4);
	f->item[FWCFG_SIGNATURE].len = 4;
	put_le(&f->item[FWCFG_ID], 1, 4);
	put_le(&f->item[FWCFG_RAM_SIZE], cfg->ram_size, 8);
	put_le(&f->item[FWCFG_NB_CPUS], cfg->ncpus, 2);
	put_le(&f->item[FWCFG_MAX_CPUS], cfg->max_cpus, 2);
	put_le(&f->item[FWCFG_MAX_RAM], cfg->ram_end, 8);
	/* The file directory: a big-endian count of 0 entries. */
	f->item[FWCFG_FILE_DIR].len = 4;
	if (iomap_register(cfg->io, IOMAP_PORT, PC_PORT_FW_CFG, 2,
			   IOMAP_SIZE_1 | IOMAP_SIZE_2, "fw_cfg", &fwcfg_ops, f,
			   err, errlen) != 0) {
		free(f);
		return NULL;
	}
	return f;
}

void fwcfg_destroy(struct fwcfg *f)
{
	free(f);
}
