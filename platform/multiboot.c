/* Multiboot v1 loader (Multiboot Specification 0.6.96): finds the header,
 * loads an ELF32/ELF64 image by its program headers or a raw image by the
 * header's address fields (the "a.out kludge", flag 16), loads modules
 * after the kernel, and writes the information block after them, as QEMU
 * does. */
#include "platform/multiboot.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/e820.h"
#include "platform/elf.h"
#include "platform/le.h"
#include "platform/loader.h"
#include "util/log.h"

/* Multiboot header fields (spec 3.1), as offsets from the header. */
#define MBH_MAGIC 0
#define MBH_FLAGS 4
#define MBH_CHECKSUM 8
#define MBH_HEADER_ADDR 12
#define MBH_LOAD_ADDR 16
#define MBH_LOAD_END_ADDR 20
#define MBH_BSS_END_ADDR 24
#define MBH_ENTRY_ADDR 28
#define MBH_AOUT_SIZE 32
/* Header flags this loader understands among the required ones
 * (bits 0-15); others make it refuse the kernel (spec 3.1.2). */
#define MB_HDR_KNOWN (MB_HDR_PAGE_ALIGN | MB_HDR_MEMORY_INFO | \
		      MB_HDR_VIDEO_MODE)
#define MB_HDR_REQUIRED 0xffffu

/* Information block fields (spec 3.3), as offsets. */
#define MBI_FLAGS 0
#define MBI_MEM_LOWER 4
#define MBI_MEM_UPPER 8
#define MBI_CMDLINE 16
#define MBI_MODS_COUNT 20
#define MBI_MODS_ADDR 24
#define MBI_MMAP_LENGTH 44
#define MBI_MMAP_ADDR 48
#define MBI_BOOT_LOADER_NAME 64
#define MBI_SIZE 116
/* The memory map starts after the block, 8-byte aligned. */
#define MBI_MMAP_OFFSET 120
#define MMAP_ENTRY_SIZE 24 /* size field (4) + 20 bytes it counts */
#define MMAP_MAX E820_MAX_ENTRIES
#define MOD_ENTRY_SIZE 16

#define PAGE_ALIGN(x) (((x) + RAM_PAGE_SIZE - 1) & ~(RAM_PAGE_SIZE - 1))

struct mb_module {
	char *spec;     /* "file args": the module's command line */
	uint8_t *data;
	size_t size;
	uint64_t start;
};

struct mb_loader {
	struct loader ld;
	const struct multiboot_config *cfg;
	char *err;
	size_t errlen;
	uint64_t kstart, kend;
};

/* Copies filesz bytes and zeroes the rest up to memsz, telling the code
 * cache. */
static int mb_place(struct mb_loader *l, uint64_t pa, const uint8_t *src,
		    uint64_t filesz, uint64_t memsz, const char *what)
{
	return loader_place(&l->ld, pa, src, filesz, memsz, what);
}

static void mb_note_extent(struct mb_loader *l, uint64_t pa, uint64_t len)
{
	if (pa < l->kstart)
		l->kstart = pa;
	if (pa + len > l->kend)
		l->kend = pa + len;
}

/* Offset of the first valid header in the first 8 KiB (spec 3.1.1:
 * 32-bit aligned, magic + flags + checksum == 0), or -1. */
static long mb_find_header(struct mb_loader *l, const uint8_t *data,
			   size_t size)
{
	size_t limit = size < MULTIBOOT_SEARCH ? size : MULTIBOOT_SEARCH;
	long bad = -1;

	for (size_t off = 0; off + 12 <= limit; off += 4) {
		const uint8_t *h = data + off;

		if (le32_get(h + MBH_MAGIC) != MULTIBOOT_HEADER_MAGIC)
			continue;
		if ((uint32_t)(le32_get(h + MBH_MAGIC) +
			       le32_get(h + MBH_FLAGS) +
			       le32_get(h + MBH_CHECKSUM)) == 0)
			return (long)off;
		if (bad < 0)
			bad = (long)off;
	}
	if (bad >= 0)
		snprintf(l->err, l->errlen, "kernel '%s': the multiboot header "
			 "at offset 0x%lx has a bad checksum", l->cfg->kernel,
			 (unsigned long)bad);
	else
		snprintf(l->err, l->errlen, "kernel '%s' is not a multiboot "
			 "kernel (no multiboot header in its first 8 KiB)",
			 l->cfg->kernel);
	return -1;
}

