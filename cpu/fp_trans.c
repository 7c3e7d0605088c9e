/* The x87 transcendental instructions: F2XM1, FYL2X, FYL2XP1, FSIN, FCOS,
 * FSINCOS, FPTAN and FPATAN. Each is evaluated in 128-bit wide floats
 * (cpu/fp_wide.c) and rounded once to 64 bits with the rounding control,
 * so results are correctly rounded except in rare cases where the exact
 * value lies within about 2^-120 of a rounding boundary.
 *
 * The trigonometric instructions reduce their argument with the x87's
 * 66-bit pi, p (SDM Vol. 1 8.3.8): x = k * p/2 + r exactly, |r| <= p/4,
 * and FSIN(x) is sin(r), cos(r), -sin(r) or -cos(r) by k mod 4 (that is
 * sin(x + k * (pi - p) / 2)); likewise FCOS and FPTAN. This is what the
 * host computes, which differs from sin(x) near multiples of pi/2 and for
 * large x, as Intel's note "The Difference Between x87 Instructions FSIN,
 * FCOS, FSINCOS, and FPTAN and Their Mathematical Counterparts" explains.
 * Special operands follow the SDM's tables (Vol. 2, one per instruction);
 * where the SDM leaves a result undefined (F2XM1 and FYL2XP1 outside
 * their ranges) the host CPU decided. */
#include "cpu/fp.h"
#include "cpu/fp_internal.h"

/* 128-bit constants: significand with the integer bit at 127, exponent. */
#define WF_LN2 fp_wf_const(0xb17217f7d1cf79abull, 0xc9e3b39803f2f6afull, -1)
#define WF_LOG2E fp_wf_const(0xb8aa3b295c17f0bbull, 0xbe87fed0691d3e88ull, 0)
#define WF_PI_2 fp_wf_const(0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull, 0)
#define WF_ONE fp_wf_const(1ull << 63, 0, 0)

/* p/2, the x87's pi over two: the 68-bit value 0.C90FDAA22168C234C * 2^1
 * (SDM Vol. 1 8.3.8), whose last two bits are zeros. */
#define P_2_HI 0xcull
#define P_2_LO 0x90fdaa22168c234cull

/* A term far below the sum's last bit ends a series (after it has been
 * added, which records its direction). */
static bool negligible(struct fp_wf term, struct fp_wf sum)
{
	return fp_wf_is_zero(term) || term.exp < sum.exp - 132;
}

/* ---- Series ---- */

/* e^t - 1 for |t| < 1. */
static struct fp_wf wf_expm1(struct fp_wf t)
{
	struct fp_wf sum = t, term = t;
	for (uint64_t n = 2; n < 80; n++) {
		term = fp_wf_div_u64(fp_wf_mul(term, t), n);
		sum = fp_wf_add(sum, term);
		if (negligible(term, sum))
			break;
	}
	return sum;
}

/* 2 atanh(s) = ln((1 + s) / (1 - s)) for |s| <= 0.18. */
static struct fp_wf wf_2atanh(struct fp_wf s)
{
	struct fp_wf s2 = fp_wf_mul(s, s), pw = s, sum = s;
	for (uint64_t k = 3; k < 200; k += 2) {
		pw = fp_wf_mul(pw, s2);
		struct fp_wf term = fp_wf_div_u64(pw, k);
		sum = fp_wf_add(sum, term);
		if (negligible(term, sum))
			break;
	}
	return fp_wf_ldexp(sum, 1);
}

/* log2(v) for v > 0: v = m * 2^e with m in [sqrt(2)/2, sqrt(2)). */
static struct fp_wf wf_log2(struct fp_wf v)
{
	int32_t e = v.exp;
	v.exp = 0;
	/* sqrt(2) = 1.0110101000001...: compare the significand. */
	if (v.m > ((fp_u128)0xb504f333f9de6484ull << 64)) {
		v.exp = -1;
		e++;
	}
	struct fp_wf s = fp_wf_div(fp_wf_sub(v, WF_ONE), fp_wf_add(v, WF_ONE));
	struct fp_wf l = fp_wf_mul(wf_2atanh(s), WF_LOG2E);
	return fp_wf_add(fp_wf_from_int(e), l);
}

