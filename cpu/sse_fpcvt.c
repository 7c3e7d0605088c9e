/* SSE floating-point compares and conversions: CMPPS/PD/SS/SD,
 * COMISS/SD and UCOMISS/SD, and every CVT form between single, double,
 * 32/64-bit integers and MMX registers (SDM Vol. 2A). Exception rules as
 * in cpu/sse_fparith.c. */
#include "cpu/sse.h"

/* CMPPS/PD/SS/SD: imm8 bits 2:0 are the predicate (the legacy forms
 * have eight); each element becomes all ones or all zeros. */
static inline __attribute__((always_inline)) void
fp_cmp(struct cpu *c, const struct insn *i, bool mem, unsigned esize,
       unsigned n)
{
	union vreg t, r;
	struct sse_fp f;
	sse_enter(c, i);
	const union vreg *s = xmm_src(c, i, mem, &t, n, n == XMM_BYTES);
	const union vreg *d = &c->v[i->reg];
	unsigned pred = (unsigned)i->imm & 7;
	sse_fp_begin(c, &f);
	for (unsigned k = 0; k < n / esize; k++) {
		if (esize == 4)
			r.d[k] = fp_f32_cmp_pred(&f.env, d->d[k], s->d[k], pred) ?
				 ~0u : 0;
		else
			r.q[k] = fp_f64_cmp_pred(&f.env, d->q[k], s->q[k], pred) ?
				 ~0ull : 0;
		sse_fp_fold(&f);
	}
	sse_fp_end(c, i, &f);
	memcpy(c->v[i->reg].b, r.b, n);
}

SSE_FORM(CMPPS_VpsWpsIb, fp_cmp, 4, XMM_BYTES)
SSE_FORM(CMPPD_VpdWpdIb, fp_cmp, 8, XMM_BYTES)
SSE_FORM(CMPSS_VssWssIb, fp_cmp, 4, 4)
SSE_FORM(CMPSD_VsdWsdIb, fp_cmp, 8, 8)

/* COMISS/COMISD (signalling: IE for any NaN) and UCOMISS/UCOMISD (IE
 * for a SNaN): ZF PF CF = 111 unordered, 000 greater, 001 less, 100
 * equal; OF SF AF cleared. RFLAGS is unchanged when the exception is
 * unmasked. */
static inline __attribute__((always_inline)) void
fp_comi(struct cpu *c, const struct insn *i, bool mem, unsigned esize,
	bool signalling)
{
	union vreg t;
	struct sse_fp f;
	sse_enter(c, i);
	const union vreg *s = xmm_src(c, i, mem, &t, esize, false);
	const union vreg *d = &c->v[i->reg];
	sse_fp_begin(c, &f);
	enum fp_rel rel = esize == 4 ?
		fp_f32_compare(&f.env, d->d[0], s->d[0], signalling) :
		fp_f64_compare(&f.env, d->q[0], s->q[0], signalling);
	sse_fp_fold(&f);
	sse_fp_end(c, i, &f);
	static const uint64_t flags[4] = {
		[FP_REL_LT] = FLAG_CF, [FP_REL_EQ] = FLAG_ZF, [FP_REL_GT] = 0,
		[FP_REL_UN] = FLAG_ZF | FLAG_PF | FLAG_CF,
	};
	flags_set_arith(c, flags[rel]);
}

SSE_FORM(COMISS_VssWss, fp_comi, 4, true)
SSE_FORM(COMISD_VsdWsd, fp_comi, 8, true)
SSE_FORM(UCOMISS_VssWss, fp_comi, 4, false)
SSE_FORM(UCOMISD_VsdWsd, fp_comi, 8, false)

/* Element conversions, by kind. */
enum cvt {
	CV_S2D,     /* f32 -> f64 */
	CV_D2S,     /* f64 -> f32 */
	CV_I2S,     /* int32 -> f32 */
	CV_I2D,     /* int32 -> f64 */
	CV_S2I,     /* f32 -> int32, MXCSR.RC */
	CV_S2I_T,   /* f32 -> int32, truncating */
	CV_D2I,     /* f64 -> int32 */
	CV_D2I_T,
};

static inline __attribute__((always_inline)) uint64_t
cvt_elem(struct fp_env *e, enum cvt k, uint64_t v)
{
	switch (k) {
	case CV_S2D: return fp_f32_to_f64(e, (uint32_t)v);
	case CV_D2S: return fp_f64_to_f32(e, v);
	case CV_I2S: return fp_int_to_f32(e, (int32_t)v);
	case CV_I2D: return fp_int_to_f64(e, (int32_t)v);
	case CV_S2I: return fp_f32_to_int(e, (uint32_t)v, 32, false);
	case CV_S2I_T: return fp_f32_to_int(e, (uint32_t)v, 32, true);
	case CV_D2I: return fp_f64_to_int(e, v, 32, false);
	default: return fp_f64_to_int(e, v, 32, true);
	}
}

