/* Decoder oracle: instruction lengths against Zydis over real code. Walks
 * every regular ELF file under /usr/bin and /usr/lib/x86_64-linux-gnu
 * (recursively, in byte order of names), sweeps each x86-64 executable
 * section linearly with Zydis in 64-bit mode, and checks that our decoder
 * gives every instruction Zydis decodes the same length. Where Zydis
 * cannot decode (padding, data in code) the sweep moves on by one byte.
 *   decode_oracle          stop after 5,000,000 instructions (make test)
 *   decode_oracle --all    every instruction of every file */
#include <Zydis/Zydis.h>
#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpu/decode.h"
#include "tests/diff/lib/zydis_quirks.h"

#define DEFAULT_LIMIT 5000000ul
#define MAX_SHOWN 50

static const char *const roots[] = {
	"/usr/bin", "/usr/lib/x86_64-linux-gnu",
};

struct oracle {
	ZydisDecoder zd;
	unsigned long limit;   /* stop after this many; 0: no limit */
	unsigned long checked, files, mismatches, unsupported;
	unsigned long quirk_count[DIFF_ZYDIS_QUIRKS];
};

static bool done(const struct oracle *o)
{
	return o->limit && o->checked >= o->limit;
}

static void report(struct oracle *o, const char *path, uint64_t off,
		   const uint8_t *b, size_t avail, int ours,
		   const ZydisDecodedInstruction *zi)
{
	int q = diff_zydis_quirk(zi->mnemonic);
	if (q >= 0) {
		o->quirk_count[q]++;
		return;
	}
	if (o->mismatches++ >= MAX_SHOWN)
		return;
	printf("mismatch: %s +0x%llx:", path, (unsigned long long)off);
	for (size_t k = 0; k < 15 && k < avail; k++)
		printf(" %02x", b[k]);
	printf(": ours %d, Zydis %u (%s)\n", ours, zi->length,
	       ZydisMnemonicGetString(zi->mnemonic));
}

/* Sweeps one executable section at file offset off. */
static void sweep(struct oracle *o, const char *path, const uint8_t *code,
		  size_t size, uint64_t off)
{
	size_t pos = 0;
	while (pos < size && !done(o)) {
		const uint8_t *b = code + pos;
		size_t avail = size - pos;
		ZydisDecodedInstruction zi;
		if (ZYAN_FAILED(ZydisDecoderDecodeInstruction(&o->zd, NULL, b, avail, &zi))) {
			pos++;
			continue;
		}
		struct insn i;
		int ours = decode_insn(&i, b, avail > 15 ? 15 : (unsigned)avail, 8);
		o->checked++;
		if (ours > 0 && i.id == INSN_INVALID)
			o->unsupported++;
		if (ours != zi.length)
			report(o, path, off + pos, b, avail, ours, &zi);
		pos += zi.length;
	}
}

/* Checks one file if it is a well-formed x86-64 ELF; anything else is
 * skipped without a word. */
static void check_file(struct oracle *o, const char *path, off_t fsize)
{
	if (fsize < (off_t)sizeof(Elf64_Ehdr))
		return;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	void *map = mmap(NULL, (size_t)fsize, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return;
	const uint8_t *img = map;
	size_t size = (size_t)fsize;
	const Elf64_Ehdr *eh = map;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_X86_64 ||
	    eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff > size ||
	    eh->e_shnum > (size - eh->e_shoff) / sizeof(Elf64_Shdr)) {
		munmap(map, size);
		return;
	}
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(img + eh->e_shoff);
	bool counted = false;
	for (unsigned k = 0; k < eh->e_shnum && !done(o); k++) {
		if (sh[k].sh_type != SHT_PROGBITS ||
		    !(sh[k].sh_flags & SHF_EXECINSTR) ||
		    sh[k].sh_offset > size || sh[k].sh_size > size - sh[k].sh_offset)
			continue;
		if (!counted) {
			o->files++;
			counted = true;
		}
		sweep(o, path, img + sh[k].sh_offset, sh[k].sh_size, sh[k].sh_offset);
	}
	munmap(map, size);
}

/* Byte order, so that the walk is the same under every locale. */
static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void walk(struct oracle *o, const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, by_name);
	if (n < 0)
		return;
	for (int k = 0; k < n; k++) {
		const char *name = names[k]->d_name;
		char path[4096];
		struct stat st;
		if (!done(o) && strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
		    (size_t)snprintf(path, sizeof path, "%s/%s", dir, name) < sizeof path &&
		    lstat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				walk(o, path);
			else if (S_ISREG(st.st_mode))
				check_file(o, path, st.st_size);
		}
		free(names[k]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	static struct oracle o;
	o.limit = DEFAULT_LIMIT;
	if (argc > 1 && strcmp(argv[1], "--all") == 0) {
		o.limit = 0;
	} else if (argc > 1) {
		fprintf(stderr, "usage: %s [--all]\n", argv[0]);
		return 2;
	}
	if (ZYAN_FAILED(ZydisDecoderInit(&o.zd, ZYDIS_MACHINE_MODE_LONG_64,
					 ZYDIS_STACK_WIDTH_64))) {
		fprintf(stderr, "decode_oracle: ZydisDecoderInit failed\n");
		return 2;
	}
	for (unsigned k = 0; k < sizeof roots / sizeof roots[0]; k++)
		walk(&o, roots[k]);
	printf("SUMMARY: decoder oracle: %lu instructions checked in %lu files, "
	       "%lu mismatches\n", o.checked, o.files, o.mismatches);
	printf("SUMMARY: decoder oracle: %lu of them are encodings this CPU "
	       "model does not execute (#UD with a reason)\n", o.unsupported);
	for (unsigned k = 0; k < DIFF_ZYDIS_QUIRKS; k++)
		if (o.quirk_count[k])
			printf("SUMMARY: decoder oracle: %lu known Zydis "
			       "differences: %s\n", o.quirk_count[k],
			       diff_zydis_quirks[k].why);
	if (o.checked == 0) {
		printf("decode_oracle: no x86-64 code found under /usr/bin\n");
		return 1;
	}
	return o.mismatches ? 1 : 0;
}