/* atan(t) for 0 <= t <= 1: four half-angle steps t' = t / (1 +
 * sqrt(1 + t^2)) bring t below 0.05, then the alternating series. */
static struct fp_wf wf_atan(struct fp_wf t)
{
	int k;
	for (k = 0; k < 4; k++) {
		struct fp_wf r = fp_wf_sqrt(fp_wf_add(WF_ONE, fp_wf_mul(t, t)));
		t = fp_wf_div(t, fp_wf_add(WF_ONE, r));
	}
	struct fp_wf t2 = fp_wf_mul(t, t), pw = t, sum = t;
	for (uint64_t n = 3; n < 200; n += 2) {
		pw = fp_wf_mul(pw, t2);
		pw.sign = !pw.sign;
		struct fp_wf term = fp_wf_div_u64(pw, n);
		sum = fp_wf_add(sum, term);
		if (negligible(term, sum))
			break;
	}
	return fp_wf_ldexp(sum, k);
}

/* sin(r) and cos(r) for |r| <= pi/4. */
static void wf_sincos(struct fp_wf r, struct fp_wf *s, struct fp_wf *c)
{
	struct fp_wf r2 = fp_wf_mul(r, r), term = r, sum = r;
	for (uint64_t n = 2; n < 80; n += 2) {
		term = fp_wf_div_u64(fp_wf_mul(term, r2), n * (n + 1));
		term.sign = !term.sign;
		sum = fp_wf_add(sum, term);
		if (negligible(term, sum))
			break;
	}
	*s = sum;
	term = WF_ONE;
	sum = WF_ONE;
	for (uint64_t n = 1; n < 80; n += 2) {
		term = fp_wf_div_u64(fp_wf_mul(term, r2), n * (n + 1));
		term.sign = !term.sign;
		sum = fp_wf_add(sum, term);
		if (negligible(term, sum))
			break;
	}
	*c = sum;
}

/* tan(r), or cot(r) if cot, for 0 < |r| < 2^-16, by their series. The
 * quotient of sine and cosine, both truncated, can land on either side
 * of a value exact in 64 bits, which is just what tan(r) ~ r and
 * cot(r) ~ 1/r are near: the series keep the tail's direction. */
static struct fp_wf wf_tan_small(struct fp_wf r, bool cot)
{
	/* tan: r + r^3/3 + 2r^5/15 + 17r^7/315 + 62r^9/2835;
	 * cot: 1/r - r/3 - r^3/45 - 2r^5/945 - r^7/4725 - 2r^9/93555.
	 * With r^2 < 2^-32, the next terms are below 2^-150 of the sum. */
	static const uint64_t tan_c[][2] = {
		{ 1, 3 }, { 2, 15 }, { 17, 315 }, { 62, 2835 },
	};
	static const uint64_t cot_c[][2] = {
		{ 1, 3 }, { 1, 45 }, { 2, 945 }, { 1, 4725 }, { 2, 93555 },
	};
	const uint64_t (*c)[2] = cot ? cot_c : tan_c;
	unsigned n = cot ? 5 : 4;
	struct fp_wf r2 = fp_wf_mul(r, r);
	struct fp_wf sum = cot ? fp_wf_div(WF_ONE, r) : r;
	struct fp_wf pw = cot ? r : fp_wf_mul(r, r2);
	for (unsigned k = 0; k < n; k++) {
		struct fp_wf term = fp_wf_div_u64(
			fp_wf_mul(pw, fp_wf_from_int((int64_t)c[k][0])),
			c[k][1]);
		sum = cot ? fp_wf_sub(sum, term) : fp_wf_add(sum, term);
		pw = fp_wf_mul(pw, r2);
	}
	return sum;
}

/* ---- Argument reduction ---- */

/* |x| = m * 2^(e - 63): the quadrant k (mod 4) and the remainder
 * r = |x| - k * p/2, |r| <= p/4, exact. The quotient comes from a long
 * division of m * 2^(e + 4) by the 68-bit integer C = (p/2) * 2^67, the
 * remainder is R * 2^-67. */
