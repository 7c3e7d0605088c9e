/* Far control transfers: JMP and CALL through code segments, call gates,
 * task gates and TSS descriptors; RETF; IRET in every mode; INT n, INT3,
 * INTO, INT1 and BOUND (SDM Vol. 2A CALL, JMP, RET, IRET, INT n; Vol. 3A
 * 5.8, 7.3). Every check is made before any state is committed. */
#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/interrupt.h"
#include "cpu/mem.h"
#include "cpu/paging.h"
#include "cpu/seg.h"
#include "cpu/task.h"
#include "cpu/regs.h"


/* A transfer target that passed its checks. */
struct far_target {
	struct seg cs;
	struct seg_desc d;
	bool set_accessed;
	uint64_t rip;
};

static bool target_64(const struct cpu *c, const struct seg_desc *d)
{
	return seg_mode_lma(c) && desc_l(d);
}

/* EIP within the new CS limit, or RIP canonical for a 64-bit target;
 * #GP(0) otherwise. */
static void check_target_rip(struct cpu *c, bool is64, uint64_t rip,
			     uint32_t limit, const char *what)
{
	if (is64) {
		if (!paging_canonical(c, rip))
			cpu_gp0(c, "%s: target RIP 0x%llx is not canonical",
				what, (unsigned long long)rip);
	} else if (rip > limit) {
		cpu_gp0(c, "%s: target EIP 0x%llx is beyond the CS limit 0x%x",
			what, (unsigned long long)rip, limit);
	}
}

static void commit_cs(struct cpu *c, struct far_target *t)
{
	if (t->set_accessed) {
		seg_desc_set_accessed(c, &t->d);
		t->cs.attr |= DESC_T_ACCESSED;
	}
	seg_set(c, SEG_CS, &t->cs);
	c->next_rip = t->rip;
}

/* Reads a descriptor for a far transfer: 8 bytes, or 16 for a system
 * descriptor in IA-32e mode; #GP(sel) if beyond the table. */
static void read_far_desc(struct cpu *c, uint16_t sel, const char *what,
			  const char *role, struct seg_desc *d)
{
	if (!seg_desc_read(c, sel, false, d) ||
	    (!desc_s(d) && seg_mode_lma(c) && !seg_desc_read(c, sel, true, d)))
		cpu_raise_err(c, EXC_GP, seg_err(sel, false),
			      "%s: %s selector 0x%04x is beyond the %s limit",
			      what, role, sel, (sel & 4) ? "LDT" : "GDT");
}

/* Pushes CS and the return address (size bytes each) on stack st. */
static void push_return(struct cpu *c, struct seg_stack *st, unsigned size)
{
	seg_stack_push(c, st, size, c->seg[SEG_CS].sel);
	seg_stack_push(c, st, size, c->next_rip);
}

/* Real-address and virtual-8086 mode: CS = sel, base = sel << 4. */
static void far_real(struct cpu *c, unsigned size, uint16_t sel,
		     uint64_t off, bool call, const char *what)
{
	struct far_target t = {
		.cs = seg_mode_vm86(c) ? seg_cache_vm86(sel) :
					 seg_cache_real(&c->seg[SEG_CS], sel),
		.rip = off & size_mask(size),
	};
	struct seg_stack st;
	if (call) {
		seg_stack_current(c, &st, what);
		seg_stack_check_push(c, &st, 2, size);
	}
	check_target_rip(c, false, t.rip, t.cs.limit, what);
	if (call) {
		push_return(c, &st, size);
		seg_stack_commit_sp(c, &st);
	}
	commit_cs(c, &t);
}

