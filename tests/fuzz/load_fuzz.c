/* Structured fuzzer for the kernel loaders. From a seed it builds valid
 * kernels in memory (a multiboot ELF32, a multiboot ELF64, a multiboot
 * raw image with address fields, a bzImage of each boot protocol
 * version the loader supports, an x86-64 ELF vmlinux, and the test
 * kernels in build/roms when they exist), mutates their header fields
 * with values chosen to sit on the edges (0, -1, sign bits, the file's
 * size, the RAM's size), truncates and grows them, varies RAM, initrd,
 * modules and command line, and loads each mutant in this process.
 * Every load must either succeed, leaving guest RAM as the Multiboot
 * Specification 0.6.96 or the Linux boot protocol (boot.rst) says, or
 * fail with one non-empty line; nothing may crash, leak, allocate
 * absurdly or take long (the sanitizers and a per-case clock watch).
 *   load_fuzz [--cases N] [--seed S] [--case K [--dump DIR]] [-v]
 * --case K reruns case K alone and prints what it did; --dump writes
 * that case's kernel and initrd as files. */
#include <errno.h>
#include <glob.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cpu/cpu.h"
#include "platform/boot.h"
#include "platform/e820.h"
#include "platform/elf.h"
#include "platform/firmware.h"
#include "platform/le.h"
#include "platform/linuxboot.h"
#include "platform/loader.h"
#include "platform/multiboot.h"
#include "platform/ram.h"
#include "tests/fuzz/load_oracle.h"
#include "tests/fuzz/load_seeds.h"
#include "util/log.h"

#define MIB (1ull << 20)
#define DEFAULT_CASES 15000
#define DEFAULT_SEED 1
#define CASE_SECONDS_MAX 3.0    /* a load slower than this is a failure */
#define CASE_ALARM 60           /* seconds: a hang ends the run */
#define ERR_LEN 512
#define KERNEL_MAX (4 * MIB)    /* largest mutant the fuzzer builds */
#define ROM_MAX (32 * MIB)      /* largest real kernel it reads */
#define INITRD_POOL (160 * MIB) /* initrd bytes are views into this */
#define MAX_MUTATIONS 6
#define MAX_ROMS 64

/* Tell ASan that a large malloc is a failure, not a success. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=0:max_allocation_size_mb=1024";
}

/* --- Seed kernels. --- */

enum seed_kind {
	SEED_MB_ELF32,   /* multiboot, ELF32 program headers */
	SEED_MB_ELF64,   /* multiboot, ELF64 program headers */
	SEED_MB_RAW,     /* multiboot, address fields (flag 16) */
	SEED_BZIMAGE,    /* Linux bzImage */
	SEED_VMLINUX,    /* x86-64 ELF vmlinux */
	SEED_ROM,        /* a test kernel from build/roms */
	SEED_KINDS,
};

static const char *const seed_names[SEED_KINDS] = {
	"multiboot-elf32", "multiboot-elf64", "multiboot-raw", "bzimage",
	"vmlinux", "rom",
};

/* The real kernels, read once: the test kernels, and Debian's Linux
 * when linux.mk has fetched it. */
static struct buf roms[MAX_ROMS];
static unsigned nroms;

static void read_roms(void)
{
	static const char *const patterns[] = {
		"build/roms/tests/*.elf", "build/roms/demo/*.elf",
		"build/roms/bench/*.elf", "build/linux/vmlinuz",
	};
	char err[ERR_LEN];

	for (unsigned d = 0; d < sizeof(patterns) / sizeof(patterns[0]);
	     d++) {
		glob_t g;

		if (glob(patterns[d], 0, NULL, &g) != 0)
			continue;
		for (size_t i = 0; i < g.gl_pathc && nroms < MAX_ROMS; i++) {
			uint8_t *data;
			size_t size;

			if (loader_read_file("kernel", g.gl_pathv[i], NULL, &data,
					     &size, err, sizeof(err)) != 0)
				continue;
			if (size > ROM_MAX) {
				free(data);
				continue;
			}
			roms[nroms].p = data;
			roms[nroms].n = roms[nroms].cap = size;
			nroms++;
		}
		globfree(&g);
	}
}

/* --- Mutations. --- */

/* A header field: offset and width in the file. */
struct field {
	size_t off;
	unsigned width;
	const char *name;
};

#define MAX_FIELDS 96

struct fields {
	struct field f[MAX_FIELDS];
	unsigned n;
};

static void add_field(struct fields *fs, size_t size, size_t off,
		      unsigned width, const char *name)
{
	if (fs->n < MAX_FIELDS && off <= size && width <= size - off)
		fs->f[fs->n++] = (struct field){ off, width, name };
}

