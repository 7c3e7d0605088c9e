/* Segmentation: descriptor fetch, the checks of segment-register loads, and
 * stack accesses through an explicit stack segment. */
#include "cpu/seg.h"

#include "cpu/fault.h"
#include "cpu/mem.h"
#include "cpu/paging.h"

static const char *const sreg_names[SEG_COUNT] = {
	"ES", "CS", "SS", "DS", "FS", "GS", "LDTR", "TR",
};

/* Descriptor-table addresses are 32-bit linear addresses outside IA-32e
 * mode (SDM Vol. 3A 3.5.1). */
static uint64_t table_la(const struct cpu *c, uint64_t la)
{
	return seg_mode_lma(c) ? la : (la & 0xffffffffu);
}

bool seg_desc_read(struct cpu *c, uint16_t sel, bool wide,
		   struct seg_desc *d)
{
	uint64_t base;
	uint32_t limit;
	uint32_t last = (sel & 0xfff8u) + (wide ? 15 : 7);

	if (sel & 4) {
		const struct seg *ldtr = &c->seg[SEG_LDTR];
		if (ldtr->attr & SEG_ATTR_UNUSABLE)
			return false;
		base = ldtr->base;
		limit = ldtr->limit;
	} else {
		base = c->gdtr.base;
		limit = c->gdtr.limit;
	}
	if (last > limit)
		return false;
	d->addr = table_la(c, base + (sel & 0xfff8u));
	uint64_t q = lin_read(c, d->addr, 8, ACC_IMPLICIT_SV);
	d->lo = (uint32_t)q;
	d->hi = (uint32_t)(q >> 32);
	d->hi2 = d->hi3 = 0;
	if (wide) {
		q = lin_read(c, table_la(c, d->addr + 8), 8, ACC_IMPLICIT_SV);
		d->hi2 = (uint32_t)q;
		d->hi3 = (uint32_t)(q >> 32);
	}
	return true;
}

void seg_desc_write_type(struct cpu *c, struct seg_desc *d, unsigned type)
{
	d->hi = (d->hi & ~0xf00u) | ((type & 0xf) << 8);
	lin_write(c, table_la(c, d->addr + 5), 1, (d->hi >> 8) & 0xff,
		  ACC_WRITE | ACC_IMPLICIT_SV);
}

void seg_desc_set_accessed(struct cpu *c, struct seg_desc *d)
{
	if (!(desc_type(d) & DESC_T_ACCESSED))
		seg_desc_write_type(c, d, desc_type(d) | DESC_T_ACCESSED);
}

struct seg seg_cache_from_desc(const struct seg_desc *d, uint16_t sel)
{
	struct seg s = {
		.base = desc_base(d),
		.limit = desc_limit(d),
		.attr = desc_attr(d),
		.sel = sel,
	};
	return s;
}

struct seg seg_cache_null(uint16_t sel, int dpl)
{
	struct seg s = {
		.sel = sel,
		.attr = SEG_ATTR_UNUSABLE | ((unsigned)dpl << SEG_ATTR_DPL_SHIFT),
	};
	return s;
}

struct seg seg_cache_real(const struct seg *old, uint16_t sel)
{
	struct seg s = *old;
	s.sel = sel;
	s.base = (uint64_t)sel << 4;
	/* A register nulled in protected mode becomes an ordinary 64 KiB
	 * read/write segment again; otherwise the limit and attributes stay
	 * what they were (the "unreal mode" behaviour of Intel processors). */
	if (s.attr & SEG_ATTR_UNUSABLE) {
		s.limit = 0xffff;
		s.attr = DESC_T_RW | DESC_T_ACCESSED;
	}
	s.attr |= SEG_ATTR_P | SEG_ATTR_S;
	return s;
}

struct seg seg_cache_vm86(uint16_t sel)
{
	/* SDM Vol. 3C 26.3.1.2: in virtual-8086 mode every segment has
	 * limit 0xffff and access rights 0xf3 (present, DPL 3, read/write
	 * data, accessed). */
	struct seg s = {
		.base = (uint64_t)sel << 4,
		.limit = 0xffff,
		.attr = 0xf3,
		.sel = sel,
	};
	return s;
}