/* The source element size of a conversion and its result's. */
static inline unsigned cvt_from(enum cvt k)
{
	return k == CV_S2D || k == CV_S2I || k == CV_S2I_T || k == CV_I2S ||
	       k == CV_I2D ? 4 : 8;
}

static inline unsigned cvt_to(enum cvt k)
{
	return k == CV_S2D || k == CV_I2D ? 8 : 4;
}

/* Packed XMM conversions of `count` elements. The source is count *
 * from bytes (a 16-byte memory source is aligned); the result fills the
 * low count * to bytes and zeroes the rest of the low 128 bits. */
static inline __attribute__((always_inline)) void
cvt_packed(struct cpu *c, const struct insn *i, bool mem, enum cvt k,
	   unsigned count)
{
	union vreg t, r = { .q = { 0, 0 } };
	struct sse_fp f;
	sse_enter(c, i);
	unsigned from = cvt_from(k), to = cvt_to(k), n = count * from;
	const union vreg *s = xmm_src(c, i, mem, &t, n, n == XMM_BYTES);
	sse_fp_begin(c, &f);
	for (unsigned e = 0; e < count; e++) {
		uint64_t v = 0;
		memcpy(&v, s->b + e * from, from);
		v = cvt_elem(&f.env, k, v);
		memcpy(r.b + e * to, &v, to);
		sse_fp_fold(&f);
	}
	sse_fp_end(c, i, &f);
	c->v[i->reg].q[0] = r.q[0];
	c->v[i->reg].q[1] = r.q[1];
}

SSE_FORM(CVTPS2PD_VpdWps, cvt_packed, CV_S2D, 2)
SSE_FORM(CVTPD2PS_VpsWpd, cvt_packed, CV_D2S, 2)
SSE_FORM(CVTDQ2PS_VpsWdq, cvt_packed, CV_I2S, 4)
SSE_FORM(CVTDQ2PD_VpdWq, cvt_packed, CV_I2D, 2)
SSE_FORM(CVTPS2DQ_VdqWps, cvt_packed, CV_S2I, 4)
SSE_FORM(CVTTPS2DQ_VdqWps, cvt_packed, CV_S2I_T, 4)
SSE_FORM(CVTPD2DQ_VdqWpd, cvt_packed, CV_D2I, 2)
SSE_FORM(CVTTPD2DQ_VdqWpd, cvt_packed, CV_D2I_T, 2)

/* CVTSS2SD / CVTSD2SS: the low element; the rest of the destination
 * stays. */
static inline __attribute__((always_inline)) void
cvt_scalar(struct cpu *c, const struct insn *i, bool mem, enum cvt k)
{
	union vreg t;
	struct sse_fp f;
	sse_enter(c, i);
	unsigned from = cvt_from(k), to = cvt_to(k);
	const union vreg *s = xmm_src(c, i, mem, &t, from, false);
	uint64_t v = 0;
	memcpy(&v, s->b, from);
	sse_fp_begin(c, &f);
	v = cvt_elem(&f.env, k, v);
	sse_fp_fold(&f);
	sse_fp_end(c, i, &f);
	memcpy(c->v[i->reg].b, &v, to);
}

SSE_FORM(CVTSS2SD_VsdWss, cvt_scalar, CV_S2D)
SSE_FORM(CVTSD2SS_VssWsd, cvt_scalar, CV_D2S)

/* CVTSI2SS / CVTSI2SD xmm, r/m32 or r/m64 (REX.W). */
static inline __attribute__((always_inline)) void
cvt_si2f(struct cpu *c, const struct insn *i, bool mem, unsigned size,
	 unsigned esize)
{
	struct sse_fp f;
	sse_enter(c, i);
	uint64_t v = mem ? memf_read(c, i->seg, insn_ea(c, i), size) :
			   c->gpr[i->rm];
	int64_t x = size == 4 ? (int32_t)v : (int64_t)v;
	sse_fp_begin(c, &f);
	uint64_t r = esize == 4 ? fp_int_to_f32(&f.env, x) :
				  fp_int_to_f64(&f.env, x);
	sse_fp_fold(&f);
	sse_fp_end(c, i, &f);
	memcpy(c->v[i->reg].b, &r, esize);
}

static inline __attribute__((always_inline)) void
cvt_si2ss(struct cpu *c, const struct insn *i, bool mem, unsigned size)
{
	cvt_si2f(c, i, mem, size, 4);
}

static inline __attribute__((always_inline)) void
cvt_si2sd(struct cpu *c, const struct insn *i, bool mem, unsigned size)
{
	cvt_si2f(c, i, mem, size, 8);
}

SSE_FORM_Y(CVTSI2SS_VssEy, cvt_si2ss)
SSE_FORM_Y(CVTSI2SD_VsdEy, cvt_si2sd)

