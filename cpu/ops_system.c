/* System instructions: HLT, CLI, STI, CLTS, MOV to and from control and
 * debug registers, LMSW, SMSW, INVLPG, INVPCID, WBINVD, INVD, STAC,
 * CLAC, RDPKRU, WRPKRU, RDPMC, UD0-UD2, RSM, MONITOR, MWAIT (SDM Vol. 2),
 * and the checked control-register writes of cpu/msr.h.
 *
 * Every rule of a control-register write is one line, in the order of
 * the SDM's MOV CR pseudocode: reserved bits, then invalid combinations,
 * then the IA-32e mode rules; the PDPTE registers load last, so that a
 * fault at any step leaves every register as it was. */
#include "cpu/msr.h"

#include <inttypes.h>

#include "cpu/debug.h"
#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/flags.h"
#include "cpu/mem.h"
#include "cpu/paging.h"
#include "cpu/seg.h"
#include "cpu/tlb.h"
#include "cpu/regs.h"

#define BIT(n) (1ull << (n))

/* Bits 31:0 that exist; the others ignore writes and read 0 (ET reads
 * 1), while bits 63:32 must be 0 (SDM Vol. 3A 2.5). */
#define CR0_DEFINED (CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | CR0_NE | \
		     CR0_WP | CR0_AM | CR0_NW | CR0_CD | CR0_PG)



/* DR6 and DR7 bits software may write; the others read as DR6_FIXED1
 * (cpu/debug.h) and DR7_FIXED1 (SDM Vol. 3B 18.2.3, 18.2.4). */
#define DR6_WRITABLE 0x0000e00full /* B0-B3, BD, BS, BT */
#define DR7_FIXED1 0x400ull
#define DR7_WRITABLE 0xffff23ffull /* L0-G3, LE, GE, GD, R/W0-LEN3 */

/* One rule, one line: #GP(0) with the rule's text when cond holds. */
#define GP_IF(c, cond, ...)                              \
	do {                                             \
		if (cond)                                \
			cpu_gp0((c), __VA_ARGS__);       \
	} while (0)

static void require_cpl0(struct cpu *c, const char *what)
{
	GP_IF(c, c->cpl != 0, "%s at CPL %d: the instruction requires CPL 0%s",
	      what, c->cpl, seg_mode_vm86(c) ? " (virtual-8086 mode)" : "");
}

static bool mode64(const struct cpu *c)
{
	return seg_mode_64(c);
}

static unsigned iopl(const struct cpu *c)
{
	return (c->rflags >> 12) & 3;
}

/* ---- control registers ---- */

/* CR4 bits and the CPUID flag that makes each exist (SDM Vol. 3A 2.5,
 * 2.6). PCE exists on every processor. */
static const struct {
	uint8_t bit;
	int feature;
	const char *name;
} cr4_bits[] = {
	{ 0, FEAT_VME, "VME" }, { 1, FEAT_VME, "PVI" },
	{ 2, FEAT_TSC, "TSD" }, { 3, FEAT_DE, "DE" },
	{ 4, FEAT_PSE, "PSE" }, { 5, FEAT_PAE, "PAE" },
	{ 6, FEAT_MCE, "MCE" }, { 7, FEAT_PGE, "PGE" },
	{ 8, -1, "PCE" }, { 9, FEAT_FXSR, "OSFXSR" },
	{ 10, FEAT_SSE, "OSXMMEXCPT" }, { 11, FEAT_UMIP, "UMIP" },
	{ 12, FEAT_LA57, "LA57" }, { 13, FEAT_VMX, "VMXE" },
	{ 14, FEAT_SMX, "SMXE" }, { 16, FEAT_FSGSBASE, "FSGSBASE" },
	{ 17, FEAT_PCID, "PCIDE" }, { 18, FEAT_XSAVE, "OSXSAVE" },
	{ 19, FEAT_KL, "KL" }, { 20, FEAT_SMEP, "SMEP" },
	{ 21, FEAT_SMAP, "SMAP" }, { 22, FEAT_PKU, "PKE" },
	{ 23, FEAT_CET_SS, "CET" }, { 24, FEAT_PKS, "PKS" },
};
#define N_CR4_BITS (sizeof(cr4_bits) / sizeof(cr4_bits[0]))

