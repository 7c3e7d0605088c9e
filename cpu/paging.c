/* Page walks (SDM Vol. 3A chapter 4): 32-bit paging with PSE and PSE-36,
 * PAE paging through the PDPTE registers, 4-level and 5-level paging,
 * with reserved-bit checks, access rights (U/S, R/W with CR0.WP, XD,
 * SMEP, SMAP, protection keys), accessed/dirty updates and #PF error
 * codes whose reasons name the entry and the bit. */
#include "cpu/paging.h"

#include <stdio.h>
#include <string.h>

#include "cpu/fault.h"
#include "cpu/flags.h"
#include "cpu/mem.h"
#include "cpu/tlb.h"
#include "cpu/regs.h"

/* Bits hi..lo of a 64-bit value (empty when hi < lo). */
static uint64_t bits(unsigned hi, unsigned lo)
{
	if (hi < lo)
		return 0;
	return (~0ull >> (63 - hi)) & (~0ull << lo);
}

enum paging_mode paging_mode(const struct cpu *c)
{
	if (!(c->cr0 & CR0_PG))
		return PAGING_OFF;
	if (!(c->cr4 & CR4_PAE))
		return PAGING_32;
	if (!(c->efer & EFER_LMA))
		return PAGING_PAE;
	return (c->cr4 & CR4_LA57) ? PAGING_5LEVEL : PAGING_4LEVEL;
}

static const struct cpuid_leaf *model_leaf(const struct cpu *c, uint32_t leaf)
{
	for (unsigned i = 0; i < c->model.n_cpuid && i < MODEL_MAX_CPUID; i++)
		if (c->model.cpuid[i].leaf == leaf)
			return &c->model.cpuid[i];
	return NULL;
}

unsigned paging_maxphyaddr(const struct cpu *c)
{
	const struct cpuid_leaf *l = model_leaf(c, 0x80000008u);
	unsigned m = l ? (l->eax & 0xff) : 0;
	if (m < 32 || m > 52)
		return 46;
	return m;
}

/* CPUID.80000001H:EDX.Page1GB[bit 26]: 1-GByte pages (SDM Vol. 3A 4.1.4).
 * Without it, PS = 1 in a PDPTE is a reserved bit. */
static bool has_1g_pages(const struct cpu *c)
{
	const struct cpuid_leaf *l = model_leaf(c, 0x80000001u);
	return l && (l->edx & (1u << 26));
}

bool paging_canonical(const struct cpu *c, uint64_t la)
{
	if (!(c->efer & EFER_LMA))
		return true;
	unsigned sh = (c->cr4 & CR4_LA57) ? 64 - 57 : 64 - 48;
	return (uint64_t)((int64_t)(la << sh) >> sh) == la;
}

/* One paging-structure entry used by a walk. */
struct walk_level {
	uint64_t entry;
	uint64_t entry_pa;
	const char *name;
	bool has_a;      /* PAE's PDPTE registers have no accessed flag */
};

struct walk_state {
	struct walk_level lv[5];
	int n;
	/* Set when there is no valid translation: */
	uint32_t fail_ec;     /* 0 (not present) or PFEC_P | PFEC_RSVD */
	uint64_t fail_bits;   /* the reserved bits that were set */
};

static const char *const names_32[] = { "PDE", "PTE" };
static const char *const names_pae[] = { "PDE", "PTE" };
static const char *const names_4[] = { "PML4E", "PDPTE", "PDE", "PTE" };
static const char *const names_5[] = { "PML5E", "PML4E", "PDPTE", "PDE", "PTE" };

static struct walk_level *record(struct walk_state *s, uint64_t entry,
				 uint64_t entry_pa, const char *name,
				 bool has_a)
{
	struct walk_level *l = &s->lv[s->n++];
	l->entry = entry;
	l->entry_pa = entry_pa;
	l->name = name;
	l->has_a = has_a;
	return l;
}

/* Folds one entry's access-rights bits into w (SDM Vol. 3A 4.6.1). */
static void fold(struct paging_walk *w, uint64_t e)
{
	w->user = w->user && (e & PTE_US);
	w->writable = w->writable && (e & PTE_RW);
	if (e & PTE_XD)
		w->nx = true;
}