/* Offset of the first multiboot magic in the search area, or -1. */
static long find_mb(const struct buf *b)
{
	size_t limit = b->n < MULTIBOOT_SEARCH ? b->n : MULTIBOOT_SEARCH;

	for (size_t off = 0; off + 4 <= limit; off += 4)
		if (le32_get(b->p + off) == MULTIBOOT_HEADER_MAGIC)
			return (long)off;
	return -1;
}

/* The fields a mutation may aim at, found in the image as it is now. */
static void collect_fields(const struct buf *b, struct fields *fs)
{
	long mb = find_mb(b);

	fs->n = 0;
	if (b->n >= 20 && elf_is_elf(b->p, b->n)) {
		bool is64 = b->p[4] == 2;
		uint64_t phoff = 0;
		unsigned phent = 0, phnum = 0;

		add_field(fs, b->n, 4, 1, "EI_CLASS");
		add_field(fs, b->n, 5, 1, "EI_DATA");
		add_field(fs, b->n, 6, 1, "EI_VERSION");
		add_field(fs, b->n, 16, 2, "e_type");
		add_field(fs, b->n, 18, 2, "e_machine");
		if (is64 && b->n >= 64) {
			add_field(fs, b->n, 24, 8, "e_entry");
			add_field(fs, b->n, 32, 8, "e_phoff");
			add_field(fs, b->n, 54, 2, "e_phentsize");
			add_field(fs, b->n, 56, 2, "e_phnum");
			phoff = le64_get(b->p + 32);
			phent = le16_get(b->p + 54);
			phnum = le16_get(b->p + 56);
		} else if (!is64 && b->n >= 52) {
			add_field(fs, b->n, 24, 4, "e_entry");
			add_field(fs, b->n, 28, 4, "e_phoff");
			add_field(fs, b->n, 42, 2, "e_phentsize");
			add_field(fs, b->n, 44, 2, "e_phnum");
			phoff = le32_get(b->p + 28);
			phent = le16_get(b->p + 42);
			phnum = le16_get(b->p + 44);
		}
		if (phnum > 4)
			phnum = 4;
		for (unsigned i = 0; i < phnum && phent &&
		     phoff < b->n; i++) {
			size_t h = (size_t)phoff + (size_t)i * phent;

			if (is64) {
				add_field(fs, b->n, h, 4, "p_type");
				add_field(fs, b->n, h + 8, 8, "p_offset");
				add_field(fs, b->n, h + 16, 8, "p_vaddr");
				add_field(fs, b->n, h + 24, 8, "p_paddr");
				add_field(fs, b->n, h + 32, 8, "p_filesz");
				add_field(fs, b->n, h + 40, 8, "p_memsz");
			} else {
				add_field(fs, b->n, h, 4, "p_type");
				add_field(fs, b->n, h + 4, 4, "p_offset");
				add_field(fs, b->n, h + 8, 4, "p_vaddr");
				add_field(fs, b->n, h + 12, 4, "p_paddr");
				add_field(fs, b->n, h + 16, 4, "p_filesz");
				add_field(fs, b->n, h + 20, 4, "p_memsz");
			}
		}
	}
	if (mb >= 0) {
		static const char *const names[] = {
			"mb flags", "mb checksum", "mb header_addr",
			"mb load_addr", "mb load_end_addr", "mb bss_end_addr",
			"mb entry_addr", "mb mode_type", "mb width",
			"mb height", "mb depth",
		};

		for (unsigned i = 0; i < 11; i++)
			add_field(fs, b->n, (size_t)mb + 4 + 4 * i, 4,
				  names[i]);
	}
	if (b->n >= LH_HEADER + 4 && le32_get(b->p + LH_HEADER) == LINUX_HDRS) {
		add_field(fs, b->n, LH_SETUP_SECTS, 1, "setup_sects");
		add_field(fs, b->n, LH_SYSSIZE, 4, "syssize");
		add_field(fs, b->n, LH_BOOT_FLAG, 2, "boot_flag");
		add_field(fs, b->n, LH_JUMP + 1, 1, "jump");
		add_field(fs, b->n, LH_VERSION, 2, "version");
		add_field(fs, b->n, LH_LOADFLAGS, 1, "loadflags");
		add_field(fs, b->n, LH_CODE32_START, 4, "code32_start");
		add_field(fs, b->n, LH_RAMDISK_IMAGE, 4, "ramdisk_image");
		add_field(fs, b->n, LH_RAMDISK_SIZE, 4, "ramdisk_size");
		add_field(fs, b->n, LH_CMD_LINE_PTR, 4, "cmd_line_ptr");
		add_field(fs, b->n, LH_INITRD_ADDR_MAX, 4, "initrd_addr_max");
		add_field(fs, b->n, LH_KERNEL_ALIGNMENT, 4,
			  "kernel_alignment");
		add_field(fs, b->n, LH_RELOCATABLE_KERNEL, 1,
			  "relocatable_kernel");
		add_field(fs, b->n, LH_RELOCATABLE_KERNEL + 1, 1,
			  "min_alignment");
		add_field(fs, b->n, LH_XLOADFLAGS, 2, "xloadflags");
		add_field(fs, b->n, LH_CMDLINE_SIZE, 4, "cmdline_size");
		add_field(fs, b->n, LH_PREF_ADDRESS, 8, "pref_address");
		add_field(fs, b->n, LH_INIT_SIZE, 4, "init_size");
	}
}

