/* The Linux boot protocol loader: places a bzImage's protected-mode
 * kernel (or a vmlinux's segments), the initrd as high as the kernel
 * allows, the command line and boot_params, and writes the GDT, page
 * tables and entry code that bring the CPU to the kernel's entry. */
#include "platform/linuxboot.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/e820.h"
#include "platform/elf.h"
#include "platform/le.h"
#include "platform/loader.h"
#include "util/log.h"
#include "cpu/regs.h"

/* Control-register and MSR bits the entry code sets (SDM Vol. 3A 2.5,
 * Vol. 4 "IA32_EFER"). */
#define MSR_IA32_EFER 0xc0000080u

/* Flat 4-GiB descriptors (SDM Vol. 3A 3.4.5): execute/read code, 64-bit
 * (L = 1) or 32-bit (D = 1); read/write data. */
#define GDT_CODE64 0x00af9b000000ffffull
#define GDT_CODE32 0x00cf9b000000ffffull
#define GDT_DATA 0x00cf93000000ffffull
#define GDT_ENTRIES 4

/* Page-table entry bits (SDM Vol. 3A 4.5): present, writable, 2-MiB
 * page (PS) in a page directory. */
#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_PS 0x80ull
#define PAGE_2M (1ull << 21)
#define IDENTITY_GIB 4
#define IDENTITY_LIMIT ((uint64_t)IDENTITY_GIB << 30)

#define SECTOR 512
#define DEFAULT_SETUP_SECTS 4   /* setup_sects 0 means 4 (boot.rst) */

struct lb {
	struct loader ld;
	const struct linuxboot_config *cfg;
	struct linuxboot_boot *boot;
	uint8_t params[BP_SIZE];
	uint32_t cmdline_max;   /* longest command line, without its NUL */
	uint32_t initrd_max;    /* highest address the initrd may use */
};

bool linuxboot_is_bzimage(const uint8_t *data, size_t size)
{
	return size >= LH_HEADER + 4 &&
	       le32_get(data + LH_HEADER) == LINUX_HDRS;
}

bool linuxboot_is_vmlinux(const uint8_t *data, size_t size)
{
	struct elf_file e;
	char msg[128];

	return elf_is_elf(data, size) &&
	       elf_parse(&e, data, size, msg, sizeof(msg)) == 0 &&
	       e.elf_class == ELF_CLASS64 && e.machine == ELF_EM_X86_64 &&
	       e.type == ELF_ET_EXEC;
}