static void leaf(const struct cpu *c, struct paging_walk *w, uint64_t e,
		 uint64_t pa, unsigned shift)
{
	w->pa = pa & c->a20_mask;
	w->page_shift = shift;
	w->global = (c->cr4 & CR4_PGE) && (e & PTE_G);
	w->dirty = e & PTE_D;
	/* Protection keys exist only in IA-32e paging (SDM Vol. 3A 4.6.2). */
	if ((c->efer & EFER_LMA) && (c->cr4 & CR4_PKE))
		w->pkey = (int)((e >> 59) & 0xf);
}

/* 32-bit paging (SDM Vol. 3A 4.3): 4-byte entries, 4-MByte pages with
 * CR4.PSE, PSE-36 physical bits M-1:32 in PDE bits 20:13 with
 * M = min(MAXPHYADDR, 40). */
static bool walk_32(struct cpu *c, uint64_t la, struct paging_walk *w,
		    struct walk_state *s)
{
	uint64_t pde_pa = (c->cr3 & 0xfffff000u) + ((la >> 22) & 0x3ff) * 4;
	uint64_t pde = phys_read(c, pde_pa, 4);
	record(s, pde, pde_pa, names_32[0], true);
	if (!(pde & PTE_P))
		return false;
	if ((pde & PTE_PS) && (c->cr4 & CR4_PSE)) {
		unsigned m = paging_maxphyaddr(c);
		if (m > 40)
			m = 40;
		uint64_t rsvd = bits(21, m - 19);
		if (pde & rsvd) {
			s->fail_ec = PFEC_P | PFEC_RSVD;
			s->fail_bits = pde & rsvd;
			return false;
		}
		fold(w, pde);
		uint64_t pa = (pde & 0xffc00000u) | (((pde >> 13) & 0xff) << 32) |
			      (la & 0x3fffff);
		leaf(c, w, pde, pa, 22);
		return true;
	}
	fold(w, pde);
	uint64_t pte_pa = (pde & 0xfffff000u) + ((la >> 12) & 0x3ff) * 4;
	uint64_t pte = phys_read(c, pte_pa, 4);
	record(s, pte, pte_pa, names_32[1], true);
	if (!(pte & PTE_P))
		return false;
	fold(w, pte);
	leaf(c, w, pte, (pte & 0xfffff000u) | (la & 0xfff), 12);
	return true;
}

/* The 8-byte-entry levels of PAE, 4-level and 5-level paging, starting
 * with the table at table whose entries map 1 << shift bytes. */
static bool walk_8(struct cpu *c, uint64_t la, uint64_t table,
		   unsigned shift, const char *const *names, bool pae,
		   struct paging_walk *w, struct walk_state *s)
{
	unsigned m = paging_maxphyaddr(c);
	uint64_t addr = bits(m - 1, 12);
	/* PAE entries reserve bits 62:M; IA-32e entries reserve 51:M and
	 * leave 62:52 to software (and protection keys). XD is reserved
	 * when EFER.NXE = 0 (SDM Vol. 3A tables 4-11, 4-14 to 4-20). */
	uint64_t rsvd_all = pae ? bits(62, m) : bits(51, m);
	if (!(c->efer & EFER_NXE))
		rsvd_all |= PTE_XD;
	for (int i = 0;; i++) {
		uint64_t epa = table + ((la >> shift) & 0x1ff) * 8;
		uint64_t e = phys_read(c, epa, 8);
		record(s, e, epa, names[i], true);
		if (!(e & PTE_P))
			return false;
		uint64_t rsvd = rsvd_all;
		bool is_leaf = shift == 12;
		if (shift >= 39) {
			rsvd |= PTE_PS;
		} else if (shift == 30 && (e & PTE_PS)) {
			if (has_1g_pages(c)) {
				rsvd |= bits(29, 13);
				is_leaf = true;
			} else {
				rsvd |= PTE_PS;
			}
		} else if (shift == 21 && (e & PTE_PS)) {
			rsvd |= bits(20, 13);
			is_leaf = true;
		}
		if (e & rsvd) {
			s->fail_ec = PFEC_P | PFEC_RSVD;
			s->fail_bits = e & rsvd;
			return false;
		}
		fold(w, e);
		if (is_leaf) {
			uint64_t off = bits(shift - 1, 0);
			leaf(c, w, e, (e & addr & ~off) | (la & off), shift);
			return true;
		}
		table = e & addr;
		shift -= 9;
	}
}

/* Walks the paging structures for la without side effects. True with w
 * filled if there is a valid translation; otherwise s says why. */
