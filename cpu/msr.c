/* The MSR table (cpu/msr.def) and each MSR's read and write rules (SDM
 * Vol. 4 chapter 2, Vol. 3A 2.2.1 for IA32_EFER, Vol. 3A 11.11 for the
 * MTRRs, 11.12 for IA32_PAT, 23.7 for IA32_FEATURE_CONTROL, Vol. 3B
 * 17.17 for the TSC).
 *
 * Deliberate choices where the SDM leaves room:
 *   - writes to IA32_EFER.LMA are ignored (LMA follows CR0.PG);
 *   - IA32_APIC_BASE.BSP is read-only; a write keeps it;
 *   - IA32_MISC_ENABLE: fast strings, the CPUID limit and XD disable are
 *     writable; the "unavailable" flags are read-only and a write must
 *     keep them; setting XD disable while IA32_EFER.NXE = 1 is refused;
 *   - IA32_DEBUGCTL reads 0; setting any bit is refused, since LBR, BTF
 *     and branch trace stores are not simulated;
 *   - IA32_BIOS_SIGN_ID reads the model's microcode revision in bits
 *     63:32 whatever was written (Linux's probe writes 0, runs CPUID,
 *     reads it) and ignores writes. */
#include "cpu/msr.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cpu/paging.h"
#include "cpu/regs.h"
#include "cpu/tlb.h"

#define BIT(n) (1ull << (n))


#define APIC_BASE_BSP BIT(8)
#define APIC_BASE_EXTD BIT(10)
#define APIC_BASE_EN BIT(11)

#define FC_LOCK BIT(0)
#define FC_VMX_IN_SMX BIT(1)
#define FC_VMX_OUT_SMX BIT(2)
#define FC_SENTER (0x7full << 8)
#define FC_SENTER_GLOBAL BIT(15)

#define MISC_FAST_STRINGS BIT(0)
#define MISC_PERFMON_AVAIL BIT(7)
#define MISC_BTS_UNAVAIL BIT(11)
#define MISC_PEBS_UNAVAIL BIT(12)
#define MISC_LIMIT_CPUID BIT(22)
#define MISC_XD_DISABLE BIT(34)

#define MTRRCAP_VCNT 0xffull
#define MTRRCAP_FIX BIT(8)
#define MTRRCAP_WC BIT(10)
#define MTRR_DEF_FE BIT(10)
#define MTRR_DEF_E BIT(11)
#define MTRR_MASK_V BIT(11)

/* Bits hi..lo set. */
static uint64_t bits(unsigned hi, unsigned lo)
{
	return (hi >= 63 ? ~0ull : (BIT(hi + 1) - 1)) & ~(BIT(lo) - 1);
}

static int lowest_bit(uint64_t v)
{
	return __builtin_ctzll(v);
}

/* Bits 63:MAXPHYADDR, reserved in every physical-address field. */
static uint64_t above_maxphyaddr(const struct cpu *c)
{
	return bits(63, paging_maxphyaddr(c));
}

bool msr_canonical(const struct cpu *c, uint64_t v)
{
	uint32_t out[4];
	model_cpuid(&c->model, 0x80000008u, 0, out);
	unsigned width = (out[CPUID_EAX] >> 8) & 0xff;
	if (width < 32 || width > 64)
		width = 48;
	unsigned sh = 64 - width;
	return (uint64_t)((int64_t)(v << sh) >> sh) == v;
}

/* The TSC counts at the model's rate on the machine's virtual clock when
 * there is one (one time base for every CPU), else on this CPU's retired
 * instructions. */
uint64_t msr_tsc(const struct cpu *c)
{
	const struct cpu_model *m = &c->model;
	uint64_t ticks;
	if (c->bus->ops->now_ns)
		ticks = (uint64_t)((unsigned __int128)c->bus->ops->now_ns(c->bus->ctx) *
				   m->tsc_hz / 1000000000u);
	else if (m->insns_per_sec && m->tsc_hz != m->insns_per_sec)
		ticks = (uint64_t)((unsigned __int128)c->icount * m->tsc_hz /
				   m->insns_per_sec);
	else
		ticks = c->icount;
	return ticks + c->tsc_offset;
}

