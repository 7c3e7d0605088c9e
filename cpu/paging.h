/* Page walks for every paging mode (SDM Vol. 3A chapter 4): translation,
 * reserved-bit and access-rights checks, accessed/dirty updates and the
 * #PF error code. The TLB (cpu/tlb.h) caches what a walk finds. */
#ifndef CPU_PAGING_H
#define CPU_PAGING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/regs.h"
#include "cpu/state.h"

/* Paging-structure entry bits (SDM Vol. 3A 4.3-4.5). */
#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_US (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_G (1ull << 8)
#define PTE_XD (1ull << 63)

enum paging_mode {
	PAGING_OFF,    /* CR0.PG = 0: linear = physical */
	PAGING_32,     /* 32-bit paging */
	PAGING_PAE,    /* PAE paging */
	PAGING_4LEVEL, /* 4-level paging (IA-32e mode) */
	PAGING_5LEVEL, /* 5-level paging (IA-32e mode, CR4.LA57) */
};

enum paging_mode paging_mode(const struct cpu *c);

/* MAXPHYADDR: CPUID 0x80000008 EAX[7:0] of the model, 46 if absent. */
unsigned paging_maxphyaddr(const struct cpu *c);

/* True if la is canonical for the current paging mode (48 or 57 bits). */
bool paging_canonical(const struct cpu *c, uint64_t la);

/* What a successful walk found: the translation and the access rights
 * combined over every paging-structure entry used (SDM Vol. 3A 4.6). */
struct paging_walk {
	uint64_t la;
	uint64_t pa;          /* physical address of la */
	unsigned page_shift;  /* 12, 21, 22 or 30 */
	bool user;            /* U/S = 1 in every entry: a user-mode address */
	bool writable;        /* R/W = 1 in every entry */
	bool nx;              /* EFER.NXE = 1 and XD = 1 in some entry */
	bool global;          /* CR4.PGE = 1 and G = 1 in the final entry */
	bool dirty;           /* D = 1 in the final entry (after this walk) */
	int pkey;             /* protection key, or -1 outside IA-32e paging
				 or with CR4.PKE = 0 */
};

/* Translates la for an access (ACC_* of cpu/mem.h; ACC_USER marks a
 * user-mode access). Raises #PF with the SDM's error code if there is no
 * valid translation or the access rights do not permit the access;
 * otherwise sets the accessed flags of every entry used and, for a
 * write, the dirty flag of the final entry (SDM Vol. 3A 4.8), then fills
 * w. la must be canonical in IA-32e mode. */
void paging_translate(struct cpu *c, uint64_t la, unsigned acc,
		      struct paging_walk *w);

/* Whether an access of kind acc is permitted by a translation, for the
 * current CR0, CR4, PKRU and EFLAGS.AC. Returns 0, or the #PF error-code
 * bits the refusal contributes (P, and PK when PKRU refuses too). */
uint32_t paging_check(const struct cpu *c, const struct paging_walk *w,
		      unsigned acc);

/* Translation without side effects or faults, for debuggers and the CLI:
 * true and *pa if la has a valid translation. */
bool paging_probe(struct cpu *c, uint64_t la, uint64_t *pa);

/* Reads the four PDPTEs that PAE paging with CR3 = cr3 would use and
 * checks their reserved bits (SDM Vol. 3A 4.4.1). Returns false with the
 * reason in why if one is present with a reserved bit set. No state
 * changes. */
bool paging_read_pdptes(struct cpu *c, uint64_t cr3, uint64_t pdpte[4],
			char *why, size_t whylen);

/* Loads the PDPTE registers from the PDPT at cr3, or raises #GP(0) (and
 * loads nothing) if one of them is invalid. The CR writers call it before
 * committing the new value, when after the write PAE paging is in use
 * and either CR3 is written or the write changes CR0.PG, CR0.CD, CR0.NW,
 * CR4.PAE, CR4.PGE, CR4.PSE or CR4.SMEP (SDM Vol. 3A 4.4.1). */
void paging_load_pdptes(struct cpu *c, uint64_t cr3);

#endif