/* An edge value for a field of width bytes, given the file and RAM
 * sizes and the field's current value. */
static uint64_t edge_value(struct rng *r, unsigned width, uint64_t cur,
			   uint64_t fsize, uint64_t rsize)
{
	static const uint64_t fixed[] = {
		0, 1, 2, 0x7f, 0x80, 0xff, 0xfff, 0x1000, 0x7fff, 0x8000,
		0xffff, 0x10000, 0xfffff, 0x100000, 0x1000000, 0x7fffffff,
		0x80000000, 0xfffff000, 0xffffffff, 0x100000000ull,
		0x7fffffffffffffffull, 0x8000000000000000ull, UINT64_MAX,
		0xfffffffffffff000ull, 0x9fc00, 0xa0000, 0xe0000, 0xf2000,
		0xe0000000ull, 0xc0000000ull, 0x37ffffff,
	};
	uint64_t v;

	switch (rng_below64(r, 8)) {
	case 0:
	case 1:
		v = fixed[rng_below64(r, sizeof(fixed) / sizeof(fixed[0]))];
		break;
	case 2:
		v = fsize + rng_below64(r, 5) - 2;
		break;
	case 3:
		v = rsize + (rng_chance(r, 50) ? rng_below64(r, 3) - 1 :
			     rng_below64(r, 3) * 0x1000 - 0x1000);
		break;
	case 4:
		v = cur + rng_below64(r, 9) - 4;
		break;
	case 5:
		v = cur ^ (1ull << rng_below64(r, 8 * width));
		break;
	case 6:
		v = rng_chance(r, 50) ? cur * 2 : cur + rng_below64(r, 3) *
			0x1000 - 0x1000;
		break;
	default:
		v = rng_next(r);
		break;
	}
	return v;
}

/* Recomputes the multiboot checksum so that the other header fields
 * get tested, not only the checksum check. */
static void fix_mb_checksum(struct buf *b)
{
	long mb = find_mb(b);

	if (mb >= 0 && (size_t)mb + 12 <= b->n)
		put_le(b->p + mb + 8, 4, (uint32_t)-(MULTIBOOT_HEADER_MAGIC +
					     le32_get(b->p + mb + 4)));
}

/* Many program headers: the first one repeated count times, for the
 * cost of loading many (and many overlapping) segments. */
static void grow_phdrs(struct rng *r, struct buf *b, uint64_t rsize,
		       char *desc, size_t dlen)
{
	bool is64, big = rng_chance(r, 50);
	uint64_t phoff;
	unsigned phent, count;
	size_t table;

	if (b->n < 64 || !elf_is_elf(b->p, b->n))
		return;
	is64 = b->p[4] == 2;
	phoff = is64 ? le64_get(b->p + 32) : le32_get(b->p + 28);
	phent = is64 ? 56 : 32;
	if (phoff > b->n || phent > b->n - phoff)
		return;
	count = rng_chance(r, 50) ? (unsigned)rng_below64(r, 300) + 2 :
		(unsigned)rng_below64(r, 0xffff) + 1;
	table = (size_t)count * phent;
	if (b->n + table > KERNEL_MAX)
		return;
	buf_resize(b, b->n + table);
	for (unsigned i = 0; i < count; i++) {
		uint8_t *h = b->p + b->n - table + (size_t)i * phent;

		memcpy(h, b->p + phoff, phent);
		/* Segments as big as half the RAM, all at one place. */
		if (big)
			put_le(h + (is64 ? 40 : 20), is64 ? 8 : 4, rsize / 2);
	}
	if (is64) {
		put_le(b->p + 32, 8, b->n - table);
		put_le(b->p + 54, 2, phent);
		put_le(b->p + 56, 2, count);
	} else {
		put_le(b->p + 28, 4, b->n - table);
		put_le(b->p + 42, 2, phent);
		put_le(b->p + 44, 2, count);
	}
	snprintf(desc, dlen, "%u copies of program header 0%s", count,
		 big ? ", p_memsz half the RAM" : "");
}