uint64_t cr4_supported(struct cpu *c)
{
	uint64_t ok = 0;
	for (size_t n = 0; n < N_CR4_BITS; n++)
		if (cr4_bits[n].feature < 0 ||
		    cpuid_has(c, (enum model_feature)cr4_bits[n].feature))
			ok |= BIT(cr4_bits[n].bit);
	return ok;
}

static _Noreturn void cr4_reserved(struct cpu *c, const char *what,
				   uint64_t val, uint64_t bad)
{
	int b = __builtin_ctzll(bad);
	for (size_t n = 0; n < N_CR4_BITS; n++)
		if (cr4_bits[n].bit == b)
			cpu_gp0(c, "%s: CR4 = 0x%" PRIx64 ": bit %d (%s) is reserved: %s is 0 in this CPU model",
				what, val, b, cr4_bits[n].name,
				model_feature_name((enum model_feature)cr4_bits[n].feature));
	cpu_gp0(c, "%s: CR4 = 0x%" PRIx64 ": bit %d is reserved", what, val, b);
}

/* PAE paging is in use with these CR0, CR4 and EFER.LMA values. */
static bool pae_paging(uint64_t cr0, uint64_t cr4, uint64_t efer)
{
	return (cr0 & CR0_PG) && (cr4 & CR4_PAE) && !(efer & EFER_LMA);
}

/* After a change of CR0.PE or IA32_EFER.LMA: the CPL follows the mode
 * and decoding may change. */
static void mode_changed(struct cpu *c)
{
	seg_refresh_mode(c);
	c->attention |= ATTN_MODE;
}

static void write_cr0(struct cpu *c, uint64_t val, const char *what)
{
	uint64_t old = c->cr0, efer = c->efer;

	GP_IF(c, val >> 32, "%s: CR0 = 0x%" PRIx64 ": bits 63:32 are reserved",
	      what, val);
	val = (val & CR0_DEFINED) | CR0_ET;
	GP_IF(c, (val & CR0_PG) && !(val & CR0_PE),
	      "%s: CR0 = 0x%" PRIx64 " sets PG (bit 31) with PE (bit 0) = 0",
	      what, val);
	GP_IF(c, (val & CR0_NW) && !(val & CR0_CD),
	      "%s: CR0 = 0x%" PRIx64 " sets NW (bit 29) with CD (bit 30) = 0",
	      what, val);
	GP_IF(c, !(val & CR0_WP) && (c->cr4 & CR4_CET),
	      "%s: CR0 = 0x%" PRIx64 " clears WP (bit 16) while CR4.CET = 1",
	      what, val);

	bool pg_on = !(old & CR0_PG) && (val & CR0_PG);
	bool pg_off = (old & CR0_PG) && !(val & CR0_PG);
	/* SDM Vol. 3A 9.8.5: setting PG with LME = 1 activates IA-32e
	 * mode; clearing PG deactivates it, but not from 64-bit mode. */
	if (pg_on && (efer & EFER_LME)) {
		GP_IF(c, !(c->cr4 & CR4_PAE),
		      "%s: setting CR0.PG with IA32_EFER.LME = 1 activates IA-32e mode, which requires CR4.PAE = 1",
		      what);
		GP_IF(c, c->seg[SEG_CS].attr & SEG_ATTR_L,
		      "%s: setting CR0.PG with IA32_EFER.LME = 1 activates IA-32e mode, which requires CS.L = 0",
		      what);
		efer |= EFER_LMA;
	}
	if (pg_off && (efer & EFER_LMA)) {
		GP_IF(c, mode64(c),
		      "%s: clearing CR0.PG in 64-bit mode (IA-32e mode is left from compatibility mode)",
		      what);
		GP_IF(c, c->cr4 & CR4_PCIDE,
		      "%s: clearing CR0.PG to leave IA-32e mode while CR4.PCIDE = 1",
		      what);
		efer &= ~EFER_LMA;
	}
	/* SDM Vol. 3A 4.4.1: with PAE paging in use afterwards, a change
	 * of PG, CD or NW loads the PDPTE registers. */
	if (pae_paging(val, c->cr4, efer) &&
	    ((old ^ val) & (CR0_PG | CR0_CD | CR0_NW)))
		paging_load_pdptes(c, c->cr3);

	bool mode = ((old ^ val) & CR0_PE) || ((efer ^ c->efer) & EFER_LMA);
	c->cr0 = val;
	if (efer != c->efer) {
		uint64_t old_efer = c->efer;
		c->efer = efer;
		tlb_on_efer_write(c, old_efer, efer);
	}
	tlb_on_cr_write(c, 0, old, val);
	if (mode)
		mode_changed(c);
}