/* Directly to a code segment (SDM Vol. 3A 5.8.1). */
static void far_code(struct cpu *c, unsigned size, uint16_t sel,
		     uint64_t off, bool call, const char *what,
		     struct seg_desc *d)
{
	int rpl = sel & 3, dpl = desc_dpl(d), cpl = c->cpl;
	if (desc_is_conforming(d)) {
		if (dpl > cpl)
			cpu_raise_err(c, EXC_GP, seg_err(sel, false),
				      "%s: conforming code segment 0x%04x DPL "
				      "%d > CPL %d", what, sel, dpl, cpl);
	} else {
		if (rpl > cpl)
			cpu_raise_err(c, EXC_GP, seg_err(sel, false),
				      "%s: code segment selector 0x%04x RPL %d "
				      "> CPL %d", what, sel, rpl, cpl);
		if (dpl != cpl)
			cpu_raise_err(c, EXC_GP, seg_err(sel, false),
				      "%s: non-conforming code segment 0x%04x "
				      "DPL %d != CPL %d", what, sel, dpl, cpl);
	}
	if (seg_mode_lma(c) && desc_l(d) && desc_db(d))
		cpu_raise_err(c, EXC_GP, seg_err(sel, false),
			      "%s: code segment 0x%04x has both L and D set",
			      what, sel);
	if (!desc_present(d))
		cpu_raise_err(c, EXC_NP, seg_err(sel, false),
			      "%s: code segment 0x%04x is not present", what,
			      sel);
	bool is64 = target_64(c, d);
	struct far_target t = {
		.cs = seg_cache_from_desc(d, (sel & 0xfffc) | cpl),
		.d = *d,
		.set_accessed = true,
		.rip = is64 ? off : off & size_mask(size),
	};
	struct seg_stack st;
	if (call) {
		seg_stack_current(c, &st, what);
		seg_stack_check_push(c, &st, 2, size);
	}
	check_target_rip(c, is64, t.rip, t.cs.limit, what);
	if (call) {
		seg_desc_set_accessed(c, &t.d);
		push_return(c, &st, size);
		seg_stack_commit_sp(c, &st);
	}
	commit_cs(c, &t);
}

/* The inner stack of a call gate (SDM Vol. 2A CALL, MORE-PRIVILEGE):
 * from the legacy TSS with #TS checks, or RSPn of the 64-bit TSS. */
static void gate_inner_stack(struct cpu *c, int dpl, bool lma,
			     const char *what, struct seg_stack *st,
			     struct seg_desc *ssd)
{
	const struct seg *tr = &c->seg[SEG_TR];
	if (lma) {
		uint32_t off = 4 + (uint32_t)dpl * 8;
		if ((tr->attr & SEG_ATTR_UNUSABLE) || off + 7 > tr->limit)
			cpu_raise_err(c, EXC_TS, seg_err(tr->sel, false),
				      "%s: RSP%d at TSS offset 0x%x is beyond "
				      "the TSS limit 0x%x", what, dpl, off,
				      tr->limit);
		*st = (struct seg_stack){
			.ss = seg_cache_null((uint16_t)dpl, dpl),
			.sp = lin_read(c, tr->base + off, 8, ACC_IMPLICIT_SV),
			.width = 8,
			.mode64 = true,
			.acc = c->cpl == 3 ? ACC_IMPLICIT_SV : 0,
			.vector = EXC_SS,
			.error = 0,
			.what = what,
		};
		return;
	}
	bool tss32 = tr->attr & 8;
	uint32_t off = tss32 ? (uint32_t)dpl * 8 + 4 : (uint32_t)dpl * 4 + 2;
	if ((tr->attr & SEG_ATTR_UNUSABLE) || off + (tss32 ? 5 : 3) > tr->limit)
		cpu_raise_err(c, EXC_TS, seg_err(tr->sel, false),
			      "%s: ring-%d stack at TSS offset 0x%x is beyond "
			      "the TSS limit 0x%x", what, dpl, off, tr->limit);
	uint64_t la = (tr->base + off) & 0xffffffffu;
	uint64_t sp = lin_read(c, la, tss32 ? 4 : 2, ACC_IMPLICIT_SV);
	uint16_t ss = (uint16_t)lin_read(c, (la + (tss32 ? 4 : 2)) & 0xffffffffu,
					 2, ACC_IMPLICIT_SV);
	if ((ss & 0xfffc) == 0 || !seg_desc_read(c, ss, false, ssd))
		cpu_raise_err(c, EXC_TS, seg_err(ss, false),
			      "%s: ring-%d SS 0x%04x in the TSS is %s", what, dpl,
			      ss, (ss & 0xfffc) ? "beyond the table limit" : "null");
	if ((ss & 3) != dpl || desc_dpl(ssd) != dpl)
		cpu_raise_err(c, EXC_TS, seg_err(ss, false),
			      "%s: ring-%d SS 0x%04x has RPL %d, DPL %d", what,
			      dpl, ss, ss & 3, desc_dpl(ssd));
	if (!desc_is_data(ssd) || !(desc_type(ssd) & DESC_T_RW))
		cpu_raise_err(c, EXC_TS, seg_err(ss, false),
			      "%s: ring-%d SS 0x%04x is not a writable data "
			      "segment", what, dpl, ss);
	if (!desc_present(ssd))
		cpu_raise_err(c, EXC_SS, seg_err(ss, false),
			      "%s: ring-%d SS 0x%04x is not present", what, dpl,
			      ss);
	*st = (struct seg_stack){
		.ss = seg_cache_from_desc(ssd, ss),
		.sp = sp,
		.mode64 = false,
		.acc = c->cpl == 3 ? ACC_IMPLICIT_SV : 0,
		.vector = EXC_SS,
		.error = seg_err(ss, false),
		.what = what,
	};
	st->width = (st->ss.attr & SEG_ATTR_DB) ? 4 : 2;
}