static int lb_fail(struct lb *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int lb_fail(struct lb *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(l->ld.err, l->ld.errlen, "kernel '%s' ", l->cfg->kernel);
	if (n < 0 || (size_t)n >= l->ld.errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(l->ld.err + n, l->ld.errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* The kernel's range must be RAM, above the first MiB where the boot
 * parameters and the firmware are, and inside the identity map. */
static int lb_check_kernel_range(struct lb *l)
{
	struct linuxboot_boot *b = l->boot;
	char what[300];

	if (b->kernel_start < E820_BIOS_END)
		return lb_fail(l, "loads at 0x%llx, below 1 MiB, where the "
			       "boot parameters and firmware tables are",
			       (unsigned long long)b->kernel_start);
	if (b->kernel_start >= IDENTITY_LIMIT ||
	    b->kernel_end - b->kernel_start > IDENTITY_LIMIT - b->kernel_start)
		return lb_fail(l, "needs 0x%llx-0x%llx, beyond the first 4 GiB "
			       "that the loader maps for it",
			       (unsigned long long)b->kernel_start,
			       (unsigned long long)b->kernel_end - 1);
	snprintf(what, sizeof(what), "kernel '%s' with the memory it needs "
		 "while booting", l->cfg->kernel);
	if (!loader_ram(&l->ld, b->kernel_start,
			b->kernel_end - b->kernel_start, what))
		return -1;
	return 0;
}

/* bzImage: the setup header says where the protected-mode part starts,
 * where it wants to go and how much memory it needs there. */
static int lb_load_bzimage(struct lb *l, const uint8_t *k, size_t n)
{
	struct linuxboot_boot *b = l->boot;
	unsigned setup_sects, hdr_end, hdr_min;
	uint64_t setup_size, pm_size, load, need;
	uint32_t align, init_size = 0;
	uint16_t xloadflags = 0;
	char what[300];

	if (le16_get(k + LH_BOOT_FLAG) != LINUX_BOOT_FLAG)
		return lb_fail(l, "has the Linux \"HdrS\" signature but no boot "
			       "flag 0x%x at 0x%x", LINUX_BOOT_FLAG,
			       LH_BOOT_FLAG);
	if (n < LH_VERSION + 2)
		return lb_fail(l, "has a truncated setup header (the file "
			       "ends at 0x%zx, before the protocol version at "
			       "0x%x)", n, LH_VERSION);
	b->version = le16_get(k + LH_VERSION);
	if (b->version < LINUX_MIN_VERSION)
		return lb_fail(l, "uses Linux boot protocol %u.%02u, which is "
			       "too old; vmxsim needs %u.%02u or later",
			       b->version >> 8,
			       b->version & 0xff, LINUX_MIN_VERSION >> 8,
			       LINUX_MIN_VERSION & 0xff);
	/* The header ends at 0x202 plus the jump's displacement byte. */
	hdr_end = LH_HEADER + k[LH_JUMP + 1];
	hdr_min = b->version >= 0x020a ? LH_INIT_SIZE + 4u :
					  LH_CMDLINE_SIZE + 4u;
	if (hdr_end > n)
		return lb_fail(l, "has a truncated setup header (it ends at "
			       "0x%x, the file at 0x%zx)", hdr_end, n);
	if (hdr_end < hdr_min)
		return lb_fail(l, "has a setup header that ends at 0x%x (jump "
			       "at 0x%x), too short for boot protocol %u.%02u, "
			       "whose header ends at 0x%x", hdr_end, LH_JUMP,
			       b->version >> 8, b->version & 0xff, hdr_min);
	if (!(k[LH_LOADFLAGS] & LINUX_LOADED_HIGH))
		return lb_fail(l, "is a zImage (loaded below 1 MiB); only "
			       "bzImage kernels can be booted");

	setup_sects = k[LH_SETUP_SECTS];
	if (setup_sects == 0)
		setup_sects = DEFAULT_SETUP_SECTS;
	setup_size = (uint64_t)(setup_sects + 1) * SECTOR;
	if (setup_size >= n)
		return lb_fail(l, "is truncated: its %u setup sectors leave no "
			       "protected-mode kernel in %zu bytes", setup_sects,
			       n);
	pm_size = n - setup_size;
	if ((uint64_t)le32_get(k + LH_SYSSIZE) * 16 > pm_size)
		return lb_fail(l, "is truncated: syssize says 0x%llx bytes of "
			       "protected-mode kernel, the file has 0x%llx",
			       (unsigned long long)le32_get(k + LH_SYSSIZE) * 16,
			       (unsigned long long)pm_size);

	/* Before 2.10 the protected-mode kernel goes to 1 MiB, where every
	 * such kernel runs (a relocatable one realigns itself). From 2.10
	 * on it goes to pref_address; a relocatable kernel may go anywhere
	 * aligned to its kernel_alignment, which that address normally
	 * is already. */
	load = LINUX_DEFAULT_LOAD;
	if (b->version >= 0x020a) {
		uint64_t pref = le64_get(k + LH_PREF_ADDRESS);

		init_size = le32_get(k + LH_INIT_SIZE);
		align = le32_get(k + LH_KERNEL_ALIGNMENT);
		/* pref_address counts "if nonzero"; a relocatable kernel
		 * without one goes where older ones went. */
		if (pref || !k[LH_RELOCATABLE_KERNEL])
			load = pref;
		if (k[LH_RELOCATABLE_KERNEL] && align &&
		    !(align & (align - 1)) && load < IDENTITY_LIMIT)
			load = (load + align - 1) & ~(uint64_t)(align - 1);
	}
	need = init_size > pm_size ? init_size : pm_size;
	if (load >= IDENTITY_LIMIT || need > IDENTITY_LIMIT - load)
		return lb_fail(l, "wants 0x%llx bytes at 0x%llx%s, beyond the "
			       "first 4 GiB that the loader maps for it",
			       (unsigned long long)need,
			       (unsigned long long)load,
			       b->version >= 0x020a ? " (pref_address)" : "");
	if (b->version >= 0x020c)
		xloadflags = le16_get(k + LH_XLOADFLAGS);

	b->kernel_start = load;
	b->kernel_end = load + need;
	b->long_mode = xloadflags & LINUX_XLF_KERNEL_64;
	b->entry = b->long_mode ? load + LINUX_ENTRY64_OFFSET : load;
	if (lb_check_kernel_range(l) != 0)
		return -1;
	snprintf(what, sizeof(what), "kernel '%s'", l->cfg->kernel);
	if (loader_place(&l->ld, load, k + setup_size, pm_size, pm_size,
			 what) != 0)
		return -1;

	l->cmdline_max = le32_get(k + LH_CMDLINE_SIZE);
	l->initrd_max = le32_get(k + LH_INITRD_ADDR_MAX);

	/* boot_params starts as the kernel's own setup header (boot.rst:
	 * "read/modify/write"); the loader's fields go in below. */
	memcpy(l->params + LH_SETUP_SECTS, k + LH_SETUP_SECTS,
	       hdr_end - LH_SETUP_SECTS);
	l->params[LH_LOADFLAGS] |= LINUX_CAN_USE_HEAP;
	le16_put(l->params + LH_HEAP_END_PTR, LINUX_HEAP_END_PTR);
	le32_put(l->params + LH_CODE32_START, (uint32_t)load);
	if (b->version >= 0x020e)
		le64_put(l->params + BP_ACPI_RSDP_ADDR, l->cfg->rsdp);
	return 0;
}

/* vmlinux: an ELF64 image loaded by its program headers at their
 * physical addresses, entered at its entry point in 64-bit mode (as
 * Firecracker boots one). */
static int lb_load_vmlinux(struct lb *l, const uint8_t *k, size_t n)
{
	struct linuxboot_boot *b = l->boot;
	struct elf_file e;
	struct elf_phdr ph;
	uint64_t lo = UINT64_MAX, hi = 0, entry_pa = 0;
	unsigned loads = 0;
	bool entry_found = false;
	char msg[256], what[300];

	if (elf_parse(&e, k, n, msg, sizeof(msg)) != 0 ||
	    elf_check_segments(&e, msg, sizeof(msg)) != 0)
		return lb_fail(l, "is not a loadable ELF vmlinux: %s", msg);
	for (unsigned i = 0; i < e.phnum; i++) {
		if (elf_phdr(&e, i, &ph, msg, sizeof(msg)) != 0)
			return lb_fail(l, "is not a loadable ELF vmlinux: %s",
				       msg);
		if (ph.type != ELF_PT_LOAD || ph.memsz == 0)
			continue;
		if (ph.paddr + (ph.memsz - 1) >= IDENTITY_LIMIT)
			return lb_fail(l, "has ELF segment %u at 0x%llx-0x%llx, "
				       "beyond the first 4 GiB that the loader "
				       "maps for it", i,
				       (unsigned long long)ph.paddr,
				       (unsigned long long)(ph.paddr +
							    ph.memsz - 1));
		loads++;
		if (ph.paddr < lo)
			lo = ph.paddr;
		if (ph.paddr + ph.memsz > hi)
			hi = ph.paddr + ph.memsz;
		/* vmlinux's entry is physical; an entry in the virtual
		 * range is translated through its segment. */
		if (!entry_found && e.entry >= ph.paddr &&
		    e.entry - ph.paddr < ph.memsz) {
			entry_pa = e.entry;
			entry_found = true;
		} else if (!entry_found && e.entry >= ph.vaddr &&
			   e.entry - ph.vaddr < ph.memsz) {
			entry_pa = e.entry - ph.vaddr + ph.paddr;
			entry_found = true;
		}
	}
	if (loads == 0)
		return lb_fail(l, "has no loadable ELF segments");
	if (!entry_found)
		return lb_fail(l, "has its ELF entry point 0x%llx in no "
			       "loadable segment", (unsigned long long)e.entry);
	b->kernel_start = lo;
	b->kernel_end = hi;
	b->long_mode = true;
	b->vmlinux = true;
	b->entry = entry_pa;
	if (lb_check_kernel_range(l) != 0)
		return -1;
	for (unsigned i = 0; i < e.phnum; i++) {
		elf_phdr(&e, i, &ph, msg, sizeof(msg));
		if (ph.type != ELF_PT_LOAD || ph.memsz == 0)
			continue;
		snprintf(what, sizeof(what), "kernel '%s' segment %u",
			 l->cfg->kernel, i);
		if (loader_place(&l->ld, ph.paddr, k + ph.offset, ph.filesz,
				 ph.memsz, what) != 0)
			return -1;
	}
	l->cmdline_max = LINUX_VMLINUX_CMDLINE_SIZE;
	l->initrd_max = LINUX_VMLINUX_INITRD_MAX;
	/* No setup header comes with a vmlinux: the fields a kernel checks
	 * to know boot_params is one. */
	le16_put(l->params + LH_BOOT_FLAG, LINUX_BOOT_FLAG);
	le32_put(l->params + LH_HEADER, LINUX_HDRS);
	le64_put(l->params + BP_ACPI_RSDP_ADDR, l->cfg->rsdp);
	return 0;
}

static int lb_cmdline(struct lb *l)
{
	const char *s = l->cfg->append ? l->cfg->append : "";
	size_t len = strlen(s);
	uint64_t room = LINUXBOOT_CMDLINE_END - LINUXBOOT_CMDLINE - 1;

	if (len > l->cmdline_max || len > room) {
		snprintf(l->ld.err, l->ld.errlen, "-append: the command line "
			 "is %zu bytes; kernel '%s' takes at most %llu", len,
			 l->cfg->kernel, (unsigned long long)
			 (l->cmdline_max < room ? l->cmdline_max : room));
		return -1;
	}
	if (loader_place(&l->ld, LINUXBOOT_CMDLINE, s, len, len + 1,
			 "the kernel command line") != 0)
		return -1;
	l->boot->cmdline = LINUXBOOT_CMDLINE;
	le32_put(l->params + LH_CMD_LINE_PTR, (uint32_t)LINUXBOOT_CMDLINE);
	le32_put(l->params + BP_EXT_CMD_LINE_PTR, 0);
	return 0;
}

/* The initrd goes as high as the kernel allows (below initrd_addr_max
 * and the end of low RAM), page-aligned, above the kernel's init_size. */
static int lb_initrd(struct lb *l, const uint8_t *data, size_t size)
{
	struct linuxboot_boot *b = l->boot;
	uint64_t top = ram_low_end(l->ld.ram), start;
	bool capped = top > (uint64_t)l->initrd_max + 1;
	char what[300], sz[32];

	if (capped)
		top = (uint64_t)l->initrd_max + 1;
	start = size <= top ? (top - size) & ~(LINUXBOOT_INITRD_ALIGN - 1) : 0;
	if (capped && (size > top || start < b->kernel_end)) {
		/* More RAM would not help: the kernel's limit is the
		 * problem (boot.rst, initrd_addr_max). */
		snprintf(l->ld.err, l->ld.errlen, "initrd '%s' (%zu bytes) does "
			 "not fit between the kernel's end 0x%llx and its "
			 "initrd_addr_max 0x%x", l->cfg->initrd, size,
			 (unsigned long long)b->kernel_end, l->initrd_max);
		return -1;
	}
	if (size > top || start < b->kernel_end) {
		snprintf(l->ld.err, l->ld.errlen, "initrd '%s' (%zu bytes) does "
			 "not fit in %s of RAM between the kernel's end 0x%llx "
			 "and 0x%llx; use a larger -m", l->cfg->initrd, size,
			 loader_fmt_size(ram_size(l->ld.ram), sz, sizeof(sz)),
			 (unsigned long long)b->kernel_end,
			 (unsigned long long)top);
		return -1;
	}
	snprintf(what, sizeof(what), "initrd '%s'", l->cfg->initrd);
	if (loader_place(&l->ld, start, data, size, size, what) != 0)
		return -1;
	b->initrd_start = start;
	b->initrd_size = size;
	le32_put(l->params + LH_RAMDISK_IMAGE, (uint32_t)start);
	le32_put(l->params + LH_RAMDISK_SIZE, (uint32_t)size);
	le32_put(l->params + BP_EXT_RAMDISK_IMAGE, (uint32_t)(start >> 32));
	le32_put(l->params + BP_EXT_RAMDISK_SIZE,
		 (uint32_t)((uint64_t)size >> 32));
	return 0;
}

static void lb_e820(struct lb *l)
{
	struct e820_map map;

	e820_build(l->ld.ram, &map);
	l->params[BP_E820_ENTRIES] = (uint8_t)map.count;
	for (unsigned i = 0; i < map.count; i++) {
		uint8_t *e = l->params + BP_E820_TABLE + i * BP_E820_ENTRY_SIZE;

		le64_put(e, map.entry[i].addr);
		le64_put(e + 8, map.entry[i].size);
		le32_put(e + 16, map.entry[i].type);
	}
}

/* Instruction bytes, emitted in order. */
struct code {
	uint8_t b[128];
	size_t n;
};

static void emit(struct code *c, const uint8_t *bytes, size_t len)
{
	memcpy(c->b + c->n, bytes, len);
	c->n += len;
}

static void emit8(struct code *c, uint8_t v)
{
	c->b[c->n++] = v;
}

static void emit32(struct code *c, uint32_t v)
{
	le32_put(c->b + c->n, v);
	c->n += 4;
}

/* mov eax, 0x18 and a load of each data segment register from it. */
static void emit_data_segments(struct code *c)
{
	static const uint8_t mov_sregs[] = {
		0x8e, 0xd8,   /* mov ds, eax */
		0x8e, 0xc0,   /* mov es, eax */
		0x8e, 0xd0,   /* mov ss, eax */
		0x8e, 0xe0,   /* mov fs, eax */
		0x8e, 0xe8,   /* mov gs, eax */
	};

	emit8(c, 0xb8);                     /* mov eax, imm32 */
	emit32(c, LINUX_BOOT_DS);
	emit(c, mov_sregs, sizeof(mov_sregs));
}

/* The entry code, run from flat 32-bit protected mode with paging off.
 * For the 64-bit entry it enables IA-32e mode as SDM Vol. 3A 10.8.5
 * orders it (CR4.PAE, CR3, EFER.LME, then CR0.PG) and far-jumps to a
 * 64-bit code segment. */
static void lb_entry_code(const struct linuxboot_boot *b, struct code *c)
{
	static const uint8_t to_long[] = {
		0x0f, 0x20, 0xe0,              /* mov eax, cr4 */
		0x83, 0xc8, CR4_PAE,           /* or eax, CR4.PAE */
		0x0f, 0x22, 0xe0,              /* mov cr4, eax */
	};
	static const uint8_t efer[] = {
		0x0f, 0x22, 0xd8,              /* mov cr3, eax */
		0xb9, 0x80, 0x00, 0x00, 0xc0,  /* mov ecx, IA32_EFER */
		0x0f, 0x32,                    /* rdmsr */
		0x0d, 0x00, 0x01, 0x00, 0x00,  /* or eax, EFER.LME */
		0x0f, 0x30,                    /* wrmsr */
		0x0f, 0x20, 0xc0,              /* mov eax, cr0 */
	};
	static const uint8_t paging_on[] = {
		0x0f, 0x22, 0xc0,              /* mov cr0, eax: IA-32e active */
	};

	c->n = 0;
	emit(c, (const uint8_t[]){ 0x0f, 0x01, 0x15 }, 3); /* lgdt [disp32] */
	emit32(c, (uint32_t)LINUXBOOT_GDTR);
	if (!b->long_mode) {
		/* 32-bit protocol: reload the segments from the new GDT
		 * and jump to the kernel. */
		emit_data_segments(c);
		emit8(c, 0xea);                 /* jmp far 0x10:entry */
		emit32(c, (uint32_t)b->entry);
		emit(c, (const uint8_t[]){ LINUX_BOOT_CS, 0 }, 2);
		return;
	}
	emit(c, to_long, sizeof(to_long));
	emit8(c, 0xb8);                         /* mov eax, PML4 */
	emit32(c, (uint32_t)LINUXBOOT_PML4);
	emit(c, efer, sizeof(efer));
	/* Caching on (CD = NW = 0, as firmware leaves it), paging on. */
	emit8(c, 0x25);                         /* and eax, ~(CD | NW) */
	emit32(c, ~(uint32_t)(CR0_CD | CR0_NW));
	emit8(c, 0x0d);                         /* or eax, CR0.PG */
	emit32(c, CR0_PG);
	emit(c, paging_on, sizeof(paging_on));
	emit8(c, 0xea);                         /* jmp far 0x10:next */
	emit32(c, (uint32_t)(LINUXBOOT_ENTRY + c->n + 6));
	emit(c, (const uint8_t[]){ LINUX_BOOT_CS, 0 }, 2);
	/* 64-bit mode from here. */
	emit_data_segments(c);
	emit8(c, 0xbe);                         /* mov esi, boot_params */
	emit32(c, (uint32_t)b->params);
	emit(c, (const uint8_t[]){ 0x48, 0xb8 }, 2); /* mov rax, imm64 */
	emit32(c, (uint32_t)b->entry);
	emit32(c, (uint32_t)(b->entry >> 32));
	emit(c, (const uint8_t[]){ 0xff, 0xe0 }, 2); /* jmp rax */
}

/* The GDT, its LGDT operand, the identity map of the first 4 GiB and
 * the entry code, all in the firmware area. */
static int lb_write_entry(struct lb *l)
{
	const struct linuxboot_boot *b = l->boot;
	uint8_t *gdt, *pml4, *pdpt, *pd;
	struct code code;

	gdt = loader_ram(&l->ld, LINUXBOOT_GDT, RAM_PAGE_SIZE, "the boot GDT");
	pml4 = loader_ram(&l->ld, LINUXBOOT_PML4, RAM_PAGE_SIZE,
			  "the boot page tables");
	pdpt = loader_ram(&l->ld, LINUXBOOT_PDPT, RAM_PAGE_SIZE,
			  "the boot page tables");
	pd = loader_ram(&l->ld, LINUXBOOT_PD, IDENTITY_GIB * RAM_PAGE_SIZE,
			"the boot page tables");
	if (!gdt || !pml4 || !pdpt || !pd)
		return -1;

	memset(gdt, 0, RAM_PAGE_SIZE);
	le64_put(gdt + LINUX_BOOT_CS, b->long_mode ? GDT_CODE64 : GDT_CODE32);
	le64_put(gdt + LINUX_BOOT_DS, GDT_DATA);
	le16_put(gdt + (LINUXBOOT_GDTR - LINUXBOOT_GDT), GDT_ENTRIES * 8 - 1);
	le32_put(gdt + (LINUXBOOT_GDTR - LINUXBOOT_GDT) + 2,
		 (uint32_t)LINUXBOOT_GDT);
	lb_entry_code(b, &code);
	memcpy(gdt + (LINUXBOOT_ENTRY - LINUXBOOT_GDT), code.b, code.n);

	memset(pml4, 0, RAM_PAGE_SIZE);
	memset(pdpt, 0, RAM_PAGE_SIZE);
	le64_put(pml4, LINUXBOOT_PDPT | PTE_P | PTE_RW);
	for (unsigned g = 0; g < IDENTITY_GIB; g++) {
		uint8_t *dir = pd + g * RAM_PAGE_SIZE;

		le64_put(pdpt + g * 8, (LINUXBOOT_PD + g * RAM_PAGE_SIZE) |
			 PTE_P | PTE_RW);
		for (unsigned i = 0; i < 512; i++)
			le64_put(dir + i * 8, ((uint64_t)g << 30) +
				 i * PAGE_2M + (PTE_P | PTE_RW | PTE_PS));
	}
	if (l->ld.cc) {
		code_cache_note_write(l->ld.cc, LINUXBOOT_GDT, RAM_PAGE_SIZE);
		code_cache_note_write(l->ld.cc, LINUXBOOT_PML4,
				      (2 + IDENTITY_GIB) * RAM_PAGE_SIZE);
	}
	return 0;
}

int linuxboot_load(struct ram *ram, struct code_cache *cc,
		   const struct linuxboot_config *cfg, const uint8_t *kernel,
		   size_t ksize, const uint8_t *initrd, size_t isize,
		   struct linuxboot_boot *boot, char *err, size_t errlen)
{
	struct lb *l = calloc(1, sizeof(*l));
	char kind[40];
	int rc = -1;

	memset(boot, 0, sizeof(*boot));
	if (!l) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	l->ld = (struct loader){ .ram = ram, .cc = cc, .err = err,
				 .errlen = errlen };
	l->cfg = cfg;
	l->boot = boot;
	boot->params = LINUXBOOT_PARAMS;

	if (linuxboot_is_bzimage(kernel, ksize)) {
		if (lb_load_bzimage(l, kernel, ksize) != 0)
			goto out;
	} else if (linuxboot_is_vmlinux(kernel, ksize)) {
		if (lb_load_vmlinux(l, kernel, ksize) != 0)
			goto out;
	} else {
		lb_fail(l, "is neither a Linux bzImage nor an x86-64 ELF "
			"vmlinux");
		goto out;
	}
	l->params[LH_TYPE_OF_LOADER] = LINUX_TYPE_OF_LOADER;
	le16_put(l->params + LH_VID_MODE, LINUX_VID_MODE_NORMAL);
	if (lb_cmdline(l) != 0)
		goto out;
	if (initrd && lb_initrd(l, initrd, isize) != 0)
		goto out;
	lb_e820(l);
	if (loader_place(&l->ld, LINUXBOOT_PARAMS, l->params, BP_SIZE, BP_SIZE,
			 "boot_params") != 0 ||
	    lb_write_entry(l) != 0)
		goto out;

	if (boot->vmlinux)
		snprintf(kind, sizeof(kind), "vmlinux");
	else
		snprintf(kind, sizeof(kind), "bzImage (boot protocol %u.%02u)",
			 boot->version >> 8, boot->version & 0xff);
	log_info("linux", "%s: kernel at 0x%llx-0x%llx, %s entry 0x%llx; "
		 "initrd at 0x%llx (%llu bytes); command line '%s'", kind,
		 (unsigned long long)boot->kernel_start,
		 (unsigned long long)boot->kernel_end,
		 boot->long_mode ? "64-bit" : "32-bit",
		 (unsigned long long)boot->entry,
		 (unsigned long long)boot->initrd_start,
		 (unsigned long long)boot->initrd_size,
		 cfg->append ? cfg->append : "");
	rc = 0;
out:
	free(l);
	return rc;
}

void linuxboot_enter(struct cpu *c, const struct linuxboot_boot *boot)
{
	cpu_enter_flat_protected_mode(c);
	cpu_set_gpr(c, REG_RSI, boot->params);
	cpu_set_gpr(c, REG_RBX, 0);
	cpu_set_gpr(c, REG_RBP, 0);
	cpu_set_gpr(c, REG_RDI, 0);
	/* The protocol leaves the stack to the kernel; this one, below
	 * boot_params, is free low RAM. */
	cpu_set_gpr(c, REG_RSP, LINUXBOOT_PARAMS);
	cpu_set_rip(c, LINUXBOOT_ENTRY);
}
