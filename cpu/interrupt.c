/* Event delivery: real-mode IVT, protected-mode IDT gates with privilege
 * changes, virtual-8086 mode (IOPL, VME and the redirection bitmap),
 * IA-32e mode with 64-bit gates and IST, and the double-fault and
 * shutdown rules (SDM Vol. 3A 6.12-6.15, 20.1.4, 20.3).
 *
 * While an event is delivered, c->delivering is 1 and c->first_vector
 * holds the vector that decides the double-fault class: the exception's
 * vector, or -1 for external interrupts and INT n (always benign). A
 * fault raised during delivery unwinds with both still set, so that
 * intr_deliver_fault() knows what it interrupted. */
#include "cpu/interrupt.h"

#include <stdio.h>

#include "cpu/fault.h"
#include "cpu/flags.h"
#include "cpu/mem.h"
#include "cpu/paging.h"
#include "cpu/seg.h"
#include "cpu/task.h"
#include "util/log.h"
#include "cpu/regs.h"


struct event {
	int vector;
	enum intr_kind kind;
	bool has_err;
	uint32_t err;
	bool ext;         /* EXT bit of faults raised while delivering */
	bool soft;        /* INT n, INT3, INTO: the gate DPL is checked */
	uint64_t ret_rip; /* return address pushed */
	uint64_t flags;   /* EFLAGS image pushed */
	char name[40];    /* for fault reasons */
};

/* Error code naming an IDT entry (SDM Vol. 3A 6.13). */
static uint32_t idt_err(const struct event *ev)
{
	return ((uint32_t)ev->vector << 3) | 2 | (ev->ext ? 1 : 0);
}

static bool is_trap_vector(int vector)
{
	return vector == EXC_BP || vector == EXC_OF;
}

/* Fault-class exceptions push RF = 1 so that the restarted instruction
 * does not hit an instruction breakpoint again; #DB, the traps and the
 * aborts push RF as it is (SDM Vol. 3A 18.3.1.1). */
static bool pushes_rf(const struct event *ev)
{
	if (ev->kind != INTR_EXCEPTION)
		return false;
	switch (ev->vector) {
	case EXC_DB: case EXC_BP: case EXC_OF: case EXC_DF: case EXC_MC:
		return false;
	default:
		return true;
	}
}

/* Flags after entering a handler: TF, NT, RF and VM clear; IF clear for
 * interrupt gates. */
static void enter_handler_flags(struct cpu *c, bool clear_if)
{
	uint64_t clear = FLAG_TF | FLAG_NT | FLAG_RF | FLAG_VM;
	if (clear_if)
		clear |= FLAG_IF;
	c->rflags &= ~clear;
}

static void set_rip(struct cpu *c, uint64_t rip)
{
	c->rip = c->next_rip = rip;
}

/* Real-address mode (SDM Vol. 3A 20.1.4; Vol. 2A INT n). */
static void deliver_real(struct cpu *c, struct event *ev)
{
	uint32_t ent = (uint32_t)ev->vector * 4;
	if (ent + 3 > c->idtr.limit)
		cpu_raise_err(c, EXC_GP, idt_err(ev),
			      "%s: IVT entry 0x%x is beyond the IDT limit 0x%x",
			      ev->name, ent, c->idtr.limit);
	struct seg_stack st;
	seg_stack_current(c, &st, ev->name);
	seg_stack_check_push(c, &st, 3, 2);
	uint32_t vec = (uint32_t)lin_read(c, c->idtr.base + ent, 4,
					  ACC_IMPLICIT_SV);
	seg_stack_push(c, &st, 2, ev->flags);
	seg_stack_push(c, &st, 2, c->seg[SEG_CS].sel);
	seg_stack_push(c, &st, 2, ev->ret_rip);
	seg_stack_commit_sp(c, &st);
	struct seg cs = seg_cache_real(&c->seg[SEG_CS], vec >> 16);
	seg_set(c, SEG_CS, &cs);
	set_rip(c, vec & 0xffff);
	c->rflags &= ~(uint64_t)(FLAG_IF | FLAG_TF | FLAG_AC);
}

/* INT n redirected to the 8086 program's own handler through the IVT at
 * linear address 0 (SDM Vol. 3A 20.3.3.4, methods 5 and 6). */