static bool walk(struct cpu *c, uint64_t la, struct paging_walk *w,
		 struct walk_state *s)
{
	memset(w, 0, sizeof(*w));
	w->la = la;
	w->user = true;
	w->writable = true;
	w->pkey = -1;
	s->n = 0;
	s->fail_ec = 0;
	s->fail_bits = 0;
	unsigned m = paging_maxphyaddr(c);

	switch (paging_mode(c)) {
	case PAGING_OFF:
		w->pa = la & c->a20_mask;
		w->page_shift = 12;
		w->dirty = true;
		return true;
	case PAGING_32:
		return walk_32(c, la, w, s);
	case PAGING_PAE: {
		/* The PDPTE registers were checked when loaded (4.4.1); they
		 * carry no access rights and no accessed flag. */
		uint64_t pdpte = c->pdpte[(la >> 30) & 3];
		record(s, pdpte, (c->cr3 & 0xffffffe0u) + ((la >> 30) & 3) * 8,
		       "PDPTE", false);
		if (!(pdpte & PTE_P))
			return false;
		return walk_8(c, la, pdpte & bits(m - 1, 12), 21, names_pae,
			      true, w, s);
	}
	case PAGING_4LEVEL:
		return walk_8(c, la, c->cr3 & bits(m - 1, 12), 39, names_4,
			      false, w, s);
	case PAGING_5LEVEL:
		return walk_8(c, la, c->cr3 & bits(m - 1, 12), 48, names_5,
			      false, w, s);
	}
	return false;
}

bool paging_probe(struct cpu *c, uint64_t la, uint64_t *pa)
{
	struct paging_walk w;
	struct walk_state s;
	if (!walk(c, la, &w, &s))
		return false;
	*pa = w.pa;
	return true;
}

/* The rule that refuses an access, in the SDM's terms (4.6.1, 4.6.2). */
enum deny {
	DENY_NONE,
	DENY_US,    /* user-mode access to a supervisor-mode address */
	DENY_SMEP,
	DENY_NX,
	DENY_SMAP,
	DENY_RW,    /* write to a read-only translation */
	DENY_PK,
};

/* Protection keys refuse a data access to a user-mode address when
 * PKRU.AD = 1, or for a write when PKRU.WD = 1 and the access is a
 * user-mode one or CR0.WP = 1 (SDM Vol. 3A 4.6.2). */
static bool pk_denies(const struct cpu *c, const struct paging_walk *w,
		      unsigned acc)
{
	if (w->pkey < 0 || !w->user || (acc & ACC_FETCH))
		return false;
	unsigned k = (c->pkru >> (2 * w->pkey)) & 3;
	if (k & 1)
		return true;
	return (k & 2) && (acc & ACC_WRITE) &&
	       ((acc & ACC_USER) || (c->cr0 & CR0_WP));
}

static enum deny deny_rule(const struct cpu *c, const struct paging_walk *w,
			   unsigned acc)
{
	bool user = acc & ACC_USER;
	/* Access rights come from paging-structure entries (SDM Vol. 3A
	 * 4.6): without paging no address is a user-mode one, and SMEP,
	 * SMAP and protection keys refuse nothing, whatever CR4 says. */
	if (paging_mode(c) == PAGING_OFF)
		return DENY_NONE;
	if (acc & ACC_FETCH) {
		if (user && !w->user)
			return DENY_US;
		if (!user && w->user && (c->cr4 & CR4_SMEP))
			return DENY_SMEP;
		if (w->nx)
			return DENY_NX;
		return DENY_NONE;
	}
	if (user && !w->user)
		return DENY_US;
	/* SMAP: supervisor data accesses to user-mode addresses fault
	 * unless explicit with EFLAGS.AC = 1 (SDM Vol. 3A 4.6.1). */
	if (!user && w->user && (c->cr4 & CR4_SMAP) &&
	    ((acc & ACC_IMPLICIT_SV) || !(c->rflags & FLAG_AC)))
		return DENY_SMAP;
	if ((acc & ACC_WRITE) && !w->writable &&
	    (user || (c->cr0 & CR0_WP)))
		return DENY_RW;
	if (pk_denies(c, w, acc))
		return DENY_PK;
	return DENY_NONE;
}

uint32_t paging_check(const struct cpu *c, const struct paging_walk *w,
		      unsigned acc)
{
	if (deny_rule(c, w, acc) == DENY_NONE)
		return 0;
	return PFEC_P | (pk_denies(c, w, acc) ? PFEC_PK : 0);
}

