/* The Linux loader on synthetic kernels built here: a bzImage setup
 * header (Documentation/arch/x86/boot.rst) with a recognisable
 * protected-mode part, and a one-segment ELF64 vmlinux. Checked against
 * the protocol: the protected-mode part at pref_address (aligned for a
 * relocatable kernel) or 1 MiB before 2.10; the 64-bit entry at +0x200
 * when XLF_KERNEL_64 is set; boot_params (zero-page.rst) with the
 * kernel's setup header and the loader's fields (type_of_loader 0xff,
 * CAN_USE_HEAP, cmd_line_ptr, ramdisk_image/size, acpi_rsdp_addr, the
 * e820 table); the initrd page-aligned at the top of RAM below
 * initrd_addr_max; the boot GDT's __BOOT_CS/__BOOT_DS descriptors and
 * the identity map (SDM Vol. 3A 3.4.5, 4.5); and the errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "platform/linuxboot.h"

#define MIB (1ull << 20)

struct bz {
	uint16_t version;
	uint8_t loadflags;
	uint16_t xloadflags;
	uint64_t pref;
	uint32_t init_size;
	uint32_t align;
	uint8_t relocatable;
	uint32_t cmdline_size;
	uint32_t initrd_max;
	uint8_t setup_sects;
	size_t pm_size;
};

static const struct bz bz_default = {
	.version = 0x020f, .loadflags = 0x01, .xloadflags = 0x0001,
	.pref = 0x1000000, .init_size = 0x800000, .align = 0x200000,
	.relocatable = 1, .cmdline_size = 2047, .initrd_max = 0x7fffffff,
	.setup_sects = 2, .pm_size = 0x3000,
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get16(const uint8_t *p)
{
	return (uint32_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) | get16(p + 2) << 16;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static uint8_t pm_byte(size_t i)
{
	return (uint8_t)(i * 7 + 3);
}

/* The image: setup sectors with the header, then the protected-mode
 * part. Offsets are boot.rst's. */
static uint8_t *make_bzimage(const struct bz *b, size_t *size)
{
	size_t setup = (size_t)(b->setup_sects + 1) * 512;
	uint8_t *k = calloc(1, setup + b->pm_size);

	assert_non_null(k);
	k[0x1f1] = b->setup_sects;
	put32(k + 0x1f4, (uint32_t)(b->pm_size / 16));  /* syssize */
	put16(k + 0x1fe, 0xaa55);
	k[0x200] = 0xeb;                    /* jmp short past the header */
	k[0x201] = 0x6c - 2;                /* header ends at 0x26c */
	memcpy(k + 0x202, "HdrS", 4);
	put16(k + 0x206, b->version);
	k[0x211] = b->loadflags;
	put32(k + 0x214, 0x100000);         /* code32_start */
	put32(k + 0x22c, b->initrd_max);
	put32(k + 0x230, b->align);
	k[0x234] = b->relocatable;
	put16(k + 0x236, b->xloadflags);
	put32(k + 0x238, b->cmdline_size);
	put64(k + 0x258, b->pref);
	put32(k + 0x260, b->init_size);
	for (size_t i = 0; i < b->pm_size; i++)
		k[setup + i] = pm_byte(i);
	*size = setup + b->pm_size;
	return k;
}

struct run {
	struct ram *ram;
	struct linuxboot_boot boot;
	char err[512];
	int rc;
};

static void load(struct run *r, uint64_t ram_bytes, const uint8_t *k,
		 size_t ksize, const uint8_t *initrd, size_t isize,
		 const char *append)
{
	struct linuxboot_config cfg = {
		.kernel = "bzImage", .initrd = "initrd.img", .append = append,
		.rsdp = 0xe0000,
	};

	r->ram = ram_create(ram_bytes, r->err, sizeof(r->err));
	assert_non_null(r->ram);
	r->err[0] = 0;
	r->rc = linuxboot_load(r->ram, NULL, &cfg, k, ksize, initrd, isize,
			       &r->boot, r->err, sizeof(r->err));
}