static void deliver_vm86_ivt(struct cpu *c, struct event *ev, bool vif_mode)
{
	struct seg_stack st;
	seg_stack_current(c, &st, ev->name);
	seg_stack_check_push(c, &st, 3, 2);
	uint32_t vec = (uint32_t)lin_read(c, (uint64_t)ev->vector * 4, 4,
					  ACC_READ);
	uint64_t image = flags_read(c) & 0xffff;
	if (vif_mode) {
		/* Method 6: the image shows IOPL 3 and IF = VIF. */
		image |= FLAG_IOPL;
		image &= ~(uint64_t)FLAG_IF;
		if (c->rflags & FLAG_VIF)
			image |= FLAG_IF;
	}
	seg_stack_push(c, &st, 2, image);
	seg_stack_push(c, &st, 2, c->seg[SEG_CS].sel);
	seg_stack_push(c, &st, 2, ev->ret_rip);
	seg_stack_commit_sp(c, &st);
	struct seg cs = seg_cache_vm86(vec >> 16);
	seg_set(c, SEG_CS, &cs);
	set_rip(c, vec & 0xffff);
	c->rflags &= ~(uint64_t)(FLAG_TF | (vif_mode ? FLAG_VIF : FLAG_IF));
}

/* INT n in virtual-8086 mode (SDM Vol. 3A 20.3.3, table 20-2). Returns
 * true if handled here, false to continue through the IDT (methods 1
 * and 4). */
static bool deliver_vm86_soft(struct cpu *c, struct event *ev)
{
	int iopl = (c->rflags >> 12) & 3;
	if (!(c->cr4 & CR4_VME)) {
		if (iopl < 3)
			cpu_gp0(c, "%s in virtual-8086 mode with IOPL %d < 3 "
				"and CR4.VME = 0", ev->name, iopl);
		return false;
	}
	/* The redirection bitmap is the 32 bytes below the I/O map base. */
	const struct seg *tr = &c->seg[SEG_TR];
	if (tr->limit < 0x67 || (tr->attr & SEG_ATTR_UNUSABLE))
		cpu_gp0(c, "%s in virtual-8086 mode: TR limit 0x%x is too "
			"small for the interrupt redirection bitmap", ev->name,
			tr->limit);
	uint32_t iomap = (uint32_t)lin_read(c, (tr->base + 0x66) & 0xffffffffu,
					    2, ACC_IMPLICIT_SV);
	uint32_t byte_off = iomap - 32 + (uint32_t)ev->vector / 8;
	if (iomap < 32 || byte_off > tr->limit)
		cpu_gp0(c, "%s in virtual-8086 mode: redirection bitmap byte "
			"at TSS offset 0x%x is beyond the TSS limit 0x%x",
			ev->name, iomap - 32 + (uint32_t)ev->vector / 8,
			tr->limit);
	uint8_t bits = (uint8_t)lin_read(c, (tr->base + byte_off) & 0xffffffffu,
					 1, ACC_IMPLICIT_SV);
	bool to_idt = (bits >> (ev->vector & 7)) & 1;
	if (to_idt) {
		if (iopl < 3)
			cpu_gp0(c, "%s in virtual-8086 mode: redirection bit "
				"set and IOPL %d < 3 (VME method 3)", ev->name,
				iopl);
		return false;
	}
	deliver_vm86_ivt(c, ev, iopl < 3);
	return true;
}