/* Through a call gate (SDM Vol. 3A 5.8.3-5.8.6). */
static void far_call_gate(struct cpu *c, uint16_t gsel, bool call,
			  const char *what, const struct seg_desc *g)
{
	int cpl = c->cpl, rpl = gsel & 3;
	bool lma = seg_mode_lma(c);
	if (desc_dpl(g) < cpl || desc_dpl(g) < rpl)
		cpu_raise_err(c, EXC_GP, seg_err(gsel, false),
			      "%s: call gate 0x%04x DPL %d < %s %d", what, gsel,
			      desc_dpl(g), desc_dpl(g) < cpl ? "CPL" : "RPL",
			      desc_dpl(g) < cpl ? cpl : rpl);
	if (!desc_present(g))
		cpu_raise_err(c, EXC_NP, seg_err(gsel, false),
			      "%s: call gate 0x%04x is not present", what, gsel);
	if (lma && desc_upper_type(g) != 0)
		cpu_raise_err(c, EXC_GP, seg_err(gsel, false),
			      "%s: 64-bit call gate 0x%04x upper type field is "
			      "0x%x, not 0", what, gsel, desc_upper_type(g));
	uint16_t sel = gate_selector(g);
	struct seg_desc d, ssd;
	if ((sel & 0xfffc) == 0)
		cpu_gp0(c, "%s: call gate 0x%04x selects a null code segment",
			what, gsel);
	if (!seg_desc_read(c, sel, false, &d))
		cpu_raise_err(c, EXC_GP, seg_err(sel, false),
			      "%s: call gate 0x%04x code selector 0x%04x is "
			      "beyond the table limit", what, gsel, sel);
	int dpl = desc_dpl(&d);
	if (!desc_is_code(&d))
		cpu_raise_err(c, EXC_GP, seg_err(sel, false),
			      "%s: call gate 0x%04x target 0x%04x is not a code "
			      "segment", what, gsel, sel);
	if (call ? dpl > cpl :
		   (desc_is_conforming(&d) ? dpl > cpl : dpl != cpl))
		cpu_raise_err(c, EXC_GP, seg_err(sel, false),
			      "%s: call gate 0x%04x target 0x%04x DPL %d %s "
			      "CPL %d", what, gsel, sel, dpl,
			      dpl > cpl ? ">" : "!=", cpl);
	if (lma && (!desc_l(&d) || desc_db(&d)))
		cpu_raise_err(c, EXC_GP, seg_err(sel, false),
			      "%s: 64-bit call gate 0x%04x target 0x%04x is not "
			      "a 64-bit code segment (L %d D %d)", what, gsel,
			      sel, desc_l(&d), desc_db(&d));
	if (!desc_present(&d))
		cpu_raise_err(c, EXC_NP, seg_err(sel, false),
			      "%s: call gate 0x%04x target 0x%04x is not present",
			      what, gsel, sel);

	unsigned gsize = lma ? 8 : (desc_type(g) & 8) ? 4 : 2;
	bool inner = call && !desc_is_conforming(&d) && dpl < cpl;
	int new_cpl = inner ? dpl : cpl;
	struct far_target t = {
		.cs = seg_cache_from_desc(&d, (sel & 0xfffc) | new_cpl),
		.d = d,
		.set_accessed = true,
		.rip = gate_offset(g) & size_mask(gsize),
	};
	if (!call) {
		check_target_rip(c, lma, t.rip, t.cs.limit, what);
		commit_cs(c, &t);
		return;
	}

	struct seg_stack old, st;
	seg_stack_current(c, &old, what);
	unsigned nparam = lma ? 0 : gate_param_count(g);
	uint64_t params[32];
	if (inner) {
		gate_inner_stack(c, dpl, lma, what, &st, &ssd);
		seg_stack_check_push(c, &st, 4 + nparam, gsize);
		/* Parameters are read from the caller's stack before anything
		 * changes (#SS(0) there). */
		for (unsigned k = 0; k < nparam; k++)
			params[k] = seg_stack_read(c, &old, k * gsize, gsize);
	} else {
		st = old;
		seg_stack_check_push(c, &st, 2, gsize);
	}
	check_target_rip(c, lma, t.rip, t.cs.limit, what);

	seg_desc_set_accessed(c, &t.d);
	if (inner) {
		if (!lma)
			seg_desc_set_accessed(c, &ssd);
		seg_stack_push(c, &st, gsize, c->seg[SEG_SS].sel);
		seg_stack_push(c, &st, gsize, c->gpr[REG_RSP]);
		for (unsigned k = nparam; k-- > 0;)
			seg_stack_push(c, &st, gsize, params[k]);
	}
	push_return(c, &st, gsize);
	if (inner)
		seg_set(c, SEG_SS, &st.ss);
	seg_write_sp(c, st.sp, st.width);
	commit_cs(c, &t);
	seg_refresh_mode(c);
}