/* ---- checks of MSR_FIELD rows ---- */

static bool ck_any(struct cpu *c, const struct msr_desc *d, uint64_t *val,
		   char *why, size_t whylen)
{
	(void)c, (void)d, (void)val, (void)why, (void)whylen;
	return true;
}

static bool ck_canonical(struct cpu *c, const struct msr_desc *d,
			 uint64_t *val, char *why, size_t whylen)
{
	(void)d;
	if (msr_canonical(c, *val))
		return true;
	snprintf(why, whylen, "the address is not canonical");
	return false;
}

/* Only the selector in bits 15:0 is used; the rest is kept as written,
 * up to 32 bits. */
static bool ck_sysenter_cs(struct cpu *c, const struct msr_desc *d,
			   uint64_t *val, char *why, size_t whylen)
{
	(void)c, (void)d, (void)why, (void)whylen;
	*val &= 0xffffffffu;
	return true;
}

static bool ck_fmask(struct cpu *c, const struct msr_desc *d, uint64_t *val,
		     char *why, size_t whylen)
{
	(void)c, (void)d;
	if (*val >> 32) {
		snprintf(why, whylen, "bits 63:32 are reserved");
		return false;
	}
	return true;
}

static bool ck_tsc_aux(struct cpu *c, const struct msr_desc *d,
		       uint64_t *val, char *why, size_t whylen)
{
	(void)c, (void)d;
	if (*val >> 32) {
		snprintf(why, whylen, "bits 63:32 are reserved");
		return false;
	}
	return true;
}

/* SDM Vol. 3A 10.4.4 and 10.12.5 (x2APIC state transitions). */
static bool ck_apic_base(struct cpu *c, const struct msr_desc *d,
			 uint64_t *val, char *why, size_t whylen)
{
	(void)d;
	bool x2apic = cpuid_has(c, FEAT_X2APIC);
	uint64_t ok = APIC_BASE_BSP | APIC_BASE_EN |
		      (x2apic ? APIC_BASE_EXTD : 0) |
		      (bits(63, 12) & ~above_maxphyaddr(c));
	if (*val & ~ok) {
		int b = lowest_bit(*val & ~ok);
		if (b == 10)
			snprintf(why, whylen, "bit 10 (x2APIC enable) is reserved: %s is 0 in this CPU model",
				 model_feature_name(FEAT_X2APIC));
		else
			snprintf(why, whylen, "bit %d is reserved (MAXPHYADDR = %u)",
				 b, paging_maxphyaddr(c));
		return false;
	}
	unsigned from = (c->apic_base & (APIC_BASE_EN | APIC_BASE_EXTD)) >> 10;
	unsigned to = (*val & (APIC_BASE_EN | APIC_BASE_EXTD)) >> 10;
	/* States as EN:EXTD: 00 disabled, 10 xAPIC, 11 x2APIC, 01 invalid. */
	if (to == 1) {
		snprintf(why, whylen, "EXTD = 1 with EN = 0 is an invalid APIC state");
		return false;
	}
	if (from == 3 && to == 2) {
		snprintf(why, whylen, "x2APIC mode cannot go directly to xAPIC mode (disable the APIC first)");
		return false;
	}
	if (from == 0 && to == 3) {
		snprintf(why, whylen, "a disabled APIC cannot go directly to x2APIC mode (enable xAPIC mode first)");
		return false;
	}
	*val = (*val & ~APIC_BASE_BSP) | (c->apic_base & APIC_BASE_BSP);
	return true;
}

/* SDM Vol. 3C 23.7: once bit 0 is set, WRMSR to this MSR raises #GP
 * until the next reset. Each enable bit exists only with its feature. */