/* Reads and checks the IDT gate of ev (8 or 16 bytes). */
static void read_gate(struct cpu *c, const struct event *ev, bool wide,
		      struct seg_desc *g)
{
	unsigned esize = wide ? 16 : 8;
	uint64_t ent = (uint64_t)ev->vector * esize;
	if (ent + esize - 1 > c->idtr.limit)
		cpu_raise_err(c, EXC_GP, idt_err(ev),
			      "%s: IDT entry at offset 0x%llx is beyond the IDT "
			      "limit 0x%x", ev->name, (unsigned long long)ent,
			      c->idtr.limit);
	uint64_t la = c->idtr.base + ent;
	if (!wide)
		la &= 0xffffffffu;
	uint64_t q = lin_read(c, la, 8, ACC_IMPLICIT_SV);
	g->addr = la;
	g->lo = (uint32_t)q;
	g->hi = (uint32_t)(q >> 32);
	g->hi2 = g->hi3 = 0;
	if (wide) {
		q = lin_read(c, la + 8, 8, ACC_IMPLICIT_SV);
		g->hi2 = (uint32_t)q;
		g->hi3 = (uint32_t)(q >> 32);
	}
	unsigned t = desc_type(g);
	bool ok = !desc_s(g) &&
		  (wide ? (t == DESC_INT32 || t == DESC_TRAP32) :
			  (t == DESC_TASK_GATE || t == DESC_INT16 ||
			   t == DESC_TRAP16 || t == DESC_INT32 ||
			   t == DESC_TRAP32));
	if (!ok)
		cpu_raise_err(c, EXC_GP, idt_err(ev),
			      "%s: IDT entry %d is not %s gate (S %d type 0x%x)",
			      ev->name, ev->vector,
			      wide ? "a 64-bit interrupt or trap" :
				     "an interrupt, trap or task",
			      desc_s(g), t);
	if (wide && desc_upper_type(g) != 0)
		cpu_raise_err(c, EXC_GP, idt_err(ev),
			      "%s: 64-bit IDT gate %d has upper type field 0x%x, "
			      "not 0", ev->name, ev->vector, desc_upper_type(g));
	if (ev->soft && desc_dpl(g) < c->cpl)
		cpu_raise_err(c, EXC_GP, idt_err(ev),
			      "%s: IDT gate %d DPL %d < CPL %d", ev->name,
			      ev->vector, desc_dpl(g), c->cpl);
	if (!desc_present(g))
		cpu_raise_err(c, EXC_NP, idt_err(ev),
			      "%s: IDT gate %d is not present", ev->name,
			      ev->vector);
}

/* Reads and checks the handler's code segment. */
static void read_handler_cs(struct cpu *c, const struct event *ev,
			    uint16_t sel, bool need64, struct seg_desc *d)
{
	if ((sel & 0xfffc) == 0)
		cpu_raise_err(c, EXC_GP, ev->ext ? 1 : 0,
			      "%s: gate %d selects a null code segment",
			      ev->name, ev->vector);
	if (!seg_desc_read(c, sel, false, d))
		cpu_raise_err(c, EXC_GP, seg_err(sel, ev->ext),
			      "%s: handler CS 0x%04x is beyond the %s limit",
			      ev->name, sel, (sel & 4) ? "LDT" : "GDT");
	if (!desc_is_code(d))
		cpu_raise_err(c, EXC_GP, seg_err(sel, ev->ext),
			      "%s: handler CS 0x%04x is not a code segment "
			      "(S %d type 0x%x)", ev->name, sel, desc_s(d),
			      desc_type(d));
	if (need64 && (!desc_l(d) || desc_db(d)))
		cpu_raise_err(c, EXC_GP, seg_err(sel, ev->ext),
			      "%s: handler CS 0x%04x is not a 64-bit code "
			      "segment (L %d D %d)", ev->name, sel, desc_l(d),
			      desc_db(d));
	if (desc_dpl(d) > c->cpl)
		cpu_raise_err(c, EXC_GP, seg_err(sel, ev->ext),
			      "%s: handler CS 0x%04x DPL %d > CPL %d", ev->name,
			      sel, desc_dpl(d), c->cpl);
	if (!desc_present(d))
		cpu_raise_err(c, EXC_NP, seg_err(sel, ev->ext),
			      "%s: handler CS 0x%04x is not present", ev->name,
			      sel);
}

/* The inner stack for privilege level dpl from the legacy TSS, checked
 * as INT n's pseudocode says (#TS, #SS with the selector and EXT). */
