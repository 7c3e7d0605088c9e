/* SSE floating-point arithmetic: ADD SUB MUL DIV MIN MAX SQRT in the
 * packed and scalar forms, the approximations RCP and RSQRT, the SSE3
 * horizontal and alternating add/subtract, the SSE4.1 dot products and
 * ROUND (SDM Vol. 2). The arithmetic itself is cpu/fp.h's; this file
 * picks elements, applies the exception rules of cpu/sse.h and writes the
 * destination only when no unmasked exception occurred. */
#include "cpu/sse.h"

enum fpop { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MIN, OP_MAX, OP_SQRT };

static inline __attribute__((always_inline)) uint32_t
f32_op(struct fp_env *e, enum fpop op, uint32_t a, uint32_t b)
{
	switch (op) {
	case OP_ADD: return fp_f32_add(e, a, b);
	case OP_SUB: return fp_f32_sub(e, a, b);
	case OP_MUL: return fp_f32_mul(e, a, b);
	case OP_DIV: return fp_f32_div(e, a, b);
	case OP_MIN: return fp_f32_min(e, a, b);
	case OP_MAX: return fp_f32_max(e, a, b);
	default: return fp_f32_sqrt(e, b);
	}
}

static inline __attribute__((always_inline)) uint64_t
f64_op(struct fp_env *e, enum fpop op, uint64_t a, uint64_t b)
{
	switch (op) {
	case OP_ADD: return fp_f64_add(e, a, b);
	case OP_SUB: return fp_f64_sub(e, a, b);
	case OP_MUL: return fp_f64_mul(e, a, b);
	case OP_DIV: return fp_f64_div(e, a, b);
	case OP_MIN: return fp_f64_min(e, a, b);
	case OP_MAX: return fp_f64_max(e, a, b);
	default: return fp_f64_sqrt(e, b);
	}
}

/* dest[k] = dest[k] op source[k] for the elements of esize bytes (4 or
 * 8) in n bytes: 16 for the packed forms (aligned m128), esize for the
 * scalar ones, which leave the rest of the destination as it is. SQRT
 * takes the source only. */
static inline __attribute__((always_inline)) void
fp_arith(struct cpu *c, const struct insn *i, bool mem, enum fpop op,
	 unsigned esize, unsigned n)
{
	union vreg t, r;
	struct sse_fp f;
	sse_enter(c, i);
	const union vreg *s = xmm_src(c, i, mem, &t, n, n == XMM_BYTES);
	const union vreg *d = &c->v[i->reg];
	sse_fp_begin(c, &f);
	for (unsigned k = 0; k < n / esize; k++) {
		if (esize == 4)
			r.d[k] = f32_op(&f.env, op, d->d[k], s->d[k]);
		else
			r.q[k] = f64_op(&f.env, op, d->q[k], s->q[k]);
		sse_fp_fold(&f);
	}
	sse_fp_end(c, i, &f);
	memcpy(c->v[i->reg].b, r.b, n);
}

