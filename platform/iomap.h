/* The machine's address decoder: one registration call for port and MMIO
 * ranges, each with a name and the access sizes its device accepts.
 * Ranges never overlap; iomap_foreach() lists them (for "info" commands). */
#ifndef PLATFORM_IOMAP_H
#define PLATFORM_IOMAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum iomap_space {
	IOMAP_PORT, /* 64 KiB of I/O ports; sizes 1, 2, 4 */
	IOMAP_MMIO, /* physical addresses; sizes 1, 2, 4, 8 */
};

/* Access-size mask bits: the sizes a device's callbacks accept. */
#define IOMAP_SIZE_1 (1u << 0)
#define IOMAP_SIZE_2 (1u << 1)
#define IOMAP_SIZE_4 (1u << 2)
#define IOMAP_SIZE_8 (1u << 3)

/* Device callbacks. offset is relative to the range's base; size is one
 * of the sizes registered. Either callback may be NULL: reads then give
 * all ones and writes are dropped. */
struct iomap_ops {
	uint64_t (*read)(void *opaque, uint64_t offset, unsigned size);
	void (*write)(void *opaque, uint64_t offset, unsigned size,
		      uint64_t val);
};

struct iomap_range {
	enum iomap_space space;
	uint64_t base;
	uint64_t len;
	unsigned sizes;     /* IOMAP_SIZE_* */
	char name[32];
	const struct iomap_ops *ops;
	void *opaque;
};

struct iomap;

struct iomap *iomap_create(void);
void iomap_destroy(struct iomap *m);

/* Adds [base, base + len) to space. Returns 0, or -1 with a message in
 * err if the range is empty, wraps, leaves the port space, asks for a
 * size the space does not have, or overlaps a range already there (the
 * message names both). */
int iomap_register(struct iomap *m, enum iomap_space space, uint64_t base,
		   uint64_t len, unsigned sizes, const char *name,
		   const struct iomap_ops *ops, void *opaque, char *err,
		   size_t errlen);

/* The range holding addr, or NULL. */
const struct iomap_range *iomap_find(const struct iomap *m,
				     enum iomap_space space, uint64_t addr);

/* Accesses of size 1, 2, 4 or 8. An access the range does not accept at
 * its size, or that crosses a range boundary, is split into halves down
 * to bytes, as a bus narrower than the access splits it; a byte nobody
 * decodes reads as 0xff and ignores writes. Values are little-endian. */
uint64_t iomap_read(struct iomap *m, enum iomap_space space, uint64_t addr,
		    unsigned size);
void iomap_write(struct iomap *m, enum iomap_space space, uint64_t addr,
		 unsigned size, uint64_t val);

/* Calls fn for every range of space in address order. */
void iomap_foreach(const struct iomap *m, enum iomap_space space,
		   void (*fn)(void *ctx, const struct iomap_range *r),
		   void *ctx);
/* One line per range: space, first and last address, sizes, name. */
void iomap_print(const struct iomap *m, FILE *f);

#endif
