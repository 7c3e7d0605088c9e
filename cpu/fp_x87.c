/* Round to integer (FRNDINT, ROUNDSS/ROUNDSD), the x87's partial
 * remainders, FSCALE, FXTRACT, FABS, FCHS, FXAM and the constants
 * (SDM Vol. 1 8.3; Vol. 2 instruction pages). */
#include "cpu/fp.h"
#include "cpu/fp_internal.h"

/* ---- Round to integer ---- */

/* The integral value of a finite nonzero n rounded with rc, as an
 * unpacked number (zero keeps n's sign). Values with exp >= intbits - 1
 * are already integers. */
static struct fp_num round_num(const struct fp_num *n, unsigned rc,
			       bool *inexact, bool *up)
{
	struct fp_num r = *n;
	uint64_t mag;
	*inexact = *up = false;
	if (n->exp >= 63)
		return r;
	fp_round_to_integer(rc, n->sign, n->exp, n->sig, &mag, inexact, up);
	if (mag == 0)
		return fp_special(n->sign, FP_CLASS_ZERO);
	int z = fp_clz64(mag);
	r.cls = FP_CLASS_NORMAL;
	r.sig = mag << z;
	r.exp = 63 - z;
	return r;
}

uint32_t fp_f32_round_int(struct fp_env *env, uint32_t a, unsigned rc,
			  bool no_pe)
{
	struct fp_num n = fp_unpack32(a, env->daz);
	if (fp_is_nan(&n)) {
		struct fp_num q = fp_nan_sse(env, &n, NULL);
		return fp_pack32(&q);
	}
	if (!fp_is_finite_nz(&n))
		return fp_pack32(&n);
	bool inexact, up;
	struct fp_num r = round_num(&n, rc & 3, &inexact, &up);
	if (inexact && !no_pe)
		env->flags |= FP_X_PE;
	return fp_pack32(&r);
}

uint64_t fp_f64_round_int(struct fp_env *env, uint64_t a, unsigned rc,
			  bool no_pe)
{
	struct fp_num n = fp_unpack64(a, env->daz);
	if (fp_is_nan(&n)) {
		struct fp_num q = fp_nan_sse(env, &n, NULL);
		return fp_pack64(&q);
	}
	if (!fp_is_finite_nz(&n))
		return fp_pack64(&n);
	bool inexact, up;
	struct fp_num r = round_num(&n, rc & 3, &inexact, &up);
	if (inexact && !no_pe)
		env->flags |= FP_X_PE;
	return fp_pack64(&r);
}

/* Common x87 operand screening: unsupported encodings are invalid, NaNs
 * propagate; true when *r is the result. */
static bool x87_nan(struct fp_env *env, const struct fp_num *a,
		    const struct fp_num *b, struct fp_num *r)
{
	if (a->cls == FP_CLASS_UNSUPPORTED
	    || (b && b->cls == FP_CLASS_UNSUPPORTED)) {
		env->flags |= FP_X_IE;
		*r = fp_default_nan();
		return true;
	}
	if (fp_is_nan(a) || (b && fp_is_nan(b))) {
		*r = fp_nan_x87(env, a, b);
		return true;
	}
	return false;
}

static bool x87_denormal(struct fp_env *env, const struct fp_num *a,
			 const struct fp_num *b)
{
	if (a->cls == FP_CLASS_DENORMAL || (b && b->cls == FP_CLASS_DENORMAL))
		return fp_raise_pre(env, FP_X_DE);
	return false;
}

struct f80 fp_f80_round_int(struct fp_env *env, struct f80 a)
{
	struct fp_num n = fp_unpack80(a), r;
	if (x87_nan(env, &n, NULL, &r))
		return fp_pack80(&r);
	if (!fp_is_finite_nz(&n))
		return a;
	if (x87_denormal(env, &n, NULL))
		return a;
	bool inexact, up;
	r = round_num(&n, env->rc, &inexact, &up);
	if (inexact) {
		env->flags |= FP_X_PE;
		env->c1 |= up;
	}
	return fp_pack80(&r);
}

/* ---- FPREM, FPREM1 ---- */