static void write_cr3(struct cpu *c, uint64_t val, const char *what)
{
	uint64_t v = val;
	if (c->efer & EFER_LMA) {
		/* SDM Vol. 3A 4.10.4.1: with CR4.PCIDE = 1, bit 63 of the
		 * source only selects "no flush" and is not stored; above
		 * MAXPHYADDR every bit is reserved (4.5). */
		if (c->cr4 & CR4_PCIDE)
			v &= ~CR3_NOFLUSH;
		uint64_t rsvd = v & ~(BIT(paging_maxphyaddr(c)) - 1);
		GP_IF(c, rsvd,
		      "%s: CR3 = 0x%" PRIx64 ": bit %d is reserved (MAXPHYADDR = %u%s)",
		      what, val, __builtin_ctzll(rsvd), paging_maxphyaddr(c),
		      (rsvd & CR3_NOFLUSH) ?
		      "; bit 63 means \"no flush\" only with CR4.PCIDE = 1" : "");
	} else {
		v &= 0xffffffffu;
	}
	if (pae_paging(c->cr0, c->cr4, c->efer))
		paging_load_pdptes(c, v);
	uint64_t old = c->cr3;
	c->cr3 = v;
	tlb_on_cr_write(c, 3, old, val);
}

static void write_cr4(struct cpu *c, uint64_t val, const char *what)
{
	uint64_t old = c->cr4;
	bool lma = c->efer & EFER_LMA;
	uint64_t bad = val & ~cr4_supported(c);

	if (bad)
		cr4_reserved(c, what, val, bad);
	GP_IF(c, (val & CR4_PCIDE) && !(old & CR4_PCIDE) && !lma,
	      "%s: CR4.PCIDE can be set only in IA-32e mode (IA32_EFER.LMA = 0)",
	      what);
	GP_IF(c, (val & CR4_PCIDE) && !(old & CR4_PCIDE) && (c->cr3 & 0xfff),
	      "%s: setting CR4.PCIDE with CR3[11:0] = 0x%03" PRIx64 " (it must be 0)",
	      what, c->cr3 & 0xfff);
	GP_IF(c, lma && !(val & CR4_PAE),
	      "%s: clearing CR4.PAE in IA-32e mode", what);
	GP_IF(c, lma && ((old ^ val) & CR4_LA57),
	      "%s: CR4.LA57 cannot change in IA-32e mode", what);
	GP_IF(c, (val & CR4_CET) && !(c->cr0 & CR0_WP),
	      "%s: setting CR4.CET with CR0.WP = 0", what);
	if (pae_paging(c->cr0, val, c->efer) &&
	    ((old ^ val) & (CR4_PAE | CR4_PGE | CR4_PSE | CR4_SMEP)))
		paging_load_pdptes(c, c->cr3);

	c->cr4 = val;
	tlb_on_cr_write(c, 4, old, val);
}

static void write_cr8(struct cpu *c, uint64_t val, const char *what)
{
	GP_IF(c, val & ~0xfull,
	      "%s: CR8 = 0x%" PRIx64 ": bits 63:4 are reserved", what, val);
	c->cr8 = val;
	/* CR8 is the local APIC's TPR bits 7:4; bits 3:0 become 0 (SDM
	 * Vol. 3A 10.8.6.1). */
	if (c->bus->ops->tpr_write)
		c->bus->ops->tpr_write(c->bus->ctx, c->apic_id, (uint8_t)(val << 4));
}

void cr_write(struct cpu *c, unsigned cr, uint64_t val, const char *what)
{
	switch (cr) {
	case 0: write_cr0(c, val, what); break;
	case 2: c->cr2 = val; break;
	case 3: write_cr3(c, val, what); break;
	case 4: write_cr4(c, val, what); break;
	case 8: write_cr8(c, val, what); break;
	default: cpu_ud(c, "%s: CR%u does not exist", what, cr);
	}
}

static uint64_t cr_read(const struct cpu *c, unsigned cr)
{
	switch (cr) {
	case 0: return c->cr0;
	case 2: return c->cr2;
	case 3: return c->cr3;
	case 4: return c->cr4;
	default:
		if (c->bus->ops->tpr_read)
			return c->bus->ops->tpr_read(c->bus->ctx, c->apic_id) >> 4;
		return c->cr8;
	}
}

