/* CPU lifecycle and state access: creation, RESET state, and the
 * accessors loaders, the CLI and scripts use. */
#include "cpu/cpu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/block.h"
#include "cpu/blockcache.h"
#include "cpu/flags.h"
#include "cpu/interrupt.h"
#include "cpu/mem.h"
#include "cpu/msr.h"
#include "cpu/regs.h"
#include "cpu/state.h"

struct cpu *cpu_create(const struct bus *bus, struct code_cache *cc,
		       const struct cpu_model *model, unsigned apic_id)
{
	struct cpu *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->bus = bus;
	c->cc = cc;
	c->model = model ? *model : *model_default();
	c->apic_id = apic_id;
	c->block_cache_on = true;
	c->a20_mask = ~0ull;
	code_cache_add_cpu(cc, c);
	cpu_reset(c);
	return c;
}

void cpu_set_a20(struct cpu *c, bool enabled)
{
	uint64_t mask = enabled ? ~0ull : ~(1ull << 20);

	if (mask == c->a20_mask)
		return;
	c->a20_mask = mask;
	/* Cached translations and the jump cache hold physical pages
	 * computed with the old mask; the running block ends. */
	tlb_flush_all(c);
	c->attention |= ATTN_MODE;
}

void cpu_destroy(struct cpu *c)
{
	if (!c)
		return;
	code_cache_remove_cpu(c->cc, c);
	free(c);
}

static void set_seg(struct seg *s, uint16_t sel, uint64_t base,
		    uint32_t limit, uint32_t attr)
{
	s->sel = sel;
	s->base = base;
	s->limit = limit;
	s->attr = attr;
}

/* SDM Vol. 3A 9.1.1, table 9-1: the state after RESET. */
void cpu_reset(struct cpu *c)
{
	const uint32_t data_attr = 0x93;  /* present, R/W data, accessed */
	uint32_t sig[4];

	memset(c->gpr, 0, sizeof(c->gpr));
	model_cpuid(&c->model, 1, 0, sig);
	c->gpr[REG_RDX] = sig[0];
	c->rip = c->next_rip = 0xfff0;
	c->rflags = 2;
	flags_set_arith(c, 0);
	set_seg(&c->seg[SEG_CS], 0xf000, 0xffff0000, 0xffff, 0x9b);
	for (int s = SEG_ES; s <= SEG_GS; s++)
		if (s != SEG_CS)
			set_seg(&c->seg[s], 0, 0, 0xffff, data_attr);
	set_seg(&c->seg[SEG_LDTR], 0, 0, 0xffff, 0x82);
	set_seg(&c->seg[SEG_TR], 0, 0, 0xffff, 0x8b);
	c->gdtr = (struct dtr){ 0, 0xffff };
	c->idtr = (struct dtr){ 0, 0xffff };
	c->cr0 = 0x60000010;
	c->cr2 = c->cr3 = c->cr4 = c->cr8 = 0;
	c->xcr0 = 1;
	memset(c->dr, 0, sizeof(c->dr));
	c->dr[6] = 0xffff0ff0;
	c->dr[7] = 0x400;
	c->efer = 0;
	c->pkru = 0;
	/* x87 and SSE state after RESET (table 9-1): FCW 0040H, FTW 5555H
	 * (every register +0.0, tagged zero), MXCSR 1F80H. */
	memset(&c->x87, 0, sizeof(c->x87));
	c->x87.fcw = 0x0040;
	c->x87.ftw = 0x5555;
	c->mxcsr = 0x1f80;
	c->xss = 0;
	memset(c->v, 0, sizeof(c->v));
	c->ferr = c->ignne = false;
	c->xrstor_info.valid = false;
	c->cpl = 0;
	c->star = c->lstar = c->cstar = c->fmask = 0;
	c->kernel_gs_base = c->tsc_aux = 0;
	c->sysenter_cs = c->sysenter_esp = c->sysenter_eip = 0;
	c->pat = 0x0007040600070406ull;
	c->apic_base = 0xfee00000ull | (1u << 11) | (c->apic_id == 0 ? 1u << 8 : 0);
	c->misc_enable = c->model.misc_enable;
	c->feature_control = c->model.feature_control;
	c->tsc_offset = 0;
	c->tsc_adjust = 0;
	/* RDRAND's generator: deterministic, distinct per CPU. */
	c->rand_state = 0x9e3779b97f4a7c15ull * (c->apic_id + 1);
	c->mtrr_def_type = 0;
	memset(c->mtrr_fixed, 0, sizeof(c->mtrr_fixed));
	memset(c->mtrr_var, 0, sizeof(c->mtrr_var));
	c->intr_line = false;
	c->nmi_pending = c->nmi_blocked = false;
	c->halted = false;
	/* APs wait for a start-up IPI (SDM Vol. 3A 8.4.3). */
	c->wait_sipi = !(c->apic_base & (1u << 8));
	c->shadow_icount = 0;
	c->icount = 0;
	c->db_pending = c->db_held = 0;
	c->db_held_icount = 0;
	c->attention = 0;
	c->delivering = 0;
	c->shut_down = false;
	c->shutdown_reason[0] = 0;
	memset(&c->fault, 0, sizeof(c->fault));
	tlb_flush_all(c);
}