static struct fp_wf reduce(uint64_t m, int32_t e, unsigned *q)
{
	if (e < -1) {
		/* |x| < 1/2 < p/4: nothing to take away. */
		*q = 0;
		return fp_wf_make(false, e, (fp_u128)m << 64);
	}
	fp_u128 c = (fp_u128)P_2_HI << 64 | P_2_LO, r = 0;
	uint64_t k = 0;
	for (int i = 63; i >= -(e + 4); i--) {
		r = r << 1 | (i >= 0 ? (m >> i) & 1 : 0);
		k <<= 1;
		if (r >= c) {
			r -= c;
			k |= 1;
		}
	}
	/* Nearest multiple: from a half up, the next one, and the
	 * remainder turns negative. */
	bool neg = (r << 1) >= c;
	if (neg) {
		k++;
		r = c - r;
	}
	*q = (unsigned)(k & 3);
	return fp_wf_make(neg, 127 - 67, r);
}

/* ---- Operand screening shared by the instructions ---- */

/* NaNs and unsupported encodings: true when *r is the result. */
static bool special_nan(struct fp_env *env, const struct fp_num *a,
			const struct fp_num *b, struct f80 *r)
{
	if (a->cls == FP_CLASS_UNSUPPORTED
	    || (b && b->cls == FP_CLASS_UNSUPPORTED)) {
		env->flags |= FP_X_IE;
		*r = fp_f80_default_nan();
		return true;
	}
	if (fp_is_nan(a) || (b && fp_is_nan(b))) {
		struct fp_num n = fp_nan_x87(env, a, b);
		*r = fp_pack80(&n);
		return true;
	}
	return false;
}

static struct f80 invalid(struct fp_env *env)
{
	env->flags |= FP_X_IE;
	return fp_f80_default_nan();
}

/* A constant multiple of pi/4 (k = 1, 2, 3, 4), rounded with RC. */
static struct f80 pi_quarters(struct fp_env *env, bool sign, unsigned k)
{
	struct fp_wf v = fp_wf_mul(WF_PI_2, fp_wf_from_int(k));
	v = fp_wf_ldexp(v, -1);
	v.sign = sign;
	return fp_wf_round80(env, v);
}

/* Round y * l with y an f80. */
static struct f80 times(struct fp_env *env, struct f80 y, struct fp_wf l)
{
	return fp_wf_round80(env, fp_wf_mul(fp_wf_from_f80(y), l));
}

/* y * e for an integer e = log2(x) of a power of two x: exact, rounded
 * once, and reported inexact all the same, as the host does. */
static struct f80 times_int(struct fp_env *env, const struct fp_num *y,
			    int32_t e)
{
	uint64_t mag = e < 0 ? (uint64_t)-(int64_t)e : (uint64_t)e;
	struct f80 r = fp_round80_wide(env, 64, y->sign != (e < 0), y->exp + 64,
				       (fp_u128)y->sig * mag);
	/* Inexact, so a tiny result underflows too. */
	env->flags |= FP_X_PE;
	if ((r.sign_exp & 0x7fff) == 0 && r.signif)
		env->flags |= FP_X_UE;
	return r;
}

/* ---- F2XM1 ---- */

struct f80 fp_f80_f2xm1(struct fp_env *env, struct f80 a)
{
	struct fp_num x = fp_unpack80(a);
	struct f80 r;
	if (special_nan(env, &x, NULL, &r))
		return r;
	if (x.cls == FP_CLASS_ZERO)
		return a;
	if (x.cls == FP_CLASS_INF)
		return x.sign ? fp_f80_make(true, 16383, FP_SIG_INT) : a;
	if (x.cls == FP_CLASS_DENORMAL && fp_raise_pre(env, FP_X_DE))
		return a;
	if (x.exp >= 0) {
		/* +-1 give 1 and -1/2, reported inexact, 1 as rounded up;
		 * outside [-1, 1] (undefined in the SDM) the operand comes
		 * back with PE: both as the host does. */
		env->flags |= FP_X_PE;
		if (x.exp == 0 && x.sig == FP_SIG_INT) {
			env->c1 |= !x.sign;
			return x.sign ? fp_f80_make(true, 16382, FP_SIG_INT)
				: fp_f80_make(false, 16383, FP_SIG_INT);
		}
		return a;
	}
	return fp_wf_round80(env, wf_expm1(fp_wf_mul(fp_wf_from_f80(a), WF_LN2)));
}

