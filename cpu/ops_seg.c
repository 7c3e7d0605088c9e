/* Segment registers and descriptor tables: MOV to and from Sreg, PUSH and
 * POP Sreg, LDS..LGS, LGDT/LIDT/SGDT/SIDT, LLDT/SLDT/LTR/STR, LAR, LSL,
 * VERR, VERW and ARPL (SDM Vol. 2). The checks of the loads are in
 * cpu/seg.c. */
#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/mem.h"
#include "cpu/paging.h"
#include "cpu/seg.h"
#include "cpu/regs.h"


/* MOV SS and POP SS block interrupts and debug traps until the next
 * instruction has retired (SDM Vol. 3A 6.8.3). */
static void set_shadow(struct cpu *c)
{
	c->shadow_icount = c->icount + 1;
	c->attention |= ATTN_SHADOW;
}

/* The 16-bit selector operand of an Ew form. */
static inline uint16_t read_ew(struct cpu *c, const struct insn *i, bool mem)
{
	return (uint16_t)rm_read(c, i, 2, mem, mem ? insn_ea(c, i) : 0);
}

/* A register destination takes the operand size (upper bits zero); a
 * memory destination is always 16 bits (SDM Vol. 2B MOV, SLDT, STR). */
static inline void write_ev_sel(struct cpu *c, const struct insn *i,
				unsigned size, bool mem, uint16_t v)
{
	rm_write(c, i, mem ? 2 : size, mem, mem ? insn_ea(c, i) : 0, v);
}

static void need_protected(struct cpu *c, const char *what)
{
	if (!seg_mode_pe(c))
		cpu_ud(c, "%s is not recognized in real-address mode", what);
	if (c->rflags & FLAG_VM)
		cpu_ud(c, "%s is not recognized in virtual-8086 mode", what);
}

static void need_cpl0(struct cpu *c, const char *what)
{
	if (c->cpl != 0)
		cpu_gp0(c, "%s at CPL %d (needs CPL 0)", what, c->cpl);
}

static void check_umip(struct cpu *c, const char *what)
{
	if ((c->cr4 & CR4_UMIP) && c->cpl > 0)
		cpu_gp0(c, "%s at CPL %d with CR4.UMIP = 1", what, c->cpl);
}

EXEC_INLINE void mov_ev_sw(struct cpu *c, const struct insn *i, unsigned size,
			   bool mem)
{
	write_ev_sel(c, i, size, mem, c->seg[i->reg].sel);
}

EXEC_INLINE void mov_sw_ew(struct cpu *c, const struct insn *i, unsigned size,
			   bool mem)
{
	(void)size;
	uint16_t sel = read_ew(c, i, mem);
	seg_load(c, i->reg, sel, "MOV Sreg");
	if (i->reg == SEG_SS)
		set_shadow(c);
}

/* Recent processors store only the 16-bit selector into a wider stack
 * slot, leaving its upper bytes as they were (SDM Vol. 2B PUSH). */
EXEC_INLINE void push_sw(struct cpu *c, const struct insn *i, unsigned size,
			 bool mem)
{
	(void)mem;
	struct seg_stack st;
	seg_stack_current(c, &st, "PUSH Sreg");
	seg_stack_push_part(c, &st, size, 2, c->seg[i->reg].sel);
	seg_stack_commit_sp(c, &st);
}

EXEC_INLINE void pop_sw(struct cpu *c, const struct insn *i, unsigned size,
			bool mem)
{
	(void)mem;
	struct seg_stack st;
	seg_stack_current(c, &st, "POP Sreg");
	uint16_t sel = (uint16_t)seg_stack_read(c, &st, 0, size);
	seg_load(c, i->reg, sel, "POP Sreg");
	/* rSP moves at the stack width of the old SS. */
	st.sp += size;
	seg_stack_commit_sp(c, &st);
	if (i->reg == SEG_SS)
		set_shadow(c);
}

/* LDS, LES, LSS, LFS, LGS: offset then selector from memory; the segment
 * load is checked before the register is written. */
static void load_far_pointer(struct cpu *c, const struct insn *i,
			     unsigned size, int sreg, const char *what)
{
	uint64_t ea = insn_ea(c, i);
	uint64_t off = mem_read(c, i->seg, ea, size);
	uint16_t sel = mem_read16(c, i->seg,
				  (ea + size) & size_mask(i->addrsize));
	seg_load(c, sreg, sel, what);
	reg_write(c, i->reg, size, off);
}