/* MOV CR: the register operand is 64-bit in 64-bit mode and 32-bit
 * elsewhere, whatever the prefixes (SDM Vol. 2B MOV Control Registers). */
static unsigned crdr_size(const struct cpu *c)
{
	return mode64(c) ? 8 : 4;
}

static void check_cr_number(struct cpu *c, unsigned cr, const char *dir)
{
	if (cr != 0 && cr != 2 && cr != 3 && cr != 4 && cr != 8)
		cpu_ud(c, "MOV %s CR%u: CR%u does not exist", dir, cr, cr);
}

static void mov_cd_rd(struct cpu *c, const struct insn *i)
{
	static const char *const names[9] = {
		"MOV CR0", NULL, "MOV CR2", "MOV CR3", "MOV CR4",
		NULL, NULL, NULL, "MOV CR8",
	};
	check_cr_number(c, i->reg, "to");
	require_cpl0(c, names[i->reg]);
	cr_write(c, i->reg, reg_read(c, i->rm, crdr_size(c)), names[i->reg]);
}

static void mov_rd_cd(struct cpu *c, const struct insn *i)
{
	check_cr_number(c, i->reg, "from");
	require_cpl0(c, "MOV from a control register");
	reg_write(c, i->rm, crdr_size(c), cr_read(c, i->reg));
}

IMPL_ANY(MOV_CdRd, mov_cd_rd)
IMPL_ANY(MOV_RdCd, mov_rd_cd)

/* CLTS clears CR0.TS (SDM Vol. 2A CLTS). */
static void clts(struct cpu *c, const struct insn *i)
{
	(void)i;
	require_cpl0(c, "CLTS");
	cr_write(c, 0, c->cr0 & ~CR0_TS, "CLTS");
}

IMPL_ANY(CLTS, clts)

/* LMSW loads CR0 bits 3:0 and can set PE but not clear it (SDM Vol. 2A
 * LMSW). */
EXEC_INLINE void lmsw(struct cpu *c, const struct insn *i, unsigned size,
		      bool mem)
{
	(void)size;
	require_cpl0(c, "LMSW");
	uint64_t src = mem ? mem_read16(c, i->seg, insn_ea(c, i))
			   : reg_read(c, i->rm, 2);
	uint64_t val = (c->cr0 & ~(CR0_MP | CR0_EM | CR0_TS)) |
		       (src & (CR0_PE | CR0_MP | CR0_EM | CR0_TS));
	cr_write(c, 0, val, "LMSW");
}

IMPL_V_RM(LMSW_Ew, lmsw)

/* SMSW stores CR0[15:0] to memory, and as much of CR0 as the register
 * operand holds (SDM Vol. 2B SMSW). */
EXEC_INLINE void smsw(struct cpu *c, const struct insn *i, unsigned size,
		      bool mem)
{
	GP_IF(c, (c->cr4 & CR4_UMIP) && c->cpl > 0,
	      "SMSW at CPL %d with CR4.UMIP = 1", c->cpl);
	if (mem)
		mem_write16(c, i->seg, insn_ea(c, i), (uint16_t)c->cr0);
	else
		reg_write(c, i->rm, size, c->cr0);
}

IMPL_V_RM(SMSW_Ev, smsw)

/* ---- debug registers (SDM Vol. 2B MOV Debug Registers, Vol. 3B
 * 17.2) ---- */

/* The checks common to both directions; returns the register really
 * accessed (DR4 and DR5 alias DR6 and DR7 while CR4.DE = 0). */
static unsigned dr_access(struct cpu *c, unsigned dr, const char *dir)
{
	if (dr > 7)
		cpu_ud(c, "MOV %s DR%u: DR%u does not exist", dir, dr, dr);
	if ((dr == 4 || dr == 5) && (c->cr4 & CR4_DE))
		cpu_ud(c, "MOV %s DR%u with CR4.DE = 1 (DR4 and DR5 are reserved)",
		       dir, dr);
	require_cpl0(c, "MOV DR");
	if (c->dr[7] & DR7_GD) {
		/* General detect: a fault before the access, with DR6.BD
		 * set; the processor clears DR7.GD as it enters the #DB
		 * handler so that the handler can use the registers. Being
		 * a fault other than an instruction breakpoint, it pushes
		 * RF = 1 (SDM Vol. 3B 18.3.1.1), which the handler entry
		 * clears again. */
		c->dr[6] |= DR6_BD;
		c->dr[7] &= ~(uint64_t)DR7_GD;
		c->rflags |= FLAG_RF;
		cpu_raise(c, EXC_DB, "MOV %s DR%u with DR7.GD = 1 (general detect; DR6.BD set)",
			  dir, dr);
	}
	return dr == 4 ? 6 : dr == 5 ? 7 : dr;
}