/* What INIT leaves as it was (SDM Vol. 3A 9.1, table 9-1): "the
 * internal caches, MSRs, MTRRs, and x87 FPU state are left unchanged";
 * the SSE state (Vol. 1 11.6.4) and the other XSAVE-managed state (XCR0,
 * IA32_XSS, PKRU) too, and the time-stamp counter. IA32_EFER is the
 * exception: INIT clears it, as KVM and Bochs do, since the processor
 * leaves IA-32e mode for real mode. CR0.CD and CR0.NW are kept (table
 * 9-1, note 2). Everything else takes its RESET value: the INIT itself,
 * at an instruction boundary, is RESET with what INIT keeps put back. */
static void init_now(struct cpu *c)
{
	/* A copy of the whole CPU is large; INIT is rare and the simulator
	 * runs on one host thread. */
	static struct cpu old;

	old = *c;
	cpu_reset(c);
#define KEEP(f) (c->f = old.f)
	KEEP(x87); KEEP(mxcsr); KEEP(xss); KEEP(xcr0); KEEP(pkru);
	KEEP(ferr); KEEP(ignne); KEEP(xrstor_info);
	KEEP(star); KEEP(lstar); KEEP(cstar); KEEP(fmask);
	KEEP(kernel_gs_base); KEEP(tsc_aux);
	KEEP(sysenter_cs); KEEP(sysenter_esp); KEEP(sysenter_eip);
	KEEP(pat); KEEP(apic_base); KEEP(misc_enable); KEEP(feature_control);
	KEEP(tsc_offset); KEEP(tsc_adjust); KEEP(rand_state);
	KEEP(mtrr_def_type);
	memcpy(c->v, old.v, sizeof(c->v));
	memcpy(c->mtrr_fixed, old.mtrr_fixed, sizeof(c->mtrr_fixed));
	memcpy(c->mtrr_var, old.mtrr_var, sizeof(c->mtrr_var));
	/* Not architectural state: the retired count goes on (it is the
	 * machine's clock), the slice keeps its end, and INTR is the
	 * local APIC's output. */
	KEEP(icount); KEEP(icount_limit); KEEP(intr_line); KEEP(in_run);
#undef KEEP
	c->cr0 = 0x10 | (old.cr0 & 0x60000000u);   /* CD, NW kept */
	c->attention = (old.attention & (ATTN_STOP | ATTN_CODE_CHANGED |
					 ATTN_BUDGET)) | ATTN_MODE;
	if (c->intr_line && (c->rflags & FLAG_IF))
		c->attention |= ATTN_INTR;
	/* cpu_reset() chose the activity from the BSP flag, which INIT
	 * keeps: the BSP runs from the reset vector, an AP waits for a
	 * SIPI (SDM Vol. 3A 8.4.2). */
	c->wait_sipi = !(c->apic_base & (1u << 8));
}

void cpu_init_signal(struct cpu *c)
{
	if (c->in_run)
		c->attention |= ATTN_INIT;
	else
		init_now(c);
}

/* For the run loop (cpu/run.c): an INIT that arrived while executing. */
void cpu_take_init(struct cpu *c)
{
	c->attention &= ~(uint32_t)ATTN_INIT;
	init_now(c);
}

bool cpu_sipi(struct cpu *c, uint8_t vector)
{
	if (!c->wait_sipi || c->shut_down)
		return false;
	/* SDM Vol. 3A 8.4.3 and 10.6.1: the AP starts at 000VV000H in real
	 * mode, CS = VV00H, IP = 0; the rest is the INIT state. */
	set_seg(&c->seg[SEG_CS], (uint16_t)(vector << 8),
		(uint64_t)vector << 12, 0xffff, 0x9b);
	c->rip = c->next_rip = 0;
	c->wait_sipi = false;
	c->attention |= ATTN_MODE;
	return true;
}

enum cpu_activity cpu_activity(const struct cpu *c)
{
	if (c->shut_down)
		return CPU_SHUTDOWN;
	if (c->wait_sipi)
		return CPU_WAIT_FOR_SIPI;
	return c->halted ? CPU_HLT : CPU_ACTIVE;
}