static bool ck_feature_control(struct cpu *c, const struct msr_desc *d,
			       uint64_t *val, char *why, size_t whylen)
{
	(void)d;
	if (c->feature_control & FC_LOCK) {
		snprintf(why, whylen, "the register is locked (bit 0 = 1; value 0x%" PRIx64 "): writes raise #GP until reset",
			 c->feature_control);
		return false;
	}
	bool vmx = cpuid_has(c, FEAT_VMX), smx = cpuid_has(c, FEAT_SMX);
	uint64_t ok = FC_LOCK | (vmx ? FC_VMX_OUT_SMX : 0) |
		      (vmx && smx ? FC_VMX_IN_SMX : 0) |
		      (smx ? FC_SENTER | FC_SENTER_GLOBAL : 0);
	if (*val & ~ok) {
		int b = lowest_bit(*val & ~ok);
		if (b == 2 || b == 1)
			snprintf(why, whylen, "bit %d (enable VMX %s SMX operation) is reserved: %s is 0 in this CPU model",
				 b, b == 2 ? "outside" : "inside",
				 model_feature_name(vmx ? FEAT_SMX : FEAT_VMX));
		else
			snprintf(why, whylen, "bit %d is reserved in this CPU model", b);
		return false;
	}
	return true;
}

/* Memory types (SDM Vol. 3A table 11-8): UC 0, WC 1, WT 4, WP 5, WB 6;
 * WC only if IA32_MTRRCAP.WC says so. PAT also has UC- (7). */
static bool mtrr_type_ok(const struct cpu *c, unsigned t)
{
	if (t == 1)
		return c->model.mtrr_cap & MTRRCAP_WC;
	return t == 0 || t == 4 || t == 5 || t == 6;
}

static bool ck_pat(struct cpu *c, const struct msr_desc *d, uint64_t *val,
		   char *why, size_t whylen)
{
	(void)c, (void)d;
	for (int n = 0; n < 8; n++) {
		unsigned e = (*val >> (n * 8)) & 0xff;
		if (e & 0xf8) {
			snprintf(why, whylen, "PA%d = 0x%x: bits 7:3 of each entry are reserved",
				 n, e);
			return false;
		}
		if (e == 2 || e == 3) {
			snprintf(why, whylen, "PA%d = %u is a reserved memory type (valid: 0 UC, 1 WC, 4 WT, 5 WP, 6 WB, 7 UC-)",
				 n, e);
			return false;
		}
	}
	return true;
}

static bool ck_mtrr_def_type(struct cpu *c, const struct msr_desc *d,
			     uint64_t *val, char *why, size_t whylen)
{
	(void)d;
	uint64_t ok = 0xff | MTRR_DEF_E |
		      ((c->model.mtrr_cap & MTRRCAP_FIX) ? MTRR_DEF_FE : 0);
	if (*val & ~ok) {
		snprintf(why, whylen, "bit %d is reserved", lowest_bit(*val & ~ok));
		return false;
	}
	if (!mtrr_type_ok(c, *val & 0xff)) {
		snprintf(why, whylen, "default type %u is not a valid MTRR memory type",
			 (unsigned)(*val & 0xff));
		return false;
	}
	return true;
}

/* SDM Vol. 4 2.22 (IA32_MISC_ENABLE) and the choices in the header. */
static bool ck_misc_enable(struct cpu *c, const struct msr_desc *d,
			   uint64_t *val, char *why, size_t whylen)
{
	(void)d;
	uint64_t ro = MISC_PERFMON_AVAIL | MISC_BTS_UNAVAIL | MISC_PEBS_UNAVAIL;
	uint64_t rw = MISC_FAST_STRINGS | MISC_LIMIT_CPUID |
		      (model_has(&c->model, FEAT_NX) ? MISC_XD_DISABLE : 0);
	if (*val & ~(ro | rw)) {
		snprintf(why, whylen, "bit %d is reserved in this CPU model",
			 lowest_bit(*val & ~(ro | rw)));
		return false;
	}
	if ((*val ^ c->misc_enable) & ro) {
		snprintf(why, whylen, "bit %d is read-only and reads %d",
			 lowest_bit((*val ^ c->misc_enable) & ro),
			 (int)((c->misc_enable >> lowest_bit((*val ^ c->misc_enable) & ro)) & 1));
		return false;
	}
	if ((*val & MISC_XD_DISABLE) && (c->efer & EFER_NXE)) {
		snprintf(why, whylen, "bit 34 (XD bit disable) cannot be set while IA32_EFER.NXE = 1");
		return false;
	}
	return true;
}

/* IA32_XSS: the supervisor state components XSAVES and XRSTORS manage
 * (SDM Vol. 1 13.3); only those CPUID.(EAX=0DH,ECX=1):EDX:ECX lists may
 * be set (this simulator implements none yet). */