/* To a task gate or TSS descriptor (SDM Vol. 3A 7.3). */
static void far_task(struct cpu *c, uint16_t sel, bool call, const char *what,
		     struct seg_desc *d)
{
	int cpl = c->cpl, rpl = sel & 3;
	bool gate = desc_type(d) == DESC_TASK_GATE;
	const char *kind = gate ? "task gate" : "TSS";
	if (desc_dpl(d) < cpl || desc_dpl(d) < rpl)
		cpu_raise_err(c, EXC_GP, seg_err(sel, false),
			      "%s: %s 0x%04x DPL %d < %s %d", what, kind, sel,
			      desc_dpl(d), desc_dpl(d) < cpl ? "CPL" : "RPL",
			      desc_dpl(d) < cpl ? cpl : rpl);
	struct seg_desc td = *d;
	uint16_t tsel = sel;
	if (gate) {
		if (!desc_present(d))
			cpu_raise_err(c, EXC_NP, seg_err(sel, false),
				      "%s: task gate 0x%04x is not present",
				      what, sel);
		tsel = gate_selector(d);
		if ((tsel & 4) || !seg_desc_read(c, tsel, false, &td))
			cpu_raise_err(c, EXC_GP, seg_err(tsel, false),
				      "%s: task gate 0x%04x selects TSS 0x%04x %s",
				      what, sel, tsel, (tsel & 4) ? "in the LDT" :
				      "beyond the GDT limit");
		if (desc_s(&td) || !task_is_tss_type(desc_type(&td)))
			cpu_raise_err(c, EXC_GP, seg_err(tsel, false),
				      "%s: task gate 0x%04x target 0x%04x is not "
				      "a TSS", what, sel, tsel);
	} else if (sel & 4) {
		cpu_raise_err(c, EXC_GP, seg_err(sel, false),
			      "%s: TSS selector 0x%04x has TI = 1", what, sel);
	}
	task_switch(c, tsel, &td, call ? TASK_CALL : TASK_JMP, c->next_rip,
		    flags_read(c), false, false, 0);
}

static void far_transfer(struct cpu *c, unsigned size, uint16_t sel,
			 uint64_t off, bool call)
{
	const char *what = call ? "far CALL" : "far JMP";
	if (!seg_mode_prot(c)) {
		far_real(c, size, sel, off, call, what);
		return;
	}
	if ((sel & 0xfffc) == 0)
		cpu_gp0(c, "%s: null selector 0x%04x", what, sel);
	struct seg_desc d;
	read_far_desc(c, sel, what, "target", &d);
	if (desc_is_code(&d)) {
		far_code(c, size, sel, off, call, what, &d);
		return;
	}
	unsigned type = desc_s(&d) ? 0 : desc_type(&d);
	bool lma = seg_mode_lma(c);
	if (type == DESC_CALL32 || (!lma && type == DESC_CALL16)) {
		far_call_gate(c, sel, call, what, &d);
		return;
	}
	if (!lma && (type == DESC_TASK_GATE || type == DESC_TSS16_AVAIL ||
		     type == DESC_TSS32_AVAIL || type == DESC_TSS16_BUSY ||
		     type == DESC_TSS32_BUSY)) {
		far_task(c, sel, call, what, &d);
		return;
	}
	cpu_raise_err(c, EXC_GP, seg_err(sel, false),
		      "%s: selector 0x%04x is not a code segment, call gate%s "
		      "(S %d type 0x%x)", what, sel,
		      lma ? " (IA-32e mode)" : ", task gate or TSS",
		      desc_s(&d), desc_type(&d));
}

/* ptr16:16 or ptr16:32 (Ap), or m16:16, m16:32, m16:64 (Mp: offset
 * first, then the selector). */
EXEC_INLINE void far_ptr(struct cpu *c, const struct insn *i, unsigned size,
			 bool mem, bool call)
{
	if (!mem) {
		far_transfer(c, size, (uint16_t)i->imm2, i->imm, call);
		return;
	}
	uint64_t ea = insn_ea(c, i);
	uint64_t off = mem_read(c, i->seg, ea, size);
	uint16_t sel = mem_read16(c, i->seg,
				  (ea + size) & size_mask(i->addrsize));
	far_transfer(c, size, sel, off, call);
}