/* Raw image placed by the header's address fields (spec 3.1.3). */
static int mb_load_aout(struct mb_loader *l, const uint8_t *data,
			size_t size, size_t hoff, uint32_t *entry)
{
	const uint8_t *h = data + hoff;
	const char *k = l->cfg->kernel;
	uint32_t header_addr, load_addr, load_end, bss_end;
	uint64_t file_off, load_len, mem_len;
	char what[300];

	if (size - hoff < MBH_AOUT_SIZE) {
		snprintf(l->err, l->errlen, "kernel '%s': multiboot header with "
			 "address fields (flag 16) is truncated", k);
		return -1;
	}
	header_addr = le32_get(h + MBH_HEADER_ADDR);
	load_addr = le32_get(h + MBH_LOAD_ADDR);
	load_end = le32_get(h + MBH_LOAD_END_ADDR);
	bss_end = le32_get(h + MBH_BSS_END_ADDR);
	*entry = le32_get(h + MBH_ENTRY_ADDR);

	/* The header's own address fixes where the file lands: the byte at
	 * file offset hoff goes to header_addr. */
	if (load_addr > header_addr || header_addr - load_addr > hoff) {
		snprintf(l->err, l->errlen, "kernel '%s': multiboot load_addr "
			 "0x%x does not fit header_addr 0x%x at file offset "
			 "0x%zx", k, load_addr, header_addr, hoff);
		return -1;
	}
	file_off = hoff - (header_addr - load_addr);
	if (load_end == 0) {
		load_len = size - file_off;
	} else {
		if (load_end < load_addr) {
			snprintf(l->err, l->errlen, "kernel '%s': multiboot "
				 "load_end_addr 0x%x is below load_addr 0x%x",
				 k, load_end, load_addr);
			return -1;
		}
		load_len = load_end - load_addr;
		if (load_len > size - file_off) {
			snprintf(l->err, l->errlen, "kernel '%s': multiboot load "
				 "range 0x%x-0x%x extends past the end of the "
				 "file", k, load_addr, load_end);
			return -1;
		}
	}
	mem_len = load_len;
	if (bss_end) {
		if (bss_end < load_addr + load_len) {
			snprintf(l->err, l->errlen, "kernel '%s': multiboot "
				 "bss_end_addr 0x%x is below the end of the "
				 "loaded image 0x%llx", k, bss_end,
				 (unsigned long long)(load_addr + load_len));
			return -1;
		}
		mem_len = bss_end - load_addr;
	}
	if (mem_len == 0) {
		snprintf(l->err, l->errlen, "kernel '%s': multiboot address "
			 "fields load nothing", k);
		return -1;
	}
	snprintf(what, sizeof(what), "kernel '%s'", k);
	if (mb_place(l, load_addr, data + file_off, load_len, mem_len, what))
		return -1;
	mb_note_extent(l, load_addr, mem_len);
	log_debug("multiboot", "raw image: file 0x%llx+0x%llx at 0x%x, "
		  "memory 0x%llx bytes", (unsigned long long)file_off,
		  (unsigned long long)load_len, load_addr,
		  (unsigned long long)mem_len);
	return 0;
}

/* ELF image loaded at its segments' physical addresses. The entry point
 * is a virtual address; like GRUB, translate it through the segment that
 * holds it. */