/* One mutation; desc says which, for the log of --case. */
static void mutate(struct rng *r, struct buf *b, uint64_t rsize, char *desc,
		   size_t dlen)
{
	struct fields fs;
	unsigned kind = (unsigned)rng_below64(r, 100);

	desc[0] = '\0';
	if (b->n == 0)
		return;
	if (kind < 45) {
		collect_fields(b, &fs);
		if (fs.n) {
			const struct field *f = &fs.f[rng_below64(r, fs.n)];
			uint64_t cur = get_le(b->p + f->off, f->width);
			uint64_t v = edge_value(r, f->width, cur, b->n, rsize);

			put_le(b->p + f->off, f->width, v);
			if (f->off >= 4 && strncmp(f->name, "mb ", 3) == 0 &&
			    strcmp(f->name, "mb checksum") != 0 &&
			    rng_chance(r, 85))
				fix_mb_checksum(b);
			snprintf(desc, dlen, "%s = 0x%llx", f->name,
				 (unsigned long long)get_le(b->p + f->off,
							     f->width));
			return;
		}
	}
	if (kind < 60) {
		/* A bit flip, mostly in the headers. */
		size_t span = b->n < 0x300 || rng_chance(r, 20) ? b->n : 0x300;
		size_t off = (size_t)rng_below64(r, span);
		unsigned bit = (unsigned)rng_below64(r, 8);

		b->p[off] ^= (uint8_t)(1u << bit);
		snprintf(desc, dlen, "flip bit %u of byte 0x%zx", bit, off);
		if (rng_chance(r, 50))
			fix_mb_checksum(b);
	} else if (kind < 72) {
		/* Truncation, often just inside a header. */
		static const size_t cuts[] = {
			0, 1, 3, 4, 15, 16, 51, 52, 63, 64, 100, 0x1f1,
			0x205, 0x206, 0x23b, 0x23c, 0x263, 0x264, 0x26b,
			0x3ff, 0x400, 0x401, 0x5ff, 0x600, 0x601,
		};
		size_t n = rng_chance(r, 50) ?
			cuts[rng_below64(r, sizeof(cuts) / sizeof(cuts[0]))] :
			(size_t)rng_below64(r, b->n + 1);

		if (n < b->n)
			b->n = n;
		snprintf(desc, dlen, "truncate to 0x%zx bytes", b->n);
	} else if (kind < 78) {
		/* Grow: zeros or random bytes after the end. */
		size_t add = rng_chance(r, 70) ? (size_t)rng_below64(r, 0x2000) :
			(size_t)rng_below64(r, 0x100000);
		size_t old = b->n;
		bool noise = rng_chance(r, 50);

		buf_resize(b, b->n + add);
		for (size_t i = old; noise && i < b->n; i++)
			b->p[i] = (uint8_t)rng_next(r);
		snprintf(desc, dlen, "grow by 0x%zx bytes", add);
	} else if (kind < 84) {
		grow_phdrs(r, b, rsize, desc, dlen);
	} else if (kind < 90) {
		/* A second multiboot header, maybe valid, elsewhere. */
		size_t limit =
			b->n < MULTIBOOT_SEARCH ? b->n : MULTIBOOT_SEARCH;
		size_t off = (size_t)rng_below64(r, limit / 4 + 1) * 4;

		if (off + 32 <= b->n) {
			put_mb_header(b->p + off, (uint32_t)rng_next(r) &
				      (rng_chance(r, 50) ? 0x10007 :
				       0xffffffff));
			for (unsigned i = 12; i < 32; i += 4)
				if (rng_chance(r, 50))
					put_le(b->p + off + i, 4,
					       edge_value(r, 4, 0, b->n,
							  rsize));
			if (rng_chance(r, 20))
				b->p[off + 8] ^= 1;
			snprintf(desc, dlen, "multiboot header at 0x%zx", off);
		}
	} else {
		/* A run of random bytes in the headers. */
		size_t span = b->n < 0x300 ? b->n : 0x300;
		size_t off = (size_t)rng_below64(r, span);
		size_t len = 1 + (size_t)rng_below64(r, 16);

		for (size_t i = off; i < off + len && i < b->n; i++)
			b->p[i] = (uint8_t)rng_next(r);
		snprintf(desc, dlen, "random bytes at 0x%zx+%zu", off, len);
	}
}

/* --- The environment of a load: RAM, initrd, modules, command line. --- */

static uint8_t *initrd_pool;
static char tmpdir[256];
static char cmdline_buf[0x70000];