bool cpu_runnable(const struct cpu *c)
{
	if (c->shut_down)
		return false;
	if (c->attention & ATTN_INIT)
		return true;
	if (c->wait_sipi)
		return false;
	if (!c->halted)
		return true;
	/* What ends HLT (SDM Vol. 2A HLT): an unmasked interrupt, NMI,
	 * INIT; a debug trap left by HLT itself is delivered first. */
	return (c->attention & ATTN_TRAP) ||
	       (c->nmi_pending && !c->nmi_blocked) ||
	       (c->intr_line && (c->rflags & FLAG_IF));
}

bool cpu_is_bsp(const struct cpu *c)
{
	return c->apic_base & (1u << 8);
}

unsigned cpu_apic_id(const struct cpu *c)
{
	return c->apic_id;
}

void cpu_limit_budget(struct cpu *c, uint64_t n)
{
	if (c->icount + n < c->icount_limit) {
		c->icount_limit = c->icount + n;
		c->attention |= ATTN_BUDGET;
	}
}

const uint64_t *cpu_icount_counter(const struct cpu *c)
{
	return &c->icount;
}

uint64_t cpu_tsc(const struct cpu *c)
{
	return msr_tsc(c);
}

uint64_t cpu_tsc_hz(const struct cpu *c)
{
	return c->model.tsc_hz;
}

void cpu_enter_flat_protected_mode(struct cpu *c)
{
	const uint32_t code32 = 0x9b | SEG_ATTR_DB | SEG_ATTR_G;
	const uint32_t data32 = 0x93 | SEG_ATTR_DB | SEG_ATTR_G;
	/* Selectors as QEMU's multiboot loader uses them. */
	set_seg(&c->seg[SEG_CS], 0x10, 0, 0xffffffff, code32);
	for (int s = SEG_ES; s <= SEG_GS; s++)
		if (s != SEG_CS)
			set_seg(&c->seg[s], 0x18, 0, 0xffffffff, data32);
	c->cr0 = (c->cr0 | 0x11) & ~0x80000000ull;
	c->cpl = 0;
	flags_write(c, 2, ~0ull);
	tlb_flush_all(c);
}

void cpu_request_stop(struct cpu *c)
{
	c->attention |= ATTN_STOP;
}

void cpu_set_intr(struct cpu *c, bool level)
{
	c->intr_line = level;
	if (level && (c->rflags & FLAG_IF))
		c->attention |= ATTN_INTR;
}

void cpu_raise_nmi(struct cpu *c)
{
	c->nmi_pending = true;
	c->attention |= ATTN_NMI;
}

void cpu_set_block_cache(struct cpu *c, bool enabled)
{
	c->block_cache_on = enabled;
}

uint64_t cpu_icount(const struct cpu *c)
{
	return c->icount;
}

uint64_t cpu_get_gpr(const struct cpu *c, int reg)
{
	return c->gpr[reg & 15];
}

void cpu_set_gpr(struct cpu *c, int reg, uint64_t val)
{
	c->gpr[reg & 15] = val;
}

uint64_t cpu_get_rip(const struct cpu *c)
{
	return c->rip;
}

void cpu_set_rip(struct cpu *c, uint64_t rip)
{
	c->rip = c->next_rip = rip;
}

uint64_t cpu_get_rflags(const struct cpu *c)
{
	return flags_read(c);
}

void cpu_set_rflags(struct cpu *c, uint64_t val)
{
	flags_write(c, val, ~0ull);
}

const char *cpu_last_reason(const struct cpu *c)
{
	return c->shut_down ? c->shutdown_reason : c->fault.reason;
}

static const char *cpu_mode_name(const struct cpu *c)
{
	if (!(c->cr0 & CR0_PE))
		return "real mode";
	if (c->rflags & FLAG_VM)
		return "virtual-8086 mode";
	if (c->efer & EFER_LMA)
		return cpu_code_size(c) == 8 ? "64-bit mode"
					     : "compatibility mode";
	return cpu_code_size(c) == 4 ? "32-bit protected mode"
				     : "16-bit protected mode";
}

void cpu_describe(const struct cpu *c, char *buf, size_t len)
{
	static const char *const activity[] = {
		[CPU_ACTIVE] = "running", [CPU_HLT] = "halted",
		[CPU_SHUTDOWN] = "shut down",
		[CPU_WAIT_FOR_SIPI] = "waiting for a SIPI",
	};
	snprintf(buf, len, "%04x:%0*llx, %s, CPL %u, %s",
		 c->seg[SEG_CS].sel, cpu_code_size(c) == 8 ? 16 : 8,
		 (unsigned long long)c->rip, cpu_mode_name(c), c->cpl,
		 activity[cpu_activity(c)]);
}
