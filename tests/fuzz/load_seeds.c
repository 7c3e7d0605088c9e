#include "tests/fuzz/load_seeds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/linuxboot.h"

void buf_reserve(struct buf *b, size_t n)
{
	if (n <= b->cap)
		return;
	b->cap = n < 4096 ? 4096 : n;
	b->p = realloc(b->p, b->cap);
	if (!b->p) {
		fprintf(stderr, "load_fuzz: out of memory\n");
		exit(2);
	}
}

void buf_resize(struct buf *b, size_t n)
{
	buf_reserve(b, n);
	if (n > b->n)
		memset(b->p + b->n, 0, n - b->n);
	b->n = n;
}

void put_le(uint8_t *p, unsigned width, uint64_t v)
{
	for (unsigned i = 0; i < width; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

uint64_t get_le(const uint8_t *p, unsigned width)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < width; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* A multiboot header at off: magic, flags, checksum (spec 3.1.1), then
 * the address fields when flag 16 asks for them. */
void put_mb_header(uint8_t *p, uint32_t flags)
{
	put_le(p, 4, MULTIBOOT_HEADER_MAGIC);
	put_le(p + 4, 4, flags);
	put_le(p + 8, 4, (uint32_t)-(MULTIBOOT_HEADER_MAGIC + flags));
}

/* ELF32 or ELF64 executable (System V ABI): a text segment holding the
 * headers, a multiboot header (when mb) and code, then a bss segment. */
void seed_elf(struct buf *b, bool is64, bool mb, uint64_t base,
	      uint64_t vbase)
{
	unsigned eh = is64 ? 64 : 52, ph = is64 ? 56 : 32;
	size_t size = 0x400, code = 0x200;
	uint8_t *p;

	buf_resize(b, 0);
	buf_resize(b, size);
	p = b->p;
	memcpy(p, "\177ELF", 4);
	p[4] = is64 ? 2 : 1;
	p[5] = 1;
	p[6] = 1;
	put_le(p + 16, 2, 2);                     /* ET_EXEC */
	put_le(p + 18, 2, is64 ? 62 : 3);
	put_le(p + 20, 4, 1);
	if (is64) {
		put_le(p + 24, 8, mb ? vbase + code : base + code);
		put_le(p + 32, 8, eh);
		put_le(p + 52, 2, eh);
		put_le(p + 54, 2, ph);
		put_le(p + 56, 2, 2);
	} else {
		put_le(p + 24, 4, vbase + code);
		put_le(p + 28, 4, eh);
		put_le(p + 40, 2, eh);
		put_le(p + 42, 2, ph);
		put_le(p + 44, 2, 2);
	}
	for (unsigned i = 0; i < 2; i++) {
		uint8_t *h = p + eh + i * ph;
		uint64_t off = i ? size : 0, filesz = i ? 0 : size;
		uint64_t va = vbase + (i ? 0x1000 : 0);
		uint64_t pa = base + (i ? 0x1000 : 0);
		uint64_t memsz = i ? 0x3000 : size;

		put_le(h, 4, 1);                  /* PT_LOAD */
		if (is64) {
			put_le(h + 4, 4, i ? 6 : 5);
			put_le(h + 8, 8, off);
			put_le(h + 16, 8, va);
			put_le(h + 24, 8, pa);
			put_le(h + 32, 8, filesz);
			put_le(h + 40, 8, memsz);
			put_le(h + 48, 8, 0x1000);
		} else {
			put_le(h + 4, 4, off);
			put_le(h + 8, 4, va);
			put_le(h + 12, 4, pa);
			put_le(h + 16, 4, filesz);
			put_le(h + 20, 4, memsz);
			put_le(h + 24, 4, i ? 6 : 5);
			put_le(h + 28, 4, 0x1000);
		}
	}
	if (mb)
		put_mb_header(p + 0x100, MB_FLAGS_DEFAULT);
	p[code] = 0xf4;                           /* hlt */
	p[code + 1] = 0xeb;                       /* jmp $-3 */
	p[code + 2] = 0xfd;
}

/* Raw multiboot image: the header with address fields at offset 0. */
void seed_raw(struct buf *b, struct rng *r)
{
	uint32_t base = rng_chance(r, 80) ? 0x100000 : 0x200000;
	size_t size = 0x800;
	uint8_t *p;

	buf_resize(b, 0);
	buf_resize(b, size);
	p = b->p;
	put_mb_header(p, MB_FLAGS_DEFAULT | MB_HDR_AOUT_KLUDGE);
	put_le(p + 12, 4, base);                        /* header_addr */
	put_le(p + 16, 4, base);                        /* load_addr */
	put_le(p + 20, 4, rng_chance(r, 50) ? 0 : base + size);
	put_le(p + 24, 4, rng_chance(r, 30) ? 0 : base + 0x4000);
	put_le(p + 28, 4, base + 0x40);                 /* entry_addr */
	p[0x40] = 0xf4;
}

/* Protocol versions the loader supports (2.06 and later), and the end
 * of the setup header in each (boot.rst, "The Real-Mode Kernel
 * Header"): cmdline_size closes 2.06, hardware_subarch_data 2.07,
 * setup_data 2.09, init_size 2.10, handover_offset 2.11,
 * kernel_info_offset 2.15. */
static const struct {
	uint16_t version;
	uint16_t hdr_end;
} bz_versions[] = {
	{ 0x0206, 0x23c }, { 0x0207, 0x248 }, { 0x0208, 0x258 },
	{ 0x0209, 0x258 }, { 0x020a, 0x264 }, { 0x020b, 0x268 },
	{ 0x020c, 0x268 }, { 0x020d, 0x268 }, { 0x020e, 0x268 },
	{ 0x020f, 0x26c }, { 0x0210, 0x26c }, { 0x0215, 0x26c },
};

void seed_bzimage(struct buf *b, struct rng *r)
{
	unsigned v = (unsigned)rng_below64(r, sizeof(bz_versions) /
					  sizeof(bz_versions[0]));
	unsigned setup_sects = (unsigned)rng_below64(r, 5);  /* 0 means 4 */
	size_t setup = ((setup_sects ? setup_sects : 4) + 1) * 512;
	size_t pm = 0x1000 * (1 + rng_below64(r, 4));
	uint64_t pref = rng_chance(r, 50) ? 0x1000000 : 0x200000;
	uint8_t *k;

	buf_resize(b, 0);
	buf_resize(b, setup + pm);
	k = b->p;
	k[0x1f1] = (uint8_t)setup_sects;
	put_le(k + 0x1f4, 4, pm / 16);                    /* syssize */
	put_le(k + 0x1fe, 2, LINUX_BOOT_FLAG);
	k[0x200] = 0xeb;
	k[0x201] = (uint8_t)(bz_versions[v].hdr_end - LH_HEADER);
	put_le(k + 0x202, 4, LINUX_HDRS);
	put_le(k + 0x206, 2, bz_versions[v].version);
	k[0x211] = LINUX_LOADED_HIGH;
	put_le(k + 0x214, 4, 0x100000);                   /* code32_start */
	put_le(k + 0x22c, 4, rng_chance(r, 50) ? 0x7fffffff : 0x37ffffff);
	put_le(k + 0x230, 4, 0x200000);                   /* kernel_alignment */
	k[0x234] = rng_chance(r, 80);                     /* relocatable */
	if (bz_versions[v].hdr_end >= 0x248)
		k[0x235] = 21;                            /* min_alignment */
	put_le(k + 0x236, 2, rng_chance(r, 70) ? LINUX_XLF_KERNEL_64 : 0);
	put_le(k + 0x238, 4, rng_chance(r, 50) ? 2047 : 255);
	if (bz_versions[v].hdr_end >= 0x264) {
		put_le(k + 0x258, 8, pref);
		put_le(k + 0x260, 4, 0x200000 + pm);      /* init_size */
	}
	for (size_t i = 0; i < pm; i++)
		k[setup + i] = (uint8_t)(i * 7 + 3);
}