/* The checks of a return code segment (RETF, IRET): SDM Vol. 2A RET,
 * PROTECTED-MODE. */
static void check_return_cs(struct cpu *c, uint16_t sel, const char *what,
			    struct seg_desc *d)
{
	int rpl = sel & 3, cpl = c->cpl;
	if ((sel & 0xfffc) == 0)
		cpu_gp0(c, "%s: return CS is null (0x%04x)", what, sel);
	if (!seg_desc_read(c, sel, false, d))
		cpu_raise_err(c, EXC_GP, seg_err(sel, false),
			      "%s: return CS 0x%04x is beyond the %s limit", what,
			      sel, (sel & 4) ? "LDT" : "GDT");
	if (!desc_is_code(d))
		cpu_raise_err(c, EXC_GP, seg_err(sel, false),
			      "%s: return CS 0x%04x is not a code segment "
			      "(S %d type 0x%x)", what, sel, desc_s(d),
			      desc_type(d));
	if (rpl < cpl)
		cpu_raise_err(c, EXC_GP, seg_err(sel, false),
			      "%s: return CS 0x%04x RPL %d < CPL %d", what, sel,
			      rpl, cpl);
	if (desc_is_conforming(d) ? desc_dpl(d) > rpl : desc_dpl(d) != rpl)
		cpu_raise_err(c, EXC_GP, seg_err(sel, false),
			      "%s: return CS 0x%04x %sconforming with DPL %d %s "
			      "RPL %d", what, sel,
			      desc_is_conforming(d) ? "" : "non-", desc_dpl(d),
			      desc_is_conforming(d) ? ">" : "!=", rpl);
	if (seg_mode_lma(c) && desc_l(d) && desc_db(d))
		cpu_raise_err(c, EXC_GP, seg_err(sel, false),
			      "%s: return CS 0x%04x has both L and D set", what,
			      sel);
	if (!desc_present(d))
		cpu_raise_err(c, EXC_NP, seg_err(sel, false),
			      "%s: return CS 0x%04x is not present", what, sel);
}

/* The checks of the SS popped by a return to an outer level (or by IRET
 * in 64-bit mode). Returns the SS to load. */
static struct seg check_return_ss(struct cpu *c, uint16_t ss, uint16_t cs,
				  bool to64, const char *what,
				  struct seg_desc *d, bool *set_accessed)
{
	int rpl = cs & 3;
	*set_accessed = false;
	if ((ss & 0xfffc) == 0) {
		/* A null SS is allowed only for a return to 64-bit mode at
		 * CPL < 3 (SDM Vol. 2A RET, IRET). */
		if (!to64 || rpl == 3)
			cpu_gp0(c, "%s: return SS 0x%04x is null (returning to "
				"%s at CPL %d)", what, ss,
				to64 ? "64-bit mode" : "a non-64-bit segment",
				rpl);
		return seg_cache_null(ss, rpl);
	}
	if (!seg_desc_read(c, ss, false, d))
		cpu_raise_err(c, EXC_GP, seg_err(ss, false),
			      "%s: return SS 0x%04x is beyond the %s limit", what,
			      ss, (ss & 4) ? "LDT" : "GDT");
	if ((ss & 3) != rpl)
		cpu_raise_err(c, EXC_GP, seg_err(ss, false),
			      "%s: return SS 0x%04x RPL %d != return CS RPL %d",
			      what, ss, ss & 3, rpl);
	if (!desc_is_data(d) || !(desc_type(d) & DESC_T_RW))
		cpu_raise_err(c, EXC_GP, seg_err(ss, false),
			      "%s: return SS 0x%04x is not a writable data "
			      "segment", what, ss);
	if (desc_dpl(d) != rpl)
		cpu_raise_err(c, EXC_GP, seg_err(ss, false),
			      "%s: return SS 0x%04x DPL %d != return CS RPL %d",
			      what, ss, desc_dpl(d), rpl);
	if (!desc_present(d))
		cpu_raise_err(c, EXC_SS, seg_err(ss, false),
			      "%s: return SS 0x%04x is not present", what, ss);
	*set_accessed = true;
	return seg_cache_from_desc(d, ss);
}

