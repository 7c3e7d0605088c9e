/* Saving and restoring x87 and SSE state: FXSAVE, FXRSTOR, LDMXCSR,
 * STMXCSR, XSAVE, XSAVEOPT, XSAVEC, XSAVES, XRSTOR, XRSTORS, XGETBV and
 * XSETBV (SDM Vol. 1 10.5 and chapter 13, Vol. 2 instruction pages).
 *
 * The XSAVE feature set manages state components 0 (x87) and 1 (SSE);
 * IA32_XSS supports no supervisor component. Choices where the SDM
 * leaves room:
 *   - XINUSE is exact: a component is "in use" unless it is in its
 *     initial configuration (13.6), so the init optimization applies
 *     whenever it may.
 *   - XMODIFIED: a component counts as modified when the last XRSTOR(S)
 *     did not load it (RFBM bit clear) or it now differs from what that
 *     XRSTOR(S) loaded. This is the modified optimization as far as
 *     software that leaves the area alone (as 13.6 requires) can see.
 *   - FXSAVE and FXRSTOR leave MXCSR and the XMM registers alone while
 *     CR4.OSFXSR = 0 (the "may not save" of the FXSAVE page).
 *   - Reserved bytes inside the fields written (byte 5, the selector
 *     padding, bits 79:128 of each ST slot) are written as 0; bytes
 *     464-511 and the XMM8-15 slots outside 64-bit mode are not written.
 *   - MXCSR_MASK is 0000FFFFH (DAZ supported). */
#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/mem.h"
#include "cpu/msr.h"
#include "cpu/regs.h"
#include "cpu/x87.h"

#define MXCSR_MASK 0xffffu
#define MXCSR_INIT 0x1f80u
#define XSAVE_HDR 512
#define XSAVE_SIZE 576
#define XCOMP_COMPACT (1ull << 63)
#define XFEATURE_X87 1ull
#define XFEATURE_SSE 2ull
#define XFEATURE_AVX 4ull
/* The state components this implementation can manage; the model's
 * CPUID.(EAX=0DH,ECX=0):EDX:EAX says which of them XCR0 may enable. */
#define XCR0_IMPLEMENTED (XFEATURE_X87 | XFEATURE_SSE)

/* An image of the first 576 bytes of a save area and which of its bytes
 * an instruction writes. */
struct xs_image {
	uint8_t b[XSAVE_SIZE];
	uint8_t w[XSAVE_SIZE];
};

static void put(struct xs_image *m, unsigned off, unsigned n, uint64_t v)
{
	for (unsigned k = 0; k < n; k++) {
		m->b[off + k] = (uint8_t)(v >> (8 * k));
		m->w[off + k] = 1;
	}
}

static uint64_t get(const struct xs_image *m, unsigned off, unsigned n)
{
	uint64_t v = 0;
	for (unsigned k = 0; k < n; k++)
		v |= (uint64_t)m->b[off + k] << (8 * k);
	return v;
}

static uint64_t area_off(const struct insn *i, uint64_t ea, unsigned k)
{
	return (ea + k) & size_mask(i->addrsize);
}

/* Writes the marked bytes, after checking every store (a fault leaves
 * memory as it was). */
static void image_store(struct cpu *c, const struct insn *i, uint64_t ea,
			const struct xs_image *m)
{
	for (int pass = 0; pass < 2; pass++)
		for (unsigned k = 0; k < XSAVE_SIZE; k += 8) {
			unsigned n = 0;
			for (unsigned j = 0; j < 8; j++)
				n += m->w[k + j];
			if (!n)
				continue;
			if (pass == 0) {
				mem_probe_write(c, i->seg, area_off(i, ea, k), 8);
			} else if (n == 8) {
				mem_write64(c, i->seg, area_off(i, ea, k),
					    get(m, k, 8));
			} else {
				for (unsigned j = 0; j < 8; j++)
					if (m->w[k + j])
						mem_write8(c, i->seg,
							   area_off(i, ea, k + j),
							   m->b[k + j]);
			}
		}
}