EXEC_INLINE void lds(struct cpu *c, const struct insn *i, unsigned size,
		     bool mem)
{
	(void)mem;
	load_far_pointer(c, i, size, SEG_DS, "LDS");
}

EXEC_INLINE void les(struct cpu *c, const struct insn *i, unsigned size,
		     bool mem)
{
	(void)mem;
	load_far_pointer(c, i, size, SEG_ES, "LES");
}

EXEC_INLINE void lss(struct cpu *c, const struct insn *i, unsigned size,
		     bool mem)
{
	(void)mem;
	load_far_pointer(c, i, size, SEG_SS, "LSS");
}

EXEC_INLINE void lfs(struct cpu *c, const struct insn *i, unsigned size,
		     bool mem)
{
	(void)mem;
	load_far_pointer(c, i, size, SEG_FS, "LFS");
}

EXEC_INLINE void lgs(struct cpu *c, const struct insn *i, unsigned size,
		     bool mem)
{
	(void)mem;
	load_far_pointer(c, i, size, SEG_GS, "LGS");
}

/* SGDT/SIDT store the limit and a 32-bit base (all operand sizes), or a
 * 64-bit base in 64-bit mode (SDM Vol. 2B SGDT). */
static void store_dtr(struct cpu *c, const struct insn *i,
		      const struct dtr *t, const char *what)
{
	check_umip(c, what);
	unsigned n = seg_mode_64(c) ? 8 : 4;
	uint64_t ea = insn_ea(c, i);
	uint64_t ea2 = (ea + 2) & size_mask(i->addrsize);
	mem_probe_write(c, i->seg, ea, 2);
	mem_probe_write(c, i->seg, ea2, n);
	mem_write16(c, i->seg, ea, (uint16_t)t->limit);
	mem_write(c, i->seg, ea2, n, n == 8 ? t->base : (uint32_t)t->base);
}

/* LGDT/LIDT: a 16-bit operand size loads a 24-bit base; 64-bit mode
 * always loads 8 bytes of base (SDM Vol. 2A LGDT). */
static void load_dtr(struct cpu *c, const struct insn *i, unsigned size,
		     struct dtr *t, const char *what)
{
	need_cpl0(c, what);
	bool m64 = seg_mode_64(c);
	uint64_t ea = insn_ea(c, i);
	uint16_t limit = mem_read16(c, i->seg, ea);
	uint64_t base = mem_read(c, i->seg, (ea + 2) & size_mask(i->addrsize),
				 m64 ? 8 : 4);
	if (!m64 && size == 2)
		base &= 0xffffff;
	if (m64 && !paging_canonical(c, base))
		cpu_gp0(c, "%s: base 0x%llx is not canonical", what,
			(unsigned long long)base);
	t->base = base;
	t->limit = limit;
}

EXEC_INLINE void sgdt(struct cpu *c, const struct insn *i, unsigned size,
		      bool mem)
{
	(void)mem;
	(void)size;
	store_dtr(c, i, &c->gdtr, "SGDT");
}

EXEC_INLINE void sidt(struct cpu *c, const struct insn *i, unsigned size,
		      bool mem)
{
	(void)mem;
	(void)size;
	store_dtr(c, i, &c->idtr, "SIDT");
}

EXEC_INLINE void lgdt(struct cpu *c, const struct insn *i, unsigned size,
		      bool mem)
{
	(void)mem;
	load_dtr(c, i, size, &c->gdtr, "LGDT");
}

EXEC_INLINE void lidt(struct cpu *c, const struct insn *i, unsigned size,
		      bool mem)
{
	(void)mem;
	load_dtr(c, i, size, &c->idtr, "LIDT");
}

EXEC_INLINE void sldt(struct cpu *c, const struct insn *i, unsigned size,
		      bool mem)
{
	need_protected(c, "SLDT");
	check_umip(c, "SLDT");
	write_ev_sel(c, i, size, mem, c->seg[SEG_LDTR].sel);
}