static const uint8_t *at(struct run *r, uint64_t pa, uint64_t len)
{
	const uint8_t *p = ram_ptr(r->ram, pa, len);

	assert_non_null(p);
	return p;
}

/* Translates a linear address through the 4-level tables at cr3
 * (SDM Vol. 3A 4.5): returns the physical address, or -1 if not
 * present. */
static uint64_t walk(struct run *r, uint64_t cr3, uint64_t la)
{
	uint64_t table = cr3 & ~0xfffull;

	for (int level = 3; level >= 0; level--) {
		unsigned idx = (unsigned)(la >> (12 + 9 * level)) & 511;
		uint64_t e = get64(at(r, table + idx * 8, 8));

		if (!(e & 1))
			return UINT64_MAX;
		if (level > 0 && level < 3 && (e & 0x80)) {
			uint64_t size = 1ull << (12 + 9 * level);

			return (e & 0x000ffffffffff000ull & ~(size - 1)) |
			       (la & (size - 1));
		}
		table = e & 0x000ffffffffff000ull;
	}
	return table | (la & 0xfff);
}

static void test_bzimage_64(void **state)
{
	(void)state;
	static const char initrd[] = "initrd contents\n";
	struct run r;
	size_t ksize;
	uint8_t *k = make_bzimage(&bz_default, &ksize);
	const uint8_t *bp, *pm, *gdt, *gdtr;
	uint64_t code, data, rd;

	load(&r, 64 * MIB, k, ksize, (const uint8_t *)initrd,
	     sizeof(initrd) - 1, "console=ttyS0 x=1");
	assert_int_equal(r.rc, 0);
	assert_true(r.boot.long_mode);
	assert_false(r.boot.vmlinux);
	assert_int_equal(r.boot.version, 0x020f);
	assert_int_equal(r.boot.kernel_start, 0x1000000);
	assert_int_equal(r.boot.kernel_end, 0x1000000 + 0x800000);
	assert_int_equal(r.boot.entry, 0x1000200);

	/* The protected-mode part, byte for byte, at pref_address. */
	pm = at(&r, 0x1000000, bz_default.pm_size);
	for (size_t i = 0; i < bz_default.pm_size; i++)
		assert_int_equal(pm[i], pm_byte(i));

	bp = at(&r, r.boot.params, 4096);
	assert_memory_equal(bp + 0x202, "HdrS", 4);     /* header copied */
	assert_int_equal(get16(bp + 0x206), 0x020f);
	assert_int_equal(get64(bp + 0x258), 0x1000000);
	assert_int_equal(bp[0x1f1], 2);
	assert_int_equal(bp[0x210], 0xff);              /* type_of_loader */
	assert_int_equal(bp[0x211] & 0x81, 0x81);       /* HIGH, CAN_USE_HEAP */
	assert_int_equal(get16(bp + 0x224), 0xfe00);    /* heap_end_ptr */
	assert_int_equal(get16(bp + 0x1fa), 0xffff);    /* vid_mode normal */
	assert_int_equal(get32(bp + 0x214), 0x1000000); /* code32_start */
	assert_int_equal(get64(bp + 0x070), 0xe0000);   /* acpi_rsdp_addr */
	assert_int_equal(bp[0x1ef], 0);                 /* sentinel */
	assert_string_equal((const char *)at(&r, get32(bp + 0x228), 18),
			    "console=ttyS0 x=1");
	assert_int_equal(get32(bp + 0x0c8), 0);         /* ext_cmd_line_ptr */

	/* The initrd: page-aligned, as high as RAM allows, intact. */
	rd = get32(bp + 0x218) | (uint64_t)get32(bp + 0x0c0) << 32;
	assert_int_equal(get32(bp + 0x21c), sizeof(initrd) - 1);
	assert_int_equal(rd % 4096, 0);
	assert_true(rd + sizeof(initrd) - 1 <= 64 * MIB);
	assert_true(rd + 4096 + sizeof(initrd) - 1 > 64 * MIB);
	assert_memory_equal(at(&r, rd, sizeof(initrd) - 1), initrd,
			    sizeof(initrd) - 1);
	assert_int_equal(r.boot.initrd_start, rd);

	/* e820: 6 entries, the first two the low RAM and the BIOS hole. */
	assert_int_equal(bp[0x1e8], 6);
	assert_int_equal(get64(bp + 0x2d0), 0);
	assert_int_equal(get64(bp + 0x2d8), 0x9fc00);
	assert_int_equal(get32(bp + 0x2e0), 1);
	assert_int_equal(get64(bp + 0x2e4), 0x9fc00);
	assert_int_equal(get32(bp + 0x2f4), 2);
	assert_int_equal(get64(bp + 0x2f8), 0x100000);
	assert_int_equal(get64(bp + 0x300), 63 * MIB);

	/* The GDT the entry code loads: 0x10 is flat 64-bit code (L = 1,
	 * D = 0, present, execute/read), 0x18 flat read/write data. */
	gdtr = at(&r, LINUXBOOT_GDTR, 6);
	assert_true(get16(gdtr) >= 0x1f);
	gdt = at(&r, get32(gdtr + 2), 32);
	code = get64(gdt + 0x10);
	data = get64(gdt + 0x18);
	assert_int_equal((code >> 53) & 3, 1);          /* L = 1, D = 0 */
	assert_int_equal((code >> 40) & 0x9a, 0x9a);    /* P, S, code, R */
	assert_int_equal((data >> 40) & 0x9a, 0x92);    /* P, S, data, W */
	assert_int_equal((data >> 55) & 1, 1);          /* G: 4 GiB */
	assert_int_equal(data & 0xffff, 0xffff);

	/* The identity map covers the kernel's init_size, boot_params, the
	 * command line, the initrd and the firmware area. */
	{
		static const uint64_t las[] = {
			0x7000, 0x20000, 0xe0000, 0xf2040, 0x1000200,
			0x17fffff, 0x3fff000, 0xfee00000, 0xffffffff,
		};
		for (size_t i = 0; i < sizeof(las) / sizeof(las[0]); i++)
			assert_int_equal(walk(&r, LINUXBOOT_PML4, las[i]),
					 las[i]);
	}
	ram_destroy(r.ram);
	free(k);
}