static void image_load(struct cpu *c, const struct insn *i, uint64_t ea,
		       struct xs_image *m, unsigned from, unsigned to)
{
	for (unsigned k = from; k < to; k += 8) {
		uint64_t v = mem_read64(c, i->seg, area_off(i, ea, k));
		for (unsigned j = 0; j < 8; j++)
			m->b[k + j] = (uint8_t)(v >> (8 * j));
	}
}

/* The linear address of the memory operand, for the alignment checks
 * ("regardless of segment") and XRSTOR_INFO. */
static uint64_t operand_linear(const struct cpu *c, const struct insn *i,
			       uint64_t ea)
{
	if (cpu_code_size(c) == 8)
		return ea + (i->seg >= SEG_FS ? c->seg[i->seg].base : 0);
	return (uint32_t)(c->seg[i->seg].base + ea);
}

static unsigned xmm_count(const struct cpu *c)
{
	return cpu_code_size(c) == 8 ? 16 : 8;
}

/* ---- the legacy region ---- */

/* x87 state: bytes 23:0 but MXCSR, and 159:32 (SDM Vol. 1 table 10-2).
 * fmt64 is the REX.W layout with 64-bit FIP and FDP. */
static void save_x87(const struct cpu *c, struct xs_image *m, bool fmt64)
{
	const struct x87_state *x = &c->x87;
	put(m, 0, 2, x->fcw);
	put(m, 2, 2, x->fsw);
	put(m, 4, 2, x87_abridged_tags(c));
	put(m, 6, 2, x->fop & 0x7ff);
	if (fmt64) {
		put(m, 8, 8, x->fip);
		put(m, 16, 8, x->fdp);
	} else {
		put(m, 8, 4, (uint32_t)x->fip);
		put(m, 12, 4, x->fcs);
		put(m, 16, 4, (uint32_t)x->fdp);
		put(m, 20, 4, x->fds);
	}
	for (unsigned s = 0; s < 8; s++) {
		struct f80 v = x87_st(c, s);
		put(m, 32 + 16 * s, 8, v.signif);
		put(m, 40 + 16 * s, 8, v.sign_exp);
	}
}

static void load_x87(struct cpu *c, const struct xs_image *m, bool fmt64)
{
	struct x87_state *x = &c->x87;
	x->fcw = x87_fcw_value((uint16_t)get(m, 0, 2));
	x->fsw = (uint16_t)get(m, 2, 2);
	x->fop = (uint16_t)get(m, 6, 2) & 0x7ff;
	if (fmt64) {
		x->fip = get(m, 8, 8);
		x->fdp = get(m, 16, 8);
		x->fcs = x->fds = 0;
	} else {
		x->fip = get(m, 8, 4);
		x->fcs = (uint16_t)get(m, 12, 2);
		x->fdp = get(m, 16, 4);
		x->fds = (uint16_t)get(m, 20, 2);
	}
	unsigned top = x87_top(c);
	for (unsigned s = 0; s < 8; s++)
		x->r[(top + s) & 7] = (struct f80){ get(m, 32 + 16 * s, 8),
			(uint16_t)get(m, 40 + 16 * s, 2) };
	x->ftw = x87_full_tags(c, (uint8_t)get(m, 4, 1));
	x87_sync_es(c);
}

static void save_mxcsr(const struct cpu *c, struct xs_image *m)
{
	put(m, 24, 4, c->mxcsr);
	put(m, 28, 4, MXCSR_MASK);
}

static void save_xmm(const struct cpu *c, struct xs_image *m)
{
	for (unsigned r = 0; r < xmm_count(c); r++) {
		put(m, 160 + 16 * r, 8, c->v[r].q[0]);
		put(m, 168 + 16 * r, 8, c->v[r].q[1]);
	}
}

static void load_xmm(struct cpu *c, const struct xs_image *m)
{
	for (unsigned r = 0; r < xmm_count(c); r++) {
		c->v[r].q[0] = get(m, 160 + 16 * r, 8);
		c->v[r].q[1] = get(m, 168 + 16 * r, 8);
	}
}

static void init_xmm(struct cpu *c)
{
	for (unsigned r = 0; r < xmm_count(c); r++)
		c->v[r].q[0] = c->v[r].q[1] = 0;
}

