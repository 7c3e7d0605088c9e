/* Fast system calls and the 64-bit segment-base instructions: SYSCALL,
 * SYSRET, SYSENTER, SYSEXIT, SWAPGS, RDFSBASE, RDGSBASE, WRFSBASE,
 * WRGSBASE (SDM Vol. 2B/2D, each instruction's Operation section). These
 * load CS and SS with fixed flat descriptors instead of reading the GDT.
 * SYSCALL and SYSRET follow Intel: both are #UD outside 64-bit mode, and
 * SYSRET to a non-canonical RIP faults at CPL 0. */
#include "cpu/msr.h"

#include <inttypes.h>

#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/flags.h"
#include "cpu/paging.h"
#include "cpu/seg.h"
#include "cpu/regs.h"


/* Flat segments (base 0, limit 4 GiB, G = 1) in struct seg's layout:
 * execute/read accessed code or read/write accessed data, present. */
#define ATTR_CODE (0xbu | SEG_ATTR_S | SEG_ATTR_P | SEG_ATTR_G)
#define ATTR_DATA (0x3u | SEG_ATTR_S | SEG_ATTR_P | SEG_ATTR_DB | SEG_ATTR_G)
#define ATTR_DPL3 (3u << SEG_ATTR_DPL_SHIFT)

/* Loads CS and SS with flat segments for the target mode and CPL. */
static void load_flat_cs_ss(struct cpu *c, uint16_t cs, uint16_t ss,
			    bool code64, int dpl)
{
	uint32_t dplbits = dpl ? ATTR_DPL3 : 0;
	struct seg s = {
		.base = 0, .limit = 0xffffffffu, .sel = cs,
		.attr = ATTR_CODE | dplbits |
			(code64 ? SEG_ATTR_L : SEG_ATTR_DB),
	};
	seg_set(c, SEG_CS, &s);
	s.sel = ss;
	s.attr = ATTR_DATA | dplbits;
	seg_set(c, SEG_SS, &s);
}

static void require_syscall(struct cpu *c, const char *what)
{
	if (!seg_mode_64(c))
		cpu_ud(c, "%s outside 64-bit mode (Intel processors support it only there)",
		       what);
	if (!(c->efer & EFER_SCE))
		cpu_ud(c, "%s with IA32_EFER.SCE = 0", what);
}

/* SDM Vol. 2B SYSCALL: "None of the bits in RFLAGS are automatically
 * cleared (except for RF)"; the image saved in R11 has RF clear too. */
static void syscall(struct cpu *c, const struct insn *i)
{
	(void)i;
	require_syscall(c, "SYSCALL");
	uint64_t f = flags_read(c);
	uint16_t sel = (c->star >> 32) & 0xffff;
	c->gpr[REG_RCX] = c->next_rip;
	c->gpr[REG_R11] = f & ~(uint64_t)FLAG_RF;
	flags_write(c, f & ~(c->fmask | FLAG_RF), ~0ull);
	load_flat_cs_ss(c, sel & 0xfffc, (uint16_t)(sel + 8), true, 0);
	c->next_rip = c->lstar;
}

/* SDM Vol. 2B SYSRET: REX.W returns to 64-bit mode, otherwise to
 * compatibility mode. */
static void sysret(struct cpu *c, const struct insn *i)
{
	require_syscall(c, "SYSRET");
	if (c->cpl != 0)
		cpu_gp0(c, "SYSRET at CPL %d: the instruction requires CPL 0",
			c->cpl);
	bool to64 = i->prefixes & PFX_REXW;
	uint64_t rcx = c->gpr[REG_RCX];
	if (to64 && !paging_canonical(c, rcx))
		cpu_gp0(c, "SYSRET to 64-bit mode with non-canonical RCX = 0x%" PRIx64
			" (raised at CPL 0, before the return)", rcx);
	uint16_t sel = (c->star >> 48) & 0xffff;
	flags_write(c, (c->gpr[REG_R11] & 0x3c7fd7u) | 2, ~0ull);
	load_flat_cs_ss(c, (uint16_t)((to64 ? sel + 16 : sel) | 3),
			(uint16_t)((sel + 8) | 3), to64, 3);
	c->next_rip = to64 ? rcx : (uint32_t)rcx;
}

IMPL_ANY(SYSCALL, syscall)
IMPL_ANY(SYSRET, sysret)

static void require_sysenter_cs(struct cpu *c, const char *what)
{
	if (!seg_mode_pe(c))
		cpu_gp0(c, "%s in real-address mode", what);
	if ((c->sysenter_cs & 0xfffc) == 0)
		cpu_gp0(c, "%s with IA32_SYSENTER_CS = 0x%" PRIx64 " (a null selector)",
			what, c->sysenter_cs);
}

/* SDM Vol. 2B SYSENTER: 64-bit code in IA-32e mode, else 32-bit; flags
 * VM, IF and RF are cleared. */