EXEC_INLINE void str(struct cpu *c, const struct insn *i, unsigned size,
		     bool mem)
{
	need_protected(c, "STR");
	check_umip(c, "STR");
	write_ev_sel(c, i, size, mem, c->seg[SEG_TR].sel);
}

EXEC_INLINE void lldt(struct cpu *c, const struct insn *i, unsigned size,
		      bool mem)
{
	(void)size;
	need_protected(c, "LLDT");
	need_cpl0(c, "LLDT");
	seg_load_ldtr(c, read_ew(c, i, mem), EXC_GP, false, "LLDT");
}

/* LTR: an available TSS in the GDT, marked busy as it loads (SDM Vol. 2A
 * LTR). */
EXEC_INLINE void ltr(struct cpu *c, const struct insn *i, unsigned size,
		     bool mem)
{
	(void)size;
	need_protected(c, "LTR");
	need_cpl0(c, "LTR");
	uint16_t sel = read_ew(c, i, mem);
	bool lma = seg_mode_lma(c);
	struct seg_desc d;
	if ((sel & 0xfffc) == 0)
		cpu_gp0(c, "LTR: null selector 0x%04x", sel);
	if (sel & 4)
		cpu_raise_err(c, EXC_GP, seg_err(sel, false),
			      "LTR: selector 0x%04x has TI = 1 (must select the "
			      "GDT)", sel);
	if (!seg_desc_read(c, sel, lma, &d))
		cpu_raise_err(c, EXC_GP, seg_err(sel, false),
			      "LTR: selector 0x%04x is beyond the GDT limit 0x%x",
			      sel, c->gdtr.limit);
	unsigned type = desc_type(&d);
	bool ok = !desc_s(&d) && (type == DESC_TSS32_AVAIL ||
				  (!lma && type == DESC_TSS16_AVAIL));
	if (!ok)
		cpu_raise_err(c, EXC_GP, seg_err(sel, false),
			      "LTR: selector 0x%04x is not an available %sTSS "
			      "(S %d type 0x%x)", sel, lma ? "64-bit " : "",
			      desc_s(&d), type);
	if (lma && desc_upper_type(&d) != 0)
		cpu_raise_err(c, EXC_GP, seg_err(sel, false),
			      "LTR: TSS descriptor 0x%04x upper type field is "
			      "0x%x, not 0", sel, desc_upper_type(&d));
	if (!desc_present(&d))
		cpu_raise_err(c, EXC_NP, seg_err(sel, false),
			      "LTR: TSS descriptor 0x%04x is not present", sel);
	if (lma && !paging_canonical(c, desc_base(&d)))
		cpu_raise_err(c, EXC_GP, seg_err(sel, false),
			      "LTR: TSS descriptor 0x%04x base 0x%llx is not "
			      "canonical", sel, (unsigned long long)desc_base(&d));
	seg_desc_write_type(c, &d, type | DESC_TSS_BUSY_BIT);
	c->seg[SEG_TR] = seg_cache_from_desc(&d, sel);
}

/* For LAR, LSL, VERR and VERW: reads the descriptor sel selects if it is
 * visible at the current CPL; false (ZF = 0) otherwise. No faults but
 * #PF from the table read (SDM Vol. 2A LAR). */
enum desc_query { Q_LAR, Q_LSL, Q_VERR, Q_VERW };

static bool system_type_ok(unsigned type, bool lma, enum desc_query q)
{
	switch (type) {
	case DESC_LDT: case DESC_TSS32_AVAIL: case DESC_TSS32_BUSY:
		return q == Q_LAR || q == Q_LSL;
	case DESC_TSS16_AVAIL: case DESC_TSS16_BUSY:
		return !lma && (q == Q_LAR || q == Q_LSL);
	case DESC_CALL32:
		return q == Q_LAR;
	case DESC_CALL16: case DESC_TASK_GATE:
		return !lma && q == Q_LAR;
	default:
		return false;
	}
}

