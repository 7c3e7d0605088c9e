/* The software TLB: lookups, fills from page walks, and the
 * invalidations of SDM Vol. 3A 4.10.4. See cpu/tlb.h for what an entry
 * promises. */
#include "cpu/tlb.h"

#include "cpu/blockcache.h"
#include "cpu/debug.h"
#include "cpu/fault.h"
#include "cpu/paging.h"
#include "cpu/regs.h"

#define PAGE_MASK (~0xfffull)

static void invalidate(struct tlb_entry *e)
{
	e->rtag = TLB_TAG_INVALID;
	e->wtag = TLB_TAG_INVALID;
	e->xtag = TLB_TAG_INVALID;
	e->flags = 0;
}

/* The linear page an entry maps, or TLB_TAG_INVALID if it maps none.
 * All valid tags of an entry name the same page. */
static uint64_t entry_page(const struct tlb_entry *e)
{
	if (e->rtag != TLB_TAG_INVALID)
		return e->rtag;
	if (e->xtag != TLB_TAG_INVALID)
		return e->xtag;
	return e->wtag;
}

void tlb_note_ram_write(struct cpu *c, uint64_t pa, uint64_t len)
{
	if (!c->cc || !len)
		return;
	bool code = code_cache_is_code_page(c->cc, pa) ||
		    code_cache_is_code_page(c->cc, pa + len - 1);
	code_cache_note_write(c->cc, pa, len);
	if (code)
		c->attention |= ATTN_CODE_CHANGED;
}

/* Enters the translation w found into set (0 supervisor, 1 user). The
 * tags are what that set's accesses may do without a walk; a tag that
 * depends on EFLAGS.AC or that needs the dirty flag set is left out, and
 * so is one for accesses an enabled data breakpoint on the page may
 * match (cpu/debug.h). */
static void fill(struct cpu *c, unsigned set, uint64_t la, uint8_t *host,
		 const struct paging_walk *w)
{
	struct tlb_entry *e = &c->tlb.e[set][tlb_index(la)];
	uint64_t page = la & PAGE_MASK;
	uint64_t pa_page = w->pa & PAGE_MASK;
	/* Supervisor tags are computed as for implicit accesses, which
	 * SMAP refuses for user-mode pages whatever EFLAGS.AC says. */
	unsigned who = set ? ACC_USER : ACC_IMPLICIT_SV;
	bool code = c->cc && code_cache_is_code_page(c->cc, pa_page);
	unsigned watch = (c->dr[7] & DR7_ENABLE_BITS) ?
			 debug_page_watch(c->dr, page) : 0;

	e->rtag = ((watch & DEBUG_WATCH_READ) ||
		   paging_check(c, w, who | ACC_READ)) ? TLB_TAG_INVALID : page;
	e->xtag = paging_check(c, w, who | ACC_FETCH) ? TLB_TAG_INVALID : page;
	e->wtag = (w->dirty && !code && !(watch & DEBUG_WATCH_WRITE) &&
		   !paging_check(c, w, who | ACC_WRITE)) ? page : TLB_TAG_INVALID;
	e->addend = (uintptr_t)(host - (w->pa & 0xfff)) - (uintptr_t)page;
	e->pa = pa_page;
	e->flags = (w->global ? TLB_GLOBAL : 0) |
		   (w->page_shift << TLB_FLAG_SHIFT_POS);
}

void tlb_translate(struct cpu *c, uint64_t la, unsigned acc,
		   struct tlb_xlate *x)
{
	unsigned set = (acc & ACC_USER) ? 1 : 0;
	struct tlb_entry *e = &c->tlb.e[set][tlb_index(la)];
	uint64_t tag = (acc & ACC_WRITE)   ? e->wtag
		       : (acc & ACC_FETCH) ? e->xtag
					   : e->rtag;
	if (tag == (la & PAGE_MASK)) {
		x->pa = e->pa | (la & 0xfff);
		x->host = (uint8_t *)(uintptr_t)(la + e->addend);
		return;
	}
	struct paging_walk w;
	paging_translate(c, la, acc, &w);
	uint8_t *page = c->bus->ops->ram_page(c->bus->ctx, w.pa & PAGE_MASK);
	x->pa = w.pa;
	x->host = page ? page + (w.pa & 0xfff) : NULL;
	if (page)
		fill(c, set, la, x->host, &w);
}