/* ---- FYL2X, FYL2XP1 ---- */

/* y * log2(x) where log2(x) is +-infinity or zero: the sign and class
 * rules of SDM Vol. 2 FYL2X (tables 3-49, 3-50). */
static struct f80 product_special(struct fp_env *env, bool lsign, int lcls,
				  const struct fp_num *y)
{
	if (lcls == FP_CLASS_INF) {
		if (y->cls == FP_CLASS_ZERO)
			return invalid(env);
		return fp_f80_make(lsign != y->sign, 0x7fff, FP_SIG_INT);
	}
	/* log2(x) = +0. */
	if (y->cls == FP_CLASS_INF)
		return invalid(env);
	return fp_f80_make(lsign != y->sign, 0, 0);
}

struct f80 fp_f80_fyl2x(struct fp_env *env, struct f80 a, struct f80 b)
{
	struct fp_num x = fp_unpack80(a), y = fp_unpack80(b);
	struct f80 r;
	if (special_nan(env, &x, &y, &r))
		return r;
	if (x.sign && x.cls != FP_CLASS_ZERO)
		return invalid(env);
	if (x.cls == FP_CLASS_ZERO) {
		/* log2(0) = -infinity: finite nonzero y divides by zero. */
		/* Divide by zero outranks a denormal y: no DE. */
		if (y.cls == FP_CLASS_ZERO)
			return invalid(env);
		if (y.cls != FP_CLASS_INF && fp_raise_pre(env, FP_X_ZE))
			return b;
		return product_special(env, true, FP_CLASS_INF, &y);
	}
	if (x.cls == FP_CLASS_INF) {
		if (y.cls == FP_CLASS_DENORMAL && fp_raise_pre(env, FP_X_DE))
			return b;
		return product_special(env, false, FP_CLASS_INF, &y);
	}
	bool one = x.exp == 0 && x.sig == FP_SIG_INT;
	if (y.cls == FP_CLASS_INF) {
		if (one)
			return invalid(env);
		if (x.cls == FP_CLASS_DENORMAL && fp_raise_pre(env, FP_X_DE))
			return b;
		return fp_f80_make(y.sign != (x.exp < 0), 0x7fff, FP_SIG_INT);
	}
	if ((x.cls == FP_CLASS_DENORMAL || y.cls == FP_CLASS_DENORMAL)
	    && fp_raise_pre(env, FP_X_DE))
		return b;
	if (one || y.cls == FP_CLASS_ZERO)
		return fp_f80_make(y.sign != (x.exp < 0 && !one), 0, 0);
	if (x.sig == FP_SIG_INT)
		return times_int(env, &y, x.exp);
	return times(env, b, wf_log2(fp_wf_from_f80(a)));
}

