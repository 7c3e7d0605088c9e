/* Guest memory access from instruction handlers: segmentation, then
 * paging through the software TLB, then RAM or MMIO. Every function here
 * may raise a fault (#GP, #SS, #PF, #AC) and then does not return. */
#ifndef CPU_MEM_H
#define CPU_MEM_H

#include <stdint.h>

#include "cpu/state.h"

/* Access kinds for linear accesses. */
enum {
	ACC_READ = 0,
	ACC_WRITE = 1u << 0,
	ACC_FETCH = 1u << 1,
	ACC_IMPLICIT_SV = 1u << 2, /* implicit supervisor access (descriptor
				      tables, TSS, IDT): user bit ignored */
	ACC_USER = 1u << 3,        /* explicit access at CPL 3 */
};

/* Segmented accesses: seg is SEG_ES..SEG_GS, off an effective address
 * already truncated to the address size. Segment limit and type checks
 * raise #GP(0), or #SS(0) for SS. */
uint8_t mem_read8(struct cpu *c, int seg, uint64_t off);
uint16_t mem_read16(struct cpu *c, int seg, uint64_t off);
uint32_t mem_read32(struct cpu *c, int seg, uint64_t off);
uint64_t mem_read64(struct cpu *c, int seg, uint64_t off);
void mem_write8(struct cpu *c, int seg, uint64_t off, uint8_t v);
void mem_write16(struct cpu *c, int seg, uint64_t off, uint16_t v);
void mem_write32(struct cpu *c, int seg, uint64_t off, uint32_t v);
void mem_write64(struct cpu *c, int seg, uint64_t off, uint64_t v);

/* Size-generic forms, size 1, 2, 4 or 8. */
uint64_t mem_read(struct cpu *c, int seg, uint64_t off, unsigned size);
void mem_write(struct cpu *c, int seg, uint64_t off, unsigned size,
	       uint64_t v);

/* Raises the fault a write of size bytes at seg:off would raise, without
 * writing. Instructions that store more than once probe every store
 * first, so that a fault leaves memory unchanged. */
void mem_probe_write(struct cpu *c, int seg, uint64_t off, unsigned size);
/* The same for reads (e.g. to check a stack pop before changing state). */
void mem_probe_read(struct cpu *c, int seg, uint64_t off, unsigned size);

/* Segmentation only: the linear address of seg:off for an access of size
 * bytes, after the limit, type and canonical checks. */
uint64_t seg_linear(struct cpu *c, int seg, uint64_t off, unsigned size,
		    unsigned acc);

/* Linear accesses (after segmentation), e.g. descriptor tables. */
uint64_t lin_read(struct cpu *c, uint64_t la, unsigned size, unsigned acc);
void lin_write(struct cpu *c, uint64_t la, unsigned size, uint64_t v,
	       unsigned acc);

/* Instruction fetch of len bytes (len <= 15) at linear address la into
 * buf; the page walk may fault. */
void mem_fetch(struct cpu *c, uint64_t la, uint8_t *buf, unsigned len);

/* Physical accesses (page walks, loaders through the CPU): RAM or MMIO,
 * no faults. */
uint64_t phys_read(struct cpu *c, uint64_t pa, unsigned size);
void phys_write(struct cpu *c, uint64_t pa, unsigned size, uint64_t v);

/* TLB maintenance (SDM Vol. 3A 4.10.4). */
void tlb_flush_all(struct cpu *c);          /* including global entries */
void tlb_flush_nonglobal(struct cpu *c);
void tlb_flush_page(struct cpu *c, uint64_t la);
/* Drops every write tag for physical page pa (it now holds cached code). */
void tlb_protect_code_page(struct cpu *c, uint64_t pa);

#endif