static bool ck_xss(struct cpu *c, const struct msr_desc *d, uint64_t *val,
		   char *why, size_t whylen)
{
	(void)d;
	const uint64_t implemented = 0;
	uint32_t r[4];
	model_cpuid(&c->model, 0xd, 1, r);
	uint64_t ok = implemented & ((uint64_t)r[CPUID_EDX] << 32 | r[CPUID_ECX]);
	if (*val & ~ok) {
		snprintf(why, whylen, "bit %d is reserved: CPUID.(EAX=0DH,ECX=1):EDX:ECX = 0x%llx does not list it",
			 lowest_bit(*val & ~ok),
			 (unsigned long long)((uint64_t)r[CPUID_EDX] << 32 | r[CPUID_ECX]));
		return false;
	}
	return true;
}

/* ---- MSR_FUNC rows ---- */

static bool rd_apic_base(struct cpu *c, const struct msr_desc *d,
			 uint64_t *val, char *why, size_t whylen)
{
	(void)d, (void)why, (void)whylen;
	*val = c->apic_base;
	return true;
}

/* The checks of ck_apic_base(); then the APIC learns its new base and
 * mode. The TLB may map the old or new APIC page as memory, so it is
 * flushed when the base or the mode changes. */
static bool wr_apic_base(struct cpu *c, const struct msr_desc *d,
			 uint64_t val, char *why, size_t whylen)
{
	if (!ck_apic_base(c, d, &val, why, whylen))
		return false;
	uint64_t old = c->apic_base;
	c->apic_base = val;
	if (old != val) {
		tlb_flush_all(c);
		if (c->bus->ops->apic_base_changed)
			c->bus->ops->apic_base_changed(c->bus->ctx, c->apic_id, val);
	}
	return true;
}

/* The APIC's own MSRs (x2APIC registers, IA32_TSC_DEADLINE): the
 * platform's local APIC decides. */
static bool rd_apic(struct cpu *c, const struct msr_desc *d, uint64_t *val,
		    char *why, size_t whylen)
{
	if (!c->bus->ops->apic_msr_read) {
		snprintf(why, whylen, "this machine has no local APIC");
		return false;
	}
	return c->bus->ops->apic_msr_read(c->bus->ctx, c->apic_id, d->index,
					  val, why, whylen);
}

static bool wr_apic(struct cpu *c, const struct msr_desc *d, uint64_t val,
		    char *why, size_t whylen)
{
	if (!c->bus->ops->apic_msr_write) {
		snprintf(why, whylen, "this machine has no local APIC");
		return false;
	}
	return c->bus->ops->apic_msr_write(c->bus->ctx, c->apic_id, d->index,
					   val, why, whylen);
}

static bool rd_zero(struct cpu *c, const struct msr_desc *d, uint64_t *val,
		    char *why, size_t whylen)
{
	(void)c, (void)d, (void)why, (void)whylen;
	*val = 0;
	return true;
}

static bool wr_read_only(struct cpu *c, const struct msr_desc *d,
			 uint64_t val, char *why, size_t whylen)
{
	(void)c, (void)d, (void)val;
	snprintf(why, whylen, "the MSR is read-only");
	return false;
}

static bool rd_bios_sign_id(struct cpu *c, const struct msr_desc *d,
			    uint64_t *val, char *why, size_t whylen)
{
	(void)d, (void)why, (void)whylen;
	*val = (uint64_t)c->model.microcode << 32;
	return true;
}

static bool wr_bios_sign_id(struct cpu *c, const struct msr_desc *d,
			    uint64_t val, char *why, size_t whylen)
{
	(void)c, (void)d, (void)val, (void)why, (void)whylen;
	return true;
}