static const uint64_t ram_sizes[] = {
	1 * MIB, 2 * MIB, 4 * MIB, 16 * MIB, 17 * MIB + 4096,
	32 * MIB, 64 * MIB, 64 * MIB, 64 * MIB, 128 * MIB,
};

static uint64_t pick_ram(struct rng *r)
{
	/* Now and then a machine with RAM above 4 GiB, or with less RAM
	 * than the firmware needs (which -m does not allow). */
	if (rng_chance(r, 1))
		return rng_chance(r, 30) ? RAM_SPLIT + 64 * MIB : 512 * 1024;
	return ram_sizes[rng_below64(r,
				   sizeof(ram_sizes) / sizeof(ram_sizes[0]))];
}

static size_t pick_initrd_size(struct rng *r, uint64_t rsize)
{
	static const size_t small[] = { 0, 1, 2, 511, 4095, 4096, 4097,
					65536, 0x200001 };
	size_t n;

	switch (rng_below64(r, 10)) {
	case 0:
		n = (size_t)rsize + (size_t)rng_below64(r, 3) * 4096 - 4096;
		break;
	case 1:
		n = (size_t)rsize / 2 + (size_t)rng_below64(r, 8192);
		break;
	case 2:
	case 3:
	case 4:
		n = (size_t)rng_below64(r, 4 * MIB);
		break;
	default:
		n = small[rng_below64(r, sizeof(small) / sizeof(small[0]))];
		break;
	}
	return n > INITRD_POOL ? INITRD_POOL : n;
}

static const char *pick_cmdline(struct rng *r)
{
	static const char *const fixed[] = {
		"", "console=ttyS0", "root=/dev/vda console=ttyS0 quiet",
		" ", "a=\"b c\" \\", "\xff\xfe\x01\t",
	};
	size_t n;

	if (rng_chance(r, 20))
		return NULL;
	if (rng_chance(r, 60))
		return fixed[rng_below64(r, sizeof(fixed) / sizeof(fixed[0]))];
	switch (rng_below64(r, 4)) {
	case 0:
		n = (size_t)rng_below64(r, 300);
		break;
	case 1:
		n = 2047 + (size_t)rng_below64(r, 3) - 1;
		break;
	case 2:
		n = (size_t)(LINUXBOOT_CMDLINE_END - LINUXBOOT_CMDLINE) +
		    (size_t)rng_below64(r, 5) - 3;
		break;
	default:
		n = (size_t)rng_below64(r, sizeof(cmdline_buf) - 1);
		break;
	}
	for (size_t i = 0; i < n; i++)
		cmdline_buf[i] = (char)('a' + (i % 26));
	cmdline_buf[n] = '\0';
	return cmdline_buf;
}

/* Module files in tmpdir, and lists of them in -initrd's syntax. */
static const struct {
	const char *name;
	size_t size;
} module_files[] = {
	{ "m0", 0 }, { "m1", 1 }, { "m2", 4097 }, { "m3", 3 * MIB },
	{ "m,4", 100 },
};

static char module_list[8192];

static const char *pick_modules(struct rng *r)
{
	size_t pos = 0;
	unsigned n;

	if (rng_chance(r, 60))
		return NULL;
	switch (rng_below64(r, 8)) {
	case 0:
		return "";
	case 1:
		return ",";
	case 2:
		snprintf(module_list, sizeof(module_list), " %s/m1", tmpdir);
		return module_list;
	case 3:
		snprintf(module_list, sizeof(module_list), "%s/missing",
			 tmpdir);
		return module_list;
	case 4:
		/* A name longer than any path buffer. */
		n = (unsigned)rng_below64(r, sizeof(module_list) - 16);
		memset(module_list, 'x', n);
		module_list[n] = '\0';
		return module_list;
	default:
		break;
	}
	n = 1 + (unsigned)rng_below64(r, 4);
	for (unsigned i = 0; i < n && pos < sizeof(module_list) - 512; i++) {
		unsigned m = (unsigned)rng_below64(r, sizeof(module_files) /
						  sizeof(module_files[0]));

		pos += (size_t)snprintf(module_list + pos,
					sizeof(module_list) - pos, "%s%s/%s%s",
					i ? "," : "", tmpdir,
					m == 4 ? "m,,4" : module_files[m].name,
					rng_chance(r, 30) ? " arg=1 x" : "");
	}
	if (rng_chance(r, 10))
		snprintf(module_list + pos, sizeof(module_list) - pos, ",");
	return module_list;
}

static void write_file(const char *path, const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f)) {
		fprintf(stderr, "load_fuzz: cannot write %s: %s\n", path,
			strerror(errno));
		exit(2);
	}
}

