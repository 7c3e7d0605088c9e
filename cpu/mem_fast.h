/* Inline fast paths of cpu/mem.h for instruction handlers: an aligned
 * access whose segment checks pass trivially and whose page has a TLB tag
 * is one compare and one host load or store. Anything else (misaligned,
 * page-crossing, expand-down, MMIO, code pages, a TLB miss) goes to the
 * out-of-line functions, which apply every rule. */
#ifndef CPU_MEM_FAST_H
#define CPU_MEM_FAST_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cpu/mem.h"
#include "cpu/state.h"

/* The exact paths behind the fast ones (cpu/mem.c). */
uint64_t mem_read_slow(struct cpu *c, int seg, uint64_t off, unsigned size);
void mem_write_slow(struct cpu *c, int seg, uint64_t off, unsigned size,
		    uint64_t v);

/* Segment types (bit n for type n, SDM Vol. 3A table 3-1) whose reads or
 * writes need no check but the expand-up limit: data types 0-3 and the
 * readable code types 10, 11, 14, 15 for reads; writable expand-up data
 * types 2, 3 for writes. */
#define MEMF_READ_TYPES 0xcc0fu
#define MEMF_WRITE_TYPES 0x000cu

/* The linear address of seg:off if the segment checks pass without
 * thought. In 64-bit mode a non-canonical address is returned as is: no
 * TLB tag ever matches it, so the slow path raises the fault. */
static inline bool memf_linear(const struct cpu *c, int seg, uint64_t off,
			       unsigned size, unsigned types, uint64_t *la)
{
	const struct seg *s = &c->seg[seg];
	if (cpu_code_size(c) == 8) {
		*la = off + (seg >= SEG_FS ? s->base : 0);
		return true;
	}
	if ((s->attr & SEG_ATTR_UNUSABLE) ||
	    !((types >> (s->attr & SEG_ATTR_TYPE)) & 1) ||
	    off + size - 1 > s->limit)
		return false;
	*la = (uint32_t)(s->base + off);
	return true;
}

/* Host pointer for an aligned access of size bytes at la if the TLB has
 * the page for it, else NULL. A misaligned la keeps low bits in the
 * compared value, so it never matches (nor does TLB_TAG_INVALID). */
static inline uint8_t *memf_tlb(struct cpu *c, uint64_t la, unsigned size,
				bool write)
{
	const struct tlb_entry *e =
		&c->tlb.e[c->cpl == 3][(la >> 12) & (TLB_SIZE - 1)];
	uint64_t tag = write ? e->wtag : e->rtag;
	if (tag != (la & (~0xfffull | (size - 1))))
		return NULL;
	return (uint8_t *)(uintptr_t)(la + e->addend);
}

static inline uint64_t memf_read(struct cpu *c, int seg, uint64_t off,
				 unsigned size)
{
	uint64_t la;
	const uint8_t *p;
	if (memf_linear(c, seg, off, size, MEMF_READ_TYPES, &la) &&
	    (p = memf_tlb(c, la, size, false)) != NULL) {
		switch (size) {
		case 1:
			return *p;
		case 2: {
			uint16_t v;
			memcpy(&v, p, 2);
			return v;
		}
		case 4: {
			uint32_t v;
			memcpy(&v, p, 4);
			return v;
		}
		default: {
			uint64_t v;
			memcpy(&v, p, 8);
			return v;
		}
		}
	}
	return mem_read_slow(c, seg, off, size);
}

static inline void memf_write(struct cpu *c, int seg, uint64_t off,
			      unsigned size, uint64_t v)
{
	uint64_t la;
	uint8_t *p;
	if (memf_linear(c, seg, off, size, MEMF_WRITE_TYPES, &la) &&
	    (p = memf_tlb(c, la, size, true)) != NULL) {
		/* Little-endian guest on a little-endian host. */
		memcpy(p, &v, size);
		return;
	}
	mem_write_slow(c, seg, off, size, v);
}

/* Host pointer to the byte at linear address la for an instruction fetch
 * at the current CPL, valid to the end of its 4-KiB page, or NULL when
 * mem_fetch() must be used. */
static inline const uint8_t *memf_fetch_ptr(struct cpu *c, uint64_t la)
{
	const struct tlb_entry *e =
		&c->tlb.e[c->cpl == 3][(la >> 12) & (TLB_SIZE - 1)];
	if (e->xtag != (la & ~0xfffull))
		return NULL;
	return (const uint8_t *)(uintptr_t)(la + e->addend);
}

/* Physical address of an instruction fetch at la if the TLB has it (for
 * looking up decoded blocks); otherwise false and tlb_fetch_pa() of
 * cpu/tlb.h decides. */
static inline bool memf_fetch_pa(const struct cpu *c, uint64_t la,
				 uint64_t *pa)
{
	const struct tlb_entry *e =
		&c->tlb.e[c->cpl == 3][(la >> 12) & (TLB_SIZE - 1)];
	if (e->xtag != (la & ~0xfffull))
		return false;
	*pa = e->pa | (la & 0xfff);
	return true;
}

#endif