/* Raises #GP(0) for an MXCSR value with reserved bits set. */
static void check_mxcsr(struct cpu *c, uint32_t v, const char *what)
{
	if (v & ~MXCSR_MASK)
		cpu_gp0(c, "%s: MXCSR value 0x%08x sets reserved bits 0x%08x (MXCSR_MASK = 0x%08x)",
			what, v, v & ~MXCSR_MASK, MXCSR_MASK);
}

/* ---- FXSAVE, FXRSTOR, LDMXCSR, STMXCSR ---- */

/* SDM Vol. 3A table 2-2 and the FXSAVE page: #UD without FXSR or with
 * CR0.EM = 1, then #NM with CR0.TS = 1. */
static void check_fxsr(struct cpu *c, const char *what)
{
	if (!cpuid_has(c, FEAT_FXSR))
		cpu_ud(c, "%s: %s = 0 in this CPU model", what,
		       model_feature_name(FEAT_FXSR));
	if (c->cr0 & CR0_EM)
		cpu_ud(c, "%s with CR0.EM = 1", what);
	if (c->cr0 & CR0_TS)
		cpu_raise(c, EXC_NM, "%s with CR0.TS = 1", what);
}

static uint64_t check_aligned(struct cpu *c, const struct insn *i,
			      unsigned align, const char *what)
{
	uint64_t ea = insn_ea(c, i);
	uint64_t la = operand_linear(c, i, ea);
	if (la & (align - 1))
		cpu_gp0(c, "%s: the save area at linear address 0x%llx is not %u-byte aligned",
			what, (unsigned long long)la, align);
	return ea;
}

/* Fast FXSAVE/FXRSTOR (AMD's EFER.FFXSR): in 64-bit mode at CPL 0 they
 * skip the XMM registers, when the model has the feature. */
static bool fast_fxsr(struct cpu *c)
{
	return (c->efer & EFER_FFXSR) && cpu_code_size(c) == 8 &&
	       c->cpl == 0 && cpuid_has(c, FEAT_FFXSR);
}

static void fxsave(struct cpu *c, const struct insn *i)
{
	check_fxsr(c, "FXSAVE");
	uint64_t ea = check_aligned(c, i, 16, "FXSAVE");
	struct xs_image m = { 0 };
	save_x87(c, &m, i->opsize == 8);
	if (c->cr4 & CR4_OSFXSR) {
		save_mxcsr(c, &m);
		if (!fast_fxsr(c))
			save_xmm(c, &m);
	}
	image_store(c, i, ea, &m);
}

static void fxrstor(struct cpu *c, const struct insn *i)
{
	check_fxsr(c, "FXRSTOR");
	uint64_t ea = check_aligned(c, i, 16, "FXRSTOR");
	struct xs_image m;
	image_load(c, i, ea, &m, 0, 160 + 16 * xmm_count(c));
	bool sse = c->cr4 & CR4_OSFXSR;
	uint32_t mxcsr = (uint32_t)get(&m, 24, 4);
	if (sse)
		check_mxcsr(c, mxcsr, "FXRSTOR");
	load_x87(c, &m, i->opsize == 8);
	if (sse) {
		c->mxcsr = mxcsr;
		if (!fast_fxsr(c))
			load_xmm(c, &m);
	}
}

/* SDM Vol. 2B LDMXCSR: #UD with CR0.EM = 1, CR4.OSFXSR = 0 or no SSE;
 * #NM with CR0.TS = 1. */
static void check_sse(struct cpu *c, const char *what)
{
	if (!cpuid_has(c, FEAT_SSE))
		cpu_ud(c, "%s: %s = 0 in this CPU model", what,
		       model_feature_name(FEAT_SSE));
	if (c->cr0 & CR0_EM)
		cpu_ud(c, "%s with CR0.EM = 1", what);
	if (!(c->cr4 & CR4_OSFXSR))
		cpu_ud(c, "%s with CR4.OSFXSR = 0", what);
	if (c->cr0 & CR0_TS)
		cpu_raise(c, EXC_NM, "%s with CR0.TS = 1", what);
}

