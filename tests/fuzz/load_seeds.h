/* Building blocks of tests/fuzz/load_fuzz.c: byte buffers, and the
 * valid kernels it starts from (a multiboot ELF32 or ELF64, a multiboot
 * raw image with address fields, a bzImage of each boot protocol version
 * the loader supports). */
#ifndef TESTS_FUZZ_LOAD_SEEDS_H
#define TESTS_FUZZ_LOAD_SEEDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/multiboot.h"
#include "tests/fuzz/fuzz_rng.h"

struct buf {
	uint8_t *p;
	size_t n, cap;
};

/* Room for n bytes; exits on failure. */
void buf_reserve(struct buf *b, size_t n);
/* Grows (zero-filled) or shrinks the buffer to n bytes. */
void buf_resize(struct buf *b, size_t n);

/* Little-endian fields of width bytes. */
void put_le(uint8_t *p, unsigned width, uint64_t v);
uint64_t get_le(const uint8_t *p, unsigned width);

#define MB_FLAGS_DEFAULT (MB_HDR_PAGE_ALIGN | MB_HDR_MEMORY_INFO)

/* A multiboot header: magic, flags, checksum (spec 3.1.1). */
void put_mb_header(uint8_t *p, uint32_t flags);
/* ELF32 or ELF64 executable loaded at physical base, linked at vbase;
 * with a multiboot header when mb. */
void seed_elf(struct buf *b, bool is64, bool mb, uint64_t base,
	      uint64_t vbase);
void seed_raw(struct buf *b, struct rng *r);
void seed_bzimage(struct buf *b, struct rng *r);

#endif