static void tss_legacy_stack(struct cpu *c, const struct event *ev, int dpl,
			     struct seg_stack *st, struct seg_desc *ssd)
{
	const struct seg *tr = &c->seg[SEG_TR];
	bool tss32 = (tr->attr & 8) != 0;
	uint32_t off = tss32 ? (uint32_t)dpl * 8 + 4 : (uint32_t)dpl * 4 + 2;
	uint32_t need = tss32 ? 5 : 3;
	if ((tr->attr & SEG_ATTR_UNUSABLE) || off + need > tr->limit)
		cpu_raise_err(c, EXC_TS, seg_err(tr->sel, ev->ext),
			      "%s: ring-%d stack at TSS offset 0x%x is beyond "
			      "the TSS limit 0x%x", ev->name, dpl, off,
			      tr->limit);
	uint64_t la = (tr->base + off) & 0xffffffffu;
	uint64_t sp;
	uint16_t ss;
	if (tss32) {
		sp = lin_read(c, la, 4, ACC_IMPLICIT_SV);
		ss = (uint16_t)lin_read(c, (la + 4) & 0xffffffffu, 2,
					ACC_IMPLICIT_SV);
	} else {
		sp = lin_read(c, la, 2, ACC_IMPLICIT_SV);
		ss = (uint16_t)lin_read(c, (la + 2) & 0xffffffffu, 2,
					ACC_IMPLICIT_SV);
	}
	if ((ss & 0xfffc) == 0)
		cpu_raise_err(c, EXC_TS, ev->ext ? 1 : 0,
			      "%s: ring-%d SS in the TSS is null", ev->name,
			      dpl);
	if (!seg_desc_read(c, ss, false, ssd))
		cpu_raise_err(c, EXC_TS, seg_err(ss, ev->ext),
			      "%s: ring-%d SS 0x%04x is beyond the %s limit",
			      ev->name, dpl, ss, (ss & 4) ? "LDT" : "GDT");
	if ((ss & 3) != dpl)
		cpu_raise_err(c, EXC_TS, seg_err(ss, ev->ext),
			      "%s: ring-%d SS 0x%04x has RPL %d", ev->name, dpl,
			      ss, ss & 3);
	if (desc_dpl(ssd) != dpl)
		cpu_raise_err(c, EXC_TS, seg_err(ss, ev->ext),
			      "%s: ring-%d SS 0x%04x has DPL %d", ev->name, dpl,
			      ss, desc_dpl(ssd));
	if (!desc_is_data(ssd) || !(desc_type(ssd) & DESC_T_RW))
		cpu_raise_err(c, EXC_TS, seg_err(ss, ev->ext),
			      "%s: ring-%d SS 0x%04x is not a writable data "
			      "segment (S %d type 0x%x)", ev->name, dpl, ss,
			      desc_s(ssd), desc_type(ssd));
	if (!desc_present(ssd))
		cpu_raise_err(c, EXC_SS, seg_err(ss, ev->ext),
			      "%s: ring-%d SS 0x%04x is not present", ev->name,
			      dpl, ss);
	st->ss = seg_cache_from_desc(ssd, ss);
	st->width = (st->ss.attr & SEG_ATTR_DB) ? 4 : 2;
	st->sp = sp;
	st->mode64 = false;
	st->acc = c->cpl == 3 ? ACC_IMPLICIT_SV : 0;
	st->vector = EXC_SS;
	st->error = seg_err(ss, ev->ext);
	st->what = ev->name;
}

/* Through a task gate (SDM Vol. 2A INT n, TASK-GATE). */
static void deliver_task_gate(struct cpu *c, struct event *ev,
			      const struct seg_desc *g)
{
	uint16_t sel = gate_selector(g);
	struct seg_desc d;
	if ((sel & 4) || !seg_desc_read(c, sel, false, &d))
		cpu_raise_err(c, EXC_GP, seg_err(sel, ev->ext),
			      "%s: task gate %d selects TSS 0x%04x %s", ev->name,
			      ev->vector, sel,
			      (sel & 4) ? "in the LDT" : "beyond the GDT limit");
	if (desc_s(&d) || (desc_type(&d) != DESC_TSS16_AVAIL &&
			   desc_type(&d) != DESC_TSS32_AVAIL))
		cpu_raise_err(c, EXC_GP, seg_err(sel, ev->ext),
			      "%s: task gate %d: TSS 0x%04x is not an available "
			      "TSS (S %d type 0x%x)", ev->name, ev->vector, sel,
			      desc_s(&d), desc_type(&d));
	task_switch(c, sel, &d, TASK_INT, ev->ret_rip, ev->flags, ev->ext,
		    ev->has_err, ev->err);
}

/* Protected mode with legacy gates, from protected or virtual-8086 mode
 * (SDM Vol. 3A 6.12.1; Vol. 2A INT n). */