/* Error-code bits that describe the access (SDM Vol. 3A 4.7): I/D only
 * when CR4.SMEP = 1 or CR4.PAE = EFER.NXE = 1. */
static uint32_t access_ec(const struct cpu *c, unsigned acc)
{
	uint32_t ec = 0;
	if (acc & ACC_WRITE)
		ec |= PFEC_W;
	if (acc & ACC_USER)
		ec |= PFEC_U;
	if ((acc & ACC_FETCH) &&
	    ((c->cr4 & CR4_SMEP) ||
	     ((c->cr4 & CR4_PAE) && (c->efer & EFER_NXE))))
		ec |= PFEC_I;
	return ec;
}

static const char *access_name(unsigned acc)
{
	if (acc & ACC_FETCH)
		return (acc & ACC_USER) ? "user-mode instruction fetch"
					: "supervisor-mode instruction fetch";
	if (acc & ACC_USER)
		return (acc & ACC_WRITE) ? "user-mode write" : "user-mode read";
	if (acc & ACC_IMPLICIT_SV)
		return (acc & ACC_WRITE) ? "implicit supervisor-mode write"
					 : "implicit supervisor-mode read";
	return (acc & ACC_WRITE) ? "supervisor-mode write"
				 : "supervisor-mode read";
}

static const char *mode_name(const struct cpu *c)
{
	switch (paging_mode(c)) {
	case PAGING_32: return "32-bit paging";
	case PAGING_PAE: return "PAE paging";
	case PAGING_4LEVEL: return "4-level paging";
	case PAGING_5LEVEL: return "5-level paging";
	default: return "no paging";
	}
}

static _Noreturn void raise_no_translation(struct cpu *c, uint64_t la,
					   unsigned acc,
					   const struct walk_state *s)
{
	const struct walk_level *l = &s->lv[s->n - 1];
	uint32_t ec = s->fail_ec | access_ec(c, acc);
	if (!s->fail_ec)
		cpu_raise_pf(c, la, ec,
			     "%s at linear 0x%llx (%s): %s 0x%llx at physical 0x%llx is not present (P = 0)",
			     access_name(acc), (unsigned long long)la,
			     mode_name(c), l->name,
			     (unsigned long long)l->entry,
			     (unsigned long long)l->entry_pa);
	unsigned bit = (unsigned)__builtin_ctzll(s->fail_bits);
	const char *what = "";
	if (bit == 63)
		what = " (XD with EFER.NXE = 0)";
	else if (bit == 7)
		what = " (PS, not allowed at this level)";
	else if (bit >= 12)
		what = " (physical address bit beyond MAXPHYADDR or a reserved large-page bit)";
	cpu_raise_pf(c, la, ec,
		     "%s at linear 0x%llx (%s): %s 0x%llx at physical 0x%llx sets reserved bit %u%s; MAXPHYADDR = %u",
		     access_name(acc), (unsigned long long)la, mode_name(c),
		     l->name, (unsigned long long)l->entry,
		     (unsigned long long)l->entry_pa, bit, what,
		     paging_maxphyaddr(c));
}

/* The first entry in which (entry & mask) == want, for naming the level
 * that made an access-rights check fail; the final entry otherwise. */
static const struct walk_level *culprit(const struct walk_state *s,
					uint64_t mask, uint64_t want)
{
	for (int i = 0; i < s->n; i++)
		if (s->lv[i].has_a && (s->lv[i].entry & mask) == want)
			return &s->lv[i];
	return &s->lv[s->n - 1];
}