static bool wr_debugctl(struct cpu *c, const struct msr_desc *d, uint64_t val,
			char *why, size_t whylen)
{
	static const char *const names[16] = {
		"LBR", "BTF", NULL, NULL, NULL, NULL, "TR", "BTS", "BTINT",
		"BTS_OFF_OS", "BTS_OFF_USR", "FREEZE_LBRS_ON_PMI",
		"FREEZE_PERFMON_ON_PMI", NULL, "FREEZE_WHILE_SMM", "RTM_DEBUG",
	};
	(void)c, (void)d;
	if (!val)
		return true;
	int b = lowest_bit(val);
	if (b < 16 && names[b])
		snprintf(why, whylen, "bit %d (%s) is not simulated: IA32_DEBUGCTL only accepts 0",
			 b, names[b]);
	else
		snprintf(why, whylen, "bit %d is reserved", b);
	return false;
}

static bool rd_tsc(struct cpu *c, const struct msr_desc *d, uint64_t *val,
		   char *why, size_t whylen)
{
	(void)d, (void)why, (void)whylen;
	*val = msr_tsc(c);
	return true;
}

/* SDM Vol. 3B 17.17.3: a write to the TSC that adds X to it also adds X
 * to IA32_TSC_ADJUST, and the other way round. */
static bool wr_tsc(struct cpu *c, const struct msr_desc *d, uint64_t val,
		   char *why, size_t whylen)
{
	(void)d, (void)why, (void)whylen;
	uint64_t delta = val - msr_tsc(c);
	c->tsc_offset += delta;
	c->tsc_adjust += delta;
	return true;
}

static bool rd_tsc_adjust(struct cpu *c, const struct msr_desc *d,
			  uint64_t *val, char *why, size_t whylen)
{
	(void)d, (void)why, (void)whylen;
	*val = c->tsc_adjust;
	return true;
}

static bool wr_tsc_adjust(struct cpu *c, const struct msr_desc *d,
			  uint64_t val, char *why, size_t whylen)
{
	(void)d, (void)why, (void)whylen;
	c->tsc_offset += val - c->tsc_adjust;
	c->tsc_adjust = val;
	return true;
}

/* Maximum non-turbo ratio (bits 15:8) in units of 100 MHz. */
static bool rd_platform_info(struct cpu *c, const struct msr_desc *d,
			     uint64_t *val, char *why, size_t whylen)
{
	(void)d, (void)why, (void)whylen;
	uint64_t ratio = c->model.tsc_hz / 100000000u;
	*val = (ratio & 0xff) << 8;
	return true;
}

static bool rd_mtrrcap(struct cpu *c, const struct msr_desc *d, uint64_t *val,
		       char *why, size_t whylen)
{
	(void)d, (void)why, (void)whylen;
	*val = c->model.mtrr_cap;
	return true;
}

/* Variable ranges: IA32_MTRR_PHYSBASEn at 0x200 + 2n, PHYSMASKn at
 * 0x201 + 2n, for n below IA32_MTRRCAP.VCNT (SDM Vol. 3A 11.11.2.3). */
static bool mtrr_var_slot(struct cpu *c, const struct msr_desc *d,
			  unsigned *slot, char *why, size_t whylen)
{
	unsigned n = d->index - MSR_IA32_MTRR_PHYSBASE0;
	unsigned vcnt = (unsigned)(c->model.mtrr_cap & MTRRCAP_VCNT);
	if (n / 2 >= vcnt || n >= 16) {
		snprintf(why, whylen, "variable range %u does not exist (IA32_MTRRCAP.VCNT = %u)",
			 n / 2, vcnt);
		return false;
	}
	*slot = n;
	return true;
}

static bool rd_mtrr_var(struct cpu *c, const struct msr_desc *d, uint64_t *val,
			char *why, size_t whylen)
{
	unsigned n;
	if (!mtrr_var_slot(c, d, &n, why, whylen))
		return false;
	*val = c->mtrr_var[n];
	return true;
}

static bool wr_mtrr_var(struct cpu *c, const struct msr_desc *d, uint64_t val,
			char *why, size_t whylen)
{
	unsigned n;
	if (!mtrr_var_slot(c, d, &n, why, whylen))
		return false;
	/* PHYSBASE: type 7:0, reserved 11:8; PHYSMASK: reserved 10:0,
	 * valid 11; both: reserved from MAXPHYADDR up. */
	bool base = (n & 1) == 0;
	uint64_t rsvd = above_maxphyaddr(c) | (base ? bits(11, 8) : bits(10, 0));
	if (val & rsvd) {
		snprintf(why, whylen, "bit %d is reserved (MAXPHYADDR = %u)",
			 lowest_bit(val & rsvd), paging_maxphyaddr(c));
		return false;
	}
	if (base && !mtrr_type_ok(c, val & 0xff)) {
		snprintf(why, whylen, "type %u is not a valid MTRR memory type",
			 (unsigned)(val & 0xff));
		return false;
	}
	c->mtrr_var[n] = val;
	return true;
}