/* CVTSS2SI / CVTTSS2SI / CVTSD2SI / CVTTSD2SI r32 or r64, xmm/m. */
static inline __attribute__((always_inline)) void
cvt_f2si(struct cpu *c, const struct insn *i, bool mem, unsigned size,
	 unsigned esize, bool trunc)
{
	union vreg t;
	struct sse_fp f;
	sse_enter(c, i);
	const union vreg *s = xmm_src(c, i, mem, &t, esize, false);
	sse_fp_begin(c, &f);
	uint64_t r = esize == 4 ?
		fp_f32_to_int(&f.env, s->d[0], size * 8, trunc) :
		fp_f64_to_int(&f.env, s->q[0], size * 8, trunc);
	sse_fp_fold(&f);
	sse_fp_end(c, i, &f);
	c->gpr[i->reg] = r;
}

#define CVT_F2SI(fn, esize, trunc)                                         \
	static inline __attribute__((always_inline)) void                 \
	fn(struct cpu *c, const struct insn *i, bool mem, unsigned size)   \
	{                                                                  \
		cvt_f2si(c, i, mem, size, esize, trunc);                   \
	}
CVT_F2SI(cvt_ss2si, 4, false)
CVT_F2SI(cvt_tss2si, 4, true)
CVT_F2SI(cvt_sd2si, 8, false)
CVT_F2SI(cvt_tsd2si, 8, true)

SSE_FORM_Y(CVTSS2SI_GyWss, cvt_ss2si)
SSE_FORM_Y(CVTTSS2SI_GyWss, cvt_tss2si)
SSE_FORM_Y(CVTSD2SI_GyWsd, cvt_sd2si)
SSE_FORM_Y(CVTTSD2SI_GyWsd, cvt_tsd2si)

/* Conversions with an MMX register: the SSE and the MMX rules apply,
 * and the instruction makes the x87-to-MMX transition. CVTPI2PS and
 * CVTPI2PD read mm/m64; CVTPI2PS keeps the destination's high quadword.
 * CVT(T)PS2PI read xmm/m64, CVT(T)PD2PI xmm/m128 (aligned). */
static inline __attribute__((always_inline)) void
cvt_pi2p(struct cpu *c, const struct insn *i, bool mem, enum cvt k)
{
	struct sse_fp f;
	/* A memory source involves no MMX state: no #MF either. */
	if (mem)
		sse_enter(c, i);
	else
		sse_mmx_enter(c, i);
	uint64_t src = mmx_src(c, i, mem);
	unsigned to = cvt_to(k);
	union vreg r;
	sse_fp_begin(c, &f);
	for (unsigned e = 0; e < 2; e++) {
		uint64_t v = cvt_elem(&f.env, k, (uint32_t)(src >> (32 * e)));
		memcpy(r.b + e * to, &v, to);
		sse_fp_fold(&f);
	}
	/* Only an MMX register source makes the transition (SDM Vol. 2A
	 * CVTPI2PS, CVTPI2PD: "for operands of the form xmm, m64" it does
	 * not), before a #XM as the host CPU makes it. */
	if (!mem)
		mmx_commit(c);
	sse_fp_end(c, i, &f);
	memcpy(c->v[i->reg].b, r.b, 2 * to);
}

SSE_FORM(CVTPI2PS_VpsQpi, cvt_pi2p, CV_I2S)
SSE_FORM(CVTPI2PD_VpdQpi, cvt_pi2p, CV_I2D)

static inline __attribute__((always_inline)) void
cvt_p2pi(struct cpu *c, const struct insn *i, bool mem, enum cvt k)
{
	union vreg t;
	struct sse_fp f;
	sse_mmx_enter(c, i);
	unsigned from = cvt_from(k);
	const union vreg *s = xmm_src(c, i, mem, &t, 2 * from, from == 8);
	uint64_t r = 0;
	sse_fp_begin(c, &f);
	for (unsigned e = 0; e < 2; e++) {
		uint64_t v = 0;
		memcpy(&v, s->b + e * from, from);
		r |= (cvt_elem(&f.env, k, v) & 0xffffffffu) << (32 * e);
		sse_fp_fold(&f);
	}
	/* The transition happens even when the conversion then raises #XM
	 * (as the host CPU of tests/diff/sse_diff.c does). */
	mmx_commit(c);
	sse_fp_end(c, i, &f);
	mmx_put(c, i->reg, r);
}

SSE_FORM(CVTPS2PI_PpiWps, cvt_p2pi, CV_S2I)
SSE_FORM(CVTTPS2PI_PpiWps, cvt_p2pi, CV_S2I_T)
SSE_FORM(CVTPD2PI_PpiWpd, cvt_p2pi, CV_D2I)
SSE_FORM(CVTTPD2PI_PpiWpd, cvt_p2pi, CV_D2I_T)