static void mov_dd_rd(struct cpu *c, const struct insn *i)
{
	unsigned dr = dr_access(c, i->reg, "to");
	uint64_t val = reg_read(c, i->rm, crdr_size(c));
	uint64_t old = c->dr[dr];
	switch (dr) {
	case 6:
		GP_IF(c, val >> 32, "MOV DR%u: DR6 = 0x%" PRIx64 ": bits 63:32 are reserved",
		      i->reg, val);
		c->dr[6] = (val & DR6_WRITABLE) | DR6_FIXED1;
		break;
	case 7:
		GP_IF(c, val >> 32, "MOV DR%u: DR7 = 0x%" PRIx64 ": bits 63:32 are reserved",
		      i->reg, val);
		c->dr[7] = (val & DR7_WRITABLE) | DR7_FIXED1;
		break;
	default:
		c->dr[dr] = val;
		break;
	}
	/* Breakpoints decide which pages may have TLB tags. */
	if (dr != 6 && c->dr[dr] != old)
		debug_dr_written(c, dr, old);
}

static void mov_rd_dd(struct cpu *c, const struct insn *i)
{
	unsigned dr = dr_access(c, i->reg, "from");
	reg_write(c, i->rm, crdr_size(c), c->dr[dr]);
}

IMPL_ANY(MOV_DdRd, mov_dd_rd)
IMPL_ANY(MOV_RdDd, mov_rd_dd)

/* ---- HLT, CLI, STI ---- */

static void hlt(struct cpu *c, const struct insn *i)
{
	(void)i;
	require_cpl0(c, "HLT");
	c->halted = true;
}

IMPL_ANY(HLT, hlt)

/* The decision tables of SDM Vol. 2A CLI and Vol. 2B STI: IF where IOPL
 * allows it, VIF where PVI (protected mode, CPL 3) or VME (virtual-8086
 * mode) allows it, else #GP(0); STI may not set VIF while VIP = 1.
 * Returns the flag to change. */
static uint64_t if_target(struct cpu *c, const char *what, bool set)
{
	if (!seg_mode_pe(c))
		return FLAG_IF;
	if (!seg_mode_vm86(c)) {
		if (iopl(c) >= (unsigned)c->cpl)
			return FLAG_IF;
		if (c->cpl == 3 && (c->cr4 & CR4_PVI)) {
			GP_IF(c, set && (c->rflags & FLAG_VIP),
			      "%s at CPL 3 with IOPL %u, CR4.PVI = 1 and VIP = 1",
			      what, iopl(c));
			return FLAG_VIF;
		}
		cpu_gp0(c, "%s at CPL %d with IOPL %u%s", what, c->cpl, iopl(c),
			c->cpl == 3 ? " and CR4.PVI = 0" : "");
	}
	if (iopl(c) == 3)
		return FLAG_IF;
	if (c->cr4 & CR4_VME) {
		GP_IF(c, set && (c->rflags & FLAG_VIP),
		      "%s in virtual-8086 mode with IOPL %u, CR4.VME = 1 and VIP = 1",
		      what, iopl(c));
		return FLAG_VIF;
	}
	cpu_gp0(c, "%s in virtual-8086 mode with IOPL %u and CR4.VME = 0", what,
		iopl(c));
}

static void cli(struct cpu *c, const struct insn *i)
{
	(void)i;
	c->rflags &= ~if_target(c, "CLI", false);
}

/* STI that sets IF delays interrupts by one instruction (SDM Vol. 2B
 * STI); setting VIF, or IF already 1, does not. */
static void sti(struct cpu *c, const struct insn *i)
{
	(void)i;
	uint64_t f = if_target(c, "STI", true);
	if (f == FLAG_IF && !(c->rflags & FLAG_IF)) {
		c->shadow_icount = c->icount + 1;
		c->attention |= ATTN_SHADOW;
	}
	c->rflags |= f;
}