static void ldmxcsr(struct cpu *c, const struct insn *i)
{
	check_sse(c, "LDMXCSR");
	uint32_t v = mem_read32(c, i->seg, insn_ea(c, i));
	check_mxcsr(c, v, "LDMXCSR");
	c->mxcsr = v;
}

static void stmxcsr(struct cpu *c, const struct insn *i)
{
	check_sse(c, "STMXCSR");
	mem_write32(c, i->seg, insn_ea(c, i), c->mxcsr);
}

/* ---- the XSAVE feature set ---- */

static void check_xsave(struct cpu *c, const char *what)
{
	if (!cpuid_has(c, FEAT_XSAVE))
		cpu_ud(c, "%s: %s = 0 in this CPU model", what,
		       model_feature_name(FEAT_XSAVE));
	if (!(c->cr4 & CR4_OSXSAVE))
		cpu_ud(c, "%s with CR4.OSXSAVE = 0", what);
}

static void check_xsave_variant(struct cpu *c, enum model_feature f,
				const char *what)
{
	check_xsave(c, what);
	if (!cpuid_has(c, f))
		cpu_ud(c, "%s: %s = 0 in this CPU model", what,
		       model_feature_name(f));
}

static bool xmm_in_use(const struct cpu *c)
{
	for (unsigned r = 0; r < 16; r++)
		if (c->v[r].q[0] | c->v[r].q[1])
			return true;
	return false;
}

/* XINUSE (SDM Vol. 1 13.6); XINUSE[1] covers only the XMM registers. */
static uint64_t xinuse(const struct cpu *c)
{
	uint64_t u = 0;
	if (!x87_is_init_config(c))
		u |= XFEATURE_X87;
	if (xmm_in_use(c))
		u |= XFEATURE_SSE;
	return u;
}

static bool x87_same(const struct x87_state *a, const struct x87_state *b)
{
	if (a->fcw != b->fcw || a->fsw != b->fsw || a->ftw != b->ftw ||
	    a->fop != b->fop || a->fip != b->fip || a->fdp != b->fdp ||
	    a->fcs != b->fcs || a->fds != b->fds)
		return false;
	for (unsigned p = 0; p < 8; p++)
		if (a->r[p].signif != b->r[p].signif ||
		    a->r[p].sign_exp != b->r[p].sign_exp)
			return false;
	return true;
}

/* XMODIFIED, for the components the last XRSTOR(S) loaded. */
static uint64_t xmodified(const struct cpu *c)
{
	const struct xrstor_info *r = &c->xrstor_info;
	uint64_t mod = ~r->rfbm;
	if (!x87_same(&c->x87, &r->x87))
		mod |= XFEATURE_X87;
	for (unsigned k = 0; k < 16; k++)
		if (memcmp(c->v[k].b, r->xmm[k], 16))
			mod |= XFEATURE_SSE;
	return mod;
}

/* Whether XSAVEOPT (compact = false) or XSAVES may use the modified
 * optimization: XRSTOR_INFO must match this CPL, VMX non-root
 * operation, linear address and format (SDM Vol. 1 13.9, 13.11). */
static bool modified_opt(const struct cpu *c, uint64_t la, uint64_t format)
{
	const struct xrstor_info *r = &c->xrstor_info;
	return r->valid && r->cpl == c->cpl && !r->nonroot && r->la == la &&
	       r->xcomp_bv == format;
}

static uint64_t edx_eax(const struct cpu *c)
{
	return (c->gpr[REG_RDX] << 32) | (uint32_t)c->gpr[REG_RAX];
}

enum xsave_kind { XS_SAVE, XS_OPT, XS_C, XS_S };

static const char *const xsave_names[] = { "XSAVE", "XSAVEOPT", "XSAVEC",
					   "XSAVES" };

