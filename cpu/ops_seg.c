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

#define CR4_UMIP (1u << 11)

/* MOV SS and POP SS block interrupts and debug traps until the next
 * instruction has retired (SDM Vol. 3A 6.8.3). */
static void set_shadow(struct cpu *c)
{
	c->shadow_icount = c->icount + 1;
	c->attention |= ATTN_SHADOW;
}

/* The 16-bit selector operand of an Ew form. */
static uint16_t read_ew(struct cpu *c, const struct insn *i)
{
	if (i->mod == 3)
		return (uint16_t)reg_read(c, i->rm, 2);
	return mem_read16(c, i->seg, insn_ea(c, i));
}

/* A register destination takes the operand size (upper bits zero); a
 * memory destination is always 16 bits (SDM Vol. 2B MOV, SLDT, STR). */
static void write_ev_sel(struct cpu *c, const struct insn *i, uint16_t v)
{
	if (i->mod == 3)
		reg_write(c, i->rm, i->opsize, v);
	else
		mem_write16(c, i->seg, insn_ea(c, i), v);
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

static void mov_ev_sw(struct cpu *c, const struct insn *i)
{
	write_ev_sel(c, i, c->seg[i->reg].sel);
}

static void mov_sw_ew(struct cpu *c, const struct insn *i)
{
	uint16_t sel = read_ew(c, i);
	seg_load(c, i->reg, sel, "MOV Sreg");
	if (i->reg == SEG_SS)
		set_shadow(c);
}

/* Recent processors store only the 16-bit selector into a wider stack
 * slot, leaving its upper bytes as they were (SDM Vol. 2B PUSH). */
static void push_sw(struct cpu *c, const struct insn *i)
{
	struct seg_stack st;
	seg_stack_current(c, &st, "PUSH Sreg");
	seg_stack_push_part(c, &st, i->opsize, 2, c->seg[i->reg].sel);
	seg_stack_commit_sp(c, &st);
}

static void pop_sw(struct cpu *c, const struct insn *i)
{
	struct seg_stack st;
	seg_stack_current(c, &st, "POP Sreg");
	uint16_t sel = (uint16_t)seg_stack_read(c, &st, 0, i->opsize);
	seg_load(c, i->reg, sel, "POP Sreg");
	/* rSP moves at the stack width of the old SS. */
	st.sp += i->opsize;
	seg_stack_commit_sp(c, &st);
	if (i->reg == SEG_SS)
		set_shadow(c);
}

/* LDS, LES, LSS, LFS, LGS: offset then selector from memory; the segment
 * load is checked before the register is written. */
static void load_far_pointer(struct cpu *c, const struct insn *i, int sreg,
			     const char *what)
{
	uint64_t ea = insn_ea(c, i);
	uint64_t off = mem_read(c, i->seg, ea, i->opsize);
	uint16_t sel = mem_read16(c, i->seg,
				  (ea + i->opsize) & size_mask(i->addrsize));
	seg_load(c, sreg, sel, what);
	reg_write(c, i->reg, i->opsize, off);
}

static void lds(struct cpu *c, const struct insn *i)
{
	load_far_pointer(c, i, SEG_DS, "LDS");
}

static void les(struct cpu *c, const struct insn *i)
{
	load_far_pointer(c, i, SEG_ES, "LES");
}

static void lss(struct cpu *c, const struct insn *i)
{
	load_far_pointer(c, i, SEG_SS, "LSS");
}

static void lfs(struct cpu *c, const struct insn *i)
{
	load_far_pointer(c, i, SEG_FS, "LFS");
}

static void lgs(struct cpu *c, const struct insn *i)
{
	load_far_pointer(c, i, SEG_GS, "LGS");
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
static void load_dtr(struct cpu *c, const struct insn *i, struct dtr *t,
		     const char *what)
{
	need_cpl0(c, what);
	bool m64 = seg_mode_64(c);
	uint64_t ea = insn_ea(c, i);
	uint16_t limit = mem_read16(c, i->seg, ea);
	uint64_t base = mem_read(c, i->seg, (ea + 2) & size_mask(i->addrsize),
				 m64 ? 8 : 4);
	if (!m64 && i->opsize == 2)
		base &= 0xffffff;
	if (m64 && !paging_canonical(c, base))
		cpu_gp0(c, "%s: base 0x%llx is not canonical", what,
			(unsigned long long)base);
	t->base = base;
	t->limit = limit;
}

static void sgdt(struct cpu *c, const struct insn *i)
{
	store_dtr(c, i, &c->gdtr, "SGDT");
}

static void sidt(struct cpu *c, const struct insn *i)
{
	store_dtr(c, i, &c->idtr, "SIDT");
}

static void lgdt(struct cpu *c, const struct insn *i)
{
	load_dtr(c, i, &c->gdtr, "LGDT");
}

static void lidt(struct cpu *c, const struct insn *i)
{
	load_dtr(c, i, &c->idtr, "LIDT");
}

static void sldt(struct cpu *c, const struct insn *i)
{
	need_protected(c, "SLDT");
	check_umip(c, "SLDT");
	write_ev_sel(c, i, c->seg[SEG_LDTR].sel);
}

static void str(struct cpu *c, const struct insn *i)
{
	need_protected(c, "STR");
	check_umip(c, "STR");
	write_ev_sel(c, i, c->seg[SEG_TR].sel);
}

static void lldt(struct cpu *c, const struct insn *i)
{
	need_protected(c, "LLDT");
	need_cpl0(c, "LLDT");
	seg_load_ldtr(c, read_ew(c, i), EXC_GP, false, "LLDT");
}

/* LTR: an available TSS in the GDT, marked busy as it loads (SDM Vol. 2A
 * LTR). */
static void ltr(struct cpu *c, const struct insn *i)
{
	need_protected(c, "LTR");
	need_cpl0(c, "LTR");
	uint16_t sel = read_ew(c, i);
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

static void lar(struct cpu *c, const struct insn *i)
{
	need_protected(c, "LAR");
	struct seg_desc d;
	bool ok = query_desc(c, read_ew(c, i), Q_LAR, &d);
	if (ok)
		reg_write(c, i->reg, i->opsize,
			  d.hi & (i->opsize == 2 ? 0xff00u : 0x00f0ff00u));
	set_zf(c, ok);
}

static void lsl(struct cpu *c, const struct insn *i)
{
	need_protected(c, "LSL");
	struct seg_desc d;
	bool ok = query_desc(c, read_ew(c, i), Q_LSL, &d);
	if (ok)
		reg_write(c, i->reg, i->opsize, desc_limit(&d));
	set_zf(c, ok);
}

static void verr(struct cpu *c, const struct insn *i)
{
	need_protected(c, "VERR");
	struct seg_desc d;
	set_zf(c, query_desc(c, read_ew(c, i), Q_VERR, &d));
}

static void verw(struct cpu *c, const struct insn *i)
{
	need_protected(c, "VERW");
	struct seg_desc d;
	set_zf(c, query_desc(c, read_ew(c, i), Q_VERW, &d));
}

/* ARPL: raise the destination selector's RPL to the source's. */
static void arpl(struct cpu *c, const struct insn *i)
{
	need_protected(c, "ARPL");
	uint16_t dst = read_ew(c, i);
	uint16_t src = (uint16_t)reg_read(c, i->reg, 2);
	bool raise = (dst & 3) < (src & 3);
	if (raise) {
		dst = (uint16_t)((dst & ~3u) | (src & 3));
		if (i->mod == 3)
			reg_write(c, i->rm, 2, dst);
		else
			mem_write16(c, i->seg, insn_ea(c, i), dst);
	}
	set_zf(c, raise);
}

/* One handler per form serves every operand size (each reads
 * i->opsize); R: register/no-ModRM column, M: memory column. */
#define RM3(r, m) { .fn = { { 0, 0 }, { r, m }, { r, m }, { r, m } } }
#define R3(r) RM3(r, 0)
#define M3(m) RM3(0, m)

const struct insn_impl impl_MOV_EvSw = RM3(mov_ev_sw, mov_ev_sw);
const struct insn_impl impl_MOV_SwEw = RM3(mov_sw_ew, mov_sw_ew);
const struct insn_impl impl_PUSH_Sw = R3(push_sw);
const struct insn_impl impl_POP_Sw = R3(pop_sw);
const struct insn_impl impl_LDS_GvMp = M3(lds);
const struct insn_impl impl_LES_GvMp = M3(les);
const struct insn_impl impl_LSS_GvMp = M3(lss);
const struct insn_impl impl_LFS_GvMp = M3(lfs);
const struct insn_impl impl_LGS_GvMp = M3(lgs);
const struct insn_impl impl_SGDT_Ms = M3(sgdt);
const struct insn_impl impl_SIDT_Ms = M3(sidt);
const struct insn_impl impl_LGDT_Ms = M3(lgdt);
const struct insn_impl impl_LIDT_Ms = M3(lidt);
const struct insn_impl impl_SLDT_Ev = RM3(sldt, sldt);
const struct insn_impl impl_STR_Ev = RM3(str, str);
const struct insn_impl impl_LLDT_Ew = RM3(lldt, lldt);
const struct insn_impl impl_LTR_Ew = RM3(ltr, ltr);
const struct insn_impl impl_LAR_GvEw = RM3(lar, lar);
const struct insn_impl impl_LSL_GvEw = RM3(lsl, lsl);
const struct insn_impl impl_VERR_Ew = RM3(verr, verr);
const struct insn_impl impl_VERW_Ew = RM3(verw, verw);
const struct insn_impl impl_ARPL_EwGw = RM3(arpl, arpl);
