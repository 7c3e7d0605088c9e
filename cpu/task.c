/* Hardware task switching (SDM Vol. 3A 7.3): save the current task in
 * its TSS, load the new one, with the busy bits, the back link, NT, CR0.TS,
 * CR3 and LDTR, and the checks of table 7-1. */
#include "cpu/task.h"

#include "cpu/debug.h"
#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/flags.h"
#include "cpu/mem.h"
#include "cpu/paging.h"
#include "cpu/tlb.h"
#include "cpu/regs.h"


/* TSS layouts (SDM Vol. 3A figures 7-2 and 7-11). Segment selectors are
 * in ES CS SS DS FS GS order, which is SEG_ES..SEG_GS. */
enum {
	TSS32_CR3 = 0x1c, TSS32_EIP = 0x20, TSS32_EFLAGS = 0x24,
	TSS32_GPR = 0x28, TSS32_SEG = 0x48, TSS32_LDT = 0x60, TSS32_T = 0x64,
	TSS16_IP = 0x0e, TSS16_FLAGS = 0x10, TSS16_GPR = 0x12,
	TSS16_SEG = 0x22, TSS16_LDT = 0x2a,
	TSS32_MIN_LIMIT = 0x67, TSS16_MIN_LIMIT = 0x2b,
};

/* The new task's state as read from its TSS. */
struct tss_state {
	uint32_t cr3, eip, eflags, gpr[8];
	uint16_t seg[6], ldt;
	bool trap;
};

static const char *const why_names[] = {
	[TASK_JMP] = "task switch (JMP)",
	[TASK_CALL] = "task switch (CALL)",
	[TASK_IRET] = "task switch (IRET)",
	[TASK_INT] = "task switch (interrupt)",
};

static uint64_t tss_read(struct cpu *c, uint64_t base, unsigned off,
			 unsigned size)
{
	return lin_read(c, (base + off) & 0xffffffffu, size, ACC_IMPLICIT_SV);
}

static void tss_write(struct cpu *c, uint64_t base, unsigned off,
		      unsigned size, uint64_t v)
{
	lin_write(c, (base + off) & 0xffffffffu, size, v,
		  ACC_WRITE | ACC_IMPLICIT_SV);
}

static void read_new_tss(struct cpu *c, uint64_t base, bool tss32,
			 struct tss_state *t)
{
	if (tss32) {
		t->cr3 = (uint32_t)tss_read(c, base, TSS32_CR3, 4);
		t->eip = (uint32_t)tss_read(c, base, TSS32_EIP, 4);
		t->eflags = (uint32_t)tss_read(c, base, TSS32_EFLAGS, 4);
		for (unsigned r = 0; r < 8; r++)
			t->gpr[r] = (uint32_t)tss_read(c, base, TSS32_GPR + 4 * r, 4);
		for (unsigned s = 0; s < 6; s++)
			t->seg[s] = (uint16_t)tss_read(c, base, TSS32_SEG + 4 * s, 2);
		t->ldt = (uint16_t)tss_read(c, base, TSS32_LDT, 2);
		t->trap = tss_read(c, base, TSS32_T, 2) & 1;
	} else {
		t->cr3 = 0;
		t->eip = (uint16_t)tss_read(c, base, TSS16_IP, 2);
		t->eflags = (uint16_t)tss_read(c, base, TSS16_FLAGS, 2);
		for (unsigned r = 0; r < 8; r++)
			t->gpr[r] = (uint16_t)tss_read(c, base, TSS16_GPR + 2 * r, 2);
		for (unsigned s = 0; s < 4; s++)
			t->seg[s] = (uint16_t)tss_read(c, base, TSS16_SEG + 2 * s, 2);
		t->seg[SEG_FS] = t->seg[SEG_GS] = 0;
		t->ldt = (uint16_t)tss_read(c, base, TSS16_LDT, 2);
		t->trap = false;
	}
}