static void xsave_common(struct cpu *c, const struct insn *i,
			 enum xsave_kind kind)
{
	const char *what = xsave_names[kind];
	static const enum model_feature need[] = { FEAT_XSAVE, FEAT_XSAVEOPT,
						   FEAT_XSAVEC, FEAT_XSAVES };
	check_xsave_variant(c, need[kind], what);
	if (c->cr0 & CR0_TS)
		cpu_raise(c, EXC_NM, "%s with CR0.TS = 1", what);
	if (kind == XS_S && c->cpl != 0)
		cpu_gp0(c, "XSAVES at CPL %d: the instruction requires CPL 0",
			c->cpl);
	uint64_t ea = check_aligned(c, i, 64, what);
	uint64_t la = operand_linear(c, i, ea);
	bool compact = kind == XS_C || kind == XS_S;
	uint64_t rfbm = edx_eax(c) & (c->xcr0 | (kind == XS_S ? c->xss : 0));
	uint64_t inuse = xinuse(c);
	/* The compacted form's XRSTOR sets MXCSR to 1F80H when it finds
	 * XSTATE_BV[1] = 0, so SSE state counts as in use while MXCSR has
	 * another value (SDM Vol. 1 13.10). */
	if (compact && c->mxcsr != MXCSR_INIT)
		inuse |= XFEATURE_SSE;
	uint64_t save = rfbm;
	if (kind != XS_SAVE)
		save &= inuse;
	if ((kind == XS_OPT && modified_opt(c, la, 0)) ||
	    (kind == XS_S && modified_opt(c, la, XCOMP_COMPACT | rfbm)))
		save &= xmodified(c);

	struct xs_image m = { 0 };
	if (save & XFEATURE_X87)
		save_x87(c, &m, i->opsize == 8);
	if (save & XFEATURE_SSE)
		save_xmm(c, &m);
	if (compact ? (save & XFEATURE_SSE) : (rfbm & (XFEATURE_SSE | XFEATURE_AVX)))
		save_mxcsr(c, &m);
	if (compact) {
		put(&m, XSAVE_HDR, 8, rfbm & inuse);
		put(&m, XSAVE_HDR + 8, 8, XCOMP_COMPACT | rfbm);
	} else {
		uint64_t bv = mem_read64(c, i->seg, area_off(i, ea, XSAVE_HDR));
		put(&m, XSAVE_HDR, 8, (bv & ~rfbm) | (inuse & rfbm));
	}
	image_store(c, i, ea, &m);
}

static void xsave(struct cpu *c, const struct insn *i)
{
	xsave_common(c, i, XS_SAVE);
}

static void xsaveopt(struct cpu *c, const struct insn *i)
{
	xsave_common(c, i, XS_OPT);
}

static void xsavec(struct cpu *c, const struct insn *i)
{
	xsave_common(c, i, XS_C);
}

static void xsaves(struct cpu *c, const struct insn *i)
{
	xsave_common(c, i, XS_S);
}

/* The XSAVE header checks of XRSTOR and XRSTORS (SDM Vol. 1 13.8.1,
 * 13.8.2, 13.12): #GP(0) naming the rule. */
static void check_header(struct cpu *c, const struct xs_image *m,
			 bool xrstors, uint64_t allowed, const char *what)
{
	uint64_t bv = get(m, XSAVE_HDR, 8), comp = get(m, XSAVE_HDR + 8, 8);
	if (!(comp & XCOMP_COMPACT)) {
		if (xrstors)
			cpu_gp0(c, "XRSTORS: XCOMP_BV = 0x%llx: bit 63 (compacted format) must be 1",
				(unsigned long long)comp);
		if (bv & ~allowed)
			cpu_gp0(c, "%s: XSTATE_BV = 0x%llx sets bits 0x%llx that XCR0 = 0x%llx does not enable",
				what, (unsigned long long)bv,
				(unsigned long long)(bv & ~allowed),
				(unsigned long long)allowed);
		for (unsigned k = 8; k < 24; k++)
			if (m->b[XSAVE_HDR + k])
				cpu_gp0(c, "%s: byte %u of the XSAVE header is 0x%02x; bytes 23:8 must be 0 in the standard format",
					what, k, m->b[XSAVE_HDR + k]);
		return;
	}
	if (!cpuid_has(c, FEAT_XSAVEC))
		cpu_gp0(c, "%s: XCOMP_BV = 0x%llx selects the compacted format, which needs %s",
			what, (unsigned long long)comp,
			model_feature_name(FEAT_XSAVEC));
	if (comp & ~XCOMP_COMPACT & ~allowed)
		cpu_gp0(c, "%s: XCOMP_BV = 0x%llx sets bits 0x%llx beyond the enabled components 0x%llx",
			what, (unsigned long long)comp,
			(unsigned long long)(comp & ~XCOMP_COMPACT & ~allowed),
			(unsigned long long)allowed);
	if (bv & ~(comp & ~XCOMP_COMPACT))
		cpu_gp0(c, "%s: XSTATE_BV = 0x%llx sets bits 0x%llx that XCOMP_BV = 0x%llx does not",
			what, (unsigned long long)bv,
			(unsigned long long)(bv & ~(comp & ~XCOMP_COMPACT)),
			(unsigned long long)comp);
	for (unsigned k = 16; k < 64; k++)
		if (m->b[XSAVE_HDR + k])
			cpu_gp0(c, "%s: byte %u of the XSAVE header is 0x%02x; bytes 63:16 must be 0 in the compacted format",
				what, k, m->b[XSAVE_HDR + k]);
}

