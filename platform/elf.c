/* ELF header parsing with bounds checks on everything read. Only
 * little-endian files are accepted: every x86 ELF is. */
#include "platform/elf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* e_ident (System V ABI, "ELF Identification"). */
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define EI_NIDENT 16
#define ELFDATA2LSB 1
#define EV_CURRENT 1
/* e_phnum at this value means the count is elsewhere (extended numbering). */
#define PN_XNUM 0xffff

#define EHDR32_SIZE 52
#define EHDR64_SIZE 64
#define PHDR32_SIZE 32
#define PHDR64_SIZE 56

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

bool elf_is_elf(const uint8_t *data, size_t size)
{
	return size >= 4 && memcmp(data, "\177ELF", 4) == 0;
}

int elf_parse(struct elf_file *e, const uint8_t *data, size_t size,
	      char *err, size_t errlen)
{
	size_t ehsize, phmin;
	uint64_t table;

	memset(e, 0, sizeof(*e));
	if (!elf_is_elf(data, size)) {
		snprintf(err, errlen, "not an ELF file");
		return -1;
	}
	if (size < EI_NIDENT) {
		snprintf(err, errlen, "ELF header truncated (file is %zu bytes)",
			 size);
		return -1;
	}
	e->elf_class = data[EI_CLASS];
	if (e->elf_class == ELF_CLASS32) {
		ehsize = EHDR32_SIZE;
		phmin = PHDR32_SIZE;
	} else if (e->elf_class == ELF_CLASS64) {
		ehsize = EHDR64_SIZE;
		phmin = PHDR64_SIZE;
	} else {
		snprintf(err, errlen, "unknown ELF class %u", data[EI_CLASS]);
		return -1;
	}
	if (data[EI_DATA] != ELFDATA2LSB) {
		snprintf(err, errlen, "ELF file is not little-endian");
		return -1;
	}
	if (data[EI_VERSION] != EV_CURRENT) {
		snprintf(err, errlen, "unknown ELF version %u",
			 data[EI_VERSION]);
		return -1;
	}
	if (size < ehsize) {
		snprintf(err, errlen, "ELF header truncated (file is %zu bytes, "
			 "the header needs %zu)", size, ehsize);
		return -1;
	}

	e->data = data;
	e->size = size;
	e->type = rd16(data + 16);
	e->machine = rd16(data + 18);
	if (e->elf_class == ELF_CLASS32) {
		e->entry = rd32(data + 24);
		e->phoff = rd32(data + 28);
		e->phentsize = rd16(data + 42);
		e->phnum = rd16(data + 44);
	} else {
		e->entry = rd64(data + 24);
		e->phoff = rd64(data + 32);
		e->phentsize = rd16(data + 54);
		e->phnum = rd16(data + 56);
	}

	if (e->phnum == PN_XNUM) {
		snprintf(err, errlen, "ELF extended program header numbering "
			 "is not supported");
		return -1;
	}
	if (e->phnum == 0)
		return 0;
	if (e->phentsize < phmin) {
		snprintf(err, errlen, "ELF program header size %u is smaller "
			 "than %zu", e->phentsize, phmin);
		return -1;
	}
	/* phnum and phentsize are 16-bit, so the product cannot overflow. */
	table = (uint64_t)e->phnum * e->phentsize;
	if (e->phoff >= size) {
		snprintf(err, errlen, "ELF program headers at offset 0x%llx "
			 "lie outside the file (%zu bytes)",
			 (unsigned long long)e->phoff, size);
		return -1;
	}
	if (table > size - e->phoff) {
		snprintf(err, errlen, "ELF program header table is truncated "
			 "(%u headers of %u bytes at offset 0x%llx, file is "
			 "%zu bytes)", e->phnum, e->phentsize,
			 (unsigned long long)e->phoff, size);
		return -1;
	}
	return 0;
}