IMPL_ANY(CLI, cli)
IMPL_ANY(STI, sti)

/* ---- TLB and cache maintenance ---- */

/* INVLPG: no segment-limit check, and a non-canonical address in 64-bit
 * mode makes it a no-op (SDM Vol. 2A INVLPG). */
EXEC_INLINE void invlpg(struct cpu *c, const struct insn *i, unsigned size,
			bool mem)
{
	(void)size, (void)mem;
	require_cpl0(c, "INVLPG");
	uint64_t ea = insn_ea(c, i);
	uint64_t la;
	if (mode64(c)) {
		la = ea + ((i->seg == SEG_FS || i->seg == SEG_GS) ?
			   c->seg[i->seg].base : 0);
		if (!paging_canonical(c, la))
			return;
	} else {
		la = (c->seg[i->seg].base + ea) & 0xffffffffu;
	}
	tlb_flush_page(c, la);
}

EXEC_FN(INVLPG_M, 1, 1, invlpg)
const struct insn_impl impl_INVLPG_M = { { { 0, INVLPG_M_1_1 },
	{ 0, INVLPG_M_1_1 }, { 0, INVLPG_M_1_1 }, { 0, INVLPG_M_1_1 } } };

/* SDM Vol. 2A INVPCID: type in a register (64-bit in 64-bit mode), a
 * 16-byte descriptor in memory: PCID in bits 11:0, bits 63:12 reserved,
 * the linear address in bits 127:64. */
EXEC_INLINE void invpcid(struct cpu *c, const struct insn *i, unsigned size,
			 bool mem)
{
	(void)size, (void)mem;
	if (!cpuid_has(c, FEAT_INVPCID))
		cpu_ud(c, "INVPCID: %s is 0 in this CPU model",
		       model_feature_name(FEAT_INVPCID));
	if (seg_mode_vm86(c))
		cpu_ud(c, "INVPCID in virtual-8086 mode");
	require_cpl0(c, "INVPCID");
	uint64_t type = reg_read(c, i->reg, mode64(c) ? 8 : 4);
	GP_IF(c, type > 3, "INVPCID: type %" PRIu64 " is not 0-3", type);
	uint64_t ea = insn_ea(c, i);
	uint64_t lo = mem_read64(c, i->seg, ea);
	uint64_t hi = mem_read64(c, i->seg, (ea + 8) & size_mask(i->addrsize));
	uint16_t pcid = lo & 0xfff;
	GP_IF(c, lo >> 12, "INVPCID: descriptor bits 63:12 are reserved (0x%" PRIx64 ")",
	      lo);
	GP_IF(c, type == 0 && !msr_canonical(c, hi),
	      "INVPCID type 0: linear address 0x%" PRIx64 " is not canonical", hi);
	GP_IF(c, type <= 1 && pcid && !(c->cr4 & CR4_PCIDE),
	      "INVPCID type %" PRIu64 ": PCID %u with CR4.PCIDE = 0", type, pcid);
	tlb_invpcid(c, (unsigned)type, pcid, hi);
}

EXEC_FN(INVPCID_GyMdq, 1, 1, invpcid)
const struct insn_impl impl_INVPCID_GyMdq = { { { 0, INVPCID_GyMdq_1_1 },
	{ 0, INVPCID_GyMdq_1_1 }, { 0, INVPCID_GyMdq_1_1 },
	{ 0, INVPCID_GyMdq_1_1 } } };

/* There are no caches to write back or drop. */
static void wbinvd(struct cpu *c, const struct insn *i)
{
	(void)i;
	require_cpl0(c, "WBINVD");
}

static void invd(struct cpu *c, const struct insn *i)
{
	(void)i;
	require_cpl0(c, "INVD");
}

IMPL_ANY(WBINVD, wbinvd)
IMPL_ANY(INVD, invd)

/* ---- SMAP and protection keys ---- */

/* SDM Vol. 2B STAC/CLAC: #UD without SMAP, and at CPL > 0 (which
 * includes virtual-8086 mode). */
static void smap_check(struct cpu *c, const char *what)
{
	if (!cpuid_has(c, FEAT_SMAP))
		cpu_ud(c, "%s: %s is 0 in this CPU model", what,
		       model_feature_name(FEAT_SMAP));
	if (c->cpl > 0)
		cpu_ud(c, "%s at CPL %d: the instruction requires CPL 0", what,
		       c->cpl);
}