static void deliver_prot(struct cpu *c, struct event *ev)
{
	struct seg_desc g, cd, ssd;
	read_gate(c, ev, false, &g);
	unsigned type = desc_type(&g);
	if (type == DESC_TASK_GATE) {
		deliver_task_gate(c, ev, &g);
		return;
	}
	uint16_t sel = gate_selector(&g);
	read_handler_cs(c, ev, sel, false, &cd);
	bool vm86 = c->rflags & FLAG_VM;
	bool gate32 = type & 8;
	unsigned psize = gate32 ? 4 : 2;
	int dpl = desc_dpl(&cd);
	bool inner = !desc_is_conforming(&cd) && dpl < c->cpl;
	if (vm86 && (!inner || dpl != 0))
		cpu_raise_err(c, EXC_GP, seg_err(sel, ev->ext),
			      "%s from virtual-8086 mode: handler CS 0x%04x is "
			      "%s, not a DPL-0 non-conforming segment", ev->name,
			      sel, desc_is_conforming(&cd) ? "conforming" :
			      "not DPL 0");
	int new_cpl = inner ? dpl : c->cpl;
	struct seg_stack st;
	if (inner) {
		tss_legacy_stack(c, ev, dpl, &st, &ssd);
	} else {
		seg_stack_current(c, &st, ev->name);
		st.error = ev->ext ? 1 : 0;
	}
	unsigned n = 3 + (inner ? 2 : 0) + (vm86 ? 4 : 0) + (ev->has_err ? 1 : 0);
	seg_stack_check_push(c, &st, n, psize);
	uint64_t offset = gate_offset(&g) & (gate32 ? 0xffffffffu : 0xffff);
	if (offset > desc_limit(&cd))
		cpu_raise_err(c, EXC_GP, ev->ext ? 1 : 0,
			      "%s: handler EIP 0x%llx is beyond the CS 0x%04x "
			      "limit 0x%x", ev->name, (unsigned long long)offset,
			      sel, desc_limit(&cd));

	/* Everything is checked; memory writes, then registers. */
	seg_desc_set_accessed(c, &cd);
	if (inner)
		seg_desc_set_accessed(c, &ssd);
	if (vm86) {
		seg_stack_push(c, &st, psize, c->seg[SEG_GS].sel);
		seg_stack_push(c, &st, psize, c->seg[SEG_FS].sel);
		seg_stack_push(c, &st, psize, c->seg[SEG_DS].sel);
		seg_stack_push(c, &st, psize, c->seg[SEG_ES].sel);
	}
	if (inner) {
		seg_stack_push(c, &st, psize, c->seg[SEG_SS].sel);
		seg_stack_push(c, &st, psize, c->gpr[REG_RSP]);
	}
	seg_stack_push(c, &st, psize, ev->flags);
	seg_stack_push(c, &st, psize, c->seg[SEG_CS].sel);
	seg_stack_push(c, &st, psize, ev->ret_rip);
	if (ev->has_err)
		seg_stack_push(c, &st, psize, ev->err);

	if (vm86) {
		static const int data_regs[] = { SEG_ES, SEG_DS, SEG_FS, SEG_GS };
		for (unsigned k = 0; k < 4; k++)
			c->seg[data_regs[k]] = seg_cache_null(0, 0);
	}
	enter_handler_flags(c, !(type & 1));
	if (inner) {
		/* Drop VM before loading SS so the mode refresh sees
		 * protected mode. */
		seg_set(c, SEG_SS, &st.ss);
	}
	seg_write_sp(c, st.sp, st.width);
	struct seg cs = seg_cache_from_desc(&cd, (sel & 0xfffc) | new_cpl);
	seg_set(c, SEG_CS, &cs);
	seg_refresh_mode(c);
	set_rip(c, offset);
}

/* IA-32e mode: 64-bit gates, IST, SS:RSP always pushed, 16-byte stack
 * alignment (SDM Vol. 3A 6.14). */