/* Loads the outer stack of a return: SS (accessed bit first) and rSP. */
static void commit_return_ss(struct cpu *c, struct seg *ss,
			     struct seg_desc *d, bool set_accessed,
			     uint64_t sp, bool to64)
{
	if (set_accessed) {
		seg_desc_set_accessed(c, d);
		ss->attr |= DESC_T_ACCESSED;
	}
	seg_set(c, SEG_SS, ss);
	seg_write_sp(c, sp, to64 ? 8 : (ss->attr & SEG_ATTR_DB) ? 4 : 2);
}

EXEC_INLINE void retf(struct cpu *c, const struct insn *i, unsigned n,
		      bool mem, bool has_imm)
{
	const char *what = "RETF";
	uint16_t imm = has_imm ? (uint16_t)i->imm : 0;
	(void)mem;
	struct seg_stack st;
	seg_stack_current(c, &st, what);
	uint64_t rip = seg_stack_read(c, &st, 0, n);
	uint16_t sel = (uint16_t)seg_stack_read(c, &st, n, n);

	if (!seg_mode_prot(c)) {
		struct far_target t = {
			.cs = seg_mode_vm86(c) ? seg_cache_vm86(sel) :
				seg_cache_real(&c->seg[SEG_CS], sel),
			.rip = rip,
		};
		check_target_rip(c, false, rip, t.cs.limit, what);
		st.sp += 2 * n + imm;
		seg_stack_commit_sp(c, &st);
		commit_cs(c, &t);
		return;
	}

	struct seg_desc d, ssd;
	check_return_cs(c, sel, what, &d);
	bool to64 = target_64(c, &d);
	int rpl = sel & 3;
	struct far_target t = {
		.cs = seg_cache_from_desc(&d, sel),
		.d = d,
		.set_accessed = true,
		.rip = rip,
	};
	if (rpl == c->cpl) {
		check_target_rip(c, to64, rip, t.cs.limit, what);
		st.sp += 2 * n + imm;
		seg_desc_set_accessed(c, &t.d);
		t.set_accessed = false;
		seg_stack_commit_sp(c, &st);
		commit_cs(c, &t);
		return;
	}
	/* Return to an outer level: SS:rSP follow the return address and
	 * the imm16 bytes of parameters. */
	uint64_t sp = seg_stack_read(c, &st, 2 * n + imm, n);
	uint16_t ss = (uint16_t)seg_stack_read(c, &st, 3 * n + imm, n);
	bool ss_acc;
	struct seg ssc = check_return_ss(c, ss, sel, to64, what, &ssd, &ss_acc);
	check_target_rip(c, to64, rip, t.cs.limit, what);
	seg_desc_set_accessed(c, &t.d);
	t.set_accessed = false;
	commit_cs(c, &t);
	commit_return_ss(c, &ssc, &ssd, ss_acc, sp + imm, to64);
	seg_null_inaccessible(c);
}

/* IRET in real-address mode and in virtual-8086 mode. */
static void iret_real(struct cpu *c, unsigned n, bool vm86)
{
	const char *what = "IRET";
	int iopl = (c->rflags >> 12) & 3;
	bool vme = vm86 && iopl < 3 && (c->cr4 & CR4_VME) && n == 2;
	if (vm86 && iopl < 3 && !vme)
		cpu_gp0(c, "IRET in virtual-8086 mode with IOPL %d < 3 (%s)",
			iopl, (c->cr4 & CR4_VME) ? "32-bit operand size" :
						   "CR4.VME = 0");
	struct seg_stack st;
	seg_stack_current(c, &st, what);
	uint64_t rip = seg_stack_read(c, &st, 0, n);
	uint16_t sel = (uint16_t)seg_stack_read(c, &st, n, n);
	uint64_t fl = seg_stack_read(c, &st, 2 * n, n);
	struct far_target t = {
		.cs = vm86 ? seg_cache_vm86(sel) :
			     seg_cache_real(&c->seg[SEG_CS], sel),
		.rip = rip,
	};
	uint64_t mask;
	if (vme) {
		/* SDM Vol. 3A 20.3.3.5: a virtual IF with a pending virtual
		 * interrupt, or TF, goes to the monitor. */
		if (((c->rflags & FLAG_VIP) && (fl & FLAG_IF)) || (fl & FLAG_TF))
			cpu_gp0(c, "IRET in virtual-8086 mode with VME: popped "
				"FLAGS 0x%04llx %s", (unsigned long long)fl,
				(fl & FLAG_TF) ? "has TF set" :
				"sets IF while VIP = 1");
		mask = 0xffff & ~(uint64_t)(FLAG_IOPL | FLAG_IF);
	} else if (vm86) {
		mask = (n == 2 ? 0xffff : 0x3f7fd5) &
		       ~(uint64_t)(FLAG_IOPL | FLAG_VM | FLAG_VIP | FLAG_VIF);
	} else {
		/* Real mode keeps VM, VIP and VIF (SDM Vol. 2A IRET). */
		mask = n == 2 ? 0xffff : 0x257fd5;
	}
	check_target_rip(c, false, rip, t.cs.limit, what);
	st.sp += 3 * n;
	seg_stack_commit_sp(c, &st);
	commit_cs(c, &t);
	flags_write(c, fl, mask);
	if (vme)
		c->rflags = (c->rflags & ~(uint64_t)FLAG_VIF) |
			    ((fl & FLAG_IF) ? FLAG_VIF : 0);
}