/* Fixed ranges, in the order of struct cpu's mtrr_fixed[]. */
static const uint32_t fixed_index[11] = {
	MSR_IA32_MTRR_FIX64K_00000, MSR_IA32_MTRR_FIX16K_80000,
	MSR_IA32_MTRR_FIX16K_A0000, MSR_IA32_MTRR_FIX4K_C0000,
	MSR_IA32_MTRR_FIX4K_C8000, MSR_IA32_MTRR_FIX4K_D0000,
	MSR_IA32_MTRR_FIX4K_D8000, MSR_IA32_MTRR_FIX4K_E0000,
	MSR_IA32_MTRR_FIX4K_E8000, MSR_IA32_MTRR_FIX4K_F0000,
	MSR_IA32_MTRR_FIX4K_F8000,
};

static bool mtrr_fixed_slot(struct cpu *c, const struct msr_desc *d,
			    unsigned *slot, char *why, size_t whylen)
{
	if (!(c->model.mtrr_cap & MTRRCAP_FIX)) {
		snprintf(why, whylen, "fixed-range MTRRs do not exist (IA32_MTRRCAP.FIX = 0)");
		return false;
	}
	for (unsigned n = 0; n < 11; n++)
		if (fixed_index[n] == d->index) {
			*slot = n;
			return true;
		}
	snprintf(why, whylen, "not a fixed-range MTRR");
	return false;
}

static bool rd_mtrr_fixed(struct cpu *c, const struct msr_desc *d,
			  uint64_t *val, char *why, size_t whylen)
{
	unsigned n;
	if (!mtrr_fixed_slot(c, d, &n, why, whylen))
		return false;
	*val = c->mtrr_fixed[n];
	return true;
}

static bool wr_mtrr_fixed(struct cpu *c, const struct msr_desc *d,
			  uint64_t val, char *why, size_t whylen)
{
	unsigned n;
	if (!mtrr_fixed_slot(c, d, &n, why, whylen))
		return false;
	for (int b = 0; b < 8; b++) {
		unsigned t = (val >> (b * 8)) & 0xff;
		if (!mtrr_type_ok(c, t)) {
			snprintf(why, whylen, "byte %d = 0x%x is not a valid MTRR memory type",
				 b, t);
			return false;
		}
	}
	c->mtrr_fixed[n] = val;
	return true;
}

static bool rd_efer(struct cpu *c, const struct msr_desc *d, uint64_t *val,
		    char *why, size_t whylen)
{
	(void)d, (void)why, (void)whylen;
	*val = c->efer;
	return true;
}

/* SDM Vol. 3A 2.2.1 and Vol. 4 table 2-2: SCE (0), LME (8), LMA (10,
 * read-only), NXE (11); the rest is reserved. LME cannot change while
 * paging is on (SDM Vol. 3A 9.8.5). */
static bool wr_efer(struct cpu *c, const struct msr_desc *d, uint64_t val,
		    char *why, size_t whylen)
{
	(void)d;
	static const struct {
		uint64_t bit;
		enum model_feature feature;
		const char *name;
	} defined[] = {
		{ EFER_SCE, FEAT_SYSCALL, "SCE" },
		{ EFER_LME, FEAT_LM, "LME" },
		{ EFER_LMA, FEAT_LM, "LMA" },
		{ EFER_NXE, FEAT_NX, "NXE" },
	};
	for (size_t n = 0; n < sizeof(defined) / sizeof(defined[0]); n++)
		if ((val & defined[n].bit) && !cpuid_has(c, defined[n].feature)) {
			snprintf(why, whylen, "bit %d (%s) is reserved: %s is 0%s",
				 lowest_bit(defined[n].bit), defined[n].name,
				 model_feature_name(defined[n].feature),
				 defined[n].feature == FEAT_NX &&
				 (c->misc_enable & MISC_XD_DISABLE) ?
				 " (IA32_MISC_ENABLE.XD_DISABLE = 1)" :
				 " in this CPU model");
			return false;
		}
	uint64_t rsvd = ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE);
	if (val & rsvd) {
		snprintf(why, whylen, "bit %d is reserved", lowest_bit(val & rsvd));
		return false;
	}
	if (((val ^ c->efer) & EFER_LME) && (c->cr0 & CR0_PG)) {
		snprintf(why, whylen, "LME cannot change from %d to %d while CR0.PG = 1",
			 !!(c->efer & EFER_LME), !!(val & EFER_LME));
		return false;
	}
	uint64_t old = c->efer;
	c->efer = (val & ~EFER_LMA) | (old & EFER_LMA);
	tlb_on_efer_write(c, old, c->efer);
	return true;
}