/* Saves the dynamic fields of the current task (SDM Vol. 3A 7.2.1). */
static void save_old_tss(struct cpu *c, uint64_t eip, uint64_t eflags)
{
	const struct seg *tr = &c->seg[SEG_TR];
	uint64_t base = tr->base;
	if (tr->attr & 8) {
		tss_write(c, base, TSS32_EIP, 4, eip);
		tss_write(c, base, TSS32_EFLAGS, 4, eflags);
		for (unsigned r = 0; r < 8; r++)
			tss_write(c, base, TSS32_GPR + 4 * r, 4, c->gpr[r]);
		for (unsigned s = 0; s < 6; s++)
			tss_write(c, base, TSS32_SEG + 4 * s, 2, c->seg[s].sel);
	} else {
		tss_write(c, base, TSS16_IP, 2, eip);
		tss_write(c, base, TSS16_FLAGS, 2, eflags);
		for (unsigned r = 0; r < 8; r++)
			tss_write(c, base, TSS16_GPR + 2 * r, 2, c->gpr[r]);
		for (unsigned s = 0; s < 4; s++)
			tss_write(c, base, TSS16_SEG + 2 * s, 2, c->seg[s].sel);
	}
}

static _Noreturn void ts_fault(struct cpu *c, int vector, uint16_t sel,
			       bool ext, const char *what, const char *reg,
			       const char *why)
{
	cpu_raise_err(c, vector, seg_err(sel, ext), "%s: new %s 0x%04x %s",
		      what, reg, sel, why);
}

/* CS of the new task (SDM Vol. 3A table 7-1). */
static void load_new_cs(struct cpu *c, uint16_t sel, bool ext, const char *what)
{
	struct seg_desc d;
	int rpl = sel & 3;
	if ((sel & 0xfffc) == 0)
		ts_fault(c, EXC_TS, sel, ext, what, "CS", "is null");
	if (!seg_desc_read(c, sel, false, &d))
		ts_fault(c, EXC_TS, sel, ext, what, "CS", "is beyond the table limit");
	if (!desc_is_code(&d))
		ts_fault(c, EXC_TS, sel, ext, what, "CS", "is not a code segment");
	if (desc_is_conforming(&d) ? desc_dpl(&d) > rpl : desc_dpl(&d) != rpl)
		cpu_raise_err(c, EXC_TS, seg_err(sel, ext),
			      "%s: new CS 0x%04x DPL %d does not match RPL %d "
			      "(%sconforming)", what, sel, desc_dpl(&d), rpl,
			      desc_is_conforming(&d) ? "" : "non-");
	if (!desc_present(&d))
		ts_fault(c, EXC_NP, sel, ext, what, "CS", "is not present");
	seg_desc_set_accessed(c, &d);
	struct seg s = seg_cache_from_desc(&d, sel);
	seg_set(c, SEG_CS, &s);
}

static void load_new_ss(struct cpu *c, uint16_t sel, bool ext, const char *what)
{
	struct seg_desc d;
	int cpl = c->cpl;
	if ((sel & 0xfffc) == 0)
		ts_fault(c, EXC_TS, sel, ext, what, "SS", "is null");
	if (!seg_desc_read(c, sel, false, &d))
		ts_fault(c, EXC_TS, sel, ext, what, "SS", "is beyond the table limit");
	if ((sel & 3) != cpl)
		cpu_raise_err(c, EXC_TS, seg_err(sel, ext),
			      "%s: new SS 0x%04x RPL %d != CPL %d", what, sel,
			      sel & 3, cpl);
	if (!desc_is_data(&d) || !(desc_type(&d) & DESC_T_RW))
		ts_fault(c, EXC_TS, sel, ext, what, "SS",
			 "is not a writable data segment");
	if (desc_dpl(&d) != cpl)
		cpu_raise_err(c, EXC_TS, seg_err(sel, ext),
			      "%s: new SS 0x%04x DPL %d != CPL %d", what, sel,
			      desc_dpl(&d), cpl);
	if (!desc_present(&d))
		ts_fault(c, EXC_SS, sel, ext, what, "SS", "is not present");
	seg_desc_set_accessed(c, &d);
	struct seg s = seg_cache_from_desc(&d, sel);
	seg_set(c, SEG_SS, &s);
}