int elf_phdr(const struct elf_file *e, unsigned i, struct elf_phdr *ph,
	     char *err, size_t errlen)
{
	const uint8_t *p;

	if (i >= e->phnum) {
		snprintf(err, errlen, "ELF program header %u does not exist", i);
		return -1;
	}
	/* elf_parse checked that the whole table is in the file. */
	p = e->data + e->phoff + (uint64_t)i * e->phentsize;
	if (e->elf_class == ELF_CLASS32) {
		ph->type = rd32(p);
		ph->offset = rd32(p + 4);
		ph->vaddr = rd32(p + 8);
		ph->paddr = rd32(p + 12);
		ph->filesz = rd32(p + 16);
		ph->memsz = rd32(p + 20);
		ph->flags = rd32(p + 24);
		ph->align = rd32(p + 28);
	} else {
		ph->type = rd32(p);
		ph->flags = rd32(p + 4);
		ph->offset = rd64(p + 8);
		ph->vaddr = rd64(p + 16);
		ph->paddr = rd64(p + 24);
		ph->filesz = rd64(p + 32);
		ph->memsz = rd64(p + 40);
		ph->align = rd64(p + 48);
	}
	if (ph->type != ELF_PT_LOAD)
		return 0;
	if (ph->offset > e->size || ph->filesz > e->size - ph->offset) {
		snprintf(err, errlen, "ELF segment %u (file offset 0x%llx, "
			 "0x%llx bytes) lies outside the file (%zu bytes)", i,
			 (unsigned long long)ph->offset,
			 (unsigned long long)ph->filesz, e->size);
		return -1;
	}
	if (ph->filesz > ph->memsz) {
		snprintf(err, errlen, "ELF segment %u has more file bytes "
			 "(0x%llx) than memory bytes (0x%llx)", i,
			 (unsigned long long)ph->filesz,
			 (unsigned long long)ph->memsz);
		return -1;
	}
	if (ph->memsz && (ph->paddr + (ph->memsz - 1) < ph->paddr ||
			  ph->vaddr + (ph->memsz - 1) < ph->vaddr)) {
		snprintf(err, errlen, "ELF segment %u at 0x%llx of 0x%llx bytes "
			 "wraps around the address space", i,
			 (unsigned long long)ph->paddr,
			 (unsigned long long)ph->memsz);
		return -1;
	}
	return 0;
}

/* A loadable segment's physical range, for the overlap check. */
struct elf_range {
	uint64_t start, end;    /* end exclusive; 0 when it ends at 2^64 */
	unsigned index;
};

static int elf_range_cmp(const void *a, const void *b)
{
	const struct elf_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

int elf_check_segments(const struct elf_file *e, char *err, size_t errlen)
{
	struct elf_range *r;
	struct elf_phdr ph;
	unsigned n = 0, last = 0;
	int rc = 0;

	if (e->phnum == 0)
		return 0;
	r = malloc(e->phnum * sizeof(*r));
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (unsigned i = 0; i < e->phnum; i++) {
		if (elf_phdr(e, i, &ph, err, errlen) != 0) {
			free(r);
			return -1;
		}
		if (ph.type != ELF_PT_LOAD || ph.memsz == 0)
			continue;
		/* elf_phdr checked that the range does not wrap. */
		r[n++] = (struct elf_range){ ph.paddr, ph.paddr + ph.memsz, i };
	}
	qsort(r, n, sizeof(*r), elf_range_cmp);
	/* Sorted by start, a segment overlaps an earlier one exactly when
	 * it starts below the furthest end so far. */
	for (unsigned i = 1; i < n; i++) {
		bool last_to_top = r[last].end == 0;

		if (last_to_top || r[i].start < r[last].end) {
			unsigned a = r[last].index < r[i].index ? last : i;
			unsigned b = a == i ? last : i;

			snprintf(err, errlen, "ELF segments %u (0x%llx-0x%llx) "
				 "and %u (0x%llx-0x%llx) overlap in physical "
				 "memory", r[a].index,
				 (unsigned long long)r[a].start,
				 (unsigned long long)(r[a].end - 1),
				 r[b].index, (unsigned long long)r[b].start,
				 (unsigned long long)(r[b].end - 1));
			rc = -1;
			break;
		}
		if (r[i].end == 0 || r[i].end > r[last].end)
			last = i;
	}
	free(r);
	return rc;
}