static int mb_load_elf(struct mb_loader *l, const uint8_t *data,
		       size_t size, uint32_t *entry)
{
	const char *k = l->cfg->kernel;
	struct elf_file e;
	struct elf_phdr ph;
	uint64_t entry_pa;
	bool entry_found = false;
	unsigned loaded = 0;
	char msg[256], what[300];

	if (elf_parse(&e, data, size, msg, sizeof(msg)) != 0) {
		snprintf(l->err, l->errlen, "kernel '%s': %s", k, msg);
		return -1;
	}
	if ((e.elf_class == ELF_CLASS32 && e.machine != ELF_EM_386) ||
	    (e.elf_class == ELF_CLASS64 && e.machine != ELF_EM_X86_64)) {
		snprintf(l->err, l->errlen, "kernel '%s': ELF machine %u is not "
			 "x86", k, e.machine);
		return -1;
	}
	if (e.type != ELF_ET_EXEC) {
		snprintf(l->err, l->errlen, "kernel '%s': ELF type %u is not an "
			 "executable", k, e.type);
		return -1;
	}
	if (elf_check_segments(&e, msg, sizeof(msg)) != 0) {
		snprintf(l->err, l->errlen, "kernel '%s': %s", k, msg);
		return -1;
	}
	entry_pa = e.entry;
	for (unsigned i = 0; i < e.phnum; i++) {
		if (elf_phdr(&e, i, &ph, msg, sizeof(msg)) != 0) {
			snprintf(l->err, l->errlen, "kernel '%s': %s", k, msg);
			return -1;
		}
		if (ph.type != ELF_PT_LOAD || ph.memsz == 0)
			continue;
		/* The kernel is loaded, and runs, in 32-bit physical
		 * memory (spec 3.2). */
		if (ph.paddr + (ph.memsz - 1) > UINT32_MAX) {
			snprintf(l->err, l->errlen, "kernel '%s' segment %u "
				 "(0x%llx-0x%llx) is outside RAM below 4 GiB, "
				 "where multiboot loads kernels", k, i,
				 (unsigned long long)ph.paddr,
				 (unsigned long long)(ph.paddr + ph.memsz - 1));
			return -1;
		}
		snprintf(what, sizeof(what), "kernel '%s' segment %u", k, i);
		if (mb_place(l, ph.paddr, data + ph.offset, ph.filesz,
			     ph.memsz, what))
			return -1;
		mb_note_extent(l, ph.paddr, ph.memsz);
		if (!entry_found && e.entry >= ph.vaddr &&
		    e.entry - ph.vaddr < ph.memsz) {
			entry_pa = e.entry - ph.vaddr + ph.paddr;
			entry_found = true;
		}
		loaded++;
		log_debug("multiboot", "segment %u: file 0x%llx+0x%llx at "
			  "0x%llx, memory 0x%llx bytes", i,
			  (unsigned long long)ph.offset,
			  (unsigned long long)ph.filesz,
			  (unsigned long long)ph.paddr,
			  (unsigned long long)ph.memsz);
	}
	if (loaded == 0) {
		snprintf(l->err, l->errlen, "kernel '%s': ELF file has no "
			 "loadable segments", k);
		return -1;
	}
	if (entry_pa > UINT32_MAX) {
		snprintf(l->err, l->errlen, "kernel '%s': entry point 0x%llx is "
			 "not below 4 GiB", k, (unsigned long long)entry_pa);
		return -1;
	}
	*entry = (uint32_t)entry_pa;
	return 0;
}

static void free_modules(struct mb_module *mods, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		free(mods[i].spec);
		free(mods[i].data);
	}
	free(mods);
}

/* Splits a QEMU-style -initrd list: entries separated by ',', where ",,"
 * is a literal comma. */
static int parse_modules(struct mb_loader *l, const char *list,
			 struct mb_module **out, unsigned *count)
{
	struct mb_module *mods;
	unsigned n = 1, i = 0;
	size_t len = strlen(list);
	char *cur;