/* When the exponents differ by 64 or more, one instruction reduces the
 * exponent difference by D - N, N "an implementation-dependent number
 * between 32 and 63" (SDM Vol. 2 FPREM): this choice of N reproduces the
 * host's partial remainders. */
static int32_t prem_n(int32_t d)
{
	return 32 + (int32_t)((uint32_t)(d - 64) % 32);
}

struct f80 fp_f80_prem(struct fp_env *env, struct f80 a, struct f80 b,
		       bool ieee, uint16_t *cc)
{
	struct fp_num x = fp_unpack80(a), y = fp_unpack80(b), r;
	*cc = 0;
	if (x87_nan(env, &x, &y, &r))
		return fp_pack80(&r);
	if (x.cls == FP_CLASS_INF || y.cls == FP_CLASS_ZERO) {
		env->flags |= FP_X_IE;
		return fp_f80_default_nan();
	}
	if (x87_denormal(env, &x, &y))
		return a;
	if (x.cls == FP_CLASS_ZERO)
		return a;
	if (y.cls == FP_CLASS_INF) /* a itself, through the underflow rules */
		return fp_round80(env, 64, x.sign, x.exp, x.sig, 0);

	int32_t d = x.exp - y.exp;
	uint64_t q;
	uint64_t rem;
	int32_t rexp;
	bool rsign = x.sign;
	if (d >= 64) {
		/* Partial: QQ = trunc(x / y / 2^(d - n)); the remainder
		 * x - y * QQ * 2^(d - n) = (A * 2^n mod B) * 2^(ex - 63 - n). */
		int32_t n = prem_n(d);
		fp_u128 num = (fp_u128)x.sig << n;
		q = (uint64_t)(num / y.sig);
		rem = (uint64_t)(num % y.sig);
		rexp = x.exp - n;
		*cc = FP_C2;
	} else if (d >= 0) {
		fp_u128 num = (fp_u128)x.sig << d;
		q = (uint64_t)(num / y.sig);
		rem = (uint64_t)(num % y.sig);
		rexp = y.exp;
	} else {
		q = 0;
		rem = x.sig;
		rexp = x.exp;
	}
	if (ieee && !(*cc & FP_C2)) {
		/* FPREM1: round the quotient to nearest even; the remainder
		 * then changes sign. rem is in units of 2^(rexp - 63); with
		 * d < 0 compare against y at its own scale. */
		bool more;
		if (d >= 0) {
			fp_u128 twice = (fp_u128)rem << 1;
			more = twice > y.sig || (twice == y.sig && (q & 1));
			if (more) {
				rem = y.sig - rem;
				rsign = !rsign;
				q++;
			}
		} else if (d == -1 && x.sig > y.sig) {
			/* |x| > |y| / 2: q = 1, |r| = |y| - |x|. */
			fp_u128 diff = ((fp_u128)y.sig << 1) - x.sig;
			q = 1;
			rsign = !rsign;
			rem = (uint64_t)diff;
			rexp = x.exp;
			if (diff >> 64) {
				rem = (uint64_t)(diff >> 1);
				rexp++;
			}
		}
	}
	if (!(*cc & FP_C2))
		*cc = (uint16_t)(((q >> 2) & 1 ? FP_C0 : 0)
				 | ((q >> 1) & 1 ? FP_C3 : 0)
				 | ((q & 1) ? FP_C1 : 0));
	if (rem == 0)
		return fp_f80_make(x.sign, 0, 0);
	int z = fp_clz64(rem);
	return fp_round80(env, 64, rsign, rexp - z, rem << z, 0);
}

/* ---- FSCALE, FXTRACT ---- */