static void stac(struct cpu *c, const struct insn *i)
{
	(void)i;
	smap_check(c, "STAC");
	c->rflags |= FLAG_AC;
}

static void clac(struct cpu *c, const struct insn *i)
{
	(void)i;
	smap_check(c, "CLAC");
	c->rflags &= ~(uint64_t)FLAG_AC;
}

IMPL_ANY(STAC, stac)
IMPL_ANY(CLAC, clac)

static void rdpkru(struct cpu *c, const struct insn *i)
{
	(void)i;
	if (!(c->cr4 & CR4_PKE))
		cpu_ud(c, "RDPKRU with CR4.PKE = 0");
	GP_IF(c, (uint32_t)c->gpr[REG_RCX] != 0,
	      "RDPKRU with ECX = 0x%x (it must be 0)", (uint32_t)c->gpr[REG_RCX]);
	reg_write(c, REG_RAX, 4, c->pkru);
	reg_write(c, REG_RDX, 4, 0);
}

/* The TLB folds PKRU into its tags (cpu/tlb.h), so a new PKRU drops
 * them. */
static void wrpkru(struct cpu *c, const struct insn *i)
{
	(void)i;
	if (!(c->cr4 & CR4_PKE))
		cpu_ud(c, "WRPKRU with CR4.PKE = 0");
	GP_IF(c, (uint32_t)c->gpr[REG_RCX] != 0,
	      "WRPKRU with ECX = 0x%x (it must be 0)", (uint32_t)c->gpr[REG_RCX]);
	GP_IF(c, (uint32_t)c->gpr[REG_RDX] != 0,
	      "WRPKRU with EDX = 0x%x (it must be 0)", (uint32_t)c->gpr[REG_RDX]);
	uint32_t v = (uint32_t)c->gpr[REG_RAX];
	if (v != c->pkru) {
		c->pkru = v;
		tlb_flush_all(c);
	}
}

IMPL_ANY(RDPKRU, rdpkru)
IMPL_ANY(WRPKRU, wrpkru)

/* ---- performance counters ---- */

/* SDM Vol. 2B RDPMC: allowed at CPL 0, in real-address mode or with
 * CR4.PCE = 1, and only for a counter that exists. This model has none
 * (CPUID leaf 0AH reports no architectural counters). */
static void rdpmc(struct cpu *c, const struct insn *i)
{
	(void)i;
	uint32_t ecx = (uint32_t)c->gpr[REG_RCX];
	GP_IF(c, c->cpl > 0 && !(c->cr4 & CR4_PCE),
	      "RDPMC at CPL %d with CR4.PCE = 0", c->cpl);
	cpu_gp0(c, "RDPMC: counter 0x%x does not exist (this CPU model has no performance counters)",
		ecx);
}

IMPL_ANY(RDPMC, rdpmc)

/* ---- always #UD ---- */

static void ud0(struct cpu *c, const struct insn *i)
{
	(void)i;
	cpu_ud(c, "UD0: an undefined instruction by definition");
}

static void ud1(struct cpu *c, const struct insn *i)
{
	(void)i;
	cpu_ud(c, "UD1: an undefined instruction by definition");
}

static void ud2(struct cpu *c, const struct insn *i)
{
	(void)i;
	cpu_ud(c, "UD2: an undefined instruction by definition");
}

IMPL_ANY(UD0_GvEv, ud0)
IMPL_ANY(UD1_GvEv, ud1)
IMPL_ANY(UD2, ud2)

static void rsm(struct cpu *c, const struct insn *i)
{
	(void)i;
	cpu_ud(c, "RSM outside system-management mode (this CPU never enters SMM)");
}

IMPL_ANY(RSM, rsm)

static void monitor_mwait(struct cpu *c, const char *what)
{
	if (!cpuid_has(c, FEAT_MONITOR))
		cpu_ud(c, "%s: %s is 0 in this CPU model", what,
		       model_feature_name(FEAT_MONITOR));
	cpu_ud(c, "%s: MONITOR/MWAIT are not implemented by vmxsim", what);
}

static void monitor(struct cpu *c, const struct insn *i)
{
	(void)i;
	monitor_mwait(c, "MONITOR");
}

static void mwait(struct cpu *c, const struct insn *i)
{
	(void)i;
	monitor_mwait(c, "MWAIT");
}

IMPL_ANY(MONITOR, monitor)
IMPL_ANY(MWAIT, mwait)