static void deliver_long(struct cpu *c, struct event *ev)
{
	struct seg_desc g, cd;
	read_gate(c, ev, true, &g);
	uint16_t sel = gate_selector(&g);
	read_handler_cs(c, ev, sel, true, &cd);
	int dpl = desc_dpl(&cd);
	bool inner = !desc_is_conforming(&cd) && dpl < c->cpl;
	int new_cpl = inner ? dpl : c->cpl;
	unsigned ist = gate_ist(&g);
	uint64_t rsp = c->gpr[REG_RSP];
	if (inner || ist) {
		const struct seg *tr = &c->seg[SEG_TR];
		uint32_t off = ist ? 0x1c + ist * 8 : 4 + (uint32_t)dpl * 8;
		if ((tr->attr & SEG_ATTR_UNUSABLE) || off + 7 > tr->limit)
			cpu_raise_err(c, EXC_TS, seg_err(tr->sel, ev->ext),
				      "%s: %s%u stack at TSS offset 0x%x is "
				      "beyond the TSS limit 0x%x", ev->name,
				      ist ? "IST" : "RSP", ist ? ist : (unsigned)dpl,
				      off, tr->limit);
		rsp = lin_read(c, tr->base + off, 8, ACC_IMPLICIT_SV);
	}
	struct seg_stack st = {
		.ss = inner ? seg_cache_null((uint16_t)new_cpl, new_cpl) :
			      c->seg[SEG_SS],
		.sp = rsp & ~0xfull,
		.width = 8,
		.mode64 = true,
		.acc = (c->cpl == 3 && new_cpl < 3) ? ACC_IMPLICIT_SV : 0,
		.vector = EXC_SS,
		.error = ev->ext ? 1 : 0,
		.what = ev->name,
	};
	seg_stack_check_push(c, &st, ev->has_err ? 6 : 5, 8);
	uint64_t offset = gate_offset(&g);
	if (!paging_canonical(c, offset))
		cpu_raise_err(c, EXC_GP, ev->ext ? 1 : 0,
			      "%s: handler RIP 0x%llx is not canonical",
			      ev->name, (unsigned long long)offset);

	seg_desc_set_accessed(c, &cd);
	seg_stack_push(c, &st, 8, c->seg[SEG_SS].sel);
	seg_stack_push(c, &st, 8, c->gpr[REG_RSP]);
	seg_stack_push(c, &st, 8, ev->flags);
	seg_stack_push(c, &st, 8, c->seg[SEG_CS].sel);
	seg_stack_push(c, &st, 8, ev->ret_rip);
	if (ev->has_err)
		seg_stack_push(c, &st, 8, ev->err);

	enter_handler_flags(c, desc_type(&g) == DESC_INT32);
	if (inner)
		seg_set(c, SEG_SS, &st.ss);
	c->gpr[REG_RSP] = st.sp;
	struct seg cs = seg_cache_from_desc(&cd, (sel & 0xfffc) | new_cpl);
	seg_set(c, SEG_CS, &cs);
	seg_refresh_mode(c);
	set_rip(c, offset);
}

static void describe(struct event *ev)
{
	switch (ev->kind) {
	case INTR_EXCEPTION:
	case INTR_SOFTWARE_EXC:
	case INTR_PRIV_SOFTWARE_EXC:
		snprintf(ev->name, sizeof(ev->name), "delivering %s",
			 exc_name(ev->vector));
		break;
	case INTR_NMI:
		snprintf(ev->name, sizeof(ev->name), "delivering NMI");
		break;
	case INTR_EXTERNAL:
		snprintf(ev->name, sizeof(ev->name),
			 "delivering external interrupt 0x%02x", ev->vector);
		break;
	case INTR_SOFTWARE:
		snprintf(ev->name, sizeof(ev->name), "INT 0x%02x", ev->vector);
		break;
	}
}

void intr_deliver(struct cpu *c, int vector, enum intr_kind kind,
		  bool has_error, uint32_t error_code)
{
	struct event ev = {
		.vector = vector & 0xff,
		.kind = kind,
		.has_err = has_error,
		.err = error_code,
		/* SDM Vol. 3A 6.13: EXT is clear only for faults during the
		 * delivery of INT n, INT3 and INTO. */
		.ext = kind != INTR_SOFTWARE && kind != INTR_SOFTWARE_EXC,
		.soft = kind == INTR_SOFTWARE || kind == INTR_SOFTWARE_EXC,
	};
	describe(&ev);
	bool trap = kind == INTR_SOFTWARE || kind == INTR_SOFTWARE_EXC ||
		    kind == INTR_PRIV_SOFTWARE_EXC ||
		    (kind == INTR_EXCEPTION && is_trap_vector(vector));
	ev.ret_rip = trap ? c->next_rip : c->rip;
	ev.flags = flags_read(c);
	if (pushes_rf(&ev))
		ev.flags |= FLAG_RF;
	else if (ev.soft || kind == INTR_PRIV_SOFTWARE_EXC)
		ev.flags &= ~(uint64_t)FLAG_RF;

	c->delivering = 1;
	c->first_vector = (kind == INTR_SOFTWARE || kind == INTR_EXTERNAL) ?
			  -1 : ev.vector;
	if (kind == INTR_NMI)
		c->nmi_blocked = true;

	if (!seg_mode_pe(c)) {
		ev.has_err = false;  /* real mode pushes no error code */
		deliver_real(c, &ev);
	} else if (kind == INTR_SOFTWARE && (c->rflags & FLAG_VM) &&
		   deliver_vm86_soft(c, &ev)) {
		/* redirected to the 8086 program's handler */
	} else if (seg_mode_lma(c)) {
		deliver_long(c, &ev);
	} else {
		deliver_prot(c, &ev);
	}

	/* Entering the handler ends any interrupt shadow, and #DB clears
	 * DR7.GD so the handler can use the debug registers (SDM Vol. 3A
	 * 18.2.4). */
	c->attention &= ~(uint32_t)ATTN_SHADOW;
	if (kind == INTR_EXCEPTION && vector == EXC_DB)
		c->dr[7] &= ~(uint64_t)DR7_GD;
	c->halted = false;
	c->delivering = 0;
}