#define FP_ARITH_FORMS(name, op)                                           \
	SSE_FORM(name##PS_VpsWps, fp_arith, op, 4, XMM_BYTES)              \
	SSE_FORM(name##PD_VpdWpd, fp_arith, op, 8, XMM_BYTES)              \
	SSE_FORM(name##SS_VssWss, fp_arith, op, 4, 4)                      \
	SSE_FORM(name##SD_VsdWsd, fp_arith, op, 8, 8)

FP_ARITH_FORMS(ADD, OP_ADD)
FP_ARITH_FORMS(SUB, OP_SUB)
FP_ARITH_FORMS(MUL, OP_MUL)
FP_ARITH_FORMS(DIV, OP_DIV)
FP_ARITH_FORMS(MIN, OP_MIN)
FP_ARITH_FORMS(MAX, OP_MAX)
FP_ARITH_FORMS(SQRT, OP_SQRT)

/* HADDPS/HSUBPS/HADDPD/HSUBPD: adjacent pairs of the destination, then
 * of the source. ADDSUBPS/PD: even elements subtract, odd ones add. */
enum hkind { HK_HADD, HK_HSUB, HK_ADDSUB };

static inline __attribute__((always_inline)) void
fp_horiz(struct cpu *c, const struct insn *i, bool mem, enum hkind kind,
	 unsigned esize)
{
	union vreg t, r;
	struct sse_fp f;
	sse_enter(c, i);
	const union vreg *s = xmm_src(c, i, mem, &t, XMM_BYTES, true);
	const union vreg *d = &c->v[i->reg];
	unsigned n = XMM_BYTES / esize, half = n / 2;
	sse_fp_begin(c, &f);
	for (unsigned k = 0; k < n; k++) {
		const union vreg *src = k < half ? d : s;
		unsigned j = k < half ? 2 * k : 2 * (k - half);
		enum fpop op = kind == HK_HSUB ? OP_SUB : OP_ADD;
		if (kind == HK_ADDSUB)
			op = k & 1 ? OP_ADD : OP_SUB;
		if (esize == 4) {
			uint32_t a = kind == HK_ADDSUB ? d->d[k] : src->d[j];
			uint32_t b = kind == HK_ADDSUB ? s->d[k] : src->d[j + 1];
			r.d[k] = f32_op(&f.env, op, a, b);
		} else {
			uint64_t a = kind == HK_ADDSUB ? d->q[k] : src->q[j];
			uint64_t b = kind == HK_ADDSUB ? s->q[k] : src->q[j + 1];
			r.q[k] = f64_op(&f.env, op, a, b);
		}
		sse_fp_fold(&f);
	}
	sse_fp_end(c, i, &f);
	memcpy(c->v[i->reg].b, r.b, XMM_BYTES);
}

SSE_FORM(HADDPS_VpsWps, fp_horiz, HK_HADD, 4)
SSE_FORM(HADDPD_VpdWpd, fp_horiz, HK_HADD, 8)
SSE_FORM(HSUBPS_VpsWps, fp_horiz, HK_HSUB, 4)
SSE_FORM(HSUBPD_VpdWpd, fp_horiz, HK_HSUB, 8)
SSE_FORM(ADDSUBPS_VpsWps, fp_horiz, HK_ADDSUB, 4)
SSE_FORM(ADDSUBPD_VpdWpd, fp_horiz, HK_ADDSUB, 8)

/* DPPS / DPPD: the products selected by imm8 bits 7:4 (+0.0 for the
 * others), summed pairwise as the SDM's DP_primitive does, and the sum
 * broadcast to the elements selected by imm8 bits 3:0 (+0.0 elsewhere).
 * The multiplications are one SIMD step and the additions the next: an
 * unmasked exception in the products ends the instruction before the
 * additions are examined. */
static inline __attribute__((always_inline)) void
fp_dp(struct cpu *c, const struct insn *i, bool mem, unsigned esize)
{
	union vreg t, p, r;
	struct sse_fp f;
	sse_enter(c, i);
	const union vreg *s = xmm_src(c, i, mem, &t, XMM_BYTES, true);
	const union vreg *d = &c->v[i->reg];
	unsigned imm = (unsigned)i->imm, n = XMM_BYTES / esize;
	sse_fp_begin(c, &f);
	for (unsigned k = 0; k < n; k++) {
		bool on = (imm >> (4 + k)) & 1;
		if (esize == 4)
			p.d[k] = on ? fp_f32_mul(&f.env, d->d[k], s->d[k]) : 0;
		else
			p.q[k] = on ? fp_f64_mul(&f.env, d->q[k], s->q[k]) : 0;
		sse_fp_fold(&f);
	}
	sse_fp_end(c, i, &f);
	sse_fp_begin(c, &f);
	uint64_t sum;
	if (esize == 4) {
		uint32_t a = fp_f32_add(&f.env, p.d[0], p.d[1]);
		uint32_t b = fp_f32_add(&f.env, p.d[2], p.d[3]);
		sum = fp_f32_add(&f.env, a, b);
	} else {
		sum = fp_f64_add(&f.env, p.q[0], p.q[1]);
	}
	sse_fp_fold(&f);
	sse_fp_end(c, i, &f);
	for (unsigned k = 0; k < n; k++) {
		bool on = (imm >> k) & 1;
		if (esize == 4)
			r.d[k] = on ? (uint32_t)sum : 0;
		else
			r.q[k] = on ? sum : 0;
	}
	memcpy(c->v[i->reg].b, r.b, XMM_BYTES);
}

SSE_FORM(DPPS_VpsWpsIb, fp_dp, 4)
SSE_FORM(DPPD_VpdWpdIb, fp_dp, 8)

/* ROUNDPS/PD/SS/SD: imm8 bits 1:0 give the rounding unless bit 2 says
 * MXCSR.RC; bit 3 suppresses the precision exception. */
static inline __attribute__((always_inline)) void
fp_round(struct cpu *c, const struct insn *i, bool mem, unsigned esize,
	 unsigned n)
{
	union vreg t, r;
	struct sse_fp f;
	sse_enter(c, i);
	const union vreg *s = xmm_src(c, i, mem, &t, n, n == XMM_BYTES);
	unsigned imm = (unsigned)i->imm;
	sse_fp_begin(c, &f);
	unsigned rc = imm & 4 ? f.env.rc : imm & 3;
	bool no_pe = imm & 8;
	for (unsigned k = 0; k < n / esize; k++) {
		if (esize == 4)
			r.d[k] = fp_f32_round_int(&f.env, s->d[k], rc, no_pe);
		else
			r.q[k] = fp_f64_round_int(&f.env, s->q[k], rc, no_pe);
		sse_fp_fold(&f);
	}
	sse_fp_end(c, i, &f);
	memcpy(c->v[i->reg].b, r.b, n);
}

SSE_FORM(ROUNDPS_VpsWpsIb, fp_round, 4, XMM_BYTES)
SSE_FORM(ROUNDPD_VpdWpdIb, fp_round, 8, XMM_BYTES)
SSE_FORM(ROUNDSS_VssWssIb, fp_round, 4, 4)
SSE_FORM(ROUNDSD_VsdWsdIb, fp_round, 8, 8)

/* RCPPS/RCPSS and RSQRTPS/RSQRTSS: approximations with a relative error
 * of at most 1.5 * 2^-12 (SDM Vol. 2B RCPPS). The exact quotient (root)
 * is computed in double precision and its significand cut to 12 bits,
 * which meets the bound; other processors round differently inside it.
 * Special cases as the SDM gives them: a denormal or zero source gives an
 * infinity of its sign, an infinity gives a zero, a NaN is quieted, a
 * negative nonzero RSQRT source gives the default NaN; a result too
 * small to be normal is flushed to zero. No exceptions, MXCSR untouched. */
static uint32_t approx(uint32_t a, bool rsqrt)
{
	uint32_t sign = a & 0x80000000u, exp = (a >> 23) & 0xff;
	if (exp == 0xff && (a & 0x7fffff))
		return a | 0x400000u;
	if (exp == 0)
		return sign | 0x7f800000u;
	if (rsqrt && sign)
		return FP_F32_DEFAULT_NAN;
	if (exp == 0xff)
		return sign;
	struct fp_env e = fp_env_from_mxcsr(0x1f80);
	uint64_t x = fp_f32_to_f64(&e, a);
	if (rsqrt)
		x = fp_f64_sqrt(&e, x);
	uint64_t q = fp_f64_div(&e, 0x3ff0000000000000ull, x);
	q &= ~((1ull << (52 - 12)) - 1);
	uint32_t r = fp_f64_to_f32(&e, q);
	if (((r >> 23) & 0xff) == 0)
		r &= 0x80000000u;
	return r;
}

static inline __attribute__((always_inline)) void
fp_approx(struct cpu *c, const struct insn *i, bool mem, bool rsqrt,
	  unsigned n)
{
	union vreg t;
	sse_enter(c, i);
	const union vreg *s = xmm_src(c, i, mem, &t, n, n == XMM_BYTES);
	uint32_t r[4];
	for (unsigned k = 0; k < n / 4; k++)
		r[k] = approx(s->d[k], rsqrt);
	memcpy(c->v[i->reg].b, r, n);
}

SSE_FORM(RCPPS_VpsWps, fp_approx, false, XMM_BYTES)
SSE_FORM(RCPSS_VssWss, fp_approx, false, 4)
SSE_FORM(RSQRTPS_VpsWps, fp_approx, true, XMM_BYTES)
SSE_FORM(RSQRTSS_VssWss, fp_approx, true, 4)