static void load_new_data(struct cpu *c, int sreg, uint16_t sel, bool ext,
			  const char *what)
{
	static const char *const names[] = { "ES", "CS", "SS", "DS", "FS", "GS" };
	struct seg_desc d;
	int rpl = sel & 3, cpl = c->cpl;
	if ((sel & 0xfffc) == 0) {
		c->seg[sreg] = seg_cache_null(sel, 0);
		return;
	}
	if (!seg_desc_read(c, sel, false, &d))
		ts_fault(c, EXC_TS, sel, ext, what, names[sreg],
			 "is beyond the table limit");
	if (!desc_s(&d) || (desc_is_code(&d) && !(desc_type(&d) & DESC_T_RW)))
		ts_fault(c, EXC_TS, sel, ext, what, names[sreg],
			 "is not a data or readable code segment");
	if (!desc_is_conforming(&d) && (desc_dpl(&d) < cpl || desc_dpl(&d) < rpl))
		cpu_raise_err(c, EXC_TS, seg_err(sel, ext),
			      "%s: new %s 0x%04x DPL %d < %s %d", what,
			      names[sreg], sel, desc_dpl(&d),
			      desc_dpl(&d) < cpl ? "CPL" : "RPL",
			      desc_dpl(&d) < cpl ? cpl : rpl);
	if (!desc_present(&d))
		ts_fault(c, EXC_NP, sel, ext, what, names[sreg], "is not present");
	seg_desc_set_accessed(c, &d);
	c->seg[sreg] = seg_cache_from_desc(&d, sel);
}

/* Loads CR3 from a 32-bit TSS when paging is on; PAE paging also loads
 * the PDPTEs (which may #GP before anything changes). */
static void load_cr3(struct cpu *c, uint32_t cr3)
{
	if (!(c->cr0 & CR0_PG))
		return;
	if (c->cr4 & CR4_PAE)
		paging_load_pdptes(c, cr3);
	uint64_t old = c->cr3;
	c->cr3 = cr3;
	tlb_on_cr_write(c, 3, old, cr3);
}