static void xrstor_common(struct cpu *c, const struct insn *i, bool xrstors)
{
	const char *what = xrstors ? "XRSTORS" : "XRSTOR";
	check_xsave_variant(c, xrstors ? FEAT_XSAVES : FEAT_XSAVE, what);
	if (c->cr0 & CR0_TS)
		cpu_raise(c, EXC_NM, "%s with CR0.TS = 1", what);
	if (xrstors && c->cpl != 0)
		cpu_gp0(c, "XRSTORS at CPL %d: the instruction requires CPL 0",
			c->cpl);
	uint64_t ea = check_aligned(c, i, 64, what);
	uint64_t allowed = c->xcr0 | (xrstors ? c->xss : 0);
	struct xs_image m;
	image_load(c, i, ea, &m, XSAVE_HDR, XSAVE_SIZE);
	check_header(c, &m, xrstors, allowed, what);
	uint64_t bv = get(&m, XSAVE_HDR, 8), comp = get(&m, XSAVE_HDR + 8, 8);
	bool compact = comp & XCOMP_COMPACT;
	uint64_t rfbm = edx_eax(c) & allowed;
	image_load(c, i, ea, &m, 0, 160 + 16 * xmm_count(c));

	/* MXCSR: the standard form loads it when RFBM[1] or RFBM[2] is
	 * set; the compacted form with SSE state, else sets 1F80H (SDM Vol.
	 * 1 13.8.1, 13.8.2). Checked before anything changes. */
	uint32_t mxcsr = c->mxcsr;
	if (compact) {
		if (rfbm & XFEATURE_SSE)
			mxcsr = (bv & XFEATURE_SSE) ? (uint32_t)get(&m, 24, 4)
						    : MXCSR_INIT;
	} else if (rfbm & (XFEATURE_SSE | XFEATURE_AVX)) {
		mxcsr = (uint32_t)get(&m, 24, 4);
	}
	check_mxcsr(c, mxcsr, what);

	if (rfbm & XFEATURE_X87) {
		if (bv & XFEATURE_X87)
			load_x87(c, &m, i->opsize == 8);
		else
			x87_init_config(c);
	}
	if (rfbm & XFEATURE_SSE) {
		if (bv & XFEATURE_SSE)
			load_xmm(c, &m);
		else
			init_xmm(c);
	}
	c->mxcsr = mxcsr;

	struct xrstor_info *r = &c->xrstor_info;
	r->valid = true;
	r->cpl = (uint8_t)c->cpl;
	r->nonroot = false;
	r->la = operand_linear(c, i, ea);
	r->xcomp_bv = compact ? comp : 0;
	r->rfbm = rfbm;
	r->x87 = c->x87;
	for (unsigned k = 0; k < 16; k++)
		memcpy(r->xmm[k], c->v[k].b, 16);
}

static void xrstor(struct cpu *c, const struct insn *i)
{
	xrstor_common(c, i, false);
}

