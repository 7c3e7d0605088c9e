/* ELF32 and ELF64 file headers and program headers (System V ABI, "ELF
 * Header" and "Program Header"), read from a file image in memory. Every
 * offset and size is checked against the image before it is used. */
#ifndef PLATFORM_ELF_H
#define PLATFORM_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_CLASS32 1
#define ELF_CLASS64 2
#define ELF_EM_386 3
#define ELF_EM_X86_64 62
#define ELF_ET_EXEC 2
#define ELF_PT_LOAD 1

struct elf_file {
	const uint8_t *data;
	size_t size;
	int elf_class;       /* ELF_CLASS32 or ELF_CLASS64 */
	uint16_t type;       /* e_type */
	uint16_t machine;    /* e_machine */
	uint64_t entry;
	uint64_t phoff;
	uint16_t phentsize;
	uint16_t phnum;
};

struct elf_phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};

/* True if the image starts with the ELF magic. */
bool elf_is_elf(const uint8_t *data, size_t size);

/* Reads the file header and checks that the program header table lies in
 * the image. Returns 0, or -1 with a message in err. */
int elf_parse(struct elf_file *e, const uint8_t *data, size_t size,
	      char *err, size_t errlen);

/* Reads program header i (< e->phnum). For PT_LOAD it also checks that
 * the file bytes lie in the image, filesz <= memsz and the addresses do
 * not wrap. Returns 0, or -1 with a message naming the header. */
int elf_phdr(const struct elf_file *e, unsigned i, struct elf_phdr *ph,
	     char *err, size_t errlen);

/* Reads every program header (as elf_phdr does) and checks that the
 * PT_LOAD segments do not overlap in physical memory: bytes that two
 * segments claim have no defined value, and a file of many overlapping
 * segments would cost a loader time far beyond its size. Returns 0, or
 * -1 with a message naming the header(s). */
int elf_check_segments(const struct elf_file *e, char *err, size_t errlen);

#endif