static bool query_desc(struct cpu *c, uint16_t sel, enum desc_query q,
		       struct seg_desc *d)
{
	bool lma = seg_mode_lma(c);
	int rpl = sel & 3;
	if ((sel & 0xfffc) == 0 || !seg_desc_read(c, sel, false, d))
		return false;
	if (!desc_s(d)) {
		if (!system_type_ok(desc_type(d), lma, q))
			return false;
		if (lma && (!seg_desc_read(c, sel, true, d) ||
			    desc_upper_type(d) != 0))
			return false;
	} else {
		unsigned t = desc_type(d);
		bool code = t & DESC_T_CODE;
		if (q == Q_VERR && code && !(t & DESC_T_RW))
			return false;
		if (q == Q_VERW && (code || !(t & DESC_T_RW)))
			return false;
		if (desc_is_conforming(d) && q != Q_VERW)
			return true;
	}
	return desc_dpl(d) >= c->cpl && desc_dpl(d) >= rpl;
}

static void set_zf(struct cpu *c, bool zf)
{
	flags_write(c, zf ? FLAG_ZF : 0, FLAG_ZF);
}

EXEC_INLINE void lar(struct cpu *c, const struct insn *i, unsigned size,
		     bool mem)
{
	need_protected(c, "LAR");
	struct seg_desc d;
	bool ok = query_desc(c, read_ew(c, i, mem), Q_LAR, &d);
	if (ok)
		reg_write(c, i->reg, size,
			  d.hi & (size == 2 ? 0xff00u : 0x00f0ff00u));
	set_zf(c, ok);
}

EXEC_INLINE void lsl(struct cpu *c, const struct insn *i, unsigned size,
		     bool mem)
{
	need_protected(c, "LSL");
	struct seg_desc d;
	bool ok = query_desc(c, read_ew(c, i, mem), Q_LSL, &d);
	if (ok)
		reg_write(c, i->reg, size, desc_limit(&d));
	set_zf(c, ok);
}

EXEC_INLINE void verr(struct cpu *c, const struct insn *i, unsigned size,
		      bool mem)
{
	(void)size;
	need_protected(c, "VERR");
	struct seg_desc d;
	set_zf(c, query_desc(c, read_ew(c, i, mem), Q_VERR, &d));
}

EXEC_INLINE void verw(struct cpu *c, const struct insn *i, unsigned size,
		      bool mem)
{
	(void)size;
	need_protected(c, "VERW");
	struct seg_desc d;
	set_zf(c, query_desc(c, read_ew(c, i, mem), Q_VERW, &d));
}

/* ARPL: raise the destination selector's RPL to the source's. */
EXEC_INLINE void arpl(struct cpu *c, const struct insn *i, unsigned size,
		      bool mem)
{
	(void)size;
	need_protected(c, "ARPL");
	uint16_t dst = read_ew(c, i, mem);
	uint16_t src = (uint16_t)reg_read(c, i->reg, 2);
	bool raise = (dst & 3) < (src & 3);
	if (raise) {
		dst = (uint16_t)((dst & ~3u) | (src & 3));
		rm_write(c, i, 2, mem, mem ? insn_ea(c, i) : 0, dst);
	}
	set_zf(c, raise);
}

/* One generic body per form, instantiated per operand size and form by
 * the templates of cpu/exec.h. */
IMPL_V_RM(MOV_EvSw, mov_ev_sw)
IMPL_V_RM(MOV_SwEw, mov_sw_ew)
IMPL_V_NM(PUSH_Sw, push_sw)
IMPL_V_NM(POP_Sw, pop_sw)
IMPL_V_M(LDS_GvMp, lds)
IMPL_V_M(LES_GvMp, les)
IMPL_V_M(LSS_GvMp, lss)
IMPL_V_M(LFS_GvMp, lfs)
IMPL_V_M(LGS_GvMp, lgs)
IMPL_V_M(SGDT_Ms, sgdt)
IMPL_V_M(SIDT_Ms, sidt)
IMPL_V_M(LGDT_Ms, lgdt)
IMPL_V_M(LIDT_Ms, lidt)
IMPL_V_RM(SLDT_Ev, sldt)
IMPL_V_RM(STR_Ev, str)
IMPL_V_RM(LLDT_Ew, lldt)
IMPL_V_RM(LTR_Ew, ltr)
IMPL_V_RM(LAR_GvEw, lar)
IMPL_V_RM(LSL_GvEw, lsl)
IMPL_V_RM(VERR_Ew, verr)
IMPL_V_RM(VERW_Ew, verw)
IMPL_V_RM(ARPL_EwGw, arpl)