static void xrstors(struct cpu *c, const struct insn *i)
{
	xrstor_common(c, i, true);
}

/* XGETBV: ECX = 0 reads XCR0; ECX = 1 reads XCR0 AND XINUSE where
 * CPUID.(EAX=0DH,ECX=1):EAX[2] says so (SDM Vol. 2C XGETBV). */
static void xgetbv(struct cpu *c, const struct insn *i)
{
	(void)i;
	check_xsave(c, "XGETBV");
	uint32_t n = (uint32_t)c->gpr[REG_RCX];
	uint64_t v;
	if (n == 0)
		v = c->xcr0;
	else if (n == 1 && cpuid_has(c, FEAT_XGETBV_ECX1))
		v = c->xcr0 & xinuse(c);
	else
		cpu_gp0(c, "XGETBV: ECX = 0x%x names no extended control register%s",
			n, n == 1 ? " in this CPU model" : "");
	reg_write(c, REG_RAX, 4, v);
	reg_write(c, REG_RDX, 4, v >> 32);
}

static uint64_t xcr0_supported(struct cpu *c)
{
	uint32_t r[4];
	cpuid_read(c, 0xd, 0, r);
	return ((uint64_t)r[CPUID_EDX] << 32 | r[CPUID_EAX]) & XCR0_IMPLEMENTED;
}

/* XSETBV (SDM Vol. 2C XSETBV, Vol. 1 13.3): CPL 0, XCR0 only, bit 0
 * set, only supported components, AVX only with SSE. */
static void xsetbv(struct cpu *c, const struct insn *i)
{
	(void)i;
	check_xsave(c, "XSETBV");
	if (c->cpl != 0)
		cpu_gp0(c, "XSETBV at CPL %d: the instruction requires CPL 0%s",
			c->cpl, (c->rflags & FLAG_VM) ? " (virtual-8086 mode)" : "");
	uint32_t n = (uint32_t)c->gpr[REG_RCX];
	if (n != 0)
		cpu_gp0(c, "XSETBV: ECX = 0x%x names no writable extended control register",
			n);
	uint64_t v = edx_eax(c);
	if (!(v & XFEATURE_X87))
		cpu_gp0(c, "XSETBV: XCR0 = 0x%llx: bit 0 (x87) must be 1",
			(unsigned long long)v);
	uint64_t ok = xcr0_supported(c);
	if (v & ~ok)
		cpu_gp0(c, "XSETBV: XCR0 = 0x%llx sets bits 0x%llx that CPUID.(EAX=0DH,ECX=0):EDX:EAX = 0x%llx does not support",
			(unsigned long long)v, (unsigned long long)(v & ~ok),
			(unsigned long long)ok);
	if ((v & XFEATURE_AVX) && !(v & XFEATURE_SSE))
		cpu_gp0(c, "XSETBV: XCR0 = 0x%llx: bit 2 (AVX) needs bit 1 (SSE)",
			(unsigned long long)v);
	c->xcr0 = v;
}

/* The memory forms take any operand size (REX.W selects the 64-bit
 * layout); the register forms of 0F AE and 0F C7 decode elsewhere. */
#define IMPL_MEM(id, fn)                                                   \
	const struct insn_impl impl_##id = { { { 0, fn }, { 0, fn },        \
		{ 0, fn }, { 0, fn } } };

IMPL_MEM(FXSAVE_M, fxsave)
IMPL_MEM(FXRSTOR_M, fxrstor)
IMPL_MEM(LDMXCSR_Md, ldmxcsr)
IMPL_MEM(STMXCSR_Md, stmxcsr)
IMPL_MEM(XSAVE_M, xsave)
IMPL_MEM(XRSTOR_M, xrstor)
IMPL_MEM(XSAVEOPT_M, xsaveopt)
IMPL_MEM(XSAVEC_M, xsavec)
IMPL_MEM(XSAVES_M, xsaves)
IMPL_MEM(XRSTORS_M, xrstors)
IMPL_ANY(XGETBV, xgetbv)
IMPL_ANY(XSETBV, xsetbv)