	for (const char *p = list; *p; p++) {
		if (*p == ',' && p[1] == ',')
			p++;
		else if (*p == ',')
			n++;
	}
	mods = calloc(n, sizeof(*mods));
	if (!mods) {
		snprintf(l->err, l->errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		mods[i].spec = calloc(1, len + 1);
		if (!mods[i].spec) {
			free_modules(mods, n);
			snprintf(l->err, l->errlen, "out of memory");
			return -1;
		}
	}
	i = 0;
	cur = mods[0].spec;
	for (const char *p = list; *p; p++) {
		if (*p == ',' && p[1] == ',') {
			*cur++ = ',';
			p++;
		} else if (*p == ',') {
			cur = mods[++i].spec;
		} else {
			*cur++ = *p;
		}
	}
	for (i = 0; i < n; i++) {
		if (mods[i].spec[0] == '\0' || mods[i].spec[0] == ' ') {
			snprintf(l->err, l->errlen, "-initrd: module %u has no "
				 "file name", i + 1);
			free_modules(mods, n);
			return -1;
		}
	}
	*out = mods;
	*count = n;
	return 0;
}

/* Next free address at or after addr for len bytes, stepping over the
 * reserved BIOS area (where the firmware tables are). */
static uint64_t mb_next_free(uint64_t addr, uint64_t len)
{
	addr = PAGE_ALIGN(addr);
	if (addr < E820_BIOS_END && addr + len > E820_EBDA)
		addr = E820_BIOS_END;
	return addr;
}

static int load_modules(struct mb_loader *l, struct mb_module *mods,
			unsigned n, uint64_t *cursor)
{
	for (unsigned i = 0; i < n; i++) {
		char path[4096], what[4200];
		size_t len = strcspn(mods[i].spec, " ");

		/* The file name ends at the first space; the whole entry
		 * is the module's command line (QEMU's convention). A
		 * name cut to fit would open some other file. */
		if (len >= sizeof(path)) {
			snprintf(l->err, l->errlen, "-initrd: the file name of "
				 "module %u is %zu bytes long; the limit is %zu",
				 i + 1, len, sizeof(path) - 1);
			return -1;
		}
		memcpy(path, mods[i].spec, len);
		path[len] = '\0';
		if (loader_read_file("module", path, l->ld.ram, &mods[i].data,
				     &mods[i].size, l->err, l->errlen) != 0)
			return -1;
		mods[i].start = mb_next_free(*cursor, mods[i].size);
		/* Module addresses are 32-bit (spec 3.3). */
		if (mods[i].start + mods[i].size > UINT32_MAX) {
			snprintf(l->err, l->errlen, "module '%s' would be "
				 "loaded above 4 GiB", path);
			return -1;
		}
		snprintf(what, sizeof(what), "module '%s'", path);
		if (mb_place(l, mods[i].start, mods[i].data, mods[i].size,
			     mods[i].size, what))
			return -1;
		*cursor = mods[i].start + mods[i].size;
		log_debug("multiboot", "module %u '%s': 0x%llx-0x%llx", i,
			  mods[i].spec, (unsigned long long)mods[i].start,
			  (unsigned long long)*cursor);
	}
	return 0;
}

/* The memory map: the machine's e820 map, RAM above 4 GiB included.
 * Returns the number of entries written to map (at most MMAP_MAX). */
static unsigned build_mmap(const struct ram *ram, uint8_t *map)
{
	struct e820_map e820;

	e820_build(ram, &e820);
	for (unsigned i = 0; i < e820.count; i++) {
		uint8_t *e = map + i * MMAP_ENTRY_SIZE;

		le32_put(e, MMAP_ENTRY_SIZE - 4);
		le64_put(e + 4, e820.entry[i].addr);
		le64_put(e + 12, e820.entry[i].size);
		le32_put(e + 20, e820.entry[i].type);
	}
	return e820.count;
}

/* Lays out and writes the information block at the cursor: the block,
 * the memory map, the module list, then the strings. */
static int write_info(struct mb_loader *l, struct mb_module *mods,
		      unsigned nmods, uint64_t cursor,
		      struct multiboot_boot *boot)
{
	const struct multiboot_config *cfg = l->cfg;
	const char *name = cfg->loader_name ? cfg->loader_name : "vmxsim";
	const char *append = cfg->append ? cfg->append : "";
	size_t cmd_len = strlen(cfg->kernel) + 1 + strlen(append) + 1;
	size_t name_len = strlen(name) + 1;
	size_t mods_off = MBI_MMAP_OFFSET + MMAP_MAX * MMAP_ENTRY_SIZE;
	size_t str_off = mods_off + (size_t)nmods * MOD_ENTRY_SIZE;
	size_t total = str_off + cmd_len + name_len, pos;
	uint64_t base;
	uint8_t *info;
	unsigned nmap;
	int rc = -1;

	for (unsigned i = 0; i < nmods; i++)
		total += strlen(mods[i].spec) + 1;
	base = mb_next_free(cursor, total);
	if (base + total > UINT32_MAX) {
		snprintf(l->err, l->errlen, "kernel '%s' leaves no room for the "
			 "multiboot information below 4 GiB", cfg->kernel);
		return -1;
	}
	info = calloc(1, total);
	if (!info) {
		snprintf(l->err, l->errlen, "out of memory");
		return -1;
	}

	nmap = build_mmap(l->ld.ram, info + MBI_MMAP_OFFSET);
	le32_put(info + MBI_MMAP_LENGTH, nmap * MMAP_ENTRY_SIZE);
	le32_put(info + MBI_MMAP_ADDR, (uint32_t)(base + MBI_MMAP_OFFSET));

	/* mem_lower: KiB from 0 up to 640 KiB; mem_upper: KiB from 1 MiB up
	 * to the first hole (spec 3.3). The EBDA below 640 KiB is reserved,
	 * as the memory map says. */
	{
		uint64_t low = ram_low_end(l->ld.ram);
		uint64_t lower = low < E820_EBDA ? low : E820_EBDA;
		uint64_t upper = low > E820_BIOS_END ? low - E820_BIOS_END : 0;

		le32_put(info + MBI_MEM_LOWER, (uint32_t)(lower >> 10));
		le32_put(info + MBI_MEM_UPPER, (uint32_t)(upper >> 10));
	}

	/* QEMU's command line is "<kernel file> <append>", even when the
	 * append string is empty. */
	pos = str_off;
	le32_put(info + MBI_CMDLINE, (uint32_t)(base + pos));
	snprintf((char *)info + pos, cmd_len, "%s %s", cfg->kernel, append);
	pos += cmd_len;
	le32_put(info + MBI_BOOT_LOADER_NAME, (uint32_t)(base + pos));
	memcpy(info + pos, name, name_len);
	pos += name_len;