static void test_bzimage_32(void **state)
{
	(void)state;
	struct bz b = bz_default;
	struct run r;
	size_t ksize;
	uint8_t *k;
	const uint8_t *gdt;

	b.xloadflags = 0;
	k = make_bzimage(&b, &ksize);
	load(&r, 64 * MIB, k, ksize, NULL, 0, NULL);
	assert_int_equal(r.rc, 0);
	assert_false(r.boot.long_mode);
	assert_int_equal(r.boot.entry, 0x1000000);
	assert_int_equal(r.boot.initrd_size, 0);
	/* No initrd: the fields stay 0; no -append: an empty line. */
	assert_int_equal(get32(at(&r, r.boot.params + 0x218, 4)), 0);
	assert_string_equal((const char *)at(&r, r.boot.cmdline, 1), "");
	gdt = at(&r, get32(at(&r, LINUXBOOT_GDTR + 2, 4)), 32);
	assert_int_equal((get64(gdt + 0x10) >> 53) & 3, 2);  /* D = 1 */
	ram_destroy(r.ram);
	free(k);
}

/* Where the kernel goes: pref_address rounded up to kernel_alignment for
 * a relocatable kernel, as is for another; 1 MiB before protocol 2.10,
 * which has no pref_address. */
static void test_load_address(void **state)
{
	(void)state;
	static const struct {
		uint16_t version;
		uint8_t relocatable;
		uint64_t pref, load;
	} cases[] = {
		{ 0x020f, 1, 0x1100000, 0x1200000 },
		{ 0x020f, 0, 0x1100000, 0x1100000 },
		{ 0x020a, 1, 0x2000000, 0x2000000 },
		{ 0x0209, 1, 0x2000000, 0x100000 },
		{ 0x0206, 0, 0x2000000, 0x100000 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bz b = bz_default;
		struct run r;
		size_t ksize;
		uint8_t *k;

		b.version = cases[i].version;
		b.relocatable = cases[i].relocatable;
		b.pref = cases[i].pref;
		b.xloadflags = 0;
		k = make_bzimage(&b, &ksize);
		load(&r, 128 * MIB, k, ksize, NULL, 0, NULL);
		assert_int_equal(r.rc, 0);
		assert_int_equal(r.boot.kernel_start, cases[i].load);
		assert_int_equal(at(&r, cases[i].load, 1)[0], pm_byte(0));
		/* The RSDP field exists from 2.14 on. */
		assert_int_equal(get64(at(&r, r.boot.params + 0x70, 8)),
				 b.version >= 0x020e ? 0xe0000 : 0);
		ram_destroy(r.ram);
		free(k);
	}
}

static void test_initrd_addr_max(void **state)
{
	(void)state;
	struct bz b = bz_default;
	static uint8_t initrd[10000];
	struct run r;
	size_t ksize;
	uint8_t *k;

	b.initrd_max = 0x1ffffff;       /* the initrd must end below 32 MiB */
	k = make_bzimage(&b, &ksize);
	load(&r, 64 * MIB, k, ksize, initrd, sizeof(initrd), NULL);
	assert_int_equal(r.rc, 0);
	assert_true(r.boot.initrd_start + sizeof(initrd) <= 32 * MIB);
	assert_int_equal(r.boot.initrd_start,
			 (32 * MIB - sizeof(initrd)) & ~0xfffull);
	ram_destroy(r.ram);
	free(k);
}

static void expect_error(const struct bz *b, uint64_t ram, size_t isize,
			 const char *append, const char *needle)
{
	struct run r;
	size_t ksize;
	uint8_t *k = make_bzimage(b, &ksize);
	uint8_t *initrd = isize ? calloc(1, isize) : NULL;

	load(&r, ram, k, ksize, initrd, isize, append);
	assert_int_equal(r.rc, -1);
	if (!strstr(r.err, needle))
		fail_msg("message '%s' lacks '%s'", r.err, needle);
	assert_null(strchr(r.err, '\n'));
	ram_destroy(r.ram);
	free(initrd);
	free(k);
}

static void test_errors(void **state)
{
	(void)state;
	struct bz b;
	char longline[300];

	b = bz_default;
	b.version = 0x0205;
	expect_error(&b, 64 * MIB, 0, NULL, "boot protocol 2.05");
	b = bz_default;
	b.loadflags = 0;
	expect_error(&b, 64 * MIB, 0, NULL, "zImage");
	/* init_size reaches past 16 MiB of RAM. */
	expect_error(&bz_default, 16 * MIB, 0, NULL, "use a larger -m");
	/* 30 MiB of initrd cannot go above a kernel ending at 24 MiB. */
	expect_error(&bz_default, 32 * MIB, 30 * MIB, NULL, "initrd");
	b = bz_default;
	b.cmdline_size = 255;
	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = 0;
	expect_error(&b, 64 * MIB, 0, longline, "at most 255");
	b = bz_default;
	b.pref = 0x80000;
	b.relocatable = 0;
	expect_error(&b, 64 * MIB, 0, NULL, "below 1 MiB");
	/* RAM at 4 GiB is there, but outside the 4 GiB identity map. */
	b = bz_default;
	b.pref = 0x100000000ull;
	expect_error(&b, 8192 * MIB, 0, NULL, "beyond the first 4 GiB");
}

static void test_not_a_kernel(void **state)
{
	(void)state;
	static const uint8_t junk[4096] = { 1, 2, 3 };
	struct run r;

	assert_false(linuxboot_is_bzimage(junk, sizeof(junk)));
	assert_false(linuxboot_is_vmlinux(junk, sizeof(junk)));
	load(&r, 16 * MIB, junk, sizeof(junk), NULL, 0, NULL);
	assert_int_equal(r.rc, -1);
	assert_non_null(strstr(r.err, "neither"));
	ram_destroy(r.ram);
}

/* An ELF64 vmlinux: one PT_LOAD of 0x2000 bytes (0x3000 in memory) at
 * physical 0x1000000, virtual 0xffffffff81000000. */
static uint8_t *make_vmlinux(uint64_t entry, size_t *size)
{
	size_t n = 0x1000 + 0x2000;
	uint8_t *e = calloc(1, n);

	assert_non_null(e);
	memcpy(e, "\177ELF", 4);
	e[4] = 2;                           /* ELFCLASS64 */
	e[5] = 1;                           /* little-endian */
	e[6] = 1;                           /* EV_CURRENT */
	put16(e + 16, 2);                   /* ET_EXEC */
	put16(e + 18, 62);                  /* EM_X86_64 */
	put32(e + 20, 1);
	put64(e + 24, entry);
	put64(e + 32, 64);                  /* e_phoff */
	put16(e + 52, 64);                  /* e_ehsize */
	put16(e + 54, 56);                  /* e_phentsize */
	put16(e + 56, 1);                   /* e_phnum */
	put32(e + 64, 1);                   /* PT_LOAD */
	put32(e + 68, 5);
	put64(e + 72, 0x1000);              /* p_offset */
	put64(e + 80, 0xffffffff81000000ull);
	put64(e + 88, 0x1000000);
	put64(e + 96, 0x2000);              /* p_filesz */
	put64(e + 104, 0x3000);             /* p_memsz */
	for (size_t i = 0; i < 0x2000; i++)
		e[0x1000 + i] = pm_byte(i);
	*size = n;
	return e;
}

static void test_vmlinux(void **state)
{
	(void)state;
	static const uint64_t entries[] = {
		0x1000040, 0xffffffff81000040ull,  /* physical, virtual */
	};

	for (size_t i = 0; i < 2; i++) {
		struct run r;
		size_t ksize;
		uint8_t *k = make_vmlinux(entries[i], &ksize);
		const uint8_t *bp;

		assert_true(linuxboot_is_vmlinux(k, ksize));
		assert_false(linuxboot_is_bzimage(k, ksize));
		load(&r, 64 * MIB, k, ksize, NULL, 0, "root=/dev/vda");
		assert_int_equal(r.rc, 0);
		assert_true(r.boot.vmlinux && r.boot.long_mode);
		assert_int_equal(r.boot.entry, 0x1000040);
		assert_int_equal(r.boot.kernel_start, 0x1000000);
		assert_int_equal(r.boot.kernel_end, 0x1003000);
		assert_int_equal(at(&r, 0x1001fff, 1)[0], pm_byte(0x1fff));
		assert_int_equal(at(&r, 0x1002000, 1)[0], 0);  /* bss */
		bp = at(&r, r.boot.params, 4096);
		assert_int_equal(get16(bp + 0x1fe), 0xaa55);
		assert_memory_equal(bp + 0x202, "HdrS", 4);
		assert_int_equal(bp[0x210], 0xff);
		assert_string_equal((const char *)at(&r, get32(bp + 0x228), 14),
				    "root=/dev/vda");
		assert_int_equal(get64(bp + 0x70), 0xe0000);
		ram_destroy(r.ram);
		free(k);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bzimage_64),
		cmocka_unit_test(test_bzimage_32),
		cmocka_unit_test(test_load_address),
		cmocka_unit_test(test_initrd_addr_max),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_not_a_kernel),
		cmocka_unit_test(test_vmlinux),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