struct f80 fp_f80_fyl2xp1(struct fp_env *env, struct f80 a, struct f80 b)
{
	struct fp_num x = fp_unpack80(a), y = fp_unpack80(b);
	struct f80 r;
	if (special_nan(env, &x, &y, &r))
		return r;
	if (x.cls == FP_CLASS_ZERO) {
		if (y.cls == FP_CLASS_INF)
			return invalid(env);
		if (y.cls == FP_CLASS_DENORMAL && fp_raise_pre(env, FP_X_DE))
			return b;
		return fp_f80_make(x.sign != y.sign, 0, 0);
	}
	if (x.cls == FP_CLASS_INF) {
		if (x.sign)
			return invalid(env);
		if (y.cls == FP_CLASS_DENORMAL && fp_raise_pre(env, FP_X_DE))
			return b;
		return product_special(env, false, FP_CLASS_INF, &y);
	}
	if (x.sign && x.exp >= 0) {
		/* x <= -1 (undefined in the SDM): the host gives a signed
		 * zero for y = 0, an infinity for an infinite y, and else
		 * x itself with PE. */
		if (y.cls == FP_CLASS_ZERO)
			return fp_f80_make(x.sign != y.sign, 0, 0);
		if (y.cls == FP_CLASS_INF)
			return fp_f80_make(x.sign != y.sign, 0x7fff, FP_SIG_INT);
		if (y.cls == FP_CLASS_DENORMAL && fp_raise_pre(env, FP_X_DE))
			return b;
		env->flags |= FP_X_PE;
		return a;
	}
	if (y.cls == FP_CLASS_INF) {
		if (x.cls == FP_CLASS_DENORMAL && fp_raise_pre(env, FP_X_DE))
			return b;
		return fp_f80_make(y.sign != x.sign, 0x7fff, FP_SIG_INT);
	}
	if ((x.cls == FP_CLASS_DENORMAL || y.cls == FP_CLASS_DENORMAL)
	    && fp_raise_pre(env, FP_X_DE))
		return b;
	if (y.cls == FP_CLASS_ZERO)
		return fp_f80_make(y.sign != x.sign, 0, 0);
	struct fp_wf w = fp_wf_from_f80(a), l;
	if (x.exp < -1) {
		/* |x| < 1/2: log2(1 + x) = 2 atanh(x / (2 + x)) * log2(e),
		 * accurate relative to a tiny x. */
		struct fp_wf s = fp_wf_div(w, fp_wf_add(fp_wf_ldexp(WF_ONE, 1), w));
		l = fp_wf_mul(wf_2atanh(s), WF_LOG2E);
	} else {
		/* 1 + x is exact here for x below 2^63: a power of two
		 * takes the exact path. */
		struct fp_wf v = fp_wf_add(w, WF_ONE);
		if (x.exp < 63 && v.m == (fp_u128)1 << 127)
			return times_int(env, &y, v.exp);
		l = wf_log2(v);
	}
	return times(env, b, l);
}

/* ---- FSIN, FCOS, FSINCOS, FPTAN ---- */

/* Screens the operand; true when the results are already set (or the
 * operand is out of range, *in_range false). */
static bool trig_special(struct fp_env *env, struct f80 a, struct f80 *s,
			 struct f80 *c, bool *in_range)
{
	struct fp_num x = fp_unpack80(a);
	*in_range = true;
	if (special_nan(env, &x, NULL, s)) {
		*c = *s;
		return true;
	}
	if (x.cls == FP_CLASS_INF) {
		*s = *c = invalid(env);
		return true;
	}
	if (x.cls == FP_CLASS_ZERO) {
		*s = a;
		*c = fp_f80_make(false, 16383, FP_SIG_INT);
		return true;
	}
	if (x.exp >= 63) {
		*in_range = false;
		return true;
	}
	if (x.cls == FP_CLASS_DENORMAL && fp_raise_pre(env, FP_X_DE)) {
		*s = *c = a;
		return true;
	}
	return false;
}

/* sin and cos of a finite nonzero in-range a, as wide floats. */
static void trig_eval(struct f80 a, struct fp_wf *s, struct fp_wf *c)
{
	struct fp_num x = fp_unpack80(a);
	struct fp_wf r, sr, cr;
	unsigned q;
	r = reduce(x.sig, x.exp, &q);
	wf_sincos(r, &sr, &cr);
	switch (q & 3) {
	case 0:
		*s = sr;
		*c = cr;
		break;
	case 1:
		*s = cr;
		*c = sr;
		c->sign = !c->sign;
		break;
	case 2:
		*s = sr;
		s->sign = !s->sign;
		*c = cr;
		c->sign = !c->sign;
		break;
	default:
		*s = cr;
		s->sign = !s->sign;
		*c = sr;
		break;
	}
	if (x.sign)
		s->sign = !s->sign;
}

bool fp_f80_sin(struct fp_env *env, struct f80 a, struct f80 *r)
{
	struct f80 c;
	bool in_range;
	if (trig_special(env, a, r, &c, &in_range))
		return in_range;
	struct fp_wf s, cw;
	trig_eval(a, &s, &cw);
	*r = fp_wf_round80(env, s);
	return true;
}