	le32_put(info + MBI_MODS_COUNT, nmods);
	le32_put(info + MBI_MODS_ADDR, (uint32_t)(base + mods_off));
	for (unsigned i = 0; i < nmods; i++) {
		uint8_t *m = info + mods_off + i * MOD_ENTRY_SIZE;
		size_t slen = strlen(mods[i].spec) + 1;

		le32_put(m, (uint32_t)mods[i].start);
		le32_put(m + 4, (uint32_t)(mods[i].start + mods[i].size));
		le32_put(m + 8, (uint32_t)(base + pos));
		memcpy(info + pos, mods[i].spec, slen);
		pos += slen;
	}

	le32_put(info + MBI_FLAGS, MB_INFO_MEMORY | MB_INFO_CMDLINE |
		 MB_INFO_MODS | MB_INFO_MEM_MAP | MB_INFO_BOOT_LOADER_NAME);

	if (mb_place(l, base, info, total, total,
		     "the multiboot information") == 0) {
		boot->info = (uint32_t)base;
		rc = 0;
		log_debug("multiboot", "information at 0x%llx, %zu bytes",
			  (unsigned long long)base, total);
	}
	free(info);
	return rc;
}

bool multiboot_probe(const uint8_t *data, size_t size)
{
	size_t limit = size < MULTIBOOT_SEARCH ? size : MULTIBOOT_SEARCH;

	for (size_t off = 0; off + 4 <= limit; off += 4)
		if (le32_get(data + off) == MULTIBOOT_HEADER_MAGIC)
			return true;
	return false;
}

int multiboot_load(struct ram *ram, struct code_cache *cc,
		   const struct multiboot_config *cfg, const uint8_t *data,
		   size_t size, struct multiboot_boot *boot, char *err,
		   size_t errlen)
{
	struct mb_loader l = {
		.ld = { .ram = ram, .cc = cc, .err = err, .errlen = errlen },
		.cfg = cfg,
		.err = err,
		.errlen = errlen,
		.kstart = UINT64_MAX,
		.kend = 0,
	};
	struct mb_module *mods = NULL;
	unsigned nmods = 0;
	uint64_t cursor;
	uint32_t flags, entry = 0;
	long hoff;
	int rc = -1;

	memset(boot, 0, sizeof(*boot));
	hoff = mb_find_header(&l, data, size);
	if (hoff < 0)
		goto out;
	flags = le32_get(data + hoff + MBH_FLAGS);
	if (flags & MB_HDR_REQUIRED & ~MB_HDR_KNOWN) {
		snprintf(err, errlen, "kernel '%s': multiboot header requires "
			 "features this loader lacks (flags 0x%x)", cfg->kernel,
			 flags & MB_HDR_REQUIRED & ~MB_HDR_KNOWN);
		goto out;
	}
	if (flags & MB_HDR_VIDEO_MODE)
		log_warn("multiboot", "kernel asks for a video mode; there is "
			 "no display, so it gets no video information");

	if (flags & MB_HDR_AOUT_KLUDGE) {
		if (mb_load_aout(&l, data, size, (size_t)hoff, &entry) != 0)
			goto out;
	} else if (elf_is_elf(data, size)) {
		if (mb_load_elf(&l, data, size, &entry) != 0)
			goto out;
	} else {
		snprintf(err, errlen, "kernel '%s' is neither ELF nor has "
			 "multiboot address fields (flag 16)", cfg->kernel);
		goto out;
	}

	cursor = l.kend;
	if (cfg->initrd && cfg->initrd[0]) {
		if (parse_modules(&l, cfg->initrd, &mods, &nmods) != 0)
			goto out;
		if (load_modules(&l, mods, nmods, &cursor) != 0)
			goto out;
	}
	if (write_info(&l, mods, nmods, cursor, boot) != 0)
		goto out;

	boot->entry = entry;
	boot->kernel_start = l.kstart;
	boot->kernel_end = l.kend;
	boot->nmods = nmods;
	log_info("multiboot", "loaded '%s' at 0x%llx-0x%llx, entry 0x%x, "
		 "%u module(s), information at 0x%x", cfg->kernel,
		 (unsigned long long)l.kstart, (unsigned long long)l.kend,
		 entry, nmods, boot->info);
	rc = 0;
out:
	free_modules(mods, nmods);
	return rc;
}

void multiboot_enter(struct cpu *c, const struct multiboot_boot *boot)
{
	cpu_enter_flat_protected_mode(c);
	cpu_set_gpr(c, REG_RAX, MULTIBOOT_BOOTLOADER_MAGIC);
	cpu_set_gpr(c, REG_RBX, boot->info);
	cpu_set_rip(c, boot->entry);
}