void task_switch(struct cpu *c, uint16_t tss_sel, struct seg_desc *d,
		 enum task_reason why, uint64_t ret_rip, uint64_t flags,
		 bool ext, bool has_err, uint32_t err)
{
	const char *what = why_names[why];
	unsigned type = desc_type(d);
	bool tss32 = type & 8;
	bool busy = type & DESC_TSS_BUSY_BIT;
	uint32_t min = tss32 ? TSS32_MIN_LIMIT : TSS16_MIN_LIMIT;

	/* Checks in the old task's context (SDM Vol. 3A 7.3 steps 2-4). */
	if (!desc_present(d))
		cpu_raise_err(c, EXC_NP, seg_err(tss_sel, ext),
			      "%s: TSS 0x%04x is not present", what, tss_sel);
	if (desc_limit(d) < min)
		cpu_raise_err(c, EXC_TS, seg_err(tss_sel, ext),
			      "%s: TSS 0x%04x limit 0x%x < 0x%x for a %d-bit TSS",
			      what, tss_sel, desc_limit(d), min, tss32 ? 32 : 16);
	if (why == TASK_IRET && !busy)
		cpu_raise_err(c, EXC_TS, seg_err(tss_sel, ext),
			      "%s: back-link TSS 0x%04x is not busy", what,
			      tss_sel);
	if (why != TASK_IRET && busy)
		cpu_raise_err(c, EXC_GP, seg_err(tss_sel, ext),
			      "%s: TSS 0x%04x is busy", what, tss_sel);

	uint64_t new_base = desc_base(d) & 0xffffffffu;
	struct tss_state t;
	read_new_tss(c, new_base, tss32, &t);

	/* Memory updates: the old task's state, busy bits, back link. */
	uint64_t old_flags = flags;
	if (why == TASK_IRET)
		old_flags &= ~(uint64_t)FLAG_NT;
	save_old_tss(c, ret_rip, old_flags);
	uint16_t old_sel = c->seg[SEG_TR].sel;
	if (why == TASK_JMP || why == TASK_IRET) {
		struct seg_desc od;
		if (!(old_sel & 4) && seg_desc_read(c, old_sel, false, &od))
			seg_desc_write_type(c, &od, desc_type(&od) &
					    ~DESC_TSS_BUSY_BIT);
	}
	if (why != TASK_IRET)
		seg_desc_write_type(c, d, type | DESC_TSS_BUSY_BIT);
	if (why == TASK_CALL || why == TASK_INT)
		tss_write(c, new_base, 0, 2, old_sel);
	if (tss32)
		load_cr3(c, t.cr3);

	/* Commit: from here on faults belong to the new task (SDM Vol. 3A
	 * 7.3 step 13). */
	struct seg tr = seg_cache_from_desc(d, tss_sel);
	c->seg[SEG_TR] = tr;
	c->cr0 |= CR0_TS;
	uint64_t nf = t.eflags;
	if (why == TASK_CALL || why == TASK_INT)
		nf |= FLAG_NT;
	flags_write(c, nf, ~0ull);
	unsigned gsize = tss32 ? 4 : 2;
	for (unsigned r = 0; r < 8; r++)
		reg_write(c, r, gsize, t.gpr[r]);
	c->rip = c->next_rip = t.eip;

	bool vm86 = nf & FLAG_VM;
	int cpl = vm86 ? 3 : (t.seg[SEG_CS] & 3);
	/* Until each descriptor is loaded the registers hold only their
	 * selectors; SS carries the new CPL. */
	for (int s = SEG_ES; s <= SEG_GS; s++) {
		if (s == SEG_CS)
			c->seg[s].sel = t.seg[s];
		else
			c->seg[s] = seg_cache_null(t.seg[s],
						   s == SEG_SS ? cpl : 0);
	}
	c->seg[SEG_LDTR] = seg_cache_null(t.ldt, 0);
	seg_refresh_mode(c);

	seg_load_ldtr(c, t.ldt, EXC_TS, ext, what);
	if (vm86) {
		for (int s = SEG_ES; s <= SEG_GS; s++) {
			struct seg v = seg_cache_vm86(t.seg[s]);
			seg_set(c, s, &v);
		}
	} else {
		load_new_cs(c, t.seg[SEG_CS], ext, what);
		load_new_ss(c, t.seg[SEG_SS], ext, what);
		load_new_data(c, SEG_ES, t.seg[SEG_ES], ext, what);
		load_new_data(c, SEG_DS, t.seg[SEG_DS], ext, what);
		load_new_data(c, SEG_FS, t.seg[SEG_FS], ext, what);
		load_new_data(c, SEG_GS, t.seg[SEG_GS], ext, what);
	}
	c->attention |= ATTN_MODE;

	if (has_err) {
		struct seg_stack st;
		seg_stack_current(c, &st, what);
		st.error = ext ? 1 : 0;
		seg_stack_push(c, &st, gsize, err);
		seg_stack_commit_sp(c, &st);
	}
	if (c->rip > c->seg[SEG_CS].limit)
		cpu_raise_err(c, EXC_GP, ext ? 1 : 0,
			      "%s: new EIP 0x%llx is beyond the CS limit 0x%x",
			      what, (unsigned long long)c->rip,
			      c->seg[SEG_CS].limit);
	/* The T flag: a #DB trap with DR6.BT before the new task's first
	 * instruction (SDM Vol. 3A 7.3 step 14, Vol. 3B 18.3.1.5), together
	 * with any other trap of the instruction that switched. */
	if (t.trap)
		debug_task_trap(c);
}