bool fp_f80_cos(struct fp_env *env, struct f80 a, struct f80 *r)
{
	struct f80 s;
	bool in_range;
	if (trig_special(env, a, &s, r, &in_range))
		return in_range;
	struct fp_wf sw, c;
	trig_eval(a, &sw, &c);
	*r = fp_wf_round80(env, c);
	return true;
}

bool fp_f80_sincos(struct fp_env *env, struct f80 a, struct f80 *s,
		   struct f80 *c)
{
	bool in_range;
	if (trig_special(env, a, s, c, &in_range))
		return in_range;
	struct fp_wf sw, cw;
	trig_eval(a, &sw, &cw);
	/* Flags from both results; C1 from the sine's rounding alone, as
	 * the host reports it. */
	bool c1 = env->c1;
	*c = fp_wf_round80(env, cw);
	env->c1 = c1;
	*s = fp_wf_round80(env, sw);
	return true;
}

bool fp_f80_tan(struct fp_env *env, struct f80 a, struct f80 *r)
{
	struct f80 c;
	bool in_range;
	if (trig_special(env, a, r, &c, &in_range))
		return in_range;
	struct fp_num x = fp_unpack80(a);
	unsigned q;
	struct fp_wf t, rem = reduce(x.sig, x.exp, &q);
	/* tan(r + q * p/2) is tan(r) for even q, -cot(r) for odd. */
	if (!fp_wf_is_zero(rem) && rem.exp < -16) {
		t = wf_tan_small(rem, q & 1);
	} else {
		struct fp_wf sr, cr;
		wf_sincos(rem, &sr, &cr);
		t = (q & 1) ? fp_wf_div(cr, sr) : fp_wf_div(sr, cr);
	}
	if (q & 1)
		t.sign = !t.sign;
	if (x.sign)
		t.sign = !t.sign;
	*r = fp_wf_round80(env, t);
	return true;
}

/* ---- FPATAN ---- */

struct f80 fp_f80_atan(struct fp_env *env, struct f80 a, struct f80 b)
{
	struct fp_num x = fp_unpack80(a), y = fp_unpack80(b);
	struct f80 r;
	if (special_nan(env, &x, &y, &r))
		return r;
	/* SDM Vol. 2 FPATAN, table 3-30: zeros and infinities. */
	if (y.cls == FP_CLASS_INF) {
		if (x.cls == FP_CLASS_DENORMAL && fp_raise_pre(env, FP_X_DE))
			return b;
		if (x.cls == FP_CLASS_INF)
			return pi_quarters(env, y.sign, x.sign ? 3 : 1);
		return pi_quarters(env, y.sign, 2);
	}
	if (y.cls == FP_CLASS_ZERO) {
		if (x.cls == FP_CLASS_DENORMAL && fp_raise_pre(env, FP_X_DE))
			return b;
		if (x.sign)
			return pi_quarters(env, y.sign, 4);
		return b;
	}
	if (y.cls == FP_CLASS_DENORMAL && fp_raise_pre(env, FP_X_DE))
		return b;
	if (x.cls == FP_CLASS_ZERO)
		return pi_quarters(env, y.sign, 2);
	if (x.cls == FP_CLASS_INF) {
		if (x.sign)
			return pi_quarters(env, y.sign, 4);
		return fp_f80_make(y.sign, 0, 0);
	}
	if (x.cls == FP_CLASS_DENORMAL && fp_raise_pre(env, FP_X_DE))
		return b;
	struct fp_wf u = fp_wf_from_f80(fp_f80_abs(b));
	struct fp_wf v = fp_wf_from_f80(fp_f80_abs(a));
	bool swap = u.exp > v.exp || (u.exp == v.exp && u.m > v.m);
	struct fp_wf t = swap ? fp_wf_div(v, u) : fp_wf_div(u, v);
	struct fp_wf th = wf_atan(t);
	if (swap)
		th = fp_wf_sub(WF_PI_2, th);
	if (x.sign)
		th = fp_wf_sub(fp_wf_ldexp(WF_PI_2, 1), th);
	th.sign = y.sign;
	return fp_wf_round80(env, th);
}