static _Noreturn void raise_denied(struct cpu *c, uint64_t la, unsigned acc,
				   const struct paging_walk *w,
				   const struct walk_state *s, enum deny d)
{
	uint32_t ec = paging_check(c, w, acc) | access_ec(c, acc);
	const struct walk_level *l = &s->lv[s->n - 1];
	char rule[160];
	switch (d) {
	case DENY_US:
		l = culprit(s, PTE_US, 0);
		snprintf(rule, sizeof(rule), "has U/S = 0 (supervisor-mode page)");
		break;
	case DENY_SMEP:
		snprintf(rule, sizeof(rule),
			 "maps a user-mode page and CR4.SMEP = 1");
		break;
	case DENY_NX:
		l = culprit(s, PTE_XD, PTE_XD);
		snprintf(rule, sizeof(rule),
			 "has XD = 1 and EFER.NXE = 1");
		break;
	case DENY_SMAP:
		snprintf(rule, sizeof(rule),
			 "maps a user-mode page and CR4.SMAP = 1 with %s",
			 (acc & ACC_IMPLICIT_SV) ? "an implicit access"
						 : "EFLAGS.AC = 0");
		break;
	case DENY_RW:
		l = culprit(s, PTE_RW, 0);
		snprintf(rule, sizeof(rule), "has R/W = 0 (read-only)%s",
			 (acc & ACC_USER) ? "" : " and CR0.WP = 1");
		break;
	default:
		snprintf(rule, sizeof(rule),
			 "has protection key %d and PKRU = 0x%08x (AD = %u, WD = %u)%s",
			 w->pkey, c->pkru, (c->pkru >> (2 * w->pkey)) & 1,
			 (c->pkru >> (2 * w->pkey + 1)) & 1,
			 (acc & ACC_USER) ? "" : " with CR0.WP = 1");
		break;
	}
	cpu_raise_pf(c, la, ec,
		     "%s at linear 0x%llx (%s): %s 0x%llx at physical 0x%llx %s",
		     access_name(acc), (unsigned long long)la, mode_name(c),
		     l->name, (unsigned long long)l->entry,
		     (unsigned long long)l->entry_pa, rule);
}

/* Sets flag bits (A, D: both in the entry's low byte) with one locked OR,
 * as the processor does (SDM Vol. 3A 4.8). */
static void set_flags(struct cpu *c, const struct walk_level *l,
		      uint8_t flags)
{
	if ((l->entry & flags) == flags)
		return;
	/* The entry was read through phys_read(), which applied A20. */
	uint64_t pa = l->entry_pa & c->a20_mask;
	uint8_t *page = c->bus->ops->ram_page(c->bus->ctx, pa);
	if (page) {
		__atomic_fetch_or(page + (pa & 0xfff), flags,
				  __ATOMIC_SEQ_CST);
		tlb_note_ram_write(c, pa, 1);
	} else {
		phys_write(c, pa, 1, (uint8_t)(l->entry | flags));
	}
}

void paging_translate(struct cpu *c, uint64_t la, unsigned acc,
		      struct paging_walk *w)
{
	struct walk_state s;
	if (!walk(c, la, w, &s))
		raise_no_translation(c, la, acc, &s);
	enum deny d = deny_rule(c, w, acc);
	if (d != DENY_NONE)
		raise_denied(c, la, acc, w, &s, d);
	/* The access is permitted: only now do the flags change. */
	for (int i = 0; i < s.n; i++) {
		if (!s.lv[i].has_a)
			continue;
		uint8_t f = (uint8_t)PTE_A;
		if (i == s.n - 1 && (acc & ACC_WRITE))
			f |= (uint8_t)PTE_D;
		set_flags(c, &s.lv[i], f);
	}
	if (acc & ACC_WRITE)
		w->dirty = true;
}

bool paging_read_pdptes(struct cpu *c, uint64_t cr3, uint64_t pdpte[4],
			char *why, size_t whylen)
{
	unsigned m = paging_maxphyaddr(c);
	/* Bits 2:1, 8:5 and 63:MAXPHYADDR (SDM Vol. 3A table 4-8). */
	uint64_t rsvd = bits(2, 1) | bits(8, 5) | bits(63, m);
	uint64_t base = cr3 & 0xffffffe0u;
	for (int i = 0; i < 4; i++) {
		uint64_t e = phys_read(c, base + i * 8, 8);
		if ((e & PTE_P) && (e & rsvd)) {
			snprintf(why, whylen,
				 "PDPTE%d 0x%llx at physical 0x%llx is present and sets reserved bit %d (MAXPHYADDR = %u)",
				 i, (unsigned long long)e,
				 (unsigned long long)(base + i * 8),
				 __builtin_ctzll(e & rsvd), m);
			return false;
		}
		pdpte[i] = e;
	}
	return true;
}

void paging_load_pdptes(struct cpu *c, uint64_t cr3)
{
	uint64_t p[4];
	char why[160];
	if (!paging_read_pdptes(c, cr3, p, why, sizeof(why)))
		cpu_gp0(c, "loading the PDPTE registers for PAE paging: %s",
			why);
	memcpy(c->pdpte, p, sizeof(p));
}