/* ---- the table ---- */

#define MSR_FIELD(name, index, feature, field, check)                      \
	{ #name, index, feature, offsetof(struct cpu, field), check, NULL, NULL },
#define MSR_FUNC(name, index, feature, read, write)                        \
	{ #name, index, feature, 0, NULL, read, write },
static const struct msr_desc msr_table[] = {
#include "cpu/msr.def"
};
#undef MSR_FIELD
#undef MSR_FUNC

#define MSR_TABLE_SIZE (sizeof(msr_table) / sizeof(msr_table[0]))

unsigned msr_count(void)
{
	return MSR_TABLE_SIZE;
}

const struct msr_desc *msr_at(unsigned n)
{
	return n < MSR_TABLE_SIZE ? &msr_table[n] : NULL;
}

const struct msr_desc *msr_find(uint32_t index)
{
	size_t lo = 0, hi = MSR_TABLE_SIZE;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (msr_table[mid].index == index)
			return &msr_table[mid];
		if (msr_table[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct msr_desc *msr_find_by_name(const char *name)
{
	if (!name)
		return NULL;
	if (strncasecmp(name, "MSR_", 4) == 0)
		name += 4;
	for (size_t n = 0; n < MSR_TABLE_SIZE; n++)
		if (strcasecmp(msr_table[n].name, name) == 0)
			return &msr_table[n];
	return NULL;
}

/* The row of index if it exists on this CPU; otherwise NULL with why. */
static const struct msr_desc *lookup(struct cpu *c, uint32_t index,
				     char *why, size_t whylen)
{
	const struct msr_desc *d = msr_find(index);
	if (!d) {
		snprintf(why, whylen, "MSR 0x%x is not implemented in this CPU model",
			 index);
		return NULL;
	}
	if (d->feature != MSR_ANY &&
	    !cpuid_has(c, (enum model_feature)d->feature)) {
		snprintf(why, whylen, "%s (0x%x) does not exist: %s is 0 in this CPU model",
			 d->name, index,
			 model_feature_name((enum model_feature)d->feature));
		return NULL;
	}
	return d;
}

bool msr_read(struct cpu *c, uint32_t index, uint64_t *val, char *why,
	      size_t whylen)
{
	const struct msr_desc *d = lookup(c, index, why, whylen);
	if (!d)
		return false;
	if (!d->read) {
		*val = *(const uint64_t *)((const char *)c + d->field);
		return true;
	}
	char rule[192];
	if (d->read(c, d, val, rule, sizeof(rule)))
		return true;
	snprintf(why, whylen, "%s (0x%x): %s", d->name, index, rule);
	return false;
}

bool msr_write(struct cpu *c, uint32_t index, uint64_t val, char *why,
	       size_t whylen)
{
	const struct msr_desc *d = lookup(c, index, why, whylen);
	if (!d)
		return false;
	char rule[192];
	bool ok;
	if (d->write) {
		ok = d->write(c, d, val, rule, sizeof(rule));
	} else {
		uint64_t v = val;
		ok = d->check(c, d, &v, rule, sizeof(rule));
		if (ok)
			*(uint64_t *)((char *)c + d->field) = v;
	}
	if (!ok)
		snprintf(why, whylen, "%s (0x%x) = 0x%" PRIx64 ": %s", d->name,
			 index, val, rule);
	return ok;
}