void seg_refresh_mode(struct cpu *c)
{
	int cpl;
	if (!seg_mode_pe(c))
		cpl = 0;
	else if (c->rflags & FLAG_VM)
		cpl = 3;
	else
		cpl = (c->seg[SEG_SS].attr & SEG_ATTR_DPL) >> SEG_ATTR_DPL_SHIFT;
	if (cpl != c->cpl)
		c->attention |= ATTN_MODE;
	c->cpl = cpl;
}

void seg_set(struct cpu *c, int sreg, const struct seg *s)
{
	if (sreg == SEG_CS) {
		unsigned before = cpu_code_size(c);
		c->seg[SEG_CS] = *s;
		if (cpu_code_size(c) != before)
			c->attention |= ATTN_MODE;
	} else {
		c->seg[sreg] = *s;
	}
	if (sreg == SEG_CS || sreg == SEG_SS)
		seg_refresh_mode(c);
}

bool seg_limit_ok(const struct seg *s, uint64_t off, unsigned size)
{
	uint64_t last = off + size - 1;
	if (s->attr & SEG_ATTR_UNUSABLE)
		return false;
	if ((s->attr & SEG_ATTR_S) && !(s->attr & DESC_T_CODE) &&
	    (s->attr & DESC_T_CE)) {
		/* Expand-down: valid offsets are limit+1 .. 0xffff or
		 * 0xffffffff by the B flag (SDM Vol. 3A 5.3). */
		uint64_t top = (s->attr & SEG_ATTR_DB) ? 0xffffffffu : 0xffff;
		return off > s->limit && last <= top && last >= off;
	}
	return last <= s->limit && last >= off;
}

void seg_null_inaccessible(struct cpu *c)
{
	static const int regs[] = { SEG_ES, SEG_FS, SEG_GS, SEG_DS };
	for (unsigned k = 0; k < 4; k++) {
		struct seg *s = &c->seg[regs[k]];
		if (s->attr & SEG_ATTR_UNUSABLE)
			continue;
		int dpl = (s->attr & SEG_ATTR_DPL) >> SEG_ATTR_DPL_SHIFT;
		bool conforming_code = (s->attr & DESC_T_CODE) &&
				       (s->attr & DESC_T_CE);
		if (!conforming_code && dpl < c->cpl)
			*s = seg_cache_null(0, 0);
	}
}

/* The protected-mode checks of a data-segment register load. */
static void check_load_prot(struct cpu *c, int sreg, uint16_t sel,
			    const char *what, struct seg_load *out)
{
	const char *name = sreg_names[sreg];
	int rpl = sel & 3, cpl = c->cpl;
	struct seg_desc *d = &out->desc;

	if ((sel & 0xfffc) == 0) {
		if (sreg == SEG_SS) {
			/* SDM Vol. 2B MOV: a null SS is allowed only in 64-bit
			 * mode at CPL < 3 with RPL = CPL. */
			if (!seg_mode_64(c) || cpl == 3 || rpl != cpl)
				cpu_gp0(c, "%s: null selector 0x%04x for SS "
					"(CPL %d%s)", what, sel, cpl,
					seg_mode_64(c) ? "" : ", not 64-bit mode");
		}
		out->cache = seg_cache_null(sel, sreg == SEG_SS ? cpl : 0);
		return;
	}
	if (!seg_desc_read(c, sel, false, d))
		cpu_raise_err(c, EXC_GP, seg_err(sel, false),
			      "%s: selector 0x%04x for %s is beyond the %s limit",
			      what, sel, name, (sel & 4) ? "LDT" : "GDT");
	int dpl = desc_dpl(d);
	if (sreg == SEG_SS) {
		if (rpl != cpl)
			cpu_raise_err(c, EXC_GP, seg_err(sel, false),
				      "%s: SS selector 0x%04x RPL %d != CPL %d",
				      what, sel, rpl, cpl);
		if (!desc_is_data(d) || !(desc_type(d) & DESC_T_RW))
			cpu_raise_err(c, EXC_GP, seg_err(sel, false),
				      "%s: SS selector 0x%04x is not a writable "
				      "data segment (S %d type 0x%x)", what, sel,
				      desc_s(d), desc_type(d));
		if (dpl != cpl)
			cpu_raise_err(c, EXC_GP, seg_err(sel, false),
				      "%s: SS selector 0x%04x DPL %d != CPL %d",
				      what, sel, dpl, cpl);
		if (!desc_present(d))
			cpu_raise_err(c, EXC_SS, seg_err(sel, false),
				      "%s: SS selector 0x%04x is not present",
				      what, sel);
	} else {
		if (!desc_s(d) || (desc_is_code(d) && !(desc_type(d) & DESC_T_RW)))
			cpu_raise_err(c, EXC_GP, seg_err(sel, false),
				      "%s: selector 0x%04x for %s is not a data "
				      "or readable code segment (S %d type 0x%x)",
				      what, sel, name, desc_s(d), desc_type(d));
		if (!desc_is_conforming(d) && (rpl > dpl || cpl > dpl))
			cpu_raise_err(c, EXC_GP, seg_err(sel, false),
				      "%s: selector 0x%04x for %s DPL %d < %s %d",
				      what, sel, name, dpl,
				      rpl > dpl ? "RPL" : "CPL",
				      rpl > dpl ? rpl : cpl);
		if (!desc_present(d))
			cpu_raise_err(c, EXC_NP, seg_err(sel, false),
				      "%s: selector 0x%04x for %s is not present",
				      what, sel, name);
	}
	out->cache = seg_cache_from_desc(d, sel);
	out->set_accessed = true;
}