struct f80 fp_f80_scale(struct fp_env *env, struct f80 a, struct f80 b)
{
	struct fp_num x = fp_unpack80(a), y = fp_unpack80(b), r;
	if (x87_nan(env, &x, &y, &r))
		return fp_pack80(&r);
	if (y.cls == FP_CLASS_INF) {
		/* SDM Vol. 2 FSCALE, table 3-40. */
		if (y.sign ? x.cls == FP_CLASS_INF : x.cls == FP_CLASS_ZERO) {
			env->flags |= FP_X_IE;
			return fp_f80_default_nan();
		}
		if (x87_denormal(env, &x, NULL))
			return a;
		if (x.cls == FP_CLASS_ZERO || x.cls == FP_CLASS_INF)
			return a;
		return fp_pack80(&(struct fp_num){
			FP_SIG_INT, 0, x.sign,
			y.sign ? FP_CLASS_ZERO : FP_CLASS_INF });
	}
	if (x87_denormal(env, &x, &y))
		return a;
	if (!fp_is_finite_nz(&x))
		return a;
	/* trunc(b), clamped far outside the exponent range. */
	int64_t s = 0;
	if (y.cls != FP_CLASS_ZERO && y.exp >= 0) {
		s = y.exp >= 20 ? 1 << 20 : (int64_t)(y.sig >> (63 - y.exp));
		if (y.sign)
			s = -s;
	}
	return fp_round80(env, 64, x.sign, x.exp + (int32_t)s, x.sig, 0);
}

struct f80 fp_f80_xtract(struct fp_env *env, struct f80 a,
			 struct f80 *signif)
{
	struct fp_num x = fp_unpack80(a), r;
	if (x87_nan(env, &x, NULL, &r)) {
		*signif = fp_pack80(&r);
		return *signif;
	}
	if (x.cls == FP_CLASS_ZERO) {
		/* SDM Vol. 2 FXTRACT: divide-by-zero, exponent -infinity. */
		fp_raise_pre(env, FP_X_ZE);
		*signif = a;
		return fp_f80_make(true, 0x7fff, FP_SIG_INT);
	}
	if (x.cls == FP_CLASS_INF) {
		*signif = a;
		return fp_f80_make(false, 0x7fff, FP_SIG_INT);
	}
	if (x87_denormal(env, &x, NULL)) {
		*signif = a;
		return a;
	}
	*signif = fp_f80_make(x.sign, 16383, x.sig);
	return fp_int_to_f80(x.exp);
}

/* ---- Sign operations, FXAM ---- */

struct f80 fp_f80_abs(struct f80 a)
{
	a.sign_exp &= 0x7fff;
	return a;
}

struct f80 fp_f80_chs(struct f80 a)
{
	a.sign_exp ^= 0x8000;
	return a;
}

/* SDM Vol. 2 FXAM: C3 C2 C0 by class, C1 the sign. A pseudo-denormal is a
 * denormal; unnormals, pseudo-NaNs and pseudo-infinities are unsupported. */
uint16_t fp_f80_xam(struct f80 a, bool empty)
{
	uint16_t c1 = (a.sign_exp & 0x8000) ? FP_C1 : 0;
	if (empty)
		return FP_C3 | FP_C0 | c1;
	switch (fp_f80_class(a)) {
	case FP_CLASS_UNSUPPORTED:
		return c1;
	case FP_CLASS_QNAN:
	case FP_CLASS_SNAN:
		return FP_C0 | c1;
	case FP_CLASS_NORMAL:
		return FP_C2 | c1;
	case FP_CLASS_INF:
		return FP_C2 | FP_C0 | c1;
	case FP_CLASS_ZERO:
		return FP_C3 | c1;
	default:
		return FP_C3 | FP_C2 | c1;
	}
}

/* ---- Constants ---- */

/* 128-bit significands (integer bit at 127) and exponents. */
static const struct {
	uint64_t hi, lo;
	int32_t exp;
} consts[] = {
	[FP_CONST_L2T] = { 0xd49a784bcd1b8afeull, 0x492bf6ff4dafdb4cull, 1 },
	[FP_CONST_L2E] = { 0xb8aa3b295c17f0bbull, 0xbe87fed0691d3e88ull, 0 },
	[FP_CONST_PI] = { 0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull, 1 },
	[FP_CONST_LG2] = { 0x9a209a84fbcff798ull, 0x8f8959ac0b7c9178ull, -2 },
	[FP_CONST_LN2] = { 0xb17217f7d1cf79abull, 0xc9e3b39803f2f6afull, -1 },
};

struct f80 fp_f80_const(struct fp_env *env, enum fp_const k)
{
	/* Rounded with RC but reporting nothing (SDM Vol. 2 FLD1/FLDPI). */
	struct fp_env e = { .rc = env->rc, .masks = FP_X_ALL };
	return fp_round80(&e, 64, false, consts[k].exp, consts[k].hi,
			  consts[k].lo);
}