static void make_tmpdir(void)
{
	const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";

	snprintf(tmpdir, sizeof(tmpdir), "%s/load_fuzz.XXXXXX", base);
	if (!mkdtemp(tmpdir)) {
		fprintf(stderr, "load_fuzz: mkdtemp: %s\n", strerror(errno));
		exit(2);
	}
	for (unsigned i = 0; i < sizeof(module_files) / sizeof(module_files[0]);
	     i++) {
		char path[512];

		snprintf(path, sizeof(path), "%s/%s", tmpdir,
			 module_files[i].name);
		write_file(path, initrd_pool, module_files[i].size);
	}
}

static void remove_tmpdir(void)
{
	char path[512];

	for (unsigned i = 0; i < sizeof(module_files) / sizeof(module_files[0]);
	     i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir,
			 module_files[i].name);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/kernel", tmpdir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/initrd", tmpdir);
	unlink(path);
	rmdir(tmpdir);
}

/* --- One case. --- */

struct stats {
	unsigned long inputs, accepted, rejected, failures;
	double slowest;
	unsigned long slowest_case;
};

static volatile sig_atomic_t current_case;

/* A hung load: say which case, with async-signal-safe calls only. */
static void on_alarm(int sig)
{
	static const char msg[] = "FAIL: load_fuzz: a load hangs; case ";
	char num[24];
	size_t i = sizeof(num);
	unsigned long n = (unsigned long)current_case;

	(void)sig;
	num[--i] = '\n';
	do {
		num[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0 ||
	    write(STDOUT_FILENO, num + i, sizeof(num) - i) < 0)
		_exit(3);
	_exit(3);
}

/* The sanitizers' last words: which case it was. And a leak check
 * before the summary, so that a leak counts as a failure there too. */
void __sanitizer_set_death_callback(void (*callback)(void))
	__attribute__((weak));
int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

static bool all_cases_run;

static void on_death(void)
{
	if (all_cases_run)
		return;
	printf("FAIL: load_fuzz: the sanitizer stopped case %lu\n",
	       (unsigned long)current_case);
	fflush(stdout);
	remove_tmpdir();
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

struct options {
	unsigned long cases;
	uint64_t seed;
	long only;           /* --case, or -1 */
	const char *dump;    /* --dump DIR */
	bool verbose;
};

/* One mutant and the machine it is loaded into. */
struct mutant {
	enum seed_kind kind;
	bool linux_seed;        /* the seed is a Linux kernel */
	struct buf *k;          /* the kernel image */
	uint64_t rsize;         /* guest RAM */
	const char *kernel;     /* its name in messages */
	const char *append;     /* command line, or NULL */
	const char *modules;    /* multiboot -initrd list, or NULL */
	const uint8_t *initrd;  /* Linux initrd, or NULL */
	size_t isize;
	bool use_boot_load;     /* through files and boot_load() */
	bool force;             /* the loader of the seed's kind, whatever
				   the image now looks like */
	unsigned nmut;
	char descs[MAX_MUTATIONS][160];
};

/* Case n of the seed: everything about it comes from one stream. */
static void make_mutant(const struct options *o, unsigned long n,
			struct mutant *m, struct buf *k)
{
	struct rng r;

	rng_seed(&r, o->seed * 0x2545f4914f6cdd1dull + n);

	memset(m, 0, sizeof(*m));
	m->k = k;
	m->kind = (enum seed_kind)rng_below64(&r, SEED_KINDS);
	m->rsize = pick_ram(&r);
	m->kernel = "kernel";
	switch (m->kind) {
	case SEED_MB_ELF32:
		seed_elf(k, false, true, 0x100000, 0x100000);
		break;
	case SEED_MB_ELF64:
		seed_elf(k, true, true, 0x100000, rng_chance(&r, 50) ?
			 0x100000 : 0xffffffff80100000ull);
		break;
	case SEED_MB_RAW:
		seed_raw(k, &r);
		break;
	case SEED_BZIMAGE:
		seed_bzimage(k, &r);
		break;
	case SEED_VMLINUX:
		seed_elf(k, true, false, 0x1000000, rng_chance(&r, 50) ?
			 0x1000000 : 0xffffffff81000000ull);
		break;
	default:
		if (nroms == 0) {
			seed_elf(k, false, true, 0x100000, 0x100000);
		} else {
			const struct buf *rom = &roms[rng_below64(&r, nroms)];

			buf_resize(k, 0);
			buf_resize(k, rom->n);
			memcpy(k->p, rom->p, rom->n);
		}
		break;
	}
	m->linux_seed =
		m->kind == SEED_BZIMAGE || m->kind == SEED_VMLINUX ||
		(m->kind == SEED_ROM && linuxboot_is_bzimage(k->p, k->n));
	m->nmut = rng_chance(&r, 5) ? 0 :
		  1 + (unsigned)rng_below64(&r, MAX_MUTATIONS);
	for (unsigned i = 0; i < m->nmut; i++)
		mutate(&r, k, m->rsize, m->descs[i], sizeof(m->descs[i]));
	m->append = pick_cmdline(&r);
	if (m->linux_seed || rng_chance(&r, 10)) {
		if (rng_chance(&r, 60)) {
			m->isize = pick_initrd_size(&r, m->rsize);
			m->initrd = initrd_pool;
		}
	} else {
		m->modules = pick_modules(&r);
	}
	if (rng_chance(&r, 3))
		m->kernel = "a-kernel-with-a-rather-long-name-that-appears-in-"
			    "every-message-the-loaders-write-about-it.bin";
	m->use_boot_load = rng_chance(&r, 12);
	/* Big initrds through files only now and then: writing them
	 * costs more than loading them. */
	if (m->use_boot_load && m->isize > 4 * MIB && !rng_chance(&r, 10))
		m->isize = 4 * MIB;
	m->force = rng_chance(&r, 10);
}

static void print_mutant(unsigned long n, const struct mutant *m)
{
	printf("case %lu: %s, %zu bytes, RAM 0x%llx, initrd %s 0x%zx, "
	       "modules %s, command line %zu bytes%s\n", n,
	       seed_names[m->kind], m->k->n, (unsigned long long)m->rsize,
	       m->initrd ? "yes" : "no", m->isize,
	       m->modules ? (strlen(m->modules) < 200 ? m->modules : "(long)") :
	       "none", m->append ? strlen(m->append) : 0,
	       m->use_boot_load ? ", through boot_load" :
	       m->force ? ", forced loader" : "");
	for (unsigned i = 0; i < m->nmut; i++)
		printf("  %s\n", m->descs[i]);
	fflush(stdout);
}

/* The load, as boot_load() does it: firmware first, then the kernel by
 * its kind; or boot_load() itself on files. */
static int load_mutant(struct mutant *m, struct ram *ram,
		       struct code_cache *cc, struct boot *boot, char *err,
		       size_t errlen)
{
	static char kpath[300], ipath[300];
	const struct buf *k = m->k;
	struct firmware_config fc = { .ncpus = 1 };
	struct firmware_info fw;
	bool mb, lx;

	if (m->use_boot_load) {
		struct boot_config bc = { .kernel = kpath, .append = m->append,
					  .initrd = m->modules, .ncpus = 1 };

		snprintf(kpath, sizeof(kpath), "%s/kernel", tmpdir);
		write_file(kpath, k->p, k->n);
		m->kernel = kpath;
		if (m->initrd) {
			snprintf(ipath, sizeof(ipath), "%s/initrd", tmpdir);
			write_file(ipath, m->initrd, m->isize);
			bc.initrd = ipath;
		}
		return boot_load(ram, cc, &bc, boot, err, errlen);
	}
	if (firmware_install(ram, cc, &fc, &fw, err, errlen) != 0)
		return -1;
	mb = multiboot_probe(k->p, k->n);
	lx = linuxboot_is_bzimage(k->p, k->n) ||
	     linuxboot_is_vmlinux(k->p, k->n);
	if (m->force) {
		mb = !m->linux_seed;
		lx = m->linux_seed;
	}
	if (mb) {
		struct multiboot_config mc = {
			.kernel = m->kernel, .append = m->append,
			.initrd = m->modules, .loader_name = "vmxsim",
		};

		boot->kind = BOOT_MULTIBOOT;
		return multiboot_load(ram, cc, &mc, k->p, k->n,
				      &boot->multiboot, err, errlen);
	}
	if (lx) {
		struct linuxboot_config lc = {
			.kernel = m->kernel, .append = m->append,
			.initrd = m->initrd ? "initrd" : NULL,
			.rsdp = fw.rsdp,
		};

		boot->kind = BOOT_LINUX;
		return linuxboot_load(ram, cc, &lc, k->p, k->n, m->initrd,
				      m->isize, &boot->linuxboot, err, errlen);
	}
	/* boot_load()'s own refusal. */
	snprintf(err, errlen, "not a kernel");
	return -1;
}

static void run_case(const struct options *o, unsigned long n,
		     struct stats *st, struct buf *k)
{
	struct mutant m;
	char err[ERR_LEN], msg[1024], path[300];
	struct load_check c = { msg, sizeof(msg), false };
	struct ram *ram;
	struct code_cache *cc;
	struct boot boot;
	double t0, dt;
	int rc;

	make_mutant(o, n, &m, k);
	if (o->verbose || o->only >= 0)
		print_mutant(n, &m);
	if (o->dump) {
		snprintf(path, sizeof(path), "%s/kernel", o->dump);
		write_file(path, k->p, k->n);
		if (m.initrd) {
			snprintf(path, sizeof(path), "%s/initrd", o->dump);
			write_file(path, m.initrd, m.isize);
		}
	}

	ram = ram_create(m.rsize, err, sizeof(err));
	cc = ram ? code_cache_create(ram_top(ram)) : NULL;
	if (!ram || !cc) {
		fprintf(stderr, "load_fuzz: case %lu: cannot create RAM: %s\n",
			n, err);
		exit(2);
	}
	err[0] = '\0';
	memset(&boot, 0, sizeof(boot));
	t0 = now();
	rc = load_mutant(&m, ram, cc, &boot, err, sizeof(err));
	dt = now() - t0;

	if (rc == 0) {
		st->accepted++;
		if (boot.kind == BOOT_MULTIBOOT)
			load_check_multiboot(&c, ram, &boot.multiboot, m.append,
					     m.kernel);
		else
			load_check_linux(&c, ram, &boot.linuxboot, k->p, k->n,
					 m.initrd, m.isize, m.append);
	} else if (rc == -1) {
		st->rejected++;
		load_check_message(&c, err, ERR_LEN,
				   m.modules && strlen(m.modules) > 300);
	} else {
		load_check(&c, false, "returned %d", rc);
	}
	load_check(&c, dt < CASE_SECONDS_MAX, "took %.2f s", dt);
	if (dt > st->slowest) {
		st->slowest = dt;
		st->slowest_case = n;
	}
	if (o->verbose || o->only >= 0)
		printf("  -> %s%.300s (%.3f s)\n", rc == 0 ? "accepted" :
		       "rejected: ", rc == 0 ? "" : err, dt);
	if (c.failed) {
		st->failures++;
		printf("FAIL case %lu (--seed %llu --case %lu): %s\n", n,
		       (unsigned long long)o->seed, n, msg);
		if (rc != 0)
			printf("  message: %.300s\n", err);
		fflush(stdout);
	}
	code_cache_destroy(cc);
	ram_destroy(ram);
	st->inputs++;
}

static void usage(void)
{
	fprintf(stderr, "usage: load_fuzz [--cases N] [--seed S] "
		"[--case K [--dump DIR]] [-v]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct options o = { DEFAULT_CASES, DEFAULT_SEED, -1, NULL, false };
	struct stats st = { 0 };
	struct buf k = { 0 };
	struct sigaction sa;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--cases") == 0 && i + 1 < argc)
			o.cases = strtoul(argv[++i], NULL, 0);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			o.seed = strtoull(argv[++i], NULL, 0);
		else if (strcmp(argv[i], "--case") == 0 && i + 1 < argc)
			o.only = strtol(argv[++i], NULL, 0);
		else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc)
			o.dump = argv[++i];
		else if (strcmp(argv[i], "-v") == 0)
			o.verbose = true;
		else
			usage();
	}
	if (o.dump && o.only < 0)
		usage();

	log_set_level(LOG_ERROR);
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(on_death);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	initrd_pool = malloc(INITRD_POOL);
	if (!initrd_pool) {
		fprintf(stderr, "load_fuzz: out of memory\n");
		return 2;
	}
	for (size_t i = 0; i < INITRD_POOL; i++)
		initrd_pool[i] = (uint8_t)(i * 131 + (i >> 12));
	make_tmpdir();
	read_roms();

	for (unsigned long n = o.only >= 0 ? (unsigned long)o.only : 0;
	     o.only >= 0 ? n == (unsigned long)o.only : n < o.cases; n++) {
		current_case = (sig_atomic_t)n;
		alarm(CASE_ALARM);
		run_case(&o, n, &st, &k);
		alarm(0);
	}

	all_cases_run = true;
	remove_tmpdir();
	free(k.p);
	for (unsigned i = 0; i < nroms; i++)
		free(roms[i].p);
	free(initrd_pool);
	if (__lsan_do_recoverable_leak_check &&
	    __lsan_do_recoverable_leak_check()) {
		printf("FAIL: memory leaked (the report is on stderr)\n");
		st.failures++;
	}
	printf("slowest case: %lu, %.3f s\n", st.slowest_case, st.slowest);
	printf("SUMMARY: load fuzz: %lu inputs, %lu accepted, %lu rejected, "
	       "%lu host failures\n", st.inputs, st.accepted, st.rejected,
	       st.failures);
	return st.failures ? 1 : 0;
}