static void sysenter(struct cpu *c, const struct insn *i)
{
	(void)i;
	require_sysenter_cs(c, "SYSENTER");
	bool lma = seg_mode_lma(c);
	uint16_t sel = c->sysenter_cs & 0xfffc;
	c->rflags &= ~(uint64_t)(FLAG_VM | FLAG_IF | FLAG_RF);
	load_flat_cs_ss(c, sel, (uint16_t)(sel + 8), lma, 0);
	c->gpr[REG_RSP] = lma ? c->sysenter_esp : (uint32_t)c->sysenter_esp;
	c->next_rip = lma ? c->sysenter_eip : (uint32_t)c->sysenter_eip;
}

/* SDM Vol. 2B SYSEXIT: REX.W returns to 64-bit mode (CS = SYSENTER_CS
 * + 32), otherwise to 32-bit code (CS = SYSENTER_CS + 16). */
static void sysexit(struct cpu *c, const struct insn *i)
{
	require_sysenter_cs(c, "SYSEXIT");
	if (c->cpl != 0)
		cpu_gp0(c, "SYSEXIT at CPL %d: the instruction requires CPL 0",
			c->cpl);
	bool to64 = i->prefixes & PFX_REXW;
	uint64_t rcx = c->gpr[REG_RCX], rdx = c->gpr[REG_RDX];
	if (to64 && !paging_canonical(c, rcx))
		cpu_gp0(c, "SYSEXIT to 64-bit mode with non-canonical RCX = 0x%" PRIx64,
			rcx);
	if (to64 && !paging_canonical(c, rdx))
		cpu_gp0(c, "SYSEXIT to 64-bit mode with non-canonical RDX = 0x%" PRIx64,
			rdx);
	uint16_t cs = (uint16_t)((c->sysenter_cs + (to64 ? 32 : 16)) | 3);
	load_flat_cs_ss(c, cs, (uint16_t)(cs + 8), to64, 3);
	/* SDM Vol. 2B SYSEXIT: RSP <- RCX, RIP <- RDX. */
	c->gpr[REG_RSP] = to64 ? rcx : (uint32_t)rcx;
	c->next_rip = to64 ? rdx : (uint32_t)rdx;
}

IMPL_ANY(SYSENTER, sysenter)
IMPL_ANY(SYSEXIT, sysexit)

/* SDM Vol. 2B SWAPGS: exchanges GS.base and IA32_KERNEL_GS_BASE. */
static void swapgs(struct cpu *c, const struct insn *i)
{
	(void)i;
	if (!seg_mode_64(c))
		cpu_ud(c, "SWAPGS outside 64-bit mode");
	if (c->cpl != 0)
		cpu_gp0(c, "SWAPGS at CPL %d: the instruction requires CPL 0",
			c->cpl);
	uint64_t t = c->seg[SEG_GS].base;
	c->seg[SEG_GS].base = c->kernel_gs_base;
	c->kernel_gs_base = t;
}

IMPL_ANY(SWAPGS, swapgs)

/* SDM Vol. 2B RDFSBASE/RDGSBASE, Vol. 2D WRFSBASE/WRGSBASE: 64-bit mode
 * with CR4.FSGSBASE = 1; a 32-bit operand reads the low half and writes
 * a zero-extended base; a 64-bit base must be canonical. */
static void require_fsgsbase(struct cpu *c, const char *what)
{
	if (!seg_mode_64(c))
		cpu_ud(c, "%s outside 64-bit mode", what);
	if (!(c->cr4 & CR4_FSGSBASE))
		cpu_ud(c, "%s with CR4.FSGSBASE = 0", what);
}

EXEC_INLINE void rdbase(struct cpu *c, const struct insn *i, unsigned size,
			bool mem, int sreg, const char *what)
{
	(void)mem;
	require_fsgsbase(c, what);
	reg_write(c, i->rm, size, c->seg[sreg].base);
}

EXEC_INLINE void wrbase(struct cpu *c, const struct insn *i, unsigned size,
			bool mem, int sreg, const char *what)
{
	(void)mem;
	require_fsgsbase(c, what);
	uint64_t v = reg_read(c, i->rm, size);
	if (!msr_canonical(c, v))
		cpu_gp0(c, "%s with non-canonical base 0x%" PRIx64, what, v);
	c->seg[sreg].base = v;
}

/* Register forms of 32 and 64 bits only. */
#define IMPL_BASE(id, gen, sreg, what)                                     \
	EXEC_FN(id, 4, 0, gen, sreg, what)                                 \
	EXEC_FN(id, 8, 0, gen, sreg, what)                                 \
	const struct insn_impl impl_##id = { { { 0, 0 }, { 0, 0 },         \
		{ id##_4_0, 0 }, { id##_8_0, 0 } } };

IMPL_BASE(RDFSBASE_Ry, rdbase, SEG_FS, "RDFSBASE")
IMPL_BASE(RDGSBASE_Ry, rdbase, SEG_GS, "RDGSBASE")
IMPL_BASE(WRFSBASE_Ry, wrbase, SEG_FS, "WRFSBASE")
IMPL_BASE(WRGSBASE_Ry, wrbase, SEG_GS, "WRGSBASE")
