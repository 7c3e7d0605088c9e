/* What the kernel loaders share: reading a boot file whole, and putting
 * bytes into guest RAM with a message that says whether more RAM would
 * help. */
#ifndef PLATFORM_LOADER_H
#define PLATFORM_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "platform/ram.h"

/* Largest file a loader reads: nothing bigger can fit in guest RAM
 * below 4 GiB anyway. */
#define LOADER_FILE_MAX (1ull << 32)

/* Where loaders write and how they report. what names the thing being
 * placed in messages ("kernel 'bzImage'", "initrd 'x.gz'"). */
struct loader {
	struct ram *ram;
	struct code_cache *cc;   /* told about every write; may be NULL */
	char *err;
	size_t errlen;
};

/* Reads a whole regular file into a malloc'd buffer. what ("kernel",
 * "module", "initrd") starts the message. With ram, the file must fit in
 * RAM below 4 GiB (an initrd, a multiboot module): a larger one is
 * refused before anything is read, with a message that says whether a
 * larger -m would help, so that a huge file costs neither time nor host
 * memory. Returns 0, or -1 with a one-line message in err. */
int loader_read_file(const char *what, const char *path,
		     const struct ram *ram, uint8_t **data, size_t *size,
		     char *err, size_t errlen);

/* Host pointer for [pa, pa + len) in RAM; otherwise NULL and a message
 * that says whether a larger -m would help. */
uint8_t *loader_ram(struct loader *l, uint64_t pa, uint64_t len,
		    const char *what);

/* Copies filesz bytes to pa and zeroes the rest up to memsz. Returns 0,
 * or -1 with a message. */
int loader_place(struct loader *l, uint64_t pa, const void *src,
		 uint64_t filesz, uint64_t memsz, const char *what);

/* "16 MiB", "1 GiB", "640 KiB": a RAM size as a user writes it. */
const char *loader_fmt_size(uint64_t bytes, char *buf, size_t len);

#endif
