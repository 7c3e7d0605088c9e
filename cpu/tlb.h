/* The software TLB: linear pages mapped to host RAM for read, write and
 * fetch separately, filled from page walks, and the invalidation rules of
 * SDM Vol. 3A 4.10.4 for the instructions that must apply them. The
 * flushes themselves (tlb_flush_all, tlb_flush_nonglobal, tlb_flush_page,
 * tlb_protect_code_page) are declared in cpu/mem.h; tlb_flush_page() is
 * INVLPG: it drops the page holding la, global or not, whatever its size
 * (SDM Vol. 3A 4.10.4.1).
 *
 * Invariants of an entry (struct tlb_entry, cpu/state.h):
 *   - set 0 serves supervisor accesses (explicit and implicit), set 1
 *     user-mode accesses (explicit accesses at CPL 3);
 *   - a tag is present only if the access it stands for is permitted by
 *     the translation for every value of EFLAGS.AC: supervisor entries
 *     for user-mode pages have no read/write tag with CR4.SMAP = 1 and no
 *     fetch tag with CR4.SMEP = 1; PKRU is folded in when filled;
 *   - a write tag needs the dirty flag already set in the final entry
 *     and a page that holds no cached code;
 *   - no read (write) tag for a page holding bytes of an enabled data
 *     breakpoint that matches reads (writes), so that those accesses
 *     reach the breakpoint check of the slow path (cpu/debug.h);
 *   - only RAM pages are entered; MMIO always walks;
 *   - non-global entries belong to the current PCID. */
#ifndef CPU_TLB_H
#define CPU_TLB_H

#include <stdint.h>

#include "cpu/mem.h"
#include "cpu/state.h"

/* tlb_entry.flags, besides TLB_GLOBAL: log2 of the size of the page the
 * entry is a 4-KiB piece of, so that INVLPG drops a whole large page. */
#define TLB_FLAG_SHIFT_POS 8
#define TLB_FLAG_SHIFT_MASK (0xffu << TLB_FLAG_SHIFT_POS)

static inline unsigned tlb_index(uint64_t la)
{
	return (unsigned)(la >> 12) & (TLB_SIZE - 1);
}

/* One translated linear address. */
struct tlb_xlate {
	uint64_t pa;
	uint8_t *host;  /* the RAM byte at pa, or NULL for MMIO */
};

/* Translates la for one access through the TLB, walking the page tables
 * (and filling the TLB) on a miss. acc is ACC_* of cpu/mem.h with
 * ACC_USER set exactly for user-mode accesses. Raises #PF. la must be
 * canonical in IA-32e mode and below 4 GiB outside it. */
void tlb_translate(struct cpu *c, uint64_t la, unsigned acc,
		   struct tlb_xlate *x);

/* Physical address of an instruction fetch at linear address la at the
 * current CPL (for looking up decoded blocks). Raises #GP(0) for a
 * non-canonical la in IA-32e mode and #PF like the fetch would. */
uint64_t tlb_fetch_pa(struct cpu *c, uint64_t la);

/* Every CPU write to RAM that bypasses the fast path reports here: the
 * code cache drops blocks over it and, if the page held code, this CPU's
 * ATTN_CODE_CHANGED is raised. */
void tlb_note_ram_write(struct cpu *c, uint64_t pa, uint64_t len);

/* Applies the invalidation that writing a control register implies, to
 * be called after the register holds its new value (for CR0, CR4) or
 * with CR4 unchanged (for CR3):
 *   CR0: a change of PG or WP flushes everything;
 *   CR3: new is the MOV source operand, bit 63 included. Non-global
 *        entries are dropped, unless CR4.PCIDE = 1, bit 63 is 1 and the
 *        PCID (bits 11:0) is unchanged (SDM Vol. 3A 4.10.4.1);
 *   CR4: a change of PSE, PAE, PGE, LA57, PCIDE, SMEP, SMAP or PKE
 *        flushes everything.
 * Other registers need nothing. */
void tlb_on_cr_write(struct cpu *c, int cr, uint64_t old, uint64_t new);

/* WRMSR to IA32_EFER: a change of NXE or LMA flushes everything (NXE is
 * folded into reserved-bit checks and fetch tags). */
void tlb_on_efer_write(struct cpu *c, uint64_t old, uint64_t new);

/* INVPCID of a checked descriptor (SDM Vol. 2A INVPCID): type 0
 * individual address (la, pcid; not global entries), 1 single context,
 * 2 all contexts including globals, 3 all contexts except globals. */
void tlb_invpcid(struct cpu *c, unsigned type, uint16_t pcid, uint64_t la);

#endif