/* IRET with NT = 1: return to the task in the back link (SDM Vol. 2A
 * IRET, TASK-RETURN). */
static void iret_task(struct cpu *c)
{
	const char *what = "IRET (task return)";
	const struct seg *tr = &c->seg[SEG_TR];
	uint16_t link = (uint16_t)lin_read(c, tr->base & 0xffffffffu, 2,
					   ACC_IMPLICIT_SV);
	struct seg_desc d;
	if ((link & 4) || !seg_desc_read(c, link, false, &d))
		cpu_raise_err(c, EXC_TS, seg_err(link, false),
			      "%s: back link 0x%04x %s", what, link,
			      (link & 4) ? "has TI = 1" : "is beyond the GDT limit");
	if (desc_s(&d) || (desc_type(&d) != DESC_TSS16_BUSY &&
			   desc_type(&d) != DESC_TSS32_BUSY))
		cpu_raise_err(c, EXC_TS, seg_err(link, false),
			      "%s: back link 0x%04x is not a busy TSS (S %d "
			      "type 0x%x)", what, link, desc_s(&d), desc_type(&d));
	task_switch(c, link, &d, TASK_IRET, c->next_rip, flags_read(c), false,
		    false, 0);
}

/* IRET from CPL 0 to virtual-8086 mode (SDM Vol. 2A IRET,
 * RETURN-TO-VIRTUAL-8086-MODE). */
static void iret_to_vm86(struct cpu *c, struct seg_stack *st, uint64_t rip,
			 uint16_t sel, uint64_t fl)
{
	uint16_t segs[4];
	uint64_t sp = seg_stack_read(c, st, 12, 4);
	uint16_t ss = (uint16_t)seg_stack_read(c, st, 16, 4);
	for (unsigned k = 0; k < 4; k++)
		segs[k] = (uint16_t)seg_stack_read(c, st, 20 + 4 * k, 4);
	struct far_target t = { .cs = seg_cache_vm86(sel), .rip = rip };
	check_target_rip(c, false, rip, t.cs.limit, "IRET to virtual-8086 mode");
	flags_write(c, fl, ~0ull);
	static const int order[4] = { SEG_ES, SEG_DS, SEG_FS, SEG_GS };
	for (unsigned k = 0; k < 4; k++)
		c->seg[order[k]] = seg_cache_vm86(segs[k]);
	struct seg s = seg_cache_vm86(ss);
	seg_set(c, SEG_SS, &s);
	c->gpr[REG_RSP] = sp & 0xffffffffu;
	commit_cs(c, &t);
}

/* IRET in protected mode and IA-32e mode. */
static void iret_prot(struct cpu *c, unsigned n)
{
	const char *what = "IRET";
	if (c->rflags & FLAG_NT) {
		if (seg_mode_lma(c))
			cpu_gp0(c, "IRET with EFLAGS.NT = 1 in IA-32e mode");
		iret_task(c);
		return;
	}
	bool in64 = seg_mode_64(c);
	struct seg_stack st;
	seg_stack_current(c, &st, what);
	uint64_t rip = seg_stack_read(c, &st, 0, n);
	uint16_t sel = (uint16_t)seg_stack_read(c, &st, n, n);
	uint64_t fl = seg_stack_read(c, &st, 2 * n, n);
	int cpl = c->cpl;

	if ((fl & FLAG_VM) && cpl == 0 && n == 4 && !seg_mode_lma(c)) {
		iret_to_vm86(c, &st, rip, sel, fl);
		return;
	}
	struct seg_desc d, ssd;
	check_return_cs(c, sel, what, &d);
	bool to64 = target_64(c, &d);
	int rpl = sel & 3;
	bool outer = rpl > cpl;
	struct far_target t = {
		.cs = seg_cache_from_desc(&d, sel),
		.d = d,
		.set_accessed = true,
		.rip = rip,
	};
	struct seg ssc;
	bool ss_acc = false;
	uint64_t sp = 0;
	if (outer || in64) {
		/* 64-bit mode pops SS:RSP even at the same level. */
		sp = seg_stack_read(c, &st, 3 * n, n);
		uint16_t ss = (uint16_t)seg_stack_read(c, &st, 4 * n, n);
		ssc = check_return_ss(c, ss, sel, to64, what, &ssd, &ss_acc);
	}
	check_target_rip(c, to64, rip, t.cs.limit, what);

	/* EFLAGS by the privilege of the IRET (SDM Vol. 2A IRET). */
	int iopl = (c->rflags >> 12) & 3;
	uint64_t mask = FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF |
			FLAG_TF | FLAG_DF | FLAG_OF | FLAG_NT;
	if (n > 2)
		mask |= FLAG_RF | FLAG_AC | FLAG_ID;
	if (cpl == 0) {
		mask |= FLAG_IOPL;
		if (n > 2)
			mask |= FLAG_VIF | FLAG_VIP;
	}
	if (cpl <= iopl)
		mask |= FLAG_IF;

	seg_desc_set_accessed(c, &t.d);
	t.set_accessed = false;
	flags_write(c, fl, mask);
	commit_cs(c, &t);
	if (outer || in64) {
		commit_return_ss(c, &ssc, &ssd, ss_acc, sp, to64);
	} else {
		st.sp += 3 * n;
		seg_stack_commit_sp(c, &st);
	}
	if (outer)
		seg_null_inaccessible(c);
}