void seg_check_load(struct cpu *c, int sreg, uint16_t sel, const char *what,
		    struct seg_load *out)
{
	out->sreg = sreg;
	out->set_accessed = false;
	if (!seg_mode_pe(c))
		out->cache = seg_cache_real(&c->seg[sreg], sel);
	else if (c->rflags & FLAG_VM)
		out->cache = seg_cache_vm86(sel);
	else
		check_load_prot(c, sreg, sel, what, out);
}

void seg_commit_load(struct cpu *c, const struct seg_load *l)
{
	struct seg s = l->cache;
	if (l->set_accessed) {
		struct seg_desc d = l->desc;
		seg_desc_set_accessed(c, &d);
		s.attr |= DESC_T_ACCESSED;
	}
	seg_set(c, l->sreg, &s);
}

void seg_load(struct cpu *c, int sreg, uint16_t sel, const char *what)
{
	struct seg_load l;
	seg_check_load(c, sreg, sel, what, &l);
	seg_commit_load(c, &l);
}

void seg_load_ldtr(struct cpu *c, uint16_t sel, int vector, bool ext,
		   const char *what)
{
	struct seg_desc d;
	bool wide = seg_mode_lma(c);
	int np_vector = vector == EXC_GP ? EXC_NP : vector;

	if ((sel & 0xfffc) == 0) {
		c->seg[SEG_LDTR] = seg_cache_null(sel, 0);
		return;
	}
	if (sel & 4)
		cpu_raise_err(c, vector, seg_err(sel, ext),
			      "%s: LDT selector 0x%04x has TI = 1 (must select "
			      "the GDT)", what, sel);
	if (!seg_desc_read(c, sel, wide, &d))
		cpu_raise_err(c, vector, seg_err(sel, ext),
			      "%s: LDT selector 0x%04x is beyond the GDT limit "
			      "0x%x", what, sel, c->gdtr.limit);
	if (desc_s(&d) || desc_type(&d) != DESC_LDT)
		cpu_raise_err(c, vector, seg_err(sel, ext),
			      "%s: selector 0x%04x is not an LDT descriptor "
			      "(S %d type 0x%x)", what, sel, desc_s(&d),
			      desc_type(&d));
	if (wide && desc_upper_type(&d) != 0)
		cpu_raise_err(c, vector, seg_err(sel, ext),
			      "%s: LDT descriptor 0x%04x upper type field is "
			      "0x%x, not 0", what, sel, desc_upper_type(&d));
	if (!desc_present(&d))
		cpu_raise_err(c, np_vector, seg_err(sel, ext),
			      "%s: LDT descriptor 0x%04x is not present", what,
			      sel);
	if (wide && !paging_canonical(c, desc_base(&d)))
		cpu_raise_err(c, vector, seg_err(sel, ext),
			      "%s: LDT descriptor 0x%04x base 0x%llx is not "
			      "canonical", what, sel,
			      (unsigned long long)desc_base(&d));
	c->seg[SEG_LDTR] = seg_cache_from_desc(&d, sel);
}