uint64_t tlb_fetch_pa(struct cpu *c, uint64_t la)
{
	if ((c->efer & EFER_LMA) && !paging_canonical(c, la))
		cpu_gp0(c, "instruction fetch at non-canonical linear address 0x%llx",
			(unsigned long long)la);
	struct tlb_xlate x;
	tlb_translate(c, la, ACC_FETCH | (c->cpl == 3 ? ACC_USER : 0), &x);
	return x.pa;
}

void tlb_flush_all(struct cpu *c)
{
	jcache_invalidate(c);
	for (unsigned s = 0; s < 2; s++)
		for (unsigned i = 0; i < TLB_SIZE; i++)
			invalidate(&c->tlb.e[s][i]);
}

void tlb_flush_nonglobal(struct cpu *c)
{
	jcache_invalidate(c);
	for (unsigned s = 0; s < 2; s++)
		for (unsigned i = 0; i < TLB_SIZE; i++)
			if (!(c->tlb.e[s][i].flags & TLB_GLOBAL))
				invalidate(&c->tlb.e[s][i]);
}

/* Drops every entry whose page (of any size) holds la; with keep_global
 * the global ones stay. A large page is entered as 4-KiB pieces spread
 * over the whole TLB, hence the scan. */
static void flush_la(struct cpu *c, uint64_t la, bool keep_global)
{
	jcache_invalidate(c);
	for (unsigned s = 0; s < 2; s++) {
		for (unsigned i = 0; i < TLB_SIZE; i++) {
			struct tlb_entry *e = &c->tlb.e[s][i];
			unsigned shift = (e->flags & TLB_FLAG_SHIFT_MASK) >>
					 TLB_FLAG_SHIFT_POS;
			if (!shift || (keep_global && (e->flags & TLB_GLOBAL)))
				continue;
			uint64_t page = entry_page(e);
			if (page != TLB_TAG_INVALID && ((page ^ la) >> shift) == 0)
				invalidate(e);
		}
	}
}

void tlb_flush_page(struct cpu *c, uint64_t la)
{
	flush_la(c, la, false);
}

void tlb_protect_code_page(struct cpu *c, uint64_t pa)
{
	uint64_t page = pa & PAGE_MASK;
	for (unsigned s = 0; s < 2; s++)
		for (unsigned i = 0; i < TLB_SIZE; i++) {
			struct tlb_entry *e = &c->tlb.e[s][i];
			if (e->wtag != TLB_TAG_INVALID && e->pa == page)
				e->wtag = TLB_TAG_INVALID;
		}
}

static uint16_t current_pcid(const struct cpu *c)
{
	return (c->cr4 & CR4_PCIDE) ? (uint16_t)(c->cr3 & 0xfff) : 0;
}

void tlb_on_cr_write(struct cpu *c, int cr, uint64_t old, uint64_t new)
{
	switch (cr) {
	case 0:
		/* SDM Vol. 3A 4.10.4.1: CR0.PG; WP is folded into the tags. */
		if ((old ^ new) & (CR0_PG | CR0_WP))
			tlb_flush_all(c);
		break;
	case 3:
		/* Entries of other PCIDs are not kept, so a change of PCID
		 * drops the non-global ones even with the no-flush bit. */
		if (!(c->cr4 & CR4_PCIDE) || !(new & CR3_NOFLUSH) ||
		    ((old ^ new) & 0xfff))
			tlb_flush_nonglobal(c);
		break;
	case 4:
		/* PGE, PAE, PSE, SMEP, PCIDE 1->0 and LA57 invalidate
		 * architecturally; SMAP and PKE are folded into the tags. */
		if ((old ^ new) & (CR4_PSE | CR4_PAE | CR4_PGE |
				   CR4_LA57 | CR4_PCIDE |
				   CR4_SMEP | CR4_SMAP | CR4_PKE))
			tlb_flush_all(c);
		break;
	default:
		break;
	}
}

void tlb_on_efer_write(struct cpu *c, uint64_t old, uint64_t new)
{
	if ((old ^ new) & (EFER_NXE | EFER_LMA))
		tlb_flush_all(c);
}

void tlb_invpcid(struct cpu *c, unsigned type, uint16_t pcid, uint64_t la)
{
	/* Only the current PCID's non-global entries are held, so a
	 * request for another PCID has nothing to drop. */
	switch (type) {
	case 0:
		if (pcid == current_pcid(c))
			flush_la(c, la, true);
		break;
	case 1:
		if (pcid == current_pcid(c))
			tlb_flush_nonglobal(c);
		break;
	case 2:
		tlb_flush_all(c);
		break;
	case 3:
		tlb_flush_nonglobal(c);
		break;
	default:
		break;
	}
}