/* Exception classes for the double-fault rules (SDM Vol. 3A table 6-4). */
enum exc_class { CLASS_BENIGN, CLASS_CONTRIBUTORY, CLASS_PAGE_FAULT };

static enum exc_class exc_class(int vector)
{
	switch (vector) {
	case EXC_DE: case EXC_TS: case EXC_NP: case EXC_SS: case EXC_GP:
	case EXC_CP:
		return CLASS_CONTRIBUTORY;
	case EXC_PF: case EXC_VE:
		return CLASS_PAGE_FAULT;
	default:
		return CLASS_BENIGN;
	}
}

void intr_deliver_fault(struct cpu *c)
{
	jmp_buf env;
	jmp_buf *volatile outer = c->fault_env;
	/* What was being delivered when this fault was raised, if anything
	 * (an external interrupt or NMI from the run loop, or an event
	 * injected by VMX). */
	volatile int prior = c->delivering ? c->first_vector : -1;
	/* Benign faults are delivered serially and could in principle
	 * follow each other forever (an #AC on every push of an #AC frame
	 * at CPL 3); the simulator gives up after this many. */
	volatile unsigned attempts = 0;
	const unsigned max_attempts = 16;

	c->fault_env = &env;
	if (setjmp(env))
		prior = c->first_vector;  /* delivery below faulted */
	for (;;) {
		struct fault_info *f = &c->fault;
		c->delivering = 0;
		if (++attempts > max_attempts) {
			c->shut_down = true;
			snprintf(c->shutdown_reason, sizeof(c->shutdown_reason),
				 "event delivery faulted %u times in a row; last: "
				 "%s: %.180s", max_attempts, exc_name(f->vector),
				 f->reason);
			log_info("cpu", "%s", c->shutdown_reason);
			break;
		}
		/* CR2 takes the address of every #PF, also one that
		 * becomes a double fault (SDM Vol. 3A 6.15, interrupt 14). */
		if (f->vector == EXC_PF)
			c->cr2 = f->cr2;
		if (prior >= 0) {
			enum exc_class first = exc_class(prior);
			enum exc_class second = exc_class(f->vector);
			if (prior == EXC_DF && second != CLASS_BENIGN) {
				c->shut_down = true;
				snprintf(c->shutdown_reason,
					 sizeof(c->shutdown_reason),
					 "triple fault: %s while delivering #DF: %.200s",
					 exc_name(f->vector), f->reason);
				log_info("cpu", "%s", c->shutdown_reason);
				break;
			}
			if ((first == CLASS_CONTRIBUTORY &&
			     second == CLASS_CONTRIBUTORY) ||
			    (first == CLASS_PAGE_FAULT &&
			     second != CLASS_BENIGN)) {
				char why[sizeof(f->reason)];
				snprintf(why, sizeof(why), "%s", f->reason);
				snprintf(f->reason, sizeof(f->reason),
					 "double fault: %s while delivering "
					 "%s: %.200s", exc_name(f->vector),
					 exc_name(prior), why);
				f->vector = EXC_DF;
				f->has_error_code = true;
				f->error_code = 0;
				log_debug("cpu", "%s", f->reason);
			}
		}
		intr_deliver(c, f->vector, INTR_EXCEPTION, f->has_error_code,
			     f->error_code);
		break;
	}
	c->delivering = 0;
	c->fault_env = outer;
}