EXEC_INLINE void iret(struct cpu *c, const struct insn *i, unsigned size,
		      bool mem)
{
	(void)i, (void)mem;
	/* IRET ends NMI blocking even if it then faults (SDM Vol. 3A 6.7.1;
	 * Vol. 3C 27.2.3 reports "NMI unblocking due to IRET" on faults). */
	c->nmi_blocked = false;
	if (!seg_mode_pe(c))
		iret_real(c, size, false);
	else if (c->rflags & FLAG_VM)
		iret_real(c, size, true);
	else
		iret_prot(c, size);
}

/* INT3, INT n, INTO, INT1: the operand size does not matter. */
EXEC_INLINE void int_n(struct cpu *c, const struct insn *i, unsigned size,
		       bool mem, int form)
{
	(void)size, (void)mem;
	switch (form) {
	case 3:
		intr_deliver(c, EXC_BP, INTR_SOFTWARE_EXC, false, 0);
		break;
	case 4:
		if (flag_of(c))
			intr_deliver(c, EXC_OF, INTR_SOFTWARE_EXC, false, 0);
		break;
	case 1:
		intr_deliver(c, EXC_DB, INTR_PRIV_SOFTWARE_EXC, false, 0);
		break;
	default:
		intr_deliver(c, (int)(i->imm & 0xff), INTR_SOFTWARE, false, 0);
		break;
	}
}

/* BOUND r16/32, m16&16/m32&32: #BR if the index is outside the signed
 * bounds (SDM Vol. 2A BOUND). */
EXEC_INLINE void bound(struct cpu *c, const struct insn *i, unsigned n,
		       bool mem)
{
	(void)mem;
	uint64_t ea = insn_ea(c, i);
	int64_t lo = (int64_t)lf_sext(mem_read(c, i->seg, ea, n), n * 8);
	int64_t hi = (int64_t)lf_sext(mem_read(c, i->seg,
					       (ea + n) & size_mask(i->addrsize),
					       n), n * 8);
	int64_t idx = (int64_t)lf_sext(reg_read(c, i->reg, n), n * 8);
	if (idx < lo || idx > hi)
		cpu_raise(c, EXC_BR, "BOUND: index %lld is outside [%lld, %lld]",
			  (long long)idx, (long long)lo, (long long)hi);
}

/* One generic body per form, instantiated per operand size and form by
 * the templates of cpu/exec.h (the Ap and BOUND forms do not exist in
 * 64-bit mode; the decoder never picks their 64-bit slots). */
IMPL_V_NM(JMPF_Ap, far_ptr, false)
IMPL_V_M(JMPF_Mp, far_ptr, false)
IMPL_V_NM(CALLF_Ap, far_ptr, true)
IMPL_V_M(CALLF_Mp, far_ptr, true)
IMPL_V_NM(RETF, retf, false)
IMPL_V_NM(RETF_Iw, retf, true)
IMPL_V_NM(IRET, iret)
IMPL_V_NM(INT3, int_n, 3)
IMPL_V_NM(INT_Ib, int_n, -1)
IMPL_V_NM(INTO, int_n, 4)
IMPL_V_NM(INT1, int_n, 1)
IMPL_V_M(BOUND_GvMa, bound)