/* Stack accesses through an explicit stack segment. */

void seg_stack_current(const struct cpu *c, struct seg_stack *s,
		       const char *what)
{
	s->ss = c->seg[SEG_SS];
	s->sp = c->gpr[REG_RSP];
	s->mode64 = seg_mode_64(c);
	s->width = s->mode64 ? 8 : (s->ss.attr & SEG_ATTR_DB) ? 4 : 2;
	s->acc = 0;
	s->vector = EXC_SS;
	s->error = 0;
	s->what = what;
}

static uint64_t stack_off(const struct seg_stack *s, uint64_t off)
{
	return off & (s->width == 8 ? ~0ull : (1ull << (s->width * 8)) - 1);
}

/* Linear address of size bytes at stack offset off, after the checks. */
static uint64_t stack_la(struct cpu *c, const struct seg_stack *s,
			 uint64_t off, unsigned size)
{
	if (s->mode64) {
		uint64_t la = off; /* the SS base is ignored in 64-bit mode */
		if (!paging_canonical(c, la) ||
		    !paging_canonical(c, la + size - 1))
			cpu_raise_err(c, s->vector, s->error,
				      "%s: stack address 0x%llx is not canonical",
				      s->what, (unsigned long long)la);
		return la;
	}
	if (!seg_limit_ok(&s->ss, off, size))
		cpu_raise_err(c, s->vector, s->error,
			      "%s: stack access of %u bytes at SS:0x%llx is "
			      "outside the SS limit 0x%x%s", s->what, size,
			      (unsigned long long)off, s->ss.limit,
			      (s->ss.attr & SEG_ATTR_UNUSABLE) ?
				      " (SS unusable)" : "");
	return (s->ss.base + off) & 0xffffffffu;
}

void seg_stack_check_push(struct cpu *c, const struct seg_stack *s,
			  unsigned n, unsigned size)
{
	for (unsigned k = 1; k <= n; k++)
		stack_la(c, s, stack_off(s, s->sp - (uint64_t)k * size), size);
}

void seg_stack_check_read(struct cpu *c, const struct seg_stack *s,
			  uint64_t off, unsigned size)
{
	stack_la(c, s, stack_off(s, s->sp + off), size);
}

void seg_stack_push_part(struct cpu *c, struct seg_stack *s, unsigned size,
			 unsigned store, uint64_t v)
{
	uint64_t off = stack_off(s, s->sp - size);
	uint64_t la = stack_la(c, s, off, size);
	lin_write(c, la, store, v, ACC_WRITE | s->acc);
	s->sp = (s->sp & ~stack_off(s, ~0ull)) | off;
}

void seg_stack_push(struct cpu *c, struct seg_stack *s, unsigned size,
		    uint64_t v)
{
	seg_stack_push_part(c, s, size, size, v);
}

uint64_t seg_stack_read(struct cpu *c, const struct seg_stack *s,
			uint64_t off, unsigned size)
{
	uint64_t la = stack_la(c, s, stack_off(s, s->sp + off), size);
	return lin_read(c, la, size, ACC_READ | s->acc);
}

void seg_write_sp(struct cpu *c, uint64_t sp, unsigned width)
{
	if (width == 8)
		c->gpr[REG_RSP] = sp;
	else if (width == 4)
		c->gpr[REG_RSP] = sp & 0xffffffffu;
	else
		c->gpr[REG_RSP] = (c->gpr[REG_RSP] & ~0xffffull) | (sp & 0xffff);
}

void seg_stack_commit_sp(struct cpu *c, const struct seg_stack *s)
{
	seg_write_sp(c, s->sp, s->width);
}
